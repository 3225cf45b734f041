//! Thumbnails: an image scaled down to fit a box with an area (box) filter, each output pixel the
//! area-weighted mean of the source pixels it covers, so that fine detail averages instead of
//! aliasing.

use super::Image;

/// Scales `image` so that its longer side is at most `max_side` pixels (never up).
pub fn thumbnail(image: &Image, max_side: u32) -> Image {
    let long = image.width.max(image.height);
    if long <= max_side || max_side == 0 {
        return image.clone();
    }
    let scale = f64::from(max_side) / f64::from(long);
    let fit = |side: u32| ((f64::from(side) * scale).round() as u32).clamp(1, max_side);
    resize(image, fit(image.width), fit(image.height))
}

/// Resizes `image` to `width` × `height` with the area filter (both sides at most the source's).
pub fn resize(image: &Image, width: u32, height: u32) -> Image {
    let channels = usize::from(image.channels);
    let columns = weights(image.width, width);
    let rows = weights(image.height, height);
    // Horizontal pass into floats, then vertical into bytes.
    let src_w = image.width as usize;
    let mut across = vec![0f32; image.height as usize * width as usize * channels];
    for y in 0..image.height as usize {
        let line = &image.pixels[y * src_w * channels..(y + 1) * src_w * channels];
        for (x, taps) in columns.iter().enumerate() {
            for c in 0..channels {
                let sum: f32 = taps
                    .iter()
                    .map(|&(i, w)| w * f32::from(line[i * channels + c]))
                    .sum();
                across[(y * width as usize + x) * channels + c] = sum;
            }
        }
    }
    let mut pixels = vec![0u8; width as usize * height as usize * channels];
    let row_len = width as usize * channels;
    for (y, taps) in rows.iter().enumerate() {
        for k in 0..row_len {
            let sum: f32 = taps.iter().map(|&(i, w)| w * across[i * row_len + k]).sum();
            pixels[y * row_len + k] = sum.round().clamp(0.0, 255.0) as u8;
        }
    }
    Image {
        width,
        height,
        channels: image.channels,
        pixels,
    }
}

/// For each output index, the source indices it covers and their weights (summing to 1).
fn weights(from: u32, to: u32) -> Vec<Vec<(usize, f32)>> {
    let step = f64::from(from) / f64::from(to.max(1));
    (0..to)
        .map(|o| {
            let (start, end) = (f64::from(o) * step, f64::from(o + 1) * step);
            let first = start.floor() as usize;
            let last = (end.ceil() as usize).min(from as usize);
            (first..last)
                .map(|i| {
                    let cover = end.min(i as f64 + 1.0) - start.max(i as f64);
                    (i, (cover / step) as f32)
                })
                .filter(|&(_, w)| w > 0.0)
                .collect()
        })
        .collect()
}
