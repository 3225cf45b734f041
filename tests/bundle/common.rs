//! What the bundle tests share: the corpus and scratch folders, bundling a folder to a file,
//! the checks of a finished bundle (our verifier, Python's `zipfile`, `unzip -t`, every input
//! accounted for by SHA-256) and small inputs made on the spot.

use std::collections::{HashMap, VecDeque};
use std::fs;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use record_precheck::bundle::{
    verify, BundleOptions, Bundler, FsSource, InputRecord, Manifest, Outcome, Plan, PlanOptions,
};
use record_precheck::readiness::Declarations;
use record_precheck::recognise::zip::member_name;
use record_precheck::{report, Limits};
use sha2::{Digest, Sha256};

pub fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

/// A fresh folder for one test's files.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("bundle-tests")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn sha_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Scans `paths`, plans and bundles them into `out`; returns the manifest.
pub fn bundle_to(
    paths: &[PathBuf],
    plan_options: &PlanOptions,
    options: BundleOptions,
    out: &Path,
) -> Manifest {
    let (files, mut source) = FsSource::scan(paths, &Limits::default()).unwrap();
    let report = report::build(files, Declarations::default());
    let plan = Plan::build(&report, plan_options);
    let mut bundler = Bundler::new(plan, options);
    let mut file = fs::File::create(out).unwrap();
    bundler.write_all_to(&mut source, &mut file).unwrap();
    bundler.manifest().expect("the bundle is complete").clone()
}

pub fn assert_verifies(zip: &Path) {
    let report = verify(fs::File::open(zip).unwrap());
    assert!(report.ok(), "{}: {:#?}", zip.display(), report.problems);
    assert!(report.entries > 0);
}

