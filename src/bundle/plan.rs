//! The bundle's plan: for every input of a [`Report`] (each scanned file and zip member), where
//! it goes in the layout or why it is left out, decided before a byte is copied; and the files
//! the bundle writes itself (README, report, timeline, questions). Owns [`Plan`] and the
//! layout rules; reads no files (duplicates are found while bundling, see
//! [`PlanItem::duplicate_key`]).
//!
//! Layout:
//! ```text
//! imaging/<patient>/<date>_<modality>_<study description>/<series number>_<series description>/<file>.dcm
//! imaging/unsorted/…            DICOM files with no patient details (not in any study)
//! documents/<category>/…        PDFs and documents, by report.readiness.document_categories
//!                               (pictures of documents too)
//! photos-and-screenshots/…      other photos and screenshots (not original imaging)
//! slides/…                      whole-slide images
//! other/…                       anything else worth keeping (videos, unknown formats, other archives,
//!                               zips found inside a patient's zip, kept packed)
//! unreadable/…                  corrupt files, kept: the reviewer may still open them
//! not-checked/…                 zip members a scan limit left unread, kept
//! ```
//! Left out, each with its reason in the manifest: viewer software, system junk (`__MACOSX`,
//! Thumbs.db, .DS_Store…), empty files, the CD's DICOMDIR (it indexes the CD's own layout),
//! files the patient excluded, zip members that cannot be read (password, zip-bomb guard),
//! members of zips inside zips (their zip is kept packed), and exact duplicates (found while
//! bundling).

use std::collections::HashMap;

use crate::dicom::deidentify::{self, Person};
use crate::dicom::DicomInfo;
use crate::entry::{FileEntry, FileKind};
use crate::limits::Limits;
use crate::recognise::sniff;
use crate::report::thumbnails::Thumbnails;
use crate::report::{html, redact, slips, Report};
use crate::text::{display_date, display_name, Lang};

use super::manifest::Consent;
use super::names::Namer;
use super::pseudonyms::{KeyEntry, Pseudonyms};
use super::readme::{self, Contents, FOLDERS};

/// What the patient decides before bundling.
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// Language of report.html, timeline.md and questions.md (README.txt has both).
    pub lang: Lang,
    /// Inputs the patient leaves out, as in `files[].path`; a folder or a zip leaves out all
    /// it holds.
    pub exclude: Vec<String>,
    /// Inputs the tool sets aside, with the reason (e.g. an earlier bundle in the folder).
    pub set_aside: Vec<(String, String)>,
    /// When the bundle is made (UTC, ISO 8601), written into README.txt and the manifest.
    pub created: Option<String>,
    /// The patient's consent to send it abroad, written into README.txt and the manifest.
    pub consent: Option<Consent>,
    /// De-identify the bundle: the imaging by PS3.15 Annex E ([`deidentify`]), and everywhere
    /// else the people's names, IDs and birth dates replaced by pseudonyms (`PATIENT-1`) —
    /// folder and file names, the manifest, the patient's notes; the report is the redacted one
    /// ([`redact`]). Documents and pictures are not de-identified: their rows say so.
    pub deidentify: Option<deidentify::Options>,
    /// Thumbnails report.html shows (the page's; none from the CLI yet). Left out of a
    /// de-identified bundle: a picture may show a name burned into its pixels.
    pub thumbnails: Thumbnails,
}

/// Where an input's bytes are read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file given, by its report path.
    File(String),
    /// A member of a zip given: the zip's report path and the member's name as the scan gave it
    /// (names in one zip are told apart by the scan).
    Member { zip: String, name: String },
}

/// What happens to one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Copied into the bundle at `destination`; `compressible` when deflate would pay
    /// (uncompressed DICOM, text, PDF), used only when deflate is asked for.
    Copy {
        destination: String,
        compressible: bool,
    },
    /// A zip whose `members` files are extracted into the layout (each its own item).
    Unpack { members: usize },
    /// Not in the bundle.
    LeaveOut { reason: String },
}

