//! The sentences of the report: a finding, checklist item or next step, from its code and
//! values, in English or Chinese, with the catalogue of [`crate::text`]. Knows nothing of HTML or
//! terminals and never reads files. [`required_ids`] lists every id the code can ask for; the
//! tests check both tables have them.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use strum::IntoEnumIterator;

use crate::case::{Finding, FindingCode, IdentityReason, IncompleteReason, Severity};
use crate::codes::{
    Answer, Category, Declared, Department, Evidence, FileKind, Impact, ItemId, Level, Purpose,
    RequestReason, ReviewFit, Slides, Status, StepId, Translation,
};
use crate::document::DocumentInfo;
use crate::readiness::{Item, NextStep};
use crate::report::timeline::TimelineDraft;
use crate::text::{
    display_age, display_date, display_name, display_sex, fact, get, join, message, t, vals, Lang,
};

/// How many example questions the catalogue has per purpose (`purpose.<p>.example-<n>`).
pub const PURPOSE_EXAMPLES: usize = 3;

/// The example questions for the reviewer that fit a purpose.
pub fn purpose_examples(purpose: Purpose, lang: Lang) -> Vec<String> {
    (1..=PURPOSE_EXAMPLES)
        .map(|n| t(lang, &format!("purpose.{purpose}.example-{n}")))
        .collect()
}

/// What a records review can and cannot settle, for the purpose (or in general).
pub fn review_limits(purpose: Option<Purpose>, lang: Lang) -> String {
    match purpose {
        Some(p) => t(lang, &format!("purpose.{p}.limits")),
        None => t(lang, "purpose.limits"),
    }
}

/// Every id the renderers can ask for, besides `label.*` (which the tests find in the output).
pub fn required_ids() -> Vec<String> {
    fn all<T: IntoEnumIterator + Into<&'static str>>(family: &str) -> Vec<String> {
        T::iter()
            .map(|v| format!("{family}.{}", v.into()))
            .collect()
    }
    let mut ids = all::<FindingCode>("finding");
    ids.extend(all::<IncompleteReason>("finding.series-incomplete"));
    ids.extend(all::<IdentityReason>("identity-reason"));
    for item in ItemId::iter() {
        ids.push(format!("item.{item}"));
        ids.extend(item.statuses().iter().map(|s| format!("item.{item}.{s}")));
    }
    ids.extend(all::<StepId>("step"));
    ids.push("step.request-pathology-slides.if-cancer".to_string());
    ids.extend(all::<Purpose>("purpose"));
    for p in Purpose::iter() {
        ids.push(format!("purpose.{p}.limits"));
        ids.extend((1..=PURPOSE_EXAMPLES).map(|n| format!("purpose.{p}.example-{n}")));
    }
    ids.extend(all::<Department>("slip.title"));
    ids.extend(all::<Department>("slip.department"));
    ids.extend(all::<RequestReason>("slip.reason"));
    // The records a step asks the records office for (`step.request-records-copy`).
    ids.extend(
        [
            Category::DischargeSummary,
            Category::OperationNote,
            Category::PathologyReport,
        ]
        .map(|c| format!("record.{c}")),
    );
    ids.extend(
        [
            "finding.multiple-patients.document",
            "finding.multiple-patients.more-documents",
            "finding.identity.person",
            "finding.identity.pair",
            "label.study-dates",
            "label.names",
            "label.named-in",
            "item.blood-work.partial.undated",
            "item.blood-work.newest",
            "item.blood-work.markers",
            "item.blood-work.markers-elsewhere",
            "item.blood-work.no-markers",
            "item.translation.unread",
            "item.translation.reviewer-not-understood",
            "item.translation.not-needed.said",
            "item.translation.not-needed.none",
            "item.translation.read",
            "item.translation.unread-documents",
            "item.translation.unread-pictures",
            "item.timeline.few-dates",
            "item.timeline.no-treatment",
            "item.questions.unspecific",
            "finding.imaging-not-recent.declared",
            "finding.single-timepoint.declared",
            "finding.single-timepoint.evidence",
            "label.age",
            "label.hospital-number",
            "age.years",
            "age.months",
            "age.weeks",
            "age.days",
        ]
        .map(String::from),
    );
    ids.extend(LANGUAGES.iter().map(|l| format!("language.{l}")));
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

