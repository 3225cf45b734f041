//! Owns the decoding of DICOM text values (PN, LO, SH, …) into Unicode under Specific Character Set (0008,0005), including ISO 2022 code extensions and the repair of missing or wrong declarations.
//!
//! This file parses the defined terms and picks the reading; `iso2022` decodes code extensions,
//! `terms` the declared sets without them, `guess` tells what undeclared bytes look like, and
//! `codec` holds the `encoding` crate's decoders they all use.
//!
//! # Rules (DICOM PS3.5 section 6.1, Annexes H, I, J and K)
//!
//! * **No code extensions** (one value that is not an `ISO 2022 …` term):
//!   absent, `""` or `ISO_IR 6` is the default repertoire (ASCII);
//!   `ISO_IR 100/101/109/110/144/127/126/138/148/203` are ISO 8859-1, -2, -3,
//!   -4, -5, -6, -7, -8, -9 and -15; `ISO_IR 13` is JIS X 0201 (half-width
//!   katakana in 0xA1..=0xDF, Roman otherwise); `ISO_IR 166` is TIS 620
//!   (read as windows-874); `ISO_IR 192` is UTF-8; `GB18030` and `GBK` are read
//!   with the GB18030 decoder (GBK is a subset). Terms are matched ignoring
//!   case, spaces, `_`, `-` and `.`, so spellings seen on real discs such as
//!   `ISO_IR_100`, `ISO-IR 100`, `ISO IR 192`, `UTF-8`, `UTF8`, `GB2312` and
//!   `ISO8859-1` are understood. `CHINESE` and the like are unknown.
//! * **Code extensions** (PS3.5 6.1.2.5, Annex H Japanese, Annex I Korean,
//!   Annex K Chinese, more than one value or an `ISO 2022 …` term): the text is
//!   an ISO 2022 byte stream. The first value gives the initial state (an empty
//!   first value means ASCII in G0 and nothing in G1); escape sequences then
//!   designate sets: `ESC ( B` ASCII and `ESC ( J` JIS X 0201 Roman into G0,
//!   `ESC ) I` JIS X 0201 katakana into G1, `ESC $ B` JIS X 0208 and
//!   `ESC $ ( D` JIS X 0212 into G0, `ESC $ ) C` KS X 1001 and `ESC $ ) A`
//!   GB 2312 into G1, `ESC - A` … `ESC - b` the ISO 8859 upper halves and
//!   `ESC - T` TIS 620 into G1. Two-byte sets are decoded by setting the high
//!   bits and handing the pair to the EUC decoder of `encoding` (EUC-JP,
//!   with the 0x8F prefix for JIS X 0212; EUC-KR; GBK). Per PS3.5 6.1.2.5.3
//!   the initial state returns at every control character other than ESC
//!   (CR, LF, FF, TAB …), at the value delimiter `\`, and in person names also
//!   at the `^` and `=` delimiters. While G0 holds a two-byte set, a delimiter
//!   byte that pairs with the next byte is part of a character; a lone one is
//!   a delimiter. JIS X 0201 Roman is read as ASCII (0x5C stays `\`, 0x7E
//!   stays `~`), as most readers do.
//! * **Bad bytes**: an unknown or malformed escape sequence, a byte with no
//!   set designated for it, or an unmapped code becomes U+FFFD; decoding goes
//!   on. Every path is linear in the input and never panics.
//! * **Repair** ([`Decoded::repair`]): bytes that are pure ASCII are never
//!   repaired. Otherwise, when no character set (or the default one, or an
//!   unknown term) is declared, the text is read as ISO 2022 if it carries
//!   escape sequences that decode cleanly, else as UTF-8 if valid, else as
//!   GB18030 if it looks like Chinese (see below), else as Latin-1. Declared
//!   ISO 8859 Latin sets (`ISO_IR 100/101/109/110/148/203`) are overridden by
//!   valid UTF-8 or by Chinese-looking GB18030; the non-Latin 8859 parts only
//!   by valid UTF-8. Declared UTF-8 that is invalid is read as GB18030 if it
//!   looks Chinese, else lossily. Declared GB18030/GBK that fails to decode, or
//!   that looks un-Chinese while being valid UTF-8, is read as UTF-8 if valid,
//!   else lossily. ISO 2022 text with errors is read as UTF-8 if valid, else
//!   with the declared KS X 1001 or GB 2312 set in G1 from the start (escape
//!   sequences left out), else lossily. Any lossy reading is reported too.
//! * **Looks Chinese** means: decodes as GB18030 without error, every
//!   non-ASCII character is a CJK ideograph or CJK punctuation, there are at
//!   least two ideographs, and at most half of the two-byte characters have an
//!   ASCII-range second byte (that rejects Latin-1 such as "Jürgen Müller",
//!   whose bytes happen to be valid GBK).
//! * The result has trailing spaces and NULs removed; nothing else is trimmed.

