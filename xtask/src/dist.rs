//! `cargo xtask build`: the app's assets (`app_assets`, the one list of what the app is made of),
//! the wasm and its JS glue in www/pkg, wasm-opt, the vendored tus client, then the built app
//! in dist/ — its scripts and styles minified and each worker's script bundled (`write_app`),
//! the service worker's precache list, a package.json — and the sizes of what the page loads
//! from it, held to a budget.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread;

use crate::ocr_models::{models_dir, ocr_models};
use crate::process::{cargo, command, find_on_path, root, run, search_path};
use crate::tools::{
    ensure_esbuild, ensure_wasm_bindgen_cli, ensure_wasm_opt, ensure_wasm_target,
    wasm_opt_available, WASM_TARGET,
};
use crate::Result;

// ---- the app's assets -----------------------------------------------------------------------

/// The app's assets, relative to its source folder `www` (www/): every .html, .js and .css
/// directly in it, then those of its folders ui/ (the page's parts) and workers/ (the workers
/// and what runs them), then the wasm glue and the wasm.
fn app_assets(www: &Path) -> Result<Vec<String>> {
    let mut own = Vec::new();
    for folder in ["", "ui/", "workers/"] {
        let dir = std::fs::read_dir(www.join(folder))
            .map_err(|e| format!("could not read {}: {e}", www.join(folder).display()))?;
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
    for module in WASM_MODULES.iter().chain([&OCR_MODULE]) {
        own.extend(module.files().map(|f| format!("pkg/{f}")));
    }
    own.extend(OCR_ASSETS.map(String::from));
    Ok(own)
}

/// Assets the standalone page does not load before the first scan: sender.js only with a
/// `destination`, when the patient chooses to send; sw.js only in kiosk mode; record-precheck.js
/// is host pages' entry (it re-exports app.js, which the standalone page loads itself); the
/// report module and the workers that run it, in the background once the first scan starts; the
/// pixel module and its worker, for thumbnails after the first report; the quick look
/// (ui/quick-look.js) when the patient first opens it; OCR: its offer (ui/ocr.js,
/// workers/ocr.js and the models' sizes) once the case has a picture of a document, its module,
/// worker and models (`OCR_ASSETS`) only when the patient asks for it.
const LOADED_ON_DEMAND: [&str; 20] = [
    "sender.js",
    "sw.js",
    "record-precheck.js",
    "workers/report-worker.js",
    "workers/document-worker.js",
    "pkg/record_precheck.js",
    "pkg/record_precheck_bg.wasm",
    "pkg/record_precheck_pixels.js",
    "pkg/record_precheck_pixels_bg.wasm",
    "workers/pixel-worker.js",
    "ui/quick-look.js",
    "ui/ocr.js",
    "workers/ocr.js",
    "pkg/record_precheck_ocr.js",
    "pkg/record_precheck_ocr_bg.wasm",
    "workers/ocr-worker.js",
    OCR_ASSETS[0],
    OCR_ASSETS[1],
    OCR_ASSETS[2],
    OCR_ASSETS[3],
];
/// The OCR models (src/ocr/), from `cargo xtask ocr-models`, copied into pkg/ocr/ by `build`, and
/// `pkg/ocr/models.js`, which `build` writes: their names and sizes (the page says how much
/// the patient's device will download before it asks). Same origin, fetched by the OCR worker
/// only when the patient asks, precached in kiosk mode, embedded in the kiosk binary.
const OCR_ASSETS: [&str; 4] = [
    "pkg/ocr/models.js",
    "pkg/ocr/ch_PP-OCRv4_det_infer.onnx",
    "pkg/ocr/ch_PP-OCRv4_rec_infer.onnx",
    "pkg/ocr/ch_ppocr_mobile_v2.0_cls_infer.onnx",
];
/// The workers' scripts: the build bundles each with what it imports (worker-runtime.js,
/// warm-up.js, its module's wasm glue) into one module of the same name, which the page fetches
/// once and starts its workers from as a Blob URL (www/workers/wasm.js).
const WORKER_SCRIPTS: [&str; 5] = [
    "workers/scan-worker.js",
    "workers/report-worker.js",
    "workers/document-worker.js",
    "workers/pixel-worker.js",
    "workers/ocr-worker.js",
];
/// Modules only the workers' scripts import: bundled into them, not in the built app.
const IN_WORKER_SCRIPTS: [&str; 2] = ["workers/worker-runtime.js", "workers/warm-up.js"];
/// In the built app but never loaded by it (nor precached): the first-scan module's glue, for
/// pages that call the scanner themselves (the browser benchmark); the scan workers' script
/// carries its own copy.
const NOT_LOADED_BY_THE_PAGE: [&str; 1] = ["pkg/record_precheck_scan.js"];
/// The example host page's folder (www/embed/): copied as written, not precached.
const EXAMPLE_HOST: &str = "embed";
/// Where `build` puts the built app (git-ignored): what `cargo xtask serve` serves, what
/// `build-kiosk` embeds and what host pages vendor.
pub(crate) const DIST: &str = "dist";

// ---- the build ------------------------------------------------------------------------------

/// The cargo profile of the page's wasm (Cargo.toml: release, but small).
const WASM_PROFILE: &str = "wasm-release";
/// Everything the page loads before the first scan must stay under this, brotli-compressed:
/// issue 20's 450 KB, read as 450,000 bytes (the stricter of 10³ and 2¹⁰).
const BROTLI_BUDGET: u64 = 450_000;

/// One of the page's wasm modules: the name of its files in www/pkg and its cargo feature
/// (the build is `--no-default-features --features <feature>`; the test-trap build adds its own).
pub(crate) struct WasmModule {
    pub name: &'static str,
    pub feature: &'static str,
}

impl WasmModule {
    /// Its files in www/pkg: the JS glue and the wasm.
    pub fn files(&self) -> [String; 2] {
        [
            format!("{}.js", self.name),
            format!("{}_bg.wasm", self.name),
        ]
    }
}

/// The page's wasm modules, the first-scan one first, but OCR (built apart: `OCR_MODULE`).
pub(crate) const WASM_MODULES: [WasmModule; 3] = [SCAN_MODULE, REPORT_MODULE, PIXELS_MODULE];

/// The module the page loads first, all the first scan needs: the scanner (src/wasm/mod.rs).
pub(crate) const SCAN_MODULE: WasmModule = WasmModule {
    name: "record_precheck_scan",
    feature: "scan-module",
};
/// The module the page loads when the first scan starts: the report, the bundle writer, the
/// document readers, what a picture shows (src/wasm/pictures.rs) and the report's words. Its
/// glue is the one the page's scripts take their types from (pkg/record_precheck.d.ts).
pub(crate) const REPORT_MODULE: WasmModule = WasmModule {
    name: "record_precheck",
    feature: "documents,picture-analysis",
};

/// The pixel decoder (src/pixels/, src/wasm/pixels.rs): thumbnails and previews, loaded on demand
/// after the first report, never before the first scan.
pub(crate) const PIXELS_MODULE: WasmModule = WasmModule {
    name: "record_precheck_pixels",
    feature: "pixels-module",
};

/// The OCR module (src/wasm/ocr.rs, tract running the models of `OCR_ASSETS`), loaded only
/// when the patient asks: built for speed (`OCR_PROFILE`) and with wasm SIMD, which tract's
/// matrix kernels use (every current browser has it; BENCHMARKS.md, "OCR"), without wasm-opt.
/// Not in the test-trap build, which takes it as `build` made it.
pub(crate) const OCR_MODULE: WasmModule = WasmModule {
    name: "record_precheck_ocr",
    feature: "ocr-module",
};
/// The cargo profile of the OCR module (Cargo.toml): release, optimised for speed.
const OCR_PROFILE: &str = "wasm-ocr";

pub fn build() -> Result {
    ensure_wasm_target()?;
    ensure_wasm_bindgen_cli()?;
    let esbuild = ensure_esbuild()?;
    let wasm_opt = ensure_wasm_opt();
    // Each module's wasm-opt (single-threaded, minutes in binaryen's own wasm build) runs while
    // the next module compiles, whose fat-LTO link leaves the other core idle.
    let mut optimising = Vec::new();
    for module in &WASM_MODULES {
        build_wasm(module.feature, "www/pkg", module.name)?;
        let (wasm_opt, name) = (wasm_opt.clone(), module.name);
        optimising.push(thread::spawn(move || optimise(&wasm_opt, name)));
    }
    // Not through wasm-opt: built at opt-level 3 already, and on its 18 MB `wasm-opt -O3` ran
    // for more than 4 minutes of CPU on this machine without finishing (BENCHMARKS.md, "OCR").
    build_wasm_as(
        OCR_MODULE.feature,
        "www/pkg",
        OCR_MODULE.name,
        OCR_PROFILE,
        true,
    )?;
    copy_ocr_models()?;
    for done in optimising {
        done.join()
            .unwrap_or_else(|_| Err("wasm-opt's thread panicked".into()))?;
    }
    println!("xtask: built www/pkg");
    vendor_tus()?;
    write_dist(&esbuild)?;
    check_sizes()
}

/// Prints the raw, gzip and brotli sizes of what the page loads from dist/ before the first
/// scan (the app's assets but those loaded on demand or never), and fails when the brotli
/// total is over the budget.
fn check_sizes() -> Result {
    let dist = root().join(DIST);
    let loaded: Vec<PathBuf> = served_assets(&root().join("www"))?
        .iter()
        .filter(|a| !LOADED_ON_DEMAND.contains(&a.as_str()))
        .filter(|a| !NOT_LOADED_BY_THE_PAGE.contains(&a.as_str()))
        .map(|a| dist.join(a))
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
    // The models raw: brotli at quality 11 takes minutes on them and saves ~8% (BENCHMARKS.md).
    let on_demand: Vec<String> = LOADED_ON_DEMAND[3..]
        .iter()
        .map(|a| {
            let size = if a.ends_with(".onnx") {
                std::fs::metadata(dist.join(a))
                    .map(|m| format!("{} raw", m.len()))
                    .ok()
            } else {
                brotli_size(&dist.join(a)).map(|n| n.to_string())
            };
            format!("{a} {}", size.unwrap_or_else(|| "-".to_string()))
        })
        .collect();
    println!(
        "xtask: loaded once the first scan starts or on demand (brotli): {}",
        on_demand.join(", ")
    );
    match totals.2 {
        Some(br) if br > BROTLI_BUDGET => Err(format!(
            "{br} bytes brotli before the first scan: over the budget of {BROTLI_BUDGET}"
        )),
        Some(br) => {
            println!("xtask: {br} bytes brotli, within the budget of {BROTLI_BUDGET}");
            Ok(())
        }
        None => Err("could not measure the brotli sizes (needs `brotli` or `node` on PATH)".into()),
    }
}

/// The OCR models (`cargo xtask ocr-models`, run here when they are missing) copied into
/// www/pkg/ocr/, and www/pkg/ocr/models.js written: each model's URL (relative to it) and size.
fn copy_ocr_models() -> Result {
    ocr_models()?;
    let dir = root().join("www/pkg/ocr");
    std::fs::create_dir_all(&dir).map_err(|e| format!("could not create www/pkg/ocr: {e}"))?;
    let mut listed = Vec::new();
    for asset in &OCR_ASSETS[1..] {
        let name = asset.rsplit('/').next().unwrap_or(asset);
        let bytes = std::fs::copy(models_dir().join(name), dir.join(name))
            .map_err(|e| format!("could not copy the OCR model {name} into www/pkg/ocr: {e}"))?;
        listed.push(format!("{{ file: {}, bytes: {bytes} }}", json_str(name)));
    }
    let script = format!(
        "// Written by `cargo xtask build`: the OCR models beside this file, detector,\n\
         // recogniser and text direction classifier (src/ocr's `MODEL_FILES` order), and their sizes (the page says how much reading the text downloads).\n\
         export const OCR_MODELS = [{}];\n",
        listed.join(", ")
    );
    std::fs::write(dir.join("models.js"), script)
        .map_err(|e| format!("could not write www/pkg/ocr/models.js: {e}"))?;
    println!("xtask: copied the OCR models into www/pkg/ocr");
    Ok(())
}

/// wasm-opt over the module `name` built into www/pkg, with `tools_wasm_opt` (`ensure_wasm_opt`)
/// or else npx's.
fn optimise(tools_wasm_opt: &Path, name: &str) -> Result {
    let out_wasm = root().join(format!("www/pkg/{name}_bg.wasm"));
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
    if tools_wasm_opt.is_file() {
        let mut cmd = Command::new(tools_wasm_opt);
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

/// Held from cargo to wasm-bindgen by each build of the crate's wasm (`build_wasm`).
const WASM_BUILD_LOCK: &str = "target/wasm-build.lock";

/// The crate's wasm with `features` (`--no-default-features`, the wasm-release profile), its JS
/// glue and wasm written into `out_dir` as `name` by wasm-bindgen (`--target web`). Every build
/// of the page's wasm comes here — `build`'s modules and `build-test-trap`'s, whose features
/// add `test-trap` — so they share target/ and its dependencies' builds, and only the crate
/// itself is compiled again for each (a target folder of the test-trap build's own compiled
/// every dependency again, minutes on a fresh CI machine). cargo writes the wasm of every
/// feature set to one path, so each build holds WASM_BUILD_LOCK until wasm-bindgen has read
/// it: a `build` beside a `build-test-trap` cannot take the other's wasm (a test-trap one into
/// www/pkg).
pub(crate) fn build_wasm(features: &str, out_dir: &str, name: &str) -> Result {
    build_wasm_as(features, out_dir, name, WASM_PROFILE, false)
}

/// `build_wasm` in another cargo `profile`, with wasm SIMD (`-C target-feature=+simd128`) when
/// `simd`: only the OCR module's profile is built so, so the others' builds are never redone.
fn build_wasm_as(features: &str, out_dir: &str, name: &str, profile: &str, simd: bool) -> Result {
    let lock_path = root().join(WASM_BUILD_LOCK);
    let lock = lock_path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| {
            std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&lock_path)
        })
        .and_then(|file| file.lock().map(|()| file))
        .map_err(|e| format!("could not lock {}: {e}", lock_path.display()))?;
    let mut build = cargo(&[
        "build",
        "--no-default-features",
        "--profile",
        profile,
        "--lib",
        "--target",
        WASM_TARGET,
        "--features",
        features,
    ]);
    if simd {
        build.env("CARGO_ENCODED_RUSTFLAGS", "-Ctarget-feature=+simd128");
    }
    run(build)?;
    let wasm = format!("target/{WASM_TARGET}/{profile}/record_precheck.wasm");
    run(command(
        "wasm-bindgen",
        &[
            "--target",
            "web",
            "--out-dir",
            out_dir,
            "--out-name",
            name,
            &wasm,
        ],
    ))?;
    drop(lock);
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

/// The assets of the built app, relative to it: the app's assets (`app_assets` of `www`) but
/// the modules bundled into the workers' scripts.
fn served_assets(www: &Path) -> Result<Vec<String>> {
    Ok(app_assets(www)?
        .into_iter()
        .filter(|a| !IN_WORKER_SCRIPTS.contains(&a.as_str()))
        .collect())
}

/// Writes the built app into `to` (emptied first) from the source folder `www` (the app with
/// its pkg/ built): the scripts and styles minified by esbuild, each worker's script bundled
/// with what it imports (`WORKER_SCRIPTS`), the rest copied (the HTML, the wasm, the wasm API's
/// types, the vendored tus client when there, the example host page), then the service worker's precache list,
/// pkg/precache.js: the assets but sw.js and `NOT_LOADED_BY_THE_PAGE`, and a hash of their
/// names and contents, the cache's version. Returns the files written, relative to `to`.
///
/// Minified, the page's scripts are about half as big brotli-compressed (BENCHMARKS.md), and
/// the budget of what the page loads before the first scan is met; the modules keep their
/// files and names (each is minified alone, its imports and exports as they are), so the page,
/// the precache list and host pages find them where the source has them. The workers' scripts
/// are bundled because a worker starts from a Blob URL of its script, where relative imports
/// cannot be resolved.
pub(crate) fn write_app(esbuild: &Path, www: &Path, to: &Path) -> Result<Vec<String>> {
    if to.exists() {
        std::fs::remove_dir_all(to)
            .map_err(|e| format!("could not remove {}: {e}", to.display()))?;
    }
    std::fs::create_dir_all(to).map_err(|e| format!("could not create {}: {e}", to.display()))?;
    let served = served_assets(www)?;
    let mut files = served.clone();
    files.push("pkg/record_precheck.d.ts".into());
    // The tus client of the "Send" step (not precached: loaded only when the patient sends).
    if www.join(TUS_VENDORED).is_file() {
        files.push(TUS_VENDORED.into());
        files.push("vendor/tus-js-client.LICENSE".into());
    }
    // The example host page, as written: for reading, and at /embed/ under `cargo xtask serve`.
    let mut example: Vec<String> = std::fs::read_dir(www.join(EXAMPLE_HOST))
        .map_err(|e| format!("could not read {}: {e}", www.join(EXAMPLE_HOST).display()))?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .map(|name| format!("{EXAMPLE_HOST}/{name}"))
        .collect();
    example.sort();
    files.extend(example.iter().cloned());
    let minified = |f: &&String| {
        (f.ends_with(".js") || f.ends_with(".css"))
            && f.as_str() != TUS_VENDORED
            && !example.contains(f)
            && !WORKER_SCRIPTS.contains(&f.as_str())
    };
    for f in files
        .iter()
        .filter(|f| !minified(f) && !WORKER_SCRIPTS.contains(&f.as_str()))
    {
        if let Some(folder) = to.join(f).parent() {
            std::fs::create_dir_all(folder)
                .map_err(|e| format!("could not create {}: {e}", folder.display()))?;
        }
        std::fs::copy(www.join(f), to.join(f)).map_err(|e| {
            format!(
                "could not copy {} into {}: {e}",
                www.join(f).display(),
                to.display()
            )
        })?;
    }
    // Each file alone (no `--bundle`): imports, exports and file names stay as they are.
    let out = format!("--outdir={}", to.display());
    let common = [
        "--minify",
        "--charset=utf8",
        "--log-level=warning",
        "--outbase=.",
        &out,
    ];
    let mut cmd = Command::new(esbuild);
    cmd.args(files.iter().filter(minified))
        .args(common)
        .current_dir(www);
    run(cmd)?;
    let mut cmd = Command::new(esbuild);
    cmd.args(WORKER_SCRIPTS)
        .args(["--bundle", "--format=esm"])
        .args(common)
        .current_dir(www);
    run(cmd)?;

    let precached: Vec<&String> = served
        .iter()
        .filter(|a| a.as_str() != "sw.js" && !NOT_LOADED_BY_THE_PAGE.contains(&a.as_str()))
        .collect();
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    for a in &precached {
        let bytes = std::fs::read(to.join(a))
            .map_err(|e| format!("could not read {}: {e}", to.join(a).display()))?;
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
    std::fs::write(to.join("pkg/precache.js"), precache)
        .map_err(|e| format!("could not write {}/pkg/precache.js: {e}", to.display()))?;
    files.push("pkg/precache.js".into());
    println!(
        "xtask: wrote {} (minified; precache version {hash:016x})",
        to.display()
    );
    Ok(files)
}

/// dist/: the built app (`write_app`), the licences, and a package.json whose `exports` name
/// record-precheck.js (the element) and whose `types` are the wasm API's.
fn write_dist(esbuild: &Path) -> Result {
    let dist = root().join(DIST);
    let files = write_app(esbuild, &root().join("www"), &dist)?;
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
    println!("xtask: wrote {DIST}/ ({} files)", files.len() + 3);
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
