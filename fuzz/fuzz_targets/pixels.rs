//! Pixel decoding (src/pixels/): a DICOM image whose header (transfer syntax, rows, columns,
//! samples, bits, frames, photometric, window) is picked by the first bytes and whose pixel data
//! is the rest, native or as fragments led by a codec's start marker; or the bytes as a whole file
//! after a preamble. Small frame limit, so any allocation over libFuzzer's limit is a defect.
#![no_main]
use libfuzzer_sys::fuzz_target;
use record_precheck::pixels::{render_dicom_bytes, thumbnail};
use record_precheck::Limits;

const SYNTAXES: [&str; 8] = [
    "1.2.840.10008.1.2",
    "1.2.840.10008.1.2.1",
    "1.2.840.10008.1.2.2",
    "1.2.840.10008.1.2.5",
    "1.2.840.10008.1.2.4.50",
    "1.2.840.10008.1.2.4.70",
    "1.2.840.10008.1.2.4.90",
    "1.2.840.10008.1.2.4.91",
];
const PHOTOMETRIC: [&str; 6] = [
    "MONOCHROME1",
    "MONOCHROME2",
    "RGB",
    "YBR_FULL",
    "YBR_FULL_422",
    "PALETTE COLOR",
];

fn element(out: &mut Vec<u8>, tag: (u16, u16), vr: &[u8; 2], value: &[u8], big: bool) {
    let u16b = |v: u16| {
        if big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    };
    out.extend_from_slice(&u16b(tag.0));
    out.extend_from_slice(&u16b(tag.1));
    out.extend_from_slice(vr);
    if matches!(vr, b"OB" | b"OW") {
        out.extend_from_slice(&[0, 0]);
        let len = value.len() as u32;
        out.extend_from_slice(&if big {
            len.to_be_bytes()
        } else {
            len.to_le_bytes()
        });
    } else {
        out.extend_from_slice(&u16b(value.len() as u16));
    }
    out.extend_from_slice(value);
}

fn padded(s: &str) -> Vec<u8> {
    let mut v = s.as_bytes().to_vec();
    if v.len() % 2 == 1 {
        v.push(b' ');
    }
    v
}

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_frame_samples: 1 << 20,
        ..Limits::default()
    };
    if data.len() < 12 {
        return;
    }
    let (h, rest) = data.split_at(12);
    let file = if h[0] == 0xFF {
        // The bytes as a data set after a preamble.
        let mut f = vec![0u8; 128];
        f.extend_from_slice(b"DICM");
        f.extend_from_slice(rest);
        f
    } else {
        let ts = SYNTAXES[usize::from(h[0]) % SYNTAXES.len()];
        let big = ts == "1.2.840.10008.1.2.2";
        let u16b = |v: u16| {
            if big {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            }
        };
        let mut f = vec![0u8; 128];
        f.extend_from_slice(b"DICM");
        let mut ts_value = ts.as_bytes().to_vec();
        if ts_value.len() % 2 == 1 {
            ts_value.push(0);
        }
        element(&mut f, (0x0002, 0x0010), b"UI", &ts_value, false);
        let rows = u16::from_le_bytes([h[1], h[2]]) % 1100;
        let columns = u16::from_le_bytes([h[3], h[4]]) % 1100;
        let samples = [1u16, 3, 1, 4][usize::from(h[5] & 3)];
        let bits = [8u16, 16, 12, 32][usize::from(h[5] >> 2 & 3)];
        let stored = bits.min(u16::from(h[6] % 33));
        let frames = u32::from(h[7]) * u32::from(h[7] >> 4).pow(3);
        let photometric = PHOTOMETRIC[usize::from(h[8]) % PHOTOMETRIC.len()];
        element(&mut f, (0x0028, 0x0002), b"US", &u16b(samples), big);
        element(&mut f, (0x0028, 0x0004), b"CS", &padded(photometric), big);
        element(
            &mut f,
            (0x0028, 0x0006),
            b"US",
            &u16b(u16::from(h[9] & 1)),
            big,
        );
        element(
            &mut f,
            (0x0028, 0x0008),
            b"IS",
            &padded(&frames.to_string()),
            big,
        );
        element(&mut f, (0x0028, 0x0010), b"US", &u16b(rows), big);
        element(&mut f, (0x0028, 0x0011), b"US", &u16b(columns), big);
        element(&mut f, (0x0028, 0x0100), b"US", &u16b(bits), big);
        element(&mut f, (0x0028, 0x0101), b"US", &u16b(stored), big);
        element(
            &mut f,
            (0x0028, 0x0103),
            b"US",
            &u16b(u16::from(h[9] >> 1 & 1)),
            big,
        );
        if h[10] & 1 == 1 {
            element(
                &mut f,
                (0x0028, 0x1050),
                b"DS",
                &padded(&format!("{}", i16::from_le_bytes([h[10], h[11]]))),
                big,
            );
            element(
                &mut f,
                (0x0028, 0x1051),
                b"DS",
                &padded(&format!("{}", h[11])),
                big,
            );
        }
        if photometric == "PALETTE COLOR" {
            for (d, t) in [(0x1101, 0x1201), (0x1102, 0x1202), (0x1103, 0x1203)] {
                let desc: Vec<u8> = [u16::from(h[10]), u16::from(h[11]), 16]
                    .iter()
                    .flat_map(|&v| u16b(v))
                    .collect();
                element(&mut f, (0x0028, d), b"US", &desc, big);
                let lut: Vec<u8> = rest.iter().take(64).copied().collect();
                element(&mut f, (0x0028, t), b"OW", &lut, big);
            }
        }
        let encapsulated = ts == "1.2.840.10008.1.2.5" || ts.contains(".4.");
        let tag = if big {
            [0x7F, 0xE0, 0x00, 0x10]
        } else {
            [0xE0, 0x7F, 0x10, 0x00]
        };
        f.extend_from_slice(&tag);
        f.extend_from_slice(b"OB\0\0");
        if encapsulated {
            f.extend_from_slice(&u32::MAX.to_le_bytes());
            f.extend_from_slice(&[0xFE, 0xFF, 0x00, 0xE0, 0, 0, 0, 0]);
            // Fragments: the rest split where it holds 0xFE 0xFE, each led by its codec's marker.
            let marker: &[u8] = match ts {
                "1.2.840.10008.1.2.4.90" | "1.2.840.10008.1.2.4.91" => &[0xFF, 0x4F, 0xFF, 0x51],
                "1.2.840.10008.1.2.5" => &[],
                _ => &[0xFF, 0xD8],
            };
            for piece in rest.split(|&b| b == 0xFE) {
                let mut value = marker.to_vec();
                value.extend_from_slice(piece);
                f.extend_from_slice(&[0xFE, 0xFF, 0x00, 0xE0]);
                f.extend_from_slice(&(value.len() as u32).to_le_bytes());
                f.extend_from_slice(&value);
            }
            f.extend_from_slice(&[0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0]);
        } else {
            let len = rest.len() as u32;
            f.extend_from_slice(&if big {
                len.to_be_bytes()
            } else {
                len.to_le_bytes()
            });
            f.extend_from_slice(rest);
        }
        f
    };
    if let Ok(rendered) = render_dicom_bytes(&file, &limits) {
        let image = &rendered.image;
        assert_eq!(
            image.pixels.len(),
            image.width as usize * image.height as usize * usize::from(image.channels)
        );
        let small = thumbnail(image, 64);
        assert!(small.width.max(small.height) <= 64);
    }
});
