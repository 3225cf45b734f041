//! From samples to an 8-bit picture, by the rule of the pixel corpus README (and PS3.3 C.11):
//! Modality LUT (rescale), then the first window (LINEAR) or else the frame's min–max,
//! MONOCHROME1 inverted once; palette colour looked up; colour passed through.

use crate::text::{msg, Message};

use super::decode::Samples;
use super::header::PixelHeader;
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
        // LINEAR, PS3.3 C.11.2.1.2.1, output 0..255.
        Some((c, w)) => Box::new(move |x: f64| {
            if x <= c - 0.5 - (w - 1.0) / 2.0 {
                0.0
            } else if x > c - 0.5 + (w - 1.0) / 2.0 {
                255.0
            } else {
                ((x - (c - 0.5)) / (w - 1.0) + 0.5) * 255.0
            }
        }),
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
