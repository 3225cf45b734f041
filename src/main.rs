//! The native command line over the same library the browser uses:
//! `record-precheck scan PATH... [--ocr [--ocr-models DIR]] [--json [--with-text]] [--html FILE] [--lang en|zh]
//! [--declarations FILE] [--purpose PURPOSE] [--profile FILE]`,
//! `record-precheck bundle PATH... -o case.zip [--deflate] [--declarations FILE] [--purpose PURPOSE] [--profile FILE] [--lang en|zh]
//! [--exclude PATH]... [--keep-picture-metadata] [--deidentify [--retain-dates]
//! [--retain-patient-characteristics] [--clean-descriptors] [--key FILE]]` and `record-precheck verify bundle.zip`.
//! Exit 0 when it ran (bad files are data), 1 when a path could not be read, 2 for a usage error;
//! `verify` exits 1 when the bundle has a problem. `record-precheck serve [--port N]` serves the
//! app from the binary (src/serve.rs; built with `cargo xtask build-kiosk`).
//! `record-precheck preview PATH... -o DIR` writes PNG previews of the image files
//! (src/preview.rs).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use record_precheck::bundle::{self, BundleOptions, Bundler, FsSource, Outcome, Plan, PlanOptions};
use record_precheck::profile::{self, Profile};
use record_precheck::readiness::{Declarations, Purpose};
use record_precheck::report::thumbnails::Thumbnails;
use record_precheck::report::{self, html, terminal, Report};
use record_precheck::text::Lang;
use record_precheck::{FileEntry, FileKind, Limits};
use strum::IntoEnumIterator;

#[cfg(all(feature = "pixels", feature = "pictures", not(target_arch = "wasm32")))]
mod preview;
mod serve;
mod static_http;

const USAGE: &str =
    "usage: record-precheck scan PATH... [--ocr [--ocr-models DIR]] [--json [--with-text]] [--html FILE] [--lang en|zh]
                            [--declarations FILE] [--purpose PURPOSE] [--profile FILE]

