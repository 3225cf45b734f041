//! Who a document is about: the people its labelled name fields name, each with the sex, age,
//! birth date and hospital number printed near it; and the pathology number.
//!
//! Fields are read line by line ([`super::fields`]). A name field starts a person (the same name
//! again is the same person); sex, age, birth date and number fields belong to the person named
//! last, or, before any name, to the first person named (forms often print the number above
//! the name). The words right after a name (`患者：李秀英 女 / 61岁`) give sex and age when no
//! field does. Two patterns are read without a name label: a line that begins with a Chinese
//! name, a sex word and an age (`王建国 男 65岁`, how hospital apps print the patient), and a
//! medical-record number printed alone under a title that names the record (`№ 11804/23`
//! under `Выписка из медицинской карты`). A Russian name's patronymic tells the sex when no
//! field does. The pathology number is a labelled field (`病理号`, `Pathology No.`); a
//! `Case`/`Accession` number counts only in a pathology report, and not when it is the
//! outside or referring hospital's.

use super::dates::{self, Reading};
use super::fields::{self, Field, Hit};
use super::prepare::{is_han, Line};
use super::PersonNamed;

/// What was read: the people, the pathology number and the birth dates seen.
pub(super) struct People {
    pub patients: Vec<PersonNamed>,
    pub pathology_number: Option<String>,
}

/// Fields seen before any name.
#[derive(Default)]
struct Pending {
    sex: Option<String>,
    age: Option<u32>,
    birth_date: Option<String>,
    id: Option<String>,
}

/// Reads the people and the pathology number; `pathology` says whether the document is a
/// pathology report (for `Case` numbers), `max` bounds the people kept.
pub(super) fn read(lines: &[Line], reading: Reading, pathology: bool, max: usize) -> People {
    let mut people: Vec<PersonNamed> = Vec::new();
    let mut current: Option<usize> = None;
    let mut pending = Pending::default();
    let mut pathology_number = None;
    for (n, line) in lines.iter().enumerate() {
        let hits = fields::hits(line);
        for (i, hit) in hits.iter().enumerate() {
            let value = fields::value(line, &hits, i);
            match hit.field {
                Field::Name => {
                    if let Some(name) = fields::name(value) {
                        current = add(&mut people, name, max).or(current);
                        if let Some(p) = current.map(|c| &mut people[c]) {
                            words_after_name(p, value);
                        }
                    }
                }
                Field::Pathology => {
                    pathology_number = pathology_number.or_else(|| fields::number(value));
                }
                Field::CaseNumber if pathology && !outside(line, hit) => {
                    pathology_number = pathology_number.or_else(|| fields::number(value));
                }
                _ => field(
                    &mut people,
                    current,
                    &mut pending,
                    hit.field,
                    value,
                    line,
                    reading,
                ),
            }
        }
        if people.is_empty() && n < 20 {
            if let Some((name, birth)) = name_before_birth(line, reading) {
                current = add(&mut people, name, max);
                pending.birth_date = pending.birth_date.take().or(Some(birth));
            } else if let Some((name, sex, age)) = name_sex_age(line) {
                current = add(&mut people, name, max);
                if let Some(p) = current.map(|c| &mut people[c]) {
                    p.sex = p.sex.take().or(sex);
                    p.age = p.age.or(age);
                }
            }
        }
        if let Some(id) = record_number(lines, n) {
            match current.map(|c| &mut people[c]) {
                Some(p) => p.id = p.id.take().or(Some(id)),
                None => pending.id = pending.id.take().or(Some(id)),
            }
        }
    }
    if let Some(first) = people.first_mut() {
        first.sex = first.sex.take().or(pending.sex);
        first.age = first.age.or(pending.age);
        first.birth_date = first.birth_date.take().or(pending.birth_date);
        first.id = first.id.take().or(pending.id);
    }
    for p in &mut people {
        if p.sex.is_none() {
            p.sex = fields::sex_from_patronymic(&p.name);
        }
    }
    People {
        patients: people,
        pathology_number,
    }
}

