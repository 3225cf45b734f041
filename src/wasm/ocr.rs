//! The browser boundary of the page's OCR module (the `ocr-module` feature): a thin
//! `#[wasm_bindgen]` API over `crate::ocr` and `crate::recognise::ocr`, nothing else. The page
//! loads it only when the patient asks to read the text of pictures of documents, in the OCR
//! worker (www/workers/ocr-worker.js), which fetches the models from the page's own origin and
//! has the browser decode the pictures:
//!
//! * `new Ocr(detector, recogniser)`: the engine from the two ONNX models' bytes;
//! * `ocr.readPage(width, height, rgba)` → a `Page`: the text of one picture the browser decoded
//!   upright (a photo, or one page of an image-only PDF); `Page.notDecoded()`: one the browser
//!   could not decode;
//! * `pdfPageJpegs(blob)` → the JPEG pictures of an image-only PDF's pages (Web Worker only: the
//!   file read in place), or throws the `Page` that says why there are none;
//! * `withText(entry, pages)` → the entry with what the pages' text says (its `document`, with
//!   `text_source: "ocr"`), or a note saying why it was not read — as the CLI's `scan --ocr`.
//!
//! An engine that does not load throws an `Error` whose `messageJson` is the `Message`, to word
//! in the page's language with the report module's `fillMessage` (as the pixel module does): the
//! catalogue of words stays out of this module.

#[path = "blob.rs"]
mod blob;
#[path = "message_error.rs"]
mod message_error;

use std::io::Read;

use js_sys::{Array, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::document::{self, DocumentText};
use crate::entry::FileEntry;
use crate::limits::Limits;
use crate::ocr::Engine;
use crate::picture::Pixels;
use crate::recognise::ocr::{join_pages, put_text};
use crate::text::{msg, Message};

use message_error::error;

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The OCR engine, its models planned once.
#[wasm_bindgen]
pub struct Ocr {
    engine: Engine,
}

/// The text read from one picture, or why it was not.
#[wasm_bindgen]
pub struct Page {
    read: Result<DocumentText, Message>,
}

#[wasm_bindgen]
impl Ocr {
    /// The engine from the ONNX files of the detector, the recogniser and the text direction
    /// classifier.
    #[wasm_bindgen(constructor)]
    pub fn new(detector: &[u8], recogniser: &[u8], classifier: &[u8]) -> Result<Ocr, JsValue> {
        let engine = Engine::load(detector, recogniser, classifier).map_err(|m| error(&m))?;
        Ok(Ocr { engine })
    }

    /// The text of the picture in `rgba` (`width × height`, four bytes a pixel from the top
    /// left, as a canvas's `getImageData` gives), decoded upright by the browser.
    #[wasm_bindgen(js_name = readPage)]
    pub fn read_page(&self, width: u32, height: u32, rgba: &[u8]) -> Page {
        Page {
            read: self
                .engine
                .read(width, height, Pixels::Rgba(rgba), 0, &Limits::default()),
        }
    }
}

#[wasm_bindgen]
impl Page {
    /// Whether its text was read.
    #[wasm_bindgen(getter)]
    pub fn ok(&self) -> bool {
        self.read.is_ok()
    }

    /// A picture the browser could not decode. Not the picture analysis' reason (it says what
    /// the picture shows was not looked at, and the browser's own words add nothing for the
    /// patient): it had been looked at, this is why its text was not read.
    #[wasm_bindgen(js_name = notDecoded)]
    pub fn not_decoded() -> Page {
        Page {
            read: Err(msg!("error.ocr.not-decoded")),
        }
    }
}

/// The JPEG pictures of the pages of the PDF `blob` (read in place, up to the document limit;
/// Web Worker only); throws the `Page` that says why when there are none or the PDF does not
/// open.
#[wasm_bindgen(js_name = pdfPageJpegs, unchecked_return_type = "Uint8Array[]")]
pub fn pdf_page_jpegs(blob: web_sys::Blob) -> Result<Array, Page> {
    let failed = |read| Page { read: Err(read) };
    let limits = Limits::default();
    let reader = blob::BlobReader::new(blob).map_err(|e| failed(msg!("error.read", detail = e)))?;
    if let Some(problem) = document::too_big(reader.size(), &limits) {
        return Err(failed(problem));
    }
    let mut bytes = Vec::new();
    reader
        .take(limits.max_document_bytes)
        .read_to_end(&mut bytes)
        .map_err(|e| failed(msg!("error.read", detail = e.to_string())))?;
    let jpegs = document::pdf::page_jpegs(&bytes, &limits).map_err(failed)?;
    if jpegs.is_empty() {
        return Err(failed(msg!("error.ocr.no-image")));
    }
    Ok(jpegs.iter().map(|j| Uint8Array::from(&j[..])).collect())
}

/// `entry` (a `FileEntry`) with what the text of its `pages` says — one for a photo, each of
/// its pages for a PDF — on its `document`; the first page not read makes it a note instead.
#[wasm_bindgen(js_name = withText, unchecked_return_type = "FileEntry")]
pub fn with_text(
    #[wasm_bindgen(unchecked_param_type = "FileEntry")] entry: JsValue,
    pages: Vec<Page>,
) -> Result<JsValue, JsError> {
    let mut entry: FileEntry = serde_wasm_bindgen::from_value(entry)
        .map_err(|e| JsError::new(&format!("could not read the entry: {e}")))?;
    let pdf = entry.kind == crate::FileKind::Pdf;
    let read: Result<Vec<DocumentText>, Message> = pages.into_iter().map(|p| p.read).collect();
    let read = read.map(|mut pages| {
        if pdf || pages.len() != 1 {
            join_pages(pages)
        } else {
            pages.remove(0)
        }
    });
    put_text(&mut entry, read, &Limits::default());
    entry
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("could not convert the result for JavaScript: {e}")))
}
