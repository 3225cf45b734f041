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
