#!/usr/bin/env python3
"""Generate a hospital-CD-like CT study for benchmarking DICOM header readers.

Layout (as burned on an ISO 9660 patient CD)::

    OUT/DICOMDIR
    OUT/IMAGES/SER00001/IM000001      <- localizer (scout) series, 2 images
    OUT/IMAGES/SER00002/IM000001 ...  <- thin-slice axial series, ~500 images each
    ...

Every image is a CT Image Storage Part 10 file (128-byte preamble, "DICM",
explicit VR little endian file meta and data set) with a header such as a
GE-like scanner writes it (standard attributes, GE private blocks, a few
short sequences, a PACS-added private block stored as UN) followed by
512x512x16-bit native Pixel Data (~0.5 MB).  Pixel Data is generated once
per series and reused, so generation cost is dominated by disk writes.

The series of the scanner use SpecificCharacterSet "ISO_IR 192" and the
patient name "Wang^XiaoDong=王^小东"; when there are >= 2 axial series the
last one (sent from a post-processing workstation) is plain ASCII without
SpecificCharacterSet and name "Wang^XiaoDong".

The DICOMDIR is written with pydicom.fileset.FileSet and references every
image with its real File ID (IMAGES\\SER0000n\\IM00000m).

Output is byte-for-byte deterministic for a given --seed and --files.
~36 s for 2000 files on 2 cores; about half of it is pydicom's FileSet.add,
which is O(n^2) in the number of instances, so 10k+ files get slow.
Requires pydicom >= 3 (numpy not needed).

Usage:
    python3 bench/gen_cd_study.py [--out /work/bench-data/cd-ct] [--files 2000] [--seed 1]
"""

from __future__ import annotations

import argparse
import calendar
import array
import datetime as dt
import io
import math
import os
import random
import shutil
import struct
import sys
import time
from pathlib import Path

import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.fileset import FileSet
from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian, generate_uid

ROWS = COLS = 512
SERIES_SIZE = 500  # target images per axial series
N_LOCALIZER = 2
IMPLEMENTATION_CLASS_UID = "1.2.840.113619.6.374"  # GE-style implementation UID
IMPLEMENTATION_VERSION = "REVOCT_22MW"
DICOMDIR_NAME = "DICOMDIR"

# Per axial series: (description, kernel, thickness mm, window center, width)
AXIAL_KINDS = [
    ("Chest 0.625mm STND", "STANDARD", 0.625, 40, 400),
    ("Chest 0.625mm LUNG", "LUNG", 0.625, -600, 1500),
    ("Chest 0.625mm BONE", "BONEPLUS", 0.625, 500, 2000),
    ("Chest 1.25mm SOFT", "SOFT", 1.25, 40, 350),
]


class Gen:
    def __init__(self, seed: int):
        self.seed = seed
        self.rng = random.Random(seed)

    def uid(self, *parts: object) -> str:
        """Deterministic UID (pydicom root + hash of seed and parts)."""
        return generate_uid(entropy_srcs=[f"gen_cd_study/{self.seed}", *map(str, parts)])


# ---------------------------------------------------------------- pixel data
def make_pixels(rng: random.Random, localizer: bool) -> bytes:
    """A cheap 512x512 uint16 'phantom' (stored values 0..4095, HU = v-1024).

    Air outside an elliptical body, soft tissue with noise inside, two
    darker lung ellipses (axial) or a brighter spine band (scout).
    """
    vals = array.array("H", bytes(ROWS * COLS * 2))
    noise = rng.randbytes(ROWS * COLS)
    cx, cy = 256, 262
    a, b = (230, 250) if localizer else (215, 160)
    for y in range(ROWS):
        dy = (y - cy) / b
        if abs(dy) >= 1.0:
            continue
        half = int(a * math.sqrt(1.0 - dy * dy))
        row = y * COLS
        for x in range(max(0, cx - half), min(COLS, cx + half)):
            n = noise[row + x]
            if localizer:
                v = 1024 + 300 - abs(x - cx) + (n & 31)  # thicker in the middle
                if abs(x - cx) < 18:
                    v += 600  # spine
            else:
                lx = (abs(x - cx) - 95) / 70.0
                ly = (y - cy + 10) / 110.0
                if lx * lx + ly * ly < 1.0:
                    v = 1024 - 850 + (n & 63)  # lung ~ -850 HU
                else:
                    v = 1024 + 40 + (n & 31) - 16  # soft tissue ~ 40 HU
            vals[row + x] = v
    if sys.byteorder != "little":
        vals.byteswap()
    return vals.tobytes()


