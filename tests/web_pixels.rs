//! Same pixels natively and in wasm: the corpus-pixels files, embedded, are rendered by the
//! crate compiled to wasm (in headless Chromium, wasm-bindgen-test) and their renderings' and
//! thumbnails' SHA-256 compared with those the native test `pixels::
//! native_renderings_are_hashed_for_the_wasm_test` wrote in target/pixels-hashes/native.json in
//! the same run (`cargo xtask test` runs it first; embedded at build time).
//!
//! Run with `cargo test --test pixels native_renderings` then
//! `cargo test --target wasm32-unknown-unknown --no-default-features --features pixels --test web_pixels`.
#![cfg(all(target_arch = "wasm32", feature = "pixels"))]

use record_precheck::pixels::{render_dicom_bytes, thumbnail, Image, THUMBNAIL_SIDE};
use record_precheck::Limits;
use sha2::{Digest, Sha256};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const NATIVE: &str = include_str!("../target/pixels-hashes/native.json");

const FILES: &[(&str, &[u8])] = &[
    (
        "ct_explicit_le_signed_rescale_window.dcm",
        include_bytes!("../../shared/corpus-pixels/ct_explicit_le_signed_rescale_window.dcm"),
    ),
    (
        "mr_implicit_le_nowindow.dcm",
        include_bytes!("../../shared/corpus-pixels/mr_implicit_le_nowindow.dcm"),
    ),
    (
        "mr_explicit_be_src.dcm",
        include_bytes!("../../shared/corpus-pixels/mr_explicit_be_src.dcm"),
    ),
    (
        "us_rgb_8bit_deflated.dcm",
        include_bytes!("../../shared/corpus-pixels/us_rgb_8bit_deflated.dcm"),
    ),
    (
        "mr_rle_src.dcm",
        include_bytes!("../../shared/corpus-pixels/mr_rle_src.dcm"),
    ),
    (
        "us_cine_jpeg_baseline_ybr422_30f_src.dcm",
        include_bytes!("../../shared/corpus-pixels/us_cine_jpeg_baseline_ybr422_30f_src.dcm"),
    ),
    (
        "us_rgb_jpeg_baseline_ybr422.dcm",
        include_bytes!("../../shared/corpus-pixels/us_rgb_jpeg_baseline_ybr422.dcm"),
    ),
    (
        "dx_jpeg_baseline_8bit_nowindow.dcm",
        include_bytes!("../../shared/corpus-pixels/dx_jpeg_baseline_8bit_nowindow.dcm"),
    ),
    (
        "dx_jpeg_extended_12bit.dcm",
        include_bytes!("../../shared/corpus-pixels/dx_jpeg_extended_12bit.dcm"),
    ),
    (
        "ct_jpeg_lossless_sv1.dcm",
        include_bytes!("../../shared/corpus-pixels/ct_jpeg_lossless_sv1.dcm"),
    ),
    (
        "mr_jpegls_lossless_src.dcm",
        include_bytes!("../../shared/corpus-pixels/mr_jpegls_lossless_src.dcm"),
    ),
    (
        "ct_jpegls_near_lossless.dcm",
        include_bytes!("../../shared/corpus-pixels/ct_jpegls_near_lossless.dcm"),
    ),
    (
        "mr_jpeg2000_lossless_src.dcm",
        include_bytes!("../../shared/corpus-pixels/mr_jpeg2000_lossless_src.dcm"),
    ),
    (
        "nm_jpeg2000_src.dcm",
        include_bytes!("../../shared/corpus-pixels/nm_jpeg2000_src.dcm"),
    ),
    (
        "dx_mono1_jpeg2000_lossy.dcm",
        include_bytes!("../../shared/corpus-pixels/dx_mono1_jpeg2000_lossy.dcm"),
    ),
    (
        "cr_mono1_src.dcm",
        include_bytes!("../../shared/corpus-pixels/cr_mono1_src.dcm"),
    ),
    (
        "us_palette_color.dcm",
        include_bytes!("../../shared/corpus-pixels/us_palette_color.dcm"),
    ),
    (
        "us_rgb_planar1_explicit_le.dcm",
        include_bytes!("../../shared/corpus-pixels/us_rgb_planar1_explicit_le.dcm"),
    ),
];

fn hash(image: &Image) -> String {
    let mut hasher = Sha256::new();
    hasher.update(image.width.to_le_bytes());
    hasher.update(image.height.to_le_bytes());
    hasher.update([image.channels]);
    hasher.update(&image.pixels);
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[wasm_bindgen_test]
fn every_rendering_has_the_native_pixels() {
    let native: serde_json::Map<String, serde_json::Value> = serde_json::from_str(NATIVE).unwrap();
    let limits = Limits::default();
    let mut compared = 0;
    for (name, bytes) in FILES {
        let rendered = render_dicom_bytes(bytes, &limits);
        let Some(expected) = native.get(*name) else {
            assert!(rendered.is_err(), "{name}: decodes in wasm, not natively");
            continue;
        };
        let rendered = rendered.unwrap_or_else(|m| panic!("{name}: not decoded in wasm: {}", m.id));
        let small = thumbnail(&rendered.image, THUMBNAIL_SIDE);
        assert_eq!(
            expected[0].as_str(),
            Some(hash(&rendered.image).as_str()),
            "{name}: rendering"
        );
        assert_eq!(
            expected[1].as_str(),
            Some(hash(&small).as_str()),
            "{name}: thumbnail"
        );
        compared += 1;
    }
    assert_eq!(compared, native.len());
    assert!(compared >= 17, "{compared} files compared");
}
