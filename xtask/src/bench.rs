//! `cargo xtask bench` and `bench-browser`: the generated CD-like CT study, the criterion
//! benchmarks against pydicom and the reference tools, the documents benchmark against pypdf,
//! and the browser benchmarks.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::dist::build;
use crate::process::{cargo, command, find_on_path, output, root, run};
use crate::setup::apt_install;
use crate::tools::e2e_packages;
use crate::Result;

/// Where `cargo xtask bench` writes its generated study.
const BENCH_DATA: &str = "target/bench-data/cd-ct";

/// pydicom, installed with pip when missing (the study generator and the pydicom benchmark).
fn ensure_pydicom() -> Result {
    ensure_python(&[("pydicom", "pydicom")])
}

/// Where `cargo xtask bench` writes its generated documents (`bench/gen_documents.py`).
const BENCH_DOCUMENTS: &str = "target/bench-data/documents";
/// The labelled corpus of patient records beside the repository (read there, never copied).
const RECORDS: &str = "../shared/corpus-records";

/// Python packages, each installed with pip when its module is missing.
fn ensure_python(packages: &[(&str, &str)]) -> Result {
    for (module, package) in packages {
        if output(command("python3", &["-c", &format!("import {module}")])).is_err() {
            run(command(
                "python3",
                &["-m", "pip", "install", "--quiet", package],
            ))?;
        }
    }
    Ok(())
}

/// The documents generator's and the reference's packages: reportlab and python-docx to write,
/// pypdf and python-docx to read.
fn ensure_document_packages() -> Result {
    ensure_python(&[
        ("reportlab", "reportlab"),
        ("docx", "python-docx"),
        ("pypdf", "pypdf"),
    ])
}

/// The generated documents in `BENCH_DOCUMENTS` (made once; seed 1, so always the same): 200-page
/// PDFs (a predefined CID font; an embedded CJK TrueType font when one is installed), DOCX and
/// GB18030 text, and 100 short records.
fn ensure_bench_documents() -> Result<PathBuf> {
    let data = root().join(BENCH_DOCUMENTS);
    if !data.join("many").is_dir() {
        ensure_document_packages()?;
        run(command(
            "python3",
            &[
                "bench/gen_documents.py",
                "--out",
                BENCH_DOCUMENTS,
                "--pages",
                "200",
                "--many",
                "100",
                "--seed",
                "1",
            ],
        ))?;
    }
    Ok(data)
}

/// The documents benchmark (issue 14): criterion over the corpus's documents and the generated
/// ones (`benches/documents.rs`), then pypdf and python-docx on the same files.
fn bench_documents() -> Result {
    ensure_document_packages()?;
    let generated = ensure_bench_documents()?;
    let records = root().join(RECORDS);
    if !records.is_dir() {
        return Err(format!("no corpus at {}", records.display()));
    }
    let mut criterion = cargo(&["bench", "--bench", "documents"]);
    criterion
        .env("RECORD_PRECHECK_RECORDS_DIR", &records)
        .env("RECORD_PRECHECK_BENCH_DOCS", &generated);
    run(criterion)?;
    let records = records.to_string_lossy().into_owned();
    let generated = generated.to_string_lossy().into_owned();
    run(command(
        "python3",
        &[
            "bench/pypdf_text.py",
            "--records",
            &records,
            "--generated",
            &generated,
            "--repeat",
            "5",
        ],
    ))
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

/// `cargo xtask bench [documents]`: every native benchmark, or only the documents'.
pub fn bench(args: &[String]) -> Result {
    match args.first().map(String::as_str) {
        None => {}
        Some("documents") => return bench_documents(),
        Some(other) => return Err(format!("unknown benchmark {other:?} (try `documents`)")),
    }
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
    bench_bundle_references(&data)?;
    bench_documents()
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
/// `zip -0` and `zip -1` (installed by `setup`'s `apt_install` when missing and possible, else
/// skipped with a note), Python's zipfile stored, and the record-precheck CLI (scan, report and
/// bundle, stored and `--deflate`). Prints MB/s of input, median of `REFERENCE_RUNS` runs, warm page cache.
fn bench_bundle_references(data: &Path) -> Result {
    if find_on_path("zip").is_none() {
        println!("xtask: Info-ZIP zip is missing: trying to install it");
        if let Err(e) = apt_install(&["zip"]) {
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

/// `cargo xtask bench-browser [documents] [ARGS]`: the browser benchmarks (tests/e2e/bench.mjs,
/// tests/e2e/bench-bundle.mjs) on the study of `cargo xtask bench`, then the documents'
/// (tests/e2e/bench-documents.mjs) on the corpus's and the generated documents; with
/// `documents` first, only the last; with `thumbs` first, only the thumbnails'
/// (tests/e2e/bench-thumbs.mjs: the generated 2,000-file CD and ../shared/corpus-pixels). ARGS
/// go to each (`--runs N`).
pub fn bench_browser(args: &[String]) -> Result {
    if args.first().map(String::as_str) == Some("thumbs") {
        build()?;
        e2e_packages()?;
        let mut bench_args = vec!["tests/e2e/bench-thumbs.mjs"];
        bench_args.extend(args[1..].iter().map(String::as_str));
        return run(command("node", &bench_args));
    }
    let documents_only = args.first().map(String::as_str) == Some("documents");
    let args = if documents_only { &args[1..] } else { args };
    let data = if documents_only {
        None
    } else {
        Some(ensure_bench_data()?)
    };
    let generated = ensure_bench_documents()?;
    build()?;
    e2e_packages()?;
    if let Some(data) = data {
        let data = data.to_string_lossy().into_owned();
        for script in ["tests/e2e/bench.mjs", "tests/e2e/bench-bundle.mjs"] {
            let mut bench_args = vec![script, "--runs", "3", "--data", &data];
            bench_args.extend(args.iter().map(String::as_str));
            run(command("node", &bench_args))?;
        }
    }
    let records = root().join(RECORDS).to_string_lossy().into_owned();
    let generated = generated.to_string_lossy().into_owned();
    let mut bench_args = vec![
        "tests/e2e/bench-documents.mjs",
        "--runs",
        "3",
        "--records",
        &records,
        "--generated",
        &generated,
    ];
    bench_args.extend(args.iter().map(String::as_str));
    run(command("node", &bench_args))
}