/// The languages the catalogue names (`language.<tag>`); others are shown as their tag.
const LANGUAGES: [&str; 14] = [
    "zh-hans", "zh-hant", "zh", "en", "ru", "uk", "ja", "ko", "de", "fr", "es", "it", "pt", "nl",
];

/// A BCP-47 tag in words: `zh-Hant` → "Chinese (Traditional)", `fr-CA` → "French", an unknown
/// tag as it is.
pub fn language_name(tag: &str, lang: Lang) -> String {
    let lower = tag.trim().to_ascii_lowercase().replace('_', "-");
    let primary = lower.split('-').next().unwrap_or_default().to_string();
    [lower, primary]
        .iter()
        .find_map(|l| {
            get(lang, &format!("language.{l}")).map(|_| t(lang, &format!("language.{l}")))
        })
        .unwrap_or_else(|| tag.trim().to_string())
}

/// A person a document names, with what it says of them: "李秀芳 (Age: 57, Hospital no.: 1)".
fn person_named(mention: &Value, lang: Lang) -> String {
    let name = mention["name"]
        .as_str()
        .map(display_name)
        .unwrap_or_default();
    let mut facts = Vec::new();
    if let Some(b) = mention["birth_date"].as_str() {
        facts.push(fact(lang, "label.birth-date", &display_date(b)));
    }
    if let Some(a) = mention["age"].as_u64() {
        facts.push(fact(lang, "label.age", &a.to_string()));
    }
    if let Some(id) = mention["id"].as_str() {
        facts.push(fact(lang, "label.hospital-number", id));
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

/// One sentence per person with what tells them apart (name forms, IDs with the hospital,
/// birth date, sex, study dates), then one per pair with the reasons of its judgement.
fn identity_sentences(f: &Finding, lang: Lang, out: &mut Vec<String>) {
    let people = f.values.get("patients").and_then(Value::as_array);
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .into_iter()
            .flatten()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect()
    };
    let mut label_of = BTreeMap::new();
    // Only the people the identity judgement described (an `id` each).
    for p in people.into_iter().flatten().filter(|p| p["id"].is_string()) {
        let forms = &p["name_forms"];
        let mut names: Vec<String> = ["ideographic", "alphabetic", "phonetic"]
            .iter()
            .flat_map(|k| strings(&forms[*k]))
            .map(|n| display_name(&n))
            .collect();
        names.dedup();
        let name = if names.is_empty() {
            t(lang, "label.unnamed-patient")
        } else {
            names.join(" / ")
        };
        let id = p["id"].as_str().unwrap_or_default().to_string();
        label_of.insert(id.clone(), format!("{id} {name}"));
        let ids: Vec<String> = p["issued_ids"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| {
                let id = i["id"].as_str()?;
                Some(issued_id_text(
                    id,
                    i["institution"].as_str().or(i["issuer"].as_str()),
                ))
            })
            .collect();
        let texts = |k: &str| -> Vec<&str> {
            p[k].as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect()
        };
        let ages: Vec<(&str, Option<&str>)> = p["ages"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| Some((a["age"].as_str()?, a["study_date"].as_str())))
            .collect();
        let facts = evidence_facts(
            PersonEvidence {
                ids,
                birth_dates: texts("birth_dates"),
                sexes: texts("sexes"),
                ages,
                study_dates: texts("study_dates"),
            },
            lang,
        );
        let v = vals(json!({ "name": label_of[&id], "facts": join(lang, &facts) }));
        out.push(message(lang, "finding.identity.person", &v));
    }
    for pair in f
        .values
        .get("pairs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let who = |k: &str| {
            let id = pair[k].as_str().unwrap_or_default();
            label_of.get(id).cloned().unwrap_or_else(|| id.to_string())
        };
        let reasons: Vec<String> = strings(&pair["reasons"])
            .iter()
            .map(|r| t(lang, &format!("identity-reason.{r}")))
            .collect();
        let v = vals(json!({ "a": who("a"), "b": who("b"), "reasons": join(lang, &reasons) }));
        out.push(message(lang, "finding.identity.pair", &v));
    }
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
    adequacy_values(f, lang, &mut id, &mut values);
    let mut out = vec![message(lang, &id, &values)];
    if f.code == FindingCode::MultiplePatients {
        // Who the other person is, document by document, and whom the others are about.
        let main = str_value(&values, "main")
            .map(display_name)
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| t(lang, "label.unnamed-patient"));
        for mention in f
            .values
            .get("other_documents")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let v = vals(json!({
                "path": mention["path"],
                "person": person_named(mention, lang),
                "main": main,
            }));
            out.push(message(lang, "finding.multiple-patients.document", &v));
        }
        if values
            .get("more_other_documents")
            .and_then(Value::as_u64)
            .is_some_and(|n| n > 0)
        {
            out.push(message(
                lang,
                "finding.multiple-patients.more-documents",
                &values,
            ));
        }
    }
    if matches!(
        f.code,
        FindingCode::MultiplePatients | FindingCode::IdentityCheck
    ) {
        identity_sentences(f, lang, &mut out);
    }
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

