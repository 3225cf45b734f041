//! The JS `Error` the pixel and OCR modules throw for a `Message` (each includes this file, as
//! it does blob.rs: those modules are built without `wasm/mod.rs`).

use wasm_bindgen::JsValue;

use crate::text::Message;

/// A JS `Error` whose message is the reason's id (`pixels.too-large`…) and whose `messageJson`
/// is the `Message` itself, for the page to word with the report module's `fillMessage`: the
/// catalogue of words stays out of these modules.
pub fn error(message: &Message) -> JsValue {
    let error: JsValue = js_sys::Error::new(&message.id).into();
    let json = serde_json::to_string(message).unwrap_or_default();
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(
        &error,
        &JsValue::from_str("messageJson"),
        &JsValue::from_str(&json),
    );
    error
}
