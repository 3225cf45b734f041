//! The sentences of the report: a finding, checklist item or next step, from its code and
//! values, in English or Chinese, with the catalogue of [`crate::text`]. Knows nothing of HTML or
//! terminals and never reads files. [`required_ids`] lists every id the code can ask for; the
//! tests check both tables have them.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::case::{Finding, Severity};
use crate::entry::FileKind;
use crate::readiness::{
    Answer, Category, Impact, Item, Level, NextStep, ReviewFit, Slides, Status, Translation,
};
use crate::text::{
    display_date, display_name, display_sex, fact, get, join, message, t, vals, Lang,
};

// What the code can produce. Each list sits next to the tables so a new code is translated in
// the same change; `tests/report.rs` also reads case.rs and readiness.rs for codes missing here.

/// Every finding code of [`crate::case`].
pub const FINDING_CODES: &[&str] = &[
    "multiple-patients",
    "unattributed-dicom",
    "series-incomplete",
    "localizer-only",
    "derived-only",
    "no-original-imaging",
    "secondary-capture",
    "photo-of-screen",
    "dicomdir-missing-files",
    "duplicate-instance",
    "lossy-only",
    "truncated-file",
    "charset-repaired",
    "report-in-dicom",
    "viewer-software-set-aside",
    "archive-limit-hit",
    "session-limit-hit",
    "unreadable-file",
    "archive-not-opened",
];

/// The reason kinds of `series-incomplete`.
pub const SERIES_REASONS: &[&str] = &["gaps", "starts-late", "fewer-than-acquired", "few-images"];

/// Every checklist item id and the statuses [`crate::readiness::judge`] gives it.
pub const ITEM_STATUSES: &[(&str, &[Status])] = {
    use Status::*;
    &[
        ("diagnosis-report", &[Present, Partial, Missing]),
        ("imaging-dicom", &[Present, Partial, Missing]),
        ("radiology-report", &[Present, Missing]),
        ("pathology-slides", &[Present, Declared, NotNeeded, Missing]),
        ("pathology-lab-reports", &[Present, Partial, Missing]),
        ("treatment-history", &[Present, Declared, Missing]),
        ("blood-work", &[Present, Missing]),
        ("timeline", &[Present, Partial, Missing]),
        ("questions", &[Present, Partial, Missing]),
        ("translation", &[Declared, NotNeeded, Missing]),
    ]
};

/// Every next-step id.
pub const STEP_IDS: &[&str] = &[
    "remove-other-patient-files",
    "request-imaging-dicom",
    "request-complete-series",
    "request-original-series",
    "request-lossless-copy",
    "recopy-truncated-files",
    "request-pathology-slides",
    "follow-up-slides-request",
    "ask-for-recut-slides-or-blocks",
    "copy-whole-cd",
    "request-radiology-report",
    "request-pathology-lab-reports",
    "add-diagnosis-report",
    "add-treatment-history",
    "add-recent-blood-work",
    "write-timeline",
    "write-questions",
    "get-translation",
];

/// The `declared:…` evidence entries (`question-N` is `evidence.question`).
pub const EVIDENCE_IDS: &[&str] = &[
    "slides-have",
    "slides-requested",
    "slides-not-available",
    "not-cancer",
    "treatment-history",
    "timeline",
    "question",
    "translation",
];

