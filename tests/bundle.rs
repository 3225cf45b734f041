//! The bundle end to end: every `../shared/corpus` case round-trips (our verifier, Python's
//! `zipfile`, `unzip -t`, and every input file and zip member accounted for by SHA-256); names
//! from hostile inputs stay safe; Zip64 past 65,535 entries and 4 GiB through a sink that checks
//! the stream as it goes; a damaged or incomplete bundle fails verification; the CLI's exit codes.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fs;
use std::io::{self, Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use record_precheck::bundle::names::is_safe_component;
use record_precheck::bundle::{
    verify, Action, BundleOptions, Bundler, FileSource, FsSource, HashOffload, InputRecord,
    Manifest, Outcome, Plan, PlanItem, PlanOptions, Source,
};
use record_precheck::io::ReadSeek;
use record_precheck::readiness::Declarations;
use record_precheck::recognise::zip::member_name;
use record_precheck::{report, FileKind, Limits};
use sha2::{Digest, Sha256};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

/// A fresh folder for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("bundle-tests")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn sha_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Scans `paths`, plans and bundles them into `out`; returns the manifest.
fn bundle_to(
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

fn assert_verifies(zip: &Path) {
    let report = verify(fs::File::open(zip).unwrap());
    assert!(report.ok(), "{}: {:#?}", zip.display(), report.problems);
    assert!(report.entries > 0);
}

/// Python's zipfile: `testzip()` finds nothing, and every manifest SHA-256 matches the bytes.
fn python_check(zip: &Path) {
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
        assert h == r["sha256"], (d, h, r["sha256"])
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
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            println!("note: python3 not found, Python zipfile check skipped")
        }
        Err(e) => panic!("could not run python3: {e}"),
        Ok(out) => assert!(
            out.status.success(),
            "python zipfile on {}: {}{}",
            zip.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

/// `unzip -t`, when Info-ZIP's unzip is installed.
fn unzip_check(zip: &Path) {
    match Command::new("unzip").arg("-tqq").arg(zip).output() {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            println!("note: unzip not found, `unzip -t` check skipped")
        }
        Err(e) => panic!("could not run unzip: {e}"),
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
fn walk(dir: &Path) -> Vec<(String, PathBuf)> {
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
            assert_eq!(Some(&in_zip), r.sha256.as_ref(), "{path} -> {dest}");
            if let Some(sha) = sha {
                assert_eq!(
                    in_zip, sha,
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
fn account_for_every_input(dir: &Path, zip_path: &Path, manifest: &Manifest) -> usize {
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

#[test]
fn every_corpus_case_round_trips() {
    let mut cases: Vec<PathBuf> = fs::read_dir(corpus())
        .expect("../shared/corpus is there")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 5, "{cases:?}");
    let out = scratch("corpus");
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        for deflate in [false, true] {
            let zip = out.join(format!(
                "{name}{}.zip",
                if deflate { "-deflate" } else { "" }
            ));
            let options = BundleOptions {
                deflate,
                ..BundleOptions::default()
            };
            let manifest = bundle_to(
                std::slice::from_ref(case),
                &PlanOptions::default(),
                options,
                &zip,
            );
            assert_verifies(&zip);
            python_check(&zip);
            unzip_check(&zip);
            let checked = account_for_every_input(case, &zip, &manifest);
            assert_eq!(checked, manifest.inputs.len(), "{name}");
            let deflated: Vec<&InputRecord> = manifest
                .inputs
                .iter()
                .filter(|r| r.method.as_deref() == Some("deflated"))
                .collect();
            for r in &deflated {
                assert!(deflate, "{}: deflated without --deflate", r.path);
                assert!(
                    matches!(r.kind.as_str(), "dicom" | "pdf" | "document"),
                    "{}: a {} file is compressed already",
                    r.path,
                    r.kind
                );
            }
            if deflate && name == "case-mixed" {
                assert!(deflated.iter().any(|r| r.kind == "dicom"), "{name}");
            }
        }
    }
}

fn record<'a>(m: &'a Manifest, path: &str) -> &'a InputRecord {
    m.inputs
        .iter()
        .find(|r| r.path == path)
        .unwrap_or_else(|| panic!("{path} is not in the manifest"))
}

#[test]
fn corpus_files_go_where_a_reviewer_expects() {
    let out = scratch("expectations");
    let zip = out.join("cd.zip");
    let m = bundle_to(
        &[corpus().join("case-cd-ct")],
        &PlanOptions::default(),
        BundleOptions::default(),
        &zip,
    );
    let viewer = record(&m, "VIEWER/VIEWER.EXE");
    assert_eq!(viewer.outcome, Outcome::LeftOut);
    assert!(viewer.reason.as_deref().unwrap().contains("software"));
    assert_eq!(record(&m, "DICOMDIR").outcome, Outcome::LeftOut);
    let image = record(&m, "IMAGES/SER00001/IM000001");
    assert_eq!(
        image.destination.as_deref(),
        Some("imaging/Doe Peter/2001-01-01_CT/004_Scout/IM000001.dcm")
    );
    assert_eq!(image.method.as_deref(), Some("stored"));

    let zip = out.join("bad.zip");
    let m = bundle_to(
        &[corpus().join("case-bad-input")],
        &PlanOptions::default(),
        BundleOptions::default(),
        &zip,
    );
    assert!(record(&m, "empty.dcm")
        .reason
        .as_deref()
        .unwrap()
        .contains("empty"));
    let bomb = record(&m, "bomb_claims_4GB.zip!/IMAGES/IM000001");
    assert_eq!(bomb.outcome, Outcome::LeftOut);
    assert!(bomb.reason.as_deref().unwrap().contains("zip-bomb"));
    let garbage = record(&m, "dicm_garbage.dcm");
    assert_eq!(
        garbage.destination.as_deref(),
        Some("unreadable/dicm_garbage.dcm")
    );
    assert!(garbage
        .reason
        .as_deref()
        .unwrap()
        .contains("could not be read"));
    let evil = record(&m, "zipslip.zip!/evil.dcm");
    assert_eq!(evil.outcome, Outcome::Copied);
    assert!(evil.destination.as_deref().unwrap().starts_with("imaging/"));
    assert!(record(&m, "zipslip.zip")
        .reason
        .as_deref()
        .unwrap()
        .contains("unpacked"));

    // Several folders: paths get the folder's name, zip members too, and the patient's
    // categories and exclusions apply.
    let zip = out.join("two.zip");
    let m = bundle_to(
        &[
            corpus().join("case-mixed"),
            corpus().join("case-screenshots"),
        ],
        &PlanOptions {
            exclude: vec![
                "case-screenshots/IMG_4822.JPG".into(),
                "case-mixed/images_export.zip".into(),
            ],
            ..PlanOptions::default()
        },
        BundleOptions::default(),
        &zip,
    );
    assert_verifies(&zip);
    let excluded = record(&m, "case-screenshots/IMG_4822.JPG");
    assert_eq!(excluded.reason.as_deref(), Some("excluded by the patient"));
    let member = record(&m, "case-mixed/images_export.zip!/EXPORT/IMG00002");
    assert_eq!(member.outcome, Outcome::LeftOut);
    assert!(member
        .reason
        .as_deref()
        .unwrap()
        .contains("excluded by the patient"));
    assert_eq!(
        record(&m, "case-screenshots/IMG_4821.JPG")
            .destination
            .as_deref(),
        Some("photos-and-screenshots/IMG_4821.JPG")
    );
    assert!(record(&m, "case-mixed/radiology_report.pdf")
        .destination
        .as_deref()
        .unwrap()
        .starts_with("documents/radiology-report/"));
}

/// A zip of the given members, stored.
fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
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
fn put_file(dir: &Path, rel: &str, bytes: &[u8]) {
    let p = dir.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, bytes).unwrap();
}

/// A small PDF whose bytes differ by `text`.
fn pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {text}\n%%EOF\n").into_bytes()
}

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
    if let Ok(status) = Command::new("python3")
        .args(["-c", script])
        .arg(&zip)
        .arg(&target)
        .status()
    {
        assert!(status.success());
        let files = walk(&target);
        assert_eq!(files.len(), names.len());
        assert!(!out.join("escape.pdf").exists() && !out.join("abs").exists());
    }
}

// ---- Zip64 through a verifying sink -----------------------------------------------------------

/// Inputs made up on the fly: a byte pattern (`(position + seed) % 251`, so "PK" never occurs
/// in the data) or zeros, never on disk or whole in memory.
struct Generated {
    files: HashMap<String, (u64, Option<u8>)>,
}

struct Pattern {
    left: u64,
    pos: u64,
    seed: Option<u8>,
}

/// The pattern over one period and 1 MiB more, to copy from.
fn period() -> &'static [u8] {
    static TABLE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| (0..251 + (1 << 20)).map(|i| (i % 251) as u8).collect())
}

