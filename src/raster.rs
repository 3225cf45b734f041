//! Raster images (PNG, JPEG, GIF, BMP, WebP, TIFF/BigTIFF, HEIC/HEIF/AVIF): signature detection and the screenshot / photo / whole-slide decision.
//!
//! # What is read
//!
//! Only the first bytes of the file (`head`, up to 256 KiB from the caller) are looked at.
//! Dimensions come from the `imagesize` crate (JPEG, GIF, WebP) or from the
//! format's own fixed header fields (PNG IHDR, BMP DIB header); EXIF comes
//! from `kamadak-exif` (JPEG, PNG `eXIf`, WebP, HEIF). Three things are parsed
//! here by hand, each bounded by `head` and linear in its length:
//!
//! * TIFF/BigTIFF directories: `kamadak-exif` reads classic TIFF only, stops
//!   after 8 directories and does not expose the tiling or vendor tags of
//!   whole-slide images; `imagesize` gives only the size. One small walker
//!   therefore reads the first directory (size, tiling, description, make,
//!   model, software, XMP, NDPI private tags, Exif/GPS pointers) and counts
//!   the directory chain.
//! * HEIF `ftyp` brands (HEIC vs AVIF vs plain HEIF) and the `ispe` image
//!   size: `imagesize` multiplies two `u32`s in `usize`, which can overflow
//!   (and so panic with overflow checks) on 32-bit wasm.
//! * PNG chunks (`tEXt`/`iTXt` "Software", XMP, `eXIf`): neither crate
//!   exposes PNG text chunks.
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

use std::io::Cursor;

use serde_json::Value;

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

/// Longest text kept from any metadata string.
const MAX_TEXT_CHARS: usize = 200;
/// EXIF blobs larger than this are ignored (JPEG's own limit is 64 KiB).
const MAX_EXIF_BYTES: usize = 128 * 1024;
/// Bytes of a description/XMP searched for vendor words.
const MAX_SEARCH_BYTES: usize = 64 * 1024;
/// Longest TIFF directory chain followed.
const MAX_TIFF_DIRS: usize = 4096;
/// Slide dimension threshold.
const SLIDE_MIN_PX: u32 = 10_000;

// ---------------------------------------------------------------------------
// Format detection

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
    if is_bmp(head) {
        return Some(Fmt::Bmp);
    }
    heif_brand(head)
}

/// "BM" alone is too weak: also require a known DIB header size.
fn is_bmp(head: &[u8]) -> bool {
    head.starts_with(b"BM")
        && matches!(
            le32(head, 14),
            Some(12 | 16 | 40 | 52 | 56 | 64 | 108 | 124)
        )
}

const HEVC_BRANDS: [&[u8; 4]; 8] = [
    b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs",
];
const AVIF_BRANDS: [&[u8; 4]; 2] = [b"avif", b"avis"];
const HEIF_BRANDS: [&[u8; 4]; 4] = [b"mif1", b"msf1", b"mif2", b"miaf"];

/// HEIF family from the `ftyp` box: the major brand, or for a generic major
/// brand (mif1, msf1, ...) the compatible brands. No crate tells HEIC from
/// AVIF from other ISO-BMFF files (MP4, CR3) by brand, so this is done here.
fn heif_brand(head: &[u8]) -> Option<Fmt> {
    if head.get(4..8) != Some(&b"ftyp"[..]) {
        return None;
    }
    let box_len = usize::try_from(be32(head, 0)?).ok()?;
    if box_len < 16 {
        return None;
    }
    let major = head.get(8..12)?;
    let has = |set: &[&[u8; 4]], b: &[u8]| set.iter().any(|x| x.as_slice() == b);
    if has(&HEVC_BRANDS, major) {
        return Some(Fmt::Heic);
    }
    if has(&AVIF_BRANDS, major) {
        return Some(Fmt::Avif);
    }
    if !has(&HEIF_BRANDS, major) {
        return None;
    }
    let compat = head.get(16..box_len.min(head.len())).unwrap_or(&[]);
    let mut fmt = Fmt::Heif;
    for brand in compat.chunks_exact(4) {
        if has(&HEVC_BRANDS, brand) {
            return Some(Fmt::Heic);
        }
        if has(&AVIF_BRANDS, brand) {
            fmt = Fmt::Avif;
        }
    }
    Some(fmt)
}

// ---------------------------------------------------------------------------
// Inspection

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
        Fmt::Png => read_png(head, &mut facts, &mut ev)?,
        Fmt::Jpeg => read_jpeg(head, whole, &mut facts, &mut ev)?,
        Fmt::Gif => read_gif(head, &mut facts)?,
        Fmt::Bmp => read_bmp(head, &mut facts)?,
        Fmt::Webp => read_webp(head, &mut facts, &mut ev)?,
        Fmt::Tiff => read_tiff(head, whole, &mut facts, &mut ev)?,
        Fmt::Heic | Fmt::Heif | Fmt::Avif => read_heif(fmt, head, whole, &mut facts, &mut ev)?,
    }
    let (kind, reason) = classify(fmt, name, head.len(), &facts, &ev);
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
    tiff: Option<TiffEvidence>,
}

#[derive(Debug, Default)]
struct TiffEvidence {
    big: bool,
    /// Set when the first directory is not in `head`.
    dir_unread: bool,
    /// Already-decided slide reason from metadata (Aperio, NDPI, vendor).
    slide: Option<Message>,
    tiled: bool,
    sub_ifds: bool,
    /// Directories seen, plus one if the chain continues past `head`.
    dirs_at_least: u32,
}

/// `1920×1080`, or a message saying the size is unknown.
fn size_text(facts: &RasterFacts) -> Value {
    match (facts.width, facts.height) {
        (Some(w), Some(h)) => format!("{w}×{h}").into(),
        _ => msg!("part.raster.unknown-size").into(),
    }
}

fn kib_text(n: usize) -> Message {
    if n >= 1024 {
        msg!("part.kib", count = n / 1024)
    } else {
        msg!("part.bytes", count = n)
    }
}

// --- PNG -------------------------------------------------------------------

fn read_png(head: &[u8], facts: &mut RasterFacts, ev: &mut Evidence) -> Result<(), Message> {
    if head.len() < 16 {
        return Err(msg!("error.raster.png-short", bytes = head.len()));
    }
    if head.get(12..16) != Some(&b"IHDR"[..]) {
        return Err(msg!("error.raster.png-no-ihdr"));
    }
    let ihdr_len = be32(head, 8).unwrap_or(0);
    if ihdr_len != 13 {
        return Err(msg!("error.raster.png-ihdr-length", length = ihdr_len));
    }
    let (Some(w), Some(h)) = (be32(head, 16), be32(head, 20)) else {
        return Err(msg!("error.raster.png-ihdr-cut"));
    };
    if w == 0 || h == 0 {
        return Err(msg!("error.raster.png-empty", width = w, height = h));
    }
    if w > 0x7FFF_FFFF || h > 0x7FFF_FFFF {
        return Err(msg!("error.raster.png-too-large"));
    }
    facts.width = Some(w);
    facts.height = Some(h);

    // Walk the remaining chunks inside `head`; each step moves >= 12 bytes.
    let mut pos: usize = 8 + 12 + 13;
    while let (Some(len), Some(kind)) = (be32(head, pos), head.get(pos + 4..pos + 8)) {
        let Ok(len) = usize::try_from(len) else { break };
        let start = pos + 8;
        let Some(data) = start.checked_add(len).and_then(|end| head.get(start..end)) else {
            break;
        };
        match kind {
            b"tEXt" if facts.software.is_none() => facts.software = png_text_software(data),
            b"iTXt" => png_itxt(data, facts, ev),
            b"eXIf" if data.len() <= MAX_EXIF_BYTES => {
                let exif = exif::Reader::new()
                    .continue_on_error(true)
                    .read_raw(data.to_vec());
                if let Some(exif) = accept_exif(exif) {
                    apply_exif(&exif, facts, ev);
                }
            }
            b"IEND" => break,
            _ => {}
        }
        pos = start + len + 4;
    }
    Ok(())
}

/// tEXt: keyword\0 Latin-1 text.
fn png_text_software(data: &[u8]) -> Option<String> {
    let (key, text) = split_nul(data)?;
    if key == b"Software" {
        latin1_text(text)
    } else {
        None
    }
}

