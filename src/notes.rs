//! The patient's own parts of the checklist, judged by what they hold rather than their length:
//! a timeline gives dates and names treatments; a question names something a reviewer can
//! answer about (a finding, a body part, a drug, an option, a test, a number). "What do you
//! think?" and "你怎么看？" name nothing.
//!
//! The rules are general, for English and Chinese (and mixed) text: dates are found by their
//! shapes (a year with a month, in digits, Chinese or English month names), the named things by
//! short lists of stems of medical words in both languages, by drug-name endings (the INN stems
//! `-mab`, `-nib`, `-platin`…, `替尼`, `单抗`), by acronyms (`CT`, `HER2`, `EGFR`) and by any
//! number. A stem matches at the start of an English word (`metasta` → metastasis, metastatic)
//! and anywhere in Chinese text.

/// What a timeline holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TimelineFacts {
    /// Distinct dates of month precision or finer (`2024-03`, `2024年3月5日`, `March 2024`,
    /// `3/2024`).
    pub dates: usize,
    /// Whether a treatment is named (or said not to have started: "no treatment yet" names it).
    pub treatment: bool,
}

/// Dated events a timeline needs at least (a start and what followed).
pub const TIMELINE_DATES: usize = 2;

/// Stems of treatment words: what was done, in English and Chinese.
const TREATMENTS: &[&str] = &[
    "treat",
    "therap",
    "surger",
    "operat",
    "resect",
    "chemo",
    "radiother",
    "radiation",
    "immunother",
    "targeted",
    "transplant",
    "ablation",
    "embolization",
    "tace",
    "stent",
    "cycle",
    "dose",
    "mg",
    "drug",
    "medication",
    "hormone",
    "excision",
    "mastectomy",
    "lobectomy",
    "lumpectomy",
    "gastrectomy",
    "radiosurg",
    "治疗",
    "手术",
    "切除",
    "术后",
    "化疗",
    "放疗",
    "靶向",
    "免疫治疗",
    "疗程",
    "周期",
    "服用",
    "用药",
    "口服",
    "注射",
    "输液",
    "介入",
    "消融",
    "移植",
    "栓塞",
    "药",
];

/// Stems of the things a question can name: findings, diagnoses, body parts, options, tests.
const NAMED: &[&str] = &[
    // Findings and diagnoses.
    "nodule",
    "mass",
    "tumor",
    "tumour",
    "lesion",
    "cyst",
    "metasta",
    "lymph",
    "node",
    "shadow",
    "spot",
    "growth",
    "cancer",
    "carcinoma",
    "lymphoma",
    "leukemia",
    "leukaemia",
    "sarcoma",
    "adenoma",
    "polyp",
    "fracture",
    "stenosis",
    "aneurysm",
    "infection",
    "effusion",
    "recurren",
    "relapse",
    "progress",
    "stage",
    "staging",
    "grade",
    "diagnos",
    "benign",
    "malignan",
    "subtype",
    "mutation",
    "genetic",
    "genom",
    "margin",
    "结节",
    "肿块",
    "肿物",
    "肿瘤",
    "病灶",
    "占位",
    "囊肿",
    "转移",
    "淋巴",
    "阴影",
    "癌",
    "瘤",
    "息肉",
    "积液",
    "狭窄",
    "复发",
    "进展",
    "分期",
    "分级",
    "诊断",
    "良性",
    "恶性",
    "分型",
    "突变",
    "基因",
    "切缘",
    // Body parts.
    "lung",
    "liver",
    "breast",
    "brain",
    "kidney",
    "bone",
    "spine",
    "pancrea",
    "stomach",
    "colon",
    "rect",
    "prostate",
    "thyroid",
    "ovar",
    "uter",
    "cervi",
    "heart",
    "skin",
    "blood",
    "esophag",
    "oesophag",
    "bladder",
    "肺",
    "肝",
    "乳腺",
    "乳房",
    "脑",
    "肾",
    "骨",
    "脊",
    "胰",
    "胃",
    "肠",
    "前列腺",
    "甲状腺",
    "卵巢",
    "子宫",
    "宫颈",
    "心脏",
    "皮肤",
    "血",
    "食管",
    "膀胱",
    // Options and tests.
    "surger",
    "operat",
    "resect",
    "chemo",
    "radiother",
    "radiation",
    "immunother",
    "targeted",
    "trial",
    "transplant",
    "ablation",
    "biops",
    "watch",
    "surveillance",
    "imaging",
    "dose",
    "drug",
    "medication",
    "scan",
    "ray",
    "ultrasound",
    "marker",
    "手术",
    "切除",
    "化疗",
    "放疗",
    "靶向",
    "免疫治疗",
    "临床试验",
    "移植",
    "消融",
    "活检",
    "穿刺",
    "随访",
    "剂量",
    "药",
    "介入",
    "彩超",
    "核磁",
    "增强",
];

