//! `BundleWriter`: the bundle ([`crate::bundle`]) for the page, pulled chunk by chunk from a
//! Web Worker, reading the patient's `File`s in place through [`BlobReader`]. Adapts types only:
//! the plan, the layout, the hashing and the zip are the core's.

use std::io::{self, Read};

use serde::Deserialize;
use wasm_bindgen::prelude::*;
use web_sys::Blob;

use super::blob::BlobReader;
use super::{from_js, parse_lang, report_of, to_js};
use crate::archive::ReadSeek;
use crate::bundle::{BundleOptions, Bundler, FileSource, Plan, PlanOptions, Timestamp};

/// What the page decides, as `BundleWriter`'s `options` (`BundleRequest` in types.d.ts).
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Request {
    /// `"en"` or `"zh"`: report.html, timeline.md and questions.md.
    lang: Option<String>,
    /// Report paths the patient left out.
    exclude: Vec<String>,
    /// Deflate DICOM, text and PDF (smaller, slower).
    deflate: bool,
}

/// The patient's files by the path the report shows them under.
struct BlobSource {
    files: js_sys::Map,
}

impl BlobSource {
    fn reader(&self, path: &str) -> io::Result<BlobReader> {
        let blob = self
            .files
            .get(&JsValue::from_str(path))
            .dyn_into::<Blob>()
            .map_err(|_| {
                io::Error::new(
                    io::ErrorKind::NotFound,
                    "the page no longer has this file (it was not given to the bundle)",
                )
            })?;
        BlobReader::new(blob).map_err(io::Error::other)
    }
}

impl FileSource for BlobSource {
    fn open(&mut self, path: &str) -> io::Result<Box<dyn Read>> {
        Ok(Box::new(self.reader(path)?))
    }

    fn open_seekable(&mut self, path: &str) -> io::Result<Box<dyn ReadSeek>> {
        Ok(Box::new(self.reader(path)?))
    }
}

/// Writes the bundle of a case. Only in a Web Worker (files are read with `FileReaderSync`).
#[wasm_bindgen]
pub struct BundleWriter {
    bundler: Bundler,
    source: BlobSource,
}

#[wasm_bindgen]
impl BundleWriter {
    /// The bundle of the scanned `entries` with the patient's `declarations` (the inputs of
    /// `buildReport`), reading each file from `files` (report path → `File`), made now.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "FileEntry[]")] entries: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Partial<Declarations> | null | undefined")]
        declarations: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Map<string, Blob>")] files: js_sys::Map,
        #[wasm_bindgen(unchecked_param_type = "BundleRequest")] options: JsValue,
    ) -> Result<BundleWriter, JsError> {
        let request: Request = if options.is_null() || options.is_undefined() {
            Request::default()
        } else {
            from_js(options, "the bundle options")?
        };
        let lang = parse_lang(request.lang.as_deref().unwrap_or("en"))?;
        let report = report_of(entries, declarations)?;
        let now = Timestamp::from_unix((js_sys::Date::now() / 1000.0) as i64);
        let plan = Plan::build(
            &report,
            &PlanOptions {
                lang,
                exclude: request.exclude,
                set_aside: Vec::new(),
                created: Some(now.iso()),
            },
        );
        let bundler = Bundler::new(
            plan,
            BundleOptions {
                deflate: request.deflate,
                modified: Some(now),
                ..BundleOptions::default()
            },
        );
        Ok(BundleWriter {
            bundler,
            source: BlobSource { files },
        })
    }

    /// The next piece of the zip (at most 1 MiB; it may be empty while a possible duplicate
    /// is compared), or `undefined` once the zip is complete. Throws when the zip cannot be
    /// written; a file that cannot be read is not an error (the manifest says so).
    #[wasm_bindgen(js_name = nextChunk)]
    pub fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, JsError> {
        self.bundler
            .next_chunk(&mut self.source)
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// How far the bundle is.
    #[wasm_bindgen(unchecked_return_type = "BundleProgress")]
    pub fn progress(&self) -> Result<JsValue, JsError> {
        to_js(self.bundler.progress())
    }

    /// Once the zip is complete, the manifest's totals; `null` before.
    #[wasm_bindgen(unchecked_return_type = "ManifestTotals | null")]
    pub fn totals(&self) -> Result<JsValue, JsError> {
        match self.bundler.manifest() {
            Some(m) => to_js(&m.totals),
            None => Ok(JsValue::NULL),
        }
    }
}
