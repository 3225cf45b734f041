//! Recognising one file or zip member: reads its first bytes, sniffs them, then hands the file
//! to the reader for its family (DICOM header, image metadata, zip listing) and turns the outcome
//! into a [`FileEntry`]. Problems in a file become data on its entry; nothing here fails the
//! batch.
//!
//! This module holds the entry points ([`scan_file`], [`scan_bytes`], [`scan_windows`]) and the
//! recursion between a file and its zip members, in one place: a `Scanner` (the limits, the read
//! budget that nested zips share, the depth) drives [`zip`], which yields members, and
//! scans each member as it would a loose file.
//!
//! With the `documents` feature, every document's text is read for its `document` object: PDFs
//! and plain-text files (the rest of the file, up to [`Limits::max_document_bytes`]), DOCX (its
//! body, from the zip directory opened to recognise it), and DICOM objects that carry a report
//! (an encapsulated PDF, a Structured Report's text). Inside a zip the bytes read count against
//! the zip's read budget like any member's.
//!
//! | module | owns |
//! |---|---|
//! | [`sniff`] | bytes + name → file family, from magic numbers |
//! | [`zip`] | opening zips: directory, members past the zip-bomb guards, safe names |
//! | [`folder`] | native folder walking for the CLI and tests |

use std::io::{Cursor, Read, Seek, SeekFrom};

use crate::dicom::{self, DicomStart, Header};
#[cfg(feature = "documents")]
use crate::document::{self, DocumentKind};
use crate::entry::{FileEntry, FileKind};
use crate::io::{Budget, Counting, ReadSeek, Windows};
use crate::limits::Limits;
use crate::raster::{self, RasterKind};
use crate::text::{msg, Message};

use self::sniff::Sniff;
use self::zip::{Listing, Opened};

pub mod folder;
#[cfg(feature = "ocr-engine")]
pub mod ocr;
pub mod sniff;
pub mod zip;

/// Recognises a file given as a seekable reader (a file on disk, a `Blob` in the browser, bytes
/// in memory). `path` is what the report shows; `size` the file's size in bytes.
pub fn scan_file<R: Read + Seek>(
    path: &str,
    size: u64,
    mut reader: R,
    limits: &Limits,
) -> FileEntry {
    Scanner::new(limits).file(path, size, &mut reader)
}

/// Recognises a file held in memory.
pub fn scan_bytes(path: &str, bytes: &[u8], limits: &Limits) -> FileEntry {
    scan_file(path, bytes.len() as u64, Cursor::new(bytes), limits)
}

/// Recognises a file from bytes already read from its start (`head`) and end (`tail`), when
/// they are enough: the browser fetches these windows for many files at once, which costs far
/// less than reading each file on demand. `None` when recognition needed other bytes; the caller
/// then scans the whole file with [`scan_file`].
pub fn scan_windows(
    path: &str,
    size: u64,
    head: &[u8],
    tail: &[u8],
    limits: &Limits,
) -> Option<FileEntry> {
    let mut windows = Windows::new(head, tail, size);
    let mut entry = scan_file(path, size, &mut windows, limits);
    if windows.missed() {
        return None;
    }
    entry.bytes_read = (head.len() + tail.len()) as u64;
    Some(entry)
}

/// One top-level file's scan: what a file and the zips nested in it share.
struct Scanner<'l> {
    limits: &'l Limits,
    /// Uncompressed bytes read so far from zip members, across one top-level zip and everything
    /// nested in it.
    read: u64,
    /// How many zips deep the members being scanned are: 0 in a top-level zip.
    depth: u32,
    /// Bytes of nested zips inflated into memory and open now, all levels together: at most
    /// [`Limits::max_nested_zip_bytes`].
    held: u64,
}

impl<'l> Scanner<'l> {
    fn new(limits: &'l Limits) -> Self {
        Scanner {
            limits,
            read: 0,
            depth: 0,
            held: 0,
        }
    }

