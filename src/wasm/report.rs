//! The report, in the report module: `buildReport` and `renderReportHtml` of scanned files
//! and the patient's answers, and how the other files of the module read those answers and a
//! language.

use wasm_bindgen::prelude::*;

#[cfg(feature = "test-trap")]
use super::test_trap;
use super::{from_js, to_js};
use crate::readiness::Declarations;
use crate::report::{self, Report};
use crate::text::Lang;
use crate::FileEntry;

/// The report of scanned files (as `scanBlob`/`scanBytes` returned them) and what the patient
/// declared (every field optional): the CLI's `--json` document.
#[wasm_bindgen(js_name = buildReport, unchecked_return_type = "Report")]
pub fn build_report_js(
    #[wasm_bindgen(unchecked_param_type = "FileEntry[]")] entries: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Partial<Declarations> | null | undefined")]
    declarations: JsValue,
) -> Result<JsValue, JsError> {
    to_js(&report_of(entries, declarations)?)
}

/// The printable, self-contained HTML page of the report (inline CSS, no scripts), built from
/// the same inputs as `buildReport`, in `"en"` or `"zh"`.
#[wasm_bindgen(js_name = renderReportHtml)]
pub fn render_report_html_js(
    #[wasm_bindgen(unchecked_param_type = "FileEntry[]")] entries: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Partial<Declarations> | null | undefined")]
    declarations: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Lang")] lang: &str,
) -> Result<String, JsError> {
    let lang = parse_lang(lang)?;
    Ok(report::html::render(
        &report_of(entries, declarations)?,
        lang,
    ))
}

fn report_of(entries: JsValue, declarations: JsValue) -> Result<Report, JsError> {
    let files: Vec<FileEntry> = from_js(entries, "the file entries")?;
    Ok(report::build(files, declarations_of(declarations)?))
}

/// The patient's answers (every field optional; none: the defaults).
pub(super) fn declarations_of(declarations: JsValue) -> Result<Declarations, JsError> {
    let declarations: Declarations = if declarations.is_null() || declarations.is_undefined() {
        Declarations::default()
    } else {
        from_js(declarations, "the declarations")?
    };
    // The host's profile (the element's `profile` attribute, passed through): checked here, so
    // that a bad one is the host's clear error rather than a report judged by it.
    if let Some(profile) = &declarations.profile {
        profile
            .validate()
            .map_err(|e| JsError::new(&format!("could not use the profile: {e}")))?;
    }
    #[cfg(feature = "test-trap")]
    declarations
        .questions
        .iter()
        .for_each(|q| test_trap::check(q.as_bytes()));
    Ok(declarations)
}

pub(super) fn parse_lang(tag: &str) -> Result<Lang, JsError> {
    Lang::parse(tag).ok_or_else(|| {
        JsError::new(&format!(
            "could not use the language {tag:?}: give \"en\" or \"zh\""
        ))
    })
}
