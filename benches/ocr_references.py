"""The OCR engines BENCHMARKS.md compares with ours, on the document pictures of
../shared/corpus-records: rapidocr (PP-OCRv4 on onnxruntime, Python) and tesseract (chi_sim+eng, page segmentation with
orientation detection: `--psm 1`).

Usage (BENCHMARKS.md, "OCR"): python3 benches/ocr_references.py [rapidocr|tesseract]...
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


def tesseract(image):
    return subprocess.run(
        ["tesseract", str(image), "-", "-l", "chi_sim+eng", "--psm", "1"],
        capture_output=True, text=True, check=True,
    ).stdout


def main():
    engines = sys.argv[1:] or ["rapidocr", "tesseract"]
    labels = json.loads((CORPUS / "labels.json").read_text())
    pictures = [e for e in labels if e["subject"] == "document"]
    for name in engines:
        read = rapidocr() if name == "rapidocr" else tesseract
        errors = total = 0
        seconds = 0.0
        with tempfile.TemporaryDirectory() as tmp:
            for e in pictures:
                image = page_image(CORPUS / e["path"], tmp)
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


main()
