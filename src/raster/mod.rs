//! Raster images (PNG, JPEG, GIF, BMP, WebP, TIFF/BigTIFF, HEIC/HEIF/AVIF): signature detection and the screenshot / photo / whole-slide decision.
//!
//! # What is read
//!
//! Only the first bytes of the file (`head`, up to 256 KiB from the caller) are looked at.
//! Dimensions come from the `imagesize` crate (JPEG, GIF, WebP) or from the
//! format's own fixed header fields (PNG IHDR, BMP DIB header); EXIF comes
//! from `kamadak-exif` (JPEG, PNG `eXIf`, WebP, HEIF). Four things are read
//! by hand, each bounded by `head` and linear in its length; the reasons were
//! checked in the sources of `imagesize` 0.15 and `kamadak-exif` 0.6.2 (the
//! latter also with a test build on classic, 12-directory and BigTIFF files):
//!
//! * TIFF/BigTIFF directories (`tiff.rs`): `kamadak-exif` does return every
//!   tag of the directories it reads (TileWidth, SubIFDs, NDPI private tags),
//!   but it rejects BigTIFF ("Invalid forty two"), the format of slides over
//!   4 GiB, and stops the chain at 8 directories, which would cut `pages` and
//!   the pyramid level count; one walker reads both kinds of TIFF.
//! * HEIF `ftyp` brands and the `ispe` size (`heif.rs`): `imagesize` calls
//!   any `ftyp` file (MP4, CR3) HEIF, looks at two compatible brands at most,
//!   and multiplies the two `u32`s of `ispe` in `usize`, which overflows (and
//!   so panics with overflow checks) on 32-bit wasm.
//! * PNG chunks (`tEXt`/`iTXt` "Software", XMP; `png.rs`): neither crate
//!   exposes PNG text chunks.
//! * BMP size (`bmp.rs`): `imagesize` reads both fields as unsigned 32-bit,
//!   which misreads top-down (negative height) and OS/2 (16-bit) headers.
//!
//! The judgement itself is in `classify.rs`, the shared byte and text readers
//! in `bytes.rs`.
//!
//! # Decision rules, in order (the first that fires decides; `reason` names it)
//!
//! 1. **Slide** (TIFF only): ImageDescription starts with "Aperio"; Hamamatsu
//!    NDPI private tags (65420..=65480); ImageDescription/Make/Model/Software/XMP
//!    name Hamamatsu, Leica, Ventana, Philips or Roche *and* use slide-scanner
//!    wording ("slide", "AppMag", "MPP", "objective", "DPUfsImport", Leica
//!    SCN namespace, Ventana "iScan" in XMP, ...); a tiled
//!    image (TileWidth, tag 322) of at least 10 000 px with several
//!    directories or SubIFDs (or any such BigTIFF); a tiled TIFF named
//!    `.svs`/`.ndpi`/`.scn`/`.mrxs`/`.bif`. A TIFF whose first directory
//!    lies beyond `head` is a slide only when so named.
//! 2. **Photo from EXIF**: Make/Model (not a scanner; for TIFF only together
//!    with exposure data, GPS or DateTimeOriginal, since scanners write
//!    Make/Model too), GPS coordinates, or DateTimeOriginal with
//!    ExposureTime/FNumber. Tie-break: a screenshot-style name with
//!    Make/Model but no exposure data and no GPS is a screenshot.
//! 3. **Photo from format**: HEIC/HEIF (phones' camera format), unless named
//!    like a screenshot and without camera EXIF. AVIF is an export format and
//!    follows the rules below.
//! 4. **Photo from name and size** (JPEG without EXIF): camera aspect (4:3,
//!    3:2 or portrait) and either a phone-camera name (IMG_1234,
//!    IMG20240101…, PXL_…, DSC_…, 20240101_123456) with at least 2 MP, or a
//!    messenger name (mmexport…, 微信图片_…, wx_camera_…, IMG-…-WA…,
//!    photo_…, signal-…) with at least 0.75 MP, since messengers strip EXIF
//!    and downscale.
//! 5. **Screenshot** otherwise, with the strongest reason found:
//!    screenshot-style name ("Screen Shot …", "Screenshot_…", "截屏",
//!    "屏幕截图", "Snipaste", "微信截图", ...); Software of a screenshot tool
//!    or XMP saying "Screenshot" (macOS/iOS); a common screen size or a
//!    HiDPI multiple of one (±4 px); for TIFF "scan or export"; else "no
//!    camera EXIF": an image without camera metadata is an export or
//!    screenshot, not original imaging.
//!
//! `inspect` fails (`Err`) only when the bytes carry a raster signature but
//! the header needed to read the image is missing or broken, or (JPEG) the
//! frame header is not within `head`; the message says what is wrong. A
//! TIFF or HEIF whose structures lie past `head` of a larger file is not an
//! error: the facts stay unknown. DICOM files whose preamble is a TIFF
//! header ("DICM" at 128) are not raster images. It never panics, allocates at most a small multiple of
//! `head` (EXIF blobs over 128 KiB are ignored), and runs in linear time.

