//! The report: one serde value (versioned JSON) that extends the scan document with the case,
//! the findings, the readiness checklist and the patient's declarations. Rendering it for
//! people (HTML, terminal text, in English and Chinese) lives in the submodules.

pub mod html;
pub mod redact;
pub mod requests;
pub mod sentences;
pub mod slips;
pub mod terminal;
pub mod thumbnails;
pub mod timeline;
#[cfg(test)]
mod typescript;

use serde::{Deserialize, Serialize};

use crate::case::{self, Finding, Patient, Study};
use crate::entry::{FileEntry, SCHEMA_VERSION};
use crate::readiness::{self, Declarations, Readiness};
use timeline::TimelineDraft;

/// Everything the tool knows about a case, as the JSON contract (`schema_version` 2) names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Report {
    pub schema_version: u32,
    /// `record-precheck <version>`.
    pub generated_by: String,
    /// Present and true only in the report a host page gets before the patient consents
    /// ([`redact`]): names, IDs, dates, file names and free text left out.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub redacted: bool,
    pub files: Vec<FileEntry>,
    pub patients: Vec<Patient>,
    pub studies: Vec<Study>,
    pub findings: Vec<Finding>,
    pub readiness: Readiness,
    /// The dates of the records in order, for the patient's timeline (never their own text).
    #[serde(default)]
    pub timeline_draft: TimelineDraft,
    pub declarations: Declarations,
    /// The request slips for hospital departments, pre-filled with what the records show.
    #[serde(default)]
    pub requests: Vec<requests::Request>,
    /// The host profile that judged the report (`declarations.profile`), when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<crate::profile::ProfileName>,
}

impl Report {
    /// Studies, series and images of re-readable imaging (original or derived images and
    /// whole-slide images), leaving out studies that hold only reports or screen captures.
    pub fn imaging_counts(&self) -> (usize, usize, usize) {
        let studies = self.studies.iter().filter(|s| s.image_series > 0).count();
        let series = self.studies.iter().map(|s| s.image_series).sum();
        let images = self.studies.iter().map(|s| s.image_count).sum();
        (studies, series, images)
    }
}

/// Builds the report from scanned files and what the patient declared.
pub fn build(files: Vec<FileEntry>, declarations: Declarations) -> Report {
    let mut report = build_without_files(&files, declarations);
    report.files = files;
    report
}

/// [`build`] with `files` left empty, for a caller that keeps the files itself (the page's
/// report worker builds a report on every change of the patient's answers).
pub fn build_without_files(files: &[FileEntry], declarations: Declarations) -> Report {
    let mut case = case::build_declared(files, &declarations.identity);
    let all = case::flatten(files);
    let said = case::adequacy::Said {
        review_date: declarations
            .review_date
            .as_deref()
            .and_then(case::record_date),
        treatment: declarations.treatment_history,
        recent_months: declarations
            .profile
            .as_ref()
            .map_or(crate::profile::DEFAULT_RECENT_MONTHS, |p| {
                p.recent_months.imaging
            }),
    };
    let categories = readiness::document_categories(&all, &declarations);
    let adequacy = case::adequacy::findings(&case, &all, &categories, said);
    case.add_findings(adequacy);
    let readiness = readiness::judge(files, &case, &declarations);
    let requests = requests::build(files, &case, &readiness, &declarations);
    let timeline_draft = timeline::draft(
        &all,
        &case.studies,
        &case.findings,
        &readiness.document_categories,
    );
    Report {
        schema_version: SCHEMA_VERSION,
        generated_by: format!("record-precheck {}", env!("CARGO_PKG_VERSION")),
        redacted: false,
        files: Vec::new(),
        patients: case.patients,
        studies: case.studies,
        findings: case.findings,
        readiness,
        timeline_draft,
        profile: declarations
            .profile
            .as_ref()
            .map(crate::profile::Profile::name),
        declarations,
        requests,
    }
}
