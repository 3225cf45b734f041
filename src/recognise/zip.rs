//! Opening zips: the directory, what the first names say the zip is (a document or a program
//! package is not opened further), and one member at a time, checked against the zip-bomb guards
//! and with its first bytes read. Owns member naming (`outer.zip!/inner.zip!/DICOM/IM1`) and
//! unsafe-name neutralising. Recognising the members, and going down into nested zips, is the
//! scanner's in [`crate::recognise`]: this module yields members and never scans them. Zip
//! reading itself is the zip crate's.
//!
//! Every entry the central directory lists is yielded, read by its place in the directory (the
//! zip crate's `ZipIterable`, not `ZipArchive`, whose directory is keyed by name and keeps one
//! of the entries that share a name): names that repeat, or that neutralising made equal, are
//! told apart as `a.txt`, `a (2).txt`… ([`Names`]), the same way for the report and for the
//! bundle, which reads members by these names. A member's bytes are read from its local header
//! on ([`Location`]): the crate's reader for an entry of `ZipIterable` reads the rest of the
//! member when it is dropped, and the scan reads only a member's first bytes.
//!
//! Memory: a stored zip inside a zip is opened in place (its bytes are a window of the reader
//! around it); a compressed one cannot be seeked, so it is inflated into memory, and all the
//! nested zips open at once share one ceiling, [`Limits::max_nested_zip_bytes`]. One that does
//! not fit is listed unopened ("too large to look into, kept packed"); the bundle keeps nested
//! zips packed anyway, so only the report's view into it is lost. Listing a compressed nested zip
//! from a streamed pass over its local headers was weighed and not chosen: entries written with
//! a data descriptor (most streaming writers, this tool's own bundles included) do not give their
//! size in the local header, so a stream reader cannot step over a stored one, and the names the
//! bundle and other tools go by are in the central directory at the end. Measured by
//! `tests/hostile.rs` (two levels of deflated zips just under the ratio limit): 448 MiB at peak
//! from a 1.2 MB file with the former 256 MiB per level, 60 MiB now. Every member is read
//! through a [`crate::io::Budget`] of what is left of [`Limits::max_zip_total_read`], so one
//! big member stops at the budget too.
//!
//! CP437 names go through our own table: the zip crate's decoder is private (`mod cp437`), and its
//! public `name()` goes from UTF-8 straight to CP437, without the GB18030 step Chinese zips need.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{self, Read, Seek, SeekFrom};

use zip::read::{Config, ZipFileEntry};
use zip::result::ZipError;
use zip::unstable::read::ZipIterable;

use crate::entry::FileEntry;
use crate::io::{ReadSeek, Window};
use crate::limits::Limits;
use crate::text::{msg, Message};

use super::sniff;

/// A zip-based document opened by name (a DOCX's body), read through a trait object so that
/// nesting does not grow the reader type.
pub(crate) type Archive<'r> = zip::ZipArchive<&'r mut dyn ReadSeek>;

/// An archive's directory, read one entry at a time: every entry it lists, in order.
pub(crate) type Listing<'r> = ZipIterable<&'r mut dyn ReadSeek>;

/// What a zip turned out to be, from its directory.
pub(crate) enum Opened<'r> {
    /// An ordinary archive, to list.
    Archive(Listing<'r>),
    /// A zip-based document format (DOCX, XLSX, PPTX, ODT…): not listed as an archive. The
    /// reason's message id, and the open directory (the scan reads a DOCX's text from it).
    Document(&'static str, Archive<'r>),
    /// A zip-based program package (JAR, APK…): the reason's message id.
    Software(&'static str),
}

/// Reads a zip's directory. `Err` when it cannot be read.
pub(crate) fn open<'r>(
    zip_path: &str,
    reader: &'r mut dyn ReadSeek,
) -> Result<Opened<'r>, Message> {
    let directory = |e: ZipError| msg!("error.zip.directory", detail = e.to_string());
    let names: Vec<String> = {
        let mut first = listing(&mut *reader).map_err(directory)?;
        let entries = first.files().map_err(directory)?;
        entries
            .take(64)
            .map_while(Result::ok)
            .filter_map(|e| e.name().ok().map(|n| n.into_owned()))
            .collect()
    };
    if let Some(flavour) = document_flavour(&names) {
        let archive = zip::ZipArchive::new(reader).map_err(directory)?;
        return Ok(Opened::Document(flavour, archive));
    }
    if let Some(flavour) = software_flavour(zip_path, &names) {
        return Ok(Opened::Software(flavour));
    }
    Ok(Opened::Archive(listing(reader).map_err(directory)?))
}