/// One input and its fate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanItem {
    pub path: String,
    pub size: u64,
    pub kind: FileKind,
    pub source: Source,
    pub action: Action,
    /// Inputs sharing a key may be exact duplicates. The first is copied; a later one is read
    /// and hashed first, and left out when its SHA-256 equals one already copied with that key
    /// (else it is copied, read a second time). DICOM: same SOP Instance UID and size; other
    /// files: same size. Files are never held in memory for this.
    pub duplicate_key: Option<String>,
    /// Said in the manifest about a copied input (why it is in `unreadable/`, that a zip is
    /// kept packed, what de-identification could not do).
    pub note: Option<String>,
    /// In a de-identified bundle, the person a DICOM file is written for (its pseudonym).
    pub person: Option<Person>,
}

/// A file the bundle writes itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub name: String,
    pub bytes: Vec<u8>,
    pub compressible: bool,
}

/// Everything the bundler needs: the inputs in writing order and the generated files (written
/// first, before the inputs; the manifest comes last and is not part of the plan).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub items: Vec<PlanItem>,
    pub generated: Vec<GeneratedFile>,
    /// The limits the scan used: zip member names are matched the way it named them.
    pub limits: Limits,
    /// Written into the manifest.
    pub created: Option<String>,
    pub consent: Option<Consent>,
    /// How the imaging is de-identified, when it is.
    pub deidentify: Option<deidentify::Options>,
    /// Who each pseudonym stands for (empty when not de-identified): for the patient to see
    /// and keep apart, never written into the bundle.
    pub key: Vec<KeyEntry>,
}

/// Names the bundle writes at its top.
pub const MANIFEST_JSON: &str = "manifest.json";
pub const MANIFEST_CSV: &str = "manifest.csv";
const TOP_FILES: [&str; 7] = [
    "README.txt",
    "report.html",
    "report.json",
    "timeline.md",
    "questions.md",
    MANIFEST_CSV,
    MANIFEST_JSON,
];
const UNSORTED: &str = "imaging/unsorted";
/// The folder of the request slips (`requests/<department>.html`).
const REQUESTS: &str = "requests";
/// Longest study or series description used in a folder name.
const DESCRIPTION_CHARS: usize = 60;

impl Plan {
    /// A plan of the given items and no generated files (tests, benchmarks, callers with
    /// their own layout).
    pub fn new(items: Vec<PlanItem>) -> Plan {
        Plan {
            items,
            generated: Vec::new(),
            limits: Limits::default(),
            created: None,
            consent: None,
            deidentify: None,
            key: Vec::new(),
        }
    }

    /// The plan for a report: every file and zip member of `report.files`, in scan order.
    pub fn build(report: &Report, options: &PlanOptions) -> Plan {
        // Made once: the layout, the patient's notes and the key all use them.
        let pseudonyms = options.deidentify.as_ref().map(|_| Pseudonyms::new(report));
        let items = Self::inputs(report, options, pseudonyms.as_ref());
        let generated = generated_files(report, options, &items, pseudonyms.as_ref());
        Plan {
            items,
            generated,
            limits: Limits::default(),
            created: options.created.clone(),
            consent: options.consent.clone(),
            deidentify: options.deidentify.clone(),
            key: pseudonyms.map(|p| p.key().to_vec()).unwrap_or_default(),
        }
    }

    /// The plan of the inputs alone, without the files the bundle writes itself (report.html
    /// and report.json of 20,000 files are tens of MB): enough for [`Plan::set_aside`].
    pub fn inputs_only(report: &Report, options: &PlanOptions) -> Plan {
        let pseudonyms = options.deidentify.as_ref().map(|_| Pseudonyms::new(report));
        Plan::new(Self::inputs(report, options, pseudonyms.as_ref()))
    }

    /// Every file and zip member of `report.files`, in scan order, with its fate.
    fn inputs(
        report: &Report,
        options: &PlanOptions,
        pseudonyms: Option<&Pseudonyms>,
    ) -> Vec<PlanItem> {
        let mut layout = Layout::new(report);
        layout.pseudonyms = pseudonyms.cloned();
        let mut items = Vec::new();
        for e in &report.files {
            layout.visit(e, &Container::None, options, &mut items);
        }
        if let Some(pseudonyms) = &layout.pseudonyms {
            for item in &mut items {
                pseudonymise(item, pseudonyms);
            }
        }
        items
    }

