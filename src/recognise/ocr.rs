//! The text of a scanned file that is a picture of a document, read by OCR (the CLI's
//! `scan --ocr`, after the scan): a photo or screenshot whose `picture.subject` is `document`,
//! or a PDF without a text layer (a scanner's pages). The text goes to the document reader, so
//! the entry gets a `document` (category, patient, dates, 病理号…) whose `text_source` is
//! `ocr`. Failures are notes on the entry; the other files go on.
//!
//! The CLI decodes the pictures here (feature `pictures`: [`read_entry`]); the page's OCR module
//! reads the pixels the browser decoded and puts the text on the entry with [`put_text`].

#[cfg(feature = "pictures")]
use std::io::{BufReader, Read, Seek, SeekFrom};

use crate::codes::Subject;
use crate::document::{self, DocumentText, TextSource};
use crate::entry::{FileEntry, FileKind};
use crate::limits::Limits;
#[cfg(feature = "pictures")]
use crate::ocr::{turns_for_orientation, Engine};
#[cfg(feature = "pictures")]
use crate::picture::decode::pixels;
use crate::text::{msg, Message};

/// Whether OCR would read this entry: a picture of a document, or a PDF without text.
pub fn wants_ocr(entry: &FileEntry) -> bool {
    match entry.kind {
        FileKind::Photo | FileKind::Screenshot => entry
            .picture
            .as_ref()
            .is_some_and(|p| p.subject == Subject::Document),
        FileKind::Pdf => entry
            .document
            .as_ref()
            .is_some_and(|d| d.text_source.is_none()),
        _ => false,
    }
}

/// Reads the text of `entry` (one that [`wants_ocr`]) from `file`, the whole file, and puts what
/// it says on the entry's `document`; a failure becomes a note.
#[cfg(feature = "pictures")]
pub fn read_entry<R: Read + Seek>(
    entry: &mut FileEntry,
    file: R,
    engine: &Engine,
    limits: &Limits,
) {
    let read = if entry.kind == FileKind::Pdf {
        read_pdf(entry.size, file, engine, limits)
    } else {
        read_picture(entry, file, engine, limits)
    };
    put_text(entry, read, limits);
}

/// Puts what the text read by OCR says on the entry's `document`; a failure becomes a note.
/// (The page reads the pictures' pixels the browser decoded, src/wasm/ocr.rs, and ends here too.)
pub fn put_text(entry: &mut FileEntry, read: Result<DocumentText, Message>, limits: &Limits) {
    match read {
        Ok(text) => {
            let pages = entry.document.as_ref().and_then(|d| d.pages);
            let (mut info, notes) = document::understand_text(text, limits);
            info.pages = info.pages.or(pages);
            entry.document = Some(info);
            entry.add_note(msg!("note.ocr.read"));
            for note in notes {
                entry.add_note(note);
            }
        }
        Err(problem) => entry.add_note(msg!("note.document.not-read", detail = problem)),
    }
}

/// A photo's or screenshot's text, turned upright by its EXIF orientation first.
#[cfg(feature = "pictures")]
fn read_picture<R: Read + Seek>(
    entry: &FileEntry,
    mut file: R,
    engine: &Engine,
    limits: &Limits,
) -> Result<DocumentText, Message> {
    let image = entry
        .image
        .as_ref()
        .ok_or_else(|| msg!("error.ocr.not-decoded"))?;
    file.seek(SeekFrom::Start(0))
        .map_err(|e| msg!("error.read", detail = e.to_string()))?;
    let decoded = pixels(BufReader::new(file), &image.format, limits).map_err(not_decoded)?;
    let (width, height, pixels) = decoded.pixels();
    let turns = turns_for_orientation(image.orientation);
    engine.read(width, height, pixels, turns, limits)
}

/// A PDF's pages, each its JPEG picture read by OCR, separated by an empty line as the text
/// layer's pages are.
#[cfg(feature = "pictures")]
fn read_pdf<R: Read + Seek>(
    size: u64,
    mut file: R,
    engine: &Engine,
    limits: &Limits,
) -> Result<DocumentText, Message> {
    if let Some(problem) = document::too_big(size, limits) {
        return Err(problem);
    }
    let mut bytes = Vec::new();
    file.seek(SeekFrom::Start(0))
        .and_then(|_| {
            Read::by_ref(&mut file)
                .take(limits.max_document_bytes)
                .read_to_end(&mut bytes)
        })
        .map_err(|e| msg!("error.read", detail = e.to_string()))?;
    let jpegs = document::pdf::page_jpegs(&bytes, limits)?;
    drop(bytes);
    if jpegs.is_empty() {
        return Err(msg!("error.ocr.no-image"));
    }
    let mut pages = Vec::new();
    for jpeg in &jpegs {
        let decoded = pixels(std::io::Cursor::new(jpeg), "jpeg", limits).map_err(not_decoded)?;
        let (width, height, pixels) = decoded.pixels();
        pages.push(engine.read(width, height, pixels, 0, limits)?);
    }
    Ok(join_pages(pages))
}

/// A PDF's pages, each read by OCR, as one text: separated by an empty line as the text
/// layer's pages are.
pub fn join_pages(pages: Vec<DocumentText>) -> DocumentText {
    let mut text = String::new();
    let mut notes = Vec::new();
    let count = u32::try_from(pages.len()).ok();
    for page in pages {
        if !text.is_empty() && !page.text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&page.text);
        notes.extend(page.notes);
    }
    DocumentText {
        text,
        source: TextSource::Ocr,
        pages: count,
        notes,
    }
}

/// Why OCR could not have the picture's pixels, from the picture reader's reason: the same fact
/// said of its text (the picture reader's own reasons end "what it shows was not looked at"), and
/// as the page's OCR module says it for a picture the browser could not decode.
pub fn not_decoded(info: crate::picture::PictureInfo) -> Message {
    let Some(reason) = info.reason_message else {
        return msg!("error.ocr.not-decoded");
    };
    let value = |name: &str| reason.values.get(name).cloned().unwrap_or_default();
    match reason.id.as_str() {
        "reason.picture.too-large" => msg!(
            "error.ocr.too-large",
            width = value("width"),
            height = value("height"),
            limit = value("limit")
        ),
        "reason.picture.no-decoder" => msg!("error.ocr.no-decoder", format = value("format")),
        _ => msg!("error.ocr.not-decoded"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::picture;

    #[test]
    fn a_picture_that_cannot_be_decoded_says_so_of_its_text() {
        let heic = not_decoded(picture::not_decoded("heic", ""));
        assert_eq!(
            heic.to_string(),
            "HEIC pictures are not decoded here: convert it to JPEG, or read it in the browser app"
        );
        let broken = not_decoded(picture::not_decoded("jpeg", "bad marker"));
        assert_eq!(broken.to_string(), "the picture could not be decoded");
        let huge = picture::too_many_pixels(60_000, 60_000, &Limits::default())
            .expect("a 60,000 × 60,000 picture is over the limit");
        let huge = not_decoded(huge).to_string();
        assert!(
            huge.starts_with("the picture is 60000 × 60000 pixels, over the ")
                && huge.ends_with(" megapixel limit of OCR"),
            "{huge}"
        );
    }
}
