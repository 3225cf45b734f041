//! `Sha256Stream`, in both modules: the scan workers hash the pieces a `BundleWriter` (report
//! module) sends them, so the bundle's files are read once and hashed on other cores.

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
