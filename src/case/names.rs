//! People's names compared the way records write them: DICOM `Family^Given=漢字^名`, a form's
//! `LI, Xiuying`, a letter's `Xiuying Li`, `王 建国`, `王建國`, full-width letters. A name
//! becomes a set of keys per script; two names are the same when they share a key, different
//! when they are written in a common script and share none, and cannot be compared when they
//! share no script (hanzi against pinyin needs a romanisation: issue 16).
//!
//! The keys: every `=` group on its own (DICOM's alphabetic, ideographic and phonetic forms);
//! full-width folded to ASCII; Han groups with their separators dropped and Traditional
//! characters read as Simplified (`crate::document::facts::hant`); alphabetic groups in lower
//! case, split into words at anything that is not a letter or digit, and written as every
//! rotation of the word order joined without spaces — so `LI, Xiuying`, `Li^Xiuying`,
//! `Xiuying Li` and `Li Xiu-ying` share `lixiuying`, whichever order and spacing a hospital used.

use std::collections::BTreeSet;

use crate::document::facts::hant;

/// The scripts names are compared within. Names in other scripts (kana, hangul…) are kept as
/// written but never compared: the checks here know nothing of how they vary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Script {
    Han,
    Latin,
    Cyrillic,
    Other,
}

/// Most words of one alphabetic name used: its rotations are that many keys.
const MAX_WORDS: usize = 8;
/// Most keys a person keeps, however many spellings the records give.
const MAX_KEYS: usize = 64;

/// The comparable forms of one name, or of every name a person goes by.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct NameKeys(BTreeSet<(Script, String)>);

impl NameKeys {
    /// The keys of a name as written (DICOM `=` groups and `^` components included).
    pub(super) fn of(name: &str) -> NameKeys {
        let folded: String = name.chars().map(fold_width).collect();
        let mut keys = BTreeSet::new();
        for group in folded.split('=') {
            if group.chars().any(is_han) {
                let key: String = group
                    .chars()
                    .filter(|c| c.is_alphanumeric())
                    .map(|c| hant::simplified(c).unwrap_or(c))
                    .flat_map(char::to_lowercase)
                    .collect();
                if !key.is_empty() {
                    keys.insert((Script::Han, key));
                }
                continue;
            }
            let words: Vec<String> = group
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .take(MAX_WORDS)
                .map(str::to_lowercase)
                .collect();
            let Some(script) = words.first().map(|w| script_of(w)) else {
                continue;
            };
            for start in 0..words.len() {
                let key: String = words[start..]
                    .iter()
                    .chain(&words[..start])
                    .map(String::as_str)
                    .collect();
                keys.insert((script, key));
            }
        }
        NameKeys(keys)
    }

    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds another spelling's keys (a person seen under several spellings), up to a bound.
    pub(super) fn extend(&mut self, other: &NameKeys) {
        for key in &other.0 {
            if self.0.len() >= MAX_KEYS {
                break;
            }
            self.0.insert(key.clone());
        }
    }

    /// `Some(true)`: a spelling in common; `Some(false)`: written in a common script with no
    /// spelling in common; `None`: no script in common, so nothing can be said.
    pub(super) fn same(&self, other: &NameKeys) -> Option<bool> {
        if self
            .0
            .iter()
            .any(|k| k.0 != Script::Other && other.0.contains(k))
        {
            return Some(true);
        }
        let scripts = |keys: &NameKeys| -> BTreeSet<Script> {
            keys.0
                .iter()
                .map(|k| k.0)
                .filter(|s| *s != Script::Other)
                .collect()
        };
        (!scripts(self).is_disjoint(&scripts(other))).then_some(false)
    }
}

/// Full-width ASCII forms (`Ｌｉ`) and the ideographic space as their ASCII counterparts.
fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3134F}')
}

/// The script of a word, from its letters (digits say nothing).
fn script_of(word: &str) -> Script {
    let letters = || word.chars().filter(|c| c.is_alphabetic());
    if letters().all(|c| c.is_ascii() || ('\u{C0}'..='\u{24F}').contains(&c)) {
        Script::Latin
    } else if letters().all(|c| ('\u{400}'..='\u{52F}').contains(&c)) {
        Script::Cyrillic
    } else {
        Script::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) -> Option<bool> {
        NameKeys::of(a).same(&NameKeys::of(b))
    }

    #[test]
    fn one_name_written_many_ways_is_the_same() {
        assert_eq!(same("LI, Xiuying", "Li^Xiuying"), Some(true));
        assert_eq!(same("Xiuying Li", "LI^XIUYING"), Some(true));
        assert_eq!(same("Li Xiu-ying", "Li^Xiuying"), Some(true));
        assert_eq!(same("ＬＩ　Ｘｉｕｙｉｎｇ", "li xiuying"), Some(true));
        assert_eq!(same("王 建国", "王建国"), Some(true));
        assert_eq!(same("王建國", "王^建国"), Some(true));
        assert_eq!(same("Wang^XiaoDong=王^小东=", "王小东"), Some(true));
        assert_eq!(same("Wang^XiaoDong=王^小东=", "WANG, Xiaodong"), Some(true));
        assert_eq!(
            same("Орлова Наталья Игоревна", "ОРЛОВА^НАТАЛЬЯ^ИГОРЕВНА"),
            Some(true)
        );
    }

    #[test]
    fn different_names_in_one_script_differ() {
        assert_eq!(same("李秀英", "李秀芳"), Some(false));
        assert_eq!(same("Li^Xiuying", "Li^Xiufang"), Some(false));
        // The Han form decides even when the pinyin forms cannot be compared with it.
        assert_eq!(same("Wang^XiaoDong=王^小东", "王晓东"), Some(false));
    }

    #[test]
    fn hanzi_and_pinyin_cannot_be_compared_yet() {
        assert_eq!(same("李秀英", "LI, Xiuying"), None);
        assert_eq!(same("Орлова Наталья", "Orlova Natalya"), None);
        assert_eq!(same("キム", "キム"), None);
        assert!(NameKeys::of(" ^ , ").is_empty());
    }
}