Recognises every file under each PATH (files, folders, zips), reads DICOM headers, groups them
into patients, studies and series, and judges the case against the second-opinion checklist.

  --json               print the report as JSON (schema_version 2) instead of text
  --ocr                read the text of pictures of documents and of PDFs without text on
                       this device (OCR), so they count as the documents they show; their
                       `document.text_source` is \"ocr\"
  --ocr-models DIR     the OCR models' folder (default models/ocr, where
                       `cargo xtask ocr-models` puts them)
  --with-text          with --json: each document read (PDF, DOCX, text file, DICOM SR or
                       encapsulated PDF) also gives the plain text read, as `document.text`
  --html FILE          also write the printable HTML report to FILE
  --lang en|zh         language of the text and HTML report (default en)
  --declarations FILE  what the patient declares (JSON: cancer, slides, timeline, questions…)
  --purpose PURPOSE    why the patient wants a second opinion (over the declarations'):
                       new-diagnosis, surgery-proposed, conflicting-advice, rare-condition or
                       not-working; it orders the next steps and adds the items it needs
  --profile FILE       the host's profile (JSON, README \"Host profiles\"): reviewer languages,
                       required items, recency windows, extra items; the report names it

Paths in the output are relative to each folder given; with several PATHs, each is prefixed by
its folder's name. Exit status: 0 when it ran (bad files are part of the report), 1 when a path
could not be read or an output could not be written, 2 for a usage error.

usage: record-precheck bundle PATH... -o FILE.zip [--deflate] [--declarations FILE] [--purpose PURPOSE]
                              [--profile FILE]
                              [--lang en|zh]
                              [--exclude PATH]... [--keep-picture-metadata]
                              [--deidentify [--retain-dates] [--retain-patient-characteristics]
                                            [--clean-descriptors] [--key FILE]]

Scans like `scan`, then writes one zip a reviewer can open: README.txt, report.html/.json,
timeline.md, questions.md, requests/<department>.html (the request slips, not in a
de-identified bundle), imaging/<patient>/<study>/<series>/, documents/<category>/,
photos-and-screenshots/…, and manifest.csv/.json listing every input with its SHA-256 and where
it went or why it was left out (viewer software, system junk, empty files, duplicates…).

  -o, --output FILE    the zip to write
  --deflate            compress uncompressed DICOM, text and PDF (default: store everything)
  --exclude PATH       leave this input out (a path as `scan` shows it; a folder or zip: all in it)
  --keep-picture-metadata
                       write photos and screenshots as given; by default their GPS position,
                       camera serial numbers, maker notes and XMP are removed (pixels untouched)
  --deidentify         de-identify the imaging (DICOM PS3.15 Basic Profile: names, IDs, dates,
                       institutions removed or replaced, UIDs replaced consistently) and name
                       the people PATIENT-1, PATIENT-2… in folders, file names and the manifest;
                       the report in the zip is the redacted one. Documents, photos and
                       screenshots are NOT de-identified, and images may show a name: the
                       manifest says which files to look at. Not anonymous.
  --retain-dates       with --deidentify: move every date back by the same days (intervals kept)
  --retain-patient-characteristics
                       with --deidentify: keep sex, age, size, weight and the like
  --clean-descriptors  with --deidentify: keep study/series descriptions, names taken out
  --key FILE           with --deidentify: write who PATIENT-1, PATIENT-2… are to FILE (JSON),
                       to keep apart from the bundle; without it the key is not written anywhere

usage: record-precheck verify FILE.zip

Reads every entry of a bundle, checks its CRC-32 and its SHA-256 against manifest.json, and
that every file the manifest lists is there. Exit 0 when all is well, 1 otherwise.";

/// The parsed command line of `scan`.
struct ScanArgs {
    paths: Vec<String>,
    json: bool,
    /// `--with-text`: keep each document's text for the JSON.
    with_text: bool,
    html: Option<String>,
    lang: Lang,
    declarations: Option<String>,
    purpose: Option<Purpose>,
    /// `--profile FILE`: the host's profile.
    profile: Option<String>,
    /// `--ocr`: read the text of pictures of documents, with the models in this folder
    /// (`--ocr-models DIR`, default `models/ocr`).
    ocr: Option<PathBuf>,
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
        Some("bundle") => match parse_bundle(&args[1..]) {
            Ok(parsed) => run_bundle(parsed),
            Err(message) => {
                eprintln!("record-precheck: {message}\n\n{USAGE}");
                ExitCode::from(2)
            }
        },
        Some("verify") => match &args[1..] {
            [path] if !path.starts_with("--") => run_verify(path),
            _ => {
                eprintln!("record-precheck: verify takes one zip\n\n{USAGE}");
                ExitCode::from(2)
            }
        },
        #[cfg(all(feature = "pixels", feature = "pictures", not(target_arch = "wasm32")))]
        Some("preview") => match preview::parse(&args[1..]) {
            Ok((paths, out_dir)) => preview::run(&paths, &out_dir),
            Err(message) => {
                eprintln!("record-precheck: {message}\n\n{}", preview::USAGE);
                ExitCode::from(2)
            }
        },
        Some("serve") => match serve::parse(&args[1..]) {
            Ok(port) => match serve::serve(port) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("record-precheck: {message}");
                    ExitCode::FAILURE
                }
            },
            Err(message) => {
                eprintln!("record-precheck: {message}\n\n{}", serve::USAGE);
                ExitCode::from(2)
            }
        },
        Some("-h" | "--help" | "help") => {
            #[cfg(all(feature = "pixels", feature = "pictures", not(target_arch = "wasm32")))]
            println!("{USAGE}\n\n{}\n\n{}", preview::USAGE, serve::USAGE);
            #[cfg(not(all(
                feature = "pixels",
                feature = "pictures",
                not(target_arch = "wasm32")
            )))]
            println!("{USAGE}\n\n{}", serve::USAGE);
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// The report's thumbnails, made natively (src/preview.rs), for the HTML report; none in a build
/// without pixel decoding.
fn report_thumbnails(report: &Report, source: &mut FsSource) -> Thumbnails {
    #[cfg(all(feature = "pixels", feature = "pictures", not(target_arch = "wasm32")))]
    return preview::report_thumbnails(report, source, &Limits::default());
    #[cfg(not(all(feature = "pixels", feature = "pictures", not(target_arch = "wasm32"))))]
    {
        let _ = (report, source);
        Thumbnails::default()
    }
}

