//! The report's words for the page: the message tables and the functions of
//! [`crate::report::sentences`] that turn a finding, checklist item, next step or patient of a
//! `Report` (as `buildReport` returned it) into sentences, so the page and the printable report
//! say the same thing in the same words.
//!
//! The values JS hands back are read into the core's own types (their codes are enums), so an
//! unknown code is an `Error`, not a guess.

use std::collections::BTreeMap;

use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::report::parse_lang;
use super::{from_js, to_js};
use crate::case::{Finding, Patient};
use crate::entry::FileEntry;
use crate::readiness::{Evidence, Item, NextStep};
use crate::report::sentences;
use crate::report::timeline::TimelineDraft;
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
    let finding: Finding = from_js(finding, "the finding")?;
    to_js(&sentences::finding_sentences(&finding, lang))
}

/// What a checklist item of `report.readiness.items` means, in a sentence.
#[wasm_bindgen(js_name = itemSentence)]
pub fn item_sentence_js(
    #[wasm_bindgen(unchecked_param_type = "ChecklistItem")] item: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Lang")] lang: &str,
) -> Result<String, JsError> {
    let lang = parse_lang(lang)?;
    let item: Item = from_js(item, "the checklist item")?;
    Ok(sentences::item_sentence(&item, lang))
}

/// A next step of `report.readiness.next_steps` in a sentence.
#[wasm_bindgen(js_name = stepSentence)]
pub fn step_sentence_js(
    #[wasm_bindgen(unchecked_param_type = "NextStep")] step: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Lang")] lang: &str,
) -> Result<String, JsError> {
    let lang = parse_lang(lang)?;
    let step: NextStep = from_js(step, "the next step")?;
    Ok(sentences::step_sentence(&step, lang))
}

/// A checklist item's evidence entry for people: `declared:…` in words, a file path as it is.
#[wasm_bindgen(js_name = evidenceText)]
pub fn evidence_text_js(
    evidence: &str,
    #[wasm_bindgen(unchecked_param_type = "Lang")] lang: &str,
) -> Result<String, JsError> {
    let evidence = Evidence::from(evidence.to_string());
    Ok(sentences::evidence_text(&evidence, parse_lang(lang)?))
}

/// What a document (a file entry's `document`) is and says, in one line for its row (its notes
/// say whether reading its text was tried and failed).
#[wasm_bindgen(js_name = documentLine)]
pub fn document_line_js(
    #[wasm_bindgen(unchecked_param_type = "FileEntry")] entry: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Lang")] lang: &str,
) -> Result<String, JsError> {
    let entry: FileEntry = from_js(entry, "the file")?;
    let Some(info) = &entry.document else {
        return Err(JsError::new("the file is not a document"));
    };
    Ok(sentences::document_line(
        info,
        entry.text_not_read(),
        parse_lang(lang)?,
    ))
}

/// The report's `timeline_draft` as text the patient can edit, one event per line.
#[wasm_bindgen(js_name = timelineDraftText)]
pub fn timeline_draft_text_js(
    #[wasm_bindgen(unchecked_param_type = "TimelineDraft")] draft: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Lang")] lang: &str,
) -> Result<String, JsError> {
    let draft: TimelineDraft = from_js(draft, "the draft timeline")?;
    Ok(sentences::timeline_draft_text(&draft, parse_lang(lang)?))
}

/// A patient of `report.patients` in one line: name (ID, birth date, sex).
#[wasm_bindgen(js_name = patientLine)]
pub fn patient_line_js(
    #[wasm_bindgen(unchecked_param_type = "Patient")] patient: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Lang")] lang: &str,
) -> Result<String, JsError> {
    let lang = parse_lang(lang)?;
    let patient: Patient = from_js(patient, "the patient")?;
    Ok(sentences::patient_line(&patient, lang))
}

/// What tells a person of `report.patients` apart, one `label: value` fact each (name forms,
/// IDs with hospital, birth dates, sexes, study dates, documents naming them, files), for their
/// card; `studyDates` are the `date`s of the person's `report.studies`.
#[wasm_bindgen(js_name = personFacts, unchecked_return_type = "string[]")]
pub fn person_facts_js(
    #[wasm_bindgen(unchecked_param_type = "Patient")] patient: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string[]")] study_dates: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Lang")] lang: &str,
) -> Result<JsValue, JsError> {
    let lang = parse_lang(lang)?;
    let patient: Patient = from_js(patient, "the patient")?;
    let dates: Vec<String> = from_js(study_dates, "the study dates")?;
    to_js(&sentences::person_facts(&patient, &dates, lang))
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
