//! Adequacy: what reviewers send cases back for even when every file is complete — CT or MR
//! only in thick slices, imaging too old for the question asked, one time point when the
//! documents show earlier imaging or a treatment (nothing to compare with), and radiology
//! reports and studies that do not belong together. Each is a finding with the numbers its
//! sentence needs (thicknesses, dates, months) and a next step in `readiness`.
//!
//! The rules, and where they come from:
//! - *Axial*: the normal of Image Orientation (Patient) (PS3.3 C.7.6.2.1.1: the row and column
//!   direction cosines; their cross product is the slice normal) within 30° of the patient's
//!   feet–head (z) axis, i.e. `|n_z| ≥ cos 30°`; without an orientation, CT's Image Type value 3
//!   `AXIAL` (C.8.2.1.1.1). Localizers and derived or secondary series (reformats, MIPs) are not
//!   the source images and do not count; a thin source series in another plane (a 3D sagittal
//!   MR series) counts as thin slices, since it can be reformatted axially.
//! - *Thick*: Slice Thickness (0018,0050) above 2 mm, else Spacing Between Slices when the
//!   thickness is not given; a series whose thickness is not known keeps the study from being
//!   judged.
//! - *Recent*: the newest study no more than 3 months before the newest record (a document's
//!   date or a study's) or the date the patient gives for the review, whichever is later.
//! - *A report and a study match* when one of the report's dates (or, for a report held in DICOM,
//!   its study's date) is within [`MATCH_DAYS`] days of the study's date. The scan type a report
//!   names is not read from its text, so the date alone decides: a report of another scan type on
//!   the same day counts as a match (the finding errs towards silence).
//!
//! Works on the case, the documents' facts and their categories (the patient's tag first, as
//! `readiness` decides them); reads no file.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Months, NaiveDate};
use serde_json::{json, Value};

use super::{record_date, Case, Finding, FindingCode, Series, Severity, Study};
use crate::codes::Category;
use crate::dicom::{DicomClass, DicomInfo};
use crate::entry::FileEntry;

/// Thicker than this (mm) is a thick slice: thin-slice source images are 0.5–1.5 mm, the
/// reconstructions hospitals burn 3–5 mm.
pub const THIN_MM: f64 = 2.0;
/// Most degrees between a slice's normal and the z axis for the slice to be axial.
const AXIAL_DEGREES: f64 = 30.0;
/// Days between a report's date and a study's for the two to match (reports are usually
/// written on the day of the scan or within a few days).
pub const MATCH_DAYS: i64 = 3;
/// Most documents or studies listed in a finding's values.
const MAX_LISTED: usize = 10;

/// Whether one image is axial: see the module's rules. `None` when the header says neither.
pub fn is_axial(d: &DicomInfo) -> Option<bool> {
    if let Some(o) = d.image_orientation {
        let (r, c) = ([o[0], o[1], o[2]], [o[3], o[4], o[5]]);
        let n = [
            r[1] * c[2] - r[2] * c[1],
            r[2] * c[0] - r[0] * c[2],
            r[0] * c[1] - r[1] * c[0],
        ];
        let length = (n[0] * n[0] + n[1] * n[1] + n[2] * n[2]).sqrt();
        if length > 1e-6 {
            return Some(n[2].abs() / length >= AXIAL_DEGREES.to_radians().cos());
        }
    }
    d.image_type
        .get(2)
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("AXIAL"))
        .then_some(true)
}

/// What the patient said that the adequacy rules use.
#[derive(Debug, Clone, Copy)]
pub struct Said {
    /// The date the patient gives for the review (`declarations.review_date`).
    pub review_date: Option<NaiveDate>,
    /// The patient says a treatment history is written down.
    pub treatment: bool,
    /// Months the newest imaging may be older than the newest record or the review date
    /// (3, or the host profile's `recent_months.imaging`).
    pub recent_months: u32,
}

/// A document of the patient, with its category and the dates it gives.
struct Document<'a> {
    path: &'a str,
    category: Category,
    dates: Vec<NaiveDate>,
}

