//! A PDF font as far as text needs it: how its codes become Unicode, and how wide each code is
//! (to place the next run and to tell a word gap from adjacent letters).
//!
//! Decoding, in order (ISO 32000-1, 9.10.2): a `ToUnicode` map when the font has one (parsed by
//! `lopdf`); else, for a composite (Type0) font, the predefined CMap it names: the Unicode
//! CMaps (`Uni…-UCS2-*`, `-UTF16-*`, `-UTF8-*`, `-UTF32-*`) are Unicode already, and the
//! legacy ones are their national encodings, decoded with the `encoding` crate the DICOM
//! character sets already link (`GBK-EUC`, `GBpc-EUC`, `GBK2K` as GB18030; `B5pc`, `ETen-B5`,
//! `HKscs-B5` as Big5; `90ms-RKSJ`, `90pv-RKSJ` as Shift_JIS; `EUC-H/V` as EUC-JP; `KSC-EUC`,
//! `KSCms-UHC`, `KSCpc-EUC` as Windows-949). That is how non-embedded CID fonts such as
//! STSong-Light under `UniGB-UCS2-H` are read without the Adobe CMap files. A composite font
//! under `Identity-H` without `ToUnicode` has no text (its codes are glyph numbers): it is
//! reported. A simple font without `ToUnicode` goes through its `/Encoding` (standard,
//! WinAnsi, MacRoman, Differences with glyph names), as `lopdf` reads it.

use lopdf::{Dictionary, Document, Encoding, Object};

use encoding::all::{BIG5_2003, EUC_JP, GB18030, WINDOWS_31J, WINDOWS_949};
use encoding::DecoderTrap;

/// How codes become text.
pub(super) enum Decoder<'a> {
    /// `lopdf`'s reading: a ToUnicode map or a simple font's encoding.
    Lopdf(Encoding<'a>),
    Utf16,
    Utf8,
    Utf32,
    Gb18030,
    Big5,
    ShiftJis,
    EucJp,
    Uhc,
    /// Glyph numbers without a map: no text.
    Unmapped,
}

/// Code widths, in thousandths of the font size.
enum Widths {
    /// A simple font: `/FirstChar` and `/Widths`.
    Simple { first: i64, widths: Vec<f32> },
    /// A composite font: `/DW` and the `/W` ranges (by CID = code under Identity).
    Cid {
        default: f32,
        ranges: Vec<(u32, u32, f32)>,
    },
}

pub(super) struct Font<'a> {
    pub decoder: Decoder<'a>,
    /// Codes are two bytes (composite fonts under Identity or a UCS-2/UTF-16 CMap).
    two_byte: bool,
    /// Codes are CIDs, so `/W` applies.
    identity: bool,
    widths: Widths,
    /// `/BaseFont`, for the note about a font without a map.
    pub name: String,
}

/// Most `/W` ranges kept from one font (a full CJK font has a few thousand).
const MAX_WIDTH_RANGES: usize = 65_536;

/// The font's `ToUnicode` map as `lopdf` parses it, or `None`. `lopdf` reads a font's
/// `/Encoding` before its `ToUnicode`, so it is given a copy that sends it to the map.
fn to_unicode<'a>(doc: &Document, font: &Dictionary, max_stream: usize) -> Option<Encoding<'a>> {
    if !font.has(b"ToUnicode") {
        return None;
    }
    let mut view = font.clone();
    if is_type0(font) {
        view.set("Encoding", Object::Name(b"Identity-H".to_vec()));
    } else {
        view.remove(b"Encoding");
    }
    match view.get_font_encoding_with_limit(doc, max_stream) {
        // The map is owned: it outlives the copy.
        Ok(Encoding::UnicodeMapEncoding(map)) => Some(Encoding::UnicodeMapEncoding(map)),
        _ => None,
    }
}

fn is_type0(font: &Dictionary) -> bool {
    font.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0")
}

