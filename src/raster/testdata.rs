//! Test builders: minimal PNG, JPEG, TIFF, HEIF, BMP and WebP files, and `inspect` shorthands.

use super::{inspect, RasterVerdict};

pub(super) fn png(w: u32, h: u32, text: &[(&str, &str)], itxt: &[(&str, &str)]) -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut v, b"IHDR", &ihdr);
    for (k, t) in text {
        chunk(
            &mut v,
            b"tEXt",
            &[k.as_bytes(), b"\0", t.as_bytes()].concat(),
        );
    }
    for (k, t) in itxt {
        chunk(
            &mut v,
            b"iTXt",
            &[k.as_bytes(), b"\0\0\0\0\0", t.as_bytes()].concat(),
        );
    }
    chunk(&mut v, b"IDAT", &[0x78, 0x9c, 0, 0]);
    chunk(&mut v, b"IEND", &[]);
    v
}

fn chunk(v: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    v.extend_from_slice(&(data.len() as u32).to_be_bytes());
    v.extend_from_slice(kind);
    v.extend_from_slice(data);
    v.extend_from_slice(&[0, 0, 0, 0]); // CRC not checked
}

pub(super) enum Val<'a> {
    Ascii(&'a str),
    Short(u16),
    Long(u32),
    Rational(u32, u32),
}

/// Big-endian classic TIFF: IFD0 entries, optional Exif sub-IFD entries,
/// plus `extra_dirs` empty-ish directories chained after IFD0.
pub(super) fn tiff(ifd0: &[(u16, Val)], exif: &[(u16, Val)], extra_dirs: usize) -> Vec<u8> {
    let mut out = b"MM\0*\0\0\0\x08".to_vec();
    let n_main = ifd0.len() + usize::from(!exif.is_empty());
    let ifd0_len = 2 + 12 * n_main + 4;
    let exif_at = 8 + ifd0_len;
    let exif_len = if exif.is_empty() {
        0
    } else {
        2 + 12 * exif.len() + 4
    };
    let extra_at = exif_at + exif_len;
    let extra_len = 2 + 12 + 4;
    let mut data_at = extra_at + extra_dirs * extra_len;
    let mut data = Vec::new();
    let dir = |entries: &[(u16, Val)],
               sub: Option<u32>,
               next: u32,
               data: &mut Vec<u8>,
               data_at: &mut usize| {
        let mut ents: Vec<(u16, u16, u32, [u8; 4])> = Vec::new();
        for (tag, val) in entries {
            let (typ, count, bytes): (u16, u32, Vec<u8>) = match val {
                Val::Ascii(s) => (2, s.len() as u32 + 1, [s.as_bytes(), b"\0"].concat()),
                Val::Short(x) => (3, 1, x.to_be_bytes().to_vec()),
                Val::Long(x) => (4, 1, x.to_be_bytes().to_vec()),
                Val::Rational(a, b) => (5, 1, [a.to_be_bytes(), b.to_be_bytes()].concat()),
            };
            let mut field = [0u8; 4];
            if bytes.len() <= 4 {
                field[..bytes.len()].copy_from_slice(&bytes);
            } else {
                field = (*data_at as u32).to_be_bytes();
                data.extend_from_slice(&bytes);
                *data_at += bytes.len();
            }
            ents.push((*tag, typ, count, field));
        }
        if let Some(off) = sub {
            ents.push((34665, 4, 1, off.to_be_bytes()));
        }
        ents.sort_by_key(|e| e.0);
        let mut v = (ents.len() as u16).to_be_bytes().to_vec();
        for (tag, typ, count, field) in ents {
            v.extend_from_slice(&tag.to_be_bytes());
            v.extend_from_slice(&typ.to_be_bytes());
            v.extend_from_slice(&count.to_be_bytes());
            v.extend_from_slice(&field);
        }
        v.extend_from_slice(&next.to_be_bytes());
        v
    };
    let first_next = if extra_dirs > 0 { extra_at as u32 } else { 0 };
    let sub = (!exif.is_empty()).then_some(exif_at as u32);
    out.extend(dir(ifd0, sub, first_next, &mut data, &mut data_at));
    if !exif.is_empty() {
        out.extend(dir(exif, None, 0, &mut data, &mut data_at));
    }
    for i in 0..extra_dirs {
        let next = if i + 1 < extra_dirs {
            (extra_at + (i + 1) * extra_len) as u32
        } else {
            0
        };
        out.extend(dir(
            &[(256, Val::Long(512))],
            None,
            next,
            &mut data,
            &mut data_at,
        ));
    }
    out.extend(data);
    out
}

