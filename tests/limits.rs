//! Session limits: files beyond the per-check limit and folders nested too deep are listed as
//! not scanned (nothing silently lost), and the case model stays linear on large cases.

use std::path::PathBuf;

use record_precheck::case;
use record_precheck::case::FindingCode;
use record_precheck::recognise::folder::scan_path;
use record_precheck::text::Message;
use record_precheck::{FileEntry, FileKind, Limits};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("precheck-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn files_over_the_limit_are_listed_not_scanned() {
    let dir = temp_dir("many");
    for i in 0..5 {
        std::fs::write(dir.join(format!("note{i}.txt")), "a plain note\n").unwrap();
    }
    let limits = Limits {
        max_files: 3,
        ..Limits::default()
    };
    let entries = scan_path(&dir, &limits).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(entries.len(), 5);
    let left: Vec<&FileEntry> = entries
        .iter()
        .filter(|e| e.reason.starts_with("not scanned"))
        .collect();
    assert_eq!(left.len(), 2);
    assert_eq!(
        left[0].size, 13,
        "the size of a left-out file is still reported"
    );
    let case = case::build(&entries);
    let f = case
        .findings
        .iter()
        .find(|f| f.code == FindingCode::SessionLimitHit)
        .expect("finding");
    assert_eq!(f.files, ["note3.txt", "note4.txt"]);
}

#[test]
fn folders_nested_too_deep_are_listed_not_walked() {
    let dir = temp_dir("deep");
    let mut deep = dir.clone();
    for i in 0..5 {
        deep = deep.join(format!("d{i}"));
    }
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(deep.join("x.txt"), "deep\n").unwrap();
    std::fs::write(dir.join("top.txt"), "top\n").unwrap();
    let limits = Limits {
        max_path_depth: 3,
        ..Limits::default()
    };
    let entries = scan_path(&dir, &limits).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let skipped = entries
        .iter()
        .find(|e| e.path == "d0/d1/d2")
        .expect("the too-deep folder is listed");
    assert_eq!(skipped.kind, FileKind::Other);
    assert!(
        skipped.notes[0].starts_with("session-limit-hit"),
        "{:?}",
        skipped.notes
    );
    assert!(entries
        .iter()
        .any(|e| e.path == "top.txt" && e.kind == FileKind::Document));
}

fn ct(path: String, patient: usize, series: usize, instance: i64) -> FileEntry {
    let mut e = FileEntry::new(
        path,
        10,
        FileKind::Dicom,
        Message::new("reason.dicom.preamble"),
    );
    e.dicom = Some(record_precheck::dicom::DicomInfo {
        class: Some(record_precheck::dicom::DicomClass::Image),
        modality: Some("CT".into()),
        patient_id: Some(format!("ID{patient}")),
        patient_name: Some(format!("Name{patient}^Given")),
        study_instance_uid: Some(format!("1.{patient}")),
        series_instance_uid: Some(format!("1.{patient}.{series}")),
        instance_number: Some(instance),
        ..Default::default()
    });
    e
}

#[test]
fn large_cases_group_correctly() {
    // 20,000 images of one patient in 40 series, and 5,000 single-file patients.
    let mut files: Vec<FileEntry> = (0..20_000)
        .map(|i| ct(format!("cd/IM{i}"), 0, i / 500, (i % 500) as i64 + 1))
        .collect();
    files.extend((1..=5_000).map(|p| ct(format!("other/{p}"), p, 0, 1)));
    let case = case::build(&files);
    assert_eq!(case.patients.len(), 5_001);
    assert_eq!(case.patients[0].files, 20_000);
    let first = case.studies.iter().find(|s| s.patient == 0).unwrap();
    assert_eq!(first.series.len(), 40);
    assert!(first.series.iter().all(|s| s.files.len() == 500));
    assert!(case
        .findings
        .iter()
        .all(|f| f.code != FindingCode::SeriesIncomplete || f.files.len() == 1));
}