impl Read for Pattern {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = (buf.len() as u64).min(self.left).min(1 << 20) as usize;
        match self.seed {
            None => buf[..n].fill(0),
            Some(seed) => {
                let at = ((self.pos + u64::from(seed)) % 251) as usize;
                buf[..n].copy_from_slice(&period()[at..at + n]);
            }
        }
        self.pos += n as u64;
        self.left -= n as u64;
        Ok(n)
    }
}

impl FileSource for Generated {
    fn open(&mut self, path: &str) -> io::Result<Box<dyn Read>> {
        let &(len, seed) = self
            .files
            .get(path)
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, path.to_string()))?;
        Ok(Box::new(Pattern {
            left: len,
            pos: 0,
            seed,
        }))
    }

    fn open_seekable(&mut self, _: &str) -> io::Result<Box<dyn ReadSeek>> {
        Err(io::Error::new(io::ErrorKind::Unsupported, "no zips here"))
    }
}

/// CRC-32 and SHA-256 of a generated input.
fn digests(len: u64, seed: Option<u8>) -> (u32, String) {
    let mut crc = flate2::Crc::new();
    let mut sha = Sha256::new();
    let mut r = Pattern {
        left: len,
        pos: 0,
        seed,
    };
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = r.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        crc.update(&buf[..n]);
        sha.update(&buf[..n]);
    }
    (
        crc.sum(),
        sha.finalize().iter().map(|b| format!("{b:02x}")).collect(),
    )
}