    /// The inputs whose bytes will not be in the bundle (each with its reason): left out, and
    /// not kept inside a zip that is copied packed. With `PlanOptions::default()` these are what
    /// the tool sets aside by itself (viewer software, system files, empty files, a DICOMDIR…),
    /// which the page shows before the patient saves. Possible duplicates are decided only
    /// while writing (by SHA-256) and are not among them.
    pub fn set_aside(&self) -> Vec<(&str, &str)> {
        let by_path: HashMap<&str, &PlanItem> =
            self.items.iter().map(|i| (i.path.as_str(), i)).collect();
        // Whether an item's bytes end up in the bundle: copied, unpacked into it, or packed
        // inside a zip that is (a member of a zip that is itself only kept packed inherits it).
        fn in_bundle(item: &PlanItem, by_path: &HashMap<&str, &PlanItem>) -> bool {
            if !matches!(item.action, Action::LeaveOut { .. }) {
                return true;
            }
            // The zip it is in: `a.zip!/b.zip!/c` is in `a.zip!/b.zip`.
            let parent = item
                .path
                .rsplit_once("!/")
                .and_then(|(p, _)| by_path.get(p));
            parent.is_some_and(|parent| match parent.action {
                Action::Copy { .. } => true,
                Action::Unpack { .. } => false,
                Action::LeaveOut { .. } => in_bundle(parent, by_path),
            })
        }
        self.items
            .iter()
            .filter(|i| !in_bundle(i, &by_path))
            .filter_map(|i| match &i.action {
                Action::LeaveOut { reason } => Some((i.path.as_str(), reason.as_str())),
                _ => None,
            })
            .collect()
    }

    /// Input bytes the bundle will copy (the scan's sizes).
    pub fn bytes_to_copy(&self) -> u64 {
        self.items
            .iter()
            .filter(|i| matches!(i.action, Action::Copy { .. }))
            .map(|i| i.size)
            .sum()
    }
}

/// Where an entry sits.
enum Container {
    /// A file given.
    None,
    /// A member of a zip given (extracted).
    Zip(String),
    /// Inside a zip that is itself inside a zip: not extracted; the nested zip went to `dest`.
    Packed { zip: String, dest: Option<String> },
}

struct Layout<'a> {
    report: &'a Report,
    namer: Namer,
    /// File path → (study, series) indices.
    series_of: HashMap<&'a str, (usize, usize)>,
    patient_dirs: HashMap<usize, String>,
    study_dirs: HashMap<usize, String>,
    series_dirs: HashMap<(usize, usize), String>,
    /// Files of people the patient said are not them → the reason.
    other_people: HashMap<&'a str, String>,
    /// In a de-identified bundle: the people's pseudonyms.
    pseudonyms: Option<Pseudonyms>,
}

impl<'a> Layout<'a> {
    fn new(report: &'a Report) -> Self {
        let mut namer = Namer::new();
        for f in TOP_FILES {
            namer.reserve(f);
        }
        namer.reserve(REQUESTS);
        namer.reserve(UNSORTED);
        let mut series_of = HashMap::new();
        for (si, study) in report.studies.iter().enumerate() {
            for (ri, series) in study.series.iter().enumerate() {
                for f in &series.files {
                    series_of.insert(f.as_str(), (si, ri));
                }
            }
        }
        Layout {
            report,
            namer,
            series_of,
            patient_dirs: HashMap::new(),
            study_dirs: HashMap::new(),
            series_dirs: HashMap::new(),
            other_people: excluded_people_files(report),
            pseudonyms: None,
        }
    }

