//! The browser side on the main thread, in headless Chromium (wasm-bindgen-test): corpus files
//! embedded as bytes give the same answers as natively, and the exported JS API (`scanBytes`,
//! `scanWindows`, `schemaVersion`, `version`, `buildReport`, `renderReportHtml` and the
//! report's words: `messages`, `fillMessage`, `findingSentences`, `itemSentence`,
//! `stepSentence`, `evidenceText`, `patientLine`, `displayName`, `displayDate`) returns plain
//! objects that follow the JSON contract and the shipped TypeScript types, and the same words as
//! the native renderers. `scanBlob` needs a Web Worker: see `web_worker.rs`.
//!
//! Run with `cargo test --target wasm32-unknown-unknown --test web` (`cargo xtask test` does).
//! The corpus is embedded at build time from `../shared/corpus`.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Function, Object, Reflect, Uint8Array};
use record_precheck::dicom::DicomClass;
use record_precheck::report::sentences;
use record_precheck::text::{self, Lang};
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
const SCAN_A: &[u8] = include_bytes!("../../shared/corpus/case-multi-patient/scan_a.dcm");
const SCAN_B: &[u8] = include_bytes!("../../shared/corpus/case-multi-patient/scan_b.dcm");
const SCAN_C: &[u8] = include_bytes!("../../shared/corpus/case-multi-patient/scan_c");
/// The declarations the wasm module ships: generated from the Rust types, and the API's own.
const TYPES: [&str; 2] = [
    include_str!("../src/wasm/report-types.d.ts"),
    include_str!("../src/wasm/types.d.ts"),
];

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

/// `scanWindows(path, size, head, tail)`, as JS calls it.
async fn scan_windows_js(
    path: &str,
    size: f64,
    head: &[u8],
    tail: &[u8],
) -> Result<JsValue, JsValue> {
    let args = Array::of4(
        &path.into(),
        &size.into(),
        &Uint8Array::from(head),
        &Uint8Array::from(tail),
    );
    export("scanWindows").await.apply(&JsValue::NULL, &args)
}

/// `JSON.stringify` of an entry without `bytes_read` (which says how the bytes were had).
fn json_without_bytes_read(entry: &JsValue) -> String {
    let copy = Object::assign(&Object::new(), entry.unchecked_ref());
    Reflect::delete_property(&copy, &"bytes_read".into()).unwrap();
    js_sys::JSON::stringify(&copy).unwrap().into()
}

#[wasm_bindgen_test]
async fn scan_windows_gives_what_scan_bytes_gives_or_null() {
    // A DICOM file (39 KB) known by its first 16 KiB and last 16 bytes: the same entry.
    let size = CT_IR58.len();
    assert!(
        size > 16 << 10,
        "the test needs a file longer than the head"
    );
    let (head, tail) = (&CT_IR58[..16 << 10], &CT_IR58[size - 16..]);
    let windowed = scan_windows_js("CT_IR58.dcm", size as f64, head, tail)
        .await
        .expect("scanWindows does not throw");
    assert!(
        !windowed.is_null(),
        "a DICOM header within 16 KiB is enough"
    );
    let whole = scan_bytes_js("CT_IR58.dcm", CT_IR58).await;
    assert_eq!(
        json_without_bytes_read(&windowed),
        json_without_bytes_read(&whole)
    );
    assert_eq!(
        get(&windowed, "bytes_read").as_f64(),
        Some((16 << 10) as f64 + 16.0)
    );
    check_keys(&windowed, "FileEntry");
    check_keys(&get(&windowed, "dicom"), "DicomInfo");

    // A zip given only its head: its central directory is at the end, so null.
    let zip_size = IMAGES_ZIP.len();
    assert!(zip_size > 16 << 10);
    let zip = scan_windows_js(
        "images_export.zip",
        zip_size as f64,
        &IMAGES_ZIP[..16 << 10],
        &[],
    )
    .await
    .expect("scanWindows does not throw");
    assert!(
        zip.is_null(),
        "a zip needs more than its head: {}",
        json_without_bytes_read(&zip)
    );

    // A file shorter than the head is known whole.
    let mr = scan_windows_js(
        "MR_no_charset.dcm",
        MR_NO_CHARSET.len() as f64,
        MR_NO_CHARSET,
        &[],
    )
    .await
    .unwrap();
    assert_eq!(
        json_without_bytes_read(&mr),
        json_without_bytes_read(&scan_bytes_js("MR_no_charset.dcm", MR_NO_CHARSET).await)
    );

    // A size that cannot be the file's is an error, not a guess.
    for bad in [f64::NAN, 100.5, 10.0, -1.0] {
        let thrown = scan_windows_js("CT_IR58.dcm", bad, head, tail)
            .await
            .expect_err("a bad size throws");
        assert!(
            error_message(thrown).contains("size"),
            "size {bad}: a message about the size"
        );
    }
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

/// Every key JS receives is declared in the TypeScript types, and every non-optional field is present.
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

/// The fields of `interface` in the declarations, with whether each is optional (`name?:`):
/// `export interface X { a: T; b?: U; }` (hand-written) or `export type X = { a: T, b?: U, };`
/// (ts-rs), with doc comments anywhere.
fn interface_fields(interface: &str) -> Vec<(String, bool)> {
    let (types, start) = TYPES
        .iter()
        .find_map(|t| {
            [
                format!("export interface {interface} {{"),
                format!("export type {interface} = {{"),
            ]
            .iter()
            .find_map(|head| t.find(head.as_str()).map(|at| (*t, at)))
        })
        .expect("interface declared");
    let body = &types[start..];
    let open = body.find('{').unwrap();
    // The body up to its closing brace, comments left out.
    let mut depth = 0;
    let mut text = String::new();
    let mut rest = &body[open..];
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("/*") {
            rest = &rest[rest.find("*/").expect("closed comment") + 2..];
            continue;
        }
        match c {
            '{' | '<' | '(' => depth += 1,
            '}' | '>' | ')' => depth -= 1,
            _ => {}
        }
        // Fields end at `;` or at a top-level `,`.
        text.push(if depth == 1 && (c == ';' || c == ',') {
            '\n'
        } else {
            c
        });
        rest = &rest[c.len_utf8()..];
        if depth == 0 {
            break;
        }
    }
    text.trim_start_matches('{')
        .trim_end_matches('}')
        .lines()
        .map(str::trim)
        .filter(|l| l.contains(':'))
        .map(|l| {
            let name = &l[..l.find(':').unwrap()];
            (name.trim_end_matches('?').to_string(), name.ends_with('?'))
        })
        .collect()
}

