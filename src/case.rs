//! The case: scanned files grouped into patients → studies → series, and the findings a reviewer
//! or the patient must know about (another person's files, incomplete series, no original
//! imaging…). Owns [`Case`], [`Finding`] and [`build`]. Works on [`FileEntry`] values only; it
//! reads no files and knows nothing of languages (findings carry codes and values).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub use crate::codes::{FindingCode, IncompleteReason, Severity};
use crate::dicom::{DicomClass, DicomInfo};
use crate::entry::{FileEntry, FileKind};

/// One thing found about the case. `code` is stable; `values` feed the sentence the report
/// renders in the patient's language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Finding {
    pub code: FindingCode,
    pub severity: Severity,
    /// The files it is about, as in `files[].path`.
    #[serde(default)]
    pub files: Vec<String>,
    #[serde(default)]
    #[cfg_attr(test, ts(type = "Record<string, unknown>"))]
    pub values: BTreeMap<String, Value>,
}

impl Finding {
    fn new(code: FindingCode, severity: Severity, files: Vec<String>, values: Value) -> Self {
        let values = value_map(values);
        Finding {
            code,
            severity,
            files,
            values,
        }
    }
}

/// The fields of a `json!({...})` object as the `values` map of a finding, item or step.
pub(crate) fn value_map(values: Value) -> BTreeMap<String, Value> {
    match values {
        Value::Object(map) => map.into_iter().collect(),
        _ => BTreeMap::new(),
    }
}

/// One person, as told apart by name, ID and birth date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Patient {
    /// `P1`, `P2`… in order of appearance.
    #[serde(default)]
    pub id: String,
    /// The fullest name seen (`Wang^XiaoDong=王^小东`).
    pub name: Option<String>,
    /// Every distinct spelling seen.
    #[serde(default)]
    pub names: Vec<String>,
    /// Every patient ID seen (hospitals give different IDs).
    #[serde(default)]
    pub patient_ids: Vec<String>,
    pub birth_date: Option<String>,
    pub sex: Option<String>,
    /// Indices into [`Case::studies`].
    #[serde(default)]
    pub studies: Vec<usize>,
    #[serde(default)]
    pub files: usize,
}

/// One study of one patient.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Study {
    pub study_instance_uid: Option<String>,
    /// Index into [`Case::patients`].
    pub patient: usize,
    pub date: Option<String>,
    pub description: Option<String>,
    pub accession_number: Option<String>,
    pub institution: Option<String>,
    pub modalities: Vec<String>,
    pub series: Vec<Series>,
    /// Instances of original or derived imaging (not reports or captures).
    pub image_count: usize,
}

/// One series of a study.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Series {
    pub series_instance_uid: Option<String>,
    pub number: Option<i64>,
    pub description: Option<String>,
    pub modality: Option<String>,
    pub body_part: Option<String>,
    pub class: Option<DicomClass>,
    /// Every file of the series, in instance-number order.
    pub files: Vec<String>,
    pub instance_numbers: Vec<i64>,
    pub localizer: bool,
    pub derived: bool,
    pub lossy: bool,
    pub slice_thickness: Option<f64>,
    pub images_in_acquisition: Option<i64>,
    pub frames: u64,
}

/// Everything the readiness judgement and the report need to know about the files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub patients: Vec<Patient>,
    pub studies: Vec<Study>,
    pub findings: Vec<Finding>,
}

/// Every entry with its zip members, depth first, in the order scanned.
pub fn flatten(files: &[FileEntry]) -> Vec<&FileEntry> {
    let mut out = Vec::new();
    fn visit<'a>(e: &'a FileEntry, out: &mut Vec<&'a FileEntry>) {
        out.push(e);
        for m in e.members.iter().flatten() {
            visit(m, out);
        }
    }
    for e in files {
        visit(e, &mut out);
    }
    out
}

