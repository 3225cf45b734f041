//! `BundleWriter`: the bundle ([`crate::bundle`]) for the page, pulled piece by piece from a
//! Web Worker. The files stored as given (a CD's DICOM) are not read here: with
//! `referenceInputs` the writer hands out references to them (`nextPiece`), which the page
//! resolves into the patient's own `File`s (the browser copies them into the zip), and their
//! size, CRC-32 and SHA-256 come from the workers that read them (`FileDigest`, `setInputDigest`).
//! The other inputs (pictures to scrub, de-identified DICOM, deflated entries, zip members) are
//! read here through [`BlobReader`], and other workers hash what the writer reads with
//! `Sha256Stream` (`hashWith`: the pieces go to them through `MessagePort`s). Adapts types
//! only: the plan, the layout, the hashing and the zip are the core's.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::io::{self, Cursor, Read};
use std::rc::Rc;

use serde::Deserialize;
use wasm_bindgen::prelude::*;
use web_sys::{Blob, MessagePort};

use super::blob::BlobReader;
use super::report::{declarations_of, parse_lang};
use super::scanned_files::{thumbnails_of, ScannedFiles};
use super::{from_js, to_js};
use crate::bundle::{
    Action, BundleOptions, Bundler, Consent, FileSource, HashOffload, InputDigest, Piece, Plan,
    PlanOptions, Source, Timestamp,
};
use crate::dicom::deidentify;
use crate::io::ReadSeek;

/// Bytes sent to the hashing workers and not yet acknowledged, at most (all ports together).
const HASH_IN_FLIGHT: u64 = 16 << 20;

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
    /// Write photos and screenshots as given, their location and camera details included.
    keep_picture_metadata: bool,
    /// The patient's consent to send the bundle abroad (the send step), for the manifest.
    consent: Option<Consent>,
    /// De-identify the imaging, with these options (`DeidentifyRequest` in types.d.ts).
    deidentify: Option<DeidentifyRequest>,
}

/// The page's de-identification choice; the secret is drawn by the page
/// (`crypto.getRandomValues`) for each bundle.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct DeidentifyRequest {
    secret: Vec<u8>,
    modified_dates: bool,
    patient_characteristics: bool,
    clean_descriptors: bool,
}

/// The patient's files by the path the report shows them under, and the bytes of the next few
/// already read by the page (`provide`): reading with `FileReaderSync` blocks the writer, while
/// the page's asynchronous reads run on the browser's threads as the writer works.
struct BlobSource {
    files: js_sys::Map,
    provided: HashMap<String, Vec<u8>>,
    /// Files the writer has opened: bytes provided for them later are dropped, not kept.
    opened: HashSet<String>,
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
        self.opened.insert(path.to_string());
        if let Some(bytes) = self.provided.remove(path) {
            return Ok(Box::new(Cursor::new(bytes)));
        }
        Ok(Box::new(self.reader(path)?))
    }

    fn open_seekable(&mut self, path: &str) -> io::Result<Box<dyn ReadSeek>> {
        Ok(Box::new(self.reader(path)?))
    }
}

/// The hashing workers, as the bundler's [`HashOffload`]: input `item` always goes to port
/// `item % ports.len()` (its pieces must reach one hasher, in order). Messages out: `{ item,
/// bytes }` (the buffer transferred), `{ item, end: true }`; back (see `BundleWriter`):
/// `{ acked: bytes }` after each piece, `{ item, sha256 }` after each end.
struct Hashers {
    ports: Vec<MessagePort>,
    in_flight: Rc<RefCell<u64>>,
}

impl Hashers {
    fn post(&self, item: usize, message: &js_sys::Object, transfer: &js_sys::Array) {
        let port = &self.ports[item % self.ports.len()];
        // A port can only fail to post when the message cannot be cloned: ours always can.
        let _ = port.post_message_with_transferable(message, transfer);
    }
}

impl HashOffload for Hashers {
    fn has_room(&self) -> bool {
        *self.in_flight.borrow() < HASH_IN_FLIGHT
    }

    fn piece(&mut self, item: usize, bytes: &[u8]) {
        let copy = js_sys::Uint8Array::new_with_length(bytes.len() as u32);
        copy.copy_from(bytes);
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"item".into(), &(item as u32).into());
        let _ = js_sys::Reflect::set(&message, &"bytes".into(), &copy);
        self.post(item, &message, &js_sys::Array::of1(&copy.buffer()));
        *self.in_flight.borrow_mut() += bytes.len() as u64;
    }

    fn end(&mut self, item: usize) {
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"item".into(), &(item as u32).into());
        let _ = js_sys::Reflect::set(&message, &"end".into(), &JsValue::TRUE);
        self.post(item, &message, &js_sys::Array::new());
    }
}

/// A file of the bundle, for the page: `ReadAhead` in types.d.ts.
#[derive(serde::Serialize)]
struct ReadAhead<'a> {
    index: usize,
    path: &'a str,
    size: u64,
}