fn parse_scan(args: &[String]) -> Result<ScanArgs, String> {
    let mut parsed = ScanArgs {
        paths: Vec::new(),
        json: false,
        with_text: false,
        html: None,
        lang: Lang::En,
        declarations: None,
        purpose: None,
        profile: None,
        ocr: None,
    };
    let mut ocr_models = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |flag: &str| it.next().cloned().ok_or(format!("{flag} needs a value"));
        match arg.as_str() {
            "--purpose" => parsed.purpose = Some(parse_purpose(&value("--purpose")?)?),
            "--profile" => parsed.profile = Some(value("--profile")?),
            "--json" => parsed.json = true,
            "--ocr" => parsed.ocr = Some(PathBuf::from("models/ocr")),
            "--ocr-models" => ocr_models = Some(PathBuf::from(value("--ocr-models")?)),
            "--with-text" => parsed.with_text = true,
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
    if parsed.with_text && !parsed.json {
        return Err("--with-text needs --json".into());
    }
    if let Some(dir) = ocr_models {
        if parsed.ocr.is_none() {
            return Err("--ocr-models needs --ocr".into());
        }
        parsed.ocr = Some(dir);
    }
    if parsed.ocr.is_some() && !cfg!(all(feature = "ocr", not(target_arch = "wasm32"))) {
        return Err("--ocr: this binary was built without OCR (cargo feature `ocr`)".into());
    }
    Ok(parsed)
}

fn scan(args: ScanArgs) -> ExitCode {
    let declarations = match read_declarations(
        args.declarations.as_deref(),
        args.purpose,
        args.profile.as_deref(),
    ) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("record-precheck: {e}");
            return ExitCode::from(1);
        }
    };
    // The same scan as `bundle` does: several folders are told apart by their names.
    let paths: Vec<PathBuf> = args.paths.iter().map(PathBuf::from).collect();
    // Documents' texts are kept only when the JSON is to show them.
    let limits = Limits {
        keep_document_text: args.with_text,
        ..Limits::default()
    };
    // `files` changes only with OCR (the `ocr` feature).
    #[allow(unused_mut)]
    let (mut files, mut source) = match FsSource::scan(&paths, &limits) {
        Ok(found) => found,
        Err(e) => {
            eprintln!("record-precheck: could not read {e}");
            return ExitCode::from(1);
        }
    };
    #[cfg(all(feature = "ocr", not(target_arch = "wasm32")))]
    if let Some(dir) = &args.ocr {
        if let Err(e) = read_by_ocr(&mut files, &source, dir, &limits) {
            eprintln!("record-precheck: {e}");
            return ExitCode::from(1);
        }
    }
    let report = report::build(files, declarations);
    if let Some(html_path) = &args.html {
        let thumbnails = report_thumbnails(&report, &mut source);
        if let Err(e) = std::fs::write(
            html_path,
            html::render_with(&report, args.lang, &thumbnails),
        ) {
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
        write!(out, "{}", terminal::render(&report, args.lang))
            .and_then(|_| print_table(&mut out, &report.files, args.lang))
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

/// `scan --ocr`: the text of the pictures of documents and the PDFs without text among `files`
/// (zip members are not read), with the models in `dir`.
#[cfg(all(feature = "ocr", not(target_arch = "wasm32")))]
fn read_by_ocr(
    files: &mut [FileEntry],
    source: &FsSource,
    dir: &Path,
    limits: &Limits,
) -> Result<(), String> {
    use record_precheck::ocr::{Engine, CLASSIFIER_FILE, DETECTOR_FILE, RECOGNISER_FILE};
    use record_precheck::recognise::ocr::{read_entry, wants_ocr};
    let model = |name: &str| {
        let path = dir.join(name);
        std::fs::read(&path).map_err(|e| {
            format!(
                "--ocr: could not read the model {} ({e}); `cargo xtask ocr-models` puts the models in models/ocr/",
                path.display()
            )
        })
    };
    let engine = Engine::load(
        &model(DETECTOR_FILE)?,
        &model(RECOGNISER_FILE)?,
        &model(CLASSIFIER_FILE)?,
    )
    .map_err(|e| format!("--ocr: {e}"))?;
    for entry in files.iter_mut().filter(|e| wants_ocr(e)) {
        match source.resolve(&entry.path).and_then(std::fs::File::open) {
            Ok(file) => read_entry(entry, file, &engine, limits),
            Err(e) => eprintln!("record-precheck: --ocr: could not open {}: {e}", entry.path),
        }
    }
    Ok(())
}

/// The file table: kinds and classes as the JSON names them, the reasons, errors and notes in
/// `lang`.
fn print_table(out: &mut impl Write, files: &[FileEntry], lang: Lang) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<11} {:<22} {:<8} PATH — WHY",
        "KIND", "DICOM CLASS", "MOD"
    )?;
    let mut counts: Vec<(FileKind, usize)> = Vec::new();
    for entry in files {
        print_entry(out, entry, 0, lang, &mut counts)?;
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
    lang: Lang,
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
        e.reason_text(lang)
    )?;
    if let Some(error) = e.error_text(lang) {
        writeln!(out, "{:<43} {indent}  ! {error}", "")?;
    }
    for note in e.note_texts(lang) {
        writeln!(out, "{:<43} {indent}  · {note}", "")?;
    }
    // What a picture shows (`picture.subject`, as the JSON names it) and its QR codes.
    if let Some(p) = &e.picture {
        let why = p
            .reason_message
            .as_ref()
            .map_or_else(|| p.reason.clone(), |m| m.text(lang));
        writeln!(out, "{:<43} {indent}  = {}: {why}", "", p.subject.as_str())?;
        for code in &p.qr {
            writeln!(out, "{:<43} {indent}  = QR {code}", "")?;
        }
    }
    for m in e.members.iter().flatten() {
        print_entry(out, m, depth + 1, lang, counts)?;
    }
    Ok(())
}

