//! What a picture shows, in the report module (`picture-analysis` feature): the page decodes a
//! photo or screenshot in a worker with the browser's own decoder (www/workers/document-worker.js)
//! and hands its pixels to `analysePicture`; `pictureRefused` says, before decoding, whether a
//! picture is over the limits, and `pictureNotDecoded` what to say of one the browser could
//! not decode — the same reasons as the CLI's (src/picture/).

use wasm_bindgen::prelude::*;

use super::{from_js, to_js};
use crate::picture::{self, Pixels};
use crate::{FileEntry, Limits};

/// What the picture in `rgba` (`width × height`, four bytes a pixel from the top left, as a
/// canvas's `getImageData` gives) shows, and its QR codes.
#[wasm_bindgen(js_name = analysePicture, unchecked_return_type = "PictureInfo")]
pub fn analyse_picture_js(width: u32, height: u32, rgba: &[u8]) -> Result<JsValue, JsError> {
    let limits = Limits::default();
    to_js(&picture::analyse(
        width,
        height,
        Pixels::Rgba(rgba),
        limits.max_picture_pixels,
    ))
}

/// The `picture` of a photo or screenshot `entry` that is not to be decoded (its file or its
/// header's size over the limits), or `null` when it may be.
#[wasm_bindgen(js_name = pictureRefused, unchecked_return_type = "PictureInfo | null")]
pub fn picture_refused_js(
    #[wasm_bindgen(unchecked_param_type = "FileEntry")] entry: JsValue,
) -> Result<JsValue, JsError> {
    let entry: FileEntry = from_js(entry, "the entry")?;
    let (width, height) = entry
        .image
        .as_ref()
        .map_or((None, None), |i| (i.width, i.height));
    to_js(&picture::refused(
        entry.size,
        width,
        height,
        &Limits::default(),
    ))
}

/// The `picture` of a picture of `format` (the entry's `image.format`) the browser could not
/// decode, with the browser's `error`.
#[wasm_bindgen(js_name = pictureNotDecoded, unchecked_return_type = "PictureInfo")]
pub fn picture_not_decoded_js(format: &str, error: &str) -> Result<JsValue, JsError> {
    to_js(&picture::not_decoded(format, error))
}
