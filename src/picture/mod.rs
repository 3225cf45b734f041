//! What a picture shows (a paper document, imaging on a screen, a film, a clinical photo, a QR
//! slip, something else) from its pixels, and the QR codes in it with whether each leads to the
//! patient's images online. EXIF is never used: a WeChat copy without it gets the same answer.
//!
//! The core, [`analyse`], takes decoded pixels (`width × height`, grey or RGBA), so the CLI
//! (which decodes natively with the `image` crate, `decode.rs`, feature `pictures`) and the page
//! (which can hand over browser-decoded pixels) share it. It has no image decoder of its own.
//!
//! # The features and the rules (`subject.rs`)
//!
//! Fractions of the pixels of a copy box-averaged to at most 512 px a side: `flat` (pixels whose
//! brightness barely changes to the right and below), `flat_lit` (the same among pixels that are
//! not near-black), `dark` (near-black), `ink` (thin dark strokes on a bright ground), `bright`
//! (bright neutral ground), `colour` (saturated colour), `skin` (skin tones). In order, the first
//! rule that fires decides:
//! 1. `qr`: a decoded QR code whose side is at least [`QR_SUBJECT_SHARE`] of the picture's
//!    shorter side (a slip or page whose point is the code; a report's small corner code is not);
//! 2. `clinical`: skin ≥ 0.25 and no print;
//! 3. imaging, when `colour` < 0.1 (imaging is grey; a monitor's moiré adds a little colour) and
//!    the picture is textured (`flat` < 0.77, or `flat_lit` < 0.6 on a dark background: CT/MR
//!    noise, ultrasound speckle, moiré) or is a bare frame on black (`dark` ≥ 0.5, no print, no
//!    bright ground): `film` when a bright neutral field (a lit viewing box) covers ≥ 6 %, there
//!    are surroundings (`dark` ≥ 0.1) and no coloured chrome (`colour` < 0.4 %), else `screen`;
//! 4. `document`: ink ≥ 0.5 % on bright ground ≥ 10 %;
//! 5. `other`.
//!
//! How the file was made (screenshot or camera, from its name, size and EXIF) is not used: a
//! shrunk WeChat copy of a film photo looks like a screenshot by its size.
//!
//! Measured (`tests/pictures.rs` prints every feature) on the 11 corpus pictures
//! (`../shared/corpus-records`), three variants of each (WeChat-style: long side 1080, JPEG q70,
//! no EXIF; a 10 % crop on every side; shrunk to a long side of 640), 4 pictures of another
//! corpus not used to set the thresholds (`../shared/corpus/case-screenshots`: a monitor photo,
//! a film photo, two viewer screenshots) and 18 frames rendered from DICOM
//! (`../shared/corpus-pixels/reference`): `flat` of documents, QR slips and app screenshots
//! 0.79–0.92, of imaging photos and screenshots 0.51–0.76; `flat_lit` of documents ≥ 0.73;
//! `ink` of documents 0.011–0.035, of the monitor photo 0.000; `bright` of the films
//! 0.12–0.30, of the monitor photos 0.00–0.06; `colour` of the films 0.000, of viewer
//! screenshots 0.005–0.019. The thresholds sit in those gaps. With two films, four screens and
//! no clinical picture, those gaps are narrow evidence: the film and clinical rules in
//! particular are explainable guesses, not measured accuracy; a photo of a light-themed viewer
//! without coloured chrome would be called a film, and a bright exported frame in a dark frame
//! too (both still count as pictures of images, which is what the findings need).

#[cfg(feature = "picture-analysis")]
mod cloud_film;
#[cfg(feature = "pictures")]
pub mod decode;
#[cfg(feature = "picture-analysis")]
mod qr;
#[cfg(feature = "picture-analysis")]
mod subject;

use serde::{Deserialize, Serialize};

pub use crate::codes::Subject;
use crate::text::Message;
#[cfg(feature = "picture-analysis")]
pub use analysis::{analyse, features};
#[cfg(feature = "picture-analysis")]
pub use cloud_film::is_cloud_film;
#[cfg(feature = "picture-analysis")]
pub use subject::Features;

