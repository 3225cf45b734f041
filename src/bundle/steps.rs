//! The writer's steps, in the order the zip is written: each generated file, then each input
//! (recorded when the plan leaves it out; hashed first when it may duplicate an input already
//! copied; copied piece by piece into its entry, the hashing done here or handed to the
//! offload), with the input side's opening and reading. `Bundler::step` (in the module above)
//! calls one of them per state; the manifest's entries are in `manifest_entries`.

use std::io::{self, Read, Write};

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

use super::manifest::{self, GeneratedRecord, InputRecord, Outcome};
use super::plan::{Action, PlanItem, Source};
use super::source::{FileSource, Reopening};
use super::{Bundler, Error, State, LARGE_FILE};
use crate::dicom::deidentify::Deidentified;
use crate::entry::FileKind;
use crate::raster::scrub::{self, Edit, Scrub};

/// An input being read.
pub(super) struct Stream {
    item: usize,
    reader: Box<dyn Read>,
    /// `None` when its hashing is offloaded.
    hasher: Option<Sha256>,
    read: u64,
    /// A picture written without its location and device metadata.
    scrubbing: Option<Scrubbing>,
    /// Why a picture's metadata could not be checked (it is copied as given).
    unchecked: Option<String>,
}

/// The edits a picture is written with, and what was written.
struct Scrubbing {
    scrub: Scrub,
    written: Sha256,
    written_size: u64,
}

impl Scrubbing {
    /// Writes `bytes` (the input from offset `start`) with the edits that touch them applied.
    /// An edit spanning pieces writes its replacement in the piece where it starts.
    fn write(&mut self, out: &mut dyn Write, bytes: &[u8], start: u64) -> io::Result<()> {
        let end = start + bytes.len() as u64;
        let mut pos = start;
        let touching = |e: &&Edit| e.at < end && e.at + e.len > start;
        for edit in self.scrub.edits.iter().filter(touching) {
            if edit.at > pos {
                let kept = &bytes[(pos - start) as usize..(edit.at - start) as usize];
                emit(out, &mut self.written, &mut self.written_size, kept)?;
                pos = edit.at;
            }
            if edit.at >= start {
                emit(out, &mut self.written, &mut self.written_size, &edit.with)?;
            }
            pos = pos.max((edit.at + edit.len).min(end));
        }
        let rest = &bytes[(pos - start) as usize..];
        emit(out, &mut self.written, &mut self.written_size, rest)
    }
}

/// Writes bytes into the entry, hashed and counted as written.
fn emit(out: &mut dyn Write, hasher: &mut Sha256, size: &mut u64, bytes: &[u8]) -> io::Result<()> {
    hasher.update(bytes);
    *size += bytes.len() as u64;
    out.write_all(bytes)
}

impl Bundler {
    /// Generated file `i` (README.txt, the report…), whole; then the inputs.
    pub(super) fn write_generated(&mut self, i: usize) -> Result<State, Error> {
        let Some(g) = self.plan.generated.get(i) else {
            return Ok(State::Input(0));
        };
        let options = self.entry_options(g.compressible, false);
        let zip = self.zip.as_mut().ok_or(Error::Failed)?;
        zip.start_file(g.name.as_str(), options)?;
        zip.write_all(&g.bytes)?;
        self.generated.push(GeneratedRecord {
            name: g.name.clone(),
            size: g.bytes.len() as u64,
            sha256: manifest::hex(&Sha256::digest(&g.bytes)),
        });
        Ok(State::Generated(i + 1))
    }

