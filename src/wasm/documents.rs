//! `readDocuments` (report module, `documents` feature): the scan of one file with the document
//! readers — what `scanBlob` gives, plus the `document` object of every PDF, DOCX and text file
//! in it (also inside zips) and of DICOM encapsulated PDFs and structured reports. The page
//! calls it after the first report (www/workers/documents.js) and puts the entries it returns
//! in place of the first ones.

use wasm_bindgen::prelude::*;
use web_sys::Blob;

use super::blob::BlobReader;
use super::to_js;
use crate::{scan_file, Limits};

/// Scans a `Blob` or `File` with the document readers, reading only the slices it needs (a
/// document whole, up to the document limit). Only in a Web Worker (it uses `FileReaderSync`).
/// A file that cannot be read is returned as a `corrupt` entry, not thrown.
#[wasm_bindgen(js_name = readDocuments, unchecked_return_type = "FileEntry")]
pub fn read_documents_js(path: &str, blob: Blob) -> Result<JsValue, JsError> {
    let reader = BlobReader::new(blob).map_err(|m| JsError::new(&m))?;
    let size = reader.size();
    to_js(&scan_file(path, size, reader, &Limits::default()))
}
