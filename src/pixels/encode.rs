//! PNG encoding of a rendered image (the CLI's previews, the report's embedded thumbnails).

use crate::text::{msg, Message};

use super::Image;

/// Encodes `image` as an 8-bit grey or RGB PNG.
pub fn png(image: &Image) -> Result<Vec<u8>, Message> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, image.width, image.height);
    encoder.set_color(if image.channels == 3 {
        png::ColorType::Rgb
    } else {
        png::ColorType::Grayscale
    });
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .write_header()
        .and_then(|mut writer| writer.write_image_data(&image.pixels))
        .map_err(|e| msg!("pixels.png-failed", detail = e.to_string()))?;
    Ok(out)
}
