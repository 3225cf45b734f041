//! The people documents name, joined to the case's people (the DICOM patients and those of
//! documents read before). A document's person is one of the case's people when the names are
//! the same ([`NameKeys`]) and nothing contradicts it: a different birth date, M against F, or
//! an age that does not fit (the age printed with the document's dates gives a range of birth
//! years). Otherwise it is a person of its own: one the records set apart from everyone known,
//! or one whose name cannot be compared with theirs (hanzi against a romanisation that is not
//! pinyin, a script the names module does not compare). Whether the people are one is then
//! judged pair by pair (`identity`): the first kind are *different people*, the second
//! *possibly different* — asked, never merged and never silently dropped. The DICOM grouping
//! (`grouping`) is not changed by any of this.

use chrono::Datelike;

use super::names::NameKeys;
use super::{push_distinct, record_date, AgeAtStudy, DocumentMention, Patient};
use crate::document::facts::PersonNamed;
use crate::entry::FileEntry;

/// Most people a case takes from documents beyond its DICOM patients. Every new name is
/// compared with every known person, so the bound keeps a folder of thousands of documents
/// naming thousands of people linear; past it a name is still compared, but adds no one.
const MAX_PEOPLE_FROM_DOCUMENTS: usize = 32;
/// Most spellings kept per person (as `grouping` keeps for DICOM).
const MAX_NAMES: usize = 16;

/// What tells one person from another, gathered from every record of that person.
#[derive(Debug, Clone, Default)]
struct Known {
    names: NameKeys,
    /// `YYYY-MM-DD`.
    birth_date: Option<String>,
    /// `M` or `F` (others are "unknown" in many systems).
    sex: Option<String>,
    /// The birth years the records allow (from a birth date, or an age with dates).
    birth_years: Option<(i32, i32)>,
}

impl Known {
    fn of_patient(p: &Patient) -> Known {
        let mut names = NameKeys::default();
        for n in p.names.iter().chain(&p.name) {
            names.extend(&NameKeys::of(n));
        }
        let birth_date = p.birth_date.as_deref().and_then(iso_date);
        Known {
            names,
            birth_years: birth_date.as_deref().and_then(year).map(|y| (y, y)),
            birth_date,
            sex: p.sex.clone().filter(|s| s == "M" || s == "F"),
        }
    }

    fn of_person(person: &PersonNamed, dates: &[String]) -> Known {
        let birth_date = person.birth_date.as_deref().and_then(iso_date);
        let from_birth = birth_date.as_deref().and_then(year).map(|y| (y, y));
        // An age is given at one of the document's dates: born in (first - age - 1) at the
        // earliest and (last - age) at the latest.
        let years: Vec<i32> = dates.iter().filter_map(|d| year(d)).collect();
        let from_age = match (person.age, years.iter().min(), years.iter().max()) {
            (Some(age), Some(first), Some(last)) => {
                let age = i32::try_from(age).unwrap_or(i32::MAX);
                Some((
                    first.saturating_sub(age).saturating_sub(1),
                    last.saturating_sub(age),
                ))
            }
            _ => None,
        };
        Known {
            names: NameKeys::of(&person.name),
            birth_date,
            sex: person.sex.clone().filter(|s| s == "M" || s == "F"),
            birth_years: from_birth.or(from_age),
        }
    }

    /// The same name and nothing against it.
    fn same_person(&self, other: &Known) -> bool {
        match self.names.same(&other.names) {
            None | Some(false) => false,
            Some(true) => {
                let conflict = |a: &Option<String>, b: &Option<String>| matches!((a, b), (Some(x), Some(y)) if x != y);
                let years_apart = matches!(
                    (self.birth_years, other.birth_years),
                    (Some((a0, a1)), Some((b0, b1))) if a1 < b0 || b1 < a0
                );
                !(conflict(&self.birth_date, &other.birth_date)
                    || conflict(&self.sex, &other.sex)
                    || years_apart)
            }
        }
    }

    fn absorb(&mut self, other: Known) {
        self.names.extend(&other.names);
        self.birth_date = self.birth_date.take().or(other.birth_date);
        self.sex = self.sex.take().or(other.sex);
        self.birth_years = match (self.birth_years, other.birth_years) {
            (Some((a0, a1)), Some((b0, b1))) => Some((a0.max(b0), a1.min(b1))),
            (a, b) => a.or(b),
        };
    }
}

/// Adds the people of every read document to `patients`: joined to the person they are, or
/// as a new person when they are none of them.
pub(super) fn add_document_people(all: &[&FileEntry], patients: &mut Vec<Patient>) {
    let mut known: Vec<Known> = patients.iter().map(Known::of_patient).collect();
    let dicom_patients = patients.len();
    for entry in all {
        let Some(document) = &entry.document else {
            continue;
        };
        let facts = &document.facts;
        for person in &facts.patients {
            let name = person.name.trim();
            let who = Known::of_person(person, &facts.dates);
            if who.names.is_empty() {
                continue;
            }
            let index = match known.iter().position(|k| k.same_person(&who)) {
                Some(i) => i,
                None if patients.len() - dicom_patients >= MAX_PEOPLE_FROM_DOCUMENTS => continue,
                None => {
                    known.push(Known::default());
                    let mut p = Patient::new(patients.len());
                    p.name = Some(name.to_string());
                    patients.push(p);
                    patients.len() - 1
                }
            };
            let p = &mut patients[index];
            if p.names.len() < MAX_NAMES && !p.names.iter().any(|n| n == name) {
                p.names.push(name.to_string());
            }
            p.birth_date = p.birth_date.take().or_else(|| who.birth_date.clone());
            p.sex = p.sex.take().or_else(|| who.sex.clone());
            // The evidence the identity judgement (`super::identity`) weighs, as DICOM gives
            // it: the birth date, the sex, and the age taken at the document's latest date (a
            // report prints the age of its own day, which is its latest date).
            if let Some(b) = &who.birth_date {
                push_distinct(&mut p.birth_dates, b.clone());
            }
            if let Some(s) = &who.sex {
                push_distinct(&mut p.sexes, s.clone());
            }
            if let (Some(age), Some(date)) = (person.age, facts.dates.iter().max()) {
                let age = AgeAtStudy {
                    age: format!("{age:03}Y"),
                    study_date: Some(date.clone()),
                };
                push_distinct(&mut p.ages, age);
            }
            // One document naming the same person twice (a header and a footer) counts once.
            if !p.documents.iter().any(|d| d.path == entry.path) {
                p.files += 1;
                p.documents.push(DocumentMention {
                    path: entry.path.clone(),
                    name: name.to_string(),
                    sex: person.sex.clone(),
                    birth_date: person.birth_date.clone(),
                    age: person.age,
                    id: person.id.clone(),
                });
            }
            known[index].absorb(who);
        }
    }
}

/// `YYYY-MM-DD` from a document's `YYYY-MM-DD` or DICOM's `YYYYMMDD`, when it is a real date.
fn iso_date(raw: &str) -> Option<String> {
    record_date(raw).map(|d| d.format("%Y-%m-%d").to_string())
}

fn year(iso: &str) -> Option<i32> {
    record_date(iso).map(|d| d.year())
}