pub const STATUSES: [Status; 5] = [
    Status::Present,
    Status::Partial,
    Status::Missing,
    Status::Declared,
    Status::NotNeeded,
];
pub const IMPACTS: [Impact; 4] = [Impact::None, Impact::Low, Impact::Medium, Impact::High];
pub const LEVELS: [Level; 3] = [
    Level::Ready,
    Level::ReviewableWithGaps,
    Level::NotYetReviewable,
];
pub const FITS: [ReviewFit; 3] = [
    ReviewFit::RemoteRecordReview,
    ReviewFit::RemoteWithPhysicalSlides,
    ReviewFit::NotYet,
];
pub const SEVERITIES: [Severity; 3] = [Severity::Info, Severity::Warning, Severity::Serious];
pub const KINDS: [FileKind; 12] = [
    FileKind::Dicom,
    FileKind::Dicomdir,
    FileKind::Screenshot,
    FileKind::Photo,
    FileKind::Slide,
    FileKind::Pdf,
    FileKind::Document,
    FileKind::Archive,
    FileKind::Software,
    FileKind::Other,
    FileKind::Empty,
    FileKind::Corrupt,
];

// The JSON names of the enums. The matches are exhaustive, so a new variant does not compile
// until it is named here (and added to the list above); the tests check them against serde.

pub fn status_id(s: Status) -> &'static str {
    match s {
        Status::Present => "present",
        Status::Partial => "partial",
        Status::Missing => "missing",
        Status::Declared => "declared",
        Status::NotNeeded => "not-needed",
    }
}

pub fn impact_id(i: Impact) -> &'static str {
    match i {
        Impact::None => "none",
        Impact::Low => "low",
        Impact::Medium => "medium",
        Impact::High => "high",
    }
}

pub fn level_id(l: Level) -> &'static str {
    match l {
        Level::Ready => "ready",
        Level::ReviewableWithGaps => "reviewable-with-gaps",
        Level::NotYetReviewable => "not-yet-reviewable",
    }
}

pub fn fit_id(f: ReviewFit) -> &'static str {
    match f {
        ReviewFit::RemoteRecordReview => "remote-record-review",
        ReviewFit::RemoteWithPhysicalSlides => "remote-with-physical-slides",
        ReviewFit::NotYet => "not-yet",
    }
}

pub fn severity_id(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Warning => "warning",
        Severity::Serious => "serious",
    }
}

pub fn answer_id(a: Answer) -> &'static str {
    match a {
        Answer::Yes => "yes",
        Answer::No => "no",
        Answer::Unsure => "unsure",
    }
}

pub fn slides_id(s: Slides) -> &'static str {
    match s {
        Slides::Have => "have",
        Slides::Requested => "requested",
        Slides::NotAvailable => "not-available",
    }
}

pub fn translation_id(t: Translation) -> &'static str {
    match t {
        Translation::Have => "have",
        Translation::NotNeeded => "not-needed",
    }
}

/// Every id the renderers can ask for, besides `label.*` (which the tests find in the output).
pub fn required_ids() -> Vec<String> {
    let mut ids = Vec::new();
    let mut add = |family: &str, names: &[&str]| {
        ids.extend(names.iter().map(|n| format!("{family}.{n}")));
    };
    add("finding", FINDING_CODES);
    add("finding.series-incomplete", SERIES_REASONS);
    for (id, statuses) in ITEM_STATUSES {
        add("item", &[id]);
        let statuses: Vec<&str> = statuses.iter().map(|s| status_id(*s)).collect();
        add(&format!("item.{id}"), &statuses);
    }
    add("step", STEP_IDS);
    add("step", &["request-pathology-slides.if-cancer"]);
    add("evidence", EVIDENCE_IDS);
    for level in LEVELS.map(level_id) {
        add("level", &[level, &format!("{level}.explain")]);
    }
    add("status", &STATUSES.map(status_id));
    add("impact", &IMPACTS.map(impact_id));
    add("fit", &FITS.map(fit_id));
    add("severity", &SEVERITIES.map(severity_id));
    add("category", &Category::ALL.map(Category::as_str));
    add("kind", &KINDS.map(FileKind::as_str));
    add(
        "answer",
        &[Answer::Yes, Answer::No, Answer::Unsure].map(answer_id),
    );
    add(
        "slides",
        &[Slides::Have, Slides::Requested, Slides::NotAvailable].map(slides_id),
    );
    add(
        "translation",
        &[Translation::Have, Translation::NotNeeded].map(translation_id),
    );
    add("sex", &["m", "f", "o"]);
    ids
}

