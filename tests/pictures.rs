//! What a picture shows and its QR codes, against `../shared/corpus-records/labels.json`
//! (`subject` and `qr` of every picture, the WeChat copies included; `exif.camera` tells which
//! carry camera EXIF): subject right for ≥ 95 % of the pictures with EXIF and of those without,
//! QR URLs exactly, a WeChat copy with the same answer as its original. Then the same rules on
//! pictures made from the corpus ones (`common/variants.rs`: WeChat-style copies, crops, shrunk
//! copies) and harder QR pictures, with both QR crates compared. Tables are printed
//! (`cargo test --test pictures -- --nocapture`).
#![cfg(all(not(target_arch = "wasm32"), feature = "pictures"))]

#[allow(dead_code)] // The other tests use the rest of it.
mod common;
#[path = "common/variants.rs"]
mod variants;

use std::collections::HashMap;

use common::{corpus, labels};
use image::DynamicImage;
use record_precheck::case::FindingCode;
use record_precheck::codes::StepId;
use record_precheck::picture::{self, Pixels, Subject};
use record_precheck::readiness::Declarations;
use record_precheck::recognise::folder::scan_path;
use record_precheck::{scan_bytes, FileEntry, Limits};

/// A labelled picture file: its label and bytes.
struct Labelled {
    path: String,
    subject: String,
    qr: Option<String>,
    camera: bool,
    copy_of: Option<String>,
    bytes: Vec<u8>,
}

fn pictures() -> Vec<Labelled> {
    labels()
        .into_iter()
        .filter(|l| {
            let path = l["path"].as_str().unwrap().to_lowercase();
            l["subject"].is_string()
                && [".jpg", ".jpeg", ".png", ".webp"]
                    .iter()
                    .any(|e| path.ends_with(e))
        })
        .map(|l| {
            let path = l["path"].as_str().unwrap().to_string();
            Labelled {
                bytes: std::fs::read(corpus().join(&path)).unwrap(),
                subject: l["subject"].as_str().unwrap().to_string(),
                qr: l["qr"].as_str().map(str::to_string),
                camera: l["exif"]["camera"].is_string(),
                copy_of: l["copy_of"].as_str().map(str::to_string),
                path,
            }
        })
        .collect()
}

fn scan(path: &str, bytes: &[u8]) -> FileEntry {
    scan_bytes(path, bytes, &Limits::default())
}

fn subject(e: &FileEntry) -> String {
    e.picture
        .as_ref()
        .map_or_else(|| "(none)".to_string(), |p| p.subject.as_str().to_string())
}

fn qr(e: &FileEntry) -> Vec<String> {
    e.picture.as_ref().map(|p| p.qr.clone()).unwrap_or_default()
}

fn share(right: usize, all: usize) -> f64 {
    if all == 0 {
        1.0
    } else {
        right as f64 / all as f64
    }
}

#[test]
fn corpus_pictures_subject_and_qr_codes() {
    let pics = pictures();
    assert!(pics.len() >= 11, "{} labelled pictures", pics.len());
    let mut found: HashMap<&str, String> = HashMap::new();
    let (mut with, mut with_right, mut without, mut without_right) = (0, 0, 0, 0);
    let mut qr_wrong = Vec::new();
    println!(
        "{:<52} {:<9} {:<9} {:<6} qr",
        "picture", "label", "found", "exif"
    );
    for p in &pics {
        let e = scan(&p.path, &p.bytes);
        let got = subject(&e);
        let right = got == p.subject;
        if p.camera {
            with += 1;
            with_right += usize::from(right);
        } else {
            without += 1;
            without_right += usize::from(right);
        }
        let want_qr: Vec<String> = p.qr.iter().cloned().collect();
        if qr(&e) != want_qr {
            qr_wrong.push(format!("{}: {:?}, label {:?}", p.path, qr(&e), want_qr));
        }
        // The corpus describes both QR pictures as links to the images (a cloud-film slip, an
        // image-sharing page); no other picture has a code.
        let cloud = e.picture.as_ref().is_some_and(|x| x.cloud_film);
        assert_eq!(cloud, p.qr.is_some(), "{}: cloud_film {cloud}", p.path);
        println!(
            "{:<52} {:<9} {:<9} {:<6} {:?} {}",
            p.path,
            p.subject,
            got,
            p.camera,
            qr(&e),
            if right { "" } else { "WRONG" }
        );
        found.insert(&p.path, got);
    }
    let (a, b) = (share(with_right, with), share(without_right, without));
    println!(
        "subject right: with EXIF {with_right}/{with} ({:.0} %), without EXIF {without_right}/{without} ({:.0} %); QR URLs exact: {}/{}",
        a * 100.0,
        b * 100.0,
        pics.len() - qr_wrong.len(),
        pics.len()
    );
    assert!(a >= 0.95 && b >= 0.95, "subject below 95 %");
    assert!(qr_wrong.is_empty(), "QR codes: {qr_wrong:#?}");
    for p in &pics {
        if let Some(original) = &p.copy_of {
            assert_eq!(
                found[p.path.as_str()],
                found[original.as_str()],
                "{} vs {original}",
                p.path
            );
        }
    }
}

