//! `ScannedFiles`: the scanned files of a case, converted from JavaScript once and kept in wasm memory,
//! for the report worker: a report for each change of the patient's answers, the printable
//! view, what the bundle leaves out and the bundle itself, without converting every entry from
//! JS again each time (20,000 entries took ~1 s to convert and build in V8). A scan's entries are
//! converted as the scan workers answer (`ScanEntries`), so that at the end of the scan only the
//! report is left to build.

use std::collections::BTreeMap;

use wasm_bindgen::prelude::*;

use super::report::{declarations_of, parse_lang};
use super::{from_js, to_js};
use crate::bundle::{Plan, PlanOptions};
use crate::entry::merge_by_path;
use crate::readiness::Declarations;
use crate::report::redact::Redaction;
use crate::report::thumbnails::Thumbnails;
use crate::report::{self, Report};
use crate::FileEntry;

/// The scanned files of a case, held by the wasm instance (`free()` it when done).
#[wasm_bindgen]
pub struct ScannedFiles {
    files: Vec<FileEntry>,
    /// The placeholders of the files' paths, for the redacted reports.
    redaction: Redaction,
}

/// The entries of a scan running, converted as they come (the report worker's `scanned`
/// messages, pool.js `NewEntries`): by the scan's ids, and what its folders held that could not
/// be read. `ScannedFiles.afterScan` takes them (`free()` those of a scan that was cancelled).
#[wasm_bindgen]
#[derive(Default)]
pub struct ScanEntries {
    results: BTreeMap<u32, FileEntry>,
    problems: Vec<FileEntry>,
}

#[wasm_bindgen]
impl ScanEntries {
    #[wasm_bindgen(constructor)]
    pub fn new() -> ScanEntries {
        ScanEntries::default()
    }

    /// Entries as a scan worker's answer brought them: `[id, entry]` pairs (a later entry for
    /// an id replaces the earlier), and unreadable files found in folders.
    pub fn add(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "[number, FileEntry][]")] results: JsValue,
        #[wasm_bindgen(unchecked_param_type = "FileEntry[]")] problems: JsValue,
    ) -> Result<(), JsError> {
        let results: Vec<(u32, FileEntry)> = from_js(results, "the scan's entries")?;
        let problems: Vec<FileEntry> = from_js(problems, "the scan's unreadable files")?;
        self.results.extend(results);
        self.problems.extend(problems);
        Ok(())
    }
}

/// The report of the files for some answers and its redacted twin, both without `files`
/// (`Reports` in types.d.ts).
#[derive(serde::Serialize)]
struct Reports {
    report: Report,
    redacted: Report,
}

/// One input `bundleSetAside` names (`SetAside` in types.d.ts).
#[derive(serde::Serialize)]
struct SetAside<'a> {
    path: &'a str,
    reason: &'a str,
}

