//! People's names compared the way records write them: DICOM `Family^Given=漢字^名`, a form's
//! `LI, Xiuying`, a letter's `Xiuying Li`, `王 建国`, `王建國`, full-width letters. A name
//! becomes a set of keys per script; two names are the same when they share a key, different
//! when they are written in a common script and share none; a Han name and an alphabetic one
//! are compared through pinyin (`super::pinyin`), and otherwise cannot be compared.
//!
//! The keys: every `=` group on its own (DICOM's alphabetic, ideographic and phonetic forms);
//! full-width folded to ASCII; Han groups with their separators dropped and Traditional
//! characters read as Simplified (`super::pinyin::simplified`, then the document reader's
//! `hant`); alphabetic groups in lower
//! case, pinyin tone marks and tone numbers dropped (`Wú Xiǎomíng`, `Wu2 Xiao3ming2`; `ü` as
//! `v`), split into words at anything that is not a letter, and written as every
//! rotation of the word order joined without spaces — so `LI, Xiuying`, `Li^Xiuying`,
//! `Xiuying Li` and `Li Xiu-ying` share `lixiuying`, whichever order and spacing a hospital used.

use std::collections::BTreeSet;

use super::pinyin;
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

/// How two names compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NameMatch {
    /// A spelling in common.
    Same,
    /// No script in common, but the alphabetic form is the pinyin of the Han form.
    Pinyin,
    /// Written in a common script with no spelling in common.
    Different,
    /// Han against alphabetic only, and not pinyin: another person, or a romanisation that is
    /// not pinyin (Cantonese `Chan`, Wade-Giles `Hsu`): unsure.
    NotPinyin,
    /// Nothing to compare (no script in common, characters outside the pinyin table).
    Unknown,
}

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
                    .map(|c| {
                        pinyin::simplified(c)
                            .or_else(|| hant::simplified(c))
                            .unwrap_or(c)
                    })
                    .flat_map(char::to_lowercase)
                    .collect();
                if !key.is_empty() {
                    keys.insert((Script::Han, key));
                }
                continue;
            }
            let words: Vec<String> = group
                .split(|c: char| !c.is_alphanumeric())
                .map(|w| w.chars().filter_map(untoned).collect::<String>())
                .filter(|w| !w.is_empty())
                .take(MAX_WORDS)
                .map(|w| w.to_lowercase())
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

    /// `Some(true)`: a spelling in common, or pinyin of each other; `Some(false)`: written in a
    /// common script with no spelling in common; `None`: nothing sure can be said.
    pub(super) fn same(&self, other: &NameKeys) -> Option<bool> {
        match self.compare(other) {
            NameMatch::Same | NameMatch::Pinyin => Some(true),
            NameMatch::Different => Some(false),
            NameMatch::NotPinyin | NameMatch::Unknown => None,
        }
    }

    /// How these names compare with `other`'s (see [`NameMatch`]).
    pub(super) fn compare(&self, other: &NameKeys) -> NameMatch {
        if self
            .0
            .iter()
            .any(|k| k.0 != Script::Other && other.0.contains(k))
        {
            return NameMatch::Same;
        }
        let scripts = |keys: &NameKeys| -> BTreeSet<Script> {
            keys.0
                .iter()
                .map(|k| k.0)
                .filter(|s| *s != Script::Other)
                .collect()
        };
        if !scripts(self).is_disjoint(&scripts(other)) {
            return NameMatch::Different;
        }
        let of = |keys: &'_ NameKeys, script| -> Vec<String> {
            keys.0
                .iter()
                .filter(|k| k.0 == script)
                .map(|k| k.1.clone())
                .collect()
        };
        let mut answer = NameMatch::Unknown;
        for (a, b) in [(self, other), (other, self)] {
            for han in of(a, Script::Han) {
                for latin in of(b, Script::Latin) {
                    match pinyin::spells(&han, &latin) {
                        Some(true) => return NameMatch::Pinyin,
                        Some(false) => answer = NameMatch::NotPinyin,
                        None => {}
                    }
                }
            }
        }
        answer
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

