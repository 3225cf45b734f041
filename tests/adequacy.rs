//! The adequacy findings (`src/case/adequacy.rs`) over real files.
//!
//! 1. Every DICOM case of the corpora: Python's pydicom reads the headers and applies the rule
//!    of `thick-slices-only` on its own (a CT or MR study whose every axial source series —
//!    not a localizer, not derived or secondary, slice normal within 30° of z — is thicker than
//!    2 mm); the studies and thicknesses it finds must be those the report finds.
//! 2. The CD of `case-cd-ct` rewritten by pydicom: thickness at the boundary (2.0 and 2.01 mm),
//!    only Spacing Between Slices, neither, a gantry tilt of 29° and 31°, a thin derived series
//!    and a thin original one beside the thick one, an MR study.
//! 3. The same CD beside documents of `../shared/corpus-records` (the patient's name set to
//!    theirs), with study dates set around the dates the corpus labels give each document:
//!    a report matches a study within 3 days and not at 4, imaging is recent exactly 3 months
//!    before the newest record and not a day more, one study with an operation note or an
//!    earlier report is one time point and with only a lab result it is not. The documents'
//!    categories are the labels' (given as the patient's tags), so the expectations rest on
//!    the labels only.
//!
//! pydicom is installed with pip into the test's own folder when missing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

mod python;

use record_precheck::case::{Finding, FindingCode};
use record_precheck::codes::Category;
use record_precheck::readiness::{Declarations, StepId};
use record_precheck::recognise::folder::scan_path;
use record_precheck::report::{self, Report};
use record_precheck::Limits;
use serde_json::{json, Value};

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

/// pydicom, in a folder of the test's own (pip `--target`).
fn python_path() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| python::packages("adequacy-python", "import pydicom", &["pydicom==3.0.2"]))
}

/// Runs a Python script with pydicom; returns its standard output.
fn python(script: &str, args: &[&str]) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .env("PYTHONPATH", python_path())
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn scan(dir: &Path, declarations: Declarations) -> Report {
    let files = scan_path(dir, &Limits::default()).unwrap_or_else(|e| panic!("{dir:?}: {e}"));
    report::build(files, declarations)
}

fn found(r: &Report, code: FindingCode) -> Vec<&Finding> {
    r.findings.iter().filter(|f| f.code == code).collect()
}

fn has_step(r: &Report, id: StepId) -> bool {
    r.readiness.next_steps.iter().any(|s| s.id == id)
}

