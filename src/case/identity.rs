//! One person or several (issue 16): every pair of the case's people judged on the evidence
//! of their records — names in every script (Traditional folded to Simplified, pinyin of the
//! Han name against the alphabetic one), birth dates, ages at the study dates, sex, patient IDs
//! with their issuer — in three grades, with the reasons.
//!
//! *Same person* merges two people (`merge_same_people`): the same or transliterated name and
//! the same birth date, or a birth date on one side that the other side's age at its study
//! fits, or the same ID from the same issuer; and nothing against it. *Different people*: names
//! that differ in a common script, or two birth dates, or an age that cannot fit. Everything
//! else (a missing birth date, M against F, a romanisation that is not pinyin) is *possibly
//! different*: never merged, never called another person, but asked (`identity-check`).

use std::collections::BTreeSet;

use chrono::{Months, NaiveDate};
use serde::Serialize;

use super::names::{NameKeys, NameMatch};
use super::{record_date, Case, IdentityDeclarations, Patient};
use crate::codes::IdentityReason;

/// How sure the records are that two people are one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) enum Grade {
    Same,
    PossiblyDifferent,
    Different,
}

/// Most people judged pair by pair: past it (a folder of thousands of strangers' scans) the
/// people are kept apart and every pair counts as different, as before this judgement.
pub(super) const MAX_JUDGED: usize = 32;

/// What one person's records say about who they are.
struct Evidence {
    names: NameKeys,
    birth_dates: BTreeSet<NaiveDate>,
    /// `M` and `F` only: `O` and empty are what many systems write for "unknown".
    sexes: BTreeSet<String>,
    /// The birth dates every age at a study allows: (earliest, latest).
    born_between: Option<(NaiveDate, NaiveDate)>,
    /// (ID, issuer), for IDs with an issuer.
    issued: BTreeSet<(String, String)>,
}

impl Evidence {
    fn of(p: &Patient) -> Evidence {
        let mut names = NameKeys::default();
        for n in p.names.iter().chain(&p.name) {
            names.extend(&NameKeys::of(n));
        }
        let birth_dates = p
            .birth_dates
            .iter()
            .chain(&p.birth_date)
            .filter_map(|d| record_date(d))
            .collect();
        let sexes = p
            .sexes
            .iter()
            .chain(&p.sex)
            .map(|s| s.trim().to_ascii_uppercase())
            .filter(|s| s == "M" || s == "F")
            .collect();
        let mut born_between: Option<(NaiveDate, NaiveDate)> = None;
        for a in &p.ages {
            let Some(window) = birth_window(&a.age, a.study_date.as_deref()) else {
                continue;
            };
            born_between = Some(match born_between {
                Some((lo, hi)) => (lo.max(window.0), hi.min(window.1)),
                None => window,
            });
        }
        let issued = p
            .issued_ids
            .iter()
            .filter_map(|i| Some((i.id.clone(), i.issuer.clone()?)))
            .collect();
        Evidence {
            names,
            birth_dates,
            sexes,
            born_between,
            issued,
        }
    }

    fn fits(&self, born: NaiveDate) -> Option<bool> {
        self.born_between.map(|(lo, hi)| lo <= born && born <= hi)
    }
}

/// The birth dates an age (`060Y`, `008M`, `003W`, `010D`) at a study date allows: an age of
/// `n` years on that day means born more than `n + 1` years before it at most and `n` at least.
fn birth_window(age: &str, study_date: Option<&str>) -> Option<(NaiveDate, NaiveDate)> {
    let date = record_date(study_date?)?;
    let age = age.trim();
    let (number, unit) = age.split_at(age.len().checked_sub(1)?);
    let n: u32 = number.parse().ok()?;
    let (low, high) = match unit {
        "Y" => (
            date.checked_sub_months(Months::new(n.checked_add(1)?.checked_mul(12)?))?,
            date.checked_sub_months(Months::new(n.checked_mul(12)?))?,
        ),
        "M" => (
            date.checked_sub_months(Months::new(n.checked_add(1)?))?,
            date.checked_sub_months(Months::new(n))?,
        ),
        "W" => (
            date - chrono::Duration::weeks(i64::from(n) + 1),
            date - chrono::Duration::weeks(i64::from(n)),
        ),
        "D" => (
            date - chrono::Duration::days(i64::from(n) + 1),
            date - chrono::Duration::days(i64::from(n)),
        ),
        _ => return None,
    };
    // The age may have been counted a day early or late by the modality's clock.
    Some((low.pred_opt()?, high.succ_opt()?))
}

