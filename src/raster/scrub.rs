//! Where a picture keeps the place it was taken and the device that took it, and the byte edits
//! that write it without them ([`scrub`]): in the EXIF of JPEG, PNG (`eXIf`), WebP and
//! HEIF/HEIC, the GPS directory, the maker note (it holds serial numbers), the body and lens
//! serial numbers and the owner's name are blanked in place; XMP packets (which repeat the GPS
//! position and may name the place) are removed (JPEG, PNG, WebP) or blanked (HEIF, whose item
//! table gives their place). Everything else stays, the orientation included; the image data is
//! never touched, so the decoded pixels are the same.
//!
//! Reads only the metadata through `Read + Seek` (segment headers up to the image data, chunk
//! headers, the `meta` box, the EXIF blob itself): never the whole picture. Hand-written rather
//! than `little_exif` or `img-parts`: both read the whole file into memory and write the EXIF
//! block anew, changing more than what is removed.

use std::collections::BTreeSet;
use std::io::{self, Read, SeekFrom};
use std::ops::Range;

use crate::io::ReadSeek;

/// The largest EXIF blob or XMP chunk header looked at (JPEG's own limit is 64 KiB).
const MAX_EXIF_BYTES: u64 = 1 << 20;
/// The largest HEIF `meta` box read.
const MAX_META_BYTES: u64 = 4 << 20;
/// The most segments, chunks or boxes walked before the image data: far beyond any real picture.
const MAX_PARTS: usize = 100_000;

/// XMP in a JPEG APP1 segment: the standard packet and the extended one.
const XMP_JPEG: [&[u8]; 2] = [
    b"http://ns.adobe.com/xap/1.0/\0",
    b"http://ns.adobe.com/xmp/extension/\0",
];
/// Keywords of PNG text chunks that hold XMP (Adobe's, and ImageMagick's raw profile).
const XMP_PNG: [&[u8]; 2] = [b"XML:com.adobe.xmp", b"Raw profile type xmp"];

/// What was found and is removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Removed {
    /// The EXIF GPS directory: where the picture was taken.
    Gps,
    /// The camera maker's private block (serial numbers, sometimes the place).
    MakerNote,
    /// The camera body's and lens's serial numbers.
    SerialNumbers,
    /// The camera owner's name.
    OwnerName,
    /// XMP: it repeats the GPS position and may name the place.
    Xmp,
}

impl Removed {
    /// The manifest's word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Removed::Gps => "gps",
            Removed::MakerNote => "maker-note",
            Removed::SerialNumbers => "serial-numbers",
            Removed::OwnerName => "owner-name",
            Removed::Xmp => "xmp",
        }
    }
}

/// One change to the picture's bytes: the `len` bytes at `at` are written as `with` (shorter
/// when a segment is removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub at: u64,
    pub len: u64,
    pub with: Vec<u8>,
}

/// The edits that write a picture without its location and device metadata, in file order and
/// not overlapping, and what they remove. Empty when there is nothing to remove.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scrub {
    pub edits: Vec<Edit>,
    pub removed: Vec<Removed>,
}

/// Finds the location and device metadata of a picture (JPEG, PNG, WebP, HEIF family; GIF and
/// BMP have none). `Err` says why it could not be checked: a format this reader does not know
/// (TIFF among them), or metadata too damaged or too large to read.
pub fn scrub(file: &mut dyn ReadSeek) -> Result<Scrub, String> {
    let mut head = [0u8; 16];
    file.seek(SeekFrom::Start(0)).map_err(read_error)?;
    let n = read_up_to(file, &mut head).map_err(read_error)?;
    let head = &head[..n];
    let mut found = Found::default();
    if head.starts_with(&[0xFF, 0xD8]) {
        jpeg(file, &mut found)?;
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        png(file, &mut found)?;
    } else if head.starts_with(b"RIFF") && head.get(8..12) == Some(b"WEBP") {
        webp(file, &mut found)?;
    } else if head.get(4..8) == Some(b"ftyp") {
        heif(file, &mut found)?;
    } else if head.starts_with(b"GIF8") || head.starts_with(b"BM") {
        // No EXIF in these formats.
    } else {
        return Err("its format is not one whose metadata this tool can remove".into());
    }
    found.into_scrub()
}

