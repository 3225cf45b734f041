//! What kind of record a document is, by weighing the words it uses.
//!
//! Each category has cues: the headings and words hospital records of that kind print, in
//! Chinese (Simplified; Traditional reads through the key), English, Russian and Japanese
//! (`出院小结`, `检查所见`, `病理号`, `参考范围`, `手术步骤`, `NGS`, `Dear Dr`, `Выписка`,
//! `読影`…). A cue counts once per line, with its weight times where the line is: ×3 in the title
//! (the first lines, short, without digits unless it is the very first: where a hospital prints
//! the record's name), ×1.5 on a section heading (a short line alone), ×1 in the body; a cue's
//! body total is capped, so a long narrative that keeps naming CT scans does not outweigh the
//! title. Structure adds evidence: lines of values with units (`26.8 U/mL`) for a lab report,
//! doses (`150mg`, `50Gy`) for treatment, a salutation and closing (`Dear…`, `Sincerely`) for a
//! letter. The patient's own notes are told by the first person (`我`, `my`, `мой`, `私`) — a
//! hospital never titles a record "my …", so a title in the first person gives all its weight to
//! patient notes — and, without a letterhead, by lines that begin with a date (a timeline) and
//! by questions; under a letterhead the first person counts half (a doctor's letter says "I").
//! The best category wins only with a score of at least [`MIN_SCORE`] and [`MARGIN`] times the
//! runner-up; otherwise `None` (unsure).
//!
//! Nothing here names a hospital, a person or a layout: the cues are the generic words of each
//! kind of record.

use std::collections::BTreeMap;

use crate::codes::Category;

use super::prepare::{find_word, is_cjk, squeezed, Line};

/// Least score to decide.
const MIN_SCORE: f32 = 5.0;
/// How many times the runner-up's score the winner needs.
const MARGIN: f32 = 1.4;
/// Lines at the top that can be the title.
const TITLE_LINES: usize = 8;

use Category::{
    DiagnosisReport as D, DischargeSummary as S, GeneticReport as G, LabResults as L,
    OperationNote as O, Other as X, PathologyReport as P, PatientNotes as N, RadiologyReport as R,
    ReferralLetter as F, TreatmentHistory as T,
};