/// The grade of a pair with the reasons, in the order they were weighed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(super) struct Judgement {
    pub grade: Grade,
    pub reasons: Vec<IdentityReason>,
}

fn judge_evidence(a: &Evidence, b: &Evidence) -> Judgement {
    use IdentityReason as R;
    let mut reasons = Vec::new();
    let mut against = false;
    let mut unsure = false;
    // A missing birth date is unsure unless the same ID from the same issuer says who it is.
    let mut unsure_birth = false;
    let mut for_it = false;
    let names = a.names.compare(&b.names);
    match names {
        NameMatch::Same => reasons.push(R::SameName),
        NameMatch::Pinyin => reasons.push(R::NamePinyin),
        NameMatch::Different => {
            reasons.push(R::DifferentNames);
            against = true;
        }
        NameMatch::NotPinyin => {
            reasons.push(R::NameNotPinyin);
            unsure = true;
        }
        NameMatch::Unknown => {
            reasons.push(R::NamesNotComparable);
            unsure = true;
        }
    }
    let same_id = !a.issued.is_disjoint(&b.issued);
    if same_id {
        reasons.push(R::SameId);
        for_it = true;
    }
    let one_birth_date = |e: &Evidence| {
        (e.birth_dates.len() == 1)
            .then(|| e.birth_dates.first().copied())
            .flatten()
    };
    match (a.birth_dates.is_empty(), b.birth_dates.is_empty()) {
        (false, false) => {
            if a.birth_dates.is_disjoint(&b.birth_dates) {
                reasons.push(R::DifferentBirthDates);
                against = true;
            } else {
                reasons.push(R::SameBirthDate);
                for_it = true;
            }
        }
        (true, true) => {
            reasons.push(R::NoBirthDate);
            unsure_birth = true;
            let apart = matches!((a.born_between, b.born_between),
                (Some((a0, a1)), Some((b0, b1))) if a1 < b0 || b1 < a0);
            if apart {
                reasons.push(R::AgeDoesNotFit);
                against = true;
            }
        }
        (known_a, _) => {
            // One side has a birth date, the other only (perhaps) an age at its study.
            let (dated, aged) = if known_a { (b, a) } else { (a, b) };
            reasons.push(R::BirthDateMissing);
            match one_birth_date(dated).and_then(|born| aged.fits(born)) {
                Some(true) => {
                    reasons.push(R::AgeFits);
                    for_it = true;
                }
                Some(false) => {
                    reasons.push(R::AgeDoesNotFit);
                    against = true;
                }
                None => unsure_birth = true,
            }
        }
    }
    if a.sexes.len() == 1 && b.sexes.len() == 1 && a.sexes != b.sexes {
        reasons.push(R::DifferentSex);
        unsure = true;
    }
    let grade = if against {
        Grade::Different
    } else if unsure || (unsure_birth && !same_id) || !for_it {
        Grade::PossiblyDifferent
    } else {
        Grade::Same
    };
    Judgement { grade, reasons }
}

/// The judgement of every pair (i < j) of the first [`MAX_JUDGED`] people.
pub(super) fn judge_all(patients: &[Patient]) -> Vec<(usize, usize, Judgement)> {
    let evidence: Vec<Evidence> = patients.iter().take(MAX_JUDGED).map(Evidence::of).collect();
    let mut out = Vec::new();
    for i in 0..evidence.len() {
        for j in i + 1..evidence.len() {
            out.push((i, j, judge_evidence(&evidence[i], &evidence[j])));
        }
    }
    out
}

