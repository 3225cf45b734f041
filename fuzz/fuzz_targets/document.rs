//! Document text (PDF, DOCX, plain text) on arbitrary bytes: the first byte picks the format
//! and whether a PDF header or zip signature is put in front, so that the PDF parser and the
//! DOCX reader, not only their first checks, see the rest. Small limits keep each run short
//! and make the limit paths reachable.
#![no_main]
use libfuzzer_sys::fuzz_target;
use record_precheck::document::{read_text, DocumentKind};
use record_precheck::Limits;

fuzz_target!(|data: &[u8]| {
    let Some((pick, rest)) = data.split_first() else { return };
    let (kind, magic): (DocumentKind, &[u8]) = match pick % 5 {
        0 => (DocumentKind::Pdf, b"%PDF-1.7\n"),
        1 => (DocumentKind::Pdf, b""),
        2 => (DocumentKind::Docx, b"PK\x03\x04"),
        3 => (DocumentKind::Docx, b""),
        _ => (DocumentKind::PlainText, b""),
    };
    let mut file = magic.to_vec();
    file.extend_from_slice(rest);
    let limits = Limits {
        max_stream_bytes: 4 << 20,
        max_document_inflated: 16 << 20,
        max_pages: 50,
        max_text_chars: 100_000,
        ..Limits::default()
    };
    if let Ok(text) = read_text(kind, &file, &limits) {
        assert!(text.text.chars().count() <= limits.max_text_chars);
    }
});