/// (category, cue, weight). Cues in key form; `*` at the end: a word stem; `^` at the start:
/// only at the start of a line. Latin and Cyrillic cues match whole words.
const CUES: &[(Category, &str, f32)] = &[
    // Discharge summaries.
    (S, "出院小结", 6.0),
    (S, "出院记录", 6.0),
    (S, "出院摘要", 6.0),
    (S, "出院证明", 4.0),
    (S, "出院诊断", 2.0),
    (S, "出院医嘱", 2.0),
    (S, "出院时情况", 2.0),
    (S, "出院情况", 2.0),
    (S, "住院经过", 2.0),
    (S, "诊疗经过", 1.5),
    (S, "出院", 2.0),
    (S, "discharge summary", 6.0),
    (S, "discharge note", 6.0),
    (S, "discharge letter", 5.0),
    (S, "discharge diagnos*", 2.0),
    (S, "hospital course", 2.0),
    (S, "discharge*", 1.0),
    (S, "выписка", 6.0),
    (S, "выписной", 6.0),
    (S, "эпикриз", 4.0),
    (S, "на лечении", 2.0),
    (S, "退院", 4.0),
    // Diagnosis: admission and clinic records, certificates, consultations.
    (D, "入院记录", 6.0),
    (D, "门诊病历", 6.0),
    (D, "门诊记录", 5.0),
    (D, "诊断证明", 6.0),
    (D, "诊断书", 5.0),
    (D, "病情证明", 5.0),
    (D, "病程记录", 4.0),
    (D, "会诊记录", 4.0),
    (D, "会诊意见", 3.0),
    (D, "病历记录", 3.0),
    (D, "主诉", 2.0),
    (D, "现病史", 2.0),
    (D, "既往史", 1.5),
    (D, "初步诊断", 1.5),
    (D, "处理意见", 1.0),
    (D, "consultation note", 6.0),
    (D, "consult note", 6.0),
    (D, "clinic note", 5.0),
    (D, "progress note", 5.0),
    (D, "history and physical", 5.0),
    (D, "admission note", 5.0),
    (D, "office visit", 4.0),
    (D, "medical certificate", 5.0),
    (D, "chief complaint", 2.0),
    (D, "history of present illness", 2.0),
    (D, "reason for consultation", 2.0),
    (D, "assessment and plan", 2.0),
    (D, "assessment", 1.0),
    (D, "консультаци*", 4.0),
    (D, "осмотр*", 2.0),
    (D, "жалобы", 2.0),
    (D, "анамнез*", 2.0),
    (D, "诊疗録", 5.0),
    (D, "外来", 1.5),
    // Radiology.
    (R, "影像", 3.0),
    (R, "影像诊断", 2.0),
    (R, "放射", 3.0),
    (R, "ct", 2.5),
    (R, "mri", 2.5),
    (R, "磁共振", 3.0),
    (R, "磁振", 3.0),
    (R, "核磁", 3.0),
    (R, "超声", 3.0),
    (R, "彩超", 3.0),
    (R, "b超", 3.0),
    (R, "x线", 3.0),
    (R, "pet", 3.0),
    (R, "钼靶", 3.0),
    (R, "造影", 1.5),
    (R, "胶片", 2.0),
    (R, "检查所见", 3.0),
    (R, "影像所见", 3.0),
    (R, "影像表现", 3.0),
    (R, "检查描述", 3.0),
    (R, "检查发现", 3.0),
    (R, "诊断意见", 1.0),
    (R, "印象", 1.5),
    (R, "bi-rads", 2.0),
    (R, "li-rads", 2.0),
    (R, "ti-rads", 2.0),
    (R, "lung-rads", 2.0),
    (R, "增强", 1.0),
    (R, "强化", 1.0),
    (R, "平扫", 1.5),
    (R, "radiology", 4.0),
    (R, "imaging", 3.0),
    (R, "ultrasound", 3.0),
    (R, "sonograph*", 3.0),
    (R, "mammogra*", 3.0),
    (R, "x-ray", 3.0),
    (R, "radiograph*", 3.0),
    (R, "tomograph*", 3.0),
    (R, "findings", 1.5),
    (R, "impression", 2.0),
    (R, "technique", 1.5),
    (R, "contrast", 1.0),
    (R, "рентген*", 3.0),
    (R, "мрт", 3.0),
    (R, "кт", 2.5),
    (R, "узи", 3.0),
    (R, "томограф*", 3.0),
    (R, "画像", 3.0),
    (R, "読影", 3.0),
    // Pathology.
    (P, "病理", 4.0),
    (P, "病理诊断", 2.0),
    (P, "病理号", 2.0),
    (P, "镜下所见", 3.0),
    (P, "光镜所见", 3.0),
    (P, "肉眼所见", 3.0),
    (P, "大体所见", 3.0),
    (P, "大体", 1.5),
    (P, "镜下", 2.0),
    (P, "免疫组化", 2.5),
    (P, "组织学", 2.0),
    (P, "切片", 1.5),
    (P, "活检", 1.5),
    (P, "细胞学", 3.0),
    (P, "标本名称", 1.5),
    (P, "patholog*", 4.0),
    (P, "histolog*", 3.0),
    (P, "cytolog*", 3.0),
    (P, "microscopic", 2.5),
    (P, "gross description", 3.0),
    (P, "immunohistochem*", 2.5),
    (P, "slides", 1.5),
    (P, "biopsy", 1.5),
    (P, "margins", 1.0),
    (P, "гистолог*", 3.0),
    (P, "патолог*", 3.0),
    (P, "цитолог*", 3.0),
    (P, "иммуногистохим*", 2.5),
    // Laboratory.
    (L, "检验", 3.0),
    (L, "化验", 3.0),
    (L, "检验报告", 2.0),
    (L, "血常规", 3.0),
    (L, "血细胞分析", 3.0),
    (L, "生化", 2.0),
    (L, "肿瘤标志物", 3.0),
    (L, "参考范围", 3.0),
    (L, "参考值", 3.0),
    (L, "参考区间", 3.0),
    (L, "尿常规", 3.0),
    (L, "肝功能", 2.0),
    (L, "肾功能", 2.0),
    (L, "laboratory", 3.0),
    (L, "lab results", 5.0),
    (L, "results", 1.0),
    (L, "reference range", 3.0),
    (L, "reference", 1.5),
    (L, "cbc", 2.0),
    (L, "collected", 1.5),
    (L, "units", 1.5),
    (L, "flag*", 1.0),
    (L, "анализ*", 3.0),
    (L, "лаборатор*", 3.0),
    (L, "норма", 1.0),
    (L, "検査结果", 3.0),
    (L, "血液検査", 4.0),
    (L, "基準値", 3.0),
    // Treatment.
    (T, "化疗", 3.0),
    (T, "放疗", 3.0),
    (T, "治疗记录", 5.0),
    (T, "用药记录", 5.0),
    (T, "医嘱单", 5.0),
    (T, "长期医嘱", 4.0),
    (T, "临时医嘱", 4.0),
    (T, "介入治疗", 4.0),
    (T, "靶向治疗", 3.0),
    (T, "免疫治疗", 3.0),
    (T, "内分泌治疗", 3.0),
    (T, "化疗方案", 3.0),
    (T, "疗程", 2.0),
    (T, "用药", 2.0),
    (T, "给药", 2.0),
    (T, "剂量", 2.0),
    (T, "chemotherapy", 3.0),
    (T, "radiotherapy", 3.0),
    (T, "radiation therapy", 3.0),
    (T, "treatment summary", 5.0),
    (T, "treatment record", 5.0),
    (T, "medication*", 2.0),
    (T, "regimen", 2.0),
    (T, "cycle", 1.5),
    (T, "infusion", 2.0),
    (T, "химиотерап*", 3.0),
    (T, "лучев*", 2.0),
    (T, "化学疗法", 3.0),
    (T, "抗がん剤", 3.0),
    (T, "投与", 2.0),
    // Operations.
    (O, "手术记录", 6.0),
    (O, "手术记録", 6.0),
    (O, "手术名称", 3.0),
    (O, "手术步骤", 3.0),
    (O, "手术经过", 3.0),
    (O, "术者", 2.0),
    (O, "麻醉", 1.5),
    (O, "术中", 1.5),
    (O, "术前诊断", 1.5),
    (O, "术后诊断", 1.5),
    (O, "手术日期", 1.5),
    (O, "手术", 1.0),
    (O, "operative note", 6.0),
    (O, "operative report", 6.0),
    (O, "operation note", 6.0),
    (O, "operation report", 6.0),
    (O, "procedure note", 5.0),
    (O, "surgeon", 2.0),
    (O, "anesthesia", 1.5),
    (O, "anaesthesia", 1.5),
    (O, "incision", 2.0),
    (O, "estimated blood loss", 2.0),
    (O, "preoperative diagnosis", 2.0),
    (O, "postoperative diagnosis", 2.0),
    (O, "протокол операции", 6.0),
    (O, "операци*", 1.5),
    // Genetic and molecular testing.
    (G, "基因", 4.0),
    (G, "基因检测", 3.0),
    (G, "测序", 3.0),
    (G, "ngs", 3.0),
    (G, "突变", 2.0),
    (G, "变异", 2.0),
    (G, "胚系", 2.0),
    (G, "体细胞", 2.0),
    (G, "融合", 1.0),
    (G, "egfr", 1.5),
    (G, "alk", 1.0),
    (G, "ros1", 1.0),
    (G, "kras", 1.0),
    (G, "braf", 1.0),
    (G, "brca*", 1.5),
    (G, "pik3ca", 1.0),
    (G, "pd-l1", 1.5),
    (G, "msi", 1.0),
    (G, "tmb", 2.0),
    (G, "genetic*", 4.0),
    (G, "genomic*", 4.0),
    (G, "molecular", 3.0),
    (G, "sequencing", 3.0),
    (G, "mutation*", 1.5),
    (G, "variant*", 2.0),
    (G, "germline", 2.0),
    (G, "somatic", 2.0),
    (G, "генетич*", 4.0),
    (G, "молекулярн*", 3.0),
    (G, "мутаци*", 2.0),
    (G, "遗伝子", 4.0),
    (G, "遗传", 3.0),
    // Referrals and letters between doctors.
    (F, "转诊", 5.0),
    (F, "会诊申请", 5.0),
    (F, "会诊单", 4.0),
    (F, "转院", 4.0),
    (F, "介绍信", 5.0),
    (F, "referral*", 4.0),
    (F, "^dear", 5.0),
    (F, "sincerely", 3.0),
    (F, "yours faithfully", 3.0),
    (F, "kind regards", 2.0),
    (F, "best regards", 2.0),
    (F, "i enclose", 2.0),
    (F, "thank you for referring", 3.0),
    (F, "направление", 5.0),
    (F, "с уважением", 3.0),
    (F, "绍介状", 6.0),
    (F, "诊疗情报提供书", 6.0),
    (F, "拝啓", 3.0),
    // The patient's own notes.
    (N, "我", 2.0),
    (N, "我的", 3.0),
    (N, "本人", 1.0),
    (N, "my", 1.5),
    (N, "мой", 1.5),
    (N, "моя", 1.5),
    (N, "мне", 1.5),
    (N, "私", 2.0),
    // Other papers: receipts, slips, bills, appointments.
    (X, "凭条", 5.0),
    (X, "取片", 4.0),
    (X, "收据", 5.0),
    (X, "发票", 5.0),
    (X, "缴费", 4.0),
    (X, "挂号", 3.0),
    (X, "预约", 3.0),
    (X, "费用", 3.0),
    (X, "receipt", 5.0),
    (X, "invoice", 5.0),
    (X, "appointment", 3.0),
    (X, "квитанци*", 5.0),
    (X, "счет", 3.0),
];

