//! DICOMDIR directory records: which patients, studies, series and images a CD's index lists,
//! and the files it references, so later steps can check that they are present.

use dicom_dictionary_std::tags;
use dicom_object::InMemDicomObject;
use serde::{Deserialize, Serialize};

/// One directory record, flattened.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DirRecord {
    /// PATIENT, STUDY, SERIES, IMAGE, SR DOCUMENT, …
    pub record_type: String,
    /// Referenced File ID joined with `/` (`IMAGES/SER00001/IM000001`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sop_instance_uid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patient_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patient_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub study_instance_uid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series_instance_uid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modality: Option<String>,
}

/// What a DICOMDIR lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DicomDirInfo {
    pub file_set_id: Option<String>,
    pub patients: usize,
    pub studies: usize,
    pub series: usize,
    /// Records that reference a file (images, reports, …).
    pub instances: usize,
    /// Every Referenced File ID, in record order, `/`-separated.
    pub referenced_files: Vec<String>,
    pub records: Vec<DirRecord>,
}

/// Reads the directory records from a parsed DICOMDIR data set. Records are read in their
/// stored order; the offset links between them are not needed to list what is referenced.
pub fn read_records(obj: &InMemDicomObject) -> DicomDirInfo {
    let text = |o: &InMemDicomObject, tag| -> Option<String> {
        let s = o.get(tag)?.to_str().ok()?;
        let s = s.trim_matches(|c: char| c == '\0' || c.is_whitespace());
        (!s.is_empty()).then(|| s.to_string())
    };
    let mut info = DicomDirInfo {
        file_set_id: text(obj, tags::FILE_SET_ID),
        ..Default::default()
    };
    let items = obj
        .get(tags::DIRECTORY_RECORD_SEQUENCE)
        .and_then(|e| e.items())
        .unwrap_or(&[]);
    for item in items {
        let record_type = text(item, tags::DIRECTORY_RECORD_TYPE).unwrap_or_default();
        let file_id = item
            .get(tags::REFERENCED_FILE_ID)
            .and_then(|e| e.to_multi_str().ok())
            .map(|parts| {
                parts
                    .iter()
                    .map(|p| p.trim())
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .filter(|p| !p.is_empty());
        match record_type.as_str() {
            "PATIENT" => info.patients += 1,
            "STUDY" => info.studies += 1,
            "SERIES" => info.series += 1,
            _ => {}
        }
        if let Some(f) = &file_id {
            info.instances += 1;
            info.referenced_files.push(f.clone());
        }
        info.records.push(DirRecord {
            record_type,
            file_id,
            sop_instance_uid: text(item, tags::REFERENCED_SOP_INSTANCE_UID_IN_FILE),
            patient_id: text(item, tags::PATIENT_ID),
            patient_name: text(item, tags::PATIENT_NAME),
            study_instance_uid: text(item, tags::STUDY_INSTANCE_UID),
            series_instance_uid: text(item, tags::SERIES_INSTANCE_UID),
            modality: text(item, tags::MODALITY),
        });
    }
    info
}
