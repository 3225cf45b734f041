//! PDFs made here with `lopdf`'s writer, each with what the reader must give: the text of known
//! content streams (order by position, forms, CJK CMaps), the notes of each limit, no text.

use lopdf::{dictionary, Document, Object, Stream};

use super::super::{read_text, DocumentKind, TextSource};
use crate::Limits;

/// A PDF whose pages have `contents`, with fonts `/F1` Helvetica (WinAnsi), `/F2`
/// STSong-Light under UniGB-UCS2-H (not embedded), `/F3` a Type0 font under Identity-H
/// without ToUnicode, and a form `/X1` that writes "Letterhead" at the top.
fn pdf(contents: &[&str]) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let helvetica = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let cid = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "STSong-Light",
        "CIDSystemInfo" => dictionary! {
            "Registry" => Object::string_literal("Adobe"),
            "Ordering" => Object::string_literal("GB1"), "Supplement" => 2,
        },
    });
    let song = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "STSong-Light",
        "Encoding" => "UniGB-UCS2-H", "DescendantFonts" => vec![cid.into()],
    });
    let glyphs = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "ABCDEF+Subset",
        "Encoding" => "Identity-H", "DescendantFonts" => vec![cid.into()],
    });
    let fonts = dictionary! { "F1" => helvetica, "F2" => song, "F3" => glyphs };
    let form = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Matrix" => vec![1.into(), 0.into(), 0.into(), 1.into(), 0.into(), 800.into()],
            "Resources" => dictionary! { "Font" => fonts.clone() },
        },
        b"BT /F1 12 Tf 72 0 Td (Letterhead) Tj ET".to_vec(),
    ));
    let resources = doc.add_object(dictionary! {
        "Font" => fonts, "XObject" => dictionary! { "X1" => form },
    });
    let mut kids = Vec::new();
    for c in contents {
        let content = doc.add_object(Stream::new(dictionary! {}, c.as_bytes().to_vec()));
        kids.push(Object::Reference(doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content,
            "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        })));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn read(bytes: &[u8], limits: &Limits) -> super::super::DocumentText {
    read_text(DocumentKind::Pdf, bytes, limits).unwrap()
}

/// The footer is written first, the body lines bottom up, a table row's cells right to left.
const REVERSED: &str = "BT /F1 9 Tf 1 0 0 1 72 40 Tm (Page 1 of 1) Tj ET \
    BT /F1 12 Tf 1 0 0 1 72 700 Tm (Diagnosis: adenocarcinoma) Tj ET \
    BT /F1 12 Tf 1 0 0 1 300 720 Tm (CEA 3.2) Tj ET \
    BT /F1 12 Tf 1 0 0 1 72 720 Tm [(Tumour)-300(markers)] TJ ET \
    /X1 Do";

#[test]
fn runs_are_read_top_to_bottom_left_to_right() {
    let got = read(&pdf(&[REVERSED]), &Limits::default());
    assert_eq!(
        got.text,
        "Letterhead\nTumour markers CEA 3.2\nDiagnosis: adenocarcinoma\nPage 1 of 1"
    );
    assert_eq!(got.source, TextSource::TextLayer);
    assert_eq!(got.pages, Some(1));
    assert!(got.notes.is_empty(), "{:?}", got.notes);
}

#[test]
fn predefined_ucs2_cmap_without_embedded_font() {
    // 病理诊断 in UCS-2: 75C5 7406 8BCA 65AD.
    let got = read(
        &pdf(&["BT /F2 14 Tf 72 700 Td <75C574068BCA65AD> Tj ET"]),
        &Limits::default(),
    );
    assert_eq!(got.text, "病理诊断");
}

#[test]
fn glyph_codes_without_a_map_are_reported_not_guessed() {
    let got = read(
        &pdf(&["BT /F3 14 Tf 72 700 Td <00010002> Tj ET"]),
        &Limits::default(),
    );
    assert_eq!(got.source, TextSource::None);
    let ids: Vec<&str> = got.notes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(
        ids,
        ["note.document.unmapped-font", "note.document.no-text"]
    );
    assert_eq!(got.notes[0].values["font"], "ABCDEF+Subset");
}

#[test]
fn pictures_of_pages_have_no_text() {
    let got = read(
        &pdf(&["q 595 0 0 842 0 0 cm 0.5 g 0 0 1 1 re f Q"]),
        &Limits::default(),
    );
    assert_eq!((got.text.as_str(), got.source), ("", TextSource::None));
    assert_eq!(got.notes[0].id, "note.document.no-text");
    assert_eq!(
        got.notes[0].to_string(),
        "scanned pages without text: the PDF holds pictures of pages, no text layer"
    );
}

#[test]
fn each_limit_keeps_what_was_read_and_says_so() {
    let page = |n: u32| format!("BT /F1 12 Tf 72 700 Td (Page {n}) Tj ET");
    let pages: Vec<String> = (1..=3).map(page).collect();
    let pages: Vec<&str> = pages.iter().map(String::as_str).collect();
    let bytes = pdf(&pages);

    let limits = Limits {
        max_pages: 2,
        ..Limits::default()
    };
    let got = read(&bytes, &limits);
    assert_eq!(got.text, "Page 1\n\nPage 2");
    assert_eq!(got.pages, Some(3));
    assert_eq!(got.notes[0].id, "note.document.pages-limit");

    let one_page = pages[0].len() as u64;
    let limits = Limits {
        max_document_inflated: one_page + 10,
        ..Limits::default()
    };
    let got = read(&bytes, &limits);
    assert_eq!(got.text, "Page 1");
    assert_eq!(got.notes[0].id, "note.document.inflate-limit");

    let limits = Limits {
        max_text_chars: 8,
        ..Limits::default()
    };
    let got = read(&bytes, &limits);
    assert_eq!(got.text, "Page 1\n\n");
    assert!(got.notes.iter().any(|n| n.id == "note.document.text-limit"));

    let limits = Limits {
        max_pdf_objects: 3,
        ..Limits::default()
    };
    let err = read_text(DocumentKind::Pdf, &bytes, &limits).unwrap_err();
    assert_eq!(err.id, "error.document.pdf-objects");
}

#[test]
fn damaged_content_keeps_the_text_before_the_damage() {
    let got = read(
        &pdf(&["BT /F1 12 Tf 72 700 Td (Before) Tj ET BT /F1 12 Tf 72 600 Td (unclosed Tj ET"]),
        &Limits::default(),
    );
    assert_eq!(got.text, "Before");
}
