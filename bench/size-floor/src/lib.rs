//! Calls the mandated crates the way the app does, so that the linker keeps what the app's wasm
//! cannot do without: nothing else. Only built to be measured.

use dicom_core::dictionary::UidDictionary;
use dicom_encoding::TransferSyntaxIndex;
use std::io::{Cursor, Write};
use wasm_bindgen::prelude::*;

/// Parse a data set the way the app does: meta group, then the data set with its transfer syntax.
#[wasm_bindgen]
pub fn parse(meta: &[u8], data: &[u8]) -> String {
    let Ok(m) = dicom_object::meta::FileMetaTable::from_reader(meta) else {
        return String::new();
    };
    let Some(ts) = dicom_transfer_syntax_registry::TransferSyntaxRegistry.get(m.transfer_syntax())
    else {
        return String::new();
    };
    match dicom_object::InMemDicomObject::read_dataset_with_ts(data, ts) {
        Ok(o) => o
            .iter()
            .map(|e| {
                format!(
                    "{:?}={}",
                    e.header().tag,
                    e.value().to_str().unwrap_or_default()
                )
            })
            .collect(),
        Err(e) => e.to_string(),
    }
}
#[wasm_bindgen]
pub fn sop_name(uid: &str) -> Option<String> {
    dicom_dictionary_std::StandardSopClassDictionary
        .by_uid(uid)
        .map(|e| e.name.to_string())
}
/// List a zip, inflating each member (the app scans members), and write one (the bundle).
#[wasm_bindgen]
pub fn zips(bytes: &[u8], deflate: bool) -> Vec<u8> {
    let mut names = Vec::new();
    if let Ok(mut z) = zip::ZipArchive::new(Cursor::new(bytes)) {
        for i in 0..z.len() {
            if let Ok(mut f) = z.by_index(i) {
                let mut v = Vec::new();
                let _ = std::io::Read::read_to_end(&mut f, &mut v);
                names.push(f.name().map(|n| n.to_string()).unwrap_or_default());
            }
        }
    }
    let mut w = zip::ZipWriter::new_stream(Vec::new());
    let o = zip::write::SimpleFileOptions::default().compression_method(if deflate {
        zip::CompressionMethod::Deflated
    } else {
        zip::CompressionMethod::Stored
    });
    for n in names {
        let _ = w.start_file(n, o);
        let _ = w.write_all(bytes);
    }
    w.finish().map(|c| c.into_inner()).unwrap_or_default()
}
#[wasm_bindgen]
pub fn hash(bytes: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).to_vec()
}
