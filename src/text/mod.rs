//! Layer 0: texts for people. [`Lang`], the catalogue (one table per language: [`en`], [`zh`]),
//! looking an id up and filling its placeholders, [`Message`] (an id with values, as the core
//! states a file's reason, error and notes) and the formatting of names, dates and lists that
//! every language needs. Imports nothing from the crate, so every layer above can say things.
//!
//! Id families: `label.*` (headings, table columns), `finding.<code>` (and
//! `finding.series-incomplete.<reason kind>`), `item.<id>` and `item.<id>.<status>`,
//! `status.*`, `impact.*`, `level.*` (+ `.explain`), `fit.*`, `step.*`, `evidence.*`,
//! `category.*`, `kind.*`, `severity.*`, `sex.*`, `answer.*`, `slides.*`, `translation.*`;
//! a scanned file's `reason.*`, `error.*` and `note.*` with the `part.*` that go into them; and
//! the bundle's README.txt, timeline.md and questions.md (`bundle.*`).
//! `crate::report::sentences` makes the sentences of findings, items and steps from these ids.

pub mod display;
pub mod en;
pub mod message;
pub mod zh;

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde_json::Value;

pub use display::{display_age, display_date, display_name, display_sex, fact, join};
pub use en::{EN, EN_REPORT};
pub(crate) use message::msg;
pub use message::Message;
pub use zh::{ZH, ZH_REPORT};

/// The language of the report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// Reads a language tag: `en`, `en-US`, `zh`, `zh-CN`, `zh_Hans`… (case-insensitive).
    pub fn parse(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase().replace('_', "-");
        match tag.split('-').next()? {
            "en" => Some(Lang::En),
            "zh" | "cn" => Some(Lang::Zh),
            _ => None,
        }
    }

    /// The tag for HTML's `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }
}

/// The primary subtag of a BCP-47 tag, lower case (`zh-Hant` → `zh`), when it is one: two or
/// three letters.
pub fn primary_language(tag: &str) -> Option<String> {
    let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
    ((2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_lowercase()))
        .then_some(primary)
}

/// The table of a language: its words for everything, then those only the report module
/// shows (`EN_REPORT`, empty in the first-scan module).
pub fn table(lang: Lang) -> Vec<(&'static str, &'static str)> {
    let (all, report) = match lang {
        Lang::En => (EN, EN_REPORT),
        Lang::Zh => (ZH, ZH_REPORT),
    };
    all.iter().chain(report).copied().collect()
}

/// The text of an id in a language, if that language has it. The tables are indexed once:
/// every scanned file's reason goes through here.
pub fn get(lang: Lang, id: &str) -> Option<&'static str> {
    type Index = HashMap<&'static str, &'static str>;
    static INDEX: OnceLock<[Index; 2]> = OnceLock::new();
    let [en, zh] = INDEX.get_or_init(|| Lang::ALL.map(|l| table(l).into_iter().collect()));
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
    .get(id)
    .copied()
}

/// The text of an id: the language's, else English, else the id itself (tests make sure it
/// never comes to that).
pub fn t(lang: Lang, id: &str) -> String {
    get(lang, id)
        .or_else(|| get(Lang::En, id))
        .map_or_else(|| id.to_string(), str::to_string)
}

/// The text of an id with its placeholders filled. A value that is itself a message
/// (`{ "id", "values" }`, see [`crate::text::Message`]), alone or in an array, is put in as
/// its text in the same language.
pub fn message(lang: Lang, id: &str, values: &BTreeMap<String, Value>) -> String {
    let values: BTreeMap<String, Value> = values
        .iter()
        .map(|(k, v)| (k.clone(), in_words(lang, v)))
        .collect();
    fill(&t(lang, id), &values)
}