/// Python's zipfile: `testzip()` finds nothing, and every manifest SHA-256 matches the bytes.
pub fn python_check(zip: &Path) {
    const SCRIPT: &str = r#"
import sys, zipfile, hashlib, json
z = zipfile.ZipFile(sys.argv[1])
bad = z.testzip()
assert bad is None, "testzip: first bad entry %r" % bad
m = json.loads(z.read("manifest.json"))
n = 0
for r in m["inputs"]:
    d = r.get("destination")
    if d:
        h = hashlib.sha256(z.read(d)).hexdigest()
        expected = r.get("written_sha256") or r["sha256"]
        assert h == expected, (d, h, expected)
        n += 1
for g in m["generated"]:
    assert hashlib.sha256(z.read(g["name"])).hexdigest() == g["sha256"], g["name"]
print("python zipfile ok:", n, "inputs,", len(z.namelist()), "entries")
"#;
    match Command::new("python3")
        .arg("-c")
        .arg(SCRIPT)
        .arg(zip)
        .output()
    {
        // A missing tool fails the test rather than skip the check (.ci/run installs it).
        Err(e) => panic!("could not run python3 (Debian: apt-get install python3): {e}"),
        Ok(out) => assert!(
            out.status.success(),
            "python zipfile on {}: {}{}",
            zip.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

/// `unzip -t` (Info-ZIP's unzip).
pub fn unzip_check(zip: &Path) {
    match Command::new("unzip").arg("-tqq").arg(zip).output() {
        Err(e) => panic!("could not run unzip (Debian: apt-get install unzip): {e}"),
        Ok(out) => assert!(
            out.status.success(),
            "unzip -t {}: {}{}",
            zip.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

/// Every regular file under `dir`, as `(relative path with /, full path)`, sorted.
pub fn walk(dir: &Path) -> Vec<(String, PathBuf)> {
    fn go(dir: &Path, rel: &str, out: &mut Vec<(String, PathBuf)>) {
        let mut entries: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap()).collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name().to_string_lossy().into_owned();
            let r = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            let t = e.file_type().unwrap();
            if t.is_dir() {
                go(&e.path(), &r, out);
            } else if t.is_file() {
                out.push((r, e.path()));
            }
        }
    }
    let mut out = Vec::new();
    go(dir, "", &mut out);
    out
}

type Records<'a> = HashMap<&'a str, VecDeque<&'a InputRecord>>;

/// The SHA-256 of an entry of the bundle.
fn entry_sha(bundle: &mut zip::ZipArchive<fs::File>, name: &str) -> String {
    let mut bytes = Vec::new();
    bundle
        .by_name(name)
        .unwrap_or_else(|e| panic!("{name} is missing from the zip: {e}"))
        .read_to_end(&mut bytes)
        .unwrap();
    sha_hex(&bytes)
}

/// Takes the next manifest record for `path` and checks it: copied with the same bytes (when
/// `sha` is known), or left out / unpacked with a reason.
fn check_input(
    records: &mut Records<'_>,
    bundle: &mut zip::ZipArchive<fs::File>,
    path: &str,
    sha: Option<String>,
) -> Outcome {
    let r = records
        .get_mut(path)
        .and_then(|q| q.pop_front())
        .unwrap_or_else(|| panic!("{path} is not in the manifest"));
    match r.outcome {
        Outcome::Copied => {
            let dest = r
                .destination
                .as_deref()
                .expect("a copied file has a destination");
            let in_zip = entry_sha(bundle, dest);
            assert_eq!(
                Some(in_zip.as_str()),
                r.sha256_in_bundle(),
                "{path} -> {dest}"
            );
            if let Some(sha) = sha {
                // A picture written without its location metadata differs, and says so.
                let expected = if r.written_sha256.is_some() {
                    assert!(!r.metadata_removed.is_empty(), "{path}: {r:?}");
                    r.sha256.as_ref().unwrap()
                } else {
                    &in_zip
                };
                assert_eq!(
                    expected, &sha,
                    "{path}: the bytes in the zip differ from the input"
                );
            }
        }
        Outcome::LeftOut | Outcome::Unpacked => {
            let reason = r.reason.as_deref().unwrap_or("");
            assert!(
                !reason.trim().is_empty(),
                "{path}: left out without a reason"
            );
            if let (Some(listed), Some(sha)) = (&r.sha256, &sha) {
                assert_eq!(listed, sha, "{path}: a duplicate's SHA-256");
            }
        }
        Outcome::Incomplete => panic!("{path}: copied only in part: {:?}", r.reason),
    }
    r.outcome
}

/// Checks that every file under `dir` (and every member of its zips) is in the manifest, and
/// either in the zip with its SHA-256 or left out with a reason. Returns how many were checked.
pub fn account_for_every_input(dir: &Path, zip_path: &Path, manifest: &Manifest) -> usize {
    let mut records: Records<'_> = HashMap::new();
    for r in &manifest.inputs {
        records.entry(r.path.as_str()).or_default().push_back(r);
    }
    let mut bundle = zip::ZipArchive::new(fs::File::open(zip_path).unwrap()).unwrap();
    let mut checked = 0;
    for (rel, full) in walk(dir) {
        let bytes = fs::read(&full).unwrap();
        checked += 1;
        let outcome = check_input(&mut records, &mut bundle, &rel, Some(sha_hex(&bytes)));
        if outcome != Outcome::Unpacked {
            continue;
        }
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        for i in 0..archive.len() {
            let mut member = archive.by_index(i).unwrap();
            if member.is_dir() {
                continue;
            }
            let (name, _) = member_name(member.name_raw(), &Limits::default());
            let path = format!("{rel}!/{name}");
            let copied = records
                .get(path.as_str())
                .and_then(|q| q.front())
                .is_some_and(|r| r.outcome == Outcome::Copied);
            // Members left out are not inflated here (one is a zip bomb).
            let sha = copied.then(|| {
                let mut content = Vec::new();
                member.read_to_end(&mut content).unwrap();
                sha_hex(&content)
            });
            drop(member);
            checked += 1;
            check_input(&mut records, &mut bundle, &path, sha);
        }
    }
    let left: Vec<_> = records.values().flatten().map(|r| &r.path).collect();
    assert!(
        left.is_empty(),
        "in the manifest but not among the inputs: {left:?}"
    );
    checked
}

pub fn record<'a>(m: &'a Manifest, path: &str) -> &'a InputRecord {
    m.inputs
        .iter()
        .find(|r| r.path == path)
        .unwrap_or_else(|| panic!("{path} is not in the manifest"))
}

/// A zip of the given members, stored.
pub fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in members {
        w.start_file(*name, stored).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Writes `bytes` at `rel` under `dir`, making its folders.
pub fn put_file(dir: &Path, rel: &str, bytes: &[u8]) {
    let p = dir.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, bytes).unwrap();
}
/// A folder `name` holding copies of the corpus `cases` and files that test duplicates: two PDFs
/// with the same report, one of the same size with another, and a copy of a CT image.
pub fn inputs_with_duplicates(name: &str, cases: &[&str]) -> PathBuf {
    let dir = scratch(name);
    for case in cases {
        let status = Command::new("cp")
            .arg("-r")
            .arg(corpus().join(case))
            .arg(&dir)
            .status()
            .unwrap();
        assert!(status.success());
    }
    fs::write(dir.join("one.pdf"), pdf("the same report")).unwrap();
    fs::write(dir.join("two.pdf"), pdf("the same report")).unwrap();
    fs::write(dir.join("three.pdf"), pdf("another  report")).unwrap();
    let ct = dir.join("case-cd-ct/IMAGES/SER00002");
    let first = fs::read_dir(&ct).unwrap().next().unwrap().unwrap().path();
    fs::copy(&first, dir.join("copy-of-a-ct-image")).unwrap();
    dir
}

/// A small PDF whose bytes differ by `text`.
pub fn pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {text}\n%%EOF\n").into_bytes()
}