# ------------------------------------------------------------ header content
def fmt_time(t: dt.datetime) -> str:
    return t.strftime("%H%M%S") + f".{t.microsecond // 1000:03d}"


def ds_str(x: float) -> str:
    """Format a DS value the way scanners do (short, no exponent)."""
    s = f"{x:.6f}".rstrip("0").rstrip(".")
    return "0" if s == "-0" else s


def build_series_template(g: Gen, study: dict, ser: dict) -> Dataset:
    """Everything that is constant within one series."""
    utf8 = ser["utf8"]
    ds = Dataset()
    if utf8:
        ds.SpecificCharacterSet = "ISO_IR 192"
    loc = ser["localizer"]
    ds.ImageType = ["ORIGINAL", "PRIMARY", "LOCALIZER" if loc else "AXIAL"]
    ds.InstanceCreationDate = study["date"]
    ds.SOPClassUID = CTImageStorage
    ds.StudyDate = study["date"]
    ds.SeriesDate = study["date"]
    ds.AcquisitionDate = study["date"]
    ds.ContentDate = study["date"]
    ds.StudyTime = fmt_time(study["t0"])
    ds.SeriesTime = fmt_time(ser["t0"])
    ds.AccessionNumber = study["accession"]
    ds.Modality = "CT"
    ds.Manufacturer = "GE MEDICAL SYSTEMS"
    ds.InstitutionName = "XINGHE DISTRICT PEOPLES HOSPITAL"
    ds.InstitutionAddress = "88 Jianshe Road, Xinghe District"
    ds.ReferringPhysicianName = "Li^Ming=李^明" if utf8 else "Li^Ming"
    ds.StationName = "CTAWP84512"
    ds.StudyDescription = "CT CHEST WITHOUT CONTRAST"
    pc = Dataset()
    pc.CodeValue = "CTCHEST"
    pc.CodingSchemeDesignator = "99XHPH"
    pc.CodeMeaning = "CT Chest without contrast"
    ds.ProcedureCodeSequence = [pc]
    ds.SeriesDescription = ser["desc"]
    ds.InstitutionalDepartmentName = "RADIOLOGY"
    ds.OperatorsName = "ZHANG^WEI"
    ds.ManufacturerModelName = "Revolution CT"
    if not loc and study["localizer_sops"]:
        refs = []
        for sop in study["localizer_sops"]:
            r = Dataset()
            r.ReferencedSOPClassUID = CTImageStorage
            r.ReferencedSOPInstanceUID = sop
            refs.append(r)
        ds.ReferencedImageSequence = refs
    ds.PatientName = "Wang^XiaoDong=王^小东" if utf8 else "Wang^XiaoDong"
    ds.PatientID = study["patient_id"]
    ds.PatientBirthDate = study["birth"]
    ds.PatientSex = "M"
    ds.PatientAge = study["age"]
    ds.PatientWeight = "72"
    ds.AdditionalPatientHistory = "Cough 2 weeks, r/o pneumonia"
    ds.ContrastBolusAgent = ""
    ds.BodyPartExamined = "CHEST"
    ds.ScanOptions = "SCOUT MODE" if loc else "HELICAL MODE"
    ds.SliceThickness = ds_str(ser["thick"])
    ds.KVP = "120"
    if not loc:
        ds.SpacingBetweenSlices = ds_str(ser["thick"])
    ds.DataCollectionDiameter = "500"
    ds.SoftwareVersions = "revo_ct_22mw.40"
    ds.ProtocolName = "5.1 CHEST ROUTINE"
    ds.ReconstructionDiameter = ds_str(ser["dfov"])
    ds.DistanceSourceToDetector = "1097.61"
    ds.DistanceSourceToPatient = "625.6"
    ds.GantryDetectorTilt = "0"
    ds.TableHeight = "151.5"
    ds.RotationDirection = "CW"
    ds.ExposureTime = "2620" if loc else "500"
    ds.XRayTubeCurrent = 10 if loc else 265
    ds.Exposure = 26 if loc else 132
    ds.FilterType = "BODY FILTER"
    ds.GeneratorPower = 31800
    ds.FocalSpots = "0.7"
    ds.ConvolutionKernel = ser["kernel"]
    ds.PatientPosition = "HFS"
    if not loc:
        ds.RevolutionTime = 0.5
        ds.SingleCollimationWidth = 0.625
        ds.TotalCollimationWidth = 40.0
        ds.TableSpeed = 79.375
        ds.TableFeedPerRotation = 39.688
        ds.SpiralPitchFactor = 0.992
        ds.CTDIvol = 6.83
        ph = Dataset()
        ph.CodeValue = "113691"
        ph.CodingSchemeDesignator = "DCM"
        ph.CodeMeaning = "IEC Body Dosimetry Phantom"
        ds.CTDIPhantomTypeCodeSequence = [ph]
    ds.StudyInstanceUID = study["study_uid"]
    ds.SeriesInstanceUID = ser["uid"]
    ds.StudyID = study["study_id"]
    ds.SeriesNumber = ser["number"]
    ds.AcquisitionNumber = 1
    ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]  # per-image for scouts
    ds.FrameOfReferenceUID = study["for_uid"]
    ds.PositionReferenceIndicator = "SN"
    ds.ImagesInAcquisition = ser["count"]
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows = ROWS
    ds.Columns = COLS
    ps = ds_str(ser["dfov"] / COLS)
    ds.PixelSpacing = [ps, ps]
    ds.BitsAllocated = 16
    ds.BitsStored = 12
    ds.HighBit = 11
    ds.PixelRepresentation = 0
    ds.PixelPaddingValue = 0
    ds.WindowCenter = str(ser["wc"])
    ds.WindowWidth = str(ser["ww"])
    ds.RescaleIntercept = "-1024"
    ds.RescaleSlope = "1"
    ds.RescaleType = "HU"
    ds.LossyImageCompression = "00"
    ra = Dataset()
    ra.RequestedProcedureDescription = "CT CHEST"
    ra.ScheduledProcedureStepID = study["accession"]
    ra.RequestedProcedureID = study["accession"]
    ds.RequestAttributesSequence = [ra]
    ds.PerformedProcedureStepStartDate = study["date"]
    ds.PerformedProcedureStepStartTime = fmt_time(study["t0"])
    ds.PerformedProcedureStepID = "PPS" + study["accession"][-6:]
    ds.PerformedProcedureStepDescription = "CT CHEST"

    # --- GE private blocks (explicit VR, as the scanner writes them)
    b = ds.private_block(0x0009, "GEMS_IDEN_01", create=True)
    b.add_new(0x01, "LO", "CT_LIGHTSPEED")
    b.add_new(0x02, "SH", "CT01")
    b.add_new(0x04, "SH", "Revolution CT")
    b.add_new(0x27, "SL", 0)  # per image
    b.add_new(0xE3, "UI", g.uid("equip"))
    b = ds.private_block(0x0019, "GEMS_ACQU_01", create=True)
    for off, vr, val in [
        (0x02, "SL", 912), (0x03, "DS", "33.3"), (0x04, "DS", "1.0239"),
        (0x0F, "DS", "1342.5"), (0x11, "SS", 2), (0x18, "LO", "S"),
        (0x1A, "LO", "I"), (0x23, "DS", "79.375"), (0x24, "DS", "0.25"),
        (0x25, "SS", 1), (0x26, "SL", 360), (0x27, "DS", "0.5"),
        (0x2C, "SL", 984), (0x2E, "DS", "188.6"), (0x2F, "DS", "1968"),
        (0x39, "SS", 16384), (0x42, "SS", 0), (0x43, "SS", 0),
        (0x47, "SS", 1), (0x52, "SS", 0), (0x6A, "SS", 2), (0xDA, "SS", 0),
        (0xF9, "DS", "0.0"),
    ]:
        b.add_new(off, vr, val)
    b = ds.private_block(0x0021, "GEMS_RELA_01", create=True)
    b.add_new(0x03, "SS", 1)
    b.add_new(0x35, "SS", 1)
    b.add_new(0x36, "SS", 0)
    b.add_new(0x4A, "LO", "")
    b.add_new(0x91, "DS", "0")
    b = ds.private_block(0x0023, "GEMS_STDY_01", create=True)
    b.add_new(0x70, "FD", 1.0)
    b.add_new(0x74, "SL", 1)
    b.add_new(0x7D, "SS", 0)
    b = ds.private_block(0x0027, "GEMS_IMAG_01", create=True)
    b.add_new(0x10, "SS", 0)
    b.add_new(0x1C, "SL", 0)
    b.add_new(0x1E, "SL", 0)
    b.add_new(0x1F, "SL", 0)
    b.add_new(0x20, "SS", 0)
    b.add_new(0x35, "SS", 2)
    for off in (0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x4B, 0x4C, 0x4D, 0x50, 0x51):
        b.add_new(off, "FL", 0.0)  # 0x44 / 0x50 / 0x51 set per image
    b = ds.private_block(0x0043, "GEMS_PARM_01", create=True)
    for off, vr, val in [
        (0x10, "US", 0), (0x11, "US", 984), (0x12, "SS", [14, 1, 3]),
        (0x16, "SS", 0), (0x1E, "DS", "0.0"), (0x1F, "SL", 0), (0x21, "SS", 0),
        (0x25, "SS", [0, 0, 0, 0, 0, 0]), (0x26, "US", [0, 0, 0, 0, 0, 0]),
        (0x28, "OB", bytes(range(32, 32 + 80))), (0x2B, "SS", [4, 0, 0, 0]),
        (0x31, "DS", ["-0.5", "12.5"]), (0x40, "FL", 8.0), (0x41, "FL", 0.0),
        (0x42, "SL", [0, 0, 0, 0]), (0x4B, "SL", 0), (0x64, "CS", "ASIR_V"),
        (0x65, "US", 40),
    ]:
        b.add_new(off, vr, val)
    # --- blocks added by the hospital PACS on export: stored as UN
    b = ds.private_block(0x0903, "GEIIS PACS", create=True)
    b.add_new(0x10, "UN", struct.pack("<H", 0) + b"")
    b.add_new(0x11, "UN", struct.pack("<H", 0))
    b.add_new(0x12, "UN", b"PACS_EXPORT_CD\x20\x20")
    b = ds.private_block(0x0905, "GEIIS", create=True)
    b.add_new(0x30, "UN", g.uid("pacs-object").encode("ascii").ljust(64, b"\0")[:64])
    b = ds.private_block(0x7FD1, "GEIIS", create=True)
    b.add_new(0x10, "UL", 0)
    return ds


