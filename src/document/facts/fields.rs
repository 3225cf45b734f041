//! Labelled fields: `label value` or `label: value` on a line, the way hospital forms print a
//! patient's name, sex, age, birth date and numbers (`姓名 李秀英 性别 女 年龄 61岁`,
//! `Patient: LI, Xiuying DOB: 1962-Mar-14`, `Пациент: Орлова Наталья Игоревна`,
//! `受診者名 王 建国 様`); a CJK label may be spaced out to align the form (`姓  名`). A field's
//! value runs to the next label on the line, a gap of two spaces or a `|`. What counts as a label
//! is a table of the words forms use in Chinese (Simplified and, through the key, Traditional),
//! English, Russian and Japanese; a label inside a sentence (`患者因…入院`) is not one, because a CJK label must be followed by a colon or a space
//! and the short generic ones (`患者`, `Patient`, `Name`, `Re`) by a colon — except a name label
//! that begins its line (`姓名王建国`, as OCR reads a form's narrow gap).

use super::prepare::{find_word, is_cjk, is_word_char, Line};

/// What a label introduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    Name,
    Sex,
    Age,
    Birth,
    Id,
    Pathology,
    /// A number called "case" or "accession": the pathology number in a pathology report only.
    CaseNumber,
    /// Other labels: they only end the value before them.
    Other,
}

/// (label in key form, field, needs a colon after it).
const LABELS: &[(&str, Field, bool)] = &[
    // Names.
    ("姓名", Field::Name, false),
    ("患者姓名", Field::Name, false),
    ("病人姓名", Field::Name, false),
    ("患者", Field::Name, true),
    ("病人", Field::Name, true),
    ("受检者", Field::Name, false),
    ("受检人", Field::Name, false),
    ("就诊人", Field::Name, false),
    ("被检者", Field::Name, false),
    ("受诊者名", Field::Name, false),
    ("受诊者氏名", Field::Name, false),
    ("患者名", Field::Name, false),
    ("患者氏名", Field::Name, false),
    ("氏名", Field::Name, false),
    ("patient name", Field::Name, false),
    ("patient's name", Field::Name, false),
    ("name of patient", Field::Name, false),
    ("patient", Field::Name, true),
    ("name", Field::Name, true),
    ("re", Field::Name, true),
    ("фио", Field::Name, false),
    ("ф.и.о.", Field::Name, false),
    ("пациент", Field::Name, true),
    ("пациентка", Field::Name, true),
    ("больной", Field::Name, true),
    ("больная", Field::Name, true),
    // Sex and age.
    ("性别", Field::Sex, false),
    ("sex", Field::Sex, false),
    ("gender", Field::Sex, false),
    ("пол", Field::Sex, true),
    ("年龄", Field::Age, false),
    ("年齢", Field::Age, false),
    ("age", Field::Age, false),
    ("возраст", Field::Age, false),
    // Birth date.
    ("出生日期", Field::Birth, false),
    ("出生年月日", Field::Birth, false),
    ("出生年月", Field::Birth, false),
    ("出生", Field::Birth, false),
    ("生日", Field::Birth, false),
    ("生年月日", Field::Birth, false),
    ("dob", Field::Birth, false),
    ("d.o.b.", Field::Birth, false),
    ("date of birth", Field::Birth, false),
    ("birth date", Field::Birth, false),
    ("birthdate", Field::Birth, false),
    ("born", Field::Birth, false),
    ("дата рождения", Field::Birth, false),
    ("д.р.", Field::Birth, false),
    // The patient's number at the hospital.
    ("住院号", Field::Id, false),
    ("住院号码", Field::Id, false),
    ("门诊号", Field::Id, false),
    ("门诊号码", Field::Id, false),
    ("病案号", Field::Id, false),
    ("病历号", Field::Id, false),
    ("id号", Field::Id, false),
    ("患者id", Field::Id, false),
    ("病人id", Field::Id, false),
    ("登记号", Field::Id, false),
    ("就诊号", Field::Id, false),
    ("就诊卡号", Field::Id, false),
    ("受诊者番号", Field::Id, false),
    ("患者番号", Field::Id, false),
    ("患者id", Field::Id, false),
    ("カルテ番号", Field::Id, false),
    ("诊察券番号", Field::Id, false),
    ("mrn", Field::Id, false),
    ("mr no", Field::Id, false),
    ("medical record number", Field::Id, false),
    ("medical record no", Field::Id, false),
    ("hospital number", Field::Id, false),
    ("hospital no", Field::Id, false),
    ("patient id", Field::Id, false),
    ("patient number", Field::Id, false),
    ("№ истории болезни", Field::Id, false),
    ("история болезни №", Field::Id, false),
    ("медицинская карта №", Field::Id, false),
    ("№ медицинской карты", Field::Id, false),
    // Pathology numbers.
    ("病理号", Field::Pathology, false),
    ("病理号码", Field::Pathology, false),
    ("病理编号", Field::Pathology, false),
    ("病理检查号", Field::Pathology, false),
    ("病理番号", Field::Pathology, false),
    ("pathology no", Field::Pathology, false),
    ("pathology number", Field::Pathology, false),
    ("path no", Field::Pathology, false),
    ("surgical pathology no", Field::Pathology, false),
    ("surgical pathology number", Field::Pathology, false),
    ("case", Field::CaseNumber, false),
    ("case no", Field::CaseNumber, false),
    ("case number", Field::CaseNumber, false),
    ("accession", Field::CaseNumber, false),
    ("accession no", Field::CaseNumber, false),
    ("accession number", Field::CaseNumber, false),
    // Others that end a value.
    ("民族", Field::Other, false),
    ("科室", Field::Other, false),
    ("病区", Field::Other, false),
    ("床号", Field::Other, false),
    ("床位", Field::Other, false),
    ("职业", Field::Other, false),
    ("婚姻", Field::Other, false),
    ("地址", Field::Other, false),
    ("电话", Field::Other, false),
    ("日期", Field::Other, false),
    ("编号", Field::Other, false),
    ("条码", Field::Other, false),
    ("标本", Field::Other, false),
    ("送检", Field::Other, false),
    ("date", Field::Other, false),
    ("ward", Field::Other, false),
    ("bed", Field::Other, false),
    ("дата", Field::Other, false),
];

