//! The machine's set-up for `cargo xtask test`, so that README's command is all a fresh Debian
//! machine needs, CI's included: the Debian packages the tests drive (the browsers, their
//! drivers, Xvfb, python3 and unzip, Orthanc and dcmtk, Node.js and npm) — as root, else
//! through `sudo -n`, else a message with the command to run —, geckodriver and cargo-nextest
//! (`cargo install`), rustup's rustfmt, clippy and wasm32 target, the `wasm-bindgen` CLI of
//! Cargo.lock, and the corpus. Idempotent: each thing is installed only when it is missing, so
//! on a machine already set up this costs a few look-ups. Installers run quietly (`quiet`):
//! their output is shown only when they fail.

use std::path::Path;
use std::thread::{self, JoinHandle};

use crate::process::{command, find_on_path, output, quiet, root};
use crate::tools::{
    ensure_geckodriver, ensure_nextest, ensure_wasm_bindgen_cli, ensure_wasm_target,
    find_chromedriver,
};
use crate::Result;

/// What the tests need from Debian: what shows it is installed (a program on PATH, or a file
/// for a program outside a user's PATH), and the packages that bring it.
const DEBIAN_PACKAGES: &[(&str, &[&str])] = &[
    // The wasm tests and the end-to-end tests in Chromium (CHROMEDRIVER may name another one).
    ("chromedriver", &["chromium", "chromium-driver"]),
    // The wasm tests in Firefox and tests/e2e/cross.mjs: Firefox ESR; WebKitWebDriver and
    // MiniBrowser (webkit2gtk-driver), which needs an X server (xvfb).
    ("firefox-esr", &["firefox-esr"]),
    ("WebKitWebDriver", &["webkit2gtk-driver"]),
    ("Xvfb", &["xvfb"]),
    // Python's zipfile and Info-ZIP's unzip check the bundles (tests/bundle, tests/e2e): the
    // tests fail without them rather than skip the checks.
    ("python3", &["python3"]),
    ("unzip", &["unzip"]),
    // Orthanc, the PACS a de-identified bundle is sent to, and dcmtk's storescu that sends it
    // (tests/bundle/pacs.rs).
    ("/usr/sbin/Orthanc", &["orthanc"]),
    ("storescu", &["dcmtk"]),
    // The end-to-end tests and the build's npm tools (esbuild, binaryen, tus-js-client).
    ("node", &["nodejs", "npm"]),
    ("npm", &["npm"]),
];

/// Where the tests expect the corpus, from the repository root.
const CORPUS_LABELS: &str = "../shared/corpus/labels.json";

/// The tools `cargo install` compiles from source (cargo-nextest, geckodriver, the wasm-bindgen
/// CLI): minutes of CPU on a fresh machine (Debian's image for CI has cargo-nextest), and needed
/// only from the native tests (nextest) or the wasm tests (the others) on. They are built in the
/// background while the checks and the native tests run, whose builds leave a core idle for long
/// stretches (a crate's last compile, linking, single-threaded tests); [`Self::wait_nextest`] and
/// [`Self::wait`] before the first step that needs them.
pub struct ToolInstalls {
    nextest: Option<JoinHandle<Result>>,
    others: JoinHandle<Result>,
}

impl ToolInstalls {
    /// Waits for cargo-nextest's install (the native tests run with it).
    pub fn wait_nextest(&mut self) -> Result {
        match self.nextest.take() {
            Some(install) => install
                .join()
                .unwrap_or_else(|_| Err("installing cargo-nextest panicked".into())),
            None => Ok(()),
        }
    }

    /// Waits for the installs; the first that failed, with its message.
    pub fn wait(mut self) -> Result {
        self.wait_nextest()?;
        self.others.join().unwrap_or_else(|_| {
            Err("installing geckodriver or the wasm-bindgen CLI panicked".into())
        })
    }
}

/// Sets the machine up for `cargo xtask test` (see the module's comment), the tools `cargo
/// install` builds still being built when it returns ([`ToolInstalls`]); fails with what to do
/// when something cannot be installed from here.
pub fn setup() -> Result<ToolInstalls> {
    let mut missing: Vec<&str> = Vec::new();
    for (probe, packages) in DEBIAN_PACKAGES {
        if !found(probe) {
            for package in *packages {
                if !missing.contains(package) {
                    missing.push(package);
                }
            }
        }
    }
    if !missing.is_empty() {
        apt_install(&missing)?;
    }
    ensure_rustup_components(&["rustfmt", "clippy"])?;
    ensure_wasm_target()?;
    if !root().join(CORPUS_LABELS).is_file() {
        return Err(format!(
            "could not find the test corpus: {CORPUS_LABELS} (from the repository root)"
        ));
    }
    // Side by side too: each build ends in a long single-threaded compile and link.
    let nextest = thread::spawn(|| ensure_nextest().map(drop));
    let others = thread::spawn(|| {
        let geckodriver = thread::spawn(|| ensure_geckodriver().map(drop));
        let wasm_bindgen = ensure_wasm_bindgen_cli();
        let geckodriver = geckodriver
            .join()
            .unwrap_or_else(|_| Err("installing geckodriver panicked".into()));
        wasm_bindgen.and(geckodriver)
    });
    Ok(ToolInstalls {
        nextest: Some(nextest),
        others,
    })
}

/// Whether what `probe` names is installed (see `DEBIAN_PACKAGES`).
fn found(probe: &str) -> bool {
    match probe {
        "chromedriver" => find_chromedriver().is_some(),
        file if file.starts_with('/') => Path::new(file).is_file(),
        program => find_on_path(program).is_some(),
    }
}

/// `apt-get update`, then `apt-get install -y PACKAGES`, noninteractive: as root, else through
/// `sudo -n` (never a password prompt: CI has no stdin). Fails with the command to run when
/// neither is possible, or when this is not a Debian-like machine.
pub fn apt_install(packages: &[&str]) -> Result {
    let list = packages.join(" ");
    if find_on_path("apt-get").is_none() {
        return Err(format!(
            "the tests need Debian's {list}, and there is no apt-get here: install the same \
             programs with this system's package manager"
        ));
    }
    let root_user = output(command("id", &["-u"])).is_ok_and(|uid| uid.trim() == "0");
    let sudo = !root_user && output(command("sudo", &["-n", "true"])).is_ok();
    if !root_user && !sudo {
        return Err(format!(
            "the tests need Debian packages that are missing: {list}. Installing them needs \
             root or sudo without a password; install them and run again: \
             `sudo apt-get install -y {list}`"
        ));
    }
    // Through `env`, because sudo does not pass the environment on.
    let apt = |args: &[&str]| {
        let mut words = vec!["env", "DEBIAN_FRONTEND=noninteractive", "apt-get"];
        words.extend(args);
        if sudo {
            words.insert(0, "-n");
            command("sudo", &words)
        } else {
            command(words[0], &words[1..])
        }
    };
    quiet(apt(&["update"]))?;
    let mut install = vec!["install", "-y"];
    install.extend(packages);
    quiet(apt(&install))
}

/// `rustup component add` of those of `components` that are not installed.
fn ensure_rustup_components(components: &[&str]) -> Result {
    let installed = output(command("rustup", &["component", "list", "--installed"]))?;
    let missing: Vec<&str> = components
        .iter()
        .copied()
        .filter(|c| !installed.lines().any(|l| l.starts_with(&format!("{c}-"))))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let mut args = vec!["component", "add"];
    args.extend(&missing);
    quiet(command("rustup", &args))
}
