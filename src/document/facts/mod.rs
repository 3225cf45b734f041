//! What a document is and says, from its plain text: its category, language, the people it
//! names, the institution, the event dates, the tumour markers measured and the pathology
//! number ([`DocumentFacts`], the report's `document` object). [`read`] is the whole of it; it
//! takes text from any source (a PDF's text layer, DOCX, a text file, OCR) and never fails: what
//! it cannot tell is `None` or empty. [`super::understand`] calls it on the text of a document
//! the scan read.
//!
//! What the rules rest on, so that they hold for hospitals never seen (each submodule says more):
//! - `prepare`: one normalised form of the text (full-width folded, Traditional read as
//!   Simplified through a character table, letters lower-cased, CJK radicals read as the
//!   ideographs they stand for: `radicals`) so that one list of words serves every script and
//!   case;
//! - `category`: weighted evidence, titles first, from the generic headings and words of each
//!   kind of record and from structure (value-and-unit rows, doses, letter form, first person);
//! - `language`: the scripts of the letters, and a character table for Traditional vs
//!   Simplified;
//! - `fields` and `patient`: labelled fields (`姓名`, `Patient:`, `ФИО`, `氏名`…), as forms
//!   print them;
//! - `institution`: the letterhead;
//! - `dates`: the date forms hospitals write, with birth dates left out;
//! - `markers`: canonical marker names and their local names, counted where measured.
//!
//! Bounded: only the first [`Limits::facts_text_bytes`] bytes of the text are read (a
//! [`Message`] says so when the text was longer), and at most [`Limits::facts_max_items`]
//! dates, people and markers are kept. Every step is linear in the text times a fixed table.

#[cfg(feature = "documents")]
mod category;
#[cfg(feature = "documents")]
mod dates;
#[cfg(feature = "documents")]
mod fields;
// The Traditional → Simplified table is in every build: the case compares people's names with
// it (`crate::case`), also in builds without the document readers (the wasm tests).
pub mod hant;
#[cfg(feature = "documents")]
mod institution;
#[cfg(feature = "documents")]
mod language;
#[cfg(feature = "documents")]
mod markers;
#[cfg(feature = "documents")]
mod patient;
#[cfg(feature = "documents")]
mod prepare;
#[cfg(feature = "documents")]
mod radicals;

use serde::{Deserialize, Serialize};

use crate::codes::Category;
#[cfg(feature = "documents")]
use crate::limits::Limits;
#[cfg(feature = "documents")]
use crate::text::{msg, Message};

#[cfg(feature = "documents")]
use dates::Reading;
#[cfg(feature = "documents")]
use prepare::Line;

/// What a document is and says (`document` in the JSON report).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DocumentFacts {
    /// The kind of record, when the words say so clearly.
    pub category: Option<Category>,
    /// BCP-47: `zh-Hans`, `zh-Hant`, `en`, `ru`, `ja`, `ko`…
    pub language: Option<String>,
    /// The people the document names as its patient (usually one).
    pub patients: Vec<PersonNamed>,
    /// The institution in the letterhead.
    pub institution: Option<String>,
    /// Event dates (`YYYY-MM-DD`), in order of first appearance, birth dates left out.
    pub dates: Vec<String>,
    /// Tumour markers measured, canonical names (`CEA`, `CA19-9`…).
    pub tumour_markers: Vec<String>,
    /// The pathology number (`病理号`, `Pathology No.`).
    pub pathology_number: Option<String>,
}

/// A person a document names as its patient.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PersonNamed {
    /// As written (`李秀英`, `LI, Xiuying`, `王 建国`).
    pub name: String,
    /// `M` or `F`.
    pub sex: Option<String>,
    /// `YYYY-MM-DD`.
    pub birth_date: Option<String>,
    /// Years, as printed.
    pub age: Option<u32>,
    /// The hospital number printed with the name (`住院号`, `MRN`…).
    pub id: Option<String>,
}

#[cfg(feature = "documents")]
/// Reads a document's plain text. The message, if any, says the text was cut to the limit.
pub fn read(text: &str, limits: &Limits) -> (DocumentFacts, Option<Message>) {
    let (lines, cut) = prepare::lines(text, limits.facts_text_bytes);
    let note = cut.then(|| {
        msg!(
            "note.document-text-cut",
            read = limits.facts_text_bytes,
            length = text.len()
        )
    });
    (facts(&lines, limits.facts_max_items), note)
}

#[cfg(feature = "documents")]
fn facts(lines: &[Line], max: usize) -> DocumentFacts {
    let language = language::detect(lines);
    let english = language.as_deref() == Some("en");
    let reading = Reading {
        day_first: dates::numeric_order(lines.iter().map(|l| l.key.as_str()))
            .or((!english).then_some(true)),
        minguo_short: language.as_deref() == Some("zh-Hant"),
    };
    let institution = institution::read(lines);
    let category = category::decide(lines, institution.is_some());
    let people = patient::read(
        lines,
        reading,
        category == Some(Category::PathologyReport),
        max,
    );
    let lab = category == Some(Category::LabResults);
    let mut tumour_markers = markers::read(lines, lab);
    tumour_markers.truncate(max);
    let births: Vec<&str> = people
        .patients
        .iter()
        .filter_map(|p| p.birth_date.as_deref())
        .collect();
    DocumentFacts {
        category,
        language,
        dates: event_dates(lines, reading, &births, max),
        patients: people.patients,
        institution,
        tumour_markers,
        pathology_number: people.pathology_number,
    }
}

#[cfg(feature = "documents")]
/// Labels after which a date is a birth date (key form).
const BIRTH: &[&str] = &[
    "出生日期",
    "出生年月日",
    "出生年月",
    "出生",
    "生日",
    "生年月日",
    "dob",
    "d.o.b",
    "d.o.b.",
    "date of birth",
    "birth date",
    "birthdate",
    "born",
    "born on",
    "дата рождения",
    "д.р.",
    "г.р.",
];

#[cfg(feature = "documents")]
/// Every date but birth dates, de-duplicated, in order of first appearance.
fn event_dates(lines: &[Line], reading: Reading, births: &[&str], max: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in lines {
        for found in dates::find(&line.key, reading) {
            let before = line.key[..found.start].trim_end_matches([' ', ':', '(', '#', '：']);
            let after = line.key[found.end..].trim_start();
            let birth = BIRTH.iter().any(|b| before.ends_with(b)) || after.starts_with("出生");
            let iso = found.iso();
            if !birth && !births.contains(&iso.as_str()) && !out.contains(&iso) && out.len() < max {
                out.push(iso);
            }
        }
    }
    out
}

#[cfg(test)]
#[cfg(feature = "documents")]
mod tests;