/// A zip's directory, to read entry by entry.
pub(crate) fn listing(reader: &mut dyn ReadSeek) -> Result<Listing<'_>, ZipError> {
    ZipIterable::try_new(reader, Config::default())
}

/// The entry in place of the directory entry `index` of the zip at `zip_path`, which could not
/// be read (the directory is not read further).
pub(crate) fn unlisted(zip_path: &str, index: usize, error: &ZipError) -> FileEntry {
    FileEntry::corrupt(
        format!("{zip_path}!/#{index}"),
        0,
        msg!("reason.zip-member"),
        msg!("error.zip.member", detail = error.to_string()),
    )
}

/// Tells apart the names of one zip's members, in directory order: a name already given becomes
/// `name (2)`, `name (3)`… before its extension. Keeps a hash per name, not the name (a zip may
/// list 100,000 long names); a hash that collides only numbers one more name.
#[derive(Debug, Default)]
pub(crate) struct Names {
    given: HashSet<u64>,
    /// Name → the number to try next for it, so a name repeated n times costs O(n) in all.
    next: HashMap<u64, u32>,
}

impl Names {
    /// The member's name as listed (`name` when it is new), and the note when it was changed.
    fn apart(&mut self, name: String) -> (String, Option<Message>) {
        let key = hash(&name);
        if self.given.insert(key) {
            return (name, None);
        }
        let n = self.next.entry(key).or_insert(2);
        let listed = loop {
            let candidate = numbered(&name, *n);
            *n += 1;
            if self.given.insert(hash(&candidate)) {
                break candidate;
            }
        };
        let note = msg!(
            "note.zip-name-repeated",
            name = name,
            listed = listed.clone()
        );
        (listed, Some(note))
    }
}

fn hash(name: &str) -> u64 {
    let mut h = DefaultHasher::new();
    name.hash(&mut h);
    h.finish()
}

/// `dir/a.txt` → `dir/a (n).txt`; `README` → `README (n)`.
fn numbered(name: &str, n: u32) -> String {
    let file_at = name.rfind('/').map_or(0, |i| i + 1);
    let ext_at = match name[file_at..].rfind('.') {
        Some(i) if i > 0 => file_at + i,
        _ => name.len(),
    };
    format!("{} ({n}){}", &name[..ext_at], &name[ext_at..])
}

/// A member's name as the report and the bundle list it: made safe ([`member_name`]) and told
/// apart from the names before it ([`Names`]); with notes on what was changed.
pub(crate) fn listed_name(
    entry: &ZipFileEntry<'_>,
    names: &mut Names,
    limits: &Limits,
) -> (String, Vec<Message>) {
    let (name, mut notes) = member_name(entry.name_raw(), limits);
    let (name, renamed) = names.apart(name);
    notes.extend(renamed);
    (name, notes)
}

/// Where a member's bytes are in its zip, from its directory entry.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Location {
    header_start: u64,
    compressed_size: u64,
    size: u64,
    crc32: u32,
    method: zip::CompressionMethod,
    pub encrypted: bool,
}

impl Location {
    pub(crate) fn of(entry: &ZipFileEntry<'_>) -> Self {
        Location {
            header_start: entry.header_start(),
            compressed_size: entry.compressed_size(),
            size: entry.size(),
            crc32: entry.crc32(),
            method: entry.compression(),
            encrypted: entry.encrypted(),
        }
    }

