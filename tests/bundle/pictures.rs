//! Pictures in the bundle are written without where they were taken: every photo and
//! screenshot of the corpora, and pictures made here in each container (JPEG, PNG, WebP, HEIC,
//! and a JPEG inside a zip) with GPS, a maker note, serial numbers and XMP written by an
//! independent EXIF writer (`kamadak-exif`'s). Read back with `kamadak-exif`: no GPS, no maker
//! note, no serial numbers, the orientation kept; decoded with the `image` crate: the same
//! pixels; with `keep_picture_metadata`, byte for byte. The scrubber itself never panics on a
//! damaged picture.

use std::fs;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use exif::experimental::Writer;
use exif::{Context, Field, In, Rational, Tag, Value};
use image::ImageEncoder;
use record_precheck::bundle::{BundleOptions, Manifest, PlanOptions};
use record_precheck::raster::scrub::scrub;

use super::common::{assert_verifies, bundle_to, put_file, python_check, record, scratch, zip_of};

/// What `kamadak-exif` finds in a picture's EXIF: (GPS fields, maker note / serials / owner,
/// orientation). `None` when the picture has no EXIF.
fn exif_facts(bytes: &[u8]) -> Option<(usize, usize, Option<u32>)> {
    let exif = exif::Reader::new()
        .continue_on_error(true)
        .read_from_container(&mut Cursor::new(bytes))
        .or_else(|e| e.distill_partial_result(|_| {}))
        .ok()?;
    let gps = exif
        .fields()
        .filter(|f| f.tag.context() == Context::Gps && f.tag != Tag::GPSInfoIFDPointer)
        .filter(|f| !matches!(&f.value, Value::Undefined(v, _) if v.is_empty()))
        .count();
    let device = exif
        .fields()
        .filter(|f| {
            matches!(
                f.tag,
                Tag::MakerNote
                    | Tag::BodySerialNumber
                    | Tag::LensSerialNumber
                    | Tag::CameraOwnerName
            )
        })
        .filter(|f| match &f.value {
            Value::Undefined(v, _) => !v.is_empty(),
            Value::Ascii(v) => v.iter().any(|s| !s.is_empty()),
            _ => true,
        })
        .count();
    let orientation = exif
        .get_field(Tag::Orientation, In::PRIMARY)
        .and_then(|f| f.value.get_uint(0));
    Some((gps, device, orientation))
}

/// The decoded pixels, as 8-bit RGBA.
fn pixels(bytes: &[u8]) -> Vec<u8> {
    image::load_from_memory(bytes)
        .expect("the picture decodes")
        .to_rgba8()
        .into_raw()
}

fn entry(zip: &Path, name: &str) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(fs::File::open(zip).unwrap()).unwrap();
    let mut bytes = Vec::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_end(&mut bytes)
        .unwrap();
    bytes
}

