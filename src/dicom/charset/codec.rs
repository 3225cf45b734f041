//! The byte decoders of the `encoding` crate that every reading goes through: the EUC forms of
//! the two-byte sets, GB18030 and the upper halves of the single-byte sets.

use encoding::all::{
    EUC_JP, GB18030, ISO_8859_15, ISO_8859_2, ISO_8859_3, ISO_8859_4, ISO_8859_5, ISO_8859_6,
    ISO_8859_7, ISO_8859_8, WINDOWS_1254, WINDOWS_874, WINDOWS_949,
};
use encoding::{DecoderTrap, Encoding};

/// A decoder of the `encoding` crate. That crate, not `encoding_rs`, because dicom-encoding
/// already links it with these very tables: one copy of the CJK tables in the page's wasm instead
/// of two. Called through concrete types (never `dyn Encoding`), so no encoder is linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Codec {
    /// EUC-JP with JIS X 0212 (the 0x8F prefix).
    EucJp,
    /// EUC-KR as browsers read it (windows-949, a superset).
    EucKr,
    /// GB18030, which also reads GBK and GB 2312.
    Gb18030,
    /// The upper half of a single-byte set, by ISO-IR number (see [`sb_codec`]).
    Sb(u16),
}

impl Codec {
    /// The text of `raw`, and whether any byte could not be decoded (replaced by U+FFFD).
    pub(super) fn decode(self, raw: &[u8]) -> (String, bool) {
        match self {
            Codec::EucJp => lossy(EUC_JP, raw),
            Codec::EucKr => lossy(WINDOWS_949, raw),
            Codec::Gb18030 => lossy(GB18030, raw),
            Codec::Sb(101) => lossy(ISO_8859_2, raw),
            Codec::Sb(109) => lossy(ISO_8859_3, raw),
            Codec::Sb(110) => lossy(ISO_8859_4, raw),
            Codec::Sb(144) => lossy(ISO_8859_5, raw),
            Codec::Sb(127) => lossy(ISO_8859_6, raw),
            Codec::Sb(126) => lossy(ISO_8859_7, raw),
            Codec::Sb(138) => lossy(ISO_8859_8, raw),
            Codec::Sb(148) => lossy(WINDOWS_1254, raw),
            Codec::Sb(203) => lossy(ISO_8859_15, raw),
            Codec::Sb(166) => lossy(WINDOWS_874, raw),
            // `sb_codec` makes no other; true ISO 8859-1 is byte value = code point.
            Codec::Sb(_) => (raw.iter().map(|&b| char::from(b)).collect(), false),
        }
    }
}

/// Strict first (the common, clean case decodes once), else again with replacements.
fn lossy<E: Encoding + ?Sized>(enc: &E, raw: &[u8]) -> (String, bool) {
    match enc.decode(raw, DecoderTrap::Strict) {
        Ok(text) => (text, false),
        Err(_) => (
            enc.decode(raw, DecoderTrap::Replace).unwrap_or_default(),
            true,
        ),
    }
}

/// `raw` read as GB18030, or `None` when it is not GB18030 (zip member names, text sniffing).
pub fn gb18030_strict(raw: &[u8]) -> Option<String> {
    GB18030.decode(raw, DecoderTrap::Strict).ok()
}

/// The decoder of a single-byte set's upper half; `None` for ISO_IR 100,
/// which is decoded as true ISO 8859-1 (byte value = code point).
pub(super) fn sb_codec(ir: u16) -> Option<Codec> {
    matches!(
        ir,
        101 | 109 | 110 | 144 | 127 | 126 | 138 | 148 | 203 | 166
    )
    .then_some(Codec::Sb(ir))
}

/// Whole value in a single-byte set; the flag tells whether bytes were unmapped.
pub(super) fn decode_sb(ir: u16, raw: &[u8]) -> (String, bool) {
    Codec::Sb(ir).decode(raw)
}

pub(super) fn decode_gb(raw: &[u8]) -> (String, bool) {
    Codec::Gb18030.decode(raw)
}