impl<'a> Font<'a> {
    /// `font` as in a page's or form's resources.
    pub(super) fn new(doc: &'a Document, font: &'a Dictionary, max_stream: usize) -> Font<'a> {
        let name = font
            .get_deref(b"BaseFont", doc)
            .and_then(Object::as_name)
            .map(|n| String::from_utf8_lossy(n).chars().take(64).collect())
            .unwrap_or_default();
        let cmap = font
            .get_deref(b"Encoding", doc)
            .and_then(Object::as_name)
            .unwrap_or_default();
        let type0 = is_type0(font);
        let predefined = type0.then(|| predefined(cmap));
        let decoder = match (to_unicode(doc, font, max_stream), predefined) {
            (Some(map), _) => Decoder::Lopdf(map),
            (None, Some(d)) => d,
            (None, None) => lopdf(font, doc, max_stream),
        };
        let two_byte = type0 && (cmap.starts_with(b"Identity") || is_ucs2(cmap));
        let identity = type0 && cmap.starts_with(b"Identity");
        let widths = if type0 {
            cid_widths(doc, font)
        } else {
            simple_widths(doc, font)
        };
        Font {
            decoder,
            two_byte,
            identity,
            widths,
            name,
        }
    }

    /// The text of a shown string.
    pub(super) fn decode(&self, bytes: &[u8]) -> String {
        match &self.decoder {
            Decoder::Lopdf(e) => e.bytes_to_string(bytes).unwrap_or_default(),
            Decoder::Utf16 => {
                let units = bytes
                    .chunks_exact(2)
                    .map(|p| u16::from_be_bytes([p[0], p.get(1).copied().unwrap_or(0)]));
                char::decode_utf16(units)
                    .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                    .collect()
            }
            Decoder::Utf8 => String::from_utf8_lossy(bytes).into_owned(),
            Decoder::Utf32 => bytes
                .chunks_exact(4)
                .map(|p| {
                    let v = p.iter().fold(0u32, |v, b| v << 8 | u32::from(*b));
                    char::from_u32(v).unwrap_or(char::REPLACEMENT_CHARACTER)
                })
                .collect(),
            Decoder::Gb18030 => legacy(GB18030, bytes),
            Decoder::Big5 => legacy(BIG5_2003, bytes),
            Decoder::ShiftJis => legacy(WINDOWS_31J, bytes),
            Decoder::EucJp => legacy(EUC_JP, bytes),
            Decoder::Uhc => legacy(WINDOWS_949, bytes),
            Decoder::Unmapped => String::new(),
        }
    }

    /// Each code's width (thousandths of the font size) and whether it is the single-byte
    /// space (word spacing applies to it). `text` is the decoded string, used when codes are
    /// of varying length.
    pub(super) fn widths(&self, bytes: &[u8], text: &str) -> Vec<(f32, bool)> {
        match &self.widths {
            Widths::Simple { first, widths } => bytes
                .iter()
                .map(|&b| {
                    let at = i64::from(b) - first;
                    let w = usize::try_from(at)
                        .ok()
                        .and_then(|i| widths.get(i))
                        .copied()
                        .unwrap_or(500.0);
                    (w, b == b' ')
                })
                .collect(),
            Widths::Cid { default, ranges } if self.two_byte => bytes
                .chunks(2)
                .map(|p| {
                    let code = p.iter().fold(0u32, |v, b| v << 8 | u32::from(*b));
                    let w = if self.identity {
                        lookup(ranges, code).unwrap_or(*default)
                    } else {
                        *default
                    };
                    (w, false)
                })
                .collect(),
            Widths::Cid { default, .. } => text
                .chars()
                .map(|c| (if c.is_ascii() { 500.0 } else { *default }, false))
                .collect(),
        }
    }
}

/// Through the concrete type (never `dyn Encoding`), so that no encoder is linked.
fn legacy<E: encoding::Encoding>(e: &E, bytes: &[u8]) -> String {
    e.decode(bytes, DecoderTrap::Replace).unwrap_or_default()
}

fn lopdf<'a>(font: &'a Dictionary, doc: &'a Document, max_stream: usize) -> Decoder<'a> {
    match font.get_font_encoding_with_limit(doc, max_stream) {
        Ok(e) => Decoder::Lopdf(e),
        Err(_) => Decoder::Unmapped,
    }
}