/// Cues that put a title in the first person.
const FIRST_PERSON: &[&str] = &["我", "my", "мой", "моя", "私の"];

/// Where a line is.
#[derive(Clone, Copy, PartialEq)]
enum Place {
    Title,
    Heading,
    Body,
}

impl Place {
    fn factor(self) -> f32 {
        match self {
            Place::Title => 3.0,
            Place::Heading => 1.5,
            Place::Body => 1.0,
        }
    }
}

fn place(index: usize, line: &Line) -> Place {
    let chars = line.text.chars().count();
    let cjk = line.text.chars().filter(|&c| is_cjk(c)).count();
    let short = chars <= if cjk * 2 >= chars { 30 } else { 80 };
    let digits = line.text.contains(|c: char| c.is_ascii_digit());
    let field = line.text.trim_end_matches(':').contains(':');
    match () {
        _ if index < TITLE_LINES && short && (!digits || index == 0) && !field => Place::Title,
        _ if chars <= if cjk > 0 { 12 } else { 40 } && !digits && !field => Place::Heading,
        _ => Place::Body,
    }
}

/// Whether `cue` is on the (squeezed) line key.
fn has_cue(key: &str, cue: &str) -> bool {
    let (start, cue) = match cue.strip_prefix('^') {
        Some(c) => (true, c),
        None => (false, cue),
    };
    let (stem, cue) = match cue.strip_suffix('*') {
        Some(c) => (true, c),
        None => (false, cue),
    };
    if start {
        return key.starts_with(cue)
            && !key[cue.len()..].starts_with(|c: char| c.is_alphanumeric());
    }
    find_word(key, cue, 0, !stem).is_some()
}

