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
pub fn picture(bytes: &[u8], format: &str, limits: &Limits) -> PictureInfo {
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
    if fmt == ImageFormat::Jpeg && jpeg_is_cut(bytes) {
        // The decoder would fill the missing rows with grey and say nothing.
        return PictureInfo::unknown(msg!("reason.picture.jpeg-cut"));
    }
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
    analyse(width, height, pixels, limits.max_picture_pixels)
}

/// Whether a JPEG ends before its image does: no end-of-image marker after the first scan. The
/// segments before the scan are skipped by their lengths (so an EXIF thumbnail's own markers do
/// not count), and inside the entropy-coded data 0xFF is always followed by 0x00 or a marker,
/// so the first 0xFF 0xD9 there is the image's end (data after it, such as a motion photo's
/// video, does not matter).
fn jpeg_is_cut(bytes: &[u8]) -> bool {
    let mut i = 2; // after SOI
    loop {
        let Some(&[ff, marker, hi, lo]) = bytes
            .get(i..i + 4)
            .and_then(|b| <&[u8; 4]>::try_from(b).ok())
        else {
            return true;
        };
        if ff != 0xFF {
            return true;
        }
        if marker == 0xFF {
            i += 1; // fill byte
            continue;
        }
        let len = usize::from(u16::from_be_bytes([hi, lo]));
        if marker == 0xDA {
            let scan = bytes.get(i + 2 + len..).unwrap_or_default();
            return !scan.windows(2).any(|w| w == [0xFF, 0xD9]);
        }
        i += 2 + len;
    }
}

#[cfg(test)]
mod tests {
    use super::jpeg_is_cut;

    #[test]
    fn a_jpeg_without_its_end_marker_is_cut() {
        // SOI, an APP1 whose content holds a thumbnail's EOI, SOS, data, EOI.
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x06, 0xFF, 0xD9, 0x00, 0x00];
        jpeg.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 0x12, 0xFF, 0x00, 0x34]);
        assert!(jpeg_is_cut(&jpeg));
        jpeg.extend_from_slice(&[0xFF, 0xD9, 0x00, 0x00, 0x00, 0x18]);
        assert!(!jpeg_is_cut(&jpeg));
        assert!(jpeg_is_cut(&jpeg[..5]));
    }
}
