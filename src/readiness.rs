//! The second-opinion readiness checklist: what the files and the patient's declarations show
//! for each of the ten items of PRODUCT.md, how much each gap limits a review, the overall level,
//! and what to do next, ordered by impact and lead time. Owns [`Declarations`], [`Readiness`] and
//! [`judge`]. States what a reviewer will be able to look at; never medical advice.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Months, NaiveDate};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::case::{flatten, record_date as date, value_map, Case, FindingCode, Severity};
pub use crate::codes::{
    Answer, Category, Declared, Evidence, Impact, ItemId, Level, Purpose, ReviewFit, Slides,
    Status, StepId, Translation,
};
use crate::dicom::DicomClass;
use crate::entry::{FileEntry, FileKind};
use crate::picture::{may_show_imaging, Subject};

/// What the patient tells the tool beside the files. Every field is optional in JSON.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Declarations {
    pub cancer: Answer,
    pub slides: Option<Slides>,
    /// The patient says the timeline or a document lists treatments with dates, drugs and doses.
    pub treatment_history: bool,
    pub translation: Option<Translation>,
    /// The patient's category per document path (as in `files[].path`).
    #[cfg_attr(test, ts(type = "Record<string, Category>"))]
    pub document_categories: BTreeMap<String, Category>,
    /// The language the reviewer reads (BCP-47: `en`, `zh-Hans`…); English when not said.
    pub reviewer_language: Option<String>,
    /// The one-page disease timeline, as written.
    pub timeline: String,
    /// The questions for the reviewer, as written.
    pub questions: Vec<String>,
    /// Who is in these files: people merged or left out on the patient's word.
    pub identity: crate::case::IdentityDeclarations,
    /// The date the patient gives for the review (`YYYY-MM-DD`, e.g. today or the appointment):
    /// imaging more than 3 months older than it is not recent (`imaging-not-recent`).
    pub review_date: Option<String>,
    /// Why the patient seeks a second opinion: orders the next steps and adds the items that
    /// purpose needs.
    pub purpose: Option<Purpose>,
    /// The host's profile ([`crate::profile`]): set by the host (`--profile`, the element's
    /// `profile` attribute), not by the patient.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<crate::profile::Profile>,
    /// The ids of the profile's extra items the patient ticked as in hand.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_items: Vec<String>,
}

/// One checklist item. `evidence` lists file paths or `declared:…` entries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(rename = "ChecklistItem"))]
pub struct Item {
    pub id: ItemId,
    pub status: Status,
    /// File paths, or `declared:…` entries (`evidenceText` words them).
    #[serde(default)]
    #[cfg_attr(test, ts(type = "string[]"))]
    pub evidence: Vec<Evidence>,
    #[serde(default)]
    pub impact: Impact,
    /// Facts for the sentence the report writes (counts, what is missing).
    #[serde(default)]
    #[cfg_attr(test, ts(type = "Record<string, unknown>"))]
    pub values: BTreeMap<String, Value>,
    /// The host's profile does not require it: shown, but it does not lower the level.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
}

/// An extra item of the host's profile, with its texts: `declared` when the patient ticked
/// it, else `missing`; never judged from the files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ExtraItem {
    pub id: String,
    pub title: crate::profile::Bilingual,
    pub description: crate::profile::Bilingual,
    pub status: Status,
    /// The profile requires it: missing, it lowers the level.
    pub required: bool,
}

/// One thing to do, most important first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct NextStep {
    pub id: StepId,
    #[serde(default)]
    #[cfg_attr(test, ts(type = "Record<string, unknown>"))]
    pub values: BTreeMap<String, Value>,
    /// The host's profile requires none of the items this step is for: it comes after the
    /// steps for required items.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
}

/// The checklist result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Readiness {
    pub level: Level,
    pub items: Vec<Item>,
    pub next_steps: Vec<NextStep>,
    pub review_fit: ReviewFit,
    /// The category each document ends up with (the patient's choice, else the suggestion).
    #[cfg_attr(test, ts(type = "Record<string, Category>"))]
    pub document_categories: BTreeMap<String, Category>,
    /// The host profile's own items (none without a profile).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_items: Vec<ExtraItem>,
}

/// Suggests a category from a file name, in English and Chinese.
pub fn suggest_category(path: &str) -> Option<Category> {
    let name = path
        .rsplit(['/', '!'])
        .next()
        .unwrap_or(path)
        .to_lowercase();
    let tokens: Vec<&str> = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    // Chinese words match anywhere; English ones match the start of a word, and short ones
    // ("ct", "lab") only a whole word, so that "doctor" is not a CT report.
    let has = |words: &[&str]| {
        words.iter().any(|w| {
            if !w.is_ascii() {
                name.contains(w)
            } else if w.len() <= 4 {
                tokens.iter().any(|t| {
                    t == w
                        || (t.len() > w.len()
                            && t.starts_with(w)
                            && t[w.len()..].chars().all(|c| c.is_ascii_digit()))
                })
            } else {
                tokens.iter().any(|t| t.starts_with(w))
            }
        })
    };
    if has(&[
        "patholog",
        "biopsy",
        "histolog",
        "cytolog",
        "病理",
        "活检",
        "穿刺",
        "免疫组化",
    ]) {
        Some(Category::PathologyReport)
    } else if has(&["discharge", "出院"]) {
        Some(Category::DischargeSummary)
    } else if has(&[
        "lab",
        "labs",
        "laboratory",
        "blood",
        "marker",
        "cbc",
        "检验",
        "化验",
        "血常规",
        "肿瘤标志",
        "生化",
    ]) {
        Some(Category::LabResults)
    } else if has(&[
        "chemo",
        "treatment",
        "medication",
        "prescription",
        "regimen",
        "化疗",
        "治疗",
        "用药",
        "处方",
        "放疗",
    ]) {
        Some(Category::TreatmentHistory)
    } else if has(&[
        "radiolog",
        "imaging",
        "ct",
        "mri",
        "pet",
        "ultrasound",
        "x-ray",
        "xray",
        "影像",
        "放射",
        "超声",
        "彩超",
        "核磁",
        "报告单",
    ]) {
        Some(Category::RadiologyReport)
    } else if has(&[
        "diagnos", "referral", "consult", "summary", "诊断", "转诊", "会诊", "病历", "门诊",
    ]) {
        Some(Category::DiagnosisReport)
    } else {
        None
    }
}

/// The files of another person (a `multiple-patients` finding's) and of the people the patient
/// said are not them: they count for no item and go on no request slip.
pub fn others_files(case: &Case) -> BTreeSet<&str> {
    let excluded = crate::case::excluded_files(&case.patients, &case.studies);
    case.findings
        .iter()
        .filter(|f| f.code == FindingCode::MultiplePatients)
        .flat_map(|f| f.files.iter().map(String::as_str))
        .chain(excluded.keys().copied())
        .collect()
}

/// Paths as evidence.
fn as_evidence(paths: &[String]) -> Vec<Evidence> {
    paths.iter().cloned().map(Evidence::File).collect()
}

/// A photo or screenshot of a document (a paper report, an app's page of results): listed with the
/// documents, with a category the patient can choose (its text is not read without OCR).
fn is_document_picture(e: &FileEntry) -> bool {
    matches!(e.kind, FileKind::Photo | FileKind::Screenshot)
        && e.picture
            .as_ref()
            .is_some_and(|p| p.subject == Subject::Document)
}

/// The documents among the files: PDFs and other documents, and reports held in DICOM; a text
/// file only when its words say what record it is (a CD's readme is not a record).
fn documents<'a>(all: &[&'a FileEntry]) -> Vec<&'a FileEntry> {
    all.iter()
        .copied()
        .filter(|e| {
            let says_what = e
                .document
                .as_ref()
                .is_some_and(|d| d.facts.category.is_some());
            let plain = matches!(e.reason.as_str(), "plain text" | "XML text" | "HTML page");
            matches!(e.kind, FileKind::Pdf | FileKind::Document) && (!plain || says_what)
                || is_document_picture(e)
                || e.dicom.as_ref().is_some_and(|d| {
                    e.kind == FileKind::Dicom
                        && matches!(
                            d.class,
                            Some(DicomClass::EncapsulatedPdf | DicomClass::StructuredReport)
                        )
                })
        })
        .collect()
}