/// The adequacy findings' variants and lists: the patient's own date, the documents that show
/// earlier imaging or a treatment ("operation note of 2024-03-01").
fn adequacy_values(f: &Finding, lang: Lang, id: &mut String, values: &mut BTreeMap<String, Value>) {
    let declared = |key: &str| f.values.get(key).and_then(Value::as_bool) == Some(true);
    match f.code {
        FindingCode::ImagingNotRecent if declared("reference_declared") => {
            id.push_str(".declared");
        }
        FindingCode::SingleTimepoint => {
            let evidence: Vec<String> = f
                .values
                .get("evidence")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|e| {
                    let category = t(
                        lang,
                        &format!("category.{}", e["category"].as_str().unwrap_or("other")),
                    );
                    // Inside an English sentence the category's name is lower case.
                    let category = match lang {
                        Lang::En => category.to_lowercase(),
                        Lang::Zh => category,
                    };
                    match e["date"].as_str() {
                        Some(date) => message(
                            lang,
                            "finding.single-timepoint.evidence",
                            &vals(json!({ "category": category, "date": date })),
                        ),
                        None => category,
                    }
                })
                .collect();
            if evidence.is_empty() {
                id.push_str(".declared");
            }
            values.insert("evidence".into(), json!(join(lang, &evidence)));
        }
        _ => {}
    }
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