/// A decoded QR code at least this share of the picture's shorter side makes the picture a `qr`.
/// Measured: the corpus's slip and share page 0.29–0.31; a report's corner code is under 0.1.
pub const QR_SUBJECT_SHARE: f32 = 0.15;

/// What a picture shows: `files[].picture` in the JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PictureInfo {
    pub subject: Subject,
    /// The text of every QR code found (a URL, usually), in the order found.
    pub qr: Vec<String>,
    /// Whether a QR code leads to the patient's images online (`cloud-film-link`).
    pub cloud_film: bool,
    /// Why this subject (or why the pixels were not looked at), in English.
    pub reason: String,
    /// `reason` as a message.
    #[serde(default)]
    pub reason_message: Option<Message>,
}

impl PictureInfo {
    /// A picture whose pixels could not be looked at: the subject is unknown, and why.
    pub fn unknown(reason: Message) -> Self {
        PictureInfo {
            subject: Subject::Unknown,
            qr: Vec::new(),
            cloud_film: false,
            reason: reason.to_string(),
            reason_message: Some(reason),
        }
    }
}

/// Why a picture of `size` bytes whose header says `width × height` is not decoded at all: a
/// file over [`Limits::max_picture_bytes`] or a size over [`Limits::max_picture_pixels`]. The
/// CLI and the page (which decodes in the browser, src/wasm/pictures.rs) ask before decoding.
pub fn refused(
    size: u64,
    width: Option<u32>,
    height: Option<u32>,
    limits: &crate::Limits,
) -> Option<PictureInfo> {
    let cap = limits.max_picture_bytes;
    if size > cap {
        return Some(PictureInfo::unknown(crate::text::msg!(
            "reason.picture.file-too-large",
            size_mib = size >> 20,
            limit_mib = cap >> 20
        )));
    }
    too_many_pixels(width?, height?, limits)
}

/// Why a `width × height` picture is not decoded: over [`Limits::max_picture_pixels`].
pub fn too_many_pixels(width: u32, height: u32, limits: &crate::Limits) -> Option<PictureInfo> {
    (u64::from(width) * u64::from(height) > limits.max_picture_pixels).then(|| {
        PictureInfo::unknown(crate::text::msg!(
            "reason.picture.too-large",
            width = width,
            height = height,
            limit = limits.max_picture_pixels / 1_000_000
        ))
    })
}

/// A picture of `format` (as `raster::detect_format` names it) that the decoder at hand could not
/// decode, with its `error`: for formats other than PNG, JPEG and WebP (HEIC, HEIF, AVIF…) the
/// reason says that such pictures are not decoded here, for those what went wrong.
pub fn not_decoded(format: &str, error: &str) -> PictureInfo {
    if !matches!(format, "png" | "jpeg" | "webp") {
        PictureInfo::unknown(crate::text::msg!(
            "reason.picture.no-decoder",
            format = format.to_uppercase()
        ))
    } else {
        PictureInfo::unknown(crate::text::msg!(
            "reason.picture.undecodable",
            error = error
        ))
    }
}

/// Whether a photo or screenshot with this `picture` may show imaging (a screen or film), and
/// so is a picture of images rather than original imaging: yes for `screen` and `film`, and
/// when what it shows is not known (not looked at: the page's first scan, a HEIC file, a
/// picture over the limits), since that is what pictures among records most often are. The
/// page applies the same rule (www/ui/entries.js `notOriginal`).
pub fn may_show_imaging(picture: Option<&PictureInfo>) -> bool {
    picture.is_none_or(|p| {
        matches!(
            p.subject,
            Subject::Screen | Subject::Film | Subject::Unknown
        )
    })
}