/// pydicom's own verdict: per case folder, each study whose axial source series are all
/// thicker than 2 mm, as (sorted files of those series, thinnest thickness).
const ORACLE: &str = r#"
import sys, os, io, json, math, zipfile
import pydicom
root = sys.argv[1]
out = {}
for case in sorted(os.listdir(root)):
    top = os.path.join(root, case)
    if not os.path.isdir(top):
        continue
    series = {}
    def read(top):
        # Every file, and every member of a zip (by its base name: the scan neutralises names).
        for d, _, names in os.walk(top):
            for n in names:
                p = os.path.join(d, n)
                if zipfile.is_zipfile(p):
                    with zipfile.ZipFile(p) as z:
                        for m in z.infolist():
                            try:
                                yield os.path.basename(m.filename), z.read(m)
                            except Exception:
                                pass
                else:
                    yield os.path.basename(p), open(p, 'rb').read()
    for name, data in read(top):
            try:
                ds = pydicom.dcmread(io.BytesIO(data), stop_before_pixels=True, force=True)
            except Exception:
                continue
            if 'SeriesInstanceUID' not in ds or ds.get('Modality') not in ('CT', 'MR'):
                continue
            # Image storage of CT and MR (not secondary capture, not reports).
            if not str(ds.get('SOPClassUID', '')).startswith(('1.2.840.10008.5.1.4.1.1.2', '1.2.840.10008.5.1.4.1.1.4')):
                continue
            key = (str(ds.get('PatientID', '')), str(ds.StudyInstanceUID), str(ds.SeriesInstanceUID))
            series.setdefault(key, []).append((name, ds))
    studies = {}
    thin_elsewhere = set()
    for (pid, study, _), files in series.items():
        def source(ds):
            t = [str(v).strip().upper() for v in ds.get('ImageType', [])]
            if t[:1] == ['DERIVED'] or t[1:2] == ['SECONDARY'] or 'LOCALIZER' in t[2:3]:
                return False
            o = ds.get('ImageOrientationPatient')
            if o is not None and len(o) == 6:
                r, c = [float(x) for x in o[:3]], [float(x) for x in o[3:]]
                n = (r[1]*c[2]-r[2]*c[1], r[2]*c[0]-r[0]*c[2], r[0]*c[1]-r[1]*c[0])
                length = math.sqrt(sum(x*x for x in n))
                if length > 1e-6:
                    return abs(n[2]) / length >= math.cos(math.radians(30))
            return t[2:3] == ['AXIAL']
        ds = files[0][1]
        t = ds.get('SliceThickness')
        if t is None or str(t).strip() == '':
            t = ds.get('SpacingBetweenSlices')
        t = None if t is None or str(t).strip() == '' else float(t)
        if not all(source(ds) for _, ds in files):
            # Not axial, or no source: a thin source series of another plane still counts.
            tt = [str(v).strip().upper() for v in ds.get('ImageType', [])]
            src = not (tt[:1] == ['DERIVED'] or tt[1:2] == ['SECONDARY'] or 'LOCALIZER' in tt[2:3])
            if src and t is not None and t <= 2.0:
                thin_elsewhere.add((pid, study))
            continue
        studies.setdefault((pid, study), []).append(([f for f, _ in files], t))
    found = []
    for key, axial in studies.items():
        if key in thin_elsewhere:
            continue
        ts = [t for _, t in axial]
        if None in ts or min(ts) <= 2.0:
            continue
        found.append([sorted(f for fs, _ in axial for f in fs), round(min(ts), 2)])
    out[case] = sorted(found)
print(json.dumps(out))
"#;