/// What an item's status means, in a sentence (or a few); the status word when there is none.
pub fn item_sentence(item: &Item, lang: Lang) -> String {
    let mut id = format!("item.{}.{}", item.id, item.status);
    let mut values = item.values.clone();
    let mut extra = Vec::new();
    let has = |key: &str| {
        item.values
            .get(key)
            .is_some_and(|v| !v.is_null() && v.as_u64() != Some(0))
    };
    match item.id {
        ItemId::BloodWork => {
            if item.status == Status::Partial && !has("newest") {
                id.push_str(".undated");
            }
            if item.status == Status::Present && has("newest") {
                extra.push("item.blood-work.newest");
            }
            let markers: Vec<String> = item
                .values
                .get("markers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|m| m.as_str().map(str::to_string))
                .collect();
            let missing = item.status == Status::Missing;
            if !markers.is_empty() {
                values.insert("markers".into(), json!(join(lang, &markers)));
                extra.push(if missing {
                    "item.blood-work.markers-elsewhere"
                } else {
                    "item.blood-work.markers"
                });
            } else if !missing {
                extra.push("item.blood-work.no-markers");
            }
        }
        ItemId::Translation => {
            let languages: Vec<String> = item
                .values
                .get("languages")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|l| l.as_str().map(|l| language_name(l, lang)))
                .collect();
            values.insert("languages".into(), json!(join(lang, &languages)));
            let reviewer = str_value(&item.values, "reviewer_language").unwrap_or("en");
            values.insert("reviewer".into(), json!(language_name(reviewer, lang)));
            match item.status {
                Status::Missing if has("unread") => extra.push("item.translation.unread"),
                Status::NotNeeded if item.values.get("said_not_needed") == Some(&json!(true)) => {
                    id.push_str(".said")
                }
                Status::NotNeeded if !has("read") => id.push_str(".none"),
                Status::Partial => {
                    if has("read") {
                        extra.push("item.translation.read");
                    }
                    if has("unread") {
                        extra.push("item.translation.unread-documents");
                    }
                }
                _ => {}
            }
            if matches!(item.status, Status::Missing | Status::Partial) && has("unread_pictures") {
                extra.push("item.translation.unread-pictures");
            }
            if has("reviewer_language_not_understood") {
                extra.push("item.translation.reviewer-not-understood");
            }
        }
        ItemId::Timeline if item.status == Status::Partial => {
            let number = |key: &str| item.values.get(key).and_then(Value::as_u64);
            if number("dates_found") < number("dates_needed") {
                extra.push("item.timeline.few-dates");
            }
            if item.values.get("treatment") == Some(&json!(false)) {
                extra.push("item.timeline.no-treatment");
            }
        }
        ItemId::Questions if has("unspecific") => extra.push("item.questions.unspecific"),
        _ => {}
    }
    let mut sentences = vec![match get(Lang::En, &id) {
        Some(_) => message(lang, &id, &values),
        None => t(lang, &format!("status.{}", item.status)),
    }];
    sentences.extend(extra.iter().map(|id| message(lang, id, &values)));
    let sep = if lang == Lang::Zh { "" } else { " " };
    sentences.join(sep)
}

/// A next step in a sentence.
pub fn step_sentence(step: &NextStep, lang: Lang) -> String {
    let mut id = format!("step.{}", step.id);
    // When the patient is not sure it is cancer, slides are asked for conditionally.
    let unsure = step.values.get("cancer").and_then(Value::as_str) == Some("unsure");
    if unsure && get(Lang::En, &format!("{id}.if-cancer")).is_some() {
        id.push_str(".if-cancer");
    }
    if step.id == StepId::AddExtraItem {
        // The host's own title, in the language of the sentence.
        let title = step
            .values
            .get("extra_item")
            .and_then(|x| x.get("title"))
            .and_then(|x| {
                x.get(match lang {
                    Lang::En => "en",
                    Lang::Zh => "zh",
                })
            })
            .cloned()
            .unwrap_or(Value::Null);
        let values: BTreeMap<String, Value> = [("title".to_string(), title)].into();
        return message(lang, &id, &values);
    }
    message(lang, &id, &step.values)
}

/// What tells one person from another, as the records give it (raw DICOM or document values).
struct PersonEvidence<'a> {
    /// Patient IDs, each with its hospital already (`issued_id_text`).
    ids: Vec<String>,
    birth_dates: Vec<&'a str>,
    sexes: Vec<&'a str>,
    /// (age such as `058Y`, the date it was counted at).
    ages: Vec<(&'a str, Option<&'a str>)>,
    study_dates: Vec<&'a str>,
}

/// The evidence as `label: value` facts, in one order for the identity finding's sentences and
/// the person cards: IDs, birth dates (each once: DICOM's 19650312 and a document's 1965-03-12
/// are one date), sexes, the ages at the studies when no birth date says it, study dates.
fn evidence_facts(e: PersonEvidence<'_>, lang: Lang) -> Vec<String> {
    let mut facts = Vec::new();
    let mut list = |label: &str, values: Vec<String>| {
        if !values.is_empty() {
            facts.push(fact(lang, label, &join(lang, &values)));
        }
    };
    list("label.patient-id", e.ids);
    let mut births: Vec<String> = Vec::new();
    for b in e.birth_dates.iter().map(|d| display_date(d)) {
        if !births.contains(&b) {
            births.push(b);
        }
    }
    let no_birth_date = births.is_empty();
    list("label.birth-date", births);
    list(
        "label.sex",
        e.sexes.iter().map(|s| display_sex(s, lang)).collect(),
    );
    if no_birth_date {
        list(
            "label.age",
            e.ages
                .iter()
                .map(|(age, at)| display_age(age, *at, lang))
                .collect(),
        );
    }
    let mut dates: Vec<String> = e.study_dates.iter().map(|d| display_date(d)).collect();
    dates.sort();
    dates.dedup();
    list("label.study-dates", dates);
    facts
}

