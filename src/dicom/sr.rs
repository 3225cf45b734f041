//! The reports a DICOM object carries, for the document reader ([`Carried`]): the PDF inside an
//! Encapsulated PDF object, or the text of a Structured Report's content tree. Only with the
//! `documents` feature (the page's first-scan wasm reads no documents).
//!
//! A Structured Report (PS3.3 C.17.3) is a tree of content items under Content Sequence
//! (0040,A730): each item has a Value Type (0040,A040), a concept name (Concept Name Code
//! Sequence (0040,A043), whose Code Meaning says what the item is: "Findings", "Impression") and
//! a value by type: Text Value, Date Time, Date, Time, Person Name, Concept Code Sequence (a coded
//! answer), Measured Value Sequence (a number and its unit). Containers hold items and have only a
//! name. The text made of it is one line per item, `name: value`, a container's name alone as a
//! heading, in document order, depth first; the document title and the study and content dates
//! of the header come first, so the facts reader sees them as a report's first lines. The values
//! are read as dicom-object decoded them, with the data set's Specific Character Set.
//!
//! Bounded: the tree is what the header walker copied (at most [`Limits::header_cap`] bytes, no
//! deeper than [`Limits::max_nesting`]); at most [`Limits::max_sr_items`] items are read.

use dicom_core::Tag;
use dicom_dictionary_std::tags;
use dicom_object::InMemDicomObject;

use super::walk::Walked;
use super::{DicomClass, DicomInfo};
use crate::limits::Limits;
use crate::text::display::{display_date, display_name};

/// The SOP class whose encapsulated document is a PDF (Encapsulated PDF Storage).
const ENCAPSULATED_PDF: &str = "1.2.840.10008.5.1.4.1.1.104.1";

/// A report a DICOM object carries, to be read as a document.
#[derive(Debug, Clone, PartialEq)]
pub enum Carried {
    /// The PDF of an Encapsulated PDF object.
    Pdf(Vec<u8>),
    /// An encapsulated PDF longer than [`Limits::max_document_bytes`]: its length, not read.
    TooBig(u64),
    /// A Structured Report's text, one item a line; and whether items were left out at
    /// [`Limits::max_sr_items`].
    Text { text: String, cut: bool },
}

/// The top-level elements the walker must copy for [`carried`] (besides those of the header).
pub(super) fn wanted(tag: Tag) -> bool {
    matches!(
        tag,
        tags::CONTENT_SEQUENCE | tags::CONCEPT_NAME_CODE_SEQUENCE | tags::CONTENT_DATE
    )
}

/// What `obj` (read from `walked`) carries, when it is an Encapsulated PDF or a Structured
/// Report.
pub(super) fn carried(
    info: &DicomInfo,
    obj: &InMemDicomObject,
    walked: &mut Walked,
    limits: &Limits,
) -> Option<Carried> {
    match info.class? {
        DicomClass::EncapsulatedPdf if info.sop_class_uid.as_deref() == Some(ENCAPSULATED_PDF) => {
            match walked.captured.take()? {
                Ok(pdf) => Some(Carried::Pdf(pdf)),
                Err(length) => Some(Carried::TooBig(u64::from(length))),
            }
        }
        DicomClass::StructuredReport => Some(report_text(info, obj, limits)),
        _ => None,
    }
}

/// The lines of a Structured Report.
fn report_text(info: &DicomInfo, obj: &InMemDicomObject, limits: &Limits) -> Carried {
    let mut out = Lines {
        text: String::new(),
        items: 0,
        max_items: limits.max_sr_items,
        max_depth: limits.max_nesting,
        cut: false,
    };
    if let Some(title) = meaning(obj, tags::CONCEPT_NAME_CODE_SEQUENCE) {
        out.line(&title);
    }
    // Header lines in the words a report prints them with, so the dates are events.
    if let Some(date) = &info.study_date {
        out.line(&format!("Study date: {}", display_date(date)));
    }
    if let Some(date) = value(obj, tags::CONTENT_DATE) {
        out.line(&format!("Report date: {}", display_date(&date)));
    }
    out.children(obj, 0);
    Carried::Text {
        text: out.text,
        cut: out.cut,
    }
}

