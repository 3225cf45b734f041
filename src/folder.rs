//! Native folder walking for the CLI and the tests: every regular file under the given paths,
//! in a stable order, each recognised with [`crate::scan::scan_file`]. The browser does its own
//! walking (drag-and-drop entries) and calls the same per-file function.

use std::fs::File;
use std::io::{self, BufReader};
use std::path::{Path, PathBuf};

use crate::entry::{FileEntry, FileKind};
use crate::limits::Limits;
use crate::scan::scan_file;

/// Scans a file or a folder (recursively). Paths in the entries are relative to `root` when it
/// is a folder, or the file's name when it is a file, `/`-separated.
/// `Err` only when `root` itself cannot be read; problems with single files are entries.
pub fn scan_path(root: &Path, limits: &Limits) -> io::Result<Vec<FileEntry>> {
    let meta = std::fs::metadata(root)?;
    let mut out = Vec::new();
    if meta.is_file() {
        let name = root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.push(scan_one(root, &name, meta.len(), limits));
        return Ok(out);
    }
    let mut files = Vec::new();
    collect(root, PathBuf::new(), &mut files, &mut out)?;
    for (full, rel, size) in files {
        out.push(scan_one(&full, &rel, size, limits));
    }
    Ok(out)
}

fn scan_one(full: &Path, rel: &str, size: u64, limits: &Limits) -> FileEntry {
    match File::open(full) {
        Ok(f) => scan_file(
            rel,
            size,
            BufReader::with_capacity(limits.read_chunk, f),
            limits,
        ),
        Err(e) => FileEntry::corrupt(
            rel,
            size,
            "unreadable",
            format!("could not open the file: {e}"),
        ),
    }
}

type Found = (PathBuf, String, u64);

fn collect(
    dir: &Path,
    rel: PathBuf,
    files: &mut Vec<Found>,
    problems: &mut Vec<FileEntry>,
) -> io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let rel_path = rel.join(entry.file_name());
        let shown = rel_path.to_string_lossy().replace('\\', "/");
        let file_type = match entry.file_type() {
            Ok(t) => t,
            Err(e) => {
                problems.push(FileEntry::corrupt(
                    shown,
                    0,
                    "unreadable",
                    format!("could not read the entry: {e}"),
                ));
                continue;
            }
        };
        if file_type.is_symlink() {
            let mut e = FileEntry::new(shown, 0, FileKind::Other, "symbolic link (not followed)");
            e.notes
                .push("links are not followed, so a folder is never scanned twice".into());
            problems.push(e);
        } else if file_type.is_dir() {
            if let Err(e) = collect(&entry.path(), rel_path, files, problems) {
                problems.push(FileEntry::corrupt(
                    shown,
                    0,
                    "unreadable folder",
                    format!("could not read the folder: {e}"),
                ));
            }
        } else {
            let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
            files.push((entry.path(), shown, size));
        }
    }
    Ok(())
}