/// A local header seen in the stream, and the 24 bytes before it (the data descriptor of the
/// entry before).
struct Local {
    offset: u64,
    flags: u16,
    name: Vec<u8>,
    data_start: u64,
    before: Vec<u8>,
}

/// Consumes the zip as it streams: counts bytes, finds every local header (the generated data
/// never holds "PK"), keeps the last `TAIL` bytes for the central directory and end records.
struct CheckingSink {
    total: u64,
    window: Vec<u8>,
    window_start: u64,
    locals: Vec<Local>,
    tail: Vec<u8>,
    tail_start: u64,
    largest_chunk: usize,
}

const TAIL: usize = 48 << 20;

impl CheckingSink {
    fn new() -> Self {
        CheckingSink {
            total: 0,
            window: Vec::new(),
            window_start: 0,
            locals: Vec::new(),
            tail: Vec::new(),
            tail_start: 0,
            largest_chunk: 0,
        }
    }

    fn push(&mut self, chunk: &[u8]) {
        self.largest_chunk = self.largest_chunk.max(chunk.len());
        self.total += chunk.len() as u64;
        self.tail.extend_from_slice(chunk);
        if self.tail.len() > 2 * TAIL {
            let cut = self.tail.len() - TAIL;
            self.tail.drain(..cut);
            self.tail_start += cut as u64;
        }
        self.window.extend_from_slice(chunk);
        let w = &self.window;
        let mut i = 0;
        let mut keep_from = w.len().saturating_sub(27);
        while i + 4 <= w.len() {
            match w[i..].iter().position(|&b| b == b'P') {
                None => break,
                Some(p) => i += p,
            }
            if i + 4 > w.len() {
                break;
            }
            if &w[i..i + 4] == b"PK\x03\x04" {
                if i + 30 > w.len() {
                    keep_from = keep_from.min(i.saturating_sub(24));
                    break;
                }
                let n = u16::from_le_bytes([w[i + 26], w[i + 27]]) as usize;
                let m = u16::from_le_bytes([w[i + 28], w[i + 29]]) as usize;
                if i + 30 + n + m > w.len() {
                    keep_from = keep_from.min(i.saturating_sub(24));
                    break;
                }
                let offset = self.window_start + i as u64;
                if self.locals.last().is_none_or(|l| l.offset < offset) {
                    self.locals.push(Local {
                        offset,
                        flags: u16::from_le_bytes([w[i + 6], w[i + 7]]),
                        name: w[i + 30..i + 30 + n].to_vec(),
                        data_start: offset + (30 + n + m) as u64,
                        before: w[i.saturating_sub(24)..i].to_vec(),
                    });
                }
                i += 30 + n + m;
            } else {
                i += 1;
            }
        }
        self.window.drain(..keep_from);
        self.window_start += keep_from as u64;
    }

