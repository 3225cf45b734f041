//! Pixel decoding against `../shared/corpus-pixels`: each file is rendered and compared with the
//! corpus's reference rendering (pydicom and its decoder plugins, by the README's rule) after
//! both are resized to the same small size with the same box filter (written here, not the
//! crate's): Pearson correlation ≥ 0.98 for every file that decodes. The files that do not
//! decode must be exactly those src/pixels/mod.rs says cannot (12-bit lossy JPEG).

#![cfg(feature = "pixels")]

use std::path::{Path, PathBuf};

use record_precheck::pixels::{render_dicom_bytes, thumbnail, Image, THUMBNAIL_SIDE};
use record_precheck::text::Lang;
use record_precheck::Limits;
use serde_json::Value;

fn corpus() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus-pixels");
    assert!(dir.is_dir(), "the corpus is missing at {}", dir.display());
    dir
}

fn labels() -> Vec<Value> {
    let text = std::fs::read_to_string(corpus().join("labels.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The reference PNG, decoded by the `image` crate.
fn reference(label: &Value) -> Image {
    let path = corpus().join(label["reference"].as_str().unwrap());
    let picture = image::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (channels, pixels) = match label["reference_mode"].as_str() {
        Some("RGB") => (3, picture.to_rgb8().into_raw()),
        _ => (1, picture.to_luma8().into_raw()),
    };
    Image {
        width: picture.width(),
        height: picture.height(),
        channels,
        pixels,
    }
}

/// Box filter: each output pixel is the mean of the source block it covers (blocks of whole
/// source pixels, `floor` boundaries).
fn shrink(image: &Image, width: u32, height: u32) -> Vec<f64> {
    let c = usize::from(image.channels);
    let (w, h) = (image.width as usize, image.height as usize);
    let mut out = Vec::new();
    for oy in 0..height as usize {
        let (y0, y1) = (
            oy * h / height as usize,
            ((oy + 1) * h / height as usize).max(oy * h / height as usize + 1),
        );
        for ox in 0..width as usize {
            let (x0, x1) = (
                ox * w / width as usize,
                ((ox + 1) * w / width as usize).max(ox * w / width as usize + 1),
            );
            for k in 0..c {
                let mut sum = 0.0;
                for y in y0..y1 {
                    for x in x0..x1 {
                        sum += f64::from(image.pixels[(y * w + x) * c + k]);
                    }
                }
                out.push(sum / ((y1 - y0) * (x1 - x0)) as f64);
            }
        }
    }
    out
}

fn pearson(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len());
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut cov, mut va, mut vb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        cov += (x - ma) * (y - mb);
        va += (x - ma) * (x - ma);
        vb += (y - mb) * (y - mb);
    }
    cov / (va * vb).sqrt()
}

/// Correlation of two renderings of the same picture, at most 64 px on the long side.
fn correlation(ours: &Image, reference: &Image) -> f64 {
    let long = reference.width.max(reference.height);
    let fit = |side: u32| (side * 64 / long).max(1).min(side);
    let (w, h) = (fit(reference.width), fit(reference.height));
    pearson(&shrink(ours, w, h), &shrink(reference, w, h))
}

#[test]
fn every_file_that_decodes_matches_its_reference() {
    let limits = Limits::default();
    let labels = labels();
    let mut decoded = 0;
    let mut failures = Vec::new();
    let mut not_decoded = Vec::new();
    for label in &labels {
        let name = label["path"].as_str().unwrap();
        let bytes = std::fs::read(corpus().join(name)).unwrap();
        let rendered = match render_dicom_bytes(&bytes, &limits) {
            Ok(r) => r,
            Err(message) => {
                println!("{name}: not decoded: {}", message.text(Lang::En));
                not_decoded.push(name.to_string());
                continue;
            }
        };
        decoded += 1;
        let reference = reference(label);
        let frame_used = label["frame_used"].as_u64().unwrap() as u32;
        if rendered.frame != frame_used {
            failures.push(format!(
                "{name}: frame {} shown, {frame_used} expected",
                rendered.frame
            ));
            continue;
        }
        let image = &rendered.image;
        if (image.width, image.height, image.channels)
            != (reference.width, reference.height, reference.channels)
        {
            failures.push(format!(
                "{name}: {}×{}×{} rendered, reference {}×{}×{}",
                image.width,
                image.height,
                image.channels,
                reference.width,
                reference.height,
                reference.channels
            ));
            continue;
        }
        let r = correlation(image, &reference);
        println!("{name}: correlation {r:.4}");
        if r.is_nan() || r < 0.98 {
            failures.push(format!("{name}: correlation {r:.4} with the reference"));
        }
        // The thumbnail (the crate's area filter) is the same picture.
        let small = thumbnail(image, THUMBNAIL_SIDE);
        assert!(small.width.max(small.height) <= THUMBNAIL_SIDE, "{name}");
        let r = correlation(
            &small,
            &shrink_to_image(&reference, small.width, small.height),
        );
        if r.is_nan() || r < 0.98 {
            failures.push(format!(
                "{name}: thumbnail correlation {r:.4} with the reference"
            ));
        }
    }
    println!("{decoded} of {} files decode", labels.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // What src/pixels/mod.rs documents as not decoded: 12-bit lossy JPEG (jpeg-decoder decodes
    // 8-bit lossy only). Anything else failing is a defect.
    let expected: Vec<String> = labels
        .iter()
        .filter(|l| {
            let ts = l["transfer_syntax"].as_str().unwrap();
            ts == "1.2.840.10008.1.2.4.51" && l["bits_stored"].as_u64() > Some(8)
        })
        .map(|l| l["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(not_decoded, expected, "files not decoded");
}

/// The reference at a thumbnail's size, by the test's own box filter.
fn shrink_to_image(image: &Image, width: u32, height: u32) -> Image {
    Image {
        width,
        height,
        channels: image.channels,
        pixels: shrink(image, width, height)
            .iter()
            .map(|v| v.round() as u8)
            .collect(),
    }
}

/// Every object in a scan's `files` (zip members too), by path.
fn scanned(files: &[Value], out: &mut Vec<Value>) {
    for f in files {
        out.push(f.clone());
        if let Some(members) = f["members"].as_array() {
            scanned(members, out);
        }
    }
}

/// `preview` over a folder with loose files and a zip: index.json names the image files by the
/// paths `scan` gives them, each PNG decodes (with the `image` crate) to the DICOM image's size,
/// and the multi-frame file shows its middle frame.
#[test]
fn the_cli_previews_every_image_file_by_its_scan_path() {
    use std::io::Write;
    let dir = std::env::temp_dir().join(format!("precheck-preview-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let input = dir.join("input");
    std::fs::create_dir_all(&input).unwrap();
    let copy = |name: &str| std::fs::read(corpus().join(name)).unwrap();
    std::fs::write(
        input.join("ct.dcm"),
        copy("ct_explicit_le_signed_rescale_window.dcm"),
    )
    .unwrap();
    std::fs::write(
        input.join("photo.png"),
        copy("reference/us_palette_color.png"),
    )
    .unwrap();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for name in [
        "us_cine_jpeg_baseline_ybr422_30f_src.dcm",
        "mr_jpegls_lossless_src.dcm",
        "dx_jpeg_extended_12bit.dcm",
    ] {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file(format!("cd/{name}"), options).unwrap();
        zip.write_all(&copy(name)).unwrap();
    }
    std::fs::write(input.join("cd.zip"), zip.finish().unwrap().into_inner()).unwrap();
    std::fs::write(input.join("notes.txt"), "not an image\n").unwrap();

    let exe = env!("CARGO_BIN_EXE_record-precheck");
    let scan = std::process::Command::new(exe)
        .args(["scan", "--json"])
        .arg(&input)
        .output()
        .unwrap();
    assert!(scan.status.success());
    let report: Value = serde_json::from_slice(&scan.stdout).unwrap();
    let mut files = Vec::new();
    scanned(report["files"].as_array().unwrap(), &mut files);

    let out = dir.join("out");
    let preview = std::process::Command::new(exe)
        .arg("preview")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        preview.status.success(),
        "{}",
        String::from_utf8_lossy(&preview.stderr)
    );
    let index: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(out.join("index.json")).unwrap()).unwrap();
    let paths: Vec<&str> = index.iter().map(|l| l["path"].as_str().unwrap()).collect();
    let mut expected: Vec<&str> = files
        .iter()
        .filter(|f| matches!(f["kind"].as_str(), Some("dicom" | "photo" | "screenshot")))
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    expected.sort();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(sorted, expected, "index.json lists the scan's image files");
    assert_eq!(sorted.len(), 5, "{paths:?}");

    for line in &index {
        let path = line["path"].as_str().unwrap();
        let file = files.iter().find(|f| f["path"] == path).unwrap();
        if path.ends_with("dx_jpeg_extended_12bit.dcm") {
            assert!(line["png"].is_null(), "12-bit lossy JPEG is not decoded");
            let error = line["error"].as_str().unwrap();
            assert!(error.contains("JPEG") && error.contains("12"), "{error}");
            continue;
        }
        assert!(line["error"].is_null(), "{path}: {}", line["error"]);
        let png = out.join(line["png"].as_str().unwrap());
        let picture = image::open(&png).unwrap_or_else(|e| panic!("{}: {e}", png.display()));
        if let Some(rows) = file["dicom"]["rows"].as_u64() {
            assert_eq!(u64::from(picture.height()), rows, "{path}");
            assert_eq!(
                u64::from(picture.width()),
                file["dicom"]["columns"].as_u64().unwrap()
            );
            let frames = file["dicom"]["number_of_frames"].as_u64().unwrap_or(1);
            assert_eq!(line["frame"].as_u64(), Some(frames / 2), "{path}");
            assert_eq!(
                line["series_uid"], file["dicom"]["series_instance_uid"],
                "{path}"
            );
        } else {
            assert_eq!((picture.width(), picture.height()), (508, 336), "{path}");
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The SHA-256 of a rendering and of its thumbnail: size, channels and pixels.
fn rendering_hash(image: &Image) -> String {
    use sha2::{Digest, Sha256};
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

/// Writes target/pixels-hashes/native.json: for every corpus file that decodes, the hashes of its
/// rendering and of its thumbnail, made natively in this run. tests/web_pixels.rs embeds it and
/// renders the same files in wasm (`cargo xtask test` runs this test first).
#[test]
fn native_renderings_are_hashed_for_the_wasm_test() {
    let limits = Limits::default();
    let mut hashes = serde_json::Map::new();
    for label in labels() {
        let name = label["path"].as_str().unwrap();
        let bytes = std::fs::read(corpus().join(name)).unwrap();
        if let Ok(rendered) = render_dicom_bytes(&bytes, &limits) {
            let small = thumbnail(&rendered.image, THUMBNAIL_SIDE);
            hashes.insert(
                name.to_string(),
                serde_json::json!([rendering_hash(&rendered.image), rendering_hash(&small)]),
            );
        }
    }
    assert!(hashes.len() >= 15, "{} renderings", hashes.len());
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/pixels-hashes");
    std::fs::create_dir_all(&dir).unwrap();
    let json = serde_json::to_string_pretty(&Value::Object(hashes)).unwrap();
    std::fs::write(dir.join("native.json"), json).unwrap();
}

/// A VOI LUT Function of SIGMOID (PS3.3 C.11.2.1.3.1) is applied: the corpus's windowed CT with
/// the function added renders, pixel for pixel, as 255 / (1 + exp(−4 (x − c) / w)) of the
/// rescaled stored values, computed here from the pixels as dicom-object reads them.
#[test]
fn a_sigmoid_voi_lut_function_is_applied() {
    use dicom_core::{DataElement, PrimitiveValue, VR};
    use dicom_dictionary_std::tags;
    let path = corpus().join("ct_explicit_le_signed_rescale_window.dcm");
    let mut obj = dicom_object::open_file(path).unwrap();
    obj.put(DataElement::new(
        tags::VOILUT_FUNCTION,
        VR::CS,
        PrimitiveValue::from("SIGMOID"),
    ));
    let mut bytes = Vec::new();
    obj.write_all(&mut bytes).unwrap();
    let rendered = render_dicom_bytes(&bytes, &Limits::default()).unwrap();

    let number = |tag| obj.element(tag).unwrap().to_float64().unwrap();
    let (slope, intercept) = (number(tags::RESCALE_SLOPE), number(tags::RESCALE_INTERCEPT));
    let first = |tag| obj.element(tag).unwrap().to_multi_float64().unwrap()[0];
    let (c, w) = (first(tags::WINDOW_CENTER), first(tags::WINDOW_WIDTH));
    let stored = obj.element(tags::PIXEL_DATA).unwrap().to_bytes().unwrap();
    let expected: Vec<u8> = stored
        .chunks_exact(2)
        .map(|b| {
            let x = f64::from(i16::from_le_bytes([b[0], b[1]])) * slope + intercept;
            let y = 255.0 / (1.0 + (-4.0 * (x - c) / w).exp());
            y.round_ties_even().clamp(0.0, 255.0) as u8
        })
        .collect();
    assert_eq!(rendered.image.channels, 1);
    assert_eq!(rendered.image.pixels, expected);
}