/// A patient ID with the hospital (or numbering) it comes from: `0015 (滨海医院)`.
fn issued_id_text(id: &str, hospital: Option<&str>) -> String {
    match hospital {
        Some(h) => format!("{id} ({h})"),
        None => id.to_string(),
    }
}

/// What tells a person apart, one `label: value` fact each, for their card in the page's "Who
/// is in these files?" panel: every name form, the IDs with their hospital, birth dates, sexes,
/// `study_dates` (`YYYYMMDD`, the dates of the person's studies, which the caller looks up in
/// the report), the documents naming them and how many files are theirs.
pub fn person_facts(p: &crate::case::Patient, study_dates: &[String], lang: Lang) -> Vec<String> {
    let mut facts = Vec::new();
    let mut names: Vec<String> = Vec::new();
    // Each spelling's groups (`Chen Chen / 陈晨`) one by one, so a form is listed once.
    for n in p.names.iter().map(|n| display_name(n)) {
        for form in n.split(" / ").map(str::trim) {
            if !form.is_empty() && !names.iter().any(|x| x == form) {
                names.push(form.to_string());
            }
        }
    }
    if names.is_empty() {
        names.push(t(lang, "label.unnamed-patient"));
    }
    facts.push(fact(lang, "label.names", &names.join(" / ")));
    let ids: Vec<String> = if p.issued_ids.is_empty() {
        p.patient_ids.clone()
    } else {
        p.issued_ids
            .iter()
            .map(|i| issued_id_text(&i.id, i.institution.as_deref().or(i.issuer.as_deref())))
            .collect()
    };
    /// Every value the records gave, else the one the person was first given.
    fn or_first<'s>(all: &'s [String], first: &'s Option<String>) -> Vec<&'s str> {
        if all.is_empty() {
            first.iter().map(String::as_str).collect()
        } else {
            all.iter().map(String::as_str).collect()
        }
    }
    facts.extend(evidence_facts(
        PersonEvidence {
            ids,
            birth_dates: or_first(&p.birth_dates, &p.birth_date),
            sexes: or_first(&p.sexes, &p.sex),
            ages: p
                .ages
                .iter()
                .map(|a| (a.age.as_str(), a.study_date.as_deref()))
                .collect(),
            study_dates: study_dates.iter().map(String::as_str).collect(),
        },
        lang,
    ));
    let documents: Vec<String> = p.documents.iter().map(|d| d.path.clone()).collect();
    if !documents.is_empty() {
        facts.push(fact(lang, "label.named-in", &join(lang, &documents)));
    }
    facts.push(fact(lang, "label.files", &p.files.to_string()));
    facts
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
/// pathology number: B23-11472, 2023-06-12, 李秀英, Chinese (Simplified)". `not_read`: reading
/// its text was tried and failed ([`crate::entry::FileEntry::text_not_read`]), so scanned pages
/// no longer say their words cannot be read *yet*.
pub fn document_line(info: &DocumentInfo, not_read: bool, lang: Lang) -> String {
    if info.text_source.is_none() {
        let pages = info.pages.unwrap_or(0);
        let id = if not_read {
            "document.scanned-not-read"
        } else {
            "document.scanned"
        };
        return message(lang, id, &vals(json!({ "pages": pages })));
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
        parts.push(language_name(tag, lang));
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

/// The draft timeline as text the patient can edit, one event per line: "2023-06-05: Discharge
/// summary (Doc1.pdf)", "2023-05-22: CT, Chest".
pub fn timeline_draft_text(draft: &TimelineDraft, lang: Lang) -> String {
    let mut out = String::new();
    for event in &draft.events {
        let what = match event.category {
            Some(category) => {
                let name = t(lang, &format!("category.{category}"));
                if event.files.is_empty() {
                    name
                } else {
                    message(
                        lang,
                        "label.with-facts",
                        &vals(json!({ "name": name, "facts": join(lang, &event.files) })),
                    )
                }
            }
            None => {
                let mut parts = vec![event.modalities.join("/")];
                parts.extend(event.description.iter().cloned());
                parts.retain(|p| !p.trim().is_empty());
                if parts.is_empty() {
                    t(lang, "label.study")
                } else {
                    join(lang, &parts)
                }
            }
        };
        out.push_str(&fact_line(&display_date(&event.date), &what, lang));
        out.push('\n');
    }
    out
}

/// "date: what" in the language's punctuation.
fn fact_line(date: &str, what: &str, lang: Lang) -> String {
    message(
        lang,
        "label.fact",
        &vals(json!({ "label": date, "value": what })),
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

    fn item(id: ItemId, status: Status, values: Value) -> Item {
        Item {
            id,
            status,
            evidence: Vec::new(),
            impact: Impact::Low,
            values: vals(values),
            optional: false,
        }
    }

    #[test]
    fn an_identity_check_lists_each_person_and_the_reasons() {
        let person = |id: &str, forms: Value, pid: &str, hospital: &str, sex: &str| {
            json!({ "id": id, "name_forms": forms,
                "issued_ids": [{ "id": pid, "issuer": "X", "institution": hospital }],
                "birth_dates": ["19920505"], "sexes": [sex], "study_dates": ["20230411"] })
        };
        let f = Finding {
            code: FindingCode::IdentityCheck,
            severity: Severity::Warning,
            files: Vec::new(),
            values: vals(json!({
                "count": 2,
                "patients": [
                    person("P1", json!({ "ideographic": ["陈^晨"] }), "0015", "滨海医院", "M"),
                    person("P2", json!({ "alphabetic": ["Chen^Chen"], "ideographic": ["陈^晨"] }), "P01", "西山医院", "O"),
                ],
                "pairs": [{ "a": "P1", "b": "P2", "grade": "possibly-different",
                    "reasons": ["same-name", "same-birth-date", "different-sex"] }],
            })),
        };
        let zh = finding_sentences(&f, Lang::Zh);
        assert!(
            zh[0].starts_with("这些文件可能属于 2 个不同的人"),
            "{}",
            zh[0]
        );
        assert_eq!(
            zh[2],
            "P2 陈晨 / Chen Chen：患者 ID：P01 (西山医院)，出生日期：1992-05-05，性别：其他/未知，检查日期：2023-04-11。"
        );
        let en = finding_sentences(&f, Lang::En);
        assert!(en[0].starts_with("These files may belong to 2 different people"));
        assert_eq!(
            en[3],
            "P1 陈晨 and P2 陈晨 / Chen Chen: the same name, the same birth date, male on one side, female on the other."
        );
    }

    #[test]
    fn a_person_card_lists_names_ids_with_hospital_dates_documents_and_files() {
        let p: crate::case::Patient = serde_json::from_value(json!({
            "id": "P2", "name": "Chen^Chen=陈^晨", "names": ["Chen^Chen=陈^晨", "陈^晨"],
            "patient_ids": ["P01"],
            "issued_ids": [{ "id": "P01", "issuer": null, "institution": "西山医院" }],
            "birth_date": "19920505", "birth_dates": ["19920505"], "sex": "O", "sexes": ["O"],
            "files": 3,
            "documents": [{ "path": "a/report.pdf", "name": "陈晨", "sex": null,
                "birth_date": null, "age": null, "id": null }],
        }))
        .unwrap();
        let dates = ["20230411".to_string(), "20220101".to_string()];
        assert_eq!(
            person_facts(&p, &dates, Lang::En),
            [
                "Names: Chen Chen / 陈晨",
                "Patient ID: P01 (西山医院)",
                "Born: 1992-05-05",
                "Sex: other/unknown",
                "Studies: 2022-01-01, 2023-04-11",
                "Named in: a/report.pdf",
                "Files: 3",
            ]
        );
        assert_eq!(person_facts(&p, &[], Lang::Zh)[3], "性别：其他/未知");
    }

    #[test]
    fn the_other_person_is_named_with_what_the_document_says() {
        let f = Finding {
            code: FindingCode::MultiplePatients,
            severity: Severity::Serious,
            files: vec!["theirs.pdf".into()],
            values: vals(json!({
                "count": 2,
                "patients": [{ "name": "Li^Xiuying=李^秀英" }, { "name": "李秀芳" }],
                "main": "Li^Xiuying=李^秀英",
                "other_documents": [{ "path": "theirs.pdf", "name": "李秀芳", "sex": "F",
                    "birth_date": null, "age": 57, "id": "100412553" }],
                "more_other_documents": 3,
            })),
        };
        let en = finding_sentences(&f, Lang::En);
        assert_eq!(
            en[1..],
            [
                "“theirs.pdf” names 李秀芳 (Age: 57, Hospital no.: 100412553), not Li Xiuying / 李秀英.",
                "3 more documents name another person.",
            ]
        );
        let zh = finding_sentences(&f, Lang::Zh);
        assert_eq!(
            zh[1],
            "“theirs.pdf”写的是李秀芳（年龄：57，病历号：100412553），不是Li Xiuying / 李秀英。"
        );
    }

    #[test]
    fn blood_work_says_how_old_and_which_markers() {
        let old = item(
            ItemId::BloodWork,
            Status::Partial,
            json!({ "newest": "2024-01-20", "newest_record": "2024-04-21", "months_older": 3,
                    "markers": ["CEA", "CA19-9"] }),
        );
        assert_eq!(
            item_sentence(&old, Lang::En),
            "Lab results are here, but the newest (2024-01-20) is 3 months older than the newest \
             record (2024-04-21): a reviewer will want blood work from the last 3 months. Tumour \
             markers measured: CEA, CA19-9."
        );
        assert_eq!(
            item_sentence(&old, Lang::Zh),
            "有检验结果，但最新一份（2024-01-20）比最新的资料（2024-04-21）早 3 个月：会诊专家需要近 3 个月内的血液检查。已检测的肿瘤标志物：CEA，CA19-9。"
        );
        let undated = item(
            ItemId::BloodWork,
            Status::Partial,
            json!({ "newest": null, "markers": [] }),
        );
        assert!(
            item_sentence(&undated, Lang::En).starts_with("Lab results are here, but their date")
        );
        assert!(item_sentence(&undated, Lang::En).ends_with("No tumour marker was found in them."));
        let missing = item(
            ItemId::BloodWork,
            Status::Missing,
            json!({ "markers": ["AFP"] }),
        );
        assert_eq!(
            item_sentence(&missing, Lang::En),
            "No recent blood work was found. Other documents give tumour markers: AFP."
        );
    }

    #[test]
    fn translation_names_the_languages_and_the_reviewers() {
        let needed = item(
            ItemId::Translation,
            Status::Missing,
            json!({ "documents": 2, "languages": ["zh-Hant", "ru"], "unread": 1,
                    "reviewer_language": "en", "reviewer_language_not_understood": null }),
        );
        assert_eq!(
            item_sentence(&needed, Lang::En),
            "2 documents are in Chinese (Traditional), Russian, not in the reviewer's language \
             (English), and no translation or summary was mentioned. 1 more document could not be read."
        );
        let partly = item(
            ItemId::Translation,
            Status::Partial,
            json!({ "read": 1, "unread": 2, "reviewer_language": "zh",
                    "reviewer_language_not_understood": "??" }),
        );
        assert_eq!(
            item_sentence(&partly, Lang::Zh),
            "还不能确定是否需要翻译：有些内容没能读取。已读取的 1 份资料是会诊专家的语言（中文）。有 2 份资料读不出文字（页面照片或无文字的扫描件）：请确认是否需要翻译。会诊专家的语言“??”不是有效的语言代码：按英文处理。"
        );
        // Nothing read, only photos: never "not needed", and no "0 documents read".
        let pictures = item(
            ItemId::Translation,
            Status::Partial,
            json!({ "read": 0, "unread": 0, "unread_pictures": 3, "reviewer_language": "en" }),
        );
        assert_eq!(
            item_sentence(&pictures, Lang::En),
            "Whether a translation is needed is not known: not everything could be read. 3 photos \
             or screenshots were not read: if they show a report or results, check whether they \
             need a translation."
        );
        let nothing = item(
            ItemId::Translation,
            Status::NotNeeded,
            json!({ "read": 0, "unread": 0, "unread_pictures": 0, "reviewer_language": "en" }),
        );
        assert!(
            item_sentence(&nothing, Lang::En).starts_with("There are no records here to translate")
        );
        assert_eq!(language_name("fr-CA", Lang::En), "French");
        assert_eq!(language_name("xx", Lang::En), "xx");
    }

    #[test]
    fn every_required_id_is_translated() {
        for id in required_ids() {
            for lang in Lang::ALL {
                let text = get(lang, &id).unwrap_or_else(|| panic!("{id} lacks {lang:?}"));
                assert!(!text.trim().is_empty(), "{id} is empty in {lang:?}");
            }
        }
    }

    /// One line per event, a document's category and files, a study's modalities and
    /// description; the events are made up here.
    #[test]
    fn the_draft_timeline_as_text() {
        use crate::codes::EventSource;
        use crate::report::timeline::TimelineEvent;
        let draft = TimelineDraft {
            events: vec![
                TimelineEvent {
                    date: "2023-05-22".into(),
                    source: EventSource::Study,
                    category: None,
                    modalities: vec!["MR".into()],
                    description: Some("Breast".into()),
                    files: vec![],
                },
                TimelineEvent {
                    date: "2023-06-05".into(),
                    source: EventSource::Document,
                    category: Some(Category::DischargeSummary),
                    modalities: vec![],
                    description: None,
                    files: vec!["a.pdf".into()],
                },
            ],
            left_out: 0,
        };
        assert_eq!(
            timeline_draft_text(&draft, Lang::En),
            "2023-05-22: MR, Breast\n2023-06-05: Discharge summary (a.pdf)\n"
        );
        assert_eq!(
            timeline_draft_text(&draft, Lang::Zh),
            "2023-05-22：MR，Breast\n2023-06-05：出院小结（a.pdf）\n"
        );
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
            document_line(&info, false, Lang::En),
            "Pathology report: pathology number: P2024-01873, 2024-03-08, 张三, Chinese (Simplified)"
        );
        assert_eq!(
            document_line(&info, false, Lang::Zh),
            "病理报告：病理号：P2024-01873，2024-03-08，张三，简体中文"
        );
        let scanned = DocumentInfo {
            text_source: None,
            pages: Some(3),
            ..DocumentInfo::default()
        };
        assert!(document_line(&scanned, false, Lang::En)
            .starts_with("Scanned pages without text (3 pages)"));
        // English grammar: one page, not "1 pages" (the count is a number for the plural form).
        let one_page = DocumentInfo {
            pages: Some(1),
            ..scanned
        };
        assert!(
            document_line(&one_page, false, Lang::En)
                .starts_with("Scanned pages without text (1 page)"),
            "{}",
            document_line(&one_page, false, Lang::En)
        );
        assert!(document_line(&one_page, false, Lang::Zh).contains("（1 页）"));
        // Once reading its text was tried and failed, not "yet".
        assert_eq!(
            document_line(&one_page, true, Lang::En),
            "Scanned pages without text (1 page): its words could not be read"
        );
        assert_eq!(
            document_line(&one_page, true, Lang::Zh),
            "扫描页面，没有文字层（1 页）：未能读取其中的文字"
        );
    }
}
