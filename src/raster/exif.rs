//! EXIF through `kamadak-exif`: the blob from a container (JPEG, WebP, HEIF) or raw (PNG
//! `eXIf`), partial results kept, oversized blobs dropped, the fields copied into the facts.

use std::io::Cursor;

use super::bytes::utf8_text;
use super::{Evidence, RasterFacts};

/// EXIF blobs larger than this are ignored (JPEG's own limit is 64 KiB).
const MAX_EXIF_BYTES: usize = 128 * 1024;

/// Reads the EXIF blob of a JPEG, PNG, WebP or HEIF container in `head` into the facts.
pub(super) fn apply_container(head: &[u8], facts: &mut RasterFacts, ev: &mut Evidence) {
    let result = ::exif::Reader::new()
        .continue_on_error(true)
        .read_from_container(&mut Cursor::new(head));
    if let Some(exif) = accept_exif(result) {
        apply(&exif, facts, ev);
    }
}

/// Reads a bare EXIF blob (a PNG `eXIf` chunk) into the facts; oversized blobs are skipped.
pub(super) fn apply_raw(data: &[u8], facts: &mut RasterFacts, ev: &mut Evidence) {
    if data.len() > MAX_EXIF_BYTES {
        return;
    }
    let result = ::exif::Reader::new()
        .continue_on_error(true)
        .read_raw(data.to_vec());
    if let Some(exif) = accept_exif(result) {
        apply(&exif, facts, ev);
    }
}

/// Keeps partial results; drops oversized blobs (bounds later value parsing).
fn accept_exif(result: Result<::exif::Exif, ::exif::Error>) -> Option<::exif::Exif> {
    let exif = match result {
        Ok(exif) => exif,
        Err(e) => e.distill_partial_result(|_| {}).ok()?,
    };
    (exif.buf().len() <= MAX_EXIF_BYTES).then_some(exif)
}

fn apply(exif: &::exif::Exif, facts: &mut RasterFacts, ev: &mut Evidence) {
    use ::exif::{In, Tag, Value};
    let ascii = |tag: Tag| -> Option<String> {
        match &exif.get_field(tag, In::PRIMARY)?.value {
            Value::Ascii(parts) => parts.iter().find_map(|p| utf8_text(p)),
            _ => None,
        }
    };
    facts.camera_make = facts.camera_make.take().or_else(|| ascii(Tag::Make));
    facts.camera_model = facts.camera_model.take().or_else(|| ascii(Tag::Model));
    facts.software = facts.software.take().or_else(|| ascii(Tag::Software));
    facts.date_taken = facts
        .date_taken
        .take()
        .or_else(|| ascii(Tag::DateTimeOriginal));
    facts.description = facts
        .description
        .take()
        .or_else(|| ascii(Tag::ImageDescription));
    if facts.orientation.is_none() {
        facts.orientation = exif
            .get_field(Tag::Orientation, In::PRIMARY)
            .and_then(|f| f.value.get_uint(0))
            .and_then(|v| u16::try_from(v).ok());
    }
    let present = |tag: Tag| exif.get_field(tag, In::PRIMARY).is_some();
    facts.has_gps |= present(Tag::GPSLatitude) || present(Tag::GPSLongitude);
    ev.exposure |= present(Tag::ExposureTime) || present(Tag::FNumber);
}
