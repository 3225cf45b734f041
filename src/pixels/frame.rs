//! Reading one frame's stored bytes from Pixel Data, forward only: the frames before it are
//! skipped, never held, and nothing is allocated before its size is checked against the limits.

use std::io::Read;

use crate::dicom::walk::Source;
use crate::limits::Limits;
use crate::text::{msg, Message};

use super::header::PixelHeader;

/// The stored bytes of one frame.
#[derive(Debug)]
pub enum Stored {
    /// Native (uncompressed) samples, exactly one frame's worth.
    Native(Vec<u8>),
    /// The frame's compressed fragments, joined.
    Encapsulated(Vec<u8>),
}

/// Samples in one frame (rows × columns × samples per pixel), checked against
/// [`Limits::max_frame_samples`].
pub fn frame_samples(header: &PixelHeader, limits: &Limits) -> Result<u64, Message> {
    let samples =
        u64::from(header.rows) * u64::from(header.columns) * u64::from(header.samples_per_pixel);
    if samples > limits.max_frame_samples {
        return Err(msg!(
            "pixels.too-large",
            rows = header.rows,
            columns = header.columns,
            samples = header.samples_per_pixel,
            limit = limits.max_frame_samples,
        ));
    }
    Ok(samples)
}

/// Reads frame `index` from `src`, which stands at the first byte of Pixel Data's value.
pub fn read<R: Read>(
    src: &mut Source<R>,
    header: &PixelHeader,
    index: u32,
    limits: &Limits,
) -> Result<Stored, Message> {
    let samples = frame_samples(header, limits)?;
    match header.pixel_data.length {
        Some(length) => read_native(src, header, index, samples, u64::from(length)),
        None => read_fragments(src, header, index, samples, limits).map(Stored::Encapsulated),
    }
}

fn read_native<R: Read>(
    src: &mut Source<R>,
    header: &PixelHeader,
    index: u32,
    samples: u64,
    length: u64,
) -> Result<Stored, Message> {
    let mut frame_bytes = samples * u64::from(header.bits_allocated / 8);
    if header.photometric == "YBR_FULL_422" && header.samples_per_pixel == 3 {
        // Two luminance samples share one Cb and one Cr (PS3.3 C.7.6.3.1.2).
        frame_bytes = frame_bytes * 2 / 3;
    }
    let start = u64::from(index) * frame_bytes;
    if start + frame_bytes > length {
        return Err(msg!(
            "pixels.short-pixel-data",
            needed = start + frame_bytes,
            length = length,
        ));
    }
    if start + frame_bytes > src.remaining() {
        return Err(msg!(
            "pixels.past-end",
            needed = start + frame_bytes,
            left = src.remaining(),
        ));
    }
    let io = |e: std::io::Error| msg!("error.read", detail = e.to_string());
    src.skip(start).map_err(io)?;
    let mut out = Vec::with_capacity(frame_bytes as usize);
    src.take_into(frame_bytes as usize, &mut out).map_err(io)?;
    Ok(Stored::Native(out))
}

/// Walks the items of encapsulated Pixel Data (PS3.5 A.4): the Basic Offset Table, then the
/// fragments. A frame starts at a fragment that begins with a codestream's start marker (JPEG's
/// SOI, JPEG 2000's SOC) or, for RLE, at every fragment (one fragment per frame); a single-frame
/// image is all its fragments. Frames before `index` are skipped.
fn read_fragments<R: Read>(
    src: &mut Source<R>,
    header: &PixelHeader,
    index: u32,
    samples: u64,
    limits: &Limits,
) -> Result<Vec<u8>, Message> {
    const ITEM: (u16, u16) = (0xFFFE, 0xE000);
    const SEQUENCE_END: (u16, u16) = (0xFFFE, 0xE0DD);
    // A compressed frame is never larger than twice its samples at 16 bits (a lossless coder
    // that cannot compress adds a little, not a factor).
    let max_encoded = 2 * 2 * samples + 1024;
    let is_rle = header.transfer_syntax == "1.2.840.10008.1.2.5";
    let io = |e: std::io::Error| msg!("error.read", detail = e.to_string());
    let mut out = Vec::new();
    let mut frame: i64 = -1;
    for item in 0..=limits.max_fragments {
        if item == limits.max_fragments {
            return Err(msg!(
                "pixels.too-many-fragments",
                limit = limits.max_fragments
            ));
        }
        let at = src.pos();
        let head = src.peek(8).map_err(io)?;
        if head.len() < 8 {
            break; // The file ends without a sequence delimiter: keep what was read.
        }
        let tag = (
            u16::from_le_bytes([head[0], head[1]]),
            u16::from_le_bytes([head[2], head[3]]),
        );
        let length = u64::from(u32::from_le_bytes([head[4], head[5], head[6], head[7]]));
        if tag == SEQUENCE_END {
            break;
        }
        if tag != ITEM || length == 0xFFFF_FFFF {
            return Err(msg!("pixels.fragments-malformed", offset = at));
        }
        src.skip(8).map_err(io)?;
        if length > src.remaining() {
            return Err(msg!(
                "pixels.fragment-past-end",
                offset = at,
                length = length,
                left = src.remaining(),
            ));
        }
        if item == 0 {
            // The Basic Offset Table: not needed, frames are found by their start markers.
            src.skip(length).map_err(io)?;
            continue;
        }
        let starts_frame = frame < 0 || {
            let first = src.peek(2).map_err(io)?;
            (is_rle && header.frames > 1) || first == [0xFF, 0xD8] || first == [0xFF, 0x4F]
        };
        if starts_frame && header.frames > 1 {
            frame += 1;
        } else if frame < 0 {
            frame = 0;
        }
        if frame > i64::from(index) {
            break;
        }
        if frame == i64::from(index) {
            if out.len() as u64 + length > max_encoded {
                return Err(msg!("pixels.frame-too-long", limit = max_encoded));
            }
            src.take_into(length as usize, &mut out).map_err(io)?;
        } else {
            src.skip(length).map_err(io)?;
        }
    }
    if out.is_empty() {
        return Err(msg!(
            "pixels.frame-missing",
            frame = index + 1,
            frames = header.frames
        ));
    }
    Ok(out)
}
