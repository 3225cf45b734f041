//! What one scanned file is: its kind, the reason, and the facts read from it. This is the
//! `files[]` element of the JSON contract (schema_version 2); field names are part of it.
//! The reason, error and notes are kept as [`Message`]s (for any language) and as their
//! English text (the contract's `reason`, `error` and `notes`); the methods keep the two alike.

use std::cmp::Ordering;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

pub use crate::codes::FileKind;
use crate::dicom::{DicomDirInfo, DicomInfo};
use crate::document::DocumentInfo;
use crate::picture::PictureInfo;
use crate::raster::RasterFacts;
use crate::text::Lang;
use crate::text::Message;

/// One file (or zip member) and what was found in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct FileEntry {
    /// Relative to the folder given, `/`-separated; zip members as `x.zip!/DICOM/IM1`.
    pub path: String,
    pub size: u64,
    pub kind: FileKind,
    /// Why we think so, in a few words ("DICM at byte 128"), in English.
    pub reason: String,
    /// `reason` as a message, to show in any language. `None` only in entries made elsewhere
    /// (older JSON, the page's own entries for files it could not hand over).
    #[serde(default)]
    pub reason_message: Option<Message>,
    /// For corrupt or unreadable files: what is wrong, in English.
    pub error: Option<String>,
    /// `error` as a message.
    #[serde(default)]
    pub error_message: Option<Message>,
    /// Bytes actually read to recognise the file.
    pub bytes_read: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dicom: Option<DicomInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dicomdir: Option<DicomDirInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<RasterFacts>,
    /// Photos and screenshots whose pixels were looked at: what they show and their QR codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub picture: Option<PictureInfo>,
    /// Documents whose text was read (PDF text layers, DOCX, text files): what they are and say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<DocumentInfo>,
    /// Archives only: what is inside.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<FileEntry>>,
    /// Things worth telling about this file that do not change its kind (a neutralised zip
    /// path, a limit reached, junk like `__MACOSX`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// `notes` as messages, in the same order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub note_messages: Vec<Message>,
}

impl FileEntry {
    /// An entry with only the basics; the recognisers fill in the rest.
    pub fn new(path: impl Into<String>, size: u64, kind: FileKind, reason: Message) -> Self {
        FileEntry {
            path: path.into(),
            size,
            kind,
            reason: reason.to_string(),
            reason_message: Some(reason),
            error: None,
            error_message: None,
            bytes_read: 0,
            dicom: None,
            dicomdir: None,
            image: None,
            picture: None,
            document: None,
            members: None,
            notes: Vec::new(),
            note_messages: Vec::new(),
        }
    }

    /// A file that claims a format but cannot be read.
    pub fn corrupt(path: impl Into<String>, size: u64, reason: Message, error: Message) -> Self {
        let mut e = FileEntry::new(path, size, FileKind::Corrupt, reason);
        e.set_error(error);
        e
    }

    /// Sets the reason (and its English text).
    pub fn set_reason(&mut self, reason: Message) {
        self.reason = reason.to_string();
        self.reason_message = Some(reason);
    }

    /// Sets the error (and its English text).
    pub fn set_error(&mut self, error: Message) {
        self.error = Some(error.to_string());
        self.error_message = Some(error);
    }

    /// Adds a note (and its English text).
    pub fn add_note(&mut self, note: Message) {
        self.notes.push(note.to_string());
        self.note_messages.push(note);
    }

    /// Whether reading the file's text was tried and failed (its `note.document.not-read`: OCR
    /// of a scanned PDF or a picture, or a document reader, gave nothing).
    pub fn text_not_read(&self) -> bool {
        self.note_messages
            .iter()
            .any(|m| m.id == "note.document.not-read")
    }

    /// The reason in a language (in English when the entry has no message).
    pub fn reason_text(&self, lang: Lang) -> String {
        match &self.reason_message {
            Some(m) => m.text(lang),
            None => self.reason.clone(),
        }
    }

    /// The error in a language, when there is one.
    pub fn error_text(&self, lang: Lang) -> Option<String> {
        match &self.error_message {
            Some(m) => Some(m.text(lang)),
            None => self.error.clone(),
        }
    }

    /// The notes in a language (in English when they do not all have a message).
    pub fn note_texts(&self, lang: Lang) -> Vec<String> {
        if self.note_messages.len() == self.notes.len() {
            self.note_messages.iter().map(|m| m.text(lang)).collect()
        } else {
            self.notes.clone()
        }
    }
}

/// The files of a case after a scan, as the page puts them together (www/workers/pool.js
/// `mergeEntries`): `previous` with `added` (an added entry replaces the one of the same path, a
/// later one an earlier), ordered by path as the page orders them (`byPath`).
pub fn merge_by_path(
    previous: Vec<FileEntry>,
    added: impl IntoIterator<Item = FileEntry>,
) -> Vec<FileEntry> {
    let mut by_path: HashMap<String, FileEntry> = HashMap::with_capacity(previous.len());
    for e in previous.into_iter().chain(added) {
        by_path.insert(e.path.clone(), e);
    }
    let mut files: Vec<FileEntry> = by_path.into_values().collect();
    files.sort_unstable_by(|a, b| compare_paths(&a.path, &b.path));
    files
}

/// pool.js `comparePaths`: folder by folder (so `A/B` comes before `A-C`, as in a folder walk),
/// names compared as JavaScript compares strings — by UTF-16 code units, not by code points —
/// and a path before the longer ones it begins.
pub fn compare_paths(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.split('/'), b.split('/'));
    loop {
        match (a.next(), b.next()) {
            (Some(x), Some(y)) => match x.encode_utf16().cmp(y.encode_utf16()) {
                Ordering::Equal => continue,
                unequal => return unequal,
            },
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
        }
    }
}

/// The version of the JSON contract this crate writes (the report document's `schema_version`).
pub const SCHEMA_VERSION: u32 = 2;

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, size: u64) -> FileEntry {
        FileEntry::new(
            path,
            size,
            FileKind::Other,
            Message::new("error.read").with("detail", "a test"),
        )
    }

    #[test]
    fn paths_are_ordered_folder_by_folder_and_as_javascript_orders_strings() {
        // `A/B` before `A-C` ('/' would sort after '-' as a character).
        assert_eq!(compare_paths("A/B", "A-C"), Ordering::Less);
        // A folder before what it holds.
        assert_eq!(compare_paths("A", "A/B"), Ordering::Less);
        // ECMAScript compares strings by UTF-16 code units: U+1F600 (D83D DE00) before U+FF5E,
        // where code point (and UTF-8 byte) order puts it after.
        assert_eq!(
            compare_paths("\u{1F600}.jpg", "\u{FF5E}.jpg"),
            Ordering::Less
        );
        assert_eq!(
            compare_paths("x/\u{FF5E}", "x/\u{1F600}"),
            Ordering::Greater
        );
        assert_eq!(compare_paths("same/path", "same/path"), Ordering::Equal);
    }

    #[test]
    fn a_merge_replaces_by_path_and_orders_by_path() {
        let previous = vec![entry("b", 1), entry("a/z", 1)];
        let merged = merge_by_path(previous, [entry("b", 2), entry("a-c", 3), entry("b", 4)]);
        let got: Vec<(&str, u64)> = merged.iter().map(|e| (e.path.as_str(), e.size)).collect();
        assert_eq!(got, [("a/z", 1), ("a-c", 3), ("b", 4)]);
    }
}
