//! The report a host page may see before the patient consents: the same schema with
//! `redacted: true`, every name, ID, date, file name and free text left out, while counts,
//! kinds, levels, checklist states and finding codes stay.
//!
//! It is an allow-list: each field of every type of the report is named here, kept or
//! blanked, so a field added to a type does not compile until it is decided here. Blanked
//! strings become `null` where the schema allows it, else `""`; lists of identifying values
//! become empty. File paths become placeholders (`file-1`, a zip's member `file-2!/file-3`,
//! numbered in the order of `files` with members after their archive), the same in every
//! place a path appears, so the report still says which findings are about which file.
//!
//! The free-form `values` of findings, items and steps keep only the keys listed in
//! [`SAFE_VALUES`] (counts and codes); paths are mapped, the people of the identity findings
//! keep only their `P1` ids and counts, and any other key is `null`. A message's values keep
//! numbers and nested messages; its strings (file and member names, library messages that may
//! quote them) are emptied, and the English text is made again from what is left.
//!
//! ```
//! use record_precheck::report::{self, redact};
//! let report = report::build(Vec::new(), Default::default());
//! assert!(redact::redact(&report).redacted);
//! ```

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

use super::requests::{PathologyNumber, Request, RequestFacts, StudyAsked};
use super::timeline::{TimelineDraft, TimelineEvent};
use super::Report;
use crate::case::{DocumentMention, Finding, IdentityDeclarations, Patient, Series, Study};
use crate::codes::Evidence;
use crate::dicom::dicomdir::DirRecord;
use crate::dicom::{DicomDirInfo, DicomInfo};
use crate::document::facts::DocumentFacts;
use crate::document::DocumentInfo;
use crate::entry::FileEntry;
use crate::picture::PictureInfo;
use crate::raster::RasterFacts;
use crate::readiness::{Declarations, Item, NextStep, Readiness};
use crate::text::Message;

/// Keys of the `values` of findings, checklist items and next steps kept as they are: counts,
/// numbers, yes/no, and codes (finding codes, reasons, languages, markers, modality).
const SAFE_VALUES: &[&str] = &[
    "cancer",
    "characters",
    "count",
    "dated_studies",
    "documents",
    "expected",
    // A profile's extra item: the host's own id and texts, as `readiness.extra_items` keeps.
    "extra_item",
    "gaps",
    "images",
    "instance_numbers",
    "instances",
    "lab",
    "languages",
    "markers",
    "missing",
    "modality",
    "months_older",
    "more_other_documents",
    "opinions",
    "pairs",
    "pathology",
    "photos",
    "plans",
    "pictures_only",
    "present",
    "read",
    "reasons",
    "records",
    "referenced",
    "reviewer_language",
    "screenshots",
    "secondary_captures",
    "series",
    "series_number",
    "slides",
    "studies",
    "thickness",
    "thin_mm",
    "recent_months",
    "match_days",
    "reference_declared",
    "treatment_declared",
    "dates_found",
    "dates_needed",
    "treatment",
    "unspecific",
    "unread_pictures",
    "said_not_needed",
    "uncategorised",
    "unread",
    "written",
    // Issue 19 (profiles).
    "reviewer_languages",
];

/// Keys whose values are file paths (or lists, or lists of lists of them).
const PATH_VALUES: &[&str] = &["files", "groups"];

/// The redacted report of `report` (whose `files` may be empty: see [`Redaction`]).
pub fn redact(report: &Report) -> Report {
    Redaction::new(&report.files).report(report)
}

/// The placeholders of a case's file paths: built once from the files, then used for the
/// report of every change of the patient's answers (the page's report worker keeps the files
/// apart from the report).
pub struct Redaction {
    placeholders: HashMap<String, String>,
}

