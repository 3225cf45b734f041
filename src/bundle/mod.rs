//! The bundle: one zip a reviewer can open, with the imaging organised by patient, study and
//! series, the documents by category, the report on top and a manifest that accounts for every
//! input byte. Owns the pull-based streaming writer [`Bundler`], and re-exports the plan
//! ([`plan`]), the input side ([`source`]), the manifest ([`manifest`]), safe names
//! ([`names`]) and the verifier ([`verify`]). Takes `Read`/`Write` only: no wasm-bindgen here.
//!
//! The caller pulls the zip chunk by chunk; each call reads inputs in bounded pieces (1 MiB by
//! default) from a [`FileSource`] and returns what the zip writer produced, so memory stays flat
//! whatever the size and the consumer sets the pace:
//! ```no_run
//! use std::path::PathBuf;
//! use record_precheck::bundle::{Bundler, BundleOptions, FsSource, Plan, PlanOptions};
//! use record_precheck::readiness::Declarations;
//! use record_precheck::{report, Limits};
//!
//! let (files, mut source) = FsSource::scan(&[PathBuf::from("CD")], &Limits::default()).unwrap();
//! let report = report::build(files, Declarations::default());
//! let plan = Plan::build(&report, &PlanOptions::default());
//! let mut bundler = Bundler::new(plan, BundleOptions::default());
//! let mut out = std::fs::File::create("case.zip").unwrap();
//! while let Some(chunk) = bundler.next_chunk(&mut source).unwrap() {
//!     std::io::Write::write_all(&mut out, &chunk).unwrap();
//! }
//! ```
//! The SHA-256 of the inputs is computed here as they stream, or, with
//! [`Bundler::offload_hashing`], by someone else (the page's other workers): each piece copied is
//! handed to a [`HashOffload`] and the digest comes back through [`Bundler::set_digest`] before
//! the manifest is written; the bundler then reads every input once and only copies it.
//!
//! Order in the zip: README.txt, report.html, report.json, timeline.md, questions.md, the
//! inputs in scan order, then manifest.csv and manifest.json (last: they hold every input's
//! SHA-256, known only once it has streamed). Entries are stored unless deflate is asked for,
//! and then deflated only when they are uncompressed DICOM, text or PDF. Entries of 4 GiB and
//! more (sizes known from the scan) are written as Zip64 (`large_file`); archives over 4 GiB or
//! 65,535 entries get Zip64 end records from the zip crate. No DICOMDIR is written: viewers and
//! PACS import the imaging folder as it is.

pub mod manifest;
pub mod names;
pub mod plan;
pub mod source;
mod texts;
pub mod verify;

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::io::{self, Read, Write};
use std::rc::Rc;

use serde::Serialize;
use sha2::{Digest, Sha256};
use zip::write::{SimpleFileOptions, StreamWriter};
use zip::{CompressionMethod, ZipWriter};

pub use manifest::{GeneratedRecord, InputRecord, Manifest, Outcome, Totals};
pub use plan::{Action, GeneratedFile, Plan, PlanItem, PlanOptions, Source};
pub use source::{FileSource, FsSource};
pub use verify::{verify, VerifyReport};

use plan::{MANIFEST_CSV, MANIFEST_JSON};
use source::ZipTable;

/// The deflate level used with `--deflate`, chosen by measurement (BENCHMARKS.md, "Bundle"):
/// on the generated uncompressed CT, zlib-rs level 1 (static Huffman codes only) leaves the zip
/// at 32% of the input, level 2 at 22% (level 6: 21%) while still running at 1.3× level 6's
/// speed; levels above 2 buy almost nothing.
pub const DEFAULT_DEFLATE_LEVEL: u32 = 2;

/// An entry at least this big is started as Zip64 (`large_file`). A little under 4 GiB, so that
/// deflate's few bytes of overhead on incompressible data cannot cross the limit.
pub const LARGE_FILE: u64 = 0xFF00_0000;

/// Hashing done elsewhere (see [`Bundler::offload_hashing`]): the bytes of each copied input,
/// piece by piece and in order, then its end. The digest is given back with
/// [`Bundler::set_digest`]; the bundler waits for it before writing the manifest, and before
/// comparing a possible duplicate with the inputs of its key.
pub trait HashOffload {
    /// Whether another piece may be sent now; `false` makes [`Bundler::next_chunk`] return an
    /// empty piece (with [`Bundler::waiting`] true) until it is `true` again: the bound on the
    /// bytes in flight.
    fn has_room(&self) -> bool;
    /// The next bytes of input `item` (its index in [`Plan::items`]).
    fn piece(&mut self, item: usize, bytes: &[u8]);
    /// Input `item` has no more bytes: its digest is due.
    fn end(&mut self, item: usize);
}

