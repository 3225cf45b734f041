//! `cargo xtask build`: the app's assets (`app_assets`, the one list of what the app is made of),
//! the wasm and its JS glue in www/pkg, wasm-opt, the sizes of what the page loads, the vendored
//! tus client, the service worker's precache list and the distributable folder dist/.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::process::{cargo, command, find_on_path, root, run, search_path};
use crate::tools::{
    ensure_wasm_bindgen_cli, ensure_wasm_opt, ensure_wasm_target, wasm_opt_available, WASM_TARGET,
};
use crate::Result;

// ---- the app's assets -----------------------------------------------------------------------

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
    for module in &WASM_MODULES {
        own.push(format!("pkg/{}.js", module.name));
        own.push(format!("pkg/{}_bg.wasm", module.name));
    }
    Ok(own)
}

/// Assets the standalone page does not load before the first scan: sender.js only with a
/// `destination`, when the patient chooses to send; sw.js only in kiosk mode; record-precheck.js
/// is host pages' entry (it re-exports app.js, which the standalone page loads itself); the
/// report module and the workers that run it, in the background once the first scan starts.
const LOADED_ON_DEMAND: [&str; 7] = [
    "sender.js",
    "sw.js",
    "record-precheck.js",
    "workers/report-worker.js",
    "workers/document-worker.js",
    "pkg/record_precheck.js",
    "pkg/record_precheck_bg.wasm",
];
/// Where `build` puts the distributable copy of the app (git-ignored).
const DIST: &str = "dist";

// ---- the build ------------------------------------------------------------------------------

/// The cargo profile of the page's wasm (Cargo.toml: release, but small).
const WASM_PROFILE: &str = "wasm-release";
/// Everything the page loads before the first scan must stay under this, brotli-compressed.
const BROTLI_BUDGET: u64 = 450 * 1024;

/// One of the page's two wasm modules: the name of its files in www/pkg and its cargo feature
/// (the build is `--no-default-features --features <feature>`; the test-trap build adds its own).
pub(crate) struct WasmModule {
    pub name: &'static str,
    pub feature: &'static str,
}

/// The page's wasm modules, the first-scan one first.
pub(crate) const WASM_MODULES: [WasmModule; 2] = [SCAN_MODULE, REPORT_MODULE];

/// The module the page loads first, all the first scan needs: the scanner (src/wasm/mod.rs).
const SCAN_MODULE: WasmModule = WasmModule {
    name: "record_precheck_scan",
    feature: "scan-module",
};
/// The module the page loads when the first scan starts: the report, the bundle writer, the
/// document readers and the report's words. Its glue is the one the page's scripts take their
/// types from (pkg/record_precheck.d.ts).
const REPORT_MODULE: WasmModule = WasmModule {
    name: "record_precheck",
    feature: "documents",
};

pub fn build() -> Result {
    ensure_wasm_target()?;
    ensure_wasm_bindgen_cli()?;
    for module in &WASM_MODULES {
        build_module(module)?;
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
    let on_demand: Vec<String> = LOADED_ON_DEMAND[3..]
        .iter()
        .map(|a| {
            let file = www.join(a);
            let size = brotli_size(&file).map_or_else(|| "-".to_string(), |n| n.to_string());
            format!("{a} {size}")
        })
        .collect();
    println!(
        "xtask: loaded once the first scan starts (brotli): {}",
        on_demand.join(", ")
    );
    vendor_tus()?;
    write_dist()
}

/// Builds one wasm module into www/pkg: cargo (the two modules' builds differ only in features,
/// so they share target/ and only the last step runs again), wasm-bindgen, wasm-opt.
fn build_module(module: &WasmModule) -> Result {
    let mut args = vec![
        "build",
        "--no-default-features",
        "--profile",
        WASM_PROFILE,
        "--lib",
        "--target",
        WASM_TARGET,
    ];
    args.extend(["--features", module.feature]);
    run(cargo(&args))?;
    let wasm = format!("target/{WASM_TARGET}/{WASM_PROFILE}/record_precheck.wasm");
    run(command(
        "wasm-bindgen",
        &[
            "--target",
            "web",
            "--out-dir",
            "www/pkg",
            "--out-name",
            module.name,
            &wasm,
        ],
    ))?;
    let out_wasm = root().join(format!("www/pkg/{}_bg.wasm", module.name));
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
    let tools_wasm_opt = ensure_wasm_opt();
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
    Ok(())
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