/// A label on a line: byte range in the key, and its field.
#[derive(Debug, Clone, Copy)]
pub(super) struct Hit {
    pub start: usize,
    pub end: usize,
    pub field: Field,
}

/// The labels on a line, in order, the longest at each place; a label inside a longer one is
/// not counted.
pub(super) fn hits(line: &Line) -> Vec<Hit> {
    let key = &line.key;
    // A form row whose gaps OCR lost (`姓名陈美玲性别女年龄58岁`): it begins with a name label
    // touching a Chinese value, and its other labels touch their neighbours too.
    let gapless = LABELS.iter().any(|&(label, field, colon)| {
        field == Field::Name
            && !colon
            && find_label(key, label, 0).is_some_and(|(at, end)| {
                at == 0 && key[end..].starts_with(is_cjk) && label.chars().all(is_cjk)
            })
    });
    let mut found: Vec<Hit> = Vec::new();
    for &(label, field, colon) in LABELS {
        let mut from = 0;
        while let Some((at, end)) = find_label(key, label, from) {
            from = end;
            let rest = &key[from..];
            let after = rest.trim_start();
            let ok = if colon {
                after.starts_with(':')
            } else if label.chars().next_back().is_some_and(is_cjk) {
                // A name label that begins the line may touch its value: OCR reads a narrow
                // gap as none (`姓名王建国 性别 男`), and no sentence begins so. So may a number
                // label its number (`病理号L2311-0386`): Chinese words run on in Chinese, not
                // into Latin letters or digits.
                rest.is_empty()
                    || rest.starts_with([' ', ':'])
                    || after.starts_with(':')
                    || (at == 0 && field == Field::Name)
                    || (matches!(field, Field::Id | Field::Pathology)
                        && rest.starts_with(|c: char| c.is_ascii_alphanumeric()))
                    || gapless
            } else {
                rest.is_empty() || !rest.starts_with(|c: char| is_word_char(c) || c == '-')
            };
            if ok {
                found.push(Hit {
                    start: at,
                    end,
                    field,
                });
            }
        }
    }
    found.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
    let mut kept: Vec<Hit> = Vec::new();
    for h in found {
        if kept.last().is_none_or(|k| h.start >= k.end) {
            kept.push(h);
        }
    }
    kept
}

