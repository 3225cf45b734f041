//! Running the steps: the repository root, the search path (cargo's bin folder first), a step
//! run with its output shown (`run`), quietly for its standard output (`output`), or quietly
//! unless it fails (`quiet`).

use std::env;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::Result;

/// The repository root (the parent of this crate).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the repository")
        .to_path_buf()
}

/// Cargo's bin folder, where `cargo install` puts tools; searched first.
fn cargo_bin() -> Option<PathBuf> {
    let home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))?;
    Some(home.join("bin"))
}

pub fn search_path() -> OsString {
    let mut dirs: Vec<PathBuf> = cargo_bin().into_iter().collect();
    dirs.extend(env::split_paths(&env::var_os("PATH").unwrap_or_default()));
    env::join_paths(dirs).unwrap_or_default()
}

pub fn find_on_path(program: &str) -> Option<PathBuf> {
    env::split_paths(&search_path())
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

/// `program args`, run from the repository root with cargo's bin folder on PATH.
pub fn command(program: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(find_on_path(program).unwrap_or_else(|| program.into()));
    cmd.args(args)
        .current_dir(root())
        .env("PATH", search_path());
    cmd
}

pub fn cargo(args: &[&str]) -> Command {
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    command(&cargo, args)
}

fn describe(cmd: &Command) -> String {
    let program = Path::new(cmd.get_program())
        .file_name()
        .unwrap_or(cmd.get_program());
    let mut words = vec![program.to_string_lossy().into_owned()];
    words.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    words.join(" ")
}

/// Runs a step with its output shown; fails when it cannot start or exits non-zero.
pub fn run(mut cmd: Command) -> Result {
    let what = describe(&cmd);
    eprintln!("==> {what}");
    let started = Instant::now();
    let status = cmd
        .status()
        .map_err(|e| format!("could not run `{what}`: {e}"))?;
    // Each step's time, so a slow CI run shows where it went (issue: cold CI time).
    eprintln!("<== {:.0} s", started.elapsed().as_secs_f64());
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{what}` failed ({status})"))
    }
}

/// Runs a command quietly and returns its standard output.
pub fn output(mut cmd: Command) -> Result<String> {
    let what = describe(&cmd);
    let out = cmd
        .output()
        .map_err(|e| format!("could not run `{what}`: {e}"))?;
    if !out.status.success() {
        return Err(format!("`{what}` failed ({})", out.status));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Runs a step showing its command line, and its output only when it fails: installers, whose
/// progress is noise on a machine where they work.
pub fn quiet(mut cmd: Command) -> Result {
    let what = describe(&cmd);
    eprintln!("==> {what}");
    let started = Instant::now();
    let out = cmd
        .output()
        .map_err(|e| format!("could not run `{what}`: {e}"))?;
    eprintln!("<== {:.0} s", started.elapsed().as_secs_f64());
    if out.status.success() {
        return Ok(());
    }
    eprint!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Err(format!("`{what}` failed ({})", out.status))
}
