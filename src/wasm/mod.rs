//! The browser boundary, and the only module that knows JavaScript: a thin `#[wasm_bindgen]` API
//! over the core plus [`blob::BlobReader`]. It makes one of two wasm modules:
//!
//! * with the `scan-module` feature, the first-scan module, all the page loads before the
//!   patient's first scan (the scan workers run it): scanning ([`scan`]: `scanBytes`,
//!   `scanWindows`, `scanBlob`, `schemaVersion`, `version`) and `Sha256Stream`, `FileDigest` ([`sha256`]);
//! * without it, the report module, which the page loads in the background when the first scan
//!   starts (the report worker, the document worker and the main thread run it): the same
//!   scanning, and
//!   - the report: `buildReport`, `renderReportHtml` ([`report`]), and `ScannedFiles` (the
//!     files kept in wasm memory, for a report on every change of the answers, with the
//!     redacted report a host page may see, the thumbnails to make and the printable report
//!     with them; see [`scanned_files`]);
//!   - the bundle: `ScannedFiles.bundleSetAside`, `BundleWriter` (Web Worker only; see
//!     [`bundle`]);
//!   - with the `documents` feature, `readDocuments` ([`documents`]: the scan with the
//!     document readers);
//!   - with the `picture-analysis` feature, `analysePicture`, `pictureRefused`,
//!     `pictureNotDecoded` ([`pictures`]: what a browser-decoded picture shows);
//!   - the report's words, so the page writes exactly what the printable report writes:
//!     `messages`, `fillMessage`, `findingSentences`, `itemSentence`, `stepSentence`,
//!     `evidenceText`, `patientLine`, `personFacts`, `documentLine`, `timelineDraftText`,
//!     `displayName`, `displayDate` (see [`sentences`]);
//!   - the code lists: `fileKinds`, `documentCategories` (see [`codes`]).
//!
//! Values go out as plain JS objects through `serde-wasm-bindgen` in its JSON-compatible mode
//! (`None` → `null`, `u64` → `number`), so JS sees exactly the JSON contract the CLI prints
//! (schema_version 2), and come in the same way. The TypeScript types ship in `pkg/*.d.ts`:
//! `report-types.d.ts`, generated from the core's types (`crate::report::typescript`), and the
//! API's own in `types.d.ts`. No logic lives here beyond adapting types; anything else belongs in the core.

mod blob;
#[cfg(not(feature = "scan-module"))]
mod bundle;
#[cfg(not(feature = "scan-module"))]
mod codes;
#[cfg(all(feature = "documents", not(feature = "scan-module")))]
mod documents;
#[cfg(all(feature = "picture-analysis", not(feature = "scan-module")))]
mod pictures;
#[cfg(not(feature = "scan-module"))]
mod report;
mod scan;
#[cfg(not(feature = "scan-module"))]
mod scanned_files;
#[cfg(not(feature = "scan-module"))]
mod sentences;
mod sha256;
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

#[cfg(not(feature = "scan-module"))]
fn from_js<T: serde::de::DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsError> {
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| JsError::new(&format!("could not read {what}: {e}")))
}
