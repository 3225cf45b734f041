//! The bounded element walker: reads a DICOM data set element by element from a forward-only
//! source, checks every length against the bytes that really exist, and hands back a compact copy
//! of the header (everything before Pixel Data) that is safe to give to dicom-object.
//!
//! Hand-written rather than dicom-object's reader, because dicom-object allocates from length
//! fields without checking them (a 300-byte file claiming a 4 GiB string zero-fills 4 GiB, or
//! traps the wasm instance), and a prefix cut at an element boundary parses as `Ok` with fields
//! silently missing. The walker is the independent check for both: it knows where the header
//! really ends (Pixel Data reached, or the end of the file at an element boundary), and it refuses
//! any length that runs past the end of its container or of the file, before a byte is allocated
//! for it.
//!
//! It never reads pixel data: it stops on the top-level Pixel Data element header. Large binary
//! values at the top level (an encapsulated PDF's document, overlay or waveform data) are skipped
//! and kept in the copy with length zero, so memory stays bounded by [`Limits::header_cap`].
//! One top-level value may be asked for apart ([`Capture`]: the PDF inside an Encapsulated PDF
//! object, for the document reader), when its length is within the caller's bound.
//!
//! The walker must not use dicom-object to read values: it is the guard in front of it. It uses
//! only the standard data dictionary, to know which implicit-VR elements are sequences.

mod copy;
mod header;
mod source;

use std::io::{self, Read};

use dicom_core::{Tag, VR};
use dicom_dictionary_std::tags;

use crate::limits::Limits;
use crate::text::{msg, Message};
use copy::{copy_header, disguise, emit_header, ensure_room, value_size};
use header::{is_bulk_vr, UNDEFINED};

pub use header::{fmt_tag, guess_encoding, has_long_length, parse_header, ElementHeader, Encoding};
pub use source::Source;

// Item and delimiter tags: not in dicom-dictionary-std's `tags`.
const ITEM: Tag = Tag(0xFFFE, 0xE000);
const ITEM_END: Tag = Tag(0xFFFE, 0xE00D);
const SEQUENCE_END: Tag = Tag(0xFFFE, 0xE0DD);
/// Top-level binary values larger than this are skipped rather than copied.
const BULK_THRESHOLD: u32 = 1024;

/// Where and how big the Pixel Data is, read from its element header only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PixelData {
    /// File offset of the first byte of the value.
    pub offset: u64,
    /// `None` for encapsulated (undefined-length) pixel data.
    pub length: Option<u32>,
    /// Set when the file ends before the value does.
    pub missing_bytes: u64,
}

/// A top-level element of the compact copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopElement {
    pub tag: Tag,
    pub vr: VR,
    /// Range of the value in [`Walked::bytes`]; empty for skipped bulk values.
    pub value: std::ops::Range<usize>,
}

/// The outcome of walking a data set.
#[derive(Debug, Clone, Default)]
pub struct Walked {
    /// The data set up to (not including) Pixel Data, in the original encoding, with large
    /// top-level binary values emptied.
    pub bytes: Vec<u8>,
    pub top_level: Vec<TopElement>,
    pub pixel_data: Option<PixelData>,
    /// Top-level binary values skipped (tag, length).
    pub skipped: Vec<(Tag, u32)>,
    /// The value of the [`Capture`] element, when it was there: `Err` with its length when that
    /// was over the bound (the value was skipped).
    pub captured: Option<Result<Vec<u8>, u32>>,
}

/// A top-level element whose value the walk keeps apart from the copy, when its length (checked
/// before a byte is read) is at most `max`; a longer one is skipped like any bulk value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capture {
    pub tag: Tag,
    pub max: u64,
}

impl Walked {
    /// Raw value bytes of a top-level element.
    pub fn raw(&self, tag: Tag) -> Option<&[u8]> {
        self.top_level
            .iter()
            .find(|e| e.tag == tag)
            .and_then(|e| self.bytes.get(e.value.clone()))
    }
}

/// Why a walk stopped early.
#[derive(Debug)]
pub enum WalkError {
    /// The bytes are not a valid data set: the message says where and why.
    Malformed(Message),
    /// The file ends before the header does.
    Truncated(Message),
    /// A limit was reached (header larger than the cap, nesting too deep).
    Limit(Message),
    /// The reader failed.
    Io(io::Error),
}

