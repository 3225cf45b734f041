//! Host profiles (issue 19 item 5, `src/profile.rs`): the expectations are the words —
//! items a profile does not require still show but do not lower the level; purpose and profile
//! change the order of the next steps (the steps for required items first, the others after,
//! marked optional); the recency window moves `imaging-not-recent`; an extra item shows its own
//! texts in both languages and gets a step until the patient ticks it; the slips follow the
//! items required and the reviewers' languages; a bad profile is a clear error; the report
//! names the profile; the CLI takes `--profile FILE`.
//!
//! The case is `case-cd-ct` of `../shared/corpus`: one CT study whose Study Date (0008,0020)
//! in the files' headers is 2001-01-01 (read with a hex viewer, not by this tool).

use std::path::{Path, PathBuf};
use std::process::Command;

use record_precheck::case::FindingCode;
use record_precheck::codes::{Department, ItemId, Level, Purpose, Status, StepId};
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

/// What each next step is for, as its text says (src/text/en.rs `step.*`): the checklist items
/// it gathers. Written here from the step texts, apart from the code's own table.
fn step_is_for(step: StepId) -> &'static [ItemId] {
    use ItemId as I;
    use StepId::*;
    match step {
        RemoveOtherPatientFiles | AddExtraItem => &[],
        OpenCloudFilm
        | RequestImagingDicom
        | RequestCompleteSeries
        | RequestOriginalSeries
        | RequestLosslessCopy
        | RecopyTruncatedFiles
        | CopyWholeCd
        | RequestThinSlices
        | AddRecentImaging
        | RequestEarlierImaging
        | RequestImagesOfReport
        | RequestUltrasoundImages => &[I::ImagingDicom],
        RequestPathologySlides | FollowUpSlidesRequest | AskForRecutSlidesOrBlocks => {
            &[I::PathologySlides]
        }
        RequestRadiologyReport | RequestReportOfImages => &[I::RadiologyReport],
        RequestPathologyLabReports => &[I::PathologyLabReports],
        AddDiagnosisReport => &[I::DiagnosisReport],
        AddTreatmentHistory => &[I::TreatmentHistory],
        AddRecentBloodWork => &[I::BloodWork],
        WriteTimeline => &[I::Timeline],
        WriteQuestions => &[I::Questions],
        GetTranslation => &[I::Translation],
        GetWrittenOpinions => &[I::WrittenOpinions],
        GetBaselineAndLatestImaging => &[I::BaselineAndLatestImaging],
        GetTreatmentPlan => &[I::TreatmentPlan],
        // The discharge summary, the operation notes, the pathology reports.
        RequestRecordsCopy => &[
            I::DiagnosisReport,
            I::TreatmentHistory,
            I::PathologyLabReports,
        ],
    }
}

/// The step each purpose puts first (issue 19 Build 3 and README `--purpose`): a new diagnosis
/// or a rare condition the slides; surgery the plan in writing; conflicting advice both
/// opinions; not working the scans from before the treatment and the latest.
fn purpose_step(p: Purpose) -> StepId {
    match p {
        Purpose::NewDiagnosis | Purpose::RareCondition => StepId::RequestPathologySlides,
        Purpose::SurgeryProposed => StepId::GetTreatmentPlan,
        Purpose::ConflictingAdvice => StepId::GetWrittenOpinions,
        Purpose::NotWorking => StepId::GetBaselineAndLatestImaging,
    }
}