/// Merges the people the records show to be one person: a pair judged *same person* whose
/// groups hold no pair judged otherwise (so `A = B` and `B = C` never merges `A` with a `C`
/// that the records set apart from `A`). Returns the merged people and, for each old index,
/// its new one.
pub(super) fn merge_same_people(patients: Vec<Patient>) -> (Vec<Patient>, Vec<usize>) {
    let pairs = judge_all(&patients);
    let n = patients.len();
    // Grades by (i, j); people past MAX_JUDGED were not judged and count as different.
    let mut grades = vec![Grade::Different; n * n];
    for (i, j, judgement) in &pairs {
        grades[i * n + j] = judgement.grade;
        grades[j * n + i] = judgement.grade;
    }
    let grade = |i: usize, j: usize| grades[i * n + j];
    // group[i]: the representative of i's group.
    let mut group: Vec<usize> = (0..n).collect();
    for (i, j, judgement) in &pairs {
        let (gi, gj) = (group[*i], group[*j]);
        if judgement.grade != Grade::Same || gi == gj {
            continue;
        }
        let all_same = (0..n).filter(|&x| group[x] == gi).all(|x| {
            (0..n)
                .filter(|&y| group[y] == gj)
                .all(|y| grade(x, y) == Grade::Same)
        });
        if all_same {
            for g in group.iter_mut().filter(|g| **g == gj) {
                *g = gi;
            }
        }
    }
    let mut merged: Vec<Patient> = Vec::new();
    let mut new_index = vec![0; n];
    let mut slot_of: Vec<Option<usize>> = vec![None; n];
    for (i, p) in patients.into_iter().enumerate() {
        let representative = group[i];
        match slot_of[representative] {
            Some(slot) => {
                merged[slot].absorb(p);
                new_index[i] = slot;
            }
            None => {
                slot_of[representative] = Some(merged.len());
                new_index[i] = merged.len();
                merged.push(p);
            }
        }
    }
    for (k, p) in merged.iter_mut().enumerate() {
        p.id = format!("P{}", k + 1);
    }
    (merged, new_index)
}

