//! Pixel decoding speed: for every file of `../shared/corpus-pixels` that decodes, (a) the middle
//! frame decoded and rendered (`pixels::render_dicom_bytes`), (b) that and its 256-px thumbnail
//! (`pixels::thumbnail`), what the CLI's `preview` and the page's pixel module run per file.
//! Files are read into memory before timing. `cargo bench --bench pixels`; the figures go into
//! BENCHMARKS.md ("Pixels").

use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use record_precheck::pixels::{render_dicom_bytes, thumbnail, THUMBNAIL_SIDE};
use record_precheck::Limits;

fn files() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus-pixels");
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .expect("../shared/corpus-pixels")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "dcm"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

fn bench(c: &mut Criterion) {
    let limits = Limits::default();
    let files: Vec<(String, Vec<u8>)> = files()
        .into_iter()
        .filter(|(_, bytes)| render_dicom_bytes(bytes, &limits).is_ok())
        .collect();
    let mut group = c.benchmark_group("pixels");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(2));
    group.throughput(Throughput::Elements(files.len() as u64));
    group.bench_function("render/all", |b| {
        b.iter(|| {
            for (_, bytes) in &files {
                render_dicom_bytes(bytes, &limits).unwrap();
            }
        })
    });
    group.bench_function("thumbnail/all", |b| {
        b.iter(|| {
            for (_, bytes) in &files {
                thumbnail(
                    &render_dicom_bytes(bytes, &limits).unwrap().image,
                    THUMBNAIL_SIDE,
                );
            }
        })
    });
    group.throughput(Throughput::Elements(1));
    for (name, bytes) in &files {
        group.bench_with_input(BenchmarkId::new("thumbnail", name), bytes, |b, bytes| {
            b.iter(|| {
                thumbnail(
                    &render_dicom_bytes(bytes, &limits).unwrap().image,
                    THUMBNAIL_SIDE,
                )
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
