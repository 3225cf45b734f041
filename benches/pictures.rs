//! What a picture shows, timed natively: for every picture of `../shared/corpus-records`,
//! (a) decoding it (`image`, as the CLI does), (b) the analysis alone on the decoded pixels
//! (`picture::analyse`: features + QR search, what the page would run on browser-decoded
//! pixels), and the two QR crates on the same grey copy (long side 1600, as `picture` searches
//! first): `rqrr` (used) and `quircs`. Median of 7 runs each, in milliseconds.
//! `cargo bench --bench pictures`; the figures go into BENCHMARKS.md ("Pictures").

use std::path::Path;
use std::time::Instant;

use image::imageops::FilterType;
use record_precheck::picture::{self, Pixels};

const RUNS: usize = 7;

fn median_ms(mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[RUNS / 2]
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus-records");
    let mut paths = Vec::new();
    for case in ["case-liver-imaging", "case-liver-pictures"] {
        for e in std::fs::read_dir(root.join(case)).unwrap() {
            let p = e.unwrap().path();
            let ext = p
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("")
                .to_lowercase();
            if ext == "jpg" || ext == "png" {
                paths.push(p);
            }
        }
    }
    paths.sort();
    println!(
        "| picture | pixels | decode ms | analyse ms | rqrr ms (found) | quircs ms (found) |\n|---|---|---|---|---|---|"
    );
    let (mut sum_decode, mut sum_analyse) = (0.0, 0.0);
    for path in &paths {
        let bytes = std::fs::read(path).unwrap();
        let decode = median_ms(|| {
            std::hint::black_box(image::load_from_memory(&bytes).unwrap());
        });
        let rgb = image::load_from_memory(&bytes).unwrap().to_rgb8();
        let (w, h) = (rgb.width(), rgb.height());
        let analyse = median_ms(|| {
            std::hint::black_box(picture::analyse(w, h, Pixels::Rgb(rgb.as_raw()), u64::MAX));
        });
        let scale = 1600.0 / f64::from(w.max(h)).max(1600.0);
        let grey = image::DynamicImage::ImageRgb8(rgb.clone())
            .resize(
                (f64::from(w) * scale) as u32,
                (f64::from(h) * scale) as u32,
                FilterType::Triangle,
            )
            .to_luma8();
        let (gw, gh) = (grey.width() as usize, grey.height() as usize);
        let mut found_a = 0;
        let rqrr_ms = median_ms(|| {
            let mut img = rqrr::PreparedImage::prepare_from_greyscale(gw, gh, |x, y| {
                grey.as_raw()[y * gw + x]
            });
            found_a = img
                .detect_grids()
                .iter()
                .filter(|g| g.decode().is_ok())
                .count();
        });
        let mut found_b = 0;
        let quircs_ms = median_ms(|| {
            let mut q = quircs::Quirc::default();
            found_b = q
                .identify(gw, gh, grey.as_raw())
                .filter(|c| c.as_ref().is_ok_and(|c| c.decode().is_ok()))
                .count();
        });
        sum_decode += decode;
        sum_analyse += analyse;
        println!(
            "| {} | {w}×{h} | {decode:.1} | {analyse:.1} | {rqrr_ms:.1} ({found_a}) | {quircs_ms:.1} ({found_b}) |",
            path.file_name().unwrap().to_string_lossy()
        );
    }
    let n = paths.len() as f64;
    println!(
        "\nmean per picture: decode {:.1} ms, analyse {:.1} ms ({} pictures)",
        sum_decode / n,
        sum_analyse / n,
        paths.len()
    );
}
