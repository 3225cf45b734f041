//! The institution a document comes from: its letterhead. Hospital documents print the issuing
//! hospital, clinic or laboratory on top, so the first lines are read (a line that is a sentence,
//! starts with a number or is long is not a letterhead), split at ` - `, `|`, `·` or a gap of two
//! spaces, and the first part that names an institution by the words institutions are called
//! (`医院`, `医学中心`, `检验所`, `Hospital`, `Centre`, `Clinic`, `больница`, `クリニック`, …)
//! is it. Chinese and Japanese names end with that word, so a department written after it
//! (`淮海省立医院 医学影像科`, `…医院检验科`) is left out, and a word that goes on with other
//! words (`去医院复查`) is not a name. A footer, a `送检医院` field or a
//! hospital mentioned in the body is not the letterhead and is not read.

use super::prepare::{find_word, is_cjk, Line};

/// Lines read from the top.
const TOP_LINES: usize = 8;

/// Words that end a CJK institution's name (in key form: Simplified).
const CJK_WORDS: &[&str] = &[
    "医院",
    "医学中心",
    "医疗中心",
    "中心",
    "卫生院",
    "保健院",
    "诊所",
    "门诊部",
    "检验所",
    "检测所",
    "研究所",
    "研究院",
    "病院",
    "クリニック",
    "診療所",
    "诊疗所",
    "センター",
    "병원",
    "의원",
];

/// What may follow the name in the same word: a department or the record's name.
const DEPARTMENT: &[&str] = &["科", "部", "室", "处", "病区", "病历", "中心"];

/// Words that make a part in letters an institution's name (key form: lower case).
const WORDS: &[&str] = &[
    "hospital",
    "hospitals",
    "clinic",
    "clinics",
    "centre",
    "center",
    "infirmary",
    "institute",
    "klinik",
    "klinikum",
    "hôpital",
    "больница",
    "больницы",
    "клиника",
    "центр",
    "диспансер",
    "госпиталь",
    "поликлиника",
    "гауз",
    "гбуз",
    "фгбу",
    "гуз",
];

/// The institution named in the letterhead, as written.
pub(super) fn read(lines: &[Line]) -> Option<String> {
    lines.iter().take(TOP_LINES).find_map(from_line)
}

fn from_line(line: &Line) -> Option<String> {
    let text = &line.text;
    let cjk = text.chars().filter(|&c| is_cjk(c)).count();
    let long = if cjk > 0 { 40 } else { 100 };
    if text.chars().count() > long
        || text.starts_with(|c: char| c.is_ascii_digit())
        || text.contains(['，', '。', '；'])
        || text.contains(", ") && cjk > 0
    {
        return None;
    }
    parts(line).into_iter().find_map(|(start, end)| {
        let part = &text[start..end];
        let key = &line.key[start..end];
        if part.chars().next().is_some_and(is_cjk) {
            cjk_name(part, key)
        } else {
            let words = part.split_whitespace().count();
            let named = WORDS.iter().any(|w| find_word(key, w, 0, true).is_some());
            (named && words <= 12 && !key.starts_with("department") && !key.starts_with("dept"))
                .then(|| part.trim().to_string())
        }
    })
}

/// The name up to the end of its last institution word, from a part written in CJK.
fn cjk_name(part: &str, key: &str) -> Option<String> {
    // A CJK name has no spaces: the first word that names an institution.
    let mut at = 0;
    for word in part.split(' ') {
        let k = &key[at..at + word.len()];
        let end = CJK_WORDS
            .iter()
            .filter_map(|w| k.rfind(w).map(|i| i + w.len()))
            .max();
        if let Some(end) = end {
            let (name, rest) = (&word[..end], &key[at + end..at + word.len()]);
            let department = rest.is_empty() || DEPARTMENT.iter().any(|d| rest.ends_with(d));
            return (department && name.chars().count() >= 4).then(|| name.to_string());
        }
        at += word.len() + 1;
    }
    None
}

/// Byte ranges of a line's parts: split at ` - `, ` – `, `|`, `｜`, ` · ` and two spaces.
fn parts(line: &Line) -> Vec<(usize, usize)> {
    let text = &line.text;
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    for sep in [" - ", " – ", " — ", "|", "｜", " · ", "  "] {
        cuts.extend(text.match_indices(sep).map(|(i, s)| (i, i + s.len())));
    }
    cuts.sort();
    let mut out = Vec::new();
    let mut start = 0;
    for (a, b) in cuts {
        if a >= start {
            if a > start {
                out.push((start, a));
            }
            start = b;
        }
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    out.into_iter()
        .map(|(a, b)| {
            let s = &text[a..b];
            let lead = s.len() - s.trim_start().len();
            (a + lead, a + lead + s.trim().len())
        })
        .filter(|(a, b)| b > a)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::prepare::lines;
    use super::*;

    fn inst(text: &str) -> Option<String> {
        read(&lines(text, 1 << 20).0)
    }

    #[test]
    fn letterheads() {
        assert_eq!(
            inst("江东市第一人民医院 放射科\n检查报告").as_deref(),
            Some("江东市第一人民医院")
        );
        assert_eq!(
            inst("臺北榮民總醫院\n病理報告").as_deref(),
            Some("臺北榮民總醫院")
        );
        assert_eq!(
            inst("St. Aidan's Hospital - Department of Radiology\nCT CHEST").as_deref(),
            Some("St. Aidan's Hospital")
        );
        assert_eq!(
            inst("Department of Pathology\nRiverside Medical Center\n").as_deref(),
            Some("Riverside Medical Center")
        );
        assert_eq!(
            inst("ООО «Клиника здоровья»\nЗаключение").as_deref(),
            Some("ООО «Клиника здоровья»")
        );
        assert_eq!(inst("2023.5.22 省立医院做乳腺核磁，医生说5类"), None);
        assert_eq!(inst("我的记录\n去医院复查"), None);
    }
}