    /// [`scan_file`] through a trait object: the scanning code below is compiled once, not once
    /// per reader type (four copies of it cost the page's wasm ~100 KB).
    fn file(&mut self, path: &str, size: u64, reader: &mut dyn ReadSeek) -> FileEntry {
        let mut counted = Counting {
            inner: reader,
            count: 0,
        };
        let mut head = Vec::new();
        if let Err(e) = (&mut counted)
            .take(self.limits.sniff_bytes as u64)
            .read_to_end(&mut head)
        {
            return unreadable(path, size, &e);
        }
        let sniffed = sniff::sniff(path, &head, size);
        if sniffed == Sniff::Zip {
            let entry = FileEntry::new(path, size, FileKind::Archive, msg!("reason.zip"));
            let mut entry = match counted.seek(SeekFrom::Start(0)) {
                Ok(_) => self.open_zip(entry, path, &mut counted),
                Err(e) => unreadable_zip(entry, msg!("error.read", detail = e.to_string())),
            };
            entry.bytes_read = counted.count;
            return entry;
        }
        if let Sniff::Raster(format) = sniffed {
            return match self.raster(path, size, head, &mut counted, format) {
                Ok((entry, _head)) => {
                    #[cfg(feature = "pictures")]
                    return self.file_picture(entry, &mut counted);
                    #[cfg(not(feature = "pictures"))]
                    entry
                }
                Err(unreadable) => *unreadable,
            };
        }
        let mut entry = self.sniffed(path, size, head, &mut counted, sniffed);
        if let Some(info) = entry.dicom.as_mut() {
            // Compressed pixel data has no length to compare with the file size: check its end.
            if let (Some(offset), None, false) = (
                info.pixel_data_offset,
                info.pixel_data_length,
                info.truncated,
            ) {
                if let Some(problem) =
                    dicom::check_fragments(&mut counted, offset, size, self.limits.max_fragments)
                {
                    info.truncated = true;
                    entry.add_note(msg!("note.truncated.fragments", problem = problem));
                }
                entry.bytes_read = counted.count;
            }
        }
        entry
    }

    /// Fills the archive entry of the zip at `path` (a file or a member) from what is inside.
    fn open_zip(
        &mut self,
        mut entry: FileEntry,
        path: &str,
        reader: &mut dyn ReadSeek,
    ) -> FileEntry {
        match zip::open(path, reader) {
            Ok(Opened::Archive(mut listing)) => {
                let (members, notes) = self.members(&mut listing, path);
                entry.kind = FileKind::Archive;
                entry.set_reason(msg!("reason.zip-with-files", count = members.len()));
                entry.members = Some(members);
                notes.into_iter().for_each(|n| entry.add_note(n));
            }
            Ok(Opened::Document(what, archive)) => {
                entry.kind = FileKind::Document;
                entry.set_reason(Message::new(what));
                #[cfg(feature = "documents")]
                if what == zip::DOCX {
                    self.docx(&mut entry, archive);
                }
                #[cfg(not(feature = "documents"))]
                drop(archive);
            }
            Ok(Opened::Software(what)) => {
                entry.kind = FileKind::Software;
                entry.set_reason(Message::new(what));
            }
            Err(message) => return unreadable_zip(entry, message),
        }
        entry
    }

    /// Recognises a zip's members, every entry its directory lists up to
    /// [`Limits::max_zip_entries`], in order; notes about the zip as a whole.
    fn members(
        &mut self,
        listing: &mut Listing<'_>,
        zip_path: &str,
    ) -> (Vec<FileEntry>, Vec<Message>) {
        let mut notes = Vec::new();
        let count = listing.len();
        let limit = self.limits.max_zip_entries;
        if count > limit {
            notes.push(msg!("note.zip-entries-limit", count = count, limit = limit));
        }
        let mut members = Vec::new();
        let entries = match listing.files() {
            Ok(entries) => entries,
            Err(e) => return (vec![zip::unlisted(zip_path, 0, &e)], notes),
        };
        let mut names = zip::Names::default();
        for index in 0..count.min(limit) {
            match entries.next() {
                Some(Ok(entry)) => {
                    let reader: &mut dyn ReadSeek = &mut **entries.reader_mut();
                    members.extend(self.member(reader, &entry, &mut names, zip_path));
                }
                Some(Err(e)) => {
                    // The directory cannot be followed past a broken entry.
                    members.push(zip::unlisted(zip_path, index, &e));
                    break;
                }
                None => break,
            }
        }
        (members, notes)
    }

