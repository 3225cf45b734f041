//! Header-scan speed on a generated CD-like CT study (2,000 extension-less files of ~0.5 MB and a
//! DICOMDIR, made by `bench/gen_cd_study.py`). `cargo xtask bench` generates the data, runs this
//! and pydicom on the same files; the figures go into BENCHMARKS.md.
//!
//! The data folder comes from `RECORD_PRECHECK_BENCH_DIR` (default `target/bench-data/cd-ct`).

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use record_precheck::recognise::folder::scan_path;
use record_precheck::{FileKind, Limits};

fn data_dir() -> PathBuf {
    std::env::var_os("RECORD_PRECHECK_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data/cd-ct")
        })
}

fn scan_study(c: &mut Criterion) {
    let dir = data_dir();
    let images = dir.join("IMAGES");
    if !images.is_dir() {
        eprintln!(
            "no benchmark data in {}: run `cargo xtask bench`, which generates it",
            dir.display()
        );
        return;
    }
    let limits = Limits::default();
    let entries = scan_path(&images, &limits).expect("the benchmark folder is readable");
    let files = entries.len() as u64;
    let dicom = entries.iter().filter(|e| e.kind == FileKind::Dicom).count();
    let read: u64 = entries.iter().map(|e| e.bytes_read).sum();
    let max_read = entries.iter().map(|e| e.bytes_read).max().unwrap_or(0);
    let size: u64 = entries.iter().map(|e| e.size).sum();
    println!(
        "bench-data: {files} files ({dicom} DICOM), {:.1} MB; bytes read per file: mean {}, max {max_read}",
        size as f64 / 1e6,
        read / files.max(1)
    );

    let mut group = c.benchmark_group("cd-ct");
    group.sample_size(20);
    group.throughput(Throughput::Elements(files));
    group.bench_function("scan IMAGES folder (walk + recognise + header)", |b| {
        b.iter(|| scan_path(&images, &limits).expect("readable"))
    });
    group.finish();

    let dicomdir = dir.join("DICOMDIR");
    if dicomdir.is_file() {
        let mut group = c.benchmark_group("cd-ct");
        group.sample_size(20);
        group.bench_function("read DICOMDIR", |b| {
            b.iter(|| scan_path(&dicomdir, &limits).expect("readable"))
        });
        group.finish();
    }
}

criterion_group!(benches, scan_study);
criterion_main!(benches);