/// The parsed command line of `bundle`.
struct BundleArgs {
    paths: Vec<String>,
    output: String,
    deflate: bool,
    lang: Lang,
    declarations: Option<String>,
    purpose: Option<Purpose>,
    /// `--profile FILE`: the host's profile.
    profile: Option<String>,
    exclude: Vec<String>,
    keep_picture_metadata: bool,
    deidentify: bool,
    retain_dates: bool,
    retain_patient_characteristics: bool,
    clean_descriptors: bool,
    key: Option<String>,
}

fn parse_bundle(args: &[String]) -> Result<BundleArgs, String> {
    let mut parsed = BundleArgs {
        paths: Vec::new(),
        output: String::new(),
        deflate: false,
        lang: Lang::En,
        declarations: None,
        purpose: None,
        profile: None,
        exclude: Vec::new(),
        keep_picture_metadata: false,
        deidentify: false,
        retain_dates: false,
        retain_patient_characteristics: false,
        clean_descriptors: false,
        key: None,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |flag: &str| it.next().cloned().ok_or(format!("{flag} needs a value"));
        match arg.as_str() {
            "-o" | "--output" => parsed.output = value("-o")?,
            "--deflate" => parsed.deflate = true,
            "--keep-picture-metadata" => parsed.keep_picture_metadata = true,
            "--deidentify" => parsed.deidentify = true,
            "--retain-dates" => parsed.retain_dates = true,
            "--retain-patient-characteristics" => parsed.retain_patient_characteristics = true,
            "--clean-descriptors" => parsed.clean_descriptors = true,
            "--key" => parsed.key = Some(value("--key")?),
            "--declarations" => parsed.declarations = Some(value("--declarations")?),
            "--purpose" => parsed.purpose = Some(parse_purpose(&value("--purpose")?)?),
            "--profile" => parsed.profile = Some(value("--profile")?),
            "--exclude" => parsed.exclude.push(value("--exclude")?),
            "--lang" => {
                let tag = value("--lang")?;
                parsed.lang =
                    Lang::parse(&tag).ok_or(format!("unknown language {tag:?}: use en or zh"))?;
            }
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag}")),
            path => parsed.paths.push(path.to_string()),
        }
    }
    if parsed.paths.is_empty() {
        return Err("no PATH given".into());
    }
    if parsed.output.is_empty() {
        return Err("no output given: -o FILE.zip".into());
    }
    let options_on = parsed.retain_dates
        || parsed.retain_patient_characteristics
        || parsed.clean_descriptors
        || parsed.key.is_some();
    if options_on && !parsed.deidentify {
        return Err(
            "--retain-dates, --retain-patient-characteristics, --clean-descriptors and --key go with --deidentify"
                .into(),
        );
    }
    Ok(parsed)
}

