//! The CLI's picture decoder: PNG, JPEG and WebP with the `image` crate, bounded by
//! [`Limits`]: the size is read from the header and checked before any pixel is decoded, and the
//! decoder's own allocation limit is set too (a decompression bomb stops there). HEIC/HEIF/AVIF,
//! GIF, BMP and TIFF are not decoded here (no pure-Rust HEIC decoder is kept; the others are not
//! how phones and messengers save pictures): their subject is unknown and the reason says so.

use std::io::Cursor;

use image::{ImageFormat, ImageReader};

use super::{analyse, PictureInfo, Pixels};
use crate::limits::Limits;
use crate::text::msg;

/// What the picture in `bytes` (a whole file of `format`, as `raster::detect_format` names it)
/// shows. Never panics; a file that cannot be decoded gets an unknown subject and the reason.
pub fn picture(bytes: &[u8], format: &str, screenshot: bool, limits: &Limits) -> PictureInfo {
    let fmt = match format {
        "png" => ImageFormat::Png,
        "jpeg" => ImageFormat::Jpeg,
        "webp" => ImageFormat::WebP,
        other => {
            return PictureInfo::unknown(msg!(
                "reason.picture.no-decoder",
                format = other.to_uppercase()
            ))
        }
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), fmt);
    let (width, height) = match reader.into_dimensions() {
        Ok(d) => d,
        Err(e) => {
            return PictureInfo::unknown(msg!("reason.picture.undecodable", error = e.to_string()))
        }
    };
    if u64::from(width) * u64::from(height) > limits.max_picture_pixels {
        return PictureInfo::unknown(msg!(
            "reason.picture.too-large",
            width = width,
            height = height,
            limit = limits.max_picture_pixels / 1_000_000
        ));
    }
    reader = ImageReader::with_format(Cursor::new(bytes), fmt);
    let mut bounds = image::Limits::default();
    bounds.max_image_width = Some(width);
    bounds.max_image_height = Some(height);
    bounds.max_alloc = Some(limits.max_picture_alloc);
    reader.limits(bounds);
    let decoded = match reader.decode() {
        Ok(d) => d,
        Err(e) => {
            return PictureInfo::unknown(msg!("reason.picture.undecodable", error = e.to_string()))
        }
    };
    // Grey stays grey (one byte a pixel); anything else becomes 8-bit RGB.
    let (grey, rgb);
    let pixels = if decoded.color().has_color() {
        rgb = decoded.into_rgb8();
        Pixels::Rgb(rgb.as_raw())
    } else {
        grey = decoded.into_luma8();
        Pixels::Grey(grey.as_raw())
    };
    analyse(width, height, pixels, screenshot, limits.max_picture_pixels)
}
