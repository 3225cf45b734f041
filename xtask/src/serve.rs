//! `cargo xtask serve`: builds, then serves the built app, dist/ (or another folder), on
//! 127.0.0.1 with the production headers, through the server of `record-precheck serve`
//! (src/static_http.rs).

use std::env;
use std::path::PathBuf;
use std::process::Command;

use crate::dist::DIST;
use crate::process::{root, run};
use crate::{static_http, Result, USAGE};

/// The origin (`scheme://host[:port]`, lower case) of an http(s) URL, for a CSP source list;
/// an error for anything else (other schemes, user info, characters a CSP would read apart).
fn destination_origin(url: &str) -> Result<String> {
    let bad = || {
        format!("--destination: {url:?} is not an http(s) URL like http://127.0.0.1:1080/files/")
    };
    let (scheme, rest) = url.split_once("://").ok_or_else(bad)?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(bad());
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']');
    if authority.is_empty() || authority.starts_with(':') || !authority.chars().all(allowed) {
        return Err(bad());
    }
    Ok(format!("{scheme}://{}", authority.to_ascii_lowercase()))
}

/// `cargo xtask serve [--port N] [--no-build] [--log FILE] [--www DIR] [--destination URL]`:
/// builds, then serves the built app `dist/` (or DIR) on 127.0.0.1 with the production headers, as
/// `record-precheck serve` does (the same code: src/static_http.rs). The first line on stdout is
/// `serving http://127.0.0.1:PORT/`; every request is one line on stderr (and appended to
/// FILE): `GET /app.js 200`.
pub fn serve(args: &[String]) -> Result {
    let mut port: u16 = 8080;
    let mut build_first = true;
    let mut log_file: Option<PathBuf> = None;
    let mut www_dir = root().join(DIST);
    let mut destination: Option<String> = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--port" => {
                let v = it.next().ok_or("--port needs a number")?;
                port = v
                    .parse()
                    .map_err(|_| format!("could not read the port {v:?}"))?;
            }
            "--no-build" => build_first = false,
            "--log" => log_file = Some(PathBuf::from(it.next().ok_or("--log needs a file")?)),
            "--www" => www_dir = root().join(it.next().ok_or("--www needs a folder")?),
            "--destination" => {
                let url = it.next().ok_or("--destination needs a URL")?;
                destination = Some(destination_origin(url)?);
            }
            other => return Err(format!("serve: unknown argument {other:?}\n\n{USAGE}")),
        }
    }
    if build_first {
        // The build in a child process with its stdout on our stderr (tools it runs print to
        // stdout), so that the address is the first line on stdout.
        let exe = env::current_exe().map_err(|e| format!("could not find xtask itself: {e}"))?;
        let mut cmd = Command::new(exe);
        cmd.arg("build")
            .current_dir(root())
            .stdout(std::io::stderr());
        run(cmd)?;
    }
    let www = www_dir
        .canonicalize()
        .map_err(|e| format!("could not find {}: {e}", www_dir.display()))?;
    if !www.join("pkg/record_precheck_bg.wasm").is_file() {
        return Err(format!(
            "{} holds no built app: run `cargo xtask build` (or serve without --no-build)",
            www.display()
        ));
    }
    let log = match &log_file {
        Some(p) => Some(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(p)
                .map_err(|e| format!("could not open the log {}: {e}", p.display()))?,
        ),
        None => None,
    };
    let site = Folder {
        root: www,
        log: std::sync::Mutex::new(log),
        destination,
    };
    static_http::serve(port, std::sync::Arc::new(site))
}

/// The files of a folder, served.
struct Folder {
    root: PathBuf,
    log: std::sync::Mutex<Option<std::fs::File>>,
    /// `--destination`: the origin of the tus endpoint the element's `destination` attribute
    /// names, added to `connect-src` (after `'self'`), in the header and in the pages' `<meta>`
    /// policy: the page may connect there and nowhere else.
    destination: Option<String>,
}

impl static_http::Site for Folder {
    /// The file under the folder (no link may lead out of it) of a type that is served.
    fn find(&self, path: &str) -> Option<static_http::Found> {
        let mime = static_http::mime(path)?;
        let full = self.root.join(path).canonicalize().ok()?;
        if !full.starts_with(&self.root) || !full.is_file() {
            return None;
        }
        // A page's own policy (index.html's `<meta>`) applies besides the header's: it gets the
        // destination too.
        if let (Some(origin), true) = (&self.destination, path.ends_with(".html")) {
            let page = std::fs::read_to_string(&full).ok()?.replace(
                "connect-src 'self'",
                &format!("connect-src 'self' {origin}"),
            );
            return Some(static_http::Found {
                length: page.len() as u64,
                body: Box::new(std::io::Cursor::new(page)),
                mime,
            });
        }
        let file = std::fs::File::open(&full).ok()?;
        let length = file.metadata().ok()?.len();
        Some(static_http::Found {
            body: Box::new(file),
            length,
            mime,
        })
    }

    fn log(&self, line: &str) {
        use std::io::Write;
        if let Ok(mut log) = self.log.lock() {
            if let Some(f) = log.as_mut() {
                let _ = writeln!(f, "{line}");
                let _ = f.flush();
            }
        }
    }

    fn connect_src(&self) -> Option<&str> {
        self.destination.as_deref()
    }
}
