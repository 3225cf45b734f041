//! Every corpus case's outputs, compared byte for byte with `tests/snapshots/`: the report JSON,
//! the terminal text, the HTML report and the bundle's README.txt, timeline.md and questions.md,
//! in English and Chinese, with no declarations and with a full set. The files were written by
//! the code before the crate was rearranged into layers (issue 13), so a refactor that changes
//! any output fails here; those of the cases with PDFs were written again, reviewed, when the
//! scan began to read documents' text (issue 14). A deliberate change of output rewrites them:
//! `UPDATE_SNAPSHOTS=1 cargo test --test snapshots`, and the diff is reviewed like code.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use record_precheck::bundle::{Plan, PlanOptions};
use record_precheck::readiness::{Answer, Category, Declarations, Purpose, Slides, Translation};
use record_precheck::recognise::folder::scan_path;
use record_precheck::report::{self, html, terminal};
use record_precheck::text::Lang;
use record_precheck::{FileKind, Limits};

/// The folders of the shared corpora that hold one case each.
fn cases() -> Vec<(String, PathBuf)> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let mut cases = Vec::new();
    for corpus in ["corpus", "corpus-identity", "corpus-records"] {
        let dir = shared.join(corpus);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("the corpus {} is missing: {e}", dir.display()))
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| n.starts_with("case-"))
            .collect();
        names.sort();
        for name in names {
            cases.push((format!("{corpus}--{name}"), dir.join(&name)));
        }
    }
    // The pixel corpus is one folder of single files: one case.
    cases.push(("corpus-pixels".to_string(), shared.join("corpus-pixels")));
    cases
}

/// A full set of declarations: every answer given, the first document tagged, a timeline with
/// text that needs escaping, and two questions.
fn declared(files: &[record_precheck::FileEntry]) -> Declarations {
    let mut document_categories = BTreeMap::new();
    if let Some(doc) = record_precheck::case::flatten(files)
        .into_iter()
        .find(|f| f.kind == FileKind::Document)
    {
        document_categories.insert(doc.path.clone(), Category::PathologyReport);
    }
    Declarations {
        cancer: Answer::Yes,
        slides: Some(Slides::Requested),
        treatment_history: true,
        translation: Some(Translation::Have),
        document_categories,
        reviewer_language: None,
        timeline: "2024-03 <b>surgery</b> & chemo\n2024-06 复查 CT".to_string(),
        questions: vec![
            "Is the \"nodule\" <new>?".to_string(),
            "是否需要再次活检？".to_string(),
        ],
        identity: Default::default(),
        review_date: None,
        purpose: Some(Purpose::NotWorking),
        profile: None,
        extra_items: Vec::new(),
    }
}

/// All outputs of one case and one set of declarations, in one text.
fn outputs(
    dir: &Path,
    declarations: Option<fn(&[record_precheck::FileEntry]) -> Declarations>,
) -> String {
    let files = scan_path(dir, &Limits::default()).expect("the case folder reads");
    let declarations = declarations.map(|d| d(&files)).unwrap_or_default();
    let report = report::build(files, declarations);
    let mut out = String::new();
    let mut section = |name: &str, body: &str| {
        out.push_str(&format!("===== {name} =====\n{body}\n"));
    };
    section(
        "report.json",
        &serde_json::to_string_pretty(&report).unwrap(),
    );
    for lang in [Lang::En, Lang::Zh] {
        let tag = lang.tag();
        section(&format!("terminal {tag}"), &terminal::render(&report, lang));
        section(&format!("report.html {tag}"), &html::render(&report, lang));
        let options = PlanOptions {
            lang,
            created: Some("2026-01-02T03:04:05Z".to_string()),
            deidentify: None,
            ..PlanOptions::default()
        };
        let plan = Plan::build(&report, &options);
        for generated in &plan.generated {
            if ["README.txt", "timeline.md", "questions.md"].contains(&generated.name.as_str()) {
                let body = String::from_utf8_lossy(&generated.bytes);
                section(&format!("{} {tag}", generated.name), &body);
            }
        }
    }
    out
}

#[test]
fn every_output_of_every_corpus_case_is_unchanged() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let store = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut changed = Vec::new();
    let mut compared = 0;
    for (name, dir) in cases() {
        for (variant, declarations) in [
            ("default", None),
            ("declared", Some(declared as fn(&[_]) -> Declarations)),
        ] {
            let actual = outputs(&dir, declarations);
            let file = store.join(format!("{name}--{variant}.txt"));
            if update {
                std::fs::create_dir_all(&store).unwrap();
                std::fs::write(&file, &actual).unwrap();
                continue;
            }
            let expected = std::fs::read_to_string(&file).unwrap_or_else(|e| {
                panic!("{}: {e} (UPDATE_SNAPSHOTS=1 writes it)", file.display())
            });
            compared += 1;
            if expected != actual {
                let line = expected
                    .lines()
                    .zip(actual.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
                changed.push(format!(
                    "{}: first difference at line {}:\n  was: {:?}\n  now: {:?}",
                    file.display(),
                    line + 1,
                    expected.lines().nth(line).unwrap_or("<end>"),
                    actual.lines().nth(line).unwrap_or("<end>"),
                ));
            }
        }
    }
    assert!(
        changed.is_empty(),
        "outputs changed:\n{}",
        changed.join("\n")
    );
    assert!(
        update || compared >= 2 * 15,
        "only {compared} snapshots compared"
    );
}