    fn visit(
        &mut self,
        e: &FileEntry,
        container: &Container,
        options: &PlanOptions,
        items: &mut Vec<PlanItem>,
    ) {
        let source = match container {
            Container::Zip(zip) => {
                let name = e
                    .path
                    .strip_prefix(zip.as_str())
                    .and_then(|p| p.strip_prefix("!/"))
                    .unwrap_or(&e.path)
                    .to_string();
                Source::Member {
                    zip: zip.clone(),
                    name,
                }
            }
            _ => Source::File(e.path.clone()),
        };
        let is_zip = e.kind == FileKind::Archive && e.members.is_some();
        let members = e.members.as_deref().unwrap_or_default();
        let other_person = self.other_people.get(e.path.as_str()).cloned();
        let action =
            if let Some(reason) = other_person.or_else(|| left_out_by_choice(&e.path, options)) {
                Action::LeaveOut { reason }
            } else if let Container::Packed { zip, dest } = container {
                Action::LeaveOut {
                    reason: match dest {
                        Some(d) => format!("inside {zip}, which is kept packed at {d}"),
                        None => format!("inside {zip}, which is left out"),
                    },
                }
            } else if is_zip && matches!(container, Container::None) {
                Action::Unpack {
                    members: count_files(members),
                }
            } else {
                self.route(e)
            };
        let duplicate_key = match &action {
            Action::Copy { .. } => Some(match e.dicom.as_ref().and_then(sop_uid) {
                Some(uid) if e.kind == FileKind::Dicom => format!("dicom:{uid}:{}", e.size),
                _ => format!("size:{}", e.size),
            }),
            _ => None,
        };
        let inner = match (&action, container) {
            _ if !is_zip => None,
            (Action::Unpack { .. }, _) => Some(Container::Zip(e.path.clone())),
            (Action::Copy { destination, .. }, _) => Some(Container::Packed {
                zip: e.path.clone(),
                dest: Some(destination.clone()),
            }),
            (Action::LeaveOut { .. }, Container::Packed { zip, dest }) => Some(Container::Packed {
                zip: zip.clone(),
                dest: dest.clone(),
            }),
            (Action::LeaveOut { .. }, _) => Some(Container::Packed {
                zip: e.path.clone(),
                dest: None,
            }),
        };
        let note = match (&action, e.kind) {
            (Action::Copy { .. }, FileKind::Corrupt) => Some(format!(
                "kept although it could not be read: {}",
                e.error.as_deref().unwrap_or(&e.reason)
            )),
            (Action::Copy { .. }, FileKind::Archive) if is_zip => Some(format!(
                "a zip inside a zip, kept packed: its files are listed as {}!/…",
                e.path
            )),
            _ => None,
        };
        let person = match (&self.pseudonyms, &action, e.kind) {
            (Some(p), Action::Copy { .. }, FileKind::Dicom) => Some(
                self.patient_of(&e.path)
                    .and_then(|i| p.person(i))
                    .cloned()
                    .unwrap_or_else(|| Person {
                        pseudonym: "UNKNOWN".into(),
                        identifiers: Vec::new(),
                    }),
            ),
            _ => None,
        };
        let note = match (&person, &action) {
            (_, Action::Copy { .. }) if self.pseudonyms.is_some() => {
                let warning = deidentification_warning(e);
                match (note, warning) {
                    (Some(n), Some(w)) => Some(format!("{n}; {w}")),
                    (n, w) => n.or(w),
                }
            }
            _ => note,
        };
        items.push(PlanItem {
            path: e.path.clone(),
            size: e.size,
            kind: e.kind,
            source,
            action,
            duplicate_key,
            note,
            person,
        });
        if let Some(inner) = inner {
            for m in members {
                self.visit(m, &inner, options, items);
            }
        }
    }

