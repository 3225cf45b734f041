//! Pixel data: one frame of a DICOM image (the middle one) decoded and rendered to an 8-bit grey
//! or RGB picture, and thumbnails of it, for the CLI's `preview` and the page's on-demand `pixels`
//! wasm module (never the first-scan module). Behind the `pixels` feature.
//!
//! The way a file is read ([`render_dicom`]):
//! 1. [`header`]: the header is walked up to Pixel Data by the scan's bounded walker (a deflated
//!    data set is inflated as it is read), keeping the Image Pixel, Modality LUT, VOI LUT and
//!    palette attributes.
//! 2. [`frame`]: the frame's size is checked against [`Limits::max_frame_samples`] before a byte
//!    of it is read; the frames before it are skipped, never held; fragments are walked item by
//!    item, each length checked against the bytes left.
//! 3. [`decode`]: native samples are unpacked; RLE is decoded here (PackBits, 40 lines); JPEG
//!    baseline and lossless (process 14, SV1) by `jpeg-decoder`, the decoder dicom-rs's registry
//!    uses (the registry's adapter decodes every frame at once, so it is called directly);
//!    JPEG-LS lossless and near-lossless by `pure_jpegls`; JPEG 2000 by `hayro-jpeg2000`, pure
//!    Rust without `unsafe`.
//! 4. [`render`]: Modality LUT, the first window through the VOI LUT Function (LINEAR,
//!    LINEAR_EXACT or SIGMOID; or else the frame's min–max), MONOCHROME1 inverted,
//!    palette colour, colour passed through: the rule of `shared/corpus-pixels/README.md`.
//! 5. [`thumbnail`] scales down with an area filter; [`encode`] writes PNG.
//!
//! Why not `dicom-pixeldata`: it decodes from a whole in-memory object (the file read entirely,
//! all frames), and its codecs are the registry's: `jpeg` (jpeg-decoder, plus an encoder we do not
//! need), `openjp2`/`openjpeg-sys` (JPEG 2000 via OpenJPEG: C, or its C-to-Rust translation with
//! `unsafe` throughout), `charls` (C++, no wasm32 build).
//!
//! Why `pure_jpegls` for JPEG-LS (1.2.840.10008.1.2.4.80/.81): the established decoder, CharLS,
//! is C++ and does not build for wasm32-unknown-unknown. `pure_jpegls` 2.0 is pure Rust without
//! `unsafe`, its only dependency `thiserror`; measured: it builds for wasm32, decodes the corpus's
//! lossless and near-lossless (NEAR=2) files (correlation 1.0000 with the references), and gives
//! an error, no panic, on bogus, truncated and damaged codestreams (tests/pixels_hostile.rs); it
//! checks the frame header's size against the one given before it allocates. Its limits: one
//! component only (colour JPEG-LS, interleaved scans and restart markers are refused with a
//! message). The JPEG-LS decoder of `dicom-toolkit-codec` 0.5 was not built or measured: it
//! comes only with that crate's whole stack (its own DICOM data model and dictionary, a JPEG 2000
//! decoder, jpeg-encoder, `inventory` registration, tracing), a second copy of what is linked.
//!
//! What does not decode, and why (measured on `shared/corpus-pixels`, 17 of 18 files decode):
//! - Colour JPEG-LS (see above; none in the corpus).
//! - 12-bit lossy JPEG (Extended, .4.51 with 12-bit precision): jpeg-decoder and zune-jpeg decode
//!   only 8-bit lossy JPEG ("sample precision 12 unsupported"); 8-bit .4.51 files decode.
//! - JPEG XL, MPEG/HEVC video, deflated image frame compression: not met on hospital CDs yet.
//! - PALETTE COLOR with LUTs of more than 512 16-bit entries: the header walk keeps binary values
//!   up to 1 KiB (src/dicom/walk), and a longer LUT is reported as unreadable (256-entry LUTs, as
//!   ultrasound writes them, are read).
//! - Bits Allocated 1 (bitmaps, overlays), Samples per Pixel other than 1 or 3, VOI LUT Sequence
//!   and Modality LUT Sequence (the window or min–max is used instead).
//!
//! Must not use wasm-bindgen, js-sys or web-sys: it takes bytes and `Read`.

