//! `cargo xtask build-kiosk`: `build`, then the native binary with the app embedded, copied to
//! target/kiosk/release/record-precheck.

use crate::dist::build;
use crate::process::{cargo, root, run};
use crate::Result;

/// Where `build-kiosk` puts the binary with the app embedded. It is built in target/ (cargo
/// keeps the crate built with and without `embed-app` side by side, and the dependencies'
/// release builds are shared with the tests': a target folder of its own compiled them all
/// again, minutes on a fresh CI machine), then copied here, away from target/release's plain one.
const KIOSK_TARGET: &str = "target/kiosk";

/// The features of the release builds `test` makes (the kiosk binary, the release-only tests):
/// the default ones but OCR (`ocr`: tract-onnx in release costs minutes of CPU and a longer
/// link; tests/ocr.rs runs in the debug build, and the kiosk's page reads text with the page's
/// own OCR module, embedded with the rest of dist/).
pub const RELEASE_FEATURES: &str = "documents,pixels,pictures";

/// The cargo profile of the kiosk binary that is shipped (fat LTO).
pub const SHIPPED: &str = "release";
/// The cargo profile of `test`'s release builds (Cargo.toml: release without fat LTO).
pub const TESTED: &str = "test-release";

/// `cargo xtask build-kiosk`: `build`, then the binary with the app embedded.
pub fn build_kiosk() -> Result {
    build()?;
    build_kiosk_binary(SHIPPED)
}

/// The native binary with dist/ embedded (feature `embed-app`, build.rs; without OCR) in cargo
/// profile `profile`, copied to target/kiosk/release/record-precheck. Needs dist/ (`build`).
pub fn build_kiosk_binary(profile: &str) -> Result {
    run(cargo(&[
        "build",
        "--profile",
        profile,
        "--bin",
        "record-precheck",
        "--no-default-features",
        "--features",
        &format!("{RELEASE_FEATURES},embed-app"),
    ]))?;
    let built = root().join("target").join(profile).join("record-precheck");
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
