//! `cargo xtask test`: fmt check, the workspace's native build with clippy's lints in it, clippy
//! for wasm32, the native tests (cargo-nextest, and the doctests), the wasm tests in headless
//! Chromium and Firefox, then the page end to end (Playwright, Selenium WebDriver).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::dist::{build, OCR_MODULE, WASM_MODULES};
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
    // The workspace's native build for the tests, linted as it compiles (`linted`): the crate's
    // lib, binary, tests, benches and examples, xtask, and the fuzz targets (fuzz/, run with
    // nightly cargo-fuzz, never here: this is their check that they still compile).
    let driver = clippy_driver()?;
    run(linted(&["build", "--workspace", "--all-targets"], &driver))?;
    // The browser glue (src/wasm/) compiles only for wasm32: the modules `build` makes (the
    // first-scan, report, pixel and OCR modules), each with its features. Not their release
    // builds under the wrapper: clippy-driver leaves out some MIR optimisations, and the page
    // would not be the one `build` ships. The wasm tests are linted in their own build
    // (`wasm_tests_in_browsers`).
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
    // tests/ocr.rs reads the corpus's pictures with the models.
    ocr_models()?;
    // The native tests, each in a process of its own, as many at once as there are cores, across
    // all the test binaries (`cargo test` runs the binaries one after another, and one whose
    // last test is long — snapshots, records_cases: one test each — leaves the other core idle).
    // The builds are the linted build's above (found fresh). nextest runs no doctests: `cargo
    // test --doc` runs them.
    tool_installs.wait_nextest()?;
    run(linted(&["nextest", "run", "--workspace"], &driver))?;
    run(linted(&["test", "--workspace", "--doc"], &driver))?;
    let cli = tested_binary(&["--workspace"], "record-precheck", &driver)?;
    tool_installs.wait()?;
    wasm_tests_in_browsers(&driver)?;
    // The page end to end: the same build as `cargo xtask build`, then Playwright.
    build()?;
    e2e_packages()?;
    node_test("tests/e2e/run.mjs", &[("RECORD_PRECHECK", &cli)])?;
    // Reading the text of pictures of documents, when the patient asks (about 80 s).
    node_test("tests/e2e/ocr.mjs", &[("RECORD_PRECHECK", &cli)])?;
    node_test("tests/e2e/bundle.mjs", &[("RECORD_PRECHECK", &cli)])?;
    // The request slips printed (one A4 page each) and the purpose of the review.
    node_test("tests/e2e/slips.mjs", &[("RECORD_PRECHECK", &cli)])?;
    // Embedding, kiosk mode offline, and `record-precheck serve` (the binary with the app).
    // `serve`'s own tests with the app embedded (without it they test only its absence).
    run(linted(
        &[
            "test",
            "--workspace",
            "--features",
            "record-precheck/embed-app",
            "--bin",
            "record-precheck",
            "serve::",
        ],
        &driver,
    ))?;
    // The binary embed.mjs serves the app from: `cargo test`'s debug build with `embed-app`
    // (only the crate compiles again), not `build-kiosk`'s release build, whose dependencies in
    // release cost minutes of a cold run for a server of files.
    let kiosk = tested_binary(
        &[
            "--workspace",
            "--features",
            "record-precheck/embed-app",
            "--test",
            "layers",
        ],
        "record-precheck-kiosk",
        &driver,
    )?;
    node_test(
        "tests/e2e/embed.mjs",
        &[("RECORD_PRECHECK", &cli), ("RECORD_PRECHECK_KIOSK", &kiosk)],
    )?;
    // Sending with consent: a local tus server, the consent click, an interrupted upload.
    node_test("tests/e2e/send.mjs", &[("RECORD_PRECHECK", &cli)])?;
    e2e_hostile(&cli)?;
    e2e_cross(&cli)?;
    println!("xtask: all tests passed");
    Ok(())
}

/// The wasm tests in headless Chromium, then in headless Firefox. wasm-bindgen-test-runner
/// takes the first driver it finds (GECKODRIVER before CHROMEDRIVER, geckodriver before
/// chromedriver on PATH), so each run names its own. The report module's API (the first-scan
/// module's is part of it), built without the `documents` feature (and so without lopdf, whose unoptimised glyph table has more locals than
/// the test runner's wasm parser takes). Linted as they compile (`linted`), both runs, so that the
/// second finds the first's build fresh: this is the wasm tests' clippy check.
fn wasm_tests_in_browsers(driver: &Path) -> Result {
    let chromedriver = find_chromedriver().ok_or("could not find chromedriver")?;
    let geckodriver = ensure_geckodriver()?;
    // `cargo ARGS` (a wasm test) run in Chromium, then in Firefox.
    let in_both_browsers = |args: &[&str]| -> Result {
        let mut cmd = linted(args, driver);
        cmd.env("CHROMEDRIVER", &chromedriver)
            .env_remove("GECKODRIVER")
            .env_remove("SAFARIDRIVER");
        run(cmd)?;
        let mut cmd = linted(args, driver);
        cmd.env("GECKODRIVER", &geckodriver);
        run(cmd)
    };
    for t in WASM_TESTS {
        let wasm_test = [
            "test",
            "--no-default-features",
            "--target",
            WASM_TARGET,
            "--test",
            t,
        ];
        in_both_browsers(&wasm_test)?;
    }
    // Same pixels natively and in wasm: the native renderings' hashes are written first (in
    // this run), then tests/web_pixels.rs embeds them and renders the same files in each browser.
    run(linted(
        &[
            "test",
            "--workspace",
            "--test",
            "pixels",
            "native_renderings",
        ],
        driver,
    ))?;
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
    in_both_browsers(&pixels_test)
}

