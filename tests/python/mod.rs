//! Python packages for the tests that compare with an independent implementation (pydicom,
//! dicom-anonymizer): installed with pip into a folder of the test's own under
//! `CARGO_TARGET_TMPDIR`, once, and put on `PYTHONPATH` by the caller.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The folder `name` under the tests' temporary folder, holding `packages` (pip requirement
/// strings such as `pydicom==3.0.2`); `imports` is the Python `import` line that must work.
pub fn packages(name: &str, imports: &str, packages: &[&str]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let ready = |dir: &Path| {
        Command::new("python3")
            .args(["-c", imports])
            .env("PYTHONPATH", dir)
            .status()
            .is_ok_and(|s| s.success())
    };
    if !ready(&dir) {
        let status = Command::new("python3")
            .args(["-m", "pip", "install", "--quiet", "--target"])
            .arg(&dir)
            .args(packages)
            .status()
            .expect("python3 runs (the test command installs it)");
        assert!(status.success(), "pip could not install {packages:?}");
        assert!(
            ready(&dir),
            "`{imports}` fails after pip installed {packages:?}"
        );
    }
    dir
}
