#!/usr/bin/env python3
"""pydicom baseline: read the DICOM headers (no pixel data) of every file in a tree.

    python3 bench/pydicom_headers.py DIR [--repeat 3] [--evict-first]

Each run walks DIR recursively (skipping DICOMDIR), calls
pydicom.dcmread(path, stop_before_pixels=True) on every file and converts
PatientName, StudyInstanceUID, SeriesInstanceUID, SOPInstanceUID,
InstanceNumber and Modality to Python values (pydicom parses element values
lazily, so merely reading would flatter it).  The walk is inside the timed
region.  Runs are back to back in one process; the page cache is warm from
run 2 on (and for run 1 too, unless the data was evicted, e.g. by
--evict-first, since generating the data leaves it cached).

--evict-first asks the kernel to drop DIR's files from the page cache
(posix_fadvise DONTNEED, after fsync) before run 1 so that run 1 is "cold"
as far as this VM's page cache goes (a host-side cache may still serve it).
No root needed and nothing outside DIR is affected.

Prints one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time

import pydicom


def list_files(root: str) -> list[str]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if name.upper() == "DICOMDIR":
                continue
            out.append(os.path.join(dirpath, name))
    return out


def evict(paths: list[str]) -> None:
    for p in paths:
        fd = os.open(p, os.O_RDONLY)
        try:
            os.fsync(fd)  # dirty pages cannot be dropped
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def one_run(root: str) -> tuple[float, int, int, int]:
    t0 = time.perf_counter()
    paths = list_files(root)
    studies, series = set(), set()
    chars = 0
    for p in paths:
        ds = pydicom.dcmread(p, stop_before_pixels=True)
        name = str(ds.PatientName)
        study = str(ds.StudyInstanceUID)
        ser = str(ds.SeriesInstanceUID)
        sop = str(ds.SOPInstanceUID)
        num = int(ds.InstanceNumber)
        mod = str(ds.Modality)
        studies.add(study)
        series.add(ser)
        chars += len(name) + len(sop) + len(mod) + num  # keep results alive
    dt = time.perf_counter() - t0
    return dt, len(paths), len(studies), len(series)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="pydicom header-read baseline")
    ap.add_argument("dir")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--evict-first", action="store_true",
                    help="drop DIR's files from the page cache before run 1")
    args = ap.parse_args(argv)
    if not os.path.isdir(args.dir):
        ap.error(f"not a directory: {args.dir}")
    if args.repeat < 1:
        ap.error("--repeat must be >= 1")

    if args.evict_first:
        evict(list_files(args.dir))

    runs, n, n_studies, n_series = [], 0, 0, 0
    for _ in range(args.repeat):
        dt, n, n_studies, n_series = one_run(args.dir)
        runs.append(round(dt, 4))
    med = statistics.median(runs)
    print(json.dumps({
        "tool": "pydicom",
        "version": pydicom.__version__,
        "files": n,
        "seconds_median": round(med, 4),
        "files_per_s": round(n / med, 1) if med > 0 else None,
        "runs": runs,
        "first_run_cold": bool(args.evict_first),
        "studies": n_studies,
        "series": n_series,
        "python": platform.python_version(),
        "dir": os.path.abspath(args.dir),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
