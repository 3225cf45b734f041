//! TIFF and BigTIFF: a bounded directory reader over `head` (size, tiling, description,
//! make, model, software, XMP, NDPI private tags, Exif/GPS pointers) and the directory count.
//!
//! Not `kamadak-exif`: it reads all tags but rejects BigTIFF and stops after 8 directories.

use super::bytes::{uint_bytes, utf8_text};
use super::classify::slide_from_metadata;
use super::{Evidence, RasterFacts};
use crate::text::{msg, Message};

/// Longest TIFF directory chain followed.
const MAX_TIFF_DIRS: usize = 4096;

/// Bounded reader over `head` for classic TIFF (12-byte entries, 32-bit
/// offsets) and BigTIFF (20-byte entries, 64-bit offsets).
struct Tiff<'a> {
    d: &'a [u8],
    le: bool,
    big: bool,
}

struct Dir {
    first: usize,
    /// Entries present in `head`.
    n: usize,
    /// Whether all declared entries are in `head`.
    complete: bool,
    /// Next-directory offset, if readable.
    next: Option<u64>,
}

struct Entry {
    tag: u16,
    typ: u16,
    count: u64,
    value_at: usize,
}

impl<'a> Tiff<'a> {
    fn int(&self, at: usize, width: usize) -> Option<u64> {
        let b = self.d.get(at..at.checked_add(width)?)?;
        Some(uint_bytes(b, self.le))
    }

    fn off(&self, at: usize) -> Option<u64> {
        self.int(at, if self.big { 8 } else { 4 })
    }

    fn entry_len(&self) -> usize {
        if self.big {
            20
        } else {
            12
        }
    }

    fn dir(&self, off: u64) -> Option<Dir> {
        let off = usize::try_from(off).ok()?;
        let (count, first) = if self.big {
            (self.int(off, 8)?, off.checked_add(8)?)
        } else {
            (self.int(off, 2)?, off.checked_add(2)?)
        };
        let avail = (self.d.len().saturating_sub(first) / self.entry_len()) as u64;
        let complete = count <= avail;
        let n = usize::try_from(count.min(avail)).ok()?;
        let next = if complete {
            self.off(first + n * self.entry_len())
        } else {
            None
        };
        Some(Dir {
            first,
            n,
            complete,
            next,
        })
    }

    fn entries<'s>(&'s self, dir: &Dir) -> impl Iterator<Item = Entry> + 's {
        let (first, step) = (dir.first, self.entry_len());
        (0..dir.n).filter_map(move |i| {
            let p = first + i * step; // within d: i < n entries fit
            let tag = self.int(p, 2)? as u16;
            let typ = self.int(p + 2, 2)? as u16;
            let (count, value_at) = if self.big {
                (self.int(p + 4, 8)?, p + 12)
            } else {
                (self.int(p + 4, 4)?, p + 8)
            };
            Some(Entry {
                tag,
                typ,
                count,
                value_at,
            })
        })
    }

    /// The value bytes of an entry, when they lie inside `head`.
    fn bytes(&self, e: &Entry) -> Option<&'a [u8]> {
        let unit = match e.typ {
            1 | 2 | 6 | 7 => 1u64,
            3 | 8 => 2,
            4 | 9 | 11 | 13 => 4,
            5 | 10 | 12 | 16 | 17 | 18 => 8,
            _ => return None,
        };
        let total = e.count.checked_mul(unit)?;
        let inline = if self.big { 8 } else { 4 };
        let start = if total <= inline {
            e.value_at as u64
        } else {
            self.off(e.value_at)?
        };
        let start = usize::try_from(start).ok()?;
        let end = start.checked_add(usize::try_from(total).ok()?)?;
        self.d.get(start..end)
    }

    /// First value of an integer entry.
    fn uint(&self, e: &Entry) -> Option<u64> {
        let width = match e.typ {
            1 => 1,
            3 => 2,
            4 | 13 => 4,
            16 | 18 => 8,
            _ => return None,
        };
        self.bytes(e)?.get(..width).map(|b| uint_bytes(b, self.le))
    }
}