/// `Err` unless `sha256` is 64 lowercase hex digits.
fn check_digest(sha256: &str) -> Result<(), JsError> {
    if sha256.len() != 64
        || !sha256
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return Err(JsError::new(&format!(
            "could not use the digest {sha256:?}: give 64 lowercase hex digits"
        )));
    }
    Ok(())
}

/// Writes the bundle of a case. Only in a Web Worker (files are read with `FileReaderSync`).
#[wasm_bindgen]
pub struct BundleWriter {
    bundler: Bundler,
    source: BlobSource,
    /// Bytes sent to the hashing workers and not acknowledged (shared with [`Hashers`]).
    hash_in_flight: Rc<RefCell<u64>>,
}

#[wasm_bindgen]
impl BundleWriter {
    /// The bundle of the case's files with the patient's `declarations`, reading each file
    /// from `files` (report path → `File`), made now; report.html shows `thumbnails` (PNG bytes
    /// by report path) unless the bundle is de-identified.
    #[wasm_bindgen(constructor)]
    pub fn new(
        scanned: &mut ScannedFiles,
        #[wasm_bindgen(unchecked_param_type = "Partial<Declarations> | null | undefined")]
        declarations: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Map<string, Blob>")] files: js_sys::Map,
        #[wasm_bindgen(unchecked_param_type = "BundleRequest")] options: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Map<string, Uint8Array> | undefined")]
        thumbnails: JsValue,
    ) -> Result<BundleWriter, JsError> {
        let request: Request = if options.is_null() || options.is_undefined() {
            Request::default()
        } else {
            from_js(options, "the bundle options")?
        };
        let lang = parse_lang(request.lang.as_deref().unwrap_or("en"))?;
        let now = Timestamp::from_unix((js_sys::Date::now() / 1000.0) as i64);
        let options = PlanOptions {
            lang,
            exclude: request.exclude,
            set_aside: Vec::new(),
            created: Some(now.iso()),
            consent: request.consent,
            deidentify: match request.deidentify {
                Some(d) => Some(deidentify::Options {
                    secret: d.secret.try_into().map_err(|_| {
                        JsError::new("the de-identification secret must be 32 random bytes")
                    })?,
                    modified_dates: d.modified_dates,
                    patient_characteristics: d.patient_characteristics,
                    clean_descriptors: d.clean_descriptors,
                }),
                None => None,
            },
            thumbnails: thumbnails_of(thumbnails),
        };
        let plan = scanned.with_report(declarations_of(declarations)?, |report| {
            Plan::build(report, &options)
        });
        let bundler = Bundler::new(
            plan,
            BundleOptions {
                deflate: request.deflate,
                modified: Some(now),
                keep_picture_metadata: request.keep_picture_metadata,
                ..BundleOptions::default()
            },
        );
        Ok(BundleWriter {
            bundler,
            source: BlobSource {
                files,
                provided: HashMap::new(),
                opened: HashSet::new(),
            },
            hash_in_flight: Rc::new(RefCell::new(0)),
        })
    }

