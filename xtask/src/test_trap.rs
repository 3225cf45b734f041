//! `cargo xtask build-test-trap`: a test-only build of the app in target/www-test-trap, its wasm
//! built with the `test-trap` feature (for tests/e2e/hostile.mjs).

use std::path::Path;

use crate::dist::{build_wasm, write_app, OCR_MODULE, PIXELS_MODULE, REPORT_MODULE, SCAN_MODULE};
use crate::process::root;
use crate::tools::{ensure_esbuild, ensure_wasm_bindgen_cli, ensure_wasm_target};
use crate::Result;

/// Where `cargo xtask build-test-trap` puts its built app.
const TEST_TRAP_WWW: &str = "target/www-test-trap";
/// Its source: a copy of www/ with the test-trap pkg/.
const TEST_TRAP_SOURCE: &str = "target/www-test-trap-source";

/// `cargo xtask build-test-trap`: the first-scan and report modules with the `test-trap` feature
/// (a file that begins with RECORD-PRECHECK-TEST-TRAP makes the scan entry points trap, and a
/// question that begins with it the report: src/wasm/test_trap.rs) in a fresh copy of www/, then
/// the app built from it as `cargo xtask build` builds dist/, in target/www-test-trap. Never
/// touches www/pkg (but copies its pixel and OCR modules and models, which `cargo xtask build`
/// must have made: their entries, src/wasm/pixels.rs and ocr.rs, have no trap, so the feature
/// would build them the same). Built as `build` builds them (`build_wasm`: the same profile,
/// target/ and so the same dependencies' builds: only the crate is compiled again), without
/// wasm-opt.
pub fn build_test_trap() -> Result {
    ensure_wasm_target()?;
    ensure_wasm_bindgen_cli()?;
    let esbuild = ensure_esbuild()?;
    let source = root().join(TEST_TRAP_SOURCE);
    if source.exists() {
        std::fs::remove_dir_all(&source)
            .map_err(|e| format!("could not remove {}: {e}", source.display()))?;
    }
    copy_app(&root().join("www"), &source)?;
    let pkg = format!("{TEST_TRAP_SOURCE}/pkg");
    // The modules with scan entry points, as `cargo xtask build` makes them.
    for module in [SCAN_MODULE, REPORT_MODULE] {
        build_wasm(&format!("test-trap,{}", module.feature), &pkg, module.name)?;
    }
    // The pixel and OCR modules as `cargo xtask build` made them in www/pkg.
    copy_app(&root().join("www/pkg/ocr"), &source.join("pkg/ocr"))?;
    for file in PIXELS_MODULE.files().into_iter().chain(OCR_MODULE.files()) {
        std::fs::copy(
            root().join("www/pkg").join(&file),
            source.join("pkg").join(&file),
        )
        .map_err(|e| format!("could not copy www/pkg/{file} (run `cargo xtask build`): {e}"))?;
    }
    write_app(&esbuild, &source, &root().join(TEST_TRAP_WWW))?;
    println!("xtask: built {TEST_TRAP_WWW} (test-trap; not for production)");
    Ok(())
}

/// Copies the app's files from `from` to `to`, without `pkg/` (built separately).
fn copy_app(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to).map_err(|e| format!("could not create {}: {e}", to.display()))?;
    let entries =
        std::fs::read_dir(from).map_err(|e| format!("could not read {}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("could not read {}: {e}", from.display()))?;
        let (path, name) = (entry.path(), entry.file_name());
        if path.is_dir() {
            if name != "pkg" {
                copy_app(&path, &to.join(&name))?;
            }
        } else {
            std::fs::copy(&path, to.join(&name))
                .map_err(|e| format!("could not copy {}: {e}", path.display()))?;
        }
    }
    Ok(())
}
