//! The cases of `../shared/corpus-records/cases.json`, each folder scanned natively and judged
//! with no declarations: every checklist outcome the case lists against the report's item, and
//! `patients_expected` against the people the report finds. Prints a table of expected vs got.
//!
//! An outcome is checked when the files the labels (`labels.json`) give for it were read: a
//! "present" needs one read document of the item's kind, "missing" and "not-needed" need every
//! document of the case read, "needed" one read document in another language than the
//! reviewer's (English). What rests on pictures (`checklist_needs_ocr` cases: photos and scans
//! of paper, which need OCR: tests/ocr.rs checks that case's checklist with OCR, which this
//! scan leaves off) or on a format this build does not read is left,
//! and the table says which files it waits for. Every text-layer PDF must have been read, so a
//! broken reader cannot leave outcomes unchecked.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use record_precheck::case::{flatten, FindingCode};
use record_precheck::readiness::{Declarations, ItemId, Status};
use record_precheck::recognise::folder::scan_path;
use record_precheck::report::{self, Report};
use record_precheck::Limits;
use serde_json::Value;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus-records")
}

fn json(name: &str) -> Value {
    let path = corpus().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// A labelled document of the case, and whether this build read its text.
struct LabelledDocument {
    path: String,
    category: String,
    language: Option<String>,
    patient: Option<String>,
    read: bool,
}

/// The checklist item a `cases.json` key names, and the label categories whose documents are
/// its evidence (README.md: "Label categories and the report's category names"; an operation
/// note counts as treatment history, a genetic report goes with the pathology).
fn item_of(key: &str) -> (ItemId, &'static [&'static str]) {
    match key {
        "written-diagnosis" => (ItemId::DiagnosisReport, &["diagnosis"]),
        "radiology-reports" => (ItemId::RadiologyReport, &["radiology-report"]),
        "pathology-reports" => (
            ItemId::PathologyLabReports,
            &["pathology-report", "genetic"],
        ),
        "treatment-history" => (ItemId::TreatmentHistory, &["treatment", "operation-note"]),
        "blood-work" => (ItemId::BloodWork, &["lab-results"]),
        "translation" => (ItemId::Translation, &[]),
        "imaging-dicom" => (ItemId::ImagingDicom, &[]),
        other => panic!("cases.json names an item this test does not know: {other}"),
    }
}

/// Whether the report's item says what the case expects. "present" for pathology means a
/// pathology report is there (the item also wants lab results); for blood work a lab result
/// is there, recent (present) or older than 3 months (partial: the item says how old).
fn agrees(key: &str, expected: &str, status: Status, values: &BTreeMap<String, Value>) -> bool {
    let count = |k: &str| values.get(k).and_then(Value::as_u64).unwrap_or(0);
    match (key, expected) {
        ("pathology-reports", "present") => count("pathology") > 0,
        ("pathology-reports", "missing") => count("pathology") == 0,
        ("blood-work", "present") => matches!(status, Status::Present | Status::Partial),
        ("translation", "needed") => status == Status::Missing,
        ("translation", "not-needed") => status == Status::NotNeeded,
        (_, "present") => status == Status::Present,
        (_, "missing") => status == Status::Missing,
        _ => panic!("cases.json gives {key} an outcome this test does not know: {expected}"),
    }
}

/// Why an outcome cannot be checked from what was read, if it cannot.
fn left_because(key: &str, expected: &str, docs: &[LabelledDocument]) -> Option<String> {
    let (id, categories) = item_of(key);
    let relevant = |d: &&LabelledDocument| categories.contains(&d.category.as_str());
    let unread: Vec<&LabelledDocument> = docs.iter().filter(|d| !d.read).collect();
    let unread_relevant: Vec<&LabelledDocument> = unread.iter().copied().filter(relevant).collect();
    let (decided, waits_for) = match (key, expected) {
        ("imaging-dicom", _) => (true, Vec::new()),
        ("translation", "needed") => (
            docs.iter()
                .any(|d| d.read && d.language.as_deref().is_some_and(|l| !l.starts_with("en"))),
            unread,
        ),
        ("translation", _) => (unread.is_empty(), unread),
        (_, "present") => (
            docs.iter().filter(relevant).any(|d| d.read),
            unread_relevant,
        ),
        // Missing: no document of the kind is unread; and for the written diagnosis none at all,
        // since a document that could not be sorted makes that item "partly there".
        _ if id == ItemId::DiagnosisReport => (unread.is_empty(), unread),
        _ => (unread_relevant.is_empty(), unread_relevant),
    };
    let paths: Vec<&str> = waits_for.iter().map(|d| d.path.as_str()).collect();
    (!decided).then(|| format!("waits for {} (not read)", paths.join(", ")))
}

