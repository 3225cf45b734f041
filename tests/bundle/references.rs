//! Inputs referenced instead of copied (as the page does: the browser copies the patient's own
//! files into the zip) give the same zip, byte for byte, as the bundler copying them: with the
//! digests read here independently (crc32fast, sha2) and the references resolved by the test
//! or by `next_chunk`; pictures to scrub, de-identified DICOM, deflated entries and zip members
//! still go through the bundler; an unreadable input is left out with the reason; a file that
//! changed after it was read stops the zip.

use std::collections::VecDeque;
use std::fs;
use std::path::PathBuf;

use record_precheck::bundle::{
    Action, BundleOptions, Bundler, FsSource, InputDigest, Manifest, Outcome, Piece, Plan,
    PlanOptions,
};
use record_precheck::dicom::deidentify;
use record_precheck::entry::FileKind;
use record_precheck::readiness::Declarations;
use record_precheck::{report, Limits};

use crate::common::{
    assert_verifies, bundle_to, inputs_with_duplicates, pdf, python_check, record, scratch, sha_hex,
};

/// A folder with DICOM, a zip, pictures, documents, exact duplicates and a same-size file
/// that is not one.
fn inputs(name: &str) -> PathBuf {
    inputs_with_duplicates(name, &["case-mixed", "case-cd-ct", "case-screenshots"])
}

fn bundler(
    dir: &PathBuf,
    plan_options: &PlanOptions,
    options: BundleOptions,
) -> (Bundler, FsSource) {
    let (files, source) = FsSource::scan(std::slice::from_ref(dir), &Limits::default()).unwrap();
    let report = report::build(files, Declarations::default());
    let plan = Plan::build(&report, plan_options);
    let mut bundler = Bundler::new(plan, options);
    bundler.reference_inputs();
    (bundler, source)
}

/// The digest of a file, read here.
fn digest_of(source: &FsSource, path: &str) -> InputDigest {
    match fs::read(source.resolve(path).unwrap()) {
        Ok(bytes) => InputDigest::Read {
            size: bytes.len() as u64,
            crc32: crc32fast::hash(&bytes),
            sha256: sha_hex(&bytes),
        },
        Err(e) => InputDigest::Unreadable(e.to_string()),
    }
}

/// Writes the zip as the page does: bytes as they come, each referenced input copied from its
/// file by the test; digests given a few at a time, only when the bundler waits for them.
/// Returns the zip and the bytes that were referenced.
fn pull_with_references(bundler: &mut Bundler, source: &mut FsSource) -> (Vec<u8>, u64) {
    let mut due: VecDeque<(usize, String)> = bundler
        .referenced()
        .iter()
        .map(|r| (r.item, r.path.to_string()))
        .collect();
    let mut zip = Vec::new();
    let mut referenced = 0;
    while let Some(piece) = bundler.next_piece(source).unwrap() {
        match piece {
            Piece::Bytes(bytes) => zip.extend_from_slice(&bytes),
            Piece::Input { path, len, .. } => {
                let bytes = fs::read(source.resolve(&path).unwrap()).unwrap();
                assert_eq!(bytes.len() as u64, len, "{path}");
                zip.extend_from_slice(&bytes);
                referenced += len;
            }
        }
        if bundler.waiting() {
            assert!(
                !due.is_empty(),
                "the bundler waits for no digest the test owes"
            );
            for (item, path) in due.drain(..3.min(due.len())) {
                bundler.set_input_digest(item, digest_of(source, &path));
            }
        }
    }
    (zip, referenced)
}

/// Bundles `dir` by copying and by referencing; the two zips must be the same bytes.
fn same_zip_both_ways(
    name: &str,
    plan_options: &PlanOptions,
    options: BundleOptions,
    least: usize,
) -> Manifest {
    let dir = inputs(name);
    let copied = scratch(&format!("{name}-copied")).join("copied.zip");
    let expected = bundle_to(
        std::slice::from_ref(&dir),
        plan_options,
        options.clone(),
        &copied,
    );
    let copied = fs::read(&copied).unwrap();

    let (mut referencing, mut source) = bundler(&dir, plan_options, options.clone());
    let listed = referencing.referenced().len();
    assert!(listed >= least, "{name}: {listed} inputs referenced");
    let (zip, referenced) = pull_with_references(&mut referencing, &mut source);
    assert!(referenced > 0);
    assert!(zip == copied, "{name}: the zip differs from the one copied");
    let got = referencing.manifest().expect("complete").clone();
    assert_eq!(got, expected);

    // `next_chunk` copies the references itself: the same zip again.
    let (mut resolving, mut source) = bundler(&dir, plan_options, options);
    let mut again = Vec::new();
    for r in resolving
        .referenced()
        .iter()
        .map(|r| (r.item, r.path.to_string()))
        .collect::<Vec<_>>()
    {
        resolving.set_input_digest(r.0, digest_of(&source, &r.1));
    }
    while let Some(chunk) = resolving.next_chunk(&mut source).unwrap() {
        again.extend_from_slice(&chunk);
    }
    assert!(again == copied, "{name}: next_chunk's zip differs");

    let out = scratch(&format!("{name}-out")).join("referenced.zip");
    fs::write(&out, &zip).unwrap();
    assert_verifies(&out);
    python_check(&out);
    got
}