// ---- the report and its words ---------------------------------------------------------------

/// The three people of `case-multi-patient` and a phone photo, scanned through `scanBytes`.
async fn multi_patient_entries() -> Array {
    let entries = Array::new();
    for (name, bytes) in [
        ("scan_a.dcm", SCAN_A),
        ("scan_b.dcm", SCAN_B),
        ("scan_c", SCAN_C),
        ("IMG_4821.JPG", PHOTO),
    ] {
        entries.push(&scan_bytes_js(name, bytes).await);
    }
    entries
}

fn js_json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).expect("valid JSON")
}

async fn call(name: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let f = export(name).await;
    f.apply(&JsValue::NULL, &args.iter().collect::<Array>())
}

fn array(value: &JsValue) -> Vec<JsValue> {
    value.dyn_ref::<Array>().expect("an array").iter().collect()
}

fn error_message(thrown: JsValue) -> String {
    String::from(
        thrown
            .dyn_into::<js_sys::Error>()
            .expect("a JS Error")
            .message(),
    )
}

#[wasm_bindgen_test]
async fn build_report_finds_the_other_people() {
    let entries = multi_patient_entries().await;
    let declarations = js_json(r#"{ "cancer": "yes", "slides": "requested" }"#);
    let report = call("buildReport", &[entries.into(), declarations])
        .await
        .expect("buildReport does not throw");
    assert_eq!(
        get(&report, "schema_version").as_f64(),
        Some(SCHEMA_VERSION as f64)
    );
    assert_eq!(array(&get(&report, "files")).len(), 4);
    assert_eq!(array(&get(&report, "patients")).len(), 3);
    let findings = array(&get(&report, "findings"));
    let codes: Vec<String> = findings
        .iter()
        .filter_map(|f| get(f, "code").as_string())
        .collect();
    assert!(
        codes.contains(&"multiple-patients".to_string()),
        "{codes:?}"
    );
    let first = &findings[0];
    assert_eq!(get(first, "code"), "multiple-patients", "most severe first");
    assert_eq!(get(first, "severity"), "serious");

    // The declarations are taken in and echoed back.
    let readiness = get(&report, "readiness");
    let slides = array(&get(&readiness, "items"))
        .into_iter()
        .find(|i| get(i, "id") == "pathology-slides")
        .expect("the slides item");
    assert_eq!(get(&slides, "status"), "missing");
    assert_eq!(get(&slides, "impact"), "high");
    assert_eq!(
        array(&get(&slides, "evidence"))[0],
        "declared:slides-requested"
    );
    let declared = get(&report, "declarations");
    assert_eq!(get(&declared, "cancer"), "yes");
    assert!(get(&declared, "translation").is_null());

    // No declarations at all is fine too.
    let bare = call(
        "buildReport",
        &[multi_patient_entries().await.into(), JsValue::UNDEFINED],
    )
    .await
    .expect("buildReport without declarations");
    assert_eq!(get(&get(&bare, "declarations"), "cancer"), "unsure");
}

/// Every key of the report is declared in the TypeScript types, and every non-optional field is there.
#[wasm_bindgen_test]
async fn report_matches_the_typescript_types() {
    let declarations = js_json(
        r#"{ "cancer": "no", "timeline": "2024-01 cough", "questions": ["Is the staging right?"],
             "document_categories": { "IMG_4821.JPG": "other" } }"#,
    );
    let report = call(
        "buildReport",
        &[multi_patient_entries().await.into(), declarations],
    )
    .await
    .unwrap();
    check_keys(&report, "Report");
    for p in array(&get(&report, "patients")) {
        check_keys(&p, "Patient");
    }
    for s in array(&get(&report, "studies")) {
        check_keys(&s, "Study");
        for series in array(&get(&s, "series")) {
            check_keys(&series, "Series");
        }
    }
    for f in array(&get(&report, "findings")) {
        check_keys(&f, "Finding");
    }
    let readiness = get(&report, "readiness");
    check_keys(&readiness, "Readiness");
    for i in array(&get(&readiness, "items")) {
        check_keys(&i, "ChecklistItem");
    }
    let steps = array(&get(&readiness, "next_steps"));
    assert!(!steps.is_empty());
    for s in steps {
        check_keys(&s, "NextStep");
    }
    check_keys(&get(&report, "declarations"), "Declarations");
    for e in array(&get(&report, "files")) {
        check_keys(&e, "FileEntry");
    }
}

