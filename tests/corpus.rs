//! Every file of `../shared/corpus` against `labels.json`: kind, DICOM class and header facts.
//! The corpus is required: CI has it at the same relative path.

use std::path::{Path, PathBuf};

use record_precheck::recognise::folder::scan_path;
use record_precheck::{FileEntry, FileKind, Limits};
use serde_json::Value;

fn corpus() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    assert!(
        dir.join("labels.json").is_file(),
        "the test corpus is missing at {}",
        dir.display()
    );
    dir
}

fn labels() -> Vec<Value> {
    let text = std::fs::read_to_string(corpus().join("labels.json")).unwrap();
    serde_json::from_str::<Value>(&text)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn scanned() -> Vec<FileEntry> {
    scan_path(&corpus(), &Limits::default()).unwrap()
}

/// Person names are equal when they differ only in trailing empty components or groups.
fn name_key(name: &str) -> String {
    name.trim()
        .trim_end_matches(['=', '^', ' '])
        .split('=')
        .map(|g| g.trim_end_matches(['^', ' ']))
        .collect::<Vec<_>>()
        .join("=")
}

fn str_field<'a>(label: &'a Value, key: &str) -> Option<&'a str> {
    label.get(key).and_then(Value::as_str)
}

#[test]
fn every_labelled_file_has_its_kind_class_and_header_facts() {
    let entries = scanned();
    let mut failures = Vec::new();
    for label in labels() {
        let path = str_field(&label, "path").unwrap();
        let Some(entry) = entries.iter().find(|e| e.path == path) else {
            failures.push(format!("{path}: not scanned"));
            continue;
        };
        let want_kind = str_field(&label, "kind").unwrap();
        if entry.kind.as_str() != want_kind {
            failures.push(format!(
                "{path}: kind {} ({}), want {want_kind}",
                entry.kind.as_str(),
                entry.reason
            ));
            continue;
        }
        if entry.size != label["size"].as_u64().unwrap() {
            failures.push(format!("{path}: size {}", entry.size));
        }
        if let Some(members) = label.get("members").and_then(Value::as_array) {
            for m in members {
                let name = str_field(m, "name").unwrap();
                let safe = name.trim_start_matches("../");
                let got = entry
                    .members
                    .iter()
                    .flatten()
                    .find(|e| e.path == format!("{path}!/{safe}"));
                match got {
                    Some(e) if e.kind.as_str() == str_field(m, "kind").unwrap() => {}
                    Some(e) => failures.push(format!(
                        "{path}!/{name}: kind {} ({}), want {}",
                        e.kind.as_str(),
                        e.reason,
                        m["kind"]
                    )),
                    None => failures.push(format!("{path}!/{name}: member not listed")),
                }
            }
        }
        if want_kind != "dicom" && want_kind != "dicomdir" {
            continue;
        }
        let Some(d) = &entry.dicom else {
            failures.push(format!("{path}: no DICOM facts"));
            continue;
        };
        let mut check = |what: &str, got: Option<String>, want: Option<String>| {
            if got != want {
                failures.push(format!("{path}: {what} = {got:?}, want {want:?}"));
            }
        };
        check(
            "sop_class_uid",
            d.sop_class_uid.clone(),
            str_field(&label, "sop_class_uid").map(String::from),
        );
        check(
            "transfer_syntax",
            d.transfer_syntax.clone(),
            str_field(&label, "transfer_syntax").map(String::from),
        );
        check(
            "has_preamble",
            Some(d.has_preamble.to_string()),
            label.get("has_preamble").map(|v| v.to_string()),
        );
        check(
            "has_file_meta",
            Some(d.has_file_meta.to_string()),
            label.get("has_file_meta").map(|v| v.to_string()),
        );
        if want_kind == "dicomdir" {
            continue;
        }
        check(
            "class",
            d.class.map(|c| c.as_str().to_string()),
            str_field(&label, "dicom_class").map(String::from),
        );
        check(
            "modality",
            d.modality.clone(),
            str_field(&label, "modality").map(String::from),
        );
        check(
            "patient_id",
            d.patient_id.clone(),
            str_field(&label, "patient_id").map(String::from),
        );
        check(
            "patient_name",
            d.patient_name.as_deref().map(name_key),
            str_field(&label, "patient_name_unicode").map(name_key),
        );
        check(
            "study_instance_uid",
            d.study_instance_uid.clone(),
            str_field(&label, "study_instance_uid").map(String::from),
        );
        check(
            "series_instance_uid",
            d.series_instance_uid.clone(),
            str_field(&label, "series_instance_uid").map(String::from),
        );
        check(
            "sop_instance_uid",
            d.sop_instance_uid.clone(),
            str_field(&label, "sop_instance_uid").map(String::from),
        );
        check(
            "instance_number",
            d.instance_number.map(|n| n.to_string()),
            label
                .get("instance_number")
                .filter(|v| !v.is_null())
                .map(|v| v.to_string()),
        );
        check(
            "series_number",
            d.series_number.map(|n| n.to_string()),
            label
                .get("series_number")
                .filter(|v| !v.is_null())
                .map(|v| v.to_string()),
        );
        check(
            "series_description",
            d.series_description.clone(),
            str_field(&label, "series_description").map(String::from),
        );
        check(
            "preamble_is_tiff_header",
            Some(d.preamble_is_tiff_header.to_string()),
            Some(
                label
                    .get("preamble_is_tiff_header")
                    .and_then(Value::as_bool)
                    .unwrap_or(false)
                    .to_string(),
            ),
        );
        let want_type: Option<Vec<String>> = label
            .get("image_type")
            .and_then(Value::as_array)
            .map(|a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect());
        check(
            "image_type",
            Some(format!("{:?}", d.image_type)),
            Some(format!("{:?}", want_type.unwrap_or_default())),
        );
        if d.truncated {
            failures.push(format!("{path}: reported truncated"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn corrupt_files_say_what_is_wrong() {
    let entries = scanned();
    for e in entries.iter().filter(|e| e.kind == FileKind::Corrupt) {
        let error = e.error.as_deref().unwrap_or("");
        assert!(error.len() > 15, "{}: no clear message: {error:?}", e.path);
    }
    let by_path = |p: &str| entries.iter().find(|e| e.path == p).unwrap();
    let huge = by_path("case-bad-input/huge_length.dcm");
    assert!(
        huge.error
            .as_deref()
            .unwrap()
            .contains("(0010,0010) says it holds 4294967280 bytes"),
        "{:?}",
        huge.error
    );
    let cut = by_path("case-bad-input/truncated_header.dcm");
    assert!(cut.reason.contains("cut short"), "{}", cut.reason);
}

#[test]
fn repaired_and_iso2022_names_are_said_to_be_so() {
    let entries = scanned();
    let by_path = |p: &str| {
        entries
            .iter()
            .find(|e| e.path == p)
            .unwrap()
            .dicom
            .clone()
            .unwrap()
    };
    let no_charset = by_path("case-chinese-charset/MR_no_charset.dcm");
    assert_eq!(no_charset.patient_name.as_deref(), Some("王小东"));
    assert!(no_charset.charset_repaired);
    assert!(no_charset.charset_note.is_some());
    let ir58 = by_path("case-chinese-charset/CT_IR58.dcm");
    assert_eq!(ir58.patient_name.as_deref(), Some("Wang^XiaoDong=王^小东="));
    assert!(!ir58.charset_repaired);
    assert_eq!(ir58.charset.as_deref(), Some("\\ISO 2022 IR 58"));
}

#[test]
fn the_dicomdir_lists_the_cd_images() {
    let entries = scanned();
    let dir = entries
        .iter()
        .find(|e| e.path == "case-cd-ct/DICOMDIR")
        .unwrap();
    let info = dir.dicomdir.as_ref().unwrap();
    assert_eq!(info.patients, 1);
    assert_eq!(info.studies, 1);
    assert_eq!(info.series, 2);
    assert_eq!(info.referenced_files.len(), 7);
    for f in &info.referenced_files {
        let on_disk = corpus().join("case-cd-ct").join(f);
        assert!(
            on_disk.is_file(),
            "DICOMDIR references {f}, which is not on disk"
        );
    }
}

#[test]
fn headers_are_read_from_a_small_prefix() {
    let entries = scanned();
    for e in entries.iter().filter(|e| e.kind == FileKind::Dicom) {
        let header = e.dicom.as_ref().unwrap().header_bytes;
        // What was read is the header rounded up to the read granularity, never the pixels.
        assert!(
            e.bytes_read <= header + 132 + 2 * 8192 + 4096,
            "{}: read {} bytes for a {header}-byte header",
            e.path,
            e.bytes_read
        );
    }
}

#[test]
fn entries_survive_a_json_round_trip() {
    // The browser sends scanned entries back to the library to build the report.
    let entries = scanned();
    let json = serde_json::to_string(&entries).unwrap();
    let back: Vec<FileEntry> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, entries);
}