    /// Where the data starts: after the local header, whose name and extra field may differ in
    /// length from the directory's.
    fn data_start<R: Read + Seek + ?Sized>(&self, reader: &mut R) -> io::Result<u64> {
        reader.seek(SeekFrom::Start(self.header_start))?;
        let mut header = [0u8; 30];
        reader.read_exact(&mut header)?;
        if header[..4] != *b"PK\x03\x04" {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "could not find the member's local header where the zip directory says",
            ));
        }
        let name_len = u64::from(u16::from_le_bytes([header[26], header[27]]));
        let extra_len = u64::from(u16::from_le_bytes([header[28], header[29]]));
        Ok(self.header_start + 30 + name_len + extra_len)
    }

    /// The member's bytes as a stream that fails at its end when the CRC-32 or the size does not
    /// match the directory.
    pub(crate) fn open<'a, R: Read + Seek + 'a>(
        &self,
        mut reader: R,
    ) -> io::Result<Box<dyn Read + 'a>> {
        if self.encrypted {
            return Err(io::Error::other(
                "the member is password-protected and cannot be read",
            ));
        }
        let start = self.data_start(&mut reader)?;
        reader.seek(SeekFrom::Start(start))?;
        let data = reader.take(self.compressed_size);
        let inner: Box<dyn Read + 'a> = match self.method {
            zip::CompressionMethod::Stored => Box::new(data),
            zip::CompressionMethod::Deflated => Box::new(flate2::read::DeflateDecoder::new(data)),
            other => {
                return Err(io::Error::other(format!(
                    "members compressed with {other} cannot be read"
                )))
            }
        };
        Ok(Box::new(Checked {
            inner,
            crc: flate2::Crc::new(),
            read: 0,
            size: self.size,
            crc32: self.crc32,
        }))
    }

    /// A stored member's bytes, seekable (a zip inside a zip, read in place); `None` when the
    /// member is compressed.
    pub(crate) fn in_place<'a>(
        &self,
        reader: &'a mut dyn ReadSeek,
    ) -> Option<io::Result<Window<&'a mut dyn ReadSeek>>> {
        if self.method != zip::CompressionMethod::Stored || self.encrypted {
            return None;
        }
        Some(
            self.data_start(reader)
                .map(|start| Window::new(reader, start, self.compressed_size)),
        )
    }
}

/// A member's data that checks its size and CRC-32 against the zip directory at the end.
struct Checked<'a> {
    inner: Box<dyn Read + 'a>,
    crc: flate2::Crc,
    read: u64,
    size: u64,
    crc32: u32,
}

impl Read for Checked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n > 0 {
            self.crc.update(&buf[..n]);
            self.read += n as u64;
            if self.read > self.size {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "the zip member holds more than the {} bytes its directory says",
                        self.size
                    ),
                ));
            }
            return Ok(n);
        }
        if self.read < self.size {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!(
                    "the zip member ends after {} of {} bytes",
                    self.read, self.size
                ),
            ));
        }
        if self.crc.sum() != self.crc32 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "the zip member's CRC-32 is {:08x}, its directory says {:08x}: the zip is damaged",
                    self.crc.sum(),
                    self.crc32
                ),
            ));
        }
        Ok(0)
    }
}

/// A member that passed the guards, with its first bytes read.
pub(crate) struct Member<'z> {
    /// `zip_path!/name`, with the name made safe and apart.
    pub path: String,
    /// Uncompressed size, as the directory says.
    pub size: u64,
    /// The first [`Limits::sniff_bytes`] bytes.
    pub head: Vec<u8>,
    /// What was changed in the name.
    pub notes: Vec<Message>,
    /// Where its bytes are, to open it again (as a zip of its own).
    pub location: Location,
    /// The member, read on from the end of `head`.
    pub file: Box<dyn Read + 'z>,
}

