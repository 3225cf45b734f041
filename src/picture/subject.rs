//! What a picture shows, from its pixels: a few measured features of a downscaled copy and a
//! small rule set over them (the thresholds and the measured separation are in the module doc of
//! `picture`).

use super::{Pixels, Subject};

/// Longest side of the copy the features are measured on: an integer box-average downscale to at
/// most this many pixels keeps text strokes at one to three pixels and CT noise visible.
const FEATURE_SIDE: usize = 512;

/// The measured features of one picture, each a fraction of the downscaled pixels.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Features {
    /// Pixels whose brightness differs from both neighbours, right and below, by less than 4 of
    /// 255: paper, screenshots' flat colours and dark backgrounds are flat; imaging (CT/MR noise
    /// and tissue texture, a monitor's moiré) is not.
    pub flat: f32,
    /// Thin dark strokes on a bright ground (a pixel darker by 25 than the pixels two to either
    /// side, across or down, within 2 px of a pixel brighter than 110): printed text and rules.
    pub ink: f32,
    /// Bright near-neutral pixels (luma > 170, saturation < 0.2): paper, a lit viewing box, a
    /// light app theme.
    pub bright: f32,
    /// Saturated colour (saturation > 0.35, brightest channel > 60): app chrome, icons, stamps;
    /// imaging is grey.
    pub colour: f32,
    /// Near-black pixels (luma < 40): a scan's background, a monitor's frame, a dark desk.
    pub dark: f32,
    /// `flat` among the pixels that are not near-black: the texture of what is lit.
    pub flat_lit: f32,
    /// Skin-coloured pixels (the classic RGB skin rule: R > 95, G > 40, B > 20, R−G > 15, R > B,
    /// max−min > 15).
    pub skin: f32,
}

/// Below this `flat`, a picture has the texture of imaging (measured: imaging ≤ 0.72 on the
/// corpus and its variants, paper and screenshots of apps ≥ 0.79).
const IMAGING_FLAT: f32 = 0.77;
/// ... or, on a dark background (an exported frame, a viewer), below this `flat_lit` (measured:
/// imaging 0.07–0.67, documents and QR slips ≥ 0.73, ultrasound exports 0.08–0.42).
const IMAGING_FLAT_LIT: f32 = 0.6;
/// ... or mostly near-black with no print and no bright ground: a small or blurred frame on
/// black (measured: a 64 px CT and an NM frame, dark 0.64–0.69; documents on a dark desk have
/// ink).
const BARE_DARK: f32 = 0.5;
const BARE_BRIGHT: f32 = 0.05;
/// A film photographed has surroundings (the box's frame, the room): at least this much
/// near-black (films 0.18–0.62); a bright exported frame has none (DX exports 0.06).
const FILM_DARK: f32 = 0.1;
/// Imaging is grey: more saturated colour than this is not imaging (measured ≤ 0.057: a monitor's
/// sub-pixel moiré is coloured; a colour photo of anything else has far more).
const IMAGING_COLOUR: f32 = 0.1;
/// A lit viewing box: at least this much bright neutral field around a film (film 0.12–0.19,
/// a monitor photographed in a room 0.00).
const FILM_BRIGHT: f32 = 0.06;
/// A film has no coloured chrome; a viewer has (viewer screenshot 0.009–0.019, film 0.000).
const FILM_COLOUR: f32 = 0.004;
/// Text: at least this much ink (documents 0.011–0.035; a monitor photo 0.000).
const DOCUMENT_INK: f32 = 0.005;
/// ... on at least this much bright ground.
const DOCUMENT_BRIGHT: f32 = 0.1;
/// Skin: at least this much of the picture (documents and imaging ≤ 0.01 on the corpus).
const CLINICAL_SKIN: f32 = 0.25;

/// The subject from the features and `qr_share`, the largest decoded QR code's side over the
/// picture's shorter side. How the file was made (a screenshot or a camera photo, judged from
/// its name, size and EXIF) is not used: a shrunk WeChat copy of a film photo is judged a
/// screenshot by its size, and must still be a film.
pub fn decide(f: &Features, qr_share: f32) -> Subject {
    if qr_share >= super::QR_SUBJECT_SHARE {
        return Subject::Qr;
    }
    if f.skin >= CLINICAL_SKIN && f.ink < DOCUMENT_INK {
        return Subject::Clinical;
    }
    let textured = f.flat < IMAGING_FLAT || f.flat_lit < IMAGING_FLAT_LIT;
    let dark_and_bare = f.dark >= BARE_DARK && f.ink < DOCUMENT_INK && f.bright < BARE_BRIGHT;
    if f.colour < IMAGING_COLOUR && (textured || dark_and_bare) {
        return if f.bright >= FILM_BRIGHT && f.dark >= FILM_DARK && f.colour < FILM_COLOUR {
            Subject::Film
        } else {
            Subject::Screen
        };
    }
    if f.ink >= DOCUMENT_INK && f.bright >= DOCUMENT_BRIGHT {
        return Subject::Document;
    }
    Subject::Other
}

