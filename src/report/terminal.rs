//! The report as plain terminal text for the CLI, in English or Simplified Chinese: the summary
//! and the findings first, then what to do next and the checklist. Owns that layout only; the
//! sentences come from [`super::sentences`] and [`crate::text`]. Text from files or the patient has its control
//! characters replaced, so a file name cannot send escape sequences to the terminal.

use std::fmt::Write;

use serde_json::json;

use super::sentences::{finding_text, item_name, item_sentence, patient_line, step_sentence};
use super::Report;
use crate::case::flatten;
use crate::text::{display_date, fact, join, message, t, vals, Lang};

/// Paths shown per finding before "and N more".
const FILES_SHOWN: usize = 5;

/// Replaces control characters (escape sequences included) with U+FFFD.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
}

/// Renders the report as terminal text. The CLI prints the file table after it.
pub fn render(report: &Report, lang: Lang) -> String {
    let mut o = String::new();
    let level = report.readiness.level.as_str();
    let _ = writeln!(o, "{} ({})", t(lang, "label.title"), report.generated_by);
    let _ = writeln!(o);
    let _ = writeln!(o, "== {} ==", t(lang, &format!("level.{level}")));
    let _ = writeln!(o, "{}", t(lang, &format!("level.{level}.explain")));
    if let Some(p) = &report.profile {
        let line = message(
            lang,
            "label.profile",
            &vals(json!({ "name": p.name, "id": p.id })),
        );
        let _ = writeln!(o, "{}", clean(&line));
    }
    let _ = writeln!(o);

    let count = report.patients.len().to_string();
    let _ = writeln!(o, "{}", fact(lang, "label.patients", &count));
    for p in &report.patients {
        let _ = writeln!(o, "  - {}", clean(&patient_line(p, lang)));
    }
    let (studies, series, images) = report.imaging_counts();
    let counts = message(
        lang,
        "label.study-images",
        &vals(json!({ "studies": studies, "series": series, "images": images })),
    );
    let _ = writeln!(o, "{}", fact(lang, "label.studies", &counts));
    for s in &report.studies {
        let parts: Vec<String> = [
            s.date.as_deref().map(display_date),
            Some(s.modalities.join("/")).filter(|m| !m.is_empty()),
            s.description.clone(),
            s.institution.clone(),
        ]
        .into_iter()
        .flatten()
        .collect();
        let counts = message(
            lang,
            "label.series-images",
            &vals(json!({ "images": s.image_count, "series": s.image_series })),
        );
        let _ = writeln!(o, "  - {} · {}", clean(&parts.join(" · ")), counts);
    }
    let files = flatten(&report.files).len().to_string();
    let _ = writeln!(o, "{}", fact(lang, "label.files", &files));
    let fit = t(
        lang,
        &format!("fit.{}", report.readiness.review_fit.as_str()),
    );
    let _ = writeln!(o, "{}", fact(lang, "label.review-fit", &fit));

    let _ = writeln!(o, "\n{}", t(lang, "label.findings"));
    if report.findings.is_empty() {
        let _ = writeln!(o, "  {}", t(lang, "label.no-findings"));
    }
    for f in &report.findings {
        let severity = t(lang, &format!("severity.{}", f.severity.as_str()));
        let _ = writeln!(o, "  [{severity}] {}", clean(&finding_text(f, lang)));
        if !f.files.is_empty() {
            let mut shown: Vec<String> =
                f.files.iter().take(FILES_SHOWN).map(|p| clean(p)).collect();
            if f.files.len() > FILES_SHOWN {
                shown.push(message(
                    lang,
                    "label.and-more",
                    &vals(json!({ "count": f.files.len() - FILES_SHOWN })),
                ));
            }
            let shown = join(lang, &shown);
            let _ = writeln!(o, "      {}", fact(lang, "label.files-involved", &shown));
        }
    }

    let _ = writeln!(o, "\n{}", t(lang, "label.next-steps"));
    if report.readiness.next_steps.is_empty() {
        let _ = writeln!(o, "  {}", t(lang, "label.no-next-steps"));
    }
    for (i, s) in report.readiness.next_steps.iter().enumerate() {
        let _ = writeln!(o, "  {}. {}", i + 1, step_sentence(s, lang));
        if s.optional {
            let _ = writeln!(o, "      {}", t(lang, "label.optional-step"));
        }
    }

    let _ = writeln!(o, "\n{}", t(lang, "label.checklist"));
    for item in &report.readiness.items {
        let line = message(
            lang,
            "label.with-facts",
            &vals(json!({
                "name": item_name(item.id, lang),
                "facts": t(lang, &format!("impact.{}", item.impact.as_str())),
            })),
        );
        let status = t(lang, &format!("status.{}", item.status.as_str()));
        let _ = writeln!(o, "  [{status}] {line}");
        let _ = writeln!(o, "      {}", item_sentence(item, lang));
        if item.optional {
            let _ = writeln!(o, "      {}", t(lang, "label.optional"));
        }
    }
    if !report.readiness.extra_items.is_empty() {
        let _ = writeln!(o, "\n{}", t(lang, "label.extra-items"));
    }
    for x in &report.readiness.extra_items {
        let status = t(lang, &format!("status.{}", x.status.as_str()));
        let _ = writeln!(o, "  [{status}] {}", clean(x.title.get(lang)));
        let _ = writeln!(o, "      {}", clean(x.description.get(lang)));
        if !x.required {
            let _ = writeln!(o, "      {}", t(lang, "label.optional"));
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_cannot_reach_the_terminal() {
        assert_eq!(clean("a\u{1b}[31mb\n"), "a\u{FFFD}[31mb\u{FFFD}");
    }
}
