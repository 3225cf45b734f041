//! Document-reading speed: documents per second and MB/s over every PDF, DOCX and TXT of
//! `../shared/corpus-records` and, when generated, the larger set of `bench/gen_documents.py`
//! (200-page documents, 100 short ones). For each set, per kind of document: (a) the text only
//! (`document::read_text`), (b) text and facts (`document::understand`), (c) the whole scan
//! entry of the file (`scan_bytes`, what the CLI and the page's document module run).
//! `cargo xtask bench` generates the set and runs this, then `bench/pypdf_text.py` on the same
//! files in the same run; the figures go into BENCHMARKS.md ("Documents").
//!
//! Every file is read into memory before timing (as the reference script does), so the figures
//! are the readers', not the disk's. Folders: `RECORD_PRECHECK_RECORDS_DIR` (default
//! `../shared/corpus-records`) and `RECORD_PRECHECK_BENCH_DOCS` (default
//! `target/bench-data/documents`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use record_precheck::document::{self, DocumentKind, TextSource};
use record_precheck::{scan_bytes, Limits};

/// One document, read into memory.
struct Doc {
    /// Path relative to its set's folder (the scan sees it, extension included).
    path: String,
    kind: DocumentKind,
    bytes: Vec<u8>,
}

/// The documents of one kind in one set: one benchmark group.
struct Group {
    name: String,
    docs: Vec<Doc>,
}

fn dir_from_env(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(default))
}

/// The reader a file goes to, by its extension (the corpus's and the generator's names are
/// right; the scan itself recognises by content, and is measured as (c)).
fn kind_of(path: &Path) -> Option<DocumentKind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "pdf" => Some(DocumentKind::Pdf),
        "docx" => Some(DocumentKind::Docx),
        "txt" => Some(DocumentKind::PlainText),
        _ => None,
    }
}

fn kind_name(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Pdf => "pdf",
        DocumentKind::Docx => "docx",
        DocumentKind::PlainText => "txt",
    }
}

/// Every PDF, DOCX and TXT under `dir`, sorted by path; a file over the document limit is left
/// out with a note (the readers would refuse it unread).
fn collect(dir: &Path, base: &Path, limits: &Limits, out: &mut Vec<Doc>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("documents bench: could not read {}", dir.display());
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect(&path, base, limits, out);
            continue;
        }
        let Some(kind) = kind_of(&path) else { continue };
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        if size > limits.max_document_bytes {
            eprintln!(
                "documents bench: {} left out: over the document limit",
                path.display()
            );
            continue;
        }
        match std::fs::read(&path) {
            Ok(bytes) => out.push(Doc {
                path: path
                    .strip_prefix(base)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .into_owned(),
                kind,
                bytes,
            }),
            Err(e) => eprintln!("documents bench: could not read {}: {e}", path.display()),
        }
    }
}

/// The set's documents grouped by kind (`per_file`: one group per document instead, for the
/// long documents, which differ in kind of font).
fn groups(set: &str, dir: &Path, limits: &Limits, per_file: bool) -> Vec<Group> {
    let mut docs = Vec::new();
    collect(dir, dir, limits, &mut docs);
    let mut out: Vec<Group> = Vec::new();
    for doc in docs {
        let name = if per_file {
            format!("{set}/{}", doc.path)
        } else {
            format!("{set}/{}", kind_name(doc.kind))
        };
        match out.iter_mut().find(|g| g.name == name) {
            Some(g) => g.docs.push(doc),
            None => out.push(Group {
                name,
                docs: vec![doc],
            }),
        }
    }
    out
}

/// What one pass reads, printed before the timings: documents, bytes, pages, characters of text,
/// documents without a text layer, and what the scan made of them.
fn describe(group: &Group, limits: &Limits) {
    let bytes: usize = group.docs.iter().map(|d| d.bytes.len()).sum();
    let (mut pages, mut chars, mut no_text, mut failed) = (0u64, 0usize, 0, 0);
    for doc in &group.docs {
        match document::read_text(doc.kind, &doc.bytes, limits) {
            Ok(t) => {
                pages += u64::from(t.pages.unwrap_or(0));
                chars += t.text.chars().count();
                no_text += usize::from(t.source == TextSource::None);
            }
            Err(_) => failed += 1,
        }
    }
    let scanned: Vec<_> = group
        .docs
        .iter()
        .map(|d| scan_bytes(&d.path, &d.bytes, limits))
        .collect();
    let with_document = scanned.iter().filter(|e| e.document.is_some()).count();
    let bytes_read: u64 = scanned.iter().map(|e| e.bytes_read).sum();
    println!(
        "documents bench: {}: {} documents, {:.2} MB, {pages} pages, {chars} characters of text, \
         {no_text} without text, {failed} failed; scan: {with_document} with a document object, \
         {bytes_read} bytes read",
        group.name,
        group.docs.len(),
        bytes as f64 / 1e6,
    );
}

fn bench_group(c: &mut Criterion, group: &Group, limits: &Limits) {
    describe(group, limits);
    let bytes: usize = group.docs.iter().map(|d| d.bytes.len()).sum();
    let mut g = c.benchmark_group(format!("documents/{}", group.name));
    g.sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .throughput(Throughput::ElementsAndBytes {
            elements: group.docs.len() as u64,
            bytes: bytes as u64,
        });
    let docs = &group.docs;
    g.bench_function(BenchmarkId::from_parameter("read_text"), |b| {
        b.iter(|| {
            for d in docs {
                let _ = std::hint::black_box(document::read_text(d.kind, &d.bytes, limits));
            }
        })
    });
    g.bench_function(BenchmarkId::from_parameter("understand"), |b| {
        b.iter(|| {
            for d in docs {
                let _ = std::hint::black_box(document::understand(d.kind, &d.bytes, limits));
            }
        })
    });
    g.bench_function(BenchmarkId::from_parameter("scan_bytes"), |b| {
        b.iter(|| {
            for d in docs {
                std::hint::black_box(scan_bytes(&d.path, &d.bytes, limits));
            }
        })
    });
    g.finish();
}

fn read_documents(c: &mut Criterion) {
    let limits = Limits::default();
    let records = dir_from_env("RECORD_PRECHECK_RECORDS_DIR", "../shared/corpus-records");
    if records.is_dir() {
        for group in groups("corpus-records", &records, &limits, false) {
            bench_group(c, &group, &limits);
        }
    } else {
        eprintln!("documents bench: no corpus at {}", records.display());
    }
    let generated = dir_from_env("RECORD_PRECHECK_BENCH_DOCS", "target/bench-data/documents");
    if !generated.is_dir() {
        eprintln!(
            "documents bench: no generated documents in {}: `cargo xtask bench` makes them",
            generated.display()
        );
        return;
    }
    for (set, per_file) in [("long", true), ("many", false)] {
        for group in groups(set, &generated.join(set), &limits, per_file) {
            bench_group(c, &group, &limits);
        }
    }
}

criterion_group!(benches, read_documents);
criterion_main!(benches);