mod codec;
mod guess;
mod iso2022;
mod terms;
#[cfg(test)]
mod testdata;

use crate::text::{msg, Message};
use codec::decode_sb;
use guess::{gb_plausible, utf8_non_ascii};
use iso2022::{decode_2022, decode_ext, initial_state, Set, State, ASCII_STATE, ESC};
use terms::{decode_gb_declared, decode_ir13, decode_single, decode_utf8};

pub use codec::gb18030_strict;

/// The decoded text of one DICOM text value, and whether it had to be repaired.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The value as Unicode, trailing spaces and NULs removed (leading spaces kept, except that for PN/LO/SH the caller may trim; you trim trailing only).
    pub text: String,
    /// Set when the declared character set was missing or wrong and the text was read another way.
    pub repair: Option<Repair>,
}

/// How a text value was read when its declared character set did not fit.
#[derive(Debug, Clone, PartialEq)]
pub struct Repair {
    /// The sentence for the user (`part.charset.*`), e.g. "no character set was declared; the name was read as GB18030 (Chinese)" or "declared ISO_IR 100 (Latin-1) but the bytes are GB18030 Chinese; read as Chinese".
    pub note: Message,
    /// The charset actually used, as a DICOM defined term where there is one ("GB18030", "ISO_IR 192").
    pub used: String,
    /// What the declared (or default) character set would have shown, for the user to compare.
    pub declared_reading: String,
}

const REPLACEMENT: char = '\u{FFFD}';

/// A repertoire named by a defined term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rep {
    Ascii,
    /// Single-byte set: ASCII plus an upper half, by ISO-IR number
    /// (100, 101, 109, 110, 144, 127, 126, 138, 148, 203, 166).
    Sb(u16),
    Jis0201,
    Jis0208,
    Jis0212,
    Ksc,
    Gb2312,
    Utf8,
    Gb18030,
    Gbk,
}

#[derive(Debug, Clone, Copy)]
struct Term {
    rep: Rep,
    /// Spelled as an `ISO 2022 …` term (code extensions).
    ext: bool,
}

fn parse_term(term: &str) -> Option<Term> {
    let key: String = term
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let (ext, num) = if let Some(n) = key.strip_prefix("ISO2022IR") {
        (true, n)
    } else if let Some(n) = key.strip_prefix("ISOIR") {
        (false, n)
    } else if let Some(part) = key.strip_prefix("ISO8859") {
        let ir = match part {
            "1" => 100,
            "2" => 101,
            "3" => 109,
            "4" => 110,
            "5" => 144,
            "6" => 127,
            "7" => 126,
            "8" => 138,
            "9" => 148,
            "15" => 203,
            _ => return None,
        };
        return Some(Term {
            rep: Rep::Sb(ir),
            ext: false,
        });
    } else {
        let rep = match key.as_str() {
            "" => Rep::Ascii,
            "UTF8" => Rep::Utf8,
            "GB18030" => Rep::Gb18030,
            "GBK" | "GB2312" => Rep::Gbk,
            "TIS620" => Rep::Sb(166),
            _ => return None,
        };
        return Some(Term { rep, ext: false });
    };
    let rep = match num {
        "6" => Rep::Ascii,
        "100" => Rep::Sb(100),
        "101" => Rep::Sb(101),
        "109" => Rep::Sb(109),
        "110" => Rep::Sb(110),
        "144" => Rep::Sb(144),
        "127" => Rep::Sb(127),
        "126" => Rep::Sb(126),
        "138" => Rep::Sb(138),
        "148" => Rep::Sb(148),
        "203" => Rep::Sb(203),
        "166" => Rep::Sb(166),
        "13" => Rep::Jis0201,
        "87" => Rep::Jis0208,
        "159" => Rep::Jis0212,
        "149" => Rep::Ksc,
        "58" => Rep::Gb2312,
        "192" if !ext => Rep::Utf8,
        _ => return None,
    };
    Some(Term { rep, ext })
}

