//! The report's words for the page: the message tables and the functions of
//! [`crate::report::sentences`] that turn a finding, checklist item, next step or patient of a
//! `Report` (as `buildReport` returned it) into sentences, so the page and the printable report
//! say the same thing in the same words.
//!
//! The core's `Finding`, `Item` and `NextStep` only serialize (their ids are `&'static str`), so
//! the values JS hands back are read into small mirrors here and mapped onto the core's ids and
//! enums; an unknown id is an `Error`, not a guess.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::{from_js, parse_lang, to_js};
use crate::case::{Finding, Patient};
use crate::readiness::{Impact, Item, NextStep};
use crate::report::sentences::{
    self, impact_id, severity_id, status_id, FINDING_CODES, IMPACTS, ITEM_STATUSES, SEVERITIES,
    STATUSES, STEP_IDS,
};
use crate::text;

/// Every message of a language's table, by id (`finding.<code>`, `item.<id>.<status>`,
/// `step.<id>`, `label.*`, `kind.*`…). Placeholders are `{name}` and `{name|one|other}`; fill
/// them with `fillMessage`.
#[wasm_bindgen(js_name = messages, unchecked_return_type = "Record<string, string>")]
pub fn messages_js(
    #[wasm_bindgen(unchecked_param_type = "Lang")] lang: &str,
) -> Result<JsValue, JsError> {
    let table: BTreeMap<&str, &str> = text::table(parse_lang(lang)?).iter().copied().collect();
    to_js(&table)
}

/// The message `id` in `lang` with its placeholders filled from `values` (strings as they are,
/// numbers as JSON writes them, arrays joined with ", " or `{name|sep}`'s `sep`; a `Message`
/// value in the same language; `{name|one|other}` picks by whether the value is 1). Falls back
/// to English, then to the id itself. A file's `reason_message`, `error_message` and
/// `note_messages` are shown with `fillMessage(m.id, m.values, lang)`.
#[wasm_bindgen(js_name = fillMessage)]
pub fn fill_message_js(
    id: &str,
    #[wasm_bindgen(unchecked_param_type = "Record<string, unknown> | null | undefined")]
    values: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Lang")] lang: &str,
) -> Result<String, JsError> {
    let lang = parse_lang(lang)?;
    let values: BTreeMap<String, Value> = if values.is_null() || values.is_undefined() {
        BTreeMap::new()
    } else {
        from_js(values, "the message values")?
    };
    Ok(text::message(lang, id, &values))
}

/// The sentences of a finding of `report.findings`: one for most codes, a lead sentence and one
/// per reason for `series-incomplete`.
#[wasm_bindgen(js_name = findingSentences, unchecked_return_type = "string[]")]
pub fn finding_sentences_js(
    #[wasm_bindgen(unchecked_param_type = "Finding")] finding: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Lang")] lang: &str,
) -> Result<JsValue, JsError> {
    let lang = parse_lang(lang)?;
    let f: FindingIn = from_js(finding, "the finding")?;
    let finding = Finding {
        code: known(FINDING_CODES, &f.code, "finding code")?,
        severity: enum_of(&SEVERITIES, severity_id, &f.severity, "severity")?,
        files: f.files,
        values: f.values,
    };
    to_js(&sentences::finding_sentences(&finding, lang))
}

/// What a checklist item of `report.readiness.items` means, in a sentence.
#[wasm_bindgen(js_name = itemSentence)]
pub fn item_sentence_js(
    #[wasm_bindgen(unchecked_param_type = "ChecklistItem")] item: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Lang")] lang: &str,
) -> Result<String, JsError> {
    let lang = parse_lang(lang)?;
    let i: ItemIn = from_js(item, "the checklist item")?;
    let ids: Vec<&'static str> = ITEM_STATUSES.iter().map(|(id, _)| *id).collect();
    let item = Item {
        id: known(&ids, &i.id, "checklist item")?,
        status: enum_of(&STATUSES, status_id, &i.status, "status")?,
        evidence: i.evidence,
        impact: enum_of::<Impact>(&IMPACTS, impact_id, &i.impact, "impact")?,
        values: i.values,
    };
    Ok(sentences::item_sentence(&item, lang))
}