/// Opens the member of directory entry `entry` and reads its first bytes. `Ok(None)` for
/// folder entries; `Err` the entry of a member that cannot or must not be read: unreadable,
/// encrypted, past a zip-bomb guard, or failing to inflate. `names`: the names listed so far in
/// the same zip; `already_read`: uncompressed bytes read so far from members of the same
/// top-level zip.
pub(crate) fn member<'z>(
    reader: &'z mut dyn ReadSeek,
    entry: &ZipFileEntry<'_>,
    names: &mut Names,
    zip_path: &str,
    already_read: u64,
    limits: &Limits,
) -> Result<Option<Member<'z>>, Box<FileEntry>> {
    if entry.is_dir() {
        return Ok(None);
    }
    let (name, mut notes) = listed_name(entry, names, limits);
    let path = format!("{zip_path}!/{name}");
    let location = Location::of(entry);
    let (size, compressed) = (location.size, location.compressed_size);
    let corrupt = |reason: Message, error: Message, notes: Vec<Message>| {
        let mut e = FileEntry::corrupt(path.clone(), size, reason, error);
        notes.into_iter().for_each(|n| e.add_note(n));
        Box::new(e)
    };
    if location.encrypted {
        return Err(corrupt(
            msg!("reason.zip-member-encrypted"),
            msg!("error.zip.encrypted"),
            notes,
        ));
    }
    if size > 1 << 20 && size / compressed.max(1) > limits.max_compression_ratio {
        notes.push(msg!("note.archive-limit.ratio"));
        return Err(corrupt(
            msg!("reason.zip-member-ratio"),
            msg!(
                "error.zip.ratio",
                size = size,
                compressed = compressed,
                ratio = limits.max_compression_ratio,
            ),
            notes,
        ));
    }
    if already_read >= limits.max_zip_total_read {
        return Err(Box::new(over_budget(path, size, notes, limits)));
    }
    let mut file = match location.open(reader) {
        Ok(file) => file,
        Err(e) => {
            return Err(corrupt(
                msg!("reason.zip-member"),
                msg!("error.zip.member", detail = e.to_string()),
                notes,
            ))
        }
    };
    let mut head = Vec::new();
    let left = limits.max_zip_total_read - already_read;
    if let Err(e) = (&mut file)
        .take(left.min(limits.sniff_bytes as u64))
        .read_to_end(&mut head)
    {
        return Err(corrupt(
            msg!("reason.zip-member-inflate"),
            msg!("error.zip.inflate", detail = e.to_string()),
            notes,
        ));
    }
    Ok(Some(Member {
        path,
        size,
        head,
        notes,
        location,
        file,
    }))
}

/// A compressed member inflated into memory, when it fits in what is left of
/// [`Limits::max_nested_zip_bytes`] (`held`: the bytes of the nested zips around it, already in
/// memory) and of [`Limits::max_zip_total_read`] (`already_read` spent). The bytes that came
/// out, and `Err` when inflating failed.
pub(crate) fn inflate(
    reader: &mut dyn ReadSeek,
    location: &Location,
    (already_read, held): (u64, u64),
    limits: &Limits,
) -> Option<(Vec<u8>, Result<(), Message>)> {
    let size = location.size;
    if size > limits.max_nested_zip_bytes.saturating_sub(held)
        || already_read + size > limits.max_zip_total_read
    {
        return None;
    }
    let mut bytes = Vec::new();
    // Exactly the declared size (checked above), not the doubling of a growing vector.
    let read = usize::try_from(size)
        .map_err(|e| e.to_string())
        .and_then(|n| bytes.try_reserve_exact(n).map_err(|e| e.to_string()))
        .and_then(|()| location.open(reader).map_err(|e| e.to_string()))
        .and_then(|mut m| m.read_to_end(&mut bytes).map_err(|e| e.to_string()));
    let result = read
        .map(|_| ())
        .map_err(|e| msg!("error.zip.nested", detail = e));
    Some((bytes, result))
}