/// Each document's category: the patient's tag wins; then what the text says; the file name
/// only without text.
fn categorise(documents: &[&FileEntry], decl: &Declarations) -> BTreeMap<String, Category> {
    let mut categories = BTreeMap::new();
    for d in documents {
        let chosen = decl.document_categories.get(&d.path).copied();
        let is_sr = d
            .dicom
            .as_ref()
            .is_some_and(|x| x.class == Some(DicomClass::StructuredReport));
        let from_text = d.document.as_ref().and_then(|x| x.facts.category);
        let suggested = suggest_category(&d.path).or(is_sr.then_some(Category::RadiologyReport));
        categories.insert(
            d.path.clone(),
            chosen
                .or(from_text)
                .or(suggested)
                .unwrap_or(Category::Other),
        );
    }
    categories
}

/// The category of each document among `all` (every entry, zip members included), as the
/// checklist decides it.
pub fn document_categories(all: &[&FileEntry], decl: &Declarations) -> BTreeMap<String, Category> {
    categorise(&documents(all), decl)
}

/// Judges the case against the checklist.
pub fn judge(files: &[FileEntry], case: &Case, decl: &Declarations) -> Readiness {
    let all = flatten(files);
    let documents = documents(&all);
    let categories = categorise(&documents, decl);
    // Another person's files are not this patient's records: they count for no item (the
    // first next step says to take them out), nor do those of a person the patient said is
    // not them.
    let others = others_files(case);
    let documents: Vec<&FileEntry> = documents
        .into_iter()
        .filter(|d| !others.contains(d.path.as_str()))
        .collect();
    let with = |cats: &[Category]| -> Vec<String> {
        categories
            .iter()
            .filter(|(p, c)| cats.contains(c) && !others.contains(p.as_str()))
            .map(|(p, _)| p.clone())
            .collect()
    };
    let has_finding = |code: FindingCode| case.findings.iter().any(|f| f.code == code);

    let mut items = Vec::new();
    let mut item = |id, status, evidence: Vec<Evidence>, impact, values: Value| {
        let values = value_map(values);
        items.push(Item {
            id,
            status,
            evidence,
            impact,
            values,
            optional: false,
        });
    };

    // 1. Written diagnosis report(s).
    let diagnosis = with(&[Category::DiagnosisReport, Category::DischargeSummary]);
    let uncategorised = with(&[Category::Other]);
    let (status, impact) = match (diagnosis.is_empty(), uncategorised.is_empty()) {
        (false, _) => (Status::Present, Impact::None),
        (true, false) => (Status::Partial, Impact::Medium),
        (true, true) => (Status::Missing, Impact::High),
    };
    item(
        ItemId::DiagnosisReport,
        status,
        if diagnosis.is_empty() {
            as_evidence(&uncategorised)
        } else {
            as_evidence(&diagnosis)
        },
        impact,
        json!({ "uncategorised": uncategorised.len() }),
    );

    // 2. Imaging as DICOM files.
    let original_series: Vec<&crate::case::Series> = case
        .studies
        .iter()
        .filter(|s| !case.patients.get(s.patient).is_some_and(|p| p.excluded))
        .flat_map(|s| s.series.iter())
        .filter(|s| matches!(s.class, Some(DicomClass::Image | DicomClass::WholeSlide)))
        .collect();
    let image_files: Vec<String> = original_series
        .iter()
        .flat_map(|s| s.files.clone())
        .collect();
    let imaging_gaps: Vec<FindingCode> = [
        FindingCode::SeriesIncomplete,
        FindingCode::LocalizerOnly,
        FindingCode::DerivedOnly,
        FindingCode::LossyOnly,
        FindingCode::TruncatedFile,
        FindingCode::ThickSlicesOnly,
    ]
    .into_iter()
    .filter(|c| has_finding(*c))
    .collect();
    let pictures = all
        .iter()
        .filter(|e| {
            matches!(e.kind, FileKind::Photo | FileKind::Screenshot)
                && may_show_imaging(e.picture.as_ref())
        })
        .count();
    let imaging_status = if original_series.is_empty() {
        Status::Missing
    } else if imaging_gaps.is_empty() {
        Status::Present
    } else {
        Status::Partial
    };
    let imaging_impact = match imaging_status {
        Status::Missing => Impact::High,
        Status::Partial => Impact::Medium,
        _ => Impact::None,
    };
    item(
        ItemId::ImagingDicom,
        imaging_status,
        as_evidence(&image_files),
        imaging_impact,
        json!({
            "studies": case
                .studies
                .iter()
                .filter(|s| s.image_count > 0)
                .filter(|s| !case.patients.get(s.patient).is_some_and(|p| p.excluded))
                .count(),
            "series": original_series.len(),
            "images": image_files.len(),
            "gaps": imaging_gaps,
            "pictures_only": pictures,
        }),
    );

    // 3. Radiology reports for that imaging.
    let radiology = with(&[Category::RadiologyReport]);
    let (status, impact) = match (radiology.is_empty(), original_series.is_empty()) {
        (false, _) => (Status::Present, Impact::None),
        (true, false) => (Status::Missing, Impact::Medium),
        (true, true) => (Status::Missing, Impact::Low),
    };
    item(
        ItemId::RadiologyReport,
        status,
        as_evidence(&radiology),
        impact,
        json!({}),
    );

    // 4. Pathology slides (cancer): lent by the hospital (借片); blocks generally are not.
    let slide_files: Vec<String> = all
        .iter()
        .filter(|e| {
            e.kind == FileKind::Slide
                || e.dicom
                    .as_ref()
                    .is_some_and(|d| d.class == Some(DicomClass::WholeSlide))
        })
        .map(|e| e.path.clone())
        .collect();
    let (status, evidence, impact) = match (decl.cancer, decl.slides, slide_files.is_empty()) {
        (_, _, false) => (Status::Present, as_evidence(&slide_files), Impact::None),
        (_, Some(Slides::Have), true) => (
            Status::Declared,
            vec![Evidence::Declared(Declared::SlidesHave)],
            Impact::None,
        ),
        (Answer::No, _, true) => (
            Status::NotNeeded,
            vec![Evidence::Declared(Declared::NotCancer)],
            Impact::None,
        ),
        (Answer::Yes, Some(Slides::Requested), true) => (
            Status::Missing,
            vec![Evidence::Declared(Declared::SlidesRequested)],
            Impact::High,
        ),
        (Answer::Yes, _, true) => (
            Status::Missing,
            decl.slides
                .map(|_| Evidence::Declared(Declared::SlidesNotAvailable))
                .into_iter()
                .collect(),
            Impact::High,
        ),
        (Answer::Unsure, _, true) => (Status::Missing, Vec::new(), Impact::Medium),
    };
    item(
        ItemId::PathologySlides,
        status,
        evidence,
        impact,
        json!({ "cancer": decl.cancer, "slides": decl.slides }),
    );

    // 5. Pathology and lab reports.
    // Genetic and molecular testing is part of the pathology work-up.
    let pathology = with(&[Category::PathologyReport, Category::GeneticReport]);
    let labs = with(&[Category::LabResults]);
    let mut both = pathology.clone();
    both.extend(labs.iter().cloned());
    let (status, impact) = match (pathology.is_empty(), labs.is_empty(), decl.cancer) {
        (false, false, _) => (Status::Present, Impact::None),
        (true, true, Answer::Yes) => (Status::Missing, Impact::High),
        (true, true, _) => (Status::Missing, Impact::Medium),
        (true, false, Answer::Yes) => (Status::Partial, Impact::High),
        _ => (Status::Partial, Impact::Low),
    };
    item(
        ItemId::PathologyLabReports,
        status,
        as_evidence(&both),
        impact,
        json!({ "pathology": pathology.len(), "lab": labs.len() }),
    );

    // 6. Treatment history with dates, drugs and doses.
    let treatment = with(&[
        Category::TreatmentHistory,
        Category::DischargeSummary,
        Category::OperationNote,
    ]);
    let (status, evidence, impact) = if !treatment.is_empty() {
        (Status::Present, as_evidence(&treatment), Impact::None)
    } else if decl.treatment_history {
        (
            Status::Declared,
            vec![Evidence::Declared(Declared::TreatmentHistory)],
            Impact::None,
        )
    } else {
        (
            Status::Missing,
            Vec::new(),
            if decl.cancer == Answer::Yes {
                Impact::Medium
            } else {
                Impact::Low
            },
        )
    };
    item(
        ItemId::TreatmentHistory,
        status,
        evidence,
        impact,
        json!({}),
    );

    // 7. Recent blood work and tumour markers.
    let facts_of = |path: &str| {
        documents
            .iter()
            .find(|d| d.path == path)
            .and_then(|d| d.document.as_ref())
            .map(|d| &d.facts)
    };
    let newest_lab = labs
        .iter()
        .filter_map(|p| facts_of(p))
        .flat_map(|f| f.dates.iter().filter_map(|d| date(d)))
        .max();
    let record_dates = documents
        .iter()
        .filter_map(|d| d.document.as_ref())
        .flat_map(|d| d.facts.dates.iter().filter_map(|x| date(x)));
    let study_dates = case
        .studies
        .iter()
        .filter(|s| {
            !s.series
                .iter()
                .flat_map(|x| &x.files)
                .any(|f| others.contains(f.as_str()))
        })
        .filter_map(|s| s.date.as_deref().and_then(date));
    let newest_record = record_dates.chain(study_dates).max();
    // Every marker any of the patient's documents measured, in order of first appearance. The
    // names are canonical ones from a fixed table, so the list is short whatever the input.
    let mut markers: Vec<&str> = Vec::new();
    for d in documents.iter().filter_map(|d| d.document.as_ref()) {
        for m in &d.facts.tumour_markers {
            if !markers.contains(&m.as_str()) {
                markers.push(m);
            }
        }
    }
    let lab_impact = if decl.cancer == Answer::Yes {
        Impact::Medium
    } else {
        Impact::Low
    };
    // Recent: no more than 3 months (or the profile's window) before the newest record (a
    // document's or a study's date).
    let lab_months = decl
        .profile
        .as_ref()
        .map_or(crate::profile::DEFAULT_RECENT_MONTHS, |p| {
            p.recent_months.labs
        });
    let recent_from = newest_record.and_then(|d| d.checked_sub_months(Months::new(lab_months)));
    let (status, impact) = match (labs.is_empty(), newest_lab, recent_from) {
        (true, _, _) => (Status::Missing, lab_impact),
        (false, Some(lab), Some(from)) if lab >= from => (Status::Present, Impact::None),
        (false, Some(_), _) => (Status::Partial, lab_impact),
        // Undated (or not read yet): not known to be old, so it counts as a small gap.
        (false, None, _) => (Status::Partial, Impact::Low),
    };
    let iso = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    item(
        ItemId::BloodWork,
        status,
        as_evidence(&labs),
        impact,
        json!({
            "lab": labs.len(),
            "newest": iso(newest_lab),
            "newest_record": iso(newest_record),
            "months_older": newest_lab.zip(newest_record).map(|(l, r)| months_between(l, r)),
            "markers": markers,
            "recent_months": lab_months,
        }),
    );

    // 8. One-page disease timeline: dates and treatments, not a length.
    let timeline_chars = decl.timeline.trim().chars().count();
    let facts = crate::notes::timeline_facts(&decl.timeline);
    let status = match timeline_chars {
        0 => Status::Missing,
        _ if facts.dates >= crate::notes::TIMELINE_DATES && facts.treatment => Status::Present,
        _ => Status::Partial,
    };
    let evidence = if timeline_chars > 0 {
        vec![Evidence::Declared(Declared::Timeline)]
    } else {
        Vec::new()
    };
    item(
        ItemId::Timeline,
        status,
        evidence,
        if status == Status::Present {
            Impact::None
        } else {
            Impact::Medium
        },
        json!({
            "characters": timeline_chars,
            "dates_found": facts.dates,
            "treatment": facts.treatment,
            "dates_needed": crate::notes::TIMELINE_DATES,
        }),
    );

    // 9. Three to five specific questions: each names something (a finding, a drug, an
    // option, a body part, a number).
    let asked: Vec<&str> = decl
        .questions
        .iter()
        .map(|q| q.trim())
        .filter(|q| crate::notes::is_question(q))
        .collect();
    let questions: Vec<&str> = asked
        .iter()
        .copied()
        .filter(|q| crate::notes::names_something(q))
        .collect();
    let status = match questions.len() {
        0 => Status::Missing,
        3..=5 => Status::Present,
        _ => Status::Partial,
    };
    let evidence = (0..questions.len())
        .map(|i| Evidence::Declared(Declared::Question(i + 1)))
        .collect();
    item(
        ItemId::Questions,
        status,
        evidence,
        if status == Status::Present {
            Impact::None
        } else {
            Impact::Low
        },
        json!({
            "count": questions.len(),
            "written": decl.questions.len(),
            "unspecific": asked.len() - questions.len(),
        }),
    );

    // 10. Translation or summary where needed: each document's language against the
    // reviewer's. Languages are compared by their primary tag, so a document in Traditional
    // Chinese needs no translation for a reviewer who reads Simplified Chinese (or the other way
    // round): it is the same written language in another script, which Chinese doctors read.
    // The patient's answer, else the languages of the host's reviewers, else English.
    let asked = decl.reviewer_language.as_deref().map(str::trim);
    let reviewer = asked.and_then(crate::text::primary_language);
    let host_languages: Vec<String> = decl
        .profile
        .iter()
        .flat_map(|p| p.reviewer_languages.iter())
        .filter_map(|l| crate::text::primary_language(l))
        .collect();
    let reviewer_tags: Vec<String> = match &reviewer {
        Some(tag) => vec![tag.clone()],
        None if !host_languages.is_empty() => host_languages,
        None => vec!["en".to_string()],
    };
    let reviewer_tag = reviewer_tags
        .first()
        .cloned()
        .unwrap_or_else(|| "en".to_string());
    let language_of = |d: &FileEntry| d.document.as_ref().and_then(|x| x.facts.language.clone());
    let differing: Vec<&FileEntry> = documents
        .iter()
        .copied()
        .filter(|d| {
            language_of(d)
                .and_then(|l| crate::text::primary_language(&l))
                .is_some_and(|l| !reviewer_tags.contains(&l))
        })
        .collect();
    let mut languages: Vec<String> = Vec::new();
    for l in differing.iter().filter_map(|d| language_of(d)) {
        if !languages.contains(&l) {
            languages.push(l);
        }
    }
    let unread: Vec<String> = documents
        .iter()
        .filter(|d| language_of(d).is_none())
        .map(|d| d.path.clone())
        .collect();
    let differing: Vec<String> = differing.iter().map(|d| d.path.clone()).collect();
    // Photos and screenshots are not read either: a photo of a report is a document whose
    // language is not known, so "not needed" is never said while there are any.
    let unread_pictures: Vec<String> = all
        .iter()
        .filter(|e| matches!(e.kind, FileKind::Photo | FileKind::Screenshot))
        .filter(|e| !others.contains(e.path.as_str()))
        .map(|e| e.path.clone())
        .collect();
    let (status, evidence, impact) = match decl.translation {
        Some(Translation::Have) => (
            Status::Declared,
            vec![Evidence::Declared(Declared::Translation)],
            Impact::None,
        ),
        Some(Translation::NotNeeded) => (Status::NotNeeded, Vec::new(), Impact::None),
        None if !differing.is_empty() => (Status::Missing, as_evidence(&differing), Impact::Low),
        None if unread.is_empty() && unread_pictures.is_empty() => {
            (Status::NotNeeded, Vec::new(), Impact::None)
        }
        None => {
            let mut evidence = as_evidence(&unread);
            evidence.extend(as_evidence(&unread_pictures));
            (Status::Partial, evidence, Impact::Low)
        }
    };
    item(
        ItemId::Translation,
        status,
        evidence,
        impact,
        json!({
            "documents": differing.len(),
            "languages": languages,
            "read": documents.len() - unread.len(),
            "unread": unread.len(),
            "unread_pictures": unread_pictures.len(),
            "said_not_needed": decl.translation == Some(Translation::NotNeeded),
            "reviewer_language": reviewer_tag,
            "reviewer_languages": reviewer_tags,
            // A tag that is not a language (`"reviewer_language": "??"`): English is assumed.
            "reviewer_language_not_understood": asked.filter(|_| reviewer.is_none()),
        }),
    );

    items.extend(purpose_items(decl.purpose, case, &categories, &others));
    for i in &mut items {
        i.optional = !crate::profile::required(decl.profile.as_ref(), i.id);
    }
    let extra_items = extra_items(decl);
    // The worse of the two (levels are ordered from ready to not yet reviewable).
    let level = overall_level(&items, case).max(extra_items_level(&extra_items));
    let mut steps = next_steps(&items, case, decl);
    steps.extend(extra_item_steps(&extra_items));
    let next_steps = order_steps(steps, decl.purpose, &items);
    let review_fit = match (level, &items[3].status) {
        (Level::NotYetReviewable, _) => ReviewFit::NotYet,
        (_, Status::Declared) => ReviewFit::RemoteWithPhysicalSlides,
        _ => ReviewFit::RemoteRecordReview,
    };
    Readiness {
        level,
        items,
        next_steps,
        review_fit,
        document_categories: categories,
        extra_items,
    }
}

