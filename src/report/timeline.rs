//! The draft timeline (`timeline_draft`): the dates the records give, in order, for the patient
//! to turn into their one-page timeline. Each document date is an event with the document's
//! category and path, each study date one with the study's modalities and description; events
//! of the same day, source and kind are one event listing its files. Another person's files
//! (the `multiple-patients` finding) give none. It never touches what the patient wrote
//! (`declarations.timeline`).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::case::{record_date, Finding, FindingCode, Study};
use crate::codes::{Category, EventSource};
use crate::entry::FileEntry;

/// Most events kept: the newest, since recent events matter most to a reviewer. A document
/// gives at most `Limits::facts_max_items` dates, but a case may hold thousands of documents.
pub const MAX_EVENTS: usize = 300;
/// Most files listed for one event.
const MAX_EVENT_FILES: usize = 10;

/// The dates found, as a starting point for the patient's timeline.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct TimelineDraft {
    /// Oldest first.
    pub events: Vec<TimelineEvent>,
    /// Older events left out to keep the draft to [`MAX_EVENTS`].
    pub left_out: usize,
}

/// One dated event of the records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct TimelineEvent {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub source: EventSource,
    /// A document's category (as in `readiness.document_categories`); null for a study.
    pub category: Option<Category>,
    /// A study's modalities (`CT`, `MR`…); empty for a document.
    pub modalities: Vec<String>,
    /// A study's description; null for a document.
    pub description: Option<String>,
    /// The documents of the event, as in `files[].path` (at most 10); empty for a study.
    pub files: Vec<String>,
}

/// What makes two events the same: the day, the source and what happened.
type Key = (String, EventSource, String);

/// Builds the draft from every document's dates and every study's date.
pub(super) fn draft(
    all: &[&FileEntry],
    studies: &[Study],
    findings: &[Finding],
    categories: &BTreeMap<String, Category>,
) -> TimelineDraft {
    let others: BTreeSet<&str> = findings
        .iter()
        .filter(|f| f.code == FindingCode::MultiplePatients)
        .flat_map(|f| f.files.iter().map(String::as_str))
        .collect();
    let mut events: BTreeMap<Key, TimelineEvent> = BTreeMap::new();
    let mut left_out = 0;
    for entry in all.iter().filter(|e| !others.contains(e.path.as_str())) {
        let Some(document) = &entry.document else {
            continue;
        };
        let category = categories
            .get(&entry.path)
            .copied()
            .or(document.facts.category);
        let what = category.map_or("", Category::as_str).to_string();
        for date in document.facts.dates.iter().filter_map(|d| iso(d)) {
            let key = (date.clone(), EventSource::Document, what.clone());
            let event = TimelineEvent {
                date,
                source: EventSource::Document,
                category,
                modalities: Vec::new(),
                description: None,
                files: vec![entry.path.clone()],
            };
            add(&mut events, &mut left_out, key, event);
        }
    }
    for study in studies {
        let theirs = study
            .series
            .iter()
            .flat_map(|s| &s.files)
            .any(|f| others.contains(f.as_str()));
        let Some(date) = study.date.as_deref().and_then(iso).filter(|_| !theirs) else {
            continue;
        };
        let description = study.description.clone().filter(|d| !d.trim().is_empty());
        let what = format!(
            "{}|{}",
            study.modalities.join(","),
            description.as_deref().unwrap_or_default()
        );
        let key = (date.clone(), EventSource::Study, what);
        let event = TimelineEvent {
            date,
            source: EventSource::Study,
            category: None,
            modalities: study.modalities.clone(),
            description,
            files: Vec::new(),
        };
        add(&mut events, &mut left_out, key, event);
    }
    TimelineDraft {
        events: events.into_values().collect(),
        left_out,
    }
}

/// Adds an event, or its files to the same event; past [`MAX_EVENTS`] the oldest goes.
fn add(
    events: &mut BTreeMap<Key, TimelineEvent>,
    left_out: &mut usize,
    key: Key,
    event: TimelineEvent,
) {
    if let Some(same) = events.get_mut(&key) {
        for f in event.files {
            if same.files.len() < MAX_EVENT_FILES && !same.files.contains(&f) {
                same.files.push(f);
            }
        }
        return;
    }
    if events.len() >= MAX_EVENTS {
        *left_out += 1;
        if events
            .first_key_value()
            .is_some_and(|(oldest, _)| key < *oldest)
        {
            return;
        }
        events.pop_first();
    }
    events.insert(key, event);
}