/// The entry of a member that the zip's read budget ([`Limits::max_zip_total_read`]) leaves
/// unread, or stopped while it was being read.
pub(crate) fn over_budget(
    path: String,
    size: u64,
    mut notes: Vec<Message>,
    limits: &Limits,
) -> FileEntry {
    notes.push(msg!("note.archive-limit.total-read"));
    let mut entry = FileEntry::corrupt(
        path,
        size,
        msg!("reason.zip-member-not-read"),
        msg!(
            "error.zip.total-read",
            mib = limits.max_zip_total_read >> 20
        ),
    );
    notes.into_iter().for_each(|n| entry.add_note(n));
    entry
}

/// A member's name made safe: decoded (UTF-8, else GB18030 as Chinese Windows zips use, else
/// CP437 as the zip standard says), with `..`, absolute roots, drive letters, backslashes and
/// control characters neutralised. Returns the name and notes on what was changed.
pub fn member_name(raw: &[u8], limits: &Limits) -> (String, Vec<Message>) {
    let mut notes = Vec::new();
    let decoded = match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => match crate::dicom::charset::gb18030_strict(raw) {
            Some(s) => {
                notes.push(msg!("note.name-gb18030"));
                s
            }
            None => raw.iter().map(|&b| cp437(b)).collect(),
        },
    };
    let unified = decoded.replace('\\', "/");
    let mut parts: Vec<String> = Vec::new();
    // Message ids, `part.unsafe.*`.
    let mut unsafe_reasons = Vec::new();
    if decoded.contains('\\') {
        unsafe_reasons.push("part.unsafe.backslashes");
    }
    if unified.starts_with('/') {
        unsafe_reasons.push("part.unsafe.absolute");
    }
    for part in unified.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if !unsafe_reasons.contains(&"part.unsafe.traversal") {
                    unsafe_reasons.push("part.unsafe.traversal");
                }
            }
            p if p.len() == 2 && p.ends_with(':') && parts.is_empty() => {
                unsafe_reasons.push("part.unsafe.drive")
            }
            p => {
                let clean: String = p
                    .chars()
                    .map(|c| if c.is_control() { '_' } else { c })
                    .collect();
                if clean != p && !unsafe_reasons.contains(&"part.unsafe.control") {
                    unsafe_reasons.push("part.unsafe.control");
                }
                parts.push(clean);
            }
        }
    }
    let mut name = parts.join("/");
    if name.is_empty() {
        name = "(unnamed)".into();
    }
    if name.chars().count() > limits.max_name_len {
        name = name.chars().take(limits.max_name_len).collect();
        notes.push(msg!("note.name-cut", max = limits.max_name_len));
    }
    if !unsafe_reasons.is_empty() {
        let problems: Vec<Message> = unsafe_reasons.into_iter().map(Message::new).collect();
        notes.push(msg!(
            "note.unsafe-name",
            original = format!("{decoded:?}"),
            problems = problems,
            name = format!("{name:?}"),
        ));
    }
    (name, notes)
}

/// Code page 437, the zip format's default for names without the UTF-8 flag.
fn cp437(b: u8) -> char {
    const HIGH: &str = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{a0}";
    if b < 0x80 {
        char::from(b)
    } else {
        HIGH.chars()
            .nth(usize::from(b - 0x80))
            .unwrap_or('\u{FFFD}')
    }
}

/// The reason id of a DOCX, whose text the scan reads.
pub(crate) const DOCX: &str = "reason.document.docx";

fn document_flavour(names: &[String]) -> Option<&'static str> {
    let has = |n: &str| names.iter().any(|x| x == n);
    let has_prefix = |p: &str| names.iter().any(|x| x.starts_with(p));
    if has("[Content_Types].xml") {
        if has_prefix("word/") {
            return Some(DOCX);
        }
        if has_prefix("xl/") {
            return Some("reason.document.xlsx");
        }
        if has_prefix("ppt/") {
            return Some("reason.document.pptx");
        }
        return Some("reason.document.ooxml");
    }
    if has("mimetype") && has("content.xml") {
        return Some("reason.document.odf");
    }
    None
}

