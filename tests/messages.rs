//! A scanned file's reason, error and notes, and the words of the bundle's README.txt,
//! timeline.md and questions.md, in English and Chinese: every message the source
//! builds (`msg!("id", name = value…)` in src/, `{ id, values }` in www/) has both texts and gets
//! every value its text names; every such text in the tables is used; and the Chinese report of
//! the corpus leaves no English sentence in the file rows, while the English is the JSON's own.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use record_precheck::case::flatten;
use record_precheck::readiness::Declarations;
use record_precheck::recognise::folder::scan_path;
use record_precheck::report::{self, html, Report};
use record_precheck::text::Message;
use record_precheck::text::{self, get, placeholders, Lang};
use record_precheck::Limits;
use scraper::{Html, Selector};
use serde_json::Value;

/// The families of ids the source names as literals: a scanned file's messages (`reason.*`,
/// `error.*`, `note.*` and their `part.*`) and the bundle's texts for people (`bundle.*`).
const FAMILIES: [&str; 5] = ["reason.", "error.", "note.", "part.", "bundle."];

fn is_file_id(s: &str) -> bool {
    FAMILIES.iter().any(|f| s.starts_with(f))
        && s.len() > 6
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn files_under(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if !path.ends_with("pkg") {
                files_under(&path, ext, out);
            }
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// The source outside tests and comment lines (`//`, and JSDoc's ` * ` in scripts).
fn code(path: &Path) -> String {
    let source = std::fs::read_to_string(path).unwrap();
    // The unit tests at the end; a `#[cfg(test)]` on a single item (a test-data module) is
    // not where they start.
    let source = source.split("#[cfg(test)]\nmod tests").next().unwrap();
    let script = path.extension().is_some_and(|e| e == "js");
    source
        .lines()
        .map(str::trim_start)
        .filter(|l| {
            !l.starts_with("//") && !(script && (l.starts_with('*') || l.starts_with("/*")))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text from `start` up to the bracket that closes the one just before it, skipping
/// string literals.
fn until_close(text: &str) -> &str {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 => return &text[..i],
            ')' | ']' | '}' => depth -= 1,
            _ => {}
        }
    }
    panic!("unclosed: {text:.80}")
}

/// Splits at the commas that are not inside brackets or strings.
fn top_level(args: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = args;
    loop {
        let mut depth = 0usize;
        let mut in_string = false;
        let mut escaped = false;
        let mut cut = None;
        for (i, c) in rest.char_indices() {
            if in_string {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth -= 1,
                ',' if depth == 0 => {
                    cut = Some(i);
                    break;
                }
                _ => {}
            }
        }
        match cut {
            Some(i) => {
                parts.push(rest[..i].trim());
                rest = &rest[i + 1..];
            }
            None => {
                parts.push(rest.trim());
                return parts.into_iter().filter(|p| !p.is_empty()).collect();
            }
        }
    }
}

/// Every message the source builds: (where, id, names of the values given). From
/// `msg!("id", name = value…)` in src/ and `…_message: { id: "id", values: { name… } }` in
/// www/ (the entries the page makes itself).
fn built() -> Vec<(String, String, BTreeSet<String>)> {
    let mut out = Vec::new();
    let mut sources = Vec::new();
    files_under(&root().join("src"), "rs", &mut sources);
    for path in &sources {
        let code = code(path);
        for (at, _) in code.match_indices("msg!(") {
            let args = top_level(until_close(&code[at + 5..]));
            let id = args[0].trim_matches('"').to_string();
            let names = args[1..]
                .iter()
                .map(|a| a.split('=').next().unwrap().trim().to_string())
                .collect();
            out.push((path.display().to_string(), id, names));
        }
    }
    let mut scripts = Vec::new();
    files_under(&root().join("www"), "js", &mut scripts);
    for path in &scripts {
        let code = code(path);
        for (at, found) in code.match_indices("_message: {") {
            let object = until_close(&code[at + found.len()..]);
            let values = object.split("values: {").nth(1).expect("values");
            for id in object
                .split('"')
                .skip(1)
                .step_by(2)
                .filter(|s| is_file_id(s))
            {
                let names = top_level(until_close(values))
                    .iter()
                    .map(|a| a.split(':').next().unwrap().trim().to_string())
                    .collect();
                out.push((path.display().to_string(), id.to_string(), names));
            }
        }
    }
    out
}

/// Every string literal of src/ and www/ that is a file message id.
fn literal_ids() -> BTreeSet<String> {
    let mut files = Vec::new();
    files_under(&root().join("src"), "rs", &mut files);
    files_under(&root().join("www"), "js", &mut files);
    files
        .iter()
        .filter(|p| !p.ends_with("text/en.rs") && !p.ends_with("text/zh.rs"))
        .flat_map(|p| {
            code(p)
                .split('"')
                .skip(1)
                .step_by(2)
                .filter(|s| is_file_id(s))
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn every_message_the_source_builds_has_both_texts_and_its_values() {
    let built = built();
    assert!(built.len() > 100, "only {} messages found", built.len());
    for (file, id, names) in &built {
        for lang in Lang::ALL {
            let text = get(lang, id).unwrap_or_else(|| panic!("{file}: {id} has no {lang:?} text"));
            let wanted: BTreeSet<String> =
                placeholders(text).iter().map(|p| p.to_string()).collect();
            assert_eq!(
                &wanted, names,
                "{file}: {id} in {lang:?} names other values"
            );
        }
    }
    // Ids handed around as plain strings (sniffing, zip flavours, unsafe-name reasons) become
    // `Message::new(id)`: their texts take no values.
    let with_values: BTreeSet<&str> = built.iter().map(|(_, id, _)| id.as_str()).collect();
    for id in literal_ids() {
        for lang in Lang::ALL {
            let text = get(lang, &id).unwrap_or_else(|| panic!("{id} has no {lang:?} text"));
            assert!(
                with_values.contains(id.as_str()) || placeholders(text).is_empty(),
                "{id} is built without values but its text has {:?}",
                placeholders(text)
            );
        }
    }
}

#[test]
fn every_file_text_in_the_tables_is_used() {
    let used = literal_ids();
    for (id, _) in text::table(Lang::En) {
        if FAMILIES.iter().any(|f| id.starts_with(f)) {
            assert!(
                used.contains(id),
                "{id} is in the tables but nothing builds it"
            );
        }
    }
}

fn corpus() -> Vec<(String, Report)> {
    let dir = root().join("../shared/corpus");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("the corpus is at ../shared/corpus")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| {
            let files = scan_path(&dir.join(&n), &Limits::default()).unwrap();
            (n, report::build(files, Declarations::default()))
        })
        .collect()
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
}

/// The values of a message that are data (names, numbers, library messages), not words.
fn data(m: &Message, out: &mut Vec<String>) {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(o) if o.contains_key("id") => {
                let m: Message = serde_json::from_value(v.clone()).unwrap();
                data(&m, out);
            }
            Value::Array(items) => items.iter().for_each(|x| walk(x, out)),
            Value::String(s) => out.push(s.clone()),
            other => out.push(other.to_string()),
        }
    }
    m.values.values().for_each(|v| walk(v, out));
}

/// A Chinese text with its data taken out must be Chinese: it has Chinese characters and no
/// run of two English words.
fn assert_chinese(what: &str, text: &str, m: &Message) {
    let mut rest = text.to_string();
    let mut values = Vec::new();
    data(m, &mut values);
    values.sort_by_key(|v| std::cmp::Reverse(v.len()));
    for v in values {
        rest = rest.replace(&v, "");
    }
    assert!(has_cjk(&rest), "{what}: {text:?} is not Chinese");
    let words: Vec<&str> = rest
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() > 1 && w.chars().all(|c| c.is_ascii_lowercase()))
        .collect();
    let english = rest
        .split(|c: char| !(c.is_ascii_alphabetic() || c == ' '))
        .any(|run| run.split(' ').filter(|w| words.contains(w)).count() >= 2);
    assert!(!english, "{what}: English left in {text:?}");
}

#[test]
fn the_chinese_report_leaves_no_english_in_the_file_rows() {
    let mut rows = 0;
    for (case, r) in corpus() {
        for e in flatten(&r.files) {
            let what = format!("{case} {}", e.path);
            let reason = e.reason_message.as_ref().expect("a reason message");
            assert_chinese(&what, &e.reason_text(Lang::Zh), reason);
            if let Some(m) = &e.error_message {
                assert_chinese(&what, &e.error_text(Lang::Zh).unwrap(), m);
            }
            assert_eq!(e.note_messages.len(), e.notes.len(), "{what}");
            for (m, text) in e.note_messages.iter().zip(e.note_texts(Lang::Zh)) {
                assert_chinese(&what, &text, m);
            }
            rows += 1;
        }
        // The printable report shows them so.
        let page = Html::parse_document(&html::render(&r, Lang::Zh));
        let cells = Selector::parse("table.file-list tbody td:nth-child(3)").unwrap();
        for cell in page.select(&cells) {
            let text: String = cell.text().collect();
            assert!(
                has_cjk(&text),
                "{case}: file row reason {text:?} in the Chinese report"
            );
        }
    }
    assert!(rows > 40, "only {rows} files in the corpus");
}

#[test]
fn the_english_is_what_the_json_says() {
    let mut ids = BTreeMap::new();
    for (case, r) in corpus() {
        for e in flatten(&r.files) {
            let what = format!("{case} {}", e.path);
            let reason = e.reason_message.as_ref().unwrap();
            assert_eq!(reason.to_string(), e.reason, "{what}");
            assert_eq!(e.error_text(Lang::En), e.error, "{what}");
            assert_eq!(e.note_texts(Lang::En), e.notes, "{what}");
            assert_eq!(e.error.is_some(), e.error_message.is_some(), "{what}");
            *ids.entry(reason.id.clone()).or_insert(0) += 1;
        }
        // The messages survive the JSON, nested ones included.
        let json = serde_json::to_string(&r.files).unwrap();
        let back: Vec<record_precheck::FileEntry> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, r.files, "{case}");
    }
    assert!(ids.len() > 10, "{ids:?}");
}

#[test]
fn messages_in_values_and_lists_are_shown_in_the_same_language() {
    let note = Message::new("note.unsafe-name")
        .with("original", "\"C:\\\\x\"")
        .with(
            "problems",
            vec![
                Message::new("part.unsafe.backslashes"),
                Message::new("part.unsafe.drive"),
            ],
        )
        .with("name", "\"x\"");
    assert_eq!(
        note.text(Lang::En),
        r#"unsafe name "C:\\x" (backslashes, a drive letter) neutralised to "x""#
    );
    assert_eq!(
        note.text(Lang::Zh),
        r#"不安全的文件名 "C:\\x"（反斜杠、盘符）已改为 "x""#
    );
    let json = serde_json::to_value(&note).unwrap();
    assert_eq!(json["values"]["problems"][1]["id"], "part.unsafe.drive");
}