/// Edits and removals gathered while walking a picture.
#[derive(Default)]
struct Found {
    edits: Vec<Edit>,
    removed: BTreeSet<Removed>,
}

impl Found {
    /// Zeroes the byte ranges `blanks` of a blob that starts at `base` in the file.
    fn zero(&mut self, base: u64, blanks: &[Range<usize>]) {
        for r in blanks {
            self.edits.push(Edit {
                at: base + r.start as u64,
                len: r.len() as u64,
                with: vec![0; r.len()],
            });
        }
    }

    /// The edits in file order; `Err` when two overlap (items pointing at the same bytes).
    fn into_scrub(mut self) -> Result<Scrub, String> {
        self.edits.sort_by_key(|e| e.at);
        self.edits.dedup();
        if self.edits.windows(2).any(|w| w[0].at + w[0].len > w[1].at) {
            return Err("its metadata blocks overlap one another".into());
        }
        Ok(Scrub {
            edits: self.edits,
            removed: self.removed.into_iter().collect(),
        })
    }
}

fn read_error(e: io::Error) -> String {
    format!("its metadata could not be read: {e}")
}

/// Reads until `buf` is full or the file ends.
fn read_up_to(file: &mut dyn ReadSeek, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Reads exactly `len` bytes at `at`, refusing more than `limit` (what for: `what`).
fn read_blob(
    file: &mut dyn ReadSeek,
    at: u64,
    len: u64,
    limit: u64,
    what: &str,
) -> Result<Vec<u8>, String> {
    if len > limit {
        return Err(format!(
            "its {what} is {len} bytes, more than the {limit} this tool reads"
        ));
    }
    file.seek(SeekFrom::Start(at)).map_err(read_error)?;
    let mut blob = Vec::new();
    file.take(len).read_to_end(&mut blob).map_err(read_error)?;
    if (blob.len() as u64) < len {
        return Err(format!("its {what} is cut short by the end of the file"));
    }
    Ok(blob)
}

/// `Err` unless the file reaches `end`: a segment or chunk removed must lie whole in the file,
/// or the edit removes bytes that are not there (and WebP's RIFF size would be written too
/// small). Reads one byte, so a stream need not know its size.
fn within(file: &mut dyn ReadSeek, end: u64, what: &str) -> Result<(), String> {
    let cut = || format!("its {what} is cut short by the end of the file");
    file.seek(SeekFrom::Start(end.checked_sub(1).ok_or_else(cut)?))
        .map_err(read_error)?;
    match read_up_to(file, &mut [0u8; 1]).map_err(read_error)? {
        0 => Err(cut()),
        _ => Ok(()),
    }
}

/// The ranges of an EXIF (TIFF-structured) blob to zero, and what they remove: the GPS
/// directory whole (its entries, their values, its count: a reader sees an empty directory),
/// and in the main and Exif directories the maker note, serial numbers, owner name and XMP
/// (their values zeroed and their count set to 0). Offsets out of the blob are left alone.
fn exif_blanks(t: &[u8], removed: &mut BTreeSet<Removed>) -> Vec<Range<usize>> {
    let le = match t.get(..4) {
        Some(b"II*\0") => true,
        Some(b"MM\0*") => false,
        _ => return Vec::new(),
    };
    let int = |at: usize, width: usize| -> Option<u32> {
        let b = t.get(at..at.checked_add(width)?)?;
        let fold = |acc: u32, &x: &u8| (acc << 8) | u32::from(x);
        Some(if le {
            b.iter().rev().fold(0, fold)
        } else {
            b.iter().fold(0, fold)
        })
    };
    #[derive(Clone, Copy, PartialEq)]
    enum Dir {
        Main,
        Exif,
        Gps,
    }
    let mut blanks = Vec::new();
    let mut todo = vec![(int(4, 4), Dir::Main)];
    let mut seen: Vec<u32> = Vec::new();
    while let Some((off, dir)) = todo.pop() {
        // A directory chain that loops, or too many of them, stops here.
        let Some(off) = off else { continue };
        if off == 0 || seen.contains(&off) || seen.len() >= 64 {
            continue;
        }
        seen.push(off);
        let off = off as usize;
        let Some(count) = int(off, 2) else { continue };
        let first = off + 2;
        let entries = (count as usize).min(t.len().saturating_sub(first) / 12);
        for i in 0..entries {
            let e = first + 12 * i;
            let tag = int(e, 2).unwrap_or(0);
            let what = match (dir, tag) {
                (Dir::Main, 0x8825) => {
                    todo.push((int(e + 8, 4), Dir::Gps));
                    None
                }
                (Dir::Main, 0x8769) => {
                    todo.push((int(e + 8, 4), Dir::Exif));
                    None
                }
                (Dir::Main, 0x02BC) => Some(Removed::Xmp),
                // DNG's camera serial number.
                (Dir::Main, 0xC62F) => Some(Removed::SerialNumbers),
                (Dir::Exif, 0x927C) => Some(Removed::MakerNote),
                (Dir::Exif, 0xA430) => Some(Removed::OwnerName),
                (Dir::Exif, 0xA431 | 0xA435) => Some(Removed::SerialNumbers),
                (Dir::Gps, _) => Some(Removed::Gps),
                _ => None,
            };
            let Some(what) = what else { continue };
            if let Some(value) = out_of_line(t, e, &int) {
                blanks.push(value);
            }
            // Count and value (or its offset) zeroed.
            blanks.push(e + 4..e + 12);
            removed.insert(what);
        }
        if dir == Dir::Gps && entries > 0 {
            // The whole directory: its count, entries and next-directory offset.
            let end = (first + 12 * entries + 4).min(t.len());
            blanks.push(off..end);
        }
        if dir == Dir::Main {
            todo.push((int(first + 12 * entries, 4), Dir::Main));
        }
    }
    merge(blanks)
}

/// Where the value of the entry at `e` lies when it does not fit in the entry itself.
fn out_of_line(
    t: &[u8],
    e: usize,
    int: &dyn Fn(usize, usize) -> Option<u32>,
) -> Option<Range<usize>> {
    let unit: u64 = match int(e + 2, 2)? {
        1 | 2 | 6 | 7 => 1,
        3 | 8 => 2,
        4 | 9 | 11 | 13 => 4,
        5 | 10 | 12 => 8,
        _ => return None,
    };
    let total = u64::from(int(e + 4, 4)?).checked_mul(unit)?;
    if total <= 4 {
        return None;
    }
    let start = int(e + 8, 4)? as usize;
    let end = start.checked_add(usize::try_from(total).ok()?)?;
    (end <= t.len()).then_some(start..end)
}

/// Sorted, overlapping ranges joined.
fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| r.start);
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// The EXIF blob inside a container's payload: after `Exif\0\0` when a writer put it there.
fn tiff_start(blob: &[u8]) -> usize {
    if blob.starts_with(b"Exif\0\0") {
        6
    } else {
        0
    }
}

