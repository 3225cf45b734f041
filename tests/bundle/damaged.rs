//! A damaged or incomplete bundle, or one holding an unsafe entry name, fails verification,
//! naming what is wrong; a damaged member of a patient's zip is kept and marked incomplete.

use std::fs;
use std::io::{self, Cursor, Write};

use record_precheck::bundle::{
    verify, BundleOptions, Bundler, FsSource, GeneratedRecord, Manifest, Outcome, Plan,
    PlanOptions, Totals,
};
use record_precheck::readiness::Declarations;
use record_precheck::{report, Limits};

use crate::common::{bundle_to, corpus, python_check, record, scratch, sha_hex, zip_of};

fn bundle_in_memory(case: &str) -> (Vec<u8>, Manifest) {
    let (files, mut source) = FsSource::scan(&[corpus().join(case)], &Limits::default()).unwrap();
    let report = report::build(files, Declarations::default());
    let plan = Plan::build(&report, &PlanOptions::default());
    // Through the `Read` adapter, as `std::io::copy` would use it.
    let mut reader = Bundler::new(plan, BundleOptions::default()).into_reader(&mut source);
    let mut out = Vec::new();
    io::copy(&mut reader, &mut out).unwrap();
    let bundler = reader.into_bundler();
    assert!(bundler.progress().done);
    assert_eq!(bundler.progress().bytes_out, out.len() as u64);
    (out, bundler.manifest().unwrap().clone())
}

#[test]
fn a_flipped_byte_fails_verification_naming_the_file() {
    let (mut zip, manifest) = bundle_in_memory("case-mixed");
    assert!(verify(Cursor::new(&zip)).ok());
    let target = manifest
        .inputs
        .iter()
        .find(|r| r.kind == "dicom" && r.size > 1000)
        .and_then(|r| r.destination.clone())
        .unwrap();
    let (start, size) = {
        let mut archive = zip::ZipArchive::new(Cursor::new(&zip)).unwrap();
        let entry = archive.by_name(&target).unwrap();
        (entry.data_start().unwrap(), entry.size())
    };
    zip[(start + size / 2) as usize] ^= 0x01;
    let report = verify(Cursor::new(&zip));
    assert!(!report.ok());
    assert_eq!(report.problems.len(), 1, "{:#?}", report.problems);
    let problem = &report.problems[0];
    assert!(problem.starts_with(&target), "{problem}");
    assert!(problem.contains("CRC-32 does not match"), "{problem}");
}

#[test]
fn missing_and_unlisted_entries_fail_verification() {
    let (zip, manifest) = bundle_in_memory("case-cd-ct");
    let dropped = manifest
        .inputs
        .iter()
        .find_map(|r| r.destination.clone())
        .unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(&zip)).unwrap();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).unwrap();
        if entry.name().unwrap() != dropped.as_str() {
            w.raw_copy_file(entry).unwrap();
        }
    }
    w.start_file(
        "imaging/extra.dcm",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    w.write_all(b"not listed").unwrap();
    let tampered = w.finish().unwrap().into_inner();
    let report = verify(Cursor::new(&tampered));
    assert!(!report.ok());
    assert!(
        report
            .problems
            .iter()
            .any(|p| p == &format!("{dropped}: listed in the manifest, but missing from the zip")),
        "{:#?}",
        report.problems
    );
    assert!(
        report
            .problems
            .iter()
            .any(|p| p == "imaging/extra.dcm: in the zip, but not in the manifest"),
        "{:#?}",
        report.problems
    );
    assert!(!verify(Cursor::new(b"not a zip at all".to_vec())).ok());
}

/// A zip holding `name` and a manifest that lists it with its right SHA-256: only the name can
/// be wrong.
fn listed_zip(name: &str) -> Vec<u8> {
    let contents = b"hello";
    let manifest = Manifest {
        manifest_version: 1,
        generated_by: "test".into(),
        created: None,
        totals: Totals::default(),
        inputs: Vec::new(),
        generated: vec![GeneratedRecord {
            name: name.into(),
            size: contents.len() as u64,
            sha256: sha_hex(contents),
        }],
        consent: None,
    };
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    w.start_file(name, options).unwrap();
    w.write_all(contents).unwrap();
    w.start_file("manifest.json", options).unwrap();
    w.write_all(&serde_json::to_vec(&manifest).unwrap())
        .unwrap();
    w.finish().unwrap().into_inner()
}

#[test]
fn unsafe_entry_names_fail_verification_even_when_the_manifest_lists_them() {
    assert!(verify(Cursor::new(listed_zip("docs/report (2).txt"))).ok());
    for (name, why) in [
        ("/etc/cron.d/x", "an absolute path"),
        ("../outside.txt", "a `..` component"),
        ("docs/../../outside.txt", "a `..` component"),
        ("docs\\report.txt", "a backslash"),
        ("C:/Windows/x.dll", "a drive letter"),
        ("c:x.txt", "a drive letter"),
        ("docs/a\u{1b}[2Jb.txt", "a control character"),
        ("docs/.hidden", "never give"),
        ("docs//x.txt", "never give"),
        ("docs/CON.txt", "never give"),
        ("docs/a:b.txt", "never give"),
    ] {
        let report = verify(Cursor::new(listed_zip(name)));
        assert_eq!(report.problems.len(), 1, "{name:?}: {:#?}", report.problems);
        let problem = &report.problems[0];
        assert!(
            problem.starts_with(&format!("{name:?}: ")) && problem.contains(why),
            "{name:?}: {problem}"
        );
    }
}

#[test]
fn a_damaged_member_of_a_patients_zip_is_kept_and_marked_incomplete() {
    let dir = scratch("damaged-member-input");
    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.extend((0..20_000).map(|i| b'a' + (i % 26) as u8));
    let mut zip = zip_of(&[("scan.pdf", &pdf), ("note.txt", b"fine\n")]);
    // Flip a byte in the middle of scan.pdf's data: the scan reads only its start, the CRC-32
    // check at its end fails while bundling.
    let at = zip.windows(9).position(|w| w == b"%PDF-1.4\n").unwrap() + 15_000;
    zip[at] ^= 0x20;
    fs::write(dir.join("export.zip"), &zip).unwrap();
    let out = scratch("damaged-member");
    let bundle = out.join("b.zip");
    let m = bundle_to(
        std::slice::from_ref(&dir),
        &PlanOptions::default(),
        BundleOptions::default(),
        &bundle,
    );
    let r = record(&m, "export.zip!/scan.pdf");
    assert_eq!(r.outcome, Outcome::Incomplete);
    assert!(
        r.reason.as_deref().unwrap().contains("CRC-32"),
        "{:?}",
        r.reason
    );
    assert_eq!(record(&m, "export.zip!/note.txt").outcome, Outcome::Copied);
    // The bundle itself is sound; the verifier says which input is only partly there.
    let report = verify(fs::File::open(&bundle).unwrap());
    assert!(report.ok(), "{:#?}", report.problems);
    assert_eq!(report.notes.len(), 1, "{:#?}", report.notes);
    assert!(report.notes[0].starts_with("export.zip!/scan.pdf is only partly in the bundle"));
    python_check(&bundle);
}