impl Redaction {
    /// Numbers every file and zip member of `files`.
    pub fn new(files: &[FileEntry]) -> Self {
        fn visit(e: &FileEntry, parent: Option<&str>, placeholders: &mut HashMap<String, String>) {
            let n = placeholders.len() + 1;
            let own = match parent {
                Some(p) => format!("{p}!/file-{n}"),
                None => format!("file-{n}"),
            };
            for m in e.members.iter().flatten() {
                visit(m, Some(&own), placeholders);
            }
            placeholders.insert(e.path.clone(), own);
        }
        let mut placeholders = HashMap::new();
        for e in files {
            visit(e, None, &mut placeholders);
        }
        Redaction { placeholders }
    }

    /// A path's placeholder; `""` for a path that is not one of the files.
    fn path(&self, path: &str) -> String {
        self.placeholders.get(path).cloned().unwrap_or_default()
    }

    fn paths(&self, paths: &[String]) -> Vec<String> {
        paths.iter().map(|p| self.path(p)).collect()
    }

    /// The redacted report, with `report.files` redacted too.
    pub fn report(&self, report: &Report) -> Report {
        let Report {
            schema_version,
            generated_by,
            redacted: _,
            files,
            patients,
            studies,
            findings,
            readiness,
            timeline_draft,
            declarations,
            requests,
            profile,
        } = report;
        Report {
            schema_version: *schema_version,
            generated_by: generated_by.clone(),
            redacted: true,
            files: self.files(files),
            patients: patients.iter().map(|p| self.patient(p)).collect(),
            studies: studies.iter().map(|s| self.study(s)).collect(),
            findings: findings.iter().map(|f| self.finding(f)).collect(),
            readiness: self.readiness(readiness),
            timeline_draft: self.timeline(timeline_draft),
            declarations: self.declarations(declarations),
            requests: requests.iter().map(request).collect(),
            // The host's own words, nothing of the patient's.
            profile: profile.clone(),
        }
    }

    /// The redacted file entries (members nested as in `files`).
    pub fn files(&self, files: &[FileEntry]) -> Vec<FileEntry> {
        files.iter().map(|e| self.entry(e)).collect()
    }

    fn entry(&self, e: &FileEntry) -> FileEntry {
        let FileEntry {
            path,
            size,
            kind,
            reason: _,
            reason_message,
            error,
            error_message,
            bytes_read,
            dicom,
            dicomdir,
            image,
            picture,
            document,
            members,
            notes: _,
            note_messages,
        } = e;
        let reason_message = reason_message.as_ref().map(message);
        let error_message = error_message.as_ref().map(message);
        let note_messages: Vec<Message> = note_messages.iter().map(message).collect();
        FileEntry {
            path: self.path(path),
            size: *size,
            kind: *kind,
            // The English texts are made from the redacted messages (an entry without a
            // message keeps no text: it may name anything).
            reason: reason_message
                .as_ref()
                .map_or_else(String::new, Message::to_string),
            error: match (&error_message, error) {
                (Some(m), _) => Some(m.to_string()),
                (None, Some(_)) => Some(String::new()),
                (None, None) => None,
            },
            reason_message,
            error_message,
            bytes_read: *bytes_read,
            dicom: dicom.as_ref().map(dicom_info),
            dicomdir: dicomdir.as_ref().map(dicomdir_info),
            image: image.as_ref().map(raster),
            picture: picture.as_ref().map(picture_info),
            document: document.as_ref().map(document_info),
            members: members.as_ref().map(|m| self.files(m)),
            notes: note_messages.iter().map(Message::to_string).collect(),
            note_messages,
        }
    }

    fn patient(&self, p: &Patient) -> Patient {
        let Patient {
            id,
            name: _,
            names: _,
            patient_ids: _,
            issued_ids: _,
            birth_date: _,
            birth_dates: _,
            sex: _,
            sexes: _,
            ages: _,
            studies,
            files,
            documents,
            excluded,
        } = p;
        Patient {
            id: id.clone(),
            name: None,
            names: Vec::new(),
            patient_ids: Vec::new(),
            issued_ids: Vec::new(),
            birth_date: None,
            birth_dates: Vec::new(),
            sex: None,
            sexes: Vec::new(),
            ages: Vec::new(),
            studies: studies.clone(),
            files: *files,
            documents: documents.iter().map(|d| self.mention(d)).collect(),
            excluded: *excluded,
        }
    }

