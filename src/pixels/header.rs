//! The attributes that say how to decode and show a DICOM image's pixel data, read by walking the
//! header up to Pixel Data (the same bounded walk the scan uses, keeping other elements).

use std::io::Read;

use dicom_core::Tag;
use dicom_dictionary_std::tags;
use dicom_encoding::TransferSyntaxIndex;
use dicom_object::InMemDicomObject;
use dicom_transfer_syntax_registry::TransferSyntaxRegistry;

use crate::dicom::walk::{self, Encoding, Source, Until, WalkError};
use crate::limits::Limits;
use crate::text::{msg, Message};

/// How the one frame is stored and how to show it.
#[derive(Debug, Clone, PartialEq)]
pub struct PixelHeader {
    pub transfer_syntax: String,
    pub rows: u32,
    pub columns: u32,
    pub samples_per_pixel: u16,
    pub bits_allocated: u16,
    pub bits_stored: u16,
    /// Pixel Representation 1: stored values are two's complement.
    pub signed: bool,
    /// Planar Configuration 1: all reds, then all greens, then all blues.
    pub planar: bool,
    /// Photometric Interpretation, trimmed (`MONOCHROME2`, `RGB`, `YBR_FULL_422`…).
    pub photometric: String,
    pub frames: u32,
    /// Rescale (slope, intercept), when either is present.
    pub rescale: Option<(f64, f64)>,
    /// The first Window Center and Width, when both are present and the width is ≥ 1 (LINEAR)
    /// or > 0 (LINEAR_EXACT, SIGMOID).
    pub window: Option<(f64, f64)>,
    /// VOI LUT Function: how the window maps values (PS3.3 C.11.2.1.3).
    pub voi_function: VoiFunction,
    pub palette: Option<Palette>,
    pub series_uid: Option<String>,
    /// Where Pixel Data's value starts and its length (`None`: encapsulated).
    pub pixel_data: walk::PixelData,
}

/// VOI LUT Function (0028,1056); absent or unknown: LINEAR.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoiFunction {
    Linear,
    LinearExact,
    Sigmoid,
}

/// The red, green and blue Palette Color LUTs, already scaled to 8 bits.
#[derive(Debug, Clone, PartialEq)]
pub struct Palette {
    /// The stored value mapped to the first entry.
    pub first: i64,
    pub red: Vec<u8>,
    pub green: Vec<u8>,
    pub blue: Vec<u8>,
}

/// Whether a top-level element is needed to decode or show the pixels.
fn wanted(tag: Tag) -> bool {
    tag.0 == 0x0028 || tag == tags::SERIES_INSTANCE_UID || tag == tags::SOP_CLASS_UID
}

/// Walks a data set from `src`'s position (its first element) up to Pixel Data, and leaves `src`
/// at the first byte of Pixel Data's value. `encoding`: how the data set is encoded (a deflated
/// one is read inflated, as Explicit VR Little Endian).
pub fn read<R: Read>(
    src: &mut Source<R>,
    encoding: Encoding,
    transfer_syntax: String,
    limits: &Limits,
) -> Result<PixelHeader, Message> {
    let walked = walk::walk(
        src,
        encoding,
        Until::PixelData,
        limits,
        limits.header_cap,
        &wanted,
        None,
    )
    .map_err(|e| match e {
        WalkError::Malformed(m) | WalkError::Truncated(m) | WalkError::Limit(m) => m,
        WalkError::Io(e) => msg!("error.read", detail = e.to_string()),
    })?;
    let pixel_data = walked
        .pixel_data
        .ok_or_else(|| msg!("pixels.no-pixel-data"))?;
    let parse_ts = match (encoding.explicit_vr, encoding.big_endian) {
        (false, _) => "1.2.840.10008.1.2",
        (true, true) => "1.2.840.10008.1.2.2",
        (true, false) => "1.2.840.10008.1.2.1",
    };
    let ts = TransferSyntaxRegistry
        .get(parse_ts)
        .ok_or_else(|| msg!("error.dicom.registry"))?;
    let obj = InMemDicomObject::read_dataset_with_ts(&walked.bytes[..], ts)
        .map_err(|e| msg!("error.dicom.parse", detail = e.to_string()))?;
    from_object(&obj, &walked, transfer_syntax, pixel_data)
}