/// Applies what the patient said: each `merged` group becomes one person (the first person it
/// names takes in the others), then each person an `excluded` reference names is marked. A
/// reference that names no one is ignored: the files it meant may not be in this scan.
/// Runs before the studies are listed per person (`Patient::studies`).
pub(super) fn apply_declarations(case: &mut Case, declared: &IdentityDeclarations) {
    for group in &declared.merged {
        let mut named: Vec<usize> = (0..case.patients.len())
            .filter(|&i| group.iter().any(|r| case.patients[i].is_named_by(r)))
            .collect();
        let Some(&keep) = named.first() else {
            continue;
        };
        // Highest first, so that removing one does not move the next.
        named.reverse();
        for &gone in named.iter().filter(|&&i| i != keep) {
            let p = case.patients.remove(gone);
            case.patients[keep].absorb(p);
            for study in &mut case.studies {
                if study.patient == gone {
                    study.patient = keep;
                } else if study.patient > gone {
                    study.patient -= 1;
                }
            }
        }
    }
    if !declared.merged.is_empty() {
        case.studies
            .sort_by(|a, b| (a.patient, &a.date).cmp(&(b.patient, &b.date)));
    }
    for (k, p) in case.patients.iter_mut().enumerate() {
        p.id = format!("P{}", k + 1);
        p.excluded = declared.excluded.iter().any(|r| p.is_named_by(r));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{AgeAtStudy, IssuedId};

    fn person(name: &str, birth: Option<&str>, sex: &str) -> Patient {
        Patient {
            id: String::new(),
            name: Some(name.into()),
            names: vec![name.into()],
            patient_ids: Vec::new(),
            issued_ids: Vec::new(),
            birth_date: birth.map(str::to_string),
            birth_dates: birth.iter().map(|b| b.to_string()).collect(),
            sex: Some(sex.into()),
            sexes: vec![sex.into()],
            ages: Vec::new(),
            studies: Vec::new(),
            files: 1,
            documents: Vec::new(),
            excluded: false,
        }
    }

    fn grade(a: &Patient, b: &Patient) -> Judgement {
        judge_evidence(&Evidence::of(a), &Evidence::of(b))
    }

    #[test]
    fn the_three_grades() {
        use IdentityReason as R;
        let wu = person("吴^晓明", Some("19621005"), "M");
        let wu_pinyin = person("Wu^Xiaoming", Some("19621005"), "M");
        let j = grade(&wu, &wu_pinyin);
        assert_eq!(j.grade, Grade::Same, "{j:?}");
        assert_eq!(j.reasons, [R::NamePinyin, R::SameBirthDate]);
        // Namesakes born on different days; different names.
        assert_eq!(
            grade(
                &person("张^伟", Some("19750120"), "M"),
                &person("Zhang^Wei=张^伟", Some("19900909"), "M")
            )
            .grade,
            Grade::Different
        );
        assert_eq!(
            grade(
                &person("林^静", Some("19810303"), "F"),
                &person("林^可欣", Some("20140730"), "F")
            )
            .grade,
            Grade::Different
        );
        // Same name and birth date, M against F: asked, not merged, not "another person".
        let j = grade(
            &person("陈^晨", Some("19920505"), "M"),
            &person("Chen^Chen=陈^晨", Some("19920505"), "F"),
        );
        assert_eq!(j.grade, Grade::PossiblyDifferent);
        assert!(j.reasons.contains(&R::DifferentSex));
        // Same name, no birth date on one side and no age: asked.
        assert_eq!(
            grade(
                &person("郑^国强", Some("19580214"), "M"),
                &person("鄭^國強", None, "M")
            )
            .grade,
            Grade::PossiblyDifferent
        );
        // Sex O or empty is unknown, not a conflict.
        assert_eq!(
            grade(
                &person("何^桂英", Some("19490909"), "F"),
                &person("何^桂英", Some("19490909"), "O")
            )
            .grade,
            Grade::Same
        );
        // A romanisation that is not pinyin: asked, unless the birth dates differ.
        assert_eq!(
            grade(
                &person("陈^大文", Some("19600101"), "M"),
                &person("Chan^Tai Man", Some("19600101"), "M")
            )
            .grade,
            Grade::PossiblyDifferent
        );
        assert_eq!(
            grade(
                &person("陈^大文", Some("19600101"), "M"),
                &person("Chan^Tai Man", Some("19700101"), "M")
            )
            .grade,
            Grade::Different
        );
    }

    #[test]
    fn an_age_at_the_study_stands_for_a_missing_birth_date() {
        let dated = person("郑^国强", Some("19580214"), "M");
        let aged = |age: &str, date: &str| Patient {
            ages: vec![AgeAtStudy {
                age: age.into(),
                study_date: Some(date.into()),
            }],
            ..person("鄭^國強", None, "M")
        };
        // 65 on 2023-03-21: born 1957-03-22 .. 1958-03-21.
        assert_eq!(grade(&dated, &aged("065Y", "20230321")).grade, Grade::Same);
        assert_eq!(
            grade(&dated, &aged("064Y", "20230321")).grade,
            Grade::Different
        );
        assert_eq!(
            grade(&dated, &aged("abc", "20230321")).grade,
            Grade::PossiblyDifferent
        );
        assert_eq!(
            birth_window("008M", Some("20230202"))
                .map(|w| w.1.to_string())
                .as_deref(),
            Some("2022-06-03")
        );
        assert_eq!(birth_window("999999999Y", Some("20230202")), None);
    }

    #[test]
    fn the_same_id_from_the_same_issuer_is_one_person() {
        let with_id = |name: &str| Patient {
            issued_ids: vec![IssuedId {
                id: "0012".into(),
                issuer: Some("BHZX".into()),
                institution: None,
            }],
            ..person(name, None, "F")
        };
        assert_eq!(
            grade(&with_id("何^桂英"), &with_id("He^Guiying")).grade,
            Grade::Same
        );
        let mut dated = with_id("何^桂英");
        dated.birth_dates = vec!["19490909".into()];
        assert_eq!(grade(&dated, &with_id("He^Guiying")).grade, Grade::Same);
        // Without the shared ID the missing birth date leaves it open.
        let mut other_id = with_id("He^Guiying");
        other_id.issued_ids[0].id = "0013".into();
        assert_eq!(grade(&dated, &other_id).grade, Grade::PossiblyDifferent);
    }

    #[test]
    fn merging_needs_every_pair_to_be_the_same() {
        let a = person("吴^晓明", Some("19621005"), "M");
        let b = person("Wu^Xiaoming=吴^晓明", Some("19621005"), "M");
        let c = person("Wu^Xiaoming", Some("19621005"), "M");
        let other = person("吴^晓明", Some("19700101"), "M");
        let (merged, index) = merge_same_people(vec![a, other, b, c]);
        assert_eq!(merged.len(), 2);
        assert_eq!(index, [0, 1, 0, 0]);
        assert_eq!(merged[0].files, 3);
        assert_eq!(merged[1].id, "P2");
    }
}
