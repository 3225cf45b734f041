//! `Sha256Stream` and `FileDigest`, in both modules: the scan workers hash the pieces a
//! `BundleWriter` (report module) sends them, and read the files it references for their size,
//! CRC-32 and SHA-256, so that the hashing runs on other cores.

use sha2::{Digest, Sha256};
use wasm_bindgen::prelude::*;

use crate::bundle::manifest;

/// SHA-256 over pieces, for the workers that hash what a `BundleWriter` reads.
#[wasm_bindgen]
pub struct Sha256Stream(Sha256);

#[wasm_bindgen]
impl Sha256Stream {
    #[wasm_bindgen(constructor)]
    #[allow(clippy::new_without_default)] // a JS constructor
    pub fn new() -> Sha256Stream {
        Sha256Stream(Sha256::new())
    }

    pub fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// The digest as 64 lowercase hex digits; the stream starts again, empty.
    pub fn finish(&mut self) -> String {
        manifest::hex(&std::mem::take(&mut self.0).finalize())
    }
}

/// The CRC-32 (crc32fast) and, unless the page computes it with `crypto.subtle`, the SHA-256 of
/// a file a `BundleWriter` references, over its pieces.
#[wasm_bindgen]
pub struct FileDigest {
    crc32: crc32fast::Hasher,
    sha256: Option<Sha256>,
    size: u64,
}

#[wasm_bindgen]
impl FileDigest {
    /// `sha256`: compute the SHA-256 too.
    #[wasm_bindgen(constructor)]
    pub fn new(sha256: bool) -> FileDigest {
        FileDigest {
            crc32: crc32fast::Hasher::new(),
            sha256: sha256.then(Sha256::new),
            size: 0,
        }
    }

    pub fn update(&mut self, bytes: &[u8]) {
        self.crc32.update(bytes);
        if let Some(h) = self.sha256.as_mut() {
            h.update(bytes);
        }
        self.size += bytes.len() as u64;
    }

    /// The bytes given so far.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> f64 {
        self.size as f64
    }

    /// The CRC-32 of the bytes so far.
    pub fn crc32(&self) -> u32 {
        self.crc32.clone().finalize()
    }

    /// The SHA-256 of the bytes so far as 64 lowercase hex digits (`""` when not computed).
    pub fn sha256(&self) -> String {
        self.sha256
            .as_ref()
            .map(|h| manifest::hex(&h.clone().finalize()))
            .unwrap_or_default()
    }
}
