//! `record-precheck preview PATH... -o DIR`: one PNG per image file that decodes (DICOM images:
//! the middle frame; photographs and screenshots), and `DIR/index.json` listing every image file
//! with its PNG or the reason it has none. Inputs are walked and opened as `bundle` does (the
//! scan, then the plan's sources: files and zip members).

use std::collections::HashMap;
use std::io::{BufReader, Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use record_precheck::bundle::{FileSource, FsSource, Inputs, Plan, PlanOptions, Source};
use record_precheck::case::{flatten, thumbnails};
use record_precheck::pixels::{self, Image};
use record_precheck::readiness::Declarations;
use record_precheck::report::thumbnails::Thumbnails;
use record_precheck::report::{self, Report};
use record_precheck::text::{Lang, Message};
use record_precheck::{FileEntry, FileKind, Limits};
use serde::Serialize;

pub const USAGE: &str = "usage: record-precheck preview PATH... -o DIR

Scans like `scan` and writes DIR/NNNN.png for every image file that decodes (DICOM images: the
middle frame, shown with the file's first window, MONOCHROME1 inverted; photographs and
screenshots as they are), and DIR/index.json: one object per image file, with its `path` as
`scan` shows it, `png` (the file name in DIR, or null), `frame` (0-based), `series_uid` and
`error` (why it has no PNG, or null).";

/// One line of index.json.
#[derive(Debug, Serialize)]
struct Indexed {
    path: String,
    png: Option<String>,
    frame: Option<u32>,
    series_uid: Option<String>,
    error: Option<String>,
}

/// `(paths, output folder)` from the arguments after `preview`.
pub fn parse(args: &[String]) -> Result<(Vec<PathBuf>, PathBuf), String> {
    let mut paths = Vec::new();
    let mut output = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "-o" | "--output" => output = Some(it.next().ok_or("-o needs a value")?.into()),
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            path => paths.push(PathBuf::from(path)),
        }
    }
    if paths.is_empty() {
        return Err("no PATH given".into());
    }
    Ok((paths, output.ok_or("no output folder given (-o DIR)")?))
}

pub fn run(paths: &[PathBuf], out_dir: &Path) -> ExitCode {
    let limits = Limits::default();
    let (files, mut source) = match FsSource::scan(paths, &limits) {
        Ok(scanned) => scanned,
        Err(e) => {
            eprintln!("record-precheck: could not read {e}");
            return ExitCode::from(1);
        }
    };
    let report = report::build(files, Declarations::default());
    let mut image_files = Vec::new();
    collect_images(&report.files, &mut image_files);
    let plan = Plan::build(&report, &PlanOptions::default());
    if let Err(e) = std::fs::create_dir_all(out_dir) {
        eprintln!("record-precheck: could not make {}: {e}", out_dir.display());
        return ExitCode::from(1);
    }
    let mut inputs = Inputs::default();
    let mut index = Vec::new();
    for item in &plan.items {
        let Some(entry) = image_files.iter().find(|e| e.path == item.path) else {
            continue;
        };
        let rendered = render(entry, &item.source, &mut inputs, &mut source, &limits);
        let mut line = Indexed {
            path: item.path.clone(),
            png: None,
            frame: None,
            series_uid: entry
                .dicom
                .as_ref()
                .and_then(|d| d.series_instance_uid.clone()),
            error: None,
        };
        match rendered.and_then(|(image, frame)| {
            let name = format!("{:04}.png", index.len() + 1);
            let png = pixels::encode::png(&image).map_err(|m| m.text(Lang::En))?;
            std::fs::write(out_dir.join(&name), png).map_err(|e| format!("{name}: {e}"))?;
            Ok((name, frame))
        }) {
            Ok((name, frame)) => {
                line.png = Some(name);
                line.frame = Some(frame);
            }
            Err(error) => line.error = Some(error),
        }
        index.push(line);
    }
    let json = serde_json::to_string_pretty(&index).expect("the index serialises");
    if let Err(e) = std::fs::write(out_dir.join("index.json"), json + "\n") {
        eprintln!("record-precheck: could not write index.json: {e}");
        return ExitCode::from(1);
    }
    let written = index.iter().filter(|l| l.png.is_some()).count();
    println!(
        "{written} of {} image files previewed in {}",
        index.len(),
        out_dir.display()
    );
    ExitCode::SUCCESS
}