    /// A document naming a person: which document, nothing of what it says.
    fn mention(&self, d: &DocumentMention) -> DocumentMention {
        let DocumentMention {
            path,
            name: _,
            sex: _,
            birth_date: _,
            age: _,
            id: _,
        } = d;
        DocumentMention {
            path: self.path(path),
            name: String::new(),
            sex: None,
            birth_date: None,
            age: None,
            id: None,
        }
    }

    fn study(&self, s: &Study) -> Study {
        let Study {
            study_instance_uid: _,
            patient,
            date: _,
            description: _,
            accession_number: _,
            institution: _,
            modalities,
            series,
            image_count,
            image_series,
        } = s;
        Study {
            study_instance_uid: None,
            patient: *patient,
            date: None,
            description: None,
            accession_number: None,
            institution: None,
            modalities: modalities.clone(),
            series: series.iter().map(|x| self.series(x)).collect(),
            image_count: *image_count,
            image_series: *image_series,
        }
    }

    fn series(&self, s: &Series) -> Series {
        let Series {
            series_instance_uid: _,
            number,
            description: _,
            modality,
            body_part,
            class,
            files,
            instance_numbers,
            localizer,
            derived,
            secondary,
            lossy,
            slice_thickness,
            images_in_acquisition,
            frames,
            axial,
            spacing_between_slices,
        } = s;
        Series {
            series_instance_uid: None,
            number: *number,
            description: None,
            modality: modality.clone(),
            body_part: body_part.clone(),
            class: *class,
            files: self.paths(files),
            instance_numbers: instance_numbers.clone(),
            localizer: *localizer,
            derived: *derived,
            secondary: *secondary,
            lossy: *lossy,
            slice_thickness: *slice_thickness,
            images_in_acquisition: *images_in_acquisition,
            frames: *frames,
            axial: *axial,
            spacing_between_slices: *spacing_between_slices,
        }
    }

    fn finding(&self, f: &Finding) -> Finding {
        let Finding {
            code,
            severity,
            files,
            values,
        } = f;
        Finding {
            code: *code,
            severity: *severity,
            files: self.paths(files),
            values: self.values(values),
        }
    }

    /// The `values` of a finding, item or step: safe keys kept, paths mapped, the people of
    /// the identity findings reduced to their ids and counts, everything else `null`.
    fn values(&self, values: &BTreeMap<String, Value>) -> BTreeMap<String, Value> {
        values
            .iter()
            .map(|(key, value)| {
                let kept = match key.as_str() {
                    k if SAFE_VALUES.contains(&k) => value.clone(),
                    k if PATH_VALUES.contains(&k) => self.path_value(value),
                    "patients" => each(value, person),
                    "other_documents" => each(value, |d| {
                        let path = d.get("path").and_then(Value::as_str).unwrap_or_default();
                        serde_json::json!({
                            "path": self.path(path),
                            "name": "",
                            "sex": null,
                            "birth_date": null,
                            "age": null,
                            "id": null,
                        })
                    }),
                    _ => Value::Null,
                };
                (key.clone(), kept)
            })
            .collect()
    }

    /// Paths (in lists, at any depth) as placeholders; numbers as they are.
    fn path_value(&self, value: &Value) -> Value {
        match value {
            Value::String(p) => Value::String(self.path(p)),
            Value::Array(a) => Value::Array(a.iter().map(|v| self.path_value(v)).collect()),
            Value::Number(_) | Value::Bool(_) => value.clone(),
            _ => Value::Null,
        }
    }

    fn readiness(&self, r: &Readiness) -> Readiness {
        let Readiness {
            level,
            items,
            next_steps,
            review_fit,
            document_categories,
            extra_items,
        } = r;
        Readiness {
            level: *level,
            items: items.iter().map(|i| self.item(i)).collect(),
            next_steps: next_steps.iter().map(|s| self.step(s)).collect(),
            review_fit: *review_fit,
            document_categories: self.categories(document_categories),
            extra_items: extra_items.clone(),
        }
    }

