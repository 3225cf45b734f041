//! The text of a DOCX: `word/document.xml` out of the zip (the `zip` crate the scan already
//! uses), read with `quick-xml` (a pull parser: no tree is built, memory stays the size of the
//! inflated part, itself at most [`Limits::max_stream_bytes`]).
//!
//! WordprocessingML (ECMA-376 part 1, 17.3): each paragraph `w:p` is a line; the text is in
//! runs' `w:t` (and `w:delText` is left out, as deleted text); `w:tab` is a tab, `w:br` and
//! `w:cr` a line break; in a table a cell `w:tc` ends with a tab and a row `w:tr` with a line,
//! so a row reads across like on the page. Headers, footers and footnotes (other parts) are not
//! read: the body is where a document's content is.

use std::io::{Cursor, Read, Seek};

use quick_xml::events::Event;
use quick_xml::Reader;

use super::{mib_text, DocumentText, TextSource};
use crate::text::{msg, Message};
use crate::Limits;

const BODY: &str = "word/document.xml";

pub(super) fn read(bytes: &[u8], limits: &Limits) -> Result<DocumentText, Message> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad(e.to_string()))?;
    read_archive(&mut zip, limits)
}

fn bad(detail: String) -> Message {
    msg!("error.document.docx", detail = detail)
}

/// The text of a DOCX whose zip directory is open: only `word/document.xml` is read (the scan
/// opens the directory once, to recognise the file, and reads the body from there).
pub(super) fn read_archive<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    limits: &Limits,
) -> Result<DocumentText, Message> {
    let part = zip.by_name(BODY).map_err(|e| bad(format!("{BODY}: {e}")))?;
    let cap = limits.max_stream_bytes as u64;
    if part.size() > cap {
        return Err(bad(format!(
            "{BODY} inflates to {}, more than {}",
            mib_text(part.size()),
            mib_text(cap)
        )));
    }
    let mut xml = Vec::new();
    // The declared size may lie: never read past the cap whatever it says.
    part.take(cap + 1)
        .read_to_end(&mut xml)
        .map_err(|e| bad(format!("{BODY}: {e}")))?;
    if xml.len() as u64 > cap {
        return Err(bad(format!(
            "{BODY} inflates to more than {}",
            mib_text(cap)
        )));
    }
    let xml = String::from_utf8_lossy(&xml);
    let text = body_text(&xml, limits.max_text_chars).map_err(bad)?;
    Ok(DocumentText {
        text,
        source: TextSource::TextLayer,
        pages: None,
        notes: Vec::new(),
    })
}

/// The paragraphs of a WordprocessingML body as lines; stops once past `max_chars` (the caller
/// cuts exactly).
fn body_text(xml: &str, max_chars: usize) -> Result<String, String> {
    let mut reader = Reader::from_str(xml);
    let mut out = String::new();
    let mut in_text = false;
    // Open table cells: a paragraph inside one ends with a space, not a line.
    let mut cells = 0usize;
    loop {
        if out.len() > max_chars.saturating_mul(4) {
            break;
        }
        match reader.read_event().map_err(|e| format!("{BODY}: {e}"))? {
            Event::Start(e) => {
                let name = e.local_name();
                in_text = name.as_ref() == "t";
                if name.as_ref() == "tc" {
                    cells += 1;
                }
            }
            Event::Empty(e) => match e.local_name().as_ref() {
                "tab" => out.push('\t'),
                "br" | "cr" => out.push('\n'),
                _ => {}
            },
            Event::End(e) => {
                match e.local_name().as_ref() {
                    "p" if cells > 0 && !out.ends_with(['\n', '\t', ' ']) => out.push(' '),
                    "p" if cells > 0 => {}
                    "p" => end_line(&mut out),
                    "tc" => {
                        cells = cells.saturating_sub(1);
                        trim_line_end(&mut out);
                        out.push('\t');
                    }
                    "tr" => end_line(&mut out),
                    _ => {}
                }
                in_text = false;
            }
            Event::Text(t) if in_text => out.push_str(&t.xml10_content()),
            Event::CData(t) if in_text => out.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    out.push(c);
                } else {
                    out.push_str(match r.as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    });
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out.trim_end().to_owned())
}

/// Ends a line, once: a cell's paragraph followed by the cell's and the row's end make one.
fn end_line(out: &mut String) {
    trim_line_end(out);
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

fn trim_line_end(out: &mut String) {
    let keep = out.trim_end_matches([' ', '\t']).len();
    out.truncate(keep);
}

#[cfg(test)]
mod tests {
    use super::*;

    const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    #[test]
    fn paragraphs_runs_and_tables() {
        let xml = format!(
            r#"<w:document {NS}><w:body>
            <w:p><w:r><w:t>RE: LI,</w:t></w:r><w:r><w:t xml:space="preserve"> Xiuying &amp; co</w:t></w:r></w:p>
            <w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:delText>gone</w:delText></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>CEA</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>3.2</w:t></w:r></w:p></w:tc></w:tr>
            <w:tr><w:tc><w:p><w:r><w:t>AFP</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>&#x4E2D;</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
            </w:body></w:document>"#
        );
        assert_eq!(
            body_text(&xml, 1000).unwrap(),
            "RE: LI, Xiuying & co\na\tb\nc\nCEA\t3.2\nAFP\t中"
        );
    }

    #[test]
    fn bad_input_is_an_error() {
        let limits = Limits::default();
        let err = read(b"PK\x03\x04 not really", &limits).unwrap_err();
        assert_eq!(err.id, "error.document.docx");
        assert!(body_text("<w:p><w:t>a</w:x>", 100).is_err());
    }
}
