//! The bundle: one zip a reviewer can open, with the imaging organised by patient, study and
//! series, the documents by category, the report on top and a manifest that accounts for every
//! input byte. Owns the pull-based streaming writer [`Bundler`] (its outline here, its steps in
//! `steps` and `manifest_entries`, the entries' [`Timestamp`] in `timestamp`), and re-exports
//! the plan ([`plan`]), the input side ([`source`]), the manifest ([`manifest`]), safe names
//! ([`names`]) and the verifier ([`verify`](mod@verify)). Takes `Read`/`Write` only: no
//! wasm-bindgen here.
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
//! With [`Bundler::reference_inputs`] (the page's way) the bytes of an input stored as given
//! (not deflated, not a picture to scrub, not de-identified: a CD's DICOM files) do not pass
//! through the bundler at all: [`Bundler::next_piece`] hands out [`Piece::Input`], "the whole
//! of this input here", and the caller copies the file itself (the browser assembles a `Blob`
//! of the patient's own `File`s). Its size, CRC-32 and SHA-256 (for the data descriptor and
//! the manifest) are read by the caller beforehand and given with [`Bundler::set_input_digest`];
//! the zip's bytes are the same as when the bundler copies ([`Bundler::next_chunk`] resolves
//! the references by copying, as a native caller would). See `references`.
//!
//! Order in the zip: README.txt, report.html, report.json, timeline.md, questions.md, the
//! inputs in scan order, then manifest.csv and manifest.json (last: they hold every input's
//! SHA-256, known only once it has streamed). Entries are stored unless deflate is asked for,
//! and then deflated only when they are uncompressed DICOM, text or PDF. Entries of 4 GiB and
//! more (sizes known from the scan) are written as Zip64 (`large_file`); archives over 4 GiB or
//! 65,535 entries get Zip64 end records from the zip crate. No DICOMDIR is written: viewers and
//! PACS import the imaging folder as it is.

pub mod manifest;
mod manifest_entries;
pub mod names;
pub mod plan;
pub mod pseudonyms;
mod readme;
mod references;
pub mod source;
mod steps;
mod timestamp;
pub mod verify;

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::io::{self, Read, Write};
use std::rc::Rc;

use serde::Serialize;
use sha2::Sha256;
use zip::write::StreamWriter;
use zip::ZipWriter;

pub use manifest::{Consent, GeneratedRecord, InputRecord, Manifest, Outcome, Totals};
pub use plan::{Action, GeneratedFile, Plan, PlanItem, PlanOptions, Source};
pub use references::{InputDigest, Referenced};
pub use source::{FileSource, FsSource, Inputs};
pub use timestamp::Timestamp;
pub use verify::{verify, VerifyReport};

use steps::Stream;

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
    /// Write photos and screenshots as they were given. By default their location and device
    /// metadata (EXIF GPS, maker notes, serial numbers, XMP) is removed
    /// ([`crate::raster::scrub`]) and the manifest says what was.
    pub keep_picture_metadata: bool,
}

