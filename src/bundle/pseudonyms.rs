//! The pseudonyms of a de-identified bundle: `PATIENT-1`, `PATIENT-2`… for the people of the
//! report, in the order the report lists them, and the text replacement that writes them in
//! place of the names, IDs and birth dates the records give (in folder and file names, the
//! manifest, the patient's own notes). The mapping itself never goes into the bundle.

use serde::Serialize;

use crate::dicom::deidentify::Person;
use crate::report::Report;

/// Shorter identifiers are not replaced in text (a one-letter name part or a two-digit ID would
/// replace parts of ordinary words and numbers).
const MIN_CHARS: usize = 2;

/// Who a pseudonym stands for: the key the patient keeps apart from the bundle.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KeyEntry {
    pub pseudonym: String,
    pub names: Vec<String>,
    pub ids: Vec<String>,
    pub birth_dates: Vec<String>,
}

/// The bundle's pseudonyms and what each stands for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pseudonyms {
    /// One per report patient, in order.
    people: Vec<Person>,
    key: Vec<KeyEntry>,
    /// (identifier, ASCII-lowercased; pseudonym), longest identifier first.
    replacements: Vec<(String, String)>,
}

impl Pseudonyms {
    /// The pseudonyms of the report's people.
    pub fn new(report: &Report) -> Self {
        let mut people = Vec::new();
        let mut key = Vec::new();
        let mut replacements = Vec::new();
        for (i, p) in report.patients.iter().enumerate() {
            let pseudonym = format!("PATIENT-{}", i + 1);
            let mut ids: Vec<String> = Vec::new();
            for name in p.name.iter().chain(&p.names) {
                let spaced = name.replace('^', " ");
                let spaced = spaced.split_whitespace().collect::<Vec<_>>();
                ids.push(name.clone());
                ids.push(spaced.join(" "));
                ids.push(spaced.join("_"));
                ids.push(spaced.join(""));
            }
            ids.extend(p.patient_ids.iter().cloned());
            ids.extend(p.issued_ids.iter().map(|i| i.id.clone()));
            for date in p.birth_date.iter().chain(&p.birth_dates) {
                ids.push(date.clone());
                ids.push(date.replace('-', ""));
            }
            ids.retain(|id| id.trim().chars().count() >= MIN_CHARS);
            ids.sort();
            ids.dedup();
            for id in &ids {
                replacements.push((id.to_ascii_lowercase(), pseudonym.clone()));
            }
            let mut names: Vec<String> = p.name.iter().chain(&p.names).cloned().collect();
            names.sort();
            names.dedup();
            let mut birth_dates: Vec<String> =
                p.birth_date.iter().chain(&p.birth_dates).cloned().collect();
            birth_dates.sort();
            birth_dates.dedup();
            key.push(KeyEntry {
                pseudonym: pseudonym.clone(),
                names,
                ids: p.patient_ids.clone(),
                birth_dates,
            });
            people.push(Person {
                pseudonym,
                identifiers: ids,
            });
        }
        replacements.sort_by_key(|(id, _)| std::cmp::Reverse(id.len()));
        Pseudonyms {
            people,
            key,
            replacements,
        }
    }

    /// Who each pseudonym stands for.
    pub fn key(&self) -> &[KeyEntry] {
        &self.key
    }

    /// The person the report numbers `patient`.
    pub fn person(&self, patient: usize) -> Option<&Person> {
        self.people.get(patient)
    }

    /// `text` with every identifier replaced by its person's pseudonym (ASCII letters matched
    /// without regard to case).
    pub fn apply(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (id, pseudonym) in &self.replacements {
            out = replace_ignoring_ascii_case(&out, id, pseudonym);
        }
        out
    }
}

/// Replaces each occurrence of `needle` (lowercase) in `hay`, ASCII case ignored.
fn replace_ignoring_ascii_case(hay: &str, needle: &str, with: &str) -> String {
    // Lowercasing ASCII keeps every byte where it was, so positions match in both.
    let lower = hay.to_ascii_lowercase();
    let mut out = String::with_capacity(hay.len());
    let mut last = 0;
    for (at, _) in lower.match_indices(needle) {
        if at < last {
            continue;
        }
        out.push_str(&hay[last..at]);
        out.push_str(with);
        last = at + needle.len();
    }
    out.push_str(&hay[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::replace_ignoring_ascii_case;

    #[test]
    fn identifiers_are_replaced_whatever_the_case_of_ascii_letters() {
        assert_eq!(
            replace_ignoring_ascii_case("CT_Wang_XiaoDong_2024.zip", "wang_xiaodong", "PATIENT-1"),
            "CT_PATIENT-1_2024.zip"
        );
        assert_eq!(
            replace_ignoring_ascii_case("王小东病理报告.pdf", "王小东", "PATIENT-1"),
            "PATIENT-1病理报告.pdf"
        );
        assert_eq!(replace_ignoring_ascii_case("abc", "x", "y"), "abc");
    }
}
