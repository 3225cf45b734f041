//! Inputs the bundler references instead of copying ([`Bundler::reference_inputs`]): which
//! inputs can be (stored as given: not deflated, not a picture to scrub, not de-identified, a
//! file rather than a zip member), the step that writes such an input's entry from the size,
//! CRC-32 and SHA-256 the caller read ([`InputDigest`]), and the copy [`Bundler::next_chunk`]
//! makes of a referenced input for a caller that wants bytes.
//!
//! The zip crate writes the entry's local header, is told the data's length through stand-in
//! bytes that the output drops (a [`Piece::Input`] is queued in their place) and its CRC-32
//! through `set_file_metadata`, then writes the data descriptor and the directory as for any
//! other entry: the zip is byte for byte the one the bundler writes when it copies.

use std::io::{self, Read, Write};

use super::manifest::{InputRecord, Outcome};
use super::plan::{Action, Source};
use super::source::FileSource;
use super::{Bundler, Error, State, LARGE_FILE};
use crate::entry::FileKind;

/// What the caller read of a referenced input, for [`Bundler::set_input_digest`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputDigest {
    /// The whole file was read: its size, CRC-32 and SHA-256 (lowercase hex).
    Read {
        size: u64,
        crc32: u32,
        sha256: String,
    },
    /// It could not be read (why, in the caller's words): the input is left out.
    Unreadable(String),
}

/// An input the bundler will reference, for the caller to read ([`Bundler::referenced`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referenced<'a> {
    /// Its index in [`super::Plan::items`].
    pub item: usize,
    pub path: &'a str,
    /// Its size at the scan.
    pub size: u64,
}

/// A referenced input being copied by [`Bundler::next_chunk`].
pub(super) struct Resolving {
    reader: Box<dyn Read>,
    path: String,
    left: u64,
    /// The CRC-32 written in the zip, and that of the bytes copied.
    crc32: u32,
    hasher: crc32fast::Hasher,
}

impl Bundler {
    /// Hands out the inputs stored as given as [`Piece::Input`](super::Piece::Input) instead of
    /// copying them (call before the first piece). Their digests must be given with
    /// [`Bundler::set_input_digest`]: the bundler waits for each before writing its entry.
    pub fn reference_inputs(&mut self) {
        self.referencing = true;
    }