/// The profile's extra items: declared when the patient ticked them, else missing.
fn extra_items(decl: &Declarations) -> Vec<ExtraItem> {
    let Some(profile) = &decl.profile else {
        return Vec::new();
    };
    profile
        .extra_items
        .iter()
        .map(|x| ExtraItem {
            id: x.id.clone(),
            title: x.title.clone(),
            description: x.description.clone(),
            status: if decl.extra_items.contains(&x.id) {
                Status::Declared
            } else {
                Status::Missing
            },
            required: profile.requires(&x.id),
        })
        .collect()
}

/// The best level the extra items allow: a required one missing is a gap.
fn extra_items_level(extra: &[ExtraItem]) -> Level {
    if extra
        .iter()
        .any(|x| x.required && x.status == Status::Missing)
    {
        Level::ReviewableWithGaps
    } else {
        Level::Ready
    }
}

/// Whole months from `earlier` to `later` (0 when `later` is not later).
fn months_between(earlier: NaiveDate, later: NaiveDate) -> u32 {
    let months = (later.year() - earlier.year()) * 12 + later.month() as i32
        - earlier.month() as i32
        - i32::from(later.day() < earlier.day());
    u32::try_from(months).unwrap_or(0)
}

fn item_status(items: &[Item], id: ItemId) -> Status {
    items
        .iter()
        .find(|i| i.id == id)
        .map_or(Status::Missing, |i| i.status)
}