/// iTXt: keyword\0 flag method language\0 translated\0 text (uncompressed only).
fn png_itxt(data: &[u8], facts: &mut RasterFacts, ev: &mut Evidence) {
    let Some((key, rest)) = split_nul(data) else {
        return;
    };
    let (Some(&flag), Some(rest)) = (rest.first(), rest.get(2..)) else {
        return;
    };
    if flag != 0 {
        return;
    }
    let Some((_lang, rest)) = split_nul(rest) else {
        return;
    };
    let Some((_translated, text)) = split_nul(rest) else {
        return;
    };
    if key == b"Software" && facts.software.is_none() {
        facts.software = utf8_text(text);
    } else if key == b"XML:com.adobe.xmp" && contains_ci(search_prefix(text), b"screenshot") {
        ev.xmp_screenshot = true;
    }
}

// --- JPEG, GIF, WebP (dimensions via imagesize) ----------------------------

fn read_jpeg(
    head: &[u8],
    whole: bool,
    facts: &mut RasterFacts,
    ev: &mut Evidence,
) -> Result<(), Message> {
    match imagesize::blob_size(head) {
        Ok(sz) => set_dims(facts, sz.width, sz.height),
        Err(imagesize::ImageError::IoError(_)) if whole => {
            return Err(msg!("error.raster.jpeg-truncated", bytes = head.len()));
        }
        Err(imagesize::ImageError::IoError(_)) => {
            return Err(msg!(
                "error.raster.jpeg-no-frame",
                read = kib_text(head.len())
            ));
        }
        Err(_) => return Err(msg!("error.raster.jpeg-damaged")),
    }
    if let Some(exif) = container_exif(head) {
        apply_exif(&exif, facts, ev);
    }
    Ok(())
}

fn read_gif(head: &[u8], facts: &mut RasterFacts) -> Result<(), Message> {
    match imagesize::blob_size(head) {
        Ok(sz) => {
            set_dims(facts, sz.width, sz.height);
            Ok(())
        }
        Err(_) => Err(msg!("error.raster.gif-cut", bytes = head.len())),
    }
}

fn read_webp(head: &[u8], facts: &mut RasterFacts, ev: &mut Evidence) -> Result<(), Message> {
    match imagesize::blob_size(head) {
        Ok(sz) => {
            let (mut w, mut h) = (sz.width, sz.height);
            if head.get(12..16) == Some(&b"VP8 "[..]) {
                // Lossy frame: the top two bits of each 16-bit field are a scale.
                w &= 0x3FFF;
                h &= 0x3FFF;
            }
            set_dims(facts, w, h);
        }
        Err(_) => return Err(msg!("error.raster.webp")),
    }
    if let Some(exif) = container_exif(head) {
        apply_exif(&exif, facts, ev);
    }
    Ok(())
}

fn set_dims(facts: &mut RasterFacts, w: usize, h: usize) {
    facts.width = u32::try_from(w).ok().filter(|&v| v > 0);
    facts.height = u32::try_from(h).ok().filter(|&v| v > 0);
}

// --- BMP -------------------------------------------------------------------

/// BMP size is two fixed header fields; `imagesize` reads them as unsigned
/// and misreads top-down (negative height) and OS/2 (16-bit) headers.
fn read_bmp(head: &[u8], facts: &mut RasterFacts) -> Result<(), Message> {
    let dims = if le32(head, 14) == Some(12) {
        le16(head, 18)
            .zip(le16(head, 20))
            .map(|(w, h)| (u32::from(w), u32::from(h)))
    } else {
        le32(head, 18)
            .zip(le32(head, 22))
            .map(|(w, h)| ((w as i32).unsigned_abs(), (h as i32).unsigned_abs()))
    };
    let Some((w, h)) = dims else {
        return Err(msg!("error.raster.bmp-cut", bytes = head.len()));
    };
    facts.width = Some(w).filter(|&v| v > 0);
    facts.height = Some(h).filter(|&v| v > 0);
    Ok(())
}

// --- HEIF ------------------------------------------------------------------

fn read_heif(
    fmt: Fmt,
    head: &[u8],
    whole: bool,
    facts: &mut RasterFacts,
    ev: &mut Evidence,
) -> Result<(), Message> {
    match heif_size(head) {
        Some((w, h)) => {
            facts.width = Some(w).filter(|&v| v > 0);
            facts.height = Some(h).filter(|&v| v > 0);
        }
        None if whole => {
            return Err(msg!("error.raster.heif-no-size", label = fmt.label()));
        }
        None => {}
    }
    if let Some(exif) = container_exif(head) {
        apply_exif(&exif, facts, ev);
    }
    Ok(())
}

/// Largest `ispe` (image spatial extents) in meta/iprp/ipco: the main image
/// (the others are tiles and thumbnails). Stored size, before any rotation.
fn heif_size(head: &[u8]) -> Option<(u32, u32)> {
    let meta = find_box(head, b"meta")?;
    let iprp = find_box(meta.get(4..)?, b"iprp")?; // meta is a full box
    let ipco = find_box(iprp, b"ipco")?;
    let mut best: Option<(u32, u32)> = None;
    for (kind, body) in BoxIter(ipco) {
        if kind != b"ispe" {
            continue;
        }
        if let (Some(w), Some(h)) = (be32(body, 4), be32(body, 8)) {
            let area = u64::from(w) * u64::from(h);
            if best.is_none_or(|(bw, bh)| area > u64::from(bw) * u64::from(bh)) {
                best = Some((w, h));
            }
        }
    }
    best
}

fn find_box<'a>(data: &'a [u8], kind: &[u8; 4]) -> Option<&'a [u8]> {
    BoxIter(data)
        .find(|(k, _)| *k == kind)
        .map(|(_, body)| body)
}

/// ISO-BMFF boxes of one level; a box running past the data is cut to it.
struct BoxIter<'a>(&'a [u8]);

impl<'a> Iterator for BoxIter<'a> {
    type Item = (&'a [u8], &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let data = self.0;
        let size = be32(data, 0)?;
        let kind = data.get(4..8)?;
        let (header, total) = match size {
            0 => (8, data.len()),
            1 => (16, usize::try_from(be64(data, 8)?).unwrap_or(usize::MAX)),
            n => (8, usize::try_from(n).unwrap_or(usize::MAX)),
        };
        if total < header {
            self.0 = &[];
            return None;
        }
        let end = total.min(data.len());
        let body = data.get(header..end).unwrap_or(&[]);
        self.0 = data.get(end..).unwrap_or(&[]);
        Some((kind, body))
    }
}

// --- EXIF via kamadak-exif -------------------------------------------------

fn container_exif(head: &[u8]) -> Option<exif::Exif> {
    let result = exif::Reader::new()
        .continue_on_error(true)
        .read_from_container(&mut Cursor::new(head));
    accept_exif(result)
}

/// Keeps partial results; drops oversized blobs (bounds later value parsing).
fn accept_exif(result: Result<exif::Exif, exif::Error>) -> Option<exif::Exif> {
    let exif = match result {
        Ok(exif) => exif,
        Err(e) => e.distill_partial_result(|_| {}).ok()?,
    };
    (exif.buf().len() <= MAX_EXIF_BYTES).then_some(exif)
}

fn apply_exif(exif: &exif::Exif, facts: &mut RasterFacts, ev: &mut Evidence) {
    use exif::{In, Tag, Value};
    let ascii = |tag: Tag| -> Option<String> {
        match &exif.get_field(tag, In::PRIMARY)?.value {
            Value::Ascii(parts) => parts.iter().find_map(|p| utf8_text(p)),
            _ => None,
        }
    };
    facts.camera_make = facts.camera_make.take().or_else(|| ascii(Tag::Make));
    facts.camera_model = facts.camera_model.take().or_else(|| ascii(Tag::Model));
    facts.software = facts.software.take().or_else(|| ascii(Tag::Software));
    facts.date_taken = facts
        .date_taken
        .take()
        .or_else(|| ascii(Tag::DateTimeOriginal));
    facts.description = facts
        .description
        .take()
        .or_else(|| ascii(Tag::ImageDescription));
    if facts.orientation.is_none() {
        facts.orientation = exif
            .get_field(Tag::Orientation, In::PRIMARY)
            .and_then(|f| f.value.get_uint(0))
            .and_then(|v| u16::try_from(v).ok());
    }
    let present = |tag: Tag| exif.get_field(tag, In::PRIMARY).is_some();
    facts.has_gps |= present(Tag::GPSLatitude) || present(Tag::GPSLongitude);
    ev.exposure |= present(Tag::ExposureTime) || present(Tag::FNumber);
}

