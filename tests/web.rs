//! The browser side on the main thread, in headless Chromium (wasm-bindgen-test): corpus files
//! embedded as bytes give the same answers as natively, and the exported JS API (`scanBytes`,
//! `schemaVersion`, `version`) returns plain objects that follow the JSON contract and the
//! shipped TypeScript types. `scanBlob` needs a Web Worker: see `web_worker.rs`.
//!
//! Run with `cargo test --target wasm32-unknown-unknown --test web` (`cargo xtask test` does).
//! The corpus is embedded at build time from `../shared/corpus`.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Function, Object, Reflect, Uint8Array};
use record_precheck::dicom::DicomClass;
use record_precheck::{scan_bytes, FileEntry, FileKind, Limits, SCHEMA_VERSION};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const CT_IR58: &[u8] = include_bytes!("../../shared/corpus/case-chinese-charset/CT_IR58.dcm");
const MR_NO_CHARSET: &[u8] =
    include_bytes!("../../shared/corpus/case-chinese-charset/MR_no_charset.dcm");
const CT_NO_PREAMBLE: &[u8] = include_bytes!("../../shared/corpus/case-mixed/CT_no_preamble.dcm");
const IMAGES_ZIP: &[u8] = include_bytes!("../../shared/corpus/case-mixed/images_export.zip");
const HUGE_LENGTH: &[u8] = include_bytes!("../../shared/corpus/case-bad-input/huge_length.dcm");
const PHOTO: &[u8] = include_bytes!("../../shared/corpus/case-screenshots/IMG_4821.JPG");
const TYPES: &str = include_str!("../src/wasm/types.d.ts");

fn scan(path: &str, bytes: &[u8]) -> FileEntry {
    scan_bytes(path, bytes, &Limits::default())
}

// ---- the core, compiled to wasm -------------------------------------------------------------

#[wasm_bindgen_test]
fn iso_2022_ir_58_name_is_decoded() {
    let e = scan("CT_IR58.dcm", CT_IR58);
    assert_eq!(e.kind, FileKind::Dicom, "{}", e.reason);
    let d = e.dicom.expect("DICOM facts");
    assert_eq!(d.class, Some(DicomClass::Image));
    assert_eq!(d.patient_name.as_deref(), Some("Wang^XiaoDong=王^小东="));
    assert_eq!(d.patient_id.as_deref(), Some("BJ20240117"));
    assert_eq!(d.modality.as_deref(), Some("CT"));
}

#[wasm_bindgen_test]
fn missing_charset_is_repaired() {
    let e = scan("MR_no_charset.dcm", MR_NO_CHARSET);
    assert_eq!(e.kind, FileKind::Dicom, "{}", e.reason);
    let d = e.dicom.expect("DICOM facts");
    assert_eq!(d.patient_name.as_deref(), Some("王小东"));
    assert!(d.charset_repaired);
}

#[wasm_bindgen_test]
fn dataset_without_preamble_is_dicom() {
    let e = scan("CT_no_preamble.dcm", CT_NO_PREAMBLE);
    assert_eq!(e.kind, FileKind::Dicom, "{}", e.reason);
    let d = e.dicom.expect("DICOM facts");
    assert!(!d.has_preamble);
    assert_eq!(d.transfer_syntax.as_deref(), Some("1.2.840.10008.1.2"));
}

#[wasm_bindgen_test]
fn zip_members_are_recognised() {
    let e = scan("images_export.zip", IMAGES_ZIP);
    assert_eq!(e.kind, FileKind::Archive, "{}", e.reason);
    let members = e.members.expect("members listed");
    assert_eq!(members.len(), 3, "{members:#?}");
    assert!(
        members.iter().all(|m| m.kind == FileKind::Dicom),
        "{members:#?}"
    );
}

#[wasm_bindgen_test]
fn huge_length_field_is_corrupt_and_allocates_nothing() {
    let before = memory_bytes();
    let e = scan("huge_length.dcm", HUGE_LENGTH);
    assert_eq!(e.kind, FileKind::Corrupt, "{}", e.reason);
    let error = e.error.expect("an error message");
    assert!(error.contains("4294967280"), "{error}");
    // A length trusted blindly would grow wasm memory by 4 GiB (or trap).
    assert!(
        memory_bytes() - before < (16 << 20) as f64,
        "memory grew from {before} to {}",
        memory_bytes()
    );
}

#[wasm_bindgen_test]
fn camera_jpeg_is_a_photo() {
    let e = scan("IMG_4821.JPG", PHOTO);
    assert_eq!(e.kind, FileKind::Photo, "{}", e.reason);
}

fn memory_bytes() -> f64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    memory
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length() as f64
}

// ---- the exported JS API --------------------------------------------------------------------

#[wasm_bindgen(inline_js = "
export function runnerModule() {
    // The module the test runner loaded (same URL, so the same, initialised instance).
    return import(new URL('wasm-bindgen-test', self.location.href).href);
}")]
extern "C" {
    #[wasm_bindgen(js_name = runnerModule)]
    fn runner_module() -> js_sys::Promise;
}

/// The exported function `name`, as JS sees it.
async fn export(name: &str) -> Function {
    let module = wasm_bindgen_futures::JsFuture::from(runner_module())
        .await
        .expect("the test module imports");
    let f = Reflect::get(&module, &name.into()).unwrap();
    f.dyn_into()
        .unwrap_or_else(|_| panic!("`{name}` is not exported by the test module"))
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).unwrap()
}

