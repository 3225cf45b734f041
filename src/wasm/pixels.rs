//! The browser boundary of the page's pixel module (the `pixels-module` feature): a thin
//! `#[wasm_bindgen]` API over `crate::pixels`, nothing else. The page loads it on demand, after
//! the first report, in the workers that make thumbnails:
//!
//! * `thumbnail(bytes, maxSide)` and `thumbnailBlob(blob, maxSide)` (Web Worker only: the file is
//!   read in place, only its header and the frame shown) → `{width, height, channels, pixels,
//!   frame, frames, seriesUid}`: the middle frame rendered (first window or min–max,
//!   MONOCHROME1 inverted) and scaled down with an area filter to at most `maxSide` pixels on its
//!   longer side; `pixels` is a `Uint8Array` of 8-bit grey (1 channel) or RGB (3), row by row;
//! * `png(thumbnail)` → the PNG bytes of such an object (for the report's embedded images);
//! * `thumbnailSide()`: the thumbnail size the report uses (256).
//!
//! A file that does not decode throws an `Error` whose message is the reason's id and whose
//! `messageJson` property is the `Message` (id and values), to word in the page's language.

#[path = "blob.rs"]
mod blob;
#[path = "message_error.rs"]
mod message_error;

use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;

use crate::limits::Limits;
use crate::pixels::{self, Image, Rendered};
use message_error::error;

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// A thumbnail for JavaScript.
#[wasm_bindgen]
pub struct Thumbnail {
    image: Image,
    frame: u32,
    frames: u32,
    series_uid: Option<String>,
}

#[wasm_bindgen]
impl Thumbnail {
    #[wasm_bindgen(getter)]
    pub fn width(&self) -> u32 {
        self.image.width
    }
    #[wasm_bindgen(getter)]
    pub fn height(&self) -> u32 {
        self.image.height
    }
    #[wasm_bindgen(getter)]
    pub fn channels(&self) -> u8 {
        self.image.channels
    }
    /// A copy of the pixels in JS memory.
    #[wasm_bindgen(getter)]
    pub fn pixels(&self) -> Uint8Array {
        Uint8Array::from(&self.image.pixels[..])
    }
    #[wasm_bindgen(getter)]
    pub fn frame(&self) -> u32 {
        self.frame
    }
    #[wasm_bindgen(getter)]
    pub fn frames(&self) -> u32 {
        self.frames
    }
    #[wasm_bindgen(getter, js_name = seriesUid)]
    pub fn series_uid(&self) -> Option<String> {
        self.series_uid.clone()
    }
    /// The thumbnail as PNG bytes.
    pub fn png(&self) -> Result<Uint8Array, JsValue> {
        let bytes = pixels::encode::png(&self.image).map_err(|m| error(&m))?;
        Ok(Uint8Array::from(&bytes[..]))
    }
}

/// The longest side of the report's thumbnails.
#[wasm_bindgen(js_name = thumbnailSide)]
pub fn thumbnail_side() -> u32 {
    pixels::THUMBNAIL_SIDE
}

/// The middle frame of a DICOM file held in memory, as a thumbnail.
#[wasm_bindgen]
pub fn thumbnail(bytes: &[u8], max_side: u32) -> Result<Thumbnail, JsValue> {
    let rendered = pixels::render_dicom_bytes(bytes, &Limits::default()).map_err(|m| error(&m))?;
    Ok(scaled(rendered, max_side))
}

/// The middle frame of a DICOM `File`/`Blob`, read in place (Web Worker only), as a thumbnail.
#[wasm_bindgen(js_name = thumbnailBlob)]
pub fn thumbnail_blob(blob: web_sys::Blob, max_side: u32) -> Result<Thumbnail, JsValue> {
    use std::io::Read;
    let limits = Limits::default();
    let mut reader =
        blob::BlobReader::new(blob).map_err(|e| JsValue::from(js_sys::Error::new(&e)))?;
    let size = reader.size();
    let mut head = Vec::new();
    (&mut reader)
        .take(limits.sniff_bytes as u64)
        .read_to_end(&mut head)
        .map_err(|e| JsValue::from(js_sys::Error::new(&e.to_string())))?;
    let rendered = pixels::render_dicom(head, &mut reader, size, &limits).map_err(|m| error(&m))?;
    Ok(scaled(rendered, max_side))
}

fn scaled(rendered: Rendered, max_side: u32) -> Thumbnail {
    Thumbnail {
        image: pixels::thumbnail(&rendered.image, max_side),
        frame: rendered.frame,
        frames: rendered.frames,
        series_uid: rendered.series_uid,
    }
}