#[test]
fn purpose_and_profile_order_the_steps_required_items_first_per_purpose() {
    use strum::IntoEnumIterator;
    // Two hosts: one that reviews tissue, one that reviews imaging and what the purposes add.
    let tissue = profile(json!({
        "id": "tissue-host", "name": "Tissue",
        "required": ["pathology-slides", "pathology-lab-reports", "diagnosis-report"],
    }));
    let imaging = profile(json!({
        "id": "imaging-host", "name": "Imaging",
        "required": ["imaging-dicom", "radiology-report", "written-opinions",
                     "baseline-and-latest-imaging", "treatment-plan"],
    }));
    for purpose in Purpose::iter() {
        let plain = judged(Declarations {
            purpose: Some(purpose),
            ..Declarations::default()
        });
        let ids =
            |r: &Report| -> Vec<StepId> { r.readiness.next_steps.iter().map(|s| s.id).collect() };
        // Without a profile: nothing is optional, and the purpose's step comes first.
        assert!(plain.readiness.next_steps.iter().all(|s| !s.optional));
        assert_eq!(ids(&plain)[0], purpose_step(purpose), "{purpose}");
        for host in [&tissue, &imaging] {
            let required = |i: &ItemId| host.requires(i.as_str());
            let r = judged(Declarations {
                purpose: Some(purpose),
                ..with_profile(Some(host.clone()))
            });
            let ctx = format!("{purpose} / {}: {:?}", host.id, ids(&r));
            let steps = &r.readiness.next_steps;
            // The same steps, reordered: a profile drops none.
            let mut a = ids(&r);
            let mut b = ids(&plain);
            a.sort_by_key(|s| s.as_str());
            b.sort_by_key(|s| s.as_str());
            assert_eq!(a, b, "{ctx}");
            // Optional exactly when the host requires none of what the step is for.
            for s in steps {
                let for_items = step_is_for(s.id);
                let optional = !for_items.is_empty() && !for_items.iter().any(required);
                assert_eq!(s.optional, optional, "{ctx}: {:?}", s.id);
            }
            // The steps for required items first, the optional ones after.
            let first_optional = steps.iter().position(|s| s.optional).unwrap_or(steps.len());
            assert!(steps[first_optional..].iter().all(|s| s.optional), "{ctx}");
            assert!(
                first_optional > 0 && first_optional < steps.len(),
                "{ctx}: both kinds"
            );
            // The purpose's own step: first when the host requires its item, else among the
            // optional ones.
            let own = purpose_step(purpose);
            let at = steps.iter().position(|s| s.id == own).expect(&ctx);
            if step_is_for(own).iter().any(required) {
                assert_eq!(at, 0, "{ctx}");
            } else {
                assert!(at >= first_optional, "{ctx}");
            }
            // Within each kind, the order without a profile is kept.
            for kind in [false, true] {
                let with: Vec<StepId> = steps
                    .iter()
                    .filter(|s| s.optional == kind)
                    .map(|s| s.id)
                    .collect();
                let before: Vec<StepId> = ids(&plain)
                    .into_iter()
                    .filter(|id| with.contains(id))
                    .collect();
                assert_eq!(with, before, "{ctx}: kind optional={kind}");
            }
        }
    }
    // The slides: first for a new diagnosis at the tissue host, after every required step (and
    // marked) at the imaging host.
    let at = |host: &Profile| {
        let r = judged(Declarations {
            purpose: Some(Purpose::NewDiagnosis),
            ..with_profile(Some(host.clone()))
        });
        let s = r
            .readiness
            .next_steps
            .iter()
            .position(|s| s.id == StepId::RequestPathologySlides)
            .unwrap();
        (s, r.readiness.next_steps[s].optional)
    };
    assert_eq!(at(&tissue), (0, false));
    assert!(matches!(at(&imaging), (i, true) if i > 0));
}

