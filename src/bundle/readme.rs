//! The files the bundle writes for people: `README.txt` (English, then Chinese: what is inside
//! and how to open it), `timeline.md` and `questions.md` (what the patient wrote). The words are
//! the catalogue's `bundle.*` texts; here is only the layout: the column of the contents list,
//! the order, CRLF line ends and a byte-order mark for `README.txt`, Markdown for the other two.

use super::manifest::Consent;
use crate::readiness::Declarations;
use crate::text::{msg, t, Lang};

/// What the README says about the contents.
#[derive(Debug, Clone, Default)]
pub(crate) struct Contents {
    pub generated_by: String,
    pub created: Option<String>,
    /// The patient's consent to send it abroad, when it was made for that.
    pub consent: Option<Consent>,
    pub inputs: usize,
    pub copied: usize,
    pub left_out: usize,
    pub unpacked: usize,
    /// Top-level folders that hold at least one file.
    pub folders: Vec<&'static str>,
    /// `documents/` holds pictures of documents (their metadata is scrubbed like the photos').
    pub document_pictures: bool,
    /// The imaging is de-identified and people are named by pseudonyms.
    pub deidentified: bool,
    /// The request slips written (`requests/*.html`).
    pub requests: usize,
}

/// The top-level folders, in the order the README explains them, with the id of the
/// explanation.
pub(crate) const FOLDERS: [(&str, &str); 7] = [
    ("imaging", "bundle.folder.imaging"),
    ("documents", "bundle.folder.documents"),
    (
        "photos-and-screenshots",
        "bundle.folder.photos-and-screenshots",
    ),
    ("slides", "bundle.folder.slides"),
    ("other", "bundle.folder.other"),
    ("unreadable", "bundle.folder.unreadable"),
    ("not-checked", "bundle.folder.not-checked"),
];

/// The files at the top of the bundle, with the id of what the README says about them.
const FILES: [(&str, &str); 4] = [
    ("report.html", "bundle.readme.report-html"),
    ("report.json", "bundle.readme.report-json"),
    ("timeline.md", "bundle.readme.timeline"),
    ("questions.md", "bundle.readme.questions"),
];

/// A text's lines, each ended with CRLF.
fn lines(text: &str) -> String {
    text.lines().map(|line| format!("{line}\r\n")).collect()
}

/// A line of the contents list: the name in a column of 25, then what it is; further lines of
/// the text start under the first.
fn entry(name: &str, text: &str) -> String {
    text.lines()
        .enumerate()
        .map(|(i, line)| format!("  {:<25}{line}\r\n", if i == 0 { name } else { "" }))
        .collect()
}

/// The README in one language.
fn section(c: &Contents, lang: Lang) -> String {
    let generated_by = c.generated_by.as_str();
    let made_by = match c.created.as_deref() {
        Some(created) => msg!(
            "bundle.readme.made-by-on",
            generated_by = generated_by,
            created = created
        ),
        None => msg!("bundle.readme.made-by", generated_by = generated_by),
    };
    let counts = if c.unpacked > 0 {
        msg!(
            "bundle.readme.counts-unpacked",
            inputs = c.inputs,
            copied = c.copied,
            left_out = c.left_out,
            unpacked = c.unpacked
        )
    } else {
        msg!(
            "bundle.readme.counts",
            inputs = c.inputs,
            copied = c.copied,
            left_out = c.left_out
        )
    };
    let mut s = lines(&t(lang, "bundle.readme.title"));
    s += &lines(&made_by.text(lang));
    if let Some(c) = &c.consent {
        let sent = msg!(
            "bundle.readme.consent",
            recipient = c.recipient.as_str(),
            destination_host = c.destination_host.as_str(),
            country = c.country.as_str(),
            purpose = c.purpose.as_str(),
            given_at = c.given_at.as_str()
        );
        s += &lines(&sent.text(lang));
    }
    s += "\r\n";
    s += &lines(&t(lang, "bundle.readme.inside"));
    for (name, id) in FILES {
        s += &entry(name, &t(lang, id));
    }
    if c.requests > 0 {
        s += &entry("requests/", &t(lang, "bundle.readme.requests"));
    }
    for (folder, id) in FOLDERS.iter().filter(|(f, _)| c.folders.contains(f)) {
        let mut text = t(lang, id);
        if *folder == "documents" && c.document_pictures {
            text = format!("{text}\n{}", t(lang, "bundle.folder.documents-pictures"));
        }
        s += &entry(&format!("{folder}/"), &text);
    }
    s += &entry("manifest.csv, .json", &t(lang, "bundle.readme.manifest"));
    s += "\r\n";
    s += &lines(&counts.text(lang));
    s += &lines(&t(lang, "bundle.readme.left-out"));
    s += "\r\n";
    if c.deidentified {
        s += &lines(&t(lang, "bundle.readme.deidentified"));
        s += &lines(&t(lang, "bundle.readme.deidentified.how"));
        s += "\r\n";
    }
    s += &lines(&t(lang, "bundle.readme.open-images"));
    s += &lines(&t(lang, "bundle.readme.open-images.how"));
    s += "\r\n";
    s += &lines(&t(lang, "bundle.readme.check"));
    s += &lines(&t(lang, "bundle.readme.check.how"));
    s
}