/// How the bundle is written.
#[derive(Debug, Clone, PartialEq)]
pub struct BundleOptions {
    /// Deflate the inputs the plan marks compressible, and the generated text files.
    pub deflate: bool,
    /// 1 (fastest) to 9 (smallest).
    pub deflate_level: u32,
    /// Bytes read from an input at a time.
    pub piece: usize,
    /// Most bytes one [`Bundler::next_chunk`] hands out (it returns less when an input ends).
    pub chunk: usize,
    /// The entries' modification time (UTC); 1980-01-01 (the zip epoch) when absent.
    pub modified: Option<Timestamp>,
}

impl Default for BundleOptions {
    fn default() -> Self {
        BundleOptions {
            deflate: false,
            deflate_level: DEFAULT_DEFLATE_LEVEL,
            piece: 1 << 20,
            chunk: 1 << 20,
            modified: None,
        }
    }
}

/// A calendar time (UTC) for zip entries and the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

impl Timestamp {
    /// From seconds since 1970-01-01 UTC.
    pub fn from_unix(secs: i64) -> Timestamp {
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Timestamp {
            year: year.clamp(0, 9999) as u16,
            month: month as u8,
            day: day as u8,
            hour: (rem / 3600) as u8,
            minute: (rem / 60 % 60) as u8,
            second: (rem % 60) as u8,
        }
    }

    /// `2026-11-27T10:00:00Z`.
    pub fn iso(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    fn zip(&self) -> zip::DateTime {
        zip::DateTime::from_date_and_time(
            self.year,
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
        )
        .unwrap_or_default()
    }
}

/// The bundle could not be written. Problems with single inputs are not errors: they are in
/// the manifest.
#[derive(Debug)]
pub enum Error {
    /// The zip writer refused an entry (a limit of the zip format, or a bug).
    Zip(zip::result::ZipError),
    /// Writing into the zip failed.
    Io(io::Error),
    /// [`Bundler::next_chunk`] was called again after an error.
    Failed,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Zip(e) => write!(f, "could not write the zip: {e}"),
            Error::Io(e) => write!(f, "could not write the zip: {e}"),
            Error::Failed => write!(f, "could not go on: the bundle already failed"),
        }
    }
}

impl std::error::Error for Error {}

impl From<zip::result::ZipError> for Error {
    fn from(e: zip::result::ZipError) -> Self {
        Error::Zip(e)
    }
}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        Error::Io(e)
    }
}

/// How far the bundle is, for a progress bar.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Progress {
    pub inputs_done: usize,
    pub inputs_total: usize,
    /// Input bytes read so far (a possible duplicate is read once more to be compared).
    pub bytes_read: u64,
    /// Input bytes the plan copies.
    pub bytes_to_copy: u64,
    /// Zip bytes handed out so far.
    pub bytes_out: u64,
    /// The input being read.
    pub current: Option<String>,
    pub done: bool,
}

/// The zip writer's output, drained by [`Bundler::next_chunk`].
#[derive(Clone, Default)]
struct Out(Rc<RefCell<Vec<u8>>>);

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// An input being read.
struct Stream {
    item: usize,
    reader: Box<dyn Read>,
    /// `None` when its hashing is offloaded.
    hasher: Option<Sha256>,
    read: u64,
}

enum State {
    Generated(usize),
    Input(usize),
    /// A possible duplicate, read and hashed before deciding.
    Hashing(Box<Stream>),
    Copying(Box<Stream>),
    /// manifest.csv, from this row on.
    Csv(usize),
    /// manifest.json, from this input on (one line each).
    Json(usize),
    /// The central directory and end records.
    Finish,
    Done,
    Failed,
}

