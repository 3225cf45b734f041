//! Telling people apart and grouping their DICOM files into studies and series: one patient
//! per person however the hospitals spelled the name or numbered the ID, bounded so that a
//! 50,000-file case stays linear.

use std::collections::{BTreeMap, BTreeSet};

use super::{push_distinct, AgeAtStudy, IssuedId, Patient, Series, Study};
use crate::dicom::{DicomClass, DicomInfo};
use crate::entry::FileEntry;

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

/// Returns the patients, the files with no identity at all, and each attributed file's patient.
pub(super) fn group_patients(
    dicom: &[(&FileEntry, &DicomInfo)],
) -> (Vec<Patient>, Vec<String>, PatientIndex) {
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
                patients.push(Patient::new(patients.len()));
                patients.len() - 1
            }
        };
        let p = &mut patients[index];
        p.files += 1;
        if let Some(name) = &d.patient_name {
            push_distinct(&mut p.names, name.trim_end_matches(['=', '^']).to_string());
        }
        if let Some(id) = &d.patient_id {
            push_distinct(&mut p.patient_ids, id.clone());
            push_distinct(
                &mut p.issued_ids,
                IssuedId {
                    id: id.clone(),
                    issuer: d.issuer_of_patient_id.clone(),
                    institution: d.institution.clone(),
                },
            );
        }
        if let Some(b) = &d.birth_date {
            push_distinct(&mut p.birth_dates, b.clone());
        }
        if let Some(s) = &d.sex {
            push_distinct(&mut p.sexes, s.clone());
        }
        // An age of zero (`000Y`, `000D`…) is what many modalities write when nobody filled the
        // age in: taken as an age, it would set a newborn against an adult's birth date.
        let filled = |age: &&String| {
            !age.trim()
                .trim_end_matches(char::is_alphabetic)
                .trim_start_matches('0')
                .is_empty()
        };
        if let Some(age) = d.patient_age.as_ref().filter(filled) {
            push_distinct(
                &mut p.ages,
                AgeAtStudy {
                    age: age.clone(),
                    study_date: d.study_date.clone(),
                },
            );
        }
        p.birth_date = p.birth_date.take().or_else(|| d.birth_date.clone());
        p.sex = p.sex.take().or_else(|| d.sex.clone());
        patient_of.insert(entry.path.clone(), index);
    }
    for p in &mut patients {
        p.name = p.fullest_name();
    }
    (patients, unattributed, patient_of)
}

pub(super) fn group_studies(
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
                image_series: 0,
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
                    secondary: true,
                    lossy: true,
                    slice_thickness: None,
                    images_in_acquisition: None,
                    frames: 0,
                    axial: None,
                    spacing_between_slices: None,
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
        series.secondary &= d
            .image_type
            .get(1)
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("SECONDARY"));
        series.lossy &= d.lossy;
        series.slice_thickness = series.slice_thickness.or(d.slice_thickness);
        series.images_in_acquisition = series.images_in_acquisition.max(d.images_in_acquisition);
        series.frames += u64::from(d.number_of_frames.unwrap_or(1).max(1));
        series.axial = series.axial.or_else(|| super::adequacy::is_axial(d));
        series.spacing_between_slices = series.spacing_between_slices.or(d.spacing_between_slices);
    }
    for study in &mut studies {
        study.image_series = study
            .series
            .iter()
            .filter(|s| matches!(s.class, Some(DicomClass::Image | DicomClass::WholeSlide)))
            .count();
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
pub(super) fn is_imaging(d: &DicomInfo) -> bool {
    matches!(d.class, Some(DicomClass::Image | DicomClass::WholeSlide))
}