fn iso(raw: &str) -> Option<String> {
    record_date(raw).map(|d| d.format("%Y-%m-%d").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::facts::DocumentFacts;
    use crate::document::DocumentInfo;
    use crate::entry::FileKind;
    use crate::text::msg;

    fn doc(path: &str, category: Category, dates: &[&str]) -> FileEntry {
        let mut e = FileEntry::new(path, 10, FileKind::Pdf, msg!("reason.pdf"));
        e.document = Some(DocumentInfo {
            facts: DocumentFacts {
                category: Some(category),
                dates: dates.iter().map(|d| d.to_string()).collect(),
                ..Default::default()
            },
            ..Default::default()
        });
        e
    }

    fn study(date: &str, modality: &str) -> Study {
        Study {
            study_instance_uid: None,
            patient: 0,
            date: Some(date.into()),
            description: Some("Chest".into()),
            accession_number: None,
            institution: None,
            modalities: vec![modality.into()],
            series: Vec::new(),
            image_count: 1,
            image_series: 1,
        }
    }

    #[test]
    fn dates_in_order_one_event_per_day_and_kind() {
        let a = doc("a.pdf", Category::LabResults, &["2024-03-02", "2024-01-05"]);
        let b = doc("b.pdf", Category::LabResults, &["2024-03-02", "2024-02-30"]);
        let c = doc("c.pdf", Category::PathologyReport, &["2024-03-02"]);
        let studies = [study("20240110", "CT"), study("20240110", "CT")];
        let d = draft(&[&a, &b, &c], &studies, &[], &BTreeMap::new());
        let got: Vec<(&str, EventSource, Vec<&str>)> = d
            .events
            .iter()
            .map(|e| {
                (
                    e.date.as_str(),
                    e.source,
                    e.files.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        // 2024-02-30 is no date; the two CTs of one day with one description are one event.
        assert_eq!(
            got,
            [
                ("2024-01-05", EventSource::Document, vec!["a.pdf"]),
                ("2024-01-10", EventSource::Study, vec![]),
                ("2024-03-02", EventSource::Document, vec!["a.pdf", "b.pdf"]),
                ("2024-03-02", EventSource::Document, vec!["c.pdf"]),
            ]
        );
        assert_eq!(d.events[1].modalities, ["CT"]);
        assert_eq!(d.left_out, 0);
    }

    #[test]
    fn the_patients_tag_names_the_event_and_another_persons_files_give_none() {
        let a = doc("a.pdf", Category::Other, &["2024-03-02"]);
        let theirs = doc("theirs.pdf", Category::LabResults, &["2024-03-03"]);
        let categories = BTreeMap::from([("a.pdf".to_string(), Category::OperationNote)]);
        let finding = Finding {
            code: FindingCode::MultiplePatients,
            severity: crate::codes::Severity::Serious,
            files: vec!["theirs.pdf".into()],
            values: BTreeMap::new(),
        };
        let d = draft(&[&a, &theirs], &[], &[finding], &categories);
        assert_eq!(d.events.len(), 1);
        assert_eq!(d.events[0].category, Some(Category::OperationNote));
    }

    #[test]
    fn the_newest_events_are_kept() {
        let dates: Vec<String> = (0..MAX_EVENTS + 5)
            .map(|i| {
                let day = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap()
                    + chrono::Days::new(i as u64);
                day.format("%Y-%m-%d").to_string()
            })
            .collect();
        let refs: Vec<&str> = dates.iter().map(String::as_str).collect();
        let a = doc("a.pdf", Category::LabResults, &refs);
        let d = draft(&[&a], &[], &[], &BTreeMap::new());
        assert_eq!(d.events.len(), MAX_EVENTS);
        assert_eq!(d.left_out, 5);
        assert_eq!(d.events[0].date, dates[5]);
        assert_eq!(d.events.last().unwrap().date, *dates.last().unwrap());
    }
}