/// JPEG: the segments before the image data. APP1 `Exif` blanked in place; APP1 XMP removed.
fn jpeg(file: &mut dyn ReadSeek, found: &mut Found) -> Result<(), String> {
    let mut pos = 2u64;
    for _ in 0..MAX_PARTS {
        file.seek(SeekFrom::Start(pos)).map_err(read_error)?;
        let mut b = [0u8; 4];
        if read_up_to(file, &mut b[..2]).map_err(read_error)? < 2 {
            return Ok(()); // ended before the image data: nothing more to look at
        }
        if b[0] != 0xFF {
            return Err(format!("its JPEG structure is damaged at byte {pos}"));
        }
        match b[1] {
            0xFF => {
                pos += 1; // fill byte
                continue;
            }
            0xD8 | 0x01 | 0xD0..=0xD7 => {
                pos += 2; // markers without a length
                continue;
            }
            0xDA | 0xD9 => return Ok(()), // the image data (or the end): metadata is before it
            _ => {}
        }
        if read_up_to(file, &mut b[2..]).map_err(read_error)? < 2 {
            return Err("its JPEG structure is cut short".into());
        }
        let len = u64::from(u16::from_be_bytes([b[2], b[3]]));
        if len < 2 {
            return Err(format!("its JPEG structure is damaged at byte {pos}"));
        }
        let payload = pos + 4;
        if b[1] == 0xE1 {
            let mut id = [0u8; 35];
            let n = read_up_to(file, &mut id[..(len as usize - 2).min(35)]).map_err(read_error)?;
            let id = &id[..n];
            if id.starts_with(b"Exif\0\0") {
                let blob = read_blob(file, payload, len - 2, MAX_EXIF_BYTES, "EXIF")?;
                let blanks = exif_blanks(&blob[6..], &mut found.removed);
                found.zero(payload + 6, &blanks);
            } else if XMP_JPEG.iter().any(|x| id.starts_with(x)) {
                within(file, pos + 2 + len, "XMP")?;
                found.edits.push(Edit {
                    at: pos,
                    len: 2 + len,
                    with: Vec::new(),
                });
                found.removed.insert(Removed::Xmp);
            }
        }
        pos = payload + len - 2;
    }
    Err("its JPEG has more segments than this tool reads".into())
}

