//! Where the bundle's input bytes come from: the [`FileSource`] trait (the filesystem natively,
//! `File`/`Blob` objects in the browser, memory in tests), [`FsSource`] over native paths, and
//! reading a member of a zip the patient gave as an owned stream (the outer zip is re-opened
//! through the source and the member read from its local header, inflated and its CRC-32
//! checked, by [`Location`]). Knows nothing of the layout or of writing zips.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::plan::Source as PlanSource;
use crate::entry::FileEntry;
use crate::io::ReadSeek;
use crate::limits::Limits;
use crate::recognise::folder::scan_path;
use crate::recognise::zip::{listed_name, listing, Location, Names};

/// Opens inputs by the path the report shows them under (`files[].path`; never a zip member:
/// members are read by opening their zip with [`FileSource::open_seekable`]).
pub trait FileSource {
    /// A stream of the whole file from its start.
    fn open(&mut self, path: &str) -> io::Result<Box<dyn Read>>;
    /// The file for random access: used to read the members of a zip.
    fn open_seekable(&mut self, path: &str) -> io::Result<Box<dyn ReadSeek>>;
}

/// Files on disk, under the roots given to [`FsSource::scan`] (or [`FsSource::add_root`]).
#[derive(Debug, Clone, Default)]
pub struct FsSource {
    roots: Vec<Root>,
}

#[derive(Debug, Clone)]
struct Root {
    /// The prefix the report shows for this root (`""` when paths are relative to it).
    shown: String,
    path: PathBuf,
    is_file: bool,
}

impl FsSource {
    pub fn new() -> Self {
        FsSource::default()
    }

    /// Adds a file or folder; the report shows its files under `shown` (a file: its name; a
    /// folder: `shown/relative/path`, or just the relative path when `shown` is empty).
    pub fn add_root(&mut self, shown: &str, path: &Path) {
        self.roots.push(Root {
            shown: shown.to_string(),
            path: path.to_path_buf(),
            is_file: path.is_file(),
        });
    }

    /// Scans each path with [`scan_path`] and remembers where its files are. With one path,
    /// entries are relative to it (as `record-precheck scan` shows them); with several, each
    /// folder's entries, zip members included, are prefixed by the folder's name (` (2)` added
    /// when two folders share a name). `Err` when a path cannot be read.
    pub fn scan(paths: &[PathBuf], limits: &Limits) -> io::Result<(Vec<FileEntry>, FsSource)> {
        let mut source = FsSource::new();
        let mut files = Vec::new();
        let mut prefixes: Vec<String> = Vec::new();
        for path in paths {
            let mut entries = scan_path(path, limits)
                .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.display().to_string());
            if path.is_dir() && paths.len() > 1 {
                let mut prefix = name.clone();
                let mut n = 2;
                while prefixes.iter().any(|p| p.eq_ignore_ascii_case(&prefix)) {
                    prefix = format!("{name} ({n})");
                    n += 1;
                }
                for e in &mut entries {
                    prefix_paths(e, &prefix);
                }
                source.add_root(&prefix, path);
                prefixes.push(prefix);
            } else if path.is_dir() {
                source.add_root("", path);
            } else {
                let shown = entries.first().map(|e| e.path.clone()).unwrap_or(name);
                source.add_root(&shown, path);
            }
            files.extend(entries);
        }
        Ok((files, source))
    }

    /// The file on disk a shown path names.
    pub fn resolve(&self, shown: &str) -> io::Result<PathBuf> {
        for root in &self.roots {
            if root.is_file {
                if root.shown == shown {
                    return Ok(root.path.clone());
                }
                continue;
            }
            let rel = if root.shown.is_empty() {
                Some(shown)
            } else {
                shown
                    .strip_prefix(root.shown.as_str())
                    .and_then(|r| r.strip_prefix('/'))
            };
            let Some(rel) = rel else { continue };
            let parts: Vec<&str> = rel.split('/').collect();
            if parts
                .iter()
                .any(|p| p.is_empty() || *p == "." || *p == "..")
            {
                continue;
            }
            let mut full = root.path.clone();
            full.extend(parts);
            return Ok(full);
        }
        Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("{shown:?} is not under any folder given"),
        ))
    }
}

fn prefix_paths(e: &mut FileEntry, prefix: &str) {
    e.path = format!("{prefix}/{}", e.path);
    for m in e.members.iter_mut().flatten() {
        prefix_paths(m, prefix);
    }
}

impl FileSource for FsSource {
    fn open(&mut self, path: &str) -> io::Result<Box<dyn Read>> {
        Ok(Box::new(File::open(self.resolve(path)?)?))
    }