    /// The stream's bytes from `offset` (which must still be in the tail).
    fn at(&self, offset: u64, len: usize) -> &[u8] {
        assert!(
            offset >= self.tail_start,
            "byte {offset} is no longer in the tail"
        );
        let i = (offset - self.tail_start) as usize;
        &self.tail[i..i + len]
    }
}

fn u16_at(b: &[u8], i: usize) -> u16 {
    u16::from_le_bytes(b[i..i + 2].try_into().unwrap())
}
fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes(b[i..i + 4].try_into().unwrap())
}
fn u64_at(b: &[u8], i: usize) -> u64 {
    u64::from_le_bytes(b[i..i + 8].try_into().unwrap())
}

/// One central directory record, with Zip64 values resolved.
struct Central {
    name: Vec<u8>,
    crc: u32,
    compressed: u64,
    size: u64,
    offset: u64,
}

/// Parses the end records and the central directory, checks them against the local headers
/// and data descriptors seen in the stream; returns the records by name.
fn check_structure(sink: &CheckingSink, entries: usize) -> HashMap<Vec<u8>, Central> {
    let end = sink.total;
    let eocd = sink.at(end - 22, 22);
    assert_eq!(&eocd[..4], b"PK\x05\x06", "end of central directory");
    assert_eq!(
        u16_at(eocd, 10),
        0xFFFF,
        "more than 65,535 entries: the count is in Zip64"
    );
    let locator = sink.at(end - 42, 20);
    assert_eq!(
        &locator[..4],
        b"PK\x06\x07",
        "Zip64 end of central directory locator"
    );
    let z64_offset = u64_at(locator, 8);
    assert_eq!(u32_at(locator, 16), 1, "one disk");
    let z64 = sink.at(z64_offset, 56);
    assert_eq!(
        &z64[..4],
        b"PK\x06\x06",
        "Zip64 end of central directory record"
    );
    assert_eq!(u64_at(z64, 4), 44, "record size");
    assert_eq!(u64_at(z64, 24), entries as u64, "entries on this disk");
    assert_eq!(u64_at(z64, 32), entries as u64, "entries in all");
    let cd_size = u64_at(z64, 40);
    let cd_offset = u64_at(z64, 48);
    assert_eq!(
        cd_offset + cd_size,
        z64_offset,
        "the directory ends where the Zip64 record starts"
    );
    assert_eq!(
        z64_offset + 56 + 20 + 22,
        end,
        "nothing after the end records"
    );

    let cd = sink.at(cd_offset, cd_size as usize);
    let mut records = Vec::new();
    let mut i = 0;
    while i < cd.len() {
        assert_eq!(
            &cd[i..i + 4],
            b"PK\x01\x02",
            "central directory record at {i}"
        );
        let (n, m, k) = (
            u16_at(cd, i + 28) as usize,
            u16_at(cd, i + 30) as usize,
            u16_at(cd, i + 32) as usize,
        );
        let mut c = Central {
            crc: u32_at(cd, i + 16),
            compressed: u64::from(u32_at(cd, i + 20)),
            size: u64::from(u32_at(cd, i + 24)),
            offset: u64::from(u32_at(cd, i + 42)),
            name: cd[i + 46..i + 46 + n].to_vec(),
        };
        let extra = &cd[i + 46 + n..i + 46 + n + m];
        let mut j = 0;
        while j + 4 <= extra.len() {
            let (id, len) = (u16_at(extra, j), u16_at(extra, j + 2) as usize);
            if id == 1 {
                let mut at = j + 4;
                for field in [&mut c.size, &mut c.compressed, &mut c.offset] {
                    if *field == 0xFFFF_FFFF {
                        *field = u64_at(extra, at);
                        at += 8;
                    }
                }
                assert!(at <= j + 4 + len, "Zip64 extra field too short");
            }
            j += 4 + len;
        }
        for (what, v) in [
            ("size", c.size),
            ("compressed size", c.compressed),
            ("offset", c.offset),
        ] {
            assert_ne!(
                v,
                0xFFFF_FFFF,
                "{what} of {:?} left at the Zip64 marker",
                String::from_utf8_lossy(&c.name)
            );
        }
        records.push(c);
        i += 46 + n + m + k;
    }
    assert_eq!(records.len(), entries, "central directory records");
    assert_eq!(
        sink.locals.len(),
        entries,
        "local headers seen in the stream"
    );

    // Each record points at its local header; the bytes up to the next header are the data
    // and a data descriptor that repeats the CRC and sizes.
    for (idx, (c, l)) in records.iter().zip(&sink.locals).enumerate() {
        let name = String::from_utf8_lossy(&c.name);
        assert_eq!(c.offset, l.offset, "{name}: local header offset");
        assert_eq!(c.name, l.name, "{name}: the local header's name");
        assert_ne!(
            l.flags & 0x08,
            0,
            "{name}: streamed entries use a data descriptor"
        );
        let next = sink.locals.get(idx + 1).map_or(cd_offset, |n| n.offset);
        let before: Vec<u8> = match sink.locals.get(idx + 1) {
            Some(n) => n.before.clone(),
            None => sink.at(cd_offset - 24, 24).to_vec(),
        };
        let descriptor_len = next - l.data_start - c.compressed;
        let d = &before[24 - descriptor_len as usize..];
        assert_eq!(&d[..4], b"PK\x07\x08", "{name}: data descriptor");
        assert_eq!(u32_at(d, 4), c.crc, "{name}: descriptor CRC");
        let (csize, size) = match descriptor_len {
            24 => (u64_at(d, 8), u64_at(d, 16)),
            16 => (u64::from(u32_at(d, 8)), u64::from(u32_at(d, 12))),
            other => panic!("{name}: a {other}-byte data descriptor"),
        };
        assert_eq!(
            (csize, size),
            (c.compressed, c.size),
            "{name}: descriptor sizes"
        );
        if c.size >= 0xFFFF_FFFF {
            assert_eq!(descriptor_len, 24, "{name}: a Zip64 data descriptor");
        }
    }
    records.into_iter().map(|c| (c.name.clone(), c)).collect()
}

