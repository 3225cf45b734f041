//! The case: scanned files grouped into patients → studies → series, and the findings a reviewer
//! or the patient must know about (another person's files, incomplete series, no original
//! imaging…). Owns [`Case`], [`Finding`] and [`build`]. Works on [`FileEntry`] values only; it
//! reads no files and knows nothing of languages (findings carry codes and values).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub mod adequacy;
mod findings;
mod grouping;
mod identity;
mod names;
mod people;
mod pinyin;
pub mod thumbnails;

use findings::findings;
use grouping::{group_patients, group_studies};
use people::add_document_people;

pub use crate::codes::{FindingCode, IdentityReason, IncompleteReason, Severity};
use crate::dicom::{DicomClass, DicomInfo};
use crate::entry::{FileEntry, FileKind};

/// One thing found about the case. `code` is stable; `values` feed the sentence the report
/// renders in the patient's language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Finding {
    pub code: FindingCode,
    pub severity: Severity,
    /// The files it is about, as in `files[].path`.
    #[serde(default)]
    pub files: Vec<String>,
    #[serde(default)]
    #[cfg_attr(test, ts(type = "Record<string, unknown>"))]
    pub values: BTreeMap<String, Value>,
}

impl Finding {
    fn new(code: FindingCode, severity: Severity, files: Vec<String>, values: Value) -> Self {
        let values = value_map(values);
        Finding {
            code,
            severity,
            files,
            values,
        }
    }
}

/// The fields of a `json!({...})` object as the `values` map of a finding, item or step.
pub(crate) fn value_map(values: Value) -> BTreeMap<String, Value> {
    match values {
        Value::Object(map) => map.into_iter().collect(),
        _ => BTreeMap::new(),
    }
}

/// One person, as told apart by name, ID and birth date: from DICOM headers and from the
/// documents that name a patient.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Patient {
    /// `P1`, `P2`… in order of appearance.
    #[serde(default)]
    pub id: String,
    /// The fullest name seen (`Wang^XiaoDong=王^小东`).
    pub name: Option<String>,
    /// Every distinct spelling seen.
    #[serde(default)]
    pub names: Vec<String>,
    /// Every DICOM patient ID seen (hospitals give different IDs).
    #[serde(default)]
    pub patient_ids: Vec<String>,
    /// Each patient ID with whose numbering it is and the hospital whose files carry it.
    #[serde(default)]
    pub issued_ids: Vec<IssuedId>,
    /// `YYYYMMDD` from DICOM, `YYYY-MM-DD` when only a document gives it.
    pub birth_date: Option<String>,
    /// Every birth date the DICOM files give (two is a conflict the patient can see).
    #[serde(default)]
    pub birth_dates: Vec<String>,
    pub sex: Option<String>,
    /// Every sex the DICOM files give (`M`, `F`, `O`).
    #[serde(default)]
    pub sexes: Vec<String>,
    /// The ages the DICOM files give, each at its study date.
    #[serde(default)]
    pub ages: Vec<AgeAtStudy>,
    /// Indices into [`Case::studies`].
    #[serde(default)]
    pub studies: Vec<usize>,
    /// DICOM files and documents of this person.
    #[serde(default)]
    pub files: usize,
    /// The documents that name this person, with what each says of them.
    #[serde(default)]
    pub documents: Vec<DocumentMention>,
    /// The patient says this is not them (`declarations.identity.excluded`): their files are
    /// left out of the bundle and out of the identity findings.
    #[serde(default)]
    pub excluded: bool,
}

/// What the patient says about who is in the files (`declarations.identity`). A person is
/// named by one of their patient IDs or by the path of a document naming them, which stay the
/// same from one scan to the next (the `P1`, `P2` numbers do not once people are merged).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct IdentityDeclarations {
    /// Groups of people the patient says are all them (or all one person).
    pub merged: Vec<Vec<String>>,
    /// People the patient says are not them.
    pub excluded: Vec<String>,
}

impl Patient {
    /// Whether `reference` (a patient ID or a document path) names this person.
    pub fn is_named_by(&self, reference: &str) -> bool {
        self.patient_ids.iter().any(|id| id == reference)
            || self.documents.iter().any(|d| d.path == reference)
    }
}