fn overall_level(items: &[Item], case: &Case) -> Level {
    let missing = |id| item_status(items, id) == Status::Missing;
    let nothing_clinical = missing(ItemId::ImagingDicom)
        && missing(ItemId::DiagnosisReport)
        && missing(ItemId::RadiologyReport)
        && missing(ItemId::PathologyLabReports);
    let cancer_without_material = items
        .iter()
        .find(|i| i.id == ItemId::PathologySlides)
        .is_some_and(|i| !i.optional && i.status == Status::Missing && i.impact == Impact::High)
        && missing(ItemId::ImagingDicom);
    if nothing_clinical || cancer_without_material {
        return Level::NotYetReviewable;
    }
    let serious = case
        .findings
        .iter()
        .any(|f| f.severity == Severity::Serious);
    // An item the host's profile does not require is shown but lowers nothing.
    let gaps = items.iter().any(|i| {
        !i.optional
            && matches!(i.status, Status::Missing | Status::Partial)
            && i.impact >= Impact::Medium
    });
    if serious || gaps {
        Level::ReviewableWithGaps
    } else {
        Level::Ready
    }
}

/// What to do next, most important first: another person's files, then what takes longest to
/// obtain (imaging, slides), then reports, then what the patient writes.
fn next_steps(items: &[Item], case: &Case, decl: &Declarations) -> Vec<NextStep> {
    let mut steps = Vec::new();
    let mut step = |id: StepId, values: Value| {
        let values = value_map(values);
        steps.push(NextStep {
            id,
            values,
            optional: false,
        });
    };
    let finding = |code: FindingCode| case.findings.iter().find(|f| f.code == code);
    let status = |id| item_status(items, id);

    if let Some(f) = finding(FindingCode::MultiplePatients) {
        step(
            StepId::RemoveOtherPatientFiles,
            json!({ "files": f.files.len() }),
        );
    }
    // A cloud-film link the patient already holds comes before asking the hospital again.
    if let Some(f) = finding(FindingCode::CloudFilmLink) {
        if status(ItemId::ImagingDicom) != Status::Present {
            step(StepId::OpenCloudFilm, json!({ "files": f.files.len() }));
        }
    }
    match status(ItemId::ImagingDicom) {
        Status::Missing => step(
            StepId::RequestImagingDicom,
            json!({ "pictures_only": finding(FindingCode::NoOriginalImaging).is_some() }),
        ),
        Status::Partial => {
            let incomplete: Vec<&crate::case::Finding> = case
                .findings
                .iter()
                .filter(|f| f.code == FindingCode::SeriesIncomplete)
                .collect();
            if !incomplete.is_empty() {
                let files: usize = incomplete.iter().map(|f| f.files.len()).sum();
                step(
                    StepId::RequestCompleteSeries,
                    json!({ "files": files, "series": incomplete.len() }),
                );
            }
            if finding(FindingCode::LocalizerOnly).is_some()
                || finding(FindingCode::DerivedOnly).is_some()
            {
                step(StepId::RequestOriginalSeries, json!({}));
            }
            if finding(FindingCode::LossyOnly).is_some() {
                step(StepId::RequestLosslessCopy, json!({}));
            }
            if finding(FindingCode::TruncatedFile).is_some() {
                step(StepId::RecopyTruncatedFiles, json!({}));
            }
        }
        _ => {}
    }
    for (id, values) in adequacy_steps(case) {
        step(id, values);
    }
    if status(ItemId::PathologySlides) == Status::Missing && decl.cancer != Answer::No {
        match decl.slides {
            Some(Slides::Requested) => step(StepId::FollowUpSlidesRequest, json!({})),
            Some(Slides::NotAvailable) => step(StepId::AskForRecutSlidesOrBlocks, json!({})),
            _ => step(
                StepId::RequestPathologySlides,
                json!({ "cancer": decl.cancer }),
            ),
        }
    }
    if finding(FindingCode::DicomdirMissingFiles).is_some() {
        step(StepId::CopyWholeCd, json!({}));
    }
    for (id, values) in fitting_steps(items, case) {
        step(id, values);
    }
    let pending = [
        (ItemId::RadiologyReport, StepId::RequestRadiologyReport),
        (
            ItemId::PathologyLabReports,
            StepId::RequestPathologyLabReports,
        ),
        (ItemId::DiagnosisReport, StepId::AddDiagnosisReport),
        (ItemId::TreatmentHistory, StepId::AddTreatmentHistory),
        (ItemId::BloodWork, StepId::AddRecentBloodWork),
        (ItemId::Timeline, StepId::WriteTimeline),
        (ItemId::Questions, StepId::WriteQuestions),
        (ItemId::Translation, StepId::GetTranslation),
    ];
    let mut rest: Vec<(Impact, StepId)> = pending
        .iter()
        .filter_map(|(item, id)| {
            let it = items.iter().find(|i| i.id == *item)?;
            matches!(it.status, Status::Missing | Status::Partial).then_some((it.impact, *id))
        })
        .collect();
    // Highest impact first; the order above breaks ties (lead time).
    rest.sort_by_key(|r| std::cmp::Reverse(r.0));
    for (_, id) in rest {
        step(id, json!({}));
    }
    steps
}

