//! Whether an alphabetic name is the pinyin of a Han name: `Wu^Xiaoming` of `吴^晓明`,
//! `HUANG^MEI LING` of `黄^美玲`, `Lv Xin`, `Lü Xin` or `Lyu Xin` of `吕欣`.
//!
//! The readings come from a table build.rs writes from the `pinyin` crate (mozillazg's
//! pinyin-data), restricted to the 6,763 GB2312 characters and stored as syllable indices, with
//! the Simplified form of each Big5 character (OpenCC's, from the `fast2s` crate) so that
//! `鄭^國強` is `郑^国强` (the document reader's `hant` table holds only 833 common pairs). The
//! crate itself holds every CJK character with tones in several styles: measured, it added far
//! more to the page's first-scan wasm than the ~25 kB (brotli) the restricted table costs
//! (numbers in BENCHMARKS.md). A character outside the table (rare, or a Traditional form
//! with no Simplified one) makes the names "cannot compare", never a match.

include!(concat!(env!("OUT_DIR"), "/pinyin_table.rs"));

/// The Simplified form of a Traditional character, when it differs.
pub(super) fn simplified(c: char) -> Option<char> {
    let t = u16::try_from(u32::from(c)).ok()?;
    let i = T2S.binary_search_by_key(&t, |p| p.0).ok()?;
    char::from_u32(u32::from(T2S[i].1))
}

/// The toneless readings of a Simplified character (`ü` written `v`), most common first.
fn readings(c: char) -> impl Iterator<Item = &'static str> {
    let packed = u16::try_from(u32::from(c))
        .ok()
        .and_then(|c| CHARS.binary_search(&c).ok())
        .map_or(0, |i| READINGS[i]);
    (0..3)
        .map(move |k| (packed >> (10 * k)) & 1023)
        .filter(|&i| i != 0)
        .filter_map(|i| SYLLABLES.get(i as usize - 1).copied())
}

/// The ways records spell a reading: `lv` also as `lu` and `lyu` (ü has no ASCII letter).
fn spellings(reading: &str) -> Vec<String> {
    let mut out = vec![reading.to_string()];
    if reading.contains('v') {
        out.push(reading.replace('v', "u"));
        out.push(reading.replace('v', "yu"));
    }
    out
}

/// `Some(true)` when `latin` (lower-case ASCII letters, no separators) spells the readings of
/// `han` (Simplified characters) one after the other; `Some(false)` when it cannot; `None` when
/// a character has no reading in the table.
pub(super) fn spells(han: &str, latin: &str) -> Option<bool> {
    let chars: Vec<char> = han.chars().collect();
    let mut per_char: Vec<Vec<String>> = Vec::with_capacity(chars.len());
    for c in &chars {
        let all: Vec<String> = readings(*c).flat_map(spellings).collect();
        if all.is_empty() {
            return None;
        }
        per_char.push(all);
    }
    // reachable[i]: the first i characters can spell latin[..i] for these byte offsets.
    let bytes = latin.as_bytes();
    let mut reachable = vec![false; bytes.len() + 1];
    reachable[0] = true;
    for options in &per_char {
        let mut next = vec![false; bytes.len() + 1];
        for (at, _) in reachable.iter().enumerate().filter(|(_, r)| **r) {
            for s in options {
                if bytes[at..].starts_with(s.as_bytes()) {
                    next[at + s.len()] = true;
                }
            }
        }
        reachable = next;
    }
    Some(!chars.is_empty() && reachable[bytes.len()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_spelled_by_their_readings() {
        assert_eq!(spells("吴晓明", "wuxiaoming"), Some(true));
        assert_eq!(spells("黄美玲", "huangmeiling"), Some(true));
        assert_eq!(spells("张伟", "zhangwei"), Some(true));
        assert_eq!(spells("张伟", "zhangwen"), Some(false));
        assert_eq!(spells("林静", "linkexin"), Some(false));
        // ü: lv, lu or lyu; heteronyms: 曾 is zeng (surname) as well as ceng.
        for spelling in ["lvxin", "luxin", "lyuxin"] {
            assert_eq!(spells("吕欣", spelling), Some(true), "{spelling}");
        }
        assert_eq!(spells("曾强", "zengqiang"), Some(true));
        // A Cantonese romanisation is not pinyin: not a match, which callers treat as unsure.
        assert_eq!(spells("陈大文", "chantaiman"), Some(false));
        // A character outside the table: cannot say.
        assert_eq!(spells("𠀀", "a"), None);
        assert_eq!(spells("", ""), Some(false));
    }

    #[test]
    fn traditional_characters_fold_to_simplified() {
        for (t, s) in [
            ('鄭', '郑'),
            ('國', '国'),
            ('強', '强'),
            ('陳', '陈'),
            ('麗', '丽'),
            ('華', '华'),
            ('張', '张'),
        ] {
            assert_eq!(simplified(t), Some(s), "{t}");
        }
        assert_eq!(simplified('郑'), None);
        assert_eq!(simplified('A'), None);
    }
}