/// A patient ID as a hospital issued it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct IssuedId {
    pub id: String,
    /// Issuer of Patient ID, when the files give it.
    pub issuer: Option<String>,
    /// The institution of the files that carry the ID.
    pub institution: Option<String>,
}

/// Patient's Age as a DICOM file gives it (`060Y`), with the study date it was counted at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AgeAtStudy {
    pub age: String,
    /// `YYYYMMDD`.
    pub study_date: Option<String>,
}

/// Most spellings, IDs, birth dates, sexes and ages kept per person: a handful is what a
/// person has; keeping more would only make an adversarial case slow.
const MAX_VARIANTS: usize = 16;

/// Adds `item` to `list` when it is new and the list has room.
fn push_distinct<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if list.len() < MAX_VARIANTS && !list.contains(&item) {
        list.push(item);
    }
}

impl Patient {
    fn new(index: usize) -> Patient {
        Patient {
            id: format!("P{}", index + 1),
            name: None,
            names: Vec::new(),
            patient_ids: Vec::new(),
            issued_ids: Vec::new(),
            birth_date: None,
            birth_dates: Vec::new(),
            sex: None,
            sexes: Vec::new(),
            ages: Vec::new(),
            studies: Vec::new(),
            files: 0,
            documents: Vec::new(),
            excluded: false,
        }
    }

    /// The fullest spelling: most component groups, then longest.
    fn fullest_name(&self) -> Option<String> {
        self.names
            .iter()
            .max_by_key(|n| (n.matches('=').count(), n.chars().count()))
            .cloned()
    }

    /// Takes in the records of `other`, judged the same person.
    fn absorb(&mut self, other: Patient) {
        for n in other.names {
            push_distinct(&mut self.names, n);
        }
        for id in other.patient_ids {
            push_distinct(&mut self.patient_ids, id);
        }
        for id in other.issued_ids {
            push_distinct(&mut self.issued_ids, id);
        }
        for d in other.birth_dates {
            push_distinct(&mut self.birth_dates, d);
        }
        for s in other.sexes {
            push_distinct(&mut self.sexes, s);
        }
        for a in other.ages {
            push_distinct(&mut self.ages, a);
        }
        self.birth_date = self.birth_date.take().or(other.birth_date);
        self.sex = self.sex.take().or(other.sex);
        self.files += other.files;
        self.documents.extend(other.documents);
        self.name = self.fullest_name();
    }
}

/// A document naming a person: the evidence that a document is this person's (or another's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DocumentMention {
    /// As in `files[].path`.
    pub path: String,
    /// The name as the document writes it.
    pub name: String,
    pub sex: Option<String>,
    /// `YYYY-MM-DD`.
    pub birth_date: Option<String>,
    /// Years, as printed.
    pub age: Option<u32>,
    /// The hospital number printed with the name.
    pub id: Option<String>,
}

/// One study of one patient.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Study {
    pub study_instance_uid: Option<String>,
    /// Index into [`Case::patients`].
    pub patient: usize,
    pub date: Option<String>,
    pub description: Option<String>,
    pub accession_number: Option<String>,
    pub institution: Option<String>,
    pub modalities: Vec<String>,
    pub series: Vec<Series>,
    /// Instances of original or derived imaging (not reports or captures).
    pub image_count: usize,
    /// Series of original or derived imaging, counted as `image_count` counts their images.
    pub image_series: usize,
}

/// One series of a study.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Series {
    pub series_instance_uid: Option<String>,
    pub number: Option<i64>,
    pub description: Option<String>,
    pub modality: Option<String>,
    pub body_part: Option<String>,
    pub class: Option<DicomClass>,
    /// Every file of the series, in instance-number order.
    pub files: Vec<String>,
    pub instance_numbers: Vec<i64>,
    pub localizer: bool,
    pub derived: bool,
    /// Every instance's Image Type says SECONDARY (made after the scan: reformats, captures).
    pub secondary: bool,
    pub lossy: bool,
    pub slice_thickness: Option<f64>,
    pub images_in_acquisition: Option<i64>,
    pub frames: u64,
    /// Whether the slices are axial ([`adequacy::is_axial`]); null when the headers do not say.
    pub axial: Option<bool>,
    /// Spacing Between Slices, in mm, when the headers give it.
    pub spacing_between_slices: Option<f64>,
}