    /// The inputs that will be referenced, in the order of the zip (none before
    /// [`Bundler::reference_inputs`]).
    pub fn referenced(&self) -> Vec<Referenced<'_>> {
        (0..self.plan.items.len())
            .filter(|&i| self.referencing && self.referable(i))
            .filter_map(|i| match &self.plan.items[i].source {
                Source::File(path) => Some(Referenced {
                    item: i,
                    path,
                    size: self.plan.items[i].size,
                }),
                Source::Member { .. } => None,
            })
            .collect()
    }

    /// What the caller read of referenced input `item`. Ignored for other items.
    pub fn set_input_digest(&mut self, item: usize, digest: InputDigest) {
        if self.referencing && item < self.plan.items.len() && self.referable(item) {
            self.input_digests.insert(item, digest);
        }
    }

    /// Whether item `i` is written as the file it is: copied, a file (not a zip member), stored,
    /// not a picture to scrub, not de-identified.
    pub(super) fn referable(&self, i: usize) -> bool {
        let item = &self.plan.items[i];
        let Action::Copy { compressible, .. } = &item.action else {
            return false;
        };
        let deflated = *compressible && self.options.deflate;
        let scrubbed = matches!(item.kind, FileKind::Photo | FileKind::Screenshot)
            && !self.options.keep_picture_metadata;
        let deidentified = self.plan.deidentify.is_some() && item.person.is_some();
        matches!(item.source, Source::File(_)) && !deflated && !scrubbed && !deidentified
    }

    /// Writes the entry of referenced input `i` once its digest is known (else waits): left out
    /// when it could not be read or duplicates an input already in the bundle.
    pub(super) fn reference_input(&mut self, i: usize) -> Result<State, Error> {
        let Some(digest) = self.input_digests.remove(&i) else {
            self.waiting = true;
            return Ok(State::Input(i));
        };
        let item = &self.plan.items[i];
        let (size, crc32, sha256) = match digest {
            InputDigest::Read {
                size,
                crc32,
                sha256,
            } => (size, crc32, sha256),
            InputDigest::Unreadable(why) => {
                let reason = format!("could not read the file: {why}");
                return Ok(self.left_out(i, item.size, None, reason));
            }
        };
        if item.size < LARGE_FILE && size >= LARGE_FILE {
            let reason = "the file grew past 4 GiB after it was checked; it is not in the bundle";
            return Ok(self.left_out(i, size, Some(sha256), reason.into()));
        }
        if let Some(reason) = self.duplicate_of(i, &sha256) {
            return Ok(self.left_out(i, size, Some(sha256), reason));
        }
        let Source::File(path) = &item.source else {
            unreachable!("only files are referenced")
        };
        let path = path.clone();
        self.start_entry(i)?;
        self.out.0.borrow_mut().reference(i, path, size);
        self.referenced_crcs.insert(i, crc32);
        let zip = self.zip.as_mut().ok_or(Error::Failed)?;
        // SAFETY (the zip crate's contract for both calls): the bytes written through the
        // inner writer are the entry's data as far as the archive goes (the output drops them
        // and hands out the reference in their place: exactly `size` bytes, which the caller
        // copies from the file whose size and CRC-32 these are), and `set_file_metadata` is
        // given that same length and CRC-32 while the entry is open.
        unsafe {
            let inner = zip.get_mut().ok_or(Error::Failed)?;
            let mut left = size;
            while left > 0 {
                let n = left.min(self.piece.len() as u64) as usize;
                inner.write_all(&self.piece[..n])?;
                left -= n as u64;
            }
            zip.set_file_metadata(size, crc32)?;
        }
        let item = &self.plan.items[i];
        if let Some(key) = &item.duplicate_key {
            self.seen
                .entry(key.clone())
                .or_default()
                .entry(sha256.clone())
                .or_insert(i);
        }
        let Action::Copy { destination, .. } = &item.action else {
            unreachable!("only copied items are referenced")
        };
        self.records.push(InputRecord {
            path: item.path.clone(),
            size,
            kind: item.kind.as_str().to_string(),
            sha256: Some(sha256),
            outcome: Outcome::Copied,
            destination: Some(destination.clone()),
            method: Some("stored".into()),
            reason: item.note.clone(),
            metadata_removed: Vec::new(),
            written_sha256: None,
            written_size: None,
        });
        self.progress.bytes_read += size;
        self.progress.inputs_done += 1;
        Ok(State::Input(i + 1))
    }

    /// Records input `i` as left out for `reason`, and moves on.
    pub(super) fn left_out(
        &mut self,
        i: usize,
        size: u64,
        sha256: Option<String>,
        reason: String,
    ) -> State {
        let item = &self.plan.items[i];
        self.records.push(InputRecord {
            path: item.path.clone(),
            size,
            kind: item.kind.as_str().to_string(),
            sha256,
            outcome: Outcome::LeftOut,
            destination: None,
            method: None,
            reason: Some(reason),
            metadata_removed: Vec::new(),
            written_sha256: None,
            written_size: None,
        });
        self.progress.inputs_done += 1;
        State::Input(i + 1)
    }

    /// Starts copying a referenced input for [`Bundler::next_chunk`].
    pub(super) fn start_resolving(
        &mut self,
        item: usize,
        path: &str,
        len: u64,
        source: &mut dyn FileSource,
    ) -> Result<(), Error> {
        let reader = source
            .open(path)
            .map_err(|e| changed(path, &e.to_string()))?;
        self.resolving = Some(Resolving {
            reader,
            path: path.to_string(),
            left: len,
            crc32: self.referenced_crcs.remove(&item).unwrap_or_default(),
            hasher: crc32fast::Hasher::new(),
        });
        Ok(())
    }

    /// The next chunk of the referenced input being copied, if any. The file must still be
    /// what was read before: its length and CRC-32 are in the zip already.
    pub(super) fn resolve_reference(&mut self) -> Result<Option<Vec<u8>>, Error> {
        let Some(r) = self.resolving.as_mut() else {
            return Ok(None);
        };
        let n = r.left.min(self.options.chunk.max(1) as u64) as usize;
        let mut bytes = vec![0; n];
        if let Err(e) = r.reader.read_exact(&mut bytes) {
            let e = changed(&r.path, &e.to_string());
            self.resolving = None;
            self.state = State::Failed;
            return Err(e);
        }
        r.left -= n as u64;
        r.hasher.update(&bytes);
        if r.left == 0 {
            let r = self.resolving.take().expect("being copied");
            if r.hasher.finalize() != r.crc32 {
                self.state = State::Failed;
                return Err(changed(&r.path, "its CRC-32 differs"));
            }
        }
        Ok(Some(bytes))
    }
}

/// A referenced file that can no longer be copied as it was read: the zip cannot be finished.
fn changed(path: &str, why: &str) -> Error {
    Error::Io(io::Error::other(format!(
        "{path} changed or went away after it was checked ({why}); bundle again"
    )))
}
