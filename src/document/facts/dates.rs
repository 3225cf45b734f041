//! Calendar dates in the forms hospital documents write them, as `YYYY-MM-DD`.
//!
//! Read from a line's key (lower case, Simplified): year first with one separator
//! (`2024-03-02`, `2024/3/2`, `2024.03.02`), Chinese and Japanese `2024年3月2日` (also `号`),
//! the eras `民国`/`民國` (1911 + n), `令和` (2018 + n), `平成` (1988 + n) and `昭和` (1925 + n)
//! with `元年` for year 1, day first with dots (`02.03.2024` as Russian and German write it);
//! with `/` or `-` the order is the one the document's unambiguous dates show (`25/12/2023` day
//! first, `3/25/2024` month first), else day first outside English, and an English
//! `03/02/2024` that nothing decides is skipped rather than guessed; month names in English and Russian
//! (`2 March 2024`, `March 2, 2024`, `2023-Nov-20`, `20 Nov 2023`, `16 октября 2023`), and, in
//! Traditional Chinese only, the Minguo year written short (`112/12/15`). A date must be a real
//! day between 1900 and 2100, and stand alone: digits or letters glued to it (`MR2023-05-22`,
//! `2023-06-05-01`) make it part of a code, not a date. Years alone and month-years are not
//! dates.

use chrono::{Datelike, NaiveDate};

use super::prepare::is_word_char;

/// A date found in a line: byte range in the key, and the day.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Found {
    pub start: usize,
    pub end: usize,
    pub date: NaiveDate,
}

impl Found {
    pub fn iso(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}",
            self.date.year(),
            self.date.month(),
            self.date.day()
        )
    }
}

/// How ambiguous forms are read.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Reading {
    /// Whether `03/02/2024` is 3 February (`Some(true)`), 2 March (`Some(false)`) or skipped.
    pub day_first: Option<bool>,
    /// Traditional Chinese: `112/12/15` is a Minguo date.
    pub minguo_short: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(u32, usize),
    Word(String),
    Ch(char),
    Space,
}

/// Tokens with their byte ranges.
fn tokens(key: &str) -> Vec<(Tok, usize, usize)> {
    let mut out = Vec::new();
    let mut chars = key.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let mut end = at + c.len_utf8();
        let tok = if c.is_ascii_digit() {
            let (mut value, mut len) = (c as u32 - '0' as u32, 1usize);
            while let Some(&(i, d)) = chars.peek().filter(|(_, d)| d.is_ascii_digit()) {
                value = value
                    .saturating_mul(10)
                    .saturating_add(d as u32 - '0' as u32);
                len += 1;
                end = i + 1;
                chars.next();
            }
            Tok::Num(value, len)
        } else if c.is_alphabetic() && is_word_char(c) {
            let mut word = String::from(c);
            while let Some(&(i, d)) = chars
                .peek()
                .filter(|(_, d)| d.is_alphabetic() && is_word_char(*d))
            {
                word.push(d);
                end = i + d.len_utf8();
                chars.next();
            }
            Tok::Word(word)
        } else if c.is_whitespace() {
            while let Some(&(i, d)) = chars.peek().filter(|(_, d)| d.is_whitespace()) {
                end = i + d.len_utf8();
                chars.next();
            }
            Tok::Space
        } else {
            Tok::Ch(c)
        };
        out.push((tok, at, end));
    }
    out
}

/// The month a (lower-case) English or Russian month name or abbreviation names.
fn month_name(word: &str) -> Option<u32> {
    const NAMES: [&[&str]; 12] = [
        &["jan", "january", "января", "январь", "янв"],
        &["feb", "february", "февраля", "февраль", "фев"],
        &["mar", "march", "марта", "март", "мар"],
        &["apr", "april", "апреля", "апрель", "апр"],
        &["may", "мая", "май"],
        &["jun", "june", "июня", "июнь", "июн"],
        &["jul", "july", "июля", "июль", "июл"],
        &["aug", "august", "августа", "август", "авг"],
        &[
            "sep",
            "sept",
            "september",
            "сентября",
            "сентябрь",
            "сен",
            "сент",
        ],
        &["oct", "october", "октября", "октябрь", "окт"],
        &["nov", "november", "ноября", "ноябрь", "ноя"],
        &["dec", "december", "декабря", "декабрь", "дек"],
    ];
    NAMES
        .iter()
        .position(|names| names.contains(&word))
        .map(|i| i as u32 + 1)
}