impl From<io::Error> for WalkError {
    fn from(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            WalkError::Truncated(msg!("error.walk.header-eof"))
        } else {
            WalkError::Io(e)
        }
    }
}

#[derive(Debug)]
struct Frame {
    /// Sequence (expects items) or item (expects elements).
    is_sequence: bool,
    /// Absolute end position for defined-length containers.
    end: Option<u64>,
    encoding: Encoding,
    tag: Tag,
}

/// Stop condition for [`walk`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// A data set: stop at top-level Pixel Data (or the end of the file).
    PixelData,
    /// The file meta group: stop at the first top-level element whose group is not 0002.
    EndOfGroup2,
}

/// Walks a data set from the source's current position. `cap` bounds the bytes kept.
pub fn walk<R: Read>(
    src: &mut Source<R>,
    encoding: Encoding,
    until: Until,
    limits: &Limits,
    cap: u64,
    keep: &dyn Fn(Tag) -> bool,
    capture: Option<Capture>,
) -> Result<Walked, WalkError> {
    let mut out = Walked::default();
    let mut stack: Vec<Frame> = Vec::new();
    // Whether the current top-level element (and everything nested in it) goes into the copy.
    let mut copying = true;
    loop {
        // Close defined-length containers that end here.
        while let Some(frame) = stack.last() {
            match frame.end {
                Some(end) if src.pos() == end => {
                    stack.pop();
                }
                Some(end) if src.pos() > end => {
                    return Err(WalkError::Malformed(msg!(
                        "error.walk.past-end",
                        tag = fmt_tag(frame.tag),
                        offset = end,
                    )));
                }
                _ => break,
            }
        }
        let enc = stack.last().map_or(encoding, |f| f.encoding);
        let peeked = src.peek(12)?;
        if stack.is_empty() && until == Until::EndOfGroup2 && peeked.len() >= 2 {
            // Checked on the raw bytes: the data set that follows may not be explicit VR LE.
            if u16::from_le_bytes([peeked[0], peeked[1]]) != 0x0002 {
                return Ok(out);
            }
        }
        if peeked.is_empty() {
            if let Some(frame) = stack.last() {
                return Err(WalkError::Truncated(msg!(
                    "error.walk.eof-in-sequence",
                    tag = fmt_tag(frame.tag),
                )));
            }
            return Ok(out);
        }
        let header = match parse_header(peeked, enc).map_err(WalkError::Malformed)? {
            Some(h) => h,
            None => {
                if stack.is_empty() && peeked.iter().all(|&b| b == 0) {
                    // Some writers pad the end of a file with a few zero bytes.
                    let n = peeked.len() as u64;
                    src.skip(n)?;
                    continue;
                }
                return Err(WalkError::Truncated(msg!(
                    "error.walk.eof-in-element",
                    offset = src.pos(),
                )));
            }
        };
        let depth = stack.len();
        if depth == 0 {
            let stop = match until {
                Until::PixelData => {
                    matches!(header.tag, Tag(0x7FE0, 0x0008..=0x0010))
                        || header.tag == tags::DATA_SET_TRAILING_PADDING
                }
                Until::EndOfGroup2 => false,
            };
            if stop {
                if until == Until::PixelData && header.tag.0 == 0x7FE0 {
                    let offset = src.pos() + header.header_len as u64;
                    let length = (header.length != UNDEFINED).then_some(header.length);
                    let available = src.size().saturating_sub(offset);
                    let missing_bytes =
                        length.map_or(0, |l| u64::from(l).saturating_sub(available));
                    src.skip(header.header_len as u64)?;
                    out.pixel_data = Some(PixelData {
                        offset,
                        length,
                        missing_bytes,
                    });
                }
                return Ok(out);
            }
        }
        let in_sequence = stack.last().is_some_and(|f| f.is_sequence);
        let element_start = src.pos();
        let value_start = element_start + header.header_len as u64;
        // Where the enclosing containers end, so no length can run past them or the file.
        let limit_end = stack
            .iter()
            .filter_map(|f| f.end)
            .min()
            .unwrap_or(src.size())
            .min(src.size());
        let defined = header.length != UNDEFINED;
        if defined && value_start + u64::from(header.length) > limit_end {
            let room = limit_end.saturating_sub(value_start);
            let container = if limit_end < src.size() {
                msg!("part.walk.item")
            } else {
                msg!("part.walk.file")
            };
            let message = msg!(
                "error.walk.too-long",
                tag = fmt_tag(header.tag),
                length = header.length,
                left = room,
                container = container,
            );
            return Err(
                if limit_end < src.size() || header.length as u64 > src.size() {
                    WalkError::Malformed(message)
                } else {
                    WalkError::Truncated(message)
                },
            );
        }
        match header.tag {
            SEQUENCE_END => {
                match stack.last() {
                    Some(f) if f.is_sequence && f.end.is_none() => {
                        stack.pop();
                    }
                    _ => {
                        return Err(WalkError::Malformed(msg!(
                            "error.walk.stray-sequence-end",
                            offset = element_start,
                        )))
                    }
                }
                emit_header(src, &header, enc, &mut out, cap, copying)?;
                continue;
            }
            ITEM_END => {
                match stack.last() {
                    Some(f) if !f.is_sequence && f.end.is_none() => {
                        stack.pop();
                    }
                    _ => {
                        return Err(WalkError::Malformed(msg!(
                            "error.walk.stray-item-end",
                            offset = element_start,
                        )))
                    }
                }
                emit_header(src, &header, enc, &mut out, cap, copying)?;
                continue;
            }
            ITEM => {
                if !in_sequence {
                    return Err(WalkError::Malformed(msg!(
                        "error.walk.item-outside",
                        offset = element_start,
                    )));
                }
                push_frame(
                    &mut stack,
                    limits,
                    Frame {
                        is_sequence: false,
                        end: defined.then(|| value_start + u64::from(header.length)),
                        encoding: enc,
                        tag: header.tag,
                    },
                )?;
                emit_header(src, &header, enc, &mut out, cap, copying)?;
                continue;
            }
            _ if in_sequence => {
                return Err(WalkError::Malformed(msg!(
                    "error.walk.outside-item",
                    tag = fmt_tag(header.tag),
                    offset = element_start,
                )));
            }
            _ => {}
        }
        if depth == 0 {
            copying = keep(header.tag);
        }
        let vr = header.vr.unwrap_or(VR::UN);
        // An implicit-VR element of undefined length, or explicit UN of undefined length, is a
        // sequence encoded in implicit VR little endian (PS3.5 6.2.2).
        let is_sequence = vr == VR::SQ || (!defined && vr == VR::UN);
        if is_sequence {
            let seq_encoding = if vr == VR::UN && header.vr_explicit {
                Encoding::IMPLICIT_LE
            } else {
                enc
            };
            push_frame(
                &mut stack,
                limits,
                Frame {
                    is_sequence: true,
                    end: defined.then(|| value_start + u64::from(header.length)),
                    encoding: seq_encoding,
                    tag: header.tag,
                },
            )?;
            if depth == 0 && copying {
                out.top_level.push(TopElement {
                    tag: header.tag,
                    vr,
                    value: 0..0,
                });
            }
            emit_header(src, &header, enc, &mut out, cap, copying)?;
            continue;
        }
        if !defined {
            return Err(WalkError::Malformed(msg!(
                "error.walk.undefined-length",
                tag = fmt_tag(header.tag),
                vr = vr.to_string(),
            )));
        }
        let captured = capture.filter(|c| depth == 0 && c.tag == header.tag);
        if let (Some(c), None) = (captured, &out.captured) {
            src.skip(header.header_len as u64)?;
            if u64::from(header.length) > c.max {
                src.skip(u64::from(header.length))?;
                out.captured = Some(Err(header.length));
            } else {
                // The length is within the bound and, checked above, within the file.
                let mut value = Vec::new();
                src.take_into(header.length as usize, &mut value)?;
                out.captured = Some(Ok(value));
            }
            continue;
        }
        if !copying {
            src.skip(header.header_len as u64 + u64::from(header.length))?;
            continue;
        }
        let skip_value = depth == 0 && header.length > BULK_THRESHOLD && is_bulk_vr(vr)
            || depth == 0 && header.length > limits.max_text_value;
        if skip_value {
            out.skipped.push((header.tag, header.length));
            let mut emptied = header;
            emptied.length = 0;
            copy_header(src, &emptied, enc, &mut out, cap)?;
            src.skip(u64::from(header.length))?;
            out.top_level.push(TopElement {
                tag: header.tag,
                vr,
                value: out.bytes.len()..out.bytes.len(),
            });
            continue;
        }
        let header_at = out.bytes.len();
        copy_header(src, &header, enc, &mut out, cap)?;
        let misaligned = value_size(vr).is_some_and(|size| header.length % size != 0);
        if misaligned {
            // dicom-parser reads `length / size` values and leaves the rest unread, which
            // shifts every later element and ends in an allocation from garbage. The copy keeps
            // the bytes under a representation it reads whole, and the value is not used.
            disguise(&mut out.bytes[header_at..], &header, enc);
        }
        ensure_room(&out, header.length as u64, cap)?;
        let start = out.bytes.len();
        src.take_into(header.length as usize, &mut out.bytes)?;
        if depth == 0 && !misaligned {
            out.top_level.push(TopElement {
                tag: header.tag,
                vr,
                value: start..out.bytes.len(),
            });
        }
    }
}