/// Adds a person (or finds the same name): the index.
fn add(people: &mut Vec<PersonNamed>, name: String, max: usize) -> Option<usize> {
    let same = |p: &PersonNamed| p.name.split_whitespace().eq(name.split_whitespace());
    if let Some(i) = people.iter().position(same) {
        return Some(i);
    }
    if people.len() >= max {
        return None;
    }
    people.push(PersonNamed {
        name,
        ..PersonNamed::default()
    });
    Some(people.len() - 1)
}

/// A sex, age, birth-date or number field for the current person (or the pending fields).
fn field(
    people: &mut [PersonNamed],
    current: Option<usize>,
    pending: &mut Pending,
    field: Field,
    value: &str,
    line: &Line,
    reading: Reading,
) {
    let (sex, age, birth, id) = match current.map(|c| &mut people[c]) {
        Some(p) => (&mut p.sex, &mut p.age, &mut p.birth_date, &mut p.id),
        None => (
            &mut pending.sex,
            &mut pending.age,
            &mut pending.birth_date,
            &mut pending.id,
        ),
    };
    match field {
        Field::Sex if sex.is_none() => *sex = fields::sex(value),
        Field::Age if age.is_none() => *age = fields::age(value),
        Field::Birth if birth.is_none() => {
            let key = key_of(line, value);
            *birth = dates::find(key, reading).first().map(dates::Found::iso);
        }
        Field::Id if id.is_none() => *id = fields::number(value),
        _ => {}
    }
}

/// The key slice that matches `value` (a slice of `line.text`).
fn key_of<'a>(line: &'a Line, value: &str) -> &'a str {
    let start = (value.as_ptr() as usize).saturating_sub(line.text.as_ptr() as usize);
    let end = start + value.len();
    line.key.get(start..end).unwrap_or("")
}

/// Sex and age in the words after a name: `女`, `女性`, `61岁`.
fn words_after_name(p: &mut PersonNamed, value: &str) {
    for word in value.split_whitespace().skip(1).take(4) {
        if p.sex.is_none() && matches!(word, "男" | "女" | "男性" | "女性") {
            p.sex = fields::sex(word);
        }
        if p.age.is_none() && word.ends_with(['岁', '歳']) {
            p.age = fields::age(word);
        }
    }
}

/// A line that begins with a Chinese name, a sex word and an age: `王建国 男 65岁`, or the same
/// run together (`王建国男65岁`: OCR reads the narrow gaps of an app's header as none).
fn name_sex_age(line: &Line) -> Option<(String, Option<String>, Option<u32>)> {
    let text = line.text.trim_start();
    let (head, age) = text.split_at(text.find(|c: char| c.is_ascii_digit())?);
    let digits = age.len() - age.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if !age[digits..].starts_with(['岁', '歳']) {
        return None;
    }
    let head = head.trim_end();
    let (name, sex) = ["男性", "女性", "男", "女"]
        .iter()
        .find_map(|s| Some((head.strip_suffix(s)?.trim_end(), *s)))?;
    // Words for a person in a sentence (`患者男65岁`), not names.
    let generic = ["患者", "病人", "本人"].contains(&name);
    let han = name.chars().all(is_han) && (2..=4).contains(&name.chars().count());
    (han && !generic).then(|| (name.to_string(), fields::sex(sex), fields::age(age)))
}

/// A Chinese name written just before its birth date: `李秀英，1962年3月14日出生`.
fn name_before_birth(line: &Line, reading: Reading) -> Option<(String, String)> {
    let found = dates::find(&line.key, reading);
    let date = found
        .iter()
        .find(|d| line.key[d.end..].trim_start().starts_with("出生"))?;
    let before = &line.text[..date.start];
    let trimmed = before.trim_end_matches([' ', ',', '，', '、']);
    if trimmed.len() == before.len() {
        return None;
    }
    let run: String = trimmed.chars().rev().take_while(|&c| is_han(c)).collect();
    let run: String = run.chars().rev().collect();
    let run = ["患者", "病人", "本人"]
        .iter()
        .find_map(|p| run.strip_prefix(p))
        .unwrap_or(&run);
    (2..=4)
        .contains(&run.chars().count())
        .then(|| (run.to_string(), date.iso()))
}