fn day(y: u32, m: u32, d: u32) -> Option<NaiveDate> {
    if !(1900..=2100).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y as i32, m, d)
}

/// Every date in a line's key, in order.
pub(super) fn find(key: &str, reading: Reading) -> Vec<Found> {
    let toks = tokens(key);
    let mut found = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match match_at(&toks, i, reading) {
            Some((next, date)) => {
                found.push(Found {
                    start: toks[i].1,
                    end: toks[next - 1].2,
                    date,
                });
                i = next;
            }
            None => i += 1,
        }
    }
    found
}

/// The token at `i`, if it is `Num` with `digits` in the range.
fn num(
    toks: &[(Tok, usize, usize)],
    i: usize,
    digits: std::ops::RangeInclusive<usize>,
) -> Option<u32> {
    match toks.get(i) {
        Some((Tok::Num(v, len), _, _)) if digits.contains(len) => Some(*v),
        _ => None,
    }
}

fn ch(toks: &[(Tok, usize, usize)], i: usize) -> Option<char> {
    match toks.get(i) {
        Some((Tok::Ch(c), _, _)) => Some(*c),
        _ => None,
    }
}

fn word(toks: &[(Tok, usize, usize)], i: usize) -> Option<&str> {
    match toks.get(i) {
        Some((Tok::Word(w), _, _)) => Some(w.as_str()),
        _ => None,
    }
}

/// `i` past one optional space token.
fn space(toks: &[(Tok, usize, usize)], i: usize) -> usize {
    if matches!(toks.get(i), Some((Tok::Space, _, _))) {
        i + 1
    } else {
        i
    }
}

/// Nothing glued before `i`: no digit or letter, and no separator that follows one.
fn free_before(toks: &[(Tok, usize, usize)], i: usize) -> bool {
    match i.checked_sub(1).map(|p| &toks[p].0) {
        None | Some(Tok::Space) => true,
        Some(Tok::Num(..)) | Some(Tok::Word(_)) => false,
        Some(Tok::Ch('-' | '/' | '.')) => {
            !matches!(i.checked_sub(2).map(|p| &toks[p].0), Some(Tok::Num(..)))
        }
        Some(Tok::Ch(_)) => true,
    }
}

/// Nothing glued after (the token at `i` is the first after the date); an ISO time
/// (`2024-03-02T10:05`) may follow.
fn free_after(toks: &[(Tok, usize, usize)], i: usize) -> bool {
    match toks.get(i).map(|t| &t.0) {
        None | Some(Tok::Space) => true,
        Some(Tok::Word(t)) if t == "t" => {
            matches!(toks.get(i + 1).map(|t| &t.0), Some(Tok::Num(..)))
        }
        Some(Tok::Num(..)) | Some(Tok::Word(_)) => false,
        Some(Tok::Ch('-' | '/' | '.')) => {
            !matches!(toks.get(i + 1).map(|t| &t.0), Some(Tok::Num(..)))
        }
        Some(Tok::Ch(_)) => true,
    }
}

/// A date starting at token `i`: the index after it and the day.
fn match_at(
    toks: &[(Tok, usize, usize)],
    i: usize,
    reading: Reading,
) -> Option<(usize, NaiveDate)> {
    year_first(toks, i)
        .or_else(|| cjk(toks, i))
        .or_else(|| day_first(toks, i, reading))
        .or_else(|| named_month(toks, i))
        .or_else(|| minguo_short(toks, i, reading))
}

/// `2024-03-02`, `2024/3/2`, `2024.03.02`, `2023-Nov-20`.
fn year_first(toks: &[(Tok, usize, usize)], i: usize) -> Option<(usize, NaiveDate)> {
    let y = num(toks, i, 4..=4)?;
    let sep = ch(toks, i + 1).filter(|c| matches!(c, '-' | '/' | '.'))?;
    if !free_before(toks, i) {
        return None;
    }
    let m = num(toks, i + 2, 1..=2).or_else(|| word(toks, i + 2).and_then(month_name))?;
    (ch(toks, i + 3) == Some(sep)).then_some(())?;
    let d = num(toks, i + 4, 1..=2)?;
    free_after(toks, i + 5).then_some(())?;
    Some((i + 5, day(y, m, d)?))
}