/// The adequacy findings of a case. `categories` holds each document's category as the
/// checklist decides it; files of another person or of a person the patient excluded count for
/// nothing.
pub fn findings(
    case: &Case,
    all: &[&FileEntry],
    categories: &BTreeMap<String, Category>,
    said: Said,
) -> Vec<Finding> {
    let others: BTreeSet<&str> = case
        .findings
        .iter()
        .filter(|f| f.code == FindingCode::MultiplePatients)
        .flat_map(|f| f.files.iter().map(String::as_str))
        .chain(super::excluded_files(&case.patients, &case.studies).into_keys())
        .collect();
    let studies: Vec<&Study> = case
        .studies
        .iter()
        .filter(|s| s.image_count > 0)
        .filter(|s| {
            !s.series
                .iter()
                .flat_map(|x| &x.files)
                .any(|f| others.contains(f.as_str()))
        })
        .collect();
    // A report held in DICOM belongs to its study: the study's date is one of its dates.
    let study_of: BTreeMap<&str, NaiveDate> = case
        .studies
        .iter()
        .filter_map(|s| Some((s, study_date(s)?)))
        .flat_map(|(s, d)| {
            s.series
                .iter()
                .flat_map(move |x| x.files.iter().map(move |f| (f.as_str(), d)))
        })
        .collect();
    let documents: Vec<Document> = all
        .iter()
        .filter(|e| !others.contains(e.path.as_str()))
        .filter_map(|e| {
            let category = *categories.get(&e.path)?;
            let mut dates: Vec<NaiveDate> = e
                .document
                .iter()
                .flat_map(|d| d.facts.dates.iter())
                .filter_map(|d| record_date(d))
                .chain(study_of.get(e.path.as_str()).copied())
                .collect();
            dates.sort_unstable();
            dates.dedup();
            Some(Document {
                path: &e.path,
                category,
                dates,
            })
        })
        .collect();

    // Thick slices are a fact of a study's files, said of every study the patient did not set
    // aside: another person's study gets it too (the first step takes those files out).
    let mut out: Vec<Finding> = case
        .studies
        .iter()
        .filter(|s| !case.patients.get(s.patient).is_some_and(|p| p.excluded))
        .filter_map(thick_slices_only)
        .collect();
    out.extend(not_recent(
        &studies,
        &documents,
        said.review_date,
        said.recent_months,
    ));
    out.extend(single_timepoint(&studies, &documents, said.treatment));
    out.extend(reports_and_studies(&studies, &documents));
    out
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn study_date(s: &Study) -> Option<NaiveDate> {
    s.date.as_deref().and_then(record_date)
}

fn study_files(s: &Study) -> Vec<String> {
    s.series.iter().flat_map(|x| x.files.clone()).collect()
}

/// `thick-slices-only`: a CT or MR study whose every axial source series is thicker than
/// [`THIN_MM`], with no thin source series in another plane either (a thin 3D sagittal MR
/// series can be reformatted axially).
fn thick_slices_only(study: &Study) -> Option<Finding> {
    let thickness = |s: &Series| s.slice_thickness.or(s.spacing_between_slices);
    let source: Vec<&Series> = study
        .series
        .iter()
        .filter(|s| s.class == Some(DicomClass::Image))
        .filter(|s| matches!(s.modality.as_deref(), Some("CT" | "MR")))
        .filter(|s| !s.localizer && !s.derived && !s.secondary)
        .collect();
    if source
        .iter()
        .any(|s| thickness(s).is_some_and(|t| t <= THIN_MM))
    {
        return None;
    }
    let axial: Vec<&Series> = source
        .into_iter()
        .filter(|s| s.axial == Some(true))
        .collect();
    let thinnest = axial
        .iter()
        .map(|s| thickness(s))
        .collect::<Option<Vec<f64>>>()?
        .into_iter()
        .reduce(f64::min)?;
    let modality = axial.first().and_then(|s| s.modality.clone());
    Some(Finding::new(
        FindingCode::ThickSlicesOnly,
        Severity::Warning,
        axial.iter().flat_map(|s| s.files.clone()).collect(),
        json!({
            "modality": modality,
            "study_description": study.description,
            "study_date": study.date,
            "series": axial.len(),
            "thickness": millimetres(thinnest),
            "thin_mm": millimetres(THIN_MM),
        }),
    ))
}

/// Millimetres as a reader says them: `5`, `2.5`, `0.63` (never `5.0` or `2.5000000001`).
fn millimetres(mm: f64) -> Value {
    let rounded = (mm * 100.0).round() / 100.0;
    if rounded.fract() == 0.0 && rounded.abs() < 1e9 {
        json!(rounded as i64)
    } else {
        json!(rounded)
    }
}

/// Whole months from `earlier` to `later` (0 when `later` is not later).
fn months_between(earlier: NaiveDate, later: NaiveDate) -> u32 {
    let months = (later.year() - earlier.year()) * 12 + later.month() as i32
        - earlier.month() as i32
        - i32::from(later.day() < earlier.day());
    u32::try_from(months).unwrap_or(0)
}

/// `imaging-not-recent`: the newest study more than `recent_months` before the newest record
/// or the patient's date.
fn not_recent(
    studies: &[&Study],
    documents: &[Document],
    review_date: Option<NaiveDate>,
    recent_months: u32,
) -> Option<Finding> {
    let newest = studies.iter().filter_map(|s| study_date(s)).max()?;
    let newest_record = documents
        .iter()
        .flat_map(|d| d.dates.iter().copied())
        .chain(Some(newest))
        .max()?;
    let (reference, declared) = match review_date {
        Some(r) if r > newest_record => (r, true),
        _ => (newest_record, false),
    };
    let from = reference.checked_sub_months(Months::new(recent_months))?;
    if newest >= from {
        return None;
    }
    let files = studies
        .iter()
        .filter(|s| study_date(s) == Some(newest))
        .flat_map(|s| study_files(s))
        .collect();
    Some(Finding::new(
        FindingCode::ImagingNotRecent,
        Severity::Warning,
        files,
        json!({
            "newest_study": iso(newest),
            "reference": iso(reference),
            "reference_declared": declared,
            "months_older": months_between(newest, reference),
            "recent_months": recent_months,
        }),
    ))
}

/// Categories whose documents show a treatment or a tissue diagnosis: what a reviewer compares
/// imaging before and after.
const TREATMENT_CATEGORIES: [Category; 4] = [
    Category::OperationNote,
    Category::TreatmentHistory,
    Category::DischargeSummary,
    Category::PathologyReport,
];

/// `single-timepoint`: imaging of one day only, while the documents show earlier imaging (a
/// radiology report dated before it) or a treatment.
fn single_timepoint(
    studies: &[&Study],
    documents: &[Document],
    treatment_declared: bool,
) -> Option<Finding> {
    let dates: BTreeSet<Option<NaiveDate>> = studies.iter().map(|s| study_date(s)).collect();
    if dates.len() != 1 {
        return None;
    }
    let date = studies.first().and_then(|s| study_date(s));
    let mut evidence: Vec<Value> = Vec::new();
    for d in documents {
        let earlier = date.and_then(|at| {
            d.dates
                .iter()
                .copied()
                .filter(|x| (at - *x).num_days() > MATCH_DAYS)
                .min()
        });
        let counts = match d.category {
            Category::RadiologyReport => earlier.is_some(),
            c => TREATMENT_CATEGORIES.contains(&c),
        };
        if counts {
            let shown = if d.category == Category::RadiologyReport {
                earlier
            } else {
                d.dates.first().copied()
            };
            evidence.push(json!({
                "category": d.category,
                "date": shown.map(iso),
                "path": d.path,
            }));
        }
    }
    if evidence.is_empty() && !treatment_declared {
        return None;
    }
    let study = studies.first()?;
    Some(Finding::new(
        FindingCode::SingleTimepoint,
        Severity::Warning,
        evidence
            .iter()
            .filter_map(|e| e["path"].as_str().map(str::to_string))
            .collect(),
        json!({
            "study_description": study.description,
            "study_date": study.date,
            "studies": studies.len(),
            "documents": evidence.len(),
            "evidence": evidence.iter().take(MAX_LISTED).collect::<Vec<_>>(),
            "treatment_declared": treatment_declared,
        }),
    ))
}

/// `report-without-images` (a radiology report dated on no study's day) and
/// `images-without-report` (a study no report's date matches). Only where the other side
/// exists at all: no study at all is the checklist's imaging item, no report at all its
/// radiology-report item. A study is called without report only when every radiology report
/// has a date (an undated one may be its report).
fn reports_and_studies(studies: &[&Study], documents: &[Document]) -> Vec<Finding> {
    let reports: Vec<&Document> = documents
        .iter()
        .filter(|d| d.category == Category::RadiologyReport)
        .collect();
    let dated: Vec<(&Study, NaiveDate)> = studies
        .iter()
        .filter_map(|s| study_date(s).map(|d| (*s, d)))
        .collect();
    let near = |a: NaiveDate, b: NaiveDate| (a - b).num_days().abs() <= MATCH_DAYS;
    let mut out = Vec::new();
    if reports.is_empty() || dated.is_empty() {
        return out;
    }
    let unmatched: Vec<&&Document> = reports
        .iter()
        .filter(|r| !r.dates.is_empty())
        .filter(|r| {
            !r.dates
                .iter()
                .any(|x| dated.iter().any(|(_, d)| near(*x, *d)))
        })
        .collect();
    if !unmatched.is_empty() {
        let listed: Vec<Value> = unmatched
            .iter()
            .take(MAX_LISTED)
            .map(|r| json!({ "path": r.path, "dates": r.dates.iter().map(|d| iso(*d)).collect::<Vec<_>>() }))
            .collect();
        let mut dates: Vec<String> = unmatched
            .iter()
            .flat_map(|r| r.dates.iter().map(|d| iso(*d)))
            .collect();
        dates.sort();
        dates.dedup();
        out.push(Finding::new(
            FindingCode::ReportWithoutImages,
            Severity::Warning,
            unmatched.iter().map(|r| r.path.to_string()).collect(),
            json!({
                "count": unmatched.len(),
                "reports": listed,
                "dates": dates.iter().take(MAX_LISTED).collect::<Vec<_>>(),
                "match_days": MATCH_DAYS,
            }),
        ));
    }
    if reports.iter().any(|r| r.dates.is_empty()) {
        return out;
    }
    let alone: Vec<&(&Study, NaiveDate)> = dated
        .iter()
        .filter(|(_, d)| !reports.iter().any(|r| r.dates.iter().any(|x| near(*x, *d))))
        .collect();
    if !alone.is_empty() {
        let listed: Vec<Value> = alone
            .iter()
            .take(MAX_LISTED)
            .map(|(s, d)| json!({ "date": iso(*d), "modalities": s.modalities, "description": s.description }))
            .collect();
        out.push(Finding::new(
            FindingCode::ImagesWithoutReport,
            Severity::Info,
            alone.iter().flat_map(|(s, _)| study_files(s)).collect(),
            json!({
                "count": alone.len(),
                "unreported": listed,
                "dates": alone.iter().take(MAX_LISTED).map(|(_, d)| iso(*d)).collect::<Vec<_>>(),
                "match_days": MATCH_DAYS,
            }),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An axial slice tilted by `degrees` about the patient's x axis (a gantry tilt): rows
    /// along x, columns along y turned towards z.
    fn tilted(degrees: f64) -> DicomInfo {
        let a = degrees.to_radians();
        DicomInfo {
            image_orientation: Some([1.0, 0.0, 0.0, 0.0, a.cos(), a.sin()]),
            ..Default::default()
        }
    }

    #[test]
    fn a_slice_is_axial_within_thirty_degrees_of_the_z_axis() {
        assert_eq!(is_axial(&tilted(0.0)), Some(true));
        assert_eq!(is_axial(&tilted(29.5)), Some(true));
        assert_eq!(is_axial(&tilted(30.5)), Some(false));
        // PS3.3 C.7.6.2.1.1's examples: sagittal (rows along y, columns along -z) and coronal.
        let sagittal = DicomInfo {
            image_orientation: Some([0.0, 1.0, 0.0, 0.0, 0.0, -1.0]),
            ..Default::default()
        };
        let coronal = DicomInfo {
            image_orientation: Some([1.0, 0.0, 0.0, 0.0, 0.0, -1.0]),
            ..Default::default()
        };
        assert_eq!(is_axial(&sagittal), Some(false));
        assert_eq!(is_axial(&coronal), Some(false));
        // No orientation: CT's Image Type says AXIAL, or nothing is known.
        let typed = DicomInfo {
            image_type: vec!["ORIGINAL".into(), "PRIMARY".into(), "AXIAL".into()],
            ..Default::default()
        };
        assert_eq!(is_axial(&typed), Some(true));
        assert_eq!(is_axial(&DicomInfo::default()), None);
        // Degenerate cosines (all zero) are no orientation.
        let zero = DicomInfo {
            image_orientation: Some([0.0; 6]),
            ..Default::default()
        };
        assert_eq!(is_axial(&zero), None);
    }

    #[test]
    fn millimetres_read_as_people_write_them() {
        assert_eq!(millimetres(5.0), json!(5));
        assert_eq!(millimetres(2.5), json!(2.5));
        assert_eq!(millimetres(0.625), json!(0.63));
        assert_eq!(millimetres(2.0000000001), json!(2));
    }
}