/// The variants of one picture: (name, file name, bytes).
fn variants(p: &Labelled, img: &DynamicImage) -> Vec<(&'static str, String, Vec<u8>)> {
    let file = p.path.rsplit('/').next().unwrap().to_string();
    let stem = file
        .rsplit_once('.')
        .map_or(file.as_str(), |(s, _)| s)
        .to_string();
    let same_format = |i: &DynamicImage| {
        if file.to_lowercase().ends_with(".png") {
            variants::png(i)
        } else {
            variants::jpeg(i, 85)
        }
    };
    vec![
        (
            "wechat",
            format!("mmexport_{stem}.jpg"),
            variants::wechat(img),
        ),
        ("crop", file.clone(), same_format(&variants::crop(img, 0.1))),
        (
            "small",
            file.clone(),
            same_format(&variants::shrink(img, 640)),
        ),
    ]
}

#[test]
fn variants_of_the_corpus_pictures_keep_their_subject() {
    let mut tally: HashMap<&str, (usize, usize)> = HashMap::new();
    let mut qr_tally: HashMap<&str, (usize, usize)> = HashMap::new();
    println!(
        "{:<44} {:<7} {:<9} {:<9} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}",
        "picture",
        "variant",
        "label",
        "found",
        "flat",
        "f.lit",
        "dark",
        "ink",
        "bright",
        "colour",
        "skin"
    );
    for p in pictures() {
        let img = variants::open(&p.bytes);
        for (name, file, bytes) in variants(&p, &img) {
            let e = scan(&file, &bytes);
            let got = subject(&e);
            let t = tally.entry(name).or_default();
            t.0 += usize::from(got == p.subject);
            t.1 += 1;
            if let Some(url) = &p.qr {
                let q = qr_tally.entry(name).or_default();
                q.0 += usize::from(qr(&e) == [url.clone()]);
                q.1 += 1;
            }
            let rgb = variants::open(&bytes).to_rgb8();
            let f =
                picture::features(rgb.width(), rgb.height(), Pixels::Rgb(rgb.as_raw())).unwrap();
            println!(
                "{:<44} {:<7} {:<9} {:<9} {:>6.3} {:>6.3} {:>6.3} {:>6.3} {:>6.3} {:>6.3} {:>6.3}",
                p.path,
                name,
                p.subject,
                got,
                f.flat,
                f.flat_lit,
                f.dark,
                f.ink,
                f.bright,
                f.colour,
                f.skin
            );
        }
    }
    let mut names: Vec<_> = tally.keys().copied().collect();
    names.sort();
    for name in names {
        let (right, all) = tally[name];
        let (qr_right, qr_all) = qr_tally.get(name).copied().unwrap_or_default();
        println!(
            "{name}: subject {right}/{all} ({:.0} %), QR {qr_right}/{qr_all}",
            share(right, all) * 100.0
        );
        assert!(share(right, all) >= 0.9, "{name}: subject {right}/{all}");
        if name == "wechat" {
            assert_eq!(qr_right, qr_all, "WeChat copies must keep their QR codes");
        }
    }
}