/// The report's `thick-slices-only` findings as (sorted base names of the files, thickness).
fn thick(r: &Report) -> Vec<(Vec<String>, f64)> {
    let mut out: Vec<(Vec<String>, f64)> = found(r, FindingCode::ThickSlicesOnly)
        .iter()
        .map(|f| {
            let mut files: Vec<String> = f
                .files
                .iter()
                .map(|p| p.rsplit(['/', '!']).next().unwrap_or(p).to_string())
                .collect();
            files.sort();
            (files, f.values["thickness"].as_f64().unwrap())
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn thick_slices_as_pydicom_judges_the_corpora() {
    for corpus in ["corpus", "corpus-identity"] {
        let root = shared().join(corpus);
        let oracle: BTreeMap<String, Vec<(Vec<String>, f64)>> =
            serde_json::from_str(&python(ORACLE, &[root.to_str().unwrap()])).unwrap();
        let mut positives = 0;
        for (case, expected) in &oracle {
            let r = scan(&root.join(case), Declarations::default());
            assert_eq!(&thick(&r), expected, "{corpus}/{case}");
            positives += expected.len();
            if !expected.is_empty() {
                assert!(has_step(&r, StepId::RequestThinSlices), "{case}");
            }
        }
        // The corpora hold both verdicts: thin studies (1.25 mm) and thick ones (2.5 and 5 mm).
        assert!(positives > 0, "{corpus}: no thick study");
        assert!(oracle.values().any(Vec::is_empty), "{corpus}: no thin case");
    }
}

/// Rewrites copies of the CD of `case-cd-ct` with pydicom: each variant a folder under OUT.
/// Series 5 is the axial one (2.5 mm), series 4 the localizer.
const VARIANTS: &str = r#"
import sys, os, copy, math
import pydicom
from pydicom.uid import generate_uid
src, out = sys.argv[1], sys.argv[2]
files = []
for d, _, names in os.walk(src):
    for n in sorted(names):
        try:
            files.append((os.path.relpath(os.path.join(d, n), src), pydicom.dcmread(os.path.join(d, n))))
        except Exception:
            pass
def axial(ds):
    return ds.SeriesNumber == 5
def tilt(deg):
    a = math.radians(deg)
    return [1, 0, 0, 0, round(math.cos(a), 6), round(math.sin(a), 6)]
def thin_copy(image_type, orientation=None):
    def extra(ds):
        if not axial(ds):
            return None
        c = copy.deepcopy(ds)
        c.SeriesInstanceUID = THIN_UID
        c.SOPInstanceUID = generate_uid()
        c.file_meta.MediaStorageSOPInstanceUID = c.SOPInstanceUID
        c.SeriesNumber = 6
        c.ImageType = image_type
        c.SliceThickness = "1.0"
        if orientation is not None:
            c.ImageOrientationPatient = orientation
        return c
    return extra
THIN_UID = generate_uid()
variants = {
    "thick-2.5": (lambda ds: None, None),
    "thick-2.0": (lambda ds: setattr(ds, "SliceThickness", "2.0"), None),
    "thick-2.01": (lambda ds: setattr(ds, "SliceThickness", "2.01"), None),
    "spacing-only-3": (lambda ds: (delattr(ds, "SliceThickness"), setattr(ds, "SpacingBetweenSlices", "3.0")), None),
    "thickness-unknown": (lambda ds: delattr(ds, "SliceThickness"), None),
    "tilt-29": (lambda ds: setattr(ds, "ImageOrientationPatient", tilt(29)), None),
    "tilt-31": (lambda ds: setattr(ds, "ImageOrientationPatient", tilt(31)), None),
    "thin-derived-beside": (lambda ds: None, thin_copy(["DERIVED", "SECONDARY", "AXIAL"])),
    "thin-original-beside": (lambda ds: None, thin_copy(["ORIGINAL", "PRIMARY", "AXIAL"])),
    "thin-sagittal-beside": (lambda ds: None, thin_copy(["ORIGINAL", "PRIMARY", "OTHER"], [0, 1, 0, 0, 0, -1])),
    "mr-5": (lambda ds: (setattr(ds, "Modality", "MR"), setattr(ds, "SOPClassUID", "1.2.840.10008.5.1.4.1.1.4"),
                         setattr(ds.file_meta, "MediaStorageSOPClassUID", "1.2.840.10008.5.1.4.1.1.4"),
                         setattr(ds, "SliceThickness", "5")), None),
}
for name, (change, extra) in variants.items():
    for rel, ds in files:
        ds = copy.deepcopy(ds)
        made = extra(ds) if extra else None
        if axial(ds):
            change(ds)
        path = os.path.join(out, name, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        ds.save_as(path, enforce_file_format=True)
        if made is not None:
            made.save_as(path + "_THIN", enforce_file_format=True)
"#;

fn variants_dir(name: &str) -> PathBuf {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    out
}

#[test]
fn thick_slices_at_the_boundaries_of_the_rule() {
    let out = variants_dir("adequacy-variants");
    let src = shared().join("corpus/case-cd-ct/IMAGES");
    python(VARIANTS, &[src.to_str().unwrap(), out.to_str().unwrap()]);
    let thickness = |name: &str| -> Option<f64> {
        let r = scan(&out.join(name), Declarations::default());
        let f = found(&r, FindingCode::ThickSlicesOnly);
        assert!(f.len() <= 1, "{name}: {f:?}");
        f.first().map(|f| {
            // Only the axial series: never the localizer nor a thin series beside it.
            assert_eq!(f.files.len(), 5, "{name}: {:?}", f.files);
            assert!(f.files.iter().all(|p| p.starts_with("SER00002/")), "{name}");
            f.values["thickness"].as_f64().unwrap()
        })
    };
    assert_eq!(thickness("thick-2.5"), Some(2.5));
    assert_eq!(thickness("thick-2.0"), None, "2 mm is thin");
    assert_eq!(thickness("thick-2.01"), Some(2.01));
    assert_eq!(thickness("spacing-only-3"), Some(3.0));
    assert_eq!(
        thickness("thickness-unknown"),
        None,
        "not known: not judged"
    );
    assert_eq!(thickness("tilt-29"), Some(2.5), "a 29° tilt is still axial");
    assert_eq!(thickness("tilt-31"), None, "at 31° no series is axial");
    assert_eq!(
        thickness("thin-derived-beside"),
        Some(2.5),
        "a derived thin series is no source"
    );
    assert_eq!(thickness("thin-original-beside"), None);
    assert_eq!(
        thickness("thin-sagittal-beside"),
        None,
        "a thin source in another plane"
    );
    assert_eq!(thickness("mr-5"), Some(5.0));
    let r = scan(&out.join("thick-2.5"), Declarations::default());
    let f = found(&r, FindingCode::ThickSlicesOnly)[0];
    assert_eq!(f.values["modality"], "CT");
    let step = r
        .readiness
        .next_steps
        .iter()
        .find(|s| s.id == StepId::RequestThinSlices)
        .expect("the thin-slice step");
    assert_eq!(step.values["thickness"], json!(2.5));
}

/// Folders of the CD of `case-cd-ct` (the patient renamed to the one of the documents, the study
/// dated as asked) beside documents of `corpus-records/case-breast-documents`. Argument: JSON
/// `{folder: {"date": "YYYYMMDD", "second": "YYYYMMDD" or null, "documents": [names]}}`.
const DATED: &str = r#"
import sys, os, json, copy, shutil
import pydicom
from pydicom.uid import generate_uid
src, docs, out, spec = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
files = []
for d, _, names in os.walk(src):
    for n in sorted(names):
        try:
            files.append((os.path.relpath(os.path.join(d, n), src), pydicom.dcmread(os.path.join(d, n))))
        except Exception:
            pass
for name, s in spec.items():
    second_uid = generate_uid()
    for rel, ds in files:
        ds = copy.deepcopy(ds)
        ds.SpecificCharacterSet = "ISO_IR 192"
        ds.PatientName = "Li^Xiuying=李^秀英"
        ds.PatientSex = "F"
        for k in ("PatientBirthDate", "PatientAge"):
            if k in ds:
                delattr(ds, k)
        ds.StudyDate = s["date"]
        path = os.path.join(out, name, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        ds.save_as(path, enforce_file_format=True)
        if s.get("second") and ds.SeriesNumber == 5:
            ds.StudyInstanceUID = second_uid
            ds.SeriesInstanceUID = second_uid + ".1"
            ds.SOPInstanceUID = generate_uid()
            ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
            ds.StudyDate = s["second"]
            ds.save_as(path + "_EARLIER", enforce_file_format=True)
    for doc in s["documents"]:
        shutil.copy(os.path.join(docs, doc), os.path.join(out, name, doc))
"#;

/// The labels of the documents of `case-breast-documents`: name → (category, dates).
fn document_labels() -> BTreeMap<String, (Category, Vec<chrono::NaiveDate>)> {
    let text = std::fs::read_to_string(shared().join("corpus-records/labels.json")).unwrap();
    let labels: Vec<Value> = serde_json::from_str(&text).unwrap();
    labels
        .iter()
        .filter(|l| l["case"] == "case-breast-documents")
        .filter_map(|l| {
            let d = l.get("document")?;
            let category = match d["category"].as_str()? {
                "diagnosis" => Category::DiagnosisReport,
                "radiology-report" => Category::RadiologyReport,
                "operation-note" => Category::OperationNote,
                "lab-results" => Category::LabResults,
                _ => return None,
            };
            let dates = d["dates"]
                .as_array()?
                .iter()
                .filter_map(|x| chrono::NaiveDate::parse_from_str(x.as_str()?, "%Y-%m-%d").ok())
                .collect();
            let name = l["path"].as_str()?.rsplit('/').next()?.to_string();
            Some((name, (category, dates)))
        })
        .collect()
}

#[test]
fn dates_of_reports_records_and_treatments_against_the_studies() {
    use chrono::{Days, Months, NaiveDate};
    let labels = document_labels();
    let by_category = |c: Category, n: usize| -> (String, Vec<NaiveDate>) {
        let mut of: Vec<(&String, &Vec<NaiveDate>)> = labels
            .iter()
            .filter(|(_, (k, dates))| *k == c && !dates.is_empty())
            .map(|(name, (_, dates))| (name, dates))
            .collect();
        of.sort();
        let (name, dates) = of
            .get(n)
            .copied()
            .unwrap_or_else(|| panic!("no {c:?} in the labels"));
        (name.clone(), dates.clone())
    };
    let (report, report_dates) = by_category(Category::RadiologyReport, 0);
    let (diagnosis, diagnosis_dates) = by_category(Category::DiagnosisReport, 0);
    let (operation, operation_dates) = by_category(Category::OperationNote, 0);
    let (lab, _) = by_category(Category::LabResults, 0);
    let rd = *report_dates.iter().max().unwrap();
    let newest = *diagnosis_dates.iter().max().unwrap();
    let op = operation_dates[0];
    let day = |d: NaiveDate| d.format("%Y%m%d").to_string();
    let plus = |d: NaiveDate, n: u64| d.checked_add_days(Days::new(n)).unwrap();
    let minus = |d: NaiveDate, n: u64| d.checked_sub_days(Days::new(n)).unwrap();
    let three_months_before = newest.checked_sub_months(Months::new(3)).unwrap();
    let spec = json!({
        "report+3": { "date": day(plus(rd, 3)), "documents": [&report] },
        "report+4": { "date": day(plus(rd, 4)), "documents": [&report] },
        "report-4": { "date": day(minus(rd, 4)), "documents": [&report] },
        "recent-exact": { "date": day(three_months_before), "documents": [&diagnosis] },
        "recent-a-day-more": { "date": day(minus(three_months_before, 1)), "documents": [&diagnosis] },
        "alone": { "date": day(newest), "documents": [] },
        "single-operation": { "date": day(plus(op, 13)), "documents": [&operation] },
        "single-lab": { "date": day(plus(op, 13)), "documents": [&lab] },
        "single-earlier-report": { "date": day(plus(rd, 10)), "documents": [&report] },
        "two-studies-operation": { "date": day(plus(op, 13)), "second": day(minus(op, 20)), "documents": [&operation] },
    });
    let out = variants_dir("adequacy-dated");
    python(
        DATED,
        &[
            shared().join("corpus/case-cd-ct/IMAGES").to_str().unwrap(),
            shared()
                .join("corpus-records/case-breast-documents")
                .to_str()
                .unwrap(),
            out.to_str().unwrap(),
            &spec.to_string(),
        ],
    );
    // The documents' categories are the labels' (as the patient would tag them).
    let declared = |review_date: Option<NaiveDate>| Declarations {
        document_categories: labels.iter().map(|(n, (c, _))| (n.clone(), *c)).collect(),
        review_date: review_date.map(|d| d.format("%Y-%m-%d").to_string()),
        ..Default::default()
    };
    let run = |name: &str| scan(&out.join(name), declared(None));
    let codes = |r: &Report| -> Vec<FindingCode> { r.findings.iter().map(|f| f.code).collect() };
    let iso = |d: NaiveDate| d.format("%Y-%m-%d").to_string();

    // A report and a study match within 3 days.
    let at3 = run("report+3");
    assert!(
        found(&at3, FindingCode::ReportWithoutImages).is_empty(),
        "{:?}",
        codes(&at3)
    );
    assert!(found(&at3, FindingCode::ImagesWithoutReport).is_empty());
    // A report 3 days before the study is its report, not earlier imaging; 4 days before, it
    // is a scan that is not here: the study is then one time point of two.
    assert!(found(&at3, FindingCode::SingleTimepoint).is_empty());
    assert_eq!(
        found(&run("report+4"), FindingCode::SingleTimepoint).len(),
        1
    );
    assert!(
        found(&run("report-4"), FindingCode::SingleTimepoint).is_empty(),
        "a later report"
    );
    for name in ["report+4", "report-4"] {
        let r = run(name);
        let without = found(&r, FindingCode::ReportWithoutImages);
        assert_eq!(without.len(), 1, "{name}: {:?}", codes(&r));
        assert_eq!(without[0].files, std::slice::from_ref(&report));
        let dates: Vec<String> = report_dates.iter().map(|d| iso(*d)).collect();
        assert_eq!(without[0].values["dates"], json!(dates));
        let alone = found(&r, FindingCode::ImagesWithoutReport);
        assert_eq!(alone.len(), 1, "{name}");
        assert!(has_step(&r, StepId::RequestImagesOfReport));
        assert!(has_step(&r, StepId::RequestReportOfImages));
    }
    assert_eq!(
        found(&run("report+4"), FindingCode::ImagesWithoutReport)[0].values["dates"],
        json!([iso(plus(rd, 4))])
    );

    // Recent: no more than 3 months before the newest record.
    let exact = run("recent-exact");
    assert!(
        found(&exact, FindingCode::ImagingNotRecent).is_empty(),
        "{:?}",
        codes(&exact)
    );
    let old = run("recent-a-day-more");
    let f = found(&old, FindingCode::ImagingNotRecent);
    assert_eq!(f.len(), 1, "{:?}", codes(&old));
    assert_eq!(
        f[0].values["newest_study"],
        iso(minus(three_months_before, 1))
    );
    assert_eq!(f[0].values["reference"], iso(newest));
    assert_eq!(f[0].values["reference_declared"], false);
    assert_eq!(f[0].values["months_older"], 3);
    assert!(has_step(&old, StepId::AddRecentImaging));
    // The patient's date counts the same way.
    let on = |review: NaiveDate| scan(&out.join("alone"), declared(Some(review)));
    let r = on(newest.checked_add_months(Months::new(3)).unwrap());
    assert!(found(&r, FindingCode::ImagingNotRecent).is_empty());
    let later = plus(newest.checked_add_months(Months::new(3)).unwrap(), 1);
    let r = on(later);
    let f = found(&r, FindingCode::ImagingNotRecent);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].values["reference"], iso(later));
    assert_eq!(f[0].values["reference_declared"], true);
    assert!(found(&run("alone"), FindingCode::ImagingNotRecent).is_empty());

    // One time point: with an operation note or an earlier report, not with a lab result or
    // with two studies.
    let single = run("single-operation");
    let f = found(&single, FindingCode::SingleTimepoint);
    assert_eq!(f.len(), 1, "{:?}", codes(&single));
    assert_eq!(
        f[0].values["evidence"],
        json!([{ "category": "operation-note", "date": iso(op), "path": operation }])
    );
    assert!(has_step(&single, StepId::RequestEarlierImaging));
    let lab_only = run("single-lab");
    assert!(
        found(&lab_only, FindingCode::SingleTimepoint).is_empty(),
        "{:?}",
        codes(&lab_only)
    );
    let earlier = run("single-earlier-report");
    let f = found(&earlier, FindingCode::SingleTimepoint);
    assert_eq!(f.len(), 1, "{:?}", codes(&earlier));
    assert_eq!(f[0].values["evidence"][0]["category"], "radiology-report");
    assert_eq!(f[0].values["evidence"][0]["date"], iso(rd));
    let two = run("two-studies-operation");
    assert_eq!(two.studies.iter().filter(|s| s.image_count > 0).count(), 2);
    assert!(
        found(&two, FindingCode::SingleTimepoint).is_empty(),
        "{:?}",
        codes(&two)
    );
}