/// Every picture file of a folder tree (by extension: the test picks its inputs).
fn pictures_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(pictures_under(&path));
        } else {
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            if ["jpg", "jpeg", "png", "webp", "heic"].contains(&ext.as_str()) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

/// The corpora's case folders that hold pictures.
fn corpus_picture_cases() -> Vec<PathBuf> {
    let mut cases = Vec::new();
    for corpus in ["corpus", "corpus-records", "corpus-identity"] {
        for case in fs::read_dir(shared().join(corpus)).unwrap() {
            let case = case.unwrap().path();
            if case.is_dir() && !pictures_under(&case).is_empty() {
                cases.push(case);
            }
        }
    }
    cases.sort();
    cases
}

#[test]
fn every_corpus_picture_is_bundled_without_where_it_was_taken_and_with_its_pixels() {
    let dir = scratch("pictures-corpus");
    let mut with_gps = 0;
    let mut checked = 0;
    for case in corpus_picture_cases() {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let out = dir.join(format!("{name}.zip"));
        let manifest = bundle_to(
            std::slice::from_ref(&case),
            &PlanOptions::default(),
            BundleOptions::default(),
            &out,
        );
        assert_verifies(&out);
        python_check(&out);
        for picture in pictures_under(&case) {
            let rel = picture.strip_prefix(&case).unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            let r = record(&manifest, &rel);
            let Some(dest) = r.destination.as_deref() else {
                continue; // a duplicate left out: its first copy is checked
            };
            let original = fs::read(&picture).unwrap();
            let written = entry(&out, dest);
            let before = exif_facts(&original);
            let after = exif_facts(&written);
            if let Some((gps, _, orientation)) = before {
                if gps > 0 {
                    with_gps += 1;
                    assert!(
                        r.metadata_removed.contains(&"gps".to_string()),
                        "{rel}: {r:?}"
                    );
                }
                let (gps, device, kept) = after.expect("the EXIF is still readable");
                assert_eq!((gps, device), (0, 0), "{rel}: GPS or device fields left");
                assert_eq!(kept, orientation, "{rel}: the orientation changed");
            }
            assert_eq!(pixels(&written), pixels(&original), "{rel}: pixels differ");
            checked += 1;
        }
    }
    // The corpus labels say which photos carry GPS (corpus-records: IMG20231108143318.jpg).
    let labels: serde_json::Value =
        serde_json::from_slice(&fs::read(shared().join("corpus-records/labels.json")).unwrap())
            .unwrap();
    let labelled = labels
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["exif"]["gps"] == true)
        .count();
    assert!(
        labelled > 0 && with_gps >= labelled,
        "{with_gps} of {labelled} GPS photos seen"
    );
    assert!(checked >= 15, "only {checked} pictures checked");
}

#[test]
fn with_the_keep_option_pictures_are_bundled_byte_for_byte() {
    let dir = scratch("pictures-keep");
    let case = shared().join("corpus-records/case-liver-pictures");
    let out = dir.join("keep.zip");
    let options = BundleOptions {
        keep_picture_metadata: true,
        ..BundleOptions::default()
    };
    let manifest = bundle_to(
        std::slice::from_ref(&case),
        &PlanOptions::default(),
        options,
        &out,
    );
    let mut n = 0;
    for picture in pictures_under(&case) {
        let rel = picture.file_name().unwrap().to_string_lossy().into_owned();
        let r = record(&manifest, &rel);
        let dest = r.destination.as_deref().unwrap();
        assert_eq!(entry(&out, dest), fs::read(&picture).unwrap(), "{rel}");
        assert!(r.metadata_removed.is_empty() && r.written_sha256.is_none());
        n += 1;
    }
    assert!(n >= 5);
    assert_eq!(manifest.totals.location_removed, 0);
}

/// An EXIF block with a GPS position, a maker note, serial numbers, the owner's name and an
/// orientation, written by `kamadak-exif`.
fn exif_block(little_endian: bool) -> Vec<u8> {
    let ascii = |tag, s: &str| Field {
        tag,
        ifd_num: In::PRIMARY,
        value: Value::Ascii(vec![s.as_bytes().to_vec()]),
    };
    let degrees = |d, m| {
        Value::Rational(vec![
            Rational::from((d, 1)),
            Rational::from((m, 1)),
            Rational::from((1234, 100)),
        ])
    };
    let fields = vec![
        ascii(Tag::Make, "TestCam"),
        ascii(Tag::Model, "Phone 1"),
        Field {
            tag: Tag::Orientation,
            ifd_num: In::PRIMARY,
            value: Value::Short(vec![6]),
        },
        ascii(Tag::BodySerialNumber, "BODY-SERIAL-0042"),
        ascii(Tag::LensSerialNumber, "LENS-SERIAL-0042"),
        ascii(Tag::CameraOwnerName, "Owner Name"),
        Field {
            tag: Tag::MakerNote,
            ifd_num: In::PRIMARY,
            value: Value::Undefined(b"MAKERNOTE serial 99887766 and more bytes".to_vec(), 0),
        },
        Field {
            tag: Tag::ExposureTime,
            ifd_num: In::PRIMARY,
            value: Value::Rational(vec![Rational::from((1, 60))]),
        },
        ascii(Tag::GPSLatitudeRef, "N"),
        Field {
            tag: Tag::GPSLatitude,
            ifd_num: In::PRIMARY,
            value: degrees(31, 14),
        },
        ascii(Tag::GPSLongitudeRef, "E"),
        Field {
            tag: Tag::GPSLongitude,
            ifd_num: In::PRIMARY,
            value: degrees(121, 28),
        },
    ];
    let mut writer = Writer::new();
    for f in &fields {
        writer.push_field(f);
    }
    let mut out = Cursor::new(Vec::new());
    writer.write(&mut out, little_endian).unwrap();
    out.into_inner()
}

