//! The report as one self-contained, printable HTML page (inline CSS, no scripts, no external
//! resources of any kind), in English or Simplified Chinese. Owns the page layout and HTML
//! escaping; every sentence comes from [`super::sentences`] and [`crate::text`]. Everything that comes from files or
//! from the patient goes through [`esc`].

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::json;

use super::sentences::{
    document_line, evidence_text, finding_sentences, item_name, item_sentence, patient_line,
    person_facts, purpose_examples, review_limits, series_ref, step_sentence,
};
use super::slips;
use super::thumbnails::Thumbnails;
use super::Report;
use crate::case::{flatten, FindingCode, Severity};
use crate::entry::{FileEntry, FileKind};
use crate::readiness::{Evidence, Status};
use crate::text::{display_date, fact, message, t, vals, Lang};

/// Paths shown per finding before "and N more".
const FILES_SHOWN: usize = 10;
/// Paths shown as evidence per checklist item.
const EVIDENCE_SHOWN: usize = 5;
/// Rows of the file list; the JSON report has every file.
const FILE_ROWS: usize = 1000;
/// Findings repeated in the summary box.
const KEY_FINDINGS: usize = 3;

/// Escapes text for HTML content and attribute values. Control characters (other than tab and
/// line breaks), which HTML does not allow, become U+FFFD.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
@page { size: A4; margin: 14mm 13mm 16mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", "Source Han Sans SC",
    "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif;
  font-size: 10.5pt; line-height: 1.45; color: #1b1b1b; background: #fff;
  max-width: 54rem; margin: 1.5rem auto; padding: 0 1rem;
}
h1 { font-size: 18pt; margin: 0 0 .15rem; line-height: 1.2; }
h2 { font-size: 13pt; margin: 1.3rem 0 .45rem; padding-bottom: .15rem;
  border-bottom: 1px solid #bbb; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 11pt; margin: .9rem 0 .3rem; break-after: avoid; }
p { margin: .3rem 0; }
.sub, .meta { color: #555; font-size: 9pt; }
.summary { border: 2px solid #888; border-radius: 6px; padding: .7rem 1rem .8rem;
  margin: .8rem 0 0; break-inside: avoid; page-break-inside: avoid; }
.summary h2 { border: 0; margin: 0 0 .2rem; padding: 0; font-size: 9.5pt; color: #555;
  font-weight: 600; }
.summary .level { font-size: 15pt; font-weight: 700; margin: 0; }
.summary dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem .9rem;
  margin: .6rem 0 0; }
.summary dt { font-weight: 600; color: #333; }
.summary dd { margin: 0; }
.summary ul { margin: 0; padding-left: 1.1rem; }
.level-ready { border-color: #2e7d32; background: #f0f8f0; }
.level-ready .level { color: #1b5e20; }
.level-reviewable-with-gaps { border-color: #c77700; background: #fff7e8; }
.level-reviewable-with-gaps .level { color: #8a4b00; }
.level-not-yet-reviewable { border-color: #c62828; background: #fdeeee; }
.level-not-yet-reviewable .level { color: #9b1c1c; }
ol.steps { padding-left: 1.5rem; margin: .3rem 0; }
ol.steps li { margin: .25rem 0; }
table { border-collapse: collapse; width: 100%; margin: .3rem 0 .6rem; font-size: 9.5pt; }
th, td { text-align: left; vertical-align: top; padding: .22rem .4rem;
  border-bottom: 1px solid #e0e0e0; }
th { background: #f2f2f2; font-weight: 600; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
.path { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Noto Sans Mono CJK SC",
  monospace; font-size: 8.5pt; overflow-wrap: anywhere; }
p.study { margin: .6rem 0 .1rem; font-weight: 600; }
table.checklist td:nth-child(1) { width: 24%; }
table.checklist td:nth-child(2) { width: 14%; }
table.checklist td:nth-child(3) { width: 15%; }
table.file-list td:nth-child(1) { width: 38%; }
table.file-list td:nth-child(2) { width: 22%; }
table.series { table-layout: fixed; }
table.series th:nth-child(1) { width: 38%; }
table.series th:nth-child(2), table.series th:nth-child(4) { width: 12%; }
table.series th:nth-child(3), table.series th:nth-child(5) { width: 19%; }
.finding { border-left: 4px solid #999; padding: .2rem 0 .2rem .6rem; margin: .5rem 0;
  break-inside: avoid; page-break-inside: avoid; }
.finding.serious { border-color: #c62828; }
.finding.warning { border-color: #c77700; }
.finding.info { border-color: #5c7fa3; }
.badge { display: inline-block; white-space: nowrap; font-size: 8pt; font-weight: 700; padding: 0 .35rem;
  border-radius: 3px; margin-right: .35rem; color: #fff; background: #5c7fa3;
  vertical-align: 1px; }
.badge.serious { background: #c62828; }
.badge.warning { background: #b86e00; }
.badge.missing, .badge.partial { background: #b86e00; }
.badge.present, .badge.declared { background: #2e7d32; }
.badge.not-needed { background: #777; }
.files { margin: .15rem 0 0; padding-left: 1.1rem; }
.files li { margin: 0; }
.more { color: #555; font-size: 9pt; }
.written { white-space: pre-wrap; overflow-wrap: anywhere; border: 1px solid #ddd;
  border-radius: 4px; padding: .4rem .6rem; background: #fafafa; }
ol.questions li { white-space: pre-wrap; overflow-wrap: anywhere; margin: .2rem 0; }
.depth-1 td.path { padding-left: 1.4rem; }
.depth-2 td.path { padding-left: 2.4rem; }
.depth-3 td.path { padding-left: 3.4rem; }
.technical { font-size: 9pt; }
.technical table { font-size: 8.5pt; }
@media print {
  body { margin: 0; max-width: none; padding: 0; }
  h2 { margin-top: 1rem; }
}
"#;

/// The thumbnails' style, only in a report that has some.
const THUMBNAIL_STYLE: &str = r#"
img.thumb { display: block; width: auto; height: auto; max-width: 6rem; max-height: 6rem;
  margin: .15rem 0 .25rem; background: #000; border-radius: 2px; }
"#;

/// Renders the report as a self-contained HTML page.
pub fn render(report: &Report, lang: Lang) -> String {
    render_with(report, lang, &Thumbnails::default())
}

/// Renders the report as a self-contained HTML page with thumbnails of its series (the file of
/// each series that has one) and of its photos and screenshots, embedded as `data:` PNGs.
pub fn render_with(report: &Report, lang: Lang, thumbnails: &Thumbnails) -> String {
    let mut h = String::with_capacity(16 * 1024);
    let tx = |id: &str| esc(&t(lang, id));
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}{}{}</style>\n</head>\n<body>\n",
        lang.tag(),
        tx("label.title"),
        if report.requests.is_empty() {
            ""
        } else {
            slips::STYLE
        },
        if thumbnails.is_empty() {
            ""
        } else {
            THUMBNAIL_STYLE
        },
    );
    let _ = write!(
        h,
        "<header>\n<h1>{}</h1>\n<p class=\"sub\">{}</p>\n<p class=\"meta\">{}</p>\n</header>\n",
        tx("label.title"),
        tx("label.subtitle"),
        esc(&message(
            lang,
            "label.generated",
            &vals(json!({ "generated_by": report.generated_by }))
        )),
    );
    summary(&mut h, report, lang);
    next_steps(&mut h, report, lang);
    limits(&mut h, report, lang);
    studies(&mut h, report, lang, thumbnails);
    findings(&mut h, report, lang);
    checklist(&mut h, report, lang);
    written(&mut h, report, lang);
    file_list(&mut h, report, lang, thumbnails);
    technical(&mut h, report, lang);
    requests(&mut h, report, lang);
    h.push_str("</body>\n</html>\n");
    h
}

fn summary(h: &mut String, r: &Report, lang: Lang) {
    let level = r.readiness.level.as_str();
    let tx = |id: &str| esc(&t(lang, id));
    let _ = write!(
        h,
        "<section class=\"summary level-{level}\" id=\"summary\">\n\
         <h2>{}</h2>\n\
         <p class=\"level\">{}</p>\n<p>{}</p>\n<dl>\n",
        tx("label.summary"),
        tx(&format!("level.{level}")),
        tx(&format!("level.{level}.explain")),
    );
    if let Some(p) = &r.profile {
        let _ = writeln!(
            h,
            "<p class=\"profile\" data-profile=\"{}\">{}</p>",
            esc(&p.id),
            esc(&message(
                lang,
                "label.profile",
                &vals(json!({ "name": p.name, "id": p.id }))
            )),
        );
    }
    let _ = write!(h, "<dt>{}</dt><dd>", tx("label.patients"));
    let _ = write!(h, "{}", r.patients.len());
    if !r.patients.is_empty() {
        h.push_str("<ul>");
        for (i, p) in r.patients.iter().enumerate() {
            let _ = write!(h, "<li>{}", esc(&patient_line(p, lang)));
            // With more than one person, the evidence of each, so the patient can tell who is who.
            if r.patients.len() > 1 {
                let dates: Vec<String> = r
                    .studies
                    .iter()
                    .filter(|s| s.patient == i)
                    .filter_map(|s| s.date.clone())
                    .collect();
                h.push_str("<ul class=\"facts\">");
                for f in person_facts(p, &dates, lang) {
                    let _ = write!(h, "<li>{}</li>", esc(&f));
                }
                h.push_str("</ul>");
            }
            h.push_str("</li>");
        }
        h.push_str("</ul>");
    }
    h.push_str("</dd>\n");
    let (studies, series, images) = r.imaging_counts();
    let _ = writeln!(
        h,
        "<dt>{}</dt><dd>{}</dd>",
        tx("label.studies"),
        esc(&message(
            lang,
            "label.study-images",
            &vals(json!({ "studies": studies, "series": series, "images": images }))
        )),
    );
    let _ = writeln!(
        h,
        "<dt>{}</dt><dd>{}</dd>",
        tx("label.files"),
        flatten(&r.files).len()
    );
    let _ = write!(h, "<dt>{}</dt><dd>", tx("label.key-findings"));
    let key: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .take(KEY_FINDINGS)
        .collect();
    if key.is_empty() {
        h.push_str(&tx("label.no-key-findings"));
    } else {
        h.push_str("<ul>");
        for f in key {
            let lead = finding_sentences(f, lang).remove(0);
            let _ = write!(
                h,
                "<li><span class=\"badge {0}\">{1}</span>{2}</li>",
                f.severity.as_str(),
                tx(&format!("severity.{}", f.severity.as_str())),
                esc(&lead)
            );
        }
        h.push_str("</ul>");
    }
    h.push_str("</dd>\n");
    let _ = write!(
        h,
        "<dt>{}</dt><dd>{}</dd>\n</dl>\n</section>\n",
        tx("label.review-fit"),
        tx(&format!("fit.{}", r.readiness.review_fit.as_str())),
    );
}

fn next_steps(h: &mut String, r: &Report, lang: Lang) {
    let _ = write!(
        h,
        "<section id=\"next-steps\">\n<h2>{}</h2>\n",
        esc(&t(lang, "label.next-steps"))
    );
    if r.readiness.next_steps.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", esc(&t(lang, "label.no-next-steps")));
    } else {
        h.push_str("<ol class=\"steps\">\n");
        for s in &r.readiness.next_steps {
            if s.optional {
                let _ = writeln!(
                    h,
                    "<li class=\"optional\">{} <span class=\"more\">{}</span></li>",
                    esc(&step_sentence(s, lang)),
                    esc(&t(lang, "label.optional-step"))
                );
            } else {
                let _ = writeln!(h, "<li>{}</li>", esc(&step_sentence(s, lang)));
            }
        }
        h.push_str("</ol>\n");
    }
    h.push_str("</section>\n");
}

/// What a records review can and cannot settle, for the purpose the patient gave.
fn limits(h: &mut String, r: &Report, lang: Lang) {
    let _ = write!(
        h,
        "<section id=\"review-limits\">\n<h2>{}</h2>\n<p>{}</p>\n</section>\n",
        esc(&t(lang, "label.review-limits")),
        esc(&review_limits(r.declarations.purpose, lang)),
    );
}

/// The request slips, each on a page of its own when printed.
fn requests(h: &mut String, r: &Report, lang: Lang) {
    if r.requests.is_empty() {
        return;
    }
    let _ = write!(
        h,
        "<section id=\"requests\">\n<h2>{}</h2>\n<p class=\"meta\">{}</p>\n",
        esc(&t(lang, "label.requests")),
        esc(&t(lang, "label.requests-intro")),
    );
    let english = slips::english_beside(r, lang);
    for request in &r.requests {
        h.push_str(&slips::section(request, english));
    }
    h.push_str("</section>\n");
}

fn opt(s: &Option<String>) -> String {
    s.as_deref().map(esc).unwrap_or_default()
}

fn studies(h: &mut String, r: &Report, lang: Lang, thumbnails: &Thumbnails) {
    let tx = |id: &str| esc(&t(lang, id));
    let _ = write!(
        h,
        "<section id=\"studies\">\n<h2>{}</h2>\n",
        tx("label.studies")
    );
    if r.studies.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", tx("label.no-studies"));
    }
    for (pi, p) in r.patients.iter().enumerate() {
        let studies: Vec<_> = r.studies.iter().filter(|s| s.patient == pi).collect();
        if studies.is_empty() {
            continue;
        }
        let _ = writeln!(
            h,
            "<h3>{}: {}</h3>",
            tx("label.patient"),
            esc(&patient_line(p, lang))
        );
        for s in studies {
            let mut facts: Vec<String> = Vec::new();
            if let Some(d) = &s.date {
                facts.push(fact(lang, "label.date", &display_date(d)));
            }
            if !s.modalities.is_empty() {
                facts.push(fact(lang, "label.modalities", &s.modalities.join(", ")));
            }
            if let Some(d) = &s.description {
                facts.push(fact(lang, "label.description", d));
            }
            if let Some(i) = &s.institution {
                facts.push(fact(lang, "label.institution", i));
            }
            let _ = writeln!(h, "<p class=\"study\">{}</p>", esc(&facts.join(" · ")));
            let _ = write!(
                h,
                "<table class=\"series\">\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
                tx("label.series"),
                tx("label.modalities"),
                tx("label.body-part"),
                tx("label.images"),
                tx("label.series-notes"),
            );
            for x in &s.series {
                let mut notes = Vec::new();
                if x.localizer {
                    notes.push(t(lang, "label.localizer"));
                }
                if x.derived {
                    notes.push(t(lang, "label.derived"));
                }
                if x.lossy {
                    notes.push(t(lang, "label.lossy"));
                }
                let name = series_ref(x.number, x.description.as_deref(), lang);
                let _ = writeln!(
                    h,
                    "<tr><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    thumbnails
                        .first_of(&x.files)
                        .map(|path| thumbnail(thumbnails, path, &name))
                        .unwrap_or_default(),
                    esc(&name),
                    opt(&x.modality),
                    opt(&x.body_part),
                    x.files.len(),
                    esc(&notes.join(", ")),
                );
            }
            h.push_str("</tbody>\n</table>\n");
        }
    }
    if let Some(f) = r
        .findings
        .iter()
        .find(|f| f.code == FindingCode::UnattributedDicom)
    {
        let _ = writeln!(
            h,
            "<p>{}</p>",
            esc(&message(
                lang,
                "label.unattributed",
                &vals(json!({ "count": f.files.len() }))
            ))
        );
    }
    h.push_str("</section>\n");
}

/// A list of paths, at most `shown`, then "and N more".
fn path_list(h: &mut String, paths: &[String], shown: usize, lang: Lang) {
    if paths.is_empty() {
        return;
    }
    h.push_str("<ul class=\"files\">");
    for p in paths.iter().take(shown) {
        let _ = write!(h, "<li class=\"path\">{}</li>", esc(p));
    }
    if paths.len() > shown {
        let _ = write!(
            h,
            "<li class=\"more\">{}</li>",
            esc(&message(
                lang,
                "label.and-more",
                &vals(json!({ "count": paths.len() - shown }))
            ))
        );
    }
    h.push_str("</ul>");
}

fn findings(h: &mut String, r: &Report, lang: Lang) {
    let _ = write!(
        h,
        "<section id=\"findings\">\n<h2>{}</h2>\n",
        esc(&t(lang, "label.findings"))
    );
    if r.findings.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", esc(&t(lang, "label.no-findings")));
    }
    for f in &r.findings {
        let severity = f.severity.as_str();
        let _ = write!(
            h,
            "<div class=\"finding {severity}\" data-code=\"{}\"><p><span class=\"badge {severity}\">{}</span>",
            esc(f.code.as_str()),
            esc(&t(lang, &format!("severity.{severity}"))),
        );
        let sep = if lang == Lang::Zh { "" } else { " " };
        let sentences: Vec<String> = finding_sentences(f, lang).iter().map(|s| esc(s)).collect();
        h.push_str(&sentences.join(sep));
        h.push_str("</p>");
        path_list(h, &f.files, FILES_SHOWN, lang);
        h.push_str("</div>\n");
    }
    h.push_str("</section>\n");
}

/// The host profile's extra items, with the profile's own texts in `lang`.
fn extra_items(h: &mut String, r: &Report, lang: Lang) {
    let extra = &r.readiness.extra_items;
    if extra.is_empty() {
        return;
    }
    let tx = |id: &str| esc(&t(lang, id));
    let _ = write!(
        h,
        "<h3>{}</h3>\n<table class=\"checklist\">\n<tbody>\n",
        tx("label.extra-items")
    );
    for x in extra {
        let status = x.status.as_str();
        let _ = write!(
            h,
            "<tr data-extra-item=\"{}\"><td><strong>{}</strong></td><td><span class=\"badge {status}\">{}</span></td><td>{}",
            esc(&x.id),
            esc(x.title.get(lang)),
            tx(&format!("status.{status}")),
            esc(x.description.get(lang)),
        );
        if !x.required {
            let _ = write!(h, "<div class=\"more\">{}</div>", tx("label.optional"));
        }
        h.push_str("</td></tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");
}

fn checklist(h: &mut String, r: &Report, lang: Lang) {
    let tx = |id: &str| esc(&t(lang, id));
    let _ = write!(
        h,
        "<section id=\"checklist\">\n<h2>{}</h2>\n<table class=\"checklist\">\n\
         <thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
        tx("label.checklist"),
        tx("label.item"),
        tx("label.status"),
        tx("label.impact"),
        tx("label.details"),
    );
    for item in &r.readiness.items {
        let status = item.status.as_str();
        let _ = write!(
            h,
            "<tr data-item=\"{}\"><td><strong>{}</strong></td><td><span class=\"badge {status}\">{}</span></td><td>{}</td><td>{}",
            esc(item.id.as_str()),
            esc(&item_name(item.id, lang)),
            tx(&format!("status.{status}")),
            tx(&format!("impact.{}", item.impact.as_str())),
            esc(&item_sentence(item, lang)),
        );
        let said: Vec<String> = item
            .evidence
            .iter()
            .filter(|e| matches!(e, Evidence::Declared(_)))
            .map(|e| evidence_text(e, lang))
            .collect();
        let files: Vec<String> = item
            .evidence
            .iter()
            .filter_map(|e| match e {
                Evidence::File(path) => Some(path.clone()),
                Evidence::Declared(_) => None,
            })
            .collect();
        let show_files = !files.is_empty() && item.status != Status::NotNeeded;
        if item.optional {
            let _ = write!(h, "<div class=\"more\">{}</div>", tx("label.optional"));
        }
        if !said.is_empty() || show_files {
            let _ = write!(h, "<div class=\"more\">{}:", tx("label.evidence"));
            if !said.is_empty() {
                let _ = write!(h, " {}", esc(&said.join("; ")));
            }
            h.push_str("</div>");
            if show_files {
                path_list(h, &files, EVIDENCE_SHOWN, lang);
            }
        }
        h.push_str("</td></tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");
    extra_items(h, r, lang);
    let d = &r.declarations;
    let unsaid = || t(lang, "label.not-said");
    let told = [
        fact(
            lang,
            "label.cancer-case",
            &t(lang, &format!("answer.{}", d.cancer.as_str())),
        ),
        fact(
            lang,
            "label.slides",
            &d.slides
                .map_or_else(unsaid, |s| t(lang, &format!("slides.{s}"))),
        ),
        fact(
            lang,
            "label.translation",
            &d.translation
                .map_or_else(unsaid, |x| t(lang, &format!("translation.{}", x.as_str()))),
        ),
        fact(
            lang,
            "label.purpose",
            &d.purpose
                .map_or_else(unsaid, |p| t(lang, &format!("purpose.{p}"))),
        ),
    ];
    let _ = writeln!(
        h,
        "<p class=\"meta\"><strong>{}</strong> {}</p>",
        esc(&fact(lang, "label.you-told-us", "")),
        esc(&told.join(" · ")),
    );
    h.push_str("</section>\n");
}

fn written(h: &mut String, r: &Report, lang: Lang) {
    let tx = |id: &str| esc(&t(lang, id));
    let d = &r.declarations;
    let _ = write!(
        h,
        "<section id=\"timeline\">\n<h2>{}</h2>\n",
        tx("label.timeline")
    );
    if d.timeline.trim().is_empty() {
        let _ = writeln!(h, "<p>{}</p>", tx("label.not-written"));
    } else {
        let _ = writeln!(h, "<div class=\"written\">{}</div>", esc(d.timeline.trim()));
    }
    let _ = write!(
        h,
        "</section>\n<section id=\"questions\">\n<h2>{}</h2>\n",
        tx("label.questions")
    );
    let questions: Vec<&str> = d
        .questions
        .iter()
        .map(|q| q.trim())
        .filter(|q| !q.is_empty())
        .collect();
    if questions.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", tx("label.not-written"));
    } else {
        h.push_str("<ol class=\"questions\">\n");
        for q in &questions {
            let _ = writeln!(h, "<li>{}</li>", esc(q));
        }
        h.push_str("</ol>\n");
    }
    // Examples that fit the purpose, while the questions are not yet all written.
    if let Some(p) = d.purpose.filter(|_| questions.len() < 3) {
        let _ = write!(
            h,
            "<p class=\"meta\">{}</p>\n<ul class=\"examples\">\n",
            tx("label.purpose-examples")
        );
        for q in purpose_examples(p, lang) {
            let _ = writeln!(h, "<li>{}</li>", esc(&q));
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</section>\n");
}

/// An `<img>` of the thumbnail of `path` (which has one), described by `alt`.
fn thumbnail(thumbnails: &Thumbnails, path: &str, alt: &str) -> String {
    thumbnails
        .data_url(path)
        .map(|url| format!("<img class=\"thumb\" src=\"{url}\" alt=\"{}\">", esc(alt)))
        .unwrap_or_default()
}

fn file_list(h: &mut String, r: &Report, lang: Lang, thumbnails: &Thumbnails) {
    let tx = |id: &str| esc(&t(lang, id));
    let _ = write!(
        h,
        "<section id=\"files\">\n<h2>{}</h2>\n",
        tx("label.file-list")
    );
    let total = flatten(&r.files).len();
    if total == 0 {
        let _ = writeln!(h, "<p>{}</p>", tx("label.no-files"));
        h.push_str("</section>\n");
        return;
    }
    let _ = write!(
        h,
        "<table class=\"file-list\">\n<thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
        tx("label.path"),
        tx("label.kind"),
        tx("label.reason"),
    );
    struct Rows<'a> {
        count: usize,
        r: &'a Report,
        lang: Lang,
        thumbnails: &'a Thumbnails,
    }
    fn row(h: &mut String, e: &FileEntry, depth: usize, rows: &mut Rows) {
        let (r, lang) = (rows.r, rows.lang);
        if rows.count >= FILE_ROWS {
            return;
        }
        rows.count += 1;
        // Zip members show their path inside the zip, indented under it.
        let shown = match e.path.rfind("!/") {
            Some(i) if depth > 0 => &e.path[i + 2..],
            _ => e.path.as_str(),
        };
        let mut kind = t(lang, &format!("kind.{}", e.kind.as_str()));
        if let Some(c) = r.readiness.document_categories.get(&e.path) {
            kind = format!("{kind} · {}", t(lang, &format!("category.{}", c.as_str())));
        }
        // A document read says what it is ("Pathology report: …") rather than how it was found.
        let mut reason = match &e.document {
            Some(d) => document_line(d, e.text_not_read(), lang),
            None => e.reason_text(lang),
        };
        if let Some(err) = e.error_text(lang) {
            reason = message(
                lang,
                "label.fact",
                &vals(json!({ "label": reason, "value": err })),
            );
        }
        // A photo or screenshot shows its thumbnail (a series' shows in the studies).
        let picture = match e.kind {
            FileKind::Photo | FileKind::Screenshot => thumbnail(rows.thumbnails, &e.path, shown),
            _ => String::new(),
        };
        let _ = writeln!(
            h,
            "<tr class=\"depth-{}\"><td class=\"path\">{}{}</td><td>{picture}{}</td><td>{}</td></tr>",
            depth.min(3),
            if depth > 0 { "↳ " } else { "" },
            esc(shown),
            esc(&kind),
            esc(&reason),
        );
        for m in e.members.iter().flatten() {
            row(h, m, depth + 1, rows);
        }
    }
    let mut rows = Rows {
        count: 0,
        r,
        lang,
        thumbnails,
    };
    for e in &r.files {
        row(h, e, 0, &mut rows);
    }
    let rows = rows.count;
    h.push_str("</tbody>\n</table>\n");
    if total > rows {
        let _ = writeln!(
            h,
            "<p class=\"more\">{}</p>",
            esc(&message(
                lang,
                "label.file-list-capped",
                &vals(json!({ "shown": rows, "total": total }))
            ))
        );
    }
    h.push_str("</section>\n");
}

/// A two-column table of values and how many files have them.
fn count_table(h: &mut String, title: &str, counts: &BTreeMap<String, usize>, lang: Lang) {
    if counts.is_empty() {
        return;
    }
    let _ = write!(
        h,
        "<h3>{}</h3>\n<table>\n<thead><tr><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
        esc(title),
        esc(&t(lang, "label.value")),
        esc(&t(lang, "label.count")),
    );
    for (value, n) in counts {
        let _ = writeln!(h, "<tr><td>{}</td><td>{n}</td></tr>", esc(value));
    }
    h.push_str("</tbody>\n</table>\n");
}

fn technical(h: &mut String, r: &Report, lang: Lang) {
    let tx = |id: &str| esc(&t(lang, id));
    let _ = write!(
        h,
        "<section id=\"technical\" class=\"technical\">\n<h2>{}</h2>\n<p class=\"meta\">{}</p>\n",
        tx("label.technical"),
        tx("label.technical-intro"),
    );
    let all = flatten(&r.files);
    let mut classes = BTreeMap::new();
    let mut syntaxes = BTreeMap::new();
    let mut charsets = BTreeMap::new();
    let mut equipment = BTreeMap::new();
    let mut notes = BTreeMap::new();
    let mut legacy = Vec::new();
    for e in &all {
        let Some(d) = &e.dicom else { continue };
        let class = match (&d.sop_class_name, &d.sop_class_uid) {
            (Some(name), Some(uid)) => format!("{name} ({uid})"),
            (None, Some(uid)) => uid.clone(),
            (Some(name), None) => name.clone(),
            (None, None) => "?".to_string(),
        };
        *classes.entry(class).or_insert(0) += 1;
        if let Some(ts) = d
            .transfer_syntax
            .as_ref()
            .or(d.transfer_syntax_name.as_ref())
        {
            let mut label = match &d.transfer_syntax_name {
                Some(name) if name != ts => format!("{name} ({ts})"),
                _ => ts.clone(),
            };
            if d.lossy {
                label = format!("{label} · {}", t(lang, "label.lossy"));
            }
            if d.transfer_syntax_inferred {
                label = format!("{label} · {}", t(lang, "label.inferred"));
            }
            *syntaxes.entry(label).or_insert(0) += 1;
        }
        let charset = d
            .charset
            .clone()
            .unwrap_or_else(|| t(lang, "label.charset-absent"));
        *charsets.entry(charset).or_insert(0) += 1;
        let maker: Vec<&str> = [&d.manufacturer, &d.model]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        if !maker.is_empty() {
            *equipment.entry(maker.join(" ")).or_insert(0) += 1;
        }
        let note = match &d.charset_note_message {
            Some(m) => Some(m.text(lang)),
            None => d.charset_note.clone(),
        };
        if let Some(note) = note {
            notes.insert(e.path.clone(), note);
        }
        if !d.has_preamble || !d.has_file_meta {
            legacy.push(e.path.clone());
        }
    }
    count_table(h, &t(lang, "label.sop-classes"), &classes, lang);
    count_table(h, &t(lang, "label.transfer-syntaxes"), &syntaxes, lang);
    count_table(h, &t(lang, "label.charsets"), &charsets, lang);
    count_table(h, &t(lang, "label.equipment"), &equipment, lang);
    if !notes.is_empty() {
        let _ = write!(h, "<h3>{}</h3>\n<ul>\n", tx("label.charset-notes"));
        for (path, note) in &notes {
            let _ = writeln!(
                h,
                "<li><span class=\"path\">{}</span>: {}</li>",
                esc(path),
                esc(note)
            );
        }
        h.push_str("</ul>\n");
    }
    if !legacy.is_empty() {
        let _ = writeln!(h, "<h3>{}</h3>", tx("label.legacy"));
        path_list(h, &legacy, FILES_SHOWN, lang);
    }
    let missing: Vec<String> = r
        .findings
        .iter()
        .filter(|f| f.code == FindingCode::DicomdirMissingFiles)
        .filter_map(|f| f.values.get("examples")?.as_array().cloned())
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    if !missing.is_empty() {
        let _ = writeln!(h, "<h3>{}</h3>", tx("label.dicomdir-missing"));
        path_list(h, &missing, FILES_SHOWN, lang);
    }
    let _ = writeln!(
        h,
        "<p class=\"meta\">{}</p>",
        esc(&message(
            lang,
            "label.report-format",
            &vals(json!({ "schema_version": r.schema_version }))
        ))
    );
    h.push_str("</section>\n");
}