// --- TIFF / BigTIFF --------------------------------------------------------

/// Bounded reader over `head` for classic TIFF (12-byte entries, 32-bit
/// offsets) and BigTIFF (20-byte entries, 64-bit offsets).
struct Tiff<'a> {
    d: &'a [u8],
    le: bool,
    big: bool,
}

struct Dir {
    first: usize,
    /// Entries present in `head`.
    n: usize,
    /// Whether all declared entries are in `head`.
    complete: bool,
    /// Next-directory offset, if readable.
    next: Option<u64>,
}

struct Entry {
    tag: u16,
    typ: u16,
    count: u64,
    value_at: usize,
}

impl<'a> Tiff<'a> {
    fn int(&self, at: usize, width: usize) -> Option<u64> {
        let b = self.d.get(at..at.checked_add(width)?)?;
        Some(uint_bytes(b, self.le))
    }

    fn off(&self, at: usize) -> Option<u64> {
        self.int(at, if self.big { 8 } else { 4 })
    }

    fn entry_len(&self) -> usize {
        if self.big {
            20
        } else {
            12
        }
    }

    fn dir(&self, off: u64) -> Option<Dir> {
        let off = usize::try_from(off).ok()?;
        let (count, first) = if self.big {
            (self.int(off, 8)?, off.checked_add(8)?)
        } else {
            (self.int(off, 2)?, off.checked_add(2)?)
        };
        let avail = (self.d.len().saturating_sub(first) / self.entry_len()) as u64;
        let complete = count <= avail;
        let n = usize::try_from(count.min(avail)).ok()?;
        let next = if complete {
            self.off(first + n * self.entry_len())
        } else {
            None
        };
        Some(Dir {
            first,
            n,
            complete,
            next,
        })
    }

    fn entries<'s>(&'s self, dir: &Dir) -> impl Iterator<Item = Entry> + 's {
        let (first, step) = (dir.first, self.entry_len());
        (0..dir.n).filter_map(move |i| {
            let p = first + i * step; // within d: i < n entries fit
            let tag = self.int(p, 2)? as u16;
            let typ = self.int(p + 2, 2)? as u16;
            let (count, value_at) = if self.big {
                (self.int(p + 4, 8)?, p + 12)
            } else {
                (self.int(p + 4, 4)?, p + 8)
            };
            Some(Entry {
                tag,
                typ,
                count,
                value_at,
            })
        })
    }

    /// The value bytes of an entry, when they lie inside `head`.
    fn bytes(&self, e: &Entry) -> Option<&'a [u8]> {
        let unit = match e.typ {
            1 | 2 | 6 | 7 => 1u64,
            3 | 8 => 2,
            4 | 9 | 11 | 13 => 4,
            5 | 10 | 12 | 16 | 17 | 18 => 8,
            _ => return None,
        };
        let total = e.count.checked_mul(unit)?;
        let inline = if self.big { 8 } else { 4 };
        let start = if total <= inline {
            e.value_at as u64
        } else {
            self.off(e.value_at)?
        };
        let start = usize::try_from(start).ok()?;
        let end = start.checked_add(usize::try_from(total).ok()?)?;
        self.d.get(start..end)
    }

    /// First value of an integer entry.
    fn uint(&self, e: &Entry) -> Option<u64> {
        let width = match e.typ {
            1 => 1,
            3 => 2,
            4 | 13 => 4,
            16 | 18 => 8,
            _ => return None,
        };
        self.bytes(e)?.get(..width).map(|b| uint_bytes(b, self.le))
    }
}

#[derive(Default)]
struct Ifd0<'a> {
    width: Option<u64>,
    height: Option<u64>,
    desc: Option<&'a [u8]>,
    make: Option<&'a [u8]>,
    model: Option<&'a [u8]>,
    software: Option<&'a [u8]>,
    xmp: Option<&'a [u8]>,
    orientation: Option<u64>,
    tiled: bool,
    sub_ifds: bool,
    ndpi: bool,
    exposure: bool,
    date_original: Option<&'a [u8]>,
    exif_ifd: Option<u64>,
    gps_ifd: Option<u64>,
}

fn read_tiff(
    head: &[u8],
    whole: bool,
    facts: &mut RasterFacts,
    ev: &mut Evidence,
) -> Result<(), Message> {
    let le = head.starts_with(b"II");
    let big = head.get(2..4) == Some(if le { &b"+\0"[..] } else { &b"\0+"[..] });
    let t = Tiff { d: head, le, big };
    let label = if big { "BigTIFF" } else { "TIFF" };
    let header_len = if big { 16 } else { 8 };
    if head.len() < header_len {
        let bytes = head.len();
        return Err(msg!(
            "error.raster.tiff-header-cut",
            label = label,
            bytes = bytes
        ));
    }
    if big && (t.int(4, 2) != Some(8) || t.int(6, 2) != Some(0)) {
        return Err(msg!("error.raster.bigtiff-offset-size"));
    }
    let first = t.off(if big { 8 } else { 4 }).unwrap_or(0);
    if first < header_len as u64 {
        return Err(msg!(
            "error.raster.tiff-no-first-dir",
            label = label,
            offset = first
        ));
    }
    let mut tiff_ev = TiffEvidence {
        big,
        ..TiffEvidence::default()
    };
    let dir0 = match t.dir(first) {
        Some(dir) if dir.complete && dir.n == 0 => {
            return Err(msg!(
                "error.raster.tiff-empty-dir",
                label = label,
                offset = first
            ));
        }
        Some(dir) if !dir.complete && whole => {
            return Err(msg!(
                "error.raster.tiff-dir-cut",
                label = label,
                offset = first
            ));
        }
        Some(dir) if dir.n > 0 => dir,
        None if whole => {
            return Err(msg!(
                "error.raster.tiff-dir-past-end",
                label = label,
                offset = first,
                bytes = head.len(),
            ));
        }
        _ => {
            // Directory beyond (or straddling the end of) the bytes given.
            tiff_ev.dir_unread = true;
            ev.tiff = Some(tiff_ev);
            return Ok(());
        }
    };

    let mut d = Ifd0::default();
    for e in t.entries(&dir0) {
        match e.tag {
            256 => d.width = t.uint(&e),
            257 => d.height = t.uint(&e),
            270 => d.desc = t.bytes(&e),
            271 => d.make = t.bytes(&e),
            272 => d.model = t.bytes(&e),
            274 => d.orientation = t.uint(&e),
            305 => d.software = t.bytes(&e),
            322 => d.tiled = true,
            330 => d.sub_ifds = true,
            700 => d.xmp = t.bytes(&e),
            33434 | 33437 => d.exposure = true,
            34665 => d.exif_ifd = t.uint(&e),
            34853 => d.gps_ifd = t.uint(&e),
            36867 => d.date_original = t.bytes(&e),
            65420..=65480 => d.ndpi = true,
            _ => {}
        }
    }
    if let Some(exif_dir) = d.exif_ifd.and_then(|o| t.dir(o)) {
        for e in t.entries(&exif_dir) {
            match e.tag {
                33434 | 33437 => d.exposure = true,
                36867 => d.date_original = d.date_original.or(t.bytes(&e)),
                _ => {}
            }
        }
    }
    if let Some(gps_dir) = d.gps_ifd.and_then(|o| t.dir(o)) {
        facts.has_gps = t.entries(&gps_dir).any(|e| e.tag == 2 || e.tag == 4);
    }
    match (d.width, d.height) {
        (Some(w), Some(h)) => {
            facts.width = u32::try_from(w).ok().filter(|&v| v > 0);
            facts.height = u32::try_from(h).ok().filter(|&v| v > 0);
        }
        _ if dir0.complete => {
            return Err(msg!("error.raster.tiff-no-size", label = label));
        }
        _ => {} // the size tags may be in the part not given
    }
    fill_tiff(facts, ev, tiff_ev, &d, &t, &dir0, whole);
    Ok(())
}