/// Where a label is on a key from `from` on: a label in CJK also when its characters are spaced
/// out (`姓  名`, `性 别`, as forms align them), others as words.
fn find_label(key: &str, label: &str, from: usize) -> Option<(usize, usize)> {
    let mut chars = label.chars();
    let first = chars.next()?;
    if label.chars().count() < 2 || !label.chars().all(is_cjk) {
        return find_word(key, label, from, true).map(|at| (at, at + label.len()));
    }
    let rest: Vec<char> = chars.collect();
    key.get(from..)?
        .char_indices()
        .filter(|&(_, c)| c == first)
        .find_map(|(i, _)| {
            let mut end = from + i + first.len_utf8();
            for &want in &rest {
                let tail = &key[end..];
                let skipped = tail.len() - tail.trim_start_matches(' ').len();
                if !key[end + skipped..].starts_with(want) {
                    return None;
                }
                end += skipped + want.len_utf8();
            }
            Some((from + i, end))
        })
}

/// The value after hit `i` as written (not the key): up to the next label, a gap of two
/// spaces or a `|`; leading colons, `#`, `№` and `No.` taken off.
pub(super) fn value<'a>(line: &'a Line, hits: &[Hit], i: usize) -> &'a str {
    let start = hits[i].end;
    let end = hits.get(i + 1).map_or(line.text.len(), |h| h.start);
    let mut v = &line.text[start..end.max(start)];
    v = v.trim_start_matches([' ', ':', '#', '№', '.']);
    for prefix in ["No.", "no.", "NO.", "No ", "number "] {
        if let Some(rest) = v.strip_prefix(prefix) {
            v = rest.trim_start_matches([' ', ':', '#']);
        }
    }
    let cut = [v.find("  "), v.find('|'), v.find('｜')]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(v.len());
    v[..cut].trim()
}

/// A hospital or pathology number: the first word, with a digit, of letters, digits and
/// `-_/.` only, 3 to 32 long.
pub(super) fn number(value: &str) -> Option<String> {
    let word = value
        .split_whitespace()
        .next()?
        .trim_end_matches([',', ';', ')', '.', '(']);
    let ok = (3..=32).contains(&word.len())
        && word.chars().any(|c| c.is_ascii_digit())
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '.'));
    ok.then(|| word.to_string())
}

/// `M` or `F` from a sex value: the first word, or a single character glued to more.
pub(super) fn sex(value: &str) -> Option<String> {
    let word = value.split_whitespace().next()?.to_lowercase();
    let word = word.trim_end_matches(['.', ',', ';']);
    const MALE: &[&str] = &["男", "男性", "m", "male", "муж", "мужской", "м"];
    const FEMALE: &[&str] = &["女", "女性", "f", "female", "жен", "женский", "ж"];
    if MALE.contains(&word) || word.starts_with('男') {
        Some("M".into())
    } else if FEMALE.contains(&word) || word.starts_with('女') {
        Some("F".into())
    } else {
        None
    }
}

/// Years from an age value: `61岁`, `61歲`, `61歳`, `61`, `61 y`, `61 лет`.
pub(super) fn age(value: &str) -> Option<u32> {
    let digits: String = value
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let rest = value.trim_start()[digits.len()..].trim_start();
    let unit_ok = rest.is_empty()
        || rest.starts_with(['岁', '歲', '歳', '周', '/', ','])
        || rest
            .split(|c: char| !c.is_alphabetic())
            .next()
            .is_some_and(|w| {
                ["y", "yr", "yrs", "years", "year", "лет", "года", "год", "г"]
                    .contains(&w.to_lowercase().as_str())
            });
    let n: u32 = digits.parse().ok()?;
    (unit_ok && digits.len() <= 3 && n <= 130).then_some(n)
}