    /// Recognises the member of directory entry `entry` like a loose file, or as a zip of its
    /// own. `None` for folder entries.
    fn member(
        &mut self,
        reader: &mut dyn ReadSeek,
        entry: &::zip::read::ZipFileEntry<'_>,
        names: &mut zip::Names,
        zip_path: &str,
    ) -> Option<FileEntry> {
        let zip::Member {
            path,
            size,
            head,
            notes,
            location,
            mut file,
        } = match zip::member(reader, entry, names, zip_path, self.read, self.limits) {
            Ok(Some(member)) => member,
            Ok(None) => return None,
            Err(entry) => return Some(*entry),
        };
        self.read += head.len() as u64;
        let sniffed = sniff::sniff(&path, &head, size);
        let mut entry = if sniffed == Sniff::Zip {
            drop(file);
            self.nested(reader, &location, &path, size, head.len() as u64)
        } else {
            let left = self.limits.max_zip_total_read.saturating_sub(self.read);
            let mut budget = Budget::new(&mut file, left);
            let entry = self.sniffed(&path, size, head, &mut budget, sniffed);
            self.read += budget.count;
            if budget.spent() {
                return Some(zip::over_budget(path, size, notes, self.limits));
            }
            entry
        };
        notes.into_iter().for_each(|n| entry.add_note(n));
        Some(entry)
    }

    /// Opens a zip inside a zip, one level deeper: in place when it is stored, else inflated into
    /// memory when it fits under the ceiling all levels share ([`Limits::max_nested_zip_bytes`]);
    /// else it is listed unopened, with a note.
    fn nested(
        &mut self,
        reader: &mut dyn ReadSeek,
        location: &zip::Location,
        path: &str,
        size: u64,
        head_len: u64,
    ) -> FileEntry {
        let mut entry = FileEntry::new(path, size, FileKind::Archive, msg!("reason.zip"));
        entry.bytes_read = head_len;
        let limits = self.limits;
        if self.depth + 1 >= limits.max_zip_depth {
            entry.add_note(msg!(
                "note.archive-limit.depth",
                depth = limits.max_zip_depth
            ));
            return entry;
        }
        self.depth += 1;
        let entry = if let Some(stored) = location.in_place(reader) {
            let mut counted = match stored {
                Ok(stored) => Counting {
                    inner: stored,
                    count: 0,
                },
                Err(e) => {
                    self.depth -= 1;
                    return unreadable_zip(entry, msg!("error.zip.nested", detail = e.to_string()));
                }
            };
            let mut entry = self.open_zip(entry, path, &mut counted);
            // The members of an archive count their own reads; what else was read in place (a
            // DOCX's directory and body, a broken directory) counts here.
            if entry.members.is_none() {
                self.read += counted.count;
                entry.bytes_read += counted.count;
            }
            entry
        } else if let Some((bytes, result)) =
            zip::inflate(reader, location, (self.read, self.held), limits)
        {
            self.read += bytes.len() as u64;
            let held = bytes.capacity() as u64;
            self.held += held;
            let entry = match result {
                Ok(()) => self.open_zip(entry, path, &mut Cursor::new(bytes)),
                Err(message) => unreadable_zip(entry, message),
            };
            self.held -= held;
            entry
        } else {
            let mib = limits.max_nested_zip_bytes >> 20;
            entry.add_note(msg!("note.archive-limit.nested-size", mib = mib));
            entry
        };
        self.depth -= 1;
        entry
    }