fn is_ucs2(cmap: &[u8]) -> bool {
    cmap.starts_with(b"Uni") && (contains(cmap, b"-UCS2-") || contains(cmap, b"-UTF16-"))
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The decoder of a predefined CMap by its name (Adobe technical notes #5078, #5079, #5093,
/// #5094), or [`Decoder::Unmapped`].
fn predefined(cmap: &[u8]) -> Decoder<'static> {
    let has = |n: &[u8]| contains(cmap, n);
    if is_ucs2(cmap) {
        Decoder::Utf16
    } else if cmap.starts_with(b"Uni") && has(b"-UTF8-") {
        Decoder::Utf8
    } else if cmap.starts_with(b"Uni") && has(b"-UTF32-") {
        Decoder::Utf32
    } else if cmap.starts_with(b"GB") {
        Decoder::Gb18030
    } else if has(b"B5") {
        Decoder::Big5
    } else if has(b"RKSJ") {
        Decoder::ShiftJis
    } else if cmap.starts_with(b"EUC-") {
        Decoder::EucJp
    } else if cmap.starts_with(b"KSC") {
        Decoder::Uhc
    } else {
        Decoder::Unmapped
    }
}

fn number(o: &Object) -> Option<f32> {
    o.as_float().ok().filter(|v| v.is_finite())
}

fn simple_widths(doc: &Document, font: &Dictionary) -> Widths {
    let first = font
        .get_deref(b"FirstChar", doc)
        .and_then(Object::as_i64)
        .unwrap_or(0);
    let widths = font
        .get_deref(b"Widths", doc)
        .and_then(Object::as_array)
        .map(|a| {
            a.iter()
                .take(256)
                .map(|w| number(w).unwrap_or(500.0))
                .collect()
        })
        .unwrap_or_default();
    Widths::Simple { first, widths }
}

fn cid_widths(doc: &Document, font: &Dictionary) -> Widths {
    let descendant = font
        .get_deref(b"DescendantFonts", doc)
        .and_then(Object::as_array)
        .ok()
        .and_then(|a| a.first())
        .and_then(|d| doc.dereference(d).ok())
        .and_then(|(_, d)| d.as_dict().ok());
    let Some(cid) = descendant else {
        return Widths::Cid {
            default: 1000.0,
            ranges: Vec::new(),
        };
    };
    let default = cid
        .get_deref(b"DW", doc)
        .ok()
        .and_then(number)
        .unwrap_or(1000.0);
    let mut ranges = Vec::new();
    if let Ok(w) = cid.get_deref(b"W", doc).and_then(Object::as_array) {
        let mut items = w.iter();
        // `c [w1 w2 …]` or `c_first c_last w`.
        while let Some(first) = items.next().and_then(|o| o.as_i64().ok()) {
            if ranges.len() >= MAX_WIDTH_RANGES {
                break;
            }
            let Ok(first) = u32::try_from(first) else {
                break;
            };
            let Some(next) = items.next() else { break };
            match doc.dereference(next).map(|(_, o)| o) {
                Ok(Object::Array(list)) => {
                    for (i, w) in list.iter().take(MAX_WIDTH_RANGES).enumerate() {
                        let c = first.saturating_add(i as u32);
                        ranges.push((c, c, number(w).unwrap_or(default)));
                    }
                }
                Ok(last) => {
                    let (Some(last), Some(w)) = (number(last), items.next().and_then(number))
                    else {
                        break;
                    };
                    ranges.push((first, last.max(0.0) as u32, w));
                }
                Err(_) => break,
            }
        }
    }
    ranges.sort_by_key(|r| r.0);
    Widths::Cid { default, ranges }
}

/// The width of `code` in sorted ranges.
fn lookup(ranges: &[(u32, u32, f32)], code: u32) -> Option<f32> {
    let i = ranges.partition_point(|r| r.0 <= code);
    let (first, last, w) = *ranges.get(i.checked_sub(1)?)?;
    (first..=last).contains(&code).then_some(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predefined_cmaps_by_name() {
        let f = |n: &str| std::mem::discriminant(&predefined(n.as_bytes()));
        let d = std::mem::discriminant;
        assert_eq!(f("UniGB-UCS2-H"), d(&Decoder::Utf16));
        assert_eq!(f("UniJIS-UTF16-V"), d(&Decoder::Utf16));
        assert_eq!(f("UniKS-UTF8-H"), d(&Decoder::Utf8));
        assert_eq!(f("GBK-EUC-H"), d(&Decoder::Gb18030));
        assert_eq!(f("ETen-B5-H"), d(&Decoder::Big5));
        assert_eq!(f("90ms-RKSJ-H"), d(&Decoder::ShiftJis));
        assert_eq!(f("EUC-V"), d(&Decoder::EucJp));
        assert_eq!(f("KSCms-UHC-H"), d(&Decoder::Uhc));
        assert_eq!(f("Identity-H"), d(&Decoder::Unmapped));
    }

    #[test]
    fn width_ranges() {
        let r = [(1, 1, 250.0), (3, 9, 600.0)];
        assert_eq!(lookup(&r, 1), Some(250.0));
        assert_eq!(lookup(&r, 2), None);
        assert_eq!(lookup(&r, 9), Some(600.0));
        assert_eq!(lookup(&r, 0), None);
        assert_eq!(lookup(&r, 10), None);
    }
}
