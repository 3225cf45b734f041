//! Looking inside zips: every member is listed and recognised like a loose file, nested zips are
//! opened down to [`Limits::max_zip_depth`], and nothing is inflated past what recognition
//! needs. Owns member naming (`outer.zip!/inner.zip!/DICOM/IM1`), unsafe-name neutralising and
//! the zip-bomb guards. Zip reading itself is the zip crate's.

use std::io::{Cursor, Read, Seek};

use crate::entry::{FileEntry, FileKind};
use crate::limits::Limits;
use crate::scan;
use crate::sniff;
use crate::text::{msg, Message};

/// What a zip turned out to be.
#[derive(Debug)]
pub enum ZipContents {
    /// An ordinary archive: its members, and notes about the archive as a whole.
    Archive {
        members: Vec<FileEntry>,
        notes: Vec<Message>,
    },
    /// A zip-based document format (DOCX, XLSX, PPTX, ODT…): not opened further. The reason's
    /// message id.
    Document(&'static str),
    /// A zip-based program package (JAR, APK…): the reason's message id.
    Software(&'static str),
}

/// Shared across one top-level zip and everything nested in it.
#[derive(Debug, Default)]
pub struct Budget {
    /// Uncompressed bytes read so far from members.
    pub read: u64,
}

/// A reader that can also seek, as a trait object: nested zips are opened through it, so the
/// reader type does not grow with each level of nesting.
pub trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

type Archive<'a> = zip::ZipArchive<&'a mut dyn ReadSeek>;

/// Opens a zip and recognises its members. `Err` when the zip's directory cannot be read.
pub fn scan_zip(
    zip_path: &str,
    reader: &mut dyn ReadSeek,
    depth: u32,
    budget: &mut Budget,
    limits: &Limits,
) -> Result<ZipContents, Message> {
    let mut archive = zip::ZipArchive::new(reader)
        .map_err(|e| msg!("error.zip.directory", detail = e.to_string()))?;
    let names: Vec<String> = (0..archive.len().min(64))
        .filter_map(|i| {
            archive
                .name_for_index(i)
                .and_then(Result::ok)
                .map(|n| n.into_owned())
        })
        .collect();
    if let Some(flavour) = document_flavour(&names) {
        return Ok(ZipContents::Document(flavour));
    }
    if let Some(flavour) = software_flavour(zip_path, &names) {
        return Ok(ZipContents::Software(flavour));
    }
    let mut members = Vec::new();
    let mut notes = Vec::new();
    let count = archive.len();
    if count > limits.max_zip_entries {
        notes.push(msg!(
            "note.zip-entries-limit",
            count = count,
            limit = limits.max_zip_entries,
        ));
    }
    for index in 0..count.min(limits.max_zip_entries) {
        match scan_member(&mut archive, index, zip_path, depth, budget, limits) {
            Ok(Some(entry)) => members.push(entry),
            Ok(None) => {}
            Err(entry) => members.push(*entry),
        }
    }
    Ok(ZipContents::Archive { members, notes })
}

/// Recognises one member. `Ok(None)` for folder entries.
fn scan_member(
    archive: &mut Archive<'_>,
    index: usize,
    zip_path: &str,
    depth: u32,
    budget: &mut Budget,
    limits: &Limits,
) -> Result<Option<FileEntry>, Box<FileEntry>> {
    let mut member = match archive.by_index(index) {
        Ok(m) => m,
        Err(e) => {
            let path = format!("{zip_path}!/#{index}");
            return Err(Box::new(FileEntry::corrupt(
                path,
                0,
                msg!("reason.zip-member"),
                msg!("error.zip.member", detail = e.to_string()),
            )));
        }
    };
    if member.is_dir() {
        return Ok(None);
    }
    let (name, mut notes) = member_name(member.name_raw(), limits);
    let path = format!("{zip_path}!/{name}");
    let size = member.size();
    let compressed = member.compressed_size();
    let corrupt = |reason: Message, error: Message, notes: Vec<Message>| {
        let mut e = FileEntry::corrupt(path.clone(), size, reason, error);
        notes.into_iter().for_each(|n| e.add_note(n));
        Box::new(e)
    };
    if member.encrypted() {
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
    if budget.read >= limits.max_zip_total_read {
        notes.push(msg!("note.archive-limit.total-read"));
        return Err(corrupt(
            msg!("reason.zip-member-not-read"),
            msg!(
                "error.zip.total-read",
                mib = limits.max_zip_total_read >> 20
            ),
            notes,
        ));
    }
    let mut head = Vec::new();
    if let Err(e) = (&mut member)
        .take(limits.sniff_bytes as u64)
        .read_to_end(&mut head)
    {
        return Err(corrupt(
            msg!("reason.zip-member-inflate"),
            msg!("error.zip.inflate", detail = e.to_string()),
            notes,
        ));
    }
    budget.read += head.len() as u64;
    let sniffed = sniff::sniff(&path, &head, size);
    let mut entry = if sniffed == sniff::Sniff::Zip {
        drop(member);
        nested_zip(
            archive,
            index,
            &path,
            size,
            head.len() as u64,
            depth,
            budget,
            limits,
        )
    } else {
        let counted = Counting {
            inner: &mut member,
            count: 0,
        };
        let mut counted = counted;
        let entry = scan::scan_sniffed(&path, size, head, &mut counted, sniffed, limits);
        budget.read += counted.count;
        entry
    };
    notes.into_iter().for_each(|n| entry.add_note(n));
    Ok(Some(entry))
}

/// Opens a zip inside a zip: in place when it is stored, else inflated into memory up to a cap.
#[allow(clippy::too_many_arguments)]
fn nested_zip(
    archive: &mut Archive<'_>,
    index: usize,
    path: &str,
    size: u64,
    head_len: u64,
    depth: u32,
    budget: &mut Budget,
    limits: &Limits,
) -> FileEntry {
    let mut entry = FileEntry::new(path, size, FileKind::Archive, msg!("reason.zip"));
    entry.bytes_read = head_len;
    if depth + 1 >= limits.max_zip_depth {
        entry.add_note(msg!(
            "note.archive-limit.depth",
            depth = limits.max_zip_depth
        ));
        return entry;
    }
    let contents = if let Ok(mut seekable) = archive.by_index_seek(index) {
        scan_zip(path, &mut seekable, depth + 1, budget, limits)
    } else if size <= limits.max_nested_zip_bytes && budget.read + size <= limits.max_zip_total_read
    {
        let mut bytes = Vec::new();
        let read = archive
            .by_index(index)
            .map_err(|e| e.to_string())
            .and_then(|m| {
                m.take(size)
                    .read_to_end(&mut bytes)
                    .map_err(|e| e.to_string())
            });
        budget.read += bytes.len() as u64;
        match read {
            Ok(_) => scan_zip(path, &mut Cursor::new(bytes), depth + 1, budget, limits),
            Err(e) => Err(msg!("error.zip.nested", detail = e)),
        }
    } else {
        let mib = limits.max_nested_zip_bytes >> 20;
        entry.add_note(msg!("note.archive-limit.nested-size", mib = mib));
        return entry;
    };
    apply_contents(entry, contents)
}

/// Fills an archive entry from what [`scan_zip`] found.
pub fn apply_contents(mut entry: FileEntry, contents: Result<ZipContents, Message>) -> FileEntry {
    match contents {
        Ok(ZipContents::Archive { members, notes }) => {
            entry.kind = FileKind::Archive;
            entry.set_reason(msg!("reason.zip-with-files", count = members.len()));
            entry.members = Some(members);
            notes.into_iter().for_each(|n| entry.add_note(n));
        }
        Ok(ZipContents::Document(what)) => {
            entry.kind = FileKind::Document;
            entry.set_reason(Message::new(what));
        }
        Ok(ZipContents::Software(what)) => {
            entry.kind = FileKind::Software;
            entry.set_reason(Message::new(what));
        }
        Err(message) => {
            entry.kind = FileKind::Corrupt;
            entry.set_reason(msg!("reason.zip-unreadable"));
            entry.set_error(message);
        }
    }
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

fn document_flavour(names: &[String]) -> Option<&'static str> {
    let has = |n: &str| names.iter().any(|x| x == n);
    let has_prefix = |p: &str| names.iter().any(|x| x.starts_with(p));
    if has("[Content_Types].xml") {
        if has_prefix("word/") {
            return Some("reason.document.docx");
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

/// Counts the bytes pulled through a reader.
pub struct Counting<R> {
    pub inner: R,
    pub count: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

impl<R: Seek> Seek for Counting<R> {
    fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