    /// Recognises a file whose first bytes (`head`) were already read and sniffed; `rest` continues
    /// right after them. Used for loose files and for zip members (which cannot seek).
    fn sniffed(
        &self,
        path: &str,
        size: u64,
        head: Vec<u8>,
        rest: &mut dyn Read,
        sniffed: Sniff,
    ) -> FileEntry {
        let head_len = head.len() as u64;
        let ext = sniff::extension(path);
        let named_dicom = matches!(ext.as_deref(), Some("dcm" | "dicom" | "dic"));
        let mut entry = match sniffed {
            Sniff::Empty => FileEntry::new(path, size, FileKind::Empty, msg!("reason.empty")),
            Sniff::Dicom(start) => return self.dicom(path, size, head, rest, start),
            Sniff::Raster(format) => {
                return match self.raster(path, size, head, rest, format) {
                    Ok((entry, _head)) => {
                        #[cfg(feature = "pictures")]
                        return self.member_picture(entry, _head, rest);
                        #[cfg(not(feature = "pictures"))]
                        entry
                    }
                    Err(unreadable) => *unreadable,
                };
            }
            Sniff::Zip => {
                let mut e = FileEntry::new(path, size, FileKind::Archive, msg!("reason.zip"));
                e.add_note(msg!("note.zip-not-in-place"));
                e
            }
            Sniff::Pdf => {
                let entry = FileEntry::new(path, size, FileKind::Pdf, msg!("reason.pdf"));
                #[cfg(feature = "documents")]
                return self.document(entry, DocumentKind::Pdf, head, rest);
                #[cfg(not(feature = "documents"))]
                entry
            }
            Sniff::OleCompound => match ext.as_deref() {
                Some("msi" | "msp") => {
                    FileEntry::new(path, size, FileKind::Software, msg!("reason.program.msi"))
                }
                _ => FileEntry::new(path, size, FileKind::Document, msg!("reason.document.ole")),
            },
            Sniff::Rtf => FileEntry::new(
                path,
                size,
                FileKind::Document,
                msg!("reason.document.rtf", signature = "{\\rtf"),
            ),
            Sniff::Text => {
                let (entry, plain) = text_entry(path, size, &head, ext.as_deref());
                #[cfg(feature = "documents")]
                if plain {
                    return self.document(entry, DocumentKind::PlainText, head, rest);
                }
                #[cfg(not(feature = "documents"))]
                let _ = plain;
                entry
            }
            Sniff::Software(what) => {
                FileEntry::new(path, size, FileKind::Software, Message::new(what))
            }
            Sniff::OtherArchive(what) => {
                let mut e = FileEntry::new(path, size, FileKind::Archive, Message::new(what));
                e.add_note(msg!("note.archive-not-opened", what = Message::new(what)));
                e
            }
            Sniff::Junk(what) => {
                let mut e = FileEntry::new(path, size, FileKind::Other, Message::new(what));
                e.add_note(msg!("note.junk"));
                e
            }
            Sniff::Unknown(what) => {
                if named_dicom {
                    FileEntry::corrupt(
                        path,
                        size,
                        msg!("reason.dicom-named"),
                        msg!("error.dicom-named"),
                    )
                } else if sniff::in_viewer_folder(path) {
                    FileEntry::new(path, size, FileKind::Software, msg!("reason.viewer-folder"))
                } else {
                    let reason = what.map_or_else(|| msg!("reason.unrecognised"), Message::new);
                    FileEntry::new(path, size, FileKind::Other, reason)
                }
            }
        };
        entry.bytes_read = head_len;
        entry
    }

    /// A raster picture's entry from its first [`Limits::raster_bytes`] (`head` holds the first
    /// bytes already read, `rest` continues after them), and those bytes; or the entry of a file
    /// that could not be read.
    fn raster(
        &self,
        path: &str,
        size: u64,
        mut head: Vec<u8>,
        rest: &mut dyn Read,
        format: &'static str,
    ) -> Result<(FileEntry, Vec<u8>), Box<FileEntry>> {
        let wanted = (self.limits.raster_bytes as u64).saturating_sub(head.len() as u64);
        if let Err(e) = rest.take(wanted).read_to_end(&mut head) {
            return Err(Box::new(unreadable(path, size, &e)));
        }
        let mut entry = raster_entry(path, size, &head, format);
        entry.bytes_read = head.len() as u64;
        Ok((entry, head))
    }

    /// The format of a photo or screenshot whose pixels are to be looked at (`picture`); `None`
    /// for other files, and for a picture over the limits, whose `picture` then says so.
    #[cfg(feature = "pictures")]
    fn picture_format(&self, entry: &mut FileEntry) -> Option<String> {
        if !matches!(entry.kind, FileKind::Photo | FileKind::Screenshot) {
            return None;
        }
        let image = entry.image.as_ref()?;
        let format = image.format.clone();
        let refused = crate::picture::refused(entry.size, image.width, image.height, self.limits);
        if refused.is_some() {
            entry.picture = refused;
            return None;
        }
        Some(format)
    }

