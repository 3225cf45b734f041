//! Element headers: the encoding of a data set, one element header parsed from bytes, and the
//! guess at the encoding of a data set that has no file meta group.

use dicom_core::dictionary::{DataDictionary, DataDictionaryEntry};
use dicom_core::{Tag, VR};
use dicom_dictionary_std::StandardDataDictionary;

use crate::text::{msg, Message};

/// How the elements of a data set are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Encoding {
    pub explicit_vr: bool,
    pub big_endian: bool,
}

impl Encoding {
    pub const IMPLICIT_LE: Encoding = Encoding {
        explicit_vr: false,
        big_endian: false,
    };
    pub const EXPLICIT_LE: Encoding = Encoding {
        explicit_vr: true,
        big_endian: false,
    };
    pub const EXPLICIT_BE: Encoding = Encoding {
        explicit_vr: true,
        big_endian: true,
    };

    fn u16(self, b: &[u8]) -> u16 {
        let pair = [b[0], b[1]];
        if self.big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    }

    fn u32(self, b: &[u8]) -> u32 {
        let quad = [b[0], b[1], b[2], b[3]];
        if self.big_endian {
            u32::from_be_bytes(quad)
        } else {
            u32::from_le_bytes(quad)
        }
    }

    pub fn put_u16(self, v: u16) -> [u8; 2] {
        if self.big_endian {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    }

    pub fn put_u32(self, v: u32) -> [u8; 4] {
        if self.big_endian {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    }
}

/// The undefined-length marker.
pub(super) const UNDEFINED: u32 = 0xFFFF_FFFF;

/// One element header as it sits in the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ElementHeader {
    pub tag: Tag,
    /// `None` for item and delimiter tags, which carry no VR.
    pub vr: Option<VR>,
    pub length: u32,
    /// Bytes taken by the header itself (8 or 12).
    pub header_len: usize,
    /// Whether the VR came from the bytes (explicit) or from the dictionary.
    pub vr_explicit: bool,
}

/// VRs whose explicit encoding has a 4-byte length (PS3.5 7.1.2).
pub fn has_long_length(vr: VR) -> bool {
    matches!(
        vr,
        VR::OB
            | VR::OD
            | VR::OF
            | VR::OL
            | VR::OV
            | VR::OW
            | VR::SQ
            | VR::SV
            | VR::UC
            | VR::UN
            | VR::UR
            | VR::UT
            | VR::UV
    )
}

pub(super) fn is_bulk_vr(vr: VR) -> bool {
    matches!(
        vr,
        VR::OB | VR::OD | VR::OF | VR::OL | VR::OV | VR::OW | VR::UN
    )
}

/// Parses one element header from the start of `b`. `Ok(None)` means `b` is too short to tell.
pub fn parse_header(b: &[u8], enc: Encoding) -> Result<Option<ElementHeader>, Message> {
    if b.len() < 8 {
        return Ok(None);
    }
    let tag = Tag(enc.u16(&b[0..2]), enc.u16(&b[2..4]));
    if tag.0 == 0xFFFE {
        // Items and delimiters are always 4-byte tag + 4-byte length, whatever the VR encoding.
        return Ok(Some(ElementHeader {
            tag,
            vr: None,
            length: enc.u32(&b[4..8]),
            header_len: 8,
            vr_explicit: false,
        }));
    }
    if !enc.explicit_vr {
        let vr = StandardDataDictionary
            .by_tag(tag)
            .map(|e| e.vr().relaxed())
            .unwrap_or(VR::UN);
        return Ok(Some(ElementHeader {
            tag,
            vr: Some(vr),
            length: enc.u32(&b[4..8]),
            header_len: 8,
            vr_explicit: false,
        }));
    }
    let vr_bytes = [b[4], b[5]];
    let vr = VR::from_binary(vr_bytes).ok_or_else(|| {
        msg!(
            "error.walk.invalid-vr",
            tag = fmt_tag(tag),
            vr = format!("{:?}", String::from_utf8_lossy(&vr_bytes)),
        )
    })?;
    if has_long_length(vr) {
        if b.len() < 12 {
            return Ok(None);
        }
        Ok(Some(ElementHeader {
            tag,
            vr: Some(vr),
            length: enc.u32(&b[8..12]),
            header_len: 12,
            vr_explicit: true,
        }))
    } else {
        Ok(Some(ElementHeader {
            tag,
            vr: Some(vr),
            length: u32::from(enc.u16(&b[6..8])),
            header_len: 8,
            vr_explicit: true,
        }))
    }
}

/// `(gggg,eeee)`, the way DICOM people write a tag.
pub fn fmt_tag(tag: Tag) -> String {
    format!("({:04X},{:04X})", tag.0, tag.1)
}

/// Guesses the encoding of a data set with no file meta group from its first bytes: the first
/// few elements must parse, with ascending tags in the groups a data set starts with.
pub fn guess_encoding(head: &[u8]) -> Option<Encoding> {
    [
        Encoding::EXPLICIT_LE,
        Encoding::IMPLICIT_LE,
        Encoding::EXPLICIT_BE,
    ]
    .into_iter()
    .find(|&enc| plausible_start(head, enc))
}

fn plausible_start(head: &[u8], enc: Encoding) -> bool {
    let mut at = 0usize;
    let mut last: Option<Tag> = None;
    let mut count = 0;
    while count < 8 {
        let Some(rest) = head.get(at..) else {
            return false;
        };
        let Ok(Some(h)) = parse_header(rest, enc) else {
            // Ran out of head: enough elements seen is still a yes.
            return count >= 3 && rest.len() < 12;
        };
        if count == 0 && !matches!(h.tag.0, 0x0000 | 0x0002 | 0x0004 | 0x0008) {
            return false;
        }
        if h.tag.0 == 0xFFFE || last.is_some_and(|l| h.tag <= l) {
            return false;
        }
        if !enc.explicit_vr && h.length == UNDEFINED {
            // An implicit-VR sequence: the start looked right so far.
            return count >= 2;
        }
        if h.length == UNDEFINED || h.length > 1 << 20 {
            return count >= 3 && h.length == UNDEFINED;
        }
        last = Some(h.tag);
        count += 1;
        at = at
            .saturating_add(h.header_len)
            .saturating_add(h.length as usize);
        if at >= head.len() {
            return count >= 3 || (count >= 1 && at == head.len());
        }
    }
    true
}

/// An explicit VR little endian element, for tests.
#[cfg(test)]
pub(super) fn le_element(tag: Tag, vr: &[u8; 2], value: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&tag.0.to_le_bytes());
    v.extend_from_slice(&tag.1.to_le_bytes());
    v.extend_from_slice(vr);
    if has_long_length(VR::from_binary(*vr).unwrap()) {
        v.extend_from_slice(&[0, 0]);
        v.extend_from_slice(&(value.len() as u32).to_le_bytes());
    } else {
        v.extend_from_slice(&(value.len() as u16).to_le_bytes());
    }
    v.extend_from_slice(value);
    v
}

