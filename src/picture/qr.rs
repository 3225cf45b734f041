//! QR codes in a picture: found and decoded with `rqrr` on a grey copy.
//!
//! # Why rqrr (measured against quircs 0.10.3; `tests/pictures.rs`, `benches/pictures.rs`,
//! BENCHMARKS.md "Pictures")
//!
//! Both are pure Rust, kept, take 8-bit grey and need no image decoder. On the two corpus QR
//! pictures and six harder versions of each (turned 90° and 30°, shrunk to 480 and 260 px,
//! blurred, re-photographed: tilted, blurred, JPEG q40), rqrr read 12 of 14 and quircs 9: quircs
//! missed the photographed slip turned 30°, blurred and re-photographed, which is how patients
//! photograph a slip; neither read the 260 px ones (~2 px a module). quircs is 3–4× faster
//! (6–17 ms against 18–130 ms on a 1600 px grey copy) and smaller in wasm (50 KB, 21 KB gzip,
//! against 231 KB, 108 KB gzip, most of it rqrr's tables), but the analysis runs once per
//! picture, on demand, outside the first-scan module, and a missed cloud-film link costs the
//! patient their original images: hit rate decides. rqrr also gives each code's corners, which
//! the `qr` subject rule uses. A code's text is kept only when it decodes to UTF-8.
//!
//! The search runs on a box-averaged copy whose longer side is at most [`QR_SIDE`] pixels (a
//! phone photo's code of 25–40 modules stays several pixels a module), and again at half that
//! when nothing was found (a large, blurry or moiré-ridden code reads better smaller).

use super::Pixels;

/// Longest side of the grey copy searched first.
pub const QR_SIDE: usize = 1600;

/// One decoded code: its text and its size as a share of the picture's shorter side.
#[derive(Debug, Clone, PartialEq)]
pub struct Code {
    pub text: String,
    pub share: f32,
}

/// The QR codes of a picture, in the order found, without repeats.
pub fn find(pixels: &Pixels<'_>, width: usize, height: usize) -> Vec<Code> {
    let mut side = QR_SIDE;
    loop {
        let (grey, w, h, factor) = grey_copy(pixels, width, height, side);
        let codes = search(&grey, w, h, factor, width.min(height));
        if !codes.is_empty() || side <= QR_SIDE / 2 || factor == 1 && width.max(height) <= side / 2
        {
            return codes;
        }
        side /= 2;
    }
}

fn search(grey: &[u8], w: usize, h: usize, factor: usize, short: usize) -> Vec<Code> {
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| grey[y * w + x]);
    let mut out: Vec<Code> = Vec::new();
    for grid in prepared.detect_grids() {
        let Ok((_, text)) = grid.decode() else {
            continue;
        };
        let b = grid.bounds;
        let edge = |i: usize, j: usize| {
            let (dx, dy) = ((b[i].x - b[j].x) as f32, (b[i].y - b[j].y) as f32);
            (dx * dx + dy * dy).sqrt()
        };
        let side = edge(0, 1).max(edge(1, 2)) * factor as f32;
        let share = side / short.max(1) as f32;
        if !out.iter().any(|c| c.text == text) {
            out.push(Code { text, share });
        }
    }
    out
}

/// A grey copy box-averaged by an integer factor to at most `side` pixels a side.
fn grey_copy(
    pixels: &Pixels<'_>,
    width: usize,
    height: usize,
    side: usize,
) -> (Vec<u8>, usize, usize, usize) {
    let factor = width.max(height).div_ceil(side).max(1);
    let (w, h) = (width.div_ceil(factor), height.div_ceil(factor));
    let mut sums = vec![(0u32, 0u32); w * h];
    for y in 0..height {
        let row = (y / factor) * w;
        for x in 0..width {
            let s = &mut sums[row + x / factor];
            s.0 += u32::from(pixels.grey(y * width + x));
            s.1 += 1;
        }
    }
    // Each average is at most 255: the sums are of u8 values.
    let grey = sums.iter().map(|&(s, n)| (s / n.max(1)) as u8).collect();
    (grey, w, h, factor)
}
