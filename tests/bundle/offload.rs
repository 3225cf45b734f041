//! Hashing handed to someone else (as the page does) gives the same bundle.

use std::collections::HashMap;
use std::fs;

use record_precheck::bundle::{
    BundleOptions, Bundler, FsSource, HashOffload, Manifest, Outcome, Plan, PlanOptions,
};
use record_precheck::readiness::Declarations;
use record_precheck::{report, Limits};
use sha2::{Digest, Sha256};

use crate::common::{assert_verifies, bundle_to, inputs_with_duplicates, record, scratch};

/// A [`HashOffload`] like the page's: pieces hashed "elsewhere" (here: later, by the test loop),
/// with a small bound on the bytes in flight so that the bundler has to wait for room, and
/// digests given back only when the bundler says it waits.
#[derive(Default)]
struct LaterHashes {
    state: std::rc::Rc<std::cell::RefCell<LaterState>>,
}

#[derive(Default)]
struct LaterState {
    hashing: HashMap<usize, Sha256>,
    ended: Vec<(usize, String)>,
    in_flight: usize,
    pieces: usize,
}

impl HashOffload for LaterHashes {
    fn has_room(&self) -> bool {
        self.state.borrow().in_flight < 64 << 10
    }
    fn piece(&mut self, item: usize, bytes: &[u8]) {
        let mut s = self.state.borrow_mut();
        s.hashing.entry(item).or_default().update(bytes);
        s.in_flight += bytes.len();
        s.pieces += 1;
    }
    fn end(&mut self, item: usize) {
        let mut s = self.state.borrow_mut();
        let digest = s.hashing.remove(&item).unwrap_or_default().finalize();
        let hex = digest.iter().map(|b| format!("{b:02x}")).collect();
        s.ended.push((item, hex));
    }
}

#[test]
fn offloaded_hashing_gives_the_same_bundle() {
    // A case with duplicates (and a same-size file that is not one), zips and DICOM.
    let dir = inputs_with_duplicates("offload-input", &["case-mixed", "case-cd-ct"]);

    let here = scratch("offload-output").join("here.zip");
    let expected = bundle_to(
        std::slice::from_ref(&dir),
        &PlanOptions::default(),
        BundleOptions::default(),
        &here,
    );

    let (files, mut source) =
        FsSource::scan(std::slice::from_ref(&dir), &Limits::default()).unwrap();
    let report = report::build(files, Declarations::default());
    let plan = Plan::build(&report, &PlanOptions::default());
    let mut bundler = Bundler::new(plan, BundleOptions::default());
    let offload = LaterHashes::default();
    let state = offload.state.clone();
    bundler.offload_hashing(Box::new(offload));
    let mut out = Vec::new();
    let mut waits = 0;
    while let Some(chunk) = bundler.next_chunk(&mut source).unwrap() {
        out.extend_from_slice(&chunk);
        if bundler.waiting() {
            waits += 1;
            let mut s = state.borrow_mut();
            s.in_flight = 0;
            for (item, hex) in s.ended.drain(..) {
                bundler.set_digest(item, hex);
            }
        }
    }
    let got = bundler.manifest().expect("complete").clone();
    assert!(waits > 0, "the bundler waited for room or digests");
    assert!(state.borrow().pieces > 0, "pieces went to the offload");

    // The same inputs, fates and digests as when the bundler hashes itself.
    let fates = |m: &Manifest| -> Vec<(String, String, Option<String>, Option<String>)> {
        m.inputs
            .iter()
            .map(|r| {
                let reason = r
                    .reason
                    .clone()
                    .map(|t| t.replace(&*dir.to_string_lossy(), ""));
                (
                    r.path.clone(),
                    r.outcome.as_str().to_string(),
                    r.sha256.clone(),
                    reason,
                )
            })
            .collect()
    };
    assert_eq!(fates(&got), fates(&expected));
    let duplicate = record(&got, "two.pdf");
    assert_eq!(
        duplicate.outcome,
        Outcome::LeftOut,
        "two.pdf is a duplicate"
    );
    assert_eq!(record(&got, "three.pdf").outcome, Outcome::Copied);
    assert_eq!(record(&got, "copy-of-a-ct-image").outcome, Outcome::LeftOut);

    let zip_path = scratch("offload-output").join("offloaded.zip");
    fs::write(&zip_path, &out).unwrap();
    assert_verifies(&zip_path);
}
