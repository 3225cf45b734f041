//! The findings of a case: another person's files, incomplete or derived-only series, pictures
//! instead of original imaging, a DICOMDIR's missing files, duplicates, files that could not be
//! read. Each is a code with the values its sentence needs.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::grouping::is_imaging;
use super::identity::{judge_all, Grade, Judgement, MAX_JUDGED};
use super::{Case, Finding, FindingCode, IncompleteReason, Patient, Series, Severity, Study};
use crate::dicom::{DicomClass, DicomInfo};
use crate::entry::{FileEntry, FileKind};
use crate::picture::may_show_imaging;

/// A test on one file, for the findings that are just "these files are like this".
type FilePredicate = dyn Fn(&FileEntry) -> bool;

pub(super) fn findings(
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

    identity_findings(case, &mut out);
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
    // Pictures of images: photos and screenshots of a screen or film (or of what is not known);
    // a picture of a document, a QR slip or a clinical photo is not one.
    let of_images =
        |e: &FileEntry, kind: FileKind| e.kind == kind && may_show_imaging(e.picture.as_ref());
    let pictures = paths(&|e| of_images(e, FileKind::Photo) || of_images(e, FileKind::Screenshot));
    let photos = all.iter().filter(|e| of_images(e, FileKind::Photo)).count();
    let screenshots = all
        .iter()
        .filter(|e| of_images(e, FileKind::Screenshot))
        .count();
    if original.is_empty() && derived_imaging == 0 {
        let mut files = captures.clone();
        files.extend(pictures.iter().cloned());
        out.push(Finding::new(
            FindingCode::NoOriginalImaging,
            Severity::Serious,
            files,
            json!({
                "secondary_captures": captures.len(),
                "photos": photos,
                "screenshots": screenshots,
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
            json!({ "photos": photos, "screenshots": screenshots }),
        ));
    }
    let cloud_film = |e: &FileEntry, kind: FileKind| {
        e.kind == kind && e.picture.as_ref().is_some_and(|p| p.cloud_film)
    };
    let links = paths(&|e| cloud_film(e, FileKind::Photo) || cloud_film(e, FileKind::Screenshot));
    if !links.is_empty() {
        out.push(Finding::new(
            FindingCode::CloudFilmLink,
            Severity::Warning,
            links.clone(),
            json!({
                "count": links.len(),
                "photos": all.iter().filter(|e| cloud_film(e, FileKind::Photo)).count(),
                "screenshots": all.iter().filter(|e| cloud_film(e, FileKind::Screenshot)).count(),
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

/// Most documents of other people listed in the values (each gets a sentence).
const MAX_OTHER_DOCUMENTS: usize = 10;

/// `multiple-patients` when a pair of the case's people is judged *different people* (or there
/// are too many people to judge), `identity-check` when a pair is *possibly different*; each
/// with every person's evidence and the pairs' reasons.
fn identity_findings(case: &Case, out: &mut Vec<Finding>) {
    if case.patients.len() < 2 {
        return;
    }
    // A person the patient said is not them is out of the question (and of the bundle).
    let pairs: Vec<(usize, usize, Judgement)> = judge_all(&case.patients)
        .into_iter()
        .filter(|(a, b, _)| !case.patients[*a].excluded && !case.patients[*b].excluded)
        .collect();
    let listed = |grade: Grade| -> Vec<Value> {
        pairs
            .iter()
            .filter(|(_, _, j)| j.grade == grade)
            .map(|(a, b, j)| pair_value(case, *a, *b, j))
            .collect()
    };
    let different = listed(Grade::Different);
    if !different.is_empty() || case.patients.len() > MAX_JUDGED {
        out.push(multiple_patients(case, different));
    }
    let possibly = listed(Grade::PossiblyDifferent);
    if !possibly.is_empty() {
        let mut people: Vec<usize> = pairs
            .iter()
            .filter(|(_, _, j)| j.grade == Grade::PossiblyDifferent)
            .flat_map(|(a, b, _)| [*a, *b])
            .collect();
        people.sort_unstable();
        people.dedup();
        let files = people.iter().flat_map(|&i| files_of(case, i)).collect();
        let persons: Vec<Value> = people.iter().map(|&i| person_value(case, i)).collect();
        out.push(Finding::new(
            FindingCode::IdentityCheck,
            Severity::Warning,
            files,
            json!({ "count": people.len(), "patients": persons, "pairs": possibly }),
        ));
    }
}

fn pair_value(case: &Case, a: usize, b: usize, j: &Judgement) -> Value {
    json!({
        "a": case.patients[a].id,
        "b": case.patients[b].id,
        "grade": j.grade,
        "reasons": j.reasons,
    })
}

/// Every file of one person: DICOM files of their studies, then the documents naming them.
fn files_of(case: &Case, person: usize) -> Vec<String> {
    let mut files: Vec<String> = case
        .studies
        .iter()
        .filter(|s| s.patient == person)
        .flat_map(|s| s.series.iter().flat_map(|x| x.files.clone()))
        .collect();
    for d in &case.patients[person].documents {
        if !files.contains(&d.path) {
            files.push(d.path.clone());
        }
    }
    files
}

/// A name's `=` groups by script: Han characters are the ideographic form, kana or hangul (or
/// a third group) the phonetic one, anything else the alphabetic one.
fn name_forms(p: &Patient) -> Value {
    let mut forms: [Vec<String>; 3] = Default::default();
    for name in &p.names {
        for (position, group) in name.split('=').enumerate() {
            let group = group.trim_matches(|c: char| c == '^' || c.is_whitespace());
            if group.is_empty() {
                continue;
            }
            let han = group
                .chars()
                .any(|c| matches!(c, '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}'));
            let kana_hangul = group
                .chars()
                .any(|c| matches!(c, '\u{3040}'..='\u{30FF}' | '\u{AC00}'..='\u{D7AF}'));
            let slot = if han {
                1
            } else if kana_hangul || position == 2 {
                2
            } else {
                0
            };
            if !forms[slot].iter().any(|f| f == group) {
                forms[slot].push(group.to_string());
            }
        }
    }
    let [alphabetic, ideographic, phonetic] = forms;
    json!({ "alphabetic": alphabetic, "ideographic": ideographic, "phonetic": phonetic })
}

/// What the patient needs to tell one person from another: name forms, IDs with the hospital,
/// birth dates, sex, ages and study dates.
fn person_value(case: &Case, i: usize) -> Value {
    let p = &case.patients[i];
    let mut study_dates: Vec<&str> = case
        .studies
        .iter()
        .filter(|s| s.patient == i)
        .filter_map(|s| s.date.as_deref())
        .collect();
    study_dates.sort_unstable();
    study_dates.dedup();
    let mut birth_dates: Vec<&str> = p.birth_dates.iter().map(String::as_str).collect();
    if birth_dates.is_empty() {
        birth_dates.extend(p.birth_date.as_deref());
    }
    let mut sexes: Vec<&str> = p.sexes.iter().map(String::as_str).collect();
    if sexes.is_empty() {
        sexes.extend(p.sex.as_deref());
    }
    json!({
        "id": p.id,
        "name": p.name,
        "name_forms": name_forms(p),
        "patient_ids": p.patient_ids,
        "issued_ids": p.issued_ids,
        "birth_dates": birth_dates,
        "sexes": sexes,
        "ages": p.ages,
        "study_dates": study_dates,
        "files": p.files,
        "documents": p.documents.len(),
    })
}

/// Files of more than one person: the files of everyone but the person with most files, and
/// the documents that name someone else, with what they say of that person.
fn multiple_patients(case: &Case, pairs: Vec<Value>) -> Finding {
    let main = case
        .patients
        .iter()
        .enumerate()
        .max_by_key(|(_, p)| p.files)
        .map_or(0, |(i, _)| i);
    let mine: BTreeSet<&str> = case.patients[main]
        .documents
        .iter()
        .map(|d| d.path.as_str())
        .collect();
    let mut others: Vec<String> = case
        .studies
        .iter()
        .filter(|s| s.patient != main)
        .flat_map(|s| s.series.iter().flat_map(|x| x.files.clone()))
        .collect();
    let other_documents: Vec<&super::DocumentMention> = case
        .patients
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != main)
        .flat_map(|(_, p)| &p.documents)
        .filter(|d| !mine.contains(d.path.as_str()))
        .collect();
    for d in &other_documents {
        if !others.contains(&d.path) {
            others.push(d.path.clone());
        }
    }
    let people: Vec<Value> = (0..case.patients.len())
        .map(|i| person_value(case, i))
        .collect();
    Finding::new(
        FindingCode::MultiplePatients,
        Severity::Serious,
        others,
        json!({
            "count": case.patients.len(),
            "patients": people,
            "main": case.patients[main].name,
            "other_documents": other_documents.iter().take(MAX_OTHER_DOCUMENTS).collect::<Vec<_>>(),
            "more_other_documents": other_documents.len().saturating_sub(MAX_OTHER_DOCUMENTS),
            "pairs": pairs,
        }),
    )
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
