//! The CLI's picture decoder: PNG and WebP with the `image` crate, JPEG with `jpeg-decoder`,
//! from a buffered reader over the file (never the whole file in memory: `image`'s own JPEG
//! decoder reads its whole input into a buffer first, `jpeg-decoder` reads as it decodes), bounded
//! by [`Limits`]: the size is read from the header and checked before any pixel is decoded, and
//! the decoder's own allocation limit is set too (a decompression bomb stops there).
//! HEIC/HEIF/AVIF, GIF, BMP and TIFF are not decoded here (no pure-Rust HEIC decoder is kept; the
//! others are not how phones and messengers save pictures): their subject is unknown and the
//! reason says so.

use std::io::{BufRead, ErrorKind, Seek};

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};

use super::{analyse, not_decoded, too_many_pixels, PictureInfo, Pixels};
use crate::limits::Limits;
use crate::text::msg;

/// What the picture `reader` holds (a whole file of `format`, as `raster::detect_format` names
/// it, from its start) shows. Never panics; a file that cannot be decoded gets an unknown subject
/// and the reason.
pub fn picture<R: BufRead + Seek>(reader: R, format: &str, limits: &Limits) -> PictureInfo {
    match pixels(reader, format, limits) {
        Ok(Decoded::Grey(width, height, grey)) => analyse(
            width,
            height,
            Pixels::Grey(&grey),
            limits.max_picture_pixels,
        ),
        Ok(Decoded::Rgb(width, height, rgb)) => {
            analyse(width, height, Pixels::Rgb(&rgb), limits.max_picture_pixels)
        }
        Err(refused) => refused,
    }
}

/// The pixels of the picture `reader` holds (a whole file of `format`), bounded as [`picture`]
/// says; a picture that cannot be decoded gets the [`PictureInfo`] that says why. Also the
/// CLI's `preview`, report thumbnails ([`crate::pixels::picture`]) and OCR.
pub fn pixels<R: BufRead + Seek>(
    reader: R,
    format: &str,
    limits: &Limits,
) -> Result<Decoded, PictureInfo> {
    match format {
        "png" => with_image(reader, ImageFormat::Png, limits),
        "webp" => with_image(reader, ImageFormat::WebP, limits),
        "jpeg" => jpeg(reader, limits),
        other => Err(not_decoded(other, "")),
    }
}

/// Decoded pixels: width, height and one byte a pixel (grey) or three (RGB).
pub enum Decoded {
    Grey(u32, u32, Vec<u8>),
    Rgb(u32, u32, Vec<u8>),
}

impl Decoded {
    /// Width, height and the pixels.
    pub fn pixels(&self) -> (u32, u32, Pixels<'_>) {
        match self {
            Decoded::Grey(w, h, grey) => (*w, *h, Pixels::Grey(grey)),
            Decoded::Rgb(w, h, rgb) => (*w, *h, Pixels::Rgb(rgb)),
        }
    }
}

/// PNG and WebP with the `image` crate's decoders, which read as they decode.
fn with_image<R: BufRead + Seek>(
    reader: R,
    format: ImageFormat,
    limits: &Limits,
) -> Result<Decoded, PictureInfo> {
    let undecodable = |e: image::ImageError| {
        PictureInfo::unknown(msg!("reason.picture.undecodable", error = e.to_string()))
    };
    let mut bounds = image::Limits::default();
    bounds.max_alloc = Some(limits.max_picture_alloc);
    let mut reader = ImageReader::with_format(reader, format);
    reader.limits(bounds.clone());
    let mut decoder = reader.into_decoder().map_err(undecodable)?;
    let (width, height) = decoder.dimensions();
    if let Some(refused) = too_many_pixels(width, height, limits) {
        return Err(refused);
    }
    bounds.max_image_width = Some(width);
    bounds.max_image_height = Some(height);
    // The pixels' buffer counts against the limit too (as `ImageReader::decode` does it).
    bounds.reserve(decoder.total_bytes()).map_err(undecodable)?;
    decoder.set_limits(bounds).map_err(undecodable)?;
    let decoded = DynamicImage::from_decoder(decoder).map_err(undecodable)?;
    // Grey stays grey (one byte a pixel); anything else becomes 8-bit RGB.
    Ok(if decoded.color().has_color() {
        Decoded::Rgb(width, height, decoded.into_rgb8().into_raw())
    } else {
        Decoded::Grey(width, height, decoded.into_luma8().into_raw())
    })
}

/// JPEG with `jpeg-decoder`. A file that ends before its image does (no end-of-image marker after
/// the scans) is said to be cut short: the decoder meets the end of the file while it still
/// wants data.
fn jpeg<R: BufRead>(reader: R, limits: &Limits) -> Result<Decoded, PictureInfo> {
    let fail = |e: jpeg_decoder::Error| match e {
        jpeg_decoder::Error::Io(io) if io.kind() == ErrorKind::UnexpectedEof => {
            PictureInfo::unknown(msg!("reason.picture.jpeg-cut"))
        }
        e => not_decoded("jpeg", &e.to_string()),
    };
    let mut decoder = jpeg_decoder::Decoder::new(reader);
    decoder.read_info().map_err(fail)?;
    let info = decoder
        .info()
        .ok_or_else(|| not_decoded("jpeg", "no frame"))?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    if let Some(refused) = too_many_pixels(width, height, limits) {
        return Err(refused);
    }
    decoder.set_max_decoding_buffer_size(
        usize::try_from(limits.max_picture_alloc).unwrap_or(usize::MAX),
    );
    let pixels = decoder.decode().map_err(fail)?;
    match info.pixel_format {
        jpeg_decoder::PixelFormat::L8 => Ok(Decoded::Grey(width, height, pixels)),
        // Lossless 16-bit grey (never a camera's): its high byte.
        jpeg_decoder::PixelFormat::L16 => Ok(Decoded::Grey(
            width,
            height,
            pixels
                .chunks_exact(2)
                .map(|c| (u16::from_ne_bytes([c[0], c[1]]) >> 8) as u8)
                .collect(),
        )),
        jpeg_decoder::PixelFormat::RGB24 => Ok(Decoded::Rgb(width, height, pixels)),
        jpeg_decoder::PixelFormat::CMYK32 => Err(not_decoded("jpeg", "CMYK colours")),
    }
}