/// `2024年3月2日`, `令和5年4月18日`, `民国112年12月15日`.
fn cjk(toks: &[(Tok, usize, usize)], i: usize) -> Option<(usize, NaiveDate)> {
    let (y, mut j) = if let Some(y) = num(toks, i, 4..=4) {
        (free_before(toks, i).then_some(y)?, i + 1)
    } else {
        // An era: its two characters, then the year in it (or 元 for the first).
        let era: String = (0..2).filter_map(|k| ch(toks, i + k)).collect();
        let base = match era.as_str() {
            "民国" => 1911,
            "令和" => 2018,
            "平成" => 1988,
            "昭和" => 1925,
            _ => return None,
        };
        let j = space(toks, i + 2);
        match (num(toks, j, 1..=3), ch(toks, j)) {
            (Some(n), _) if n > 0 => (base + n, j + 1),
            (_, Some('元')) => (base + 1, j + 1),
            _ => return None,
        }
    };
    j = space(toks, j);
    (ch(toks, j) == Some('年')).then_some(())?;
    j = space(toks, j + 1);
    let m = num(toks, j, 1..=2)?;
    j = space(toks, j + 1);
    (ch(toks, j) == Some('月')).then_some(())?;
    j = space(toks, j + 1);
    let d = num(toks, j, 1..=2)?;
    j = space(toks, j + 1);
    matches!(ch(toks, j), Some('日' | '号')).then_some(())?;
    Some((j + 1, day(y, m, d)?))
}

/// `02.03.2024`, `16.10.2023`; `25/12/2023`, `3/25/2024` when unambiguous (or not English).
fn day_first(
    toks: &[(Tok, usize, usize)],
    i: usize,
    reading: Reading,
) -> Option<(usize, NaiveDate)> {
    let a = num(toks, i, 1..=2)?;
    let sep = ch(toks, i + 1).filter(|c| matches!(c, '-' | '/' | '.'))?;
    let b = num(toks, i + 2, 1..=2)?;
    (ch(toks, i + 3) == Some(sep)).then_some(())?;
    let y = num(toks, i + 4, 4..=4)?;
    (free_before(toks, i) && free_after(toks, i + 5)).then_some(())?;
    let (d, m) = match (sep, reading.day_first) {
        ('.', _) => (a, b),
        _ if a > 12 => (a, b),
        _ if b > 12 => (b, a),
        (_, Some(true)) => (a, b),
        (_, Some(false)) => (b, a),
        (_, None) => return None,
    };
    Some((i + 5, day(y, m, d)?))
}

/// The order of day and month in a document's `a/b/yyyy` and `a-b-yyyy` dates, as its
/// unambiguous ones show it (`25/12/2023` day first, `3/25/2024` month first): `None` when none
/// tell or they disagree.
pub(super) fn numeric_order<'a>(keys: impl Iterator<Item = &'a str>) -> Option<bool> {
    let (mut day, mut month) = (0u32, 0u32);
    for key in keys {
        let toks = tokens(key);
        for i in 0..toks.len() {
            let (Some(a), Some(sep), Some(b)) = (
                num(&toks, i, 1..=2),
                ch(&toks, i + 1),
                num(&toks, i + 2, 1..=2),
            ) else {
                continue;
            };
            let triple = matches!(sep, '/' | '-')
                && ch(&toks, i + 3) == Some(sep)
                && num(&toks, i + 4, 4..=4).is_some()
                && free_before(&toks, i);
            if triple && a > 12 && b <= 12 {
                day += 1;
            } else if triple && b > 12 && a <= 12 {
                month += 1;
            }
        }
    }
    match (day, month) {
        (d, 0) if d > 0 => Some(true),
        (0, m) if m > 0 => Some(false),
        _ => None,
    }
}