/// Endings of drug names (WHO INN stems).
const DRUG_ENDINGS: &[&str] = &[
    "mab", "nib", "platin", "taxel", "rubicin", "parib", "ciclib", "lisib", "rafenib", "trozole",
    "fen", "relin", "tecan", "citabine", "mustine", "statin", "sartan", "pril",
];

/// English month names; their first three letters (and `sept`) are the abbreviations.
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Lower-case English words (runs of ASCII letters) with their byte ranges.
fn words(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (c.is_ascii_alphabetic(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i, text[s..i].to_ascii_lowercase()));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Whether a stem is in the text: anywhere when it is Chinese, at a word's start when English.
fn has_stem(text: &str, english: &[(usize, usize, String)], stems: &[&str]) -> bool {
    stems.iter().any(|stem| {
        if stem.is_ascii() {
            english.iter().any(|(_, _, w)| w.starts_with(stem))
        } else {
            text.contains(stem)
        }
    })
}

/// Digits as ASCII (full-width ones folded).
fn fold_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '／' => '/',
            '－' => '-',
            '．' => '.',
            _ => c,
        })
        .collect()
}

/// Runs of ASCII digits with their byte ranges and values (at most 4 digits kept).
fn numbers(text: &str) -> Vec<(usize, usize, u32)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let value = text[start..i.min(start + 6)].parse().unwrap_or(u32::MAX);
            out.push((start, i, value));
        } else {
            i += 1;
        }
    }
    out
}

