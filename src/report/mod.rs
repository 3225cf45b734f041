//! The report: one serde value (versioned JSON) that extends the scan document with the case,
//! the findings, the readiness checklist and the patient's declarations. Rendering it for
//! people (HTML, terminal text, in English and Chinese) lives in the submodules.

use serde::Serialize;

use crate::case::{self, Finding, Patient, Study};
use crate::entry::{FileEntry, SCHEMA_VERSION};
use crate::readiness::{self, Declarations, Readiness};

/// Everything the tool knows about a case, as the JSON contract (`schema_version` 1) names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub schema_version: u32,
    /// `record-precheck <version>`.
    pub generated_by: String,
    pub files: Vec<FileEntry>,
    pub patients: Vec<Patient>,
    pub studies: Vec<Study>,
    pub findings: Vec<Finding>,
    pub readiness: Readiness,
    pub declarations: Declarations,
}

/// Builds the report from scanned files and what the patient declared.
pub fn build(files: Vec<FileEntry>, declarations: Declarations) -> Report {
    let case = case::build(&files);
    let readiness = readiness::judge(&files, &case, &declarations);
    Report {
        schema_version: SCHEMA_VERSION,
        generated_by: format!("record-precheck {}", env!("CARGO_PKG_VERSION")),
        files,
        patients: case.patients,
        studies: case.studies,
        findings: case.findings,
        readiness,
        declarations,
    }
}
