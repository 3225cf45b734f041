//! The browser side in a dedicated Web Worker, where `FileReaderSync` exists: [`BlobReader`]
//! reads and seeks like a file, `scan_file` over a `Blob` gives the same entry as over the same
//! bytes in memory while reading few slices, and the exported `scanBlob` returns what
//! `scanBytes` returns.
//!
//! Run with `cargo test --target wasm32-unknown-unknown --test web_worker` (`cargo xtask test`
//! does). `BlobReader` is private to the crate, so its source is compiled into this test too.
#![cfg(target_arch = "wasm32")]

#[path = "../src/wasm/blob.rs"]
mod blob;

use std::io::{Read, Seek, SeekFrom};

use blob::{BlobReader, READ_AHEAD};
use js_sys::{Array, Function, Reflect, Uint8Array};
use record_precheck::{scan_bytes, scan_file, FileKind, Limits};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::Blob;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

const CT_IR58: &[u8] = include_bytes!("../../shared/corpus/case-chinese-charset/CT_IR58.dcm");
const CT_NO_PREAMBLE: &[u8] = include_bytes!("../../shared/corpus/case-mixed/CT_no_preamble.dcm");
const IMAGES_ZIP: &[u8] = include_bytes!("../../shared/corpus/case-mixed/images_export.zip");
const HUGE_LENGTH: &[u8] = include_bytes!("../../shared/corpus/case-bad-input/huge_length.dcm");
const PHOTO: &[u8] = include_bytes!("../../shared/corpus/case-screenshots/IMG_4821.JPG");

fn blob_of(bytes: &[u8]) -> Blob {
    Blob::new_with_u8_array_sequence(&Array::of1(&Uint8Array::from(bytes))).unwrap()
}

/// 200,000 bytes where byte i is `i % 251`, so every position has a recognisable value.
fn pattern() -> Vec<u8> {
    (0..200_000u32).map(|i| (i % 251) as u8).collect()
}

#[wasm_bindgen_test]
fn blob_reader_reads_and_seeks_like_a_file() {
    let bytes = pattern();
    let mut r = BlobReader::new(blob_of(&bytes)).unwrap();
    assert_eq!(r.size(), bytes.len() as u64);

    let mut head = [0u8; 132];
    r.read_exact(&mut head).unwrap();
    assert_eq!(&head[..], &bytes[..132]);
    assert_eq!(
        r.slices_read(),
        1,
        "small reads come from the read-ahead buffer"
    );

    // Across the end of the read-ahead buffer.
    r.seek(SeekFrom::Start(READ_AHEAD as u64 - 10)).unwrap();
    let mut across = [0u8; 20];
    r.read_exact(&mut across).unwrap();
    assert_eq!(&across[..], &bytes[READ_AHEAD - 10..READ_AHEAD + 10]);

    // A read bigger than the read-ahead is fetched whole.
    r.seek(SeekFrom::Start(1000)).unwrap();
    let mut big = vec![0u8; READ_AHEAD * 2];
    r.read_exact(&mut big).unwrap();
    assert_eq!(big, &bytes[1000..1000 + READ_AHEAD * 2]);

    assert_eq!(r.seek(SeekFrom::End(-5)).unwrap(), bytes.len() as u64 - 5);
    let mut tail = Vec::new();
    r.read_to_end(&mut tail).unwrap();
    assert_eq!(tail, &bytes[bytes.len() - 5..]);

    assert_eq!(
        r.seek(SeekFrom::Current(100)).unwrap(),
        bytes.len() as u64 + 100
    );
    assert_eq!(r.read(&mut head).unwrap(), 0, "past the end reads nothing");
    assert!(r
        .seek(SeekFrom::Current(-(bytes.len() as i64) - 1000))
        .is_err());
}

#[wasm_bindgen_test]
fn scanning_a_blob_gives_the_same_entry_as_its_bytes() {
    let limits = Limits::default();
    for (name, bytes) in [
        ("CT_IR58.dcm", CT_IR58),
        ("CT_no_preamble.dcm", CT_NO_PREAMBLE),
        ("images_export.zip", IMAGES_ZIP),
        ("huge_length.dcm", HUGE_LENGTH),
        ("IMG_4821.JPG", PHOTO),
    ] {
        let mut reader = BlobReader::new(blob_of(bytes)).unwrap();
        let from_blob = scan_file(name, reader.size(), &mut reader, &limits);
        let from_bytes = scan_bytes(name, bytes, &limits);
        assert_eq!(from_blob, from_bytes, "{name}");
        assert!(
            reader.slices_read() <= 4,
            "{name}: {} slices read",
            reader.slices_read()
        );
    }
}

#[wasm_bindgen_test]
fn a_dicom_header_is_read_in_one_slice() {
    let mut reader = BlobReader::new(blob_of(CT_IR58)).unwrap();
    let entry = scan_file(
        "CT_IR58.dcm",
        reader.size(),
        &mut reader,
        &Limits::default(),
    );
    assert_eq!(entry.kind, FileKind::Dicom, "{}", entry.reason);
    assert_eq!(reader.slices_read(), 1);
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

async fn export(name: &str) -> Function {
    let module = wasm_bindgen_futures::JsFuture::from(runner_module())
        .await
        .expect("the test module imports");
    let f = Reflect::get(&module, &name.into()).unwrap();
    f.dyn_into()
        .unwrap_or_else(|_| panic!("`{name}` is not exported by the test module"))
}

/// `JSON.stringify` of a value, to compare two plain objects.
fn json(value: &JsValue) -> String {
    js_sys::JSON::stringify(value).unwrap().into()
}

#[wasm_bindgen_test]
async fn scan_blob_returns_what_scan_bytes_returns() {
    let scan_blob = export("scanBlob").await;
    let scan_bytes = export("scanBytes").await;
    for (name, bytes) in [
        ("CT_IR58.dcm", CT_IR58),
        ("images_export.zip", IMAGES_ZIP),
        ("IMG_4821.JPG", PHOTO),
    ] {
        let path = JsValue::from(name);
        let from_blob = scan_blob
            .call2(&JsValue::NULL, &path, &blob_of(bytes))
            .expect("scanBlob does not throw");
        let from_bytes = scan_bytes
            .call2(&JsValue::NULL, &path, &Uint8Array::from(bytes))
            .unwrap();
        assert_eq!(json(&from_blob), json(&from_bytes), "{name}");
    }
    let entry = scan_blob
        .call2(&JsValue::NULL, &"CT_IR58.dcm".into(), &blob_of(CT_IR58))
        .unwrap();
    let dicom = Reflect::get(&entry, &"dicom".into()).unwrap();
    assert_eq!(
        Reflect::get(&dicom, &"patient_id".into()).unwrap(),
        "BJ20240117"
    );
}
