//! The ISO 2022 decoder for Specific Character Set with code extensions (PS3.5 6.1.2.5):
//! escape sequences designate the sets in G0 and G1, delimiters and control characters return
//! to the initial state, and a declared set used without its escape sequence is repaired.
//!
//! Hand-written rather than taken from dicom-encoding: dicom-object picks one codec from the first
//! value of (0008,0005) and never follows escape sequences, so the corpus's `\ISO 2022 IR 58`
//! name (CT_IR58.dcm) comes back as `Wang^XiaoDong=\u{1b}$)AÍõ^…`, Latin-1 with the escapes in.

use super::codec::{sb_codec, Codec};
use super::guess::{lossy_note, utf8_non_ascii, utf8_note};
use super::{parse_term, plain, repaired, Decoded, Rep, REPLACEMENT};
use crate::text::msg;

pub(super) const ESC: u8 = 0x1B;

/// A graphic set as designated into G0 or G1 by ISO 2022.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Set {
    Ascii,
    JisRoman,
    Katakana,
    Sb(u16),
    Jis0208,
    Jis0212,
    Ksc,
    Gb2312,
}

impl Set {
    fn double(self) -> bool {
        matches!(self, Set::Jis0208 | Set::Jis0212 | Set::Ksc | Set::Gb2312)
    }

