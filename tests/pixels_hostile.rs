//! Hostile pixel data: headers whose rows × columns × frames overflow or exceed the limit,
//! lengths and fragments that run past the end of the file, bogus and damaged JPEG, JPEG-LS and
//! JPEG 2000 codestreams. Each must give a message (no panic) with bounded memory: this test
//! binary counts every allocation and checks the largest one and the peak against the input's
//! size.

#![cfg(feature = "pixels")]

use std::path::Path;

use record_precheck::pixels::{render_dicom_bytes, Rendered};
use record_precheck::text::{Lang, Message};
use record_precheck::Limits;

mod counting;

#[global_allocator]
static ALLOCATOR: counting::Counting = counting::Counting;

/// Renders `bytes`, returning the outcome, the peak extra memory and the largest allocation.
fn measured(bytes: &[u8]) -> (Result<Rendered, Message>, usize, usize) {
    let limits = Limits::default();
    counting::measure(|| render_dicom_bytes(bytes, &limits))
}

/// A hostile input may cost a small multiple of its size plus 4 MiB (buffers, the decoders'
/// tables); never what its header claims.
fn assert_bounded(what: &str, input_len: usize, peak: usize, largest: usize) {
    let allowed = 8 * input_len + (4 << 20);
    assert!(
        peak <= allowed,
        "{what}: peak {peak} bytes for a {input_len}-byte input"
    );
    assert!(
        largest <= allowed,
        "{what}: one allocation of {largest} bytes"
    );
}

/// Expects one of the pixel decoder's own messages (`pixels.*`), whichever the codec gives.
fn refused_with_a_pixels_message(what: &str, bytes: &[u8]) {
    let (outcome, peak, largest) = measured(bytes);
    let message = outcome.err().unwrap_or_else(|| panic!("{what}: rendered"));
    assert!(
        message.id.starts_with("pixels."),
        "{what}: {}",
        message.text(Lang::En)
    );
    assert_bounded(what, bytes.len(), peak, largest);
}

/// Expects a message whose id is `id`.
fn refused(what: &str, bytes: &[u8], id: &str) {
    let (outcome, peak, largest) = measured(bytes);
    match outcome {
        Err(m) => assert_eq!(m.id, id, "{what}: {}", m.text(Lang::En)),
        Ok(r) => panic!("{what}: rendered {}×{}", r.image.width, r.image.height),
    }
    assert_bounded(what, bytes.len(), peak, largest);
}

fn element(tag: (u16, u16), vr: &[u8; 2], value: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&tag.0.to_le_bytes());
    out.extend_from_slice(&tag.1.to_le_bytes());
    out.extend_from_slice(vr);
    if matches!(vr, b"OB" | b"OW" | b"UN" | b"SQ") {
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(&(value.len() as u32).to_le_bytes());
    } else {
        out.extend_from_slice(&(value.len() as u16).to_le_bytes());
    }
    out.extend_from_slice(value);
    out
}

fn text(s: &str) -> Vec<u8> {
    let mut v = s.as_bytes().to_vec();
    if v.len() % 2 == 1 {
        v.push(if s.contains('.') { 0 } else { b' ' });
    }
    v
}

/// A Part 10 file in `ts` with the given image attributes, up to and including Pixel Data's
/// element header (length `pixel_length`; `u32::MAX` = encapsulated), then `pixel_value`.
/// `shape`: rows, columns, samples per pixel, bits allocated (and stored).
fn dicom(
    ts: &str,
    shape: (u16, u16, u16, u16),
    frames: &str,
    pixel_length: u32,
    pixel_value: &[u8],
) -> Vec<u8> {
    let (rows, columns, samples, bits) = shape;
    let mut meta = element((0x0002, 0x0010), b"UI", &text(ts));
    let mut out = vec![0u8; 128];
    out.extend_from_slice(b"DICM");
    let mut group = element((0x0002, 0x0000), b"UL", &(meta.len() as u32).to_le_bytes());
    group.append(&mut meta);
    out.append(&mut group);
    out.extend(element((0x0028, 0x0002), b"US", &samples.to_le_bytes()));
    let photometric = if samples == 3 { "RGB" } else { "MONOCHROME2" };
    out.extend(element((0x0028, 0x0004), b"CS", &text(photometric)));
    out.extend(element((0x0028, 0x0008), b"IS", &text(frames)));
    out.extend(element((0x0028, 0x0010), b"US", &rows.to_le_bytes()));
    out.extend(element((0x0028, 0x0011), b"US", &columns.to_le_bytes()));
    out.extend(element((0x0028, 0x0100), b"US", &bits.to_le_bytes()));
    out.extend(element((0x0028, 0x0101), b"US", &bits.to_le_bytes()));
    out.extend(element((0x0028, 0x0103), b"US", &0u16.to_le_bytes()));
    out.extend_from_slice(&[0xE0, 0x7F, 0x10, 0x00]);
    out.extend_from_slice(if bits > 8 { b"OW" } else { b"OB" });
    out.extend_from_slice(&[0, 0]);
    out.extend_from_slice(&pixel_length.to_le_bytes());
    out.extend_from_slice(pixel_value);
    out
}