/// The report's thumbnails, made here as the page makes them in its pixel worker (the files
/// `case::thumbnails` names: each image series' middle file by position, each photo and
/// screenshot; zip members too), for `scan --html` and the bundle's report.html. A file that
/// does not decode has none.
pub fn report_thumbnails(report: &Report, source: &mut FsSource, limits: &Limits) -> Thumbnails {
    let entries: HashMap<&str, &FileEntry> = flatten(&report.files)
        .into_iter()
        .map(|e| (e.path.as_str(), e))
        .collect();
    let plan = Plan::inputs_only(report, &PlanOptions::default());
    let sources: HashMap<&str, &Source> = plan
        .items
        .iter()
        .map(|i| (i.path.as_str(), &i.source))
        .collect();
    let mut inputs = Inputs::default();
    let mut made = Thumbnails::default();
    for target in thumbnails::targets(&report.studies, &report.files) {
        let (Some(entry), Some(input)) = (
            entries.get(target.path.as_str()),
            sources.get(target.path.as_str()),
        ) else {
            continue;
        };
        let Ok((image, _)) = render(entry, input, &mut inputs, source, limits) else {
            continue;
        };
        let small = pixels::thumbnail(&image, pixels::THUMBNAIL_SIDE);
        if let Ok(png) = pixels::encode::png(&small) {
            made.insert(target.path, png);
        }
    }
    made
}

/// Every image file (DICOM objects with pixel data, photographs, screenshots), zip members too.
fn collect_images<'a>(files: &'a [FileEntry], out: &mut Vec<&'a FileEntry>) {
    for e in files {
        let dicom_image = e.kind == FileKind::Dicom
            && e.dicom
                .as_ref()
                .is_some_and(|d| d.pixel_data_offset.is_some() || d.rows.is_some());
        if dicom_image || matches!(e.kind, FileKind::Photo | FileKind::Screenshot) {
            out.push(e);
        }
        collect_images(e.members.as_deref().unwrap_or_default(), out);
    }
}

/// Renders one input: `(picture, frame shown)`, or why not (in English, for index.json).
fn render(
    entry: &FileEntry,
    input: &Source,
    inputs: &mut Inputs,
    source: &mut FsSource,
    limits: &Limits,
) -> Result<(Image, u32), String> {
    let english = |m: Message| m.text(Lang::En);
    if entry.kind == FileKind::Dicom {
        let mut reader = inputs
            .open(input, source, limits)
            .map_err(|e| e.to_string())?;
        let mut head = Vec::new();
        (&mut reader)
            .take(limits.sniff_bytes as u64)
            .read_to_end(&mut head)
            .map_err(|e| english(read_error(&e)))?;
        let rendered =
            pixels::render_dicom(head, &mut reader, entry.size, limits).map_err(english)?;
        return Ok((rendered.image, rendered.frame));
    }
    let format = entry.image.as_ref().map_or("", |i| i.format.as_str());
    let image = match input {
        // A file on disk is decoded as it is read (the scan's streaming picture decoder).
        Source::File(path) => {
            let file = source.open_seekable(path).map_err(|e| e.to_string())?;
            pixels::picture::render_picture(BufReader::new(file), format, limits)
        }
        // A zip member comes inflated and cannot seek: decoded from memory, bounded like a
        // frame (compressed pictures are smaller than their pixels).
        Source::Member { .. } => {
            if entry.size > 4 * limits.max_frame_samples {
                return Err(english(
                    Message::new("pixels.picture-too-large")
                        .with("size", entry.size)
                        .with("limit", 4 * limits.max_frame_samples),
                ));
            }
            let mut bytes = Vec::new();
            inputs
                .open(input, source, limits)
                .map_err(|e| e.to_string())?
                .take(entry.size)
                .read_to_end(&mut bytes)
                .map_err(|e| english(read_error(&e)))?;
            pixels::picture::render_picture(Cursor::new(bytes), format, limits)
        }
    };
    Ok((image.map_err(english)?, 0))
}

fn read_error(e: &std::io::Error) -> Message {
    Message::new("error.read").with("detail", e.to_string())
}