/// Highest resident memory of this process so far, in KiB (Linux).
fn peak_rss_kib() -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Streams `inputs` (path, length, seed) through the bundler into a checking sink and checks
/// everything: structure, CRCs, SHA-256 in the manifest, chunk sizes.
fn stream_and_check(inputs: Vec<(String, u64, Option<u8>)>) {
    let items: Vec<PlanItem> = inputs
        .iter()
        .map(|(path, len, _)| PlanItem {
            path: path.clone(),
            size: *len,
            kind: FileKind::Other,
            source: Source::File(path.clone()),
            action: Action::Copy {
                destination: format!("data/{path}"),
                compressible: false,
            },
            duplicate_key: None,
            note: None,
        })
        .collect();
    let mut source = Generated {
        files: inputs
            .iter()
            .map(|(p, len, seed)| (p.clone(), (*len, *seed)))
            .collect(),
    };
    let options = BundleOptions::default();
    let chunk_bound = options.chunk + options.piece + (64 << 10);
    let mut bundler = Bundler::new(Plan::new(items), options);
    let mut sink = CheckingSink::new();
    let rss_before = peak_rss_kib();
    let started = std::time::Instant::now();
    while let Some(chunk) = bundler.next_chunk(&mut source).unwrap() {
        sink.push(&chunk);
    }
    let elapsed = started.elapsed();
    let rss_after = peak_rss_kib();
    println!(
        "streamed {} entries, {:.2} GB in {:.1} s; largest chunk {} B; peak RSS {:?} -> {:?} KiB",
        inputs.len(),
        sink.total as f64 / 1e9,
        elapsed.as_secs_f64(),
        sink.largest_chunk,
        rss_before,
        rss_after
    );
    assert!(
        sink.largest_chunk <= chunk_bound,
        "a chunk of {} B",
        sink.largest_chunk
    );
    if let (Some(a), Some(b)) = (rss_before, rss_after) {
        // The manifest of 70,000 inputs is the only thing that grows; file bytes never pile up.
        assert!(
            b.saturating_sub(a) < 400 << 10,
            "peak memory grew by {} KiB",
            b - a
        );
    }
    let manifest = bundler.manifest().unwrap();
    assert_eq!(manifest.totals.copied, inputs.len());
    // The inputs plus manifest.csv and manifest.json.
    let central = check_structure(&sink, inputs.len() + 2);
    let mut digest_cache: HashMap<(u64, Option<u8>), (u32, String)> = HashMap::new();
    for ((path, len, seed), r) in inputs.iter().zip(&manifest.inputs) {
        assert_eq!(&r.path, path);
        let (crc, sha) = digest_cache
            .entry((*len, *seed))
            .or_insert_with(|| digests(*len, *seed))
            .clone();
        let c = &central[format!("data/{path}").as_bytes()];
        assert_eq!((c.size, c.compressed, c.crc), (*len, *len, crc), "{path}");
        assert_eq!(r.sha256.as_deref(), Some(sha.as_str()), "{path}");
        assert_eq!(r.size, *len);
    }
}

