//! De-identification checked by independent readers: every DICOM file of the corpora is
//! de-identified with one bundle secret, then Python's pydicom reads each result beside its
//! original and checks, against PS3.15 Table E.1-1 as the PyPI package `dicom-anonymizer` lists it
//! (not this crate's copy): no attribute the Basic Profile marks D, Z, X or U keeps an original
//! value anywhere (nested sequences included); UIDs are replaced the same way in every file
//! (a study keeps one new Study Instance UID; references point at the new SOP Instance UIDs);
//! Pixel Data is byte for byte the same; the patient's name and ID are the pseudonym; private
//! attributes are gone; each file still reads as DICOM. The Python packages are installed with
//! pip into the test's own folder when missing.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

mod python;

use record_precheck::dicom::deidentify::{Deidentified, Options, Person};

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

/// Every file under `dir` that carries the DICOM Part 10 signature.
fn dicom_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            dicom_files(&path, out);
        } else {
            let mut head = [0u8; 132];
            let n = fs::File::open(&path)
                .and_then(|mut f| f.read(&mut head))
                .unwrap_or(0);
            if n == 132 && &head[128..] == b"DICM" {
                out.push(path);
            }
        }
    }
}

/// pydicom and dicom-anonymizer, in a folder of the test's own (pip `--target`).
fn python_packages() -> PathBuf {
    python::packages(
        "deidentify-python",
        "import pydicom, dicomanonymizer",
        &["pydicom==3.0.2", "dicom-anonymizer==2.1.0"],
    )
}

const CHECK: &str = r#"
import sys, json
import pydicom
from dicomanonymizer.dicom_anonymization_databases import dicomfields_2026c as t

pairs = json.load(open(sys.argv[1]))
pseudonyms = json.load(open(sys.argv[2]))
exact, masked = set(), []
for name in ["D_TAGS", "Z_TAGS", "X_TAGS", "U_TAGS", "Z_D_TAGS", "X_Z_TAGS", "X_D_TAGS",
             "X_Z_D_TAGS", "X_Z_U_STAR_TAGS"]:
    for tag in getattr(t, name):
        if len(tag) == 2:
            exact.add((tag[0] << 16) | tag[1])
        else:
            masked.append(tag)

def listed(tag):
    g, e = tag >> 16, tag & 0xFFFF
    return tag in exact or any(g & gm == mg and e & em == me for mg, me, gm, em in masked)

def values(ds):
    out = {}
    for el in ds.iterall():
        if el.VR == "SQ" or el.tag == 0x7FE00010:
            continue
        v = el.value
        if v is None or v == "" or v == b"":
            continue
        out.setdefault(int(el.tag), set()).add(repr(v))
    return out

problems, new_uid, checked = [], {}, 0
for original, result in pairs:
    a = pydicom.dcmread(original)
    b = pydicom.dcmread(result)
    before, after = values(a), values(b)
    for tag, vals in before.items():
        if listed(tag) and tag != 0x00100010 and tag != 0x00100020:
            kept = vals & after.get(tag, set())
            if kept:
                problems.append(f"{original}: ({tag >> 16:04X},{tag & 0xFFFF:04X}) keeps {sorted(kept)[:2]}")
    for el in b.iterall():
        if el.tag.is_private:
            problems.append(f"{result}: private {el.tag} left")
    for kw in ["PatientName", "PatientID"]:
        if a.get(kw) and str(b.get(kw)) not in pseudonyms:
            problems.append(f"{result}: {kw} {b.get(kw)!r} is not a pseudonym")
    if b.get("PatientIdentityRemoved") != "YES":
        problems.append(f"{result}: Patient Identity Removed is not YES")
    if "PixelData" in a and a.PixelData != b.PixelData:
        problems.append(f"{result}: Pixel Data differs")
    if "SOPInstanceUID" in a and b.file_meta.MediaStorageSOPInstanceUID != b.SOPInstanceUID:
        problems.append(f"{result}: meta and data set SOP Instance UIDs differ")
    for kw in ["StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID", "FrameOfReferenceUID"]:
        if kw in a:
            old, new = a[kw].value, b[kw].value
            if new == old or new_uid.setdefault(old, new) != new:
                problems.append(f"{result}: {kw} {old} -> {new} (before: {new_uid.get(old)})")
    checked += 1

# References to objects in the set point at their new UIDs.
refs = 0
for original, result in pairs:
    b = pydicom.dcmread(result)
    for el in b.iterall():
        if el.keyword == "ReferencedSOPInstanceUID" and el.value in new_uid.values():
            refs += 1
        if el.keyword == "ReferencedSOPInstanceUID" and el.value in new_uid:
            problems.append(f"{result}: a reference to {el.value} was not replaced")
print(json.dumps({"checked": checked, "problems": problems[:40], "count": len(problems), "refs": refs}))
"#;

#[test]
fn the_corpora_de_identified_pass_an_independent_check_of_the_basic_profile() {
    let mut files = Vec::new();
    for corpus in ["corpus", "corpus-pixels", "corpus-identity"] {
        dicom_files(&shared().join(corpus), &mut files);
    }
    files.sort();
    assert!(files.len() >= 40, "only {} DICOM files found", files.len());
    let out_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("deidentified");
    let _ = fs::remove_dir_all(&out_dir);
    fs::create_dir_all(&out_dir).unwrap();
    let options = Options {
        secret: [7; 32],
        modified_dates: false,
        patient_characteristics: false,
        clean_descriptors: false,
    };
    let mut pairs = Vec::new();
    let mut refused = Vec::new();
    for (i, path) in files.iter().enumerate() {
        let size = fs::metadata(path).unwrap().len();
        let person = Person {
            pseudonym: format!("PATIENT-{}", i % 3 + 1),
            identifiers: Vec::new(),
        };
        let mut reader =
            Deidentified::new(fs::File::open(path).unwrap(), size, options.clone(), person);
        let mut bytes = Vec::new();
        match reader.read_to_end(&mut bytes) {
            Ok(_) => {
                let out = out_dir.join(format!("{i}.dcm"));
                fs::write(&out, bytes).unwrap();
                pairs.push((path.display().to_string(), out.display().to_string()));
            }
            Err(e) => refused.push(format!("{}: {e}", path.display())),
        }
    }
    // Only files the tool already calls damaged (the bad-input case) may be refused.
    for r in &refused {
        assert!(r.contains("case-bad-input"), "refused: {r}");
    }
    let list = out_dir.join("pairs.json");
    fs::write(&list, serde_json::to_string(&pairs).unwrap()).unwrap();
    let names = out_dir.join("pseudonyms.json");
    fs::write(&names, r#"["PATIENT-1", "PATIENT-2", "PATIENT-3"]"#).unwrap();
    let python = python_packages();
    let output = Command::new("python3")
        .arg("-c")
        .arg(CHECK)
        .arg(&list)
        .arg(&names)
        .env("PYTHONPATH", &python)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "pydicom check failed: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(result["count"], 0, "{result:#}");
    assert_eq!(result["checked"], pairs.len());
    assert!(pairs.len() >= 40, "{} files de-identified", pairs.len());
}
