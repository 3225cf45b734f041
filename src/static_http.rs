//! Serving the app's files over HTTP/1.1 on 127.0.0.1, shared by `record-precheck serve`
//! (src/serve.rs: the files embedded in the binary) and `cargo xtask serve` (the built app, dist/;
//! xtask compiles this file into itself with `#[path]`): the request loop with keep-alive, the
//! production headers, the paths and types that are served. GET and HEAD only.
//!
//! Plain std, a thread per connection: a static server for one browser needs no more, and the
//! small crate tried first (tiny_http 0.12) left a keep-alive connection unread now and then
//! (its thread pool can queue a new connection behind busy ones), which hung page loads.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

/// The production headers: no other origin, no inline script or style, wasm compiled from the
/// same origin. The printable report needs no exception: the page gives its CSS to the report
/// window as a constructed style sheet.
///
/// `worker-src 'self' blob:`: the page starts its workers from a Blob URL of worker.js and the
/// wasm glue, made from their text while it loads, so that a worker started again after a
/// cancel or a crash requests nothing (www/wasm.js). This lets no one run anything they could
/// not already: only script already running in the page can make a Blob and start a worker
/// from it, and a worker from a Blob URL inherits this policy (same `connect-src 'self'`, no
/// other origin). `script-src` stays `'self'`: no Blob URL can be a page script or an import.
pub const SECURITY_HEADERS: &[(&str, &str)] = &[
    (
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; \
         connect-src 'self'; img-src 'self' data: blob:; style-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
];

/// A request line or header longer than this ends the connection.
const MAX_LINE: u64 = 8 * 1024;
/// An idle keep-alive connection is closed after this.
const IDLE: Duration = Duration::from_secs(30);

/// A file to send.
pub struct Found {
    pub body: Box<dyn Read>,
    pub length: u64,
    pub mime: &'static str,
}

/// What is served, and where requests are noted.
pub trait Site: Send + Sync + 'static {
    /// The file at `path` ([`relative_path`] of the request: no leading `/`, no `..`), or `None`.
    fn find(&self, path: &str) -> Option<Found>;
    /// Called with `METHOD TARGET STATUS` for every request, after it is printed on stderr.
    fn log(&self, _line: &str) {}
    /// Origins `connect-src` allows after `'self'` (`cargo xtask serve --destination`).
    fn connect_src(&self) -> Option<&str> {
        None
    }
}

/// Binds 127.0.0.1:`port` (0: any free port), prints `serving http://127.0.0.1:PORT/` as the
/// first line on stdout, then answers each connection on a thread of its own until killed.
pub fn serve(port: u16, site: Arc<dyn Site>) -> Result<(), String> {
    let listener = TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| format!("could not listen on 127.0.0.1:{port}: {e}"))?;
    let port = listener
        .local_addr()
        .map_err(|e| format!("could not tell the port: {e}"))?
        .port();
    {
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "serving http://127.0.0.1:{port}/");
        let _ = stdout.flush();
    }
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let site = Arc::clone(&site);
        std::thread::spawn(move || {
            let _ = connection(stream, site.as_ref());
        });
    }
    Ok(())
}

/// The path a request target names, relative to the site: the query and fragment cut,
/// percent-decoded, the leading `/` removed, `index.html` for `/` and for a folder (`/embed/`).
/// `None` for a target that is not a plain path: no `/` first, a bad escape, bytes that are not
/// UTF-8, empty, `.` or `..` segments, backslashes or NULs.
pub fn relative_path(target: &str) -> Option<String> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let path = percent_decode(path)?;
    let rel = path.strip_prefix('/')?;
    let rel = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    if rel
        .split('/')
        .any(|seg| seg.is_empty() || seg == "." || seg == ".." || seg.contains(['\\', '\0']))
    {
        return None;
    }
    Some(rel)
}

/// The type a file is served with, by its name; `None`: files of that kind are not served.
pub fn mime(name: &str) -> Option<&'static str> {
    Some(match name.rsplit_once('.')?.1 {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        // The OCR models (pkg/ocr/), fetched by the OCR worker when the patient asks.
        "onnx" => "application/octet-stream",
        _ => return None,
    })
}

