//! Pictures made from the corpus pictures, to check that what a picture shows does not hang on
//! one file's size, crop or encoding: WeChat-style copies (long side 1080, JPEG q70, no EXIF),
//! crops, shrunk copies, and harder QR pictures (turned, small, blurred, re-photographed).

use std::io::Cursor;

use image::imageops::{self, FilterType};
use image::{DynamicImage, ImageFormat, RgbImage};

/// A copy whose longer side is `long` pixels.
pub fn shrink(img: &DynamicImage, long: u32) -> DynamicImage {
    let (w, h) = (img.width(), img.height());
    let scale = f64::from(long) / f64::from(w.max(h));
    let (nw, nh) = (
        ((f64::from(w) * scale).round() as u32).max(1),
        ((f64::from(h) * scale).round() as u32).max(1),
    );
    img.resize_exact(nw, nh, FilterType::Triangle)
}

/// `share` of each side cut away on every side.
pub fn crop(img: &DynamicImage, share: f64) -> DynamicImage {
    let (w, h) = (img.width(), img.height());
    let (dx, dy) = ((f64::from(w) * share) as u32, (f64::from(h) * share) as u32);
    img.crop_imm(dx, dy, w - 2 * dx, h - 2 * dy)
}

/// JPEG bytes at `quality` (no EXIF: the encoder writes none).
pub fn jpeg(img: &DynamicImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    let rgb = img.to_rgb8();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(&rgb)
        .unwrap();
    out
}

/// PNG bytes.
pub fn png(img: &DynamicImage) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, ImageFormat::Png).unwrap();
    out.into_inner()
}

/// What WeChat does to a forwarded picture: long side 1080, JPEG q70, EXIF gone.
pub fn wechat(img: &DynamicImage) -> Vec<u8> {
    let long = img.width().max(img.height()).min(1080);
    jpeg(&shrink(img, long), 70)
}

/// Turned by `degrees` about the centre (nearest neighbour), the corners filled with mid grey,
/// as a desk or a hand would show round a tilted slip.
pub fn rotate(img: &DynamicImage, degrees: f64) -> DynamicImage {
    let src = img.to_rgb8();
    let (w, h) = (f64::from(src.width()), f64::from(src.height()));
    let (s, c) = degrees.to_radians().sin_cos();
    let (nw, nh) = (
        (w * c.abs() + h * s.abs()).ceil(),
        (w * s.abs() + h * c.abs()).ceil(),
    );
    let mut out = RgbImage::from_pixel(nw as u32, nh as u32, image::Rgb([128, 128, 128]));
    let (cx, cy, ncx, ncy) = (w / 2.0, h / 2.0, nw / 2.0, nh / 2.0);
    for (x, y, p) in out.enumerate_pixels_mut() {
        let (dx, dy) = (f64::from(x) - ncx, f64::from(y) - ncy);
        let (sx, sy) = (c * dx + s * dy + cx, -s * dx + c * dy + cy);
        if sx >= 0.0 && sy >= 0.0 && sx < w && sy < h {
            *p = *src.get_pixel(sx as u32, sy as u32);
        }
    }
    DynamicImage::ImageRgb8(out)
}

/// Gaussian blur (an out-of-focus photo).
pub fn blur(img: &DynamicImage, sigma: f32) -> DynamicImage {
    DynamicImage::ImageRgb8(imageops::blur(&img.to_rgb8(), sigma))
}

/// Decoded, turned upright by the EXIF orientation when there is one (as a viewer shows it).
pub fn open(bytes: &[u8]) -> DynamicImage {
    let mut decoder = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .unwrap()
        .into_decoder()
        .unwrap();
    let orientation = image::ImageDecoder::orientation(&mut decoder).unwrap();
    let mut img = DynamicImage::from_decoder(decoder).unwrap();
    img.apply_orientation(orientation);
    img
}
