//! `cargo xtask build-kiosk`: `build`, then the native binary with the app embedded, copied to
//! target/kiosk/release/record-precheck.

use crate::dist::build;
use crate::process::{cargo, root, run};
use crate::Result;

/// Where `build-kiosk` puts the binary with the app embedded. It is built in target/ (cargo
/// keeps the crate built with and without `embed-app` side by side, and a target folder of its
/// own would compile every dependency again), then copied here, away from target/release's plain
/// one. (`cargo xtask test` serves the app from its debug build with `embed-app` instead.)
const KIOSK_TARGET: &str = "target/kiosk";

/// The kiosk binary's features: the default ones but OCR (`ocr`: tract-onnx in release costs
/// minutes of CPU and a longer link; the kiosk's page reads text with the page's own OCR module,
/// embedded with the rest of dist/).
const KIOSK_FEATURES: &str = "documents,pixels,pictures";

/// `cargo xtask build-kiosk`: `build`, then the binary with the app embedded.
pub fn build_kiosk() -> Result {
    build()?;
    build_kiosk_binary()
}

/// The native release binary with dist/ embedded (feature `embed-app`, build.rs; without OCR),
/// copied to target/kiosk/release/record-precheck. Needs dist/ (`build`).
fn build_kiosk_binary() -> Result {
    run(cargo(&[
        "build",
        "--release",
        "--bin",
        "record-precheck",
        "--no-default-features",
        "--features",
        &format!("{KIOSK_FEATURES},embed-app"),
    ]))?;
    let built = root().join("target/release/record-precheck");
    let dir = root().join(KIOSK_TARGET).join("release");
    std::fs::create_dir_all(&dir)
        .map_err(|e| format!("could not create {}: {e}", dir.display()))?;
    let kiosk = dir.join("record-precheck");
    std::fs::copy(&built, &kiosk).map_err(|e| {
        format!(
            "could not copy {} to {}: {e}",
            built.display(),
            kiosk.display()
        )
    })?;
    println!("xtask: built {KIOSK_TARGET}/release/record-precheck (`record-precheck serve`)");
    Ok(())
}