/// "series 5 “Chest”" as the sentences name a series.
pub fn series_ref(number: Option<i64>, description: Option<&str>, lang: Lang) -> String {
    let description = description.map(str::trim).filter(|d| !d.is_empty());
    match (number, description) {
        (Some(n), Some(d)) => message(
            lang,
            "label.series-ref",
            &vals(json!({ "number": n, "description": d })),
        ),
        (Some(n), None) => n.to_string(),
        (None, Some(d)) => format!("“{d}”"),
        (None, None) => t(lang, "label.unnamed-series"),
    }
}

/// "“Chest CT” of 2024-01-17" as the sentences name a study.
pub fn study_ref(description: Option<&str>, date: Option<&str>, lang: Lang) -> String {
    let description = description
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map_or_else(|| t(lang, "label.no-description"), str::to_string);
    let date = date
        .map(display_date)
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| t(lang, "label.unknown-date"));
    message(
        lang,
        "label.study-ref",
        &vals(json!({ "description": description, "date": date })),
    )
}

fn str_value<'a>(values: &'a BTreeMap<String, Value>, key: &str) -> Option<&'a str> {
    values.get(key).and_then(Value::as_str)
}

/// The sentences of a finding: one for most codes; for `series-incomplete` a lead sentence and
/// one per reason.
pub fn finding_sentences(f: &Finding, lang: Lang) -> Vec<String> {
    let mut values = f.values.clone();
    let series = series_ref(
        values.get("series_number").and_then(Value::as_i64),
        str_value(&values, "series_description"),
        lang,
    );
    values.insert("series".into(), json!(series));
    let study = study_ref(
        str_value(&values, "study_description"),
        str_value(&values, "study_date"),
        lang,
    );
    values.insert("study".into(), json!(study));
    if str_value(&values, "modality").is_none() {
        values.insert("modality".into(), json!(t(lang, "label.unknown-modality")));
    }
    if let Some(people) = values.get("patients").and_then(Value::as_array) {
        let names: Vec<String> = people
            .iter()
            .map(|p| {
                p["name"]
                    .as_str()
                    .map(display_name)
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| t(lang, "label.unnamed-patient"))
            })
            .collect();
        values.insert("names".into(), json!(join(lang, &names)));
    }
    // Only the kinds of picture there are: "2 photos, 1 screenshot", never "0 screenshots".
    let counted = [
        ("photos", "label.count-photos"),
        ("screenshots", "label.count-screenshots"),
        ("secondary_captures", "label.count-captures"),
    ];
    let pictures: Vec<String> = counted
        .iter()
        .filter_map(|(key, id)| {
            let n = values
                .get(*key)
                .and_then(Value::as_u64)
                .filter(|n| *n > 0)?;
            Some(message(lang, id, &vals(json!({ "count": n }))))
        })
        .collect();
    let mut id = format!("finding.{}", f.code);
    if f.code == "no-original-imaging" && pictures.is_empty() {
        id.push_str(".none");
    }
    values.insert("pictures".into(), json!(join(lang, &pictures)));
    let mut out = vec![message(lang, &id, &values)];
    if f.code == "series-incomplete" {
        for reason in f
            .values
            .get("reasons")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(kind) = reason["kind"].as_str() else {
                continue;
            };
            let id = format!("finding.series-incomplete.{kind}");
            if get(Lang::En, &id).is_none() {
                continue;
            }
            let mut v = values.clone();
            if let Value::Object(m) = reason {
                v.extend(m.iter().map(|(k, x)| (k.clone(), x.clone())));
            }
            out.push(message(lang, &id, &v));
        }
    }
    out
}

/// A finding as one line of text.
pub fn finding_text(f: &Finding, lang: Lang) -> String {
    let sep = if lang == Lang::Zh { "" } else { " " };
    finding_sentences(f, lang).join(sep)
}

