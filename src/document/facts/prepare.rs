//! The text made ready to read: cut to the limit on a character boundary, split into trimmed
//! non-empty lines, full-width ASCII (`：`, `２０２３`, `（`) folded to ASCII, ideographic or
//! no-break spaces to spaces, and CJK radicals (`⼈⺠`, as some PDF writers emit) to the unified
//! ideographs they stand for ([`super::radicals`]). Each line also has a *key* with the same byte offsets: Traditional
//! characters folded to Simplified ([`super::hant`]) and letters lower-cased, so one list of
//! labels and headings in Simplified lower case reads both scripts and every case, and a match in
//! the key is a slice of the line as written.

use super::{hant, radicals};

/// One non-empty line.
pub(super) struct Line {
    /// The line as written (normalised as above, trimmed).
    pub text: String,
    /// Same byte offsets as `text`: Simplified, lower-case.
    pub key: String,
}

/// Full-width ASCII to ASCII, the other spaces to a space, radicals to ideographs; a tab becomes
/// a space too (two spaces mark a gap between fields, see [`Line`] users).
fn fold(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{00A0}' | '\u{2002}'..='\u{200A}' | '\u{202F}' => ' ',
        _ => radicals::unified(c).unwrap_or(c),
    }
}

/// The key character: Simplified, lower-case when that keeps the UTF-8 length.
fn key_char(c: char) -> char {
    if let Some(s) = hant::simplified(c) {
        return s;
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) if l.len_utf8() == c.len_utf8() => l,
        _ => c,
    }
}

/// `text` cut to at most `max_bytes` (on a character boundary) and split into lines; also
/// whether it was cut.
pub(super) fn lines(text: &str, max_bytes: usize) -> (Vec<Line>, bool) {
    let mut end = text.len().min(max_bytes);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = end < text.len();
    let lines = text[..end]
        .split(['\n', '\r', '\u{2028}', '\u{2029}', '\u{000C}'])
        .filter_map(|raw| {
            let text: String = raw
                .chars()
                .filter(|c| *c != '\u{FEFF}' && (!c.is_control() || *c == '\t'))
                .map(|c| if c == '\t' { ' ' } else { fold(c) })
                .collect::<String>()
                .trim()
                .to_string();
            (!text.is_empty()).then(|| Line {
                key: text.chars().map(key_char).collect(),
                text,
            })
        })
        .collect();
    (lines, cut)
}

/// A Han ideograph (the common blocks and the extensions).
pub(super) fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3134F}')
}

/// Hiragana or katakana (with the half-width forms and the prolonged sound mark).
pub(super) fn is_kana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{309F}' | '\u{30A0}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9F}')
}

/// Hangul syllables and jamo.
pub(super) fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7AF}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}')
}

/// A Cyrillic letter.
pub(super) fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}')
}

/// Han, kana or hangul: scripts written without spaces between words.
pub(super) fn is_cjk(c: char) -> bool {
    is_han(c) || is_kana(c) || is_hangul(c)
}

/// A letter or digit of a script that separates words with spaces.
pub(super) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// Where `needle` (in key form) occurs in `key` from byte `from` on, as a word when it begins
/// (or, for `whole`, also ends) with a letter or digit of a spaced script: the character before
/// (and after) must not be one. Needles in CJK match anywhere.
pub(super) fn find_word(key: &str, needle: &str, from: usize, whole: bool) -> Option<usize> {
    if needle.is_empty() || from > key.len() || !key.is_char_boundary(from) {
        return None;
    }
    let first = needle.chars().next().is_some_and(is_word_char);
    let last = needle.chars().next_back().is_some_and(is_word_char);
    key[from..]
        .match_indices(needle)
        .map(|(at, _)| from + at)
        .find(|&at| {
            let before = key[..at].chars().next_back();
            let after = key[at + needle.len()..].chars().next();
            (!first || !before.is_some_and(is_word_char))
                && (!whole || !last || !after.is_some_and(is_word_char))
        })
}

/// The key with the spaces between two CJK characters taken out, so that a heading spaced out
/// for the eye (`出 院 记 录`) reads as a word.
pub(super) fn squeezed(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    let mut out = String::with_capacity(key.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == ' ' {
            let mut j = i;
            while j < chars.len() && chars[j] == ' ' {
                j += 1;
            }
            let before = out.chars().next_back().is_some_and(is_cjk);
            let after = chars.get(j).copied().is_some_and(is_cjk);
            if !(before && after) {
                out.push(' ');
            }
            i = j;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_folded_and_keyed() {
        let (lines, cut) = lines(
            "\u{FEFF}  姓名：王建國\u{3000}性別：男 \r\n\r\n ＡＢＣ２０２３\tDOB",
            1000,
        );
        assert!(!cut);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].text, "姓名:王建國 性別:男");
        assert_eq!(lines[0].key, "姓名:王建国 性别:男");
        assert_eq!(lines[1].text, "ABC2023 DOB");
        assert_eq!(lines[1].key, "abc2023 dob");
        assert_eq!(lines[0].text.len(), lines[0].key.len());
    }

    #[test]
    fn cut_on_a_character_boundary() {
        let (lines, cut) = lines("病理号", 4);
        assert!(cut);
        assert_eq!(lines[0].text, "病");
    }

    #[test]
    fn words_and_squeezing() {
        assert_eq!(find_word("乳腺mri平扫", "mri", 0, true), Some(6));
        assert_eq!(find_word("primrose", "mri", 0, true), None);
        assert_eq!(find_word("pathology", "patholog", 0, false), Some(0));
        assert_eq!(squeezed("出 院 记 录 z1"), "出院记录 z1");
    }
}
