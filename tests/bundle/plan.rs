//! The plan's set-aside list is what the bundle leaves out, before it is written.

use std::collections::HashMap;
use std::fs;

use record_precheck::bundle::{BundleOptions, Bundler, FsSource, Outcome, Plan, PlanOptions};
use record_precheck::readiness::Declarations;
use record_precheck::{report, Limits};

use crate::common::{assert_verifies, pdf, put_file, scratch, zip_of};

#[test]
fn set_aside_is_what_the_bundle_leaves_out_before_it_is_written() {
    let dir = scratch("set-aside-input");
    let put = |rel: &str, bytes: &[u8]| put_file(&dir, rel, bytes);
    let mut exe = b"MZ".to_vec();
    exe.resize(512, 0);
    put("VIEWER/VIEWER.EXE", &exe);
    put("empty.txt", b"");
    put("report.pdf", &pdf("a report"));
    let inner = zip_of(&[("deep.pdf", &pdf("inside a zip inside a zip"))]);
    put(
        "outer.zip",
        &zip_of(&[
            ("inner.zip", &inner),
            ("__MACOSX/._scan.pdf", b"\x00\x05\x16\x07 resource fork"),
            ("scan.pdf", &pdf("a scan")),
        ]),
    );
    let (files, mut source) =
        FsSource::scan(std::slice::from_ref(&dir), &Limits::default()).unwrap();
    let report = report::build(files, Declarations::default());
    let plan = Plan::build(&report, &PlanOptions::default());
    assert_eq!(
        Plan::inputs_only(&report, &PlanOptions::default()).items,
        plan.items,
        "the same inputs, with or without the generated files"
    );
    let set_aside: HashMap<String, String> = plan
        .set_aside()
        .into_iter()
        .map(|(p, r)| (p.to_string(), r.to_string()))
        .collect();
    let mut paths: Vec<&str> = set_aside.keys().map(String::as_str).collect();
    paths.sort();
    // The member of the zip kept packed is in the bundle (inside it): not set aside.
    assert_eq!(
        paths,
        [
            "VIEWER/VIEWER.EXE",
            "empty.txt",
            "outer.zip!/__MACOSX/._scan.pdf"
        ],
        "{set_aside:?}"
    );

    // The bundle agrees: what is set aside is left out with the same reason, and whatever else
    // it leaves out is inside a zip it keeps packed.
    let mut bundler = Bundler::new(plan, BundleOptions::default());
    let zip = scratch("set-aside").join("bundle.zip");
    bundler
        .write_all_to(&mut source, &mut fs::File::create(&zip).unwrap())
        .unwrap();
    let manifest = bundler.manifest().expect("the bundle is complete");
    for r in &manifest.inputs {
        match set_aside.get(&r.path) {
            Some(reason) => {
                assert_eq!(r.outcome, Outcome::LeftOut, "{}", r.path);
                assert_eq!(r.reason.as_deref(), Some(reason.as_str()), "{}", r.path);
            }
            None if r.outcome == Outcome::LeftOut => assert!(
                r.reason.as_deref().unwrap_or("").contains("kept packed"),
                "{} is left out but not set aside: {:?}",
                r.path,
                r.reason
            ),
            None => {}
        }
    }
    assert!(
        manifest
            .inputs
            .iter()
            .any(|r| r.path == "outer.zip!/inner.zip!/deep.pdf"),
        "the member of the packed zip is in the manifest"
    );
    assert_verifies(&zip);
}
