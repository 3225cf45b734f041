//! Bundle speed on the generated CD-like CT study (2,000 files of ~0.5 MB, 1 GB, made by
//! `bench/gen_cd_study.py`): the pull-based writer with SHA-256 of every input, into a sink
//! that discards: stored, deflate level 1 and the `--deflate` level. Before criterion, one pass per deflate level over the
//! first 200 images prints speed and size (how the `--deflate` level was chosen). `cargo xtask
//! bench` generates the data, runs this and the reference tools (`sha256sum`, Info-ZIP `zip -0`
//! and `-1`, Python `zipfile`) in the same run; the figures go into BENCHMARKS.md.
//!
//! The data folder comes from `RECORD_PRECHECK_BENCH_DIR` (default `target/bench-data/cd-ct`).

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use record_precheck::bundle::{
    Action, BundleOptions, Bundler, FsSource, Plan, PlanOptions, DEFAULT_DEFLATE_LEVEL,
};
use record_precheck::readiness::Declarations;
use record_precheck::{report, Limits};

fn data_dir() -> PathBuf {
    std::env::var_os("RECORD_PRECHECK_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data/cd-ct")
        })
}

/// Pulls the whole zip and throws it away; returns its size.
fn bundle(plan: &Plan, source: &mut FsSource, options: &BundleOptions) -> u64 {
    let mut bundler = Bundler::new(plan.clone(), options.clone());
    let mut out = 0u64;
    while let Some(chunk) = bundler.next_chunk(source).expect("the bundle is written") {
        out += chunk.len() as u64;
        black_box(&chunk);
    }
    out
}

fn deflate(level: u32) -> BundleOptions {
    BundleOptions {
        deflate: true,
        deflate_level: level,
        ..BundleOptions::default()
    }
}

fn bundle_study(c: &mut Criterion) {
    let dir = data_dir();
    if !dir.join("IMAGES").is_dir() {
        eprintln!(
            "no benchmark data in {}: run `cargo xtask bench`, which generates it",
            dir.display()
        );
        return;
    }
    let (files, mut source) =
        FsSource::scan(std::slice::from_ref(&dir), &Limits::default()).expect("readable");
    let report = report::build(files, Declarations::default());
    let plan = Plan::build(&report, &PlanOptions::default());
    let bytes = plan.bytes_to_copy();
    let copied = plan
        .items
        .iter()
        .filter(|i| matches!(i.action, Action::Copy { .. }))
        .count();
    println!(
        "bench-data: {} inputs, {copied} copied, {:.1} MB to copy",
        plan.items.len(),
        bytes as f64 / 1e6
    );

    // Deflate levels on the first 200 images, one pass each.
    let mut subset = Plan::new(
        plan.items
            .iter()
            .filter(|i| matches!(i.action, Action::Copy { .. }))
            .take(200)
            .cloned()
            .collect(),
    );
    subset.limits = plan.limits.clone();
    let subset_bytes = subset.bytes_to_copy();
    println!(
        "deflate levels, one pass over {} images ({:.1} MB):",
        subset.items.len(),
        subset_bytes as f64 / 1e6
    );
    let mut options = vec![("stored".to_string(), BundleOptions::default())];
    for level in [1, 2, 3, 4, 6, 9] {
        options.push((format!("deflate level {level}"), deflate(level)));
    }
    for (label, o) in &options {
        let started = Instant::now();
        let size = bundle(&subset, &mut source, o);
        let s = started.elapsed().as_secs_f64();
        println!(
            "  {label:<16} {:>7.1} MB/s  zip {:>6.1}% of the input",
            subset_bytes as f64 / 1e6 / s,
            100.0 * size as f64 / subset_bytes as f64
        );
    }

    let mut group = c.benchmark_group("bundle cd-ct");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("store + SHA-256, discarding sink", |b| {
        b.iter(|| bundle(&plan, &mut source, &BundleOptions::default()))
    });
    let mut levels = vec![1];
    if DEFAULT_DEFLATE_LEVEL != 1 {
        levels.push(DEFAULT_DEFLATE_LEVEL);
    }
    for &level in &levels {
        let o = deflate(level);
        group.bench_function(
            format!("deflate level {level} + SHA-256, discarding sink"),
            |b| b.iter(|| bundle(&plan, &mut source, &o)),
        );
    }
    group.finish();
    let mut sizes = vec![format!(
        "stored {:.1} MB",
        bundle(&plan, &mut source, &BundleOptions::default()) as f64 / 1e6
    )];
    for &level in &levels {
        sizes.push(format!(
            "deflate level {level} {:.1} MB",
            bundle(&plan, &mut source, &deflate(level)) as f64 / 1e6
        ));
    }
    println!("zip sizes of the whole study: {}", sizes.join(", "));
}

criterion_group!(benches, bundle_study);
criterion_main!(benches);