#[wasm_bindgen(inline_js = "
export async function caseAfterScanAndAtOnce([a, b, c, photo]) {
    const m = await import(new URL('wasm-bindgen-test', self.location.href).href);
    // The case before the scan: the photo and an older scan_a.dcm; the scan (ids 0 1 2 =
    // scan_c, scan_b, scan_a) answered out of order in two messages.
    const scan = new m.ScanEntries();
    scan.add([[2, a], [0, c]], []);
    scan.add([[1, b]], []);
    const after = m.ScannedFiles.afterScan(scan, [photo, { ...a, size: 1 }], []);
    // The same case in the order JavaScript gives it (by UTF-16 code units: 'I' before 's').
    const atOnce = new m.ScannedFiles([photo, a, b, c]);
    const seen = (files) => JSON.stringify([files.reportsWithoutFiles(null), files.redactedFiles()]);
    const both = [seen(after), seen(atOnce)];
    after.free();
    atOnce.free();
    const bad = new m.ScanEntries();
    let thrown = null;
    try {
        bad.add([[0, { path: 'x' }]], []);
    } catch (err) {
        thrown = err;
    }
    bad.free();
    return [...both, thrown];
}")]
extern "C" {
    #[wasm_bindgen(js_name = caseAfterScanAndAtOnce)]
    fn case_after_scan_and_at_once(entries: Array) -> js_sys::Promise;
}

/// The report worker converts a scan's entries as they come (`ScanEntries`) and puts the case
/// together at its end (`ScannedFiles.afterScan`): the same case, reports and redacted files
/// as the entries converted at once in the page's order; an entry it cannot read is an error.
#[wasm_bindgen_test]
async fn a_case_put_together_after_a_scan_is_the_case_of_its_entries() {
    let result = wasm_bindgen_futures::JsFuture::from(case_after_scan_and_at_once(
        multi_patient_entries().await,
    ))
    .await
    .expect("the case is put together");
    let [after, at_once, thrown] = <[JsValue; 3]>::try_from(array(&result)).expect("three values");
    assert!(after
        .as_string()
        .is_some_and(|s| s.contains("multiple-patients")));
    assert_eq!(after, at_once);
    assert!(
        error_message(thrown).contains("could not read the scan's entries"),
        "a clear error for an entry that is not one"
    );
}