/// A value with the messages in it replaced by their text.
fn in_words(lang: Lang, v: &Value) -> Value {
    match v {
        Value::Object(m) if is_message(m) => {
            let id = m["id"].as_str().unwrap_or_default();
            let values = match m.get("values") {
                Some(Value::Object(values)) => values.clone().into_iter().collect(),
                _ => BTreeMap::new(),
            };
            Value::String(message(lang, id, &values))
        }
        Value::Array(items) => Value::Array(items.iter().map(|x| in_words(lang, x)).collect()),
        other => other.clone(),
    }
}

/// `{ "id": "…" }` or `{ "id": "…", "values": {…} }`.
fn is_message(m: &serde_json::Map<String, Value>) -> bool {
    m.get("id").is_some_and(Value::is_string)
        && m.keys().all(|k| k == "id" || k == "values")
        && m.get("values").is_none_or(Value::is_object)
}

/// Values for [`message`] from a `json!({...})` object.
pub fn vals(v: Value) -> BTreeMap<String, Value> {
    match v {
        Value::Object(m) => m.into_iter().collect(),
        _ => BTreeMap::new(),
    }
}

/// Replaces each `{name}` in `template` with `values[name]`: strings as they are, numbers and
/// booleans as JSON writes them, arrays joined with ", " (`{name|sep}` joins with `sep`).
/// `{name|one|other}` writes `one` when the value is 1 and `other` otherwise (English plurals).
/// A missing or null value leaves the placeholder as it is, so tests catch it. Hand-written:
/// too small to need a template crate.
pub fn fill(template: &str, values: &BTreeMap<String, Value>) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let inner = &after[..close];
        let mut parts = inner.split('|');
        let name = parts.next().unwrap_or_default();
        let forms: Vec<&str> = parts.collect();
        match values.get(name).filter(|v| !v.is_null()) {
            Some(v) if forms.len() == 2 => {
                let one = v.as_i64() == Some(1);
                out.push_str(if one { forms[0] } else { forms[1] });
            }
            Some(Value::Array(items)) if forms.len() == 1 => {
                let items: Vec<String> = items.iter().map(plain).collect();
                out.push_str(&items.join(forms[0]));
            }
            Some(v) if forms.is_empty() => out.push_str(&plain(v)),
            _ => {
                out.push('{');
                out.push_str(inner);
                out.push('}');
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(plain).collect::<Vec<_>>().join(", "),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The placeholder names of a template, for the tests.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names: Vec<&str> = template
        .split('{')
        .skip(1)
        .filter_map(|s| s.split('}').next())
        .map(|s| s.split('|').next().unwrap_or(s))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fill_replaces_values_and_keeps_unknown_placeholders() {
        let v = vals(json!({ "count": 1, "name": "王小东", "list": ["a", "b"], "none": null }));
        assert_eq!(
            fill("{count} {count|file|files} of {name}: {list}", &v),
            "1 file of 王小东: a, b"
        );
        assert_eq!(fill("{missing} {none} {", &v), "{missing} {none} {");
        let two = vals(json!({ "count": 2 }));
        assert_eq!(fill("{count|is|are}", &two), "are");
    }

    #[test]
    fn languages_parse() {
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::parse("ZH_hans"), Some(Lang::Zh));
        assert_eq!(Lang::parse("en-GB"), Some(Lang::En));
        assert_eq!(Lang::parse("de"), None);
    }
    #[test]
    fn tables_have_the_same_ids_and_placeholders() {
        let (en, zh) = (table(Lang::En), table(Lang::Zh));
        for (lang, other) in [(&en, &zh), (&zh, &en)] {
            for (id, text) in lang {
                let twin = other.iter().find(|(k, _)| k == id);
                let (_, twin) = twin.unwrap_or_else(|| panic!("{id} is in one table only"));
                assert!(!text.trim().is_empty(), "{id} is empty");
                assert_eq!(placeholders(text), placeholders(twin), "{id}");
            }
            let mut ids: Vec<&str> = lang.iter().map(|(k, _)| *k).collect();
            ids.sort_unstable();
            let n = ids.len();
            ids.dedup();
            assert_eq!(ids.len(), n, "an id is listed twice");
        }
    }
}