fn fill_tiff(
    facts: &mut RasterFacts,
    ev: &mut Evidence,
    mut tiff_ev: TiffEvidence,
    d: &Ifd0,
    t: &Tiff,
    dir0: &Dir,
    whole: bool,
) {
    facts.camera_make = d.make.and_then(utf8_text);
    facts.camera_model = d.model.and_then(utf8_text);
    facts.software = d.software.and_then(utf8_text);
    facts.description = d.desc.and_then(utf8_text);
    facts.date_taken = d.date_original.and_then(utf8_text);
    facts.orientation = d.orientation.and_then(|v| u16::try_from(v).ok());
    ev.exposure = d.exposure;

    // Count the directory chain (each step O(1); cycles stop at a repeat).
    let mut seen = std::collections::BTreeSet::new();
    let mut count: u32 = 1;
    let mut next = dir0.next;
    let mut complete = false;
    seen.insert(dir0.first);
    while seen.len() < MAX_TIFF_DIRS {
        match next {
            Some(0) => {
                complete = true;
                break;
            }
            Some(off) => match t.dir(off).filter(|dir| dir.complete) {
                Some(dir) if seen.insert(dir.first) => {
                    count += 1;
                    next = dir.next;
                }
                Some(_) => break, // loop in the chain
                None => {
                    if !whole {
                        count += 1; // a directory exists beyond `head`
                    }
                    break; // else: a broken pointer, so the count stays unknown
                }
            },
            None => break,
        }
    }
    facts.pages = complete.then_some(count);
    tiff_ev.dirs_at_least = count;
    tiff_ev.tiled = d.tiled;
    tiff_ev.sub_ifds = d.sub_ifds;
    let label = if tiff_ev.big { "BigTIFF" } else { "TIFF" };
    tiff_ev.slide = slide_from_metadata(d, label);
    ev.tiff = Some(tiff_ev);
}

const SLIDE_VENDORS: [(&str, &str); 5] = [
    ("hamamatsu", "Hamamatsu"),
    ("leica", "Leica"),
    ("ventana", "Ventana"),
    ("philips", "Philips"),
    ("roche", "Roche"),
];
/// Specific words only: TIFF exports from radiology (Philips CT, ...) or
/// cameras (Leica) must not match, and XMP may hold base64 blobs, so XMP
/// is searched for vendor names and "iScan" (Ventana BIF) only.
const SLIDE_WORDS: [&str; 15] = [
    "slide",
    "nanozoomer",
    "scanscope",
    "appmag",
    "mag=",
    "magnification",
    "mpp",
    "objective",
    "level=",
    "dpufsimport",
    "pim_dp",
    "tissue",
    "microscop",
    "patholog",
    "leica-microsystems.com/scn",
];

/// `label`: `TIFF` or `BigTIFF`.
fn slide_from_metadata(d: &Ifd0, label: &str) -> Option<Message> {
    if let Some(desc) = d.desc {
        let start = desc.iter().position(|b| !b.is_ascii_whitespace());
        if start
            .and_then(|s| desc.get(s..s + 6))
            .is_some_and(|p| p.eq_ignore_ascii_case(b"aperio"))
        {
            return Some(msg!("reason.raster.aperio", label = label));
        }
    }
    if d.ndpi {
        return Some(msg!("reason.raster.ndpi", label = label));
    }
    let texts: Vec<&[u8]> = [d.desc, d.make, d.model, d.software]
        .into_iter()
        .flatten()
        .map(search_prefix)
        .collect();
    let xmp = d.xmp.map(search_prefix).unwrap_or_default();
    let in_texts = |word: &str| texts.iter().any(|t| contains_ci(t, word.as_bytes()));
    let vendor = SLIDE_VENDORS
        .iter()
        .find(|(w, _)| in_texts(w) || contains_ci(xmp, w.as_bytes()))?;
    let word = SLIDE_WORDS
        .iter()
        .copied()
        .find(|w| in_texts(w))
        .or_else(|| contains_ci(xmp, b"iscan").then_some("iScan"))?;
    Some(msg!(
        "reason.raster.slide-vendor",
        label = label,
        vendor = vendor.1,
        word = word,
    ))
}

// ---------------------------------------------------------------------------
// Classification

fn classify(
    fmt: Fmt,
    name: &str,
    head_len: usize,
    facts: &RasterFacts,
    ev: &Evidence,
) -> (RasterKind, Message) {
    use RasterKind::{Photo, Screenshot, Slide};
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let lower = file.to_lowercase();
    let (stem, ext) = match lower.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s, e),
        _ => (lower.as_str(), ""),
    };
    let label = match &ev.tiff {
        Some(t) if t.big => "BigTIFF",
        _ => fmt.label(),
    };
    let dims = size_text(facts);
    let shot_name = is_screenshot_name(&lower);

    // 1. Whole-slide images.
    if let Some(t) = &ev.tiff {
        let slide_ext = matches!(ext, "svs" | "ndpi" | "scn" | "mrxs" | "bif");
        if let Some(reason) = &t.slide {
            return (Slide, reason.clone());
        }
        if t.dir_unread {
            let read = kib_text(head_len);
            if slide_ext {
                return (
                    Slide,
                    msg!(
                        "reason.raster.slide-dir-unread",
                        label = label,
                        ext = ext,
                        read = read
                    ),
                );
            }
            return (
                Screenshot,
                msg!("reason.raster.tiff-dir-unread", label = label, read = read),
            );
        }
        let longest = facts.width.max(facts.height).unwrap_or(0);
        if t.tiled && longest >= SLIDE_MIN_PX && (t.dirs_at_least >= 2 || t.sub_ifds || t.big) {
            let count = t.dirs_at_least;
            let levels = if t.sub_ifds && count < 2 {
                msg!("part.raster.levels-subifd")
            } else if facts.pages == Some(1) {
                msg!("part.raster.levels-one")
            } else if facts.pages.is_some() {
                msg!("part.raster.levels", count = count)
            } else {
                msg!("part.raster.levels-at-least", count = count)
            };
            return (
                Slide,
                msg!(
                    "reason.raster.pyramid",
                    label = label,
                    dims = dims,
                    levels = levels
                ),
            );
        }
        if t.tiled && slide_ext {
            return (
                Slide,
                msg!(
                    "reason.raster.tiled-named",
                    label = label,
                    dims = dims,
                    ext = ext
                ),
            );
        }
    }

    // 2. Camera EXIF.
    let make_model = match (&facts.camera_make, &facts.camera_model) {
        (Some(m), Some(o)) => Some(format!("Make={m}, Model={o}")),
        (Some(m), None) => Some(format!("Make={m}")),
        (None, Some(o)) => Some(format!("Model={o}")),
        (None, None) => None,
    };
    let scanner = [&facts.camera_make, &facts.camera_model]
        .into_iter()
        .flatten()
        .any(|s| s.to_lowercase().contains("scan"));
    let strong = ev.exposure || facts.has_gps;
    if let Some(mm) = &make_model {
        let is_tiff = ev.tiff.is_some();
        if scanner || (is_tiff && !strong && facts.date_taken.is_none()) {
            return (
                Screenshot,
                msg!(
                    "reason.raster.scanner",
                    label = label,
                    dims = dims,
                    camera = mm.clone()
                ),
            );
        }
        if shot_name && !strong {
            return (
                Screenshot,
                msg!(
                    "reason.raster.shot-name-exif",
                    label = label,
                    dims = dims,
                    camera = mm.clone(),
                ),
            );
        }
        return (
            Photo,
            msg!("reason.raster.camera", label = label, camera = mm.clone()),
        );
    }
    if facts.has_gps {
        return (Photo, msg!("reason.raster.gps", label = label));
    }
    if ev.exposure && facts.date_taken.is_some() {
        return (Photo, msg!("reason.raster.exposure", label = label));
    }

    // 3. Phone camera container.
    if matches!(fmt, Fmt::Heic | Fmt::Heif) {
        if shot_name {
            return (
                Screenshot,
                msg!("reason.raster.shot-name", label = label, dims = dims),
            );
        }
        return (Photo, msg!("reason.raster.phone-format", label = label));
    }

    // 4. EXIF-less JPEG named like a phone or messenger photo.
    if let Some(reason) = named_photo_reason(fmt, file, stem, facts) {
        return (Photo, reason);
    }

    // 5. Screenshots, exports, scans.
    if shot_name {
        return (
            Screenshot,
            msg!("reason.raster.shot-name", label = label, dims = dims),
        );
    }
    if let Some(sw) = facts.software.as_deref().filter(|s| is_screenshot_tool(s)) {
        return (
            Screenshot,
            msg!(
                "reason.raster.screenshot-tool",
                label = label,
                dims = dims,
                software = sw
            ),
        );
    }
    if ev.xmp_screenshot {
        return (
            Screenshot,
            msg!("reason.raster.xmp-screenshot", label = label, dims = dims),
        );
    }
    if facts
        .width
        .zip(facts.height)
        .is_some_and(|(w, h)| is_screen_size(w, h))
    {
        return (
            Screenshot,
            msg!("reason.raster.screen-sized", label = label, dims = dims),
        );
    }
    if ev.tiff.is_some() {
        return (
            Screenshot,
            msg!("reason.raster.tiff-export", label = label, dims = dims),
        );
    }
    (
        Screenshot,
        msg!("reason.raster.no-exif", label = label, dims = dims),
    )
}

