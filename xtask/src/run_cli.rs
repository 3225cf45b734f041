//! `cargo xtask run-cli`: the native CLI in release, by default on the shared corpus.

use crate::process::{cargo, root, run};
use crate::Result;

/// Where `cargo xtask run-cli` looks when given no path.
const DEFAULT_CORPUS: &str = "../shared/corpus";

/// `cargo xtask run-cli [ARGS]`: `record-precheck scan ARGS` in release, on the corpus when
/// ARGS name no path.
pub fn run_cli(args: &[String]) -> Result {
    let mut cli_args = vec!["scan".to_string()];
    cli_args.extend(args.iter().cloned());
    if args.iter().all(|a| a.starts_with("--")) {
        if !root().join(DEFAULT_CORPUS).is_dir() {
            return Err(format!(
                "could not find the corpus at {DEFAULT_CORPUS} (give a PATH to scan)"
            ));
        }
        cli_args.push(DEFAULT_CORPUS.to_string());
    }
    let mut cmd = cargo(&[
        "run",
        "--quiet",
        "--release",
        "--bin",
        "record-precheck",
        "--",
    ]);
    cmd.args(&cli_args);
    run(cmd)
}
