//! Opening zips: the directory, what the first names say the zip is (a document or a program
//! package is not opened further), and one member at a time, checked against the zip-bomb guards
//! and with its first bytes read. Owns member naming (`outer.zip!/inner.zip!/DICOM/IM1`) and
//! unsafe-name neutralising. Recognising the members, and going down into nested zips, is the
//! scanner's in [`crate::recognise`]: this module yields members and never scans them. Zip
//! reading itself is the zip crate's.
//!
//! The zip crate keys its directory by name, so entries that share a name collapse into one
//! (the last): [`entries_listed`] reads how many entries the directory really lists, and the
//! scanner says so, so that the bundle keeps such a zip whole instead of unpacking what it can
//! tell apart.
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

use std::io::{Read, SeekFrom};

use zip::read::{ZipFile, ZipFileSeek};

use crate::entry::FileEntry;
use crate::io::ReadSeek;
use crate::limits::Limits;
use crate::text::{msg, Message};

use super::sniff;

/// An open zip, read through a trait object so that nesting does not grow the reader type.
pub(crate) type Archive<'r> = zip::ZipArchive<&'r mut dyn ReadSeek>;

/// What a zip turned out to be, from its directory.
pub(crate) enum Opened<'r> {
    /// An ordinary archive, to list, and how many of the entries its directory lists cannot be
    /// told apart by name (0 for almost every zip).
    Archive(Archive<'r>, u64),
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
    let archive = zip::ZipArchive::new(reader)
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
        return Ok(Opened::Document(flavour, archive));
    }
    if let Some(flavour) = software_flavour(zip_path, &names) {
        return Ok(Opened::Software(flavour));
    }
    // An archive's members are unpacked into the bundle: count what its directory lists (the
    // crate's directory is by name), then open it again (documents and packages are not
    // unpacked, and their reads stay counted once).
    let reader = archive.into_inner();
    let listed = entries_listed(reader);
    let archive = zip::ZipArchive::new(reader)
        .map_err(|e| msg!("error.zip.directory", detail = e.to_string()))?;
    let hidden = listed.map_or(0, |n| n.saturating_sub(archive.len() as u64));
    Ok(Opened::Archive(archive, hidden))
}

/// The id of the note on a zip whose directory lists entries that share a name with another
/// ([`same_names_note`]), which the bundle plan looks for.
pub const SAME_NAMES_NOTE: &str = "note.zip-same-names";

/// The note on a zip of which `count` entries cannot be read apart ([`SAME_NAMES_NOTE`]).
pub(crate) fn same_names_note(count: u64) -> Message {
    msg!("note.zip-same-names", count = count)
}

/// The End of Central Directory record's fixed part, and the most a comment after it can add.
const EOCD_LEN: u64 = 22;
const MAX_COMMENT: u64 = 0xFFFF;

/// How many entries the zip's directory lists (its End of Central Directory record, or the
/// Zip64 one it points to), folders and entries with a repeated name included; `None` when the
/// record cannot be found or read. Reads at most the last 64 KiB and the Zip64 record.
pub(crate) fn entries_listed(reader: &mut dyn ReadSeek) -> Option<u64> {
    let size = reader.seek(SeekFrom::End(0)).ok()?;
    let eocd_len = EOCD_LEN as usize;
    // The record is almost always the file's last 22 bytes (no comment): read those first,
    // and the last 64 KiB only when it is not there.
    let mut found = None;
    for tail_len in [EOCD_LEN, EOCD_LEN + MAX_COMMENT] {
        let tail_len = size.min(tail_len);
        let tail_start = size - tail_len;
        reader.seek(SeekFrom::Start(tail_start)).ok()?;
        let mut tail = Vec::new();
        reader.take(tail_len).read_to_end(&mut tail).ok()?;
        // The last record whose comment fits in what follows it.
        let at = (0..=tail.len().checked_sub(eocd_len)?).rev().find(|&i| {
            tail[i..].starts_with(b"PK\x05\x06")
                && i + eocd_len + usize::from(u16::from_le_bytes([tail[i + 20], tail[i + 21]]))
                    <= tail.len()
        });
        if let Some(at) = at {
            found = Some((tail, tail_start, at));
            break;
        }
        if tail_len == size {
            break;
        }
    }
    let (tail, tail_start, at) = found?;
    let u16_at = |o: usize| u16::from_le_bytes([tail[at + o], tail[at + o + 1]]);
    let total = u16_at(10);
    let eocd = tail_start + at as u64;
    // (No seek back: the zip crate finds its records from the end itself.)
    if total == 0xFFFF && eocd >= 20 {
        // Zip64: the locator just before the record gives where the Zip64 record is.
        let mut locator = [0u8; 20];
        reader.seek(SeekFrom::Start(eocd - 20)).ok()?;
        reader.read_exact(&mut locator).ok()?;
        if !locator.starts_with(b"PK\x06\x07") {
            return None;
        }
        let mut offset = [0u8; 8];
        offset.copy_from_slice(&locator[8..16]);
        let mut record = [0u8; 40];
        reader
            .seek(SeekFrom::Start(u64::from_le_bytes(offset)))
            .ok()?;
        reader.read_exact(&mut record).ok()?;
        if !record.starts_with(b"PK\x06\x06") {
            return None;
        }
        let mut total = [0u8; 8];
        total.copy_from_slice(&record[32..40]);
        Some(u64::from_le_bytes(total))
    } else {
        Some(u64::from(total))
    }
}

