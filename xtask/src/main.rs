//! `cargo xtask <command>`: the one build entry point of record-precheck (`test`, `build`,
//! `build-test-trap`, `build-kiosk`, `serve`, `ocr-models`, `run-cli`, `bench`, `bench-browser`). Plain std:
//! each step is a command run from the repository root; the first failing step stops the run
//! with a non-zero exit. Installs the wasm32 target and the matching `wasm-bindgen` CLI when they
//! are missing, and the end-to-end tests' npm packages (`npm ci` in tests/e2e); `test` also sets
//! the machine up (`setup`: Debian packages, geckodriver, rustup components), so that README's
//! command is all a fresh machine and CI need.
//!
//! This file reads the command and prints the usage; each command has its module, and they share
//! `process` (running the steps), `tools` (installing and finding what the steps need) and
//! `setup` (the machine's set-up for `test`).

mod bench;
mod dist;
mod kiosk;
mod ocr_models;
mod process;
mod run_cli;
mod serve;
mod setup;
#[path = "../../src/static_http.rs"]
mod static_http;
mod test;
mod test_trap;
mod tools;

use std::env;
use std::process::ExitCode;

use bench::{bench, bench_browser};
use dist::build;
use kiosk::build_kiosk;
use ocr_models::ocr_models;
use run_cli::run_cli;
use serve::serve;
use test::test;
use test_trap::build_test_trap;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  test              fmt check, clippy, native tests, the wasm tests in headless Chromium and
                    Firefox, then
                    the end-to-end tests of the page: `build`, `npm ci` in tests/e2e, and
                    `node --test tests/e2e/run.mjs`, `bundle.mjs` and `slips.mjs` (Playwright and Debian's
                    Chromium; needs node, npm and python3), the binary of `build-kiosk` and
                    embed.mjs (host page, kiosk offline, `serve`), send.mjs (a local tus
                    server: sending with consent), then `build-test-trap` and
                    tests/e2e/hostile.mjs (a worker that traps, HTML in names), then
                    tests/e2e/cross.mjs: the page in Firefox ESR and WebKit (Selenium
                    WebDriver), and at 360 px in WebKit and Chromium
  build             the wasm library and its JS glue into www/pkg (wasm-bindgen --target web),
                    wasm-opt (npm binaryen, installed into target/tools when npm is there),
                    then the built app dist/: www/'s scripts and styles minified and each
                    worker's script bundled (npm esbuild, installed into target/tools), the
                    service worker's precache list (dist/pkg/precache.js) and a package.json
                    (for host pages); then the raw, gzip and brotli sizes of what the page
                    loads before the first scan: fails over 450,000 B brotli
  build-kiosk       `build`, then the native binary with the app embedded (cargo feature
                    embed-app, without `ocr`; target/kiosk/release/record-precheck:
                    `record-precheck serve`)
  build-test-trap   a test-only copy of the app in target/www-test-trap: www/ with a pkg built
                    with the `test-trap` feature (a file that begins with
                    RECORD-PRECHECK-TEST-TRAP traps its scan worker); www/pkg is not touched
  serve [--port N] [--no-build] [--log FILE] [--www DIR] [--destination URL]
                    build, then serve dist/ (or DIR, e.g. target/www-test-trap with --no-build)
                    on 127.0.0.1:N (default 8080, 0 = any free port)
                    with the production headers (Content-Security-Policy and others); prints
                    `serving http://127.0.0.1:PORT/` first, logs each request (method, path,
                    status) to stderr and FILE; --destination URL (a tus endpoint, for the
                    element's `destination` attribute) adds its origin to connect-src
  ocr-models        the OCR models (PP-OCRv4 detector and recogniser, text direction
                    classifier: ONNX, from the PyPI wheel of rapidocr-onnxruntime,
                    fetched with pip, SHA-256 checked) into models/ocr/ for `scan --ocr` and
                    tests/ocr.rs (`test` runs it first)
  run-cli [ARGS]    the native CLI in release: `record-precheck scan ARGS`
                    (default ../shared/corpus; e.g. `cargo xtask run-cli --json PATH`)
  bench             generates a 2,000-file CD-like CT study (target/bench-data, needs python3
                    and pydicom, installed with pip when missing), then in one run: the criterion
                    header-scan benchmark and pydicom's dcmread(stop_before_pixels) on the same
                    files; then the bundle benchmark (criterion: store + SHA-256, deflate) and,
                    on the same files, sha256sum, Info-ZIP zip -0/-1 (apt-get when missing),
                    Python zipfile store and the record-precheck bundle CLI; then the
                    documents benchmark: generated documents (target/bench-data/documents,
                    reportlab and python-docx from pip) and ../shared/corpus-records, criterion
                    (read_text, understand, scan_bytes) and pypdf/python-docx on the same files
  bench documents   the documents benchmark only
  bench-browser [ARGS]
                    the same study (generated when missing), `build`, `npm ci` in tests/e2e,
                    then `node tests/e2e/bench.mjs --runs 3 ARGS`: the page in headless
                    Chromium with its worker pool and with one worker, against cornerstone's
                    dicomParser in the same browser; then `tests/e2e/bench-bundle.mjs`: Save
                    the bundle (into a picked file, stored and deflated, and as a download)
                    against reading and hashing in the same browser; then
                    `tests/e2e/bench-documents.mjs`: the page reading the corpus's documents
                    and the generated ones; each prints JSON
  bench-browser documents [ARGS]
                    the documents' browser benchmark only (no CD study)
  bench-browser thumbs [ARGS]
                    the thumbnails' browser benchmark only (tests/e2e/bench-thumbs.mjs)";

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let outcome = match args.first().map(String::as_str) {
        Some("test") => test(),
        Some("build") => build(),
        Some("build-test-trap") => build_test_trap(),
        Some("build-kiosk") => build_kiosk(),
        Some("serve") => serve(&args[1..]),
        Some("run-cli") => run_cli(&args[1..]),
        Some("ocr-models") => ocr_models(),
        Some("bench") => bench(&args[1..]),
        Some("bench-browser") => bench_browser(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}