/// Decoded pixels, row by row from the top left.
#[cfg(feature = "picture-analysis")]
#[derive(Debug, Clone, Copy)]
pub enum Pixels<'a> {
    /// One byte a pixel.
    Grey(&'a [u8]),
    /// Three bytes a pixel, red, green, blue.
    Rgb(&'a [u8]),
    /// Four bytes a pixel, red, green, blue, alpha (as a canvas's `getImageData` gives).
    Rgba(&'a [u8]),
}

#[cfg(feature = "picture-analysis")]
impl Pixels<'_> {
    pub(crate) fn bytes_per_pixel(&self) -> usize {
        match self {
            Pixels::Grey(_) => 1,
            Pixels::Rgb(_) => 3,
            Pixels::Rgba(_) => 4,
        }
    }

    pub(crate) fn len(&self) -> usize {
        match self {
            Pixels::Grey(b) | Pixels::Rgb(b) | Pixels::Rgba(b) => b.len(),
        }
    }

    pub(crate) fn rgb(&self, i: usize) -> [u8; 3] {
        match self {
            Pixels::Grey(b) => [b[i]; 3],
            Pixels::Rgb(b) => [b[3 * i], b[3 * i + 1], b[3 * i + 2]],
            Pixels::Rgba(b) => [b[4 * i], b[4 * i + 1], b[4 * i + 2]],
        }
    }

    fn grey(&self, i: usize) -> u8 {
        match self {
            Pixels::Grey(b) => b[i],
            _ => {
                let [r, g, b] = self.rgb(i).map(u32::from);
                // At most 255: the weights sum to 1000.
                ((299 * r + 587 * g + 114 * b) / 1000) as u8
            }
        }
    }
}

#[cfg(feature = "picture-analysis")]
mod analysis {
    use super::*;
    use crate::text::msg;

    /// What the picture shows. `max_pixels` is [`crate::Limits`]'s
    /// `max_picture_pixels`: a bigger picture, or pixels that do not match the size, are not looked
    /// at (the subject is unknown and the reason says why).
    pub fn analyse(width: u32, height: u32, pixels: Pixels<'_>, max_pixels: u64) -> PictureInfo {
        let count = u64::from(width) * u64::from(height);
        if count > max_pixels {
            return PictureInfo::unknown(msg!(
                "reason.picture.too-large",
                width = width,
                height = height,
                limit = max_pixels / 1_000_000
            ));
        }
        let (w, h) = (width as usize, height as usize);
        if count == 0 || pixels.len() as u64 != count * pixels.bytes_per_pixel() as u64 {
            return PictureInfo::unknown(msg!(
                "reason.picture.pixels-mismatch",
                width = width,
                height = height
            ));
        }
        let codes = qr::find(&pixels, w, h);
        let share = codes.iter().map(|c| c.share).fold(0.0, f32::max);
        let features = subject::features(&pixels, w, h);
        let subject = subject::decide(&features, share);
        let cloud_film = codes.iter().any(|c| is_cloud_film(&c.text, subject, None));
        let reason = reason(subject, &features, share);
        PictureInfo {
            subject,
            qr: codes.into_iter().map(|c| c.text).collect(),
            cloud_film,
            reason: reason.to_string(),
            reason_message: Some(reason),
        }
    }

    /// The features, for tests and benchmarks that print them.
    pub fn features(width: u32, height: u32, pixels: Pixels<'_>) -> Option<Features> {
        let count = width as usize * height as usize;
        (count > 0 && pixels.len() == count * pixels.bytes_per_pixel())
            .then(|| subject::features(&pixels, width as usize, height as usize))
    }

    fn reason(subject: Subject, f: &Features, qr_share: f32) -> Message {
        let pc = |v: f32| format!("{:.1}", v * 100.0);
        match subject {
            Subject::Qr => msg!("reason.picture.qr", share = pc(qr_share)),
            Subject::Clinical => msg!("reason.picture.clinical", skin = pc(f.skin)),
            Subject::Film => msg!(
                "reason.picture.film",
                flat = pc(f.flat),
                bright = pc(f.bright)
            ),
            Subject::Screen => msg!(
                "reason.picture.screen",
                flat = pc(f.flat),
                colour = pc(f.colour)
            ),
            Subject::Document => msg!(
                "reason.picture.document",
                ink = pc(f.ink),
                bright = pc(f.bright)
            ),
            Subject::Other | Subject::Unknown => {
                msg!("reason.picture.other", flat = pc(f.flat), ink = pc(f.ink))
            }
        }
    }
}