    /// A loose photo's or screenshot's `picture` (what it shows, its QR codes), decoded from the
    /// file through a buffer, from its start. Only with the `pictures` feature: the page hands
    /// over browser-decoded pixels instead.
    #[cfg(feature = "pictures")]
    fn file_picture(
        &self,
        mut entry: FileEntry,
        file: &mut Counting<&mut dyn ReadSeek>,
    ) -> FileEntry {
        let Some(format) = self.picture_format(&mut entry) else {
            return entry;
        };
        let before = file.count;
        entry.picture = Some(match file.seek(SeekFrom::Start(0)) {
            Ok(_) => crate::picture::decode::picture(
                std::io::BufReader::new(&mut *file),
                &format,
                self.limits,
            ),
            Err(e) => crate::picture::PictureInfo::unknown(msg!(
                "reason.picture.undecodable",
                error = e.to_string()
            )),
        });
        // The decoders read forward from the start: what they read is how far into the file
        // they got, which may cover the head read before.
        entry.bytes_read = entry.bytes_read.max(file.count - before).min(entry.size);
        entry
    }

    /// A zip member's `picture`: a member cannot seek, so it is read (after its `head`, from
    /// `rest`) into memory, when it is at most [`Limits::max_picture_bytes`], and decoded there.
    #[cfg(feature = "pictures")]
    fn member_picture(
        &self,
        mut entry: FileEntry,
        mut bytes: Vec<u8>,
        rest: &mut dyn Read,
    ) -> FileEntry {
        let Some(format) = self.picture_format(&mut entry) else {
            return entry;
        };
        let wanted = self
            .limits
            .max_picture_bytes
            .saturating_sub(bytes.len() as u64);
        entry.picture = Some(match rest.take(wanted).read_to_end(&mut bytes) {
            Ok(_) => {
                entry.bytes_read = bytes.len() as u64;
                crate::picture::decode::picture(Cursor::new(&bytes), &format, self.limits)
            }
            Err(e) => crate::picture::PictureInfo::unknown(msg!(
                "reason.picture.undecodable",
                error = e.to_string()
            )),
        });
        entry
    }

    /// A document's entry with what its text says (`entry.document`): the rest of the file is
    /// read, when it is at most [`Limits::max_document_bytes`] (a bigger one keeps its entry
    /// without it, and a note says why).
    /// Only with the `documents` feature: the page's first-scan wasm leaves it out.
    #[cfg(feature = "documents")]
    fn document(
        &self,
        mut entry: FileEntry,
        kind: DocumentKind,
        head: Vec<u8>,
        rest: &mut dyn Read,
    ) -> FileEntry {
        entry.bytes_read = head.len() as u64;
        // The size is known: a document over the limit is not read beyond its head.
        if let Some(problem) = self.document_refused(entry.size) {
            entry.add_note(msg!("note.document.not-read", detail = problem));
            return entry;
        }
        let mut bytes = head;
        let wanted = self
            .limits
            .max_document_bytes
            .saturating_sub(bytes.len() as u64);
        // One byte more than allowed: a zip member bigger than it said is refused by
        // `understand` too.
        let read = rest.take(wanted.saturating_add(1)).read_to_end(&mut bytes);
        entry.bytes_read = bytes.len() as u64;
        if let Err(e) = read {
            let problem = msg!("error.read", detail = e.to_string());
            entry.add_note(msg!("note.document.not-read", detail = problem));
            return entry;
        }
        match document::understand(kind, &bytes, self.limits) {
            Ok((info, notes)) => {
                entry.document = Some(info);
                notes.into_iter().for_each(|n| entry.add_note(n));
            }
            Err(problem) => entry.add_note(msg!("note.document.not-read", detail = problem)),
        }
        entry
    }

    /// Why a document of `size` bytes is not read: over [`Limits::max_document_bytes`], or
    /// (inside a zip) more than what is left of [`Limits::max_zip_total_read`].
    #[cfg(feature = "documents")]
    fn document_refused(&self, size: u64) -> Option<Message> {
        let left = self.limits.max_zip_total_read.saturating_sub(self.read);
        document::too_big(size, self.limits).or_else(|| {
            (size > left).then(|| {
                msg!(
                    "error.zip.total-read",
                    mib = self.limits.max_zip_total_read >> 20
                )
            })
        })
    }

