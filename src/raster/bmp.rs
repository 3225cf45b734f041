//! BMP: the signature check and the size from the DIB header.

use super::bytes::{le16, le32};
use super::RasterFacts;
use crate::text::{msg, Message};

/// "BM" alone is too weak: also require a known DIB header size.
pub(super) fn is_bmp(head: &[u8]) -> bool {
    head.starts_with(b"BM")
        && matches!(
            le32(head, 14),
            Some(12 | 16 | 40 | 52 | 56 | 64 | 108 | 124)
        )
}

/// BMP size is two fixed header fields; `imagesize` reads them as unsigned
/// and misreads top-down (negative height) and OS/2 (16-bit) headers.
pub(super) fn read_bmp(head: &[u8], facts: &mut RasterFacts) -> Result<(), Message> {
    let dims = if le32(head, 14) == Some(12) {
        le16(head, 18)
            .zip(le16(head, 20))
            .map(|(w, h)| (u32::from(w), u32::from(h)))
    } else {
        le32(head, 18)
            .zip(le32(head, 22))
            .map(|(w, h)| ((w as i32).unsigned_abs(), (h as i32).unsigned_abs()))
    };
    let Some((w, h)) = dims else {
        return Err(msg!("error.raster.bmp-cut", bytes = head.len()));
    };
    facts.width = Some(w).filter(|&v| v > 0);
    facts.height = Some(h).filter(|&v| v > 0);
    Ok(())
}