mod bmp;
mod bytes;
mod classify;
mod exif;
mod heif;
mod jpeg_gif_webp;
mod png;
pub mod scrub;
#[cfg(test)]
mod testdata;
mod tiff;

use crate::text::{msg, Message};

/// What a raster image most likely is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RasterKind {
    /// A screenshot, screen capture, scan or export: not original imaging.
    Screenshot,
    /// A camera photo (often of a screen, film or paper).
    Photo,
    /// A whole-slide pathology image (Aperio SVS, Hamamatsu NDPI, ...).
    Slide,
}

/// Metadata read from the image header.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RasterFacts {
    /// "png" "jpeg" "gif" "bmp" "webp" "tiff" "heic" "heif" "avif"
    pub format: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub camera_make: Option<String>,
    pub camera_model: Option<String>,
    /// EXIF/TIFF Software, PNG tEXt/iTXt "Software".
    pub software: Option<String>,
    pub has_gps: bool,
    pub orientation: Option<u16>,
    /// EXIF DateTimeOriginal.
    pub date_taken: Option<String>,
    /// TIFF/EXIF ImageDescription, at most 200 characters.
    pub description: Option<String>,
    /// TIFF directory count when the whole chain lies in `head`.
    pub pages: Option<u32>,
}

/// The decision and what it was based on.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RasterVerdict {
    pub kind: RasterKind,
    pub reason: Message,
    pub facts: RasterFacts,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fmt {
    Png,
    Jpeg,
    Gif,
    Bmp,
    Webp,
    Tiff,
    Heic,
    Heif,
    Avif,
}

impl Fmt {
    fn id(self) -> &'static str {
        match self {
            Fmt::Png => "png",
            Fmt::Jpeg => "jpeg",
            Fmt::Gif => "gif",
            Fmt::Bmp => "bmp",
            Fmt::Webp => "webp",
            Fmt::Tiff => "tiff",
            Fmt::Heic => "heic",
            Fmt::Heif => "heif",
            Fmt::Avif => "avif",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Fmt::Png => "PNG",
            Fmt::Jpeg => "JPEG",
            Fmt::Gif => "GIF",
            Fmt::Bmp => "BMP",
            Fmt::Webp => "WebP",
            Fmt::Tiff => "TIFF",
            Fmt::Heic => "HEIC",
            Fmt::Heif => "HEIF",
            Fmt::Avif => "AVIF",
        }
    }
}

/// Magic-byte check only: which raster format these first bytes are, if any.
///
/// A TIFF header whose bytes 128..132 read "DICM" is a DICOM file with a
/// TIFF-compatible preamble (NEMA WG04 dual-personality files) and is not
/// reported as a raster image.
pub fn detect_format(head: &[u8]) -> Option<&'static str> {
    detect(head).map(Fmt::id)
}

fn detect(head: &[u8]) -> Option<Fmt> {
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(Fmt::Png);
    }
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(Fmt::Jpeg);
    }
    if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        return Some(Fmt::Gif);
    }
    if head.get(0..4) == Some(&b"RIFF"[..]) && head.get(8..12) == Some(&b"WEBP"[..]) {
        return Some(Fmt::Webp);
    }
    if [b"II*\0", b"MM\0*", b"II+\0", b"MM\0+"]
        .iter()
        .any(|sig| head.starts_with(*sig))
    {
        if head.get(128..132) == Some(&b"DICM"[..]) {
            return None;
        }
        return Some(Fmt::Tiff);
    }
    if bmp::is_bmp(head) {
        return Some(Fmt::Bmp);
    }
    heif::heif_brand(head)
}