#[wasm_bindgen]
impl ScannedFiles {
    /// The files, as `scanBlob`/`scanWindows`/`scanBytes` returned them.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "FileEntry[]")] entries: JsValue,
    ) -> Result<ScannedFiles, JsError> {
        let files: Vec<FileEntry> = from_js(entries, "the file entries")?;
        Ok(ScannedFiles {
            redaction: Redaction::new(&files),
            files,
        })
    }

    /// The case after a scan, as the page puts it together (pool.js `mergeEntries(previous,
    /// [...scannedEntries(results, problems), ...added])`): the scan's entries in the order of
    /// their ids, its unreadable files, then `added`, over `previous` (an entry replaces the one
    /// of the same path), ordered by path. Only `previous` and `added` are converted here.
    #[wasm_bindgen(js_name = afterScan)]
    pub fn after_scan(
        scan: ScanEntries,
        #[wasm_bindgen(unchecked_param_type = "FileEntry[]")] previous: JsValue,
        #[wasm_bindgen(unchecked_param_type = "FileEntry[]")] added: JsValue,
    ) -> Result<ScannedFiles, JsError> {
        let previous: Vec<FileEntry> = from_js(previous, "the case before the scan")?;
        let added: Vec<FileEntry> = from_js(added, "the files the page could not read")?;
        let scanned = scan.results.into_values().chain(scan.problems);
        let files = merge_by_path(previous, scanned.chain(added));
        Ok(ScannedFiles {
            redaction: Redaction::new(&files),
            files,
        })
    }

    /// `buildReport(entries, declarations)` and the redacted report of it (what a host page
    /// may see before the patient consents, `report::redact`), both with `files` left empty:
    /// the caller has the files (and `redactedFiles()`), and sending 20,000 entries back on
    /// every change of an answer would cost more than the build (built from the files in
    /// place: no copy of them either).
    #[wasm_bindgen(js_name = reportsWithoutFiles, unchecked_return_type = "Reports")]
    pub fn reports_without_files(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Partial<Declarations> | null | undefined")]
        declarations: JsValue,
    ) -> Result<JsValue, JsError> {
        let report = report::build_without_files(&self.files, declarations_of(declarations)?);
        let redacted = self.redaction.report(&report);
        to_js(&Reports { report, redacted })
    }

    /// The files as the redacted report has them (paths as placeholders, nothing of the
    /// patient): the same for every answer, so asked once per set of files.
    #[wasm_bindgen(js_name = redactedFiles, unchecked_return_type = "FileEntry[]")]
    pub fn redacted_files(&self) -> Result<JsValue, JsError> {
        to_js(&self.redaction.files(&self.files))
    }

    /// `renderReportHtml(entries, declarations, lang)`, with the `thumbnails` given (PNG bytes
    /// by report path; see `report::thumbnails` for which are taken).
    #[wasm_bindgen(js_name = renderReportHtml)]
    pub fn render_report_html(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Partial<Declarations> | null | undefined")]
        declarations: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Lang")] lang: &str,
        #[wasm_bindgen(unchecked_param_type = "Map<string, Uint8Array> | undefined")]
        thumbnails: JsValue,
    ) -> Result<String, JsError> {
        let lang = parse_lang(lang)?;
        let declarations = declarations_of(declarations)?;
        let thumbnails = thumbnails_of(thumbnails);
        Ok(self.with_report(declarations, |report| {
            report::html::render_with(report, lang, &thumbnails)
        }))
    }

    /// The thumbnails to make for these files (`case::thumbnails`): each image series' middle
    /// file by position, with the series' files in that order, then each photo and screenshot.
    #[wasm_bindgen(js_name = thumbnailTargets, unchecked_return_type = "ThumbnailTarget[]")]
    pub fn thumbnail_targets(&self) -> Result<JsValue, JsError> {
        let report = report::build_without_files(&self.files, Declarations::default());
        to_js(&crate::case::thumbnails::targets(
            &report.studies,
            &self.files,
        ))
    }

    /// The `index`-th request slip of the report for these answers (`report.requests`), as a
    /// printable page in Chinese, with English beside it when `lang` is `"en"` or the reviewers
    /// read no Chinese (`slips::english_beside`).
    #[wasm_bindgen(js_name = renderRequestHtml)]
    pub fn render_request_html(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Partial<Declarations> | null | undefined")]
        declarations: JsValue,
        index: usize,
        #[wasm_bindgen(unchecked_param_type = "Lang")] lang: &str,
    ) -> Result<String, JsError> {
        let lang = parse_lang(lang)?;
        let report = report::build_without_files(&self.files, declarations_of(declarations)?);
        let request = report.requests.get(index).ok_or_else(|| {
            JsError::new(&format!(
                "could not find request slip {index}: the report has {}",
                report.requests.len()
            ))
        })?;
        Ok(report::slips::render(
            request,
            report::slips::english_beside(&report, lang),
        ))
    }

    /// What the bundle of these files leaves out by itself — viewer software, system files,
    /// empty files, a DICOMDIR… — each with the manifest's (English) reason, known before
    /// anything is written, so that the page can show it. Possible duplicates are only known
    /// while the bundle is written.
    #[wasm_bindgen(js_name = bundleSetAside, unchecked_return_type = "SetAside[]")]
    pub fn bundle_set_aside(&mut self) -> Result<JsValue, JsError> {
        let plan = self.with_report(Declarations::default(), |report| {
            Plan::inputs_only(report, &PlanOptions::default())
        });
        let list: Vec<SetAside> = plan
            .set_aside()
            .into_iter()
            .map(|(path, reason)| SetAside { path, reason })
            .collect();
        to_js(&list)
    }
}

/// The page's thumbnails (a `Map` of report path → PNG bytes; anything else is none).
pub(super) fn thumbnails_of(value: JsValue) -> Thumbnails {
    let mut thumbnails = Thumbnails::default();
    if let Some(map) = value.dyn_ref::<js_sys::Map>() {
        map.for_each(&mut |png, path| {
            if let (Some(path), Some(png)) = (path.as_string(), png.dyn_ref::<js_sys::Uint8Array>())
            {
                thumbnails.insert(path, png.to_vec());
            }
        });
    }
    thumbnails
}

impl ScannedFiles {
    /// `f` of the whole report of the files with these answers. The files are lent to the
    /// report and taken back, not copied: a copy of 20,000 entries would stay in wasm memory
    /// (which never shrinks) as much as the case itself.
    pub(super) fn with_report<T>(
        &mut self,
        declarations: Declarations,
        f: impl FnOnce(&Report) -> T,
    ) -> T {
        let report = report::build(std::mem::take(&mut self.files), declarations);
        let out = f(&report);
        self.files = report.files;
        out
    }
}