fn push_frame(stack: &mut Vec<Frame>, limits: &Limits, frame: Frame) -> Result<(), WalkError> {
    if stack.len() >= limits.max_nesting {
        return Err(WalkError::Limit(msg!(
            "error.walk.too-deep",
            depth = limits.max_nesting / 2,
        )));
    }
    stack.push(frame);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::header::le_element;
    use super::*;

    fn walk_bytes(bytes: &[u8], enc: Encoding) -> Result<Walked, WalkError> {
        let mut src = Source::new(Vec::new(), bytes, bytes.len() as u64, 16);
        walk(
            &mut src,
            enc,
            Until::PixelData,
            &Limits::default(),
            1 << 20,
            &|_| true,
            None,
        )
    }

    #[test]
    fn stops_at_pixel_data_and_reports_its_size() {
        let mut d = le_element(tags::MODALITY, b"CS", b"CT");
        d.extend(le_element(tags::PATIENT_NAME, b"PN", b"Doe^John"));
        let pd_at = d.len();
        d.extend(le_element(tags::PIXEL_DATA, b"OW", &[0u8; 64]));
        let w = walk_bytes(&d, Encoding::EXPLICIT_LE).unwrap();
        assert_eq!(w.bytes, d[..pd_at]);
        assert_eq!(w.raw(tags::PATIENT_NAME), Some(&b"Doe^John"[..]));
        let pd = w.pixel_data.unwrap();
        assert_eq!(pd.offset, pd_at as u64 + 12);
        assert_eq!(pd.length, Some(64));
        assert_eq!(pd.missing_bytes, 0);
    }

    #[test]
    fn short_pixel_data_is_measured_not_read() {
        let mut d = le_element(tags::MODALITY, b"CS", b"CT");
        d.extend(le_element(tags::PIXEL_DATA, b"OW", &[0u8; 64]));
        d.truncate(d.len() - 40);
        let w = walk_bytes(&d, Encoding::EXPLICIT_LE).unwrap();
        assert_eq!(w.pixel_data.unwrap().missing_bytes, 40);
    }

    #[test]
    fn huge_length_is_refused_before_allocation() {
        // Implicit VR: (0008,0060) "CT", then (0010,0010) claiming 0xFFFFFFF0 bytes.
        let mut d = vec![0x08, 0x00, 0x60, 0x00, 2, 0, 0, 0, b'C', b'T'];
        d.extend_from_slice(&[0x10, 0x00, 0x10, 0x00, 0xF0, 0xFF, 0xFF, 0xFF, b'A', b'B']);
        match walk_bytes(&d, Encoding::IMPLICIT_LE) {
            Err(WalkError::Malformed(m)) => assert!(
                m.to_string()
                    .contains("(0010,0010) says it holds 4294967280 bytes"),
                "{m}"
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn sequences_nest_and_close() {
        let item_body = le_element(tags::REFERENCED_SOP_CLASS_UID, b"UI", b"1.2.3\0");
        let mut seq = Vec::new();
        seq.extend_from_slice(&[0xFE, 0xFF, 0x00, 0xE0]);
        seq.extend_from_slice(&(item_body.len() as u32).to_le_bytes());
        seq.extend_from_slice(&item_body);
        let mut d = le_element(tags::REFERENCED_IMAGE_SEQUENCE, b"SQ", &seq);
        d.extend(le_element(tags::INSTANCE_NUMBER, b"IS", b"7 "));
        let w = walk_bytes(&d, Encoding::EXPLICIT_LE).unwrap();
        assert_eq!(w.bytes, d);
        assert_eq!(w.raw(tags::INSTANCE_NUMBER), Some(&b"7 "[..]));
        assert!(w.pixel_data.is_none());
    }

    #[test]
    fn element_overrunning_its_item_is_malformed() {
        let item_body = le_element(tags::REFERENCED_SOP_CLASS_UID, b"UI", b"1.2.3\0");
        let mut seq = Vec::new();
        seq.extend_from_slice(&[0xFE, 0xFF, 0x00, 0xE0]);
        seq.extend_from_slice(&(4u32).to_le_bytes()); // item claims 4 bytes, holds 14
        seq.extend_from_slice(&item_body);
        let d = le_element(tags::REFERENCED_IMAGE_SEQUENCE, b"SQ", &seq);
        assert!(matches!(
            walk_bytes(&d, Encoding::EXPLICIT_LE),
            Err(WalkError::Malformed(_))
        ));
    }

    #[test]
    fn bulk_top_level_values_are_skipped() {
        let mut d = le_element(tags::MODALITY, b"CS", b"OT");
        d.extend(le_element(
            tags::ENCAPSULATED_DOCUMENT,
            b"OB",
            &vec![7u8; 5000],
        ));
        let w = walk_bytes(&d, Encoding::EXPLICIT_LE).unwrap();
        assert_eq!(w.skipped, vec![(tags::ENCAPSULATED_DOCUMENT, 5000)]);
        assert!(w.bytes.len() < 100);
    }

    #[test]
    fn a_captured_value_is_kept_apart_within_its_bound() {
        let pdf = b"%PDF-1.4 a document".repeat(100);
        let mut d = le_element(tags::MODALITY, b"CS", b"OT");
        d.extend(le_element(tags::ENCAPSULATED_DOCUMENT, b"OB", &pdf));
        let walk_with = |max: u64| {
            let mut src = Source::new(Vec::new(), &d[..], d.len() as u64, 16);
            let capture = Capture {
                tag: tags::ENCAPSULATED_DOCUMENT,
                max,
            };
            let keep = |_| true;
            walk(
                &mut src,
                Encoding::EXPLICIT_LE,
                Until::PixelData,
                &Limits::default(),
                1 << 20,
                &keep,
                Some(capture),
            )
            .unwrap()
        };
        let w = walk_with(pdf.len() as u64);
        assert_eq!(w.captured, Some(Ok(pdf.clone())));
        assert_eq!(w.raw(tags::MODALITY), Some(&b"OT"[..]));
        let w = walk_with(pdf.len() as u64 - 1);
        assert_eq!(w.captured, Some(Err(pdf.len() as u32)));
        assert_eq!(w.raw(tags::MODALITY), Some(&b"OT"[..]));
    }

    #[test]
    fn every_truncation_is_an_error_or_a_shorter_header_never_a_panic() {
        let mut d = le_element(tags::MODALITY, b"CS", b"CT");
        d.extend(le_element(tags::PATIENT_NAME, b"PN", b"Doe^John"));
        d.extend(le_element(tags::PIXEL_DATA, b"OW", &[0u8; 16]));
        for cut in 0..d.len() {
            let _ = walk_bytes(&d[..cut], Encoding::EXPLICIT_LE);
        }
    }

    #[test]
    fn misaligned_binary_values_are_copied_as_plain_bytes() {
        // (0020,0011) FL with 2 bytes and (0008,0016) SL with 30: dicom-parser would read
        // fewer bytes than the length says and lose its place.
        let mut d = le_element(tags::SOP_CLASS_UID, b"SL", &[b'1'; 30]);
        d.extend(le_element(tags::SERIES_NUMBER, b"FL", b"1 "));
        d.extend(le_element(tags::INSTANCE_NUMBER, b"IS", b"7 "));
        let w = walk_bytes(&d, Encoding::EXPLICIT_LE).unwrap();
        assert_eq!(&w.bytes[4..6], b"LT");
        assert_eq!(&w.bytes[38 + 4..38 + 6], b"LT");
        assert_eq!(w.raw(tags::SOP_CLASS_UID), None);
        assert_eq!(w.raw(tags::INSTANCE_NUMBER), Some(&b"7 "[..]));
    }
}