    /// Handles item `i`: records it when it is not copied, else opens it.
    pub(super) fn start_input(
        &mut self,
        i: usize,
        source: &mut dyn FileSource,
    ) -> Result<State, Error> {
        let Some(item) = self.plan.items.get(i) else {
            self.progress.current = None;
            if !self.digests_due.is_empty() {
                self.waiting = true; // the manifest needs every digest
                return Ok(State::Input(i));
            }
            return Ok(State::Csv(0));
        };
        self.progress.current = Some(item.path.clone());
        match &item.action {
            Action::LeaveOut { reason } => {
                let r = unread(item, Outcome::LeftOut, reason.clone());
                self.records.push(r);
            }
            Action::Unpack { members } => {
                let reason = format!(
                    "unpacked into the bundle: its {members} files are listed as {}!/…, each with where it went",
                    item.path
                );
                let r = unread(item, Outcome::Unpacked, reason);
                self.records.push(r);
            }
            Action::Copy { .. } => {
                let key = item.duplicate_key.as_ref();
                if key.is_some_and(|k| self.due_keys.contains_key(k)) {
                    // It may duplicate an input whose digest is not known yet.
                    self.waiting = true;
                    return Ok(State::Input(i));
                }
                if self.referencing && self.referable(i) {
                    return self.reference_input(i);
                }
                let maybe_duplicate = key.is_some_and(|k| self.seen.contains_key(k));
                let stream = match self.open_stream(i, source, maybe_duplicate) {
                    Ok(stream) => stream,
                    Err(next) => return Ok(next),
                };
                if maybe_duplicate {
                    return Ok(State::Hashing(stream));
                }
                return self.start_copy(stream, source);
            }
        }
        self.progress.inputs_done += 1;
        Ok(State::Input(i + 1))
    }
    /// The next piece of a possible duplicate, hashed; at its end, [`Bundler::after_hashing`].
    pub(super) fn hash_piece(
        &mut self,
        mut stream: Box<Stream>,
        source: &mut dyn FileSource,
    ) -> Result<State, Error> {
        let (n, error) = self.fill(&mut stream.reader);
        if let Some(h) = stream.hasher.as_mut() {
            h.update(&self.piece[..n]);
        }
        stream.read += n as u64;
        self.progress.bytes_read += n as u64;
        if n > 0 && error.is_none() {
            Ok(State::Hashing(stream))
        } else {
            self.after_hashing(*stream, error.is_some(), source)
        }
    }

    /// A possible duplicate was read: left out when it is one, else copied (read again).
    fn after_hashing(
        &mut self,
        stream: Stream,
        failed: bool,
        source: &mut dyn FileSource,
    ) -> Result<State, Error> {
        let i = stream.item;
        let sha = manifest::hex(&stream.hasher.unwrap_or_default().finalize());
        if let (false, Some(reason)) = (failed, self.duplicate_of(i, &sha)) {
            return Ok(self.left_out(i, stream.read, Some(sha), reason));
        }
        // Not a duplicate (or unreadable): copy it, reading it once more.
        drop(stream.reader);
        match self.open_stream(i, source, false) {
            Ok(stream) => self.start_copy(stream, source),
            Err(next) => Ok(next),
        }
    }

    /// Why input `i`, whose SHA-256 is `sha`, is left out as a duplicate of an input already
    /// copied with the same duplicate key; `None` when it is not one.
    pub(super) fn duplicate_of(&self, i: usize, sha: &str) -> Option<String> {
        let item = &self.plan.items[i];
        let j = *self.seen.get(item.duplicate_key.as_ref()?)?.get(sha)?;
        let first = &self.plan.items[j];
        let at = match &first.action {
            Action::Copy { destination, .. } => format!(", which is at {destination}"),
            _ => String::new(),
        };
        Some(format!(
            "exact duplicate of {} (same size and SHA-256){at}",
            first.path
        ))
    }

    /// Starts copying an opened input: a picture's metadata to remove is found first (unless
    /// the options keep it), then its zip entry is started.
    fn start_copy(
        &mut self,
        mut stream: Box<Stream>,
        source: &mut dyn FileSource,
    ) -> Result<State, Error> {
        let item = &self.plan.items[stream.item];
        let picture = matches!(item.kind, FileKind::Photo | FileKind::Screenshot);
        if picture && !self.options.keep_picture_metadata {
            match self.find_metadata(stream.item, source) {
                Ok(found) if found.edits.is_empty() => {}
                Ok(found) => {
                    stream.scrubbing = Some(Scrubbing {
                        scrub: found,
                        written: Sha256::new(),
                        written_size: 0,
                    })
                }
                Err(why) => stream.unchecked = Some(why),
            }
        }
        self.start_entry(stream.item)?;
        Ok(State::Copying(stream))
    }