/// The steps of the adequacy findings (`case::adequacy`), in the findings' order: thin slices,
/// recent imaging, earlier imaging to compare with, the images of a report, the report of a
/// study.
fn adequacy_steps(case: &Case) -> Vec<(StepId, Value)> {
    let steps = [
        (FindingCode::ThickSlicesOnly, StepId::RequestThinSlices),
        (FindingCode::ImagingNotRecent, StepId::AddRecentImaging),
        (FindingCode::SingleTimepoint, StepId::RequestEarlierImaging),
        (
            FindingCode::ReportWithoutImages,
            StepId::RequestImagesOfReport,
        ),
        (
            FindingCode::ImagesWithoutReport,
            StepId::RequestReportOfImages,
        ),
    ];
    steps
        .into_iter()
        .filter_map(|(code, id)| {
            let found: Vec<&crate::case::Finding> =
                case.findings.iter().filter(|f| f.code == code).collect();
            let first = found.first()?;
            let pick = |key: &str| first.values.get(key).cloned().unwrap_or(Value::Null);
            let values = match code {
                FindingCode::ThickSlicesOnly => json!({
                    "studies": found.len(),
                    "thickness": pick("thickness"),
                    "thin_mm": pick("thin_mm"),
                }),
                FindingCode::ImagingNotRecent => json!({ "newest_study": pick("newest_study") }),
                FindingCode::ReportWithoutImages | FindingCode::ImagesWithoutReport => {
                    json!({ "count": pick("count"), "dates": pick("dates") })
                }
                _ => json!({}),
            };
            Some((id, values))
        })
        .collect()
}

// Issue 19 (slips): steps that fit how Chinese hospitals hand records out, and the purpose of
// the review. Kept apart from `judge` and `next_steps`, which call them.

/// Steps for what takes a hospital's own time, beyond the imaging and slides requests: the
/// records office's copies, ultrasound images, and what the purpose's items lack.
fn fitting_steps(items: &[Item], case: &Case) -> Vec<(StepId, Value)> {
    let mut steps = Vec::new();
    let status = |id| item_status(items, id);
    let gap = |id| matches!(status(id), Status::Missing | Status::Partial);
    // Ultrasound is handed out as a report with a few key images: when it is all the imaging,
    // asking for "the complete series" does not fit; asking for the images the report refers
    // to does.
    let modalities: BTreeSet<&str> = case
        .studies
        .iter()
        .filter(|s| s.image_count > 0)
        .filter(|s| !case.patients.get(s.patient).is_some_and(|p| p.excluded))
        .flat_map(|s| s.modalities.iter().map(String::as_str))
        .collect();
    if !modalities.is_empty() && modalities.iter().all(|m| *m == "US") {
        steps.push((StepId::RequestUltrasoundImages, json!({})));
    }
    // The records office (病案室) copies a stay's records about ten working days after
    // discharge: asked for early, with the imaging and the slides.
    let mut records = Vec::new();
    if gap(ItemId::DiagnosisReport) {
        records.push(Category::DischargeSummary);
    }
    if status(ItemId::TreatmentHistory) == Status::Missing {
        records.push(Category::OperationNote);
    }
    let no_pathology_report = items
        .iter()
        .find(|i| i.id == ItemId::PathologyLabReports)
        .is_some_and(|i| i.values.get("pathology").and_then(Value::as_u64) == Some(0));
    if no_pathology_report && status(ItemId::PathologySlides) != Status::NotNeeded {
        records.push(Category::PathologyReport);
    }
    if !records.is_empty() {
        let records: Vec<Value> = records
            .iter()
            .map(|c| json!({ "id": format!("record.{c}") }))
            .collect();
        steps.push((StepId::RequestRecordsCopy, json!({ "records": records })));
    }
    // The purpose's items, when the purpose added them.
    for (item, id) in [
        (ItemId::WrittenOpinions, StepId::GetWrittenOpinions),
        (
            ItemId::BaselineAndLatestImaging,
            StepId::GetBaselineAndLatestImaging,
        ),
        (ItemId::TreatmentPlan, StepId::GetTreatmentPlan),
    ] {
        if items.iter().any(|i| i.id == item) && gap(item) {
            steps.push((id, json!({})));
        }
    }
    steps
}

/// The items a purpose of the review adds to the ten: both doctors' opinions when advice
/// conflicts, the first and the latest scans when a treatment is not working, the proposed
/// plan in writing before an operation or another treatment that cannot be undone.
fn purpose_items(
    purpose: Option<Purpose>,
    case: &Case,
    categories: &BTreeMap<String, Category>,
    others: &BTreeSet<&str>,
) -> Vec<Item> {
    let with = |cats: &[Category]| -> Vec<String> {
        categories
            .iter()
            .filter(|(p, c)| cats.contains(c) && !others.contains(p.as_str()))
            .map(|(p, _)| p.clone())
            .collect()
    };
    let by_count = |n: usize| match n {
        0 => (Status::Missing, Impact::High),
        1 => (Status::Partial, Impact::Medium),
        _ => (Status::Present, Impact::None),
    };
    let item = |id, (status, impact): (Status, Impact), evidence, values: Value| Item {
        id,
        status,
        evidence,
        impact,
        values: value_map(values),
        optional: false,
    };
    match purpose {
        Some(Purpose::ConflictingAdvice) => {
            let opinions = with(&[Category::DiagnosisReport, Category::ReferralLetter]);
            vec![item(
                ItemId::WrittenOpinions,
                by_count(opinions.len()),
                as_evidence(&opinions),
                json!({ "opinions": opinions.len() }),
            )]
        }
        Some(Purpose::NotWorking) => {
            let studies: Vec<&crate::case::Study> = case
                .studies
                .iter()
                .filter(|s| s.image_count > 0)
                .filter(|s| !case.patients.get(s.patient).is_some_and(|p| p.excluded))
                .collect();
            let dates: BTreeSet<NaiveDate> = studies
                .iter()
                .filter_map(|s| s.date.as_deref().and_then(date))
                .collect();
            let files: Vec<String> = studies
                .iter()
                .flat_map(|s| s.series.iter().flat_map(|x| x.files.first().cloned()))
                .collect();
            let iso = |d: Option<&NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
            vec![item(
                ItemId::BaselineAndLatestImaging,
                by_count(dates.len()),
                as_evidence(&files),
                json!({
                    "dated_studies": dates.len(),
                    "first": iso(dates.first()),
                    "latest": iso(dates.last()),
                }),
            )]
        }
        Some(Purpose::SurgeryProposed) => {
            let plans = with(&[Category::TreatmentPlan]);
            let judged = if plans.is_empty() {
                (Status::Missing, Impact::High)
            } else {
                (Status::Present, Impact::None)
            };
            vec![item(
                ItemId::TreatmentPlan,
                judged,
                as_evidence(&plans),
                json!({ "plans": plans.len() }),
            )]
        }
        Some(Purpose::NewDiagnosis | Purpose::RareCondition) | None => Vec::new(),
    }
}

/// The steps that come first for a purpose, in that order; the others follow in their own
/// order (impact, then lead time). Another person's files are always taken out first.
fn purpose_first(purpose: Purpose) -> &'static [StepId] {
    use StepId::*;
    const SLIDES: [StepId; 3] = [
        RequestPathologySlides,
        FollowUpSlidesRequest,
        AskForRecutSlidesOrBlocks,
    ];
    match purpose {
        // The diagnosis rests on the tissue: the slides and the pathology reports first.
        Purpose::NewDiagnosis => &[
            SLIDES[0],
            SLIDES[1],
            SLIDES[2],
            RequestPathologyLabReports,
            RequestRecordsCopy,
        ],
        // Rare conditions are settled by an expert's look at the tissue and the gene tests.
        Purpose::RareCondition => &[
            SLIDES[0],
            SLIDES[1],
            SLIDES[2],
            RequestPathologyLabReports,
            AddDiagnosisReport,
        ],
        // The reviewer judges the proposal against the images it is based on.
        Purpose::SurgeryProposed => &[
            GetTreatmentPlan,
            RequestImagingDicom,
            RequestCompleteSeries,
            RequestOriginalSeries,
        ],
        // Both opinions in writing, then what they were based on.
        Purpose::ConflictingAdvice => &[GetWrittenOpinions, AddDiagnosisReport],
        // What was tried, and what the scans and labs showed before and after.
        Purpose::NotWorking => &[
            GetBaselineAndLatestImaging,
            AddTreatmentHistory,
            AddRecentBloodWork,
        ],
    }
}