fn small_inputs(count: usize) -> Vec<(String, u64, Option<u8>)> {
    (0..count)
        .map(|i| {
            (
                format!("f{:03}/{i:06}.bin", i / 1000),
                (i % 97) as u64 + 1,
                Some((i % 251) as u8),
            )
        })
        .collect()
}

/// More than 65,535 entries: the entry count moves to the Zip64 end record.
#[test]
fn zip64_more_than_65535_entries() {
    stream_and_check(small_inputs(70_000));
}

/// One entry over 4 GiB, then 70,000 more whose local headers sit past 4 GiB: Zip64 sizes in
/// the directory and the data descriptor, Zip64 offsets, Zip64 end records. Slow in a debug
/// build (SHA-256 and CRC-32 of 4.5 GiB): run with
/// `cargo test --release --test bundle -- --ignored` (as `cargo xtask test` does).
#[test]
#[ignore]
fn zip64_entry_over_4_gib_and_offsets_past_4_gib() {
    let mut inputs = vec![("big/pattern.bin".to_string(), (9 << 29) + 12_345, Some(7))];
    inputs.push(("big/zeros.bin".to_string(), 64 << 20, None));
    inputs.extend(small_inputs(70_000));
    stream_and_check(inputs);
}

// ---- damaged bundles --------------------------------------------------------------------------

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

#[test]
fn the_cli_bundles_and_verifies() {
    let out = scratch("cli");
    let zip = out.join("case.zip");
    let exe = env!("CARGO_BIN_EXE_record-precheck");
    let run = Command::new(exe)
        .arg("bundle")
        .arg(corpus().join("case-cd-ct"))
        .arg("-o")
        .arg(&zip)
        .args(["--deflate", "--lang", "zh", "--exclude", "README.TXT"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        stdout.contains("11 inputs: 7 copied, 4 left out"),
        "{stdout}"
    );
    assert!(
        stdout.contains("left-out: README.TXT — excluded by the patient"),
        "{stdout}"
    );
    let check = Command::new(exe).arg("verify").arg(&zip).output().unwrap();
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "{said}");
    assert!(said.contains("all is well"), "{said}");

    let mut bytes = fs::read(&zip).unwrap();
    let (start, size) = {
        let mut archive = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
        let entry = archive.by_name("report.html").unwrap();
        assert_eq!(entry.compression(), zip::CompressionMethod::Deflated);
        (entry.data_start().unwrap(), entry.compressed_size())
    };
    bytes[(start + size / 2) as usize] ^= 0x40;
    let damaged = out.join("damaged.zip");
    fs::write(&damaged, &bytes).unwrap();
    let check = Command::new(exe)
        .arg("verify")
        .arg(&damaged)
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    assert!(String::from_utf8_lossy(&check.stdout).contains("problem: report.html"));
    let usage = Command::new(exe).arg("bundle").arg("x").output().unwrap();
    assert_eq!(usage.status.code(), Some(2));
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
    let dir = scratch("offload-input");
    for case in ["case-mixed", "case-cd-ct"] {
        let status = Command::new("cp")
            .arg("-r")
            .arg(corpus().join(case))
            .arg(&dir)
            .status()
            .unwrap();
        assert!(status.success());
    }
    let pdf = |text: &str| format!("%PDF-1.4\n% {text}\n%%EOF\n").into_bytes();
    fs::write(dir.join("one.pdf"), pdf("the same report")).unwrap();
    fs::write(dir.join("two.pdf"), pdf("the same report")).unwrap();
    fs::write(dir.join("three.pdf"), pdf("another  report")).unwrap();
    let ct = dir.join("case-cd-ct/IMAGES/SER00002");
    let first = fs::read_dir(&ct).unwrap().next().unwrap().unwrap().path();
    fs::copy(&first, dir.join("copy-of-a-ct-image")).unwrap();

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
