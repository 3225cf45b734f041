//! Pictures (JPEG, PNG, WebP photographs and screenshots) for the CLI's `preview`: decoded by the
//! scan's own streaming picture decoder ([`crate::picture::decode`]: read as they decode, never
//! the whole file in memory, the size checked against [`Limits`] before any pixel), so there is
//! one native picture decoder. The page lets the browser decode them.

use std::io::{BufRead, Seek};

use crate::limits::Limits;
use crate::picture::decode::{self, Decoded};
use crate::text::{msg, Message};

use super::Image;

/// Decodes the picture `reader` holds (a whole file of `format`, as `raster` names it: `jpeg`,
/// `png`, `webp`) to 8-bit grey or RGB (alpha dropped).
pub fn render_picture<R: BufRead + Seek>(
    reader: R,
    format: &str,
    limits: &Limits,
) -> Result<Image, Message> {
    let (width, height, channels, pixels) = match decode::pixels(reader, format, limits) {
        Ok(Decoded::Grey(width, height, grey)) => (width, height, 1, grey),
        Ok(Decoded::Rgb(width, height, rgb)) => (width, height, 3, rgb),
        Err(refused) => {
            return Err(refused
                .reason_message
                .unwrap_or_else(|| msg!("pixels.picture-failed", detail = refused.reason)))
        }
    };
    Ok(Image {
        width,
        height,
        channels,
        pixels,
    })
}