/// The features of a picture. `pixels` has been checked to hold `width × height` pixels.
pub fn features(pixels: &Pixels<'_>, width: usize, height: usize) -> Features {
    let small = downscale(pixels, width, height);
    measure(&small)
}

/// An RGB copy, box-averaged by an integer factor to at most [`FEATURE_SIDE`] a side.
struct Small {
    w: usize,
    h: usize,
    rgb: Vec<[u8; 3]>,
}

fn downscale(pixels: &Pixels<'_>, width: usize, height: usize) -> Small {
    let factor = width.max(height).div_ceil(FEATURE_SIDE).max(1);
    let (w, h) = (width.div_ceil(factor), height.div_ceil(factor));
    let mut sums = vec![[0u32; 4]; w * h];
    for y in 0..height {
        let row = (y / factor) * w;
        for x in 0..width {
            let [r, g, b] = pixels.rgb(y * width + x);
            let s = &mut sums[row + x / factor];
            s[0] += u32::from(r);
            s[1] += u32::from(g);
            s[2] += u32::from(b);
            s[3] += 1;
        }
    }
    let rgb = sums
        .iter()
        .map(|s| {
            let n = s[3].max(1);
            // Each average is at most 255: the sums are of u8 values.
            [(s[0] / n) as u8, (s[1] / n) as u8, (s[2] / n) as u8]
        })
        .collect();
    Small { w, h, rgb }
}

fn luma([r, g, b]: [u8; 3]) -> i32 {
    (299 * i32::from(r) + 587 * i32::from(g) + 114 * i32::from(b)) / 1000
}

fn measure(s: &Small) -> Features {
    let (w, h) = (s.w, s.h);
    let y: Vec<i32> = s.rgb.iter().map(|&p| luma(p)).collect();
    let at = |x: usize, r: usize| y[r * w + x];
    let (mut flat, mut ink, mut bright, mut colour, mut skin) = (0u32, 0u32, 0u32, 0u32, 0u32);
    let (mut dark, mut flat_lit) = (0u32, 0u32);
    for r in 0..h {
        for x in 0..w {
            let v = at(x, r);
            let [pr, pg, pb] = s.rgb[r * w + x].map(i32::from);
            let (max, min) = (pr.max(pg).max(pb), pr.min(pg).min(pb));
            let sat = if max == 0 {
                0.0
            } else {
                (max - min) as f32 / max as f32
            };
            let dx = if x + 1 < w {
                (at(x + 1, r) - v).abs()
            } else {
                0
            };
            let dy = if r + 1 < h {
                (at(x, r + 1) - v).abs()
            } else {
                0
            };
            let is_flat = dx.max(dy) < 4;
            flat += u32::from(is_flat);
            if v < 40 {
                dark += 1;
            } else {
                flat_lit += u32::from(is_flat);
            }
            bright += u32::from(v > 170 && sat < 0.2);
            colour += u32::from(sat > 0.35 && max > 60);
            skin += u32::from(
                pr > 95 && pg > 40 && pb > 20 && pr - pg > 15 && pr > pb && max - min > 15,
            );
            ink += u32::from(is_stroke(&at, w, h, x, r));
        }
    }
    let n = (w * h).max(1) as f32;
    Features {
        flat: flat as f32 / n,
        ink: ink as f32 / n,
        bright: bright as f32 / n,
        colour: colour as f32 / n,
        skin: skin as f32 / n,
        dark: dark as f32 / n,
        flat_lit: flat_lit as f32 / (n - dark as f32).max(1.0),
    }
}

/// A thin dark stroke on a bright ground at (x, r).
fn is_stroke(at: &dyn Fn(usize, usize) -> i32, w: usize, h: usize, x: usize, r: usize) -> bool {
    const REACH: usize = 2;
    const DEPTH: i32 = 25;
    let v = at(x, r);
    let clamp_x = |d: isize| (x as isize + d).clamp(0, w as isize - 1) as usize;
    let clamp_r = |d: isize| (r as isize + d).clamp(0, h as isize - 1) as usize;
    let reach = REACH as isize;
    let across = v < at(clamp_x(-reach), r).min(at(clamp_x(reach), r)) - DEPTH;
    let down = v < at(x, clamp_r(-reach)).min(at(x, clamp_r(reach))) - DEPTH;
    if !(across || down) {
        return false;
    }
    (-reach..=reach).any(|dr| (-reach..=reach).any(|dx| at(clamp_x(dx), clamp_r(dr)) > 110))
}
