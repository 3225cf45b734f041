//! The imaging of a de-identified bundle still loads into a PACS: Orthanc (Debian's) is started
//! on free local ports, every DICOM file of the bundle is sent with dcmtk's `storescu` (C-STORE,
//! in its own transfer syntax), and Orthanc's REST API must then hold every instance, under the
//! pseudonyms only. Orthanc and dcmtk are installed by the test command (`.ci/run`); without them
//! this test fails and says so.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use std::{fs, thread};

use record_precheck::bundle::{BundleOptions, PlanOptions};
use record_precheck::dicom::deidentify::Options;
use record_precheck::{scan_bytes, Limits};

use super::common::{bundle_to, scratch};

/// Orthanc, stopped when dropped.
struct Orthanc {
    child: Child,
    http: u16,
    dicom: u16,
}

/// storescu's option that proposes a transfer syntax (dcmtk 3.6: `-x?`); uncompressed ones are
/// proposed by default.
fn proposal(transfer_syntax: &str) -> &'static str {
    match transfer_syntax {
        "1.2.840.10008.1.2.2" => "-xb",
        "1.2.840.10008.1.2.1.99" => "-xd",
        "1.2.840.10008.1.2.4.50" => "-xy",
        "1.2.840.10008.1.2.4.51" => "-xx",
        "1.2.840.10008.1.2.4.57" | "1.2.840.10008.1.2.4.70" => "-xs",
        "1.2.840.10008.1.2.4.80" => "-xt",
        "1.2.840.10008.1.2.4.81" => "-xu",
        "1.2.840.10008.1.2.4.90" => "-xv",
        "1.2.840.10008.1.2.4.91" => "-xw",
        "1.2.840.10008.1.2.5" => "-xr",
        _ => "-xe",
    }
}

impl Drop for Orthanc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn tool(name: &str, candidates: &[&str]) -> PathBuf {
    candidates
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "{name} is not installed (Debian package orthanc; `cargo xtask test` installs it)"
            )
        })
}

/// A GET to Orthanc's REST API, the body parsed as JSON.
fn get(port: u16, path: &str) -> Option<serde_json::Value> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = Vec::new();
    s.read_to_end(&mut response).ok()?;
    let text = String::from_utf8_lossy(&response);
    let (head, body) = text.split_once("\r\n\r\n")?;
    head.starts_with("HTTP/1.").then_some(())?;
    serde_json::from_str(body).ok()
}

/// Orthanc on free ports, answering.
fn start_orthanc(dir: &Path) -> Orthanc {
    let orthanc = tool("Orthanc", &["/usr/sbin/Orthanc", "/usr/bin/Orthanc"]);
    let (http, dicom) = (free_port(), free_port());
    let storage = dir.join("storage");
    fs::create_dir_all(&storage).unwrap();
    let config = serde_json::json!({
        "Name": "record-precheck-test",
        "StorageDirectory": storage,
        "IndexDirectory": storage,
        "HttpPort": http,
        "DicomPort": dicom,
        "DicomAet": "ORTHANC",
        "RemoteAccessAllowed": false,
        "AuthenticationEnabled": false,
        "DicomCheckCalledAet": false,
        "Plugins": [],
    });
    let path = dir.join("orthanc.json");
    fs::write(&path, config.to_string()).unwrap();
    let child = Command::new(orthanc)
        .arg(&path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("Orthanc starts");
    let server = Orthanc { child, http, dicom };
    let started = Instant::now();
    while get(http, "/system").is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "Orthanc did not answer in 60 s"
        );
        thread::sleep(Duration::from_millis(200));
    }
    server
}

#[test]
fn a_de_identified_bundle_loads_into_orthanc_under_pseudonyms() {
    let dir = scratch("pacs");
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let out = dir.join("bundle.zip");
    let options = Options {
        secret: [9; 32],
        modified_dates: true,
        patient_characteristics: false,
        clean_descriptors: false,
    };
    bundle_to(
        &[shared.join("corpus-identity"), shared.join("corpus-pixels")],
        &PlanOptions {
            deidentify: Some(options),
            ..PlanOptions::default()
        },
        BundleOptions::default(),
        &out,
    );
    // The imaging, unpacked.
    let imaging = dir.join("imaging");
    let mut archive = zip::ZipArchive::new(fs::File::open(&out).unwrap()).unwrap();
    let mut files = Vec::new();
    for i in 0..archive.len() {
        let mut e = archive.by_index(i).unwrap();
        let name = e.name().unwrap().to_string();
        if !name.starts_with("imaging/") || e.is_dir() {
            continue;
        }
        let path = imaging.join(format!("{i}.dcm"));
        fs::create_dir_all(&imaging).unwrap();
        let mut bytes = Vec::new();
        e.read_to_end(&mut bytes).unwrap();
        fs::write(&path, bytes).unwrap();
        files.push(path);
    }
    assert!(files.len() >= 40, "{} imaging files", files.len());

    let orthanc = start_orthanc(&dir);
    // Each file is sent over DICOM (C-STORE, dcmtk's storescu), proposing its own transfer
    // syntax so that nothing is converted on the way.
    let storescu = tool("storescu", &["/usr/bin/storescu"]);
    for file in &files {
        let entry = scan_bytes("x.dcm", &fs::read(file).unwrap(), &Limits::default());
        let ts = entry
            .dicom
            .and_then(|d| d.transfer_syntax)
            .unwrap_or_default();
        let sent = Command::new(&storescu)
            .arg(proposal(ts.trim_end_matches(['\0', ' '])))
            .args(["-aec", "ORTHANC", "127.0.0.1", &orthanc.dicom.to_string()])
            .arg(file)
            .output()
            .unwrap();
        assert!(
            sent.status.success() && !String::from_utf8_lossy(&sent.stderr).contains("E: "),
            "storescu {} ({ts}): {}{}",
            file.display(),
            String::from_utf8_lossy(&sent.stdout),
            String::from_utf8_lossy(&sent.stderr)
        );
    }
    // Some corpus files are one image in several transfer syntaxes, with one SOP Instance UID:
    // Orthanc holds it once.
    let distinct: std::collections::HashSet<String> = files
        .iter()
        .map(|f| {
            let e = scan_bytes("x.dcm", &fs::read(f).unwrap(), &Limits::default());
            e.dicom
                .and_then(|d| d.sop_instance_uid)
                .expect("a SOP Instance UID")
        })
        .collect();
    let stats = get(orthanc.http, "/statistics").expect("Orthanc's statistics");
    assert_eq!(
        stats["CountInstances"].as_u64(),
        Some(distinct.len() as u64),
        "every file stored: {stats}"
    );
    let patients = get(orthanc.http, "/patients?expand").expect("Orthanc's patients");
    for p in patients.as_array().unwrap() {
        let name = p["MainDicomTags"]["PatientName"].as_str().unwrap_or("");
        assert!(
            name.is_empty() || name.starts_with("PATIENT-") || name == "UNKNOWN",
            "patient {name:?} in Orthanc"
        );
    }
}
