//! Names from hostile inputs stay safe: reserved and forbidden names, long and Unicode names,
//! collisions and duplicates, zip members that try to escape.

use std::collections::HashSet;
use std::fs;
use std::process::Command;

use record_precheck::bundle::names::is_safe_component;
use record_precheck::bundle::{BundleOptions, Outcome, PlanOptions};
use record_precheck::{FileKind, Limits};

use crate::common::{
    account_for_every_input, assert_verifies, bundle_to, pdf, put_file, python_check, record,
    scratch, sha_hex, unzip_check, walk, zip_of,
};

#[test]
fn hostile_and_colliding_names_stay_safe() {
    let dir = scratch("names-input");
    let put = |rel: &str, bytes: &[u8]| put_file(&dir, rel, bytes);
    put("CON.txt", b"reserved name on Windows\n");
    put("aux", b"another reserved name\n");
    put("a<b>c:d|e?f*g\".txt", b"forbidden characters\n");
    put("ends with dot. ", b"trailing dot and space\n");
    put("...", b"three dots\n");
    put("病理 报告 (1).pdf", &pdf("chinese name"));
    put("Röntgen – Befund.pdf", &pdf("umlaut"));
    put(&format!("{}.pdf", "x".repeat(200)), &pdf("long name"));
    put(
        &format!("{}.pdf", "报".repeat(80)),
        &pdf("long chinese name"),
    );
    put("dir one/report.pdf", &pdf("first report AAAA"));
    put("dir two/report.pdf", &pdf("other report BBBB")); // same size, other bytes
    put("dir three/REPORT.pdf", &pdf("first report AAAA")); // an exact duplicate
    put(".hidden.pdf", &pdf("hidden"));
    put(
        "patient.zip",
        &zip_of(&[
            ("../../escape.pdf", &pdf("escape")),
            ("/abs/path.pdf", &pdf("absolute")),
            ("C:\\win\\file.pdf", &pdf("drive")),
            ("sub/CON.pdf", &pdf("reserved in zip")),
            ("sub/nul.txt", b"x\n"),
            ("sub/NUL.txt", b"y\n"),
        ]),
    );
    let out = scratch("names");
    let zip = out.join("names.zip");
    let m = bundle_to(
        std::slice::from_ref(&dir),
        &PlanOptions::default(),
        BundleOptions::default(),
        &zip,
    );
    assert_verifies(&zip);
    python_check(&zip);
    unzip_check(&zip);
    account_for_every_input(&dir, &zip, &m);

    let archive = zip::ZipArchive::new(fs::File::open(&zip).unwrap()).unwrap();
    let names: Vec<String> = archive
        .file_names()
        .map(|n| n.unwrap().into_owned())
        .collect();
    let mut folded = HashSet::new();
    for name in &names {
        assert!(
            folded.insert(name.to_lowercase()),
            "two entries differ only by case: {name}"
        );
        assert!(!name.starts_with('/') && !name.contains('\\'), "{name}");
        for c in name.split('/') {
            assert!(is_safe_component(c), "unsafe component {c:?} in {name}");
        }
    }
    // Unicode is kept.
    assert!(
        names.iter().any(|n| n.ends_with("/病理 报告 (1).pdf")),
        "{names:?}"
    );
    assert!(
        names.iter().any(|n| n.ends_with("/Röntgen – Befund.pdf")),
        "{names:?}"
    );
    // Collisions are numbered (names are given out when planning, so the duplicate found
    // while bundling keeps its number: report (2).pdf goes unused); an exact duplicate is left
    // out, naming the original.
    let one = record(&m, "dir one/report.pdf")
        .destination
        .clone()
        .unwrap();
    let two = record(&m, "dir two/report.pdf")
        .destination
        .clone()
        .unwrap();
    assert!(
        one.ends_with("/report.pdf") && two.ends_with("/report (3).pdf"),
        "{one} {two}"
    );
    let dup = record(&m, "dir three/REPORT.pdf");
    assert_eq!(dup.outcome, Outcome::LeftOut);
    assert!(dup
        .reason
        .as_deref()
        .unwrap()
        .contains("exact duplicate of dir one/report.pdf"));
    assert_eq!(dup.sha256, record(&m, "dir one/report.pdf").sha256);
    // Reserved names are prefixed, long names cut keeping the extension.
    assert_eq!(
        record(&m, "CON.txt").destination.as_deref(),
        Some("documents/other/_CON.txt")
    );
    let long = record(&m, &format!("{}.pdf", "x".repeat(200)));
    let last = long
        .destination
        .as_deref()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap();
    assert!(
        last.chars().count() <= 120 && last.ends_with(".pdf"),
        "{last}"
    );
    // Nothing from the zip escapes: extracting it puts every file inside the folder.
    let target = out.join("extracted");
    let script = "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])";
    let status = Command::new("python3")
        .args(["-c", script])
        .arg(&zip)
        .arg(&target)
        .status()
        .expect("could not run python3 (Debian: apt-get install python3)");
    assert!(status.success());
    let files = walk(&target);
    assert_eq!(files.len(), names.len());
    assert!(!out.join("escape.pdf").exists() && !out.join("abs").exists());
}

