//! record-precheck: checks a patient's medical records for a second opinion, entirely locally.
//!
//! The data's way through the crate:
//!
//! | module | owns |
//! |---|---|
//! | [`dicom`] | DICOM headers (bounded, validated, never pixel data), character sets, DICOMDIR |
//! | [`raster`] | PNG/JPEG/HEIC/TIFF facts: screenshot vs photo vs whole-slide image |
//! | [`recognise`] | one file or zip member → [`FileEntry`]: sniffing, zips, folder walking |
//! | [`case`] | files → patients, studies, series; findings |
//! | [`readiness`] | the second-opinion checklist, overall level, next steps |
//! | [`report`] | the Report value (JSON) and its HTML/text rendering in English and Chinese |
//! | [`bundle`] | the streamed zip a reviewer opens: layout, manifest with SHA-256, verifier |
//! | [`entry`] | the per-file model and the JSON scan document |
//! | [`message`] | a file's reason, error and notes as message ids and values, for any language |
//! | [`limits`] | every hard limit, in one place |
//! | [`io`] | readers that know no format: seekable trait object, counting, read-ahead windows |
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
pub mod dicom;
pub mod entry;
pub mod io;
pub mod limits;
pub mod message;
pub mod raster;
pub mod readiness;
pub mod recognise;
pub mod report;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use entry::{FileEntry, FileKind, SCHEMA_VERSION};
pub use limits::Limits;
pub use recognise::{scan_bytes, scan_file, scan_windows};
