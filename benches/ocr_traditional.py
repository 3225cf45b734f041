"""OCR of Traditional Chinese pages, and of the corpus's pictures of documents, with one or more
sets of OCR models: BENCHMARKS.md, "OCR", compares recognisers with it.

The Traditional pages are rendered here (the corpus has no picture of a Traditional document):
the text of the corpus's Traditional report (`下載.pdf`, read from labels.json) and a
pathology report written below (fictitious), each drawn in a CJK font from a Debian package
(fonts-droid-fallback: Droid Sans Fallback; or --font FILE; its letters and digits in DejaVu
Sans, fonts-dejavu-core, as Droid has none) as a clean page (PNG) and as a
photographed one (turned 1.5°, uneven light, blur, noise, JPEG q80; no EXIF).

Usage (needs Pillow: `pip install pillow`, in a virtual environment):
  cargo build --bin record-precheck && cargo xtask ocr-models
  python3 benches/ocr_traditional.py [--binary target/debug/record-precheck] [--corpus] \
      [--font FILE] MODELS_DIR...
Each MODELS_DIR is a folder of the model files `scan --ocr --ocr-models` reads. Prints per page
and models folder the seconds (the CLI on the file: loading the models included) and the
character error rate (CER) as tests/ocr.rs measures it."""

import argparse
import json
import random
import subprocess
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from ocr_references import CORPUS, chars, distance

ROOT = Path(__file__).resolve().parent.parent
FONT = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
LATIN = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

PATHOLOGY = """臺北仁和綜合醫院
病理檢驗報告
病理號 S2024-01873
姓名 陳美玲 性別 女 年齡 58歲 病歷號 A00871264
送檢日期 2024/03/05 報告日期 2024/03/11 送檢科別 一般外科
檢體 右側乳房部分切除及前哨淋巴結
肉眼檢查：送來組織一塊，大小 6.5 × 4.0 × 3.2 公分，切面見一灰白色硬塊，直徑 2.1 公分。
顯微鏡檢查：腫瘤細胞呈巢狀及條索狀浸潤，細胞核多形性明顯，可見核分裂。
病理診斷：右側乳房浸潤性管腺癌，組織學分級第二級，切緣未見腫瘤。
前哨淋巴結 0/2 轉移。
免疫組織化學染色：ER(陽性 90%)，PR(陽性 40%)，HER2(1+)，Ki-67(約 25%)。
病理醫師：黃建興 覆核醫師：蔡淑芬
臺北仁和綜合醫院 病理部"""


def texts():
    """(name, text) of each Traditional page."""
    labels = json.loads((CORPUS / "labels.json").read_text())
    report = next(e for e in labels if e["path"].endswith("下載.pdf"))["document"]["text"]
    return [("mri-report", report), ("pathology-report", PATHOLOGY)]


class Fonts:
    """A CJK font and a Latin one at one size: each character drawn in the one that has it."""

    def __init__(self, cjk, size):
        self.cjk = ImageFont.truetype(cjk, size)
        self.latin = ImageFont.truetype(LATIN, size)

    def runs(self, line):
        """The line as (text, font) runs."""
        out = []
        for c in line:
            font = self.latin if ord(c) < 0x2E80 else self.cjk
            if out and out[-1][1] is font:
                out[-1] = (out[-1][0] + c, font)
            else:
                out.append((c, font))
        return out

    def width(self, draw, line):
        return sum(draw.textlength(t, font=f) for t, f in self.runs(line))

    def draw(self, draw, x, y, line):
        for t, f in self.runs(line):
            draw.text((x, y), t, fill="black", font=f)
            x += draw.textlength(t, font=f)


def render(text, font_path):
    """A white A4-like page (1240 × 1754, 150 dpi) with the text in 28 px lines, the first
    three (the letterhead and title) larger and centred."""
    page = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(page)
    body, title = Fonts(font_path, 28), Fonts(font_path, 40)
    y = 100
    for n, line in enumerate(text.splitlines()):
        f = title if n < 3 else body
        # Long lines wrap at the margin, as a report's paragraphs do.
        while f.width(draw, line) > 1040:
            cut = len(line)
            while f.width(draw, line[:cut]) > 1040:
                cut -= 1
            f.draw(draw, 100, y, line[:cut])
            line, y = line[cut:], y + 46
        x = (1240 - f.width(draw, line)) / 2 if n < 3 else 100
        f.draw(draw, x, y, line)
        y += 64 if n < 3 else 46
    return page


def photographed(page, seed):
    """The page as a phone photo of it: turned a little, lit unevenly, blurred, noisy."""
    rng = random.Random(seed)
    page = page.rotate(1.5, resample=Image.BICUBIC, expand=True, fillcolor=(90, 80, 70))
    w, h = page.size
    light = Image.linear_gradient("L").resize((w, h)).point(lambda v: 255 - v // 4)
    page = Image.composite(page, Image.new("RGB", (w, h), (60, 55, 50)), light)
    page = page.filter(ImageFilter.GaussianBlur(0.8))
    noise = Image.effect_noise((w, h), 12).convert("RGB")
    page = Image.blend(page, noise, 0.06 + rng.random() * 0.02)
    return page


def read(binary, models, path):
    out = subprocess.run(
        [str(binary), "scan", "--ocr", "--ocr-models", str(models), "--json", "--with-text",
         str(path)],
        capture_output=True, text=True, check=True,
    ).stdout
    document = json.loads(out)["files"][0].get("document") or {}
    return document.get("text") or "", document


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--binary", default=str(ROOT / "target/debug/record-precheck"))
    args.add_argument("--font", default=FONT)
    args.add_argument("--corpus", action="store_true", help="the corpus's pictures too")
    args.add_argument("models", nargs="+")
    args = args.parse_args()
    out = ROOT / "target" / "ocr-traditional"
    out.mkdir(parents=True, exist_ok=True)
    pages = []
    for n, (name, text) in enumerate(texts()):
        clean = render(text, args.font)
        clean.save(out / f"{name}.png")
        photographed(clean, n).save(out / f"{name}-photo.jpg", quality=80)
        pages += [(out / f"{name}.png", text), (out / f"{name}-photo.jpg", text)]
    if args.corpus:
        labels = json.loads((CORPUS / "labels.json").read_text())
        pages += [(CORPUS / e["path"], e["document"]["text"])
                  for e in labels if e["subject"] == "document"]
    for models in args.models:
        errors = total = 0
        seconds = 0.0
        for path, text in pages:
            start = time.perf_counter()
            got, document = read(args.binary, models, path)
            took = time.perf_counter() - start
            truth = chars(text)
            d = distance(chars(got), truth)
            errors, total, seconds = errors + d, total + len(truth), seconds + took
            names = [p["name"] for p in document.get("patients", [])]
            print(f"{models}\t{path.name}\t{took:.2f} s\tCER {d / len(truth):.3f}\t"
                  f"{document.get('category')}\t{names}\t{document.get('language')}")
        print(f"{models}\tall {len(pages)}\t{seconds / len(pages):.2f} s a page\t"
              f"CER {errors / total:.3f}")


if __name__ == "__main__":
    main()
