//! Owns the decoding of DICOM text values (PN, LO, SH, …) into Unicode under Specific Character Set (0008,0005), including ISO 2022 code extensions and the repair of missing or wrong declarations.
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

use crate::text::{msg, Message};
use encoding::all::{
    EUC_JP, GB18030, ISO_8859_15, ISO_8859_2, ISO_8859_3, ISO_8859_4, ISO_8859_5, ISO_8859_6,
    ISO_8859_7, ISO_8859_8, WINDOWS_1254, WINDOWS_874, WINDOWS_949,
};
use encoding::{DecoderTrap, Encoding};

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
const ESC: u8 = 0x1B;

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

/// A decoder of the `encoding` crate. That crate, not `encoding_rs`, because dicom-encoding
/// already links it with these very tables: one copy of the CJK tables in the page's wasm instead
/// of two. Called through concrete types (never `dyn Encoding`), so no encoder is linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Codec {
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
    fn decode(self, raw: &[u8]) -> (String, bool) {
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
fn sb_codec(ir: u16) -> Option<Codec> {
    matches!(
        ir,
        101 | 109 | 110 | 144 | 127 | 126 | 138 | 148 | 203 | 166
    )
    .then_some(Codec::Sb(ir))
}

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

/// A graphic set as designated into G0 or G1 by ISO 2022.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Set {
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

    fn term(self) -> String {
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
struct State {
    g0: Set,
    g1: Option<Set>,
}

const ASCII_STATE: State = State {
    g0: Set::Ascii,
    g1: None,
};

/// The initial ISO 2022 state given by the first value of (0008,0005).
fn initial_state(rep: Rep) -> State {
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

struct Iso2022 {
    text: String,
    errors: usize,
    /// Sets designated by escape sequences, in order of first use.
    seen: Vec<Set>,
}

fn is_delim(b: u8, pn: bool) -> bool {
    b == b'\\' || (pn && (b == b'^' || b == b'='))
}

/// Decodes an ISO 2022 byte stream (PS3.5 6.1.2.5).
fn decode_2022(raw: &[u8], initial: State, pn: bool) -> Iso2022 {
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

fn ascii_lossy(raw: &[u8]) -> String {
    raw.iter()
        .map(|&b| if b < 0x80 { char::from(b) } else { REPLACEMENT })
        .collect()
}

/// Whole value in a single-byte set; the flag tells whether bytes were unmapped.
fn decode_sb(ir: u16, raw: &[u8]) -> (String, bool) {
    Codec::Sb(ir).decode(raw)
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

fn decode_gb(raw: &[u8]) -> (String, bool) {
    Codec::Gb18030.decode(raw)
}

/// Valid UTF-8 that is not pure ASCII.
fn utf8_non_ascii(raw: &[u8]) -> Option<&str> {
    if raw.is_ascii() {
        return None;
    }
    std::str::from_utf8(raw).ok()
}

fn is_ideograph(c: char) -> bool {
    matches!(u32::from(c),
        0x3007 | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

fn is_cjk_punct(c: char) -> bool {
    matches!(u32::from(c),
        0x00B7 | 0x2010..=0x2027 | 0x3000..=0x303F | 0x30FB | 0xFF00..=0xFFEF)
}

/// The GB18030 reading of `raw` if it looks like Chinese (see module docs).
fn gb_plausible(raw: &[u8]) -> Option<String> {
    let (mut pairs, mut ascii_trail) = (0usize, 0usize);
    let mut i = 0;
    while let Some(&b) = raw.get(i) {
        if b < 0x80 {
            i += 1;
            continue;
        }
        match (b, raw.get(i + 1).copied()) {
            (0x81..=0xFE, Some(0x30..=0x39)) => i += 4,
            (0x81..=0xFE, Some(t @ (0x40..=0x7E | 0x80..=0xFE))) => {
                pairs += 1;
                if t < 0x80 {
                    ascii_trail += 1;
                }
                i += 2;
            }
            _ => return None,
        }
    }
    if ascii_trail * 2 > pairs {
        return None;
    }
    let (text, bad) = decode_gb(raw);
    if bad {
        return None;
    }
    let mut ideographs = 0usize;
    for c in text.chars().filter(|c| !c.is_ascii()) {
        if is_ideograph(c) {
            ideographs += 1;
        } else if !is_cjk_punct(c) {
            return None;
        }
    }
    (ideographs >= 2).then_some(text)
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

fn lossy_note(label: &str) -> Message {
    msg!("part.charset.lossy", charset = label)
}

fn utf8_note(label: &str) -> Message {
    msg!("part.charset.utf8", charset = label)
}

/// Declared single-byte set (no code extensions).
fn decode_single(raw: &[u8], ir: u16) -> Decoded {
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

fn decode_ir13(raw: &[u8]) -> Decoded {
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

fn decode_utf8(raw: &[u8]) -> Decoded {
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

fn decode_gb_declared(raw: &[u8], rep: Rep) -> Decoded {
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

fn decode_ext(raw: &[u8], charsets: &[String], initial: State, pn: bool) -> Decoded {
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
    use super::*;

    fn cs(terms: &[&str]) -> Vec<String> {
        terms.iter().map(|t| (*t).to_owned()).collect()
    }

    fn text(raw: &[u8], terms: &[&str], pn: bool) -> String {
        let d = decode(raw, &cs(terms), pn);
        assert_eq!(d.repair, None, "unexpected repair for {raw:02x?}");
        d.text
    }

    fn repaired_as(raw: &[u8], terms: &[&str], pn: bool) -> (String, Repair) {
        let d = decode(raw, &cs(terms), pn);
        let r = d
            .repair
            .unwrap_or_else(|| panic!("no repair: {:?}", d.text));
        (d.text, r)
    }

    fn cat(parts: &[&[u8]]) -> Vec<u8> {
        parts.concat()
    }

    // Byte literals copied from /work/shared/corpus/case-chinese-charset
    // (PatientName raw bytes and SpecificCharacterSet, read with pydicom).
    const CT_IR58: &[u8] = b"Wang^XiaoDong=\x1b$)A\xcd\xf5^\x1b$)A\xd0\xa1\xb6\xab=";
    const CT_UTF8: &[u8] = b"Wang^XiaoDong=\xe7\x8e\x8b^\xe5\xb0\x8f\xe4\xb8\x9c= ";
    const MR_NO_CHARSET: &[u8] = b"\xcd\xf5\xd0\xa1\xb6\xab";
    const CHRX1: &[u8] = b"Wang^XiaoDong=\xe7\x8e\x8b^\xe5\xb0\x8f\xe6\x9d\xb1= ";
    const CHRX2: &[u8] = b"Wang^XiaoDong=\xcd\xf5^\xd0\xa1\xb6\xab=";

    // PS3.5 H.3.1, built from the JIS X 0208 codes.
    fn japanese_h31() -> Vec<u8> {
        cat(&[
            b"Yamada^Tarou=",
            b"\x1b$B\x3b\x33\x45\x44\x1b(B^\x1b$B\x42\x40\x4f\x3a\x1b(B=",
            b"\x1b$B\x24\x64\x24\x5e\x24\x40\x1b(B^\x1b$B\x24\x3f\x24\x6d\x24\x26\x1b(B",
        ])
    }

    // PS3.5 H.3.2: katakana first value, JIS X 0201 Roman as the return set.
    fn japanese_h32() -> Vec<u8> {
        cat(&[
            b"\xd4\xcf\xc0\xde^\xc0\xdb\xb3=",
            b"\x1b$B\x3b\x33\x45\x44\x1b(J^\x1b$B\x42\x40\x4f\x3a\x1b(J=",
            b"\x1b$B\x24\x64\x24\x5e\x24\x40\x1b(J^\x1b$B\x24\x3f\x24\x6d\x24\x26\x1b(J",
        ])
    }

    // PS3.5 I.2, KS X 1001 in G1.
    fn korean_i2() -> Vec<u8> {
        cat(&[
            b"Hong^Gildong=",
            b"\x1b$)C\xfb\xf3^\x1b$)C\xd1\xce\xd4\xd7=",
            b"\x1b$)C\xc8\xab^\x1b$)C\xb1\xe6\xb5\xbf",
        ])
    }

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
