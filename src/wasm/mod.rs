//! The browser boundary, and the only module that knows JavaScript: a thin `#[wasm_bindgen]` API
//! over the core (`scanBytes`, `scanBlob`, `schemaVersion`, `version`) plus [`blob::BlobReader`].
//!
//! Values go out as plain JS objects through `serde-wasm-bindgen` in its JSON-compatible mode
//! (`None` → `null`, `u64` → `number`), so JS sees exactly the JSON contract the CLI prints
//! (schema_version 1). The TypeScript types in `types.d.ts` ship in `pkg/*.d.ts`. No logic lives
//! here beyond adapting types; anything else belongs in the core.

mod blob;

use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::Blob;

use crate::{scan_bytes, scan_file, Limits, SCHEMA_VERSION};
use blob::BlobReader;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("types.d.ts");

/// Installs the panic hook, so that a Rust panic shows its message in the console.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// Recognises a file whose bytes are already in memory. `path` is what the report shows.
#[wasm_bindgen(js_name = scanBytes, unchecked_return_type = "FileEntry")]
pub fn scan_bytes_js(path: &str, bytes: &[u8]) -> Result<JsValue, JsError> {
    to_js(&scan_bytes(path, bytes, &Limits::default()))
}

/// Recognises a `Blob` or `File` by reading only the slices it needs. Only in a Web Worker
/// (it uses `FileReaderSync`); throws an `Error` elsewhere. A file that cannot be read is
/// returned as a `corrupt` entry, not thrown.
#[wasm_bindgen(js_name = scanBlob, unchecked_return_type = "FileEntry")]
pub fn scan_blob_js(path: &str, blob: Blob) -> Result<JsValue, JsError> {
    let reader = BlobReader::new(blob).map_err(|m| JsError::new(&m))?;
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

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("could not convert the result for JavaScript: {e}")))
}
