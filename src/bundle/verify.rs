//! Checking a bundle after the fact (what a concierge runs on receipt): every zip entry is read
//! in full through the zip crate, which checks its CRC-32, and its SHA-256 compared with
//! `manifest.json`; every file the manifest places in the bundle must be there, and nothing
//! else may be; every entry name must be one the bundle writer could have written
//! ([`super::names`]), since an unzip tool would write a name like `../x` or `C:\x` outside the
//! folder it extracts to. Owns [`verify`] and [`VerifyReport`]; reads, never writes.

use std::collections::HashMap;
use std::io::{self, Read, Seek};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::manifest::{self, Manifest, Outcome};
use super::names::is_safe_component;
use super::plan::MANIFEST_JSON;

/// The most bytes of manifest.json read (a 100,000-file case writes ~40 MB).
const MAX_MANIFEST: u64 = 512 << 20;

/// What [`verify`] found.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct VerifyReport {
    /// Zip entries read.
    pub entries: usize,
    /// Uncompressed bytes read and hashed.
    pub bytes: u64,
    /// Inputs the manifest lists.
    pub inputs: usize,
    /// Inputs the manifest places in the bundle.
    pub in_bundle: usize,
    /// What is wrong, one sentence each; empty when all is well.
    pub problems: Vec<String>,
    /// Things worth knowing that are not wrong with the bundle (inputs copied only in part).
    pub notes: Vec<String>,
}

impl VerifyReport {
    /// All is well.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks a bundle. Problems are listed in the report, never returned as errors.
pub fn verify<R: Read + Seek>(reader: R) -> VerifyReport {
    let mut report = VerifyReport::default();
    let mut archive = match zip::ZipArchive::new(reader) {
        Ok(a) => a,
        Err(e) => {
            report
                .problems
                .push(format!("could not read the zip directory: {e}"));
            return report;
        }
    };
    if archive.has_duplicate_names() {
        report
            .problems
            .push("the zip holds two entries with the same name".into());
    }
    let manifest = read_manifest(&mut archive);
    let mut expected: HashMap<String, String> = HashMap::new();
    match &manifest {
        Ok(m) => {
            report.inputs = m.inputs.len();
            for r in &m.inputs {
                let placed = matches!(r.outcome, Outcome::Copied | Outcome::Incomplete);
                let fine = match r.outcome {
                    Outcome::Copied | Outcome::Incomplete => {
                        r.destination.is_some() && r.sha256.is_some()
                    }
                    Outcome::Unpacked | Outcome::LeftOut => r.reason.is_some(),
                };
                if !fine {
                    report.problems.push(format!(
                        "the manifest says {} for {}, but gives no {}",
                        r.outcome.as_str(),
                        r.path,
                        if placed {
                            "destination and SHA-256"
                        } else {
                            "reason"
                        }
                    ));
                }
                if r.outcome == Outcome::Incomplete {
                    report.notes.push(format!(
                        "{} is only partly in the bundle: {}",
                        r.path,
                        r.reason.as_deref().unwrap_or("no reason given")
                    ));
                }
                if placed {
                    report.in_bundle += 1;
                }
            }
            for (name, sha) in m.expected_entries() {
                if expected.insert(name.to_string(), sha.to_string()).is_some() {
                    report
                        .problems
                        .push(format!("the manifest places two files at {name}"));
                }
            }
        }
        Err(problem) => report.problems.push(problem.clone()),
    }
    let mut buf = vec![0u8; 1 << 20];
    for index in 0..archive.len() {
        let mut entry = match archive.by_index(index) {
            Ok(e) => e,
            Err(e) => {
                report
                    .problems
                    .push(format!("entry #{index}: could not open it: {e}"));
                continue;
            }
        };
        let (name, text) = match entry.name() {
            Ok(n) => (n.into_owned(), true),
            Err(_) => (
                String::from_utf8_lossy(entry.name_raw()).into_owned(),
                false,
            ),
        };
        if let Some(why) = unsafe_name(&name, text) {
            report.problems.push(format!(
                "{name:?}: {why}: an unzip tool could write it outside the folder it extracts to, \
                 and the bundle writer never writes such a name"
            ));
        }
        if entry.is_dir() {
            continue;
        }
        report.entries += 1;
        let mut hasher = Sha256::new();
        let read = loop {
            match entry.read(&mut buf) {
                Ok(0) => break Ok(()),
                Ok(n) => {
                    hasher.update(&buf[..n]);
                    report.bytes += n as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => break Err(e),
            }
        };
        let want = expected.remove(&name);
        if let Err(e) = read {
            let why = if e.to_string().contains("checksum") {
                "its CRC-32 does not match: the bytes of this file in the zip were changed or damaged"
                    .to_string()
            } else {
                format!("could not read it: {e}")
            };
            report.problems.push(format!("{name}: {why}"));
            continue;
        }
        if name == MANIFEST_JSON {
            continue;
        }
        let sha = manifest::hex(&hasher.finalize());
        match want {
            Some(want) if want == sha => {}
            Some(want) => report.problems.push(format!(
                "{name}: its SHA-256 is {sha}, the manifest says {want}: the file was changed"
            )),
            None if manifest.is_ok() => report
                .problems
                .push(format!("{name}: in the zip, but not in the manifest")),
            None => {}
        }
    }
    let mut missing: Vec<String> = expected.into_keys().collect();
    missing.sort();
    for name in missing {
        report.problems.push(format!(
            "{name}: listed in the manifest, but missing from the zip"
        ));
    }
    report
}

/// Why an entry name is not one the bundle writer writes (every `/`-separated component as
/// [`super::names::safe_component`] leaves it), the dangerous cases named; `text` is false when
/// the name is not valid text in the zip's encoding.
fn unsafe_name(name: &str, text: bool) -> Option<&'static str> {
    // A directory entry's name ends with `/`: its components are the ones before.
    let path = name.strip_suffix('/').unwrap_or(name);
    let bytes = path.as_bytes();
    let why = if !text {
        "its name is not valid text"
    } else if path.starts_with('/') {
        "an absolute path"
    } else if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        "a drive letter"
    } else if path.contains('\\') {
        "a backslash, which Windows reads as a folder separator"
    } else if path.split('/').any(|c| c == "..") {
        "a `..` component, which climbs out of the folder"
    } else if path.chars().any(char::is_control) {
        "a control character"
    } else if !path.split('/').all(is_safe_component) {
        "a name the bundle's naming rules never give"
    } else {
        return None;
    };
    Some(why)
}

fn read_manifest<R: Read + Seek>(archive: &mut zip::ZipArchive<R>) -> Result<Manifest, String> {
    let entry = archive
        .by_name(MANIFEST_JSON)
        .map_err(|e| format!("{MANIFEST_JSON}: could not find it in the zip: {e}"))?;
    let mut text = Vec::new();
    entry
        .take(MAX_MANIFEST)
        .read_to_end(&mut text)
        .map_err(|e| format!("{MANIFEST_JSON}: could not read it: {e}"))?;
    serde_json::from_slice(&text)
        .map_err(|e| format!("{MANIFEST_JSON}: could not understand it: {e}"))
}
