//! `cargo xtask <command>`: the one build entry point of record-precheck (`test`, `build`,
//! `build-test-trap`, `build-kiosk`, `serve`, `run-cli`, `bench`, `bench-browser`). Plain std:
//! each step is a command run from the repository root; the first failing step stops the run
//! with a non-zero exit. Installs the wasm32 target and the matching `wasm-bindgen` CLI when they are missing,
//! and the end-to-end tests' npm packages (`npm ci` in tests/e2e); system packages (Chromium,
//! chromedriver, Firefox ESR, WebKitWebDriver, Xvfb, Node.js and npm) and geckodriver are
//! `.ci/run`'s job.

#[path = "../../src/static_http.rs"]
mod static_http;

use std::env;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const USAGE: &str = "usage: cargo xtask <command>

commands:
  test              fmt check, clippy, native tests, the wasm tests in headless Chromium and
                    Firefox, then
                    the end-to-end tests of the page: `build`, `npm ci` in tests/e2e, and
                    `node --test tests/e2e/run.mjs` and `bundle.mjs` (Playwright and Debian's
                    Chromium; needs node, npm and python3), the binary of `build-kiosk` and
                    embed.mjs (host page, kiosk offline, `serve`), send.mjs (a local tus
                    server: sending with consent), then `build-test-trap` and
                    tests/e2e/hostile.mjs (a worker that traps, HTML in names), then
                    tests/e2e/cross.mjs: the page in Firefox ESR and WebKit (Selenium
                    WebDriver), and at 360 px in WebKit and Chromium
  build             the wasm library and its JS glue into www/pkg (wasm-bindgen --target web),
                    wasm-opt (npm binaryen, installed into target/tools when npm is there),
                    then the raw, gzip and brotli sizes of what the page loads; writes the
                    service worker's precache list (www/pkg/precache.js) and the distributable
                    folder dist/ (the app's assets and a package.json, for host pages)
  build-kiosk       `build`, then the native binary with the app embedded (cargo feature
                    embed-app, target/kiosk/release/record-precheck: `record-precheck serve`)
  build-test-trap   a test-only copy of the app in target/www-test-trap: www/ with a pkg built
                    with the `test-trap` feature (a file that begins with
                    RECORD-PRECHECK-TEST-TRAP traps its scan worker); www/pkg is not touched
  serve [--port N] [--no-build] [--log FILE] [--www DIR] [--destination URL]
                    build, then serve www/ (or DIR, e.g. target/www-test-trap with --no-build)
                    on 127.0.0.1:N (default 8080, 0 = any free port)
                    with the production headers (Content-Security-Policy and others); prints
                    `serving http://127.0.0.1:PORT/` first, logs each request (method, path,
                    status) to stderr and FILE; --destination URL (a tus endpoint, for the
                    element's `destination` attribute) adds its origin to connect-src
  run-cli [ARGS]    the native CLI in release: `record-precheck scan ARGS`
                    (default ../shared/corpus; e.g. `cargo xtask run-cli --json PATH`)
  bench             generates a 2,000-file CD-like CT study (target/bench-data, needs python3
                    and pydicom, installed with pip when missing), then in one run: the criterion
                    header-scan benchmark and pydicom's dcmread(stop_before_pixels) on the same
                    files; then the bundle benchmark (criterion: store + SHA-256, deflate) and,
                    on the same files, sha256sum, Info-ZIP zip -0/-1 (apt-get when missing),
                    Python zipfile store and the record-precheck bundle CLI
  bench-browser [ARGS]
                    the same study (generated when missing), `build`, `npm ci` in tests/e2e,
                    then `node tests/e2e/bench.mjs --runs 3 ARGS`: the page in headless
                    Chromium with its worker pool and with one worker, against cornerstone's
                    dicomParser in the same browser; then `tests/e2e/bench-bundle.mjs`: Save
                    the bundle (into a picked file, stored and deflated, and as a download)
                    against reading and hashing in the same browser; each prints JSON";

const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The wasm-bindgen-test files in tests/, each run in headless Chromium.
const WASM_TESTS: &[&str] = &["web", "web_worker"];
/// Where `cargo xtask run-cli` looks when given no path.
const DEFAULT_CORPUS: &str = "../shared/corpus";

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
        Some("bench") => bench(),
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

fn test() -> Result {
    ensure_wasm_target()?;
    ensure_wasm_bindgen_cli()?;
    ensure_chromedriver()?;
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
    run(cargo(&["test"]))?;
    // The Zip64 stream (> 4 GiB, > 65,535 entries) is too slow in a debug build.
    run(cargo(&[
        "test",
        "--release",
        "--test",
        "bundle",
        "--",
        "--ignored",
    ]))?;
    wasm_tests_in_browsers()?;
    // The page end to end: the same build as `cargo xtask build`, then Playwright.
    build()?;
    e2e_packages()?;
    node_test("tests/e2e/run.mjs")?;
    node_test("tests/e2e/bundle.mjs")?;
    // Embedding, kiosk mode offline, and `record-precheck serve` (the binary with the app).
    build_kiosk_binary()?;
    node_test("tests/e2e/embed.mjs")?;
    // Sending with consent: a local tus server, the consent click, an interrupted upload.
    node_test("tests/e2e/send.mjs")?;
    e2e_hostile()?;
    e2e_cross()?;
    println!("xtask: all tests passed");
    Ok(())
}

/// The wasm tests in headless Chromium, then in headless Firefox. wasm-bindgen-test-runner
/// takes the first driver it finds (GECKODRIVER before CHROMEDRIVER, geckodriver before
/// chromedriver on PATH), so each run names its own.
fn wasm_tests_in_browsers() -> Result {
    let chromedriver = env::var_os("CHROMEDRIVER")
        .map(PathBuf::from)
        .or_else(|| find_on_path("chromedriver"))
        .ok_or("could not find chromedriver")?;
    let geckodriver = ensure_geckodriver()?;
    for t in WASM_TESTS {
        let mut cmd = cargo(&["test", "--target", WASM_TARGET, "--test", t]);
        cmd.env("CHROMEDRIVER", &chromedriver)
            .env_remove("GECKODRIVER")
            .env_remove("SAFARIDRIVER");
        run(cmd)?;
        let mut cmd = cargo(&["test", "--target", WASM_TARGET, "--test", t]);
        cmd.env("GECKODRIVER", &geckodriver);
        run(cmd)?;
    }
    Ok(())
}

/// The page end to end in Firefox ESR (geckodriver) and WebKit (WebKitWebDriver, MiniBrowser
/// under Xvfb), and at 360 px in WebKit and Chromium: tests/e2e/cross.mjs, after `build` and
/// `npm ci` in tests/e2e. Its screenshots go to target/e2e-screenshots.
fn e2e_cross() -> Result {
    ensure_geckodriver()?;
    for program in ["firefox-esr", "WebKitWebDriver", "Xvfb"] {
        if find_on_path(program).is_none() {
            return Err(format!(
                "could not find {program} (the cross-browser tests need it): install Debian's \
                 firefox-esr, webkit2gtk-driver and xvfb, as .ci/run does"
            ));
        }
    }
    node_test("tests/e2e/cross.mjs")
}

fn ensure_geckodriver() -> Result<PathBuf> {
    env::var_os("GECKODRIVER")
        .map(PathBuf::from)
        .or_else(|| find_on_path("geckodriver"))
        .ok_or_else(|| {
            "could not find geckodriver (the wasm and end-to-end tests run in Firefox too): \
             `cargo install geckodriver --locked`, as .ci/run does, or set GECKODRIVER"
                .into()
        })
}

/// Where the end-to-end tests and the browser benchmark live (an npm package of their own).
const E2E_DIR: &str = "tests/e2e";

/// One end-to-end test file under Node's test runner (TAP output).
fn node_test(script: &str) -> Result {
    run(command("node", &["--test", "--test-reporter=tap", script]))
}

/// `npm ci` in tests/e2e: Playwright (no browser download: Debian's Chromium is used),
/// dicom-parser for the benchmark, TypeScript for the type check of www/.
fn e2e_packages() -> Result {
    for tool in ["node", "npm"] {
        if find_on_path(tool).is_none() {
            return Err(format!(
                "could not find {tool} (the end-to-end tests run in Node.js): install it \
                 (Debian: `apt-get install nodejs npm`, as .ci/run does)"
            ));
        }
    }
    let mut cmd = command(
        "npm",
        &["ci", "--prefix", E2E_DIR, "--no-audit", "--no-fund"],
    );
    // Playwright must not download browsers of its own.
    cmd.env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    run(cmd)
}

/// npm `binaryen` (wasm-opt) at this version is installed here when npm is present; Debian's
/// binaryen is too old to read wasm-bindgen's output (see NOTES-toolchain).
const BINARYEN: &str = "binaryen@132";
const TOOLS_PREFIX: &str = "target/tools";
/// The cargo profile of the page's wasm (Cargo.toml: release, but small).
const WASM_PROFILE: &str = "wasm-release";
/// www/ scripts the standalone page does not load before the first scan: sender.js only with a
/// `destination`, when the patient chooses to send; sw.js only in kiosk mode; record-precheck.js
/// is host pages' entry (it re-exports app.js, which the standalone page loads itself).
const LOADED_ON_DEMAND: [&str; 3] = ["sender.js", "sw.js", "record-precheck.js"];
/// Everything the page loads before the first scan must stay under this, brotli-compressed.
const BROTLI_BUDGET: u64 = 450 * 1024;

fn build() -> Result {
    ensure_wasm_target()?;
    ensure_wasm_bindgen_cli()?;
    run(cargo(&[
        "build",
        "--profile",
        WASM_PROFILE,
        "--lib",
        "--target",
        WASM_TARGET,
    ]))?;
    let wasm = format!("target/{WASM_TARGET}/{WASM_PROFILE}/record_precheck.wasm");
    run(command(
        "wasm-bindgen",
        &["--target", "web", "--out-dir", "www/pkg", &wasm],
    ))?;
    let out_wasm = root().join("www/pkg/record_precheck_bg.wasm");
    let path = out_wasm.to_string_lossy().into_owned();
    let opt_args = [
        "-O3",
        "--enable-bulk-memory",
        "--enable-nontrapping-float-to-int",
        "--enable-sign-ext",
        "--enable-mutable-globals",
        "--enable-reference-types",
        "--enable-multivalue",
        &path,
        "-o",
        &path,
    ];
    let tools_wasm_opt = root().join(TOOLS_PREFIX).join("node_modules/.bin/wasm-opt");
    if !tools_wasm_opt.is_file() && find_on_path("npm").is_some() {
        println!("xtask: installing npm {BINARYEN} (wasm-opt) into {TOOLS_PREFIX}");
        let installed = run(command(
            "npm",
            &[
                "install",
                "--prefix",
                TOOLS_PREFIX,
                "--no-save",
                "--no-audit",
                "--no-fund",
                BINARYEN,
            ],
        ));
        if let Err(e) = installed {
            println!("xtask: could not install {BINARYEN}: {e}");
        }
    }
    if tools_wasm_opt.is_file() {
        let mut cmd = Command::new(&tools_wasm_opt);
        cmd.args(opt_args)
            .current_dir(root())
            .env("PATH", search_path());
        run(cmd)?;
    } else if wasm_opt_available() {
        let mut args = vec!["--no-install", "wasm-opt"];
        args.extend(opt_args);
        run(command("npx", &args))?;
    } else {
        println!("xtask: wasm-opt skipped (needs npm, to install npm binaryen)");
    }
    println!("xtask: built www/pkg");
    // What the page loads before the first scan: the app's assets (the page, its scripts and
    // styles, the JS glue and the wasm) but those it loads on demand.
    let www = root().join("www");
    let loaded: Vec<PathBuf> = app_assets()?
        .iter()
        .filter(|a| !LOADED_ON_DEMAND.contains(&a.as_str()))
        .map(|a| www.join(a))
        .collect();
    let mut totals = (0u64, Some(0u64), Some(0u64));
    println!(
        "xtask: {:<40} {:>10} {:>10} {:>10}",
        "size (bytes)", "raw", "gzip -9", "brotli"
    );
    let show = |n: Option<u64>| n.map_or_else(|| "-".to_string(), |n| n.to_string());
    for file in &loaded {
        let raw = std::fs::metadata(file)
            .map_err(|e| format!("could not read {}: {e}", file.display()))?
            .len();
        let (gz, br) = (gzip_size(file), brotli_size(file));
        totals.0 += raw;
        totals.1 = totals.1.zip(gz).map(|(a, b)| a + b);
        totals.2 = totals.2.zip(br).map(|(a, b)| a + b);
        let name = file
            .strip_prefix(root())
            .unwrap_or(file)
            .display()
            .to_string();
        println!(
            "xtask: {name:<40} {raw:>10} {:>10} {:>10}",
            show(gz),
            show(br)
        );
    }
    println!(
        "xtask: {:<40} {:>10} {:>10} {:>10}",
        "total before the first scan",
        totals.0,
        show(totals.1),
        show(totals.2)
    );
    match totals.2 {
        Some(br) if br > BROTLI_BUDGET => {
            println!("xtask: warning: {br} bytes brotli is over the budget of {BROTLI_BUDGET}")
        }
        Some(br) => println!("xtask: {br} bytes brotli, within the budget of {BROTLI_BUDGET}"),
        None => println!("xtask: brotli sizes skipped (needs `brotli` or `node` on PATH)"),
    }
    vendor_tus()?;
    write_dist()
}

/// npm `tus-js-client` at this exact version: the resumable upload client of the "Send" step,
/// installed into target/tools/tus and copied (its browser build) into www/vendor/ and dist/.
const TUS_JS_CLIENT: &str = "tus-js-client@4.3.1";
const TUS_PREFIX: &str = "target/tools/tus";
/// Where the page loads the tus client from, relative to www/ (only when the patient sends).
const TUS_VENDORED: &str = "vendor/tus.min.js";

/// Installs npm tus-js-client (when npm is there and it is missing or another version) and
/// copies its browser build (a UMD script that defines `window.tus`) into www/vendor/, without
/// its source-map comment, with its licence beside it. Without npm the "Send" step cannot load
/// its client (the page says so when the patient sends); everything else works.
fn vendor_tus() -> Result {
    let (_, version) = TUS_JS_CLIENT
        .rsplit_once('@')
        .unwrap_or((TUS_JS_CLIENT, ""));
    let package = root().join(TUS_PREFIX).join("node_modules/tus-js-client");
    let installed = std::fs::read_to_string(package.join("package.json"))
        .map(|p| p.contains(&format!("\"version\": \"{version}\"")))
        .unwrap_or(false);
    if !installed {
        if find_on_path("npm").is_none() {
            println!("xtask: warning: {TUS_JS_CLIENT} not vendored (needs npm): the Send step cannot upload");
            return Ok(());
        }
        println!("xtask: installing npm {TUS_JS_CLIENT} into {TUS_PREFIX}");
        run(command(
            "npm",
            &[
                "install",
                "--prefix",
                TUS_PREFIX,
                "--no-save",
                "--no-audit",
                "--no-fund",
                TUS_JS_CLIENT,
            ],
        ))?;
    }
    let script = std::fs::read_to_string(package.join("dist/tus.min.js"))
        .map_err(|e| format!("could not read {TUS_JS_CLIENT}'s dist/tus.min.js: {e}"))?;
    let script: String = script
        .lines()
        .filter(|l| !l.starts_with("//# sourceMappingURL="))
        .map(|l| format!("{l}\n"))
        .collect();
    let vendor = root().join("www/vendor");
    std::fs::create_dir_all(&vendor).map_err(|e| format!("could not create www/vendor: {e}"))?;
    std::fs::write(root().join("www").join(TUS_VENDORED), script)
        .map_err(|e| format!("could not write www/{TUS_VENDORED}: {e}"))?;
    std::fs::copy(
        package.join("LICENSE"),
        vendor.join("tus-js-client.LICENSE"),
    )
    .map_err(|e| format!("could not copy {TUS_JS_CLIENT}'s LICENSE: {e}"))?;
    println!("xtask: vendored {TUS_JS_CLIENT} into www/{TUS_VENDORED}");
    Ok(())
}

/// `gzip -9c FILE | wc -c`, when gzip is there.
fn gzip_size(file: &Path) -> Option<u64> {
    find_on_path("gzip")?;
    let out = command("gzip", &["-9c"]).arg(file).output().ok()?;
    out.status.success().then_some(out.stdout.len() as u64)
}

/// The brotli size (quality 11): the `brotli` CLI when there, else Node's zlib.
fn brotli_size(file: &Path) -> Option<u64> {
    if find_on_path("brotli").is_some() {
        let out = command("brotli", &["-c", "-q", "11"])
            .arg(file)
            .output()
            .ok()?;
        return out.status.success().then_some(out.stdout.len() as u64);
    }
    find_on_path("node")?;
    let script = "const z=require('zlib');const b=require('fs').readFileSync(process.argv[1]);\
        process.stdout.write(String(z.brotliCompressSync(b,{params:{[z.constants.BROTLI_PARAM_QUALITY]:11,\
        [z.constants.BROTLI_PARAM_SIZE_HINT]:b.length}}).length))";
    let out = command("node", &["-e", script]).arg(file).output().ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

// ---- the test-trap build and the hostile-input tests of the page ---------------------------

/// Where `cargo xtask build-test-trap` puts its copy of the app.
const TEST_TRAP_WWW: &str = "target/www-test-trap";
/// Its own cargo target folder: the production wasm in target/wasm32-unknown-unknown/wasm-release
/// is never overwritten by a test-trap one (which a concurrent `build` could take into www/pkg).
const TEST_TRAP_TARGET: &str = "target/test-trap";

/// `cargo xtask build-test-trap`: the wasm library with the `test-trap` feature (a file that
/// begins with RECORD-PRECHECK-TEST-TRAP makes the scan entry points trap: src/wasm/test_trap.rs)
/// and a fresh copy of www/ around it, in target/www-test-trap. Never touches www/pkg. A test
/// build: no LTO, parallel code generation and no wasm-opt, to keep it quick.
fn build_test_trap() -> Result {
    ensure_wasm_target()?;
    ensure_wasm_bindgen_cli()?;
    let mut cmd = cargo(&[
        "build",
        "--release",
        "--lib",
        "--target",
        WASM_TARGET,
        "--features",
        "test-trap",
        "--target-dir",
        TEST_TRAP_TARGET,
    ]);
    cmd.env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16");
    run(cmd)?;
    let out = root().join(TEST_TRAP_WWW);
    if out.exists() {
        std::fs::remove_dir_all(&out)
            .map_err(|e| format!("could not remove {}: {e}", out.display()))?;
    }
    copy_app(&root().join("www"), &out)?;
    let wasm = format!("{TEST_TRAP_TARGET}/{WASM_TARGET}/release/record_precheck.wasm");
    let pkg = format!("{TEST_TRAP_WWW}/pkg");
    run(command(
        "wasm-bindgen",
        &["--target", "web", "--out-dir", &pkg, &wasm],
    ))?;
    println!("xtask: built {TEST_TRAP_WWW} (test-trap; not for production)");
    Ok(())
}

/// Copies the app's files from `from` to `to`, without `pkg/` (built separately).
fn copy_app(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to).map_err(|e| format!("could not create {}: {e}", to.display()))?;
    let entries =
        std::fs::read_dir(from).map_err(|e| format!("could not read {}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("could not read {}: {e}", from.display()))?;
        let (path, name) = (entry.path(), entry.file_name());
        if path.is_dir() {
            if name != "pkg" {
                copy_app(&path, &to.join(&name))?;
            }
        } else {
            std::fs::copy(&path, to.join(&name))
                .map_err(|e| format!("could not copy {}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// The hostile-input tests of the page (tests/e2e/hostile.mjs: a worker that traps, HTML in
/// names): the test-trap build, then Playwright. Needs the production www/pkg too (`build`).
fn e2e_hostile() -> Result {
    build_test_trap()?;
    node_test("tests/e2e/hostile.mjs")
}

// ---- cargo xtask serve ------------------------------------------------------------------------

/// The origin (`scheme://host[:port]`, lower case) of an http(s) URL, for a CSP source list;
/// an error for anything else (other schemes, user info, characters a CSP would read apart).
fn destination_origin(url: &str) -> Result<String> {
    let bad = || {
        format!("--destination: {url:?} is not an http(s) URL like http://127.0.0.1:1080/files/")
    };
    let (scheme, rest) = url.split_once("://").ok_or_else(bad)?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(bad());
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']');
    if authority.is_empty() || authority.starts_with(':') || !authority.chars().all(allowed) {
        return Err(bad());
    }
    Ok(format!("{scheme}://{}", authority.to_ascii_lowercase()))
}

/// `cargo xtask serve [--port N] [--no-build] [--log FILE] [--www DIR] [--destination URL]`:
/// builds, then serves `www/` (or DIR) on 127.0.0.1 with the production headers, as
/// `record-precheck serve` does (the same code: src/static_http.rs). The first line on stdout is
/// `serving http://127.0.0.1:PORT/`; every request is one line on stderr (and appended to
/// FILE): `GET /app.js 200`.
fn serve(args: &[String]) -> Result {
    let mut port: u16 = 8080;
    let mut build_first = true;
    let mut log_file: Option<PathBuf> = None;
    let mut www_dir = root().join("www");
    let mut destination: Option<String> = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--port" => {
                let v = it.next().ok_or("--port needs a number")?;
                port = v
                    .parse()
                    .map_err(|_| format!("could not read the port {v:?}"))?;
            }
            "--no-build" => build_first = false,
            "--log" => log_file = Some(PathBuf::from(it.next().ok_or("--log needs a file")?)),
            "--www" => www_dir = root().join(it.next().ok_or("--www needs a folder")?),
            "--destination" => {
                let url = it.next().ok_or("--destination needs a URL")?;
                destination = Some(destination_origin(url)?);
            }
            other => return Err(format!("serve: unknown argument {other:?}\n\n{USAGE}")),
        }
    }
    if build_first {
        // The build in a child process with its stdout on our stderr (tools it runs print to
        // stdout), so that the address is the first line on stdout.
        let exe = env::current_exe().map_err(|e| format!("could not find xtask itself: {e}"))?;
        let mut cmd = Command::new(exe);
        cmd.arg("build")
            .current_dir(root())
            .stdout(std::io::stderr());
        run(cmd)?;
    }
    let www = www_dir
        .canonicalize()
        .map_err(|e| format!("could not find {}: {e}", www_dir.display()))?;
    if !www.join("pkg/record_precheck_bg.wasm").is_file() {
        return Err(
            "www/pkg is not built: run `cargo xtask build` (or serve without --no-build)".into(),
        );
    }
    let log = match &log_file {
        Some(p) => Some(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(p)
                .map_err(|e| format!("could not open the log {}: {e}", p.display()))?,
        ),
        None => None,
    };
    let site = Folder {
        root: www,
        log: std::sync::Mutex::new(log),
        destination,
    };
    static_http::serve(port, std::sync::Arc::new(site))
}

/// The files of a folder, served.
struct Folder {
    root: PathBuf,
    log: std::sync::Mutex<Option<std::fs::File>>,
    /// `--destination`: the origin of the tus endpoint the element's `destination` attribute
    /// names, added to `connect-src` (after `'self'`): the page may connect there and nowhere
    /// else.
    destination: Option<String>,
}

impl static_http::Site for Folder {
    /// The file under the folder (no link may lead out of it) of a type that is served.
    fn find(&self, path: &str) -> Option<static_http::Found> {
        let mime = static_http::mime(path)?;
        let full = self.root.join(path).canonicalize().ok()?;
        if !full.starts_with(&self.root) || !full.is_file() {
            return None;
        }
        let file = std::fs::File::open(&full).ok()?;
        let length = file.metadata().ok()?.len();
        Some(static_http::Found {
            body: Box::new(file),
            length,
            mime,
        })
    }

    fn log(&self, line: &str) {
        use std::io::Write;
        if let Ok(mut log) = self.log.lock() {
            if let Some(f) = log.as_mut() {
                let _ = writeln!(f, "{line}");
                let _ = f.flush();
            }
        }
    }

    fn connect_src(&self) -> Option<&str> {
        self.destination.as_deref()
    }
}

fn run_cli(args: &[String]) -> Result {
    let mut cli_args = vec!["scan".to_string()];
    cli_args.extend(args.iter().cloned());
    if args.iter().all(|a| a.starts_with("--")) {
        if !root().join(DEFAULT_CORPUS).is_dir() {
            return Err(format!(
                "could not find the corpus at {DEFAULT_CORPUS} (give a PATH to scan)"
            ));
        }
        cli_args.push(DEFAULT_CORPUS.to_string());
    }
    let mut cmd = cargo(&[
        "run",
        "--quiet",
        "--release",
        "--bin",
        "record-precheck",
        "--",
    ]);
    cmd.args(&cli_args);
    run(cmd)
}

/// Where `cargo xtask bench` writes its generated study.
const BENCH_DATA: &str = "target/bench-data/cd-ct";

/// pydicom, installed with pip when missing (the study generator and the pydicom benchmark).
fn ensure_pydicom() -> Result {
    if output(command("python3", &["-c", "import pydicom"])).is_err() {
        run(command(
            "python3",
            &["-m", "pip", "install", "--quiet", "pydicom"],
        ))?;
    }
    Ok(())
}

/// The generated CD-like CT study in `BENCH_DATA` (made once; seed 1, so always the same).
fn ensure_bench_data() -> Result<PathBuf> {
    let data = root().join(BENCH_DATA);
    if !data.join("DICOMDIR").is_file() {
        ensure_pydicom()?;
        run(command(
            "python3",
            &[
                "bench/gen_cd_study.py",
                "--out",
                BENCH_DATA,
                "--files",
                "2000",
                "--seed",
                "1",
            ],
        ))?;
    }
    Ok(data)
}

fn bench() -> Result {
    ensure_pydicom()?;
    let data = ensure_bench_data()?;
    let mut criterion = cargo(&["bench", "--bench", "scan"]);
    criterion.env("RECORD_PRECHECK_BENCH_DIR", &data);
    run(criterion)?;
    let images = format!("{BENCH_DATA}/IMAGES");
    run(command(
        "python3",
        &["bench/pydicom_headers.py", &images, "--repeat", "5"],
    ))?;
    // The bundle (issue 5): criterion over the writer, then the CLI and the reference tools on
    // the same files, in the same run.
    let mut criterion = cargo(&["bench", "--bench", "bundle"]);
    criterion.env("RECORD_PRECHECK_BENCH_DIR", &data);
    run(criterion)?;
    bench_bundle_references(&data)
}

/// Runs of each reference tool in `bench_bundle_references`; the median is shown.
const REFERENCE_RUNS: usize = 3;

/// Python's zipfile, stored, into a sink that discards (not seekable: data descriptors, as
/// record-precheck streams).
const PY_ZIPFILE_STORE: &str = "import os, sys, zipfile
class Sink:
    def write(self, b): return len(b)
    def flush(self): pass
with zipfile.ZipFile(Sink(), 'w', zipfile.ZIP_STORED) as z:
    for root, dirs, files in os.walk(sys.argv[1]):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(root, f)
            z.write(p, p)";

/// The bundle's reference figures on the study's IMAGES folder (2,000 files, 1 GB), every
/// output thrown away (stdout or `-o /dev/null`): `cat` (reading only), `sha256sum`, Info-ZIP
/// `zip -0` and `zip -1` (installed with apt-get when missing and possible, else skipped with a
/// note), Python's zipfile stored, and the record-precheck CLI (scan, report and bundle, stored
/// and `--deflate`). Prints MB/s of input, median of `REFERENCE_RUNS` runs, warm page cache.
fn bench_bundle_references(data: &Path) -> Result {
    if find_on_path("zip").is_none() && find_on_path("apt-get").is_some() {
        println!("xtask: Info-ZIP zip is missing: trying `apt-get install -y zip`");
        if let Err(e) = run(command("apt-get", &["install", "-y", "-q", "zip"])) {
            println!("xtask: could not install zip ({e})");
        }
    }
    run(cargo(&["build", "--release", "--bin", "record-precheck"]))?;
    let cli = root().join("target/release/record-precheck");
    let mut files = Vec::new();
    collect_files(&data.join("IMAGES"), &mut files)?;
    files.sort();
    let mut bytes = 0u64;
    let mut rel = Vec::new();
    for f in &files {
        bytes += std::fs::metadata(f)
            .map_err(|e| format!("could not read {}: {e}", f.display()))?
            .len();
        rel.push(
            f.strip_prefix(data)
                .unwrap_or(f)
                .to_string_lossy()
                .into_owned(),
        );
    }
    let rel: Vec<&str> = rel.iter().map(String::as_str).collect();
    let with_files = |program: &str, first: &[&str]| -> Option<Command> {
        find_on_path(program)?;
        let mut cmd = command(program, first);
        cmd.args(&rel);
        Some(cmd)
    };
    let cli_bundle = |deflate: bool| {
        let mut cmd = Command::new(&cli);
        cmd.args(["bundle", "IMAGES", "-o", "/dev/null"]);
        if deflate {
            cmd.arg("--deflate");
        }
        Some(cmd)
    };
    let python = find_on_path("python3").map(|_| {
        let mut cmd = command("python3", &["-c", PY_ZIPFILE_STORE, "IMAGES"]);
        cmd.current_dir(data);
        cmd
    });
    let tools: Vec<(&str, Option<Command>)> = vec![
        ("cat (reading only)", with_files("cat", &[])),
        ("sha256sum", with_files("sha256sum", &[])),
        (
            "Info-ZIP zip -0 (to stdout)",
            with_files("zip", &["-0", "-q", "-"]),
        ),
        (
            "Info-ZIP zip -1 (to stdout)",
            with_files("zip", &["-1", "-q", "-"]),
        ),
        ("Python zipfile, stored", python),
        (
            "record-precheck bundle (CLI: scan + store)",
            cli_bundle(false),
        ),
        ("record-precheck bundle --deflate (CLI)", cli_bundle(true)),
    ];
    println!(
        "xtask: bundle references on {} files, {:.1} MB; median of {REFERENCE_RUNS} runs",
        files.len(),
        bytes as f64 / 1e6
    );
    let mut rows = Vec::new();
    for (label, cmd) in tools {
        let Some(mut cmd) = cmd else {
            rows.push(format!("{label:<44} skipped: not installed"));
            continue;
        };
        cmd.current_dir(data)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::inherit());
        let mut times = Vec::new();
        for _ in 0..REFERENCE_RUNS {
            let started = std::time::Instant::now();
            let status = cmd
                .status()
                .map_err(|e| format!("could not run {label}: {e}"))?;
            if !status.success() {
                return Err(format!("{label} failed ({status})"));
            }
            times.push(started.elapsed().as_secs_f64());
        }
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        rows.push(format!(
            "{label:<44} {:>8.1} MB/s {median:>8.2} s",
            bytes as f64 / 1e6 / median
        ));
    }
    for row in rows {
        println!("xtask: {row}");
    }
    Ok(())
}

/// Every regular file under `dir`.
fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("could not read {}: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("could not read {}: {e}", dir.display()))?;
        let kind = entry
            .file_type()
            .map_err(|e| format!("could not read {}: {e}", entry.path().display()))?;
        if kind.is_dir() {
            collect_files(&entry.path(), out)?;
        } else if kind.is_file() {
            out.push(entry.path());
        }
    }
    Ok(())
}

/// `cargo xtask bench-browser [ARGS]`: the browser benchmarks (tests/e2e/bench.mjs, then
/// tests/e2e/bench-bundle.mjs) on the study of `cargo xtask bench`; ARGS go to both (`--runs N`).
fn bench_browser(args: &[String]) -> Result {
    let data = ensure_bench_data()?;
    build()?;
    e2e_packages()?;
    let data = data.to_string_lossy().into_owned();
    for script in ["tests/e2e/bench.mjs", "tests/e2e/bench-bundle.mjs"] {
        let mut bench_args = vec![script, "--runs", "3", "--data", &data];
        bench_args.extend(args.iter().map(String::as_str));
        run(command("node", &bench_args))?;
    }
    Ok(())
}

// ---- installing what is missing -------------------------------------------------------------

fn ensure_wasm_target() -> Result {
    let installed = output(command("rustup", &["target", "list", "--installed"]))?;
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        return Ok(());
    }
    run(command("rustup", &["target", "add", WASM_TARGET]))
}

/// `wasm-bindgen` (and `wasm-bindgen-test-runner`) must match the crate version in Cargo.lock.
fn ensure_wasm_bindgen_cli() -> Result {
    let wanted = locked_version("wasm-bindgen")?;
    let found = output(command("wasm-bindgen", &["--version"])).unwrap_or_default();
    if found.split_whitespace().nth(1) == Some(wanted.as_str()) {
        return Ok(());
    }
    println!(
        "xtask: installing wasm-bindgen-cli {wanted} (found: {})",
        found.trim()
    );
    // Not --locked: a locked dependency of the CLI is missing from the registry.
    run(cargo(&[
        "install",
        "wasm-bindgen-cli",
        "--version",
        &wanted,
    ]))
}

fn ensure_chromedriver() -> Result {
    if env::var_os("CHROMEDRIVER").is_some() || find_on_path("chromedriver").is_some() {
        return Ok(());
    }
    Err(
        "could not find chromedriver (the wasm tests run in headless Chromium): install it \
         (Debian: `apt-get install chromium chromium-driver`, as .ci/run does) or set CHROMEDRIVER"
            .into(),
    )
}

fn wasm_opt_available() -> bool {
    find_on_path("npx").is_some()
        && output(command("npx", &["--no-install", "wasm-opt", "--version"])).is_ok()
}

/// The version of `package` recorded in Cargo.lock.
fn locked_version(package: &str) -> Result<String> {
    let lock_path = root().join("Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path)
        .map_err(|e| format!("could not read {}: {e}", lock_path.display()))?;
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == name_line {
            if let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
            {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err(format!("could not find {package} in Cargo.lock"))
}

// ---- running commands -----------------------------------------------------------------------

/// The repository root (the parent of this crate).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the repository")
        .to_path_buf()
}

/// Cargo's bin folder, where `cargo install` puts tools; searched first.
fn cargo_bin() -> Option<PathBuf> {
    let home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))?;
    Some(home.join("bin"))
}

fn search_path() -> OsString {
    let mut dirs: Vec<PathBuf> = cargo_bin().into_iter().collect();
    dirs.extend(env::split_paths(&env::var_os("PATH").unwrap_or_default()));
    env::join_paths(dirs).unwrap_or_default()
}

fn find_on_path(program: &str) -> Option<PathBuf> {
    env::split_paths(&search_path())
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

/// `program args`, run from the repository root with cargo's bin folder on PATH.
fn command(program: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(find_on_path(program).unwrap_or_else(|| program.into()));
    cmd.args(args)
        .current_dir(root())
        .env("PATH", search_path());
    cmd
}

fn cargo(args: &[&str]) -> Command {
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    command(&cargo, args)
}

fn describe(cmd: &Command) -> String {
    let program = Path::new(cmd.get_program())
        .file_name()
        .unwrap_or(cmd.get_program());
    let mut words = vec![program.to_string_lossy().into_owned()];
    words.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    words.join(" ")
}

/// Runs a step with its output shown; fails when it cannot start or exits non-zero.
fn run(mut cmd: Command) -> Result {
    let what = describe(&cmd);
    eprintln!("==> {what}");
    let status = cmd
        .status()
        .map_err(|e| format!("could not run `{what}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{what}` failed ({status})"))
    }
}

/// Runs a command quietly and returns its standard output.
fn output(mut cmd: Command) -> Result<String> {
    let what = describe(&cmd);
    let out = cmd
        .output()
        .map_err(|e| format!("could not run `{what}`: {e}"))?;
    if !out.status.success() {
        return Err(format!("`{what}` failed ({})", out.status));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

// ---- the distributable folder, the precache list, the kiosk binary --------------------------

/// Where `build` puts the distributable copy of the app (git-ignored).
const DIST: &str = "dist";
/// Where `build-kiosk` puts the binary with the app embedded. It is built in target/ (cargo
/// keeps the crate built with and without `embed-app` side by side, and the dependencies'
/// release builds are shared with the tests': a target folder of its own compiled them all
/// again, minutes on a fresh CI machine), then copied here, away from target/release's plain one.
const KIOSK_TARGET: &str = "target/kiosk";

/// The app's assets, relative to www/: every .html, .js and .css directly in www/, then those
/// of its folders ui/ (the page's parts) and workers/ (the workers and what runs them), then the
/// wasm glue and the wasm. The service worker precaches these (all but sw.js itself).
fn app_assets() -> Result<Vec<String>> {
    let www = root().join("www");
    let mut own = Vec::new();
    for folder in ["", "ui/", "workers/"] {
        let dir = std::fs::read_dir(www.join(folder))
            .map_err(|e| format!("could not read www/{folder}: {e}"))?;
        let mut names: Vec<String> = dir
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.is_file()
                    && matches!(
                        p.extension().and_then(|e| e.to_str()),
                        Some("html" | "js" | "css")
                    )
            })
            .filter_map(|p| p.file_name().and_then(|n| n.to_str()).map(String::from))
            .map(|n| format!("{folder}{n}"))
            .collect();
        names.sort();
        own.extend(names);
    }
    own.push("pkg/record_precheck.js".into());
    own.push("pkg/record_precheck_bg.wasm".into());
    Ok(own)
}

/// FNV-1a, 64 bits: a content tag for the cache name, not a security hash.
fn fnv1a(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// A JSON string literal (the names here are plain, but escape anyway).
fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The service worker's precache list, www/pkg/precache.js: the assets (without sw.js) and a
/// hash of their names and contents, the cache's version. Then dist/: those assets, sw.js,
/// pkg/record_precheck.d.ts and pkg/precache.js, the licences, and a package.json whose
/// `exports` name record-precheck.js (the element) and whose `types` are the wasm API's.
fn write_dist() -> Result {
    let www = root().join("www");
    let assets = app_assets()?;
    let precached: Vec<&String> = assets.iter().filter(|a| *a != "sw.js").collect();
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    for a in &precached {
        let bytes =
            std::fs::read(www.join(a)).map_err(|e| format!("could not read www/{a}: {e}"))?;
        hash = fnv1a(hash, a.as_bytes());
        hash = fnv1a(hash, &(bytes.len() as u64).to_le_bytes());
        hash = fnv1a(hash, &bytes);
    }
    let list: Vec<String> = precached.iter().map(|a| json_str(a)).collect();
    let precache = format!(
        "// Written by `cargo xtask build` for sw.js: the app's assets and their version.\n\
         self.RECORD_PRECHECK_PRECACHE = {{ \"version\": \"{hash:016x}\", \"assets\": [{}] }};\n",
        list.join(", ")
    );
    std::fs::write(www.join("pkg/precache.js"), precache)
        .map_err(|e| format!("could not write www/pkg/precache.js: {e}"))?;

    let dist = root().join(DIST);
    if dist.exists() {
        std::fs::remove_dir_all(&dist).map_err(|e| format!("could not remove dist/: {e}"))?;
    }
    std::fs::create_dir_all(dist.join("pkg"))
        .map_err(|e| format!("could not create dist/: {e}"))?;
    let mut files: Vec<String> = assets.clone();
    files.push("pkg/record_precheck.d.ts".into());
    files.push("pkg/precache.js".into());
    // The tus client of the "Send" step (not precached: loaded only when the patient sends).
    if www.join(TUS_VENDORED).is_file() {
        std::fs::create_dir_all(dist.join("vendor"))
            .map_err(|e| format!("could not create dist/vendor: {e}"))?;
        files.push(TUS_VENDORED.into());
        files.push("vendor/tus-js-client.LICENSE".into());
    }
    for f in &files {
        if let Some(folder) = dist.join(f).parent() {
            std::fs::create_dir_all(folder)
                .map_err(|e| format!("could not create {}: {e}", folder.display()))?;
        }
        std::fs::copy(www.join(f), dist.join(f))
            .map_err(|e| format!("could not copy www/{f} into dist/: {e}"))?;
    }
    for f in ["LICENSE-MIT", "LICENSE-APACHE"] {
        std::fs::copy(root().join(f), dist.join(f))
            .map_err(|e| format!("could not copy {f} into dist/: {e}"))?;
    }
    let version = package_version()?;
    let mut all: Vec<String> = files.iter().map(|f| json_str(f)).collect();
    all.extend(["\"LICENSE-MIT\"".into(), "\"LICENSE-APACHE\"".into()]);
    let package = format!(
        r#"{{
  "name": "record-precheck",
  "version": "{version}",
  "description": "<record-precheck>: checks a patient's medical records for a second opinion, in the browser, on the patient's device (WebAssembly in Web Workers).",
  "license": "MIT OR Apache-2.0",
  "type": "module",
  "main": "./record-precheck.js",
  "types": "./pkg/record_precheck.d.ts",
  "exports": {{
    ".": {{
      "types": "./pkg/record_precheck.d.ts",
      "default": "./record-precheck.js"
    }},
    "./style.css": "./style.css",
    "./sw.js": "./sw.js",
    "./pkg/*": "./pkg/*",
    "./package.json": "./package.json"
  }},
  "sideEffects": true,
  "files": [{}]
}}
"#,
        all.join(", ")
    );
    std::fs::write(dist.join("package.json"), package)
        .map_err(|e| format!("could not write dist/package.json: {e}"))?;
    println!(
        "xtask: wrote www/pkg/precache.js (version {hash:016x}) and {DIST}/ ({} files)",
        files.len() + 3
    );
    Ok(())
}

