//! Names, dates, sexes and lists for people, in a language's punctuation: the formatting every
//! sentence shares, apart from any finding or checklist item.

use serde_json::json;

use super::{message, t, vals, Lang};

/// A DICOM person name for people: `Wang^XiaoDong=王^小东` → `Wang XiaoDong / 王小东`.
pub fn display_name(raw: &str) -> String {
    raw.split('=')
        .map(|group| {
            if group.chars().any(is_cjk) {
                group.replace('^', "")
            } else {
                group
                    .split('^')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ")
            }
        })
        .map(|g| g.trim().to_string())
        .filter(|g| !g.is_empty())
        .collect::<Vec<_>>()
        .join(" / ")
}

fn is_cjk(c: char) -> bool {
    ('\u{3400}'..='\u{9FFF}').contains(&c) || ('\u{F900}'..='\u{FAFF}').contains(&c)
}

/// A DICOM date `YYYYMMDD` as `YYYY-MM-DD`; anything else as it is.
pub fn display_date(raw: &str) -> String {
    let d = raw.trim();
    if d.len() == 8 && d.bytes().all(|b| b.is_ascii_digit()) {
        format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..])
    } else {
        d.to_string()
    }
}

/// A patient's sex (`M`, `F`, `O`) in words.
pub fn display_sex(raw: &str, lang: Lang) -> String {
    match raw.trim().to_ascii_lowercase().as_str() {
        s @ ("m" | "f" | "o") => t(lang, &format!("sex.{s}")),
        other => other.to_string(),
    }
}

/// A DICOM age (`058Y`, `008M`, `003W`, `010D`) at a date, in words: `58 years (2024-01-17)`.
/// An age that is not of that form is shown as it is.
pub fn display_age(raw: &str, at: Option<&str>, lang: Lang) -> String {
    let raw = raw.trim();
    let unit = match raw.chars().last() {
        Some('Y') => "age.years",
        Some('M') => "age.months",
        Some('W') => "age.weeks",
        Some('D') => "age.days",
        _ => "",
    };
    let number = raw
        .get(..raw.len().saturating_sub(1))
        .and_then(|n| n.parse::<u32>().ok());
    let age = match number {
        Some(n) if !unit.is_empty() => message(lang, unit, &vals(json!({ "n": n }))),
        _ => raw.to_string(),
    };
    match at {
        Some(date) => message(
            lang,
            "label.with-facts",
            &vals(json!({ "name": age, "facts": display_date(date) })),
        ),
        None => age,
    }
}

/// `label: value` in the language's punctuation.
pub fn fact(lang: Lang, label: &str, value: &str) -> String {
    message(
        lang,
        "label.fact",
        &vals(json!({ "label": t(lang, label), "value": value })),
    )
}

/// Items joined with the language's comma.
pub fn join(lang: Lang, items: &[String]) -> String {
    items.join(&t(lang, "label.sep"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_dates_read_well() {
        assert_eq!(
            display_name("Wang^XiaoDong=王^小东="),
            "Wang XiaoDong / 王小东"
        );
        assert_eq!(display_name("DOE^JANE"), "DOE JANE");
        assert_eq!(display_date("20240117"), "2024-01-17");
        assert_eq!(display_date("2024"), "2024");
        assert_eq!(
            display_age("058Y", Some("2024-01-17"), Lang::En),
            "58 years (2024-01-17)"
        );
        assert_eq!(display_age("003W", None, Lang::Zh), "3周");
        assert_eq!(display_age("n/a", None, Lang::En), "n/a");
    }
}