#[derive(Default)]
pub(super) struct Ifd0<'a> {
    width: Option<u64>,
    height: Option<u64>,
    pub(super) desc: Option<&'a [u8]>,
    pub(super) make: Option<&'a [u8]>,
    pub(super) model: Option<&'a [u8]>,
    pub(super) software: Option<&'a [u8]>,
    pub(super) xmp: Option<&'a [u8]>,
    orientation: Option<u64>,
    tiled: bool,
    sub_ifds: bool,
    pub(super) ndpi: bool,
    exposure: bool,
    date_original: Option<&'a [u8]>,
    exif_ifd: Option<u64>,
    gps_ifd: Option<u64>,
}

pub(super) fn read_tiff(
    head: &[u8],
    whole: bool,
    facts: &mut RasterFacts,
    ev: &mut Evidence,
) -> Result<(), Message> {
    let le = head.starts_with(b"II");
    let big = head.get(2..4) == Some(if le { &b"+\0"[..] } else { &b"\0+"[..] });
    let t = Tiff { d: head, le, big };
    let label = if big { "BigTIFF" } else { "TIFF" };
    let header_len = if big { 16 } else { 8 };
    if head.len() < header_len {
        let bytes = head.len();
        return Err(msg!(
            "error.raster.tiff-header-cut",
            label = label,
            bytes = bytes
        ));
    }
    if big && (t.int(4, 2) != Some(8) || t.int(6, 2) != Some(0)) {
        return Err(msg!("error.raster.bigtiff-offset-size"));
    }
    let first = t.off(if big { 8 } else { 4 }).unwrap_or(0);
    if first < header_len as u64 {
        return Err(msg!(
            "error.raster.tiff-no-first-dir",
            label = label,
            offset = first
        ));
    }
    let mut tiff_ev = TiffEvidence {
        big,
        ..TiffEvidence::default()
    };
    let dir0 = match t.dir(first) {
        Some(dir) if dir.complete && dir.n == 0 => {
            return Err(msg!(
                "error.raster.tiff-empty-dir",
                label = label,
                offset = first
            ));
        }
        Some(dir) if !dir.complete && whole => {
            return Err(msg!(
                "error.raster.tiff-dir-cut",
                label = label,
                offset = first
            ));
        }
        Some(dir) if dir.n > 0 => dir,
        None if whole => {
            return Err(msg!(
                "error.raster.tiff-dir-past-end",
                label = label,
                offset = first,
                bytes = head.len(),
            ));
        }
        _ => {
            // Directory beyond (or straddling the end of) the bytes given.
            tiff_ev.dir_unread = true;
            ev.tiff = Some(tiff_ev);
            return Ok(());
        }
    };

    let mut d = Ifd0::default();
    for e in t.entries(&dir0) {
        match e.tag {
            256 => d.width = t.uint(&e),
            257 => d.height = t.uint(&e),
            270 => d.desc = t.bytes(&e),
            271 => d.make = t.bytes(&e),
            272 => d.model = t.bytes(&e),
            274 => d.orientation = t.uint(&e),
            305 => d.software = t.bytes(&e),
            322 => d.tiled = true,
            330 => d.sub_ifds = true,
            700 => d.xmp = t.bytes(&e),
            33434 | 33437 => d.exposure = true,
            34665 => d.exif_ifd = t.uint(&e),
            34853 => d.gps_ifd = t.uint(&e),
            36867 => d.date_original = t.bytes(&e),
            65420..=65480 => d.ndpi = true,
            _ => {}
        }
    }
    if let Some(exif_dir) = d.exif_ifd.and_then(|o| t.dir(o)) {
        for e in t.entries(&exif_dir) {
            match e.tag {
                33434 | 33437 => d.exposure = true,
                36867 => d.date_original = d.date_original.or(t.bytes(&e)),
                _ => {}
            }
        }
    }
    if let Some(gps_dir) = d.gps_ifd.and_then(|o| t.dir(o)) {
        facts.has_gps = t.entries(&gps_dir).any(|e| e.tag == 2 || e.tag == 4);
    }
    match (d.width, d.height) {
        (Some(w), Some(h)) => {
            facts.width = u32::try_from(w).ok().filter(|&v| v > 0);
            facts.height = u32::try_from(h).ok().filter(|&v| v > 0);
        }
        _ if dir0.complete => {
            return Err(msg!("error.raster.tiff-no-size", label = label));
        }
        _ => {} // the size tags may be in the part not given
    }
    fill_tiff(facts, ev, tiff_ev, &d, &t, &dir0, whole);
    Ok(())
}

