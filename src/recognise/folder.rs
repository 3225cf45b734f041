//! Native folder walking for the CLI and the tests: every regular file under the given paths,
//! in a stable order, each recognised with [`scan_file`]. The browser does its own
//! walking (drag-and-drop entries) and calls the same per-file function.

use std::fs::File;
use std::io::{self, BufReader};
use std::path::{Path, PathBuf};

use super::scan_file;
use crate::entry::{FileEntry, FileKind};
use crate::limits::Limits;
use crate::text::{msg, Message};

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
    collect(root, PathBuf::new(), 0, limits, &mut files, &mut out)?;
    for (n, (full, rel, size)) in files.into_iter().enumerate() {
        if n < limits.max_files {
            out.push(scan_one(&full, &rel, size, limits));
        } else {
            out.push(left_out(
                rel,
                size,
                msg!("part.limit.files", max = limits.max_files),
            ));
        }
    }
    Ok(out)
}

/// A file or folder the walk did not scan, listed so that nothing is silently lost.
fn left_out(path: String, size: u64, why: Message) -> FileEntry {
    let reason = msg!("reason.not-scanned", why = why.clone());
    let mut e = FileEntry::new(path, size, FileKind::Other, reason);
    e.add_note(msg!("note.session-limit", why = why));
    e
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
            msg!("reason.unreadable"),
            msg!("error.open", detail = e.to_string()),
        ),
    }
}

type Found = (PathBuf, String, u64);

fn collect(
    dir: &Path,
    rel: PathBuf,
    depth: usize,
    limits: &Limits,
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
                    msg!("reason.unreadable"),
                    msg!("error.read-entry", detail = e.to_string()),
                ));
                continue;
            }
        };
        if file_type.is_symlink() {
            let mut e = FileEntry::new(shown, 0, FileKind::Other, msg!("reason.symlink"));
            e.add_note(msg!("note.symlink"));
            problems.push(e);
        } else if file_type.is_dir() {
            if depth + 1 >= limits.max_path_depth {
                problems.push(left_out(
                    shown,
                    0,
                    msg!("part.limit.depth", max = limits.max_path_depth),
                ));
            } else if let Err(e) =
                collect(&entry.path(), rel_path, depth + 1, limits, files, problems)
            {
                problems.push(FileEntry::corrupt(
                    shown,
                    0,
                    msg!("reason.unreadable-folder"),
                    msg!("error.read-folder", detail = e.to_string()),
                ));
            }
        } else {
            let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
            files.push((entry.path(), shown, size));
        }
    }
    Ok(())
}
