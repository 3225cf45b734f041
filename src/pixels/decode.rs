//! From one frame's stored bytes to samples: native samples unpacked, RLE, JPEG (baseline and
//! lossless, with jpeg-decoder), JPEG-LS (with pure_jpegls) and JPEG 2000 (with hayro-jpeg2000)
//! decoded. Every decoder's output size is checked against the header before it is used; a
//! decoder's error is a message.

use crate::text::{msg, Message};

use super::frame::Stored;
use super::header::PixelHeader;

/// One frame's samples, before any LUT.
#[derive(Debug, Clone, PartialEq)]
pub enum Samples {
    /// Stored values (masked to Bits Stored, sign-extended when signed), row by row.
    Grey(Vec<i32>),
    /// 8-bit RGB, interleaved.
    Rgb(Vec<u8>),
}

/// The transfer syntaxes whose pixels are decoded, by UID, with the codec used.
pub fn codec(transfer_syntax: &str) -> Option<Codec> {
    Some(match transfer_syntax {
        "1.2.840.10008.1.2" | "1.2.840.10008.1.2.1" | "1.2.840.10008.1.2.1.99" => Codec::Native,
        "1.2.840.10008.1.2.2" => Codec::NativeBigEndian,
        "1.2.840.10008.1.2.5" => Codec::Rle,
        // Baseline (8-bit) and lossless processes 14 and 14 SV1. Extended (12-bit) lossy JPEG
        // (.4.51) is not decoded by jpeg-decoder: tried, it reports the precision unsupported.
        "1.2.840.10008.1.2.4.50"
        | "1.2.840.10008.1.2.4.51"
        | "1.2.840.10008.1.2.4.57"
        | "1.2.840.10008.1.2.4.70" => Codec::Jpeg,
        // JPEG-LS lossless and near-lossless.
        "1.2.840.10008.1.2.4.80" | "1.2.840.10008.1.2.4.81" => Codec::JpegLs,
        // JPEG 2000 and High-Throughput JPEG 2000.
        "1.2.840.10008.1.2.4.90"
        | "1.2.840.10008.1.2.4.91"
        | "1.2.840.10008.1.2.4.92"
        | "1.2.840.10008.1.2.4.93"
        | "1.2.840.10008.1.2.4.201"
        | "1.2.840.10008.1.2.4.202"
        | "1.2.840.10008.1.2.4.203" => Codec::Jpeg2000,
        _ => return None,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    Native,
    NativeBigEndian,
    Rle,
    Jpeg,
    JpegLs,
    Jpeg2000,
}

/// Decodes one frame. `header` has passed the limits (its frame fits in memory).
pub fn decode(header: &PixelHeader, codec: Codec, stored: Stored) -> Result<Samples, Message> {
    match (codec, stored) {
        (Codec::Native, Stored::Native(bytes)) => unpack(header, &bytes, false, header.planar),
        (Codec::NativeBigEndian, Stored::Native(bytes)) => {
            unpack(header, &bytes, true, header.planar)
        }
        (Codec::Rle, Stored::Encapsulated(bytes)) => {
            let bytes = rle(header, &bytes)?;
            // RLE keeps each sample's bytes in its own segments: planes, whatever Planar
            // Configuration says (PS3.5 G.2).
            unpack(header, &bytes, false, true)
        }
        (Codec::Jpeg, Stored::Encapsulated(bytes)) => jpeg(header, &bytes),
        (Codec::JpegLs, Stored::Encapsulated(bytes)) => jpeg_ls(header, &bytes),
        (Codec::Jpeg2000, Stored::Encapsulated(bytes)) => jpeg2000(header, &bytes),
        _ => Err(msg!("pixels.encapsulation-mismatch")),
    }
}

/// Masks a stored value to Bits Stored and sign-extends it when the pixels are signed.
fn stored_value(raw: u32, bits_stored: u16, signed: bool) -> i32 {
    let bits = u32::from(bits_stored.min(32));
    let masked = if bits >= 32 {
        raw
    } else {
        raw & ((1u32 << bits) - 1)
    };
    if signed && bits < 32 && masked >> (bits - 1) & 1 == 1 {
        (masked | !((1u32 << bits) - 1)) as i32
    } else {
        masked as i32
    }
}

/// Unpacks native samples: `big_endian` byte order; `planar` when all of one sample come first.
fn unpack(
    header: &PixelHeader,
    bytes: &[u8],
    big_endian: bool,
    planar: bool,
) -> Result<Samples, Message> {
    let pixels = header.rows as usize * header.columns as usize;
    let width = usize::from(header.bits_allocated / 8);
    let read = |i: usize| -> u32 {
        let b = &bytes[i * width..(i + 1) * width];
        match (width, big_endian) {
            (1, _) => u32::from(b[0]),
            (2, false) => u32::from(u16::from_le_bytes([b[0], b[1]])),
            (2, true) => u32::from(u16::from_be_bytes([b[0], b[1]])),
            (_, false) => u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
            (_, true) => u32::from_be_bytes([b[0], b[1], b[2], b[3]]),
        }
    };
    if header.samples_per_pixel == 1 {
        if bytes.len() < pixels * width {
            return Err(msg!(
                "pixels.short-frame",
                expected = pixels * width,
                got = bytes.len()
            ));
        }
        let values = (0..pixels)
            .map(|i| stored_value(read(i), header.bits_stored, header.signed))
            .collect();
        return Ok(Samples::Grey(values));
    }
    if header.photometric == "YBR_FULL_422" && !planar && bytes.len() == pixels * 2 * width {
        return Ok(Samples::Rgb(ybr_422(header, &read, pixels)));
    }
    if bytes.len() < pixels * 3 * width {
        return Err(msg!(
            "pixels.short-frame",
            expected = pixels * 3 * width,
            got = bytes.len()
        ));
    }
    let to_8 = scale_to_8(header.bits_stored);
    let sample = |p: usize, s: usize| -> u8 {
        let i = if planar { s * pixels + p } else { p * 3 + s };
        to_8(stored_value(read(i), header.bits_stored, false))
    };
    let ybr = header.photometric.starts_with("YBR_FULL");
    let mut rgb = Vec::with_capacity(pixels * 3);
    for p in 0..pixels {
        let (a, b, c) = (sample(p, 0), sample(p, 1), sample(p, 2));
        let px = if ybr {
            ycbcr_to_rgb(a, b, c)
        } else {
            [a, b, c]
        };
        rgb.extend_from_slice(&px);
    }
    Ok(Samples::Rgb(rgb))
}

/// Scales a colour sample of `bits_stored` bits to 8 bits (×255 / (2ⁿ − 1)).
fn scale_to_8(bits_stored: u16) -> impl Fn(i32) -> u8 {
    let max = f64::from(((1u64 << bits_stored.min(32)) - 1) as u32);
    move |v| {
        if bits_stored <= 8 {
            v.clamp(0, 255) as u8
        } else {
            (f64::from(v) * 255.0 / max).round().clamp(0.0, 255.0) as u8
        }
    }
}

/// Native YBR_FULL_422: for each pair of pixels Y₁ Y₂ Cb Cr.
fn ybr_422(header: &PixelHeader, read: &dyn Fn(usize) -> u32, pixels: usize) -> Vec<u8> {
    let to_8 = scale_to_8(header.bits_stored);
    let mut rgb = Vec::with_capacity(pixels * 3);
    for pair in 0..pixels.div_ceil(2) {
        let at = pair * 4;
        let v = |k: usize| to_8(stored_value(read(at + k), header.bits_stored, false));
        let (cb, cr) = (v(2), v(3));
        for y in [v(0), v(1)].into_iter().take(pixels - pair * 2) {
            rgb.extend_from_slice(&ycbcr_to_rgb(y, cb, cr));
        }
    }
    rgb
}

/// ITU-R BT.601 full-range YCbCr to RGB (PS3.3 C.7.6.3.1.2), as pydicom converts it.
fn ycbcr_to_rgb(y: u8, cb: u8, cr: u8) -> [u8; 3] {
    let (y, cb, cr) = (f64::from(y), f64::from(cb) - 128.0, f64::from(cr) - 128.0);
    let clamp = |v: f64| v.round().clamp(0.0, 255.0) as u8;
    [
        clamp(y + 1.402 * cr),
        clamp(y - 0.344_136 * cb - 0.714_136 * cr),
        clamp(y + 1.772 * cb),
    ]
}

/// Decodes DICOM RLE (PS3.5 Annex G): a 64-byte header of segment offsets, one PackBits segment
/// per byte of each sample (most significant first). Returns the frame as planes of little-endian
/// samples, the layout [`unpack`] reads with `planar`.
fn rle(header: &PixelHeader, data: &[u8]) -> Result<Vec<u8>, Message> {
    let bad = |why: &str| {
        msg!(
            "pixels.decode-failed",
            codec = "RLE",
            detail = why.to_string()
        )
    };
    let pixels = header.rows as usize * header.columns as usize;
    let width = usize::from(header.bits_allocated / 8);
    let segments = usize::from(header.samples_per_pixel) * width;
    if data.len() < 64 {
        return Err(bad("no segment table"));
    }
    let word = |i: usize| u32::from_le_bytes([data[i], data[i + 1], data[i + 2], data[i + 3]]);
    let count = word(0) as usize;
    if count != segments {
        return Err(bad(&format!("{count} segments, {segments} expected")));
    }
    let offsets: Vec<usize> = (1..=count).map(|i| word(i * 4) as usize).collect();
    let mut out = vec![0u8; pixels * segments];
    for (s, &start) in offsets.iter().enumerate() {
        let end = offsets.get(s + 1).copied().unwrap_or(data.len());
        let segment = data
            .get(start..end.max(start).min(data.len()))
            .ok_or_else(|| bad("a segment starts past the end"))?;
        // Segment s holds byte (s % width) of sample (s / width), most significant byte first.
        let (sample, byte) = (s / width, s % width);
        let plane = &mut out[sample * pixels * width..(sample + 1) * pixels * width];
        let mut put = plane.iter_mut().skip(width - 1 - byte).step_by(width);
        let mut i = 0;
        while i < segment.len() {
            let n = segment[i] as i8;
            i += 1;
            if n >= 0 {
                let run = usize::from(n as u8) + 1;
                for &b in segment.get(i..i + run).unwrap_or(&segment[i..]) {
                    match put.next() {
                        Some(p) => *p = b,
                        None => break,
                    }
                }
                i += run;
            } else if n != -128 {
                let Some(&b) = segment.get(i) else { break };
                for _ in 0..(1 - isize::from(n)) {
                    match put.next() {
                        Some(p) => *p = b,
                        None => break,
                    }
                }
                i += 1;
            }
        }
    }
    Ok(out)
}

/// JPEG baseline and lossless with jpeg-decoder. Colour: the decoder's YCbCr → RGB transform,
/// except when the file says its JPEG holds RGB (lossless RGB images are not transformed).
fn jpeg(header: &PixelHeader, data: &[u8]) -> Result<Samples, Message> {
    let fail = |e: jpeg_decoder::Error| {
        msg!(
            "pixels.decode-failed",
            codec = "JPEG",
            detail = e.to_string()
        )
    };
    let mut decoder = jpeg_decoder::Decoder::new(data);
    decoder.read_info().map_err(fail)?;
    let info = decoder
        .info()
        .ok_or_else(|| fail(jpeg_decoder::Error::Format("no frame".into())))?;
    check_size(header, u32::from(info.width), u32::from(info.height))?;
    // The decoder's own buffers: the frame at 16 bits per sample, and some room.
    let samples = header.rows as usize * header.columns as usize * 4;
    decoder.set_max_decoding_buffer_size(samples * 2 + (1 << 20));
    if header.photometric == "RGB" {
        decoder.set_color_transform(jpeg_decoder::ColorTransform::None);
    }
    let pixels = decoder.decode().map_err(fail)?;
    let mono = |values: Vec<i32>| -> Result<Samples, Message> {
        if header.samples_per_pixel != 1 {
            return Err(msg!(
                "pixels.samples-mismatch",
                expected = header.samples_per_pixel,
                got = 1
            ));
        }
        Ok(Samples::Grey(values))
    };
    let (bits, signed) = (header.bits_stored, header.signed);
    match info.pixel_format {
        jpeg_decoder::PixelFormat::L8 => mono(
            pixels
                .iter()
                .map(|&v| stored_value(u32::from(v), bits, signed))
                .collect(),
        ),
        jpeg_decoder::PixelFormat::L16 => mono(
            pixels
                .chunks_exact(2)
                .map(|c| stored_value(u32::from(u16::from_ne_bytes([c[0], c[1]])), bits, signed))
                .collect(),
        ),
        jpeg_decoder::PixelFormat::RGB24 => Ok(Samples::Rgb(pixels)),
        jpeg_decoder::PixelFormat::CMYK32 => Err(msg!(
            "pixels.decode-failed",
            codec = "JPEG",
            detail = "CMYK".to_string()
        )),
    }
}

/// The decoded image must be the size the header says (a thumbnail of another size would be
/// wrong, and the limits were checked on the header's size).
fn check_size(header: &PixelHeader, width: u32, height: u32) -> Result<(), Message> {
    if (width, height) != (header.columns, header.rows) {
        return Err(msg!(
            "pixels.size-mismatch",
            width = width,
            height = height,
            columns = header.columns,
            rows = header.rows,
        ));
    }
    Ok(())
}

/// JPEG-LS (lossless and near-lossless) with pure_jpegls: one component only (the crate refuses
/// colour, interleaved scans and restart markers with an error, which becomes the message).
fn jpeg_ls(header: &PixelHeader, data: &[u8]) -> Result<Samples, Message> {
    if header.samples_per_pixel != 1 {
        return Err(msg!(
            "pixels.samples-mismatch",
            expected = header.samples_per_pixel,
            got = 1
        ));
    }
    // The decoder checks the frame header's size against the one given before it allocates.
    let (pixels, width, height) =
        jpegls::decode(data, header.columns, header.rows).map_err(|e| {
            msg!(
                "pixels.decode-failed",
                codec = "JPEG-LS",
                detail = e.to_string()
            )
        })?;
    check_size(header, width, height)?;
    let (bits, signed) = (header.bits_stored, header.signed);
    Ok(Samples::Grey(
        pixels
            .into_iter()
            .map(|v| stored_value(u32::from(v), bits, signed))
            .collect(),
    ))
}

/// JPEG 2000 with hayro-jpeg2000 (colour transforms are the codestream's, done by the decoder).
fn jpeg2000(header: &PixelHeader, data: &[u8]) -> Result<Samples, Message> {
    let fail = |e: hayro_jpeg2000::DecodeError| {
        msg!(
            "pixels.decode-failed",
            codec = "JPEG 2000",
            detail = e.to_string()
        )
    };
    let settings = hayro_jpeg2000::DecodeSettings::default();
    let image = hayro_jpeg2000::Image::new(data, &settings).map_err(fail)?;
    check_size(header, image.width(), image.height())?;
    let mut context = hayro_jpeg2000::DecoderContext::default();
    let decoded = image.decode(&mut context).map_err(fail)?;
    let components = decoded.components();
    match (components.len(), header.samples_per_pixel) {
        (1, 1) => {
            let component = &components[0];
            // The decoder adds the unsigned level shift to every component; a signed one
            // (SIZ's Ssiz high bit) is shifted back.
            let depth = u32::from(component.bit_depth()).clamp(1, 31);
            let shift = if siz_signed(data) {
                1i64 << (depth - 1)
            } else {
                0
            };
            let values = component
                .samples()
                .iter()
                .map(|&v| {
                    (v.round() as i64 - shift).clamp(i64::from(i32::MIN), i64::from(i32::MAX))
                        as i32
                })
                .collect();
            Ok(Samples::Grey(values))
        }
        (3, 3) => Ok(Samples::Rgb(decoded.data_u8())),
        (got, expected) => Err(msg!(
            "pixels.samples-mismatch",
            expected = expected,
            got = got
        )),
    }
}

/// Whether the first component of a JPEG 2000 codestream is signed: the high bit of its Ssiz in
/// the SIZ marker segment (ISO/IEC 15444-1 A.5.1), 42 bytes after SOC.
fn siz_signed(data: &[u8]) -> bool {
    data.starts_with(&[0xFF, 0x4F, 0xFF, 0x51]) && data.get(42).is_some_and(|b| b & 0x80 != 0)
}