/// Whether the date whose year is at `start..end` of `lower` (the text, lower case) is a birth
/// date: a birth word a few characters before or after it on its line. A birth date is no event
/// of the illness.
fn is_birth_date(lower: &str, start: usize, end: usize) -> bool {
    let line_start = lower[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = lower[end..].find('\n').map_or(lower.len(), |i| end + i);
    let before: String = lower[line_start..start]
        .chars()
        .rev()
        .take(16)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let after: String = lower[end..line_end].chars().take(12).collect();
    ["出生", "生日", "born", "birth", "dob", "d.o.b"]
        .iter()
        .any(|w| before.contains(w) || after.contains(w))
}

/// The distinct (year, month) dates of a text, birth dates left out.
fn dates(text: &str) -> Vec<(u32, u32)> {
    let text = fold_digits(text);
    let english = words(&text);
    let nums = numbers(&text);
    let mut found: Vec<(u32, u32)> = Vec::new();
    let year = |v: u32| (1900..=2100).contains(&v);
    let month = |v: u32| (1..=12).contains(&v);
    let month_name = |w: &str| {
        MONTHS
            .iter()
            .position(|m| w == *m || w == &m[..3] || (w == "sept" && m.starts_with(w)))
            .map(|i| i as u32 + 1)
    };
    let lower = text.to_lowercase();
    for (k, &(start, end, value)) in nums.iter().enumerate() {
        if !year(value) || end - start != 4 || is_birth_date(&lower, start, end) {
            continue;
        }
        // Year then month: 2024-03, 2024.3, 2024/3/5, 2024年3月.
        let after = &text[end..];
        let sep = after.chars().next();
        if matches!(sep, Some('-' | '.' | '/' | '年')) {
            if let Some(&(s, _, m)) = nums.get(k + 1) {
                if s == end + sep.map_or(0, char::len_utf8) && month(m) {
                    found.push((value, m));
                    continue;
                }
            }
        }
        // Month then year: 03/2024, 3.2024, 5/3/2024 (the month is the number before the year
        // in either order of day and month: only the month's year counts here).
        if start > 0 && matches!(text[..start].chars().last(), Some('/' | '.' | '-')) {
            if let Some(&(_, e, m)) = k.checked_sub(1).and_then(|j| nums.get(j)) {
                if e + 1 == start && month(m) {
                    found.push((value, m));
                    continue;
                }
            }
        }
        // English month names next to the year: March 2024, 5 Mar 2024, 2024 March.
        let before = english.iter().rev().find(|(_, e, _)| *e <= start);
        let next = english.iter().find(|(s, _, _)| *s >= end);
        let near = |gap: &str| {
            gap.chars()
                .all(|c| c.is_whitespace() || c == ',' || c.is_ascii_digit())
        };
        let named = before
            .filter(|(_, e, _)| near(&text[*e..start]))
            .and_then(|(_, _, w)| month_name(w))
            .or_else(|| {
                next.filter(|(s, _, _)| near(&text[end..*s]))
                    .and_then(|(_, _, w)| month_name(w))
            });
        if let Some(m) = named {
            found.push((value, m));
        }
    }
    found.sort_unstable();
    found.dedup();
    found
}

/// What a timeline holds: its dates and whether it names a treatment.
pub fn timeline_facts(text: &str) -> TimelineFacts {
    let english = words(text);
    TimelineFacts {
        dates: dates(text).len(),
        treatment: has_stem(text, &english, TREATMENTS),
    }
}

/// A real question: a few words and a question mark (either width), or a Chinese question word.
pub fn is_question(q: &str) -> bool {
    let words = q.split_whitespace().count();
    let chars = q.chars().count();
    let asks = q.ends_with('?')
        || q.ends_with('？')
        || ["吗", "什么", "是否", "怎么", "如何", "哪"]
            .iter()
            .any(|w| q.contains(w));
    asks && (words >= 3 || chars >= 6)
}

/// Whether a question names something a reviewer can answer about: a finding, a diagnosis, a
/// body part, a drug, an option or a test, a number, an acronym (`CT`, `HER2`) or a quoted term.
pub fn names_something(q: &str) -> bool {
    let folded = fold_digits(q);
    if folded.bytes().any(|b| b.is_ascii_digit()) {
        return true;
    }
    let english = words(&folded);
    if has_stem(&folded, &english, NAMED) {
        return true;
    }
    let drug = english
        .iter()
        .any(|(_, _, w)| w.len() >= 6 && DRUG_ENDINGS.iter().any(|e| w.ends_with(e)));
    let drug_zh = ["替尼", "单抗", "铂", "紫杉", "他滨", "比星"]
        .iter()
        .any(|w| folded.contains(w));
    // An acronym: two or more capitals (CT, PET, HER2, PD-L1's PD).
    let acronym = english
        .iter()
        .any(|(s, e, _)| e - s >= 2 && folded[*s..*e].bytes().all(|b| b.is_ascii_uppercase()));
    let quoted = ['“', '"', '「', '《'].iter().any(|open| {
        folded
            .split(*open)
            .nth(1)
            .is_some_and(|rest| rest.len() > 1)
    });
    drug || drug_zh || acronym || quoted
}

/// A question that counts on the checklist: a real question that names something.
pub fn is_specific_question(q: &str) -> bool {
    is_question(q) && names_something(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timeline_gives_dates_of_month_precision_in_any_form() {
        let en = "Cough since March 2023. 2023-05 CT showed a mass; biopsy 12/2023.";
        assert_eq!(timeline_facts(en).dates, 3);
        let zh = "2023年5月 发现肿块；2023.6.7 手术；２０２３／７ 开始化疗";
        assert_eq!(timeline_facts(zh).dates, 3);
        // Years alone, codes and impossible months are no dates.
        assert_eq!(
            timeline_facts("Since 2019 I feel tired; ID 20231234").dates,
            0
        );
        assert_eq!(timeline_facts("2023-13 and 2023/00").dates, 0);
        // A birth date is no event.
        assert_eq!(
            timeline_facts("李秀英，1962年3月14日出生\nBorn 14 March 1962").dates,
            0
        );
        // One date written twice is one date.
        assert_eq!(timeline_facts("2024-03-02 CT; 2024-03-15 MRI").dates, 1);
    }

    #[test]
    fn a_timeline_names_a_treatment_or_says_there_was_none() {
        assert!(timeline_facts("2023-07 started chemotherapy (EC, 4 cycles)").treatment);
        assert!(timeline_facts("2023年6月 左乳切除").treatment);
        assert!(timeline_facts("No treatment yet; waiting for the opinion.").treatment);
        assert!(timeline_facts("尚未治疗").treatment);
        assert!(!timeline_facts("2023-05 lump found; 2023-06 biopsy; 2023-07 scan").treatment);
        assert!(!timeline_facts("2023年5月 发现肿块，2023年6月 做了检查").treatment);
    }

    #[test]
    fn a_question_is_specific_when_it_names_something() {
        for q in [
            "Is the 8 mm nodule in the right lung benign?",
            "Is surgery still an option?",
            "Should I switch from osimertinib?",
            "Is the HER2 result reliable?",
            "Do I need a PET scan?",
            "Which follow-up imaging do you advise?",
            "Is an X-ray enough?",
            "肺部结节需要手术吗？",
            "吉非替尼还要继续吃吗？",
            "分期是否准确？",
            "肿瘤标志物升高说明什么？",
            "What does “ground glass” mean here?",
        ] {
            assert!(is_specific_question(q), "{q}");
        }
        for q in [
            "What do you think?",
            "你怎么看？",
            "Is it serious?",
            "What should I do now?",
            "我该怎么办？",
            "严重吗？",
            "Can you help me?",
        ] {
            assert!(!is_specific_question(q), "{q}");
        }
        // A statement is no question, however specific.
        assert!(!is_specific_question("The nodule is 8 mm"));
    }
}
