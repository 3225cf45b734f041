"""The OCR engines BENCHMARKS.md compares, in one run, on the document pictures of
../shared/corpus-records: ours (`record-precheck scan --ocr`, the release binary: src/ocr,
PP-OCRv4 on tract), rapidocr (the same models on onnxruntime, Python) and tesseract (chi_sim+eng,
page segmentation with orientation detection: `--psm 1`).

Usage (BENCHMARKS.md, "OCR"): cargo build --release && cargo xtask ocr-models &&
python3 benches/ocr_references.py [record-precheck|rapidocr|tesseract]...
Ours is timed per file as the CLI runs (loading and planning the models included).
rapidocr needs `pip install rapidocr-onnxruntime`; tesseract `apt-get install tesseract-ocr-chi-sim`.
Prints per picture the seconds and the character error rate (CER) as tests/ocr.rs measures it:
Levenshtein distance over the NFKC characters without white space, divided by the label's count.
The image-only PDF's page is its one DCTDecode (JPEG) image, as src/ocr reads it."""

import json
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus-records"


def chars(text):
    return [c for c in unicodedata.normalize("NFKC", text) if not c.isspace()]


def distance(a, b):
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[len(b)]


def page_image(path, tmp):
    """The picture itself, or the JPEG inside an image-only PDF."""
    if path.suffix.lower() != ".pdf":
        return path
    data = path.read_bytes()
    m = re.search(rb"/DCTDecode.*?/Length (\d+).*?stream\r?\n", data, re.S)
    start = m.end()
    out = Path(tmp) / "page.jpg"
    out.write_bytes(data[start : start + int(m.group(1))])
    return out


def upright(image, tmp):
    """A PNG copy with the EXIF orientation applied (OpenCV's imread applies it; tesseract
    does not read EXIF)."""
    import cv2

    out = Path(tmp) / "upright.png"
    cv2.imwrite(str(out), cv2.imread(str(image)))
    return out


def rapidocr():
    from rapidocr_onnxruntime import RapidOCR

    engine = RapidOCR()

    def read(image):
        result, _ = engine(str(image))
        return "\n".join(r[1] for r in result or [])

    return read


def record_precheck(path):
    """The CLI on the file itself (it reads the PDF's page picture and the EXIF orientation)."""
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [str(root / "target/release/record-precheck"), "scan", "--ocr", "--ocr-models",
         str(root / "models/ocr"), "--json", "--with-text", str(path)],
        capture_output=True, text=True, check=True,
    ).stdout
    return json.loads(out)["files"][0]["document"].get("text") or ""


def tesseract(image):
    return subprocess.run(
        ["tesseract", str(image), "-", "-l", "chi_sim+eng", "--psm", "1"],
        capture_output=True, text=True, check=True,
    ).stdout


def main():
    engines = sys.argv[1:] or ["record-precheck", "rapidocr", "tesseract"]
    labels = json.loads((CORPUS / "labels.json").read_text())
    pictures = [e for e in labels if e["subject"] == "document"]
    for name in engines:
        read = {"rapidocr": rapidocr, "tesseract": lambda: tesseract}.get(name, lambda: record_precheck)()
        errors = total = 0
        seconds = 0.0
        with tempfile.TemporaryDirectory() as tmp:
            for e in pictures:
                image = CORPUS / e["path"]
                if name != "record-precheck":
                    image = page_image(image, tmp)
                if name == "tesseract":
                    image = upright(image, tmp)
                start = time.perf_counter()
                text = read(image)
                took = time.perf_counter() - start
                truth = chars(e["document"]["text"])
                d = distance(chars(text), truth)
                errors, total, seconds = errors + d, total + len(truth), seconds + took
                print(f"{name}\t{e['path']}\t{took:.2f} s\tCER {d / len(truth):.3f}")
        print(f"{name}\tall {len(pictures)}\t{seconds / len(pictures):.2f} s a page\tCER {errors / total:.3f}")


if __name__ == "__main__":
    main()
