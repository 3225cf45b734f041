#!/usr/bin/env python3
"""Reference for the documents benchmark: pypdf's extract_text (and python-docx for DOCX) over
the same files as benches/documents.rs, grouped the same way.

    python3 bench/pypdf_text.py --records ../shared/corpus-records \
        [--generated target/bench-data/documents] [--repeat 5]

Sets: the corpus's PDFs and DOCX files (by kind), the generated 200-page documents (one group
per file) and the generated short ones (by kind); text files are left out (Python's decode is
no reader to compare with). Every file is read into memory first; one pass over a group opens
each document from its bytes and takes the text of every page (pypdf `PdfReader(BytesIO(b))`,
`page.extract_text()`) or of every paragraph and table cell (python-docx); the median pass of
--repeat is reported, as documents/s and MB/s, with the characters of text found (so a reader
that finds less is not flattered). Prints one line per group, then one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import sys
import time

import docx
import pypdf


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n\n".join(page.extract_text() or "" for page in reader.pages)


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(parts)


READERS = {".pdf": ("pdf", pdf_text), ".docx": ("docx", docx_text)}


def collect(root: str) -> list[tuple[str, str, bytes]]:
    """(path relative to root, kind, bytes) of every PDF and DOCX under root, sorted."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            ext = os.path.splitext(name)[1].lower()
            if ext in READERS:
                path = os.path.join(dirpath, name)
                with open(path, "rb") as f:
                    out.append((os.path.relpath(path, root), READERS[ext][0], f.read()))
    return out


def groups(set_name: str, root: str, per_file: bool) -> list[tuple[str, list]]:
    out: dict[str, list] = {}
    for rel, kind, data in collect(root):
        out.setdefault(f"{set_name}/{rel if per_file else kind}", []).append((rel, kind, data))
    return list(out.items())


def run(name: str, docs: list, repeat: int) -> dict:
    size = sum(len(d) for _, _, d in docs)
    times, chars, failed = [], 0, []
    for i in range(repeat):
        started = time.perf_counter()
        found = 0
        for rel, kind, data in docs:
            try:
                found += len(READERS["." + kind][1](data))
            except Exception as e:  # a reference that fails on a file says so and goes on
                if i == 0:
                    failed.append(f"{rel}: {type(e).__name__}: {e}")
        times.append(time.perf_counter() - started)
        chars = found
    median = statistics.median(times)
    row = {
        "group": name,
        "documents": len(docs),
        "bytes": size,
        "median_s": median,
        "documents_per_s": len(docs) / median,
        "mb_per_s": size / 1e6 / median,
        "characters": chars,
        "failed": failed,
    }
    print(
        f"pypdf_text: {name:<32} {len(docs):>4} docs {size / 1e6:>6.2f} MB  "
        f"median {median * 1e3:>9.1f} ms  {row['documents_per_s']:>8.1f} docs/s  "
        f"{row['mb_per_s']:>6.2f} MB/s  {chars} chars" + (f"  failed: {failed}" if failed else ""),
        file=sys.stderr,
    )
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", required=True)
    ap.add_argument("--generated")
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    todo = groups("corpus-records", a.records, False)
    if a.generated and os.path.isdir(a.generated):
        todo += groups("long", os.path.join(a.generated, "long"), True)
        todo += groups("many", os.path.join(a.generated, "many"), False)
    rows = [run(name, docs, a.repeat) for name, docs in todo]
    print(json.dumps({
        "python": platform.python_version(),
        "pypdf": pypdf.__version__,
        "repeat": a.repeat,
        "groups": rows,
    }, indent=1))


if __name__ == "__main__":
    main()
