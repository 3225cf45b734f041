//! The crate's layers (the table in `src/lib.rs`) hold: no module imports from a layer above
//! its own, or from a module of its own layer listed after it, so the imports have no circle.
//! Reads the table and every `crate::` path in `src/`, comments and strings left out.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Module name → (layer, position in the table), from `lib.rs`'s `| layer | module | owns |`.
fn table(lib: &str) -> BTreeMap<String, (u32, usize)> {
    let mut modules = BTreeMap::new();
    for line in lib.lines().filter_map(|l| l.strip_prefix("//! |")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let Some(Ok(layer)) = cells.first().map(|c| c.parse::<u32>()) else {
            continue;
        };
        for name in cells[1].split(',') {
            let name = name.trim().trim_matches(|c| "[]`".contains(c));
            let at = modules.len();
            modules.insert(name.to_string(), (layer, at));
        }
    }
    modules
}

/// The code of a file without comments and string literals, so prose and messages don't count.
fn code_only(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                let mut escaped = false;
                for c in chars.by_ref() {
                    match c {
                        _ if escaped => escaped = false,
                        '\\' => escaped = true,
                        '"' => break,
                        _ => {}
                    }
                }
                out.push_str("\"\"");
            }
            _ => out.push(c),
        }
    }
    out
}

/// The top-level modules a file names as `crate::x` (in `use` lines, `use crate::{x, y}`
/// groups, and paths in code).
fn imports(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        if code[..at].ends_with('$') {
            continue; // `$crate::` in a macro
        }
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            found.extend(group.split(',').filter_map(|p| {
                let name = p.trim().split("::").next()?.trim();
                (!name.is_empty()).then(|| name.to_string())
            }));
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            found.push(name);
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module a file under `src/` belongs to: `case/mod.rs` and `case.rs` are `case`.
fn module_of(path: &Path) -> String {
    let rel = path.strip_prefix(src()).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// Every import that goes up a layer, as `file: module (layer) imports module (layer)`.
fn upward_imports(modules: &BTreeMap<String, (u32, usize)>, files: &[PathBuf]) -> Vec<String> {
    let mut wrong = Vec::new();
    for file in files {
        let module = module_of(file);
        if module == "lib" {
            continue;
        }
        let Some(&(layer, at)) = modules.get(&module) else {
            wrong.push(format!(
                "{}: {module} is not in lib.rs's layer table",
                file.display()
            ));
            continue;
        };
        let code = code_only(&std::fs::read_to_string(file).unwrap());
        for name in imports(&code) {
            if name == module || name == "self" || name == "super" {
                continue;
            }
            let Some(&(to_layer, to_at)) = modules.get(&name) else {
                // A name lib.rs re-exports (`crate::FileEntry`): owned by the module below.
                continue;
            };
            if to_layer > layer || (to_layer == layer && to_at > at) {
                wrong.push(format!(
                    "{}: {module} (layer {layer}) imports {name} (layer {to_layer})",
                    file.display()
                ));
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    wrong
}

#[test]
fn no_module_imports_from_above() {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    let modules = table(&lib);
    for m in [
        "limits",
        "text",
        "codes",
        "recognise",
        "case",
        "report",
        "bundle",
        "wasm",
    ] {
        assert!(modules.contains_key(m), "{m} is not in the layer table");
    }
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let wrong = upward_imports(&modules, &files);
    assert!(
        wrong.is_empty(),
        "imports that go up:\n{}",
        wrong.join("\n")
    );
}

/// The checker itself finds an upward import, in a group and in a path, and ignores comments,
/// strings and `$crate`.
#[test]
fn the_check_finds_an_upward_import() {
    let modules = table("//! | 0 | [`text`] | x |\n//! | 4 | [`case`] | y |\n");
    assert_eq!(modules["case"], (4, 1));
    let code = code_only(
        "// crate::case in a comment\nlet s = \"crate::case\";\nuse crate::{case::Finding, text};\n$crate::text::x();",
    );
    assert_eq!(imports(&code), ["case", "text"]);
    assert_eq!(
        imports(&code_only("fn f() { crate::case::build(); }")),
        ["case"]
    );
}