#[cfg(test)]
mod tests {
    use dicom_dictionary_std::tags;

    use super::*;

    #[test]
    fn guesses_legacy_encodings() {
        let mut explicit = le_element(tags::SPECIFIC_CHARACTER_SET, b"CS", b"ISO_IR 100");
        explicit.extend(le_element(
            tags::SOP_CLASS_UID,
            b"UI",
            b"1.2.840.10008.5.1.4.1.1.2\0",
        ));
        explicit.extend(le_element(tags::SOP_INSTANCE_UID, b"UI", b"1.2.3.4\0"));
        explicit.extend(le_element(tags::MODALITY, b"CS", b"CT"));
        assert_eq!(guess_encoding(&explicit), Some(Encoding::EXPLICIT_LE));
        let mut implicit = Vec::new();
        for (tag, v) in [
            (tags::SPECIFIC_CHARACTER_SET, &b"ISO_IR 100"[..]),
            (tags::SOP_CLASS_UID, b"1.2.3\0"),
            (tags::SOP_INSTANCE_UID, b"1.2.4\0"),
            (tags::MODALITY, b"CT"),
        ] {
            implicit.extend_from_slice(&tag.0.to_le_bytes());
            implicit.extend_from_slice(&tag.1.to_le_bytes());
            implicit.extend_from_slice(&(v.len() as u32).to_le_bytes());
            implicit.extend_from_slice(v);
        }
        assert_eq!(guess_encoding(&implicit), Some(Encoding::IMPLICIT_LE));
        assert_eq!(
            guess_encoding(b"%PDF-1.4 hello world, this is not DICOM"),
            None
        );
    }
}
