//! Recognising one file: reads its first bytes, sniffs them, then hands the file to the reader
//! for its family (DICOM header, image metadata, zip listing) and turns the outcome into a
//! [`FileEntry`]. Problems in a file become data on its entry; nothing here fails the batch.

use std::io::{Read, Seek, SeekFrom};

use crate::archive::{self, Budget, Counting};
use crate::dicom::{self, DicomStart, Header};
use crate::entry::{FileEntry, FileKind};
use crate::limits::Limits;
use crate::raster::{self, RasterKind};
use crate::sniff::{self, Sniff};

/// Recognises a file given as a seekable reader (a file on disk, a `Blob` in the browser, bytes
/// in memory). `path` is what the report shows; `size` the file's size in bytes.
pub fn scan_file<R: Read + Seek>(path: &str, size: u64, reader: R, limits: &Limits) -> FileEntry {
    let mut counted = Counting {
        inner: reader,
        count: 0,
    };
    let mut head = Vec::new();
    if let Err(e) = (&mut counted)
        .take(limits.sniff_bytes as u64)
        .read_to_end(&mut head)
    {
        return unreadable(path, size, &e);
    }
    let sniffed = sniff::sniff(path, &head, size);
    if sniffed == Sniff::Zip {
        let entry = FileEntry::new(path, size, FileKind::Archive, "zip archive (PK signature)");
        let contents = match counted.seek(SeekFrom::Start(0)) {
            Ok(_) => archive::scan_zip(path, &mut counted, 0, &mut Budget::default(), limits),
            Err(e) => Err(format!("could not read the file: {e}")),
        };
        let mut entry = archive::apply_contents(entry, contents);
        entry.bytes_read = counted.count;
        return entry;
    }
    let mut entry = scan_sniffed(path, size, head, &mut counted, sniffed, limits);
    if let Some(info) = entry.dicom.as_mut() {
        // Compressed pixel data has no length to compare with the file size: check its end.
        if let (Some(offset), None, false) = (
            info.pixel_data_offset,
            info.pixel_data_length,
            info.truncated,
        ) {
            if let Some(problem) =
                dicom::check_fragments(&mut counted, offset, size, limits.max_fragments)
            {
                info.truncated = true;
                entry.notes.push(format!("truncated-file: {problem}"));
            }
            entry.bytes_read = counted.count;
        }
    }
    entry
}

/// Recognises a file whose first bytes (`head`) were already read and sniffed; `rest` continues
/// right after them. Used for loose files and for zip members (which cannot seek).
pub(crate) fn scan_sniffed<R: Read>(
    path: &str,
    size: u64,
    head: Vec<u8>,
    mut rest: R,
    sniffed: Sniff,
    limits: &Limits,
) -> FileEntry {
    let head_len = head.len() as u64;
    let ext = sniff::extension(path);
    let named_dicom = matches!(ext.as_deref(), Some("dcm" | "dicom" | "dic"));
    let mut entry = match sniffed {
        Sniff::Empty => FileEntry::new(path, size, FileKind::Empty, "0 bytes"),
        Sniff::Dicom(start) => return dicom_entry(path, size, head, rest, start, limits),
        Sniff::Raster(format) => {
            let mut head = head;
            let wanted = (limits.raster_bytes as u64).saturating_sub(head_len);
            if let Err(e) = (&mut rest).take(wanted).read_to_end(&mut head) {
                return unreadable(path, size, &e);
            }
            let read = head.len() as u64;
            let mut entry = raster_entry(path, size, &head, format);
            entry.bytes_read = read;
            return entry;
        }
        Sniff::Zip => {
            let mut e = FileEntry::new(path, size, FileKind::Archive, "zip archive (PK signature)");
            e.notes
                .push("not opened: this zip could not be read in place".into());
            e
        }
        Sniff::Pdf => FileEntry::new(path, size, FileKind::Pdf, "PDF signature (%PDF-)"),
        Sniff::OleCompound => match ext.as_deref() {
            Some("msi" | "msp") => {
                FileEntry::new(path, size, FileKind::Software, "Windows installer (MSI)")
            }
            _ => FileEntry::new(
                path,
                size,
                FileKind::Document,
                "old Microsoft Office file (OLE compound document)",
            ),
        },
        Sniff::Rtf => FileEntry::new(path, size, FileKind::Document, "Rich Text Format ({\\rtf)"),
        Sniff::Text => text_entry(path, size, &head, ext.as_deref()),
        Sniff::Software(what) => FileEntry::new(path, size, FileKind::Software, what),
        Sniff::OtherArchive(what) => {
            let mut e = FileEntry::new(path, size, FileKind::Archive, what);
            e.notes.push(format!("not opened: only zip archives are looked inside; unpack this {what} and add its files"));
            e
        }
        Sniff::Junk(what) => {
            let mut e = FileEntry::new(path, size, FileKind::Other, what);
            e.notes
                .push("junk: left by the operating system, not part of the records".into());
            e
        }
        Sniff::Unknown(what) => {
            if named_dicom {
                FileEntry::corrupt(
                    path,
                    size,
                    "named like a DICOM file, but no DICOM structure",
                    "the file has a DICOM name but neither the DICM marker nor a readable data set",
                )
            } else if sniff::in_viewer_folder(path) {
                FileEntry::new(
                    path,
                    size,
                    FileKind::Software,
                    "file in a CD viewer program folder",
                )
            } else {
                FileEntry::new(
                    path,
                    size,
                    FileKind::Other,
                    what.unwrap_or("unrecognised content"),
                )
            }
        }
    };
    entry.bytes_read = head_len;
    entry
}

