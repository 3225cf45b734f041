//! The text of every document of `../shared/corpus-records` against its label's `text` (the
//! ground truth written when the documents were made): each text-layer document (PDF, DOCX,
//! TXT) must give text whose similarity to the label is at least 0.85 (ratio) and 0.95
//! (recall); image-only PDFs give no text; damaged bytes give an error or a note, never a panic.
//!
//! Similarity as in the corpus README's `pdftotext` table: letters and digits only, after NFKC,
//! here also in lower case (CSS `text-transform` and small capitals draw "PATIENT" for the
//! label's "Patient"). *Ratio* is Python's `difflib.SequenceMatcher(None, a, b,
//! autojunk=False).ratio()` (2 × matched characters / both lengths, matches found the same
//! way); *recall* is the share of the label's characters (as a multiset) found in the text.
//! The table is printed (`cargo test --test documents -- --nocapture`).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use record_precheck::document::{read_text, DocumentKind, TextSource};
use record_precheck::Limits;
use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

fn corpus() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus-records");
    assert!(dir.is_dir(), "the corpus is missing at {}", dir.display());
    dir
}

fn labels() -> Vec<Value> {
    let text = std::fs::read_to_string(corpus().join("labels.json")).unwrap();
    serde_json::from_str::<Value>(&text)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn kind(path: &str) -> Option<DocumentKind> {
    let ext = path.rsplit('.').next()?.to_ascii_lowercase();
    match ext.as_str() {
        "pdf" => Some(DocumentKind::Pdf),
        "docx" => Some(DocumentKind::Docx),
        "txt" => Some(DocumentKind::PlainText),
        _ => None,
    }
}

fn norm(s: &str) -> Vec<char> {
    s.nfkc()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// difflib's longest matching block in `a[alo..ahi]`, `b[blo..bhi]` (no junk).
fn longest(
    a: &[char],
    b2j: &HashMap<char, Vec<usize>>,
    (alo, ahi, blo, bhi): (usize, usize, usize, usize),
) -> (usize, usize, usize) {
    let (mut bi, mut bj, mut size) = (alo, blo, 0);
    let mut j2len: HashMap<usize, usize> = HashMap::new();
    for (i, c) in a.iter().enumerate().take(ahi).skip(alo) {
        let mut next = HashMap::new();
        for &j in b2j.get(c).map(Vec::as_slice).unwrap_or_default() {
            if j < blo {
                continue;
            }
            if j >= bhi {
                break;
            }
            let k = j.checked_sub(1).and_then(|p| j2len.get(&p)).unwrap_or(&0) + 1;
            next.insert(j, k);
            if k > size {
                (bi, bj, size) = (i + 1 - k, j + 1 - k, k);
            }
        }
        j2len = next;
    }
    (bi, bj, size)
}

fn ratio(a: &[char], b: &[char]) -> f64 {
    let mut b2j: HashMap<char, Vec<usize>> = HashMap::new();
    for (j, c) in b.iter().enumerate() {
        b2j.entry(*c).or_default().push(j);
    }
    let mut matched = 0;
    let mut todo = vec![(0, a.len(), 0, b.len())];
    while let Some(r @ (alo, ahi, blo, bhi)) = todo.pop() {
        let (i, j, k) = longest(a, &b2j, r);
        if k > 0 {
            matched += k;
            if alo < i && blo < j {
                todo.push((alo, i, blo, j));
            }
            if i + k < ahi && j + k < bhi {
                todo.push((i + k, ahi, j + k, bhi));
            }
        }
    }
    2.0 * matched as f64 / (a.len() + b.len()).max(1) as f64
}

fn recall(got: &[char], want: &[char]) -> f64 {
    let mut have: HashMap<char, usize> = HashMap::new();
    for c in got {
        *have.entry(*c).or_default() += 1;
    }
    let found = want
        .iter()
        .filter(|c| match have.get_mut(c) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        })
        .count();
    found as f64 / want.len().max(1) as f64
}

#[test]
fn ratio_is_difflibs() {
    // Values from Python's difflib.SequenceMatcher(None, a, b, autojunk=False).ratio().
    let r = |a: &str, b: &str| {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        (ratio(&a, &b) * 1000.0).round() / 1000.0
    };
    assert_eq!(r("abcd", "bcde"), 0.75);
    assert_eq!(r("qabxcd", "abycdf"), 0.667);
    assert_eq!(r("姓名李秀英", "李秀英姓名"), 0.6);
}

#[test]
fn every_text_layer_document_reads_like_its_label() {
    let limits = Limits::default();
    let mut failures = Vec::new();
    let mut rows = Vec::new();
    for label in labels() {
        let path = label["path"].as_str().unwrap();
        let Some(kind) = kind(path) else { continue };
        let doc = &label["document"];
        let bytes = std::fs::read(corpus().join(path)).unwrap();
        let started = std::time::Instant::now();
        let got = read_text(kind, &bytes, &limits);
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        let got = match got {
            Ok(g) => g,
            Err(e) => {
                failures.push(format!("{path}: {e}"));
                continue;
            }
        };
        if doc["text_layer"] == Value::Bool(true) {
            let want = norm(doc["text"].as_str().unwrap());
            let have = norm(&got.text);
            let (r, c) = (ratio(&have, &want), recall(&have, &want));
            rows.push(format!("| `{path}` | {r:.3} / {c:.3} | {ms:.1} ms |"));
            if r < 0.85 || c < 0.95 || got.source != TextSource::TextLayer {
                failures.push(format!("{path}: {r:.3} / {c:.3}\n{}", got.text));
            }
        } else {
            rows.push(format!(
                "| `{path}` | no text ({:?}) | {ms:.1} ms |",
                got.source
            ));
            let said = got.notes.iter().any(|n| n.id == "note.document.no-text");
            if got.source != TextSource::None || !got.text.is_empty() || !said {
                failures.push(format!("{path}: image-only but gave {:?}", got.text));
            }
        }
    }
    println!("| path | ratio / recall | time |\n|---|---|---|");
    for row in &rows {
        println!("{row}");
    }
    assert!(rows.len() >= 17, "only {} documents", rows.len());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn damaged_documents_give_errors_or_notes_never_panics() {
    let limits = Limits::default();
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for label in labels() {
        let path = label["path"].as_str().unwrap();
        let Some(kind) = kind(path) else { continue };
        let bytes = std::fs::read(corpus().join(path)).unwrap();
        for cut in 0..16 {
            let _ = read_text(kind, &bytes[..bytes.len() * cut / 16], &limits);
        }
        for _ in 0..24 {
            let mut b = bytes.clone();
            for _ in 0..1 + next() % 6 {
                let at = (next() as usize) % b.len();
                b[at] = next() as u8;
            }
            let _ = read_text(kind, &b, &limits);
        }
    }
    for kind in [DocumentKind::Pdf, DocumentKind::Docx] {
        for garbage in [&b""[..], b"%PDF-1.7\n", b"PK\x03\x04", b"\x00\xff garbage"] {
            let err = read_text(kind, garbage, &limits).unwrap_err();
            assert!(err.id.starts_with("error.document."), "{}", err.id);
        }
    }
}
