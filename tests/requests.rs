//! The request slips (issue 19) over the dev corpora, against the labels: each imaging slip of
//! a DICOM case lists every study (date, modality, accession number) the labels give; the
//! pathology slip lists the pathology numbers (病理号) the labelled documents give; every slip
//! renders in Chinese and in Chinese with English, with every placeholder filled, self-contained
//! (no script, no URL), and the bundle holds each as `requests/*.html`, listed in the manifest.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use record_precheck::bundle::{BundleOptions, Bundler, FsSource, Plan, PlanOptions};
use record_precheck::codes::Department;
use record_precheck::readiness::Declarations;
use record_precheck::recognise::folder::scan_path;
use record_precheck::report::{self, slips, Report};
use record_precheck::text::Lang;
use record_precheck::Limits;
use scraper::{Html, Selector};
use serde_json::Value;

fn shared(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(path)
}

fn labels(corpus: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(shared(corpus).join("labels.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn report_of(corpus: &str, case: &str) -> Report {
    let files = scan_path(&shared(corpus).join(case), &Limits::default()).unwrap();
    report::build(files, Declarations::default())
}

fn imaging_studies(r: &Report) -> BTreeSet<(String, String, String)> {
    r.requests
        .iter()
        .filter(|q| q.department == Department::Imaging)
        .flat_map(|q| &q.facts.studies)
        .map(|s| {
            (
                s.date.clone().unwrap_or_default(),
                s.modalities.join(","),
                s.accession_number.clone().unwrap_or_default(),
            )
        })
        .collect()
}

/// corpus-identity: hospitals' CDs of one or two people. Every study of the labels, with its
/// date, modality and accession number, is on an imaging slip (one slip per person and
/// hospital), and nothing else is.
#[test]
fn imaging_slips_list_every_study_of_the_identity_cases() {
    let mut by_case: BTreeMap<String, BTreeSet<(String, String, String)>> = BTreeMap::new();
    for l in labels("corpus-identity") {
        let s = |k: &str| l[k].as_str().unwrap_or_default().to_string();
        by_case.entry(s("case")).or_default().insert((
            s("study_date"),
            s("modality"),
            s("accession_number"),
        ));
    }
    assert!(by_case.len() >= 7);
    for (case, expected) in by_case {
        let r = report_of("corpus-identity", &case);
        assert_eq!(imaging_studies(&r), expected, "{case}");
        // One slip per hospital of a person: a slip's studies are all from its hospital.
        for q in r
            .requests
            .iter()
            .filter(|q| q.department == Department::Imaging)
        {
            assert!(q.facts.hospital.is_some(), "{case}: {q:?}");
            assert!(q.facts.patient_name.is_some(), "{case}: {q:?}");
        }
    }
}

/// corpus: the CD-like cases. Every DICOM study the labels give (by its UID) is on a slip, with
/// the modalities of its files.
#[test]
fn imaging_slips_list_every_study_of_the_cd_cases() {
    let mut by_case: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for l in labels("corpus") {
        let (Some(study), Some(modality)) =
            (l["study_instance_uid"].as_str(), l["modality"].as_str())
        else {
            continue;
        };
        by_case
            .entry(l["case"].as_str().unwrap().to_string())
            .or_default()
            .entry(study.to_string())
            .or_default()
            .insert(modality.to_string());
    }
    let mut checked = 0;
    for case in [
        "case-cd-ct",
        "case-chinese-charset",
        "case-key-images-only",
        "case-multi-patient",
    ] {
        let expected = &by_case[case];
        let r = report_of("corpus", case);
        let listed: Vec<BTreeSet<String>> = r
            .requests
            .iter()
            .filter(|q| q.department == Department::Imaging)
            .flat_map(|q| &q.facts.studies)
            .map(|s| s.modalities.iter().cloned().collect())
            .collect();
        let mut wanted: Vec<BTreeSet<String>> = expected.values().cloned().collect();
        let mut got = listed.clone();
        wanted.sort();
        got.sort();
        assert_eq!(got, wanted, "{case}: studies by modality");
        // Each study's date and accession number are the report's, from its headers.
        for s in r.requests.iter().flat_map(|q| &q.facts.studies) {
            assert!(
                r.studies.iter().any(|x| x.date == s.date
                    && x.accession_number == s.accession_number
                    && x.modalities == s.modalities),
                "{case}: {s:?} is no study"
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 4);
    // A CT case's slip asks for the thin slices.
    let r = report_of("corpus", "case-key-images-only");
    let html = slips::render(&r.requests[0], false);
    assert!(html.contains("薄层原始图像"), "{html}");
}

/// The thin-slice request follows the `thick-slices-only` rule (src/case/adequacy.rs) study by
/// study, not "any CT or MR": a CT or MR study whose axial source images (not localizers, not
/// derived or secondary) are all thicker than 2 mm. Which studies those are was read from the
/// files' headers with dcmtk's `dcmdump` (Modality, Image Type (0008,0008), Slice Thickness
/// (0018,0050), Image Orientation (0020,0037)), not by this tool:
/// - corpus: case-cd-ct (axial CT 2.5 mm; the 650 mm series is a LOCALIZER), case-key-images-only,
///   case-mixed and case-chinese-charset (axial CT 5 mm; their 0.8 mm MR is DERIVED\SECONDARY),
///   case-multi-patient's CT (5 mm; its MR is derived, its NM a secondary capture).
/// - corpus-identity, by Study Instance UID: case-01's CT of 2023-08-02 (5 mm), case-02's CT
///   (2.5 mm), case-07's CT (2.5 mm). Not: the 1.25 mm CTs (case-01, case-03, case-06), the
///   10 mm MRs, which are coronal and sagittal, not axial, and case-04's localizers.
#[test]
fn the_thin_slice_request_follows_the_thick_slices_finding_per_study() {
    // (case, modality of the study's row, thinnest slice in mm).
    let corpus_thick = [
        ("case-cd-ct", "CT", 2.5),
        ("case-key-images-only", "CT", 5.0),
        ("case-mixed", "CT", 5.0),
        ("case-chinese-charset", "CT", 5.0),
        ("case-multi-patient", "CT", 5.0),
    ];
    // (case, the end of the Study Instance UID, mm).
    let identity_thick = [
        ("case-01-one-person-three-hospitals", "08444810", 5.0),
        (
            "case-02-traditional-simplified-birth-date-missing",
            "42028606",
            2.5,
        ),
        (
            "case-07-same-id-empty-birth-date-sex-other",
            "15479510",
            2.5,
        ),
    ];
    let thin_reason = |q: &report::requests::Request| {
        q.reasons
            .contains(&record_precheck::codes::RequestReason::ThinSlices)
    };
    let imaging = |r: &Report| -> Vec<report::requests::Request> {
        r.requests
            .iter()
            .filter(|q| q.department == Department::Imaging)
            .cloned()
            .collect()
    };
    for (case, modality, mm) in corpus_thick {
        let r = report_of("corpus", case);
        let mut marked = 0;
        for q in imaging(&r) {
            let thick: Vec<_> = q
                .facts
                .studies
                .iter()
                .filter(|s| s.thick_slices_mm.is_some())
                .collect();
            assert_eq!(thin_reason(&q), !thick.is_empty(), "{case}: {q:?}");
            for s in thick {
                assert!(s.modalities.iter().any(|m| m == modality), "{case}: {s:?}");
                assert_eq!(s.thick_slices_mm, Some(mm), "{case}");
                marked += 1;
            }
        }
        assert_eq!(marked, 1, "{case}: one study has only thick slices");
        // The printed slip says it beside the study, in both languages.
        let q = imaging(&r).into_iter().find(thin_reason).unwrap();
        let mm_text = if mm.fract() == 0.0 {
            format!("{mm:.0}")
        } else {
            format!("{mm}")
        };
        let html = slips::render(&q, true);
        assert!(
            html.contains(&format!("仅有 {mm_text} 毫米厚层"))
                && html.contains(&format!("only {mm_text} mm slices")),
            "{case}"
        );
    }
    // The identity cases: each row is marked exactly when the headers say so.
    let mut uids: BTreeMap<(String, String), String> = BTreeMap::new();
    for l in labels("corpus-identity") {
        let s = |k: &str| l[k].as_str().unwrap_or_default().to_string();
        uids.insert((s("case"), s("accession_number")), s("study_uid"));
    }
    let cases: BTreeSet<String> = uids.keys().map(|(c, _)| c.clone()).collect();
    let mut thin_seen = 0;
    for case in cases {
        let r = report_of("corpus-identity", &case);
        for q in imaging(&r) {
            let mut any = false;
            for s in &q.facts.studies {
                let accession = s.accession_number.clone().unwrap_or_default();
                let uid = &uids[&(case.clone(), accession)];
                let expected = identity_thick
                    .iter()
                    .find(|(c, end, _)| *c == case && uid.ends_with(end))
                    .map(|(_, _, mm)| *mm);
                assert_eq!(s.thick_slices_mm, expected, "{case}: {s:?}");
                any |= expected.is_some();
                if expected.is_none() && s.modalities.iter().any(|m| m == "CT" || m == "MR") {
                    thin_seen += 1;
                }
            }
            assert_eq!(thin_reason(&q), any, "{case}: {q:?}");
        }
    }
    assert!(
        thin_seen >= 3,
        "the thin and non-axial CT and MR studies are on slips, unmarked"
    );
}

/// corpus-records: the pathology slip lists each pathology number the patient's documents
/// give (labels `document.pathology_number`), with the hospital of its pathology report. A
/// number only a picture of a page gives waits for OCR (a later issue): the documents with a
/// text layer are the ones this build reads.
#[test]
fn the_pathology_slip_lists_the_pathology_numbers_of_the_documents() {
    let mut by_case: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut cases = BTreeSet::new();
    for l in labels("corpus-records") {
        let case = l["case"].as_str().unwrap().to_string();
        cases.insert(case.clone());
        let d = &l["document"];
        let readable = d["text_layer"] == true;
        if let Some(n) = d["pathology_number"].as_str().filter(|_| readable) {
            let hospital = d["institution"].as_str().unwrap_or_default().to_string();
            let entry = by_case
                .entry(case)
                .or_default()
                .entry(n.to_string())
                .or_default();
            if d["category"] == "pathology-report" || entry.is_empty() {
                *entry = hospital;
            }
        }
    }
    assert!(!by_case.is_empty(), "the labels give pathology numbers");
    for case in cases {
        let r = report_of("corpus-records", &case);
        let slip = r
            .requests
            .iter()
            .find(|q| q.department == Department::Pathology)
            .unwrap_or_else(|| panic!("{case}: no pathology slip (cancer not said)"));
        let got: BTreeMap<String, String> = slip
            .facts
            .pathology_numbers
            .iter()
            .map(|n| (n.number.clone(), n.hospital.clone().unwrap_or_default()))
            .collect();
        assert_eq!(got, by_case.remove(&case).unwrap_or_default(), "{case}");
    }
}

fn all_reports() -> Vec<(String, Report)> {
    let mut out = Vec::new();
    for corpus in ["corpus", "corpus-records", "corpus-identity"] {
        let mut names: Vec<String> = std::fs::read_dir(shared(corpus))
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for n in names {
            let r = report_of(corpus, &n);
            out.push((format!("{corpus}/{n}"), r));
        }
    }
    out
}

/// Every slip of every case, in both languages: the words of the catalogue with every value
/// filled in, Chinese in both, English beside it only in the English one, one section, nothing
/// that loads or runs.
#[test]
fn every_slip_renders_in_both_languages_with_every_placeholder_filled() {
    let mut slips_seen = BTreeSet::new();
    for (case, r) in all_reports() {
        for q in &r.requests {
            slips_seen.insert(q.department);
            for lang in Lang::ALL {
                let html = slips::render(q, lang == Lang::En);
                let ctx = format!("{case} {} {lang:?}", q.department);
                let page = Html::parse_document(&html);
                let body = Selector::parse("body").unwrap();
                let text: String = page.select(&body).flat_map(|b| b.text()).collect();
                assert!(!text.contains('{') && !text.contains('}'), "{ctx}: {text}");
                assert!(
                    !text.contains("slip.") && !text.contains("category."),
                    "{ctx}: an id is shown: {text}"
                );
                assert!(
                    text.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)),
                    "{ctx}"
                );
                let english = Selector::parse(".en").unwrap();
                assert_eq!(
                    page.select(&english).next().is_some(),
                    lang == Lang::En,
                    "{ctx}"
                );
                for bad in [
                    "<script", "http:", "https:", "src=", "<link", "@import", "url(",
                ] {
                    assert!(!html.contains(bad), "{ctx}: {bad}");
                }
                let sections = Selector::parse("section.slip").unwrap();
                assert_eq!(page.select(&sections).count(), 1, "{ctx}");
            }
        }
    }
    let all: BTreeSet<Department> = [
        Department::Imaging,
        Department::Pathology,
        Department::Records,
        Department::Laboratory,
    ]
    .into();
    assert_eq!(
        slips_seen, all,
        "the corpora give a slip of every department"
    );
}

/// The bundle writes each slip as requests/<department>.html and lists it in the manifest;
/// a de-identified bundle has none (the slips name the patient).
#[test]
fn the_bundle_holds_the_slips_and_lists_them() {
    let dir = shared("corpus-identity/case-01-one-person-three-hospitals");
    let (files, mut source) = FsSource::scan(&[dir], &Limits::default()).unwrap();
    let report = report::build(files, Declarations::default());
    let plan = Plan::build(&report, &PlanOptions::default());
    let names: Vec<&str> = plan.generated.iter().map(|g| g.name.as_str()).collect();
    let expected: Vec<String> = (0..report.requests.len())
        .map(|i| slips::file_name(&report.requests, i))
        .collect();
    assert!(
        expected.contains(&"requests/imaging-3.html".to_string()),
        "{expected:?}"
    );
    for e in &expected {
        assert!(names.contains(&e.as_str()), "{e} not in {names:?}");
    }
    let mut zip = Vec::new();
    let mut bundler = Bundler::new(plan, BundleOptions::default());
    bundler.write_all_to(&mut source, &mut zip).unwrap();
    let manifest = bundler.manifest().expect("the manifest, once written");
    let generated: Vec<&str> = manifest.generated.iter().map(|g| g.name.as_str()).collect();
    for e in &expected {
        assert!(
            generated.contains(&e.as_str()),
            "{e} not in the manifest: {generated:?}"
        );
    }
    // De-identified: no slip.
    let options = PlanOptions {
        deidentify: Some(record_precheck::dicom::deidentify::Options {
            secret: [7; 32],
            modified_dates: false,
            patient_characteristics: false,
            clean_descriptors: false,
        }),
        ..PlanOptions::default()
    };
    let plan = Plan::build(&report, &options);
    assert!(plan
        .generated
        .iter()
        .all(|g| !g.name.starts_with("requests/")));
}

/// The fullest slip of each department (every row the slip lists, the longest values, every
/// reason), in English (Chinese with English beside it) and in Chinese, printed to PDF by
/// headless Chromium (`CHROMIUM`, else /usr/bin/chromium, as the end-to-end tests): each is ONE
/// A4 page. tests/e2e/slips.mjs prints the corpora's slips from the page itself.
#[test]
fn the_fullest_slips_print_on_one_a4_page() {
    use record_precheck::codes::{Category, RequestReason};
    use record_precheck::report::requests::*;
    let long = "Chest, abdomen and pelvis CT with contrast, arterial and portal venous phases, \
                reconstructions"
        .to_string();
    let person = RequestFacts {
        hospital: Some(
            "西山医科大学第一附属医院 (Xishan Medical University First Hospital)".into(),
        ),
        patient_name: Some("Wang^XiaoDong=王^小东".into()),
        birth_date: Some("19620314".into()),
        sex: Some("M".into()),
        patient_ids: vec!["BH0098812".into(), "CT23080211".into(), "MR23081507".into()],
        ..Default::default()
    };
    let imaging = Request {
        department: Department::Imaging,
        reasons: vec![
            RequestReason::NoOriginalImaging,
            RequestReason::IncompleteSeries,
            RequestReason::OriginalSeries,
            RequestReason::LossyCopy,
            RequestReason::ThinSlices,
            RequestReason::UltrasoundImages,
            RequestReason::BaselineAndLatest,
        ],
        facts: RequestFacts {
            studies: (0..STUDY_ROWS)
                .map(|i| StudyAsked {
                    date: Some(format!("2023010{}", i + 1)),
                    modalities: vec!["CT".into(), "PT".into(), "SR".into()],
                    description: Some(long.clone()),
                    accession_number: Some(format!("ACC-2023-000{i}-0000000000")),
                    // Every row marked: the longest cells.
                    thick_slices_mm: Some(2.5),
                })
                .collect(),
            more_studies: 12,
            ..person.clone()
        },
    };
    let pathology = Request {
        department: Department::Pathology,
        reasons: vec![
            RequestReason::SlidesMissing,
            RequestReason::SlidesRequested,
            RequestReason::SlidesNotLent,
        ],
        facts: RequestFacts {
            pathology_numbers: (0..PATHOLOGY_ROWS)
                .map(|i| PathologyNumber {
                    number: format!("B23-1147{i}-IHC"),
                    hospital: person.hospital.clone(),
                    date: Some("2023-06-12".into()),
                })
                .collect(),
            ..person.clone()
        },
    };
    let records = Request {
        department: Department::Records,
        reasons: vec![
            RequestReason::DiagnosisMissing,
            RequestReason::TreatmentMissing,
            RequestReason::PathologyReportMissing,
        ],
        facts: RequestFacts {
            admissions: (0..ADMISSION_ROWS)
                .map(|i| format!("2023-0{}-01", i + 1))
                .collect(),
            records: [
                Category::DischargeSummary,
                Category::OperationNote,
                Category::PathologyReport,
            ]
            .into_iter()
            .map(|category| RecordAsked { category, found: 1 })
            .collect(),
            ..person.clone()
        },
    };
    let laboratory = Request {
        department: Department::Laboratory,
        reasons: vec![RequestReason::LabsMissing, RequestReason::LabsOld],
        facts: RequestFacts {
            newest_lab: Some("2023-01-20".into()),
            markers: ["CEA", "CA19-9", "CA125", "CA15-3", "AFP", "PIVKA-II"]
                .map(String::from)
                .to_vec(),
            ..person
        },
    };
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("slips");
    std::fs::create_dir_all(&dir).unwrap();
    for request in [imaging, pathology, records, laboratory] {
        for lang in Lang::ALL {
            let name = format!("{}-{lang:?}", request.department);
            let html = dir.join(format!("{name}.html"));
            let pdf = dir.join(format!("{name}.pdf"));
            std::fs::write(&html, slips::render(&request, lang == Lang::En)).unwrap();
            let _ = std::fs::remove_file(&pdf);
            let status = std::process::Command::new(&chromium)
                .args([
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--no-first-run",
                    "--no-pdf-header-footer",
                ])
                .arg(format!("--print-to-pdf={}", pdf.display()))
                .arg(&html)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
                .unwrap_or_else(|e| panic!("could not run {chromium} (set CHROMIUM): {e}"));
            assert!(status.success(), "{chromium} failed on {name}");
            let bytes = std::fs::read(&pdf).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            // Page objects: `/Type /Page`, not the `/Pages` tree.
            let pages = text
                .match_indices("/Type /Page")
                .chain(text.match_indices("/Type/Page"))
                .filter(|(at, m)| {
                    !text[at + m.len()..].starts_with(|c: char| c.is_ascii_alphabetic())
                })
                .count();
            assert_eq!(pages, 1, "{name}: {} pages", pages);
        }
    }
}