const XMP: &str = "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF><rdf:Description exif:GPSLatitude='31,14.2N' photoshop:City='Shanghai'/></rdf:RDF></x:xmpmeta>";

fn rgb_image() -> image::RgbImage {
    image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 5) as u8, ((x + y) * 2) as u8])
    })
}

fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, marker];
    s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    s.extend_from_slice(payload);
    s
}

fn jpeg_with_metadata() -> Vec<u8> {
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 90)
        .encode_image(&rgb_image())
        .unwrap();
    let mut out = plain[..2].to_vec();
    out.extend(segment(
        0xE1,
        &[b"Exif\0\0".as_slice(), &exif_block(false)].concat(),
    ));
    out.extend(segment(
        0xE1,
        &[b"http://ns.adobe.com/xap/1.0/\0".as_slice(), XMP.as_bytes()].concat(),
    ));
    out.extend_from_slice(&plain[2..]);
    out
}

fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = (data.len() as u32).to_be_bytes().to_vec();
    c.extend_from_slice(kind);
    c.extend_from_slice(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    c.extend_from_slice(&crc.finalize().to_be_bytes());
    c
}

fn png_with_metadata() -> Vec<u8> {
    let mut plain = Vec::new();
    let img = rgb_image();
    image::codecs::png::PngEncoder::new(&mut plain)
        .write_image(
            &img,
            img.width(),
            img.height(),
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    let after_ihdr = 8 + 25;
    let mut out = plain[..after_ihdr].to_vec();
    out.extend(png_chunk(b"eXIf", &exif_block(true)));
    let itxt = [b"XML:com.adobe.xmp\0\0\0\0\0".as_slice(), XMP.as_bytes()].concat();
    out.extend(png_chunk(b"iTXt", &itxt));
    out.extend_from_slice(&plain[after_ihdr..]);
    out
}

fn riff_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = kind.to_vec();
    c.extend_from_slice(&(data.len() as u32).to_le_bytes());
    c.extend_from_slice(data);
    if data.len() % 2 == 1 {
        c.push(0);
    }
    c
}