/// The pull-based bundle writer. See the module documentation.
pub struct Bundler {
    plan: Plan,
    options: BundleOptions,
    zip: Option<ZipWriter<StreamWriter<Out>>>,
    out: Out,
    state: State,
    records: Vec<InputRecord>,
    generated: Vec<GeneratedRecord>,
    /// Duplicate key → SHA-256 → the first item copied with them.
    seen: HashMap<String, HashMap<String, usize>>,
    /// The directory of the zip whose members are being extracted.
    table: Option<(String, Result<ZipTable, String>)>,
    piece: Vec<u8>,
    /// Output produced beyond one chunk (the central directory), handed out a chunk at a time.
    pending: Vec<u8>,
    pending_pos: usize,
    totals: Totals,
    csv_hasher: Option<Sha256>,
    csv_size: u64,
    progress: Progress,
    manifest: Option<Manifest>,
    offload: Option<Box<dyn HashOffload>>,
    /// Copied inputs whose digest is due from the offload: item → index in `records`.
    digests_due: HashMap<usize, usize>,
    /// How many of them have each duplicate key.
    due_keys: HashMap<String, usize>,
    /// Set by a step that cannot go on before the offload answers.
    waiting: bool,
}

impl Bundler {
    pub fn new(plan: Plan, options: BundleOptions) -> Bundler {
        let out = Out::default();
        let progress = Progress {
            inputs_total: plan.items.len(),
            bytes_to_copy: plan.bytes_to_copy(),
            ..Progress::default()
        };
        Bundler {
            zip: Some(ZipWriter::new_stream(out.clone())),
            out,
            state: State::Generated(0),
            records: Vec::with_capacity(plan.items.len()),
            generated: Vec::new(),
            seen: HashMap::new(),
            table: None,
            piece: vec![0; options.piece.max(4096)],
            pending: Vec::new(),
            pending_pos: 0,
            totals: Totals::default(),
            csv_hasher: None,
            csv_size: 0,
            progress,
            manifest: None,
            offload: None,
            digests_due: HashMap::new(),
            due_keys: HashMap::new(),
            waiting: false,
            plan,
            options,
        }
    }

    /// Hands the hashing of copied inputs to `offload` (call before the first chunk). Possible
    /// duplicates are still hashed here, before deciding.
    pub fn offload_hashing(&mut self, offload: Box<dyn HashOffload>) {
        self.offload = Some(offload);
    }

    /// The SHA-256 (lowercase hex) of input `item`, from the offload. Ignored for an item whose
    /// digest is not due.
    pub fn set_digest(&mut self, item: usize, sha256: String) {
        let Some(row) = self.digests_due.remove(&item) else {
            return;
        };
        let record = &mut self.records[row];
        if let Some(key) = &self.plan.items[item].duplicate_key {
            if let Some(n) = self.due_keys.get_mut(key) {
                *n -= 1;
                if *n == 0 {
                    self.due_keys.remove(key);
                }
            }
        }
        if record.outcome == Outcome::Copied {
            if let Some(key) = &self.plan.items[item].duplicate_key {
                self.seen
                    .entry(key.clone())
                    .or_default()
                    .entry(sha256.clone())
                    .or_insert(item);
            }
        }
        record.sha256 = Some(sha256);
    }

    /// Whether the last [`Bundler::next_chunk`] stopped to wait for the offload (room, or
    /// digests): call it again once the offload has answered.
    pub fn waiting(&self) -> bool {
        self.waiting
    }

    /// The next piece of the zip: `Some(bytes)` (at most [`BundleOptions::chunk`] bytes; it may
    /// be empty while a possible duplicate is being compared), `None` once the zip is complete.
    /// Reads at most a few pieces of input per call.
    pub fn next_chunk(&mut self, source: &mut dyn FileSource) -> Result<Option<Vec<u8>>, Error> {
        if matches!(self.state, State::Failed) {
            return Err(Error::Failed);
        }
        if let Some(bytes) = self.hand_out_pending() {
            return Ok(Some(bytes));
        }
        let read_before = self.progress.bytes_read;
        let read_budget = 4 * self.piece.len() as u64;
        self.waiting = false;
        while !matches!(self.state, State::Done)
            && !self.waiting
            && self.out.0.borrow().len() < self.options.chunk
            && self.progress.bytes_read - read_before < read_budget
        {
            if let Err(e) = self.step(source) {
                self.state = State::Failed;
                return Err(e);
            }
        }
        let bytes = std::mem::replace(
            &mut *self.out.0.borrow_mut(),
            Vec::with_capacity(self.options.chunk + self.piece.len()),
        );
        if bytes.len() > self.options.chunk {
            self.pending = bytes;
            self.pending_pos = 0;
            return Ok(self.hand_out_pending());
        }
        if bytes.is_empty() && matches!(self.state, State::Done) {
            return Ok(None);
        }
        self.progress.bytes_out += bytes.len() as u64;
        Ok(Some(bytes))
    }