/// An item of encapsulated pixel data.
fn item(value: &[u8], length: u32) -> Vec<u8> {
    let mut out = vec![0xFE, 0xFF, 0x00, 0xE0];
    out.extend_from_slice(&length.to_le_bytes());
    out.extend_from_slice(value);
    out
}

const EXPLICIT_LE: &str = "1.2.840.10008.1.2.1";
const JPEG_BASELINE: &str = "1.2.840.10008.1.2.4.50";
const J2K: &str = "1.2.840.10008.1.2.4.90";
const JPEG_LS: &str = "1.2.840.10008.1.2.4.80";

#[test]
fn frames_over_the_limit_are_refused_before_reading() {
    let _turn = counting::SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // 65535 × 65535 × 3 samples at 16 bits: 25 GB a frame; and 2³¹ of them.
    let huge = dicom(
        EXPLICIT_LE,
        (65535, 65535, 3, 16),
        "2147483647",
        0xFFFF_FFFE,
        &[0; 64],
    );
    refused("rows × columns × samples", &huge, "pixels.too-large");
    let huge = dicom(J2K, (65535, 65535, 1, 16), "1", u32::MAX, &item(&[], 0));
    refused("encapsulated rows × columns", &huge, "pixels.too-large");
    let zero = dicom(EXPLICIT_LE, (0, 512, 1, 16), "1", 0, &[]);
    refused("no rows", &zero, "pixels.bad-geometry");
}

#[test]
fn pixel_data_past_the_end_is_refused_without_allocating_it() {
    let _turn = counting::SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // 4096 × 4096 at 16 bits (32 MiB, under the limit) said, 100 bytes there.
    let short = dicom(EXPLICIT_LE, (4096, 4096, 1, 16), "1", 32 << 20, &[7; 100]);
    refused("native past the end", &short, "pixels.past-end");
    // Pixel Data shorter than the frames the header counts: the middle frame is not there.
    let few = dicom(EXPLICIT_LE, (16, 16, 1, 16), "1000", 512, &[7; 512]);
    refused("fewer frames than said", &few, "pixels.short-pixel-data");
    // A fragment that claims 2 GiB.
    let mut fragments = item(&[], 0);
    fragments.extend(item(&[0xFF, 0xD8, 0xFF], 0x7FFF_FFF0));
    let past = dicom(JPEG_BASELINE, (512, 512, 1, 8), "1", u32::MAX, &fragments);
    refused("fragment past the end", &past, "pixels.fragment-past-end");
    // Not an item where a fragment should be.
    let mut fragments = item(&[], 0);
    fragments.extend_from_slice(&[0x08, 0x00, 0x10, 0x00, 4, 0, 0, 0, 1, 2, 3, 4]);
    let stray = dicom(JPEG_BASELINE, (512, 512, 1, 8), "1", u32::MAX, &fragments);
    refused(
        "stray element among fragments",
        &stray,
        "pixels.fragments-malformed",
    );
    // The middle of 4 billion frames, in a file of one fragment.
    let mut fragments = item(&[], 0);
    fragments.extend(item(&[0xFF, 0xD8, 0xFF, 0xD9], 4));
    let missing = dicom(
        JPEG_BASELINE,
        (8, 8, 1, 8),
        "4000000000",
        u32::MAX,
        &fragments,
    );
    refused("frame not there", &missing, "pixels.frame-missing");
}

/// A JPEG 2000 codestream: SOC, then a SIZ marker for one component of `width` × `height` at
/// 16 bits, then `rest`.
fn j2k_codestream(width: u32, height: u32, rest: &[u8]) -> Vec<u8> {
    let mut out = vec![0xFF, 0x4F, 0xFF, 0x51];
    out.extend_from_slice(&41u16.to_be_bytes()); // Lsiz: 38 + 3 × 1 component
    out.extend_from_slice(&0u16.to_be_bytes()); // Rsiz
    for v in [width, height, 0, 0, width, height, 0, 0] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    out.extend_from_slice(&1u16.to_be_bytes()); // Csiz
    out.extend_from_slice(&[15, 1, 1]); // 16-bit unsigned, no subsampling
    out.extend_from_slice(rest);
    out
}

#[test]
fn bogus_jpeg2000_codestreams_give_a_message() {
    let _turn = counting::SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "SIZ says 4 billion pixels wide",
            j2k_codestream(u32::MAX, u32::MAX, &[0xFF, 0xD9]),
        ),
        ("SIZ matches, nothing after it", j2k_codestream(64, 64, &[])),
        (
            "SIZ matches, garbage after it",
            j2k_codestream(64, 64, &[0x5A; 300]),
        ),
        ("not a codestream", vec![0x12; 64]),
        ("empty", vec![]),
    ];
    for (what, codestream) in cases {
        let mut fragments = item(&[], 0);
        let mut padded = codestream.clone();
        if padded.len() % 2 == 1 {
            padded.push(0);
        }
        fragments.extend(item(&padded, padded.len() as u32));
        fragments.extend_from_slice(&[0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0]);
        let file = dicom(J2K, (64, 64, 1, 16), "1", u32::MAX, &fragments);
        refused_with_a_pixels_message(what, &file);
    }
}

