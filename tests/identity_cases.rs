//! The cases of `../shared/corpus-identity/cases.json` (issue 16), each folder scanned natively
//! and built into a case: every `must_flag` case flagged (`multiple-patients`, or
//! `identity-check` when the evidence is mixed), no other case called `multiple-patients`, and
//! the persons found exactly the `groups` of files. Prints a table and the figures.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use record_precheck::case::{self, FindingCode};
use record_precheck::recognise::folder::scan_path;
use record_precheck::Limits;
use serde_json::Value;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus-identity")
}

/// The persons of a case as sets of paths relative to the corpus (`case-…/file.dcm`).
fn persons(case: &case::Case, folder: &str) -> BTreeSet<BTreeSet<String>> {
    (0..case.patients.len())
        .map(|i| {
            case.studies
                .iter()
                .filter(|s| s.patient == i)
                .flat_map(|s| s.series.iter().flat_map(|x| x.files.iter()))
                .map(|f| format!("{folder}/{}", f.trim_start_matches("./")))
                .collect()
        })
        .collect()
}

#[test]
fn identity_corpus_cases() {
    let text = std::fs::read_to_string(corpus().join("cases.json")).expect("cases.json");
    let cases: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert!(!cases.is_empty());
    let (mut flagged, mut must_flag, mut wrongly_different, mut groups_right) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    println!(
        "{:<52} {:>6} {:>6} {:<20} groups",
        "case", "people", "found", "flag"
    );
    for c in &cases {
        let folder = c["case"].as_str().unwrap();
        let files = scan_path(&corpus().join(folder), &Limits::default()).expect("scan");
        let built = case::build(&files);
        let codes: Vec<FindingCode> = built.findings.iter().map(|f| f.code).collect();
        let multiple = codes.contains(&FindingCode::MultiplePatients);
        let check = codes.contains(&FindingCode::IdentityCheck);
        let expected: BTreeSet<BTreeSet<String>> = c["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| {
                g.as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p.as_str().unwrap().to_string())
                    .collect()
            })
            .collect();
        let found = persons(&built, folder);
        let groups_match = found == expected;
        let flag = match (multiple, check) {
            (true, true) => "multiple+check",
            (true, false) => "multiple-patients",
            (false, true) => "identity-check",
            (false, false) => "-",
        };
        println!(
            "{folder:<52} {:>6} {:>6} {flag:<20} {}",
            c["people"],
            built.patients.len(),
            if groups_match { "match" } else { "DIFFER" }
        );
        if c["must_flag"].as_bool().unwrap() {
            must_flag += 1;
            if multiple || check {
                flagged += 1;
            } else {
                failures.push(format!("{folder}: holds two people and is not flagged"));
            }
        } else if multiple {
            wrongly_different += 1;
            failures.push(format!("{folder}: one person called several ({codes:?})"));
        }
        if groups_match {
            groups_right += 1;
        } else {
            failures.push(format!(
                "{folder}: persons {found:?}, expected {expected:?}"
            ));
        }
    }
    println!(
        "flagged {flagged}/{must_flag} two-person cases; {wrongly_different} same-person cases \
         called different people; persons match groups in {groups_right}/{} cases",
        cases.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
}

/// `declarations.identity`: the patient's word merges people the records leave open and
/// leaves out people who are not them — out of the findings, and their files out of the
/// bundle with the reason.
#[test]
fn the_patients_word_merges_and_excludes() {
    use record_precheck::bundle::{Plan, PlanOptions};
    use record_precheck::readiness::{Declarations, StepId};
    use record_precheck::report;

    let scan = |folder: &str| scan_path(&corpus().join(folder), &Limits::default()).unwrap();
    let has = |r: &report::Report, code| r.findings.iter().any(|f| f.code == code);

    // Case 06: same name and birth date, M and F. Asked; "these are all me" merges them.
    let folder = "case-06-same-name-same-birth-date-different-sex";
    let asked = report::build(scan(folder), Declarations::default());
    assert_eq!(asked.patients.len(), 2);
    assert!(has(&asked, FindingCode::IdentityCheck));
    let mut all_me = Declarations::default();
    all_me.identity.merged = vec![vec!["0015512093".into(), "P01077312".into()]];
    let merged = report::build(scan(folder), all_me);
    assert_eq!(merged.patients.len(), 1);
    assert_eq!(merged.patients[0].files, 3);
    assert_eq!(merged.studies.len(), 2);
    assert!(!has(&merged, FindingCode::IdentityCheck));
    assert!(!has(&merged, FindingCode::MultiplePatients));

    // Case 03: two men named 张伟. "Not me" on the younger one: no serious finding, no removal
    // step, and his two files are set aside with the reason.
    let folder = "case-03-namesakes-zhang-wei";
    let two = report::build(scan(folder), Declarations::default());
    assert!(has(&two, FindingCode::MultiplePatients));
    let mut not_me = Declarations::default();
    not_me.identity.excluded = vec!["P01020304".into()];
    let excluded = report::build(scan(folder), not_me);
    assert_eq!(excluded.patients.len(), 2);
    assert!(excluded.patients.iter().any(|p| p.excluded));
    assert!(!has(&excluded, FindingCode::MultiplePatients));
    assert!(!excluded
        .readiness
        .next_steps
        .iter()
        .any(|s| s.id == StepId::RemoveOtherPatientFiles));
    let plan = Plan::inputs_only(&excluded, &PlanOptions::default());
    let mut aside: Vec<(&str, &str)> = plan
        .set_aside()
        .into_iter()
        .filter(|(_, why)| why.contains("another person"))
        .collect();
    aside.sort();
    assert_eq!(aside.len(), 2, "{aside:?}");
    assert!(aside[0].0.ends_with("xsy_mr2_01.dcm") && aside[1].0.ends_with("xsy_mr2_02.dcm"));
    // The checklist counts none of his files: the imaging item's evidence is the other man's.
    let imaging = |r: &report::Report| -> Vec<String> {
        let item = r
            .readiness
            .items
            .iter()
            .find(|i| i.id == record_precheck::codes::ItemId::ImagingDicom)
            .unwrap();
        item.evidence.iter().cloned().map(String::from).collect()
    };
    assert!(imaging(&two).iter().any(|e| e.contains("xsy_mr2_0")));
    let kept = imaging(&excluded);
    assert!(
        !kept.is_empty() && kept.iter().all(|e| !e.contains("xsy_mr2_0")),
        "{kept:?}"
    );
    // A reference that names no one changes nothing.
    let mut nobody = Declarations::default();
    nobody.identity.excluded = vec!["no-such-id".into()];
    nobody.identity.merged = vec![vec!["no-such-id".into()]];
    assert_eq!(report::build(scan(folder), nobody).findings, two.findings);
}