/// `2 March 2024`, `20-Nov-2023`, `16 октября 2023 г.`, `March 2, 2024`, `Nov. 20 2023`.
fn named_month(toks: &[(Tok, usize, usize)], i: usize) -> Option<(usize, NaiveDate)> {
    if !free_before(toks, i) {
        return None;
    }
    let gap = |j: usize| -> usize {
        let j = if matches!(ch(toks, j), Some('-' | '/' | '.')) {
            j + 1
        } else {
            j
        };
        space(toks, j)
    };
    if let Some(d) = num(toks, i, 1..=2) {
        let j = gap(i + 1);
        let m = word(toks, j).and_then(month_name)?;
        let j = gap(j + 1);
        let y = num(toks, j, 4..=4)?;
        free_after(toks, j + 1).then_some(())?;
        return Some((j + 1, day(y, m, d)?));
    }
    let m = word(toks, i).and_then(month_name)?;
    let mut j = i + 1;
    if ch(toks, j) == Some('.') {
        j += 1;
    }
    j = space(toks, j);
    let d = num(toks, j, 1..=2)?;
    j += 1;
    if ch(toks, j) == Some(',') {
        j += 1;
    }
    j = space(toks, j);
    let y = num(toks, j, 4..=4)?;
    free_after(toks, j + 1).then_some(())?;
    Some((j + 1, day(y, m, d)?))
}

/// `112/12/15` (Minguo year 112 = 2023), in Traditional Chinese text only.
fn minguo_short(
    toks: &[(Tok, usize, usize)],
    i: usize,
    reading: Reading,
) -> Option<(usize, NaiveDate)> {
    if !reading.minguo_short {
        return None;
    }
    let y = num(toks, i, 2..=3).filter(|y| (1..=189).contains(y))?;
    let sep = ch(toks, i + 1).filter(|c| matches!(c, '/' | '.' | '-'))?;
    let m = num(toks, i + 2, 1..=2)?;
    (ch(toks, i + 3) == Some(sep)).then_some(())?;
    let d = num(toks, i + 4, 1..=2)?;
    (free_before(toks, i) && free_after(toks, i + 5)).then_some(())?;
    Some((i + 5, day(1911 + y, m, d)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn isos(key: &str, reading: Reading) -> Vec<String> {
        find(key, reading).iter().map(Found::iso).collect()
    }

    #[test]
    fn the_forms() {
        let r = Reading::default();
        assert_eq!(
            isos(
                "入院 2024-03-02 出院 2024/3/12、2024.03.20 ,2024年4月1日 2024 年 4 月 2 号",
                r
            ),
            [
                "2024-03-02",
                "2024-03-12",
                "2024-03-20",
                "2024-04-01",
                "2024-04-02"
            ]
        );
        assert_eq!(
            isos("с 16.10.2023 по 27.10.2023", r),
            ["2023-10-16", "2023-10-27"]
        );
        assert_eq!(isos("16 октября 2023 г.", r), ["2023-10-16"]);
        assert_eq!(
            isos(
                "seen on 2 march 2024 and march 9, 2024; 2023-nov-20, 20-nov-2023, nov. 21 2023",
                r
            ),
            [
                "2024-03-02",
                "2024-03-09",
                "2023-11-20",
                "2023-11-20",
                "2023-11-21"
            ]
        );
        assert_eq!(
            isos("令和5年4月18日 平成元年1月9日 民国112年12月15日", r),
            ["2023-04-18", "1989-01-09", "2023-12-15"]
        );
    }

    #[test]
    fn ambiguity_and_codes() {
        let en = Reading::default();
        assert_eq!(
            isos("03/02/2024 25/12/2023 3/25/2024", en),
            ["2023-12-25", "2024-03-25"]
        );
        let day_first = Reading {
            day_first: Some(true),
            ..Reading::default()
        };
        assert_eq!(isos("03/02/2024", day_first), ["2024-02-03"]);
        let us = Reading {
            day_first: Some(false),
            ..Reading::default()
        };
        assert_eq!(isos("03/02/2024", us), ["2024-03-02"]);
        assert_eq!(
            numeric_order(["seen 3/25/2024", "03/02/2024"].into_iter()),
            Some(false)
        );
        assert_eq!(numeric_order(["25/12/2023 3/25/2024"].into_iter()), None);
        assert!(isos(
            "mr2023-05-22 2023-06-05-01 zm20231102-0057 2023.10 2023-02-30 1850-01-01 march 2024",
            en
        )
        .is_empty());
        assert!(isos("112/12/15", Reading::default()).is_empty());
        let tw = Reading {
            minguo_short: true,
            ..Reading::default()
        };
        assert_eq!(isos("112/12/15 血压 120/80", tw), ["2023-12-15"]);
    }
}