    /// Where a file goes by its kind (it is not excluded and not a zip being unpacked).
    fn route(&mut self, e: &FileEntry) -> Action {
        let leave = |reason: String| Action::LeaveOut { reason };
        let has_note = |prefix: &str| e.notes.iter().any(|n| n.starts_with(prefix));
        let name = sniff::file_name(&e.path).to_string();
        let (folder, compressible) =
            match e.kind {
                FileKind::Empty => return leave("empty file (0 bytes)".into()),
                FileKind::Software => {
                    return leave(format!(
                        "viewer or other software, not needed for a review ({})",
                        e.reason
                    ))
                }
                FileKind::Dicomdir => return leave(
                    "the CD's index (DICOMDIR): it lists the CD's own folder layout, which the \
                     bundle re-organises under imaging/"
                        .into(),
                ),
                FileKind::Other if has_note("junk:") => {
                    return leave(format!(
                        "system file, not part of the records ({})",
                        e.reason
                    ))
                }
                FileKind::Other
                    if has_note("session-limit-hit") || e.reason.starts_with("symbolic link") =>
                {
                    return leave(e.reason.clone())
                }
                FileKind::Corrupt if has_note("archive-limit-hit: compression ratio") => {
                    return leave(format!(
                        "not extracted (zip-bomb guard): {}",
                        e.error.as_deref().unwrap_or(&e.reason)
                    ))
                }
                FileKind::Corrupt
                    if matches!(
                        e.reason.as_str(),
                        "encrypted zip member" | "zip member" | "unreadable folder"
                    ) =>
                {
                    return leave(format!(
                        "cannot be read: {}",
                        e.error.as_deref().unwrap_or(&e.reason)
                    ))
                }
                FileKind::Corrupt if e.reason == "zip member not read" => {
                    ("not-checked".to_string(), false)
                }
                FileKind::Corrupt => ("unreadable".to_string(), false),
                FileKind::Dicom => {
                    let compressible = e.dicom.as_ref().is_some_and(uncompressed);
                    let folder = self.series_dir(&e.path);
                    let file = if name.to_ascii_lowercase().ends_with(".dcm") {
                        name
                    } else {
                        format!("{name}.dcm")
                    };
                    return Action::Copy {
                        destination: self.namer.claim(&folder, &file),
                        compressible,
                    };
                }
                FileKind::Pdf | FileKind::Document => {
                    let category = self
                        .report
                        .readiness
                        .document_categories
                        .get(&e.path)
                        .map_or("other", |c| c.as_str());
                    let zipped = ["DOCX", "XLSX", "PPTX", "Office Open XML", "OpenDocument"]
                        .iter()
                        .any(|w| e.reason.contains(w));
                    (format!("documents/{category}"), !zipped)
                }
                // A picture of a document (a photographed report, an app's page of results) is a
                // document: it goes with the documents of its category, not with the pictures
                // that are "not original imaging".
                FileKind::Photo | FileKind::Screenshot => {
                    match self.report.readiness.document_categories.get(&e.path) {
                        Some(category) => (format!("documents/{}", category.as_str()), false),
                        None => ("photos-and-screenshots".into(), false),
                    }
                }
                FileKind::Slide => ("slides".into(), false),
                FileKind::Archive | FileKind::Other => ("other".into(), false),
            };
        Action::Copy {
            destination: self.namer.claim(&folder, &name),
            compressible,
        }
    }

    /// The report's number of the patient a DICOM file belongs to (through its study).
    fn patient_of(&self, path: &str) -> Option<usize> {
        let &(si, _) = self.series_of.get(path)?;
        Some(self.report.studies[si].patient)
    }

    /// `imaging/<patient>/<study>/<series>` for a DICOM file, or `imaging/unsorted`. In a
    /// de-identified bundle: the patient's pseudonym, `study-N` and the modality, the series'
    /// number and modality (no dates, no descriptions).
    fn series_dir(&mut self, path: &str) -> String {
        let Some(&(si, ri)) = self.series_of.get(path) else {
            return UNSORTED.to_string();
        };
        if let Some(d) = self.series_dirs.get(&(si, ri)) {
            return d.clone();
        }
        let report = self.report;
        let study = &report.studies[si];
        let patient_dir = match self.patient_dirs.get(&study.patient) {
            Some(d) => d.clone(),
            None => {
                let p = &report.patients[study.patient];
                let pseudonym = self
                    .pseudonyms
                    .as_ref()
                    .and_then(|ps| ps.person(study.patient))
                    .map(|person| person.pseudonym.clone());
                let label = pseudonym
                    .or_else(|| {
                        p.name
                            .as_deref()
                            .map(|n| display_name(n).replace(" / ", " "))
                            .filter(|n| !n.trim().is_empty())
                    })
                    .or_else(|| p.patient_ids.first().cloned())
                    .unwrap_or_else(|| "unknown patient".into());
                let d = self.namer.claim("imaging", &label);
                self.patient_dirs.insert(study.patient, d.clone());
                d
            }
        };
        let study_dir = match self.study_dirs.get(&si) {
            Some(d) => d.clone(),
            None => {
                let date = study
                    .date
                    .as_deref()
                    .map(display_date)
                    .filter(|d| !d.is_empty())
                    .unwrap_or_else(|| "unknown-date".into());
                let deidentified = self.pseudonyms.is_some();
                let mut parts = vec![if deidentified {
                    format!("study-{}", si + 1)
                } else {
                    date
                }];
                if !study.modalities.is_empty() {
                    parts.push(study.modalities.join("+"));
                }
                if let Some(desc) = description(study.description.as_deref()) {
                    if !deidentified {
                        parts.push(desc);
                    }
                }
                let d = self.namer.claim(&patient_dir, &parts.join("_"));
                self.study_dirs.insert(si, d.clone());
                d
            }
        };
        let series = &study.series[ri];
        let mut parts = Vec::new();
        if let Some(n) = series.number {
            parts.push(format!("{n:03}"));
        }
        let series_description = match self.pseudonyms {
            Some(_) => None,
            None => description(series.description.as_deref()),
        };
        if let Some(desc) = series_description.or_else(|| description(series.modality.as_deref())) {
            parts.push(desc);
        }
        if parts.is_empty() {
            parts.push("series".into());
        }
        let d = self.namer.claim(&study_dir, &parts.join("_"));
        self.series_dirs.insert((si, ri), d.clone());
        d
    }
}