/// A letter without its pinyin tone mark (`ǚ` and `ü` as `v`, the way records type it); tone
/// numbers dropped; other characters as they are.
fn untoned(c: char) -> Option<char> {
    Some(match c {
        'ā' | 'á' | 'ǎ' | 'à' => 'a',
        'Ā' | 'Á' | 'Ǎ' | 'À' => 'A',
        'ē' | 'é' | 'ě' | 'è' => 'e',
        'Ē' | 'É' | 'Ě' | 'È' => 'E',
        'ī' | 'í' | 'ǐ' | 'ì' => 'i',
        'Ī' | 'Í' | 'Ǐ' | 'Ì' => 'I',
        'ō' | 'ó' | 'ǒ' | 'ò' => 'o',
        'Ō' | 'Ó' | 'Ǒ' | 'Ò' => 'O',
        'ū' | 'ú' | 'ǔ' | 'ù' => 'u',
        'Ū' | 'Ú' | 'Ǔ' | 'Ù' => 'U',
        'ü' | 'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' => 'v',
        'Ü' | 'Ǖ' | 'Ǘ' | 'Ǚ' | 'Ǜ' => 'V',
        '0'..='9' => return None,
        _ => c,
    })
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

    fn compare(a: &str, b: &str) -> NameMatch {
        NameKeys::of(a).compare(&NameKeys::of(b))
    }

    #[test]
    fn traditional_and_simplified_are_one_spelling() {
        assert_eq!(compare("鄭^國強", "郑^国强"), NameMatch::Same);
        assert_eq!(compare("陳^麗華", "陈丽华"), NameMatch::Same);
        assert_eq!(compare("陳^麗華", "陈^丽娟"), NameMatch::Different);
    }

    #[test]
    fn the_three_pn_groups_and_empty_components() {
        // Alphabetic=ideographic=phonetic; each group is a spelling of its own.
        let three = "Chen^Lihua=陈^丽华=チン^リカ";
        assert_eq!(compare(three, "陳^麗華"), NameMatch::Same);
        assert_eq!(compare(three, "CHEN^LIHUA"), NameMatch::Same);
        // Empty components and groups (`^^`, a trailing `=`, an empty first group) add nothing.
        assert_eq!(compare("Chen^Lihua^^^", "Chen^Lihua"), NameMatch::Same);
        assert_eq!(compare("=陈^丽华", "陈丽华"), NameMatch::Same);
        assert!(NameKeys::of("^^=^=").is_empty());
        assert!(NameKeys::of("").is_empty());
    }

    #[test]
    fn hanzi_and_pinyin_are_compared_through_pinyin() {
        assert_eq!(compare("李秀英", "LI, Xiuying"), NameMatch::Pinyin);
        assert_eq!(compare("吴^晓明", "Wu^Xiaoming"), NameMatch::Pinyin);
        assert_eq!(compare("黄^美玲", "HUANG^MEI LING"), NameMatch::Pinyin);
        // Tone marks, tone numbers, ü written v and spaces are not differences.
        assert_eq!(compare("吴晓明", "Wú Xiǎomíng"), NameMatch::Pinyin);
        assert_eq!(compare("吴晓明", "Wu2 Xiao3 ming2"), NameMatch::Pinyin);
        assert_eq!(compare("吕^欣", "Lǚ^Xīn"), NameMatch::Pinyin);
        assert_eq!(compare("吕^欣", "LV^XIN"), NameMatch::Pinyin);
        // Traditional characters are read as their Simplified forms first.
        assert_eq!(compare("鄭^國強", "Zheng^Guoqiang"), NameMatch::Pinyin);
        assert_eq!(same("李秀英", "LI, Xiuying"), Some(true));
        // Not the pinyin: unsure, not "different" (it may be a Cantonese romanisation).
        assert_eq!(compare("林^静", "Lin^Kexin"), NameMatch::NotPinyin);
        assert_eq!(compare("陈大文", "Chan Tai Man"), NameMatch::NotPinyin);
        assert_eq!(same("林^静", "Lin^Kexin"), None);
    }

    #[test]
    fn other_scripts_cannot_be_compared() {
        assert_eq!(same("Орлова Наталья", "Orlova Natalya"), None);
        assert_eq!(same("キム", "キム"), None);
        assert!(NameKeys::of(" ^ , ").is_empty());
    }
}
