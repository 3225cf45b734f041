//! Host profiles (issue 19 item 5, `src/profile.rs`): the expectations are the words —
//! items a profile does not require still show but do not lower the level; the recency window
//! moves `imaging-not-recent`; an extra item shows its own texts in both languages; a bad
//! profile is a clear error; the report names the profile; the CLI takes `--profile FILE`.
//!
//! The case is `case-cd-ct` of `../shared/corpus`: one CT study whose Study Date (0008,0020)
//! in the files' headers is 2001-01-01 (read with a hex viewer, not by this tool).

use std::path::{Path, PathBuf};
use std::process::Command;

use record_precheck::case::FindingCode;
use record_precheck::codes::{ItemId, Level, Status};
use record_precheck::profile::Profile;
use record_precheck::readiness::Declarations;
use record_precheck::recognise::folder::scan_path;
use record_precheck::report::{self, html, redact, terminal, Report};
use record_precheck::text::Lang;
use record_precheck::Limits;
use serde_json::{json, Value};

fn case_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/case-cd-ct")
}

fn judged(declarations: Declarations) -> Report {
    let files = scan_path(&case_dir(), &Limits::default()).expect("the corpus case reads");
    report::build(files, declarations)
}

fn profile(value: Value) -> Profile {
    Profile::parse(&value.to_string()).unwrap_or_else(|e| panic!("{e}"))
}

fn with_profile(p: Option<Profile>) -> Declarations {
    Declarations {
        profile: p,
        ..Declarations::default()
    }
}

#[test]
fn items_a_profile_does_not_require_show_but_do_not_lower_the_level() {
    // Without a profile this case has gaps: no diagnosis report, no radiology report, the
    // series incomplete, no timeline.
    let plain = judged(Declarations::default());
    assert_eq!(plain.readiness.level, Level::ReviewableWithGaps);
    assert!(plain.readiness.items.iter().all(|i| !i.optional));
    assert!(plain.profile.is_none());

    // A host that requires only the questions and the translation: the other items stay in the
    // checklist, marked optional, and no longer lower the level.
    let light = profile(json!({
        "id": "light-host",
        "name": "Light host",
        "required": ["questions", "translation"],
    }));
    let r = judged(with_profile(Some(light)));
    assert_eq!(r.readiness.items.len(), plain.readiness.items.len());
    for item in &r.readiness.items {
        let required = matches!(item.id, ItemId::Questions | ItemId::Translation);
        assert_eq!(item.optional, !required, "{:?}", item.id);
    }
    assert_eq!(r.readiness.level, Level::Ready);
    assert_eq!(
        r.profile.as_ref().map(|p| (p.id.as_str(), p.name.as_str())),
        Some(("light-host", "Light host"))
    );

    // Requiring the diagnosis report, which this case lacks, keeps the gap.
    let strict = profile(json!({
        "id": "strict-host", "name": "Strict", "required": ["diagnosis-report"],
    }));
    let r = judged(with_profile(Some(strict)));
    assert_eq!(r.readiness.level, Level::ReviewableWithGaps);
}

#[test]
fn the_imaging_window_moves_imaging_not_recent() {
    // The review five months after the study: older than 3 months (the default), within 6.
    let at = |p: Option<Profile>| {
        let r = judged(Declarations {
            review_date: Some("2001-06-01".into()),
            ..with_profile(p)
        });
        r.findings
            .iter()
            .any(|f| f.code == FindingCode::ImagingNotRecent)
    };
    let window = |months: u32| {
        Some(profile(json!({
            "id": "window", "name": "Window", "recent_months": { "imaging": months },
        })))
    };
    assert!(at(None), "5 months is not recent by the default 3");
    assert!(!at(window(6)), "5 months is recent within 6");
    assert!(at(window(4)), "5 months is not recent within 4");
}

#[test]
fn an_extra_item_shows_its_texts_in_both_languages_and_counts_when_required() {
    let with_extra = |required: Value| {
        profile(json!({
            "id": "consent-host",
            "name": "Consent host",
            "required": required,
            "extra_items": [{
                "id": "signed-consent",
                "title": { "en": "Signed consent form", "zh": "已签署的知情同意书" },
                "description": {
                    "en": "The host's consent form, signed by the patient.",
                    "zh": "由患者签署的本服务知情同意书。"
                },
            }],
        }))
    };
    let p = with_extra(json!(["questions", "signed-consent"]));
    let r = judged(with_profile(Some(p.clone())));
    let extra = &r.readiness.extra_items;
    assert_eq!(extra.len(), 1);
    assert_eq!(extra[0].status, Status::Missing);
    assert!(extra[0].required);
    // Missing and required: a gap, although every required checklist item is fine.
    assert_eq!(r.readiness.level, Level::ReviewableWithGaps);
    for (lang, title, description, judged_by) in [
        (
            Lang::En,
            "Signed consent form",
            "signed by the patient",
            "Consent host (consent-host)",
        ),
        (
            Lang::Zh,
            "已签署的知情同意书",
            "由患者签署",
            "Consent host（consent-host）",
        ),
    ] {
        for text in [html::render(&r, lang), terminal::render(&r, lang)] {
            assert!(text.contains(title), "{lang:?}: {title}");
            assert!(text.contains(description), "{lang:?}: {description}");
            assert!(text.contains(judged_by), "{lang:?}: {judged_by}");
        }
    }

    // Ticked by the patient: declared, and the level is no longer held back by it.
    let ticked = judged(Declarations {
        extra_items: vec!["signed-consent".into()],
        ..with_profile(Some(p))
    });
    assert_eq!(ticked.readiness.extra_items[0].status, Status::Declared);
    assert_eq!(ticked.readiness.level, Level::Ready);

    // Not required: shown, never a gap.
    let optional = judged(with_profile(Some(with_extra(json!(["questions"])))));
    assert!(!optional.readiness.extra_items[0].required);
    assert_eq!(optional.readiness.level, Level::Ready);

    // The redacted report (what a host sees before consent) keeps which profile judged it.
    let redacted = redact::redact(&r);
    assert_eq!(redacted.profile, r.profile);
}

