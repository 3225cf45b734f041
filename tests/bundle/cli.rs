//! The CLI's `bundle` and `verify`, and their exit codes.

use std::fs;
use std::io::Cursor;
use std::process::Command;

use crate::common::{corpus, scratch};

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
    {
        // report.html shows each series of the CD (labels.json: two) as an embedded PNG.
        use std::io::Read;
        let mut archive = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
        let mut html = String::new();
        archive
            .by_name("report.html")
            .unwrap()
            .read_to_string(&mut html)
            .unwrap();
        let labels: Vec<serde_json::Value> =
            serde_json::from_str(&fs::read_to_string(corpus().join("labels.json")).unwrap())
                .unwrap();
        let series: std::collections::BTreeSet<&str> = labels
            .iter()
            .filter(|l| l["path"].as_str().unwrap_or("").starts_with("case-cd-ct/"))
            .filter_map(|l| l["series_instance_uid"].as_str())
            .collect();
        assert_eq!(series.len(), 2);
        assert_eq!(
            html.matches("<img class=\"thumb\" src=\"data:image/png;base64,iVBORw0KGgo")
                .count(),
            series.len(),
            "one thumbnail per series in report.html"
        );
        assert_eq!(html.matches("<img").count(), series.len());
    }
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
fn the_cli_de_identifies_and_keeps_the_key_apart_only_when_asked() {
    let out = scratch("cli-deidentify");
    let exe = env!("CARGO_BIN_EXE_record-precheck");
    let input = corpus().join("../corpus-identity/case-04-mother-and-daughter");
    let zip = out.join("case.zip");
    let key = out.join("key.json");
    let run = Command::new(exe)
        .arg("bundle")
        .arg(&input)
        .arg("-o")
        .arg(&zip)
        .args(["--deidentify", "--retain-dates", "--key"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let check = Command::new(exe).arg("verify").arg(&zip).output().unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    // The key names the two people of the case (mother and daughter), by their labels.
    let labels: serde_json::Value =
        serde_json::from_slice(&fs::read(corpus().join("../corpus-identity/labels.json")).unwrap())
            .unwrap();
    let key: serde_json::Value = serde_json::from_slice(&fs::read(&key).unwrap()).unwrap();
    let key_text = key.to_string();
    let names: Vec<&str> = labels
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["case"] == "case-04-mother-and-daughter")
        .map(|l| l["patient_name"].as_str().unwrap())
        .collect();
    assert!(!names.is_empty());
    for name in &names {
        assert!(
            key_text.contains(name),
            "{name} missing from the key {key_text}"
        );
    }
    assert_eq!(key.as_array().unwrap().len(), 2, "{key_text}");
    assert_eq!(key[0]["pseudonym"], "PATIENT-1");
    // Without --deidentify the options are a usage error.
    let wrong = Command::new(exe)
        .arg("bundle")
        .arg(&input)
        .arg("-o")
        .arg(out.join("x.zip"))
        .arg("--retain-dates")
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(2));
}