    pub(super) fn term(self) -> String {
        match self {
            Set::Ascii => "ISO 2022 IR 6".to_owned(),
            Set::JisRoman | Set::Katakana => "ISO 2022 IR 13".to_owned(),
            Set::Sb(ir) => format!("ISO 2022 IR {ir}"),
            Set::Jis0208 => "ISO 2022 IR 87".to_owned(),
            Set::Jis0212 => "ISO 2022 IR 159".to_owned(),
            Set::Ksc => "ISO 2022 IR 149".to_owned(),
            Set::Gb2312 => "ISO 2022 IR 58".to_owned(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct State {
    g0: Set,
    g1: Option<Set>,
}

pub(super) const ASCII_STATE: State = State {
    g0: Set::Ascii,
    g1: None,
};

/// The initial ISO 2022 state given by the first value of (0008,0005).
pub(super) fn initial_state(rep: Rep) -> State {
    match rep {
        Rep::Sb(ir) => State {
            g0: Set::Ascii,
            g1: Some(Set::Sb(ir)),
        },
        Rep::Jis0201 => State {
            g0: Set::JisRoman,
            g1: Some(Set::Katakana),
        },
        Rep::Ksc => State {
            g0: Set::Ascii,
            g1: Some(Set::Ksc),
        },
        Rep::Gb2312 => State {
            g0: Set::Ascii,
            g1: Some(Set::Gb2312),
        },
        _ => ASCII_STATE,
    }
}

/// Accumulates decoded text; runs of bytes for one decoder are
/// buffered and decoded together.
struct Out {
    text: String,
    errors: usize,
    pending: Vec<u8>,
    enc: Option<Codec>,
}

impl Out {
    fn new(len: usize) -> Self {
        Out {
            text: String::with_capacity(len.saturating_add(8)),
            errors: 0,
            pending: Vec::new(),
            enc: None,
        }
    }

    fn flush(&mut self) {
        if let Some(enc) = self.enc.take() {
            let (s, bad) = enc.decode(&self.pending);
            if bad {
                self.errors += 1;
            }
            self.text.push_str(&s);
            self.pending.clear();
        }
    }

    fn bytes(&mut self, enc: Codec, bytes: &[u8]) {
        if self.enc != Some(enc) {
            self.flush();
            self.enc = Some(enc);
        }
        self.pending.extend_from_slice(bytes);
    }

    fn ch(&mut self, c: char) {
        self.flush();
        self.text.push(c);
    }

    fn bad(&mut self) {
        self.ch(REPLACEMENT);
        self.errors += 1;
    }

    fn finish(mut self) -> (String, usize) {
        self.flush();
        (self.text, self.errors)
    }
}

/// One byte of a single-byte set (G0 or G1).
fn single(out: &mut Out, set: Set, b: u8) {
    let c7 = b & 0x7F;
    match set {
        Set::Ascii | Set::JisRoman if (0x21..=0x7E).contains(&c7) => out.ch(char::from(c7)),
        Set::Katakana if (0x21..=0x5F).contains(&c7) => {
            out.ch(char::from_u32(0xFF61 + u32::from(c7 - 0x21)).unwrap_or(REPLACEMENT))
        }
        Set::Sb(ir) => match sb_codec(ir) {
            Some(enc) => out.bytes(enc, &[b | 0x80]),
            None => out.ch(char::from(b | 0x80)),
        },
        _ => out.bad(),
    }
}

/// One two-byte character (both bytes in the same half).
fn pair(out: &mut Out, set: Set, b1: u8, b2: u8) {
    let (c1, c2) = (b1 | 0x80, b2 | 0x80);
    match set {
        Set::Jis0208 => out.bytes(Codec::EucJp, &[c1, c2]),
        Set::Jis0212 => out.bytes(Codec::EucJp, &[0x8F, c1, c2]),
        Set::Ksc => out.bytes(Codec::EucKr, &[c1, c2]),
        Set::Gb2312 => out.bytes(Codec::Gb18030, &[c1, c2]),
        _ => out.bad(),
    }
}

/// The designation made by an escape sequence: (0 for G0 / 1 for G1, set).
fn designation(inter: &[u8], f: u8) -> Option<(u8, Set)> {
    Some(match (inter, f) {
        ([b'('], b'B') => (0, Set::Ascii),
        ([b'('], b'J') => (0, Set::JisRoman),
        ([b'('], b'I') => (0, Set::Katakana),
        ([b')'], b'I') => (1, Set::Katakana),
        ([b'-'], f) => {
            let ir = match f {
                b'A' => 100,
                b'B' => 101,
                b'C' => 109,
                b'D' => 110,
                b'L' => 144,
                b'G' => 127,
                b'F' => 126,
                b'H' => 138,
                b'M' => 148,
                b'b' => 203,
                b'T' => 166,
                _ => return None,
            };
            (1, Set::Sb(ir))
        }
        ([b'$'] | [b'$', b'('], b'@' | b'B') => (0, Set::Jis0208),
        ([b'$'] | [b'$', b'('], b'A') => (0, Set::Gb2312),
        ([b'$', b'('], b'D') => (0, Set::Jis0212),
        ([b'$', b'('], b'C') => (0, Set::Ksc),
        ([b'$', b')'], b'@' | b'B') => (1, Set::Jis0208),
        ([b'$', b')'], b'D') => (1, Set::Jis0212),
        ([b'$', b')'], b'C') => (1, Set::Ksc),
        ([b'$', b')'], b'A') => (1, Set::Gb2312),
        _ => return None,
    })
}

pub(super) struct Iso2022 {
    pub(super) text: String,
    pub(super) errors: usize,
    /// Sets designated by escape sequences, in order of first use.
    pub(super) seen: Vec<Set>,
}

fn is_delim(b: u8, pn: bool) -> bool {
    b == b'\\' || (pn && (b == b'^' || b == b'='))
}

/// Decodes an ISO 2022 byte stream (PS3.5 6.1.2.5).
pub(super) fn decode_2022(raw: &[u8], initial: State, pn: bool) -> Iso2022 {
    let mut out = Out::new(raw.len());
    let mut st = initial;
    let mut seen: Vec<Set> = Vec::new();
    let mut i = 0;
    while let Some(&b) = raw.get(i) {
        let next = raw.get(i + 1).copied();
        match b {
            ESC => {
                let mut j = i + 1;
                let mut inter = [0u8; 2];
                let mut k = 0usize;
                while let Some(&c) = raw.get(j) {
                    if !(0x20..=0x2F).contains(&c) {
                        break;
                    }
                    if let Some(slot) = inter.get_mut(k) {
                        *slot = c;
                    }
                    k += 1;
                    j += 1;
                }
                match raw.get(j) {
                    Some(&f) if (0x30..=0x7E).contains(&f) => {
                        j += 1;
                        match inter.get(..k).and_then(|x| designation(x, f)) {
                            Some((g, set)) => {
                                if g == 0 {
                                    st.g0 = set;
                                } else {
                                    st.g1 = Some(set);
                                }
                                if !seen.contains(&set) {
                                    seen.push(set);
                                }
                            }
                            None => out.bad(),
                        }
                    }
                    // Truncated or malformed: drop ESC and intermediates,
                    // resume at the offending byte.
                    _ => out.bad(),
                }
                i = j;
            }
            0x00..=0x1F | 0x7F => {
                st = initial;
                out.ch(char::from(b));
                i += 1;
            }
            b' ' => {
                out.ch(' ');
                i += 1;
            }
            0x21..=0x7E => {
                if st.g0.double() {
                    if let Some(b2 @ 0x21..=0x7E) = next {
                        pair(&mut out, st.g0, b, b2);
                        i += 2;
                        continue;
                    }
                    if is_delim(b, pn) {
                        st = initial;
                        out.ch(char::from(b));
                    } else {
                        out.bad();
                    }
                } else if is_delim(b, pn) {
                    st = initial;
                    out.ch(char::from(b));
                } else {
                    single(&mut out, st.g0, b);
                }
                i += 1;
            }
            0x80..=0x9F => {
                out.bad();
                i += 1;
            }
            _ => {
                match st.g1 {
                    None => out.bad(),
                    Some(set) if set.double() => {
                        if let (0xA1..=0xFE, Some(b2 @ 0xA1..=0xFE)) = (b, next) {
                            pair(&mut out, set, b, b2);
                            i += 2;
                            continue;
                        }
                        out.bad();
                    }
                    Some(set) => single(&mut out, set, b),
                }
                i += 1;
            }
        }
    }
    let (text, errors) = out.finish();
    Iso2022 { text, errors, seen }
}

pub(super) fn decode_ext(raw: &[u8], charsets: &[String], initial: State, pn: bool) -> Decoded {
    let r = decode_2022(raw, initial, pn);
    if r.errors == 0 {
        return plain(r.text);
    }
    let joined = charsets
        .iter()
        .map(|s| s.trim())
        .collect::<Vec<_>>()
        .join("\\");
    let label = format!("'{joined}'");
    if let Some(s) = utf8_non_ascii(raw) {
        return repaired(s.to_owned(), utf8_note(&label), "ISO_IR 192", r.text);
    }
    // A declared KS X 1001 / GB 2312 set used without its escape sequence.
    let g1_sets = charsets
        .iter()
        .filter_map(|t| parse_term(t.trim()))
        .filter_map(|t| match t.rep {
            Rep::Ksc => Some(Set::Ksc),
            Rep::Gb2312 => Some(Set::Gb2312),
            _ => None,
        });
    for set in g1_sets {
        if initial.g1 == Some(set) {
            continue;
        }
        let start = State {
            g0: initial.g0,
            g1: Some(set),
        };
        let r2 = decode_2022(raw, start, pn);
        if r2.errors == 0 {
            let used = set.term();
            let note = msg!(
                "part.charset.no-escapes",
                charset = label.clone(),
                used = used.clone()
            );
            return repaired(r2.text, note, &used, r.text);
        }
    }
    repaired(r.text.clone(), lossy_note(&label), &joined, r.text)
}

#[cfg(test)]
mod tests {
    use super::super::decode;
    use super::super::testdata::*;
    use super::*;

    #[test]
    fn ir58_chinese_annex_k() {
        let want = "Wang^XiaoDong=王^小东=";
        assert_eq!(text(CT_IR58, &["", "ISO 2022 IR 58"], true), want);
        assert_eq!(text(CT_IR58, &["ISO 2022 IR 58"], true), want);
        // Not PN: '^' and '=' do not reset, the repeated escapes are harmless.
        assert_eq!(text(CT_IR58, &["", "ISO 2022 IR 58"], false), want);
    }

    #[test]
    fn pn_delimiters_reset_g1_but_not_in_other_text() {
        // G1 is designated once; after '^' a PN returns to the first value
        // (nothing in G1), other VRs keep KS X 1001.
        let raw = b"\x1b$)C\xb1\xe6^\xb5\xbf";
        assert_eq!(
            text(raw, &["ISO 2022 IR 100", "ISO 2022 IR 149"], false),
            "길^동"
        );
        assert_eq!(
            text(raw, &["ISO 2022 IR 100", "ISO 2022 IR 149"], true),
            "길^µ¿"
        );
        // The value delimiter and CR/LF/TAB reset for every VR.
        let raw = b"\x1b$)C\xb1\xe6\\\xb5\xbf\r\xe9\t\xe9";
        assert_eq!(
            text(raw, &["ISO 2022 IR 100", "ISO 2022 IR 149"], false),
            "길\\µ¿\ré\té"
        );
        // First value "": after the reset nothing is in G1, so the bytes are
        // reread with the declared G1 set and that is reported.
        let raw = b"\x1b$)A\xcd\xf5^\xd0\xa1\xb6\xab";
        assert_eq!(text(raw, &["", "ISO 2022 IR 58"], false), "王^小东");
        let (t, r) = repaired_as(raw, &["", "ISO 2022 IR 58"], true);
        assert_eq!(t, "王^小东");
        assert_eq!(r.used, "ISO 2022 IR 58");
        assert_eq!(r.declared_reading, "王^\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}");
    }

    #[test]
    fn japanese_annex_h() {
        let want = "Yamada^Tarou=山田^太郎=やまだ^たろう";
        assert_eq!(text(&japanese_h31(), &["", "ISO 2022 IR 87"], true), want);
        assert_eq!(text(&japanese_h31(), &["ISO 2022 IR 87"], true), want);
        assert_eq!(
            text(&japanese_h32(), &["ISO 2022 IR 13", "ISO 2022 IR 87"], true),
            "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう"
        );
        // JIS X 0212 (0x3021 = U+4E02) and JIS X 0201 katakana by escape.
        let raw = b"\x1b$(D\x30\x21\x1b(B^\x1b)I\xb1";
        assert_eq!(
            text(raw, &["", "ISO 2022 IR 159", "ISO 2022 IR 13"], true),
            "丂^ｱ"
        );
    }

    #[test]
    fn kanji_bytes_that_look_like_delimiters_stay_kanji() {
        // 0x3D 0x21 ('=' '!') in JIS X 0208 is a kanji, not a delimiter.
        let (euc, _) = Codec::EucJp.decode(&[0xBD, 0xA1]);
        let raw = b"\x1b$B\x3d\x21\x1b(B=A";
        assert_eq!(text(raw, &["", "ISO 2022 IR 87"], true), format!("{euc}=A"));
        assert_ne!(euc, "\u{FFFD}");
    }

    #[test]
    fn korean_annex_i() {
        let want = "Hong^Gildong=洪^吉洞=홍^길동";
        assert_eq!(text(&korean_i2(), &["", "ISO 2022 IR 149"], true), want);
        // Common real-world form: KS X 1001 without escape sequences.
        assert_eq!(
            text(b"\xc8\xab^\xb1\xe6\xb5\xbf", &["ISO 2022 IR 149"], true),
            "홍^길동"
        );
        assert_eq!(
            text(b"\xc8\xab^\xb1\xe6\xb5\xbf", &["ISO_IR 149"], true),
            "홍^길동"
        );
    }

    #[test]
    fn latin_g1_by_escape() {
        let raw = b"Fran\x1b-A\xe7ois";
        assert_eq!(text(raw, &["", "ISO 2022 IR 100"], true), "François");
        assert_eq!(text(b"Fran\xe7ois", &["ISO 2022 IR 100"], true), "François");
        assert_eq!(text(b"\x1b-L\xb8", &["", "ISO 2022 IR 144"], true), "И");
        assert_eq!(
            text(b"\x1b(JAB\\C", &["", "ISO 2022 IR 13"], false),
            "AB\\C"
        );
    }

    #[test]
    fn malformed_escapes_do_not_panic() {
        let c = cs(&["", "ISO 2022 IR 87"]);
        assert_eq!(decode(b"A\x1b", &c, true).text, "A\u{FFFD}");
        assert_eq!(decode(b"A\x1b$", &c, true).text, "A\u{FFFD}");
        assert_eq!(decode(b"A\x1b$)", &c, true).text, "A\u{FFFD}");
        assert_eq!(decode(b"A\x1b$)Zb", &c, true).text, "A\u{FFFD}b");
        assert_eq!(decode(b"A\x1b\x80b", &c, false).text, "A\u{FFFD}\u{FFFD}b");
        // Truncated two-byte character, then a lone byte before ESC.
        assert_eq!(decode(b"\x1b$B\x3b\x33\x45", &c, true).text, "山\u{FFFD}");
        assert_eq!(decode(b"\x1b$B\x3b\x1b(Bx", &c, true).text, "\u{FFFD}x");
        // A very long run of intermediates is one bad sequence.
        let mut long = vec![0x1B];
        long.extend(std::iter::repeat_n(b'$', 100_000));
        long.extend(b"Bok");
        assert_eq!(decode(&long, &c, true).text, "\u{FFFD}ok");
        // High byte with no G1 set and undefined C1 byte.
        let d = decode(b"a\xf5\x85", &c, true);
        assert_eq!(d.text, "a\u{FFFD}\u{FFFD}");
        assert!(d.repair.is_some());
    }
}
