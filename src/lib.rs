//! record-precheck: checks a patient's medical records for a second opinion, entirely locally.
//!
//! The data's way through the crate:
//!
//! | module | owns |
//! |---|---|
//! | [`sniff`] | bytes + name → file family, from magic numbers |
//! | [`dicom`] | DICOM headers (bounded, validated, never pixel data), character sets, DICOMDIR |
//! | [`raster`] | PNG/JPEG/HEIC/TIFF facts: screenshot vs photo vs whole-slide image |
//! | [`archive`] | looking inside zips, with limits |
//! | [`scan`] | one file → [`FileEntry`] |
//! | [`folder`] | native folder walking for the CLI and tests |
//! | [`case`] | files → patients, studies, series; findings |
//! | [`readiness`] | the second-opinion checklist, overall level, next steps |
//! | [`report`] | the Report value (JSON) and its HTML/text rendering in English and Chinese |
//! | [`bundle`] | the streamed zip a reviewer opens: layout, manifest with SHA-256, verifier |
//! | [`entry`] | the per-file model and the JSON scan document |
//! | [`text`] | languages, the message catalogue, [`text::Message`] ids with values |
//! | [`limits`] | every hard limit, in one place |
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

pub mod archive;
pub mod bundle;
pub mod case;
pub mod codes;
pub mod dicom;
pub mod entry;
pub mod folder;
pub mod limits;
pub mod raster;
pub mod readiness;
pub mod report;
pub mod scan;
pub mod sniff;
pub mod text;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use entry::{FileEntry, FileKind, SCHEMA_VERSION};
pub use limits::Limits;
pub use scan::{scan_file, scan_windows};

/// Recognises a file held in memory.
pub fn scan_bytes(path: &str, bytes: &[u8], limits: &Limits) -> FileEntry {
    scan_file(
        path,
        bytes.len() as u64,
        std::io::Cursor::new(bytes),
        limits,
    )
}