async fn scan_bytes_js(path: &str, bytes: &[u8]) -> JsValue {
    let f = export("scanBytes").await;
    f.call2(&JsValue::NULL, &path.into(), &Uint8Array::from(bytes))
        .expect("scanBytes does not throw")
}

#[wasm_bindgen_test]
async fn scan_bytes_gives_the_json_contract() {
    let e = scan_bytes_js("CT_IR58.dcm", CT_IR58).await;
    assert_eq!(get(&e, "kind"), "dicom");
    assert_eq!(get(&e, "path"), "CT_IR58.dcm");
    // u64 → number, Option::None → null, an empty `notes` → absent.
    assert_eq!(get(&e, "size").as_f64(), Some(CT_IR58.len() as f64));
    assert!(get(&e, "error").is_null());
    assert!(!Reflect::has(&e, &"notes".into()).unwrap());
    let d = get(&e, "dicom");
    assert_eq!(get(&d, "class"), "image");
    assert_eq!(get(&d, "patient_name"), "Wang^XiaoDong=王^小东=");
    assert_eq!(get(&d, "modality"), "CT");
    assert!(get(&d, "image_type").is_array());

    let mr = scan_bytes_js("MR_no_charset.dcm", MR_NO_CHARSET).await;
    let d = get(&mr, "dicom");
    assert!(get(&d, "charset").is_null());
    assert_eq!(get(&d, "charset_repaired"), JsValue::TRUE);

    let zip = scan_bytes_js("images_export.zip", IMAGES_ZIP).await;
    assert_eq!(get(&zip, "kind"), "archive");
    let members: Array = get(&zip, "members").unchecked_into();
    assert_eq!(members.length(), 3);
    assert!(members.iter().all(|m| get(&m, "kind") == "dicom"));

    let bad = scan_bytes_js("huge_length.dcm", HUGE_LENGTH).await;
    assert_eq!(get(&bad, "kind"), "corrupt");
    assert!(get(&bad, "error")
        .as_string()
        .unwrap()
        .contains("4294967280"));
}

#[wasm_bindgen_test]
async fn versions_are_exported() {
    let schema = export("schemaVersion").await.call0(&JsValue::NULL).unwrap();
    assert_eq!(schema.as_f64(), Some(SCHEMA_VERSION as f64));
    let version = export("version").await.call0(&JsValue::NULL).unwrap();
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
}

#[wasm_bindgen_test]
async fn scan_blob_outside_a_worker_throws_an_error() {
    let blob =
        web_sys::Blob::new_with_u8_array_sequence(&Array::of1(&Uint8Array::from(CT_IR58))).unwrap();
    let thrown = export("scanBlob")
        .await
        .call2(&JsValue::NULL, &"CT_IR58.dcm".into(), &blob)
        .unwrap_err();
    let message = String::from(
        thrown
            .dyn_into::<js_sys::Error>()
            .expect("a JS Error")
            .message(),
    );
    assert!(message.contains("Web Worker"), "{message}");
}

/// Every key JS receives is declared in `types.d.ts`, and every non-optional field is present.
#[wasm_bindgen_test]
async fn values_match_the_typescript_types() {
    let entries = [
        scan_bytes_js("CT_IR58.dcm", CT_IR58).await,
        scan_bytes_js("MR_no_charset.dcm", MR_NO_CHARSET).await,
        scan_bytes_js("images_export.zip", IMAGES_ZIP).await,
        scan_bytes_js("huge_length.dcm", HUGE_LENGTH).await,
        scan_bytes_js("IMG_4821.JPG", PHOTO).await,
    ];
    for entry in &entries {
        check_keys(entry, "FileEntry");
        if let Some(members) = get(entry, "members").dyn_ref::<Array>() {
            members.iter().for_each(|m| check_keys(&m, "FileEntry"));
        }
        for (field, interface) in [
            ("dicom", "DicomInfo"),
            ("dicomdir", "DicomDirInfo"),
            ("image", "RasterFacts"),
        ] {
            let value = get(entry, field);
            if !value.is_undefined() {
                check_keys(&value, interface);
            }
        }
    }
}

fn check_keys(value: &JsValue, interface: &str) {
    let fields = interface_fields(interface);
    let keys: Vec<String> = Object::keys(value.unchecked_ref::<Object>())
        .iter()
        .filter_map(|k| k.as_string())
        .collect();
    for key in &keys {
        assert!(
            fields.iter().any(|(f, _)| f == key),
            "`{key}` is not declared in interface {interface}"
        );
    }
    for (field, optional) in &fields {
        assert!(
            *optional || keys.contains(field),
            "{interface}.{field} is missing from {keys:?}"
        );
    }
}

/// The fields of `interface` in types.d.ts, with whether each is optional (`name?:`).
fn interface_fields(interface: &str) -> Vec<(String, bool)> {
    let start = TYPES
        .find(&format!("export interface {interface} {{"))
        .expect("interface declared");
    let body = &TYPES[start..];
    let body = &body[body.find('{').unwrap() + 1..body.find("\n}").unwrap()];
    body.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('/') && !l.starts_with('*') && l.contains(':'))
        .map(|l| {
            let name = &l[..l.find(':').unwrap()];
            (name.trim_end_matches('?').to_string(), name.ends_with('?'))
        })
        .collect()
}