/// A `№ 11804/23` line right under a title naming a medical record (`медицинской карты`,
/// `истории болезни`), or with it on the same line: the record's number.
fn record_number(lines: &[Line], n: usize) -> Option<String> {
    const RECORD: &[&str] = &[
        "медицинской карты",
        "медицинская карта",
        "истории болезни",
        "история болезни",
        "амбулаторной карты",
    ];
    let key = &lines[n].key;
    let at = key.find('№')?;
    let before = &key[..at];
    let names_record = |k: &str| RECORD.iter().any(|r| k.contains(r));
    let titled = names_record(before)
        || (before.trim().is_empty() && n > 0 && names_record(&lines[n - 1].key));
    if !titled {
        return None;
    }
    // A labelled "№ истории болезни" is a field, read there.
    let hits: Vec<Hit> = fields::hits(&lines[n]);
    if hits.iter().any(|h| h.field == Field::Id) {
        return None;
    }
    fields::number(lines[n].text[at..].trim_start_matches(['№', ' ']))
}

/// Whether a `Case`/`Accession` label belongs to another hospital (`Outside case`).
fn outside(line: &Line, hit: &Hit) -> bool {
    let before = line.key[..hit.start].trim_end();
    ["outside", "external", "referring", "referral", "original"]
        .iter()
        .any(|w| before.ends_with(w))
}

#[cfg(test)]
mod tests {
    use super::super::prepare::lines;
    use super::*;

    fn people(text: &str, pathology: bool) -> People {
        read(&lines(text, 1 << 20).0, Reading::default(), pathology, 8)
    }

    #[test]
    fn number_above_the_name_and_words_after_it() {
        let p = people(
            "住院号 A778812\n患者：张三丰 男 / 72岁 科室 胸外科\n出生日期：1952年1月3日",
            false,
        );
        assert_eq!(p.patients.len(), 1);
        let x = &p.patients[0];
        assert_eq!(
            (
                x.name.as_str(),
                x.sex.as_deref(),
                x.age,
                x.birth_date.as_deref(),
                x.id.as_deref()
            ),
            (
                "张三丰",
                Some("M"),
                Some(72),
                Some("1952-01-03"),
                Some("A778812")
            )
        );
    }

    #[test]
    fn two_people_and_an_app_header() {
        let p = people(
            "姓名 赵一 性别 女\n...\n姓名：钱二 性别：男 病案号 Q-1",
            false,
        );
        assert_eq!(p.patients.len(), 2);
        assert_eq!(p.patients[1].sex.as_deref(), Some("M"));
        assert_eq!(p.patients[0].id, None);
        let p = people("我的病历（周一鸣，1970年5月6日出生）", false);
        assert_eq!(p.patients[0].name, "周一鸣");
        assert_eq!(p.patients[0].birth_date.as_deref(), Some("1970-05-06"));
        let p = people("检验报告\n孙小梅 女 44岁\n采样 2024-01-02", false);
        assert_eq!(p.patients[0].name, "孙小梅");
        assert_eq!(p.patients[0].age, Some(44));
        // Run together, as OCR reads an app's narrow gaps.
        let p = people("检验报告\n欧阳明男7岁\n住院号：A-1", false);
        let x = &p.patients[0];
        assert_eq!(
            (x.name.as_str(), x.sex.as_deref(), x.age),
            ("欧阳明", Some("M"), Some(7))
        );
        assert!(people("患者男65岁，腹痛3天", false).patients.is_empty());
        assert!(people("检验报告\n孙小梅 44岁", false).patients.is_empty());
    }

    #[test]
    fn record_and_case_numbers() {
        let p = people(
            "Выписной эпикриз из истории болезни\n№ 5521/24\nФИО: Петров Иван Сергеевич",
            false,
        );
        assert_eq!(p.patients[0].id.as_deref(), Some("5521/24"));
        assert_eq!(p.patients[0].sex.as_deref(), Some("M"));
        let p = people(
            "SURGICAL PATHOLOGY\nOutside case: X-1\nCase: S24-0091\nName: DOE, Jane",
            true,
        );
        assert_eq!(p.pathology_number.as_deref(), Some("S24-0091"));
        assert_eq!(people("Case: S24-0091", false).pathology_number, None);
    }
}