fn dicom_entry<R: Read>(
    path: &str,
    size: u64,
    head: Vec<u8>,
    rest: R,
    start: DicomStart,
    limits: &Limits,
) -> FileEntry {
    let (result, bytes_read) = dicom::read_header(head, rest, size, start, limits);
    let marker = match start {
        DicomStart::Part10 { dicm_at: 128 } => "DICM at byte 128".to_string(),
        DicomStart::Part10 { .. } => "DICM at byte 0 (no preamble)".to_string(),
        DicomStart::Legacy(enc) => format!(
            "DICOM data set without preamble or file meta ({} VR {} endian)",
            if enc.explicit_vr {
                "explicit"
            } else {
                "implicit"
            },
            if enc.big_endian { "big" } else { "little" }
        ),
    };
    let mut entry = match result {
        Ok(Header::Object(info)) => {
            let mut reason = marker;
            if info.preamble_is_tiff_header {
                reason.push_str(", preamble is a TIFF header");
            }
            if let Some(name) = &info.sop_class_name {
                reason.push_str(&format!(", {name}"));
            }
            let mut e = FileEntry::new(path, size, FileKind::Dicom, reason);
            if info.truncated {
                e.notes.push(match (info.pixel_data_length, info.pixel_data_offset) {
                    (Some(len), Some(off)) => format!(
                        "truncated-file: pixel data needs {len} bytes from byte {off}, the file has {}",
                        size.saturating_sub(off)
                    ),
                    _ => "truncated-file: an image object without pixel data; the file is probably cut short".into(),
                });
            }
            if let Some(note) = &info.charset_note {
                e.notes.push(format!("charset-repaired: {note}"));
            }
            e.dicom = Some(*info);
            e
        }
        Ok(Header::Directory(info, dir)) => {
            let reason = format!(
                "{marker}, DICOMDIR (Media Storage Directory) listing {} files",
                dir.referenced_files.len()
            );
            let mut e = FileEntry::new(path, size, FileKind::Dicomdir, reason);
            e.dicom = Some(*info);
            e.dicomdir = Some(dir);
            e
        }
        Err(problem) => {
            let mut e = FileEntry::corrupt(path, size, problem.reason, problem.message);
            e.reason = format!("{marker}, but unreadable: {}", e.reason);
            e
        }
    };
    entry.bytes_read = bytes_read;
    entry
}

fn raster_entry(path: &str, size: u64, head: &[u8], format: &str) -> FileEntry {
    match raster::inspect(sniff::file_name(path), head, size) {
        Ok(verdict) => {
            let kind = match verdict.kind {
                RasterKind::Screenshot => FileKind::Screenshot,
                RasterKind::Photo => FileKind::Photo,
                RasterKind::Slide => FileKind::Slide,
            };
            let mut e = FileEntry::new(path, size, kind, verdict.reason);
            e.image = Some(verdict.facts);
            e
        }
        Err(message) => FileEntry::corrupt(
            path,
            size,
            format!("{} signature, but unreadable", format.to_uppercase()),
            message,
        ),
    }
}

fn text_entry(path: &str, size: u64, head: &[u8], ext: Option<&str>) -> FileEntry {
    let name = sniff::file_name(path).to_ascii_lowercase();
    let lower_head = String::from_utf8_lossy(&head[..head.len().min(512)]).to_ascii_lowercase();
    if name == "autorun.inf" || lower_head.contains("[autorun]") {
        return FileEntry::new(
            path,
            size,
            FileKind::Software,
            "CD autorun file (starts the viewer program)",
        );
    }
    if matches!(
        ext,
        Some("inf" | "ini" | "bat" | "cmd" | "vbs" | "ps1" | "sh" | "reg" | "cfg")
    ) {
        return FileEntry::new(path, size, FileKind::Software, "program settings or script");
    }
    if sniff::in_viewer_folder(path) {
        return FileEntry::new(
            path,
            size,
            FileKind::Software,
            "file in a CD viewer program folder",
        );
    }
    let what =
        if lower_head.trim_start().starts_with("<!doctype html") || lower_head.contains("<html") {
            "HTML page"
        } else if lower_head.trim_start().starts_with("<?xml") {
            "XML text"
        } else {
            "plain text"
        };
    FileEntry::new(path, size, FileKind::Document, what)
}

fn unreadable(path: &str, size: u64, e: &std::io::Error) -> FileEntry {
    FileEntry::corrupt(
        path,
        size,
        "unreadable",
        format!("could not read the file: {e}"),
    )
}