#[test]
fn referenced_inputs_give_the_zip_the_bundler_copies() {
    let m = same_zip_both_ways(
        "references",
        &PlanOptions::default(),
        BundleOptions::default(),
        20,
    );
    assert_eq!(
        record(&m, "two.pdf").outcome,
        Outcome::LeftOut,
        "a duplicate"
    );
    assert_eq!(record(&m, "three.pdf").outcome, Outcome::Copied);
    assert_eq!(record(&m, "copy-of-a-ct-image").outcome, Outcome::LeftOut);
}

#[test]
fn deflated_and_de_identified_entries_still_stream_through_the_bundler() {
    let deflate = BundleOptions {
        deflate: true,
        ..BundleOptions::default()
    };
    same_zip_both_ways("references-deflate", &PlanOptions::default(), deflate, 2);
    let deidentified = PlanOptions {
        deidentify: Some(deidentify::Options {
            secret: [7; 32],
            modified_dates: false,
            patient_characteristics: false,
            clean_descriptors: false,
        }),
        ..PlanOptions::default()
    };
    same_zip_both_ways(
        "references-deid",
        &deidentified,
        BundleOptions::default(),
        2,
    );
}

#[test]
fn only_files_stored_as_given_are_referenced() {
    let dir = inputs("references-which");
    let (plain, _) = bundler(&dir, &PlanOptions::default(), BundleOptions::default());
    let kinds = |b: &Bundler| -> Vec<FileKind> {
        b.referenced()
            .iter()
            .map(|r| b.plan().items[r.item].kind)
            .collect()
    };
    let plain_kinds = kinds(&plain);
    assert!(plain_kinds.contains(&FileKind::Dicom) && plain_kinds.contains(&FileKind::Pdf));
    assert!(
        !plain_kinds
            .iter()
            .any(|k| matches!(k, FileKind::Photo | FileKind::Screenshot)),
        "pictures are scrubbed by the bundler"
    );
    assert!(
        plain.referenced().iter().all(|r| !r.path.contains('!')),
        "zip members are extracted by the bundler"
    );
    let keep = BundleOptions {
        keep_picture_metadata: true,
        ..BundleOptions::default()
    };
    let (kept, _) = bundler(&dir, &PlanOptions::default(), keep);
    assert!(kinds(&kept)
        .iter()
        .any(|k| matches!(k, FileKind::Photo | FileKind::Screenshot)));
    let deflate = BundleOptions {
        deflate: true,
        ..BundleOptions::default()
    };
    let (deflated, _) = bundler(&dir, &PlanOptions::default(), deflate);
    let stored = |b: &Bundler| {
        b.referenced().iter().all(|r| {
            matches!(
                b.plan().items[r.item].action,
                Action::Copy {
                    compressible: false,
                    ..
                }
            )
        })
    };
    assert!(
        !stored(&plain),
        "uncompressed DICOM and PDFs are referenced when stored"
    );
    assert!(
        stored(&deflated),
        "what deflate compresses is not referenced"
    );
}

#[test]
fn an_unreadable_input_is_left_out_and_a_changed_one_stops_the_zip() {
    let dir = scratch("references-unreadable");
    fs::write(dir.join("a.pdf"), pdf("first report")).unwrap();
    fs::write(dir.join("b.pdf"), pdf("second report")).unwrap();
    let (mut b, mut source) = bundler(&dir, &PlanOptions::default(), BundleOptions::default());
    let listed: Vec<(usize, String)> = b
        .referenced()
        .iter()
        .map(|r| (r.item, r.path.to_string()))
        .collect();
    assert_eq!(listed.len(), 2);
    let (a, _) = listed.iter().find(|(_, p)| p == "a.pdf").unwrap();
    for (item, path) in &listed {
        let digest = if item == a {
            InputDigest::Unreadable("NotReadableError: the file could not be read".into())
        } else {
            digest_of(&source, path)
        };
        b.set_input_digest(*item, digest);
    }
    let mut zip = Vec::new();
    while let Some(chunk) = b.next_chunk(&mut source).unwrap() {
        zip.extend_from_slice(&chunk);
    }
    let m = b.manifest().unwrap();
    let left = record(m, "a.pdf");
    assert_eq!(left.outcome, Outcome::LeftOut);
    assert_eq!(
        left.reason.as_deref(),
        Some("could not read the file: NotReadableError: the file could not be read")
    );
    assert_eq!(record(m, "b.pdf").outcome, Outcome::Copied);
    let out = dir.join("out.zip");
    fs::write(&out, &zip).unwrap();
    assert_verifies(&out);

    // b.pdf changes (same length) after its digest was read: the copy does not match it.
    let (mut b, mut source) = bundler(&dir, &PlanOptions::default(), BundleOptions::default());
    for (item, path) in &listed {
        b.set_input_digest(*item, digest_of(&source, path));
    }
    let changed = pdf("second report")
        .iter()
        .map(|&c| if c == b's' { b'z' } else { c })
        .collect::<Vec<_>>();
    fs::write(dir.join("b.pdf"), changed).unwrap();
    let error = loop {
        match b.next_chunk(&mut source) {
            Ok(Some(_)) => continue,
            Ok(None) => panic!("the zip was finished with a file that changed"),
            Err(e) => break e.to_string(),
        }
    };
    assert!(error.contains("b.pdf changed or went away"), "{error}");
}
