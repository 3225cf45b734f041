//! Layer 1: documents. The text of a document (PDF text layer, DOCX, plain text) as plain text
//! in reading order, read on the device within [`Limits`]; and what that text is and says
//! (category, language, patient, dates, markers: [`facts`]).
//!
//! * [`pdf`]: the text layer of a PDF — fonts with ToUnicode maps (what Chromium's print to PDF
//!   and hospital systems write), simple fonts with their encodings, and CID fonts under the
//!   predefined Adobe CMaps (`UniGB-UCS2-H`, `GBK-EUC-H`, `B5pc-H`, `90ms-RKSJ-H`, `KSC-EUC-H`…)
//!   without embedded fonts; laid out by position, top to bottom and left to right. A PDF
//!   without any text (pictures of pages) gives [`TextSource::None`] and the note "scanned
//!   pages without text". The choice of crate (`lopdf`), measured against the others, is in
//!   that file's doc.
//! * [`docx`]: WordprocessingML `word/document.xml` out of the zip: one line per paragraph,
//!   table cells separated by tabs, rows by lines.
//! * Plain text: UTF-8 (a byte-order mark dropped), UTF-16 with a byte-order mark, else
//!   GB18030 through the decoder [`crate::dicom::charset`] already uses, else UTF-8 with
//!   replacement characters.
//!
//! Every document is bounded: [`Limits::max_document_bytes`] of input,
//! [`Limits::max_pdf_objects`], [`Limits::max_stream_bytes`] per inflated stream,
//! [`Limits::max_document_inflated`] for all of a PDF's pages and fonts, [`Limits::max_pages`]
//! and [`Limits::max_text_chars`]. Over a limit inside a document, the text read so far is kept
//! and a note says where it stopped; damaged input gives an error [`Message`], never a panic.
//! There is no clock limit (wasm has no clock in the core): the work is bounded by those sizes.
//!
//! The types of the report's `document` object are always here (the page's report carries
//! them); the readers — this module's functions, [`pdf`], [`docx`] and [`facts::read`] — only
//! with the `documents` feature, which the page's first-scan wasm leaves out (the page loads
//! them in a second module, after the first report). The scan (`crate::recognise`) calls
//! [`understand`] on PDFs, text files and encapsulated PDFs, [`understand_docx`] on a DOCX whose
//! zip directory it has opened, and [`understand_text`] on a DICOM Structured Report's text.

#[cfg(feature = "documents")]
pub mod docx;
pub mod facts;
#[cfg(feature = "documents")]
pub mod pdf;
#[cfg(feature = "documents")]
mod pdf_font;

use serde::{Deserialize, Serialize};

use crate::text::{msg, Message};
use crate::Limits;

/// The formats whose text is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    Pdf,
    /// Office Open XML word processing (`.docx`).
    Docx,
    /// A text file in UTF-8, UTF-16 (with byte-order mark) or GB18030.
    PlainText,
}

/// Where a document's text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum TextSource {
    /// Characters stored in the file (a PDF's text layer, DOCX, a text file).
    TextLayer,
    /// No text in the file: pictures of pages (reading them would need OCR).
    None,
    /// Read from a picture of the pages by OCR (src/ocr/, the CLI's `scan --ocr`).
    Ocr,
}

/// The text of one document.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentText {
    /// Plain text in reading order: lines separated by `\n`, pages by an empty line.
    pub text: String,
    pub source: TextSource,
    /// Pages of a PDF (all of them, also those beyond [`Limits::max_pages`]); `None` for
    /// formats without pages.
    pub pages: Option<u32>,
    /// What was not read and why (limits, fonts without a Unicode map, no text layer).
    pub notes: Vec<Message>,
}

/// What the report says of a document (`files[].document`): where its text came from, its pages,
/// and what the text says ([`facts::DocumentFacts`], flattened into the same object).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DocumentInfo {
    /// `text-layer`, or `ocr` when read from a picture; null when the file holds no text
    /// (pictures of pages not read by OCR).
    pub text_source: Option<TextSource>,
    /// Pages of a PDF; null for formats without pages.
    pub pages: Option<u32>,
    #[serde(flatten)]
    pub facts: facts::DocumentFacts,
    /// The plain text read, only when the scan was asked to keep it
    /// ([`Limits::keep_document_text`], the CLI's `scan --json --with-text`); else dropped
    /// once the facts are read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

#[cfg(feature = "documents")]
/// Reads a document of `kind` held in `bytes` and tells what it says; with the notes of the
/// reading (limits reached, fonts without a Unicode map, no text layer).
pub fn understand(
    kind: DocumentKind,
    bytes: &[u8],
    limits: &Limits,
) -> Result<(DocumentInfo, Vec<Message>), Message> {
    Ok(understand_text(read_text(kind, bytes, limits)?, limits))
}

#[cfg(feature = "documents")]
/// [`understand`] for a DOCX whose zip directory the scan has already opened: only
/// `word/document.xml` is read from it, not the whole file again.
pub fn understand_docx<R: std::io::Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    limits: &Limits,
) -> Result<(DocumentInfo, Vec<Message>), Message> {
    Ok(understand_text(
        cut(docx::read_archive(archive, limits)?, limits),
        limits,
    ))
}