/// The page end to end in Firefox ESR (geckodriver) and WebKit (WebKitWebDriver, MiniBrowser
/// under Xvfb), and at 360 px in WebKit and Chromium: tests/e2e/cross.mjs, after `build` and
/// `npm ci` in tests/e2e (the browsers and drivers: `setup`). Its screenshots go to
/// target/e2e-screenshots.
fn e2e_cross(cli: &Path) -> Result {
    node_test("tests/e2e/cross.mjs", &[("RECORD_PRECHECK", cli)])
}

/// The debug CLI that `cargo test ARGS` builds, for the end-to-end tests that run it, copied to
/// target/e2e-bin/NAME: `cargo test --no-run ARGS` names it (nothing to do after `cargo test`, and
/// with `--test` it builds the binary beside that test). Copied because every build with other
/// features writes its binary to the same target/debug/record-precheck. Not `cargo build --bin
/// record-precheck`: without the dev-dependencies cargo resolves other features (syn's, for
/// their derive macros), so every crate above them, tract's at opt-level 3 included, compiled
/// again — minutes of the CI run.
fn tested_binary(args: &[&str], name: &str, driver: &Path) -> Result<PathBuf> {
    let mut words = vec!["test", "--no-run", "--message-format=json"];
    words.extend(args);
    let json = output(linted(&words, driver))?;
    // One JSON object a line; the binary's is the one artifact of kind "bin" outside the tests.
    let built = json
        .lines()
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
        .ok_or_else(|| {
            format!(
                "`cargo {}` named no record-precheck binary",
                words.join(" ")
            )
        })?;
    let dir = root().join("target/e2e-bin");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let copy = dir.join(name);
    std::fs::copy(&built, &copy).map_err(|e| {
        format!(
            "could not copy {} to {}: {e}",
            built.display(),
            copy.display()
        )
    })?;
    Ok(copy)
}

/// `cargo ARGS` with clippy's lints in the build itself, as errors (`cargo clippy -- -D
/// warnings`): clippy-driver, which is rustc with the lints, compiles the workspace's crates, as
/// `cargo clippy` has it do (RUSTC_WORKSPACE_WRAPPER, CLIPPY_ARGS). `cargo clippy` would check
/// every dependency once more in check mode beside the tests' build — minutes of a cold run
/// (BENCHMARKS.md, "Cold CI run"); this way the dependencies are compiled once, and only the
/// workspace's crates under the wrapper (kept apart from plain builds in target/: the wrapper is
/// part of their hash). For the tests' debug builds only: clippy-driver leaves out some MIR
/// optimisations.
///
/// Every native build of the tests selects the whole workspace (`--workspace`): the fuzz
/// targets' and xtask's dependencies add features to some shared ones (cc's `parallel`, which
/// tract-linalg's build script uses), so a build of the crate alone resolved them otherwise and
/// compiled tract and everything above it again (7.7 minutes of a cold run).
fn linted(args: &[&str], driver: &Path) -> Command {
    let mut cmd = cargo(args);
    cmd.env("RUSTC_WORKSPACE_WRAPPER", driver)
        // cargo-clippy's encoding of the arguments after `--`, which clippy-driver reads.
        .env(
            "CLIPPY_ARGS",
            "-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__",
        );
    cmd
}

/// The toolchain's clippy-driver (rustup's, as `cargo clippy` finds it).
fn clippy_driver() -> Result<PathBuf> {
    let path = output(command("rustup", &["which", "clippy-driver"]))?;
    Ok(PathBuf::from(path.trim()))
}

/// One end-to-end test file under Node's test runner (TAP output), with the tested binaries in
/// its environment: RECORD_PRECHECK, the CLI (bundle.mjs and cross.mjs compare the page with it),
/// and RECORD_PRECHECK_KIOSK, the one with the app inside (embed.mjs).
fn node_test(script: &str, binaries: &[(&str, &Path)]) -> Result {
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
    cmd.envs(binaries.iter().copied());
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
    node_test("tests/e2e/hostile.mjs", &[("RECORD_PRECHECK", cli)])
}
