//! Decoders for a declared character set without code extensions: the single-byte sets
//! (ISO 8859 parts, TIS 620, JIS X 0201) and the multi-byte ones (UTF-8, GB18030, GBK), each with
//! its repairs.

use super::codec::{decode_gb, decode_sb};
use super::guess::{gb_plausible, lossy_note, utf8_non_ascii, utf8_note};
use super::{plain, repaired, Decoded, Rep, REPLACEMENT};
use crate::text::msg;

fn sb_label(ir: u16) -> &'static str {
    match ir {
        100 => "ISO_IR 100 (Latin-1)",
        101 => "ISO_IR 101 (Latin-2)",
        109 => "ISO_IR 109 (Latin-3)",
        110 => "ISO_IR 110 (Latin-4)",
        144 => "ISO_IR 144 (Cyrillic)",
        127 => "ISO_IR 127 (Arabic)",
        126 => "ISO_IR 126 (Greek)",
        138 => "ISO_IR 138 (Hebrew)",
        148 => "ISO_IR 148 (Latin-5)",
        203 => "ISO_IR 203 (Latin-9)",
        166 => "ISO_IR 166 (Thai)",
        _ => "a single-byte character set",
    }
}

fn sb_term(ir: u16) -> String {
    format!("ISO_IR {ir}")
}

fn decode_jis0201(raw: &[u8]) -> (String, bool) {
    let mut bad = false;
    let text = raw
        .iter()
        .map(|&b| match b {
            0x00..=0x7F => char::from(b),
            0xA1..=0xDF => char::from_u32(0xFF61 + u32::from(b - 0xA1)).unwrap_or(REPLACEMENT),
            _ => {
                bad = true;
                REPLACEMENT
            }
        })
        .collect();
    (text, bad)
}

/// Declared single-byte set (no code extensions).
pub(super) fn decode_single(raw: &[u8], ir: u16) -> Decoded {
    let label = sb_label(ir);
    let (declared, bad) = decode_sb(ir, raw);
    let latin = matches!(ir, 100 | 101 | 109 | 110 | 148 | 203);
    if ir != 166 || bad {
        if let Some(s) = utf8_non_ascii(raw) {
            return repaired(s.to_owned(), utf8_note(label), "ISO_IR 192", declared);
        }
    }
    if latin {
        if let Some(s) = gb_plausible(raw) {
            let note = msg!("part.charset.gb", charset = label);
            return repaired(s, note, "GB18030", declared);
        }
    }
    if bad {
        return repaired(declared.clone(), lossy_note(label), &sb_term(ir), declared);
    }
    plain(declared)
}

pub(super) fn decode_ir13(raw: &[u8]) -> Decoded {
    let label = "ISO_IR 13 (Japanese katakana)";
    let (declared, bad) = decode_jis0201(raw);
    if !bad {
        return plain(declared);
    }
    if let Some(s) = utf8_non_ascii(raw) {
        return repaired(s.to_owned(), utf8_note(label), "ISO_IR 192", declared);
    }
    repaired(declared.clone(), lossy_note(label), "ISO_IR 13", declared)
}

pub(super) fn decode_utf8(raw: &[u8]) -> Decoded {
    if let Ok(s) = std::str::from_utf8(raw) {
        return plain(s.to_owned());
    }
    let declared = String::from_utf8_lossy(raw).into_owned();
    if let Some(s) = gb_plausible(raw) {
        let note = msg!("part.charset.gb", charset = "ISO_IR 192 (UTF-8)");
        return repaired(s, note, "GB18030", declared);
    }
    let note = msg!("part.charset.bad-utf8");
    repaired(declared.clone(), note, "ISO_IR 192", declared)
}

pub(super) fn decode_gb_declared(raw: &[u8], rep: Rep) -> Decoded {
    let (term, label) = if rep == Rep::Gbk {
        ("GBK", "GBK (Chinese)")
    } else {
        ("GB18030", "GB18030 (Chinese)")
    };
    let (declared, bad) = decode_gb(raw);
    if let Some(s) = utf8_non_ascii(raw) {
        if bad || gb_plausible(raw).is_none() {
            return repaired(s.to_owned(), utf8_note(label), "ISO_IR 192", declared);
        }
    }
    if bad {
        return repaired(declared.clone(), lossy_note(label), term, declared);
    }
    plain(declared)
}

#[cfg(test)]
mod tests {
    use super::super::testdata::*;

    #[test]
    fn single_byte_sets() {
        assert_eq!(text(b"M\xfcller", &["ISO_IR 100"], true), "Müller");
        assert_eq!(text(b"\xa3ukasz", &["ISO_IR 101"], true), "Łukasz");
        assert_eq!(
            text(b"\xb8\xd2\xd0\xdd\xde\xd2", &["ISO_IR 144"], true),
            "Иванов"
        );
        assert_eq!(
            text(
                b"\xd0\xe1\xf0\xe1\xe4\xfc\xf0\xef\xf5\xeb\xef\xf2",
                &["ISO_IR 126"],
                true
            ),
            "Παπαδόπουλος"
        );
        assert_eq!(text(b"\xeb\xe4\xef", &["ISO_IR 138"], true), "כהן");
        assert_eq!(text(b"\xe5\xcd\xe5\xcf", &["ISO_IR 127"], true), "محمد");
        assert_eq!(text(b"\xdeahin", &["ISO_IR 148"], true), "Şahin");
        assert_eq!(text(b"\xa4", &["ISO_IR 203"], false), "€");
        assert_eq!(text(b"\xa4", &["ISO_IR 100"], false), "¤");
        assert_eq!(
            text(b"\xca\xc1\xaa\xd2\xc2", &["ISO_IR 166"], true),
            "สมชาย"
        );
        assert_eq!(
            text(b"\xd4\xcf\xc0\xde^\xc0\xdb\xb3", &["ISO_IR 13"], true),
            "ﾔﾏﾀﾞ^ﾀﾛｳ"
        );
        assert_eq!(text(b"Doe^John", &["ISO_IR 6"], true), "Doe^John");
        assert_eq!(text(b"Doe^John", &[], true), "Doe^John");
    }

