#!/usr/bin/env python3
"""Generates the larger document set of the documents benchmark (`cargo xtask bench`).

    python3 bench/gen_documents.py --out target/bench-data/documents [--pages 200] [--many 100] [--seed 1]

Writes, all made up (names, numbers, hospitals) and the same for the same seed:

  long/long-cid.pdf       PAGES pages of Chinese record text set in reportlab's STSong-Light, a
                          predefined CID font that is not embedded (UniGB-UCS2-H: the reader maps
                          codes through the predefined CMap);
  long/long-embedded.pdf  the same text in a CJK TrueType font embedded as subsets with ToUnicode
                          maps (what "print to PDF" and hospital systems write); only when such a
                          font is installed (fc-list :lang=zh-cn, each checked for Chinese
                          glyphs; Debian: fonts-droid-fallback);
  long/long.docx          the same text with python-docx (paragraphs and a table per page);
  long/long.txt           the same text, GB18030;
  many/                   MANY short records (1-3 pages): 60% PDFs (both fonts when there), 20% DOCX,
                          20% text files in UTF-8 or GB18030 — the per-document cost.

Needs reportlab and python-docx (`cargo xtask bench` installs them with pip). The text is built
from generic hospital wording, not from any corpus file.
"""

import argparse
import datetime
import os
import random
import shutil
import subprocess
import sys

from docx import Document
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰海燕晓东春梅文雪"
CITIES = ["北京", "上海", "广州", "杭州", "成都", "武汉", "南京", "西安", "长沙", "沈阳"]
HOSPITAL_KINDS = ["第一人民医院", "中心医院", "肿瘤医院", "大学附属医院", "中医院"]
TITLES = [
    "出院记录", "入院记录", "门诊病历", "诊断证明书", "影像诊断报告", "病理诊断报告",
    "检验报告单", "手术记录", "化疗记录", "基因检测报告", "会诊申请单", "用药记录",
]
PHRASES = [
    "患者自述近期乏力，食欲减退，体重下降约三公斤。",
    "查体：神志清楚，精神可，双肺呼吸音清，未闻及干湿性啰音。",
    "心率规则，各瓣膜听诊区未闻及病理性杂音。",
    "腹软，无压痛及反跳痛，肝脾肋下未触及。",
    "增强扫描示病灶不均匀强化，边界欠清，周围可见毛刺。",
    "纵隔及双侧肺门未见明显肿大淋巴结。",
    "镜下所见：肿瘤细胞呈腺管状排列，核大深染，可见核分裂象。",
    "免疫组化：CK7（+），TTF-1（+），Napsin A（+），Ki-67 约30%。",
    "术后恢复顺利，切口愈合良好，予以出院。",
    "出院医嘱：注意休息，定期复查血常规及肝肾功能，门诊随访。",
    "化疗方案：培美曲塞联合卡铂，每三周一次，共四个周期。",
    "既往史：否认高血压、糖尿病病史，否认药物过敏史。",
    "诊断意见：考虑恶性肿瘤可能性大，建议结合临床及病理检查。",
    "建议进一步行PET-CT检查以评估全身情况。",
    "EGFR基因第19外显子缺失突变阳性，ALK融合阴性，PD-L1 TPS 约20%。",
    "申请会诊目的：明确诊断并制定下一步治疗方案。",
]
MARKERS = [
    ("CEA", "癌胚抗原", "ng/mL", 0, 5), ("AFP", "甲胎蛋白", "ng/mL", 0, 7),
    ("CA125", "糖类抗原125", "U/mL", 0, 35), ("CA19-9", "糖类抗原19-9", "U/mL", 0, 37),
    ("CA15-3", "糖类抗原15-3", "U/mL", 0, 25), ("CYFRA21-1", "细胞角蛋白19片段", "ng/mL", 0, 3.3),
    ("NSE", "神经元特异性烯醇化酶", "ng/mL", 0, 16.3), ("WBC", "白细胞计数", "10^9/L", 3.5, 9.5),
    ("HGB", "血红蛋白", "g/L", 115, 150), ("PLT", "血小板计数", "10^9/L", 125, 350),
]


def person(rng):
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))
    return name, rng.choice(["男", "女"]), rng.randint(28, 82)


def day(rng):
    return datetime.date(2021, 1, 1) + datetime.timedelta(days=rng.randint(0, 1400))