    fn item(&self, i: &Item) -> Item {
        let Item {
            id,
            status,
            evidence,
            impact,
            values,
            optional,
        } = i;
        Item {
            id: *id,
            status: *status,
            evidence: evidence
                .iter()
                .map(|e| match e {
                    Evidence::File(p) => Evidence::File(self.path(p)),
                    Evidence::Declared(d) => Evidence::Declared(*d),
                })
                .collect(),
            impact: *impact,
            values: self.values(values),
            optional: *optional,
        }
    }

    fn step(&self, s: &NextStep) -> NextStep {
        let NextStep {
            id,
            values,
            optional,
        } = s;
        NextStep {
            id: *id,
            values: self.values(values),
            optional: *optional,
        }
    }

    /// A map keyed by path; paths that are not among the files are left out.
    fn categories<T: Copy>(&self, map: &BTreeMap<String, T>) -> BTreeMap<String, T> {
        map.iter()
            .filter_map(|(p, c)| self.placeholders.get(p).map(|p| (p.clone(), *c)))
            .collect()
    }

    fn timeline(&self, t: &TimelineDraft) -> TimelineDraft {
        let TimelineDraft { events, left_out } = t;
        TimelineDraft {
            events: events
                .iter()
                .map(|e| {
                    let TimelineEvent {
                        date: _,
                        source,
                        category,
                        modalities,
                        description: _,
                        files,
                    } = e;
                    TimelineEvent {
                        date: String::new(),
                        source: *source,
                        category: *category,
                        modalities: modalities.clone(),
                        description: None,
                        files: self.paths(files),
                    }
                })
                .collect(),
            left_out: *left_out,
        }
    }

    /// The patient's answers: the choices stay, what they wrote does not (how much they wrote
    /// is in the `timeline` and `questions` items).
    fn declarations(&self, d: &Declarations) -> Declarations {
        let Declarations {
            cancer,
            slides,
            treatment_history,
            translation,
            document_categories,
            reviewer_language,
            timeline: _,
            questions: _,
            identity,
            review_date: _,
            purpose,
            profile,
            extra_items,
        } = d;
        let IdentityDeclarations { merged, excluded } = identity;
        // A person is named by a patient ID or a document path: the paths become placeholders,
        // the IDs are emptied.
        let reference = |r: &String| self.path(r);
        Declarations {
            cancer: *cancer,
            slides: *slides,
            treatment_history: *treatment_history,
            translation: *translation,
            document_categories: self.categories(document_categories),
            reviewer_language: reviewer_language.clone(),
            timeline: String::new(),
            questions: Vec::new(),
            identity: IdentityDeclarations {
                merged: merged
                    .iter()
                    .map(|g| g.iter().map(reference).collect())
                    .collect(),
                excluded: excluded.iter().map(reference).collect(),
            },
            review_date: None,
            purpose: *purpose,
            // The host's profile and which of its items the patient ticked: no patient's words.
            profile: profile.clone(),
            extra_items: extra_items.clone(),
        }
    }
}

/// A request slip: the department, the reasons, the modalities and how many of each thing
/// it lists; nothing that names the patient, a hospital, a date or a number.
fn request(r: &Request) -> Request {
    let Request {
        department,
        reasons,
        facts,
    } = r;
    let RequestFacts {
        hospital: _,
        patient_name: _,
        birth_date: _,
        sex: _,
        patient_ids: _,
        studies,
        more_studies,
        pathology_numbers,
        admissions,
        records,
        newest_lab: _,
        markers,
    } = facts;
    Request {
        department: *department,
        reasons: reasons.clone(),
        facts: RequestFacts {
            studies: studies
                .iter()
                .map(|s| StudyAsked {
                    modalities: s.modalities.clone(),
                    thick_slices_mm: s.thick_slices_mm,
                    ..Default::default()
                })
                .collect(),
            more_studies: *more_studies,
            pathology_numbers: pathology_numbers
                .iter()
                .map(|_| PathologyNumber::default())
                .collect(),
            admissions: admissions.iter().map(|_| String::new()).collect(),
            records: records.clone(),
            markers: markers.clone(),
            ..Default::default()
        },
    }
}

