//! Documents on arbitrary bytes: the first byte picks the way in, and whether a PDF header, a
//! zip signature or a DICOM file start is put in front, so that the readers, not only their
//! first checks, see the rest. Small limits keep each run short and make the limit paths
//! reachable.
//! - `read_text` of a PDF, DOCX or text file (the readers alone);
//! - the scan (`scan_bytes`, text kept) of a DOCX, a text file, and DICOM objects that carry a
//!   report: an Encapsulated PDF whose document is the rest, and a Structured Report whose data
//!   set is the rest (the content tree reader).
#![no_main]
use libfuzzer_sys::fuzz_target;
use record_precheck::document::{read_text, DocumentKind};
use record_precheck::{scan_bytes, Limits};

/// An explicit VR little endian element with a 2-byte length.
fn element(out: &mut Vec<u8>, group: u16, elem: u16, vr: &[u8; 2], value: &[u8]) {
    out.extend_from_slice(&group.to_le_bytes());
    out.extend_from_slice(&elem.to_le_bytes());
    out.extend_from_slice(vr);
    out.extend_from_slice(&(value.len() as u16).to_le_bytes());
    out.extend_from_slice(value);
}

/// Preamble, `DICM` and a file meta group for `class` in explicit VR little endian.
fn dicom_start(class: &[u8]) -> Vec<u8> {
    let mut meta = Vec::new();
    element(&mut meta, 0x0002, 0x0002, b"UI", class);
    element(&mut meta, 0x0002, 0x0003, b"UI", b"1.2.3.4\0");
    element(&mut meta, 0x0002, 0x0010, b"UI", b"1.2.840.10008.1.2.1\0");
    let mut file = vec![0u8; 128];
    file.extend_from_slice(b"DICM");
    file.extend_from_slice(&[0x02, 0x00, 0x00, 0x00, b'U', b'L', 4, 0]);
    file.extend_from_slice(&(meta.len() as u32).to_le_bytes());
    file.extend_from_slice(&meta);
    file
}

fuzz_target!(|data: &[u8]| {
    let Some((pick, rest)) = data.split_first() else {
        return;
    };
    let limits = Limits {
        max_stream_bytes: 4 << 20,
        max_document_inflated: 16 << 20,
        max_pages: 50,
        max_text_chars: 100_000,
        max_sr_items: 1_000,
        keep_document_text: true,
        ..Limits::default()
    };
    let read = |kind: DocumentKind, magic: &[u8]| {
        let file = [magic, rest].concat();
        if let Ok(text) = read_text(kind, &file, &limits) {
            assert!(text.text.chars().count() <= limits.max_text_chars);
        }
    };
    let scan = |name: &str, file: Vec<u8>| {
        let entry = scan_bytes(name, &file, &limits);
        if let Some(text) = entry.document.and_then(|d| d.text) {
            assert!(text.chars().count() <= limits.max_text_chars);
        }
    };
    match pick % 9 {
        0 => read(DocumentKind::Pdf, b"%PDF-1.7\n"),
        1 => read(DocumentKind::Pdf, b""),
        2 => read(DocumentKind::Docx, b"PK\x03\x04"),
        3 => read(DocumentKind::Docx, b""),
        4 => read(DocumentKind::PlainText, b""),
        5 => scan("x.docx", [&b"PK\x03\x04"[..], rest].concat()),
        6 => scan("notes.txt", rest.to_vec()),
        7 => {
            let mut file = dicom_start(b"1.2.840.10008.5.1.4.1.1.104.1\0");
            let pdf = [&b"%PDF-1.7\n"[..], rest].concat();
            file.extend_from_slice(&[0x42, 0x00, 0x11, 0x00, b'O', b'B', 0, 0]);
            file.extend_from_slice(&(pdf.len() as u32).to_le_bytes());
            file.extend_from_slice(&pdf);
            scan("DOC1.dcm", file);
        }
        _ => {
            let mut file = dicom_start(b"1.2.840.10008.5.1.4.1.1.88.33\0");
            file.extend_from_slice(rest);
            scan("SR1.dcm", file);
        }
    }
});
