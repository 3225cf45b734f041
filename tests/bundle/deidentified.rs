//! A de-identified bundle: the imaging of the identity corpus (names in Chinese character sets,
//! IDs, birth dates, institutions, accession numbers) bundled with `PlanOptions::deidentify`.
//! Checked against the corpus labels: none of the people's names, IDs, birth dates, the
//! institutions or the study UIDs is left in any imaging file, folder or file name, README,
//! report or manifest; files of one study share one new Study Instance UID and files of
//! different studies do not; with modified dates every date moved back by the same days; the
//! bundle verifies; documents are listed as not de-identified.

use std::collections::HashMap;
use std::fs;
use std::io::Read;
use std::path::Path;

use record_precheck::bundle::{BundleOptions, PlanOptions};
use record_precheck::dicom::deidentify::Options;
use record_precheck::{scan_bytes, Limits};

use super::common::{assert_verifies, bundle_to, put_file, python_check, scratch};

fn identity_corpus() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus-identity")
}

/// Every entry of a zip: (name, bytes).
fn entries(zip: &Path) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(fs::File::open(zip).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut e = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            e.read_to_end(&mut bytes).unwrap();
            (e.name().unwrap().to_string(), bytes)
        })
        .collect()
}

/// The byte forms a label value may take in a file: as written, and GB18030 for Chinese.
fn forms(value: &str) -> Vec<Vec<u8>> {
    use encoding::{EncoderTrap, Encoding};
    let mut out = vec![value.as_bytes().to_vec()];
    if let Ok(gb) = encoding::all::GB18030.encode(value, EncoderTrap::Strict) {
        out.push(gb);
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// What identifies the people of the corpus, from its labels: names whole and by part (Han
/// parts of two or more characters, others of three or more), IDs, birth dates, institutions,
/// accession numbers, study UIDs.
fn identifiers(labels: &[serde_json::Value]) -> Vec<String> {
    let mut out = Vec::new();
    for l in labels {
        let s = |k: &str| l[k].as_str().unwrap_or("").to_string();
        let name = s("patient_name");
        out.push(name.clone());
        for part in name.split(['^', '=']) {
            let han = part.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            if part.chars().count() >= if han { 2 } else { 3 } {
                out.push(part.to_string());
            }
        }
        for k in [
            "patient_id",
            "birth_date",
            "institution",
            "accession_number",
            "study_uid",
        ] {
            out.push(s(k));
        }
    }
    out.retain(|v| v.chars().count() >= 2);
    out.sort();
    out.dedup();
    out
}

fn options(modified_dates: bool) -> Options {
    Options {
        secret: [42; 32],
        modified_dates,
        patient_characteristics: modified_dates,
        clean_descriptors: modified_dates,
    }
}

#[test]
fn a_de_identified_bundle_keeps_no_identifier_of_the_labels_where_it_promises() {
    let labels: Vec<serde_json::Value> =
        serde_json::from_slice(&fs::read(identity_corpus().join("labels.json")).unwrap()).unwrap();
    let ids = identifiers(&labels);
    assert!(ids.len() > 30, "{ids:?}");
    let dir = scratch("deidentified");
    // A document naming the first person goes along, and is said not to be de-identified.
    let docs = dir.join("docs");
    let first = labels[0]["patient_name"]
        .as_str()
        .unwrap()
        .replace(['^', '='], "");
    put_file(
        &docs,
        &format!("{first}_note.txt"),
        format!("Patient {first}").as_bytes(),
    );
    for modified_dates in [false, true] {
        let out = dir.join(format!("bundle-{modified_dates}.zip"));
        let manifest = bundle_to(
            &[identity_corpus(), docs.clone()],
            &PlanOptions {
                deidentify: Some(options(modified_dates)),
                ..PlanOptions::default()
            },
            BundleOptions::default(),
            &out,
        );
        assert_verifies(&out);
        python_check(&out);
        let all = entries(&out);
        let mut dicom = 0;
        for (name, bytes) in &all {
            let note =
                name.ends_with("_note.txt") || name.ends_with(".json") && name.contains("labels");
            // The document and the corpus's own label files are copied as given.
            let checked_bytes =
                !note && !name.starts_with("documents/") && !name.starts_with("other/");
            for id in &ids {
                for form in forms(id) {
                    assert!(
                        !contains(name.as_bytes(), &form),
                        "{id:?} in the entry name {name}"
                    );
                    if checked_bytes {
                        assert!(!contains(bytes, &form), "{id:?} in {name}");
                    }
                }
            }
            if name.starts_with("imaging/") {
                dicom += 1;
                assert!(name.starts_with("imaging/PATIENT-"), "{name}");
            }
        }
        assert!(dicom >= 25, "{dicom} imaging files");
        let note = manifest
            .inputs
            .iter()
            .find(|r| r.path.ends_with("_note.txt"))
            .expect("the document is in the manifest");
        assert!(note.path.contains("PATIENT-"), "{}", note.path);
        assert!(
            note.reason
                .as_deref()
                .unwrap_or("")
                .contains("not de-identified"),
            "{note:?}"
        );

        // Study UIDs: one new UID per original study, none shared between studies; dates moved
        // by one number of days.
        let mut new_of: HashMap<String, String> = HashMap::new();
        let mut shifts = Vec::new();
        for l in &labels {
            let path = format!("corpus-identity/{}", l["path"].as_str().unwrap());
            let Some(r) = manifest.inputs.iter().find(|r| r.path == path) else {
                panic!("{path} not in the manifest");
            };
            let dest = r.destination.as_deref().expect("imaging copied");
            let bytes = &all.iter().find(|(n, _)| n == dest).unwrap().1;
            let entry = scan_bytes(dest, bytes, &Limits::default());
            let d = entry.dicom.expect("still DICOM");
            let new = d.study_instance_uid.clone().unwrap();
            assert!(new.starts_with("2.25."), "{new}");
            let old = l["study_uid"].as_str().unwrap().to_string();
            assert_eq!(new_of.entry(old).or_insert(new.clone()), &new, "{path}");
            let date = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y%m%d").unwrap();
            match (modified_dates, d.study_date.as_deref()) {
                (true, Some(moved)) => {
                    let was = date(l["study_date"].as_str().unwrap());
                    shifts.push((was - date(moved)).num_days());
                }
                (false, Some(left)) => assert!(left.trim().is_empty(), "{path}: {left}"),
                (_, None) => {}
            }
        }
        let distinct: std::collections::HashSet<_> = new_of.values().collect();
        assert_eq!(distinct.len(), new_of.len(), "two studies got one UID");
        if modified_dates {
            assert!(shifts.len() >= 25);
            assert!(
                shifts
                    .iter()
                    .all(|&s| s == shifts[0] && (1..=3650).contains(&s)),
                "{shifts:?}"
            );
        }
    }
}