    /// A DOCX's `document` read from its zip directory, already open: only the body part
    /// (`word/document.xml`) is read, not the file again. The reads go through the reader the
    /// zip was opened with, so they are counted with the file's (or the member's) bytes.
    #[cfg(feature = "documents")]
    fn docx(&self, entry: &mut FileEntry, mut archive: zip::Archive<'_>) {
        if let Some(problem) = self.document_refused(entry.size) {
            entry.add_note(msg!("note.document.not-read", detail = problem));
            return;
        }
        match document::understand_docx(&mut archive, self.limits) {
            Ok((info, notes)) => {
                entry.document = Some(info);
                notes.into_iter().for_each(|n| entry.add_note(n));
            }
            Err(problem) => entry.add_note(msg!("note.document.not-read", detail = problem)),
        }
    }

    /// The `document` of a DICOM object that carries a report: the encapsulated PDF read like a
    /// PDF file; a Structured Report's text read for its facts, with the patient of the header
    /// (name, sex, birth date, ID) and its institution, which the text itself seldom repeats.
    #[cfg(feature = "documents")]
    fn carried(&self, entry: &mut FileEntry, info: &dicom::DicomInfo, carried: dicom::Carried) {
        let read = match carried {
            dicom::Carried::Pdf(pdf) => document::understand(DocumentKind::Pdf, &pdf, self.limits),
            dicom::Carried::TooBig(length) => Err(document::too_big_message(length, self.limits)),
            dicom::Carried::Text { text, cut } => {
                let mut notes = Vec::new();
                if cut {
                    notes.push(msg!(
                        "note.document.sr-cut",
                        items = self.limits.max_sr_items
                    ));
                }
                let read = document::DocumentText {
                    text,
                    source: document::TextSource::TextLayer,
                    pages: None,
                    notes,
                };
                let (mut info_read, notes) = document::understand_text(read, self.limits);
                header_patient(&mut info_read.facts, info);
                Ok((info_read, notes))
            }
        };
        match read {
            Ok((document, notes)) => {
                entry.document = Some(document);
                notes.into_iter().for_each(|n| entry.add_note(n));
            }
            Err(problem) => entry.add_note(msg!("note.document.not-read", detail = problem)),
        }
    }

    /// The entry of a file that [`sniff`] found to be DICOM, from its header.
    fn dicom(
        &self,
        path: &str,
        size: u64,
        head: Vec<u8>,
        rest: &mut dyn Read,
        start: DicomStart,
    ) -> FileEntry {
        let (result, bytes_read) = dicom::read_header(head, rest, size, start, self.limits);
        let start = match start {
            DicomStart::Part10 { dicm_at: 128 } => msg!("reason.dicom.preamble"),
            DicomStart::Part10 { .. } => msg!("reason.dicom.no-preamble"),
            DicomStart::Legacy(enc) => match (enc.explicit_vr, enc.big_endian) {
                (true, false) => msg!("reason.dicom.legacy-explicit-little"),
                (false, false) => msg!("reason.dicom.legacy-implicit-little"),
                (true, true) => msg!("reason.dicom.legacy-explicit-big"),
                (false, true) => msg!("reason.dicom.legacy-implicit-big"),
            },
        };
        let mut entry = match result {
            Ok(Header::Object(info, carried)) => {
                let class = info.sop_class_name.clone();
                let reason = match (info.preamble_is_tiff_header, class) {
                    (false, None) => start,
                    (true, None) => msg!("reason.dicom.tiff", start = start),
                    (false, Some(class)) => {
                        msg!("reason.dicom.class", start = start, class = class)
                    }
                    (true, Some(class)) => {
                        msg!("reason.dicom.tiff-class", start = start, class = class)
                    }
                };
                let mut e = FileEntry::new(path, size, FileKind::Dicom, reason);
                if info.truncated {
                    e.add_note(match (info.pixel_data_length, info.pixel_data_offset) {
                        (Some(length), Some(offset)) => msg!(
                            "note.truncated.pixels",
                            length = length,
                            offset = offset,
                            available = size.saturating_sub(offset),
                        ),
                        _ => msg!("note.truncated.no-pixels"),
                    });
                }
                if let Some(note) = &info.charset_note_message {
                    e.add_note(msg!("note.charset-repaired", note = note.clone()));
                }
                #[cfg(feature = "documents")]
                if let Some(carried) = carried {
                    self.carried(&mut e, &info, carried);
                }
                #[cfg(not(feature = "documents"))]
                let _ = carried;
                e.dicom = Some(*info);
                e
            }
            Ok(Header::Directory(info, dir)) => {
                let files = dir.referenced_files.len();
                let reason = msg!("reason.dicom.dicomdir", start = start, files = files);
                let mut e = FileEntry::new(path, size, FileKind::Dicomdir, reason);
                e.dicom = Some(*info);
                e.dicomdir = Some(dir);
                e
            }
            Err(problem) => {
                let reason = msg!(
                    "reason.dicom.unreadable",
                    start = start,
                    problem = problem.reason
                );
                FileEntry::corrupt(path, size, reason, problem.message)
            }
        };
        entry.bytes_read = bytes_read;
        entry
    }
}