#[test]
fn an_extra_item_gets_a_step_until_ticked_and_the_reports_mark_optional_steps() {
    let p = profile(json!({
        "id": "consent-host", "name": "Consent host",
        "required": ["imaging-dicom", "signed-consent"],
        "extra_items": [
            { "id": "signed-consent",
              "title": { "en": "Signed consent form", "zh": "已签署的知情同意书" },
              "description": { "en": "Signed by the patient.", "zh": "由患者签署。" } },
            { "id": "gp-letter",
              "title": { "en": "A letter from your GP", "zh": "社区医生的信" },
              "description": { "en": "If you have one.", "zh": "如有。" } },
        ],
    }));
    let r = judged(with_profile(Some(p.clone())));
    let steps = &r.readiness.next_steps;
    let extra: Vec<(usize, bool)> = steps
        .iter()
        .enumerate()
        .filter(|(_, s)| s.id == StepId::AddExtraItem)
        .map(|(i, s)| (i, s.optional))
        .collect();
    assert_eq!(extra.len(), 2, "{steps:?}");
    // The required one among the required steps, the other among the optional ones.
    let first_optional = steps.iter().position(|s| s.optional).unwrap();
    assert!(extra[0].0 < first_optional && !extra[0].1);
    assert!(extra[1].0 >= first_optional && extra[1].1);
    for (lang, title, other, mark) in [
        (
            Lang::En,
            "Signed consent form",
            "A letter from your GP",
            "(not required by this host)",
        ),
        (
            Lang::Zh,
            "已签署的知情同意书",
            "社区医生的信",
            "（此服务方不要求）",
        ),
    ] {
        for text in [html::render(&r, lang), terminal::render(&r, lang)] {
            let steps_part = text
                .split(&*record_precheck::text::t(lang, "label.checklist"))
                .next()
                .unwrap();
            assert!(
                steps_part.contains(title) && steps_part.contains(other),
                "{lang:?}"
            );
            assert!(
                steps_part.contains(mark),
                "{lang:?}: the optional steps are marked"
            );
        }
    }
    // Ticked: no step for it.
    let ticked = judged(Declarations {
        extra_items: vec!["signed-consent".into(), "gp-letter".into()],
        ..with_profile(Some(p))
    });
    assert!(ticked
        .readiness
        .next_steps
        .iter()
        .all(|s| s.id != StepId::AddExtraItem));
    // The redacted report keeps the host's texts of the step (nothing of the patient's).
    let redacted = redact::redact(&r);
    let step = redacted
        .readiness
        .next_steps
        .iter()
        .find(|s| s.id == StepId::AddExtraItem)
        .unwrap();
    assert_eq!(
        step.values["extra_item"]["title"]["en"],
        "Signed consent form"
    );
}

#[test]
fn slips_follow_the_items_required_and_the_reviewers_languages() {
    use record_precheck::report::slips;
    // case-cd-ct, cancer said: slips for the imaging department (incomplete series, thick
    // slices), the pathology department and the records office, and the laboratory.
    let cancer = |p: Option<Profile>| {
        judged(Declarations {
            cancer: record_precheck::codes::Answer::Yes,
            ..with_profile(p)
        })
    };
    let departments =
        |r: &Report| -> Vec<Department> { r.requests.iter().map(|q| q.department).collect() };
    let all = cancer(None);
    assert_eq!(
        departments(&all),
        [
            Department::Imaging,
            Department::Pathology,
            Department::Records,
            Department::Laboratory
        ]
    );
    // A host that requires the imaging and the slides only: their slips, no others.
    let r = cancer(Some(profile(json!({
        "id": "h", "name": "H", "required": ["imaging-dicom", "pathology-slides"],
    }))));
    assert_eq!(
        departments(&r),
        [Department::Imaging, Department::Pathology]
    );
    // Requiring the treatment history only: the records office's slip, for that reason only.
    let r = cancer(Some(profile(json!({
        "id": "h", "name": "H", "required": ["treatment-history"],
    }))));
    assert_eq!(departments(&r), [Department::Records]);
    assert_eq!(
        r.requests[0].reasons,
        [record_precheck::codes::RequestReason::TreatmentMissing]
    );
    // English beside the Chinese: in an English report; in a Chinese one only when the
    // reviewers read no Chinese.
    let langs = |tags: Value| {
        cancer(Some(profile(
            json!({ "id": "h", "name": "H", "reviewer_languages": tags }),
        )))
    };
    assert!(slips::english_beside(&all, Lang::En));
    assert!(
        !slips::english_beside(&all, Lang::Zh),
        "no reviewer language said: none assumed"
    );
    assert!(slips::english_beside(&langs(json!(["en"])), Lang::Zh));
    assert!(!slips::english_beside(
        &langs(json!(["en", "zh-Hans"])),
        Lang::Zh
    ));
    let html = html::render(&langs(json!(["en"])), Lang::Zh);
    assert!(
        html.contains("class=\"en\""),
        "the report's slips carry the English"
    );
}
