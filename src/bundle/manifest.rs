//! The bundle's manifest: every input with its size, SHA-256 (computed while it streamed), kind
//! and what became of it, and every file the bundle wrote itself. Owns [`Manifest`] (written
//! as `manifest.json`, read back by the verifier) and its CSV form (`manifest.csv`). Plain data:
//! no zip, no I/O.

use serde::{Deserialize, Serialize};

/// The version of the manifest's JSON shape. 2: a picture's bytes in the bundle may differ from
/// the input's (`written_sha256`: its location and device metadata removed).
pub const MANIFEST_VERSION: u32 = 2;

/// What became of one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// In the bundle at `destination`: byte for byte, or, for a picture with `metadata_removed`,
    /// without that metadata (its bytes then have `written_sha256`).
    Copied,
    /// Only part of it is in the bundle at `destination` (it could not be read to the end, or
    /// the zip it came from is damaged); `reason` says why, `sha256` is of what was copied.
    Incomplete,
    /// A zip the patient gave: its members are in the layout, each listed as its own input.
    Unpacked,
    /// Not in the bundle; `reason` says why.
    LeftOut,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Copied => "copied",
            Outcome::Incomplete => "incomplete",
            Outcome::Unpacked => "unpacked",
            Outcome::LeftOut => "left-out",
        }
    }
}

/// One input: a file given or a member of a zip given (`x.zip!/a/b`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputRecord {
    /// As in the report's `files[].path`.
    pub path: String,
    /// Bytes read while bundling for copied files; the size found by the scan otherwise.
    pub size: u64,
    /// The file's kind as the report names it (`dicom`, `pdf`…).
    pub kind: String,
    /// Lowercase hex; present for every file that was read (copied, incomplete, or found to be
    /// a duplicate), absent for files left out unread.
    pub sha256: Option<String>,
    pub outcome: Outcome,
    /// The path inside the bundle.
    pub destination: Option<String>,
    /// `stored` or `deflated`, for copied files.
    pub method: Option<String>,
    /// Why it was left out, what was unpacked, or what went wrong.
    pub reason: Option<String>,
    /// What was removed from a picture (`gps`, `maker-note`, `serial-numbers`, `owner-name`,
    /// `xmp`): empty when the bundle holds it as it was given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metadata_removed: Vec<String>,
    /// The SHA-256 and size of the bytes in the bundle when metadata was removed (`sha256` and
    /// `size` stay the input's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written_sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written_size: Option<u64>,
}

impl InputRecord {
    /// The SHA-256 of what the bundle holds for this input.
    pub fn sha256_in_bundle(&self) -> Option<&str> {
        self.written_sha256.as_deref().or(self.sha256.as_deref())
    }
}

/// A file the bundle wrote itself (README.txt, the report, manifest.csv).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeneratedRecord {
    pub name: String,
    pub size: u64,
    pub sha256: String,
}

/// Counts for people and for the CLI's summary.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    pub inputs: usize,
    pub copied: usize,
    pub incomplete: usize,
    pub unpacked: usize,
    pub left_out: usize,
    /// Bytes of the inputs that are in the bundle.
    pub bytes_copied: u64,
    /// Pictures written without the GPS position they held.
    #[serde(default)]
    pub location_removed: usize,
}

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub manifest_version: u32,
    pub generated_by: String,
    /// When the bundle was made (UTC, ISO 8601), when the caller said.
    pub created: Option<String>,
    pub totals: Totals,
    pub inputs: Vec<InputRecord>,
    /// Everything else in the zip except `manifest.json` itself.
    pub generated: Vec<GeneratedRecord>,
    /// The patient's consent to send the bundle abroad, when it was made for that.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<Consent>,
}

/// The patient's consent to send this bundle to a recipient in another country (the page's
/// cross-border consent step: China's personal information law asks for a separate consent
/// before sensitive data goes abroad), as it was shown and given. A bundle is only made with
/// one after the patient ticked it: refusing sends nothing, so there is nothing to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    /// The data crosses a border (the host said the destination is abroad).
    pub cross_border: bool,
    /// Where the bundle is uploaded (host and port of the destination URL).
    pub destination_host: String,
    /// The recipient's country as the host named it (ISO 3166-1 alpha-2, e.g. `CN`).
    pub country: String,
    /// Who receives the records, as the host named them.
    pub recipient: String,
    /// What the records are sent for, as the host said.
    pub purpose: String,
    /// When the patient gave it (UTC, ISO 8601).
    pub given_at: String,
    /// The words the patient agreed to, in the language they read them in.
    pub text: String,
}

impl Manifest {
    /// The zip entries this manifest promises, with their SHA-256: copied and incomplete
    /// inputs at their destination, and the generated files.
    pub fn expected_entries(&self) -> Vec<(&str, &str)> {
        let inputs = self.inputs.iter().filter_map(|r| {
            Some((
                r.destination.as_deref()?,
                r.sha256_in_bundle().unwrap_or(""),
            ))
        });
        let generated = self
            .generated
            .iter()
            .map(|g| (g.name.as_str(), g.sha256.as_str()));
        inputs.chain(generated).collect()
    }
}

/// The first line of `manifest.csv`, after a byte-order mark (so that Excel shows Chinese
/// names); rows follow with CRLF line ends and RFC 4180 quoting.
pub const CSV_HEADER: &str =
    "\u{feff}path,size,kind,sha256,outcome,destination,reason,metadata_removed,written_sha256\r\n";

/// Appends one input's row to `out`.
pub fn csv_row(r: &InputRecord, out: &mut String) {
    let fields = [
        r.path.as_str(),
        &r.size.to_string(),
        r.kind.as_str(),
        r.sha256.as_deref().unwrap_or(""),
        r.outcome.as_str(),
        r.destination.as_deref().unwrap_or(""),
        r.reason.as_deref().unwrap_or(""),
        &r.metadata_removed.join(" "),
        r.written_sha256.as_deref().unwrap_or(""),
    ];
    let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    out.push_str(&row.join(","));
    out.push_str("\r\n");
}

/// `manifest.csv` whole.
pub fn to_csv(inputs: &[InputRecord]) -> Vec<u8> {
    let mut out = String::from(CSV_HEADER);
    for r in inputs {
        csv_row(r, &mut out);
    }
    out.into_bytes()
}

fn csv_field(s: &str) -> String {
    // A leading = + - @ would be a formula in a spreadsheet: quote it and prefix a '.
    let formula = s.starts_with(['=', '+', '-', '@']);
    if formula || s.contains([',', '"', '\r', '\n']) {
        let body = if formula {
            format!("'{s}")
        } else {
            s.to_string()
        };
        format!("\"{}\"", body.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Lowercase hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0xF)]));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_and_csv() {
        assert_eq!(hex(&[0x00, 0xAB, 0x7F]), "00ab7f");
        let r = InputRecord {
            path: "a,b \"c\".pdf".into(),
            size: 3,
            kind: "pdf".into(),
            sha256: None,
            outcome: Outcome::LeftOut,
            destination: None,
            method: None,
            reason: Some("=cmd".into()),
            metadata_removed: Vec::new(),
            written_sha256: None,
            written_size: None,
        };
        let csv = String::from_utf8(to_csv(&[r])).unwrap();
        assert!(
            csv.ends_with("\"a,b \"\"c\"\".pdf\",3,pdf,,left-out,,\"'=cmd\",,\r\n"),
            "{csv}"
        );
    }
}