/// Decide screenshot vs photo vs whole-slide image.
///
/// `head` = the first bytes of the file (up to 256 KiB, or the whole file
/// when smaller), `size` = total file size, `name` = file name (last path
/// component, any case) used only as a tie-breaker.
///
/// Err(message) when the bytes claim a raster format but cannot be read.
pub fn inspect(name: &str, head: &[u8], size: u64) -> Result<RasterVerdict, Message> {
    let fmt = detect(head).ok_or_else(|| msg!("error.raster.no-signature"))?;
    let whole = head.len() as u64 >= size;
    let mut facts = RasterFacts {
        format: fmt.id().to_string(),
        ..RasterFacts::default()
    };
    let mut ev = Evidence::default();
    match fmt {
        Fmt::Png => png::read_png(head, &mut facts, &mut ev)?,
        Fmt::Jpeg => jpeg_gif_webp::read_jpeg(head, whole, &mut facts, &mut ev)?,
        Fmt::Gif => jpeg_gif_webp::read_gif(head, &mut facts)?,
        Fmt::Bmp => bmp::read_bmp(head, &mut facts)?,
        Fmt::Webp => jpeg_gif_webp::read_webp(head, &mut facts, &mut ev)?,
        Fmt::Tiff => tiff::read_tiff(head, whole, &mut facts, &mut ev)?,
        Fmt::Heic | Fmt::Heif | Fmt::Avif => {
            heif::read_heif(fmt, head, whole, &mut facts, &mut ev)?
        }
    }
    let (kind, reason) = classify::classify(fmt, name, head.len(), &facts, &ev);
    Ok(RasterVerdict {
        kind,
        reason,
        facts,
    })
}

/// Facts that decide but are not reported in `RasterFacts`.
#[derive(Debug, Default)]
struct Evidence {
    /// ExposureTime or FNumber present.
    exposure: bool,
    /// XMP says "Screenshot" (macOS/iOS write UserComment "Screenshot").
    xmp_screenshot: bool,
    tiff: Option<tiff::TiffEvidence>,
}

/// A byte count as KiB when at least 1 KiB.
fn kib_text(n: usize) -> Message {
    if n >= 1024 {
        msg!("part.kib", count = n / 1024)
    } else {
        msg!("part.bytes", count = n)
    }
}

#[cfg(test)]
mod tests {
    use super::testdata::*;
    use super::*;