/// PNG: `eXIf` blanked in place (its CRC written anew); XMP text chunks removed.
fn png(file: &mut dyn ReadSeek, found: &mut Found) -> Result<(), String> {
    let mut pos = 8u64;
    for _ in 0..MAX_PARTS {
        file.seek(SeekFrom::Start(pos)).map_err(read_error)?;
        let mut h = [0u8; 8];
        if read_up_to(file, &mut h).map_err(read_error)? < 8 {
            return Ok(());
        }
        let len = u64::from(u32::from_be_bytes([h[0], h[1], h[2], h[3]]));
        let kind = [h[4], h[5], h[6], h[7]];
        let data = pos + 8;
        match &kind {
            b"eXIf" => {
                let mut blob = read_blob(file, data, len, MAX_EXIF_BYTES, "EXIF")?;
                let start = tiff_start(&blob);
                let blanks = exif_blanks(&blob[start..], &mut found.removed);
                if !blanks.is_empty() {
                    found.zero(data + start as u64, &blanks);
                    for r in &blanks {
                        blob[start + r.start..start + r.end].fill(0);
                    }
                    // The CRC written anew must replace one that is there.
                    within(file, data + len + 4, "EXIF")?;
                    let mut crc = crc32fast::Hasher::new();
                    crc.update(&kind);
                    crc.update(&blob);
                    found.edits.push(Edit {
                        at: data + len,
                        len: 4,
                        with: crc.finalize().to_be_bytes().to_vec(),
                    });
                }
            }
            b"iTXt" | b"tEXt" | b"zTXt" => {
                let mut keyword = [0u8; 21];
                let n =
                    read_up_to(file, &mut keyword[..len.min(21) as usize]).map_err(read_error)?;
                let keyword = &keyword[..n];
                let xmp = XMP_PNG.iter().any(|x| {
                    keyword.len() > x.len() && keyword.starts_with(x) && keyword[x.len()] == 0
                });
                if xmp {
                    within(file, pos + 12 + len, "XMP")?;
                    found.edits.push(Edit {
                        at: pos,
                        len: 12 + len,
                        with: Vec::new(),
                    });
                    found.removed.insert(Removed::Xmp);
                }
            }
            b"IEND" => return Ok(()),
            _ => {}
        }
        pos = data + len + 4;
    }
    Err("its PNG has more chunks than this tool reads".into())
}

