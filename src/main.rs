//! The native command line over the same library the browser uses:
//! `record-precheck scan PATH... [--json] [--html FILE] [--lang en|zh] [--declarations FILE]`.
//! Exit 0 when it ran (bad files are data), 1 when a path could not be read, 2 for a usage error.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use record_precheck::folder::scan_path;
use record_precheck::readiness::Declarations;
use record_precheck::report::messages::Lang;
use record_precheck::report::{self, html, text};
use record_precheck::{FileEntry, FileKind, Limits};

const USAGE: &str = "usage: record-precheck scan PATH... [--json] [--html FILE] [--lang en|zh] [--declarations FILE]

Recognises every file under each PATH (files, folders, zips), reads DICOM headers, groups them
into patients, studies and series, and judges the case against the second-opinion checklist.

  --json               print the report as JSON (schema_version 1) instead of text
  --html FILE          also write the printable HTML report to FILE
  --lang en|zh         language of the text and HTML report (default en)
  --declarations FILE  what the patient declares (JSON: cancer, slides, timeline, questions…)

Paths in the output are relative to each folder given; with several PATHs, each is prefixed by
its folder's name. Exit status: 0 when it ran (bad files are part of the report), 1 when a path
could not be read or an output could not be written, 2 for a usage error.";

/// The parsed command line of `scan`.
struct ScanArgs {
    paths: Vec<String>,
    json: bool,
    html: Option<String>,
    lang: Lang,
    declarations: Option<String>,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("scan") => match parse_scan(&args[1..]) {
            Ok(parsed) => scan(parsed),
            Err(message) => {
                eprintln!("record-precheck: {message}\n\n{USAGE}");
                ExitCode::from(2)
            }
        },
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

fn parse_scan(args: &[String]) -> Result<ScanArgs, String> {
    let mut parsed = ScanArgs {
        paths: Vec::new(),
        json: false,
        html: None,
        lang: Lang::En,
        declarations: None,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |flag: &str| it.next().cloned().ok_or(format!("{flag} needs a value"));
        match arg.as_str() {
            "--json" => parsed.json = true,
            "--html" => parsed.html = Some(value("--html")?),
            "--declarations" => parsed.declarations = Some(value("--declarations")?),
            "--lang" => {
                let tag = value("--lang")?;
                parsed.lang =
                    Lang::parse(&tag).ok_or(format!("unknown language {tag:?}: use en or zh"))?;
            }
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            path => parsed.paths.push(path.to_string()),
        }
    }
    if parsed.paths.is_empty() {
        return Err("no PATH given".into());
    }
    Ok(parsed)
}

fn scan(args: ScanArgs) -> ExitCode {
    let declarations = match &args.declarations {
        None => Declarations::default(),
        Some(path) => match std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str::<Declarations>(&t).map_err(|e| e.to_string()))
        {
            Ok(d) => d,
            Err(e) => {
                eprintln!("record-precheck: could not read the declarations {path}: {e}");
                return ExitCode::from(1);
            }
        },
    };
    let limits = Limits::default();
    let mut files = Vec::new();
    for path in &args.paths {
        let root = Path::new(path.as_str());
        match scan_path(root, &limits) {
            Ok(mut entries) => {
                if args.paths.len() > 1 && root.is_dir() {
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
    let report = report::build(files, declarations);
    if let Some(html_path) = &args.html {
        if let Err(e) = std::fs::write(html_path, html::render(&report, args.lang)) {
            eprintln!("record-precheck: could not write {html_path}: {e}");
            return ExitCode::from(1);
        }
    }
    let mut out = std::io::stdout().lock();
    let written = if args.json {
        serde_json::to_writer_pretty(&mut out, &report)
            .map_err(std::io::Error::from)
            .and_then(|_| writeln!(out))
    } else {
        write!(out, "{}", text::render(&report, args.lang))
            .and_then(|_| print_table(&mut out, &report.files))
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