impl Default for BundleOptions {
    fn default() -> Self {
        BundleOptions {
            deflate: false,
            deflate_level: DEFAULT_DEFLATE_LEVEL,
            piece: 1 << 20,
            chunk: 1 << 20,
            modified: None,
            keep_picture_metadata: false,
        }
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

/// A piece of the zip, in order, from [`Bundler::next_piece`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Bytes of the zip: headers, descriptors, the directory, generated files and the data of
    /// the inputs the bundler read itself.
    Bytes(Vec<u8>),
    /// The whole of input `item` (its index in [`Plan::items`]), `len` bytes of the file the
    /// report shows as `path`: the caller copies them from the file (only with
    /// [`Bundler::reference_inputs`]).
    Input { item: usize, path: String, len: u64 },
}

impl Piece {
    /// How many bytes of the zip it stands for.
    pub fn len(&self) -> u64 {
        match self {
            Piece::Bytes(bytes) => bytes.len() as u64,
            Piece::Input { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The zip writer's output, drained by [`Bundler::next_piece`].
#[derive(Clone, Default)]
struct Out(Rc<RefCell<OutQueue>>);

#[derive(Default)]
struct OutQueue {
    pieces: VecDeque<Piece>,
    /// Bytes in `pieces` (references not counted).
    buffered: usize,
    /// Bytes still to be skipped: the zip writer is given a referenced input's length in
    /// stand-in bytes (so that it counts them), which are dropped here.
    skip: u64,
    /// The room a new piece of bytes starts with.
    capacity: usize,
}

impl OutQueue {
    /// Queues a reference to input `item`; the next `len` bytes written are dropped.
    fn reference(&mut self, item: usize, path: String, len: u64) {
        self.pieces.push_back(Piece::Input { item, path, len });
        self.skip = len;
    }

    fn has_reference(&self) -> bool {
        self.pieces.iter().any(|p| matches!(p, Piece::Input { .. }))
    }
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut out = self.0.borrow_mut();
        if out.skip > 0 {
            let n = (buf.len() as u64).min(out.skip);
            out.skip -= n;
            return Ok(n as usize);
        }
        out.buffered += buf.len();
        match out.pieces.back_mut() {
            Some(Piece::Bytes(bytes)) => bytes.extend_from_slice(buf),
            _ => {
                let mut bytes = Vec::with_capacity(out.capacity.max(buf.len()));
                bytes.extend_from_slice(buf);
                out.pieces.push_back(Piece::Bytes(bytes));
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
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
    /// Opens the inputs (keeps the directory of the zip whose members are being extracted).
    inputs: Inputs,
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
    /// Inputs stored as given are handed out as [`Piece::Input`].
    referencing: bool,
    /// What the caller read of the referenced inputs, by item, until their entry is written.
    input_digests: HashMap<usize, InputDigest>,
    /// A referenced input being copied by [`Bundler::next_chunk`].
    resolving: Option<references::Resolving>,
    /// The CRC-32 written for each referenced input not yet copied by [`Bundler::next_chunk`].
    referenced_crcs: HashMap<usize, u32>,
}

impl Bundler {
    pub fn new(plan: Plan, options: BundleOptions) -> Bundler {
        let out = Out::default();
        out.0.borrow_mut().capacity = options.chunk + options.piece;
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
            inputs: Inputs::default(),
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
            referencing: false,
            input_digests: HashMap::new(),
            resolving: None,
            referenced_crcs: HashMap::new(),
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
    /// Reads at most a few pieces of input per call. A referenced input
    /// ([`Bundler::reference_inputs`]) is copied here from the source, a chunk at a time.
    pub fn next_chunk(&mut self, source: &mut dyn FileSource) -> Result<Option<Vec<u8>>, Error> {
        if let Some(bytes) = self.resolve_reference()? {
            return Ok(Some(bytes));
        }
        match self.next_piece(source)? {
            None => Ok(None),
            Some(Piece::Bytes(bytes)) => Ok(Some(bytes)),
            Some(Piece::Input { item, path, len }) => {
                if let Err(e) = self.start_resolving(item, &path, len, source) {
                    self.state = State::Failed;
                    return Err(e);
                }
                Ok(Some(self.resolve_reference()?.unwrap_or_default()))
            }
        }
    }

    /// The next piece of the zip, `None` once it is complete: bytes (at most
    /// [`BundleOptions::chunk`]; empty while the bundler waits, see [`Bundler::waiting`]), or,
    /// with [`Bundler::reference_inputs`], a whole input for the caller to copy.
    pub fn next_piece(&mut self, source: &mut dyn FileSource) -> Result<Option<Piece>, Error> {
        if matches!(self.state, State::Failed) {
            return Err(Error::Failed);
        }
        if let Some(bytes) = self.hand_out_pending() {
            return Ok(Some(Piece::Bytes(bytes)));
        }
        let read_before = self.progress.bytes_read;
        let read_budget = 4 * self.piece.len() as u64;
        self.waiting = false;
        while !matches!(self.state, State::Done)
            && !self.waiting
            && self.out.0.borrow().buffered < self.options.chunk
            && !self.out.0.borrow().has_reference()
            && self.progress.bytes_read - read_before < read_budget
        {
            if let Err(e) = self.step(source) {
                self.state = State::Failed;
                return Err(e);
            }
        }
        let piece = {
            let mut out = self.out.0.borrow_mut();
            let piece = out.pieces.pop_front();
            if let Some(Piece::Bytes(bytes)) = &piece {
                out.buffered -= bytes.len();
            }
            piece
        };
        match piece {
            Some(Piece::Bytes(bytes)) if bytes.len() > self.options.chunk => {
                self.pending = bytes;
                self.pending_pos = 0;
                Ok(self.hand_out_pending().map(Piece::Bytes))
            }
            Some(piece) => {
                self.progress.bytes_out += piece.len();
                Ok(Some(piece))
            }
            None if matches!(self.state, State::Done) => Ok(None),
            None => Ok(Some(Piece::Bytes(Vec::new()))),
        }
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

    /// One step of the writer, in the order of the zip: the generated files, then each input
    /// (a possible duplicate hashed before it is copied or left out), manifest.csv,
    /// manifest.json, the central directory. The steps are in [`steps`] and
    /// [`manifest_entries`].
    fn step(&mut self, source: &mut dyn FileSource) -> Result<(), Error> {
        // Failed until the step succeeds.
        self.state = match std::mem::replace(&mut self.state, State::Failed) {
            State::Generated(i) => self.write_generated(i)?,
            State::Input(i) => self.start_input(i, source)?,
            State::Hashing(stream) => self.hash_piece(stream, source)?,
            State::Copying(stream) => self.copy_piece(stream)?,
            State::Csv(row) => self.write_csv(row)?,
            State::Json(row) => self.write_json(row)?,
            State::Finish => self.finish()?,
            State::Done => State::Done,
            State::Failed => return Err(Error::Failed),
        };
        Ok(())
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