/// Rule 4: camera aspect and size plus a phone-camera or messenger name.
fn named_photo_reason(fmt: Fmt, file: &str, stem: &str, facts: &RasterFacts) -> Option<Message> {
    if fmt != Fmt::Jpeg {
        return None;
    }
    let (w, h) = facts.width.zip(facts.height)?;
    let aspect = camera_aspect(w, h)?;
    let mp = f64::from(w) * f64::from(h) / 1e6;
    let short = truncate_chars(file, 40);
    let megapixels = format!("{mp:.1}");
    if is_messenger_name(stem) && mp >= 0.75 {
        return Some(msg!(
            "reason.raster.messenger",
            width = w,
            height = h,
            aspect = aspect,
            mp = megapixels,
            name = short,
        ));
    }
    if is_phone_photo_name(stem) && mp >= 2.0 {
        return Some(msg!(
            "reason.raster.phone-name",
            width = w,
            height = h,
            aspect = aspect,
            mp = megapixels,
            name = short,
        ));
    }
    None
}

fn is_screenshot_name(lower: &str) -> bool {
    const WORDS: [&str; 20] = [
        "screenshot",
        "screen shot",
        "screen_shot",
        "screen-shot",
        "screencap",
        "bildschirmfoto",
        "capture d’écran",
        "capture d'écran",
        "captura de pantalla",
        "schermata",
        "schermafbeelding",
        "スクリーンショット",
        "截屏",
        "截图",
        "屏幕截图",
        "微信截图",
        "螢幕擷取",
        "snipaste",
        "скриншот",
        "снимок экрана",
    ];
    WORDS.iter().any(|w| lower.contains(w))
}

fn is_screenshot_tool(software: &str) -> bool {
    const TOOLS: [&str; 17] = [
        "screenshot",
        "screen shot",
        "screenshooter",
        "greenshot",
        "sharex",
        "snipaste",
        "shutter",
        "spectacle",
        "flameshot",
        "lightshot",
        "snagit",
        "snipping",
        "screenclip",
        "skitch",
        "cleanshot",
        "monosnap",
        "ksnapshot",
    ];
    let lower = software.to_lowercase();
    TOOLS.iter().any(|t| lower.contains(t))
}

/// Number of ASCII digits at the start of `s`.
fn digits(s: &str) -> usize {
    s.bytes().take_while(u8::is_ascii_digit).count()
}

/// IMG_1234, IMG_E1234, IMG20240101123456, IMG_20240101_..., PXL_2024...,
/// DSC_1234, DSCN1234, DSCF1234, 20240101_123456 (Samsung).
fn is_phone_photo_name(stem: &str) -> bool {
    if let Some(rest) = stem.strip_prefix("img") {
        let rest = rest.strip_prefix(['_', '-']).unwrap_or(rest);
        let rest = rest.strip_prefix('e').unwrap_or(rest);
        return digits(rest) >= 4;
    }
    if let Some(rest) = stem.strip_prefix("pxl_") {
        return digits(rest) >= 8;
    }
    if let Some(rest) = stem.strip_prefix("dsc") {
        let rest = rest.strip_prefix(['_', 'n', 'f']).unwrap_or(rest);
        return digits(rest) >= 4;
    }
    digits(stem) == 8
        && stem.get(8..9) == Some("_")
        && stem.get(9..).is_some_and(|r| digits(r) >= 6)
}

/// WeChat (mmexport…, 微信图片_…, wx_camera_…), WhatsApp (IMG-20240101-WA0001),
/// Telegram (photo_2024-…), Signal (signal-2024-…), QQ/TIM (QQ图片…), Viber.
fn is_messenger_name(stem: &str) -> bool {
    if stem.starts_with("mmexport")
        || stem.starts_with("wx_camera_")
        || stem.contains("微信图片")
        || stem.starts_with("qq图片")
        || stem.starts_with("tim图片")
        || stem.starts_with("viber_image")
    {
        return true;
    }
    if let Some(rest) = stem.strip_prefix("img-") {
        return digits(rest) == 8 && rest.get(8..11) == Some("-wa");
    }
    if let Some(rest) = stem.strip_prefix("photo_") {
        return digits(rest) >= 4;
    }
    if let Some(rest) = stem.strip_prefix("signal-") {
        return digits(rest) >= 4;
    }
    false
}

/// "4:3" or "3:2" (either orientation) within 1 %.
fn camera_aspect(w: u32, h: u32) -> Option<&'static str> {
    let (long, short) = (f64::from(w.max(h)), f64::from(w.min(h)));
    if short <= 0.0 {
        return None;
    }
    let r = long / short;
    if (r - 4.0 / 3.0).abs() <= 0.01 * 4.0 / 3.0 {
        Some(if w >= h { "4:3" } else { "3:4" })
    } else if (r - 1.5).abs() <= 0.015 {
        Some(if w >= h { "3:2" } else { "2:3" })
    } else {
        None
    }
}

/// Desktop/laptop logical resolutions; also matched at 125–200 % scale.
#[rustfmt::skip]
const LOGICAL_SCREENS: [(u32, u32); 26] = [
    (800, 600), (1024, 600), (1024, 768), (1152, 864), (1280, 720), (1280, 800), (1280, 832),
    (1280, 1024), (1360, 768), (1366, 768), (1400, 1050), (1440, 900), (1470, 956), (1512, 982),
    (1536, 864), (1600, 900), (1600, 1200), (1680, 1050), (1728, 1117), (1920, 1080),
    (1920, 1200), (2048, 1152), (2560, 1080), (2560, 1440), (2560, 1600), (3440, 1440),
];
/// Scales in quarters: 100 %, 125 %, 150 %, 175 %, 200 %.
const SCALES_X4: [u32; 5] = [4, 5, 6, 7, 8];
/// Native panel sizes of laptops, tablets and phones (portrait for phones).
#[rustfmt::skip]
const NATIVE_SCREENS: [(u32, u32); 54] = [
    (2160, 1440), (2256, 1504), (2304, 1440), (2496, 1664), (2560, 1664), (2736, 1824),
    (2880, 1864), (3000, 2000), (3024, 1964), (3456, 2234), (3840, 2400), (4480, 2520),
    (5120, 2880), (2048, 1536), (2160, 1620), (2224, 1668), (2266, 1488), (2360, 1640),
    (2388, 1668), (2420, 1668), (2732, 2048), (2752, 2064), (640, 960), (640, 1136),
    (750, 1334), (828, 1792), (1080, 1920), (1125, 2436), (1170, 2532), (1179, 2556),
    (1206, 2622), (1242, 2208), (1242, 2688), (1284, 2778), (1290, 2796), (1320, 2868),
    (720, 1280), (720, 1520), (720, 1600), (1080, 2160), (1080, 2220), (1080, 2280),
    (1080, 2340), (1080, 2400), (1080, 2408), (1080, 2412), (1220, 2712), (1260, 2800),
    (1280, 2856), (1344, 2992), (1440, 2560), (1440, 3040), (1440, 3120), (1440, 3200),
];
const SCREEN_TOLERANCE_PX: u32 = 4;

fn is_screen_size(w: u32, h: u32) -> bool {
    let near = |cw: u32, ch: u32| {
        (w.abs_diff(cw) <= SCREEN_TOLERANCE_PX && h.abs_diff(ch) <= SCREEN_TOLERANCE_PX)
            || (w.abs_diff(ch) <= SCREEN_TOLERANCE_PX && h.abs_diff(cw) <= SCREEN_TOLERANCE_PX)
    };
    NATIVE_SCREENS.iter().any(|&(cw, ch)| near(cw, ch))
        || LOGICAL_SCREENS.iter().any(|&(cw, ch)| {
            SCALES_X4
                .iter()
                .any(|&s| near((cw * s + 2) / 4, (ch * s + 2) / 4))
        })
}

// ---------------------------------------------------------------------------
// Byte and text helpers (all bounds-checked)

