//! The redacted report (`report::redact`, what a host page sees before the patient consents)
//! of every case of `../shared/corpus` and `../shared/corpus-records`: it holds none of the
//! patients' names, IDs or birth dates the labels give (in any form: DICOM `^` and `=` groups,
//! Han characters, Latin, Cyrillic), none of the input files' names, and none of what the
//! patient wrote; and it keeps what the host may know — kinds, codes, levels, statuses, counts —
//! equal to the full report's.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use record_precheck::case::{flatten, IdentityDeclarations};
use record_precheck::readiness::Declarations;
use record_precheck::recognise::folder::scan_path;
use record_precheck::report::{self, redact, Report};
use record_precheck::Limits;
use serde_json::Value;

fn shared(corpus: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(corpus)
}

fn labels(corpus: &str) -> Vec<Value> {
    let path = shared(corpus).join("labels.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// The parts of a name worth looking for on their own: two Han characters or more, four
/// letters or more (shorter ones, like `DOE` or `LI`, occur inside ordinary words).
fn name_parts(name: &str) -> Vec<String> {
    let mut out = vec![name.to_string()];
    let joined: String = name.chars().filter(|c| !"^= ,".contains(*c)).collect();
    out.push(joined);
    for part in name.split(['^', '=', ' ', ',']) {
        let han = part
            .chars()
            .filter(|c| ('\u{3400}'..='\u{9fff}').contains(c))
            .count();
        if han >= 2 || (han == 0 && part.chars().count() >= 4) {
            out.push(part.to_string());
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

/// What must not be in a redacted report, from the labels of both corpora: names, IDs, birth
/// dates (as `YYYY-MM-DD` and `YYYYMMDD`), and by case the names of its files.
struct Secrets {
    people: BTreeSet<String>,
    file_names: Vec<(String, String)>,
}

fn secrets() -> Secrets {
    let mut people = BTreeSet::new();
    let mut file_names = Vec::new();
    for corpus in ["corpus", "corpus-records"] {
        for label in labels(corpus) {
            let case = label["case"].as_str().unwrap().to_string();
            let path = label["path"].as_str().unwrap();
            let name = path.rsplit('/').next().unwrap();
            file_names.push((case.clone(), name.to_string()));
            for m in label["members"].as_array().into_iter().flatten() {
                let member = m["name"].as_str().unwrap().rsplit('/').next().unwrap();
                file_names.push((case.clone(), member.to_string()));
            }
            if let Some(name) = label["patient_name_unicode"].as_str() {
                people.extend(name_parts(name));
            }
            if let Some(id) = label["patient_id"].as_str() {
                people.insert(id.to_string());
            }
            let patient = &label["document"]["patient"];
            if let Some(name) = patient["name"].as_str() {
                people.extend(name_parts(name));
            }
            if let Some(id) = patient["id"].as_str() {
                people.insert(id.to_string());
            }
            if let Some(date) = patient["birth_date"].as_str() {
                people.insert(date.to_string());
                people.insert(date.replace('-', ""));
            }
        }
    }
    Secrets { people, file_names }
}

/// Answers that quote a name, an ID and a date, and name a person by patient ID.
fn declarations(patient_ids: &[String]) -> Declarations {
    Declarations {
        timeline: "2023-06-05 李秀英 admitted, MRN Z23061187, born 1962-03-14".into(),
        questions: vec!["Is Wang XiaoDong (BJ20240117) the same person as me?".into()],
        identity: IdentityDeclarations {
            merged: Vec::new(),
            excluded: patient_ids.iter().take(1).cloned().collect(),
        },
        ..Declarations::default()
    }
}

/// Every case folder of both corpora.
fn cases() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for corpus in ["corpus", "corpus-records"] {
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(shared(corpus))
            .unwrap()
            .map(|d| d.unwrap().path())
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        for dir in dirs {
            out.push((dir.file_name().unwrap().to_string_lossy().into_owned(), dir));
        }
    }
    out
}

fn found(json: &str, secret: &str) -> bool {
    json.to_lowercase().contains(&secret.to_lowercase())
}

#[test]
fn redacted_reports_hold_no_names_ids_birth_dates_file_names_or_free_text() {
    let secrets = secrets();
    let mut leaks = Vec::new();
    let mut cases_with_people = 0;
    for (case, dir) in cases() {
        let files = scan_path(&dir, &Limits::default()).unwrap_or_else(|e| panic!("{case}: {e}"));
        let ids: Vec<String> = report::build(files.clone(), Declarations::default())
            .patients
            .iter()
            .flat_map(|p| p.patient_ids.clone())
            .collect();
        let full = report::build(files, declarations(&ids));
        let redacted = redact::redact(&full);
        let full_json = serde_json::to_string(&full).unwrap();
        let json = serde_json::to_string(&redacted).unwrap();
        // The full report does name people (else this test would prove nothing for the case).
        if secrets.people.iter().any(|s| found(&full_json, s)) {
            cases_with_people += 1;
        }
        for s in &secrets.people {
            if found(&json, s) {
                leaks.push(format!("{case}: {s:?}"));
            }
        }
        for (c, name) in &secrets.file_names {
            // `DICOMDIR` is the name the DICOM standard gives every CD's index: the catalogue's
            // reason says it of any such file.
            if *c == case && name != "DICOMDIR" && found(&json, name) {
                leaks.push(format!("{case}: file name {name:?}"));
            }
        }
        assert!(json.contains("\"redacted\":true"), "{case}: the flag");
        assert!(
            !full_json.contains("\"redacted\""),
            "{case}: a full report has no flag"
        );
    }
    assert!(
        cases_with_people >= 10,
        "the full reports name people in most cases ({cases_with_people})"
    );
    assert!(
        leaks.is_empty(),
        "the redacted reports leak:\n  {}",
        leaks.join("\n  ")
    );
}

/// The numbers of a `values` map (what the sentences count).
fn numbers(values: &std::collections::BTreeMap<String, Value>) -> Vec<(String, Value)> {
    values
        .iter()
        .filter(|(_, v)| v.is_number() || v.is_boolean())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v
}

/// What a host may know of a report (categories sorted: their keys, the paths, change), for comparing the two.
fn outline(r: &Report) -> Value {
    let all = flatten(&r.files);
    serde_json::json!({
        "files": all.iter().map(|e| (e.kind, e.size, e.dicom.as_ref().map(|d| d.class))).collect::<Vec<_>>(),
        "patients": r.patients.iter().map(|p| (&p.id, p.files, &p.studies, p.documents.len(), p.excluded)).collect::<Vec<_>>(),
        "studies": r.studies.iter().map(|s| (s.patient, &s.modalities, s.image_count, s.series.iter().map(|x| (x.number, x.class, x.files.len(), &x.instance_numbers)).collect::<Vec<_>>())).collect::<Vec<_>>(),
        "findings": r.findings.iter().map(|f| (f.code, f.severity, f.files.len(), numbers(&f.values))).collect::<Vec<_>>(),
        "level": r.readiness.level,
        "fit": r.readiness.review_fit,
        "items": r.readiness.items.iter().map(|i| (i.id, i.status, i.impact, i.evidence.len(), numbers(&i.values))).collect::<Vec<_>>(),
        "steps": r.readiness.next_steps.iter().map(|s| (s.id, numbers(&s.values))).collect::<Vec<_>>(),
        "categories": sorted(r.readiness.document_categories.values().map(|c| c.as_str()).collect()),
        "events": r.timeline_draft.events.iter().map(|e| (e.source, e.category, e.files.len())).collect::<Vec<_>>(),
        "declared": (r.declarations.cancer, r.declarations.slides, r.declarations.translation),
    })
}

#[test]
fn redacted_reports_keep_kinds_codes_levels_and_counts() {
    for (case, dir) in cases() {
        let files = scan_path(&dir, &Limits::default()).unwrap();
        let full = report::build(files, Declarations::default());
        let redacted = redact::redact(&full);
        assert_eq!(outline(&redacted), outline(&full), "{case}");
        // A path is one placeholder everywhere: every file a finding or series names is a file.
        let paths: BTreeSet<&str> = flatten(&redacted.files)
            .iter()
            .map(|e| e.path.as_str())
            .collect();
        assert_eq!(
            paths.len(),
            flatten(&full.files).len(),
            "{case}: one placeholder per file"
        );
        let named = redacted.findings.iter().flat_map(|f| &f.files).chain(
            redacted
                .studies
                .iter()
                .flat_map(|s| s.series.iter().flat_map(|x| &x.files)),
        );
        for p in named {
            assert!(
                paths.contains(p.as_str()),
                "{case}: {p:?} is no file of the redacted report"
            );
        }
    }
}

#[test]
fn members_keep_their_nesting() {
    let files = scan_path(&shared("corpus").join("case-mixed"), &Limits::default()).unwrap();
    let redacted = redact::redact(&report::build(files, Declarations::default()));
    let zip = redacted
        .files
        .iter()
        .find(|e| e.members.is_some())
        .expect("images_export.zip");
    for m in zip.members.iter().flatten() {
        assert!(
            m.path.starts_with(&format!("{}!/file-", zip.path)),
            "{} in {}",
            m.path,
            zip.path
        );
    }
}
