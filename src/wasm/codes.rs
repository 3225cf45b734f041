//! The contract's code lists for the page, in the core's order, so the page keeps no copy:
//! `fileKinds()` for the file table's filter and `documentCategories()` for the tags a patient
//! picks.

use strum::IntoEnumIterator;
use wasm_bindgen::prelude::*;

use super::to_js;
use crate::codes::{Category, FileKind};

/// Every file kind (`FileEntry.kind`), in the order the file table lists them.
#[wasm_bindgen(js_name = fileKinds, unchecked_return_type = "FileKind[]")]
pub fn file_kinds_js() -> Result<JsValue, JsError> {
    to_js(&FileKind::iter().collect::<Vec<_>>())
}

/// Every document category (`Declarations.document_categories`), in the order offered.
#[wasm_bindgen(js_name = documentCategories, unchecked_return_type = "Category[]")]
pub fn document_categories_js() -> Result<JsValue, JsError> {
    to_js(&Category::iter().collect::<Vec<_>>())
}
