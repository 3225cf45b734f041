//! The native command line over the same library the browser uses:
//! `record-precheck scan [--json] PATH...`. Exit 0 when it ran (bad files are data), 1 when a
//! path could not be read, 2 for a usage error.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use record_precheck::folder::scan_path;
use record_precheck::{FileEntry, FileKind, Limits, ScanDocument, SCHEMA_VERSION};

const USAGE: &str = "usage: record-precheck scan [--json] PATH...

Recognises every file under each PATH (files, folders, zips) and reads DICOM headers.
Prints a table, or with --json the scan document (schema_version 1). Paths in the output are
relative to each folder given; with several PATHs, each is prefixed by its folder's name.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("scan") => scan(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn scan(args: &[String]) -> ExitCode {
    let json = args.iter().any(|a| a == "--json");
    let paths: Vec<&String> = args.iter().filter(|a| *a != "--json").collect();
    if paths.is_empty() || paths.iter().any(|p| p.starts_with("--")) {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    let limits = Limits::default();
    let mut files = Vec::new();
    for path in &paths {
        let root = Path::new(path.as_str());
        match scan_path(root, &limits) {
            Ok(mut entries) => {
                if paths.len() > 1 && root.is_dir() {
                    let prefix = root
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    for e in &mut entries {
                        e.path = format!("{prefix}/{}", e.path);
                    }
                }
                files.extend(entries);
            }
            Err(e) => {
                eprintln!("record-precheck: could not read {path}: {e}");
                return ExitCode::from(1);
            }
        }
    }
    let mut out = std::io::stdout().lock();
    let written = if json {
        let doc = ScanDocument {
            schema_version: SCHEMA_VERSION,
            files,
        };
        serde_json::to_writer_pretty(&mut out, &doc)
            .map_err(std::io::Error::from)
            .and_then(|_| writeln!(out))
    } else {
        print_table(&mut out, &files)
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`| head`) is not a failure of the scan.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("record-precheck: could not write the output: {e}");
            ExitCode::from(1)
        }
    }
}

fn print_table(out: &mut impl Write, files: &[FileEntry]) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<11} {:<22} {:<8} PATH — WHY",
        "KIND", "DICOM CLASS", "MOD"
    )?;
    let mut counts: Vec<(FileKind, usize)> = Vec::new();
    for entry in files {
        print_entry(out, entry, 0, &mut counts)?;
    }
    let summary: Vec<String> = counts
        .iter()
        .map(|(k, n)| format!("{n} {}", k.as_str()))
        .collect();
    writeln!(
        out,
        "\n{} files: {}",
        counts.iter().map(|(_, n)| n).sum::<usize>(),
        summary.join(", ")
    )
}

fn print_entry(
    out: &mut impl Write,
    e: &FileEntry,
    depth: usize,
    counts: &mut Vec<(FileKind, usize)>,
) -> std::io::Result<()> {
    match counts.iter_mut().find(|(k, _)| *k == e.kind) {
        Some((_, n)) => *n += 1,
        None => counts.push((e.kind, 1)),
    }
    let class = e
        .dicom
        .as_ref()
        .and_then(|d| d.class)
        .map(|c| c.as_str())
        .unwrap_or("");
    let modality = e
        .dicom
        .as_ref()
        .and_then(|d| d.modality.as_deref())
        .unwrap_or("");
    let indent = "  ".repeat(depth);
    writeln!(
        out,
        "{:<11} {:<22} {:<8} {indent}{} — {}",
        e.kind.as_str(),
        class,
        modality,
        e.path,
        e.reason
    )?;
    if let Some(error) = &e.error {
        writeln!(out, "{:<43} {indent}  ! {error}", "")?;
    }
    for note in &e.notes {
        writeln!(out, "{:<43} {indent}  · {note}", "")?;
    }
    for m in e.members.iter().flatten() {
        print_entry(out, m, depth + 1, counts)?;
    }
    Ok(())
}
