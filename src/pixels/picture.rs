//! Pictures (JPEG, PNG, WebP photographs and screenshots) decoded natively with the `image` crate
//! for the CLI's `preview`; the page lets the browser decode them. The dimensions are read first
//! and checked against [`Limits::max_frame_samples`].

use crate::limits::Limits;
use crate::text::{msg, Message};

use super::Image;

/// Decodes a picture held in memory to 8-bit grey or RGB (alpha dropped).
pub fn render_picture(bytes: &[u8], limits: &Limits) -> Result<Image, Message> {
    let fail = |e: image::ImageError| msg!("pixels.picture-failed", detail = e.to_string());
    let reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| msg!("error.read", detail = e.to_string()))?;
    let (width, height) = reader.into_dimensions().map_err(fail)?;
    let samples = u64::from(width) * u64::from(height) * 3;
    if samples > limits.max_frame_samples {
        return Err(msg!(
            "pixels.too-large",
            rows = height,
            columns = width,
            samples = 3,
            limit = limits.max_frame_samples,
        ));
    }
    let picture = image::load_from_memory(bytes).map_err(fail)?;
    let (channels, pixels) = if picture.color().has_color() {
        (3, picture.into_rgb8().into_raw())
    } else {
        (1, picture.into_luma8().into_raw())
    };
    Ok(Image {
        width,
        height,
        channels,
        pixels,
    })
}