/// A step for each extra item of the profile the patient has not ticked; optional when the
/// profile does not require it. The values carry the host's texts in both languages.
fn extra_item_steps(extra: &[ExtraItem]) -> Vec<NextStep> {
    extra
        .iter()
        .filter(|x| x.status == Status::Missing)
        .map(|x| NextStep {
            id: StepId::AddExtraItem,
            values: value_map(json!({
                "extra_item": { "id": x.id, "title": x.title, "description": x.description },
            })),
            optional: !x.required,
        })
        .collect()
}

/// The checklist items a step is for. Another person's files concern them all (none listed:
/// never optional); the records office's copies are for the items whose records it lists.
fn step_items(step: &NextStep) -> Vec<ItemId> {
    use StepId::*;
    let one = |id| vec![id];
    match step.id {
        RemoveOtherPatientFiles | AddExtraItem => Vec::new(),
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
        | RequestUltrasoundImages => one(ItemId::ImagingDicom),
        RequestPathologySlides | FollowUpSlidesRequest | AskForRecutSlidesOrBlocks => {
            one(ItemId::PathologySlides)
        }
        RequestRadiologyReport | RequestReportOfImages => one(ItemId::RadiologyReport),
        RequestPathologyLabReports => one(ItemId::PathologyLabReports),
        AddDiagnosisReport => one(ItemId::DiagnosisReport),
        AddTreatmentHistory => one(ItemId::TreatmentHistory),
        AddRecentBloodWork => one(ItemId::BloodWork),
        WriteTimeline => one(ItemId::Timeline),
        WriteQuestions => one(ItemId::Questions),
        GetTranslation => one(ItemId::Translation),
        GetWrittenOpinions => one(ItemId::WrittenOpinions),
        GetBaselineAndLatestImaging => one(ItemId::BaselineAndLatestImaging),
        GetTreatmentPlan => one(ItemId::TreatmentPlan),
        RequestRecordsCopy => {
            let records = step.values.get("records").and_then(Value::as_array);
            records
                .into_iter()
                .flatten()
                .filter_map(|r| r.get("id").and_then(Value::as_str))
                .filter_map(|id| match id.strip_prefix("record.")? {
                    "discharge-summary" => Some(ItemId::DiagnosisReport),
                    "operation-note" => Some(ItemId::TreatmentHistory),
                    "pathology-report" => Some(ItemId::PathologyLabReports),
                    _ => None,
                })
                .collect()
        }
    }
}