pub mod decode;
pub mod encode;
pub mod frame;
pub mod header;
#[cfg(all(not(target_arch = "wasm32"), feature = "pictures"))]
pub mod picture;
pub mod render;
pub mod thumbnail;

use std::io::Read;

use serde::{Deserialize, Serialize};

use crate::dicom::walk::{Encoding, Source};
use crate::dicom::{self, DicomInfo, DicomStart};
use crate::limits::Limits;
use crate::recognise::sniff::{sniff, Sniff};
use crate::text::{msg, Message};

pub use header::PixelHeader;
pub use thumbnail::thumbnail;

/// Longest side of a thumbnail, in pixels.
pub const THUMBNAIL_SIDE: u32 = 256;

/// An 8-bit picture: grey (1 channel) or RGB (3), row by row, interleaved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    pub width: u32,
    pub height: u32,
    pub channels: u8,
    pub pixels: Vec<u8>,
}

/// One frame of a DICOM image, rendered.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub image: Image,
    /// The frame shown, 0-based: the middle one, `frames / 2`.
    pub frame: u32,
    pub frames: u32,
    pub series_uid: Option<String>,
}

/// Renders the middle frame of a DICOM file held in memory.
pub fn render_dicom_bytes(bytes: &[u8], limits: &Limits) -> Result<Rendered, Message> {
    let head_len = bytes.len().min(limits.sniff_bytes);
    let mut rest = &bytes[head_len..];
    render_dicom(
        bytes[..head_len].to_vec(),
        &mut rest,
        bytes.len() as u64,
        limits,
    )
}

/// Renders the middle frame of a DICOM file: `head` holds its first bytes (at least the first
/// few KiB, as the scan reads them), `rest` the remainder, `size` the whole file's size.
pub fn render_dicom(
    head: Vec<u8>,
    rest: &mut dyn Read,
    size: u64,
    limits: &Limits,
) -> Result<Rendered, Message> {
    let Sniff::Dicom(start) = sniff("", &head, size) else {
        return Err(msg!("pixels.not-dicom"));
    };
    render_from(head, rest, size, start, limits)
}

fn render_from(
    head: Vec<u8>,
    rest: &mut dyn Read,
    size: u64,
    start: DicomStart,
    limits: &Limits,
) -> Result<Rendered, Message> {
    let mut src = Source::new(head, rest, size, limits.read_chunk);
    let (ts_uid, encoding, _) =
        dicom::read_start(&mut src, start, limits, &mut DicomInfo::default())
            .map_err(|u| u.message)?;
    match encoding {
        Some(encoding) => render_data_set(&mut src, encoding, ts_uid, limits),
        None => {
            // Deflated: read inflated, bounded by the header cap and one frame at 32 bits.
            let bound = limits.header_cap + 4 * limits.max_frame_samples;
            let inflater = flate2::read::DeflateDecoder::new(&mut src).take(bound);
            let mut inflated = Source::new(Vec::new(), inflater, bound, limits.read_chunk);
            render_data_set(&mut inflated, Encoding::EXPLICIT_LE, ts_uid, limits)
        }
    }
}

fn render_data_set<R: Read>(
    src: &mut Source<R>,
    encoding: Encoding,
    ts_uid: String,
    limits: &Limits,
) -> Result<Rendered, Message> {
    let header = header::read(src, encoding, ts_uid, limits)?;
    let codec = decode::codec(&header.transfer_syntax).ok_or_else(|| {
        msg!(
            "pixels.unsupported-syntax",
            uid = header.transfer_syntax.clone()
        )
    })?;
    let frame = header.frames / 2;
    let stored = frame::read(src, &header, frame, limits)?;
    let samples = decode::decode(&header, codec, stored)?;
    let image = render::render(&header, samples)?;
    Ok(Rendered {
        image,
        frame,
        frames: header.frames,
        series_uid: header.series_uid,
    })
}