/// The files of a case folder as labelled, with whether the scan read each.
fn labelled_documents(case: &str, report: &Report) -> Vec<LabelledDocument> {
    let read: BTreeMap<&str, bool> = flatten(&report.files)
        .into_iter()
        .map(|e| {
            let text = e.document.as_ref().is_some_and(|d| d.text_source.is_some());
            (e.path.as_str(), text)
        })
        .collect();
    let mut docs = Vec::new();
    for label in json("labels.json").as_array().unwrap() {
        if label["case"] != case || label["document"].is_null() {
            continue;
        }
        let path = label["path"].as_str().unwrap();
        let rel = path.strip_prefix(&format!("{case}/")).unwrap_or(path);
        let doc = &label["document"];
        let text_layer = doc["text_layer"].as_bool() == Some(true);
        let was_read = read.get(rel).copied().unwrap_or(false);
        if text_layer && rel.to_lowercase().ends_with(".pdf") {
            assert!(was_read, "{path}: a text-layer PDF was not read");
        }
        docs.push(LabelledDocument {
            path: rel.to_string(),
            category: doc["category"].as_str().unwrap_or("other").to_string(),
            language: doc["language"].as_str().map(str::to_string),
            patient: doc["patient"]["name"].as_str().map(str::to_string),
            read: was_read && text_layer,
        });
    }
    docs
}

#[test]
fn every_case_of_corpus_records_gets_its_checklist_and_people() {
    let mut table = vec![format!(
        "{:<24} {:<20} {:<12} {:<12} {}",
        "case", "item", "expected", "got", "checked"
    )];
    let mut wrong = Vec::new();
    let mut checked = 0;
    for case in json("cases.json").as_array().unwrap() {
        let name = case["case"].as_str().unwrap();
        let files = scan_path(&corpus().join(name), &Limits::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let report = report::build(files, Declarations::default());
        let docs = labelled_documents(name, &report);
        let ocr = case["checklist_needs_ocr"].as_bool() == Some(true);
        for (key, expected) in case["checklist"].as_object().unwrap() {
            let expected = expected.as_str().unwrap();
            let (id, _) = item_of(key);
            let item = report.readiness.items.iter().find(|i| i.id == id).unwrap();
            let left = left_because(key, expected, &docs);
            let verdict = match &left {
                Some(why) if ocr => format!("left: {why}; the case needs OCR"),
                Some(why) => format!("left: {why}"),
                None if agrees(key, expected, item.status, &item.values) => "ok".to_string(),
                None => {
                    wrong.push(format!(
                        "{name} {key}: expected {expected}, got {}",
                        item.status
                    ));
                    "WRONG".to_string()
                }
            };
            checked += usize::from(left.is_none());
            table.push(format!(
                "{name:<24} {key:<20} {expected:<12} {:<12} {verdict}",
                item.status.as_str()
            ));
        }

        // People: exactly the number expected when every document naming someone was read, or
        // when those not read name someone (label spelling) a read one names too; else at
        // least one when a read document names someone, and never more than expected.
        let expected = case["patients_expected"].as_u64().unwrap() as usize;
        let got = report.patients.len();
        let read_names: Vec<&str> = docs
            .iter()
            .filter(|d| d.read)
            .filter_map(|d| d.patient.as_deref())
            .collect();
        let unread_new: Vec<&str> = docs
            .iter()
            .filter(|d| {
                !d.read
                    && d.patient
                        .as_deref()
                        .is_some_and(|p| !read_names.contains(&p))
            })
            .map(|d| d.path.as_str())
            .collect();
        let (ok, verdict) = if unread_new.is_empty() {
            (got == expected, "exactly".to_string())
        } else {
            let least = usize::from(!read_names.is_empty());
            (
                (least..=expected).contains(&got),
                format!(
                    "between {least} and {expected}: {} name someone and were not read",
                    unread_new.join(", ")
                ),
            )
        };
        if !ok {
            wrong.push(format!("{name} people: expected {expected}, got {got}"));
        }
        // More than one person: the report must say so (the multiple-patients finding).
        let flagged = report
            .findings
            .iter()
            .any(|f| f.code == FindingCode::MultiplePatients);
        if unread_new.is_empty() && flagged != (expected > 1) {
            wrong.push(format!("{name}: multiple-patients finding is {flagged}"));
        }
        checked += 1;
        table.push(format!(
            "{name:<24} {:<20} {expected:<12} {got:<12} {} {verdict}",
            "people",
            if ok { "ok" } else { "WRONG" }
        ));
    }
    println!("{}", table.join("\n"));
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(checked >= 15, "only {checked} outcomes could be checked");
}