# ---------------------------------------------------------------- writing
PIXEL_TAG_OW = struct.pack("<HH2sH", 0x7FE0, 0x0010, b"OW", 0)


def encode_header(ds: Dataset) -> bytes:
    """Preamble + DICM + file meta + data set (no Pixel Data)."""
    bio = io.BytesIO()
    try:
        pydicom.dcmwrite(bio, ds, enforce_file_format=True)  # pydicom >= 3
    except TypeError:  # pragma: no cover - pydicom 2.x
        pydicom.dcmwrite(bio, ds, write_like_original=False)
    return bio.getvalue()


def plan_series(n_files: int) -> list[tuple[bool, int]]:
    """[(is_localizer, count), ...] summing to n_files."""
    n_loc = min(N_LOCALIZER, n_files)
    plan = [(True, n_loc)] if n_loc else []
    rest = n_files - n_loc
    if rest > 0:
        k = max(1, round(rest / SERIES_SIZE))
        plan += [(False, rest // k + (1 if i < rest % k else 0)) for i in range(k)]
    return plan


def prepare_out(out: Path, force: bool) -> None:
    if out.exists():
        entries = {p.name for p in out.iterdir()}
        ours = entries <= {DICOMDIR_NAME, "IMAGES"} or all(
            e in {DICOMDIR_NAME, "IMAGES"} or e.startswith("PT") for e in entries
        )
        if entries and not (ours or force):
            sys.exit(f"error: {out} is not empty and does not look like a previous "
                     f"output ({sorted(entries)[:5]}); use --force to wipe it")
        for e in entries:
            p = out / e
            shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink()
    out.mkdir(parents=True, exist_ok=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default="/work/bench-data/cd-ct", type=Path)
    ap.add_argument("--files", default=2000, type=int)
    ap.add_argument("--seed", default=1, type=int)
    ap.add_argument("--force", action="store_true",
                    help="wipe --out even if it does not look like a previous output")
    args = ap.parse_args(argv)
    if args.files < 1:
        ap.error("--files must be >= 1")
    out: Path = args.out.resolve()
    t_start = time.perf_counter()
    prepare_out(out, args.force)

    g = Gen(args.seed)
    rng = g.rng
    day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(700))
    t0 = dt.datetime.combine(day, dt.time(8, 0)) + dt.timedelta(seconds=rng.randrange(9 * 3600))
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(40 * 365))
    age = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
    plan = plan_series(args.files)
    study = {
        "date": day.strftime("%Y%m%d"),
        "t0": t0,
        "birth": birth.strftime("%Y%m%d"),
        "age": f"{age:03d}Y",
        "patient_id": f"{rng.randrange(10**9):09d}",
        "accession": f"CT{day:%Y%m%d}{rng.randrange(10**4):04d}",
        "study_id": str(rng.randrange(10**4, 10**5)),
        "study_uid": g.uid("study"),
        "for_uid": g.uid("frame-of-reference"),
        "localizer_sops": [g.uid("sop", 1, i + 1) for i in range(plan[0][1])] if plan[0][0] else [],
    }
    n_axial = sum(1 for loc, _ in plan if not loc)

    fs = FileSet()
    fs.UID = g.uid("fileset")
    file_ids: dict[str, list[str]] = {}
    header_lens: list[int] = []
    total_bytes = 0
    axial_idx = 0
    z_top = 40.0 + rng.randrange(100) / 8  # mm, slightly above the lung apex
    for s_idx, (loc, count) in enumerate(plan, start=1):
        if loc:
            desc, kernel, thick, wc, ww = ("Scout", "STANDARD", 0.625, 40, 400)
            utf8 = True
        else:
            desc, kernel, thick, wc, ww = AXIAL_KINDS[axial_idx % len(AXIAL_KINDS)]
            axial_idx += 1
            # the last axial series comes from a workstation that writes ASCII only
            utf8 = not (n_axial >= 2 and axial_idx == n_axial)
        ser = {
            "localizer": loc, "number": s_idx, "count": count,
            "desc": desc, "kernel": kernel, "thick": thick, "wc": wc, "ww": ww,
            "dfov": 500.0 if loc else 360.0, "utf8": utf8,
            "uid": g.uid("series", s_idx),
            "t0": t0 + dt.timedelta(seconds=60 + 25 * s_idx),
        }
        ds = build_series_template(g, study, ser)
        ds.file_meta = FileMetaDataset()
        ds.file_meta.MediaStorageSOPClassUID = CTImageStorage
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.file_meta.ImplementationClassUID = IMPLEMENTATION_CLASS_UID
        ds.file_meta.ImplementationVersionName = IMPLEMENTATION_VERSION
        ds.file_meta.SourceApplicationEntityTitle = "XHPH_PACS"
        pixels = make_pixels(random.Random(f"{args.seed}/px/{s_idx}"), loc)
        pix_elem = PIXEL_TAG_OW + struct.pack("<I", len(pixels))
        ser_dir = out / "IMAGES" / f"SER{s_idx:05d}"
        ser_dir.mkdir(parents=True)
        iden = ds.private_block(0x0009, "GEMS_IDEN_01")
        imag = ds.private_block(0x0027, "GEMS_IMAG_01")
        ps = ser["dfov"] / COLS
        for i in range(1, count + 1):
            sop = g.uid("sop", s_idx, i)
            ta = ser["t0"] + dt.timedelta(milliseconds=(2620 * (i - 1)) if loc else 6 * (i - 1))
            ds.file_meta.MediaStorageSOPInstanceUID = sop
            ds.SOPInstanceUID = sop
            ds.InstanceCreationTime = fmt_time(ta + dt.timedelta(seconds=4))
            ds.AcquisitionTime = fmt_time(ta)
            ds.ContentTime = fmt_time(ta + dt.timedelta(seconds=3))
            ds.InstanceNumber = i
            if loc:
                lateral = i % 2 == 0
                ds.ImageOrientationPatient = [0, 1, 0, 0, 0, -1] if lateral else [1, 0, 0, 0, 0, -1]
                edge = ds_str(-250 + ps / 2)
                ds.ImagePositionPatient = (["0", edge, ds_str(z_top + 100)] if lateral
                                           else [edge, "0", ds_str(z_top + 100)])
                ds.SliceLocation = "0"
                imag[0x44].value = 0.0
            else:
                z = z_top - (i - 1) * thick
                edge = ds_str(-180 + ps / 2)
                ds.ImagePositionPatient = [edge, ds_str(-180 + ps / 2 + 10), ds_str(z)]
                ds.SliceLocation = ds_str(z)
                imag[0x44].value = z
                imag[0x50].value = z
                imag[0x51].value = z
            iden[0x27].value = calendar.timegm(ta.timetuple())  # TZ-independent
            header = encode_header(ds)
            header_lens.append(len(header))
            path = ser_dir / f"IM{i:06d}"
            with open(path, "wb") as f:
                f.write(header)
                f.write(pix_elem)
                f.write(pixels)
            total_bytes += len(header) + len(pix_elem) + len(pixels)
            fs.add(ds)  # header-only copy is staged; records made by pydicom
            file_ids[sop] = ["IMAGES", f"SER{s_idx:05d}", f"IM{i:06d}"]
        print(f"  SER{s_idx:05d}: {count:4d} images  {desc!r}  "
              f"charset={'ISO_IR 192' if utf8 else 'default'}", flush=True)
    t_images = time.perf_counter() - t_start

    # DICOMDIR via pydicom's FileSet.  FileSet.write(path) always lays files
    # out as PTxxxxxx/STxxxxxx/SExxxxxx/IMxxxxxx, so: write the (small,
    # header-only) staged copies that way, point every IMAGE record at the
    # real file, drop the copies, and let FileSet rewrite the DICOMDIR in
    # place (use_existing=True recomputes all record offsets).
    fs.write(out)
    pydicom_dirs = {inst.FileID.split(os.sep)[0] for inst in fs}
    for inst in fs:
        inst.node._record.ReferencedFileID = file_ids[inst.SOPInstanceUID]
    for d in pydicom_dirs:
        shutil.rmtree(out / d)
    fs.ID = "XHPH_CT_CD"  # staging a change so write() re-encodes
    fs.write(use_existing=True)
    fs.clear()  # removes pydicom's staging temp dir (files on disk untouched)

    # sanity check: reload the DICOMDIR and check every reference resolves
    check = FileSet(out / DICOMDIR_NAME)
    refs = {Path(inst.path) for inst in check}
    assert len(refs) == args.files, (len(refs), args.files)
    assert all(p.is_file() and p.relative_to(out).parts[0] == "IMAGES" for p in refs)
    ddir_size = (out / DICOMDIR_NAME).stat().st_size
    total_bytes += ddir_size
    elapsed = time.perf_counter() - t_start

    mean_hdr = sum(header_lens) / len(header_lens)
    print(f"wrote {args.files} images in {len(plan)} series + DICOMDIR ({ddir_size} B) to {out}")
    print(f"total {total_bytes} bytes ({total_bytes / 2**20:.1f} MiB); "
          f"header (offset of Pixel Data) mean {mean_hdr:.0f} B, "
          f"min {min(header_lens)} B, max {max(header_lens)} B")
    print(f"time {elapsed:.1f} s (images {t_images:.1f} s, DICOMDIR {elapsed - t_images:.1f} s); "
          f"seed {args.seed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
