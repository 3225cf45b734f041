//! Tumour markers a document reports as measured, by their canonical names (`CEA`, `CA19-9`…),
//! whether written as the abbreviation in any spacing (`CA 19-9`, `CA19.9`, `CA199`), the
//! Chinese, English or Russian name (`癌胚抗原`, `alpha-fetoprotein`, `РЭА`) or, in Russian, with
//! Cyrillic `СА`.
//!
//! Measured, not mentioned: every marker of a laboratory report counts; elsewhere a marker counts
//! when it is a row of a results table (it begins the line and a number follows), or when its
//! line or its section is about tests (`肿瘤标志物`, `腫瘍マーカー`, `Tumour markers`,
//! `Лабораторные данные`, `检验`, `辅助检查`, `Labs`…). A marker named in a narrative
//! (`CA15-3 26.8U/mL（略高）` in a hospital course) is a mention: the lab report it comes from is
//! the record to ask for.

use super::prepare::{find_word, is_cjk, is_word_char, Line};

/// (canonical name, names in key form; a space means "any separator or none").
const MARKERS: &[(&str, &[&str])] = &[
    (
        "CEA",
        &["cea", "癌胚抗原", "carcinoembryonic antigen", "рэа"],
    ),
    (
        "AFP",
        &[
            "afp",
            "甲胎蛋白",
            "alpha fetoprotein",
            "α fetoprotein",
            "afp l3",
            "афп",
        ],
    ),
    ("CA125", &["ca 125", "糖类抗原 125", "са 125"]),
    ("CA19-9", &["ca 19 9", "糖类抗原 19 9", "са 19 9"]),
    ("CA15-3", &["ca 15 3", "糖类抗原 15 3", "са 15 3"]),
    ("CA72-4", &["ca 72 4", "糖类抗原 72 4", "са 72 4"]),
    ("CA242", &["ca 242", "糖类抗原 242"]),
    ("CA50", &["ca 50", "糖类抗原 50"]),
    (
        "CYFRA21-1",
        &["cyfra 21 1", "cyfra", "细胞角蛋白19片段", "细胞角蛋白 19"],
    ),
    (
        "NSE",
        &[
            "nse",
            "神经元特异性烯醇化酶",
            "neuron specific enolase",
            "нсе",
        ],
    ),
    ("ProGRP", &["progrp", "pro grp", "胃泌素释放肽前体"]),
    (
        "PIVKA-II",
        &[
            "pivka ii",
            "pivka 2",
            "异常凝血酶原",
            "des gamma carboxy prothrombin",
        ],
    ),
    (
        "HE4",
        &[
            "he4",
            "人附睾蛋白4",
            "人附睾蛋白 4",
            "human epididymis protein 4",
        ],
    ),
    (
        "SCC",
        &[
            "scc",
            "scca",
            "scc ag",
            "鳞状细胞癌抗原",
            "鳞癌抗原",
            "squamous cell carcinoma antigen",
        ],
    ),
    (
        "PSA",
        &[
            "psa",
            "tpsa",
            "t psa",
            "fpsa",
            "f psa",
            "前列腺特异性抗原",
            "prostate specific antigen",
            "пса",
        ],
    ),
];

/// Words that make a section about measured tests (key form), in its heading.
const SECTION_WORDS: &[&str] = &[
    "肿瘤标志物",
    "肿瘤标记物",
    "マーカー",
    "实验室检查",
    "辅助检查",
    "血液検査",
    "tumour marker",
    "tumor marker",
    "labs",
    "lab results",
    "laboratory results",
    "laboratory data",
    "лабораторные",
    "онкомаркер",
    "анализ крови",
];
/// Words that make a line about measured tests: the section words and these (which are also in
/// a laboratory's letterhead, so do not open a section).
const LINE_WORDS: &[&str] = &["检验", "化验", "laboratory"];