struct Lines {
    text: String,
    items: usize,
    max_items: usize,
    max_depth: usize,
    cut: bool,
}

impl Lines {
    fn line(&mut self, line: &str) {
        let line = line.trim();
        if !line.is_empty() {
            self.text.push_str(line);
            self.text.push('\n');
        }
    }

    /// The items of `parent`'s Content Sequence, each followed by its own children.
    fn children(&mut self, parent: &InMemDicomObject, depth: usize) {
        let Some(items) = parent.get(tags::CONTENT_SEQUENCE).and_then(|e| e.items()) else {
            return;
        };
        if depth >= self.max_depth {
            self.cut = true;
            return;
        }
        for item in items {
            if self.items >= self.max_items {
                self.cut = true;
                return;
            }
            self.items += 1;
            self.item(item);
            self.children(item, depth + 1);
        }
    }

    fn item(&mut self, item: &InMemDicomObject) {
        let name = meaning(item, tags::CONCEPT_NAME_CODE_SEQUENCE);
        let kind = value(item, tags::VALUE_TYPE).unwrap_or_default();
        let shown = match kind.as_str() {
            "TEXT" => value(item, tags::TEXT_VALUE),
            "DATETIME" => value(item, tags::DATE_TIME).map(|dt| date_time(&dt)),
            "DATE" => value(item, tags::DATE).map(|d| display_date(&d)),
            "TIME" => value(item, tags::TIME),
            "PNAME" => value(item, tags::PERSON_NAME).map(|n| display_name(&n)),
            "CODE" => meaning(item, tags::CONCEPT_CODE_SEQUENCE),
            "NUM" => number(item),
            _ => None,
        };
        match (name, shown) {
            (Some(name), Some(shown)) => self.line(&format!("{name}: {shown}")),
            (Some(name), None) => self.line(&name),
            (None, Some(shown)) => self.line(&shown),
            (None, None) => {}
        }
    }
}

/// A value as text, trimmed; `None` when absent or empty.
fn value(obj: &InMemDicomObject, tag: Tag) -> Option<String> {
    let text = obj.get(tag)?.to_str().ok()?;
    let text = text.trim_matches(|c: char| c == '\0' || c.is_whitespace());
    (!text.is_empty()).then(|| text.to_string())
}

/// The Code Meaning of the first item of a code sequence.
fn meaning(obj: &InMemDicomObject, sequence: Tag) -> Option<String> {
    let code = obj.get(sequence)?.items()?.first()?;
    value(code, tags::CODE_MEANING)
}

/// A NUM item's value and unit (`14 mm`).
fn number(item: &InMemDicomObject) -> Option<String> {
    let measured = item.get(tags::MEASURED_VALUE_SEQUENCE)?.items()?.first()?;
    let number = value(measured, tags::NUMERIC_VALUE)?;
    let unit = measured
        .get(tags::MEASUREMENT_UNITS_CODE_SEQUENCE)
        .and_then(|e| e.items()?.first().and_then(|u| value(u, tags::CODE_VALUE)));
    Some(match unit {
        Some(unit) if unit != "1" => format!("{number} {unit}"),
        _ => number,
    })
}

/// A DICOM date-time (`YYYYMMDDHHMM…`) as `YYYY-MM-DD HH:MM`; anything else as it is.
fn date_time(raw: &str) -> String {
    let digits = raw.bytes().take_while(u8::is_ascii_digit).count();
    match digits {
        12.. => format!(
            "{} {}:{}",
            display_date(&raw[..8]),
            &raw[8..10],
            &raw[10..12]
        ),
        8..=11 => display_date(&raw[..8]),
        _ => raw.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_times_read_as_dates() {
        assert_eq!(date_time("20240302103000.000+0800"), "2024-03-02 10:30");
        assert_eq!(date_time("20240302"), "2024-03-02");
        assert_eq!(date_time("2024"), "2024");
    }
}