/// A de-identified bundle's item: names, IDs and birth dates in its path, destination, reason
/// and note replaced by pseudonyms.
fn pseudonymise(item: &mut PlanItem, pseudonyms: &Pseudonyms) {
    item.path = pseudonyms.apply(&item.path);
    item.note = item.note.as_deref().map(|n| pseudonyms.apply(n));
    match &mut item.action {
        Action::Copy { destination, .. } => *destination = pseudonyms.apply(destination),
        Action::LeaveOut { reason } => *reason = pseudonyms.apply(reason),
        Action::Unpack { .. } => {}
    }
}

/// What de-identification cannot promise for a file copied into a de-identified bundle: pixels
/// that may show the patient (PS3.15 E.1: burned-in annotations; secondary captures,
/// ultrasound and photographs often carry them), and files that are not de-identified at all.
fn deidentification_warning(e: &FileEntry) -> Option<String> {
    match e.kind {
        FileKind::Dicom => {
            let d = e.dicom.as_ref()?;
            let burned = d.burned_in_annotation.as_deref().map(str::trim) == Some("YES");
            let class = d.class.map(|c| c.as_str());
            let modality = d.modality.as_deref().unwrap_or("");
            let risky_class = matches!(class, Some("secondary-capture" | "photograph"));
            let risky_modality = matches!(modality, "US" | "XC" | "OP" | "SM" | "ES" | "GM");
            (burned || risky_class || risky_modality).then(|| {
                let why = if burned {
                    "the file says text is burned into the image"
                } else if risky_class {
                    "a captured or photographed image often shows it"
                } else {
                    "images of this kind often show it"
                };
                format!(
                    "de-identified, but its pixels may still show the patient's name or other                      details ({why}): look at it before sharing"
                )
            })
        }
        FileKind::Pdf | FileKind::Document => {
            Some("not de-identified: a document shows the patient's name and other details".into())
        }
        FileKind::Photo | FileKind::Screenshot => {
            Some("not de-identified: a picture may show the patient's name or face".into())
        }
        _ => Some("not de-identified: copied as given".into()),
    }
}

fn description(d: Option<&str>) -> Option<String> {
    let d = d?.trim();
    (!d.is_empty()).then(|| d.chars().take(DESCRIPTION_CHARS).collect())
}

fn sop_uid(d: &DicomInfo) -> Option<&str> {
    d.sop_instance_uid
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
}

/// Native uncompressed transfer syntaxes (and data sets without file meta, which are
/// uncompressed): deflate shrinks these; JPEG, JPEG 2000, RLE… are compressed already.
fn uncompressed(d: &DicomInfo) -> bool {
    match d
        .transfer_syntax
        .as_deref()
        .map(|t| t.trim_end_matches(['\0', ' ']))
    {
        None => true,
        Some(ts) => matches!(
            ts,
            "1.2.840.10008.1.2" | "1.2.840.10008.1.2.1" | "1.2.840.10008.1.2.2"
        ),
    }
}

/// Files (not folders) in a zip's member list, nested zips' members included.
fn count_files(members: &[FileEntry]) -> usize {
    members
        .iter()
        .map(|m| 1 + m.members.as_deref().map_or(0, count_files))
        .sum()
}

