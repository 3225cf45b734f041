//! Scanning, in both modules: `scanBytes`, `scanWindows`, `scanBlob`, `schemaVersion`,
//! `version` — all the first-scan module exports besides `Sha256Stream` (see `mod.rs`).

use wasm_bindgen::prelude::*;
use web_sys::Blob;

use super::blob::BlobReader;
#[cfg(feature = "test-trap")]
use super::test_trap;
use super::to_js;
use crate::{scan_bytes, scan_file, scan_windows, Limits, SCHEMA_VERSION};

#[wasm_bindgen(typescript_custom_section)]
const REPORT_TYPES: &'static str = include_str!("report-types.d.ts");

#[wasm_bindgen(typescript_custom_section)]
const API_TYPES: &'static str = include_str!("types.d.ts");

/// Recognises a file whose bytes are already in memory. `path` is what the report shows.
#[wasm_bindgen(js_name = scanBytes, unchecked_return_type = "FileEntry")]
pub fn scan_bytes_js(path: &str, bytes: &[u8]) -> Result<JsValue, JsError> {
    #[cfg(feature = "test-trap")]
    test_trap::check(bytes);
    to_js(&scan_bytes(path, bytes, &Limits::default()))
}

/// Recognises a file from bytes read ahead: `head`, its first bytes (from offset 0), and `tail`,
/// its last bytes (ending at `size`; may be empty), without reading anything else. Returns
/// `null` when these bytes are not enough (a zip's central directory, a header longer than
/// `head`, the end of compressed pixel data when `tail` is empty): scan the whole file then,
/// with `scanBlob`. Reading a few KiB of many files at once is much cheaper in a browser than
/// reading each file on demand. Throws when `size` is not a whole number of bytes at least as
/// large as `head` and `tail`.
#[wasm_bindgen(js_name = scanWindows, unchecked_return_type = "FileEntry | null")]
pub fn scan_windows_js(
    path: &str,
    size: f64,
    #[wasm_bindgen(unchecked_param_type = "Uint8Array")] head: &[u8],
    #[wasm_bindgen(unchecked_param_type = "Uint8Array")] tail: &[u8],
) -> Result<JsValue, JsError> {
    const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;
    let longest = head.len().max(tail.len()) as f64;
    if !(size.fract() == 0.0 && (longest..=MAX_SAFE_INTEGER).contains(&size)) {
        return Err(JsError::new(&format!(
            "could not use the size {size} of {path:?}: give the file's size in bytes, at least \
             the length of head ({}) and tail ({})",
            head.len(),
            tail.len()
        )));
    }
    #[cfg(feature = "test-trap")]
    test_trap::check(head);
    match scan_windows(path, size as u64, head, tail, &Limits::default()) {
        Some(entry) => to_js(&entry),
        None => Ok(JsValue::NULL),
    }
}

/// Recognises a `Blob` or `File` by reading only the slices it needs. Only in a Web Worker
/// (it uses `FileReaderSync`); throws an `Error` elsewhere. A file that cannot be read is
/// returned as a `corrupt` entry, not thrown.
#[wasm_bindgen(js_name = scanBlob, unchecked_return_type = "FileEntry")]
pub fn scan_blob_js(path: &str, blob: Blob) -> Result<JsValue, JsError> {
    let reader = BlobReader::new(blob).map_err(|m| JsError::new(&m))?;
    #[cfg(feature = "test-trap")]
    let reader = test_trap::check_reader(reader);
    let size = reader.size();
    to_js(&scan_file(path, size, reader, &Limits::default()))
}

/// The version of the JSON contract (`schema_version`) the values follow.
#[wasm_bindgen(js_name = schemaVersion)]
pub fn schema_version() -> u32 {
    SCHEMA_VERSION
}

/// The crate version, `major.minor.patch`.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