/// A next step of `report.readiness.next_steps` in a sentence.
#[wasm_bindgen(js_name = stepSentence)]
pub fn step_sentence_js(
    #[wasm_bindgen(unchecked_param_type = "NextStep")] step: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Lang")] lang: &str,
) -> Result<String, JsError> {
    let lang = parse_lang(lang)?;
    let s: StepIn = from_js(step, "the next step")?;
    let step = NextStep {
        id: known(STEP_IDS, &s.id, "next step")?,
        values: s.values,
    };
    Ok(sentences::step_sentence(&step, lang))
}

/// A checklist item's evidence entry for people: `declared:…` in words, a file path as it is.
#[wasm_bindgen(js_name = evidenceText)]
pub fn evidence_text_js(
    evidence: &str,
    #[wasm_bindgen(unchecked_param_type = "Lang")] lang: &str,
) -> Result<String, JsError> {
    Ok(sentences::evidence_text(evidence, parse_lang(lang)?))
}

/// A patient of `report.patients` in one line: name (ID, birth date, sex).
#[wasm_bindgen(js_name = patientLine)]
pub fn patient_line_js(
    #[wasm_bindgen(unchecked_param_type = "Patient")] patient: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Lang")] lang: &str,
) -> Result<String, JsError> {
    let lang = parse_lang(lang)?;
    let p: PatientIn = from_js(patient, "the patient")?;
    let patient = Patient {
        id: p.id,
        name: p.name,
        names: p.names,
        patient_ids: p.patient_ids,
        birth_date: p.birth_date,
        sex: p.sex,
        studies: p.studies,
        files: p.files,
    };
    Ok(sentences::patient_line(&patient, lang))
}

/// A DICOM person name for people: `Wang^XiaoDong=王^小东` → `Wang XiaoDong / 王小东`.
#[wasm_bindgen(js_name = displayName)]
pub fn display_name_js(raw: &str) -> String {
    text::display_name(raw)
}

/// A DICOM date `YYYYMMDD` as `YYYY-MM-DD`; anything else as it is.
#[wasm_bindgen(js_name = displayDate)]
pub fn display_date_js(raw: &str) -> String {
    text::display_date(raw)
}

// ---- mirrors of the core's serialize-only values --------------------------------------------

#[derive(Deserialize)]
struct FindingIn {
    code: String,
    severity: String,
    #[serde(default)]
    files: Vec<String>,
    #[serde(default)]
    values: BTreeMap<String, Value>,
}

#[derive(Deserialize)]
struct ItemIn {
    id: String,
    status: String,
    #[serde(default)]
    evidence: Vec<String>,
    #[serde(default = "no_impact")]
    impact: String,
    #[serde(default)]
    values: BTreeMap<String, Value>,
}

fn no_impact() -> String {
    "none".into()
}

#[derive(Deserialize)]
struct StepIn {
    id: String,
    #[serde(default)]
    values: BTreeMap<String, Value>,
}

#[derive(Deserialize)]
struct PatientIn {
    #[serde(default)]
    id: String,
    name: Option<String>,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    patient_ids: Vec<String>,
    birth_date: Option<String>,
    sex: Option<String>,
    #[serde(default)]
    studies: Vec<usize>,
    #[serde(default)]
    files: usize,
}

/// The core's `&'static` id equal to `id`.
fn known(ids: &[&'static str], id: &str, what: &str) -> Result<&'static str, JsError> {
    ids.iter()
        .copied()
        .find(|k| *k == id)
        .ok_or_else(|| JsError::new(&format!("could not recognise the {what} {id:?}")))
}

/// The variant of `all` whose JSON name is `name`.
fn enum_of<T: Copy>(
    all: &[T],
    json_name: fn(T) -> &'static str,
    name: &str,
    what: &str,
) -> Result<T, JsError> {
    all.iter()
        .copied()
        .find(|v| json_name(*v) == name)
        .ok_or_else(|| JsError::new(&format!("could not recognise the {what} {name:?}")))
}