/// Everything the readiness judgement and the report need to know about the files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub patients: Vec<Patient>,
    pub studies: Vec<Study>,
    pub findings: Vec<Finding>,
}

impl Case {
    /// Adds findings made outside [`build`] (the adequacy findings, which need the documents'
    /// categories), keeping the most serious first.
    pub fn add_findings(&mut self, findings: Vec<Finding>) {
        self.findings.extend(findings);
        self.findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    }
}

/// A record's date: a document's `YYYY-MM-DD` or DICOM's `YYYYMMDD`, when it is a real date.
pub fn record_date(raw: &str) -> Option<chrono::NaiveDate> {
    let raw = raw.trim();
    let dashed = if raw.len() == 8 && raw.bytes().all(|b| b.is_ascii_digit()) {
        format!("{}-{}-{}", &raw[..4], &raw[4..6], &raw[6..])
    } else {
        raw.to_string()
    };
    chrono::NaiveDate::parse_from_str(&dashed, "%Y-%m-%d").ok()
}

/// The files of every person the patient said is not them ([`Patient::excluded`], from
/// `declarations.identity.excluded`), each with that person's index: their series' files and the
/// documents that name them, but a document that also names a person who is kept. The one rule
/// for what "Not me" takes away: the checklist counts none of these, the bundle leaves them out.
pub fn excluded_files<'a>(
    patients: &'a [Patient],
    studies: &'a [Study],
) -> BTreeMap<&'a str, usize> {
    let kept: std::collections::BTreeSet<&str> = patients
        .iter()
        .filter(|p| !p.excluded)
        .flat_map(|p| p.documents.iter().map(|d| d.path.as_str()))
        .collect();
    let mut out = BTreeMap::new();
    for (i, p) in patients.iter().enumerate().filter(|(_, p)| p.excluded) {
        let series = studies
            .iter()
            .filter(|s| s.patient == i)
            .flat_map(|s| s.series.iter().flat_map(|x| x.files.iter()));
        let documents = p
            .documents
            .iter()
            .map(|d| &d.path)
            .filter(|d| !kept.contains(d.as_str()));
        for path in series.chain(documents) {
            out.entry(path.as_str()).or_insert(i);
        }
    }
    out
}

/// Every entry with its zip members, depth first, in the order scanned.
pub fn flatten(files: &[FileEntry]) -> Vec<&FileEntry> {
    let mut out = Vec::new();
    fn visit<'a>(e: &'a FileEntry, out: &mut Vec<&'a FileEntry>) {
        out.push(e);
        for m in e.members.iter().flatten() {
            visit(m, out);
        }
    }
    for e in files {
        visit(e, &mut out);
    }
    out
}

/// Groups the scanned files and finds what matters about them.
pub fn build(files: &[FileEntry]) -> Case {
    build_declared(files, &IdentityDeclarations::default())
}

