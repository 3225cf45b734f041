//! `cargo xtask <command>`: the one build entry point of record-precheck (`test`, `build`,
//! `run-cli`). Plain std: each step is a command run from the repository root; the first failing
//! step stops the run with a non-zero exit. Installs the wasm32 target and the matching
//! `wasm-bindgen` CLI when they are missing; system packages (Chromium, chromedriver) are
//! `.ci/run`'s job.

use std::env;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const USAGE: &str = "usage: cargo xtask <command>

commands:
  test              fmt check, clippy, native tests, then the wasm tests in headless Chromium
  build             the wasm library and its JS glue into www/pkg (wasm-bindgen --target web)
  run-cli [ARGS]    the native CLI in release: `record-precheck scan ARGS`
                    (default ../shared/corpus; e.g. `cargo xtask run-cli --json PATH`)
  bench             generates a 2,000-file CD-like CT study (target/bench-data, needs python3
                    and pydicom, installed with pip when missing), then in one run: the criterion
                    header-scan benchmark and pydicom's dcmread(stop_before_pixels) on the same
                    files";

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
        Some("run-cli") => run_cli(&args[1..]),
        Some("bench") => bench(),
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
    for t in WASM_TESTS {
        run(cargo(&["test", "--target", WASM_TARGET, "--test", t]))?;
    }
    println!("xtask: all tests passed");
    Ok(())
}

fn build() -> Result {
    ensure_wasm_target()?;
    ensure_wasm_bindgen_cli()?;
    run(cargo(&[
        "build",
        "--release",
        "--lib",
        "--target",
        WASM_TARGET,
    ]))?;
    let wasm = format!("target/{WASM_TARGET}/release/record_precheck.wasm");
    run(command(
        "wasm-bindgen",
        &["--target", "web", "--out-dir", "www/pkg", &wasm],
    ))?;
    let out = root().join("www/pkg/record_precheck_bg.wasm");
    if wasm_opt_available() {
        let out = out.to_string_lossy().into_owned();
        run(command(
            "npx",
            &[
                "--no-install",
                "wasm-opt",
                "-O3",
                "--enable-bulk-memory",
                "--enable-nontrapping-float-to-int",
                "--enable-sign-ext",
                "--enable-mutable-globals",
                "--enable-reference-types",
                "--enable-multivalue",
                &out,
                "-o",
                &out,
            ],
        ))?;
    } else {
        println!("xtask: wasm-opt skipped (needs `npx` with npm `binaryen` installed)");
    }
    let size = std::fs::metadata(&out)
        .map_err(|e| format!("could not read {}: {e}", out.display()))?
        .len();
    println!("xtask: built www/pkg (record_precheck_bg.wasm: {size} bytes)");
    Ok(())
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

fn bench() -> Result {
    if output(command("python3", &["-c", "import pydicom"])).is_err() {
        run(command(
            "python3",
            &["-m", "pip", "install", "--quiet", "pydicom"],
        ))?;
    }
    let data = root().join(BENCH_DATA);
    if !data.join("DICOMDIR").is_file() {
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
    let mut criterion = cargo(&["bench", "--bench", "scan"]);
    criterion.env("RECORD_PRECHECK_BENCH_DIR", &data);
    run(criterion)?;
    let images = format!("{BENCH_DATA}/IMAGES");
    run(command(
        "python3",
        &["bench/pydicom_headers.py", &images, "--repeat", "5"],
    ))
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