    #[test]
    fn utf8_declared() {
        assert_eq!(
            text(CT_UTF8, &["ISO_IR 192"], true),
            "Wang^XiaoDong=王^小东="
        );
        assert_eq!(
            text("Müller^Jörg".as_bytes(), &["ISO_IR 192"], true),
            "Müller^Jörg"
        );
    }

    #[test]
    fn utf8_declared_but_invalid() {
        let (t, r) = repaired_as(CHRX2, &["ISO_IR 192"], true);
        assert_eq!(t, "Wang^XiaoDong=王^小东=");
        assert_eq!(r.used, "GB18030");
        assert!(r.declared_reading.contains('\u{FFFD}'));
        let (t, r) = repaired_as(b"M\xfcller", &["ISO_IR 192"], true);
        assert_eq!(t, "M\u{FFFD}ller");
        assert_eq!(r.used, "ISO_IR 192");
        assert!(r.note.to_string().contains("not valid UTF-8"), "{}", r.note);
    }

    #[test]
    fn gb18030_declared() {
        assert_eq!(text(CHRX2, &["GB18030"], true), "Wang^XiaoDong=王^小东=");
        assert_eq!(
            text(b"\xcd\xf5^\xd0\xa1\xb6\xab", &["GBK"], true),
            "王^小东"
        );
        // Two-byte pinyin letter and a four-byte Extension B ideograph.
        assert_eq!(
            text(b"\xa8\xa6\x95\x32\x82\x36", &["GB18030"], false),
            "é\u{20000}"
        );
        // Single ideograph stays GB18030 (no guessing when declared).
        assert_eq!(text(b"\xcd\xf5", &["GB18030"], true), "王");
    }

    #[test]
    fn gb18030_declared_but_broken() {
        let (t, r) = repaired_as(b"\xcd\xf5\xcd", &["GB18030"], true);
        assert_eq!(t, "王\u{FFFD}");
        assert_eq!(r.used, "GB18030");
        let (t, r) = repaired_as("Müller".as_bytes(), &["GB18030"], true);
        assert_eq!(t, "Müller");
        assert_eq!(r.used, "ISO_IR 192");
    }

    #[test]
    fn latin1_declared_with_gb_bytes() {
        let (t, r) = repaired_as(MR_NO_CHARSET, &["ISO_IR 100"], true);
        assert_eq!(t, "王小东");
        assert_eq!(r.used, "GB18030");
        assert_eq!(r.declared_reading, "ÍõÐ¡¶«");
        assert_eq!(
            r.note.to_string(),
            "declared ISO_IR 100 (Latin-1) but the bytes are GB18030 Chinese; read as Chinese"
        );
        assert_eq!(
            repaired_as(CHRX2, &["ISO_IR 100"], true).0,
            "Wang^XiaoDong=王^小东="
        );
        // Single ideograph: not enough evidence, Latin-1 kept.
        assert_eq!(text(b"\xcd\xf5", &["ISO_IR 100"], true), "Íõ");
    }

    #[test]
    fn latin1_declared_with_utf8_bytes() {
        let (t, r) = repaired_as("Müller".as_bytes(), &["ISO_IR 100"], true);
        assert_eq!(t, "Müller");
        assert_eq!(r.used, "ISO_IR 192");
        assert_eq!(r.declared_reading, "MÃ¼ller");
        let (t, _) = repaired_as("Иванов".as_bytes(), &["ISO_IR 144"], true);
        assert_eq!(t, "Иванов");
    }

    #[test]
    fn real_latin_names_untouched() {
        for (raw, want) in [
            (&b"M\xfcller^J\xfcrgen"[..], "Müller^Jürgen"),
            (b"J\xfcrgen M\xfcller", "Jürgen Müller"),
            (b"N\xda\xd1EZ^Jos\xe9", "NÚÑEZ^José"),
            (b"G\xf6\xdfmann", "Gößmann"),
            (b"Fran\xe7ois", "François"),
            (b"\xc5str\xf6m", "Åström"),
        ] {
            assert_eq!(text(raw, &["ISO_IR 100"], true), want);
        }
        // Greek is never read as Chinese although its bytes are valid GBK.
        assert_eq!(
            text(
                b"\xd0\xe1\xf0\xe1\xe4\xfc\xf0\xef\xf5\xeb\xef\xf2",
                &["ISO_IR 126"],
                true
            ),
            "Παπαδόπουλος"
        );
    }
}
