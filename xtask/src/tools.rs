//! Installing and finding what the steps need: the wasm32 target, the `wasm-bindgen` CLI of
//! Cargo.lock's version, geckodriver (`cargo install`) and chromedriver (found; Debian's, which
//! `setup` installs), npm binaryen (wasm-opt) and npm esbuild in target/tools, and the
//! end-to-end tests' npm packages (`npm ci` in tests/e2e).

use std::env;
use std::path::PathBuf;

use crate::process::{cargo, command, find_on_path, output, quiet, root, run};
use crate::Result;

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

pub fn ensure_wasm_target() -> Result {
    let installed = output(command("rustup", &["target", "list", "--installed"]))?;
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        return Ok(());
    }
    run(command("rustup", &["target", "add", WASM_TARGET]))
}

/// `wasm-bindgen` (and `wasm-bindgen-test-runner`) must match the crate version in Cargo.lock.
pub fn ensure_wasm_bindgen_cli() -> Result {
    let wanted = locked_version("wasm-bindgen")?;
    let found = output(command("wasm-bindgen", &["--version"])).unwrap_or_default();
    if found.split_whitespace().nth(1) == Some(wanted.as_str()) {
        return Ok(());
    }
    println!(
        "xtask: installing wasm-bindgen-cli {wanted} (found: {})",
        found.trim()
    );
    // Not --locked: a locked dependency of the CLI is missing from the registry. Quiet: it is
    // built in the background while other steps show their output (setup.rs). At opt-level 1:
    // 129 s to compile on 2 cores instead of 157, and it still takes the OCR module's 20 MB in
    // 2.3 s instead of 2.2 (a debug build: 80 s, but 10.2 s for that module, and the test
    // runner reads the wasm tests' debug builds every run).
    let mut install = cargo(&["install", "wasm-bindgen-cli", "--version", &wanted]);
    install.env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "1");
    quiet(install)
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

/// The chromedriver the tests use: CHROMEDRIVER, else the one on PATH (Debian's
/// chromium-driver, which `setup` installs).
pub fn find_chromedriver() -> Option<PathBuf> {
    env::var_os("CHROMEDRIVER")
        .map(PathBuf::from)
        .or_else(|| find_on_path("chromedriver"))
}

/// The geckodriver the tests use: GECKODRIVER, else the one on PATH, else
/// `cargo install geckodriver --locked --debug` (Debian has no package of it). A debug build:
/// it only relays the tests' commands to Firefox, and compiles in 65 s on 2 cores where the
/// release build took 114 s (alone; beside the tests' build on a fresh machine, minutes more).
pub fn ensure_geckodriver() -> Result<PathBuf> {
    let find = || {
        env::var_os("GECKODRIVER")
            .map(PathBuf::from)
            .or_else(|| find_on_path("geckodriver"))
    };
    if let Some(found) = find() {
        return Ok(found);
    }
    quiet(cargo(&["install", "geckodriver", "--locked", "--debug"]))?;
    find().ok_or_else(|| "`cargo install geckodriver` did not put geckodriver on PATH".into())
}

/// cargo-nextest, which `test` runs the native tests with (`cargo nextest run`): on PATH or in
/// cargo's bin folder, else `cargo install cargo-nextest --locked`.
pub fn ensure_nextest() -> Result<PathBuf> {
    if let Some(found) = find_on_path("cargo-nextest") {
        return Ok(found);
    }
    quiet(cargo(&["install", "cargo-nextest", "--locked"]))?;
    find_on_path("cargo-nextest")
        .ok_or_else(|| "`cargo install cargo-nextest` did not put cargo-nextest on PATH".into())
}

/// npm `binaryen` (wasm-opt) at this version is installed here when npm is present; Debian's
/// binaryen is too old to read wasm-bindgen's output (see NOTES-toolchain).
const BINARYEN: &str = "binaryen@132";
const TOOLS_PREFIX: &str = "target/tools";

/// wasm-opt of npm binaryen in target/tools: installed there when it is missing and npm is
/// present (a failed install is reported, and the build goes on without it). The path, whether
/// or not the file is there.
pub fn ensure_wasm_opt() -> PathBuf {
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
    tools_wasm_opt
}

/// npm `esbuild` at this exact version: the build minifies the app's scripts and styles with it
/// and bundles each worker's script (dist.rs) — one tool for both (terser only minifies), a
/// single binary with no dependencies. Installed into its own folder under target/tools.
const ESBUILD: &str = "esbuild@0.28.2";
const ESBUILD_PREFIX: &str = "target/tools/esbuild";

/// esbuild of npm `esbuild` in target/tools/esbuild, installed there when it is missing or
/// another version. Needed: the app is served from what it writes (dist/).
pub fn ensure_esbuild() -> Result<PathBuf> {
    let esbuild = root()
        .join(ESBUILD_PREFIX)
        .join("node_modules/.bin/esbuild");
    let (_, wanted) = ESBUILD.rsplit_once('@').unwrap_or((ESBUILD, ""));
    let found = output(command(&esbuild.to_string_lossy(), &["--version"])).unwrap_or_default();
    if found.trim() == wanted {
        return Ok(esbuild);
    }
    if find_on_path("npm").is_none() {
        return Err(format!(
            "could not find npm, to install npm {ESBUILD} (the build minifies the app with it): \
             install Node.js and npm (Debian: `apt-get install nodejs npm`; `cargo xtask test` \
             installs them)"
        ));
    }
    println!("xtask: installing npm {ESBUILD} into {ESBUILD_PREFIX}");
    run(command(
        "npm",
        &[
            "install",
            "--prefix",
            ESBUILD_PREFIX,
            "--no-save",
            "--no-audit",
            "--no-fund",
            ESBUILD,
        ],
    ))?;
    Ok(esbuild)
}

pub fn wasm_opt_available() -> bool {
    find_on_path("npx").is_some()
        && output(command("npx", &["--no-install", "wasm-opt", "--version"])).is_ok()
}

/// Where the end-to-end tests and the browser benchmark live (an npm package of their own).
const E2E_DIR: &str = "tests/e2e";

/// `npm ci` in tests/e2e: Playwright (no browser download: Debian's Chromium is used),
/// dicom-parser for the benchmark, TypeScript for the type check of www/.
pub fn e2e_packages() -> Result {
    for tool in ["node", "npm"] {
        if find_on_path(tool).is_none() {
            return Err(format!(
                "could not find {tool} (the end-to-end tests run in Node.js): install it \
                 (Debian: `apt-get install nodejs npm`; `cargo xtask test` installs them)"
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