def record_lines(rng, page):
    """One page of a made-up record: a heading block, prose, a lab table."""
    name, sex, age = person(rng)
    hospital = rng.choice(CITIES) + "市" + rng.choice(HOSPITAL_KINDS)
    d = day(rng)
    lines = [
        f"{hospital}  {rng.choice(TITLES)}",
        f"姓名：{name}  性别：{sex}  年龄：{age}岁  住院号：{rng.randint(100000, 999999)}",
        f"日期：{d.year}年{d.month}月{d.day}日  科室：{rng.choice(['胸外科', '肿瘤内科', '放射科', '病理科', '检验科'])}  第{page + 1}页",
        "",
    ]
    for _ in range(rng.randint(8, 14)):
        lines.append(rng.choice(PHRASES))
    lines.append("")
    lines.append("项目  结果  单位  参考范围")
    for code, local, unit, lo, hi in rng.sample(MARKERS, 6):
        value = round(rng.uniform(lo * 0.5, hi * 1.8), 1)
        lines.append(f"{local}({code})  {value}  {unit}  {lo}-{hi}")
    lines.append("")
    lines.append(f"报告医师：{person(rng)[0]}  审核医师：{person(rng)[0]}  报告日期：{d.isoformat()}")
    return lines


def cjk_ttf():
    """A TrueType font installed here with Chinese glyphs (reportlab embeds TrueType, not
    CFF/OTC), or None. fc-match falls back to a Latin font, so each candidate is checked."""
    candidates = []
    if shutil.which("fc-list"):
        out = subprocess.run(
            ["fc-list", ":lang=zh-cn", "-f", "%{file}\\n"], capture_output=True, text=True, check=False
        ).stdout
        candidates += sorted(out.split())
    candidates += [
        "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttf",
    ]
    for path in candidates:
        if not (path.lower().endswith(".ttf") and os.path.isfile(path)):
            continue
        try:
            if ord("中") in TTFont("probe", path).face.charToGlyph:
                return path
        except Exception:  # a font reportlab cannot read: try the next
            continue
    return None


def write_pdf(path, pages, font):
    c = canvas.Canvas(path, pagesize=A4, invariant=1)  # invariant: no dates, same bytes
    width, height = A4
    for lines in pages:
        y = height - 60
        for line in lines:
            c.setFont(font, 14 if y == height - 60 else 10.5)
            c.drawString(50, y, line)
            y -= 17
        c.showPage()
    c.save()


def write_docx(path, pages):
    doc = Document()
    for i, lines in enumerate(pages):
        doc.add_heading(lines[0], level=1)
        table_at = lines.index("项目  结果  单位  参考范围")
        for line in lines[1:table_at]:
            doc.add_paragraph(line)
        rows = [l.split("  ") for l in lines[table_at:] if l.count("  ") == 3]
        table = doc.add_table(rows=len(rows), cols=4)
        for r, cells in enumerate(rows):
            for k, cell in enumerate(cells):
                table.cell(r, k).text = cell
        doc.add_paragraph(lines[-1])
        if i + 1 < len(pages):
            doc.add_page_break()
    doc.core_properties.created = datetime.datetime(2024, 1, 1)
    doc.save(path)


def write_txt(path, pages, encoding):
    with open(path, "w", encoding=encoding, newline="\n") as f:
        f.write("\n\n".join("\n".join(lines) for lines in pages))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--many", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    fonts = []
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    fonts.append(("cid", "STSong-Light"))
    ttf = cjk_ttf()
    if ttf:
        pdfmetrics.registerFont(TTFont("BenchCJK", ttf))
        fonts.append(("embedded", "BenchCJK"))
    else:
        print("gen_documents: no CJK TrueType font found: long-embedded.pdf and embedded-font "
              "PDFs are not made", file=sys.stderr)

    long_dir = os.path.join(a.out, "long")
    many_dir = os.path.join(a.out, "many")
    os.makedirs(long_dir, exist_ok=True)
    os.makedirs(many_dir, exist_ok=True)
    pages = [record_lines(rng, p) for p in range(a.pages)]
    for label, font in fonts:
        write_pdf(os.path.join(long_dir, f"long-{label}.pdf"), pages, font)
    write_docx(os.path.join(long_dir, "long.docx"), pages)
    write_txt(os.path.join(long_dir, "long.txt"), pages, "gb18030")

    for i in range(a.many):
        doc = [record_lines(rng, p) for p in range(rng.randint(1, 3))]
        r = i % 10
        if r < 6:
            label, font = fonts[i % len(fonts)]
            write_pdf(os.path.join(many_dir, f"record-{i:03}-{label}.pdf"), doc, font)
        elif r < 8:
            write_docx(os.path.join(many_dir, f"record-{i:03}.docx"), doc)
        else:
            enc = "utf-8" if r == 8 else "gb18030"
            write_txt(os.path.join(many_dir, f"record-{i:03}-{enc}.txt"), doc, enc)

    total = sum(os.path.getsize(os.path.join(d, f)) for d in (long_dir, many_dir) for f in os.listdir(d))
    print(f"gen_documents: {a.pages}-page documents in {long_dir}, {a.many} short ones in "
          f"{many_dir}; {total / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