/// A Structured Report's facts with the patient and institution of its DICOM header: the header
/// names the patient first; people the text names otherwise follow.
#[cfg(feature = "documents")]
fn header_patient(facts: &mut document::facts::DocumentFacts, info: &dicom::DicomInfo) {
    if facts.institution.is_none() {
        facts.institution.clone_from(&info.institution);
    }
    if let Some(raw) = &info.patient_name {
        let letters = |s: &str| -> String {
            s.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect()
        };
        // Each representation (`Wang^XiaoDong=王^小东`) as written; the name is the
        // ideographic one when there is one, as a Chinese document would print it.
        let groups: Vec<String> = raw
            .split('=')
            .map(crate::text::display_name)
            .filter(|g| !g.is_empty())
            .collect();
        let Some(first) = groups.first() else { return };
        let name = groups
            .iter()
            .find(|g| g.chars().any(|c| c > '\u{2E7F}'))
            .unwrap_or(first)
            .clone();
        // The same person named again in the text is not a second person.
        facts
            .patients
            .retain(|p| !groups.iter().any(|g| letters(g) == letters(&p.name)));
        let sex = info
            .sex
            .as_deref()
            .filter(|s| matches!(*s, "M" | "F"))
            .map(str::to_string);
        let birth_date = info.birth_date.as_deref().map(crate::text::display_date);
        facts.patients.insert(
            0,
            document::facts::PersonNamed {
                name,
                sex,
                birth_date,
                age: None,
                id: info.patient_id.clone(),
            },
        );
    }
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
            msg!("reason.raster-unreadable", format = format.to_uppercase()),
            message,
        ),
    }
}

/// The entry of a file sniffed as text, and whether it is plain text (whose words the scan reads
/// as a document): settings, scripts, HTML and XML are not.
fn text_entry(path: &str, size: u64, head: &[u8], ext: Option<&str>) -> (FileEntry, bool) {
    let name = sniff::file_name(path).to_ascii_lowercase();
    let lower_head = String::from_utf8_lossy(&head[..head.len().min(512)]).to_ascii_lowercase();
    let software = |reason| {
        (
            FileEntry::new(path, size, FileKind::Software, reason),
            false,
        )
    };
    if name == "autorun.inf" || lower_head.contains("[autorun]") {
        return software(msg!("reason.program.autorun"));
    }
    if matches!(
        ext,
        Some("inf" | "ini" | "bat" | "cmd" | "vbs" | "ps1" | "sh" | "reg" | "cfg")
    ) {
        return software(msg!("reason.program.settings"));
    }
    if sniff::in_viewer_folder(path) {
        return software(msg!("reason.viewer-folder"));
    }
    let (what, plain) =
        if lower_head.trim_start().starts_with("<!doctype html") || lower_head.contains("<html") {
            (msg!("reason.document.html"), false)
        } else if lower_head.trim_start().starts_with("<?xml") {
            (msg!("reason.document.xml"), false)
        } else {
            (msg!("reason.document.text"), true)
        };
    (FileEntry::new(path, size, FileKind::Document, what), plain)
}

