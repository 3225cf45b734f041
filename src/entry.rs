//! What one scanned file is: its kind, the reason, and the facts read from it. This is the
//! `files[]` element of the JSON contract (schema_version 1); field names are part of it.

use serde::{Deserialize, Serialize};

use crate::dicom::{DicomDirInfo, DicomInfo};
use crate::raster::RasterFacts;

/// What a file is, decided from its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    Dicom,
    Dicomdir,
    Screenshot,
    Photo,
    Slide,
    Pdf,
    Document,
    Archive,
    Software,
    Other,
    Empty,
    Corrupt,
}

impl FileKind {
    /// The kind as written in the JSON contract.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Dicom => "dicom",
            FileKind::Dicomdir => "dicomdir",
            FileKind::Screenshot => "screenshot",
            FileKind::Photo => "photo",
            FileKind::Slide => "slide",
            FileKind::Pdf => "pdf",
            FileKind::Document => "document",
            FileKind::Archive => "archive",
            FileKind::Software => "software",
            FileKind::Other => "other",
            FileKind::Empty => "empty",
            FileKind::Corrupt => "corrupt",
        }
    }
}

/// One file (or zip member) and what was found in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Relative to the folder given, `/`-separated; zip members as `x.zip!/DICOM/IM1`.
    pub path: String,
    pub size: u64,
    pub kind: FileKind,
    /// Why we think so, in a few words ("DICM at byte 128").
    pub reason: String,
    /// For corrupt or unreadable files: what is wrong.
    pub error: Option<String>,
    /// Bytes actually read to recognise the file.
    pub bytes_read: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dicom: Option<DicomInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dicomdir: Option<DicomDirInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<RasterFacts>,
    /// Archives only: what is inside.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<FileEntry>>,
    /// Things worth telling about this file that do not change its kind (a neutralised zip
    /// path, a limit reached, junk like `__MACOSX`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl FileEntry {
    /// An entry with only the basics; the recognisers fill in the rest.
    pub fn new(
        path: impl Into<String>,
        size: u64,
        kind: FileKind,
        reason: impl Into<String>,
    ) -> Self {
        FileEntry {
            path: path.into(),
            size,
            kind,
            reason: reason.into(),
            error: None,
            bytes_read: 0,
            dicom: None,
            dicomdir: None,
            image: None,
            members: None,
            notes: Vec::new(),
        }
    }

    /// A file that claims a format but cannot be read.
    pub fn corrupt(
        path: impl Into<String>,
        size: u64,
        reason: impl Into<String>,
        error: impl Into<String>,
    ) -> Self {
        let mut e = FileEntry::new(path, size, FileKind::Corrupt, reason);
        e.error = Some(error.into());
        e
    }
}

/// The version of the JSON contract this crate writes (the report document's `schema_version`).
pub const SCHEMA_VERSION: u32 = 1;
