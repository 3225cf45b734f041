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