/// The files of every person the patient said is not them ([`crate::case::excluded_files`]),
/// with that reason.
fn excluded_people_files(report: &Report) -> HashMap<&str, String> {
    crate::case::excluded_files(&report.patients, &report.studies)
        .into_iter()
        .map(|(path, i)| {
            let p = &report.patients[i];
            let name = p.name.as_deref().map(display_name).unwrap_or_default();
            let why = format!("another person's, the patient says ({} {name})", p.id);
            (path, why.trim_end().to_string())
        })
        .collect()
}

/// The patient's or the tool's reason for leaving an input out, if any.
fn left_out_by_choice(path: &str, options: &PlanOptions) -> Option<String> {
    let under = |p: &str| {
        path == p
            || path
                .strip_prefix(p)
                .is_some_and(|rest| rest.starts_with('/') || rest.starts_with("!/"))
    };
    if let Some((p, why)) = options.set_aside.iter().find(|(p, _)| under(p)) {
        return Some(if p == path {
            why.clone()
        } else {
            format!("inside {p}: {why}")
        });
    }
    let p = options
        .exclude
        .iter()
        .find(|p| under(p.trim_end_matches('/')))?;
    Some(if p.trim_end_matches('/') == path {
        "excluded by the patient".into()
    } else {
        format!("excluded by the patient (with {p})")
    })
}

/// README.txt, report.html, report.json, timeline.md, questions.md.
fn generated_files(
    report: &Report,
    options: &PlanOptions,
    items: &[PlanItem],
    pseudonyms: Option<&Pseudonyms>,
) -> Vec<GeneratedFile> {
    let mut folders = Vec::new();
    for (f, _) in FOLDERS {
        let prefix = format!("{f}/");
        if items.iter().any(|i| {
            matches!(&i.action, Action::Copy { destination, .. } if destination.starts_with(&prefix))
        }) {
            folders.push(f);
        }
    }
    let count = |f: fn(&Action) -> bool| items.iter().filter(|i| f(&i.action)).count();
    let document_pictures = items.iter().any(|i| {
        matches!(i.kind, FileKind::Photo | FileKind::Screenshot)
            && matches!(&i.action, Action::Copy { destination, .. } if destination.starts_with("documents/"))
    });
    let contents = Contents {
        generated_by: report.generated_by.clone(),
        created: options.created.clone(),
        consent: options.consent.clone(),
        inputs: items.len(),
        copied: count(|a| matches!(a, Action::Copy { .. })),
        left_out: count(|a| matches!(a, Action::LeaveOut { .. })),
        unpacked: count(|a| matches!(a, Action::Unpack { .. })),
        folders,
        document_pictures,
        deidentified: options.deidentify.is_some(),
        requests: if options.deidentify.is_some() {
            0
        } else {
            report.requests.len()
        },
    };
    let text = |name: &str, s: String| GeneratedFile {
        name: name.to_string(),
        bytes: s.into_bytes(),
        compressible: true,
    };
    // A de-identified bundle holds the report without names, IDs, dates or file names, and the
    // patient's notes with pseudonyms.
    let notes = |text: String| match pseudonyms {
        Some(p) => p.apply(&text),
        None => text,
    };
    let (timeline, questions) = (
        notes(readme::timeline(&report.declarations, options.lang)),
        notes(readme::questions(&report.declarations, options.lang)),
    );
    let redacted;
    let report = if options.deidentify.is_some() {
        redacted = redact::redact(report);
        &redacted
    } else {
        report
    };
    let json = serde_json::to_string_pretty(report).unwrap_or_else(|e| {
        // Serialising plain data cannot fail; say so in the file rather than panic.
        format!("{{\"error\": \"could not write the report: {e}\"}}")
    });
    let mut files = vec![
        text("README.txt", readme::readme_txt(&contents)),
        text(
            "report.html",
            match options.deidentify {
                Some(_) => html::render(report, options.lang),
                None => html::render_with(report, options.lang, &options.thumbnails),
            },
        ),
        text("report.json", json + "\n"),
        text("timeline.md", timeline),
        text("questions.md", questions),
    ];
    // The request slips name the patient, their hospitals and numbers: for the patient to print,
    // so not in a de-identified bundle.
    if options.deidentify.is_none() {
        let english = slips::english_beside(report, options.lang);
        for (i, request) in report.requests.iter().enumerate() {
            files.push(text(
                &slips::file_name(&report.requests, i),
                slips::render(request, english),
            ));
        }
    }
    files
}
