//! Every `../shared/corpus` case round-trips, stored and deflated, and its files go where a
//! reviewer expects them.

use std::fs;
use std::path::PathBuf;

use record_precheck::bundle::{BundleOptions, InputRecord, Outcome, PlanOptions};

use crate::common::{
    account_for_every_input, assert_verifies, bundle_to, corpus, python_check, record, scratch,
    unzip_check,
};

#[test]
fn every_corpus_case_round_trips() {
    let mut cases: Vec<PathBuf> = fs::read_dir(corpus())
        .expect("../shared/corpus is there")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 5, "{cases:?}");
    let out = scratch("corpus");
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        for deflate in [false, true] {
            let zip = out.join(format!(
                "{name}{}.zip",
                if deflate { "-deflate" } else { "" }
            ));
            let options = BundleOptions {
                deflate,
                ..BundleOptions::default()
            };
            let manifest = bundle_to(
                std::slice::from_ref(case),
                &PlanOptions::default(),
                options,
                &zip,
            );
            assert_verifies(&zip);
            python_check(&zip);
            unzip_check(&zip);
            let checked = account_for_every_input(case, &zip, &manifest);
            assert_eq!(checked, manifest.inputs.len(), "{name}");
            let deflated: Vec<&InputRecord> = manifest
                .inputs
                .iter()
                .filter(|r| r.method.as_deref() == Some("deflated"))
                .collect();
            for r in &deflated {
                assert!(deflate, "{}: deflated without --deflate", r.path);
                assert!(
                    matches!(r.kind.as_str(), "dicom" | "pdf" | "document"),
                    "{}: a {} file is compressed already",
                    r.path,
                    r.kind
                );
            }
            if deflate && name == "case-mixed" {
                assert!(deflated.iter().any(|r| r.kind == "dicom"), "{name}");
            }
        }
    }
}

#[test]
fn corpus_files_go_where_a_reviewer_expects() {
    let out = scratch("expectations");
    let zip = out.join("cd.zip");
    let m = bundle_to(
        &[corpus().join("case-cd-ct")],
        &PlanOptions::default(),
        BundleOptions::default(),
        &zip,
    );
    let viewer = record(&m, "VIEWER/VIEWER.EXE");
    assert_eq!(viewer.outcome, Outcome::LeftOut);
    assert!(viewer.reason.as_deref().unwrap().contains("software"));
    assert_eq!(record(&m, "DICOMDIR").outcome, Outcome::LeftOut);
    let image = record(&m, "IMAGES/SER00001/IM000001");
    assert_eq!(
        image.destination.as_deref(),
        Some("imaging/Doe Peter/2001-01-01_CT/004_Scout/IM000001.dcm")
    );
    assert_eq!(image.method.as_deref(), Some("stored"));

    let zip = out.join("bad.zip");
    let m = bundle_to(
        &[corpus().join("case-bad-input")],
        &PlanOptions::default(),
        BundleOptions::default(),
        &zip,
    );
    assert!(record(&m, "empty.dcm")
        .reason
        .as_deref()
        .unwrap()
        .contains("empty"));
    let bomb = record(&m, "bomb_claims_4GB.zip!/IMAGES/IM000001");
    assert_eq!(bomb.outcome, Outcome::LeftOut);
    assert!(bomb.reason.as_deref().unwrap().contains("zip-bomb"));
    let garbage = record(&m, "dicm_garbage.dcm");
    assert_eq!(
        garbage.destination.as_deref(),
        Some("unreadable/dicm_garbage.dcm")
    );
    assert!(garbage
        .reason
        .as_deref()
        .unwrap()
        .contains("could not be read"));
    let evil = record(&m, "zipslip.zip!/evil.dcm");
    assert_eq!(evil.outcome, Outcome::Copied);
    assert!(evil.destination.as_deref().unwrap().starts_with("imaging/"));
    assert!(record(&m, "zipslip.zip")
        .reason
        .as_deref()
        .unwrap()
        .contains("unpacked"));

    // Several folders: paths get the folder's name, zip members too, and the patient's
    // categories and exclusions apply.
    let zip = out.join("two.zip");
    let m = bundle_to(
        &[
            corpus().join("case-mixed"),
            corpus().join("case-screenshots"),
        ],
        &PlanOptions {
            exclude: vec![
                "case-screenshots/IMG_4822.JPG".into(),
                "case-mixed/images_export.zip".into(),
            ],
            ..PlanOptions::default()
        },
        BundleOptions::default(),
        &zip,
    );
    assert_verifies(&zip);
    let excluded = record(&m, "case-screenshots/IMG_4822.JPG");
    assert_eq!(excluded.reason.as_deref(), Some("excluded by the patient"));
    let member = record(&m, "case-mixed/images_export.zip!/EXPORT/IMG00002");
    assert_eq!(member.outcome, Outcome::LeftOut);
    assert!(member
        .reason
        .as_deref()
        .unwrap()
        .contains("excluded by the patient"));
    assert_eq!(
        record(&m, "case-screenshots/IMG_4821.JPG")
            .destination
            .as_deref(),
        Some("photos-and-screenshots/IMG_4821.JPG")
    );
    assert!(record(&m, "case-mixed/radiology_report.pdf")
        .destination
        .as_deref()
        .unwrap()
        .starts_with("documents/radiology-report/"));
}
