//! `cargo xtask test`: fmt check, clippy (native and wasm32), the native tests (cargo-nextest, and
//! the doctests), the wasm tests in headless Chromium and Firefox, then the page end to end
//! (Playwright, Selenium WebDriver).

use std::path::{Path, PathBuf};

use crate::dist::{build, OCR_MODULE, WASM_MODULES};
use crate::kiosk::{build_kiosk_binary, RELEASE_FEATURES, TESTED};
use crate::ocr_models::ocr_models;
use crate::process::{cargo, command, output, root, run};
use crate::setup::setup;
use crate::test_trap::build_test_trap;
use crate::tools::{e2e_packages, ensure_geckodriver, find_chromedriver, WASM_TARGET};
use crate::Result;

/// The wasm-bindgen-test files in tests/, each run in headless Chromium.
const WASM_TESTS: &[&str] = &["web", "web_worker"];

pub fn test() -> Result {
    let mut tool_installs = setup()?;
    run(cargo(&["fmt", "--all", "--check"]))?;
    run(cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    // The browser glue (src/wasm/) and the wasm tests compile only for wasm32.
    let mut clippy_wasm = vec!["clippy", "--target", WASM_TARGET, "--lib"];
    for t in WASM_TESTS {
        clippy_wasm.extend(["--test", t]);
    }
    clippy_wasm.extend(["--", "-D", "warnings"]);
    run(cargo(&clippy_wasm))?;
    // The modules `build` makes: the first-scan, report, pixel and OCR modules.
    for module in WASM_MODULES.iter().chain([&OCR_MODULE]) {
        let mut args = vec![
            "clippy",
            "--target",
            WASM_TARGET,
            "--lib",
            "--no-default-features",
            "--features",
            module.feature,
        ];
        args.extend(["--", "-D", "warnings"]);
        run(cargo(&args))?;
    }
    // The fuzz targets (fuzz/, a workspace of its own, run with nightly cargo-fuzz) still
    // compile against the crate: checked on stable, never run here.
    // In the main target directory: the crate's dependencies are the ones clippy just checked
    // (a target directory of its own would check them all again).
    run(cargo(&[
        "check",
        "--manifest-path",
        "fuzz/Cargo.toml",
        "--target-dir",
        "target",
        "--bins",
    ]))?;
    // tests/ocr.rs reads the corpus's pictures with the models.
    ocr_models()?;
    // The native tests, each in a process of its own, as many at once as there are cores, across
    // all the test binaries (`cargo test` runs the binaries one after another, and one whose
    // last test is long — snapshots, records_cases: one test each — leaves the other core idle).
    // The builds are `cargo test`'s. nextest runs no doctests: `cargo test --doc` runs them.
    tool_installs.wait_nextest()?;
    run(cargo(&["nextest", "run"]))?;
    run(cargo(&["test", "--doc"]))?;
    let cli = tested_cli()?;
    // The Zip64 stream (> 4 GiB, > 65,535 entries) is too slow in a debug build.
    run(cargo(&[
        "test",
        "--profile",
        TESTED,
        "--no-default-features",
        "--features",
        RELEASE_FEATURES,
        "--test",
        "bundle",
        "--",
        "--ignored",
    ]))?;
    tool_installs.wait()?;
    wasm_tests_in_browsers()?;
    // The page end to end: the same build as `cargo xtask build`, then Playwright.
    build()?;
    e2e_packages()?;
    node_test("tests/e2e/run.mjs", &cli)?;
    // Reading the text of pictures of documents, when the patient asks (about 80 s).
    node_test("tests/e2e/ocr.mjs", &cli)?;
    node_test("tests/e2e/bundle.mjs", &cli)?;
    // The request slips printed (one A4 page each) and the purpose of the review.
    node_test("tests/e2e/slips.mjs", &cli)?;
    // Embedding, kiosk mode offline, and `record-precheck serve` (the binary with the app).
    build_kiosk_binary(TESTED)?;
    // `serve`'s own tests with the app embedded (without it they test only its absence).
    run(cargo(&[
        "test",
        "--features",
        "embed-app",
        "--bin",
        "record-precheck",
        "serve::",
    ]))?;
    node_test("tests/e2e/embed.mjs", &cli)?;
    // Sending with consent: a local tus server, the consent click, an interrupted upload.
    node_test("tests/e2e/send.mjs", &cli)?;
    e2e_hostile(&cli)?;
    e2e_cross(&cli)?;
    println!("xtask: all tests passed");
    Ok(())
}

/// The wasm tests in headless Chromium, then in headless Firefox. wasm-bindgen-test-runner
/// takes the first driver it finds (GECKODRIVER before CHROMEDRIVER, geckodriver before
/// chromedriver on PATH), so each run names its own. The report module's API (the first-scan
/// module's is part of it), built without the `documents` feature (and so without lopdf, whose unoptimised glyph table has more locals than
/// the test runner's wasm parser takes).
fn wasm_tests_in_browsers() -> Result {
    let chromedriver = find_chromedriver().ok_or("could not find chromedriver")?;
    let geckodriver = ensure_geckodriver()?;
    for t in WASM_TESTS {
        let wasm_test = [
            "test",
            "--no-default-features",
            "--target",
            WASM_TARGET,
            "--test",
            t,
        ];
        let mut cmd = cargo(&wasm_test);
        cmd.env("CHROMEDRIVER", &chromedriver)
            .env_remove("GECKODRIVER")
            .env_remove("SAFARIDRIVER");
        run(cmd)?;
        let mut cmd = cargo(&wasm_test);
        cmd.env("GECKODRIVER", &geckodriver);
        run(cmd)?;
    }
    // Same pixels natively and in wasm: the native renderings' hashes are written first (in
    // this run), then tests/web_pixels.rs embeds them and renders the same files in each browser.
    run(cargo(&["test", "--test", "pixels", "native_renderings"]))?;
    let pixels_test = [
        "test",
        "--no-default-features",
        "--features",
        "pixels",
        "--target",
        WASM_TARGET,
        "--test",
        "web_pixels",
    ];
    run(cargo(&[
        "clippy",
        "--no-default-features",
        "--features",
        "pixels",
        "--target",
        WASM_TARGET,
        "--test",
        "web_pixels",
        "--",
        "-D",
        "warnings",
    ]))?;
    let mut cmd = cargo(&pixels_test);
    cmd.env("CHROMEDRIVER", &chromedriver)
        .env_remove("GECKODRIVER")
        .env_remove("SAFARIDRIVER");
    run(cmd)?;
    let mut cmd = cargo(&pixels_test);
    cmd.env("GECKODRIVER", &geckodriver);
    run(cmd)?;
    Ok(())
}

/// The page end to end in Firefox ESR (geckodriver) and WebKit (WebKitWebDriver, MiniBrowser
/// under Xvfb), and at 360 px in WebKit and Chromium: tests/e2e/cross.mjs, after `build` and
/// `npm ci` in tests/e2e (the browsers and drivers: `setup`). Its screenshots go to
/// target/e2e-screenshots.
fn e2e_cross(cli: &Path) -> Result {
    node_test("tests/e2e/cross.mjs", cli)
}

/// The debug CLI that `cargo test` built, for the end-to-end tests that compare the page with
/// it: `cargo test --no-run` (nothing to do after `cargo test`) names it. Not `cargo build --bin
/// record-precheck`: without the dev-dependencies cargo resolves other features (syn's, for
/// their derive macros), so every crate above them, tract's at opt-level 3 included, compiled
/// again — minutes of the CI run.
fn tested_cli() -> Result<PathBuf> {
    let json = output(cargo(&["test", "--no-run", "--message-format=json"]))?;
    // One JSON object a line; the binary's is the one artifact of kind "bin" outside the tests.
    json.lines()
        .filter(|l| {
            l.contains(r#""reason":"compiler-artifact""#)
                && l.contains(r#""name":"record-precheck""#)
                && l.contains(r#""kind":["bin"]"#)
                && l.contains(r#""test":false"#)
        })
        .find_map(|l| {
            let path = l.split(r#""executable":""#).nth(1)?;
            Some(PathBuf::from(&path[..path.find('"')?]))
        })
        .ok_or_else(|| "`cargo test --no-run` named no record-precheck binary".into())
}

/// One end-to-end test file under Node's test runner (TAP output), with the tested CLI as
/// RECORD_PRECHECK (bundle.mjs and cross.mjs compare the page with it).
fn node_test(script: &str, cli: &Path) -> Result {
    // TAP for the log, and node's spec reporter into a file whose "failing tests" part is printed
    // again at the end when something fails: a CI log shown by its head and tail keeps the reason.
    let name = script.rsplit('/').next().unwrap_or(script);
    let logs = root().join("target/e2e-logs");
    std::fs::create_dir_all(&logs).map_err(|e| format!("{}: {e}", logs.display()))?;
    let spec = logs.join(format!("{name}.spec.txt"));
    let mut cmd = command(
        "node",
        &[
            "--test",
            "--test-reporter=tap",
            "--test-reporter-destination=stdout",
            "--test-reporter=spec",
            &format!("--test-reporter-destination={}", spec.display()),
            script,
        ],
    );
    cmd.env("RECORD_PRECHECK", cli);
    let result = run(cmd);
    if result.is_err() {
        print_failing_tests(&spec);
    }
    result
}

/// The "failing tests" part of a spec reporter's file (each failure with its error), on stderr.
fn print_failing_tests(spec: &Path) {
    let Ok(text) = std::fs::read_to_string(spec) else {
        return;
    };
    // The spec reporter starts its summary of failures with this line (after the totals).
    match text.find("failing tests:") {
        Some(at) => eprintln!(
            "==> {}, the failures again:\n{}",
            spec.display(),
            &text[at..]
        ),
        None => eprintln!(
            "==> {} has no list of failures (the run stopped early?)",
            spec.display()
        ),
    }
}

/// The hostile-input tests of the page (tests/e2e/hostile.mjs: a worker that traps, HTML in
/// names): the test-trap build, then Playwright. Needs the production www/pkg too (`build`).
fn e2e_hostile(cli: &Path) -> Result {
    build_test_trap()?;
    node_test("tests/e2e/hostile.mjs", cli)
}
