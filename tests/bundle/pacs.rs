//! The imaging of a de-identified bundle still loads into a PACS: Orthanc (Debian's) is started
//! on a free local port, every DICOM file of the bundle is imported (its REST `POST /instances`,
//! which parses the whole file), and Orthanc must then hold every instance, under the pseudonyms
//! only. Orthanc is installed by the test command (`.ci/run`, `cargo xtask test`); without it
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
/// A POST to Orthanc's REST API, the answer parsed as JSON.
fn post(port: u16, path: &str, body: &[u8]) -> Option<serde_json::Value> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    write!(
        s,
        "POST {path} HTTP/1.0\r\nHost: localhost\r\nContent-Type: application/dicom\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .ok()?;
    s.write_all(body).ok()?;
    let mut response = Vec::new();
    s.read_to_end(&mut response).ok()?;
    let text = String::from_utf8_lossy(&response);
    let (_, json) = text.split_once("\r\n\r\n")?;
    serde_json::from_str(json).ok()
}

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
    let server = Orthanc { child, http };
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
    // Each file is imported through Orthanc's REST API (`POST /instances`), which parses and
    // stores any transfer syntax; C-STORE with storescu would depend on the transfer syntaxes
    // the two ends negotiate (this Orthanc refuses some compressed ones over DICOM).
    for file in &files {
        let bytes = fs::read(file).unwrap();
        let answer = post(orthanc.http, "/instances", &bytes)
            .unwrap_or_else(|| panic!("Orthanc did not answer for {}", file.display()));
        // Some corpus files are one image in several transfer syntaxes, with one SOP Instance
        // UID: Orthanc keeps the first.
        let status = answer["Status"].as_str().unwrap_or("");
        assert!(
            status == "Success" || status == "AlreadyStored",
            "{}: {answer}",
            file.display()
        );
    }
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