/// `f` of each object of a list; anything else is `null`.
fn each(value: &Value, f: impl Fn(&Map<String, Value>) -> Value) -> Value {
    match value {
        Value::Array(a) => Value::Array(
            a.iter()
                .map(|v| v.as_object().map_or(Value::Null, &f))
                .collect(),
        ),
        _ => Value::Null,
    }
}

/// A person of the identity findings: the `P1` id and how many files and documents.
fn person(p: &Map<String, Value>) -> Value {
    let keep = |k: &str| p.get(k).cloned().unwrap_or(Value::Null);
    serde_json::json!({
        "id": keep("id"),
        "name": null,
        "name_forms": { "alphabetic": [], "ideographic": [], "phonetic": [] },
        "patient_ids": [],
        "issued_ids": [],
        "birth_dates": [],
        "sexes": [],
        "ages": [],
        "study_dates": [],
        "files": keep("files"),
        "documents": keep("documents"),
    })
}

/// A message with its string values emptied (numbers and nested messages stay).
fn message(m: &Message) -> Message {
    Message {
        id: m.id.clone(),
        values: m
            .values
            .iter()
            .map(|(k, v)| (k.clone(), message_value(v)))
            .collect(),
    }
}

fn message_value(v: &Value) -> Value {
    match v {
        Value::String(_) => Value::String(String::new()),
        Value::Array(a) => Value::Array(a.iter().map(message_value).collect()),
        Value::Object(o) => match serde_json::from_value::<Message>(Value::Object(o.clone())) {
            Ok(m) => Value::from(message(&m)),
            Err(_) => Value::Null,
        },
        Value::Number(_) | Value::Bool(_) | Value::Null => v.clone(),
    }
}

/// A DICOM header: what kind of object, how it is encoded and its geometry; nothing of the
/// patient, the study's words, UIDs, the institution or the device.
fn dicom_info(d: &DicomInfo) -> DicomInfo {
    let DicomInfo {
        class,
        sop_class_uid,
        sop_class_name,
        sop_instance_uid: _,
        modality,
        patient_name: _,
        patient_id: _,
        issuer_of_patient_id: _,
        birth_date: _,
        sex: _,
        patient_age: _,
        charset,
        charset_repaired,
        charset_note: _,
        charset_note_message,
        patient_name_as_declared: _,
        study_instance_uid: _,
        study_date: _,
        study_time: _,
        study_description: _,
        accession_number: _,
        body_part,
        series_instance_uid: _,
        series_number,
        series_description: _,
        instance_number,
        acquisition_number,
        images_in_acquisition,
        image_type,
        derived,
        rows,
        columns,
        number_of_frames,
        slice_thickness,
        image_position,
        image_orientation,
        spacing_between_slices,
        transfer_syntax,
        transfer_syntax_name,
        lossy,
        institution: _,
        manufacturer: _,
        model: _,
        conversion_type,
        burned_in_annotation,
        has_preamble,
        has_file_meta,
        preamble_is_tiff_header,
        transfer_syntax_inferred,
        pixel_data_offset,
        pixel_data_length,
        truncated,
        header_bytes,
    } = d;
    let charset_note_message = charset_note_message.as_ref().map(message);
    DicomInfo {
        class: *class,
        sop_class_uid: sop_class_uid.clone(),
        sop_class_name: sop_class_name.clone(),
        sop_instance_uid: None,
        modality: modality.clone(),
        patient_name: None,
        patient_id: None,
        issuer_of_patient_id: None,
        birth_date: None,
        sex: None,
        patient_age: None,
        charset: charset.clone(),
        charset_repaired: *charset_repaired,
        charset_note: charset_note_message.as_ref().map(Message::to_string),
        charset_note_message,
        patient_name_as_declared: None,
        study_instance_uid: None,
        study_date: None,
        study_time: None,
        study_description: None,
        accession_number: None,
        body_part: body_part.clone(),
        series_instance_uid: None,
        series_number: *series_number,
        series_description: None,
        instance_number: *instance_number,
        acquisition_number: *acquisition_number,
        images_in_acquisition: *images_in_acquisition,
        image_type: image_type.clone(),
        derived: *derived,
        rows: *rows,
        columns: *columns,
        number_of_frames: *number_of_frames,
        slice_thickness: *slice_thickness,
        image_position: *image_position,
        image_orientation: *image_orientation,
        spacing_between_slices: *spacing_between_slices,
        transfer_syntax: transfer_syntax.clone(),
        transfer_syntax_name: transfer_syntax_name.clone(),
        lossy: *lossy,
        institution: None,
        manufacturer: None,
        model: None,
        conversion_type: conversion_type.clone(),
        burned_in_annotation: burned_in_annotation.clone(),
        has_preamble: *has_preamble,
        has_file_meta: *has_file_meta,
        preamble_is_tiff_header: *preamble_is_tiff_header,
        transfer_syntax_inferred: *transfer_syntax_inferred,
        pixel_data_offset: *pixel_data_offset,
        pixel_data_length: *pixel_data_length,
        truncated: *truncated,
        header_bytes: *header_bytes,
    }
}

