//! The browser boundary, and the only module that knows JavaScript: a thin `#[wasm_bindgen]` API
//! over the core plus [`blob::BlobReader`]. It makes one of two wasm modules:
//!
//! * the page's (the default; `cargo xtask build` leaves the document readers out), in
//!   [`page`] and the files beside it;
//! * with the `document-module` feature, the document module the page loads after the first
//!   report ([`documents`]: `readDocuments`), with the readers and the scanner but none of the
//!   page's API.
//!
//! The page's module:
//!
//! - scanning: `scanBytes`, `scanWindows` (from a file's first and last bytes, read ahead by the
//!   caller; `null` when they are not enough), `scanBlob` (Web Worker only);
//! - the report: `buildReport`, `renderReportHtml`, and `ScannedFiles` (the files kept in wasm
//!   memory, for a report on every change of the answers; see [`scanned_files`]);
//! - the bundle: `ScannedFiles.bundleSetAside`, `BundleWriter` (Web Worker only; see [`bundle`]);
//! - the report's words, so the page writes exactly what the printable report writes:
//!   `messages`, `fillMessage`, `findingSentences`, `itemSentence`, `stepSentence`,
//!   `evidenceText`, `patientLine`, `personFacts`, `documentLine`, `timelineDraftText`, `displayName`, `displayDate` (see [`sentences`]);
//! - the code lists: `fileKinds`, `documentCategories` (see [`codes`]);
//! - `schemaVersion`, `version`.
//!
//! Values go out as plain JS objects through `serde-wasm-bindgen` in its JSON-compatible mode
//! (`None` → `null`, `u64` → `number`), so JS sees exactly the JSON contract the CLI prints
//! (schema_version 2), and come in the same way. The TypeScript types ship in `pkg/*.d.ts`:
//! `report-types.d.ts`, generated from the core's types (`crate::report::typescript`), and the
//! API's own in `types.d.ts`. No logic lives here beyond adapting types; anything else belongs in the core.

mod blob;
#[cfg(not(feature = "document-module"))]
mod bundle;
#[cfg(not(feature = "document-module"))]
mod codes;
#[cfg(feature = "document-module")]
mod documents;
#[cfg(not(feature = "document-module"))]
mod page;
#[cfg(not(feature = "document-module"))]
mod scanned_files;
#[cfg(not(feature = "document-module"))]
mod sentences;
#[cfg(feature = "test-trap")]
mod test_trap;

use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Installs the panic hook, so that a Rust panic shows its message in the console.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("could not convert the result for JavaScript: {e}")))
}

#[cfg(not(feature = "document-module"))]
fn from_js<T: serde::de::DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsError> {
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| JsError::new(&format!("could not read {what}: {e}")))
}