/// WebP: the `EXIF` chunk blanked in place; the `XMP ` chunk removed, with the RIFF size and
/// the extended header's XMP flag set to match.
fn webp(file: &mut dyn ReadSeek, found: &mut Found) -> Result<(), String> {
    let mut h = [0u8; 12];
    file.seek(SeekFrom::Start(0)).map_err(read_error)?;
    read_up_to(file, &mut h).map_err(read_error)?;
    let riff_size = u64::from(u32::from_le_bytes([h[4], h[5], h[6], h[7]]));
    let end = 8 + riff_size;
    let mut pos = 12u64;
    let mut flags: Option<(u64, u8)> = None;
    let mut removed_bytes = 0u64;
    for _ in 0..MAX_PARTS {
        if pos + 8 > end {
            break;
        }
        file.seek(SeekFrom::Start(pos)).map_err(read_error)?;
        let mut c = [0u8; 9];
        let n = read_up_to(file, &mut c).map_err(read_error)?;
        if n < 8 {
            break;
        }
        let size = u64::from(u32::from_le_bytes([c[4], c[5], c[6], c[7]]));
        let padded = size + (size & 1);
        let data = pos + 8;
        match &c[..4] {
            b"VP8X" if n == 9 => flags = Some((data, c[8])),
            b"EXIF" => {
                let blob = read_blob(file, data, size, MAX_EXIF_BYTES, "EXIF")?;
                let start = tiff_start(&blob);
                let blanks = exif_blanks(&blob[start..], &mut found.removed);
                found.zero(data + start as u64, &blanks);
            }
            b"XMP " => {
                within(file, data + padded, "XMP")?;
                found.edits.push(Edit {
                    at: pos,
                    len: 8 + padded,
                    with: Vec::new(),
                });
                found.removed.insert(Removed::Xmp);
                removed_bytes += 8 + padded;
            }
            _ => {}
        }
        pos = data + padded;
    }
    if removed_bytes > 0 {
        let size = u32::try_from(riff_size.saturating_sub(removed_bytes)).unwrap_or(0);
        found.edits.push(Edit {
            at: 4,
            len: 4,
            with: size.to_le_bytes().to_vec(),
        });
        if let Some((at, f)) = flags.filter(|(_, f)| f & 0x04 != 0) {
            found.edits.push(Edit {
                at,
                len: 1,
                with: vec![f & !0x04],
            });
        }
    }
    Ok(())
}

/// HEIF family: the `Exif` items blanked in place and XMP items (`mime`, RDF/XML) filled with
/// spaces, found through the `meta` box's item information and locations.
fn heif(file: &mut dyn ReadSeek, found: &mut Found) -> Result<(), String> {
    let Some((meta_at, meta)) = find_meta(file)? else {
        return Ok(()); // no items: no metadata
    };
    let body = meta.get(4..).unwrap_or(&[]); // a full box: version and flags first
    let mut exif_items = Vec::new();
    let mut xmp_items = Vec::new();
    let mut locations = Vec::new();
    let mut idat_at = None;
    let mut at = 0usize;
    for (kind, child) in boxes(body) {
        let child_at = meta_at + 4 + at as u64;
        at += child.total;
        match kind {
            b"iinf" => item_types(child.body, &mut exif_items, &mut xmp_items),
            b"iloc" => locations = item_locations(child.body)?,
            b"idat" => idat_at = Some(child_at + child.header as u64),
            _ => {}
        }
    }
    for loc in &locations {
        let exif = exif_items.contains(&loc.item);
        let xmp = xmp_items.contains(&loc.item);
        if !exif && !xmp {
            continue;
        }
        let base = match loc.method {
            0 => 0,
            1 => idat_at.ok_or("its HEIF item data box is missing")?,
            _ => return Err("its HEIF metadata is stored in a way this tool does not read".into()),
        };
        if exif {
            let [(offset, len)] = loc.extents[..] else {
                return Err("its HEIF EXIF is split in pieces this tool does not read".into());
            };
            let at = item_offset(base, loc, offset)?;
            let blob = read_blob(file, at, len, MAX_EXIF_BYTES, "EXIF")?;
            // The blob starts with the offset of the TIFF header after these 4 bytes.
            let skip = blob
                .get(..4)
                .map_or(0, |b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize);
            let start = 4usize.saturating_add(skip).min(blob.len());
            let blanks = exif_blanks(&blob[start..], &mut found.removed);
            found.zero(at + start as u64, &blanks);
        } else {
            // An empty extent holds nothing to blank, wherever the item table puts it.
            for &(offset, len) in loc.extents.iter().filter(|(_, len)| *len > 0) {
                // Read, not only blanked: an extent past the end of the file would make the
                // writer append its blanks to the picture. (The file's size is not known here:
                // a zip member is a stream.)
                let at = item_offset(base, loc, offset)?;
                read_blob(file, at, len, MAX_EXIF_BYTES, "XMP")?;
                found.edits.push(Edit {
                    at,
                    len,
                    with: vec![b' '; len as usize],
                });
            }
            found.removed.insert(Removed::Xmp);
        }
    }
    Ok(())
}

