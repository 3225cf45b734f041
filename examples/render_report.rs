//! Renders the report of a folder: `cargo run --example render_report -- PATH OUT.html
//! [--lang en|zh] [--json OUT.json] [--declarations decl.json]`. Used to make the pictures and
//! the JSON example under `docs/`.

use std::path::Path;

use record_precheck::readiness::Declarations;
use record_precheck::recognise::folder::scan_path;
use record_precheck::report::{self, html};
use record_precheck::text::Lang;
use record_precheck::Limits;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let positional: Vec<&String> = args
        .iter()
        .enumerate()
        .filter(|(i, a)| !a.starts_with("--") && (*i == 0 || !args[i - 1].starts_with("--")))
        .map(|(_, a)| a)
        .collect();
    let [input, output] = positional[..] else {
        eprintln!("usage: render_report PATH OUT.html [--lang en|zh] [--json OUT.json] [--declarations decl.json]");
        std::process::exit(2);
    };
    let lang = flag("--lang")
        .map(|l| Lang::parse(&l).expect("--lang en or zh"))
        .unwrap_or_default();
    let declarations: Declarations = match flag("--declarations") {
        Some(p) => serde_json::from_str(
            &std::fs::read_to_string(p).expect("could not read the declarations"),
        )
        .expect("could not parse the declarations"),
        None => Declarations::default(),
    };
    let files = scan_path(Path::new(input), &Limits::default()).expect("could not scan the path");
    let report = report::build(files, declarations);
    std::fs::write(output, html::render(&report, lang)).expect("could not write the HTML");
    if let Some(json) = flag("--json") {
        let text = serde_json::to_string_pretty(&report).expect("could not serialise the report");
        std::fs::write(json, text + "\n").expect("could not write the JSON");
    }
}