#[wasm_bindgen_test]
async fn bad_input_is_an_error_not_a_trap() {
    let thrown = call(
        "buildReport",
        &[js_json(r#"[{ "path": "x" }]"#), JsValue::NULL],
    )
    .await
    .unwrap_err();
    assert!(
        error_message(thrown).contains("could not read the file entries"),
        "a FileEntry without its fields"
    );
    let thrown = call(
        "buildReport",
        &[Array::new().into(), js_json(r#"{ "cancer": "maybe" }"#)],
    )
    .await
    .unwrap_err();
    assert!(error_message(thrown).contains("could not read the declarations"));
    let thrown = call("messages", &["de".into()]).await.unwrap_err();
    assert!(error_message(thrown).contains("\"de\""));
    let thrown = call(
        "findingSentences",
        &[
            js_json(r#"{ "code": "no-such-code", "severity": "info" }"#),
            "en".into(),
        ],
    )
    .await
    .unwrap_err();
    assert!(error_message(thrown).contains("no-such-code"));
}

#[wasm_bindgen_test]
async fn printable_html_is_the_native_page() {
    let entries = multi_patient_entries().await;
    let html = call(
        "renderReportHtml",
        &[entries.into(), JsValue::NULL, "zh-CN".into()],
    )
    .await
    .expect("renderReportHtml does not throw")
    .as_string()
    .expect("a string");
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.contains("<html lang=\"zh-CN\">"));
    assert!(!html.contains("<script"));
    // The same page as natively, from the same files.
    let files: Vec<FileEntry> = [
        ("scan_a.dcm", SCAN_A),
        ("scan_b.dcm", SCAN_B),
        ("scan_c", SCAN_C),
        ("IMG_4821.JPG", PHOTO),
    ]
    .iter()
    .map(|(n, b)| scan(n, b))
    .collect();
    let native = record_precheck::report::html::render(
        &record_precheck::report::build(files, Default::default()),
        Lang::Zh,
    );
    assert_eq!(html, native);
}

#[wasm_bindgen_test]
async fn the_words_are_the_native_words() {
    let files: Vec<FileEntry> = [
        ("scan_a.dcm", SCAN_A),
        ("scan_b.dcm", SCAN_B),
        ("scan_c", SCAN_C),
        ("IMG_4821.JPG", PHOTO),
    ]
    .iter()
    .map(|(n, b)| scan(n, b))
    .collect();
    let native = record_precheck::report::build(files, Default::default());
    let report = call(
        "buildReport",
        &[multi_patient_entries().await.into(), JsValue::NULL],
    )
    .await
    .unwrap();

    for (lang, tag) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        // The whole table.
        let table = call("messages", &[tag.into()]).await.unwrap();
        assert_eq!(
            Object::keys(table.unchecked_ref::<Object>()).length() as usize,
            text::table(lang).len()
        );
        let id = "finding.multiple-patients";
        assert_eq!(get(&table, id).as_string().as_deref(), text::get(lang, id));

        // Findings, items, steps, evidence and patients, one by one.
        for (js, f) in array(&get(&report, "findings"))
            .iter()
            .zip(&native.findings)
        {
            let words = call("findingSentences", &[js.clone(), tag.into()])
                .await
                .unwrap();
            let words: Vec<String> = array(&words).iter().filter_map(|w| w.as_string()).collect();
            assert_eq!(words, sentences::finding_sentences(f, lang), "{}", f.code);
        }
        let readiness = get(&report, "readiness");
        for (js, item) in array(&get(&readiness, "items"))
            .iter()
            .zip(&native.readiness.items)
        {
            let words = call("itemSentence", &[js.clone(), tag.into()])
                .await
                .unwrap();
            assert_eq!(words, sentences::item_sentence(item, lang), "{}", item.id);
            for e in &item.evidence {
                let words = call(
                    "evidenceText",
                    &[String::from(e.clone()).into(), tag.into()],
                )
                .await
                .unwrap();
                assert_eq!(words, sentences::evidence_text(e, lang));
            }
        }
        for (js, step) in array(&get(&readiness, "next_steps"))
            .iter()
            .zip(&native.readiness.next_steps)
        {
            let words = call("stepSentence", &[js.clone(), tag.into()])
                .await
                .unwrap();
            assert_eq!(words, sentences::step_sentence(step, lang), "{}", step.id);
        }
        for (js, p) in array(&get(&report, "patients"))
            .iter()
            .zip(&native.patients)
        {
            let words = call("patientLine", &[js.clone(), tag.into()])
                .await
                .unwrap();
            assert_eq!(words, sentences::patient_line(p, lang));
        }
    }

    // Placeholders, English plurals, and values that are not strings.
    let one = call(
        "fillMessage",
        &[
            "finding.unreadable-file".into(),
            js_json(r#"{ "count": 1 }"#),
            "en".into(),
        ],
    )
    .await
    .unwrap();
    assert_eq!(one, "1 file is empty or damaged and could not be read.");
    let many = call(
        "fillMessage",
        &[
            "label.study-images".into(),
            js_json(r#"{ "studies": 2, "series": 3, "images": 10 }"#),
            "en".into(),
        ],
    )
    .await
    .unwrap();
    assert_eq!(many, "2 studies, 3 series, 10 images");
    let zh = call(
        "fillMessage",
        &[
            "label.and-more".into(),
            js_json(r#"{ "count": 4 }"#),
            "zh".into(),
        ],
    )
    .await
    .unwrap();
    assert_eq!(zh, "另有 4 个");
    let name = call("displayName", &["Wang^XiaoDong=王^小东=".into()])
        .await
        .unwrap();
    assert_eq!(name, "Wang XiaoDong / 王小东");
    let date = call("displayDate", &["20240117".into()]).await.unwrap();
    assert_eq!(date, "2024-01-17");
}