    /// The location and device metadata of picture `i` ([`scrub::scrub`]), read through a
    /// second opening of the file (a zip member: of the member, read again to go back).
    fn find_metadata(&mut self, i: usize, source: &mut dyn FileSource) -> Result<Scrub, String> {
        let could_not = |e: io::Error| format!("it could not be read again: {e}");
        match &self.plan.items[i].source {
            Source::File(path) => {
                let mut file = source.open_seekable(path).map_err(could_not)?;
                scrub::scrub(&mut *file)
            }
            Source::Member { zip, name } => {
                let Some(table) = self.inputs.table(zip) else {
                    return Err("the zip it is in could not be opened again".into());
                };
                let open = || table.open(source, zip, name);
                let mut member = Reopening::new(open).map_err(could_not)?;
                scrub::scrub(&mut member)
            }
        }
    }

    /// The next piece of an input into its entry, hashed here or handed to the offload (when it
    /// has room); at its end, or when it cannot be read further, [`Bundler::finish_copy`].
    pub(super) fn copy_piece(&mut self, mut stream: Box<Stream>) -> Result<State, Error> {
        if stream.hasher.is_none() && self.offload.as_ref().is_some_and(|o| !o.has_room()) {
            self.waiting = true;
            return Ok(State::Copying(stream));
        }
        let (n, error) = self.fill(&mut stream.reader);
        if n > 0 {
            match (stream.hasher.as_mut(), self.offload.as_mut()) {
                (Some(h), _) => h.update(&self.piece[..n]),
                (None, Some(o)) => o.piece(stream.item, &self.piece[..n]),
                (None, None) => unreachable!("a stream without a hasher has an offload"),
            }
            let zip = self.zip.as_mut().ok_or(Error::Failed)?;
            match stream.scrubbing.as_mut() {
                Some(s) => s.write(zip, &self.piece[..n], stream.read)?,
                None => zip.write_all(&self.piece[..n])?,
            }
            stream.read += n as u64;
            self.progress.bytes_read += n as u64;
        }
        let item = &self.plan.items[stream.item];
        let over = item.size < LARGE_FILE && stream.read > LARGE_FILE + (8 << 20);
        Ok(if let Some(e) = error {
            let reason = format!(
                "could not read the whole file ({e}); {} of {} bytes are in the bundle",
                stream.read, item.size
            );
            self.finish_copy(*stream, Some(reason))
        } else if over {
            let reason = format!(
                "the file grew past 4 GiB while it was bundled; its first {} bytes are in the bundle",
                stream.read
            );
            self.finish_copy(*stream, Some(reason))
        } else if n == 0 {
            self.finish_copy(*stream, None)
        } else {
            State::Copying(stream)
        })
    }

    /// Records a copied input; the zip entry is closed by the next `start_file` or `finish`.
    fn finish_copy(&mut self, stream: Stream, problem: Option<String>) -> State {
        let i = stream.item;
        let item = &self.plan.items[i];
        let sha = match (stream.hasher, self.offload.as_mut()) {
            (Some(h), _) => Some(manifest::hex(&h.finalize())),
            (None, offload) => {
                if let Some(o) = offload {
                    o.end(i);
                }
                self.digests_due.insert(i, self.records.len());
                if let Some(key) = &item.duplicate_key {
                    *self.due_keys.entry(key.clone()).or_default() += 1;
                }
                None
            }
        };
        let (destination, compressed) = match &item.action {
            Action::Copy {
                destination,
                compressible,
            } => (destination.clone(), *compressible && self.options.deflate),
            _ => unreachable!("only copied items stream"),
        };
        if let (None, Some(key), Some(sha)) = (&problem, &item.duplicate_key, &sha) {
            self.seen
                .entry(key.clone())
                .or_default()
                .entry(sha.clone())
                .or_insert(i);
        }
        let unchecked = stream.unchecked.map(|why| {
            format!(
                "copied as given: whether it holds where it was taken could not be checked ({why})"
            )
        });
        let reason = [problem.clone().or_else(|| item.note.clone()), unchecked]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>();
        let (metadata_removed, written_sha256, written_size) = match stream.scrubbing {
            Some(s) => (
                s.scrub
                    .removed
                    .iter()
                    .map(|r| r.as_str().to_string())
                    .collect(),
                Some(manifest::hex(&s.written.finalize())),
                Some(s.written_size),
            ),
            None => (Vec::new(), None, None),
        };
        self.records.push(InputRecord {
            path: item.path.clone(),
            size: stream.read,
            kind: item.kind.as_str().to_string(),
            sha256: sha,
            outcome: if problem.is_some() {
                Outcome::Incomplete
            } else {
                Outcome::Copied
            },
            destination: Some(destination),
            method: Some(if compressed { "deflated" } else { "stored" }.into()),
            reason: (!reason.is_empty()).then(|| reason.join("; ")),
            metadata_removed,
            written_sha256,
            written_size,
        });
        self.progress.inputs_done += 1;
        State::Input(i + 1)
    }