#[cfg(feature = "documents")]
/// What a text already read says (a DICOM Structured Report's, or any of [`read_text`]'s), cut
/// to [`Limits::max_text_chars`]. The text is kept on the result only when [`Limits::keep_document_text`] asks for it.
pub fn understand_text(read: DocumentText, limits: &Limits) -> (DocumentInfo, Vec<Message>) {
    let read = cut(read, limits);
    let mut notes = read.notes;
    let layer = read.source != TextSource::None;
    let (facts, cut) = if layer {
        facts::read(&read.text, limits)
    } else {
        (facts::DocumentFacts::default(), None)
    };
    notes.extend(cut);
    let info = DocumentInfo {
        text_source: layer.then_some(read.source),
        pages: read.pages,
        facts,
        text: (limits.keep_document_text && layer).then_some(read.text),
    };
    (info, notes)
}

/// Why a document of `size` bytes is not read, when it is over [`Limits::max_document_bytes`].
pub fn too_big(size: u64, limits: &Limits) -> Option<Message> {
    (size > limits.max_document_bytes).then(|| too_big_message(size, limits))
}

/// "`size` is more than the document limit".
pub fn too_big_message(size: u64, limits: &Limits) -> Message {
    msg!(
        "error.document.too-big",
        size = mib_text(size),
        limit = mib_text(limits.max_document_bytes)
    )
}

#[cfg(feature = "documents")]
/// The text of a document of `kind` held in `bytes`.
pub fn read_text(
    kind: DocumentKind,
    bytes: &[u8],
    limits: &Limits,
) -> Result<DocumentText, Message> {
    if let Some(problem) = too_big(bytes.len() as u64, limits) {
        return Err(problem);
    }
    let out = match kind {
        DocumentKind::Pdf => pdf::read(bytes, limits)?,
        DocumentKind::Docx => docx::read(bytes, limits)?,
        DocumentKind::PlainText => DocumentText {
            text: decode_plain(bytes),
            source: TextSource::TextLayer,
            pages: None,
            notes: Vec::new(),
        },
    };
    Ok(cut(out, limits))
}

#[cfg(feature = "documents")]
/// The text cut to [`Limits::max_text_chars`], with a note when it was.
fn cut(mut out: DocumentText, limits: &Limits) -> DocumentText {
    if let Some((at, _)) = out.text.char_indices().nth(limits.max_text_chars) {
        out.text.truncate(at);
        out.notes.push(msg!(
            "note.document.text-limit",
            limit = limits.max_text_chars
        ));
    }
    out
}

#[cfg(feature = "documents")]
/// A text file's bytes as text: BOM first, then UTF-8, then GB18030, then UTF-8 lossily.
fn decode_plain(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    let utf16 = |rest: &[u8], be: bool| {
        let units = rest.chunks_exact(2).map(|p| match p {
            [a, b] if be => u16::from_be_bytes([*a, *b]),
            [a, b] => u16::from_le_bytes([*a, *b]),
            _ => 0xFFFD,
        });
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect::<String>()
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, false);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, true);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => crate::dicom::charset::gb18030_strict(bytes)
            .unwrap_or_else(|| String::from_utf8_lossy(bytes).into_owned()),
    }
}

/// "12.3 MiB" or "512 KiB" for the notes.
fn mib_text(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MiB", bytes as f64 / f64::from(1u32 << 20))
    } else {
        format!("{} KiB", bytes.div_ceil(1024))
    }
}

#[cfg(all(test, feature = "documents"))]
mod tests {
    use super::*;

    fn plain(bytes: &[u8]) -> String {
        read_text(DocumentKind::PlainText, bytes, &Limits::default())
            .unwrap()
            .text
    }

    #[test]
    fn plain_text_in_each_encoding() {
        let words = "病历 2023.5.22 CEA";
        assert_eq!(plain(words.as_bytes()), words);
        assert_eq!(plain(&[b"\xEF\xBB\xBF", words.as_bytes()].concat()), words);
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(words.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(plain(&le), words);
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(words.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(plain(&be), words);
        // "病历" in GB18030 (GB 2312 codes B2A1 C0FA), written out by hand.
        assert_eq!(plain(b"\xB2\xA1\xC0\xFA 2023"), "病历 2023");
        assert_eq!(plain(b"a\xFFb"), "a\u{FFFD}b");
    }

    #[test]
    fn limits_cut_and_refuse() {
        let limits = Limits {
            max_text_chars: 3,
            ..Limits::default()
        };
        let got = read_text(DocumentKind::PlainText, "病历记录".as_bytes(), &limits).unwrap();
        assert_eq!(got.text, "病历记");
        assert_eq!(got.notes[0].id, "note.document.text-limit");
        let limits = Limits {
            max_document_bytes: 2,
            ..Limits::default()
        };
        let err = read_text(DocumentKind::PlainText, b"abc", &limits).unwrap_err();
        assert_eq!(err.id, "error.document.too-big");
    }
}