fn fill_tiff(
    facts: &mut RasterFacts,
    ev: &mut Evidence,
    mut tiff_ev: TiffEvidence,
    d: &Ifd0,
    t: &Tiff,
    dir0: &Dir,
    whole: bool,
) {
    facts.camera_make = d.make.and_then(utf8_text);
    facts.camera_model = d.model.and_then(utf8_text);
    facts.software = d.software.and_then(utf8_text);
    facts.description = d.desc.and_then(utf8_text);
    facts.date_taken = d.date_original.and_then(utf8_text);
    facts.orientation = d.orientation.and_then(|v| u16::try_from(v).ok());
    ev.exposure = d.exposure;

    // Count the directory chain (each step O(1); cycles stop at a repeat).
    let mut seen = std::collections::BTreeSet::new();
    let mut count: u32 = 1;
    let mut next = dir0.next;
    let mut complete = false;
    seen.insert(dir0.first);
    while seen.len() < MAX_TIFF_DIRS {
        match next {
            Some(0) => {
                complete = true;
                break;
            }
            Some(off) => match t.dir(off).filter(|dir| dir.complete) {
                Some(dir) if seen.insert(dir.first) => {
                    count += 1;
                    next = dir.next;
                }
                Some(_) => break, // loop in the chain
                None => {
                    if !whole {
                        count += 1; // a directory exists beyond `head`
                    }
                    break; // else: a broken pointer, so the count stays unknown
                }
            },
            None => break,
        }
    }
    facts.pages = complete.then_some(count);
    tiff_ev.dirs_at_least = count;
    tiff_ev.tiled = d.tiled;
    tiff_ev.sub_ifds = d.sub_ifds;
    let label = if tiff_ev.big { "BigTIFF" } else { "TIFF" };
    tiff_ev.slide = slide_from_metadata(d, label);
    ev.tiff = Some(tiff_ev);
}

#[derive(Debug, Default)]
pub(super) struct TiffEvidence {
    pub(super) big: bool,
    /// Set when the first directory is not in `head`.
    pub(super) dir_unread: bool,
    /// Already-decided slide reason from metadata (Aperio, NDPI, vendor).
    pub(super) slide: Option<Message>,
    pub(super) tiled: bool,
    pub(super) sub_ifds: bool,
    /// Directories seen, plus one if the chain continues past `head`.
    pub(super) dirs_at_least: u32,
}

#[cfg(test)]
mod tests {
    use crate::raster::testdata::{aperio_tiff, run, tiff, Val};
    use crate::raster::RasterKind;

