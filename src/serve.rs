//! `record-precheck serve [--port N]`: serves the app from assets embedded in the binary (the
//! cargo feature `embed-app`, build.rs; `cargo xtask build-kiosk`), for kiosk PCs with no web
//! server. 127.0.0.1 only; GET and HEAD of the embedded files, nothing else; the production
//! headers of `cargo xtask serve`. Part of the binary only, never of the library or the wasm.
//!
//! Plain std, a thread per connection, like `cargo xtask serve` (whose notes say why: a small
//! server crate tried first left keep-alive connections unread now and then).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

/// Every file of dist/ (path relative to it, bytes), or none without the feature `embed-app`.
static ASSETS: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/app_assets.rs"));

/// The same headers as `cargo xtask serve` (xtask/src/main.rs `SECURITY_HEADERS`; the
/// end-to-end test tests/e2e/embed.mjs checks they match): no other origin, no inline script
/// or style, wasm compiled from the same origin, workers from the page's own Blob URL.
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

pub const USAGE: &str = "usage: record-precheck serve [--port N]

Serves the app (the page that checks records in the browser), built into this binary, on
http://127.0.0.1:N/ (default 8080; 0 = any free port), for a kiosk PC with no web server. Prints
`serving http://127.0.0.1:PORT/` first, then one line per request on stderr. Open the page with
`?mode=kiosk` for kiosk mode (it then also works with the network off after one visit).";

/// Parses `[--port N]`.
pub fn parse(args: &[String]) -> Result<u16, String> {
    let mut port = 8080;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--port" => {
                let v = it.next().ok_or("--port needs a number")?;
                port = v
                    .parse()
                    .map_err(|_| format!("could not read the port {v:?}"))?;
            }
            other => return Err(format!("serve: unknown argument {other:?}")),
        }
    }
    Ok(port)
}

/// Serves until killed. Fails when the binary has no app or the port cannot be bound.
pub fn serve(port: u16) -> Result<(), String> {
    if !ASSETS.iter().any(|(name, _)| *name == "index.html") {
        return Err(
            "this binary was built without the app: build it with `cargo xtask build-kiosk` \
                    (the cargo feature embed-app embeds dist/)"
                .into(),
        );
    }
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
        std::thread::spawn(move || {
            let _ = connection(stream);
        });
    }
    Ok(())
}

/// Answers the requests of one connection until it closes (HTTP/1.1 keep-alive).
fn connection(stream: TcpStream) -> std::io::Result<()> {
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
            continue;
        }
        let mut parts = request.split(' ');
        let (method, target, version) = match (parts.next(), parts.next(), parts.next()) {
            (Some(m), Some(t), Some(v)) if parts.next().is_none() => {
                (m.to_string(), t.to_string(), v.to_string())
            }
            _ => return respond(&mut out, 400, &[], None, false, true),
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
                close = true;
            }
        }
        if body_length > 0 {
            if body_length > 1 << 20 {
                close = true;
            } else {
                std::io::copy(&mut reader.by_ref().take(body_length), &mut std::io::sink())?;
            }
        }
        let head = method == "HEAD";
        let found = if method == "GET" || head {
            resolve(&target)
        } else {
            None
        };
        let status = match (&found, method == "GET" || head) {
            (Some(_), _) => 200,
            (None, true) => 404,
            (None, false) => 405,
        };
        eprintln!("{method} {target} {status}");
        match found {
            Some((bytes, mime)) => {
                let cache = if mime.starts_with("text/html") {
                    "no-store"
                } else {
                    "no-cache"
                };
                let headers = [("Content-Type", mime), ("Cache-Control", cache)];
                respond(&mut out, 200, &headers, Some(bytes), head, close)?;
            }
            None if status == 405 => {
                respond(&mut out, 405, &[("Allow", "GET, HEAD")], None, head, close)?
            }
            None => respond(&mut out, status, &[], None, head, close)?,
        }
        if close {
            return Ok(());
        }
    }
}

/// Writes one response: the status, the security headers, `headers`, and the body (or a short
/// text for an error); HEAD gets the headers only.
fn respond(
    out: &mut impl Write,
    status: u16,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
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
        write!(out, "{name}: {value}\r\n")?;
    }
    let text = format!("{status} {reason}\n");
    let body = match body {
        Some(b) => b,
        None => {
            write!(
                out,
                "Content-Type: text/plain; charset=utf-8\r\nCache-Control: no-store\r\n"
            )?;
            text.as_bytes()
        }
    };
    write!(out, "Content-Length: {}\r\n", body.len())?;
    if close {
        write!(out, "Connection: close\r\n")?;
    }
    write!(out, "\r\n")?;
    if !head {
        out.write_all(body)?;
    }
    out.flush()
}

/// The embedded file a request path names, with its type: `/` is `index.html`; only exact
/// names of embedded files of a known type (no percent-decoding needed: the app's names are
/// plain).
fn resolve(url: &str) -> Option<(&'static [u8], &'static str)> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let rel = path.strip_prefix('/')?;
    let rel = if rel.is_empty() { "index.html" } else { rel };
    let bytes = ASSETS.iter().find(|(name, _)| *name == rel)?.1;
    let mime = match rel.rsplit_once('.')?.1 {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        _ => return None,
    };
    Some((bytes, mime))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_port() {
        assert_eq!(parse(&[]), Ok(8080));
        assert_eq!(parse(&["--port".into(), "0".into()]), Ok(0));
        assert!(parse(&["--port".into()]).is_err());
        assert!(parse(&["--host".into(), "0.0.0.0".into()]).is_err());
    }

    #[test]
    fn resolves_only_embedded_files_of_known_types() {
        assert_eq!(resolve("/../Cargo.toml"), None);
        assert_eq!(resolve("no-slash"), None);
        if ASSETS.is_empty() {
            assert_eq!(resolve("/"), None);
        } else {
            assert_eq!(
                resolve("/?mode=kiosk").map(|r| r.1),
                Some("text/html; charset=utf-8")
            );
            assert_eq!(resolve("/package.json"), None);
        }
    }
}