fn webp_with_metadata() -> Vec<u8> {
    let mut plain = Vec::new();
    let img = rgb_image();
    image::codecs::webp::WebPEncoder::new_lossless(&mut plain)
        .write_image(
            &img,
            img.width(),
            img.height(),
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    assert_eq!(&plain[12..16], b"VP8L", "a simple lossless WebP");
    let mut vp8x = vec![0x08 | 0x04, 0, 0, 0]; // EXIF and XMP flags
    vp8x.extend_from_slice(&(img.width() - 1).to_le_bytes()[..3]);
    vp8x.extend_from_slice(&(img.height() - 1).to_le_bytes()[..3]);
    let mut body = b"WEBP".to_vec();
    body.extend(riff_chunk(b"VP8X", &vp8x));
    body.extend_from_slice(&plain[12..]);
    body.extend(riff_chunk(b"EXIF", &exif_block(true)));
    body.extend(riff_chunk(b"XMP ", XMP.as_bytes()));
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend(body);
    out
}

fn iso_box(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut b = ((body.len() + 8) as u32).to_be_bytes().to_vec();
    b.extend_from_slice(kind);
    b.extend_from_slice(body);
    b
}

fn full_box(kind: &[u8; 4], version: u8, body: &[u8]) -> Vec<u8> {
    iso_box(kind, &[&[version, 0, 0, 0], body].concat())
}

/// A HEIC: an `hvc1` image item (its coded bytes made up: nothing here decodes HEVC), an `Exif`
/// item and an XMP `mime` item, all in `mdat`, placed by `iloc` version 1.
fn heic_with_metadata() -> (Vec<u8>, std::ops::Range<usize>) {
    let coded: Vec<u8> = (0..4000u32).map(|i| (i * 7 % 251) as u8).collect();
    let exif = [&6u32.to_be_bytes()[..], b"Exif\0\0", &exif_block(false)].concat();
    let infe = |id: u16, kind: &[u8; 4], extra: &[u8]| {
        full_box(
            b"infe",
            2,
            &[&id.to_be_bytes()[..], &[0, 0], kind, b"\0", extra].concat(),
        )
    };
    let iinf = full_box(
        b"iinf",
        0,
        &[
            &3u16.to_be_bytes()[..],
            &infe(1, b"hvc1", b""),
            &infe(2, b"Exif", b""),
            &infe(3, b"mime", b"application/rdf+xml\0"),
        ]
        .concat(),
    );
    let ispe = full_box(
        b"ispe",
        0,
        &[&4032u32.to_be_bytes()[..], &3024u32.to_be_bytes()].concat(),
    );
    let iprp = iso_box(b"iprp", &iso_box(b"ipco", &ispe));
    let ftyp = iso_box(b"ftyp", b"heic\0\0\0\0mif1heic");
    let pitm = full_box(b"pitm", 0, &1u16.to_be_bytes());
    let hdlr = full_box(
        b"hdlr",
        0,
        &[&[0u8; 4][..], b"pict", &[0; 12], b"\0"].concat(),
    );
    // iloc v1: offsets and lengths of 4 bytes, no base offset; three items of one extent each.
    let iloc_for = |mdat_data: u32| {
        let lens = [coded.len() as u32, exif.len() as u32, XMP.len() as u32];
        let mut body = vec![0x44, 0x00];
        body.extend_from_slice(&3u16.to_be_bytes());
        let mut at = mdat_data;
        for (i, len) in lens.iter().enumerate() {
            body.extend_from_slice(&(i as u16 + 1).to_be_bytes());
            body.extend_from_slice(&[0, 0, 0, 0, 0, 1]); // method 0, data ref 0, 1 extent
            body.extend_from_slice(&at.to_be_bytes());
            body.extend_from_slice(&len.to_be_bytes());
            at += len;
        }
        full_box(b"iloc", 1, &body)
    };
    let meta_len = full_box(
        b"meta",
        0,
        &[
            hdlr.clone(),
            pitm.clone(),
            iinf.clone(),
            iloc_for(0),
            iprp.clone(),
        ]
        .concat(),
    )
    .len();
    let mdat_data = (ftyp.len() + meta_len + 8) as u32;
    let meta = full_box(
        b"meta",
        0,
        &[hdlr, pitm, iinf, iloc_for(mdat_data), iprp].concat(),
    );
    let mdat = iso_box(b"mdat", &[coded.as_slice(), &exif, XMP.as_bytes()].concat());
    let out = [ftyp, meta, mdat].concat();
    let coded_at = mdat_data as usize..mdat_data as usize + coded.len();
    assert_eq!(out[coded_at.clone()], coded[..]);
    (out, coded_at)
}

#[test]
fn each_container_loses_gps_maker_note_serials_and_xmp_but_keeps_its_image() {
    let dir = scratch("pictures-made");
    let input = dir.join("in");
    let jpeg = jpeg_with_metadata();
    let png = png_with_metadata();
    let webp = webp_with_metadata();
    let (heic, coded) = heic_with_metadata();
    // The pictures as made carry everything this test expects to see removed.
    for (name, bytes) in [
        ("jpeg", &jpeg),
        ("png", &png),
        ("webp", &webp),
        ("heic", &heic),
    ] {
        let (gps, device, orientation) =
            exif_facts(bytes).unwrap_or_else(|| panic!("{name}: no EXIF"));
        assert_eq!(
            (gps > 0, device, orientation),
            (true, 4, Some(6)),
            "{name} as made"
        );
    }
    put_file(&input, "IMG_0001.jpg", &jpeg);
    put_file(&input, "IMG_0002.png", &png);
    put_file(&input, "IMG_0003.webp", &webp);
    put_file(&input, "IMG_0004.HEIC", &heic);
    // The zip's copy differs by a comment segment: not a duplicate of the first.
    let member = [&jpeg[..2], &segment(0xFE, b"forwarded"), &jpeg[2..]].concat();
    put_file(
        &input,
        "wechat.zip",
        &zip_of(&[("photos/IMG_0005.jpg", &member)]),
    );
    let out = dir.join("bundle.zip");
    let manifest: Manifest = bundle_to(
        std::slice::from_ref(&input),
        &PlanOptions::default(),
        BundleOptions::default(),
        &out,
    );
    assert_verifies(&out);
    python_check(&out);
    let all = ["gps", "maker-note", "serial-numbers", "owner-name", "xmp"];
    for (path, original) in [
        ("IMG_0001.jpg", &jpeg),
        ("IMG_0002.png", &png),
        ("IMG_0003.webp", &webp),
        ("IMG_0004.HEIC", &heic),
        ("wechat.zip!/photos/IMG_0005.jpg", &member),
    ] {
        let r = record(&manifest, path);
        assert_eq!(r.metadata_removed, all, "{path}: {r:?}");
        let written = entry(&out, r.destination.as_deref().unwrap());
        assert_eq!(r.written_size, Some(written.len() as u64), "{path}");
        let (gps, device, orientation) = exif_facts(&written).expect("EXIF still readable");
        assert_eq!((gps, device, orientation), (0, 0, Some(6)), "{path}");
        for word in ["GPSLatitude", "Shanghai", "SERIAL", "Owner Name"] {
            assert!(
                !written.windows(word.len()).any(|w| w == word.as_bytes()),
                "{path}: {word:?} is still in the file"
            );
        }
        if path.ends_with("HEIC") {
            // Nothing here decodes HEVC: the coded image bytes are where they were, unchanged.
            assert_eq!(written.len(), original.len());
            assert_eq!(written[coded.clone()], original[coded.clone()]);
        } else {
            assert_eq!(pixels(&written), pixels(original), "{path}: pixels differ");
        }
    }
    assert_eq!(manifest.totals.location_removed, 5);
}

#[test]
fn a_damaged_picture_never_makes_the_scrubber_panic() {
    let (heic, _) = heic_with_metadata();
    for bytes in [
        jpeg_with_metadata(),
        png_with_metadata(),
        webp_with_metadata(),
        heic,
    ] {
        let whole = scrub(&mut Cursor::new(&bytes)).unwrap();
        assert!(!whole.edits.is_empty());
        // Cut anywhere, and every byte of the metadata part changed in turn.
        for cut in (0..bytes.len()).step_by(7) {
            let _ = scrub(&mut Cursor::new(&bytes[..cut]));
        }
        for at in 0..bytes.len().min(900) {
            for value in [0x00, 0xFF, 0x7F] {
                let mut damaged = bytes.clone();
                damaged[at] = value;
                if let Ok(s) = scrub(&mut Cursor::new(&damaged)) {
                    // Edits stay in order and apart (the writer relies on it).
                    for w in s.edits.windows(2) {
                        assert!(w[0].at + w[0].len <= w[1].at);
                    }
                }
            }
        }
    }
}

#[test]
fn metadata_said_to_lie_past_the_end_is_refused() {
    // Found by the `scrub` fuzz target. A HEIC whose XMP item lies partly past the end of the
    // file: blanking it would have made the writer append 139 spaces to the picture. A WebP
    // whose XMP chunk runs past the end: removing it would have written a RIFF size 148 bytes
    // smaller than the bytes removed allow. A PNG cut before its eXIf chunk's CRC: writing the
    // CRC anew would have appended it.
    for (name, what) in [
        ("heif-xmp-past-the-end.heic", "XMP"),
        ("webp-xmp-past-the-end.webp", "XMP"),
        ("png-exif-crc-past-the-end.png", "EXIF"),
    ] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fuzz-regressions")
            .join(name);
        let bytes = fs::read(path).unwrap();
        assert_eq!(
            scrub(&mut Cursor::new(&bytes)),
            Err(format!("its {what} is cut short by the end of the file")),
            "{name}"
        );
    }
    // An empty HEIF XMP extent 1.9 GB past the end of the file gave an empty edit there.
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-regressions/heif-empty-xmp-far-away.heic");
    let bytes = fs::read(path).unwrap();
    for edit in scrub(&mut Cursor::new(&bytes))
        .map(|s| s.edits)
        .unwrap_or_default()
    {
        assert!(
            edit.len > 0 && edit.at + edit.len <= bytes.len() as u64,
            "{edit:?}"
        );
    }
    // A HEIF box whose 64-bit size takes the next box's offset past 2^64: an overflow (a
    // panic with debug assertions, a wrapped offset without).
    let mut heif = b"\0\0\0\x10ftypheic\0\0\0\0".to_vec();
    heif.extend_from_slice(b"\0\0\0\x01free");
    heif.extend_from_slice(&u64::MAX.to_be_bytes());
    assert_eq!(
        scrub(&mut Cursor::new(&heif)),
        Err("its HEIF box structure is damaged".to_string())
    );
}

