//! From samples to an 8-bit picture, by the rule of the pixel corpus README (and PS3.3 C.11):
//! Modality LUT (rescale), then the first window (by the VOI LUT Function: LINEAR, LINEAR_EXACT or
//! SIGMOID) or else the frame's min–max,
//! MONOCHROME1 inverted once; palette colour looked up; colour passed through.

use crate::text::{msg, Message};

use super::decode::Samples;
use super::header::{PixelHeader, VoiFunction};
use super::Image;

/// Renders one decoded frame.
pub fn render(header: &PixelHeader, samples: Samples) -> Result<Image, Message> {
    let (width, height) = (header.columns, header.rows);
    let pixels = width as usize * height as usize;
    match samples {
        Samples::Rgb(rgb) if rgb.len() == pixels * 3 => Ok(Image {
            width,
            height,
            channels: 3,
            pixels: rgb,
        }),
        Samples::Grey(values) if values.len() == pixels => match &header.palette {
            Some(palette) => {
                let last = palette
                    .red
                    .len()
                    .min(palette.green.len())
                    .min(palette.blue.len());
                let mut rgb = Vec::with_capacity(pixels * 3);
                for v in values {
                    // Values below the first mapped one take the first entry, above the last the
                    // last (PS3.3 C.7.6.3.1.5).
                    let i = (i64::from(v) - palette.first).clamp(0, last as i64 - 1) as usize;
                    rgb.extend_from_slice(&[palette.red[i], palette.green[i], palette.blue[i]]);
                }
                Ok(Image {
                    width,
                    height,
                    channels: 3,
                    pixels: rgb,
                })
            }
            None => Ok(Image {
                width,
                height,
                channels: 1,
                pixels: grey(header, &values),
            }),
        },
        Samples::Rgb(v) => Err(msg!(
            "pixels.short-frame",
            expected = pixels * 3,
            got = v.len()
        )),
        Samples::Grey(v) => Err(msg!("pixels.short-frame", expected = pixels, got = v.len())),
    }
}

/// Modality LUT, VOI and MONOCHROME1 inversion of stored values.
fn grey(header: &PixelHeader, values: &[i32]) -> Vec<u8> {
    let (slope, intercept) = header.rescale.unwrap_or((1.0, 0.0));
    let modality = |v: i32| f64::from(v) * slope + intercept;
    let voi: Box<dyn Fn(f64) -> f64> = match header.window {
        Some((c, w)) => Box::new(window(header.voi_function, c, w)),
        None => {
            let (min, max) = values.iter().fold((f64::MAX, f64::MIN), |(lo, hi), &v| {
                let x = modality(v);
                (lo.min(x), hi.max(x))
            });
            Box::new(move |x: f64| {
                if max > min {
                    (x - min) / (max - min) * 255.0
                } else {
                    0.0
                }
            })
        }
    };
    let invert = header.photometric == "MONOCHROME1";
    values
        .iter()
        .map(|&v| {
            let y = voi(modality(v)).round_ties_even().clamp(0.0, 255.0) as u8;
            if invert {
                255 - y
            } else {
                y
            }
        })
        .collect()
}

/// The VOI LUT Function of PS3.3 C.11.2.1.2.1 (LINEAR) and C.11.2.1.3 (LINEAR_EXACT, SIGMOID)
/// for window centre `c` and width `w`, output range 0..255 (not yet rounded).
fn window(function: VoiFunction, c: f64, w: f64) -> impl Fn(f64) -> f64 {
    move |x: f64| match function {
        VoiFunction::Linear => {
            if x <= c - 0.5 - (w - 1.0) / 2.0 {
                0.0
            } else if x > c - 0.5 + (w - 1.0) / 2.0 {
                255.0
            } else {
                ((x - (c - 0.5)) / (w - 1.0) + 0.5) * 255.0
            }
        }
        VoiFunction::LinearExact => {
            if x <= c - w / 2.0 {
                0.0
            } else if x > c + w / 2.0 {
                255.0
            } else {
                ((x - c) / w + 0.5) * 255.0
            }
        }
        VoiFunction::Sigmoid => 255.0 / (1.0 + (-4.0 * (x - c) / w).exp()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected values worked out by hand from the standard's formulas (c = 40, w = 400).
    #[test]
    fn voi_functions_follow_ps3_3() {
        let close = |got: f64, want: f64| assert!((got - want).abs() < 0.01, "{got} vs {want}");
        // SIGMOID: y = 255 / (1 + exp(−4 (x − c) / w)).
        let sigmoid = window(VoiFunction::Sigmoid, 40.0, 400.0);
        close(sigmoid(40.0), 127.5); // 255 / 2
        close(sigmoid(140.0), 186.42); // 255 / (1 + e^−1) = 255 × 0.731059
        close(sigmoid(-60.0), 68.58); // 255 / (1 + e) = 255 × 0.268941
        close(sigmoid(1040.0), 254.99); // 255 / (1 + e^−10)
                                        // LINEAR_EXACT: 0 at or below c − w/2 = −160, 255 above c + w/2 = 240, else
                                        // ((x − c) / w + 0.5) × 255.
        let exact = window(VoiFunction::LinearExact, 40.0, 400.0);
        close(exact(-160.0), 0.0);
        close(exact(140.0), 191.25); // (100 / 400 + 0.5) × 255
        close(exact(240.0), 255.0);
        close(exact(241.0), 255.0);
        // LINEAR: ((x − 39.5) / 399 + 0.5) × 255 inside −160 < x ≤ 239.
        let linear = window(VoiFunction::Linear, 40.0, 400.0);
        close(linear(-160.0), 0.0);
        close(linear(139.5), 191.41); // (100 / 399 + 0.5) × 255 = 63.910 + 127.5
    }
}
