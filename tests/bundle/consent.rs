//! The patient's consent to send the bundle abroad is in manifest.json and README.txt when the
//! bundle was made with one, and nowhere (no `consent` key) when it was not.

use std::fs;
use std::io::Read;

use record_precheck::bundle::{BundleOptions, Consent, Manifest, PlanOptions};

use crate::common::{assert_verifies, bundle_to, pdf, put_file, scratch};

/// manifest.json and README.txt of a bundle of one PDF, made with `consent`.
fn bundle_with(name: &str, consent: Option<Consent>) -> (Manifest, serde_json::Value, String) {
    let dir = scratch(&format!("{name}-input"));
    put_file(&dir, "report.pdf", &pdf("a report"));
    let zip = scratch(name).join("bundle.zip");
    let options = PlanOptions {
        consent,
        ..PlanOptions::default()
    };
    let manifest = bundle_to(&[dir], &options, BundleOptions::default(), &zip);
    assert_verifies(&zip);
    let mut archive = zip::ZipArchive::new(fs::File::open(&zip).unwrap()).unwrap();
    let mut read = |entry: &str| {
        let mut text = String::new();
        archive
            .by_name(entry)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    let json = serde_json::from_str(&read("manifest.json")).unwrap();
    (manifest, json, read("README.txt"))
}

#[test]
fn the_manifest_records_the_consent_to_send_abroad_and_omits_it_without() {
    let consent = Consent {
        cross_border: true,
        destination_host: "uploads.hospital.example".into(),
        country: "CN".into(),
        recipient: "International Medical Service, Example Hospital".into(),
        purpose: "a second opinion on the diagnosis".into(),
        given_at: "2026-12-03T10:00:00Z".into(),
        text: "I agree that these records are sent to …".into(),
    };
    let (manifest, json, readme) = bundle_with("consent", Some(consent.clone()));
    assert_eq!(manifest.consent.as_ref(), Some(&consent));
    assert_eq!(
        json["consent"],
        serde_json::to_value(&consent).unwrap(),
        "manifest.json holds the consent as given"
    );
    // Read back as the verifier reads it.
    let parsed: Manifest = serde_json::from_value(json).unwrap();
    assert_eq!(parsed.consent, Some(consent));
    assert!(
        readme.contains(
            "Sent to International Medical Service, Example Hospital (uploads.hospital.example) in CN"
        ) && readme.contains("发送给 CN 的 International Medical Service"),
        "README.txt says where it went, in both languages:\n{readme}"
    );

    let (manifest, json, readme) = bundle_with("no-consent", None);
    assert_eq!(manifest.consent, None);
    assert!(
        json.get("consent").is_none(),
        "no consent key without one: {json}"
    );
    assert!(!readme.contains("consent") && !readme.contains("同意"));
}