/// A picture of a document goes with the documents (`documents/<category>/`), any other picture
/// (of a screen, film, a QR slip) under `photos-and-screenshots/`: decided by the corpus labels'
/// `subject`, for every picture of the records corpus.
#[test]
fn pictures_of_documents_are_bundled_with_the_documents() {
    let labels: serde_json::Value =
        serde_json::from_slice(&fs::read(shared().join("corpus-records/labels.json")).unwrap())
            .unwrap();
    let dir = scratch("pictures-folders");
    let mut checked = 0;
    let mut documents = 0;
    for case in ["case-liver-pictures", "case-liver-imaging"] {
        let out = dir.join(format!("{case}.zip"));
        let manifest = bundle_to(
            &[shared().join("corpus-records").join(case)],
            &PlanOptions::default(),
            BundleOptions::default(),
            &out,
        );
        assert_verifies(&out);
        for label in labels.as_array().unwrap() {
            let path = label["path"].as_str().unwrap();
            let is_picture = matches!(
                label["kind"].as_str(),
                Some("photo" | "screenshot" | "scan")
            ) && !path.ends_with(".pdf");
            let Some(rel) = path.strip_prefix(&format!("{case}/")) else {
                continue;
            };
            if !is_picture {
                continue;
            }
            let r = record(&manifest, rel);
            let dest = r
                .destination
                .as_deref()
                .unwrap_or_else(|| panic!("{path}: {r:?}"));
            if label["subject"] == "document" {
                documents += 1;
                assert!(dest.starts_with("documents/"), "{path} went to {dest}");
            } else {
                assert!(
                    dest.starts_with("photos-and-screenshots/"),
                    "{path} went to {dest}"
                );
            }
            checked += 1;
        }
    }
    assert!(
        checked >= 10 && documents >= 5,
        "{checked} pictures, {documents} of documents"
    );
}
