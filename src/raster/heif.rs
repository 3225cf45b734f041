//! HEIF family (HEIC, AVIF, plain HEIF): the `ftyp` brand and the `ispe` image size.
//!
//! Not `imagesize`: it calls any `ftyp` file HEIF and overflows `usize` on `ispe` in wasm32.

use super::bytes::{be32, be64};
use super::{exif, Evidence, Fmt, RasterFacts};
use crate::text::{msg, Message};

const HEVC_BRANDS: [&[u8; 4]; 8] = [
    b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs",
];
const AVIF_BRANDS: [&[u8; 4]; 2] = [b"avif", b"avis"];
const HEIF_BRANDS: [&[u8; 4]; 4] = [b"mif1", b"msf1", b"mif2", b"miaf"];

/// HEIF family from the `ftyp` box: the major brand, or for a generic major
/// brand (mif1, msf1, ...) any of the compatible brands; other ISO-BMFF
/// files (MP4, CR3) are not HEIF.
pub(super) fn heif_brand(head: &[u8]) -> Option<Fmt> {
    if head.get(4..8) != Some(&b"ftyp"[..]) {
        return None;
    }
    let box_len = usize::try_from(be32(head, 0)?).ok()?;
    if box_len < 16 {
        return None;
    }
    let major = head.get(8..12)?;
    let has = |set: &[&[u8; 4]], b: &[u8]| set.iter().any(|x| x.as_slice() == b);
    if has(&HEVC_BRANDS, major) {
        return Some(Fmt::Heic);
    }
    if has(&AVIF_BRANDS, major) {
        return Some(Fmt::Avif);
    }
    if !has(&HEIF_BRANDS, major) {
        return None;
    }
    let compat = head.get(16..box_len.min(head.len())).unwrap_or(&[]);
    let mut fmt = Fmt::Heif;
    for brand in compat.chunks_exact(4) {
        if has(&HEVC_BRANDS, brand) {
            return Some(Fmt::Heic);
        }
        if has(&AVIF_BRANDS, brand) {
            fmt = Fmt::Avif;
        }
    }
    Some(fmt)
}

pub(super) fn read_heif(
    fmt: Fmt,
    head: &[u8],
    whole: bool,
    facts: &mut RasterFacts,
    ev: &mut Evidence,
) -> Result<(), Message> {
    match heif_size(head) {
        Some((w, h)) => {
            facts.width = Some(w).filter(|&v| v > 0);
            facts.height = Some(h).filter(|&v| v > 0);
        }
        None if whole => {
            return Err(msg!("error.raster.heif-no-size", label = fmt.label()));
        }
        None => {}
    }
    exif::apply_container(head, facts, ev);
    Ok(())
}

/// Largest `ispe` (image spatial extents) in meta/iprp/ipco: the main image
/// (the others are tiles and thumbnails). Stored size, before any rotation.
fn heif_size(head: &[u8]) -> Option<(u32, u32)> {
    let meta = find_box(head, b"meta")?;
    let iprp = find_box(meta.get(4..)?, b"iprp")?; // meta is a full box
    let ipco = find_box(iprp, b"ipco")?;
    let mut best: Option<(u32, u32)> = None;
    for (kind, body) in BoxIter(ipco) {
        if kind != b"ispe" {
            continue;
        }
        if let (Some(w), Some(h)) = (be32(body, 4), be32(body, 8)) {
            let area = u64::from(w) * u64::from(h);
            if best.is_none_or(|(bw, bh)| area > u64::from(bw) * u64::from(bh)) {
                best = Some((w, h));
            }
        }
    }
    best
}

fn find_box<'a>(data: &'a [u8], kind: &[u8; 4]) -> Option<&'a [u8]> {
    BoxIter(data)
        .find(|(k, _)| *k == kind)
        .map(|(_, body)| body)
}

/// ISO-BMFF boxes of one level; a box running past the data is cut to it.
struct BoxIter<'a>(&'a [u8]);

impl<'a> Iterator for BoxIter<'a> {
    type Item = (&'a [u8], &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let data = self.0;
        let size = be32(data, 0)?;
        let kind = data.get(4..8)?;
        let (header, total) = match size {
            0 => (8, data.len()),
            1 => (16, usize::try_from(be64(data, 8)?).unwrap_or(usize::MAX)),
            n => (8, usize::try_from(n).unwrap_or(usize::MAX)),
        };
        if total < header {
            self.0 = &[];
            return None;
        }
        let end = total.min(data.len());
        let body = data.get(header..end).unwrap_or(&[]);
        self.0 = data.get(end..).unwrap_or(&[]);
        Some((kind, body))
    }
}

#[cfg(test)]
mod tests {
    use crate::raster::testdata::{bx, heif, run};
    use crate::raster::{inspect, RasterKind};

    #[test]
    fn heif_family() {
        let v = run(
            "IMG_0001.HEIC",
            &heif(
                b"heic",
                &[b"mif1", b"heic"],
                &[(512, 512), (4032, 3024), (320, 240)],
            ),
        );
        assert_eq!(v.kind, RasterKind::Photo);
        assert_eq!(v.reason.to_string(), "HEIC (phone camera format)");
        assert_eq!(v.facts.format, "heic");
        assert_eq!((v.facts.width, v.facts.height), (Some(4032), Some(3024)));
        let v = run("pic.avif", &heif(b"avif", &[b"mif1"], &[(1920, 1080)]));
        assert_eq!(v.kind, RasterKind::Screenshot);
        assert_eq!(v.facts.format, "avif");
        // ftyp only, whole file: unreadable.
        let e = inspect("x.heic", &bx(b"ftyp", b"heic\0\0\0\0mif1"), 20).unwrap_err();
        assert!(e.to_string().contains("no image size"), "{e}");
        // ftyp only but the file is larger than head: not judged unreadable.
        assert!(inspect("x.heic", &bx(b"ftyp", b"heic\0\0\0\0mif1"), 1 << 20).is_ok());
    }
}