fn be32(d: &[u8], at: usize) -> Option<u32> {
    d.get(at..at.checked_add(4)?)?
        .try_into()
        .ok()
        .map(u32::from_be_bytes)
}

fn be64(d: &[u8], at: usize) -> Option<u64> {
    d.get(at..at.checked_add(8)?)?
        .try_into()
        .ok()
        .map(u64::from_be_bytes)
}

fn le16(d: &[u8], at: usize) -> Option<u16> {
    d.get(at..at.checked_add(2)?)?
        .try_into()
        .ok()
        .map(u16::from_le_bytes)
}

fn le32(d: &[u8], at: usize) -> Option<u32> {
    d.get(at..at.checked_add(4)?)?
        .try_into()
        .ok()
        .map(u32::from_le_bytes)
}

/// Unsigned integer of 1..=8 bytes in the given byte order.
fn uint_bytes(b: &[u8], le: bool) -> u64 {
    let fold = |acc: u64, &x: &u8| (acc << 8) | u64::from(x);
    if le {
        b.iter().rev().fold(0, fold)
    } else {
        b.iter().fold(0, fold)
    }
}

fn split_nul(d: &[u8]) -> Option<(&[u8], &[u8])> {
    let i = d.iter().position(|&b| b == 0)?;
    Some((d.get(..i)?, d.get(i + 1..)?))
}

fn search_prefix(b: &[u8]) -> &[u8] {
    &b[..b.len().min(MAX_SEARCH_BYTES)]
}

fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty()
        && hay
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

fn truncate_chars(s: &str, max: usize) -> String {
    let mut out: String = s.chars().take(max).collect();
    if s.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

/// Text up to the first NUL, control characters and runs of whitespace
/// folded to one space, trimmed, at most `MAX_TEXT_CHARS` characters.
fn clean_text(chars: impl Iterator<Item = char>) -> Option<String> {
    let mut out = String::new();
    let mut count = 0;
    let mut pending_space = false;
    for c in chars {
        if c == '\0' {
            break;
        }
        if c.is_whitespace() || c.is_control() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            count += 1;
            pending_space = false;
        }
        if count >= MAX_TEXT_CHARS {
            break;
        }
        out.push(c);
        count += 1;
    }
    let out = out.chars().take(MAX_TEXT_CHARS).collect::<String>();
    (!out.is_empty()).then_some(out)
}

/// UTF-8 text; bytes that are not UTF-8 are read as Latin-1 (no U+FFFD).
fn utf8_text(b: &[u8]) -> Option<String> {
    // A character is at most 4 bytes: this prefix holds enough text.
    let b = &b[..b.len().min(MAX_TEXT_CHARS * 8)];
    match std::str::from_utf8(b) {
        Ok(s) => clean_text(s.chars()),
        // Only the last character was cut by the prefix above.
        Err(e) if e.error_len().is_none() => {
            clean_text(String::from_utf8_lossy(b.get(..e.valid_up_to()).unwrap_or(&[])).chars())
        }
        Err(_) => latin1_text(b),
    }
}

fn latin1_text(b: &[u8]) -> Option<String> {
    clean_text(b.iter().map(|&x| char::from(x)))
}

// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    // --- builders ---------------------------------------------------------

    fn png(w: u32, h: u32, text: &[(&str, &str)], itxt: &[(&str, &str)]) -> Vec<u8> {
        let mut v = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&w.to_be_bytes());
        ihdr.extend_from_slice(&h.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
        chunk(&mut v, b"IHDR", &ihdr);
        for (k, t) in text {
            chunk(
                &mut v,
                b"tEXt",
                &[k.as_bytes(), b"\0", t.as_bytes()].concat(),
            );
        }
        for (k, t) in itxt {
            chunk(
                &mut v,
                b"iTXt",
                &[k.as_bytes(), b"\0\0\0\0\0", t.as_bytes()].concat(),
            );
        }
        chunk(&mut v, b"IDAT", &[0x78, 0x9c, 0, 0]);
        chunk(&mut v, b"IEND", &[]);
        v
    }

    fn chunk(v: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        v.extend_from_slice(&(data.len() as u32).to_be_bytes());
        v.extend_from_slice(kind);
        v.extend_from_slice(data);
        v.extend_from_slice(&[0, 0, 0, 0]); // CRC not checked
    }

    enum Val<'a> {
        Ascii(&'a str),
        Short(u16),
        Long(u32),
        Rational(u32, u32),
    }

    /// Big-endian classic TIFF: IFD0 entries, optional Exif sub-IFD entries,
    /// plus `extra_dirs` empty-ish directories chained after IFD0.
    fn tiff(ifd0: &[(u16, Val)], exif: &[(u16, Val)], extra_dirs: usize) -> Vec<u8> {
        let mut out = b"MM\0*\0\0\0\x08".to_vec();
        let n_main = ifd0.len() + usize::from(!exif.is_empty());
        let ifd0_len = 2 + 12 * n_main + 4;
        let exif_at = 8 + ifd0_len;
        let exif_len = if exif.is_empty() {
            0
        } else {
            2 + 12 * exif.len() + 4
        };
        let extra_at = exif_at + exif_len;
        let extra_len = 2 + 12 + 4;
        let mut data_at = extra_at + extra_dirs * extra_len;
        let mut data = Vec::new();
        let dir = |entries: &[(u16, Val)],
                   sub: Option<u32>,
                   next: u32,
                   data: &mut Vec<u8>,
                   data_at: &mut usize| {
            let mut ents: Vec<(u16, u16, u32, [u8; 4])> = Vec::new();
            for (tag, val) in entries {
                let (typ, count, bytes): (u16, u32, Vec<u8>) = match val {
                    Val::Ascii(s) => (2, s.len() as u32 + 1, [s.as_bytes(), b"\0"].concat()),
                    Val::Short(x) => (3, 1, x.to_be_bytes().to_vec()),
                    Val::Long(x) => (4, 1, x.to_be_bytes().to_vec()),
                    Val::Rational(a, b) => (5, 1, [a.to_be_bytes(), b.to_be_bytes()].concat()),
                };
                let mut field = [0u8; 4];
                if bytes.len() <= 4 {
                    field[..bytes.len()].copy_from_slice(&bytes);
                } else {
                    field = (*data_at as u32).to_be_bytes();
                    data.extend_from_slice(&bytes);
                    *data_at += bytes.len();
                }
                ents.push((*tag, typ, count, field));
            }
            if let Some(off) = sub {
                ents.push((34665, 4, 1, off.to_be_bytes()));
            }
            ents.sort_by_key(|e| e.0);
            let mut v = (ents.len() as u16).to_be_bytes().to_vec();
            for (tag, typ, count, field) in ents {
                v.extend_from_slice(&tag.to_be_bytes());
                v.extend_from_slice(&typ.to_be_bytes());
                v.extend_from_slice(&count.to_be_bytes());
                v.extend_from_slice(&field);
            }
            v.extend_from_slice(&next.to_be_bytes());
            v
        };
        let first_next = if extra_dirs > 0 { extra_at as u32 } else { 0 };
        let sub = (!exif.is_empty()).then_some(exif_at as u32);
        out.extend(dir(ifd0, sub, first_next, &mut data, &mut data_at));
        if !exif.is_empty() {
            out.extend(dir(exif, None, 0, &mut data, &mut data_at));
        }
        for i in 0..extra_dirs {
            let next = if i + 1 < extra_dirs {
                (extra_at + (i + 1) * extra_len) as u32
            } else {
                0
            };
            out.extend(dir(
                &[(256, Val::Long(512))],
                None,
                next,
                &mut data,
                &mut data_at,
            ));
        }
        out.extend(data);
        out
    }

    fn jpeg(w: u16, h: u16, exif_tiff: Option<&[u8]>) -> Vec<u8> {
        let mut v = vec![0xFF, 0xD8];
        v.extend_from_slice(&[0xFF, 0xE0, 0, 16]);
        v.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        if let Some(t) = exif_tiff {
            v.extend_from_slice(&[0xFF, 0xE1]);
            v.extend_from_slice(&((t.len() + 8) as u16).to_be_bytes());
            v.extend_from_slice(b"Exif\0\0");
            v.extend_from_slice(t);
        }
        v.extend_from_slice(&[0xFF, 0xC0, 0, 17, 8]);
        v.extend_from_slice(&h.to_be_bytes());
        v.extend_from_slice(&w.to_be_bytes());
        v.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        v.extend_from_slice(&[0xFF, 0xDA, 0, 12, 3, 1, 0, 2, 0x11, 3, 0x11, 0, 63, 0]);
        v.extend_from_slice(&[0x12, 0x34, 0x56, 0xFF, 0x00, 0x78]);
        v.extend_from_slice(&[0xFF, 0xD9]);
        v
    }

    fn bx(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut v = ((body.len() + 8) as u32).to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(body);
        v
    }

    fn ispe(w: u32, h: u32) -> Vec<u8> {
        bx(
            b"ispe",
            &[&[0u8; 4][..], &w.to_be_bytes(), &h.to_be_bytes()].concat(),
        )
    }

    fn heif(major: &[u8; 4], compat: &[&[u8; 4]], sizes: &[(u32, u32)]) -> Vec<u8> {
        let mut ftyp = major.to_vec();
        ftyp.extend_from_slice(&[0, 0, 0, 0]);
        for c in compat {
            ftyp.extend_from_slice(*c);
        }
        let ipco: Vec<u8> = sizes.iter().flat_map(|&(w, h)| ispe(w, h)).collect();
        let iprp = bx(b"iprp", &bx(b"ipco", &ipco));
        let meta = bx(
            b"meta",
            &[&[0u8; 4][..], &bx(b"hdlr", &[0; 24]), &iprp].concat(),
        );
        [bx(b"ftyp", &ftyp), meta, bx(b"mdat", &[1, 2, 3, 4])].concat()
    }

    fn run(name: &str, data: &[u8]) -> RasterVerdict {
        inspect(name, data, data.len() as u64).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn iphone_exif() -> Vec<u8> {
        tiff(
            &[
                (271, Val::Ascii("Apple")),
                (272, Val::Ascii("iPhone 13")),
                (274, Val::Short(6)),
                (305, Val::Ascii("17.2.1")),
            ],
            &[
                (33434, Val::Rational(1, 60)),
                (33437, Val::Rational(18, 10)),
                (36867, Val::Ascii("2024:03:02 10:16:05")),
            ],
            0,
        )
    }

    fn aperio_tiff() -> Vec<u8> {
        tiff(
            &[
                (256, Val::Long(46000)),
                (257, Val::Long(32914)),
                (
                    270,
                    Val::Ascii(
                        "Aperio Image Library v12.0.15 \r\n46000x32914 [0,100 46000x32914] (240x240) JPEG/RGB Q=70|AppMag = 20|MPP = 0.4990",
                    ),
                ),
                (322, Val::Short(240)),
                (323, Val::Short(240)),
            ],
            &[],
            3,
        )
    }

    fn sample_inputs() -> Vec<(&'static str, Vec<u8>)> {
        vec![
            ("a.png", png(1920, 1080, &[("Software", "Greenshot")], &[])),
            ("IMG_1.JPG", jpeg(4032, 3024, Some(&iphone_exif()))),
            ("x.svs", aperio_tiff()),
            (
                "p.heic",
                heif(b"heic", &[b"mif1", b"heic"], &[(512, 512), (4032, 3024)]),
            ),
            ("b.bmp", bmp(800, -600)),
            ("g.gif", b"GIF89a\x20\x03\x58\x02\0\0\0;".to_vec()),
            ("w.webp", webp_vp8x(1170, 2532)),
        ]
    }

    fn bmp(w: i32, h: i32) -> Vec<u8> {
        let mut v = b"BM".to_vec();
        v.extend_from_slice(&[0; 12]);
        v.extend_from_slice(&40u32.to_le_bytes());
        v.extend_from_slice(&w.to_le_bytes());
        v.extend_from_slice(&h.to_le_bytes());
        v.extend_from_slice(&1u16.to_le_bytes());
        v.extend_from_slice(&24u16.to_le_bytes());
        v.extend_from_slice(&[0; 24]);
        v
    }

    fn webp_vp8x(w: u32, h: u32) -> Vec<u8> {
        let mut body = b"WEBPVP8X".to_vec();
        body.extend_from_slice(&10u32.to_le_bytes());
        body.extend_from_slice(&[0, 0, 0, 0]);
        body.extend_from_slice(&(w - 1).to_le_bytes()[..3]);
        body.extend_from_slice(&(h - 1).to_le_bytes()[..3]);
        let mut v = b"RIFF".to_vec();
        v.extend_from_slice(&(body.len() as u32).to_le_bytes());
        v.extend(body);
        v
    }

    // --- detection --------------------------------------------------------

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

    // --- decisions ----------------------------------------------------------

    #[test]
    fn png_screen_sized_is_screenshot() {
        let v = run("viewer.png", &png(1920, 1080, &[], &[]));
        assert_eq!(v.kind, RasterKind::Screenshot);
        assert_eq!(
            v.reason.to_string(),
            "PNG 1920×1080, no camera EXIF, screen-sized"
        );
        assert_eq!((v.facts.width, v.facts.height), (Some(1920), Some(1080)));
        // HiDPI multiple, a few px off, phone portrait.
        assert!(is_screen_size(2880, 1800));
        assert!(is_screen_size(1922, 1078));
        assert!(is_screen_size(1170, 2532));
        assert!(is_screen_size(2532, 1170));
        assert!(!is_screen_size(4032, 3024));
        assert!(!is_screen_size(1000, 1000));
    }

    #[test]
    fn png_hints() {
        let v = run("a.png", &png(1000, 700, &[("Software", "Greenshot")], &[]));
        assert_eq!(v.kind, RasterKind::Screenshot);
        assert!(
            v.reason.to_string().contains("Software=Greenshot"),
            "{}",
            v.reason
        );
        assert_eq!(v.facts.software.as_deref(), Some("Greenshot"));

        let xmp = "<x:xmpmeta><exif:UserComment>Screenshot</exif:UserComment></x:xmpmeta>";
        let v = run(
            "IMG_0001.PNG",
            &png(1000, 700, &[], &[("XML:com.adobe.xmp", xmp)]),
        );
        assert!(v.reason.to_string().contains("XMP"), "{}", v.reason);

        let v = run("微信截图_20240301.png", &png(1000, 700, &[], &[]));
        assert!(
            v.reason.to_string().contains("screenshot-style name"),
            "{}",
            v.reason
        );

        let v = run("export.png", &png(1000, 700, &[], &[]));
        assert_eq!(v.kind, RasterKind::Screenshot);
        assert!(
            v.reason.to_string().contains("no camera EXIF"),
            "{}",
            v.reason
        );
        // iOS names screenshots IMG_1234.PNG: no photo rule for PNG.
        let v = run("IMG_1234.PNG", &png(4032, 3024, &[], &[]));
        assert_eq!(v.kind, RasterKind::Screenshot);
    }

    #[test]
    fn jpeg_with_camera_exif_is_photo() {
        let v = run("IMG_4821.JPG", &jpeg(4032, 3024, Some(&iphone_exif())));
        assert_eq!(v.kind, RasterKind::Photo);
        assert_eq!(
            v.reason.to_string(),
            "JPEG with camera EXIF (Make=Apple, Model=iPhone 13)"
        );
        let f = &v.facts;
        assert_eq!(f.camera_make.as_deref(), Some("Apple"));
        assert_eq!(f.camera_model.as_deref(), Some("iPhone 13"));
        assert_eq!(f.software.as_deref(), Some("17.2.1"));
        assert_eq!(f.orientation, Some(6));
        assert_eq!(f.date_taken.as_deref(), Some("2024:03:02 10:16:05"));
        assert_eq!((f.width, f.height), (Some(4032), Some(3024)));

        // Exposure data and a capture date without Make/Model.
        let ex = tiff(
            &[(274, Val::Short(1))],
            &[
                (33434, Val::Rational(1, 100)),
                (36867, Val::Ascii("2024:01:01 00:00:00")),
            ],
            0,
        );
        let v = run("x.jpg", &jpeg(1000, 700, Some(&ex)));
        assert_eq!(v.kind, RasterKind::Photo);

        // Scanner EXIF is not a camera.
        let sc = tiff(
            &[
                (271, Val::Ascii("Canon")),
                (272, Val::Ascii("CanoScan LiDE 300")),
            ],
            &[],
            0,
        );
        let v = run("scan.jpg", &jpeg(2480, 3508, Some(&sc)));
        assert_eq!(v.kind, RasterKind::Screenshot);
        assert!(
            v.reason.to_string().contains("scan or export"),
            "{}",
            v.reason
        );
    }

    #[test]
    fn jpeg_names_and_sizes() {
        let v = run("IMG_1234.JPG", &jpeg(4032, 3024, None));
        assert_eq!(v.kind, RasterKind::Photo);
        assert!(v.reason.to_string().contains("no EXIF"), "{}", v.reason);
        let v = run("mmexport1700000000000.jpg", &jpeg(1080, 1440, None));
        assert_eq!(v.kind, RasterKind::Photo);
        assert!(v.reason.to_string().contains("messenger"), "{}", v.reason);
        let v = run("微信图片_20240301101010.jpg", &jpeg(3000, 4000, None));
        assert_eq!(v.kind, RasterKind::Photo);
        let v = run("IMG-20240101-WA0003.jpg", &jpeg(1600, 1200, None));
        assert_eq!(v.kind, RasterKind::Photo);
        let v = run("PXL_20240101_101010123.jpg", &jpeg(4080, 3072, None));
        assert_eq!(v.kind, RasterKind::Photo);
        // Right name, wrong shape or too small.
        assert_eq!(
            run("IMG_1234.JPG", &jpeg(1920, 1080, None)).kind,
            RasterKind::Screenshot
        );
        assert_eq!(
            run("IMG_1234.JPG", &jpeg(800, 600, None)).kind,
            RasterKind::Screenshot
        );
        // Camera shape, no name.
        assert_eq!(
            run("report.jpg", &jpeg(4032, 3024, None)).kind,
            RasterKind::Screenshot
        );
        let v = run("Screenshot_20240301-101010.jpg", &jpeg(1080, 2400, None));
        assert!(
            v.reason.to_string().contains("screenshot-style name"),
            "{}",
            v.reason
        );
    }

    #[test]
    fn heif_family() {
        let v = run(
            "IMG_0001.HEIC",
            &heif(
                b"heic",
                &[b"mif1", b"heic"],
                &[(512, 512), (4032, 3024), (320, 240)],
            ),
        );
        assert_eq!(v.kind, RasterKind::Photo);
        assert_eq!(v.reason.to_string(), "HEIC (phone camera format)");
        assert_eq!(v.facts.format, "heic");
        assert_eq!((v.facts.width, v.facts.height), (Some(4032), Some(3024)));
        let v = run("pic.avif", &heif(b"avif", &[b"mif1"], &[(1920, 1080)]));
        assert_eq!(v.kind, RasterKind::Screenshot);
        assert_eq!(v.facts.format, "avif");
        // ftyp only, whole file: unreadable.
        let e = inspect("x.heic", &bx(b"ftyp", b"heic\0\0\0\0mif1"), 20).unwrap_err();
        assert!(e.to_string().contains("no image size"), "{e}");
        // ftyp only but the file is larger than head: not judged unreadable.
        assert!(inspect("x.heic", &bx(b"ftyp", b"heic\0\0\0\0mif1"), 1 << 20).is_ok());
    }

    #[test]
    fn tiff_rules() {
        let v = run("slide.tif", &aperio_tiff());
        assert_eq!(v.kind, RasterKind::Slide);
        assert_eq!(
            v.reason.to_string(),
            "TIFF with Aperio ImageDescription (whole-slide image)"
        );
        assert_eq!(v.facts.pages, Some(4));
        assert_eq!((v.facts.width, v.facts.height), (Some(46000), Some(32914)));
        assert!(v
            .facts
            .description
            .as_deref()
            .unwrap()
            .starts_with("Aperio Image Library v12.0.15 46000x32914"));
        assert!(v.facts.description.as_deref().unwrap().chars().count() <= 200);

        let ndpi = tiff(
            &[
                (256, Val::Long(2000)),
                (257, Val::Long(1000)),
                (65420, Val::Long(1)),
            ],
            &[],
            0,
        );
        assert_eq!(run("a.ndpi", &ndpi).kind, RasterKind::Slide);

        let leica = tiff(
            &[
                (256, Val::Long(2000)),
                (257, Val::Long(1000)),
                (
                    270,
                    Val::Ascii("<scn xmlns=\"http://www.leica-microsystems.com/scn/2010/10/01\">"),
                ),
            ],
            &[],
            0,
        );
        let v = run("a.tif", &leica);
        assert_eq!(v.kind, RasterKind::Slide, "{}", v.reason);

        let tiled = tiff(
            &[
                (256, Val::Long(80000)),
                (257, Val::Long(60000)),
                (322, Val::Short(256)),
            ],
            &[],
            2,
        );
        let v = run("b.tif", &tiled);
        assert_eq!(v.kind, RasterKind::Slide);
        assert!(
            v.reason
                .to_string()
                .contains("tiled TIFF 80000×60000 with 3 directories"),
            "{}",
            v.reason
        );

        let ct = tiff(
            &[
                (256, Val::Long(512)),
                (257, Val::Long(512)),
                (270, Val::Ascii("Philips Brilliance 64 CT scan, axial 5 mm")),
            ],
            &[],
            0,
        );
        assert_eq!(run("ct.tif", &ct).kind, RasterKind::Screenshot);
        let philips = tiff(
            &[
                (256, Val::Long(512)),
                (257, Val::Long(512)),
                (
                    270,
                    Val::Ascii(
                        "<?xml version=\"1.0\"?><DataObject ObjectType=\"DPUfsImport\"><Attribute Name=\"DICOM_MANUFACTURER\">PHILIPS</Attribute>",
                    ),
                ),
            ],
            &[],
            0,
        );
        assert_eq!(run("p.tiff", &philips).kind, RasterKind::Slide);
        let bif = tiff(
            &[
                (256, Val::Long(512)),
                (257, Val::Long(512)),
                (
                    700,
                    Val::Ascii("<iScan Magnification=\"40\" ScannerModel=\"VENTANA DP 200\"/>"),
                ),
            ],
            &[],
            0,
        );
        assert_eq!(run("s.bif", &bif).kind, RasterKind::Slide);

        let small_tiled = tiff(
            &[
                (256, Val::Long(2000)),
                (257, Val::Long(1000)),
                (322, Val::Short(256)),
            ],
            &[],
            0,
        );
        assert_eq!(run("b.tif", &small_tiled).kind, RasterKind::Screenshot);
        assert_eq!(run("b.SVS", &small_tiled).kind, RasterKind::Slide);

        let scan = tiff(
            &[
                (256, Val::Long(2480)),
                (257, Val::Long(3508)),
                (271, Val::Ascii("EPSON")),
                (272, Val::Ascii("Perfection V600")),
            ],
            &[],
            0,
        );
        let v = run("film.tif", &scan);
        assert_eq!(v.kind, RasterKind::Screenshot);
        assert!(
            v.reason.to_string().contains("scan or export"),
            "{}",
            v.reason
        );
        let plain = tiff(&[(256, Val::Long(2480)), (257, Val::Long(3508))], &[], 0);
        assert_eq!(
            run("film.tif", &plain).reason.to_string(),
            "TIFF 2480×3508 without camera EXIF (scan or export)"
        );
    }

    #[test]
    fn bigtiff_tiled_slide() {
        // BigTIFF LE: header 16 bytes, IFD0 at 16 with 3 entries of 20 bytes.
        let mut v = b"II+\0\x08\0\0\0".to_vec();
        v.extend_from_slice(&16u64.to_le_bytes());
        v.extend_from_slice(&3u64.to_le_bytes());
        for (tag, typ, val) in [
            (256u16, 16u16, 100_000u64),
            (257, 16, 80_000),
            (322, 3, 512),
        ] {
            v.extend_from_slice(&tag.to_le_bytes());
            v.extend_from_slice(&typ.to_le_bytes());
            v.extend_from_slice(&1u64.to_le_bytes());
            v.extend_from_slice(&val.to_le_bytes());
        }
        v.extend_from_slice(&0u64.to_le_bytes());
        let r = run("x.bif", &v);
        assert_eq!(r.kind, RasterKind::Slide);
        assert!(
            r.reason
                .to_string()
                .starts_with("tiled BigTIFF 100000×80000"),
            "{}",
            r.reason
        );
        assert_eq!(r.facts.pages, Some(1));
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

    fn run_err(name: &str, data: &[u8]) -> String {
        inspect(name, data, data.len() as u64)
            .expect_err(name)
            .to_string()
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

    // --- robustness -------------------------------------------------------

    fn xorshift(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
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

    // --- real files -------------------------------------------------------

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
