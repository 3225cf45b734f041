//! Build script: with the cargo feature `embed-app` (`cargo xtask build-kiosk`), embeds the
//! built app — every file of dist/, made by `cargo xtask build` — into the native binary, for
//! `record-precheck serve` (src/serve.rs). Without the feature it embeds nothing and reads
//! nothing, so a fresh clone builds and tests without a built app.

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