    /// The next chunk of output held back, if any.
    fn hand_out_pending(&mut self) -> Option<Vec<u8>> {
        if self.pending_pos >= self.pending.len() {
            if !self.pending.is_empty() {
                self.pending = Vec::new();
                self.pending_pos = 0;
            }
            return None;
        }
        let end = (self.pending_pos + self.options.chunk.max(1)).min(self.pending.len());
        let bytes = self.pending[self.pending_pos..end].to_vec();
        self.pending_pos = end;
        self.progress.bytes_out += bytes.len() as u64;
        Some(bytes)
    }

    /// Pulls the whole zip into `out`.
    pub fn write_all_to(
        &mut self,
        source: &mut dyn FileSource,
        out: &mut dyn Write,
    ) -> Result<(), Error> {
        while let Some(chunk) = self.next_chunk(source)? {
            out.write_all(&chunk)?;
        }
        Ok(())
    }

    /// The zip as a reader (`std::io::copy` it anywhere).
    pub fn into_reader(self, source: &mut dyn FileSource) -> BundleReader<'_> {
        BundleReader {
            bundler: self,
            source,
            pending: Vec::new(),
            pos: 0,
        }
    }

    /// The plan being written.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// The manifest, once the zip is complete.
    pub fn manifest(&self) -> Option<&Manifest> {
        self.manifest.as_ref()
    }

    fn step(&mut self, source: &mut dyn FileSource) -> Result<(), Error> {
        match std::mem::replace(&mut self.state, State::Failed) {
            State::Generated(i) => {
                self.state = match self.plan.generated.get(i) {
                    Some(g) => {
                        let options = self.entry_options(g.compressible, false);
                        let zip = self.zip.as_mut().ok_or(Error::Failed)?;
                        zip.start_file(g.name.as_str(), options)?;
                        zip.write_all(&g.bytes)?;
                        self.generated.push(GeneratedRecord {
                            name: g.name.clone(),
                            size: g.bytes.len() as u64,
                            sha256: manifest::hex(&Sha256::digest(&g.bytes)),
                        });
                        State::Generated(i + 1)
                    }
                    None => State::Input(0),
                }
            }
            State::Input(i) => self.state = self.start_input(i, source)?,
            State::Hashing(mut stream) => {
                let (n, error) = self.fill(&mut stream.reader);
                if let Some(h) = stream.hasher.as_mut() {
                    h.update(&self.piece[..n]);
                }
                stream.read += n as u64;
                self.progress.bytes_read += n as u64;
                self.state = if n > 0 && error.is_none() {
                    State::Hashing(stream)
                } else {
                    self.after_hashing(*stream, error.is_some(), source)?
                };
            }
            State::Copying(mut stream) => {
                if stream.hasher.is_none() && self.offload.as_ref().is_some_and(|o| !o.has_room()) {
                    self.waiting = true;
                    self.state = State::Copying(stream);
                    return Ok(());
                }
                let (n, error) = self.fill(&mut stream.reader);
                if n > 0 {
                    match (stream.hasher.as_mut(), self.offload.as_mut()) {
                        (Some(h), _) => h.update(&self.piece[..n]),
                        (None, Some(o)) => o.piece(stream.item, &self.piece[..n]),
                        (None, None) => unreachable!("a stream without a hasher has an offload"),
                    }
                    let zip = self.zip.as_mut().ok_or(Error::Failed)?;
                    zip.write_all(&self.piece[..n])?;
                    stream.read += n as u64;
                    self.progress.bytes_read += n as u64;
                }
                let item = &self.plan.items[stream.item];
                let over = item.size < LARGE_FILE && stream.read > LARGE_FILE + (8 << 20);
                self.state = if let Some(e) = error {
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
                };
            }
            State::Csv(row) => self.state = self.write_csv(row)?,
            State::Json(row) => self.state = self.write_json(row)?,
            State::Finish => {
                let zip = self.zip.take().ok_or(Error::Failed)?;
                zip.finish()?;
                self.manifest = Some(Manifest {
                    manifest_version: manifest::MANIFEST_VERSION,
                    generated_by: generated_by(),
                    created: self.plan.created.clone(),
                    totals: std::mem::take(&mut self.totals),
                    inputs: std::mem::take(&mut self.records),
                    generated: std::mem::take(&mut self.generated),
                });
                self.progress.done = true;
                self.state = State::Done;
            }
            State::Done => self.state = State::Done,
            State::Failed => return Err(Error::Failed),
        }
        Ok(())
    }

    /// Handles item `i`: records it when it is not copied, else opens it.
    fn start_input(&mut self, i: usize, source: &mut dyn FileSource) -> Result<State, Error> {
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
                let maybe_duplicate = key.is_some_and(|k| self.seen.contains_key(k));
                let stream = match self.open_stream(i, source, maybe_duplicate) {
                    Ok(stream) => stream,
                    Err(next) => return Ok(next),
                };
                if maybe_duplicate {
                    return Ok(State::Hashing(stream));
                }
                self.start_entry(i)?;
                return Ok(State::Copying(stream));
            }
        }
        self.progress.inputs_done += 1;
        Ok(State::Input(i + 1))
    }

    /// A possible duplicate was read: left out when it is one, else copied (read again).
    fn after_hashing(
        &mut self,
        stream: Stream,
        failed: bool,
        source: &mut dyn FileSource,
    ) -> Result<State, Error> {
        let i = stream.item;
        let item = &self.plan.items[i];
        let sha = manifest::hex(&stream.hasher.unwrap_or_default().finalize());
        let original = item
            .duplicate_key
            .as_ref()
            .and_then(|k| self.seen.get(k))
            .and_then(|copies| copies.get(&sha))
            .copied();
        if let (false, Some(j)) = (failed, original) {
            let first = &self.plan.items[j];
            let at = match &first.action {
                Action::Copy { destination, .. } => format!(", which is at {destination}"),
                _ => String::new(),
            };
            self.records.push(InputRecord {
                path: item.path.clone(),
                size: stream.read,
                kind: item.kind.as_str().to_string(),
                sha256: Some(sha),
                outcome: Outcome::LeftOut,
                destination: None,
                method: None,
                reason: Some(format!(
                    "exact duplicate of {} (same size and SHA-256){at}",
                    first.path
                )),
            });
            self.progress.inputs_done += 1;
            return Ok(State::Input(i + 1));
        }
        // Not a duplicate (or unreadable): copy it, reading it once more.
        drop(stream.reader);
        match self.open_stream(i, source, false) {
            Ok(stream) => {
                self.start_entry(i)?;
                Ok(State::Copying(stream))
            }
            Err(next) => Ok(next),
        }
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
            reason: problem.or_else(|| item.note.clone()),
        });
        self.progress.inputs_done += 1;
        State::Input(i + 1)
    }

    fn start_entry(&mut self, i: usize) -> Result<(), Error> {
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

    fn entry_options(&self, compressible: bool, large: bool) -> SimpleFileOptions {
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

    /// Opens an input: a file through the source, a zip member by re-opening its zip.
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
                item: i,
                reader,
                hasher: (hash_here || self.offload.is_none()).then(Sha256::new),
                read: 0,
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

    fn open(&mut self, i: usize, source: &mut dyn FileSource) -> io::Result<Box<dyn Read>> {
        match &self.plan.items[i].source {
            Source::File(path) => source.open(path),
            Source::Member {
                zip,
                name,
                occurrence,
            } => {
                if self.table.as_ref().map(|(z, _)| z) != Some(zip) {
                    let table =
                        ZipTable::read(source, zip, &self.plan.limits).map_err(|e| e.to_string());
                    self.table = Some((zip.clone(), table));
                }
                match &self.table {
                    Some((_, Ok(table))) => table.open(source, zip, name, *occurrence),
                    Some((_, Err(e))) => Err(io::Error::other(format!(
                        "could not open the zip it is in: {e}"
                    ))),
                    None => unreachable!("the table was just read"),
                }
            }
        }
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

    /// manifest.csv, a piece at a time: rows from `row` on. The first call counts the totals
    /// and starts the entry.
    fn write_csv(&mut self, row: usize) -> Result<State, Error> {
        if row == 0 {
            let t = &mut self.totals;
            t.inputs = self.records.len();
            for r in &self.records {
                match r.outcome {
                    Outcome::Copied => t.copied += 1,
                    Outcome::Incomplete => t.incomplete += 1,
                    Outcome::Unpacked => t.unpacked += 1,
                    Outcome::LeftOut => t.left_out += 1,
                }
                if matches!(r.outcome, Outcome::Copied | Outcome::Incomplete) {
                    t.bytes_copied += r.size;
                }
            }
            let options = self.entry_options(true, false);
            self.zip
                .as_mut()
                .ok_or(Error::Failed)?
                .start_file(MANIFEST_CSV, options)?;
            self.csv_hasher = Some(Sha256::new());
            self.csv_size = 0;
        }
        let mut text = if row == 0 {
            manifest::CSV_HEADER.to_string()
        } else {
            String::new()
        };
        let mut next = row;
        while next < self.records.len() && text.len() < self.piece.len() {
            manifest::csv_row(&self.records[next], &mut text);
            next += 1;
        }
        self.write_manifest_bytes(text.as_bytes(), true)?;
        if next < self.records.len() {
            return Ok(State::Csv(next));
        }
        let sha = self.csv_hasher.take().map(|h| manifest::hex(&h.finalize()));
        self.generated.push(GeneratedRecord {
            name: MANIFEST_CSV.into(),
            size: self.csv_size,
            sha256: sha.unwrap_or_default(),
        });
        Ok(State::Json(0))
    }

    /// manifest.json, a piece at a time: the head (totals, generated files with manifest.csv's
    /// SHA-256), then one line per input from `row` on, then the end.
    fn write_json(&mut self, row: usize) -> Result<State, Error> {
        let mut text = String::new();
        if row == 0 {
            let options = self.entry_options(true, false);
            self.zip
                .as_mut()
                .ok_or(Error::Failed)?
                .start_file(MANIFEST_JSON, options)?;
            let generated: Vec<String> = self.generated.iter().map(json).collect();
            text.push_str(&format!(
                "{{\n  \"manifest_version\": {},\n  \"generated_by\": {},\n  \"created\": {},\n  \"totals\": {},\n  \"generated\": [\n    {}\n  ],\n  \"inputs\": [\n",
                manifest::MANIFEST_VERSION,
                json(&generated_by()),
                json(&self.plan.created),
                json(&self.totals),
                generated.join(",\n    "),
            ));
        }
        let mut next = row;
        while next < self.records.len() && text.len() < self.piece.len() {
            text.push_str("    ");
            text.push_str(&json(&self.records[next]));
            next += 1;
            text.push_str(if next < self.records.len() {
                ",\n"
            } else {
                "\n"
            });
        }
        if next == self.records.len() {
            text.push_str("  ]\n}\n");
        }
        self.write_manifest_bytes(text.as_bytes(), false)?;
        Ok(if next < self.records.len() {
            State::Json(next)
        } else {
            State::Finish
        })
    }

    fn write_manifest_bytes(&mut self, bytes: &[u8], csv: bool) -> Result<(), Error> {
        if csv {
            if let Some(h) = self.csv_hasher.as_mut() {
                h.update(bytes);
            }
            self.csv_size += bytes.len() as u64;
        }
        self.zip.as_mut().ok_or(Error::Failed)?.write_all(bytes)?;
        Ok(())
    }
}

fn generated_by() -> String {
    format!("record-precheck {}", env!("CARGO_PKG_VERSION"))
}

/// One value of the manifest as compact JSON.
fn json<T: Serialize + ?Sized>(value: &T) -> String {
    // Plain data with string keys: serialising cannot fail.
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
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
    }
}

/// The bundle as a [`Read`]er, for `std::io::copy`.
pub struct BundleReader<'a> {
    bundler: Bundler,
    source: &'a mut dyn FileSource,
    pending: Vec<u8>,
    pos: usize,
}

impl BundleReader<'_> {
    /// The bundler back, for its manifest and progress.
    pub fn into_bundler(self) -> Bundler {
        self.bundler
    }
}

impl Read for BundleReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.pending.len() {
            match self.bundler.next_chunk(self.source) {
                Ok(Some(chunk)) => {
                    self.pending = chunk;
                    self.pos = 0;
                }
                Ok(None) => return Ok(0),
                Err(e) => return Err(io::Error::other(e)),
            }
        }
        let n = buf.len().min(self.pending.len() - self.pos);
        buf[..n].copy_from_slice(&self.pending[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_time_to_calendar() {
        assert_eq!(Timestamp::from_unix(0).iso(), "1970-01-01T00:00:00Z");
        assert_eq!(
            Timestamp::from_unix(1_795_000_000).iso(),
            "2026-11-18T11:06:40Z"
        );
        assert_eq!(
            Timestamp::from_unix(951_782_400).iso(),
            "2000-02-29T00:00:00Z"
        );
    }
}