    /// Hands the SHA-256 of the files copied to the workers at the other end of `ports` (each
    /// hashing with `Sha256Stream`), instead of hashing them here; call before the first
    /// `nextPiece`. Their answers must be passed on: `hashAcked` and `setDigest`. Without ports
    /// this does nothing.
    #[wasm_bindgen(js_name = hashWith)]
    pub fn hash_with(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "MessagePort[]")] ports: js_sys::Array,
    ) -> Result<(), JsError> {
        let ports = ports
            .iter()
            .map(|p| p.dyn_into::<MessagePort>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| JsError::new("could not hash elsewhere: give an array of MessagePorts"))?;
        if !ports.is_empty() {
            self.bundler.offload_hashing(Box::new(Hashers {
                ports,
                in_flight: self.hash_in_flight.clone(),
            }));
        }
        Ok(())
    }

    /// A hashing worker has hashed `bytes` more bytes.
    #[wasm_bindgen(js_name = hashAcked)]
    pub fn hash_acked(&mut self, bytes: f64) {
        let mut in_flight = self.hash_in_flight.borrow_mut();
        *in_flight = in_flight.saturating_sub(bytes as u64);
    }

    /// The SHA-256 (lowercase hex) a hashing worker computed for input `item`.
    #[wasm_bindgen(js_name = setDigest)]
    pub fn set_digest(&mut self, item: u32, sha256: String) -> Result<(), JsError> {
        check_digest(&sha256)?;
        self.bundler.set_digest(item as usize, sha256);
        Ok(())
    }

    /// Whether the last `nextPiece` (which then returned an empty piece) waits for the hashing
    /// workers: call it again after their next answer.
    pub fn waiting(&self) -> bool {
        self.bundler.waiting()
    }

    /// Hands out the files stored as given as references (`nextPiece`) instead of reading
    /// them; call before the first piece. Returns them, in the order of the zip, for the page
    /// to read their digests: `[{ index, path, size }]` (`index`: for `setInputDigest`). The
    /// writer waits for each one's digest before writing its entry.
    #[wasm_bindgen(js_name = referenceInputs, unchecked_return_type = "ReadAhead[]")]
    pub fn reference_inputs(&mut self) -> Result<JsValue, JsError> {
        self.bundler.reference_inputs();
        let list: Vec<ReadAhead> = self
            .bundler
            .referenced()
            .into_iter()
            .map(|r| ReadAhead {
                index: r.item,
                path: r.path,
                size: r.size,
            })
            .collect();
        to_js(&list)
    }

    /// What a worker read of referenced input `index` (its bytes are those the page then puts
    /// into the zip): its size, CRC-32 and SHA-256 (lowercase hex).
    #[wasm_bindgen(js_name = setInputDigest)]
    pub fn set_input_digest(
        &mut self,
        index: u32,
        size: f64,
        crc32: u32,
        sha256: String,
    ) -> Result<(), JsError> {
        check_digest(&sha256)?;
        if !(size >= 0.0 && size <= 2f64.powi(53) && size.fract() == 0.0) {
            return Err(JsError::new(&format!(
                "could not use the size {size}: give a whole number of bytes"
            )));
        }
        let digest = InputDigest::Read {
            size: size as u64,
            crc32,
            sha256,
        };
        self.bundler.set_input_digest(index as usize, digest);
        Ok(())
    }

    /// Referenced input `index` could not be read (`message`: why): it is left out, and the
    /// manifest says why.
    #[wasm_bindgen(js_name = inputUnreadable)]
    pub fn input_unreadable(&mut self, index: u32, message: String) {
        self.bundler
            .set_input_digest(index as usize, InputDigest::Unreadable(message));
    }

    /// The next piece of the zip, or `undefined` once it is complete: bytes (at most 1 MiB; empty
    /// while the writer waits, see `waiting`), or, after `referenceInputs`, a reference
    /// `{ index, path, size }` to the whole of a file the page copies into the zip itself.
    /// Throws when the zip cannot be written; a file that cannot be read is not an error (the
    /// manifest says so).
    #[wasm_bindgen(js_name = nextPiece, unchecked_return_type = "Uint8Array | ReadAhead | undefined")]
    pub fn next_piece(&mut self) -> Result<JsValue, JsError> {
        let piece = self
            .bundler
            .next_piece(&mut self.source)
            .map_err(|e| JsError::new(&e.to_string()))?;
        match piece {
            None => Ok(JsValue::UNDEFINED),
            Some(Piece::Bytes(bytes)) => Ok(js_sys::Uint8Array::from(&bytes[..]).into()),
            Some(Piece::Input { item, path, len }) => to_js(&ReadAhead {
                index: item,
                path: &path,
                size: len,
            }),
        }
    }

    /// The files the bundle reads itself, in the order it reads them, for reading ahead:
    /// `[{ index, path, size }]` (`index`: the input's place among all inputs, compared with
    /// `progress().inputs_done`). Neither zip members (they are read from their zip) nor the
    /// files referenced (`referenceInputs`) are listed.
    #[wasm_bindgen(js_name = readAheadList, unchecked_return_type = "ReadAhead[]")]
    pub fn read_ahead_list(&self) -> Result<JsValue, JsError> {
        let referenced: HashSet<usize> = self.bundler.referenced().iter().map(|r| r.item).collect();
        let list: Vec<ReadAhead> = self
            .bundler
            .plan()
            .items
            .iter()
            .enumerate()
            .filter_map(|(index, item)| match (&item.action, &item.source) {
                (Action::Copy { .. }, Source::File(path)) if !referenced.contains(&index) => {
                    Some(ReadAhead {
                        index,
                        path,
                        size: item.size,
                    })
                }
                _ => None,
            })
            .collect();
        to_js(&list)
    }

    /// The whole content of file `path` (as listed by `readAheadList`), read by the page: the
    /// writer uses it instead of reading the file itself, once. Ignored when the writer has
    /// already opened the file (it came too late).
    pub fn provide(&mut self, path: String, bytes: &[u8]) {
        if !self.source.opened.contains(&path) {
            self.source.provided.insert(path, bytes.to_vec());
        }
    }

    /// How far the bundle is.
    #[wasm_bindgen(unchecked_return_type = "BundleProgress")]
    pub fn progress(&self) -> Result<JsValue, JsError> {
        to_js(self.bundler.progress())
    }

    /// Once the zip is complete, the manifest's totals; `null` before.
    /// Who each pseudonym of a de-identified bundle stands for (empty otherwise): shown to the
    /// patient, never written into the bundle.
    #[wasm_bindgen(js_name = pseudonymKey, unchecked_return_type = "PseudonymKey[]")]
    pub fn pseudonym_key(&self) -> Result<JsValue, JsError> {
        to_js(&self.bundler.plan().key)
    }

    #[wasm_bindgen(unchecked_return_type = "ManifestTotals | null")]
    pub fn totals(&self) -> Result<JsValue, JsError> {
        match self.bundler.manifest() {
            Some(m) => to_js(&m.totals),
            None => Ok(JsValue::NULL),
        }
    }
}
