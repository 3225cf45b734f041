//! The request slips (issue 19): what to ask each hospital department for, pre-filled with what
//! the records show, one slip per department (and per hospital for the imaging): the imaging
//! department (影像科/放射科) for the original images of each study, the pathology department
//! (病理科) to lend the slides (借片) by their pathology numbers, the records office (病案室)
//! for copies of a stay's records (病历复印), the laboratory (检验科) for lab results. This is
//! the JSON part (`requests: [{ department, reasons, facts }]`); [`super::slips`] prints them.
//!
//! A slip is made only when there is something to ask for (its `reasons`), for an item the host's
//! profile requires (without a profile: every item); what the records do not say is left out of
//! `facts` and printed as a line to write on.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::case::{flatten, Case, FindingCode, Study};
use crate::codes::{Answer, Category, Department, ItemId, RequestReason, Slides, Status};
use crate::entry::FileEntry;
use crate::readiness::{others_files, Declarations, Item, Readiness};

/// Studies listed on one imaging slip; more are counted (`more_studies`), so a slip stays one
/// A4 page.
pub const STUDY_ROWS: usize = 8;
/// Pathology numbers listed on the pathology slip.
pub const PATHOLOGY_ROWS: usize = 8;
/// Admissions listed on the records slip.
pub const ADMISSION_ROWS: usize = 6;

/// One slip: the department, why it is asked, and what the records already say. (`RequestSlip`
/// in TypeScript: `Request` is the DOM's.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(rename = "RequestSlip"))]
pub struct Request {
    pub department: Department,
    pub reasons: Vec<RequestReason>,
    pub facts: RequestFacts,
}

/// What a slip is pre-filled with. Absent facts are printed as blanks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RequestFacts {
    /// The hospital, as its files or documents name it.
    pub hospital: Option<String>,
    /// The patient, as the records name them (a DICOM person name: `Wang^XiaoDong=王^小东`).
    pub patient_name: Option<String>,
    /// `YYYYMMDD` (DICOM) or `YYYY-MM-DD` (a document).
    pub birth_date: Option<String>,
    /// `M`, `F` or `O`.
    pub sex: Option<String>,
    /// The hospital's patient IDs.
    pub patient_ids: Vec<String>,
    /// Imaging: each study, as its headers give it.
    pub studies: Vec<StudyAsked>,
    /// Imaging: studies beyond the slip's rows (the report lists them).
    pub more_studies: usize,
    /// Pathology: each pathology number (病理号) the documents give.
    pub pathology_numbers: Vec<PathologyNumber>,
    /// Records: the dates of the stays the discharge summaries found give (`YYYY-MM-DD`).
    pub admissions: Vec<String>,
    /// Records: the kinds of record asked for, each with how many are among the files.
    pub records: Vec<RecordAsked>,
    /// Laboratory: the newest lab result's date (`YYYY-MM-DD`).
    pub newest_lab: Option<String>,
    /// Laboratory: the tumour markers the documents give.
    pub markers: Vec<String>,
}

/// A study to ask the imaging department for.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StudyAsked {
    /// `YYYYMMDD`, as the header gives it.
    pub date: Option<String>,
    pub modalities: Vec<String>,
    pub description: Option<String>,
    pub accession_number: Option<String>,
    /// The thinnest slices (mm) of a CT or MR study that has only thick ones (the
    /// `thick-slices-only` finding): its thin-slice source images are asked for.
    pub thick_slices_mm: Option<f64>,
}

/// A pathology number and where it comes from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PathologyNumber {
    pub number: String,
    pub hospital: Option<String>,
    /// The first date of the report (`YYYY-MM-DD`).
    pub date: Option<String>,
}

/// A kind of record asked from the records office.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RecordAsked {
    pub category: Category,
    /// How many are among the files already.
    pub found: usize,
}

/// A document of the patient's: what it is and what it says.
struct Doc<'a> {
    category: Category,
    entry: &'a FileEntry,
}

impl Doc<'_> {
    fn institution(&self) -> Option<&str> {
        self.entry.document.as_ref()?.facts.institution.as_deref()
    }
    fn first_date(&self) -> Option<&str> {
        self.entry
            .document
            .as_ref()?
            .facts
            .dates
            .first()
            .map(String::as_str)
    }
}