    #[test]
    fn tiff_rules() {
        let v = run("slide.tif", &aperio_tiff());
        assert_eq!(v.kind, RasterKind::Slide);
        assert_eq!(
            v.reason.to_string(),
            "TIFF with Aperio ImageDescription (whole-slide image)"
        );
        assert_eq!(v.facts.pages, Some(4));
        assert_eq!((v.facts.width, v.facts.height), (Some(46000), Some(32914)));
        assert!(v
            .facts
            .description
            .as_deref()
            .unwrap()
            .starts_with("Aperio Image Library v12.0.15 46000x32914"));
        assert!(v.facts.description.as_deref().unwrap().chars().count() <= 200);

        let ndpi = tiff(
            &[
                (256, Val::Long(2000)),
                (257, Val::Long(1000)),
                (65420, Val::Long(1)),
            ],
            &[],
            0,
        );
        assert_eq!(run("a.ndpi", &ndpi).kind, RasterKind::Slide);

        let leica = tiff(
            &[
                (256, Val::Long(2000)),
                (257, Val::Long(1000)),
                (
                    270,
                    Val::Ascii("<scn xmlns=\"http://www.leica-microsystems.com/scn/2010/10/01\">"),
                ),
            ],
            &[],
            0,
        );
        let v = run("a.tif", &leica);
        assert_eq!(v.kind, RasterKind::Slide, "{}", v.reason);

        let tiled = tiff(
            &[
                (256, Val::Long(80000)),
                (257, Val::Long(60000)),
                (322, Val::Short(256)),
            ],
            &[],
            2,
        );
        let v = run("b.tif", &tiled);
        assert_eq!(v.kind, RasterKind::Slide);
        assert!(
            v.reason
                .to_string()
                .contains("tiled TIFF 80000×60000 with 3 directories"),
            "{}",
            v.reason
        );

        let ct = tiff(
            &[
                (256, Val::Long(512)),
                (257, Val::Long(512)),
                (270, Val::Ascii("Philips Brilliance 64 CT scan, axial 5 mm")),
            ],
            &[],
            0,
        );
        assert_eq!(run("ct.tif", &ct).kind, RasterKind::Screenshot);
        let philips = tiff(
            &[
                (256, Val::Long(512)),
                (257, Val::Long(512)),
                (
                    270,
                    Val::Ascii(
                        "<?xml version=\"1.0\"?><DataObject ObjectType=\"DPUfsImport\"><Attribute Name=\"DICOM_MANUFACTURER\">PHILIPS</Attribute>",
                    ),
                ),
            ],
            &[],
            0,
        );
        assert_eq!(run("p.tiff", &philips).kind, RasterKind::Slide);
        let bif = tiff(
            &[
                (256, Val::Long(512)),
                (257, Val::Long(512)),
                (
                    700,
                    Val::Ascii("<iScan Magnification=\"40\" ScannerModel=\"VENTANA DP 200\"/>"),
                ),
            ],
            &[],
            0,
        );
        assert_eq!(run("s.bif", &bif).kind, RasterKind::Slide);

        let small_tiled = tiff(
            &[
                (256, Val::Long(2000)),
                (257, Val::Long(1000)),
                (322, Val::Short(256)),
            ],
            &[],
            0,
        );
        assert_eq!(run("b.tif", &small_tiled).kind, RasterKind::Screenshot);
        assert_eq!(run("b.SVS", &small_tiled).kind, RasterKind::Slide);

        let scan = tiff(
            &[
                (256, Val::Long(2480)),
                (257, Val::Long(3508)),
                (271, Val::Ascii("EPSON")),
                (272, Val::Ascii("Perfection V600")),
            ],
            &[],
            0,
        );
        let v = run("film.tif", &scan);
        assert_eq!(v.kind, RasterKind::Screenshot);
        assert!(
            v.reason.to_string().contains("scan or export"),
            "{}",
            v.reason
        );
        let plain = tiff(&[(256, Val::Long(2480)), (257, Val::Long(3508))], &[], 0);
        assert_eq!(
            run("film.tif", &plain).reason.to_string(),
            "TIFF 2480×3508 without camera EXIF (scan or export)"
        );
    }

    #[test]
    fn bigtiff_tiled_slide() {
        // BigTIFF LE: header 16 bytes, IFD0 at 16 with 3 entries of 20 bytes.
        let mut v = b"II+\0\x08\0\0\0".to_vec();
        v.extend_from_slice(&16u64.to_le_bytes());
        v.extend_from_slice(&3u64.to_le_bytes());
        for (tag, typ, val) in [
            (256u16, 16u16, 100_000u64),
            (257, 16, 80_000),
            (322, 3, 512),
        ] {
            v.extend_from_slice(&tag.to_le_bytes());
            v.extend_from_slice(&typ.to_le_bytes());
            v.extend_from_slice(&1u64.to_le_bytes());
            v.extend_from_slice(&val.to_le_bytes());
        }
        v.extend_from_slice(&0u64.to_le_bytes());
        let r = run("x.bif", &v);
        assert_eq!(r.kind, RasterKind::Slide);
        assert!(
            r.reason
                .to_string()
                .starts_with("tiled BigTIFF 100000×80000"),
            "{}",
            r.reason
        );
        assert_eq!(r.facts.pages, Some(1));
    }
}