#[test]
fn bad_profiles_are_refused_with_a_message_naming_the_problem() {
    let base = json!({ "id": "host", "name": "Host" });
    let with = |key: &str, value: Value| {
        let mut p = base.clone();
        p[key] = value;
        p.to_string()
    };
    let extra = |item: Value| with("extra_items", json!([item]));
    let texts = json!({ "en": "A", "zh": "甲" });
    let cases = [
        (
            with("required", json!(["imaging-dicom", "x-rays"])),
            "\"x-rays\"",
        ),
        (
            with("recent_months", json!({ "imaging": 0 })),
            "recent_months.imaging",
        ),
        (
            with("recent_months", json!({ "labs": 121 })),
            "recent_months.labs",
        ),
        (
            with("reviewer_languages", json!(["english!"])),
            "\"english!\"",
        ),
        (with("colour", json!("green")), "unknown field `colour`"),
        (with("id", json!("Has Spaces")), "\"Has Spaces\""),
        (with("name", json!("  ")), "name is missing or empty"),
        (
            extra(json!({ "id": "form", "title": { "en": "Form" }, "description": texts })),
            "missing field `zh`",
        ),
        (
            extra(
                json!({ "id": "form", "title": { "en": "Form", "zh": "" }, "description": texts }),
            ),
            "\"form\"'s title.zh is missing or empty",
        ),
        (
            extra(json!({ "id": "timeline", "title": texts, "description": texts })),
            "the id of a checklist item",
        ),
        ("{".to_string(), "not valid"),
        (
            format!("{{\"id\":\"host\",\"name\":\"{}\"}}", "x".repeat(40_000)),
            "byte limit",
        ),
    ];
    for (text, expected) in cases {
        match Profile::parse(&text) {
            Ok(_) => panic!("accepted: {}", &text[..text.len().min(200)]),
            Err(e) => assert!(e.contains(expected), "{e:?} should name {expected:?}"),
        }
    }
    // The well-formed base is accepted (the refusals above are for what was changed).
    assert!(Profile::parse(&base.to_string()).is_ok());
}

#[test]
fn the_reviewers_languages_decide_what_needs_translating() {
    // A reviewer who reads Chinese needs no translation of a Chinese report; an English one
    // does. The document is a corpus-records report whose label says it is in Chinese.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus-records");
    let labels: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("labels.json")).expect("corpus-records labels"),
    )
    .unwrap();
    let chinese = labels
        .as_array()
        .into_iter()
        .flatten()
        .find(|l| {
            l["document"]["language"]
                .as_str()
                .is_some_and(|x| x.starts_with("zh"))
                && l["path"].as_str().is_some_and(|p| p.ends_with(".pdf"))
        })
        .and_then(|l| l["path"].as_str())
        .expect("a Chinese PDF in the labels");
    let files = scan_path(&dir.join(chinese), &Limits::default()).unwrap();
    let translation = |languages: Value| {
        let p = profile(json!({ "id": "l", "name": "L", "reviewer_languages": languages }));
        let r = report::build(files.clone(), with_profile(Some(p)));
        let item = r
            .readiness
            .items
            .iter()
            .find(|i| i.id == ItemId::Translation)
            .cloned();
        item.unwrap().status
    };
    assert_eq!(translation(json!(["en"])), Status::Missing);
    assert_eq!(translation(json!(["en", "zh-Hans"])), Status::NotNeeded);
}

#[test]
fn the_cli_takes_a_profile_on_scan_and_bundle() {
    let dir = std::env::temp_dir().join(format!("profiles-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.json");
    std::fs::write(
        &good,
        json!({ "id": "cli-host", "name": "CLI host", "required": ["questions"] }).to_string(),
    )
    .unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        json!({ "id": "cli-host", "name": "CLI host", "required": ["x"] }).to_string(),
    )
    .unwrap();
    let exe = env!("CARGO_BIN_EXE_record-precheck");
    let case = case_dir();

    let out = Command::new(exe)
        .args(["scan", "--json", "--profile"])
        .arg(&good)
        .arg(&case)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        r["profile"],
        json!({ "id": "cli-host", "name": "CLI host" })
    );
    assert_eq!(r["readiness"]["level"], "ready");

    let text = Command::new(exe)
        .args(["scan", "--profile"])
        .arg(&good)
        .arg(&case)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("CLI host (cli-host)"));

    let refused = Command::new(exe)
        .args(["scan", "--profile"])
        .arg(&bad)
        .arg(&case)
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("could not use the profile") && stderr.contains("\"x\""),
        "{stderr}"
    );

    let zip = dir.join("case.zip");
    let out = Command::new(exe)
        .args(["bundle", "-o"])
        .arg(&zip)
        .arg("--profile")
        .arg(&good)
        .arg(&case)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap();
    let mut json_text = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("report.json").unwrap(), &mut json_text)
        .unwrap();
    let r: Value = serde_json::from_str(&json_text).unwrap();
    assert_eq!(r["profile"]["id"], "cli-host");
    std::fs::remove_dir_all(&dir).ok();
}