/// Whether every value of `charsets` is a defined term this module understands (for the report: "unknown character set 'X'").
pub fn is_known(term: &str) -> bool {
    parse_term(term.trim()).is_some()
}

fn ascii_lossy(raw: &[u8]) -> String {
    raw.iter()
        .map(|&b| if b < 0x80 { char::from(b) } else { REPLACEMENT })
        .collect()
}

fn trim_end(mut s: String) -> String {
    let len = s.trim_end_matches([' ', '\0']).len();
    s.truncate(len);
    s
}

fn plain(text: String) -> Decoded {
    Decoded {
        text: trim_end(text),
        repair: None,
    }
}

fn repaired(text: String, note: Message, used: &str, declared_reading: String) -> Decoded {
    Decoded {
        text: trim_end(text),
        repair: Some(Repair {
            note,
            used: used.to_owned(),
            declared_reading: trim_end(declared_reading),
        }),
    }
}

/// Why the fallback readings are tried.
enum Why<'a> {
    Absent,
    Default(&'a str),
    Unknown(&'a str),
}

/// Absent, default or unknown character set with non-ASCII bytes.
fn fallback(raw: &[u8], pn: bool, why: Why) -> Decoded {
    let what = if pn {
        msg!("part.charset.name")
    } else {
        msg!("part.charset.text")
    };
    let why = match why {
        Why::Absent => msg!("part.charset.absent"),
        Why::Default(t) => msg!("part.charset.default", charset = t),
        Why::Unknown(t) => msg!("part.charset.unknown", charset = t),
    };
    let declared = ascii_lossy(raw);
    if raw.contains(&ESC) {
        let r = decode_2022(raw, ASCII_STATE, pn);
        let terms: Vec<String> = r
            .seen
            .iter()
            .filter(|s| **s != Set::Ascii)
            .map(|s| s.term())
            .collect();
        if r.errors == 0 && !terms.is_empty() {
            let used = terms.join("\\");
            let note = msg!(
                "part.charset.read-2022",
                why = why,
                what = what,
                used = used.clone()
            );
            return repaired(r.text, note, &used, declared);
        }
    }
    if let Some(s) = utf8_non_ascii(raw) {
        let note = msg!("part.charset.read-utf8", why = why, what = what);
        return repaired(s.to_owned(), note, "ISO_IR 192", declared);
    }
    if let Some(s) = gb_plausible(raw) {
        let note = msg!("part.charset.read-gb", why = why, what = what);
        return repaired(s, note, "GB18030", declared);
    }
    let (latin, _) = decode_sb(100, raw);
    let note = msg!("part.charset.read-latin", why = why, what = what);
    repaired(latin, note, "ISO_IR 100", declared)
}

/// `charsets` = the values of Specific Character Set (0008,0005) as stored, backslash-split, each trimmed of spaces; empty slice when the element is absent; the first value may be "" (ISO 2022 default repertoire). `is_person_name` = VR PN (component-group delimiters `=` and `^` reset ISO 2022 state).
pub fn decode(raw: &[u8], charsets: &[String], is_person_name: bool) -> Decoded {
    enum Mode<'a> {
        Fallback(Why<'a>),
        Single(u16),
        Ir13,
        Utf8,
        Gb(Rep),
        Ext(State),
    }
    let multi = charsets.len() > 1;
    let mode = match charsets.first().map(|t| t.trim()) {
        None => Mode::Fallback(Why::Absent),
        Some(t0) => match parse_term(t0) {
            None if multi => Mode::Ext(ASCII_STATE),
            None => Mode::Fallback(Why::Unknown(t0)),
            Some(Term { rep: Rep::Utf8, .. }) => Mode::Utf8,
            Some(Term {
                rep: rep @ (Rep::Gb18030 | Rep::Gbk),
                ..
            }) => Mode::Gb(rep),
            Some(Term { rep, ext }) => {
                let two_byte = matches!(rep, Rep::Jis0208 | Rep::Jis0212 | Rep::Ksc | Rep::Gb2312);
                if ext || multi || two_byte {
                    Mode::Ext(initial_state(rep))
                } else {
                    match rep {
                        Rep::Sb(ir) => Mode::Single(ir),
                        Rep::Jis0201 => Mode::Ir13,
                        _ if t0.is_empty() => Mode::Fallback(Why::Absent),
                        _ => Mode::Fallback(Why::Default(t0)),
                    }
                }
            }
        },
    };
    if raw.is_ascii() {
        return match mode {
            Mode::Ext(initial) => plain(decode_2022(raw, initial, is_person_name).text),
            _ => plain(ascii_lossy(raw)),
        };
    }
    match mode {
        Mode::Fallback(why) => fallback(raw, is_person_name, why),
        Mode::Single(ir) => decode_single(raw, ir),
        Mode::Ir13 => decode_ir13(raw),
        Mode::Utf8 => decode_utf8(raw),
        Mode::Gb(rep) => decode_gb_declared(raw, rep),
        Mode::Ext(initial) => decode_ext(raw, charsets, initial, is_person_name),
    }
}

#[cfg(test)]
mod tests {
    use super::testdata::*;
    use super::*;

    #[test]
    fn known_terms_and_misspellings() {
        for t in [
            "",
            "ISO_IR 6",
            "ISO_IR 100",
            "ISO_IR 101",
            "ISO_IR 109",
            "ISO_IR 110",
            "ISO_IR 144",
            "ISO_IR 127",
            "ISO_IR 126",
            "ISO_IR 138",
            "ISO_IR 148",
            "ISO_IR 203",
            "ISO_IR 13",
            "ISO_IR 166",
            "ISO_IR 192",
            "GB18030",
            "GBK",
            "ISO 2022 IR 6",
            "ISO 2022 IR 100",
            "ISO 2022 IR 13",
            "ISO 2022 IR 87",
            "ISO 2022 IR 159",
            "ISO 2022 IR 149",
            "ISO 2022 IR 58",
            "ISO_IR_100",
            "ISO-IR 100",
            "ISO IR 192",
            "UTF-8",
            "UTF8",
            "utf-8",
            "GB2312",
            "GB_2312",
            "iso_ir 100",
            " ISO_IR 100 ",
            "gb18030",
        ] {
            assert!(is_known(t), "{t:?} should be known");
        }
        for t in [
            "CHINESE",
            "ISO 2022 IR 192",
            "ISO_IR 999",
            "LATIN",
            "ISO_IR",
            "UTF-16",
        ] {
            assert!(!is_known(t), "{t:?} should be unknown");
        }
    }

    #[test]
    fn misspelled_terms_decode_like_the_real_ones() {
        let latin = b"M\xfcller";
        for t in ["ISO_IR_100", "ISO-IR 100", "iso_ir 100", "ISO IR100"] {
            assert_eq!(text(latin, &[t], true), "Müller", "{t}");
        }
        for t in ["ISO IR 192", "UTF-8", "UTF8"] {
            assert_eq!(text(CT_UTF8, &[t], true), "Wang^XiaoDong=王^小东=", "{t}");
        }
        for t in ["GB2312", "GB_2312", "GBK"] {
            assert_eq!(text(CHRX2, &[t], true), "Wang^XiaoDong=王^小东=", "{t}");
        }
    }

    #[test]
    fn trailing_spaces_and_nuls_trimmed_only() {
        assert_eq!(
            text(b"  Doe^John \0 \0", &["ISO_IR 100"], true),
            "  Doe^John"
        );
        assert_eq!(text(b"A=B= ", &[], true), "A=B=");
        assert_eq!(text(b"", &["ISO_IR 192"], true), "");
        assert_eq!(text(b"\xe7\x8e\x8b\0", &["ISO_IR 192"], true), "王");
    }

    #[test]
    fn gbk_without_charset_is_repaired() {
        let (t, r) = repaired_as(MR_NO_CHARSET, &[], true);
        assert_eq!(t, "王小东");
        assert_eq!(r.used, "GB18030");
        assert_eq!(
            r.note.to_string(),
            "no character set was declared; the name was read as GB18030 (Chinese)"
        );
        assert_eq!(r.declared_reading, "\u{FFFD}".repeat(6));
        // Same under an empty first value and under ISO_IR 6.
        assert_eq!(repaired_as(MR_NO_CHARSET, &[""], true).0, "王小东");
        let (t, r) = repaired_as(MR_NO_CHARSET, &["ISO_IR 6"], true);
        assert_eq!(t, "王小东");
        assert!(
            r.note.to_string().starts_with("declared ISO_IR 6"),
            "{}",
            r.note
        );
    }

    #[test]
    fn utf8_without_charset_is_repaired() {
        let (t, r) = repaired_as(CT_UTF8, &[], true);
        assert_eq!(t, "Wang^XiaoDong=王^小东=");
        assert_eq!(r.used, "ISO_IR 192");
        assert_eq!(r.declared_reading, "Wang^XiaoDong=\u{FFFD}\u{FFFD}\u{FFFD}^\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}=");
    }

    #[test]
    fn escapes_without_charset_are_repaired() {
        let (t, r) = repaired_as(CT_IR58, &[], true);
        assert_eq!(t, "Wang^XiaoDong=王^小东=");
        assert_eq!(r.used, "ISO 2022 IR 58");
    }

    #[test]
    fn latin1_without_charset_falls_back_to_latin1() {
        for (raw, want) in [
            (&b"M\xfcller"[..], "Müller"),
            (b"J\xfcrgen M\xfcller", "Jürgen Müller"),
            (b"N\xda\xd1EZ", "NÚÑEZ"),
            (b"G\xf6\xdfmann", "Gößmann"),
        ] {
            let (t, r) = repaired_as(raw, &[], true);
            assert_eq!(t, want);
            assert_eq!(r.used, "ISO_IR 100");
        }
    }

    #[test]
    fn unknown_term_treated_as_absent() {
        let (t, r) = repaired_as(MR_NO_CHARSET, &["CHINESE"], true);
        assert_eq!(t, "王小东");
        assert!(
            r.note
                .to_string()
                .starts_with("unknown character set 'CHINESE'"),
            "{}",
            r.note
        );
        assert_eq!(text(b"Doe^John", &["CHINESE"], true), "Doe^John");
    }

    #[test]
    fn pure_ascii_never_repaired() {
        let all = [
            vec![],
            cs(&[""]),
            cs(&["ISO_IR 6"]),
            cs(&["ISO_IR 100"]),
            cs(&["ISO_IR 192"]),
            cs(&["GB18030"]),
            cs(&["GBK"]),
            cs(&["CHINESE"]),
            cs(&["ISO_IR 13"]),
            cs(&["", "ISO 2022 IR 58"]),
            cs(&["", "ISO 2022 IR 87"]),
            cs(&["ISO 2022 IR 6"]),
            cs(&["ISO_IR 166"]),
        ];
        for c in &all {
            for raw in [
                &b"Doe^John"[..],
                b"A\\B=C ",
                b"\x1b(Bx",
                b"\x1b$Zq",
                b"\x1b",
            ] {
                let d = decode(raw, c, true);
                assert_eq!(d.repair, None, "{c:?} {raw:?}");
            }
            assert_eq!(decode(b"Doe^John", c, true).text, "Doe^John");
        }
    }

    fn assert_bounded(raw: &[u8], c: &[String], pn: bool) {
        let d = decode(raw, c, pn);
        let max = 4 * raw.len() + 16;
        assert!(d.text.chars().count() <= max, "{raw:02x?} {c:?}");
        if let Some(r) = d.repair {
            assert!(r.declared_reading.chars().count() <= max);
            assert!(r.note.to_string().len() < 512);
        }
    }

    fn charset_lists() -> Vec<Vec<String>> {
        vec![
            vec![],
            cs(&[""]),
            cs(&["ISO_IR 6"]),
            cs(&["ISO_IR 100"]),
            cs(&["ISO_IR 126"]),
            cs(&["ISO_IR 13"]),
            cs(&["ISO_IR 166"]),
            cs(&["ISO_IR 192"]),
            cs(&["GB18030"]),
            cs(&["GBK"]),
            cs(&["CHINESE"]),
            cs(&["", "ISO 2022 IR 58"]),
            cs(&["ISO 2022 IR 58"]),
            cs(&["", "ISO 2022 IR 87", "ISO 2022 IR 159"]),
            cs(&["ISO 2022 IR 13", "ISO 2022 IR 87"]),
            cs(&["", "ISO 2022 IR 149"]),
            cs(&["ISO 2022 IR 100", "ISO 2022 IR 149"]),
            cs(&["BOGUS", "ISO 2022 IR 58"]),
        ]
    }

    #[test]
    fn fuzz_prefixes_of_test_inputs() {
        let inputs: Vec<Vec<u8>> = vec![
            CT_IR58.to_vec(),
            CT_UTF8.to_vec(),
            MR_NO_CHARSET.to_vec(),
            CHRX1.to_vec(),
            CHRX2.to_vec(),
            japanese_h31(),
            japanese_h32(),
            korean_i2(),
            b"\xa8\xa6\x95\x32\x82\x36".to_vec(),
            b"\x1b$(D\x30\x21\x1b(B^\x1b)I\xb1".to_vec(),
        ];
        for c in charset_lists() {
            for input in &inputs {
                for end in 0..=input.len() {
                    let p = input.get(..end).unwrap_or_default();
                    assert_bounded(p, &c, true);
                    assert_bounded(p, &c, false);
                    assert_bounded(input.get(end..).unwrap_or_default(), &c, true);
                }
            }
        }
    }

    #[test]
    fn fuzz_random_bytes() {
        let mut s: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s
        };
        const INTERESTING: &[u8] = b"\x1b\x1b$()-ABCDIJ@^=\\ \r\n\t\0\xa1\xfe\x8f\x80\xff\x30\x21";
        let lists = charset_lists();
        for _ in 0..4000 {
            let len = (next() % 48) as usize;
            let raw: Vec<u8> = (0..len)
                .map(|_| {
                    let r = next();
                    if r % 3 == 0 {
                        INTERESTING[(r >> 8) as usize % INTERESTING.len()]
                    } else {
                        (r >> 16) as u8
                    }
                })
                .collect();
            let c = &lists[(next() % lists.len() as u64) as usize];
            assert_bounded(&raw, c, next() % 2 == 0);
        }
    }

    #[test]
    fn corpus_case_chinese_charset() {
        // Expected names from labels.json `patient_name_unicode`. chrX1 and
        // chrX2 are labelled without the trailing '=' that their bytes carry;
        // this module trims only spaces and NULs, so that '=' is kept.
        type Case<'a> = (&'a [u8], &'a [&'a str], &'a str, Option<&'a str>);
        let cases: [Case; 5] = [
            (
                CT_IR58,
                &["", "ISO 2022 IR 58"],
                "Wang^XiaoDong=王^小东=",
                None,
            ),
            (CT_UTF8, &["ISO_IR 192"], "Wang^XiaoDong=王^小东=", None),
            (MR_NO_CHARSET, &[], "王小东", Some("GB18030")),
            (CHRX1, &["ISO_IR 192"], "Wang^XiaoDong=王^小東", None),
            (CHRX2, &["GB18030"], "Wang^XiaoDong=王^小东", None),
        ];
        for (raw, terms, label, used) in cases {
            let d = decode(raw, &cs(terms), true);
            assert_eq!(d.text.trim_end_matches('='), label.trim_end_matches('='));
            assert_eq!(d.repair.map(|r| r.used).as_deref(), used);
        }
        assert_eq!(
            decode(CHRX1, &cs(&["ISO_IR 192"]), true).text,
            "Wang^XiaoDong=王^小東="
        );
        assert_eq!(
            decode(CHRX2, &cs(&["GB18030"]), true).text,
            "Wang^XiaoDong=王^小东="
        );
    }
}