/// A member that passed the guards, with its first bytes read.
pub(crate) struct Member<'z, 'r> {
    /// `zip_path!/name`, with the name made safe.
    pub path: String,
    /// Uncompressed size, as the directory says.
    pub size: u64,
    /// The first [`Limits::sniff_bytes`] bytes.
    pub head: Vec<u8>,
    /// What was changed in the name.
    pub notes: Vec<Message>,
    /// The member, read on from the end of `head`.
    pub file: ZipFile<'z, &'r mut dyn ReadSeek>,
}

/// Opens member `index` and reads its first bytes. `Ok(None)` for folder entries; `Err` the
/// entry of a member that cannot or must not be read: unreadable, encrypted, past a zip-bomb
/// guard, or failing to inflate. `already_read`: uncompressed bytes read so far from members of
/// the same top-level zip.
pub(crate) fn member<'z, 'r>(
    archive: &'z mut Archive<'r>,
    index: usize,
    zip_path: &str,
    already_read: u64,
    limits: &Limits,
) -> Result<Option<Member<'z, 'r>>, Box<FileEntry>> {
    let mut file = match archive.by_index(index) {
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
    if file.is_dir() {
        return Ok(None);
    }
    let (name, mut notes) = member_name(file.name_raw(), limits);
    let path = format!("{zip_path}!/{name}");
    let size = file.size();
    let compressed = file.compressed_size();
    let corrupt = |reason: Message, error: Message, notes: Vec<Message>| {
        let mut e = FileEntry::corrupt(path.clone(), size, reason, error);
        notes.into_iter().for_each(|n| e.add_note(n));
        Box::new(e)
    };
    if file.encrypted() {
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
        file,
    }))
}

/// A stored member, to read in place as a zip of its own. `None` when it is compressed (or its
/// data cannot be found).
pub(crate) fn in_place<'z, 'r>(
    archive: &'z mut Archive<'r>,
    index: usize,
) -> Option<ZipFileSeek<'z, &'r mut dyn ReadSeek>> {
    archive.by_index_seek(index).ok()
}

/// A compressed member inflated into memory, when it fits in what is left of
/// [`Limits::max_nested_zip_bytes`] (`held`: the bytes of the nested zips around it, already in
/// memory) and of [`Limits::max_zip_total_read`] (`already_read` spent). The bytes that came
/// out, and `Err` when inflating failed.
pub(crate) fn inflate(
    archive: &mut Archive<'_>,
    index: usize,
    size: u64,
    (already_read, held): (u64, u64),
    limits: &Limits,
) -> Option<(Vec<u8>, Result<(), Message>)> {
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
        .and_then(|()| archive.by_index(index).map_err(|e| e.to_string()))
        .and_then(|m| {
            m.take(size)
                .read_to_end(&mut bytes)
                .map_err(|e| e.to_string())
        });
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
    fn entries_listed_counts_entries_that_share_a_name() {
        let mut bytes = zip_of(&["x1.txt".into(), "x2.txt".into(), "y.txt".into()]);
        // x2.txt → x1.txt, in the local header and in the directory.
        for i in 0..bytes.len() - 6 {
            if &bytes[i..i + 6] == b"x2.txt" {
                bytes[i..i + 6].copy_from_slice(b"x1.txt");
            }
        }
        let mut cursor = std::io::Cursor::new(bytes);
        let reader: &mut dyn ReadSeek = &mut cursor;
        assert_eq!(entries_listed(reader), Some(3));
        match open("same.zip", reader) {
            Ok(Opened::Archive(archive, hidden)) => {
                assert_eq!((archive.len(), hidden), (2, 1));
            }
            _ => panic!("an archive"),
        }
    }

    #[test]
    fn entries_listed_reads_the_zip64_record() {
        // Past 65,535 entries the classic record says 0xFFFF and the Zip64 one the count.
        let names: Vec<String> = (0..70_000).map(|i| format!("{i}")).collect();
        let mut cursor = std::io::Cursor::new(zip_of(&names));
        assert_eq!(entries_listed(&mut cursor), Some(70_000));
        assert_eq!(
            entries_listed(&mut std::io::Cursor::new(b"PK not a zip".to_vec())),
            None
        );
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