    #[test]
    fn detects_formats() {
        assert_eq!(detect_format(&png(1, 1, &[], &[])), Some("png"));
        assert_eq!(detect_format(&jpeg(1, 1, None)), Some("jpeg"));
        assert_eq!(detect_format(b"GIF87a\x01\0\x01\0"), Some("gif"));
        assert_eq!(detect_format(&bmp(2, 2)), Some("bmp"));
        assert_eq!(detect_format(&webp_vp8x(2, 2)), Some("webp"));
        assert_eq!(detect_format(b"II*\0\x08\0\0\0"), Some("tiff"));
        assert_eq!(detect_format(b"MM\0+\0\x08\0\0"), Some("tiff"));
        assert_eq!(detect_format(&heif(b"heic", &[b"mif1"], &[])), Some("heic"));
        assert_eq!(
            detect_format(&heif(b"mif1", &[b"MiHE", b"heic"], &[])),
            Some("heic")
        );
        assert_eq!(detect_format(&heif(b"mif1", &[b"miaf"], &[])), Some("heif"));
        assert_eq!(detect_format(&heif(b"avif", &[b"mif1"], &[])), Some("avif"));
        assert_eq!(detect_format(&heif(b"mif1", &[b"avif"], &[])), Some("avif"));
        assert_eq!(detect_format(&heif(b"isom", &[b"mp41"], &[])), None);
        assert_eq!(detect_format(b"BM\0\0\0\0"), None);
        assert_eq!(detect_format(b"%PDF-1.7"), None);
        assert_eq!(detect_format(b""), None);
        // DICOM with a TIFF-compatible preamble (dual personality) is DICOM.
        let mut dual = b"II*\0\x08\0\0\0".to_vec();
        dual.resize(128, 0);
        dual.extend_from_slice(b"DICM");
        assert_eq!(detect_format(&dual), None);
    }
    #[test]
    fn errors_say_what_is_wrong() {
        let mut p = png(10, 10, &[], &[]);
        p[12..16].copy_from_slice(b"IDAT");
        assert_eq!(
            run_err("a.png", &p),
            "PNG signature but the IHDR chunk is missing"
        );
        assert!(run_err("a.png", &png(0, 10, &[], &[])).contains("empty image"));
        assert!(run_err("a.png", b"\x89PNG\r\n\x1a\n\0\0").contains("before the IHDR"));

        let j = jpeg(100, 100, None);
        let cut = &j[..24];
        assert!(
            run_err("a.jpg", cut).contains("truncated"),
            "{}",
            run_err("a.jpg", cut)
        );
        let e = inspect("a.jpg", cut, 10_000_000).unwrap_err();
        assert_eq!(
            e.to_string(),
            "JPEG starts correctly but has no frame header in the first 24 bytes"
        );

        assert!(run_err("a.tif", b"MM\0*\0\0\x10\0").contains("past the end"));
        assert!(run_err("a.tif", b"MM\0*\0\0\0\0").contains("no valid first directory"));
        assert!(run_err("a.tif", b"II+\0\x04\0\0\0\0\0\0\0\0\0\0\0").contains("offset size"));
        assert!(run_err("x", b"hello").contains("not a raster"));
        // TIFF directory beyond head of a large file: not an error.
        let v = inspect("big.svs", b"II*\0\0\0\x10\0", 1 << 30).unwrap();
        assert_eq!(v.kind, RasterKind::Slide);
    }
    #[test]
    fn other_formats() {
        let v = run("b.bmp", &bmp(1366, -768));
        assert_eq!((v.facts.width, v.facts.height), (Some(1366), Some(768)));
        assert!(
            v.reason.to_string().contains("screen-sized"),
            "{}",
            v.reason
        );
        let v = run("g.gif", b"GIF89a\x20\x03\x58\x02\0\0\0;");
        assert_eq!((v.facts.width, v.facts.height), (Some(800), Some(600)));
        let v = run("w.webp", &webp_vp8x(1170, 2532));
        assert_eq!((v.facts.width, v.facts.height), (Some(1170), Some(2532)));
        assert_eq!(v.kind, RasterKind::Screenshot);
    }
    #[test]
    fn never_panics_on_prefixes_and_mutations() {
        let mut rng = 0x9E37_79B9_7F4A_7C15u64;
        for (name, data) in sample_inputs() {
            for n in 0..=data.len() {
                let _ = detect_format(&data[..n]);
                let _ = inspect(name, &data[..n], data.len() as u64);
                let _ = inspect(name, &data[..n], n as u64);
            }
            for _ in 0..3000 {
                let mut m = data.clone();
                let edits = 1 + xorshift(&mut rng) % 8;
                for _ in 0..edits {
                    let i = (xorshift(&mut rng) % m.len() as u64) as usize;
                    m[i] = match xorshift(&mut rng) % 4 {
                        0 => 0,
                        1 => 0xFF,
                        _ => xorshift(&mut rng) as u8,
                    };
                }
                let cut = (xorshift(&mut rng) % (m.len() as u64 + 1)) as usize;
                let _ = inspect(name, &m[..cut], m.len() as u64);
                let _ = inspect(name, &m, m.len() as u64);
            }
        }
        // Pure garbage behind each signature.
        for sig in [
            &b"\x89PNG\r\n\x1a\n"[..],
            b"\xFF\xD8\xFF",
            b"II*\0",
            b"MM\0+",
            b"\0\0\0\x18ftypheic",
        ] {
            for _ in 0..500 {
                let mut m = sig.to_vec();
                let len = xorshift(&mut rng) % 300;
                m.extend((0..len).map(|_| xorshift(&mut rng) as u8));
                let _ = inspect("g", &m, m.len() as u64);
            }
        }
    }
    #[test]
    fn corpus_screenshots_case() {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/corpus/case-screenshots"
        );
        if !std::path::Path::new(dir).is_dir() {
            println!("skipping: {dir} not present");
            return;
        }
        let cases = [
            ("IMG_4821.JPG", RasterKind::Photo),
            ("IMG_4822.JPG", RasterKind::Photo),
            ("viewer_screenshot_1.png", RasterKind::Screenshot),
            (
                "Screen Shot 2024-03-02 at 10.14.22.png",
                RasterKind::Screenshot,
            ),
        ];
        for (name, kind) in cases {
            let bytes = std::fs::read(format!("{dir}/{name}")).expect(name);
            let head = &bytes[..bytes.len().min(256 * 1024)];
            let v = inspect(name, head, bytes.len() as u64).expect(name);
            println!("{name}: {:?} — {}", v.kind, v.reason);
            assert_eq!(v.kind, kind, "{name}: {}", v.reason);
            if kind == RasterKind::Photo {
                assert_eq!(
                    v.reason.to_string(),
                    "JPEG with camera EXIF (Make=Apple, Model=iPhone 13)"
                );
            }
            // Sampled prefixes of real files must not panic either.
            let mut n = 0;
            while n < head.len() {
                let _ = inspect(name, &head[..n], bytes.len() as u64);
                n += if n < 2048 { 1 } else { 1021 };
            }
        }
        // The DICOM wrapper next to them is not a raster image.
        let dcm = std::fs::read(format!("{dir}/SC_from_screenshot.dcm")).expect("dcm");
        assert_eq!(detect_format(&dcm), None);
    }
}
