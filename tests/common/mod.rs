//! What the document tests share: `../shared/corpus-records` and its labels, and how a label's
//! category and name are compared with what the reader found.
//!
//! The labels' categories correspond to the product's (the corpus README says so):
//! `diagnosis` = `diagnosis-report` or `discharge-summary`, `treatment` = `treatment-history`,
//! `genetic` = `genetic-report`, `referral` = `referral-letter`, `timeline` = `patient-notes`;
//! `radiology-report`, `pathology-report`, `lab-results`, `operation-note` are the same; `other`
//! is `other` or no category (unsure).

use std::path::{Path, PathBuf};

use record_precheck::codes::Category;
use serde_json::Value;

/// The corpus of records, beside the repository.
pub fn corpus() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus-records");
    assert!(dir.is_dir(), "the corpus is missing at {}", dir.display());
    dir
}

/// Every file's label.
pub fn labels() -> Vec<Value> {
    let path = corpus().join("labels.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str::<Vec<Value>>(&text).unwrap()
}

/// Whether the category found is right for the label's.
pub fn category_ok(label: &str, found: Option<Category>) -> bool {
    use Category::*;
    matches!(
        (label, found),
        ("diagnosis", Some(DiagnosisReport | DischargeSummary))
            | ("radiology-report", Some(RadiologyReport))
            | ("pathology-report", Some(PathologyReport))
            | ("lab-results", Some(LabResults))
            | ("treatment", Some(TreatmentHistory))
            | ("operation-note", Some(OperationNote))
            | ("genetic", Some(GeneticReport))
            | ("referral", Some(ReferralLetter))
            | ("timeline", Some(PatientNotes))
            | ("other", Some(Other) | None)
    )
}

/// A JSON array of strings.
pub fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Runs of white space as one space (names are compared so).
pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