fn software_flavour(path: &str, names: &[String]) -> Option<&'static str> {
    let ext = sniff::extension(path);
    if names.iter().any(|n| n == "META-INF/MANIFEST.MF") && ext.as_deref() == Some("jar") {
        return Some("reason.program.jar");
    }
    if names.iter().any(|n| n == "AndroidManifest.xml") {
        return Some("reason.program.apk");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A zip of `names` (stored, each its index as content); names of one length can be
    /// patched after, as the zip crate's writer refuses a repeated name.
    fn zip_of(names: &[String]) -> Vec<u8> {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (i, name) in names.iter().enumerate() {
            w.start_file(name.as_str(), stored).unwrap();
            w.write_all(i.to_string().as_bytes()).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn entries_that_share_a_name_are_all_listed_apart() {
        let mut bytes = zip_of(&["x1.txt".into(), "x2.txt".into(), "y.txt".into()]);
        // x2.txt → x1.txt, in the local header and in the directory.
        for i in 0..bytes.len() - 6 {
            if &bytes[i..i + 6] == b"x2.txt" {
                bytes[i..i + 6].copy_from_slice(b"x1.txt");
            }
        }
        let entry = crate::scan_bytes("same.zip", &bytes, &Limits::default());
        let members = entry.members.unwrap();
        let paths: Vec<&str> = members.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "same.zip!/x1.txt",
                "same.zip!/x1 (2).txt",
                "same.zip!/y.txt"
            ]
        );
        assert_eq!(
            members[1].notes,
            ["the zip holds more than one entry named x1.txt: this one is listed as x1 (2).txt"]
        );
        assert!(members[0].notes.is_empty() && members[2].notes.is_empty());
    }

    #[test]
    fn names_apart_take_one_try_per_repeat() {
        let mut names = Names::default();
        // A name that the numbering would give, already taken by the zip.
        assert_eq!(names.apart("dir/a (2).txt".into()).0, "dir/a (2).txt");
        for _ in 0..100_000 {
            names.apart("dir/a.txt".into());
        }
        // 99,999 repeats, numbered 3 to 100,001 (2 was taken): one try each, and one more.
        assert_eq!(names.next[&hash("dir/a.txt")], 100_002);
        assert_eq!(names.apart("dir/a.txt".into()).0, "dir/a (100002).txt");
        assert_eq!(numbered("README", 2), "README (2)");
        assert_eq!(numbered("x.y/.profile", 3), "x.y/.profile (3)");
    }

    #[test]
    fn traversal_names_are_neutralised() {
        let l = Limits::default();
        let note = |raw: &[u8]| {
            let (name, notes) = member_name(raw, &l);
            (name, notes[0].to_string())
        };
        let (n, note0) = note(b"../../evil.dcm");
        assert_eq!(n, "evil.dcm");
        assert!(note0.contains("path traversal"), "{note0}");
        let (n, note0) = note(b"C:\\Windows\\x.dll");
        assert_eq!(n, "Windows/x.dll");
        assert_eq!(
            note0,
            r#"unsafe name "C:\\Windows\\x.dll" (backslashes, a drive letter) neutralised to "Windows/x.dll""#
        );
        let (n, note0) = note(b"/etc/passwd");
        assert_eq!(n, "etc/passwd");
        assert!(note0.contains("absolute"));
        let (n, notes) = member_name("病理/报告.pdf".as_bytes(), &l);
        assert_eq!(n, "病理/报告.pdf");
        assert!(notes.is_empty());
    }

    #[test]
    fn gbk_names_are_decoded() {
        // 王小东.dcm in GBK, as a Chinese Windows zip writes it without the UTF-8 flag.
        let raw = [0xCD, 0xF5, 0xD0, 0xA1, 0xB6, 0xAB, b'.', b'd', b'c', b'm'];
        let (n, notes) = member_name(&raw, &Limits::default());
        assert_eq!(n, "王小东.dcm");
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn cp437_table_is_complete() {
        assert_eq!(cp437(0x80), 'Ç');
        assert_eq!(cp437(0xFF), '\u{a0}');
    }
}