/// [`build`] with what the patient said about who is in the files: people merged on the
/// patient's word, people marked as not the patient.
pub fn build_declared(files: &[FileEntry], declared: &IdentityDeclarations) -> Case {
    let all = flatten(files);
    let dicom: Vec<(&FileEntry, &DicomInfo)> = all
        .iter()
        .filter(|e| e.kind == FileKind::Dicom)
        .filter_map(|e| e.dicom.as_ref().map(|d| (*e, d)))
        .collect();
    let (patients, unattributed, mut patient_of) = group_patients(&dicom);
    let (mut patients, new_index) = identity::merge_same_people(patients);
    for p in patient_of.values_mut() {
        *p = new_index[*p];
    }
    let studies = group_studies(&dicom, &patient_of, patients.len());
    add_document_people(&all, &mut patients);
    let mut case = Case {
        patients,
        studies,
        findings: Vec::new(),
    };
    identity::apply_declarations(&mut case, declared);
    for (i, study) in case.studies.iter().enumerate() {
        case.patients[study.patient].studies.push(i);
    }
    case.findings = findings(&case, &all, &dicom, &unattributed);
    case.findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    case
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::facts::{DocumentFacts, PersonNamed};
    use crate::document::DocumentInfo;
    use crate::text::{msg, Message};
    use serde_json::json;

    fn dicom(path: &str, f: impl FnOnce(&mut DicomInfo)) -> FileEntry {
        let mut d = DicomInfo {
            class: Some(DicomClass::Image),
            modality: Some("CT".into()),
            patient_name: Some("Doe^Jane".into()),
            patient_id: Some("1".into()),
            study_instance_uid: Some("1.1".into()),
            series_instance_uid: Some("1.1.1".into()),
            image_type: vec!["ORIGINAL".into(), "PRIMARY".into(), "AXIAL".into()],
            ..Default::default()
        };
        f(&mut d);
        let mut e = FileEntry::new(path, 100, FileKind::Dicom, msg!("reason.dicom.preamble"));
        e.dicom = Some(d);
        e
    }

    fn camera_photo() -> Message {
        msg!("reason.raster.gps", label = "JPEG")
    }

    fn codes(case: &Case) -> Vec<FindingCode> {
        case.findings.iter().map(|f| f.code).collect()
    }

    #[test]
    fn same_person_spelled_two_ways_is_one_patient() {
        let a = dicom("a", |d| {
            d.patient_name = Some("Wang^XiaoDong=王^小东=".into())
        });
        let b = dicom("b", |d| d.patient_name = Some("王小东".into()));
        let case = build(&[a, b]);
        assert_eq!(case.patients.len(), 1, "{:?}", case.patients);
        assert_eq!(
            case.patients[0].name.as_deref(),
            Some("Wang^XiaoDong=王^小东")
        );
    }

    #[test]
    fn different_people_are_never_merged() {
        let a = dicom("a", |d| d.patient_name = Some("Doe^Jane".into()));
        let b = dicom("b", |d| {
            d.patient_name = Some("Roe^Richard".into());
            d.patient_id = Some("2".into());
        });
        // Same romanised name, different IDs, no birth date: two people.
        let c = dicom("c", |d| d.patient_id = Some("3".into()));
        let case = build(&[a, b, c]);
        assert_eq!(case.patients.len(), 3);
        let f = &case.findings[0];
        assert_eq!(
            (f.code, f.severity),
            (FindingCode::MultiplePatients, Severity::Serious)
        );
        assert_eq!(f.files.len(), 2);
    }

    #[test]
    fn past_the_judged_people_everyone_counts_as_another_person() {
        // Namesakes with other IDs and no birth date are only "possibly different"; past
        // MAX_JUDGED people they are not judged, kept apart and called several people.
        let files: Vec<FileEntry> = (0..identity::MAX_JUDGED + 8)
            .map(|i| dicom(&format!("f{i}"), |d| d.patient_id = Some(format!("ID{i}"))))
            .collect();
        let case = build(&files);
        assert_eq!(case.patients.len(), identity::MAX_JUDGED + 8);
        assert!(multiple(&case).is_some());
        let few = build(&files[..3]);
        assert!(multiple(&few).is_none());
        assert!(codes(&few).contains(&FindingCode::IdentityCheck));
    }

    #[test]
    fn an_age_of_zero_is_an_age_nobody_filled_in() {
        // 000Y at the study beside a birth date of 1960 on the same name: not "different
        // people" (an age that cannot fit), but a missing age.
        let a = dicom("a", |d| {
            d.patient_age = Some("000Y".into());
            d.study_date = Some("20240117".into());
        });
        let b = dicom("b", |d| {
            d.patient_id = Some("H2-77".into());
            d.birth_date = Some("19600101".into());
        });
        let case = build(&[a, b]);
        assert!(multiple(&case).is_none(), "{:?}", codes(&case));
        assert!(case.patients.iter().all(|p| p.ages.is_empty()));
        // A real age that cannot fit still sets them apart.
        let a = dicom("a", |d| {
            d.patient_age = Some("003Y".into());
            d.study_date = Some("20240117".into());
        });
        let b = dicom("b", |d| {
            d.patient_id = Some("H2-77".into());
            d.birth_date = Some("19600101".into());
        });
        assert!(multiple(&build(&[a, b])).is_some());
    }

    #[test]
    fn two_hospitals_same_name_and_birth_date_is_one_person() {
        let a = dicom("a", |d| d.birth_date = Some("19600101".into()));
        let b = dicom("b", |d| {
            d.patient_id = Some("H2-77".into());
            d.birth_date = Some("19600101".into());
        });
        assert_eq!(build(&[a, b]).patients.len(), 1);
    }

    #[test]
    fn gaps_and_key_images_make_a_series_incomplete() {
        let files: Vec<FileEntry> = [12, 47, 88]
            .iter()
            .map(|n| {
                dicom(&format!("IM{n}"), |d| {
                    d.instance_number = Some(*n);
                    d.images_in_acquisition = Some(100);
                    d.slice_thickness = Some(1.25);
                })
            })
            .collect();
        let case = build(&files);
        let f = case
            .findings
            .iter()
            .find(|f| f.code == FindingCode::SeriesIncomplete)
            .expect("finding");
        assert_eq!(f.files.len(), 3);
        let kinds: Vec<&str> = f.values["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds,
            ["gaps", "starts-late", "fewer-than-acquired", "few-images"]
        );
    }

    #[test]
    fn only_captures_means_no_original_imaging() {
        let sc = dicom("sc.dcm", |d| d.class = Some(DicomClass::SecondaryCapture));
        let photo = FileEntry::new("IMG_1.JPG", 10, FileKind::Photo, camera_photo());
        let case = build(&[sc, photo]);
        assert_eq!(codes(&case)[0], FindingCode::NoOriginalImaging);
        assert!(codes(&case).contains(&FindingCode::SecondaryCapture));
        assert!(codes(&case).contains(&FindingCode::PhotoOfScreen));
    }

    #[test]
    fn localizers_alone_and_derived_alone_are_flagged() {
        let scout = dicom("s", |d| {
            d.image_type = vec!["ORIGINAL".into(), "PRIMARY".into(), "LOCALIZER".into()]
        });
        assert!(codes(&build(&[scout])).contains(&FindingCode::LocalizerOnly));
        let mip = dicom("m", |d| {
            d.image_type = vec!["DERIVED".into(), "SECONDARY".into(), "MIP".into()];
            d.derived = true;
        });
        let codes_mip = codes(&build(&[mip]));
        assert!(codes_mip.contains(&FindingCode::DerivedOnly));
        assert!(!codes_mip.contains(&FindingCode::NoOriginalImaging));
    }

    #[test]
    fn duplicates_lossy_and_unattributed() {
        let a = dicom("a", |d| {
            d.sop_instance_uid = Some("9".into());
            d.lossy = true;
        });
        let b = dicom("copy/a", |d| {
            d.sop_instance_uid = Some("9".into());
            d.lossy = true;
        });
        let anon = dicom("anon", |d| {
            d.patient_name = None;
            d.patient_id = None;
        });
        let case = build(&[a, b, anon]);
        let c = codes(&case);
        assert!(
            c.contains(&FindingCode::DuplicateInstance)
                && c.contains(&FindingCode::LossyOnly)
                && c.contains(&FindingCode::UnattributedDicom),
            "{c:?}"
        );
    }

    /// A read document naming one person.
    fn named(path: &str, person: PersonNamed, dates: &[&str]) -> FileEntry {
        let mut e = FileEntry::new(path, 10, FileKind::Pdf, msg!("reason.pdf"));
        e.document = Some(DocumentInfo {
            facts: DocumentFacts {
                patients: vec![person],
                dates: dates.iter().map(|d| d.to_string()).collect(),
                ..Default::default()
            },
            ..Default::default()
        });
        e
    }

    fn person(name: &str) -> PersonNamed {
        PersonNamed {
            name: name.into(),
            ..Default::default()
        }
    }

    fn multiple(case: &Case) -> Option<&Finding> {
        case.findings
            .iter()
            .find(|f| f.code == FindingCode::MultiplePatients)
    }

    #[test]
    fn a_document_naming_someone_else_is_another_person_with_the_document_as_evidence() {
        let ct = dicom("IM1", |d| {
            d.patient_name = Some("Li^Xiuying=李^秀英".into())
        });
        let mine = named("mine.pdf", person("李秀英"), &[]);
        let theirs = named(
            "theirs.pdf",
            PersonNamed {
                age: Some(57),
                id: Some("100412553".into()),
                ..person("李秀芳")
            },
            &["2023-05-24"],
        );
        let case = build(&[ct, mine, theirs]);
        assert_eq!(case.patients.len(), 2, "{:?}", case.patients);
        assert_eq!(case.patients[0].files, 2);
        assert_eq!(case.patients[0].documents[0].path, "mine.pdf");
        let f = multiple(&case).expect("multiple-patients");
        assert_eq!(f.files, ["theirs.pdf"]);
        assert_eq!(f.values["main"], "Li^Xiuying=李^秀英");
        assert_eq!(
            f.values["other_documents"],
            json!([{ "path": "theirs.pdf", "name": "李秀芳", "sex": null, "birth_date": null,
                     "age": 57, "id": "100412553" }])
        );
    }

    #[test]
    fn one_person_however_documents_write_the_name() {
        let ct = dicom("IM1", |d| {
            d.patient_name = Some("Li^Xiuying".into());
            d.birth_date = Some("19620314".into());
        });
        let files = [
            ct,
            named("a.pdf", person("LI, Xiuying"), &[]),
            named("b.pdf", person("Xiuying Li"), &[]),
            named(
                "c.pdf",
                PersonNamed {
                    age: Some(61),
                    ..person("LI XIUYING")
                },
                &["2023-06-05"],
            ),
        ];
        let case = build(&files);
        assert_eq!(case.patients.len(), 1, "{:?}", case.patients);
        assert_eq!(case.patients[0].files, 4);
        // Traditional and Simplified characters, with or without a space: one person.
        let files = [
            named("d.pdf", person("王建國"), &[]),
            named("e.pdf", person("王 建国"), &[]),
        ];
        let case = build(&files);
        assert_eq!(case.patients.len(), 1);
        assert_eq!(case.patients[0].names, ["王建國", "王 建国"]);
    }

    #[test]
    fn hanzi_against_pinyin_is_not_called_another_person() {
        let ct = dicom("IM1", |d| d.patient_name = Some("Li^Xiuying".into()));
        let case = build(&[ct, named("a.pdf", person("李秀英"), &[])]);
        assert_eq!(case.patients.len(), 1);
        assert!(multiple(&case).is_none());
        // A document with no patient name adds nothing either.
        let unnamed = named("b.pdf", person("  "), &[]);
        let mut none = unnamed.clone();
        none.document.as_mut().unwrap().facts.patients.clear();
        assert!(build(&[unnamed, none]).patients.is_empty());
    }

    #[test]
    fn the_same_name_born_on_another_day_or_year_is_another_person() {
        let born = |d: &str| PersonNamed {
            birth_date: Some(d.into()),
            ..person("张伟")
        };
        let case = build(&[
            named("a.pdf", born("1960-01-01"), &[]),
            named("b.pdf", born("1960-01-01"), &[]),
            named("c.pdf", born("1971-05-05"), &[]),
        ]);
        assert_eq!(case.patients.len(), 2);
        assert_eq!(multiple(&case).unwrap().files, ["c.pdf"]);
        // An age with the document's dates gives the birth years: 61 in 2023 fits 1962, 57
        // does not; an age with no date says nothing.
        let aged = |age| PersonNamed {
            age: Some(age),
            ..person("张伟")
        };
        let case = build(&[
            named("a.pdf", born("1962-03-14"), &[]),
            named("b.pdf", aged(61), &["2023-06-05"]),
            named("c.pdf", aged(57), &[]),
            named("d.pdf", aged(57), &["2023-05-24"]),
        ]);
        assert_eq!(case.patients.len(), 2, "{:?}", case.patients);
        assert_eq!(case.patients[0].files, 3);
        assert_eq!(multiple(&case).unwrap().files, ["d.pdf"]);
    }

    #[test]
    fn dicomdir_references_are_checked_case_insensitively() {
        let mut dir = FileEntry::new(
            "cd/DICOMDIR",
            10,
            FileKind::Dicomdir,
            msg!("reason.dicom.preamble"),
        );
        dir.dicomdir = Some(crate::dicom::DicomDirInfo {
            referenced_files: vec![
                "IMAGES/IM1".into(),
                "IMAGES/IM2;1".into(),
                "IMAGES/IM3".into(),
            ],
            ..Default::default()
        });
        let im1 = dicom("cd/images/im1", |_| {});
        let im2 = dicom("cd/IMAGES/IM2", |_| {});
        let case = build(&[dir, im1, im2]);
        let f = case
            .findings
            .iter()
            .find(|f| f.code == FindingCode::DicomdirMissingFiles)
            .expect("finding");
        assert_eq!(f.values["missing"], 1);
        assert_eq!(f.values["examples"], json!(["IMAGES/IM3"]));
    }
}