/// The declarations of `path` (none: the defaults), with `--purpose` and the profile of
/// `--profile` over theirs; a profile is validated wherever it comes from.
fn read_declarations(
    path: Option<&str>,
    purpose: Option<Purpose>,
    profile: Option<&str>,
) -> Result<Declarations, String> {
    let mut declarations = match path {
        None => Declarations::default(),
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str::<Declarations>(&t).map_err(|e| e.to_string()))
            .map_err(|e| format!("could not read the declarations {path}: {e}"))?,
    };
    if purpose.is_some() {
        declarations.purpose = purpose;
    }
    if let Some(path) = profile {
        let profile =
            read_profile(path).map_err(|e| format!("could not use the profile {path}: {e}"))?;
        declarations.profile = Some(profile);
    } else if let Some(p) = &declarations.profile {
        p.validate()
            .map_err(|e| format!("could not use the profile in the declarations: {e}"))?;
    }
    Ok(declarations)
}

/// A profile file, read no further than its size limit, validated.
fn read_profile(path: &str) -> Result<Profile, String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| {
            f.take(profile::MAX_PROFILE_BYTES as u64 + 1)
                .read_to_end(&mut bytes)
        })
        .map_err(|e| e.to_string())?;
    if bytes.len() > profile::MAX_PROFILE_BYTES {
        return Err(format!(
            "the profile is over the {}-byte limit",
            profile::MAX_PROFILE_BYTES
        ));
    }
    let text = String::from_utf8(bytes).map_err(|_| "the profile is not UTF-8 text".to_string())?;
    Profile::parse(&text)
}

/// A purpose by its contract name (`new-diagnosis`…).
fn parse_purpose(name: &str) -> Result<Purpose, String> {
    Purpose::iter().find(|p| p.as_str() == name).ok_or_else(|| {
        let names: Vec<&str> = Purpose::iter().map(Purpose::as_str).collect();
        format!("unknown purpose {name:?}: use one of {}", names.join(", "))
    })
}

/// The de-identification asked for, with a secret drawn from the system for this bundle.
fn deidentify_options(
    args: &BundleArgs,
) -> Result<Option<record_precheck::dicom::deidentify::Options>, String> {
    if !args.deidentify {
        return Ok(None);
    }
    let secret = random_secret()
        .map_err(|e| format!("could not draw a random secret for the de-identification: {e}"))?;
    Ok(Some(record_precheck::dicom::deidentify::Options {
        secret,
        modified_dates: args.retain_dates,
        patient_characteristics: args.retain_patient_characteristics,
        clean_descriptors: args.clean_descriptors,
    }))
}

/// 32 bytes from the system's randomness.
#[cfg(not(target_arch = "wasm32"))]
fn random_secret() -> Result<[u8; 32], String> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| e.to_string())?;
    Ok(secret)
}

/// The command line is built for wasm32 only by the wasm tests' `cargo test`; it never runs there.
#[cfg(target_arch = "wasm32")]
fn random_secret() -> Result<[u8; 32], String> {
    Err("no system randomness in a wasm build of the command line".into())
}