/// A DICOMDIR: its counts and record types; no file IDs, UIDs, names or patient IDs.
fn dicomdir_info(d: &DicomDirInfo) -> DicomDirInfo {
    let DicomDirInfo {
        file_set_id: _,
        patients,
        studies,
        series,
        instances,
        referenced_files: _,
        records,
    } = d;
    DicomDirInfo {
        file_set_id: None,
        patients: *patients,
        studies: *studies,
        series: *series,
        instances: *instances,
        referenced_files: Vec::new(),
        records: records
            .iter()
            .map(|r| {
                let DirRecord {
                    record_type,
                    file_id: _,
                    sop_instance_uid: _,
                    patient_id: _,
                    patient_name: _,
                    study_instance_uid: _,
                    series_instance_uid: _,
                    modality,
                } = r;
                DirRecord {
                    record_type: record_type.clone(),
                    modality: modality.clone(),
                    ..DirRecord::default()
                }
            })
            .collect(),
    }
}

/// A picture: format, size, GPS or not, orientation; no camera, software, date or description.
/// What a picture shows stays; its QR codes' texts go (a cloud-film link is the key to the
/// patient's images), one placeholder each.
fn picture_info(p: &PictureInfo) -> PictureInfo {
    let reason_message = p.reason_message.as_ref().map(message);
    PictureInfo {
        subject: p.subject,
        qr: p.qr.iter().map(|_| REDACTED_QR.to_string()).collect(),
        cloud_film: p.cloud_film,
        reason: reason_message
            .as_ref()
            .map_or_else(String::new, Message::to_string),
        reason_message,
    }
}

/// The text that stands for a QR code's in a redacted report.
const REDACTED_QR: &str = "[QR code]";

fn raster(r: &RasterFacts) -> RasterFacts {
    let RasterFacts {
        format,
        width,
        height,
        camera_make: _,
        camera_model: _,
        software: _,
        has_gps,
        orientation,
        date_taken: _,
        description: _,
        pages,
    } = r;
    RasterFacts {
        format: format.clone(),
        width: *width,
        height: *height,
        camera_make: None,
        camera_model: None,
        software: None,
        has_gps: *has_gps,
        orientation: *orientation,
        date_taken: None,
        description: None,
        pages: *pages,
    }
}

/// A document: where its text came from, pages, category, language and tumour markers; no
/// text, people, institution, dates or pathology number.
fn document_info(d: &DocumentInfo) -> DocumentInfo {
    let DocumentInfo {
        text_source,
        pages,
        facts,
        text: _,
    } = d;
    let DocumentFacts {
        category,
        language,
        patients: _,
        institution: _,
        dates: _,
        tumour_markers,
        pathology_number: _,
    } = facts;
    DocumentInfo {
        text_source: *text_source,
        pages: *pages,
        facts: DocumentFacts {
            category: *category,
            language: language.clone(),
            patients: Vec::new(),
            institution: None,
            dates: Vec::new(),
            tumour_markers: tumour_markers.clone(),
            pathology_number: None,
        },
        text: None,
    }
}
