//! `record-precheck serve [--port N]`: serves the app from assets embedded in the binary (the
//! cargo feature `embed-app`, build.rs; `cargo xtask build-kiosk`), for kiosk PCs with no web
//! server. 127.0.0.1 only; GET and HEAD of the embedded files, nothing else; the serving itself,
//! headers included, is `cargo xtask serve`'s (src/static_http.rs). Part of the binary only,
//! never of the library or the wasm.

use std::sync::Arc;

use crate::static_http::{self, Found, Site};

/// Every file of dist/ (path relative to it, bytes), or none without the feature `embed-app`.
static ASSETS: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/app_assets.rs"));

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
    static_http::serve(port, Arc::new(Embedded))
}

/// The files embedded in the binary.
struct Embedded;

impl Site for Embedded {
    fn find(&self, path: &str) -> Option<Found> {
        let mime = static_http::mime(path)?;
        let bytes: &'static [u8] = ASSETS.iter().find(|(name, _)| *name == path)?.1;
        Some(Found {
            body: Box::new(bytes),
            length: bytes.len() as u64,
            mime,
        })
    }
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

    /// A plain `cargo build` embeds nothing, and `serve` says how to build a binary that can.
    #[cfg(not(feature = "embed-app"))]
    #[test]
    fn without_the_app_serve_says_how_to_build_one() {
        assert!(ASSETS.is_empty());
        assert!(Embedded.find("index.html").is_none());
        let error = serve(0).expect_err("nothing to serve");
        assert!(error.contains("cargo xtask build-kiosk"), "{error}");
    }

    /// With `embed-app` (`cargo xtask test` runs this after `cargo xtask build`): the built app,
    /// as dist/ has it, and nothing else.
    #[cfg(feature = "embed-app")]
    #[test]
    fn serves_the_built_app_and_nothing_else() {
        use std::io::Read;
        let dist = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("dist");
        let page = Embedded.find("index.html").expect("index.html is embedded");
        assert_eq!(page.mime, "text/html; charset=utf-8");
        let mut text = Vec::new();
        let mut body = page.body;
        body.read_to_end(&mut text).unwrap();
        assert_eq!(text, std::fs::read(dist.join("index.html")).unwrap());
        for (path, mime) in [
            ("app.js", "text/javascript; charset=utf-8"),
            ("workers/scan-worker.js", "text/javascript; charset=utf-8"),
            ("pkg/record_precheck_scan_bg.wasm", "application/wasm"),
            ("pkg/record_precheck_bg.wasm", "application/wasm"),
        ] {
            let found = Embedded
                .find(path)
                .unwrap_or_else(|| panic!("{path} is embedded"));
            assert_eq!(found.mime, mime, "{path}");
            assert_eq!(
                found.length,
                std::fs::metadata(dist.join(path)).unwrap().len(),
                "{path}"
            );
        }
        // dist/ has these, but they are not the app's kinds of file.
        assert!(Embedded.find("package.json").is_none());
        assert!(Embedded.find("LICENSE-MIT").is_none());
        assert!(Embedded.find("Cargo.toml").is_none());
    }
}
