//! The bundle writer end to end on fuzzed inputs: one to three files of arbitrary bytes under
//! names that steer recognition (DICOM, zip, photo, PDF), scanned, planned, bundled (deflated or
//! stored, de-identified or not) and read back with `verify`, which must find nothing wrong
//! with anything the writer wrote.
#![no_main]
use std::collections::HashMap;
use std::io::{self, Cursor, Read};

use libfuzzer_sys::fuzz_target;
use record_precheck::bundle::{verify, BundleOptions, Bundler, FileSource, Plan, PlanOptions};
use record_precheck::dicom::deidentify::Options;
use record_precheck::io::ReadSeek;
use record_precheck::readiness::Declarations;
use record_precheck::{report, scan_bytes, Limits};

/// The inputs, in memory, by the path the scan shows.
struct Memory(HashMap<String, Vec<u8>>);

impl Memory {
    fn get(&self, path: &str) -> io::Result<Cursor<Vec<u8>>> {
        self.0
            .get(path)
            .map(|b| Cursor::new(b.clone()))
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, path.to_string()))
    }
}

impl FileSource for Memory {
    fn open(&mut self, path: &str) -> io::Result<Box<dyn Read>> {
        Ok(Box::new(self.get(path)?))
    }

    fn open_seekable(&mut self, path: &str) -> io::Result<Box<dyn ReadSeek>> {
        Ok(Box::new(self.get(path)?))
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 5 {
        return;
    }
    let (control, mut rest) = data.split_at(5);
    let flags = control[0];
    let names = [
        "IM000001",
        "a.zip",
        "IMG_0001.JPG",
        "report.pdf",
        "DICOMDIR",
        "x.dcm",
    ];
    // Up to three files: two little-endian lengths, then the rest is the third. Each file's
    // first byte picks its name; empty ones are left out.
    let mut files = HashMap::new();
    for i in 0..3 {
        let len = match i {
            2 => rest.len(),
            _ => usize::from(u16::from_le_bytes([control[1 + 2 * i], control[2 + 2 * i]]))
                .min(rest.len()),
        };
        let (part, after) = rest.split_at(len);
        rest = after;
        let Some((pick, bytes)) = part.split_first() else {
            continue;
        };
        let name = names[usize::from(*pick) % names.len()];
        files.insert(format!("f{i}/{name}"), bytes.to_vec());
    }
    let limits = Limits::default();
    let mut entries: Vec<_> = files
        .iter()
        .map(|(p, b)| scan_bytes(p, b, &limits))
        .collect();
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    let report = report::build(entries, Declarations::default());
    let plan_options = PlanOptions {
        deidentify: (flags & 2 != 0).then_some(Options {
            secret: [7; 32],
            modified_dates: flags & 8 != 0,
            patient_characteristics: false,
            clean_descriptors: flags & 16 != 0,
        }),
        ..PlanOptions::default()
    };
    let plan = Plan::build(&report, &plan_options);
    let options = BundleOptions {
        deflate: flags & 1 != 0,
        keep_picture_metadata: flags & 4 != 0,
        // Small pieces and chunks, so inputs and the zip cross chunk boundaries.
        piece: 1 + usize::from(flags >> 5) * 97,
        chunk: 1 + usize::from(flags >> 5) * 131,
        ..BundleOptions::default()
    };
    let mut bundler = Bundler::new(plan, options);
    let mut zip = Vec::new();
    bundler
        .write_all_to(&mut Memory(files), &mut zip)
        .expect("a bundle of inputs in memory is written");
    let checked = verify(Cursor::new(&zip));
    assert!(checked.ok(), "{:#?}", checked.problems);
});