/// A line of a value with a unit that has a `/` (`5.36 10⁹/L`, `26.8 U/mL`, `2,8 нг/мл`).
fn value_with_unit(key: &str) -> bool {
    let words: Vec<&str> = key.split_whitespace().collect();
    words.windows(2).any(|w| {
        let number = w[0].trim_end_matches(['↑', '↓', 'h', 'l']);
        number.parse::<f32>().is_ok() || number.replace(',', ".").parse::<f32>().is_ok()
    }) && words.iter().any(|w| {
        let w = w.trim_end_matches([',', ';', ')']);
        w.contains('/') && w.ends_with(['l', 'л']) && w.len() <= 12
    })
}

/// A dose: a number glued to `mg` or `gy` (`150mg`, `2.5 mg`, `50gy`).
fn dose(key: &str) -> bool {
    ["mg", "gy"].iter().any(|unit| {
        key.match_indices(unit).any(|(at, _)| {
            let before = key[..at].trim_end();
            let after = key[at + unit.len()..].chars().next();
            before.ends_with(|c: char| c.is_ascii_digit())
                && !after.is_some_and(|c| c.is_ascii_alphabetic())
        })
    })
}

/// The category, or `None` when unsure. `letterhead` says an institution was found on top.
pub(super) fn decide(lines: &[Line], letterhead: bool) -> Option<Category> {
    let mut scores: BTreeMap<Category, f32> = BTreeMap::new();
    let mut body: Vec<f32> = vec![0.0; CUES.len()];
    let (mut units, mut doses, mut dated, mut questions) = (0u32, 0u32, 0u32, 0u32);
    for (n, line) in lines.iter().enumerate() {
        let key = squeezed(&line.key);
        let at = place(n, line);
        let first_person = at == Place::Title && FIRST_PERSON.iter().any(|w| has_cue(&key, w));
        for (i, &(cat, cue, weight)) in CUES.iter().enumerate() {
            if !has_cue(&key, cue) {
                continue;
            }
            let cat = if first_person { N } else { cat };
            let w = weight * at.factor();
            if at == Place::Title {
                *scores.entry(cat).or_default() += w;
            } else if body[i] < 4.0 * weight {
                body[i] += w;
                *scores.entry(cat).or_default() += w;
            }
        }
        units += u32::from(value_with_unit(&line.key));
        doses += u32::from(dose(&line.key));
        dated += u32::from(
            line.text.starts_with(|c: char| c.is_ascii_digit()) && starts_with_date(&line.key),
        );
        questions += u32::from(line.text.ends_with(['?', '？']));
    }
    *scores.entry(L).or_default() += units.min(8) as f32;
    *scores.entry(T).or_default() += 0.7 * doses.min(5) as f32;
    let notes = scores.entry(N).or_default();
    if letterhead {
        *notes *= 0.5;
    } else {
        *notes += dated.min(6) as f32 + questions.min(3) as f32;
    }
    let mut order: Vec<(Category, f32)> = scores.into_iter().collect();
    order.sort_by(|a, b| b.1.total_cmp(&a.1));
    let best = *order.first()?;
    let second = order.get(1).map_or(0.0, |s| s.1);
    (best.1 >= MIN_SCORE && best.1 >= MARGIN * second).then_some(best.0)
}

/// Whether a key begins with a date (`2023.5.20 …`).
fn starts_with_date(key: &str) -> bool {
    super::dates::find(key, super::dates::Reading::default())
        .first()
        .is_some_and(|d| d.start == 0)
}