/// The `version` of the root Cargo.toml's [package].
fn package_version() -> Result<String> {
    let toml = std::fs::read_to_string(root().join("Cargo.toml"))
        .map_err(|e| format!("could not read Cargo.toml: {e}"))?;
    toml.lines()
        .skip_while(|l| l.trim() != "[package]")
        .skip(1)
        .take_while(|l| !l.trim_start().starts_with('['))
        .find_map(|l| {
            let (k, v) = l.split_once('=')?;
            (k.trim() == "version").then(|| v.trim().trim_matches('"').to_string())
        })
        .ok_or_else(|| "no version in Cargo.toml's [package]".to_string())
}

/// `cargo xtask build-kiosk`: `build`, then the binary with the app embedded.
fn build_kiosk() -> Result {
    build()?;
    build_kiosk_binary()
}

/// The native binary with dist/ embedded (feature `embed-app`, build.rs), copied to
/// target/kiosk/release/record-precheck. Needs dist/ (`build`).
fn build_kiosk_binary() -> Result {
    run(cargo(&[
        "build",
        "--release",
        "--bin",
        "record-precheck",
        "--features",
        "embed-app",
    ]))?;
    let built = root().join("target/release/record-precheck");
    let dir = root().join(KIOSK_TARGET).join("release");
    std::fs::create_dir_all(&dir)
        .map_err(|e| format!("could not create {}: {e}", dir.display()))?;
    let kiosk = dir.join("record-precheck");
    std::fs::copy(&built, &kiosk).map_err(|e| {
        format!(
            "could not copy {} to {}: {e}",
            built.display(),
            kiosk.display()
        )
    })?;
    println!("xtask: built {KIOSK_TARGET}/release/record-precheck (`record-precheck serve`)");
    Ok(())
}