pub(super) fn jpeg(w: u16, h: u16, exif_tiff: Option<&[u8]>) -> Vec<u8> {
    let mut v = vec![0xFF, 0xD8];
    v.extend_from_slice(&[0xFF, 0xE0, 0, 16]);
    v.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    if let Some(t) = exif_tiff {
        v.extend_from_slice(&[0xFF, 0xE1]);
        v.extend_from_slice(&((t.len() + 8) as u16).to_be_bytes());
        v.extend_from_slice(b"Exif\0\0");
        v.extend_from_slice(t);
    }
    v.extend_from_slice(&[0xFF, 0xC0, 0, 17, 8]);
    v.extend_from_slice(&h.to_be_bytes());
    v.extend_from_slice(&w.to_be_bytes());
    v.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
    v.extend_from_slice(&[0xFF, 0xDA, 0, 12, 3, 1, 0, 2, 0x11, 3, 0x11, 0, 63, 0]);
    v.extend_from_slice(&[0x12, 0x34, 0x56, 0xFF, 0x00, 0x78]);
    v.extend_from_slice(&[0xFF, 0xD9]);
    v
}

pub(super) fn bx(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut v = ((body.len() + 8) as u32).to_be_bytes().to_vec();
    v.extend_from_slice(kind);
    v.extend_from_slice(body);
    v
}

fn ispe(w: u32, h: u32) -> Vec<u8> {
    bx(
        b"ispe",
        &[&[0u8; 4][..], &w.to_be_bytes(), &h.to_be_bytes()].concat(),
    )
}

pub(super) fn heif(major: &[u8; 4], compat: &[&[u8; 4]], sizes: &[(u32, u32)]) -> Vec<u8> {
    let mut ftyp = major.to_vec();
    ftyp.extend_from_slice(&[0, 0, 0, 0]);
    for c in compat {
        ftyp.extend_from_slice(*c);
    }
    let ipco: Vec<u8> = sizes.iter().flat_map(|&(w, h)| ispe(w, h)).collect();
    let iprp = bx(b"iprp", &bx(b"ipco", &ipco));
    let meta = bx(
        b"meta",
        &[&[0u8; 4][..], &bx(b"hdlr", &[0; 24]), &iprp].concat(),
    );
    [bx(b"ftyp", &ftyp), meta, bx(b"mdat", &[1, 2, 3, 4])].concat()
}

pub(super) fn run(name: &str, data: &[u8]) -> RasterVerdict {
    inspect(name, data, data.len() as u64).unwrap_or_else(|e| panic!("{name}: {e}"))
}

pub(super) fn iphone_exif() -> Vec<u8> {
    tiff(
        &[
            (271, Val::Ascii("Apple")),
            (272, Val::Ascii("iPhone 13")),
            (274, Val::Short(6)),
            (305, Val::Ascii("17.2.1")),
        ],
        &[
            (33434, Val::Rational(1, 60)),
            (33437, Val::Rational(18, 10)),
            (36867, Val::Ascii("2024:03:02 10:16:05")),
        ],
        0,
    )
}

pub(super) fn aperio_tiff() -> Vec<u8> {
    tiff(
        &[
            (256, Val::Long(46000)),
            (257, Val::Long(32914)),
            (
                270,
                Val::Ascii(
                    "Aperio Image Library v12.0.15 \r\n46000x32914 [0,100 46000x32914] (240x240) JPEG/RGB Q=70|AppMag = 20|MPP = 0.4990",
                ),
            ),
            (322, Val::Short(240)),
            (323, Val::Short(240)),
        ],
        &[],
        3,
    )
}

pub(super) fn sample_inputs() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("a.png", png(1920, 1080, &[("Software", "Greenshot")], &[])),
        ("IMG_1.JPG", jpeg(4032, 3024, Some(&iphone_exif()))),
        ("x.svs", aperio_tiff()),
        (
            "p.heic",
            heif(b"heic", &[b"mif1", b"heic"], &[(512, 512), (4032, 3024)]),
        ),
        ("b.bmp", bmp(800, -600)),
        ("g.gif", b"GIF89a\x20\x03\x58\x02\0\0\0;".to_vec()),
        ("w.webp", webp_vp8x(1170, 2532)),
    ]
}

pub(super) fn bmp(w: i32, h: i32) -> Vec<u8> {
    let mut v = b"BM".to_vec();
    v.extend_from_slice(&[0; 12]);
    v.extend_from_slice(&40u32.to_le_bytes());
    v.extend_from_slice(&w.to_le_bytes());
    v.extend_from_slice(&h.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&24u16.to_le_bytes());
    v.extend_from_slice(&[0; 24]);
    v
}

pub(super) fn webp_vp8x(w: u32, h: u32) -> Vec<u8> {
    let mut body = b"WEBPVP8X".to_vec();
    body.extend_from_slice(&10u32.to_le_bytes());
    body.extend_from_slice(&[0, 0, 0, 0]);
    body.extend_from_slice(&(w - 1).to_le_bytes()[..3]);
    body.extend_from_slice(&(h - 1).to_le_bytes()[..3]);
    let mut v = b"RIFF".to_vec();
    v.extend_from_slice(&(body.len() as u32).to_le_bytes());
    v.extend(body);
    v
}

pub(super) fn run_err(name: &str, data: &[u8]) -> String {
    inspect(name, data, data.len() as u64)
        .expect_err(name)
        .to_string()
}

pub(super) fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}