/// The next steps in their final order: the steps for the items the host's profile requires
/// first, then those for the items it does not (marked `optional`); within each, the purpose's
/// steps first, in its order, and the rest in their own order (impact, then lead time).
/// Another person's files are always taken out first. Unchanged without a purpose or a profile.
fn order_steps(
    mut steps: Vec<NextStep>,
    purpose: Option<Purpose>,
    items: &[Item],
) -> Vec<NextStep> {
    for s in &mut steps {
        if s.id == StepId::AddExtraItem {
            continue;
        }
        let serves = step_items(s);
        // Optional when every item the step is for is in the checklist and optional.
        s.optional = !serves.is_empty()
            && serves.iter().all(|id| {
                items
                    .iter()
                    .find(|i| i.id == *id)
                    .is_some_and(|i| i.optional)
            });
    }
    let first = purpose.map_or(&[][..], purpose_first);
    let rank = |s: &NextStep| match s.id {
        StepId::RemoveOtherPatientFiles => (false, 0),
        id => (
            s.optional,
            first
                .iter()
                .position(|f| *f == id)
                .map_or(first.len() + 1, |i| i + 1),
        ),
    };
    // A stable sort: steps of the same rank keep their order.
    steps.sort_by_key(rank);
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::build;
    use crate::dicom::DicomInfo;
    use crate::document::facts::{DocumentFacts, PersonNamed};
    use crate::document::{DocumentInfo, TextSource};
    use crate::text::msg;

    fn ct(path: &str) -> FileEntry {
        let mut e = FileEntry::new(path, 10, FileKind::Dicom, msg!("reason.dicom.preamble"));
        e.dicom = Some(DicomInfo {
            class: Some(DicomClass::Image),
            modality: Some("CT".into()),
            patient_id: Some("1".into()),
            patient_name: Some("Doe^Jane".into()),
            study_instance_uid: Some("1".into()),
            series_instance_uid: Some("1.1".into()),
            slice_thickness: Some(5.0),
            ..Default::default()
        });
        e
    }

    fn doc(path: &str) -> FileEntry {
        FileEntry::new(path, 10, FileKind::Pdf, msg!("reason.pdf"))
    }

    /// A document whose text was read: what it is, its language and dates.
    fn read(path: &str, category: Category, language: &str, dates: &[&str]) -> FileEntry {
        let mut e = doc(path);
        e.document = Some(DocumentInfo {
            text_source: Some(TextSource::TextLayer),
            pages: Some(1),
            facts: DocumentFacts {
                category: Some(category),
                language: Some(language.into()),
                dates: dates.iter().map(|d| d.to_string()).collect(),
                ..Default::default()
            },
            text: None,
        });
        e
    }

    fn item(r: &Readiness, id: ItemId) -> &Item {
        r.items.iter().find(|i| i.id == id).unwrap()
    }

    fn status(r: &Readiness, id: ItemId) -> Status {
        r.items.iter().find(|i| i.id == id).unwrap().status
    }

    #[test]
    fn categories_are_suggested_from_english_and_chinese_names() {
        assert_eq!(
            suggest_category("x/病理报告.pdf"),
            Some(Category::PathologyReport)
        );
        assert_eq!(
            suggest_category("lab_results_2024-02.pdf"),
            Some(Category::LabResults)
        );
        assert_eq!(
            suggest_category("出院小结.pdf"),
            Some(Category::DischargeSummary)
        );
        assert_eq!(
            suggest_category("radiology_report.pdf"),
            Some(Category::RadiologyReport)
        );
        assert_eq!(
            suggest_category("诊断证明.jpg"),
            Some(Category::DiagnosisReport)
        );
        assert_eq!(suggest_category("scan0001.pdf"), None);
        assert_eq!(suggest_category("letter_from_doctor.pdf"), None);
        assert_eq!(
            suggest_category("CT_chest_2024.pdf"),
            Some(Category::RadiologyReport)
        );
    }

    #[test]
    fn a_complete_case_is_ready() {
        let files: Vec<FileEntry> = (1..=40)
            .map(|i| {
                let mut e = ct(&format!("IM{i}"));
                e.dicom.as_mut().unwrap().instance_number = Some(i);
                e
            })
            .chain([
                read("a.pdf", Category::DiagnosisReport, "en", &["2024-04-02"]),
                read("b.pdf", Category::RadiologyReport, "en", &["2024-02-10"]),
                read("c.pdf", Category::PathologyReport, "en-GB", &["2024-03-01"]),
                read("d.pdf", Category::LabResults, "en", &["2024-01-20"]),
                read("e.pdf", Category::TreatmentHistory, "en", &["2024-04-01"]),
            ])
            .collect();
        let decl = Declarations {
            cancer: Answer::Yes,
            slides: Some(Slides::Have),
            timeline: "2024-01 cough; 2024-02 CT shows a mass; 2024-03 biopsy; 2024-04 chemotherapy started.".into(),
            questions: vec!["Is the staging right?".into(), "Is surgery an option now?".into(), "Which trials fit?".into()],
            ..Default::default()
        };
        let case = build(&files);
        let r = judge(&files, &case, &decl);
        assert_eq!(r.level, Level::Ready, "{:#?}", r.items);
        assert_eq!(status(&r, ItemId::PathologySlides), Status::Declared);
        assert_eq!(r.review_fit, ReviewFit::RemoteWithPhysicalSlides);
        assert!(r.next_steps.is_empty(), "{:?}", r.next_steps);
    }

    #[test]
    fn a_cancer_case_without_imaging_or_slides_is_not_yet_reviewable_and_says_what_first() {
        let camera = msg!("reason.raster.gps", label = "JPEG");
        let files = vec![
            doc("diagnosis.pdf"),
            FileEntry::new("IMG_1.JPG", 10, FileKind::Photo, camera),
        ];
        let decl = Declarations {
            cancer: Answer::Yes,
            slides: Some(Slides::Requested),
            ..Default::default()
        };
        let case = build(&files);
        let r = judge(&files, &case, &decl);
        assert_eq!(r.level, Level::NotYetReviewable);
        assert_eq!(r.review_fit, ReviewFit::NotYet);
        let ids: Vec<StepId> = r.next_steps.iter().map(|s| s.id).collect();
        assert_eq!(
            &ids[..2],
            [StepId::RequestImagingDicom, StepId::FollowUpSlidesRequest]
        );
        assert_eq!(status(&r, ItemId::ImagingDicom), Status::Missing);
    }

    #[test]
    fn declarations_and_patient_categories_win_over_suggestions() {
        let files = vec![ct("IM1"), doc("scan0001.pdf")];
        let mut decl = Declarations {
            cancer: Answer::No,
            treatment_history: true,
            translation: Some(Translation::NotNeeded),
            ..Default::default()
        };
        decl.document_categories
            .insert("scan0001.pdf".into(), Category::RadiologyReport);
        decl.questions = vec![
            "Why?".into(),
            "Is the nodule growing compared with 2023?".into(),
        ];
        let case = build(&files);
        let r = judge(&files, &case, &decl);
        assert_eq!(status(&r, ItemId::RadiologyReport), Status::Present);
        assert_eq!(status(&r, ItemId::PathologySlides), Status::NotNeeded);
        assert_eq!(status(&r, ItemId::TreatmentHistory), Status::Declared);
        assert_eq!(status(&r, ItemId::Translation), Status::NotNeeded);
        // "Why?" is too short to be a specific question.
        assert_eq!(status(&r, ItemId::Questions), Status::Partial);
        assert_eq!(status(&r, ItemId::DiagnosisReport), Status::Missing);
        assert_eq!(status(&r, ItemId::Timeline), Status::Missing);
    }

    #[test]
    fn an_operation_note_is_treatment_history_and_a_genetic_report_is_pathology() {
        let files = vec![doc("a.pdf"), doc("b.pdf")];
        let mut decl = Declarations::default();
        decl.document_categories
            .insert("a.pdf".into(), Category::OperationNote);
        decl.document_categories
            .insert("b.pdf".into(), Category::GeneticReport);
        let case = build(&files);
        let r = judge(&files, &case, &decl);
        assert_eq!(status(&r, ItemId::TreatmentHistory), Status::Present);
        assert_eq!(status(&r, ItemId::PathologyLabReports), Status::Partial);
    }

    #[test]
    fn translation_follows_the_documents_languages_and_the_reviewers() {
        let judged = |files: Vec<FileEntry>, reviewer: Option<&str>| {
            let decl = Declarations {
                reviewer_language: reviewer.map(str::to_string),
                ..Default::default()
            };
            judge(&files, &build(&files), &decl)
        };
        let zh = || read("a.pdf", Category::PathologyReport, "zh-Hans", &[]);
        let hant = || read("b.pdf", Category::LabResults, "zh-Hant", &[]);
        let en = || read("c.pdf", Category::LabResults, "en", &[]);

        let r = judged(vec![zh(), en(), doc("scan.pdf")], None);
        let t = item(&r, ItemId::Translation);
        assert_eq!(t.status, Status::Missing);
        assert_eq!(t.evidence, [Evidence::File("a.pdf".into())]);
        assert_eq!(
            (t.values["documents"].clone(), t.values["unread"].clone()),
            (json!(1), json!(1))
        );
        assert_eq!(t.values["languages"], json!(["zh-Hans"]));
        // Every document read and in English: nothing to translate.
        assert_eq!(
            status(&judged(vec![en()], None), ItemId::Translation),
            Status::NotNeeded
        );
        // One not read: not known.
        let r = judged(vec![en(), doc("scan.pdf")], None);
        assert_eq!(status(&r, ItemId::Translation), Status::Partial);
        // A reviewer reading Chinese reads both scripts; English is then the foreign one.
        let r = judged(vec![zh(), hant()], Some("zh-Hans"));
        assert_eq!(status(&r, ItemId::Translation), Status::NotNeeded);
        let r = judged(vec![zh(), en()], Some("zh"));
        assert_eq!(
            item(&r, ItemId::Translation).evidence,
            [Evidence::File("c.pdf".into())]
        );
        // A photo (of a report, perhaps) is not read: never "not needed" beside it.
        let camera = msg!("reason.raster.gps", label = "JPEG");
        let photo = FileEntry::new("IMG_1.JPG", 10, FileKind::Photo, camera);
        let r = judged(vec![en(), photo], None);
        let t = item(&r, ItemId::Translation);
        assert_eq!(t.status, Status::Partial);
        assert_eq!(t.evidence, [Evidence::File("IMG_1.JPG".into())]);
        // A tag that is no language: English is assumed, and the sentence says so.
        let r = judged(vec![en()], Some("??"));
        let t = item(&r, ItemId::Translation);
        assert_eq!(t.status, Status::NotNeeded);
        assert_eq!(t.values["reviewer_language_not_understood"], "??");
    }

    #[test]
    fn blood_work_is_recent_within_three_months_of_the_newest_record() {
        let mut lab = read("lab.pdf", Category::LabResults, "en", &["2024-01-20"]);
        lab.document.as_mut().unwrap().facts.tumour_markers = vec!["CEA".into()];
        let mut discharge = read("d.pdf", Category::DischargeSummary, "en", &["2024-04-20"]);
        discharge.document.as_mut().unwrap().facts.tumour_markers =
            vec!["CA19-9".into(), "CEA".into()];
        let judged = |files: &[FileEntry]| judge(files, &build(files), &Declarations::default());

        // 2024-01-20 is exactly 3 months before 2024-04-20: still recent.
        let r = judged(&[lab.clone(), discharge.clone()]);
        let b = item(&r, ItemId::BloodWork);
        assert_eq!(b.status, Status::Present);
        assert_eq!(b.values["markers"], json!(["CEA", "CA19-9"]));

        // A day later it is not, and the item says how old it is.
        let mut later = discharge.clone();
        later.document.as_mut().unwrap().facts.dates = vec!["2024-04-21".into()];
        let r = judged(&[lab.clone(), later]);
        let b = item(&r, ItemId::BloodWork);
        assert_eq!(b.status, Status::Partial);
        assert_eq!(
            (b.values["newest"].clone(), b.values["months_older"].clone()),
            (json!("2024-01-20"), json!(3))
        );
        assert_eq!(b.values["newest_record"], "2024-04-21");

        // A study date counts as a record too.
        let mut ct_file = ct("IM1");
        ct_file.dicom.as_mut().unwrap().study_date = Some("20240901".into());
        let r = judged(&[lab.clone(), ct_file]);
        assert_eq!(item(&r, ItemId::BloodWork).values["months_older"], 7);

        // No lab result, only markers in a discharge summary: missing, markers still named.
        let r = judged(&[discharge]);
        let b = item(&r, ItemId::BloodWork);
        assert_eq!(b.status, Status::Missing);
        assert_eq!(b.values["markers"], json!(["CA19-9", "CEA"]));

        // A lab result without a date cannot be called recent.
        let r = judged(&[doc("lab_results.pdf")]);
        let b = item(&r, ItemId::BloodWork);
        assert_eq!((b.status, b.impact), (Status::Partial, Impact::Low));
    }

    #[test]
    fn the_timeline_wants_dates_and_treatments_and_questions_name_something() {
        let judged = |timeline: &str, questions: &[&str]| {
            let decl = Declarations {
                timeline: timeline.into(),
                questions: questions.iter().map(|q| q.to_string()).collect(),
                ..Default::default()
            };
            judge(&[], &build(&[]), &decl)
        };
        // Long, but without a date or a treatment: partly there, and the values say why.
        let long = "I have been feeling unwell for a long time and my doctors ordered many tests and scans which worried me a lot.";
        let r = judged(long, &[]);
        let t = item(&r, ItemId::Timeline);
        assert_eq!(t.status, Status::Partial);
        assert_eq!(
            (
                t.values["dates_found"].clone(),
                t.values["treatment"].clone()
            ),
            (json!(0), json!(false))
        );
        // Short, with dates and a treatment: there.
        let r = judged("2023-05 lump; 2023-06 surgery; 2023-07 chemo", &[]);
        assert_eq!(status(&r, ItemId::Timeline), Status::Present);
        // Dates without a treatment, and one date with a treatment: partly there.
        assert_eq!(
            status(
                &judged("2023-05 lump; 2023-06 biopsy", &[]),
                ItemId::Timeline
            ),
            Status::Partial
        );
        assert_eq!(
            status(&judged("2023年6月 手术", &[]), ItemId::Timeline),
            Status::Partial
        );

        let vague = [
            "What do you think?",
            "您对这个情况怎么看？",
            "Is it serious?",
        ];
        let r = judged("", &vague);
        let q = item(&r, ItemId::Questions);
        assert_eq!(q.status, Status::Missing);
        assert_eq!(q.values["unspecific"], 3);
        let r = judged(
            "",
            &[
                "Is the 8 mm nodule benign?",
                "肺部结节需要手术吗？",
                "Is osimertinib still right?",
                "What do you think?",
            ],
        );
        let q = item(&r, ItemId::Questions);
        assert_eq!(
            (
                q.status,
                q.values["count"].clone(),
                q.values["unspecific"].clone()
            ),
            (Status::Present, json!(3), json!(1))
        );
    }

    #[test]
    fn another_persons_documents_count_for_no_item() {
        let named = |path: &str, category, name: &str| {
            let mut e = read(path, category, "zh-Hans", &["2024-01-02"]);
            e.document.as_mut().unwrap().facts.patients = vec![PersonNamed {
                name: name.into(),
                ..Default::default()
            }];
            e
        };
        let mine = named("mine.pdf", Category::RadiologyReport, "李秀英");
        let other = named("other.pdf", Category::DiagnosisReport, "李 秀英");
        let theirs = named("theirs.pdf", Category::LabResults, "李秀芳");
        let files = vec![mine, other, theirs];
        let case = build(&files);
        let r = judge(&files, &case, &Declarations::default());
        assert_eq!(status(&r, ItemId::BloodWork), Status::Missing);
        assert_eq!(status(&r, ItemId::RadiologyReport), Status::Present);
        assert_eq!(item(&r, ItemId::Translation).values["documents"], 2);
        assert_eq!(r.next_steps[0].id, StepId::RemoveOtherPatientFiles);
        // The category is still kept for the bundle's folders.
        assert_eq!(r.document_categories["theirs.pdf"], Category::LabResults);
    }

    #[test]
    fn the_purpose_orders_the_steps_and_adds_the_items_it_needs() {
        // One CT study, a diagnosis report, nothing else; cancer not said.
        let mut scan = ct("IM1");
        scan.dicom.as_mut().unwrap().study_date = Some("20240301".into());
        let files = vec![
            scan,
            read("dx.pdf", Category::DiagnosisReport, "en", &["2024-03-02"]),
        ];
        let case = build(&files);
        let judged = |purpose| {
            let decl = Declarations {
                purpose,
                ..Default::default()
            };
            judge(&files, &case, &decl)
        };
        let first = |r: &Readiness| r.next_steps[0].id;
        let added = |r: &Readiness| -> Vec<(ItemId, Status)> {
            r.items[10..].iter().map(|i| (i.id, i.status)).collect()
        };
        let none = judged(None);
        assert_eq!(none.items.len(), 10);
        // One CT image looks like key images only: the imaging comes first, then the slides.
        assert_eq!(first(&none), StepId::RequestCompleteSeries);
        assert_eq!(none.next_steps[1].id, StepId::RequestPathologySlides);
        let position = |r: &Readiness, id| r.next_steps.iter().position(|s| s.id == id);
        // The slides request is asked alongside the imaging: right after the imaging steps.
        assert!(
            position(&none, StepId::RequestRecordsCopy)
                > position(&none, StepId::RequestPathologySlides)
        );

        let r = judged(Some(Purpose::ConflictingAdvice));
        assert_eq!(added(&r), [(ItemId::WrittenOpinions, Status::Partial)]);
        assert_eq!(first(&r), StepId::GetWrittenOpinions);

        let r = judged(Some(Purpose::NotWorking));
        assert_eq!(
            added(&r),
            [(ItemId::BaselineAndLatestImaging, Status::Partial)]
        );
        assert_eq!(first(&r), StepId::GetBaselineAndLatestImaging);
        assert_eq!(
            item(&r, ItemId::BaselineAndLatestImaging).values["latest"],
            "2024-03-01"
        );

        let r = judged(Some(Purpose::SurgeryProposed));
        assert_eq!(added(&r), [(ItemId::TreatmentPlan, Status::Missing)]);
        assert_eq!(first(&r), StepId::GetTreatmentPlan);

        // A new diagnosis or a rare condition add no item: the tissue comes first.
        for p in [Purpose::NewDiagnosis, Purpose::RareCondition] {
            let r = judged(Some(p));
            assert_eq!(r.items.len(), 10);
            assert_eq!(first(&r), StepId::RequestPathologySlides);
            assert!(
                position(&r, StepId::RequestPathologyLabReports)
                    < position(&none, StepId::RequestPathologyLabReports),
                "{p}: {:?}",
                r.next_steps
            );
        }

        // Two opinions, a plan in writing, two dated scans: the added items are there.
        let mut later = ct("IM2");
        let d = later.dicom.as_mut().unwrap();
        d.study_date = Some("20240901".into());
        d.study_instance_uid = Some("2".into());
        d.series_instance_uid = Some("2.1".into());
        let mut files = files.clone();
        files.push(later);
        files.push(read("second.pdf", Category::ReferralLetter, "en", &[]));
        files.push(read("plan.pdf", Category::TreatmentPlan, "en", &[]));
        let case = build(&files);
        for p in [
            Purpose::ConflictingAdvice,
            Purpose::NotWorking,
            Purpose::SurgeryProposed,
        ] {
            let decl = Declarations {
                purpose: Some(p),
                ..Default::default()
            };
            let r = judge(&files, &case, &decl);
            assert_eq!(r.items[10].status, Status::Present, "{p}");
            let purpose_steps = [
                StepId::GetWrittenOpinions,
                StepId::GetBaselineAndLatestImaging,
                StepId::GetTreatmentPlan,
            ];
            assert!(
                r.next_steps.iter().all(|s| !purpose_steps.contains(&s.id)),
                "{p}"
            );
        }
    }

    #[test]
    fn ultrasound_only_asks_for_the_images_the_report_refers_to() {
        let mut us = ct("US1");
        us.dicom.as_mut().unwrap().modality = Some("US".into());
        let files = vec![us];
        let r = judge(&files, &build(&files), &Declarations::default());
        assert!(r
            .next_steps
            .iter()
            .any(|s| s.id == StepId::RequestUltrasoundImages));
        let files = vec![ct("IM1")];
        let r = judge(&files, &build(&files), &Declarations::default());
        assert!(r
            .next_steps
            .iter()
            .all(|s| s.id != StepId::RequestUltrasoundImages));
    }
}