/// Honorifics written after a Japanese name.
const HONORIFICS: &[&str] = &["様", "殿", "さん", "さま"];
/// Words that end a name written in CJK: sex words.
const SEX_WORDS: &[&str] = &["男", "女", "男性", "女性"];

/// A personal name from a name value, as written: CJK (2 to 4 Han characters, or kana, or
/// with a middle dot; a family and given name spaced apart are joined with one space) or in
/// Latin or Cyrillic letters (up to five words, stopping at a digit, a bracket or the next
/// `Label:`).
pub(super) fn name(value: &str) -> Option<String> {
    let first = value.chars().next()?;
    if is_cjk(first) {
        cjk_name(value)
    } else if first.is_alphabetic() {
        word_name(value)
    } else {
        None
    }
}

fn name_char(c: char) -> bool {
    is_cjk(c) || matches!(c, '·' | '•' | '・')
}

fn cjk_name(value: &str) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut count = 0;
    for token in value.split_whitespace() {
        let part: String = token.chars().take_while(|&c| name_char(c)).collect();
        let glued = part.len() < token.len();
        if part.is_empty()
            || SEX_WORDS.contains(&part.as_str())
            || HONORIFICS.contains(&part.as_str())
        {
            break;
        }
        let part = HONORIFICS
            .iter()
            .find_map(|h| part.strip_suffix(h))
            .unwrap_or(&part)
            .to_string();
        let n = part
            .chars()
            .filter(|c| !matches!(c, '·' | '•' | '・'))
            .count();
        let dotted = part.contains(['·', '•', '・']);
        if !parts.is_empty() && (count + n > 4 || dotted) {
            break;
        }
        if n > if dotted { 15 } else { 4 } {
            return None;
        }
        count += n;
        parts.push(part);
        if glued || dotted {
            break;
        }
    }
    (count >= 2).then(|| parts.join(" "))
}

/// Words that are labels or titles, never part of a name written in letters.
const NOT_NAME: &[&str] = &[
    "dob", "mrn", "sex", "age", "id", "date", "gender", "born", "ward", "bed", "hospital",
];
const TITLES: &[&str] = &["mr", "mrs", "ms", "miss", "mx", "mme", "m"];

fn word_name(value: &str) -> Option<String> {
    let tokens: Vec<&str> = value.split_whitespace().collect();
    let mut end = tokens.len();
    for (k, t) in tokens.iter().enumerate() {
        let bare = t.trim_end_matches([',', '.', ';']).to_lowercase();
        if t.ends_with(':') {
            // The next `Label:`: it began at its first capitalised word.
            let mut s = k;
            while s > 0 && t_is_lower(tokens[s]) {
                s -= 1;
            }
            end = s;
            break;
        }
        let letters = t
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ',' | '.' | '-' | '\'' | '’'));
        if !letters || NOT_NAME.contains(&bare.as_str()) {
            end = k;
            break;
        }
    }
    let mut words: Vec<&str> = tokens[..end].to_vec();
    while words
        .first()
        .is_some_and(|w| TITLES.contains(&w.trim_end_matches('.').to_lowercase().as_str()))
    {
        words.remove(0);
    }
    if words.is_empty() || words.len() > 5 {
        return None;
    }
    let joined = words.join(" ");
    let joined = joined.trim_end_matches([',', ';', '.']);
    (joined.chars().filter(|c| c.is_alphabetic()).count() >= 2).then(|| joined.to_string())
}

fn t_is_lower(token: &str) -> bool {
    token.chars().next().is_some_and(char::is_lowercase)
}

/// Sex told by a Russian patronymic (`…овна`/`…евна`/`…ична` a woman, `…ович`/`…евич`/`…ич` a
/// man), for a name of three Cyrillic words.
pub(super) fn sex_from_patronymic(name: &str) -> Option<String> {
    let words: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
    if words.len() != 3
        || !words
            .iter()
            .all(|w| w.chars().all(super::prepare::is_cyrillic))
    {
        return None;
    }
    let p = words
        .iter()
        .find(|w| w.ends_with("вна") || w.ends_with("чна") || w.ends_with("ич"))?;
    Some(if p.ends_with("ич") { "M" } else { "F" }.into())
}