/// Where an item's extent starts in the file: offsets from the item table, which may add up
/// past what a file offset can be.
fn item_offset(base: u64, loc: &Location, offset: u64) -> Result<u64, String> {
    base.checked_add(loc.base)
        .and_then(|at| at.checked_add(offset))
        .ok_or_else(|| "its HEIF item locations are damaged".into())
}

/// The `meta` box among the top-level boxes: the file offset of its body and the body.
fn find_meta(file: &mut dyn ReadSeek) -> Result<Option<(u64, Vec<u8>)>, String> {
    let mut pos = 0u64;
    for _ in 0..MAX_PARTS {
        file.seek(SeekFrom::Start(pos)).map_err(read_error)?;
        let mut h = [0u8; 16];
        let n = read_up_to(file, &mut h).map_err(read_error)?;
        if n < 8 {
            return Ok(None);
        }
        let size32 = u64::from(u32::from_be_bytes([h[0], h[1], h[2], h[3]]));
        let (header, size) = match size32 {
            1 if n == 16 => (
                16,
                u64::from_be_bytes(h[8..16].try_into().unwrap_or_default()),
            ),
            0 => return Ok(None), // the last box, to the end of the file
            s => (8, s),
        };
        if size < header {
            return Err("its HEIF box structure is damaged".into());
        }
        if &h[4..8] == b"meta" {
            let body = read_blob(
                file,
                pos + header,
                size - header,
                MAX_META_BYTES,
                "meta box",
            )?;
            return Ok(Some((pos + header, body)));
        }
        // A 64-bit box size can point past any file offset.
        pos = pos
            .checked_add(size)
            .ok_or("its HEIF box structure is damaged")?;
    }
    Err("its HEIF file has more boxes than this tool reads".into())
}

/// A box inside a box already in memory.
struct Child<'a> {
    header: usize,
    total: usize,
    body: &'a [u8],
}

/// The boxes of one level of `data` in order; stops at the first damaged one.
fn boxes(data: &[u8]) -> impl Iterator<Item = (&[u8], Child<'_>)> {
    let mut rest = data;
    std::iter::from_fn(move || {
        let size = u32::from_be_bytes(rest.get(..4)?.try_into().ok()?) as usize;
        let kind = rest.get(4..8)?;
        let (header, total) = match size {
            0 => (8, rest.len()),
            1 => (
                16,
                usize::try_from(u64::from_be_bytes(rest.get(8..16)?.try_into().ok()?)).ok()?,
            ),
            n => (8, n),
        };
        if total < header || total > rest.len() {
            return None;
        }
        let child = Child {
            header,
            total,
            body: &rest[header..total],
        };
        rest = &rest[total..];
        Some((kind, child))
    })
}

