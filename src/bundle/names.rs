//! Names inside the bundle: every path component made safe on Windows, macOS and Linux, and
//! collisions resolved with ` (2)`, ` (3)`… Owns [`safe_component`] and [`Namer`]; knows
//! nothing of files or zips. A name taken from the data (a patient's name, a series
//! description, a file name in a zip) can never add a folder level or climb out of the bundle:
//! `/` and `\` are replaced, `.` and `..` become `_`.

use std::collections::{HashMap, HashSet};

/// Longest component, in characters.
pub const MAX_CHARS: usize = 120;
/// Longest component, in UTF-8 bytes (ext4 and most Linux file systems allow 255; 120 Chinese
/// characters would be 360).
pub const MAX_BYTES: usize = 240;

/// Characters Windows forbids in names (besides control characters).
const FORBIDDEN: &[char] = &['<', '>', ':', '"', '/', '\\', '|', '?', '*'];

/// Names Windows reserves for devices, with or without an extension (`CON.txt` is `CON`).
const RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "COM0", "COM1", "COM2", "COM3", "COM4",
    "COM5", "COM6", "COM7", "COM8", "COM9", "COM¹", "COM²", "COM³", "LPT0", "LPT1", "LPT2", "LPT3",
    "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²", "LPT³",
];

/// One path component that every common file system accepts as it is: forbidden and control
/// characters become `_`; no leading or trailing spaces, no trailing dots, no leading dot (it
/// would hide the file on macOS and Linux); Windows device names get a leading `_`; at most
/// [`MAX_CHARS`] characters and [`MAX_BYTES`] bytes, keeping a short extension. Unicode letters
/// are kept as they are. Never empty, never `.` or `..`.
pub fn safe_component(raw: &str) -> String {
    let replaced: String = raw
        .chars()
        .map(|c| {
            if c.is_control() || FORBIDDEN.contains(&c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let mut name = tidy_ends(&replaced);
    if name.starts_with('.') {
        name.replace_range(..1, "_");
    }
    if is_reserved(&name) {
        name.insert(0, '_');
    }
    shorten(&name, MAX_CHARS, MAX_BYTES)
}

/// Trims spaces at both ends and dots at the end; `_` when nothing is left.
fn tidy_ends(s: &str) -> String {
    let t = s.trim().trim_end_matches(['.', ' ']).trim_end();
    if t.is_empty() {
        "_".to_string()
    } else {
        t.to_string()
    }
}

fn is_reserved(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).trim_end();
    RESERVED.iter().any(|r| r.eq_ignore_ascii_case(stem))
}

/// The extension to keep when a name is shortened or numbered: `.dcm`, `.pdf`… (at most 16
/// characters, not the whole name).
fn split_extension(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(i) if i > 0 && name.len() - i <= 17 && !name[i + 1..].contains(' ') => {
            (&name[..i], &name[i..])
        }
        _ => (name, ""),
    }
}

/// Cuts a name to `chars` characters and `bytes` bytes, keeping its extension.
fn shorten(name: &str, chars: usize, bytes: usize) -> String {
    if name.chars().count() <= chars && name.len() <= bytes {
        return name.to_string();
    }
    let (stem, ext) = split_extension(name);
    let room_chars = chars.saturating_sub(ext.chars().count()).max(1);
    let room_bytes = bytes.saturating_sub(ext.len()).max(4);
    let mut cut = String::new();
    for c in stem.chars() {
        if cut.chars().count() + 1 > room_chars || cut.len() + c.len_utf8() > room_bytes {
            break;
        }
        cut.push(c);
    }
    let cut = tidy_ends(&cut);
    format!("{cut}{ext}")
}

/// Hands out unique paths inside the bundle. Names are compared the way Windows and macOS
/// compare them (ignoring case), so `Report.pdf` and `report.pdf` do not land on one file
/// there. Folders and files share one name space per folder.
#[derive(Debug, Clone, Default)]
pub struct Namer {
    /// Every path handed out or reserved, lowercased.
    taken: HashSet<String>,
    /// For a name asked for again, the number its next ` (n)` tries first (by the lowercased
    /// path it would have had): claiming one name k times costs k tries, not k²/2.
    next_number: HashMap<String, u64>,
    /// Paths tried, for the tests (linear in the claims).
    #[cfg(test)]
    tries: u64,
}

impl Namer {
    pub fn new() -> Self {
        Namer::default()
    }

    /// Marks a path as used (a file the bundle writes itself, like `README.txt`).
    pub fn reserve(&mut self, path: &str) {
        self.taken.insert(path.to_lowercase());
    }

    /// A unique path for `name` (made safe here) inside `folder` (already safe, `/`-separated,
    /// empty for the top): `name`, else `name (2)`, `name (3)`…, keeping the extension.
    pub fn claim(&mut self, folder: &str, name: &str) -> String {
        let safe = safe_component(name);
        let join = |n: &str| {
            if folder.is_empty() {
                n.to_string()
            } else {
                format!("{folder}/{n}")
            }
        };
        let first = join(&safe);
        #[cfg(test)]
        {
            self.tries += 1;
        }
        let key = first.to_lowercase();
        if self.taken.insert(key.clone()) {
            return first;
        }
        let (stem, ext) = split_extension(&safe);
        let start = self.next_number.get(&key).copied().unwrap_or(2);
        for n in start.. {
            #[cfg(test)]
            {
                self.tries += 1;
            }
            let suffix = format!(" ({n}){ext}");
            let room_chars = MAX_CHARS - suffix.chars().count();
            let room_bytes = MAX_BYTES - suffix.len();
            let candidate = format!("{}{suffix}", shorten(stem, room_chars, room_bytes));
            let path = join(&candidate);
            if self.taken.insert(path.to_lowercase()) {
                self.next_number.insert(key, n + 1);
                return path;
            }
        }
        unreachable!("a free name is always found")
    }
}

/// Whether one component would be accepted by [`safe_component`] unchanged: what the tests
/// check every name in a bundle against.
pub fn is_safe_component(c: &str) -> bool {
    !c.is_empty()
        && c != "."
        && c != ".."
        && !c.starts_with('.')
        && !c.starts_with(' ')
        && !c.ends_with(['.', ' '])
        && !c
            .chars()
            .any(|ch| ch.is_control() || FORBIDDEN.contains(&ch))
        && !is_reserved(c)
        && c.chars().count() <= MAX_CHARS
        && c.len() <= MAX_BYTES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_characters_and_ends() {
        assert_eq!(
            safe_component("a<b>c:d\"e/f\\g|h?i*j"),
            "a_b_c_d_e_f_g_h_i_j"
        );
        assert_eq!(safe_component("tab\there\u{7}"), "tab_here_");
        assert_eq!(safe_component("  name. . "), "name");
        assert_eq!(safe_component(".."), "_");
        assert_eq!(safe_component("."), "_");
        assert_eq!(safe_component(""), "_");
        assert_eq!(safe_component(".hidden.pdf"), "_hidden.pdf");
        assert_eq!(safe_component("../../etc"), "_._.._etc");
    }

    #[test]
    fn reserved_names_get_a_prefix() {
        for n in [
            "CON", "con.txt", "Nul.pdf", "COM1", "lpt9.dcm", "AUX .txt", "COM¹",
        ] {
            let s = safe_component(n);
            assert!(s.starts_with('_'), "{n} -> {s}");
            assert!(is_safe_component(&s), "{s}");
        }
        assert_eq!(safe_component("CONTRAST.dcm"), "CONTRAST.dcm");
        assert_eq!(safe_component("COM10"), "COM10");
    }

    #[test]
    fn unicode_is_kept_and_long_names_are_cut_keeping_the_extension() {
        assert_eq!(safe_component("病理报告 (1).pdf"), "病理报告 (1).pdf");
        assert_eq!(
            safe_component("Röntgen Thorax – 张三"),
            "Röntgen Thorax – 张三"
        );
        let long = format!("{}.pdf", "a".repeat(300));
        let s = safe_component(&long);
        assert_eq!(s.chars().count(), MAX_CHARS);
        assert!(s.ends_with("a.pdf"));
        let chinese = format!("{}.pdf", "报".repeat(200));
        let s = safe_component(&chinese);
        assert!(s.len() <= MAX_BYTES && s.ends_with(".pdf"), "{s}");
        assert!(is_safe_component(&s));
    }

    #[test]
    fn collisions_are_numbered_ignoring_case() {
        let mut n = Namer::new();
        n.reserve("README.txt");
        assert_eq!(n.claim("", "readme.TXT"), "readme (2).TXT");
        assert_eq!(n.claim("docs", "Report.pdf"), "docs/Report.pdf");
        assert_eq!(n.claim("docs", "report.pdf"), "docs/report (2).pdf");
        assert_eq!(n.claim("docs", "REPORT.PDF"), "docs/REPORT (3).PDF");
        assert_eq!(n.claim("docs", "IM0001"), "docs/IM0001");
        assert_eq!(n.claim("docs", "IM0001"), "docs/IM0001 (2)");
        let long = "x".repeat(MAX_CHARS);
        let first = n.claim("d", &long);
        let second = n.claim("d", &long);
        assert_ne!(first, second);
        assert!(is_safe_component(second.rsplit('/').next().unwrap()));
    }

    #[test]
    fn one_name_claimed_many_times_costs_linear_work() {
        // A zip of 100,000 files all called a.txt, each in its own folder, lands in one bundle
        // folder: each claim must not try every number taken before it.
        let mut n = Namer::new();
        n.reserve("docs/a (3).txt");
        let claims = 100_000u64;
        let mut seen = HashSet::new();
        for _ in 0..claims {
            assert!(seen.insert(n.claim("docs", "a.txt").to_lowercase()));
        }
        assert!(seen.contains("docs/a.txt") && seen.contains("docs/a (2).txt"));
        assert!(
            !seen.contains("docs/a (3).txt"),
            "a reserved name is never handed out"
        );
        assert!(seen.contains(&format!("docs/a ({}).txt", claims + 1)));
        // One try for the plain name and one per number, plus the reserved one skipped.
        assert!(
            n.tries <= 2 * claims + 1,
            "{} tries for {claims} claims",
            n.tries
        );
    }
}
