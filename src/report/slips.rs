//! The request slips as printable pages: one A4 page per [`Request`], in Chinese (the language
//! of the hospital's window), with the English beside it when the report is in English (for a
//! patient who does not read Chinese) or the reviewers read no Chinese ([`english_beside`]). Self-contained like the report: inline CSS, no script,
//! no external resource. What the records give is filled in; what they do not is a line to
//! write on. The rows are capped ([`super::requests`]) so that a slip stays one page.

use std::fmt::Write;

use serde_json::json;

use super::html::esc;
use super::requests::{Request, RequestFacts};
use super::Report;
use crate::codes::{Department, RequestReason};
use crate::text::{
    display_date, display_name, display_sex, message, primary_language, t, vals, Lang,
};

/// The slip's CSS, scoped to `.slip` so the report can hold slips too.
pub const STYLE: &str = r#"
@page { size: A4; margin: 10mm 12mm; }
.slip { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", "Source Han Sans SC",
    "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif;
  font-size: 10pt; line-height: 1.32; color: #111; max-width: 46rem; margin: 0 auto;
  break-inside: avoid; page-break-inside: avoid; }
.slip + .slip, h2 + .slip, p + .slip { break-before: page; page-break-before: always; }
.slip h1 { font-size: 14pt; margin: 0 0 .25rem; line-height: 1.2; }
.slip h2 { font-size: 10.5pt; margin: .5rem 0 .2rem; border-bottom: 1px solid #999; }
.slip p { margin: .25rem 0; }
.slip .en { color: #555; font-size: .8em; font-weight: normal; margin-left: .35em; }
.slip th .en, .slip dt .en { display: block; margin-left: 0; }
.slip table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
.slip .nowrap { white-space: nowrap; }
.slip .thick { font-size: .9em; }
.slip th, .slip td { border: 1px solid #888; padding: .12rem .3rem; text-align: left;
  vertical-align: top; }
.slip th { background: #eee; }
.slip td { height: 1.4rem; overflow-wrap: anywhere; }
.slip dl { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: .25rem .6rem;
  margin: .3rem 0; }
.slip dt { font-weight: 600; }
.slip dd { margin: 0; overflow-wrap: anywhere; }
.slip ul.asks { list-style: none; padding: 0; margin: .2rem 0; }
.slip ul.asks li { margin: .1rem 0; padding-left: 1.4em; text-indent: -1.4em; }
.slip .blank { display: inline-block; min-width: 9em; border-bottom: 1px solid #111;
  height: 1.1em; vertical-align: bottom; }
.slip .lines span { display: block; border-bottom: 1px solid #111; height: 1.5rem; }
.slip .sign { display: flex; gap: 1.5rem; margin-top: .8rem; }
.slip .footer { color: #555; font-size: 8.5pt; margin-top: .8rem; border-top: 1px solid #ccc;
  padding-top: .25rem; }
@media print { .slip { max-width: none; } }
"#;

const BLANK: &str = "<span class=\"blank\"></span>";
/// A study description longer than this is cut (the report has it whole), so that a row stays
/// one or two lines.
const DESCRIPTION_CHARS: usize = 48;
const BOX: &str = "☐ ";

/// The file name of the i-th slip in the bundle: `requests/imaging.html`, and
/// `requests/imaging-2.html` for a second slip of the same department.
pub fn file_name(requests: &[Request], i: usize) -> String {
    let department = requests[i].department;
    let nth = requests[..i]
        .iter()
        .filter(|r| r.department == department)
        .count();
    match nth {
        0 => format!("requests/{department}.html"),
        n => format!("requests/{department}-{}.html", n + 1),
    }
}

/// Whether the slips print English beside the Chinese: when the report is in English (a
/// patient who does not read Chinese), and when the reviewers are said to read no Chinese (the
/// patient's `reviewer_language`, else the host profile's `reviewer_languages`): the bundle's
/// slips reach them too. Without either, English is not assumed.
pub fn english_beside(report: &Report, lang: Lang) -> bool {
    let declared = &report.declarations;
    let tags: Vec<String> = match declared.reviewer_language.as_deref() {
        Some(tag) => primary_language(tag).into_iter().collect(),
        None => declared
            .profile
            .iter()
            .flat_map(|p| &p.reviewer_languages)
            .filter_map(|tag| primary_language(tag))
            .collect(),
    };
    lang == Lang::En || (!tags.is_empty() && !tags.iter().any(|t| t == "zh"))
}

/// A slip as a self-contained HTML page: Chinese, with English beside it when `english`
/// ([`english_beside`]).
pub fn render(request: &Request, english: bool) -> String {
    format!(
        "<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{}</body>\n</html>\n",
        esc(&t(Lang::Zh, &format!("slip.title.{}", request.department))),
        section(request, english)
    )
}

/// Writes the words of a slip: Chinese, and English beside it when the slip is in English.
struct Words {
    english: bool,
}

impl Words {
    /// An id's text, escaped.
    fn id(&self, id: &str) -> String {
        self.with(id, serde_json::Value::Null)
    }

    /// An id's text with values, escaped.
    fn with(&self, id: &str, values: serde_json::Value) -> String {
        let values = vals(values);
        let zh = esc(&message(Lang::Zh, id, &values));
        if self.english {
            let en = esc(&message(Lang::En, id, &values));
            format!("{zh}<span class=\"en\" lang=\"en\">{en}</span>")
        } else {
            zh
        }
    }
}

/// A text cut to [`DESCRIPTION_CHARS`], with an ellipsis when cut.
fn cut(text: &str) -> String {
    match text.char_indices().nth(DESCRIPTION_CHARS) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// A cell's HTML that does not break (a date).
fn nowrap(html: String) -> String {
    format!("<span class=\"nowrap\">{html}</span>")
}

/// A study's description cell, with "(only 5 mm slices)" when it has only thick ones.
fn thick_mark(cell: String, thick_mm: Option<f64>, w: &Words) -> String {
    match thick_mm {
        Some(mm) => {
            // 5, not 5.0; 2.5 as it is.
            let mm = if mm.fract() == 0.0 && mm.abs() < 1e6 {
                json!(mm as i64)
            } else {
                json!(mm)
            };
            format!(
                "{cell} <strong class=\"thick\">（{}）</strong>",
                w.with("slip.thick-only", json!({ "thickness": mm }))
            )
        }
        None => cell,
    }
}

/// A value from the records, or a line to write on.
fn filled(value: Option<String>) -> String {
    match value {
        Some(v) if !v.trim().is_empty() => esc(&v),
        _ => BLANK.to_string(),
    }
}

/// A slip as a `<section class="slip">`, for a page of its own or inside the report.
pub fn section(request: &Request, english: bool) -> String {
    let w = Words { english };
    let f = &request.facts;
    let department = request.department;
    let mut h = String::with_capacity(4096);
    let _ = write!(
        h,
        "<section class=\"slip\" data-department=\"{department}\" lang=\"zh-CN\">\n<h1>{}</h1>\n<p>{}</p>\n",
        w.id(&format!("slip.title.{department}")),
        w.id("slip.greeting"),
    );
    who(&mut h, f, &w);
    let reasons: Vec<String> = request
        .reasons
        .iter()
        .map(|r| w.id(&format!("slip.reason.{r}")))
        .collect();
    let _ = writeln!(
        h,
        "<p class=\"why\"><strong>{}：</strong>{}</p>",
        w.id("slip.why"),
        reasons.join("；")
    );
    match department {
        Department::Imaging => imaging(&mut h, request, &w),
        Department::Pathology => pathology(&mut h, request, &w),
        Department::Records => records(&mut h, f, &w),
        Department::Laboratory => laboratory(&mut h, f, &w),
    }
    let _ = write!(
        h,
        "<div class=\"sign\"><span>{}：{BLANK}</span><span>{}：{BLANK}</span><span>{}：{BLANK}</span></div>\n\
         <p class=\"footer\">{}</p>\n</section>\n",
        w.id("slip.signature"),
        w.id("slip.date"),
        w.id("slip.phone"),
        w.id("slip.footer"),
    );
    h
}

/// The hospital and the patient.
fn who(h: &mut String, f: &RequestFacts, w: &Words) {
    let sex = f.sex.as_deref().map(|s| {
        let zh = display_sex(s, Lang::Zh);
        if w.english {
            format!("{zh} / {}", display_sex(s, Lang::En))
        } else {
            zh
        }
    });
    let ids = (!f.patient_ids.is_empty()).then(|| f.patient_ids.join("、"));
    let rows = [
        ("slip.hospital", f.hospital.clone()),
        ("slip.name", f.patient_name.as_deref().map(display_name)),
        ("slip.birth-date", f.birth_date.as_deref().map(display_date)),
        ("slip.sex", sex),
        ("slip.patient-id", ids),
    ];
    h.push_str("<dl class=\"who\">");
    for (label, value) in rows {
        let _ = write!(h, "<dt>{}</dt><dd>{}</dd>", w.id(label), filled(value));
    }
    h.push_str("</dl>\n");
}

/// A list of things to tick.
fn asks(h: &mut String, w: &Words, ids: &[&str]) {
    let _ = write!(h, "<h2>{}</h2>\n<ul class=\"asks\">", w.id("slip.please"));
    for id in ids {
        let _ = write!(h, "<li>{BOX}{}</li>", w.id(id));
    }
    h.push_str("</ul>\n");
}

/// A table: headers, then rows of cells (already HTML); `blank_rows` empty rows when there
/// are none.
fn table(h: &mut String, w: &Words, headers: &[&str], rows: &[Vec<String>], blank_rows: usize) {
    h.push_str("<table><thead><tr>");
    for id in headers {
        let _ = write!(h, "<th>{}</th>", w.id(id));
    }
    h.push_str("</tr></thead><tbody>");
    for row in rows {
        h.push_str("<tr>");
        for cell in row {
            let _ = write!(h, "<td>{cell}</td>");
        }
        h.push_str("</tr>");
    }
    let empty = if rows.is_empty() { blank_rows } else { 1 };
    for _ in 0..empty {
        h.push_str("<tr>");
        for _ in headers {
            h.push_str("<td></td>");
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table>\n");
}

fn imaging(h: &mut String, r: &Request, w: &Words) {
    let f = &r.facts;
    let _ = writeln!(h, "<h2>{}</h2>", w.id("slip.studies"));
    let rows: Vec<Vec<String>> = f
        .studies
        .iter()
        .map(|s| {
            vec![
                nowrap(filled(s.date.as_deref().map(display_date))),
                filled(Some(s.modalities.join(", "))),
                thick_mark(
                    filled(s.description.as_deref().map(cut)),
                    s.thick_slices_mm,
                    w,
                ),
                filled(s.accession_number.clone()),
            ]
        })
        .collect();
    table(
        h,
        w,
        &[
            "slip.study-date",
            "slip.modality",
            "slip.study-description",
            "slip.accession",
        ],
        &rows,
        3,
    );
    if f.more_studies > 0 {
        let _ = writeln!(
            h,
            "<p>{}</p>",
            w.with("slip.more-studies", json!({ "count": f.more_studies }))
        );
    }
    let mut ids = vec!["slip.imaging.all-series"];
    // The thin-slice source images are part of what to burn for any CT or MR (hospitals often
    // burn only the thick reconstructions), and when the studies are not known yet; the reason
    // and the row's mark say which study has only thick slices.
    let cross_sectional = f.studies.is_empty()
        || f.studies
            .iter()
            .any(|s| s.modalities.iter().any(|m| m == "CT" || m == "MR"));
    if cross_sectional {
        ids.push("slip.imaging.thin-slices");
    }
    ids.extend([
        "slip.imaging.dicom",
        "slip.imaging.no-encryption",
        "slip.imaging.medium",
    ]);
    if r.reasons.contains(&RequestReason::UltrasoundImages) {
        ids.push("slip.imaging.ultrasound");
    }
    if r.reasons.contains(&RequestReason::BaselineAndLatest) {
        ids.push("slip.imaging.baseline");
    }
    asks(h, w, &ids);
}

fn pathology(h: &mut String, r: &Request, w: &Words) {
    let f = &r.facts;
    let _ = writeln!(h, "<h2>{}</h2>", w.id("slip.pathology.numbers"));
    let rows: Vec<Vec<String>> = f
        .pathology_numbers
        .iter()
        .map(|n| {
            vec![
                esc(&n.number),
                filled(n.hospital.clone()),
                filled(n.date.clone()),
            ]
        })
        .collect();
    table(
        h,
        w,
        &[
            "slip.pathology.number",
            "slip.hospital",
            "slip.pathology.report-date",
        ],
        &rows,
        2,
    );
    let mut ids = vec!["slip.pathology.he", "slip.pathology.ihc"];
    ids.push("slip.pathology.unstained");
    asks(h, w, &ids);
    let _ = writeln!(
        h,
        "<p>{}</p>\n<p><strong>{}</strong></p>",
        w.id("slip.pathology.blocks"),
        w.id("slip.pathology.bring")
    );
}

fn records(h: &mut String, f: &RequestFacts, w: &Words) {
    let _ = writeln!(h, "<h2>{}</h2>", w.id("slip.records.admissions"));
    if f.admissions.is_empty() {
        h.push_str("<div class=\"lines\"><span></span><span></span></div>\n");
    } else {
        h.push_str("<ul>");
        for a in &f.admissions {
            let _ = write!(h, "<li>{} — {BLANK}</li>", esc(a));
        }
        h.push_str("<li>");
        h.push_str(BLANK);
        h.push_str("</li></ul>\n");
    }
    let _ = writeln!(h, "<h2>{}</h2>", w.id("slip.please"));
    let rows: Vec<Vec<String>> = f
        .records
        .iter()
        .map(|r| {
            let (have, need) = if r.found > 0 {
                ("☑", "☐")
            } else {
                ("☐", "☑")
            };
            vec![
                w.id(&format!("category.{}", r.category)),
                have.to_string(),
                need.to_string(),
            ]
        })
        .collect();
    table(
        h,
        w,
        &[
            "slip.records.kind",
            "slip.records.have",
            "slip.records.need",
        ],
        &rows,
        0,
    );
    let _ = writeln!(h, "<p>{}</p>", w.id("slip.records.lead-time"));
}

fn laboratory(h: &mut String, f: &RequestFacts, w: &Words) {
    asks(h, w, &["slip.laboratory.tests"]);
    let markers = (!f.markers.is_empty()).then(|| f.markers.join("、"));
    let _ = writeln!(
        h,
        "<dl class=\"who\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd></dl>",
        w.id("slip.laboratory.newest"),
        filled(f.newest_lab.clone()),
        w.id("slip.laboratory.markers"),
        filled(markers),
    );
}