/// Both crates on one grey picture: the texts each decodes.
fn both_crates(grey: &image::GrayImage) -> (Vec<String>, Vec<String>) {
    let (w, h) = (grey.width() as usize, grey.height() as usize);
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| grey.as_raw()[y * w + x]);
    let a = prepared
        .detect_grids()
        .iter()
        .filter_map(|g| g.decode().ok().map(|(_, t)| t))
        .collect();
    let mut decoder = quircs::Quirc::default();
    let b = decoder
        .identify(w, h, grey.as_raw())
        .filter_map(|c| c.ok()?.decode().ok())
        .filter_map(|d| String::from_utf8(d.payload).ok())
        .collect();
    (a, b)
}

#[test]
fn harder_qr_pictures_and_the_two_crates() {
    let mut hits = [0usize; 3];
    let (mut all, mut tiny) = (0, 0);
    println!(
        "{:<52} {:<14} {:>5} {:>6} {:>6}",
        "picture", "variant", "app", "rqrr", "quircs"
    );
    for p in pictures().into_iter().filter(|p| p.qr.is_some()) {
        let url = p.qr.clone().unwrap();
        let img = variants::open(&p.bytes);
        let base = variants::shrink(&img, 1600);
        let small_code = variants::shrink(&img, 260);
        let harder: Vec<(&str, DynamicImage)> = vec![
            ("as given", img.clone()),
            ("turned 90°", base.rotate90()),
            ("turned 30°", variants::rotate(&base, 30.0)),
            ("small (480 px)", variants::shrink(&img, 480)),
            ("tiny (260 px)", small_code),
            ("blurred", variants::blur(&base, 2.0)),
            (
                "re-photographed",
                variants::open(&variants::jpeg(
                    &variants::blur(&variants::rotate(&base, 8.0), 1.2),
                    40,
                )),
            ),
        ];
        for (name, v) in harder {
            let rgb = v.to_rgb8();
            let app = picture::analyse(
                rgb.width(),
                rgb.height(),
                Pixels::Rgb(rgb.as_raw()),
                u64::MAX,
            );
            let (a, b) = both_crates(&v.to_luma8());
            let ok = [app.qr == [url.clone()], a.contains(&url), b.contains(&url)];
            for (n, hit) in hits.iter_mut().zip(ok) {
                *n += usize::from(hit);
            }
            all += 1;
            tiny += usize::from(name.starts_with("tiny"));
            println!(
                "{:<52} {:<14} {:>5} {:>6} {:>6}",
                p.path, name, ok[0], ok[1], ok[2]
            );
        }
    }
    println!(
        "found: the app {}/{all}, rqrr alone {}/{all}, quircs alone {}/{all}",
        hits[0], hits[1], hits[2]
    );
    // The app (rqrr on its grey copies) must read every one but the tiny ones (a code of about
    // two pixels a module, which neither crate reads), and at least as many as either crate
    // alone on the same picture.
    assert!(hits[0] + tiny >= all, "the app missed a QR code");
    assert!(hits[0] >= hits[1].max(hits[2]));
}

#[test]
fn a_picture_whose_pixels_do_not_fit_its_size_is_not_looked_at() {
    let p = picture::analyse(10, 10, Pixels::Grey(&[0; 99]), u64::MAX);
    assert_eq!(p.subject, Subject::Unknown);
    assert!(p.reason.contains("10 × 10"), "{}", p.reason);
    let p = picture::analyse(60_000, 60_000, Pixels::Grey(&[]), 50_000_000);
    assert_eq!(p.subject, Subject::Unknown);
    assert!(p.reason.contains("megapixel limit"), "{}", p.reason);
}

#[test]
fn formats_without_a_decoder_here_say_so() {
    // HEIC has no pure-Rust decoder to keep; the bytes are not even looked at.
    let p = picture::decode::picture(
        std::io::Cursor::new(b"....ftypheic"),
        "heic",
        &Limits::default(),
    );
    assert_eq!(p.subject, Subject::Unknown);
    assert!(
        p.reason.starts_with("HEIC pictures are not decoded here"),
        "{}",
        p.reason
    );
}

/// The report of one corpus case folder.
fn case_report(case: &str) -> record_precheck::report::Report {
    let files = scan_path(&corpus().join(case), &Limits::default()).unwrap();
    record_precheck::report::build(files, Declarations::default())
}