/// The slips a case needs, in the order of the departments (imaging, pathology, records,
/// laboratory).
pub fn build(
    files: &[FileEntry],
    case: &Case,
    readiness: &Readiness,
    decl: &Declarations,
) -> Vec<Request> {
    let others = others_files(case);
    let all = flatten(files);
    let docs: Vec<Doc> = all
        .iter()
        .filter(|e| !others.contains(e.path.as_str()))
        .filter_map(|e| {
            let category = *readiness.document_categories.get(&e.path)?;
            Some(Doc { category, entry: e })
        })
        .collect();
    let item = |id| readiness.items.iter().find(|i: &&Item| i.id == id);
    let status = |id| item(id).map_or(Status::NotNeeded, |i| i.status);
    let gap = |id| matches!(status(id), Status::Missing | Status::Partial);
    let patient = patient_facts(case);
    let mut requests = imaging(case, &docs, &patient, &gap);

    // Pathology: the slides, when they matter and are not here.
    if status(ItemId::PathologySlides) == Status::Missing && decl.cancer != Answer::No {
        let reason = match decl.slides {
            Some(Slides::Requested) => RequestReason::SlidesRequested,
            Some(Slides::NotAvailable) => RequestReason::SlidesNotLent,
            _ => RequestReason::SlidesMissing,
        };
        let mut numbers: Vec<PathologyNumber> = Vec::new();
        // A number's hospital is that of its pathology report (a gene lab's report quotes it).
        let mut by_kind: Vec<&Doc> = docs.iter().collect();
        by_kind.sort_by_key(|d| d.category != Category::PathologyReport);
        for d in by_kind {
            let Some(n) = d
                .entry
                .document
                .as_ref()
                .and_then(|x| x.facts.pathology_number.as_ref())
            else {
                continue;
            };
            if numbers.len() < PATHOLOGY_ROWS && !numbers.iter().any(|p| &p.number == n) {
                numbers.push(PathologyNumber {
                    number: n.clone(),
                    hospital: d.institution().map(str::to_string),
                    date: d.first_date().map(str::to_string),
                });
            }
        }
        let hospital = numbers.iter().find_map(|n| n.hospital.clone());
        requests.push(Request {
            department: Department::Pathology,
            reasons: vec![reason],
            facts: RequestFacts {
                hospital,
                pathology_numbers: numbers,
                ..patient.clone()
            },
        });
    }

    // Records office: the stay's records the checklist lacks.
    let mut reasons = Vec::new();
    if gap(ItemId::DiagnosisReport) {
        reasons.push(RequestReason::DiagnosisMissing);
    }
    if status(ItemId::TreatmentHistory) == Status::Missing {
        reasons.push(RequestReason::TreatmentMissing);
    }
    let pathology_reports = docs
        .iter()
        .filter(|d| d.category == Category::PathologyReport)
        .count();
    if pathology_reports == 0 && status(ItemId::PathologySlides) != Status::NotNeeded {
        reasons.push(RequestReason::PathologyReportMissing);
    }
    if !reasons.is_empty() {
        let found = |c: Category| docs.iter().filter(|d| d.category == c).count();
        let records = [
            Category::DischargeSummary,
            Category::OperationNote,
            Category::PathologyReport,
        ]
        .into_iter()
        .map(|category| RecordAsked {
            category,
            found: found(category),
        })
        .collect();
        let mut admissions: Vec<String> = docs
            .iter()
            .filter(|d| d.category == Category::DischargeSummary)
            .filter_map(|d| d.first_date().map(str::to_string))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        admissions.truncate(ADMISSION_ROWS);
        requests.push(Request {
            department: Department::Records,
            reasons,
            facts: RequestFacts {
                hospital: most_named(docs.iter().filter_map(Doc::institution)),
                admissions,
                records,
                ..patient.clone()
            },
        });
    }

    // Laboratory: recent blood work.
    if let Some(blood) = item(ItemId::BloodWork).filter(|i| gap(i.id)) {
        let reason = if status(ItemId::BloodWork) == Status::Missing {
            RequestReason::LabsMissing
        } else {
            RequestReason::LabsOld
        };
        let text = |k: &str| {
            blood
                .values
                .get(k)
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let markers = blood
            .values
            .get("markers")
            .and_then(Value::as_array)
            .map(|m| {
                m.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let labs = docs.iter().filter(|d| d.category == Category::LabResults);
        requests.push(Request {
            department: Department::Laboratory,
            reasons: vec![reason],
            facts: RequestFacts {
                hospital: most_named(labs.filter_map(Doc::institution)),
                newest_lab: text("newest"),
                markers,
                ..patient
            },
        });
    }
    // A host's profile: a slip asks only for what the items it requires need; a reason whose
    // item it does not require is left out, and a slip left with none is not offered.
    let optional = |reason| item(reason_item(reason)).is_some_and(|i| i.optional);
    requests.retain_mut(|r| {
        r.reasons.retain(|x| !optional(*x));
        !r.reasons.is_empty()
    });
    // A person known from documents only: the hospital numbers the slip's hospital printed.
    let dicom_ids = case.patients.iter().any(|p| !p.patient_ids.is_empty());
    if !dicom_ids {
        for r in &mut requests {
            let here = ids_at(&docs, r.facts.hospital.as_deref());
            if !here.is_empty() {
                r.facts.patient_ids = here;
            }
        }
    }
    requests
}

/// The checklist item a slip's reason is for.
fn reason_item(reason: RequestReason) -> ItemId {
    use RequestReason::*;
    match reason {
        NoOriginalImaging | IncompleteSeries | OriginalSeries | LossyCopy | ThinSlices
        | UltrasoundImages => ItemId::ImagingDicom,
        BaselineAndLatest => ItemId::BaselineAndLatestImaging,
        SlidesMissing | SlidesRequested | SlidesNotLent => ItemId::PathologySlides,
        DiagnosisMissing => ItemId::DiagnosisReport,
        TreatmentMissing => ItemId::TreatmentHistory,
        PathologyReportMissing => ItemId::PathologyLabReports,
        LabsMissing | LabsOld => ItemId::BloodWork,
    }
}

/// The patient numbers the documents of a hospital print.
fn ids_at(docs: &[Doc], hospital: Option<&str>) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    let Some(hospital) = hospital else {
        return ids;
    };
    let printed = docs
        .iter()
        .filter(|d| d.institution() == Some(hospital))
        .filter_map(|d| d.entry.document.as_ref())
        .flat_map(|d| d.facts.patients.iter().filter_map(|p| p.id.clone()));
    for id in printed {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

/// The imaging slips: one per person and hospital of the studies, each listing its studies;
/// one with blank rows when there is no original imaging at all.
fn imaging(
    case: &Case,
    docs: &[Doc],
    patient: &RequestFacts,
    gap: &dyn Fn(ItemId) -> bool,
) -> Vec<Request> {
    // Each person's studies get their own slips (the first next step sorts out whose they
    // are), but not those of a person the patient said is not them.
    let excluded = |s: &Study| case.patients.get(s.patient).is_some_and(|p| p.excluded);
    // Grouped by person and hospital, in the order of the people and the hospitals' names.
    let mut groups: BTreeMap<(usize, Option<&str>), Vec<&Study>> = BTreeMap::new();
    for s in case.studies.iter().filter(|s| !excluded(s)) {
        groups
            .entry((s.patient, s.institution.as_deref()))
            .or_default()
            .push(s);
    }
    let baseline = gap(ItemId::BaselineAndLatestImaging);
    let mut out = Vec::new();
    if groups.is_empty() {
        let mut reasons = vec![RequestReason::NoOriginalImaging];
        if baseline {
            reasons.push(RequestReason::BaselineAndLatest);
        }
        let radiology = docs
            .iter()
            .filter(|d| d.category == Category::RadiologyReport)
            .filter_map(Doc::institution);
        out.push(Request {
            department: Department::Imaging,
            reasons,
            facts: RequestFacts {
                hospital: most_named(radiology)
                    .or_else(|| most_named(docs.iter().filter_map(Doc::institution))),
                ..patient.clone()
            },
        });
        return out;
    }
    for ((person, hospital), studies) in groups {
        let files: BTreeSet<&str> = studies
            .iter()
            .flat_map(|s| {
                s.series
                    .iter()
                    .flat_map(|x| x.files.iter().map(String::as_str))
            })
            .collect();
        let found = |codes: &[FindingCode]| {
            case.findings
                .iter()
                .filter(|f| codes.contains(&f.code))
                .any(|f| f.files.iter().any(|p| files.contains(p.as_str())))
        };
        let modalities: BTreeSet<&str> = studies
            .iter()
            .flat_map(|s| s.modalities.iter().map(String::as_str))
            .collect();
        let mut reasons = Vec::new();
        // Reports or screen captures only, from this hospital.
        if studies.iter().all(|s| s.image_count == 0) {
            reasons.push(RequestReason::NoOriginalImaging);
        }
        for (codes, reason) in [
            (
                &[FindingCode::SeriesIncomplete][..],
                RequestReason::IncompleteSeries,
            ),
            (
                &[FindingCode::LocalizerOnly, FindingCode::DerivedOnly][..],
                RequestReason::OriginalSeries,
            ),
            (&[FindingCode::LossyOnly][..], RequestReason::LossyCopy),
        ] {
            if found(codes) {
                reasons.push(reason);
            }
        }
        // A study the `thick-slices-only` finding names: its thin-slice source images.
        let thick = |s: &Study| {
            let files: BTreeSet<&str> = s
                .series
                .iter()
                .flat_map(|x| x.files.iter().map(String::as_str))
                .collect();
            case.findings
                .iter()
                .filter(|f| f.code == FindingCode::ThickSlicesOnly)
                .find(|f| f.files.iter().any(|p| files.contains(p.as_str())))
                .and_then(|f| f.values.get("thickness").and_then(Value::as_f64))
        };
        if studies.iter().any(|s| thick(s).is_some()) {
            reasons.push(RequestReason::ThinSlices);
        }
        if modalities.iter().all(|m| *m == "US") {
            reasons.push(RequestReason::UltrasoundImages);
        }
        if baseline {
            reasons.push(RequestReason::BaselineAndLatest);
        }
        if reasons.is_empty() {
            continue;
        }
        let listed = studies.iter().take(STUDY_ROWS).map(|s| StudyAsked {
            date: s.date.clone(),
            modalities: s.modalities.clone(),
            description: s.description.clone(),
            accession_number: s.accession_number.clone(),
            thick_slices_mm: thick(s),
        });
        let person = case.patients.get(person);
        let mut facts = person.map_or_else(|| patient.clone(), person_facts);
        // The ID this hospital gave, when the files say which it is.
        let here: Vec<String> = person
            .into_iter()
            .flat_map(|p| &p.issued_ids)
            .filter(|i| hospital.is_some() && i.institution.as_deref() == hospital)
            .map(|i| i.id.clone())
            .collect();
        if !here.is_empty() {
            facts.patient_ids = here;
        }
        out.push(Request {
            department: Department::Imaging,
            reasons,
            facts: RequestFacts {
                hospital: hospital.map(str::to_string),
                studies: listed.collect(),
                more_studies: studies.len().saturating_sub(STUDY_ROWS),
                ..facts
            },
        });
    }
    out
}

/// The patient the slips are for: the first person the patient did not say is someone else.
fn patient_facts(case: &Case) -> RequestFacts {
    case.patients
        .iter()
        .find(|p| !p.excluded)
        .map(person_facts)
        .unwrap_or_default()
}

fn person_facts(p: &crate::case::Patient) -> RequestFacts {
    let document = p.documents.first();
    RequestFacts {
        patient_name: p.name.clone().or_else(|| document.map(|d| d.name.clone())),
        birth_date: p.birth_date.clone(),
        sex: p.sex.clone(),
        // The IDs of the DICOM files; for a person only documents name, the hospital numbers
        // those print (住院号, MRN).
        patient_ids: if p.patient_ids.is_empty() {
            let mut ids: Vec<String> = Vec::new();
            for id in p.documents.iter().filter_map(|d| d.id.clone()) {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            ids
        } else {
            p.patient_ids.clone()
        },
        ..Default::default()
    }
}

/// The name given most often (the first of equals).
fn most_named<'a>(names: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for n in names {
        match counts.iter_mut().find(|(x, _)| *x == n) {
            Some((_, c)) => *c += 1,
            None => counts.push((n, 1)),
        }
    }
    let best = counts.iter().map(|(_, c)| *c).max()?;
    counts
        .into_iter()
        .find(|(_, c)| *c == best)
        .map(|(n, _)| n.to_string())
}
