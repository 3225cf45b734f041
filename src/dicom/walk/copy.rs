//! Writing the compact copy of the header that dicom-object is given: element headers with
//! their possibly changed lengths, within the cap.

use std::io::Read;

use dicom_core::VR;

use super::{ElementHeader, Encoding, Source, WalkError, Walked};
use crate::text::msg;

/// The size of one value of a binary VR, whose lengths must be multiples of it.
pub(super) fn value_size(vr: VR) -> Option<u32> {
    match vr {
        VR::US | VR::SS | VR::OW => Some(2),
        VR::UL | VR::SL | VR::FL | VR::AT | VR::OF | VR::OL => Some(4),
        VR::FD | VR::SV | VR::UV | VR::OD | VR::OV => Some(8),
        _ => None,
    }
}

/// Rewrites a copied element header so that dicom-parser reads its value as plain bytes of
/// the same length: explicit VR becomes OB (4-byte length form) or LT (2-byte form), and an
/// implicit-VR tag becomes a private tag the dictionary does not know (read as UN).
pub(super) fn disguise(copied: &mut [u8], header: &ElementHeader, enc: Encoding) {
    if header.vr_explicit {
        let vr: &[u8; 2] = if header.header_len == 12 {
            b"OB"
        } else {
            b"LT"
        };
        copied[4..6].copy_from_slice(vr);
    } else {
        copied[0..2].copy_from_slice(&enc.put_u16(0x0009));
        copied[2..4].copy_from_slice(&enc.put_u16(0x10FF));
    }
}

pub(super) fn ensure_room(out: &Walked, extra: u64, cap: u64) -> Result<(), WalkError> {
    if out.bytes.len() as u64 + extra > cap {
        return Err(WalkError::Limit(msg!(
            "error.walk.too-large",
            mib = cap >> 20
        )));
    }
    Ok(())
}

/// Consumes an element header, appending it to the copy when the element is being kept.
pub(super) fn emit_header<R: Read>(
    src: &mut Source<R>,
    header: &ElementHeader,
    enc: Encoding,
    out: &mut Walked,
    cap: u64,
    copying: bool,
) -> Result<(), WalkError> {
    if copying {
        copy_header(src, header, enc, out, cap)
    } else {
        src.skip(header.header_len as u64).map_err(WalkError::from)
    }
}

/// Consumes the element header from the source and appends it (with its possibly changed length)
/// to the compact copy.
pub(super) fn copy_header<R: Read>(
    src: &mut Source<R>,
    header: &ElementHeader,
    enc: Encoding,
    out: &mut Walked,
    cap: u64,
) -> Result<(), WalkError> {
    ensure_room(out, header.header_len as u64, cap)?;
    let start = out.bytes.len();
    src.take_into(header.header_len, &mut out.bytes)?;
    // Rewrite the length field: it differs when a bulk value was emptied.
    let field = match header.header_len {
        12 => start + 8..start + 12,
        _ if header.vr_explicit => start + 6..start + 8,
        _ => start + 4..start + 8,
    };
    if field.len() == 2 {
        out.bytes[field].copy_from_slice(&enc.put_u16(header.length as u16));
    } else {
        out.bytes[field].copy_from_slice(&enc.put_u32(header.length));
    }
    Ok(())
}