#[cfg(test)]
mod tests {
    use super::super::prepare::lines;
    use super::*;

    fn fields(text: &str) -> Vec<(Field, String)> {
        let (lines, _) = lines(text, 1 << 20);
        let line = &lines[0];
        let hits = hits(line);
        (0..hits.len())
            .map(|i| (hits[i].field, value(line, &hits, i).to_string()))
            .collect()
    }

    #[test]
    fn labels_and_values() {
        assert_eq!(
            fields("姓名：王建國　性別：男　年齡：65岁 病歷號 0039281776"),
            [
                (Field::Name, "王建國".into()),
                (Field::Sex, "男".into()),
                (Field::Age, "65岁".into()),
                (Field::Id, "0039281776".into())
            ]
        );
        assert_eq!(fields("患者因咳嗽入院"), []);
        // As OCR reads a form row whose gaps are narrow; only a name label that begins the line.
        assert_eq!(
            fields("姓名王建国 性别 男"),
            [(Field::Name, "王建国".into()), (Field::Sex, "男".into())]
        );
        assert_eq!(fields("其姓名王建国"), []);
        assert_eq!(
            fields("病理号L2311-0386 住院号20231103-07"),
            [
                (Field::Pathology, "L2311-0386".into()),
                (Field::Id, "20231103-07".into())
            ]
        );
        assert_eq!(fields("病理号码未填"), []);
        assert_eq!(
            fields("姓名陳美玲性別女年齡58歲病歷號A00871264"),
            [
                (Field::Name, "陳美玲".into()),
                (Field::Sex, "女".into()),
                (Field::Age, "58歲".into()),
                (Field::Id, "A00871264".into())
            ]
        );
        // Only in such a row: a sentence's words are not labels.
        assert_eq!(fields("患者性别女，年龄58岁"), []);
        assert_eq!(
            fields("姓  名：刘 洋  性  别：女"),
            [(Field::Name, "刘 洋".into()), (Field::Sex, "女".into())]
        );
        assert_eq!(
            fields("Name: SMITH, John A.  Hospital No. 55-1023  Sex: M"),
            [
                (Field::Name, "SMITH, John A.".into()),
                (Field::Id, "55-1023".into()),
                (Field::Sex, "M".into())
            ]
        );
    }

    #[test]
    fn names() {
        assert_eq!(name("李秀英 女 / 61岁").as_deref(), Some("李秀英"));
        assert_eq!(name("王 建国 様").as_deref(), Some("王 建国"));
        assert_eq!(
            name("阿依古丽·买买提 女").as_deref(),
            Some("阿依古丽·买买提")
        );
        assert_eq!(name("王建国性别男"), None);
        assert_eq!(
            name("Орлова Наталья Игоревна Дата рождения:").as_deref(),
            Some("Орлова Наталья Игоревна")
        );
        assert_eq!(
            name("LI, Xiuying (DOB 1962-03-14), MRN 7730215").as_deref(),
            Some("LI, Xiuying")
        );
        assert_eq!(
            name("Mrs. Jane O'Neil Date of visit: 2024-01-02").as_deref(),
            Some("Jane O'Neil")
        );
        assert_eq!(name("2023-06-07"), None);
        assert_eq!(
            sex_from_patronymic("Орлова Наталья Игоревна").as_deref(),
            Some("F")
        );
        assert_eq!(
            sex_from_patronymic("Петров Иван Сергеевич").as_deref(),
            Some("M")
        );
    }

    #[test]
    fn numbers_sexes_ages() {
        assert_eq!(number("Z23061187 民族").as_deref(), Some("Z23061187"));
        assert_eq!(number("11804/23").as_deref(), Some("11804/23"));
        assert_eq!(number("未知"), None);
        assert_eq!(sex("女性").as_deref(), Some("F"));
        assert_eq!(sex("Male").as_deref(), Some("M"));
        assert_eq!(sex("жен.").as_deref(), Some("F"));
        assert_eq!(age("61岁"), Some(61));
        assert_eq!(age("45 years"), Some(45));
        assert_eq!(age("58歲"), Some(58));
        assert_eq!(age("2023"), None);
    }
}