/// A zip of `count` stored members, all named `a.txt` (their contents differ): the zip crate's
/// writer refuses a repeated name, so the names are written as `00000`… and patched after, at
/// the name's place in each local header and directory entry.
fn zip_with_one_name(count: usize) -> Vec<u8> {
    let names: Vec<String> = (0..count).map(|i| format!("{i:05}")).collect();
    let contents: Vec<Vec<u8>> = (0..count).map(entry_content).collect();
    let members: Vec<(&str, &[u8])> = names
        .iter()
        .zip(&contents)
        .map(|(n, c)| (n.as_str(), c.as_slice()))
        .collect();
    let mut bytes = zip_of(&members);
    let mut at = 0;
    while at + 4 <= bytes.len() {
        let name_at = match &bytes[at..at + 4] {
            b"PK\x03\x04" => at + 30,
            b"PK\x01\x02" => at + 46,
            _ => {
                at += 1;
                continue;
            }
        };
        if bytes[name_at..name_at + 5].iter().all(u8::is_ascii_digit) {
            bytes[name_at..name_at + 5].copy_from_slice(b"a.txt");
        }
        at = name_at + 5;
    }
    bytes
}

fn entry_content(i: usize) -> Vec<u8> {
    format!("entry {i}\n").into_bytes()
}

#[test]
fn every_entry_of_a_zip_whose_entries_share_a_name_is_unpacked_apart() {
    // The zip crate's ZipArchive keys its directory by name: read through it, 4 of these 5
    // entries would vanish.
    let dir = scratch("same-names-input");
    let zipped = zip_with_one_name(5);
    put_file(&dir, "same.zip", &zipped);
    let listed = zip::ZipArchive::new(std::io::Cursor::new(zipped.clone()))
        .unwrap()
        .len();
    assert_eq!(listed, 1, "the zip crate's index shows one of the five");
    let out = scratch("same-names");
    let zip = out.join("same-names.zip");
    let m = bundle_to(
        std::slice::from_ref(&dir),
        &PlanOptions::default(),
        BundleOptions::default(),
        &zip,
    );
    assert_verifies(&zip);
    assert_eq!(record(&m, "same.zip").outcome, Outcome::Unpacked);
    let mut bundle = zip::ZipArchive::new(fs::File::open(&zip).unwrap()).unwrap();
    let mut destinations = HashSet::new();
    for (i, name) in ["a.txt", "a (2).txt", "a (3).txt", "a (4).txt", "a (5).txt"]
        .into_iter()
        .enumerate()
    {
        let r = record(&m, &format!("same.zip!/{name}"));
        assert_eq!(r.outcome, Outcome::Copied, "{r:?}");
        let destination = r.destination.clone().expect("copied somewhere");
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut bundle.by_name(&destination).unwrap(), &mut bytes).unwrap();
        assert_eq!(
            bytes,
            entry_content(i),
            "{name} holds its own entry's bytes"
        );
        assert_eq!(r.sha256.as_deref(), Some(sha_hex(&bytes).as_str()));
        assert!(destinations.insert(destination));
    }
}

#[test]
fn a_hundred_thousand_entries_of_one_name_are_all_listed() {
    let count = 100_000;
    let zipped = zip_with_one_name(count);
    let entry = record_precheck::scan_bytes("same.zip", &zipped, &Limits::default());
    let members = entry.members.expect("listed");
    assert_eq!(members.len(), count);
    let paths: HashSet<&str> = members.iter().map(|m| m.path.as_str()).collect();
    assert_eq!(paths.len(), count, "every member has a path of its own");
    assert_eq!(members[count - 1].path, "same.zip!/a (100000).txt");
    assert!(members.iter().all(|m| m.kind == FileKind::Document));
}