    /// Starts the zip entry of input `i` (Zip64 when the scan found it 4 GiB or more).
    pub(super) fn start_entry(&mut self, i: usize) -> Result<(), Error> {
        let item = &self.plan.items[i];
        let Action::Copy {
            destination,
            compressible,
        } = &item.action
        else {
            unreachable!("only copied items get an entry")
        };
        let options = self.entry_options(*compressible, item.size >= LARGE_FILE);
        let zip = self.zip.as_mut().ok_or(Error::Failed)?;
        zip.start_file(destination.as_str(), options)?;
        Ok(())
    }

    /// The zip options of an entry: deflated when it is compressible and deflate is asked for.
    pub(super) fn entry_options(&self, compressible: bool, large: bool) -> SimpleFileOptions {
        let deflate = compressible && self.options.deflate;
        let options = SimpleFileOptions::default()
            .compression_method(if deflate {
                CompressionMethod::Deflated
            } else {
                CompressionMethod::Stored
            })
            .large_file(large)
            .unix_permissions(0o644)
            .last_modified_time(self.options.modified.map(|t| t.zip()).unwrap_or_default());
        if deflate {
            options.compression_level(Some(i64::from(self.options.deflate_level.clamp(1, 9))))
        } else {
            options
        }
    }

    /// Opens input `i` for hashing or copying; when it cannot be read, records it as left out
    /// with the reason and returns the state that moves on to the next input.
    /// `hash_here`: hashed by the bundler even when hashing is offloaded (a possible duplicate).
    fn open_stream(
        &mut self,
        i: usize,
        source: &mut dyn FileSource,
        hash_here: bool,
    ) -> Result<Box<Stream>, State> {
        match self.open(i, source) {
            Ok(reader) => Ok(Box::new(Stream {
                reader: self.deidentified(i, reader),
                item: i,
                hasher: (hash_here || self.offload.is_none()).then(Sha256::new),
                read: 0,
                scrubbing: None,
                unchecked: None,
            })),
            Err(e) => {
                let reason = format!("could not read the file: {e}");
                let r = unread(&self.plan.items[i], Outcome::LeftOut, reason);
                self.records.push(r);
                self.progress.inputs_done += 1;
                Err(State::Input(i + 1))
            }
        }
    }

    /// A DICOM file of a de-identified bundle is read through its de-identification (the
    /// hashes and sizes recorded are then those of what is written).
    fn deidentified(&self, i: usize, reader: Box<dyn Read>) -> Box<dyn Read> {
        let item = &self.plan.items[i];
        match (&self.plan.deidentify, &item.person) {
            (Some(options), Some(person)) => Box::new(Deidentified::new(
                reader,
                item.size,
                options.clone(),
                person.clone(),
            )),
            _ => reader,
        }
    }

    /// Opens an input: a file through the source, a zip member by re-opening its zip.
    fn open(&mut self, i: usize, source: &mut dyn FileSource) -> io::Result<Box<dyn Read>> {
        let item = &self.plan.items[i].source;
        self.inputs.open(item, source, &self.plan.limits)
    }

    /// Fills the piece buffer from `reader`: the bytes read, and the error that stopped it.
    fn fill(&mut self, reader: &mut Box<dyn Read>) -> (usize, Option<io::Error>) {
        let mut n = 0;
        while n < self.piece.len() {
            match reader.read(&mut self.piece[n..]) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return (n, Some(e)),
            }
        }
        (n, None)
    }
}

/// The record of an input that was not read.
fn unread(item: &PlanItem, outcome: Outcome, reason: String) -> InputRecord {
    InputRecord {
        path: item.path.clone(),
        size: item.size,
        kind: item.kind.as_str().to_string(),
        sha256: None,
        outcome,
        destination: None,
        method: None,
        reason: Some(reason),
        metadata_removed: Vec::new(),
        written_sha256: None,
        written_size: None,
    }
}
