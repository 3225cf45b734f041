//! Build script: with the cargo feature `embed-app` (`cargo xtask build-kiosk`), embeds the
//! built app — every file of dist/, made by `cargo xtask build` — into the native binary, for
//! `record-precheck serve` (src/serve.rs). Without the feature it embeds nothing and reads
//! nothing, so a fresh clone builds and tests without a built app.
//!
//! It also writes the pinyin table of `src/case/pinyin.rs`: the Mandarin readings, without
//! tones, of the 6,763 GB2312 characters (the set Chinese hospital systems write names in), taken
//! from the `pinyin` crate (mozillazg/rust-pinyin, data from mozillazg/pinyin-data), and the
//! Simplified form of each Big5 character that has one among them, from the `fast2s` crate
//! (OpenCC's Traditional→Simplified characters).

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR")).join("app_assets.rs");
    let mut code = String::from("&[\n");
    if std::env::var_os("CARGO_FEATURE_EMBED_APP").is_some() {
        let dist = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("manifest dir"))
            .join("dist");
        println!("cargo:rerun-if-changed={}", dist.display());
        assert!(
            dist.join("pkg/record_precheck_bg.wasm").is_file(),
            "the feature embed-app embeds dist/, which is not built: run `cargo xtask build` first \
             (or `cargo xtask build-kiosk`, which does both)"
        );
        let mut files = Vec::new();
        walk(&dist, &mut files);
        files.sort();
        for path in files {
            let rel = path.strip_prefix(&dist).expect("under dist");
            let name: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            code.push_str(&format!(
                "    ({:?}, include_bytes!({:?})),\n",
                name.join("/"),
                path
            ));
        }
    }
    code.push_str("]\n");
    std::fs::write(&out, code).expect("write app_assets.rs");
    pinyin_table();
}

/// Most readings kept per character (the crate lists the common one first): a name's
/// character read a fourth way is then "cannot compare", never a wrong match.
const READINGS: usize = 3;

/// Writes `pinyin_table.rs`: `SYLLABLES` (toneless, `ü` as `v`), `CHARS` (sorted code points)
/// and `READINGS` (per character up to three 1-based syllable indices, 10 bits each).
fn pinyin_table() {
    use encoding::{DecoderTrap, Encoding};
    use pinyin::ToPinyinMulti;
    let mut chars = Vec::new();
    // GB2312's hanzi: rows 0xB0-0xF7, cells 0xA1-0xFE (level 1 and level 2).
    for row in 0xB0u8..=0xF7 {
        for cell in 0xA1u8..=0xFE {
            if let Ok(s) = encoding::all::GBK.decode(&[row, cell], DecoderTrap::Strict) {
                chars.extend(s.chars().filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c)));
            }
        }
    }
    chars.sort_unstable();
    chars.dedup();
    // Big5's hanzi (rows 0xA4-0xF9, cells 0x40-0x7E and 0xA1-0xFE) with a GB2312 Simplified form.
    let mut t2s: Vec<(u16, u16)> = Vec::new();
    for row in 0xA4u8..=0xF9 {
        for cell in (0x40u8..=0x7E).chain(0xA1..=0xFE) {
            let Ok(s) = encoding::all::BIG5_2003.decode(&[row, cell], DecoderTrap::Strict) else {
                continue;
            };
            let Some(t) = s.chars().next().filter(|_| s.chars().count() == 1) else {
                continue;
            };
            let simplified: Vec<char> = fast2s::convert(&s).chars().collect();
            if let [c] = simplified[..] {
                if c != t && chars.binary_search(&c).is_ok() {
                    if let (Ok(t), Ok(c)) =
                        (u16::try_from(u32::from(t)), u16::try_from(u32::from(c)))
                    {
                        t2s.push((t, c));
                    }
                }
            }
        }
    }
    t2s.sort_unstable();
    t2s.dedup_by_key(|p| p.0);
    let mut syllables: Vec<String> = Vec::new();
    let mut rows = Vec::new();
    for c in chars {
        let Some(multi) = c.to_pinyin_multi() else {
            continue;
        };
        let mut packed = 0u32;
        let mut kept = 0;
        for reading in multi {
            let plain = reading.plain().replace('ü', "v");
            if kept == READINGS || !plain.bytes().all(|b| b.is_ascii_lowercase()) {
                continue;
            }
            let index = match syllables.iter().position(|s| *s == plain) {
                Some(i) => i,
                None => {
                    syllables.push(plain);
                    syllables.len() - 1
                }
            };
            let index = u32::try_from(index + 1).expect("few syllables");
            assert!(index < 1024, "10 bits per syllable");
            if (0..kept).all(|k| (packed >> (10 * k)) & 1023 != index) {
                packed |= index << (10 * kept);
                kept += 1;
            }
        }
        if packed != 0 {
            rows.push((u16::try_from(u32::from(c)).expect("BMP"), packed));
        }
    }
    let mut code = format!(
        "pub(super) static SYLLABLES: [&str; {}] = {:?};\n",
        syllables.len(),
        syllables
    );
    code.push_str(&format!(
        "pub(super) static CHARS: [u16; {}] = {:?};\n",
        rows.len(),
        rows.iter().map(|r| r.0).collect::<Vec<_>>()
    ));
    code.push_str(&format!(
        "pub(super) static READINGS: [u32; {}] = {:?};\n",
        rows.len(),
        rows.iter().map(|r| r.1).collect::<Vec<_>>()
    ));
    code.push_str(&format!(
        "pub(super) static T2S: [(u16, u16); {}] = {:?};\n",
        t2s.len(),
        t2s
    ));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR")).join("pinyin_table.rs");
    std::fs::write(out, code).expect("write pinyin_table.rs");
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dist/") {
        let path = entry.expect("read dist/").path();
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}