/// `%XX` escapes decoded; `None` for a bad escape or bytes that are not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Answers the requests of one connection until it closes (HTTP/1.1 keep-alive).
fn connection(stream: TcpStream, site: &dyn Site) -> std::io::Result<()> {
    stream.set_read_timeout(Some(IDLE))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut out = std::io::BufWriter::new(stream);
    let mut line = String::new();
    loop {
        line.clear();
        if reader.by_ref().take(MAX_LINE).read_line(&mut line)? == 0 {
            return Ok(());
        }
        let request = line.trim_end().to_string();
        if request.is_empty() {
            continue; // a stray line break between requests
        }
        let mut parts = request.split(' ');
        let (method, target, version) = match (parts.next(), parts.next(), parts.next()) {
            (Some(m), Some(t), Some(v)) if parts.next().is_none() => {
                (m.to_string(), t.to_string(), v.to_string())
            }
            _ => return respond(&mut out, site, 400, &[], None, false, true),
        };
        let mut close = version != "HTTP/1.1";
        let mut body_length: u64 = 0;
        for _ in 0..100 {
            line.clear();
            if reader.by_ref().take(MAX_LINE).read_line(&mut line)? == 0 {
                return Ok(());
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            let Some((name, value)) = header.split_once(':') else {
                continue;
            };
            let (name, value) = (name.trim(), value.trim().to_ascii_lowercase());
            if name.eq_ignore_ascii_case("connection") {
                close |= value.contains("close");
                if value.contains("keep-alive") {
                    close = false;
                }
            } else if name.eq_ignore_ascii_case("content-length") {
                body_length = value.parse().unwrap_or(u64::MAX);
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                close = true; // a chunked body is not read: answer, then close
            }
        }
        // A body is never needed; skip a small one, close on a large one.
        if body_length > 0 {
            if body_length > 1 << 20 {
                close = true;
            } else {
                std::io::copy(&mut reader.by_ref().take(body_length), &mut std::io::sink())?;
            }
        }
        let head = method == "HEAD";
        let found = if method == "GET" || head {
            relative_path(&target).and_then(|path| site.find(&path))
        } else {
            None
        };
        let status = match (&found, method == "GET" || head) {
            (Some(_), _) => 200,
            (None, true) => 404,
            (None, false) => 405,
        };
        let entry = format!("{method} {target} {status}");
        eprintln!("{entry}");
        site.log(&entry);
        match found {
            Some(found) => {
                let cache = if found.mime.starts_with("text/html") {
                    "no-store"
                } else {
                    "no-cache"
                };
                let headers = [("Content-Type", found.mime), ("Cache-Control", cache)];
                respond(&mut out, site, 200, &headers, Some(found), head, close)?;
            }
            None if status == 405 => {
                let allow = [("Allow", "GET, HEAD")];
                respond(&mut out, site, 405, &allow, None, head, close)?;
            }
            None => respond(&mut out, site, status, &[], None, head, close)?,
        }
        if close {
            return Ok(());
        }
    }
}

/// Writes one response: the status, the security headers, `headers`, and the file (or a short
/// text for an error); HEAD gets the headers only.
fn respond(
    out: &mut impl Write,
    site: &dyn Site,
    status: u16,
    headers: &[(&str, &str)],
    found: Option<Found>,
    head: bool,
    close: bool,
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "",
    };
    write!(out, "HTTP/1.1 {status} {reason}\r\n")?;
    for (name, value) in SECURITY_HEADERS.iter().chain(headers) {
        match site.connect_src() {
            Some(origins) if *name == "Content-Security-Policy" => {
                let csp = value.replace(
                    "connect-src 'self'",
                    &format!("connect-src 'self' {origins}"),
                );
                write!(out, "{name}: {csp}\r\n")?;
            }
            _ => write!(out, "{name}: {value}\r\n")?,
        }
    }
    let text = format!("{status} {reason}\n");
    let length = match &found {
        Some(found) => found.length,
        None => {
            write!(
                out,
                "Content-Type: text/plain; charset=utf-8\r\nCache-Control: no-store\r\n"
            )?;
            text.len() as u64
        }
    };
    write!(out, "Content-Length: {length}\r\n")?;
    if close {
        write!(out, "Connection: close\r\n")?;
    }
    write!(out, "\r\n")?;
    if !head {
        match found {
            Some(mut found) => {
                std::io::copy(&mut found.body.by_ref().take(found.length), out)?;
            }
            None => out.write_all(text.as_bytes())?,
        }
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A host that serves index.html without our headers still gets the policy: the page's
    /// `<meta>` one is the header's but `frame-ancestors` (which a `<meta>` cannot give).
    #[test]
    fn the_page_carries_the_policy_of_the_header() {
        let page = include_str!("../www/index.html");
        let meta = page
            .lines()
            .find_map(|l| {
                l.strip_prefix(r#"<meta http-equiv="Content-Security-Policy" content=""#)?
                    .strip_suffix(r#"">"#)
            })
            .expect("www/index.html has a Content-Security-Policy <meta>");
        let header = SECURITY_HEADERS
            .iter()
            .find(|(name, _)| *name == "Content-Security-Policy")
            .expect("a policy header")
            .1;
        let expected = header
            .strip_suffix("; frame-ancestors 'self'")
            .expect("the header ends with frame-ancestors");
        assert_eq!(meta, expected);
        let at = |s: &str| page.find(s).expect(s);
        assert!(
            at("Content-Security-Policy") < at("<link")
                && at("Content-Security-Policy") < at("<script"),
            "the policy comes before anything it governs"
        );
    }

    #[test]
    fn paths_stay_inside_the_site() {
        assert_eq!(relative_path("/").as_deref(), Some("index.html"));
        assert_eq!(relative_path("/?mode=kiosk").as_deref(), Some("index.html"));
        assert_eq!(
            relative_path("/embed/").as_deref(),
            Some("embed/index.html")
        );
        assert_eq!(
            relative_path("/pkg/record_precheck.js#x").as_deref(),
            Some("pkg/record_precheck.js")
        );
        assert_eq!(relative_path("/a%20b.js").as_deref(), Some("a b.js"));
        for bad in [
            "no-slash",
            "/../Cargo.toml",
            "/pkg/../../x",
            "/%2e%2e/x",
            "/a//b",
            "/a\\b",
            "/%00",
            "/%zz",
            "/%ff",
        ] {
            assert_eq!(relative_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn serves_only_the_app_kinds_of_file() {
        assert_eq!(mime("index.html"), Some("text/html; charset=utf-8"));
        assert_eq!(mime("pkg/x_bg.wasm"), Some("application/wasm"));
        assert_eq!(
            mime("pkg/ocr/ch_PP-OCRv4_det_infer.onnx"),
            Some("application/octet-stream")
        );
        assert_eq!(mime("package.json"), None);
        assert_eq!(mime("LICENSE-MIT"), None);
    }
}