/// The name of a checklist item.
pub fn item_name(id: &str, lang: Lang) -> String {
    t(lang, &format!("item.{id}"))
}

/// What an item's status means, in a sentence; the status word when there is no sentence.
pub fn item_sentence(item: &Item, lang: Lang) -> String {
    let id = format!("item.{}.{}", item.id, status_id(item.status));
    match get(Lang::En, &id) {
        Some(_) => message(lang, &id, &item.values),
        None => t(lang, &format!("status.{}", status_id(item.status))),
    }
}

/// A next step in a sentence.
pub fn step_sentence(step: &NextStep, lang: Lang) -> String {
    let mut id = format!("step.{}", step.id);
    // When the patient is not sure it is cancer, slides are asked for conditionally.
    let unsure = step.values.get("cancer").and_then(Value::as_str) == Some("unsure");
    if unsure && get(Lang::En, &format!("{id}.if-cancer")).is_some() {
        id.push_str(".if-cancer");
    }
    message(lang, &id, &step.values)
}

/// A patient in one line: name (ID, birth date, sex).
pub fn patient_line(p: &crate::case::Patient, lang: Lang) -> String {
    let name = p
        .name
        .as_deref()
        .map(display_name)
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| t(lang, "label.unnamed-patient"));
    let mut facts = Vec::new();
    if !p.patient_ids.is_empty() {
        facts.push(fact(lang, "label.patient-id", &p.patient_ids.join(", ")));
    }
    if let Some(b) = &p.birth_date {
        facts.push(fact(lang, "label.birth-date", &display_date(b)));
    }
    if let Some(s) = &p.sex {
        facts.push(fact(lang, "label.sex", &display_sex(s, lang)));
    }
    if facts.is_empty() {
        return name;
    }
    message(
        lang,
        "label.with-facts",
        &vals(json!({ "name": name, "facts": join(lang, &facts) })),
    )
}

/// An evidence entry for people: `declared:…` in words, a file path as it is.
pub fn evidence_text(evidence: &str, lang: Lang) -> String {
    let Some(what) = evidence.strip_prefix("declared:") else {
        return evidence.to_string();
    };
    if let Some(n) = what.strip_prefix("question-") {
        return message(lang, "evidence.question", &vals(json!({ "n": n })));
    }
    let id = format!("evidence.{what}");
    match get(Lang::En, &id) {
        Some(_) => t(lang, &id),
        None => what.to_string(),
    }
}

/// Whether an evidence entry is a file (rather than something the patient said).
pub fn is_file_evidence(evidence: &str) -> bool {
    !evidence.starts_with("declared:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_required_id_is_translated() {
        for id in required_ids() {
            for lang in Lang::ALL {
                let text = get(lang, &id).unwrap_or_else(|| panic!("{id} lacks {lang:?}"));
                assert!(!text.trim().is_empty(), "{id} is empty in {lang:?}");
            }
        }
    }

    #[test]
    fn enum_ids_are_the_json_names() {
        let json = |v: Value| v.as_str().unwrap().to_string();
        for s in STATUSES {
            assert_eq!(status_id(s), json(serde_json::to_value(s).unwrap()));
        }
        for i in IMPACTS {
            assert_eq!(impact_id(i), json(serde_json::to_value(i).unwrap()));
        }
        for l in LEVELS {
            assert_eq!(level_id(l), json(serde_json::to_value(l).unwrap()));
        }
        for f in FITS {
            assert_eq!(fit_id(f), json(serde_json::to_value(f).unwrap()));
        }
        for s in SEVERITIES {
            assert_eq!(severity_id(s), json(serde_json::to_value(s).unwrap()));
        }
        for k in KINDS {
            assert_eq!(k.as_str(), json(serde_json::to_value(k).unwrap()));
        }
    }
}