    fn open_seekable(&mut self, path: &str) -> io::Result<Box<dyn ReadSeek>> {
        Ok(Box::new(BufReader::with_capacity(
            64 << 10,
            File::open(self.resolve(path)?)?,
        )))
    }
}

/// A stream made seekable: forward by reading through it, back by opening it again. For a zip
/// member (inflated as it is read), whose few metadata reads go mostly forward.
pub(crate) struct Reopening<F: FnMut() -> io::Result<Box<dyn Read>>> {
    open: F,
    reader: Box<dyn Read>,
    pos: u64,
}

impl<F: FnMut() -> io::Result<Box<dyn Read>>> Reopening<F> {
    pub(crate) fn new(mut open: F) -> io::Result<Self> {
        let reader = open()?;
        Ok(Reopening {
            open,
            reader,
            pos: 0,
        })
    }
}

impl<F: FnMut() -> io::Result<Box<dyn Read>>> Read for Reopening<F> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.reader.read(buf)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl<F: FnMut() -> io::Result<Box<dyn Read>>> Seek for Reopening<F> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
            SeekFrom::End(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::Unsupported,
                    "a stream's end is not known before it is read",
                ))
            }
        };
        let target = target
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before the start"))?;
        if target < self.pos {
            self.reader = (self.open)()?;
            self.pos = 0;
        }
        io::copy(
            &mut (&mut self.reader).take(target - self.pos),
            &mut io::sink(),
        )?;
        // Past the end, reads give nothing: the position is where it was asked to be.
        self.pos = target;
        Ok(target)
    }
}

/// Opens the plan's inputs by where they are ([`PlanSource`]): a file through the
/// [`FileSource`], a zip member by re-opening its zip, whose directory is read once and kept
/// while members of the same zip follow (the plan lists a zip's members together).
#[derive(Debug, Default)]
pub struct Inputs {
    table: Option<(String, Result<ZipTable, String>)>,
}

impl Inputs {
    /// A stream of the input from its start (a zip member: inflated, its CRC-32 checked).
    pub fn open(
        &mut self,
        input: &PlanSource,
        source: &mut dyn FileSource,
        limits: &Limits,
    ) -> io::Result<Box<dyn Read>> {
        match input {
            PlanSource::File(path) => source.open(path),
            PlanSource::Member { zip, name } => {
                if self.table.as_ref().map(|(z, _)| z) != Some(zip) {
                    let table = ZipTable::read(source, zip, limits).map_err(|e| e.to_string());
                    self.table = Some((zip.clone(), table));
                }
                match &self.table {
                    Some((_, Ok(table))) => table.open(source, zip, name),
                    Some((_, Err(e))) => Err(io::Error::other(format!(
                        "could not open the zip it is in: {e}"
                    ))),
                    None => unreachable!("the table was just read"),
                }
            }
        }
    }

    /// The directory of `zip`, when it is the zip last opened and it could be read.
    pub(crate) fn table(&self, zip: &str) -> Option<&ZipTable> {
        match &self.table {
            Some((z, Ok(table))) if z == zip => Some(table),
            _ => None,
        }
    }
}

/// The members of one zip by the name the scan gave them ([`listed_name`]: made safe, and
/// told apart where they repeat).
#[derive(Debug, Default)]
pub(crate) struct ZipTable {
    by_name: HashMap<String, Location>,
}

impl ZipTable {
    /// Reads the central directory of the zip at `path`, every entry it lists, as the scan did.
    pub(crate) fn read(
        source: &mut dyn FileSource,
        path: &str,
        limits: &Limits,
    ) -> io::Result<ZipTable> {
        let mut reader = source.open_seekable(path)?;
        let could_not = |e: zip::result::ZipError| {
            io::Error::other(format!("could not read the zip directory: {e}"))
        };
        let mut listing = listing(&mut *reader).map_err(could_not)?;
        let mut table = ZipTable::default();
        let mut names = Names::default();
        for entry in listing
            .files()
            .map_err(could_not)?
            .take(limits.max_zip_entries)
        {
            // The scan lists no member past a broken directory entry either.
            let Ok(entry) = entry else { break };
            if entry.is_dir() {
                continue;
            }
            let (name, _) = listed_name(&entry, &mut names, limits);
            table.by_name.insert(name, Location::of(&entry));
        }
        Ok(table)
    }

    /// Opens the member named `name` (as the scan named it) as an owned stream that fails at its
    /// end when the CRC-32 or the size does not match the directory.
    pub(crate) fn open(
        &self,
        source: &mut dyn FileSource,
        zip_path: &str,
        name: &str,
    ) -> io::Result<Box<dyn Read>> {
        let location = self.by_name.get(name).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                format!("could not find {name:?} in the zip any more"),
            )
        })?;
        location.open(source.open_seekable(zip_path)?)
    }
}