/// A JPEG-LS codestream (ITU-T T.87): SOI, SOF55 for `components` of `width` × `height` at 16
/// bits, then `rest`.
fn jpeg_ls_codestream(width: u16, height: u16, components: u8, rest: &[u8]) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xF7];
    out.extend_from_slice(&(8 + 3 * u16::from(components)).to_be_bytes()); // Lf
    out.push(16); // P
    out.extend_from_slice(&height.to_be_bytes());
    out.extend_from_slice(&width.to_be_bytes());
    out.push(components);
    for c in 1..=components {
        out.extend_from_slice(&[c, 0x11, 0]);
    }
    out.extend_from_slice(rest);
    out
}

/// Encapsulates one codestream as a single fragment after an empty offset table.
fn fragments_of(codestream: &[u8]) -> Vec<u8> {
    let mut fragments = item(&[], 0);
    let mut padded = codestream.to_vec();
    if padded.len() % 2 == 1 {
        padded.push(0);
    }
    fragments.extend(item(&padded, padded.len() as u32));
    fragments.extend_from_slice(&[0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0]);
    fragments
}

#[test]
fn bogus_and_truncated_jpeg_ls_codestreams_give_a_message() {
    let _turn = counting::SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // SOS for one component, NEAR 0, ILV 0, no point transform.
    let sos = [0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 0, 0];
    let mut sos_garbage = sos.to_vec();
    sos_garbage.extend_from_slice(&[0x5A; 300]);
    let mut cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "SOF55 says 65535 × 65535",
            jpeg_ls_codestream(65535, 65535, 1, &sos),
        ),
        (
            "SOF55 matches, nothing after it",
            jpeg_ls_codestream(64, 64, 1, &[]),
        ),
        (
            "SOF55 and SOS, no scan data",
            jpeg_ls_codestream(64, 64, 1, &sos),
        ),
        (
            "SOF55 and SOS, garbage scan data",
            jpeg_ls_codestream(64, 64, 1, &sos_garbage),
        ),
        ("three components", jpeg_ls_codestream(64, 64, 3, &sos)),
        ("not a codestream", vec![0x12; 64]),
        ("empty", vec![]),
    ];
    // The corpus's lossless file cut in the middle of its scan.
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus-pixels");
    let whole = std::fs::read(corpus.join("mr_jpegls_lossless_src.dcm")).unwrap();
    let soi = whole.windows(4).position(|w| w == [0xFF, 0xD8, 0xFF, 0xF7]);
    let soi = soi.expect("the corpus file holds a JPEG-LS codestream");
    let codestream = &whole[soi..];
    cases.push((
        "truncated scan",
        codestream[..codestream.len() / 2].to_vec(),
    ));
    for (what, codestream) in cases {
        let file = dicom(
            JPEG_LS,
            (64, 64, 1, 16),
            "1",
            u32::MAX,
            &fragments_of(&codestream),
        );
        refused_with_a_pixels_message(what, &file);
    }
}

/// The corpus's compressed files with bytes overwritten inside their codestreams (a fixed
/// pseudo-random sequence): each gives a picture or a message, never a panic, memory bounded.
#[test]
fn damaged_codestreams_give_a_picture_or_a_message() {
    let _turn = counting::SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus-pixels");
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for name in [
        "mr_rle_src.dcm",
        "dx_jpeg_baseline_8bit_nowindow.dcm",
        "ct_jpeg_lossless_sv1.dcm",
        "mr_jpeg2000_lossless_src.dcm",
        "dx_mono1_jpeg2000_lossy.dcm",
        "mr_jpegls_lossless_src.dcm",
        "ct_jpegls_near_lossless.dcm",
        "us_cine_jpeg_baseline_ybr422_30f_src.dcm",
    ] {
        let original = std::fs::read(corpus.join(name)).unwrap();
        // Pixel Data's value starts after the last (7FE0,0010) tag; damage only what follows
        // its first fragment's item header, so the structure stays walkable.
        let tag = original
            .windows(4)
            .rposition(|w| w == [0xE0, 0x7F, 0x10, 0x00])
            .unwrap();
        let start = tag + 12 + 8 + 8 + 16;
        for round in 0..40 {
            let mut bytes = original.clone();
            for _ in 0..(1 + round % 8) {
                let at = start + (next() as usize) % (bytes.len() - start - 16);
                bytes[at] = next() as u8;
            }
            let (_, peak, largest) = measured(&bytes);
            // A damaged file may still decode (to other pixels); memory is what is checked,
            // against the frame's real size (the decoders' work at full size).
            let allowed = 40 * original.len().max(512 * 512 * 2) + (4 << 20);
            assert!(peak <= allowed, "{name} round {round}: peak {peak}");
            assert!(largest <= allowed, "{name} round {round}: {largest}");
        }
    }
}
