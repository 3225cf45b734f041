//! Checking a bundle on receipt: arbitrary bytes, and zips whose entry names and contents are
//! fuzzed under a manifest that lists them all with the right SHA-256 (so only the names can be
//! wrong). No panic; and a bundle said to be fine never holds a name the bundle writer would
//! not write (absolute, `..`, backslashes, drive letters, control characters).
#![no_main]
use std::io::{Cursor, Write};

use libfuzzer_sys::fuzz_target;
use record_precheck::bundle::manifest::hex;
use record_precheck::bundle::names::is_safe_component;
use record_precheck::bundle::{verify, GeneratedRecord, Manifest, Totals};
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;

fuzz_target!(|data: &[u8]| {
    let Some((mode, rest)) = data.split_first() else {
        return;
    };
    let zip = if mode % 2 == 0 {
        rest.to_vec()
    } else {
        // Entries as `name\tcontents` lines.
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let mut generated = Vec::new();
        for line in rest.split(|&b| b == b'\n') {
            let mut parts = line.splitn(2, |&b| b == b'\t');
            let name = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
            let contents = parts.next().unwrap_or_default();
            if name == "manifest.json"
                || w.start_file(name.as_str(), SimpleFileOptions::default())
                    .is_err()
            {
                continue;
            }
            w.write_all(contents).unwrap();
            generated.push(GeneratedRecord {
                name,
                size: contents.len() as u64,
                sha256: hex(&Sha256::digest(contents)),
            });
        }
        let manifest = Manifest {
            manifest_version: 1,
            generated_by: "fuzz".into(),
            created: None,
            totals: Totals::default(),
            inputs: Vec::new(),
            generated,
            consent: None,
        };
        w.start_file("manifest.json", SimpleFileOptions::default())
            .unwrap();
        w.write_all(&serde_json::to_vec(&manifest).unwrap())
            .unwrap();
        w.finish().unwrap().into_inner()
    };
    let report = verify(Cursor::new(&zip));
    if report.ok() {
        let archive = zip::ZipArchive::new(Cursor::new(&zip)).unwrap();
        for name in archive.file_names() {
            let name = name.unwrap();
            assert!(
                name.split('/').all(is_safe_component),
                "verified a bundle holding {name:?}"
            );
        }
    }
});