/// `README.txt`: English, then Chinese after a blank line; CRLF line ends and a byte-order mark
/// so that Windows Notepad shows it right.
pub(crate) fn readme_txt(c: &Contents) -> String {
    format!(
        "\u{feff}{}\r\n{}",
        section(c, Lang::En),
        section(c, Lang::Zh)
    )
}

/// `timeline.md`: the patient's timeline as written.
pub(crate) fn timeline(d: &Declarations, lang: Lang) -> String {
    let title = t(lang, "bundle.timeline.title");
    let body = d.timeline.trim();
    let body = if body.is_empty() {
        format!("_{}_", t(lang, "bundle.timeline.none"))
    } else {
        body.to_string()
    };
    format!("# {title}\n\n{body}\n")
}

/// `questions.md`: the patient's questions, numbered.
pub(crate) fn questions(d: &Declarations, lang: Lang) -> String {
    let qs: Vec<&str> = d
        .questions
        .iter()
        .map(|q| q.trim())
        .filter(|q| !q.is_empty())
        .collect();
    let mut s = format!("# {}\n\n", t(lang, "bundle.questions.title"));
    if qs.is_empty() {
        s.push_str(&format!("_{}_\n", t(lang, "bundle.questions.none")));
    }
    for (i, q) in qs.iter().enumerate() {
        // A question over several lines stays one list item.
        s.push_str(&format!("{}. {}\n", i + 1, q.replace('\n', "\n   ")));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readme_lists_only_folders_present_in_both_languages() {
        let c = Contents {
            generated_by: "record-precheck 0.1.0".into(),
            created: Some("2026-11-27T10:00:00Z".into()),
            consent: None,
            inputs: 5,
            copied: 3,
            left_out: 2,
            unpacked: 1,
            folders: vec!["imaging", "documents"],
            document_pictures: false,
            deidentified: false,
            requests: 0,
        };
        let r = readme_txt(&c);
        assert!(r.contains("imaging/") && r.contains("documents/"));
        assert!(!r.contains("GPS"), "no pictures, no word of their metadata");
        let with_pictures = readme_txt(&Contents {
            document_pictures: true,
            ..c.clone()
        });
        assert!(with_pictures.contains("Photos of documents are here too"));
        assert!(with_pictures.contains("文档的照片也在这里"));
        assert!(!r.contains("slides/"));
        assert!(r.contains("5 files were given: 3 are in this bundle and 2 were left out"));
        assert!(r.contains("共提供 5 个文件"));
        assert!(r.contains("1 zip archive(s) were unpacked"));
        assert!(!r.contains("DE-IDENTIFIED"));
        let r = readme_txt(&Contents {
            deidentified: true,
            ..c
        });
        assert!(r.contains("DE-IDENTIFIED") && r.contains("NOT de-identified"));
        assert!(r.contains("已去标识化"));
    }

    #[test]
    fn questions_are_numbered() {
        let d = Declarations {
            questions: vec![
                "Is surgery an option?".into(),
                " ".into(),
                "Why?\nReally".into(),
            ],
            ..Declarations::default()
        };
        assert_eq!(
            questions(&d, Lang::En),
            "# Questions for the reviewer (as the patient wrote them)\n\n1. Is surgery an option?\n2. Why?\n   Really\n"
        );
        assert!(timeline(&d, Lang::Zh).contains("尚未填写时间线"));
    }
}