/// The markers measured, in order of first appearance. `lab` says the document is a laboratory
/// report.
pub(super) fn read(lines: &[Line], lab: bool) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut section = false;
    for line in lines {
        let key = &line.key;
        let has = |words: &[&str]| words.iter().any(|w| find_word(key, w, 0, false).is_some());
        let section_words = has(SECTION_WORDS);
        let about_tests = section_words || has(LINE_WORDS);
        if heading(line) {
            section = section_words;
        }
        for (at, canonical) in occurrences(key) {
            let row = key[..at].trim().is_empty() && value_follows(&key[at..]);
            if (lab || about_tests || section || row) && !found.iter().any(|f| f == canonical) {
                found.push(canonical.to_string());
            }
        }
    }
    found
}

/// A heading: a short line with no digits and no field value.
fn heading(line: &Line) -> bool {
    let chars = line.text.chars().count();
    let cjk = line.text.chars().any(is_cjk);
    chars <= if cjk { 12 } else { 40 } && !line.text.contains(|c: char| c.is_ascii_digit()) && {
        let t = line.text.trim_end_matches(':');
        !t.contains(':')
    }
}

/// A number follows the marker's name within the next few words.
fn value_follows(rest: &str) -> bool {
    rest.split_whitespace()
        .skip(1)
        .take(3)
        .any(|w| w.starts_with(|c: char| c.is_ascii_digit() || c == '<' || c == '>'))
}

/// Each marker name in a key: (byte offset, canonical name), in order.
fn occurrences(key: &str) -> Vec<(usize, &'static str)> {
    let mut out = Vec::new();
    for &(canonical, names) in MARKERS {
        for name in names {
            let mut from = 0;
            while let Some((at, end)) = find_name(key, name, from) {
                out.push((at, canonical));
                from = end;
            }
        }
    }
    out.sort();
    out
}

/// Finds a name whose spaces stand for an optional separator (` `, `-`, `.`, `_`), as a word:
/// no letter or digit of a spaced script glued before or after.
fn find_name(key: &str, name: &str, from: usize) -> Option<(usize, usize)> {
    let parts: Vec<&str> = name.split(' ').collect();
    let mut search = from;
    loop {
        let at = find_word(key, parts[0], search, false)?;
        search = at + parts[0].len();
        let mut end = search;
        let mut ok = true;
        for part in &parts[1..] {
            let rest = &key[end..];
            let skip = rest
                .chars()
                .next()
                .filter(|c| matches!(c, ' ' | '-' | '.' | '_' | '‐' | '–'))
                .map_or(0, char::len_utf8);
            if key[end + skip..].starts_with(part) {
                end += skip + part.len();
            } else {
                ok = false;
                break;
            }
        }
        let glued = key[end..].chars().next().is_some_and(is_word_char)
            && name.chars().next_back().is_some_and(is_word_char);
        if ok && !glued {
            return Some((at, end));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::prepare::lines;
    use super::*;

    fn markers(text: &str, lab: bool) -> Vec<String> {
        read(&lines(text, 1 << 20).0, lab)
    }

    #[test]
    fn names_in_any_spelling() {
        assert_eq!(
            markers("CA 19-9 30\nCA19.9 30\nca199 1\n糖类抗原125 20\nCYFRA 21-1 3.1\nproGRP 40\nfPSA 0.3", true),
            ["CA19-9", "CA125", "CYFRA21-1", "ProGRP", "PSA"]
        );
        assert_eq!(
            markers("Онкомаркеры: РЭА 3,1 нг/мл; СА-125 12 Ед/мл", false),
            ["CEA", "CA125"]
        );
        assert!(markers("ocean scca1b", true).is_empty());
    }

    #[test]
    fn measured_not_mentioned() {
        let narrative = "住院经过\n术前检查大致正常，CEA 6.2ng/mL（略高），行手术。";
        assert!(markers(narrative, false).is_empty());
        let section = "辅助检查\n血常规正常，CEA 6.2ng/mL，AFP 3ng/mL";
        assert_eq!(markers(section, false), ["CEA", "AFP"]);
        let row = "Results\nPSA 4.1 ng/mL 0-4";
        assert_eq!(markers(row, false), ["PSA"]);
    }
}