/// From `iinf`: the items of type `Exif`, and the `mime` items holding XMP (RDF/XML).
fn item_types(iinf: &[u8], exif: &mut Vec<u32>, xmp: &mut Vec<u32>) {
    let Some(&version) = iinf.first() else { return };
    let skip = if version == 0 { 6 } else { 8 }; // version, flags and the entry count
    for (kind, child) in boxes(iinf.get(skip..).unwrap_or(&[])) {
        if kind != b"infe" {
            continue;
        }
        let b = child.body;
        let (id, rest) = match b.first() {
            Some(2) => (
                b.get(4..6)
                    .map(|x| u32::from(u16::from_be_bytes([x[0], x[1]]))),
                8,
            ),
            Some(3) => (
                b.get(4..8)
                    .map(|x| u32::from_be_bytes([x[0], x[1], x[2], x[3]])),
                10,
            ),
            _ => continue, // versions 0 and 1 have no item type
        };
        let (Some(id), Some(item_type)) = (id, b.get(rest..rest + 4)) else {
            continue;
        };
        if item_type == b"Exif" {
            exif.push(id);
        } else if item_type == b"mime" {
            // item_name\0 content_type\0 …
            let strings = b.get(rest + 4..).unwrap_or(&[]);
            let mut parts = strings.split(|&c| c == 0);
            let content_type = parts.nth(1).unwrap_or(&[]);
            let ct = String::from_utf8_lossy(content_type).to_ascii_lowercase();
            if ct.contains("rdf+xml") || ct.contains("xmp") {
                xmp.push(id);
            }
        }
    }
}

/// One item's place, from `iloc`.
struct Location {
    item: u32,
    /// 0: offsets in the file; 1: in the `idat` box.
    method: u8,
    base: u64,
    /// Offset and length of each extent.
    extents: Vec<(u64, u64)>,
}

/// The item locations of an `iloc` box (versions 0 to 2).
fn item_locations(iloc: &[u8]) -> Result<Vec<Location>, String> {
    let damaged = || "its HEIF item locations are damaged".to_string();
    let mut r = Fields { d: iloc, at: 0 };
    let version = r.uint(1).ok_or_else(damaged)?;
    r.at += 3; // flags
    let sizes = r.uint(1).ok_or_else(damaged)?;
    let (offset_size, length_size) = ((sizes >> 4) as usize, (sizes & 0xF) as usize);
    let sizes = r.uint(1).ok_or_else(damaged)?;
    let base_size = (sizes >> 4) as usize;
    let index_size = if version >= 1 {
        (sizes & 0xF) as usize
    } else {
        0
    };
    let count = r
        .uint(if version < 2 { 2 } else { 4 })
        .ok_or_else(damaged)?;
    let mut out = Vec::new();
    // Extents of zero-byte fields take no room: their number is bounded here instead.
    let mut extents_left = MAX_PARTS;
    for _ in 0..count {
        let item = r
            .uint(if version < 2 { 2 } else { 4 })
            .ok_or_else(damaged)? as u32;
        let method = if version >= 1 {
            (r.uint(2).ok_or_else(damaged)? & 0xF) as u8
        } else {
            0
        };
        r.at += 2; // data reference index
        let base = r.uint(base_size).ok_or_else(damaged)?;
        let extent_count = r.uint(2).ok_or_else(damaged)?;
        let mut extents = Vec::new();
        for _ in 0..extent_count {
            extents_left = extents_left.checked_sub(1).ok_or_else(damaged)?;
            r.uint(index_size).ok_or_else(damaged)?;
            let offset = r.uint(offset_size).ok_or_else(damaged)?;
            let length = r.uint(length_size).ok_or_else(damaged)?;
            extents.push((offset, length));
        }
        out.push(Location {
            item,
            method,
            base,
            extents,
        });
    }
    Ok(out)
}

/// Big-endian fields read one after the other, bounds-checked.
struct Fields<'a> {
    d: &'a [u8],
    at: usize,
}

impl Fields<'_> {
    /// The next `width`-byte unsigned integer (0 to 8 bytes; 0 bytes read as 0).
    fn uint(&mut self, width: usize) -> Option<u64> {
        if width > 8 {
            return None;
        }
        let b = self.d.get(self.at..self.at.checked_add(width)?)?;
        self.at += width;
        Some(b.iter().fold(0, |acc, &x| (acc << 8) | u64::from(x)))
    }
}