/// The entry of a zip whose contents could not be read.
fn unreadable_zip(mut entry: FileEntry, message: Message) -> FileEntry {
    entry.kind = FileKind::Corrupt;
    entry.set_reason(msg!("reason.zip-unreadable"));
    entry.set_error(message);
    entry
}

fn unreadable(path: &str, size: u64, e: &std::io::Error) -> FileEntry {
    FileEntry::corrupt(
        path,
        size,
        msg!("reason.unreadable"),
        msg!("error.read", detail = e.to_string()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dicom_file(pixels: usize) -> Vec<u8> {
        let mut f = vec![0u8; 128];
        f.extend_from_slice(b"DICM");
        let el = |g: u16, e: u16, vr: &[u8; 2], v: &[u8]| {
            let mut x = Vec::new();
            x.extend_from_slice(&g.to_le_bytes());
            x.extend_from_slice(&e.to_le_bytes());
            x.extend_from_slice(vr);
            x.extend_from_slice(&(v.len() as u16).to_le_bytes());
            x.extend_from_slice(v);
            x
        };
        f.extend(el(0x0002, 0x0010, b"UI", b"1.2.840.10008.1.2.1\0"));
        f.extend(el(0x0008, 0x0016, b"UI", b"1.2.840.10008.5.1.4.1.1.2\0"));
        f.extend(el(0x0010, 0x0010, b"PN", b"Doe^Jane"));
        f.extend_from_slice(&[0xE0, 0x7F, 0x10, 0x00, b'O', b'W', 0, 0]);
        f.extend_from_slice(&(pixels as u32).to_le_bytes());
        f.extend(std::iter::repeat_n(7u8, pixels));
        f
    }

    /// A PDF over the document limit keeps its entry, unread, with a note that says why.
    #[cfg(feature = "documents")]
    #[test]
    fn a_document_over_the_limit_is_not_read() {
        let mut pdf = b"%PDF-1.4\n".to_vec();
        pdf.resize(20_000, b'%');
        let limits = Limits {
            max_document_bytes: 10_000,
            ..Limits::default()
        };
        let entry = crate::scan_bytes("big.pdf", &pdf, &limits);
        assert_eq!(entry.kind, FileKind::Pdf);
        assert!(entry.document.is_none());
        assert!(
            entry.notes.iter().any(|n| n.contains("more than")),
            "{:?}",
            entry.notes
        );
        assert!(
            entry.bytes_read < pdf.len() as u64,
            "not read beyond its head"
        );
    }

    #[test]
    fn windows_give_the_same_answer_as_the_whole_file() {
        let file = dicom_file(100_000);
        let limits = Limits::default();
        let whole = scan_bytes("IM1", &file, &limits);
        let windowed = scan_windows(
            "IM1",
            file.len() as u64,
            &file[..8192],
            &file[file.len() - 16..],
            &limits,
        )
        .expect("a DICOM header fits in the first 8 KiB");
        assert_eq!(windowed.dicom, whole.dicom);
        assert_eq!(windowed.kind, FileKind::Dicom);
        assert_eq!(windowed.bytes_read, 8192 + 16);
    }

    #[test]
    fn windows_that_are_not_enough_say_so() {
        let file = dicom_file(100_000);
        // A head that stops inside the header.
        assert!(scan_windows(
            "IM1",
            file.len() as u64,
            &file[..150],
            &[],
            &Limits::default()
        )
        .is_none());
        // A zip needs its central directory at the end.
        let mut w = ::zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let stored = ::zip::write::SimpleFileOptions::default()
            .compression_method(::zip::CompressionMethod::Stored);
        w.start_file("a.txt", stored).unwrap();
        std::io::Write::write_all(&mut w, &[b'x'; 50_000]).unwrap();
        let zip = w.finish().unwrap().into_inner();
        assert!(scan_windows(
            "a.zip",
            zip.len() as u64,
            &zip[..4096],
            &[],
            &Limits::default()
        )
        .is_none());
        let both = scan_windows(
            "a.zip",
            zip.len() as u64,
            &zip[..4096],
            &zip[4096..],
            &Limits::default(),
        );
        assert_eq!(both.map(|e| e.kind), Some(FileKind::Archive));
    }
}
