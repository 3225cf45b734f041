//! The sentences of the report: a finding, checklist item or next step, from its code and
//! values, in English or Chinese, with the catalogue of [`crate::text`]. Knows nothing of HTML or
//! terminals and never reads files. [`required_ids`] lists every id the code can ask for; the
//! tests check both tables have them.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use strum::IntoEnumIterator;

use crate::case::{Finding, FindingCode, IncompleteReason, Severity};
use crate::codes::{
    Answer, Category, Declared, Evidence, FileKind, Impact, ItemId, Level, ReviewFit, Slides,
    Status, StepId, Translation,
};
use crate::document::DocumentInfo;
use crate::readiness::{Item, NextStep};
use crate::text::{
    display_date, display_name, display_sex, fact, get, join, message, t, vals, Lang,
};

/// Every id the renderers can ask for, besides `label.*` (which the tests find in the output).
pub fn required_ids() -> Vec<String> {
    fn all<T: IntoEnumIterator + Into<&'static str>>(family: &str) -> Vec<String> {
        T::iter()
            .map(|v| format!("{family}.{}", v.into()))
            .collect()
    }
    let mut ids = all::<FindingCode>("finding");
    ids.extend(all::<IncompleteReason>("finding.series-incomplete"));
    for item in ItemId::iter() {
        ids.push(format!("item.{item}"));
        ids.extend(item.statuses().iter().map(|s| format!("item.{item}.{s}")));
    }
    ids.extend(all::<StepId>("step"));
    ids.push("step.request-pathology-slides.if-cancer".to_string());
    ids.extend(Declared::KINDS.map(|d| format!("evidence.{}", d.name())));
    for level in Level::iter() {
        ids.push(format!("level.{level}"));
        ids.push(format!("level.{level}.explain"));
    }
    ids.extend(all::<Status>("status"));
    ids.extend(all::<Impact>("impact"));
    ids.extend(all::<ReviewFit>("fit"));
    ids.extend(all::<Severity>("severity"));
    ids.extend(all::<Category>("category"));
    ids.extend(all::<FileKind>("kind"));
    ids.extend(all::<Answer>("answer"));
    ids.extend(all::<Slides>("slides"));
    ids.extend(all::<Translation>("translation"));
    ids.extend(["m", "f", "o"].map(|s| format!("sex.{s}")));
    ids.extend(["line", "unsorted", "scanned"].map(|s| format!("document.{s}")));
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
    if f.code == FindingCode::NoOriginalImaging && pictures.is_empty() {
        id.push_str(".none");
    }
    values.insert("pictures".into(), json!(join(lang, &pictures)));
    let mut out = vec![message(lang, &id, &values)];
    if f.code == FindingCode::SeriesIncomplete {
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
pub fn item_name(id: ItemId, lang: Lang) -> String {
    t(lang, &format!("item.{id}"))
}

/// What an item's status means, in a sentence; the status word when there is no sentence.
pub fn item_sentence(item: &Item, lang: Lang) -> String {
    let id = format!("item.{}.{}", item.id, item.status);
    match get(Lang::En, &id) {
        Some(_) => message(lang, &id, &item.values),
        None => t(lang, &format!("status.{}", item.status)),
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

/// What a document is and says, in one line for its row in a file list: "Pathology report:
/// pathology number: B23-11472, 2023-06-12, 李秀英, Chinese (Simplified)".
pub fn document_line(info: &DocumentInfo, lang: Lang) -> String {
    if info.text_source.is_none() {
        let pages = info.pages.unwrap_or(0);
        return message(
            lang,
            "document.scanned",
            &vals(json!({ "pages": pages.to_string() })),
        );
    }
    let facts = &info.facts;
    let Some(category) = facts.category else {
        return t(lang, "document.unsorted");
    };
    let mut parts = Vec::new();
    if let Some(number) = &facts.pathology_number {
        parts.push(fact(lang, "label.pathology-number", number));
    }
    if let Some(date) = facts.dates.first() {
        parts.push(display_date(date));
    }
    if let Some(person) = facts.patients.first() {
        parts.push(display_name(&person.name));
    }
    if !facts.tumour_markers.is_empty() {
        parts.push(fact(
            lang,
            "label.tumour-markers",
            &facts.tumour_markers.join(", "),
        ));
    }
    if let Some(tag) = &facts.language {
        let id = format!("language.{tag}");
        parts.push(get(lang, &id).map_or_else(|| tag.clone(), |_| t(lang, &id)));
    }
    let category = t(lang, &format!("category.{category}"));
    if parts.is_empty() {
        return category;
    }
    message(
        lang,
        "document.line",
        &vals(json!({ "category": category, "facts": join(lang, &parts) })),
    )
}

/// An evidence entry for people: what the patient said in words, a file path as it is.
pub fn evidence_text(evidence: &Evidence, lang: Lang) -> String {
    match evidence {
        Evidence::File(path) => path.clone(),
        Evidence::Declared(Declared::Question(n)) => message(
            lang,
            "evidence.question",
            &vals(json!({ "n": n.to_string() })),
        ),
        Evidence::Declared(d) => t(lang, &format!("evidence.{}", d.name())),
    }
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

    /// The line names the kind, the number, the date, the person and the language, and says
    /// when a document has no text; the values are made up here, not read from a file.
    #[test]
    fn a_document_in_one_line() {
        use crate::document::facts::{DocumentFacts, PersonNamed};
        use crate::document::TextSource;
        let info = DocumentInfo {
            text_source: Some(TextSource::TextLayer),
            pages: Some(1),
            facts: DocumentFacts {
                category: Some(Category::PathologyReport),
                language: Some("zh-Hans".into()),
                patients: vec![PersonNamed {
                    name: "张^三".into(),
                    ..PersonNamed::default()
                }],
                dates: vec!["2024-03-08".into(), "2024-03-02".into()],
                pathology_number: Some("P2024-01873".into()),
                ..DocumentFacts::default()
            },
            text: None,
        };
        assert_eq!(
            document_line(&info, Lang::En),
            "Pathology report: pathology number: P2024-01873, 2024-03-08, 张三, Chinese (Simplified)"
        );
        assert_eq!(
            document_line(&info, Lang::Zh),
            "病理报告：病理号：P2024-01873，2024-03-08，张三，简体中文"
        );
        let scanned = DocumentInfo {
            text_source: None,
            pages: Some(3),
            ..DocumentInfo::default()
        };
        assert!(
            document_line(&scanned, Lang::En).starts_with("Scanned pages without text (3 pages)")
        );
    }
}