fn run_bundle(args: BundleArgs) -> ExitCode {
    let started = Instant::now();
    let declarations = match read_declarations(
        args.declarations.as_deref(),
        args.purpose,
        args.profile.as_deref(),
    ) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("record-precheck: {e}");
            return ExitCode::from(1);
        }
    };
    let paths: Vec<PathBuf> = args.paths.iter().map(PathBuf::from).collect();
    let (files, mut source) = match FsSource::scan(&paths, &Limits::default()) {
        Ok(found) => found,
        Err(e) => {
            eprintln!("record-precheck: could not read {e}");
            return ExitCode::from(1);
        }
    };
    let output = PathBuf::from(&args.output);
    // An earlier bundle at the output path, inside a folder given, is not bundled again (it is
    // about to be overwritten).
    let set_aside = earlier_output(&files, &source, &output);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let created = bundle::Timestamp::from_unix(now);
    let report = report::build(files, declarations);
    let plan = Plan::build(
        &report,
        &PlanOptions {
            lang: args.lang,
            exclude: args.exclude.clone(),
            set_aside,
            created: Some(created.iso()),
            consent: None,
            deidentify: match deidentify_options(&args) {
                Ok(options) => options,
                Err(e) => {
                    eprintln!("record-precheck: {e}");
                    return ExitCode::from(1);
                }
            },
            thumbnails: report_thumbnails(&report, &mut source),
        },
    );
    drop(report);
    let options = BundleOptions {
        deflate: args.deflate,
        modified: Some(created),
        keep_picture_metadata: args.keep_picture_metadata,
        ..BundleOptions::default()
    };
    let mut bundler = Bundler::new(plan, options);
    let file = match std::fs::File::create(&output) {
        Ok(f) => f,
        Err(e) => {
            eprintln!(
                "record-precheck: could not create {}: {e}",
                output.display()
            );
            return ExitCode::from(1);
        }
    };
    // `-o /dev/null` (a benchmark) is not a regular file: never synced, never removed.
    let regular = file.metadata().is_ok_and(|m| m.is_file());
    // The file is closed at the end of this block, before a failed bundle's file is removed.
    let written = {
        let mut file = file;
        bundler.write_all_to(&mut source, &mut file).and_then(|()| {
            if regular {
                file.sync_all().map_err(bundle::Error::Io)
            } else {
                Ok(())
            }
        })
    };
    if let Err(e) = written {
        eprintln!("record-precheck: {e}");
        if regular {
            let _ = std::fs::remove_file(&output);
        }
        return ExitCode::from(1);
    }
    let Some(manifest) = bundler.manifest() else {
        eprintln!("record-precheck: could not finish the bundle");
        return ExitCode::from(1);
    };
    if let Some(key) = &args.key {
        let json = serde_json::to_string_pretty(&bundler.plan().key).unwrap_or_default();
        if let Err(e) = std::fs::write(key, json + "\n") {
            eprintln!("record-precheck: could not write the key {key}: {e}");
            return ExitCode::from(1);
        }
    }
    let t = &manifest.totals;
    let seconds = started.elapsed().as_secs_f64();
    let out_bytes = bundler.progress().bytes_out;
    let mut out = std::io::stdout().lock();
    let mut lines = vec![format!(
        "{}: {} inputs: {} copied, {} left out, {} zips unpacked{}",
        output.display(),
        t.inputs,
        t.copied,
        t.left_out,
        t.unpacked,
        if t.incomplete > 0 {
            format!(", {} copied only in part", t.incomplete)
        } else {
            String::new()
        }
    )];
    lines.push(format!(
        "{:.1} MB in, {:.1} MB zip, {:.1} s ({:.0} MB/s)",
        t.bytes_copied as f64 / 1e6,
        out_bytes as f64 / 1e6,
        seconds,
        t.bytes_copied as f64 / 1e6 / seconds.max(1e-9)
    ));
    for r in &manifest.inputs {
        if matches!(r.outcome, Outcome::LeftOut | Outcome::Incomplete) {
            lines.push(format!(
                "  {}: {} — {}",
                r.outcome.as_str(),
                r.path,
                r.reason.as_deref().unwrap_or("")
            ));
        }
    }
    let written = lines.iter().try_for_each(|l| writeln!(out, "{l}"));
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("record-precheck: could not write the output: {e}");
            ExitCode::from(1)
        }
        _ => ExitCode::SUCCESS,
    }
}

/// The output file, when it already exists among the inputs: set aside with a reason.
fn earlier_output(files: &[FileEntry], source: &FsSource, output: &Path) -> Vec<(String, String)> {
    let Ok(target) = output.canonicalize() else {
        return Vec::new();
    };
    files
        .iter()
        .filter(|e| {
            source
                .resolve(&e.path)
                .and_then(|p| p.canonicalize())
                .is_ok_and(|p| p == target)
        })
        .map(|e| {
            (
                e.path.clone(),
                "the output of this bundle (an earlier one, overwritten)".to_string(),
            )
        })
        .collect()
}

fn run_verify(path: &str) -> ExitCode {
    let file = match std::fs::File::open(path) {
        Ok(f) => std::io::BufReader::with_capacity(1 << 20, f),
        Err(e) => {
            eprintln!("record-precheck: could not open {path}: {e}");
            return ExitCode::from(1);
        }
    };
    let started = Instant::now();
    let report = bundle::verify(file);
    let mut out = std::io::stdout().lock();
    let mut lines = Vec::new();
    for p in &report.problems {
        lines.push(format!("problem: {p}"));
    }
    for n in &report.notes {
        lines.push(format!("note: {n}"));
    }
    lines.push(format!(
        "{path}: {} ({} entries, {:.1} MB checked in {:.1} s; {} of the manifest's {} inputs are in the bundle)",
        if report.ok() {
            "all is well".to_string()
        } else {
            format!("{} problem(s)", report.problems.len())
        },
        report.entries,
        report.bytes as f64 / 1e6,
        started.elapsed().as_secs_f64(),
        report.in_bundle,
        report.inputs
    ));
    let _ = lines.iter().try_for_each(|l| writeln!(out, "{l}"));
    if report.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
