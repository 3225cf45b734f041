//! The bundle's last entries: manifest.csv and manifest.json, written a piece at a time once
//! every input has streamed (they hold every input's SHA-256), and the [`Manifest`] the writer
//! keeps when the zip is finished. The manifest's shape and CSV form are in
//! `manifest`; this is the writer's side.

use std::io::Write;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::manifest::{self, GeneratedRecord, Manifest, Outcome};
use super::plan::{MANIFEST_CSV, MANIFEST_JSON};
use super::{Bundler, Error, State};

impl Bundler {
    /// manifest.csv, a piece at a time: rows from `row` on. The first call counts the totals
    /// and starts the entry.
    pub(super) fn write_csv(&mut self, row: usize) -> Result<State, Error> {
        if row == 0 {
            let t = &mut self.totals;
            t.inputs = self.records.len();
            for r in &self.records {
                match r.outcome {
                    Outcome::Copied => t.copied += 1,
                    Outcome::Incomplete => t.incomplete += 1,
                    Outcome::Unpacked => t.unpacked += 1,
                    Outcome::LeftOut => t.left_out += 1,
                }
                if matches!(r.outcome, Outcome::Copied | Outcome::Incomplete) {
                    t.bytes_copied += r.size;
                }
                if r.metadata_removed.iter().any(|m| m == "gps") {
                    t.location_removed += 1;
                }
            }
            let options = self.entry_options(true, false);
            self.zip
                .as_mut()
                .ok_or(Error::Failed)?
                .start_file(MANIFEST_CSV, options)?;
            self.csv_hasher = Some(Sha256::new());
            self.csv_size = 0;
        }
        let mut text = if row == 0 {
            manifest::CSV_HEADER.to_string()
        } else {
            String::new()
        };
        let mut next = row;
        while next < self.records.len() && text.len() < self.piece.len() {
            manifest::csv_row(&self.records[next], &mut text);
            next += 1;
        }
        self.write_manifest_bytes(text.as_bytes(), true)?;
        if next < self.records.len() {
            return Ok(State::Csv(next));
        }
        let sha = self.csv_hasher.take().map(|h| manifest::hex(&h.finalize()));
        self.generated.push(GeneratedRecord {
            name: MANIFEST_CSV.into(),
            size: self.csv_size,
            sha256: sha.unwrap_or_default(),
        });
        Ok(State::Json(0))
    }

    /// manifest.json, a piece at a time: the head (totals, generated files with manifest.csv's
    /// SHA-256), then one line per input from `row` on, then the end.
    pub(super) fn write_json(&mut self, row: usize) -> Result<State, Error> {
        let mut text = String::new();
        if row == 0 {
            let options = self.entry_options(true, false);
            self.zip
                .as_mut()
                .ok_or(Error::Failed)?
                .start_file(MANIFEST_JSON, options)?;
            let generated: Vec<String> = self.generated.iter().map(json).collect();
            // Only a bundle made for sending abroad has a consent: the key is absent otherwise.
            let consent = self
                .plan
                .consent
                .as_ref()
                .map_or(String::new(), |c| format!("  \"consent\": {},\n", json(c)));
            text.push_str(&format!(
                "{{\n  \"manifest_version\": {},\n  \"generated_by\": {},\n  \"created\": {},\n  \"totals\": {},\n  \"generated\": [\n    {}\n  ],\n{consent}  \"inputs\": [\n",
                manifest::MANIFEST_VERSION,
                json(&generated_by()),
                json(&self.plan.created),
                json(&self.totals),
                generated.join(",\n    "),
            ));
        }
        let mut next = row;
        while next < self.records.len() && text.len() < self.piece.len() {
            text.push_str("    ");
            text.push_str(&json(&self.records[next]));
            next += 1;
            text.push_str(if next < self.records.len() {
                ",\n"
            } else {
                "\n"
            });
        }
        if next == self.records.len() {
            text.push_str("  ]\n}\n");
        }
        self.write_manifest_bytes(text.as_bytes(), false)?;
        Ok(if next < self.records.len() {
            State::Json(next)
        } else {
            State::Finish
        })
    }

    /// Writes into the manifest entry being written; manifest.csv's bytes are also counted and
    /// hashed, for manifest.json's list of generated files.
    fn write_manifest_bytes(&mut self, bytes: &[u8], csv: bool) -> Result<(), Error> {
        if csv {
            if let Some(h) = self.csv_hasher.as_mut() {
                h.update(bytes);
            }
            self.csv_size += bytes.len() as u64;
        }
        self.zip.as_mut().ok_or(Error::Failed)?.write_all(bytes)?;
        Ok(())
    }

    /// The central directory and end records; the manifest is kept for [`Bundler::manifest`].
    pub(super) fn finish(&mut self) -> Result<State, Error> {
        let zip = self.zip.take().ok_or(Error::Failed)?;
        zip.finish()?;
        self.manifest = Some(Manifest {
            manifest_version: manifest::MANIFEST_VERSION,
            generated_by: generated_by(),
            created: self.plan.created.clone(),
            totals: std::mem::take(&mut self.totals),
            inputs: std::mem::take(&mut self.records),
            generated: std::mem::take(&mut self.generated),
            consent: self.plan.consent.clone(),
        });
        self.progress.done = true;
        Ok(State::Done)
    }
}

fn generated_by() -> String {
    format!("record-precheck {}", env!("CARGO_PKG_VERSION"))
}

/// One value of the manifest as compact JSON.
fn json<T: Serialize + ?Sized>(value: &T) -> String {
    // Plain data with string keys: serialising cannot fail.
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}