/// Groups the scanned files and finds what matters about them.
pub fn build(files: &[FileEntry]) -> Case {
    let all = flatten(files);
    let dicom: Vec<(&FileEntry, &DicomInfo)> = all
        .iter()
        .filter(|e| e.kind == FileKind::Dicom)
        .filter_map(|e| e.dicom.as_ref().map(|d| (*e, d)))
        .collect();
    let (patients, unattributed, patient_of) = group_patients(&dicom);
    let studies = group_studies(&dicom, &patient_of, patients.len());
    let mut case = Case {
        patients,
        studies,
        findings: Vec::new(),
    };
    for (i, study) in case.studies.iter().enumerate() {
        case.patients[study.patient].studies.push(i);
    }
    case.findings = findings(&case, &all, &dicom, &unattributed);
    case.findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    case
}

/// A person name broken into comparable spellings: each component group (alphabetic,
/// ideographic, phonetic) without separators and case, so `Wang^XiaoDong=王^小东=` and `王小东`
/// share the spelling `王小东`.
fn spellings(name: &str) -> BTreeSet<String> {
    name.split('=')
        .map(|group| {
            group
                .chars()
                .filter(|c| !matches!(c, '^' | ' ' | ',' | '.' | '-'))
                .flat_map(char::to_uppercase)
                .collect::<String>()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

#[derive(Debug, Default)]
struct Identity {
    spellings: BTreeSet<String>,
    ids: BTreeSet<String>,
    birth_date: Option<String>,
    sex: Option<String>,
}

impl Identity {
    fn of(d: &DicomInfo) -> Identity {
        Identity {
            spellings: d.patient_name.as_deref().map(spellings).unwrap_or_default(),
            ids: d.patient_id.iter().cloned().collect(),
            birth_date: d.birth_date.clone(),
            sex: d.sex.clone(),
        }
    }

    /// The lookup keys of an identity: each ID and each spelling.
    fn keys(&self) -> Vec<String> {
        let ids = self.ids.iter().map(|id| format!("id:{id}"));
        ids.chain(self.spellings.iter().map(|n| format!("name:{n}")))
            .collect()
    }

    fn is_empty(&self) -> bool {
        self.spellings.is_empty() && self.ids.is_empty()
    }

    /// Whether two identities are the same person. Conservative: merging two people is worse
    /// than showing one person twice. Same ID with a compatible (or missing) name is the same
    /// person; different IDs (two hospitals) need a matching name and the same birth date.
    fn same_person(&self, other: &Identity) -> bool {
        let conflict =
            |a: &Option<String>, b: &Option<String>| matches!((a, b), (Some(x), Some(y)) if x != y);
        // Only M against F is a conflict: O (other) is what many systems write for "unknown".
        let sex = |s: &Option<String>| s.clone().filter(|s| s == "M" || s == "F");
        if conflict(&self.birth_date, &other.birth_date)
            || conflict(&sex(&self.sex), &sex(&other.sex))
        {
            return false;
        }
        let names_known = !self.spellings.is_empty() && !other.spellings.is_empty();
        let names_match = !self.spellings.is_disjoint(&other.spellings);
        if names_known && !names_match {
            return false;
        }
        let shared_id = !self.ids.is_disjoint(&other.ids);
        if shared_id {
            return true;
        }
        let ids_differ = !self.ids.is_empty() && !other.ids.is_empty();
        if ids_differ {
            return names_match && self.birth_date.is_some() && self.birth_date == other.birth_date;
        }
        names_match
    }

    fn absorb(&mut self, other: Identity) {
        self.spellings.extend(other.spellings);
        self.ids.extend(other.ids);
        self.birth_date = self.birth_date.take().or(other.birth_date);
        self.sex = self.sex.take().or(other.sex);
    }
}

type PatientIndex = BTreeMap<String, usize>;

/// Most known patients compared with each new identity, per shared ID or spelling.
const MAX_CANDIDATES: usize = 64;
/// Most name spellings and patient IDs listed per patient.
const MAX_VARIANTS: usize = 16;

/// Returns the patients, the files with no identity at all, and each attributed file's patient.
fn group_patients(dicom: &[(&FileEntry, &DicomInfo)]) -> (Vec<Patient>, Vec<String>, PatientIndex) {
    let mut identities: Vec<Identity> = Vec::new();
    let mut patients: Vec<Patient> = Vec::new();
    let mut unattributed = Vec::new();
    let mut patient_of = PatientIndex::new();
    let mut by_key: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (entry, d) in dicom {
        let identity = Identity::of(d);
        if identity.is_empty() {
            unattributed.push(entry.path.clone());
            continue;
        }
        // Only patients sharing an ID or a spelling can be the same person; looking them up by
        // key keeps this linear on a 50,000-file case. At most MAX_CANDIDATES are compared per
        // key: past that a person may be listed twice, never two people merged.
        let keys = identity.keys();
        let mut candidates: Vec<usize> = keys
            .iter()
            .filter_map(|k| by_key.get(k))
            .flat_map(|list| list.iter().take(MAX_CANDIDATES).copied())
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let found = candidates
            .into_iter()
            .find(|&i| identities[i].same_person(&identity));
        let index = match found {
            Some(i) => {
                for k in keys {
                    let list = by_key.entry(k).or_default();
                    if !list.contains(&i) && list.len() < MAX_CANDIDATES {
                        list.push(i);
                    }
                }
                identities[i].absorb(identity);
                i
            }
            None => {
                for k in keys {
                    let list = by_key.entry(k).or_default();
                    if list.len() < MAX_CANDIDATES {
                        list.push(identities.len());
                    }
                }
                identities.push(identity);
                patients.push(Patient {
                    id: format!("P{}", patients.len() + 1),
                    name: None,
                    names: Vec::new(),
                    patient_ids: Vec::new(),
                    birth_date: None,
                    sex: None,
                    studies: Vec::new(),
                    files: 0,
                });
                patients.len() - 1
            }
        };
        let p = &mut patients[index];
        p.files += 1;
        // A handful of spellings and IDs is what a person has; keeping more would only make
        // an adversarial case slow.
        if let Some(name) = &d.patient_name {
            let tidy = name.trim_end_matches(['=', '^']).to_string();
            if p.names.len() < MAX_VARIANTS && !p.names.contains(&tidy) {
                p.names.push(tidy);
            }
        }
        if let Some(id) = &d.patient_id {
            if p.patient_ids.len() < MAX_VARIANTS && !p.patient_ids.contains(id) {
                p.patient_ids.push(id.clone());
            }
        }
        p.birth_date = p.birth_date.take().or_else(|| d.birth_date.clone());
        p.sex = p.sex.take().or_else(|| d.sex.clone());
        patient_of.insert(entry.path.clone(), index);
    }
    for p in &mut patients {
        // The fullest spelling: most component groups, then longest.
        p.name = p
            .names
            .iter()
            .max_by_key(|n| (n.matches('=').count(), n.chars().count()))
            .cloned();
    }
    (patients, unattributed, patient_of)
}

fn group_studies(
    dicom: &[(&FileEntry, &DicomInfo)],
    patient_of: &PatientIndex,
    patients: usize,
) -> Vec<Study> {
    let mut studies: Vec<Study> = Vec::new();
    let mut index: BTreeMap<(usize, Option<String>), usize> = BTreeMap::new();
    let mut series_index: BTreeMap<(usize, Option<String>), usize> = BTreeMap::new();
    let instance_of: BTreeMap<&str, Option<i64>> = dicom
        .iter()
        .map(|(e, d)| (e.path.as_str(), d.instance_number))
        .collect();
    for (entry, d) in dicom {
        let Some(&patient) = patient_of.get(&entry.path) else {
            continue;
        };
        debug_assert!(patient < patients);
        let key = (patient, d.study_instance_uid.clone());
        let si = *index.entry(key).or_insert_with(|| {
            studies.push(Study {
                study_instance_uid: d.study_instance_uid.clone(),
                patient,
                date: None,
                description: None,
                accession_number: None,
                institution: None,
                modalities: Vec::new(),
                series: Vec::new(),
                image_count: 0,
            });
            studies.len() - 1
        });
        let study = &mut studies[si];
        study.date = study.date.take().or_else(|| d.study_date.clone());
        study.description = study
            .description
            .take()
            .or_else(|| d.study_description.clone());
        study.accession_number = study
            .accession_number
            .take()
            .or_else(|| d.accession_number.clone());
        study.institution = study.institution.take().or_else(|| d.institution.clone());
        if let Some(m) = &d.modality {
            if !study.modalities.contains(m) {
                study.modalities.push(m.clone());
            }
        }
        if is_imaging(d) {
            study.image_count += 1;
        }
        let series_key = (si, d.series_instance_uid.clone());
        let series = match series_index.get(&series_key) {
            Some(&i) => &mut study.series[i],
            None => {
                series_index.insert(series_key, study.series.len());
                study.series.push(Series {
                    series_instance_uid: d.series_instance_uid.clone(),
                    number: d.series_number,
                    description: d.series_description.clone(),
                    modality: d.modality.clone(),
                    body_part: d.body_part.clone(),
                    class: d.class,
                    files: Vec::new(),
                    instance_numbers: Vec::new(),
                    localizer: true,
                    derived: true,
                    lossy: true,
                    slice_thickness: None,
                    images_in_acquisition: None,
                    frames: 0,
                });
                study.series.last_mut().expect("just pushed")
            }
        };
        series.files.push(entry.path.clone());
        if let Some(n) = d.instance_number {
            series.instance_numbers.push(n);
        }
        // A series is a localizer / derived / lossy series only when every instance is.
        series.localizer &= d
            .image_type
            .iter()
            .any(|t| t.eq_ignore_ascii_case("LOCALIZER"));
        series.derived &= d.derived;
        series.lossy &= d.lossy;
        series.slice_thickness = series.slice_thickness.or(d.slice_thickness);
        series.images_in_acquisition = series.images_in_acquisition.max(d.images_in_acquisition);
        series.frames += u64::from(d.number_of_frames.unwrap_or(1).max(1));
    }
    for study in &mut studies {
        study.series.sort_by_key(|s| s.number.unwrap_or(i64::MAX));
        for s in &mut study.series {
            s.instance_numbers.sort_unstable();
            s.files.sort_by_key(|path| {
                instance_of
                    .get(path.as_str())
                    .copied()
                    .flatten()
                    .unwrap_or(i64::MAX)
            });
        }
    }
    studies.sort_by(|a, b| (a.patient, &a.date).cmp(&(b.patient, &b.date)));
    studies
}

/// Original or derived imaging a reviewer can re-read (not captures, reports or RT plans).
fn is_imaging(d: &DicomInfo) -> bool {
    matches!(d.class, Some(DicomClass::Image | DicomClass::WholeSlide))
}

/// A test on one file, for the findings that are just "these files are like this".
type FilePredicate = dyn Fn(&FileEntry) -> bool;

fn findings(
    case: &Case,
    all: &[&FileEntry],
    dicom: &[(&FileEntry, &DicomInfo)],
    unattributed: &[String],
) -> Vec<Finding> {
    let mut out = Vec::new();
    let paths = |pred: &dyn Fn(&FileEntry) -> bool| -> Vec<String> {
        all.iter()
            .filter(|e| pred(e))
            .map(|e| e.path.clone())
            .collect()
    };

    if case.patients.len() > 1 {
        let main = case
            .patients
            .iter()
            .enumerate()
            .max_by_key(|(_, p)| p.files)
            .map_or(0, |(i, _)| i);
        let others: Vec<String> = case
            .studies
            .iter()
            .filter(|s| s.patient != main)
            .flat_map(|s| s.series.iter().flat_map(|x| x.files.clone()))
            .collect();
        let people: Vec<Value> = case
            .patients
            .iter()
            .map(|p| json!({ "name": p.name, "patient_ids": p.patient_ids, "files": p.files }))
            .collect();
        out.push(Finding::new(
            FindingCode::MultiplePatients,
            Severity::Serious,
            others,
            json!({ "count": case.patients.len(), "patients": people }),
        ));
    }
    if !unattributed.is_empty() {
        out.push(Finding::new(
            FindingCode::UnattributedDicom,
            Severity::Warning,
            unattributed.to_vec(),
            json!({ "count": unattributed.len() }),
        ));
    }
    for study in &case.studies {
        series_findings(study, &mut out);
    }

    let original: Vec<&str> = dicom
        .iter()
        .filter(|(_, d)| is_imaging(d) && !d.derived)
        .map(|(e, _)| e.path.as_str())
        .collect();
    let derived_imaging = dicom
        .iter()
        .filter(|(_, d)| is_imaging(d) && d.derived)
        .count();
    let captures = paths(&|e| {
        e.dicom.as_ref().is_some_and(|d| {
            matches!(
                d.class,
                Some(DicomClass::SecondaryCapture | DicomClass::Photograph)
            )
        })
    });
    let pictures = paths(&|e| matches!(e.kind, FileKind::Photo | FileKind::Screenshot));
    if original.is_empty() && derived_imaging == 0 {
        let mut files = captures.clone();
        files.extend(pictures.iter().cloned());
        out.push(Finding::new(
            FindingCode::NoOriginalImaging,
            Severity::Serious,
            files,
            json!({
                "secondary_captures": captures.len(),
                "photos": all.iter().filter(|e| e.kind == FileKind::Photo).count(),
                "screenshots": all.iter().filter(|e| e.kind == FileKind::Screenshot).count(),
            }),
        ));
    }
    if !captures.is_empty() {
        out.push(Finding::new(
            FindingCode::SecondaryCapture,
            Severity::Warning,
            captures.clone(),
            json!({ "count": captures.len() }),
        ));
    }
    if !pictures.is_empty() {
        out.push(Finding::new(
            FindingCode::PhotoOfScreen,
            Severity::Warning,
            pictures.clone(),
            json!({
                "photos": all.iter().filter(|e| e.kind == FileKind::Photo).count(),
                "screenshots": all.iter().filter(|e| e.kind == FileKind::Screenshot).count(),
            }),
        ));
    }
    dicomdir_findings(all, &mut out);
    duplicate_findings(dicom, &mut out);

    let simple: [(FindingCode, Severity, &FilePredicate); 7] = [
        (FindingCode::TruncatedFile, Severity::Warning, &|e| {
            e.dicom.as_ref().is_some_and(|d| d.truncated)
        }),
        (FindingCode::CharsetRepaired, Severity::Info, &|e| {
            e.dicom.as_ref().is_some_and(|d| d.charset_repaired)
        }),
        (FindingCode::ReportInDicom, Severity::Info, &|e| {
            e.kind == FileKind::Dicom
                && e.dicom.as_ref().is_some_and(|d| {
                    matches!(
                        d.class,
                        Some(DicomClass::StructuredReport | DicomClass::EncapsulatedPdf)
                    )
                })
        }),
        (FindingCode::ViewerSoftwareSetAside, Severity::Info, &|e| {
            e.kind == FileKind::Software
        }),
        (FindingCode::ArchiveLimitHit, Severity::Warning, &|e| {
            e.notes.iter().any(|n| n.starts_with("archive-limit-hit"))
        }),
        (FindingCode::SessionLimitHit, Severity::Warning, &|e| {
            e.notes.iter().any(|n| n.starts_with("session-limit-hit"))
        }),
        (FindingCode::UnreadableFile, Severity::Warning, &|e| {
            matches!(e.kind, FileKind::Corrupt | FileKind::Empty)
        }),
    ];
    for (code, severity, pred) in simple {
        let files = paths(pred);
        if !files.is_empty() {
            let mut values = json!({ "count": files.len() });
            if code == FindingCode::CharsetRepaired {
                let notes: BTreeSet<&str> = all
                    .iter()
                    .filter_map(|e| e.dicom.as_ref().and_then(|d| d.charset_note.as_deref()))
                    .collect();
                values["notes"] = json!(notes);
            }
            out.push(Finding::new(code, severity, files, values));
        }
    }
    let not_opened = paths(&|e| e.kind == FileKind::Archive && e.members.is_none());
    if !not_opened.is_empty() {
        out.push(Finding::new(
            FindingCode::ArchiveNotOpened,
            Severity::Warning,
            not_opened.clone(),
            json!({ "count": not_opened.len() }),
        ));
    }
    out
}

/// Incomplete, localizer-only, derived-only and lossy-only series and studies.
fn series_findings(study: &Study, out: &mut Vec<Finding>) {
    let imaging: Vec<&Series> = study
        .series
        .iter()
        .filter(|s| matches!(s.class, Some(DicomClass::Image)))
        .collect();
    for s in &imaging {
        let present = s.files.len() as i64;
        let distinct: BTreeSet<i64> = s.instance_numbers.iter().copied().collect();
        let (first, last) = (distinct.first().copied(), distinct.last().copied());
        let mut reasons = Vec::new();
        if let (Some(first), Some(last)) = (first, last) {
            let gaps = (last - first + 1) - distinct.len() as i64;
            if gaps > 0 {
                reasons
                    .push(json!({ "kind": IncompleteReason::Gaps, "missing": gaps, "first": first, "last": last }));
            }
            let cross_sectional = matches!(s.modality.as_deref(), Some("CT" | "MR" | "PT"));
            if cross_sectional && first > 1 && !s.localizer {
                reasons.push(json!({ "kind": IncompleteReason::StartsLate, "first": first }));
            }
        }
        if let Some(expected) = s.images_in_acquisition {
            if expected > present {
                reasons.push(
                    json!({ "kind": IncompleteReason::FewerThanAcquired, "expected": expected }),
                );
            }
        }
        let thin = s.slice_thickness.is_none_or(|t| t <= 5.0);
        let cross_sectional = matches!(s.modality.as_deref(), Some("CT" | "MR"));
        if cross_sectional && thin && !s.localizer && s.frames <= 5 && present <= 5 {
            reasons.push(json!({ "kind": IncompleteReason::FewImages, "slice_thickness": s.slice_thickness }));
        }
        if !reasons.is_empty() {
            out.push(Finding::new(
                FindingCode::SeriesIncomplete,
                Severity::Warning,
                s.files.clone(),
                json!({
                    "series_number": s.number,
                    "series_description": s.description,
                    "modality": s.modality,
                    "present": present,
                    "instance_numbers": s.instance_numbers,
                    "reasons": reasons,
                }),
            ));
        }
        if s.lossy {
            out.push(Finding::new(
                FindingCode::LossyOnly,
                Severity::Warning,
                s.files.clone(),
                json!({ "series_number": s.number, "series_description": s.description, "present": present }),
            ));
        }
    }
    if !imaging.is_empty() && imaging.iter().all(|s| s.localizer) {
        out.push(Finding::new(
            FindingCode::LocalizerOnly,
            Severity::Warning,
            imaging.iter().flat_map(|s| s.files.clone()).collect(),
            json!({ "study_description": study.description, "study_date": study.date }),
        ));
    } else if !imaging.is_empty() && imaging.iter().all(|s| s.derived) {
        out.push(Finding::new(
            FindingCode::DerivedOnly,
            Severity::Warning,
            imaging.iter().flat_map(|s| s.files.clone()).collect(),
            json!({ "study_description": study.description, "study_date": study.date }),
        ));
    }
}

/// Files a DICOMDIR references that are not among the scanned files. File IDs are resolved
/// against the DICOMDIR's own folder, case-insensitively and without ISO 9660 `;1` versions.
fn dicomdir_findings(all: &[&FileEntry], out: &mut Vec<Finding>) {
    let present: BTreeSet<String> = all.iter().map(|e| normalise_path(&e.path)).collect();
    for dir in all.iter().filter(|e| e.kind == FileKind::Dicomdir) {
        let Some(info) = &dir.dicomdir else { continue };
        let base = match dir.path.rfind(['/', '!']) {
            Some(i) => &dir.path[..=i],
            None => "",
        };
        let missing: Vec<&String> = info
            .referenced_files
            .iter()
            .filter(|f| !present.contains(&normalise_path(&format!("{base}{f}"))))
            .collect();
        if !missing.is_empty() {
            let shown: Vec<&&String> = missing.iter().take(50).collect();
            out.push(Finding::new(
                FindingCode::DicomdirMissingFiles,
                Severity::Warning,
                vec![dir.path.clone()],
                json!({ "missing": missing.len(), "referenced": info.referenced_files.len(), "examples": shown }),
            ));
        }
    }
}

fn normalise_path(p: &str) -> String {
    p.split('/')
        .map(|part| part.split(';').next().unwrap_or(part).trim_end_matches('.'))
        .collect::<Vec<_>>()
        .join("/")
        .to_uppercase()
}

fn duplicate_findings(dicom: &[(&FileEntry, &DicomInfo)], out: &mut Vec<Finding>) {
    let mut by_uid: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (e, d) in dicom {
        if let Some(uid) = d.sop_instance_uid.as_deref() {
            by_uid.entry(uid).or_default().push(e.path.clone());
        }
    }
    let duplicates: Vec<(&str, Vec<String>)> = by_uid
        .into_iter()
        .filter(|(_, files)| files.len() > 1)
        .collect();
    if !duplicates.is_empty() {
        let files = duplicates.iter().flat_map(|(_, f)| f.clone()).collect();
        out.push(Finding::new(
            FindingCode::DuplicateInstance,
            Severity::Info,
            files,
            json!({ "instances": duplicates.len(), "groups": duplicates.iter().map(|(_, f)| f).collect::<Vec<_>>() }),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{msg, Message};

    fn dicom(path: &str, f: impl FnOnce(&mut DicomInfo)) -> FileEntry {
        let mut d = DicomInfo {
            class: Some(DicomClass::Image),
            modality: Some("CT".into()),
            patient_name: Some("Doe^Jane".into()),
            patient_id: Some("1".into()),
            study_instance_uid: Some("1.1".into()),
            series_instance_uid: Some("1.1.1".into()),
            image_type: vec!["ORIGINAL".into(), "PRIMARY".into(), "AXIAL".into()],
            ..Default::default()
        };
        f(&mut d);
        let mut e = FileEntry::new(path, 100, FileKind::Dicom, msg!("reason.dicom.preamble"));
        e.dicom = Some(d);
        e
    }

    fn camera_photo() -> Message {
        msg!("reason.raster.gps", label = "JPEG")
    }

    fn codes(case: &Case) -> Vec<FindingCode> {
        case.findings.iter().map(|f| f.code).collect()
    }

    #[test]
    fn same_person_spelled_two_ways_is_one_patient() {
        let a = dicom("a", |d| {
            d.patient_name = Some("Wang^XiaoDong=王^小东=".into())
        });
        let b = dicom("b", |d| d.patient_name = Some("王小东".into()));
        let case = build(&[a, b]);
        assert_eq!(case.patients.len(), 1, "{:?}", case.patients);
        assert_eq!(
            case.patients[0].name.as_deref(),
            Some("Wang^XiaoDong=王^小东")
        );
    }

    #[test]
    fn different_people_are_never_merged() {
        let a = dicom("a", |d| d.patient_name = Some("Doe^Jane".into()));
        let b = dicom("b", |d| {
            d.patient_name = Some("Roe^Richard".into());
            d.patient_id = Some("2".into());
        });
        // Same romanised name, different IDs, no birth date: two people.
        let c = dicom("c", |d| d.patient_id = Some("3".into()));
        let case = build(&[a, b, c]);
        assert_eq!(case.patients.len(), 3);
        let f = &case.findings[0];
        assert_eq!(
            (f.code, f.severity),
            (FindingCode::MultiplePatients, Severity::Serious)
        );
        assert_eq!(f.files.len(), 2);
    }

    #[test]
    fn two_hospitals_same_name_and_birth_date_is_one_person() {
        let a = dicom("a", |d| d.birth_date = Some("19600101".into()));
        let b = dicom("b", |d| {
            d.patient_id = Some("H2-77".into());
            d.birth_date = Some("19600101".into());
        });
        assert_eq!(build(&[a, b]).patients.len(), 1);
    }

    #[test]
    fn gaps_and_key_images_make_a_series_incomplete() {
        let files: Vec<FileEntry> = [12, 47, 88]
            .iter()
            .map(|n| {
                dicom(&format!("IM{n}"), |d| {
                    d.instance_number = Some(*n);
                    d.images_in_acquisition = Some(100);
                    d.slice_thickness = Some(1.25);
                })
            })
            .collect();
        let case = build(&files);
        let f = case
            .findings
            .iter()
            .find(|f| f.code == FindingCode::SeriesIncomplete)
            .expect("finding");
        assert_eq!(f.files.len(), 3);
        let kinds: Vec<&str> = f.values["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds,
            ["gaps", "starts-late", "fewer-than-acquired", "few-images"]
        );
    }

    #[test]
    fn only_captures_means_no_original_imaging() {
        let sc = dicom("sc.dcm", |d| d.class = Some(DicomClass::SecondaryCapture));
        let photo = FileEntry::new("IMG_1.JPG", 10, FileKind::Photo, camera_photo());
        let case = build(&[sc, photo]);
        assert_eq!(codes(&case)[0], FindingCode::NoOriginalImaging);
        assert!(codes(&case).contains(&FindingCode::SecondaryCapture));
        assert!(codes(&case).contains(&FindingCode::PhotoOfScreen));
    }

    #[test]
    fn localizers_alone_and_derived_alone_are_flagged() {
        let scout = dicom("s", |d| {
            d.image_type = vec!["ORIGINAL".into(), "PRIMARY".into(), "LOCALIZER".into()]
        });
        assert!(codes(&build(&[scout])).contains(&FindingCode::LocalizerOnly));
        let mip = dicom("m", |d| {
            d.image_type = vec!["DERIVED".into(), "SECONDARY".into(), "MIP".into()];
            d.derived = true;
        });
        let codes_mip = codes(&build(&[mip]));
        assert!(codes_mip.contains(&FindingCode::DerivedOnly));
        assert!(!codes_mip.contains(&FindingCode::NoOriginalImaging));
    }

    #[test]
    fn duplicates_lossy_and_unattributed() {
        let a = dicom("a", |d| {
            d.sop_instance_uid = Some("9".into());
            d.lossy = true;
        });
        let b = dicom("copy/a", |d| {
            d.sop_instance_uid = Some("9".into());
            d.lossy = true;
        });
        let anon = dicom("anon", |d| {
            d.patient_name = None;
            d.patient_id = None;
        });
        let case = build(&[a, b, anon]);
        let c = codes(&case);
        assert!(
            c.contains(&FindingCode::DuplicateInstance)
                && c.contains(&FindingCode::LossyOnly)
                && c.contains(&FindingCode::UnattributedDicom),
            "{c:?}"
        );
    }

    #[test]
    fn dicomdir_references_are_checked_case_insensitively() {
        let mut dir = FileEntry::new(
            "cd/DICOMDIR",
            10,
            FileKind::Dicomdir,
            msg!("reason.dicom.preamble"),
        );
        dir.dicomdir = Some(crate::dicom::DicomDirInfo {
            referenced_files: vec![
                "IMAGES/IM1".into(),
                "IMAGES/IM2;1".into(),
                "IMAGES/IM3".into(),
            ],
            ..Default::default()
        });
        let im1 = dicom("cd/images/im1", |_| {});
        let im2 = dicom("cd/IMAGES/IM2", |_| {});
        let case = build(&[dir, im1, im2]);
        let f = case
            .findings
            .iter()
            .find(|f| f.code == FindingCode::DicomdirMissingFiles)
            .expect("finding");
        assert_eq!(f.values["missing"], 1);
        assert_eq!(f.values["examples"], json!(["IMAGES/IM3"]));
    }
}