fn from_object(
    obj: &InMemDicomObject,
    walked: &walk::Walked,
    transfer_syntax: String,
    pixel_data: walk::PixelData,
) -> Result<PixelHeader, Message> {
    let int = |tag: Tag| obj.get(tag).and_then(|e| e.to_int::<i64>().ok());
    let float = |tag: Tag| {
        obj.get(tag)
            .and_then(|e| e.to_float64().ok())
            .filter(|v| v.is_finite())
    };
    let text = |tag: Tag| {
        obj.get(tag)
            .and_then(|e| e.to_str().ok())
            .map(|s| {
                s.trim_matches(|c: char| c == '\0' || c.is_whitespace())
                    .to_string()
            })
            .filter(|s| !s.is_empty())
    };
    let need = |tag: Tag, name: &str| {
        int(tag).ok_or_else(|| msg!("pixels.missing-attribute", name = name.to_string()))
    };
    let rows = need(tags::ROWS, "Rows")?;
    let columns = need(tags::COLUMNS, "Columns")?;
    let bits_allocated = need(tags::BITS_ALLOCATED, "Bits Allocated")?;
    let samples = int(tags::SAMPLES_PER_PIXEL).unwrap_or(1);
    let bits_stored = int(tags::BITS_STORED).unwrap_or(bits_allocated);
    let frames = int(tags::NUMBER_OF_FRAMES).unwrap_or(1).max(1);
    let in_range = |v: i64, lo: i64, hi: i64| (lo..=hi).contains(&v);
    if !in_range(rows, 1, 65535)
        || !in_range(columns, 1, 65535)
        || !matches!(bits_allocated, 8 | 16 | 32)
        || !in_range(bits_stored, 1, bits_allocated)
        || !matches!(samples, 1 | 3)
        || !in_range(frames, 1, i64::from(u32::MAX))
    {
        return Err(msg!(
            "pixels.bad-geometry",
            rows = rows,
            columns = columns,
            samples = samples,
            bits = bits_allocated,
        ));
    }
    let photometric = text(tags::PHOTOMETRIC_INTERPRETATION)
        .unwrap_or_else(|| if samples == 3 { "RGB" } else { "MONOCHROME2" }.to_string());
    let slope = float(tags::RESCALE_SLOPE);
    let intercept = float(tags::RESCALE_INTERCEPT);
    let rescale = (slope.is_some() || intercept.is_some())
        .then(|| (slope.unwrap_or(1.0), intercept.unwrap_or(0.0)));
    let first = |tag: Tag| {
        obj.get(tag)
            .and_then(|e| e.to_multi_float64().ok())
            .and_then(|v| v.first().copied())
            .filter(|v| v.is_finite())
    };
    let voi_function = match text(tags::VOILUT_FUNCTION).as_deref() {
        Some("SIGMOID") => VoiFunction::Sigmoid,
        Some("LINEAR_EXACT") => VoiFunction::LinearExact,
        _ => VoiFunction::Linear,
    };
    // LINEAR needs a width ≥ 1 (C.11.2.1.2.1), the other two only > 0 (C.11.2.1.3).
    let least_width = |w: f64| match voi_function {
        VoiFunction::Linear => w >= 1.0,
        VoiFunction::LinearExact | VoiFunction::Sigmoid => w > 0.0,
    };
    let window = match (first(tags::WINDOW_CENTER), first(tags::WINDOW_WIDTH)) {
        (Some(c), Some(w)) if least_width(w) => Some((c, w)),
        _ => None,
    };
    let palette = if photometric == "PALETTE COLOR" {
        Some(read_palette(obj, walked)?)
    } else {
        None
    };
    Ok(PixelHeader {
        transfer_syntax,
        rows: rows as u32,
        columns: columns as u32,
        samples_per_pixel: samples as u16,
        bits_allocated: bits_allocated as u16,
        bits_stored: bits_stored as u16,
        signed: int(tags::PIXEL_REPRESENTATION) == Some(1),
        planar: int(tags::PLANAR_CONFIGURATION) == Some(1),
        photometric,
        frames: frames as u32,
        rescale,
        window,
        voi_function,
        palette,
        series_uid: text(tags::SERIES_INSTANCE_UID),
        pixel_data,
    })
}

/// The three Palette Color LUTs (PS3.3 C.7.6.3.1.5), each entry scaled to 8 bits by
/// round(v × 255 / (2ⁿ − 1)), n the descriptor's bits per entry.
fn read_palette(obj: &InMemDicomObject, walked: &walk::Walked) -> Result<Palette, Message> {
    let lut = |descriptor: Tag, data: Tag| -> Result<(i64, Vec<u8>), Message> {
        let desc: Vec<i64> = obj
            .get(descriptor)
            .and_then(|e| e.to_multi_int::<i64>().ok())
            .filter(|d| d.len() == 3)
            .ok_or_else(|| msg!("pixels.bad-palette"))?;
        let entries = if desc[0] == 0 {
            65536
        } else {
            desc[0].rem_euclid(65536)
        } as usize;
        let bits = desc[2];
        // The walk keeps values up to its bulk threshold: a LUT longer than that is skipped.
        let raw = walked.raw(data).filter(|r| !r.is_empty());
        let raw = raw.ok_or_else(|| msg!("pixels.bad-palette"))?;
        let values: Vec<u32> = if bits > 8 || raw.len() >= entries * 2 {
            raw.chunks_exact(2)
                .map(|c| u32::from(u16::from_le_bytes([c[0], c[1]])))
                .collect()
        } else {
            raw.iter().map(|&b| u32::from(b)).collect()
        };
        if values.len() < entries || !(1..=16).contains(&bits) {
            return Err(msg!("pixels.bad-palette"));
        }
        let max = f64::from((1u32 << bits) - 1);
        let scaled = values[..entries]
            .iter()
            .map(|&v| (f64::from(v) * 255.0 / max).round().clamp(0.0, 255.0) as u8)
            .collect();
        // The first stored value mapped: unsigned here (PS3.3 says it follows Pixel
        // Representation, and palette images are unsigned in practice).
        Ok((desc[1].rem_euclid(65536), scaled))
    };
    let (first, red) = lut(
        tags::RED_PALETTE_COLOR_LOOKUP_TABLE_DESCRIPTOR,
        tags::RED_PALETTE_COLOR_LOOKUP_TABLE_DATA,
    )?;
    let (_, green) = lut(
        tags::GREEN_PALETTE_COLOR_LOOKUP_TABLE_DESCRIPTOR,
        tags::GREEN_PALETTE_COLOR_LOOKUP_TABLE_DATA,
    )?;
    let (_, blue) = lut(
        tags::BLUE_PALETTE_COLOR_LOOKUP_TABLE_DESCRIPTOR,
        tags::BLUE_PALETTE_COLOR_LOOKUP_TABLE_DATA,
    )?;
    Ok(Palette {
        first,
        red,
        green,
        blue,
    })
}