fn finding_files(r: &record_precheck::report::Report, code: FindingCode) -> Option<Vec<String>> {
    r.findings.iter().find(|f| f.code == code).map(|f| {
        let mut files = f.files.clone();
        files.sort();
        files
    })
}

/// The labelled pictures of a case whose subject is one of `subjects`, by path in the case.
fn labelled(case: &str, subjects: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = pictures()
        .into_iter()
        .filter(|p| {
            p.path.starts_with(&format!("{case}/")) && subjects.contains(&p.subject.as_str())
        })
        .map(|p| p.path[case.len() + 1..].to_string())
        .collect();
    out.sort();
    out
}

#[test]
fn the_case_counts_only_pictures_of_images_and_finds_the_cloud_film() {
    let case = "case-liver-imaging";
    let r = case_report(case);
    let of_images = labelled(case, &["screen", "film"]);
    assert_eq!(
        finding_files(&r, FindingCode::PhotoOfScreen),
        Some(of_images.clone())
    );
    assert_eq!(
        finding_files(&r, FindingCode::NoOriginalImaging),
        Some(of_images)
    );
    assert_eq!(
        finding_files(&r, FindingCode::CloudFilmLink),
        Some(labelled(case, &["qr"]))
    );
    let steps: Vec<StepId> = r.readiness.next_steps.iter().map(|s| s.id).collect();
    let open = steps.iter().position(|s| *s == StepId::OpenCloudFilm);
    let ask = steps.iter().position(|s| *s == StepId::RequestImagingDicom);
    assert!(open.is_some() && open < ask, "{steps:?}");

    // Pictures of documents: listed with the documents (a category each), not pictures of images.
    let case = "case-liver-pictures";
    let r = case_report(case);
    assert_eq!(finding_files(&r, FindingCode::PhotoOfScreen), None);
    let no_original = finding_files(&r, FindingCode::NoOriginalImaging).unwrap_or_default();
    for doc in labelled(case, &["document"]) {
        assert!(
            !no_original.contains(&doc),
            "{doc} counted as a picture of images"
        );
        assert!(
            r.readiness.document_categories.contains_key(&doc),
            "{doc} is not listed with the documents"
        );
    }
}

/// Pictures of another corpus, not used to set the thresholds: what each shows is written in
/// `../shared/corpus/README.md` ("phone-photo simulation … of viewer_screenshot_1.png", "a phone
/// photo of a 4x3 CT film on a lightbox", "chromium screenshot of HTML mock viewer" twice).
/// And the frames rendered from DICOM in `../shared/corpus-pixels/reference` (its README): each
/// is imaging, so a screen or a film (both are pictures of images for the findings).
#[test]
fn pictures_not_used_to_set_the_thresholds() {
    let root = corpus().join("..");
    let held_out = [
        ("corpus/case-screenshots/IMG_4821.JPG", "screen"),
        ("corpus/case-screenshots/IMG_4822.JPG", "film"),
        (
            "corpus/case-screenshots/Screen Shot 2024-03-02 at 10.14.22.png",
            "screen",
        ),
        ("corpus/case-screenshots/viewer_screenshot_1.png", "screen"),
    ];
    let mut right = 0;
    for (rel, want) in held_out {
        let e = scan(rel, &std::fs::read(root.join(rel)).unwrap());
        println!("{rel:<64} {want:<7} {}", subject(&e));
        right += usize::from(subject(&e) == want);
    }
    println!("held out: {right}/{}", held_out.len());
    assert_eq!(right, held_out.len());

    let dir = root.join("corpus-pixels/reference");
    let mut frames: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    frames.sort();
    let mut imaging = 0;
    for path in &frames {
        let e = scan(
            &path.file_name().unwrap().to_string_lossy(),
            &std::fs::read(path).unwrap(),
        );
        println!(
            "{:<64} {}",
            path.file_name().unwrap().to_string_lossy(),
            subject(&e)
        );
        imaging += usize::from(matches!(subject(&e).as_str(), "screen" | "film"));
    }
    println!("DICOM frames seen as imaging: {imaging}/{}", frames.len());
    assert!(frames.len() >= 10);
    assert_eq!(imaging, frames.len());
}
