//! record-precheck: checks a patient's medical records for a second opinion, entirely locally.
//!
//! The crate is built in layers. A module imports only from layers below its own (and from
//! modules of its own layer that come before it in the table); `tests/layers.rs` reads this
//! table and fails on a `crate::` import that goes up. The data's way through it is the order
//! of the layers: file → recognise → case → readiness → report → bundle.
//!
//! | layer | module | owns |
//! |---|---|---|
//! | 0 | [`limits`] | every hard limit, in one place |
//! | 0 | [`io`] | readers that know no format: seekable trait object, counting, read-ahead windows |
//! | 0 | [`codes`] | the contract's codes as enums: file kinds, findings, items, steps, statuses |
//! | 0 | [`text`] | languages, the message catalogue, [`text::Message`] ids with values |
//! | 1 | [`dicom`] | DICOM headers (bounded, validated, never pixel data), character sets, DICOMDIR, the reports objects carry |
//! | 1 | [`raster`] | PNG/JPEG/HEIC/TIFF facts: screenshot vs photo vs whole-slide image |
//! | 1 | [`picture`] | what a picture shows from its pixels (document, screen, film, QR slip…), its QR codes, cloud-film links |
//! | 1 | [`profile`] | a host's profile: reviewer languages, required items, recency windows, extra items (validated) |
//! | 1 | [`document`] | documents: their text (PDF text layers, DOCX, text files), bounded, and what it says |
//! | 1 | `ocr` | the text of a picture of a document, read on the device (feature `ocr`: the CLI's `scan --ocr`, the page's OCR module) |
//! | 2 | [`entry`] | one file's model ([`FileEntry`]) and the JSON scan document |
//! | 3 | [`recognise`] | one file or zip member → [`FileEntry`]: sniffing, zips, folder walking |
//! | 4 | [`case`] | files → patients, studies, series; findings |
//! | 4 | `pixels` | one frame of a DICOM image decoded and rendered (8-bit grey/RGB), thumbnails, PNG (feature `pixels`) |
//! | 5 | [`notes`] | the patient's own parts: what makes a timeline and a question specific |
//! | 5 | [`readiness`] | the second-opinion checklist, overall level, next steps |
//! | 6 | [`report`] | the Report value (JSON) and its redacted twin for host pages, its sentences, HTML and terminal text, request slips |
//! | 7 | [`bundle`] | the streamed zip a reviewer opens: layout, manifest with SHA-256, verifier |
//! | 8 | `static_http`, `serve`, `wasm`, `main`, `preview` | the edges: HTTP, kiosk server, browser glue, CLI (and its `preview`) |
//!
//! The core never uses wasm-bindgen, js-sys or web-sys: it takes bytes and `Read`/`Seek`. The
//! browser glue lives in `wasm` and is compiled only for `wasm32`.
//!
//! ```no_run
//! use record_precheck::{scan_bytes, Limits};
//! let bytes = std::fs::read("IM000001").unwrap();
//! let entry = scan_bytes("IM000001", &bytes, &Limits::default());
//! println!("{} because {}", entry.kind.as_str(), entry.reason);
//! ```

pub mod bundle;
pub mod case;
pub mod codes;
pub mod dicom;
pub mod document;
pub mod entry;
pub mod io;
pub mod limits;
pub mod notes;
#[cfg(feature = "ocr-engine")]
pub mod ocr;
pub mod picture;
#[cfg(feature = "pixels")]
pub mod pixels;
pub mod profile;
pub mod raster;
pub mod readiness;
pub mod recognise;
pub mod report;
pub mod text;

#[cfg(all(
    target_arch = "wasm32",
    not(feature = "pixels-module"),
    not(feature = "ocr-module")
))]
mod wasm;
/// The page's third wasm module, the pixel decoder, has its own thin entry (and nothing else).
#[cfg(all(target_arch = "wasm32", feature = "pixels-module"))]
#[path = "wasm/pixels.rs"]
mod wasm;
/// The page's fourth, OCR (loaded when the patient asks for it): its own thin entry too.
#[cfg(all(target_arch = "wasm32", feature = "ocr-module"))]
#[path = "wasm/ocr.rs"]
mod wasm;

pub use entry::{FileEntry, FileKind, SCHEMA_VERSION};
pub use limits::Limits;
pub use recognise::{scan_bytes, scan_file, scan_windows};
