// A small CD-like CT study for the end-to-end tests: N tiny but valid DICOM Part 10 files
// (preamble, DICM, explicit VR little endian meta group and data set, 64×64 16-bit pixels,
// ~8.9 KB each) under IMAGES/SERxxxxx/IMxxxxxx, and a DICOMDIR that references every one.
// Plain Node, no dependency. Deterministic: same arguments, same bytes.
//
//   node tests/e2e/gen-cd.mjs OUT_DIR [--files 2000]
//
// As a module: `await generateCd(dir, { files: 2000 })` returns { files, bytes, dicomdir }.

import { mkdir, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';
const MEDIA_DIRECTORY_STORAGE = '1.2.840.10008.1.3.10';
const EXPLICIT_VR_LE = '1.2.840.10008.1.2.1';
const IMPL_CLASS_UID = '1.2.826.0.1.3680043.10.1453.1';
const UID_ROOT = '1.2.826.0.1.3680043.10.1453.77';
const ROWS = 64;
const COLS = 64;
const SERIES_SIZE = 500;

/** VRs whose explicit-VR header is tag, VR, 2 reserved bytes, 4-byte length. */
const LONG_VRS = new Set(['OB', 'OW', 'OF', 'OD', 'OL', 'OV', 'SQ', 'UC', 'UN', 'UR', 'UT']);
/** VRs padded with a NUL (the others with a space). */
const NUL_PADDED = new Set(['UI', 'OB']);

/**
 * One explicit VR little endian element.
 * @param {number} group @param {number} element @param {string} vr
 * @param {string | Buffer | number | number[]} value string (text VRs), Buffer (raw), number(s) (US/UL)
 */
function el(group, element, vr, value) {
  let body;
  if (Buffer.isBuffer(value)) body = value;
  else if (vr === 'US') {
    const vals = Array.isArray(value) ? value : [value];
    body = Buffer.alloc(2 * vals.length);
    vals.forEach((v, i) => body.writeUInt16LE(v, 2 * i));
  } else if (vr === 'UL') {
    const vals = Array.isArray(value) ? value : [value];
    body = Buffer.alloc(4 * vals.length);
    vals.forEach((v, i) => body.writeUInt32LE(v, 4 * i));
  } else body = Buffer.from(String(value), 'latin1');
  if (body.length % 2) body = Buffer.concat([body, Buffer.from(NUL_PADDED.has(vr) ? [0] : [0x20])]);
  let head;
  if (LONG_VRS.has(vr)) {
    head = Buffer.alloc(12);
    head.writeUInt16LE(group, 0);
    head.writeUInt16LE(element, 2);
    head.write(vr, 4, 'latin1');
    head.writeUInt32LE(body.length, 8);
  } else {
    head = Buffer.alloc(8);
    head.writeUInt16LE(group, 0);
    head.writeUInt16LE(element, 2);
    head.write(vr, 4, 'latin1');
    head.writeUInt16LE(body.length, 6);
  }
  return Buffer.concat([head, body]);
}

/** Preamble, DICM and the file meta group (with its group length). */
function fileMeta(sopClass, sopInstance) {
  const rest = Buffer.concat([
    el(0x0002, 0x0001, 'OB', Buffer.from([0, 1])),
    el(0x0002, 0x0002, 'UI', sopClass),
    el(0x0002, 0x0003, 'UI', sopInstance),
    el(0x0002, 0x0010, 'UI', EXPLICIT_VR_LE),
    el(0x0002, 0x0012, 'UI', IMPL_CLASS_UID),
    el(0x0002, 0x0013, 'SH', 'RP_E2E_GEN'),
  ]);
  return Buffer.concat([
    Buffer.alloc(128),
    Buffer.from('DICM', 'latin1'),
    el(0x0002, 0x0000, 'UL', rest.length),
    rest,
  ]);
}

/** The pixels of one series: a disc whose brightness depends on the series (same for all images). */
function pixels(series) {
  const px = Buffer.alloc(ROWS * COLS * 2);
  for (let y = 0; y < ROWS; y++) {
    for (let x = 0; x < COLS; x++) {
      const d = Math.hypot(x - COLS / 2, y - ROWS / 2);
      px.writeUInt16LE(d < 24 ? 1024 + 40 * series : 0, 2 * (y * COLS + x));
    }
  }
  return px;
}

/** [[isLocalizer, count], ...] summing to n: a 2-image scout then series of ≤ 500. */
function planSeries(n) {
  const loc = Math.min(2, n);
  const plan = loc ? [[true, loc]] : [];
  const rest = n - loc;
  if (rest > 0) {
    const k = Math.max(1, Math.ceil(rest / SERIES_SIZE));
    for (let i = 0; i < k; i++) plan.push([false, Math.floor(rest / k) + (i < rest % k ? 1 : 0)]);
  }
  return plan;
}

/** DICOMDIR records: [{ type, elements: Buffer[] (without the 0004,14xx link elements) }] */
function dicomdir(records) {
  // Each item: FFFE,E000 + length, then (0004,1400) next UL, (0004,1410) in-use US,
  // (0004,1420) lower UL, then the record's own elements. Offsets are from the start of the file.
  const LINKS_LEN = 12 + 10 + 12; // UL (8+4), US (8+2), UL (8+4)
  const bodies = records.map((r) => Buffer.concat(r.elements));
  const itemLens = bodies.map((b) => 8 + LINKS_LEN + b.length);
  const seqBody = itemLens.reduce((a, b) => a + b, 0);
  const fsId = el(0x0004, 0x1130, 'CS', 'RP_E2E_CD');
  const headerFixed = (off1, off2) =>
    Buffer.concat([
      fsId,
      el(0x0004, 0x1200, 'UL', off1),
      el(0x0004, 0x1202, 'UL', off2),
      el(0x0004, 0x1212, 'US', 0),
    ]);
  const sopInstance = `${UID_ROOT}.9.1`;
  const meta = fileMeta(MEDIA_DIRECTORY_STORAGE, sopInstance);
  const seqHeadLen = 12;
  const firstItem = meta.length + headerFixed(0, 0).length + seqHeadLen;
  const offsets = [];
  let at = firstItem;
  for (const len of itemLens) {
    offsets.push(at);
    at += len;
  }
  // Links: next = next record at the same level, lower = first child.
  const next = new Array(records.length).fill(0);
  const lower = new Array(records.length).fill(0);
  const lastAt = new Map(); // level -> index of last record seen at that level under current parent
  const parentStack = [];
  records.forEach((r, i) => {
    while (parentStack.length > r.level) parentStack.pop();
    const prevKey = `${r.level}:${parentStack.join('/')}`;
    if (lastAt.has(prevKey)) next[lastAt.get(prevKey)] = offsets[i];
    else if (r.level > 0) lower[parentStack[r.level - 1]] = offsets[i];
    lastAt.set(prevKey, i);
    parentStack[r.level] = i;
    parentStack.length = r.level + 1;
  });
  const rootIdx = records.map((r, i) => [r, i]).filter(([r]) => r.level === 0).map(([, i]) => i);
  const items = bodies.map((b, i) => {
    const h = Buffer.alloc(8);
    h.writeUInt16LE(0xfffe, 0);
    h.writeUInt16LE(0xe000, 2);
    h.writeUInt32LE(itemLens[i] - 8, 4);
    return Buffer.concat([
      h,
      el(0x0004, 0x1400, 'UL', next[i]),
      el(0x0004, 0x1410, 'US', 0xffff),
      el(0x0004, 0x1420, 'UL', lower[i]),
      b,
    ]);
  });
  const seqHead = Buffer.alloc(12);
  seqHead.writeUInt16LE(0x0004, 0);
  seqHead.writeUInt16LE(0x1220, 2);
  seqHead.write('SQ', 4, 'latin1');
  seqHead.writeUInt32LE(seqBody, 8);
  return Buffer.concat([
    meta,
    headerFixed(offsets[rootIdx[0]], offsets[rootIdx[rootIdx.length - 1]]),
    seqHead,
    ...items,
  ]);
}

/**
 * Writes the study into `out` (wiped first when it holds a previous output).
 * @param {string} out @param {{ files?: number }} [opts]
 */
export async function generateCd(out, { files = 2000 } = {}) {
  await rm(out, { recursive: true, force: true });
  const study = `${UID_ROOT}.1`;
  const date = '20240117';
  const records = [
    {
      level: 0,
      elements: [
        el(0x0004, 0x1430, 'CS', 'PATIENT'),
        el(0x0010, 0x0010, 'PN', 'Test^Generated'),
        el(0x0010, 0x0020, 'LO', 'E2E0001'),
      ],
    },
    {
      level: 1,
      elements: [
        el(0x0004, 0x1430, 'CS', 'STUDY'),
        el(0x0008, 0x0020, 'DA', date),
        el(0x0008, 0x0030, 'TM', '101500'),
        el(0x0008, 0x0050, 'SH', 'E2E42'),
        el(0x0008, 0x1030, 'LO', 'CT CHEST'),
        el(0x0020, 0x000d, 'UI', study),
        el(0x0020, 0x0010, 'SH', '1'),
      ],
    },
  ];
  let bytes = 0;
  const plan = planSeries(files);
  for (let s = 1; s <= plan.length; s++) {
    const [loc, count] = plan[s - 1];
    const seriesUid = `${UID_ROOT}.2.${s}`;
    const desc = loc ? 'Scout' : `Axial 1.25mm part ${s - 1}`;
    const dir = join(out, 'IMAGES', `SER${String(s).padStart(5, '0')}`);
    await mkdir(dir, { recursive: true });
    records.push({
      level: 2,
      elements: [
        el(0x0004, 0x1430, 'CS', 'SERIES'),
        el(0x0008, 0x0060, 'CS', 'CT'),
        el(0x0020, 0x000e, 'UI', seriesUid),
        el(0x0020, 0x0011, 'IS', String(s)),
      ],
    });
    const px = el(0x7fe0, 0x0010, 'OW', pixels(s));
    for (let i = 1; i <= count; i++) {
      const sop = `${UID_ROOT}.3.${s}.${i}`;
      const z = loc ? 0 : -(i - 1) * 1.25;
      const name = `IM${String(i).padStart(6, '0')}`;
      const data = Buffer.concat([
        fileMeta(CT_IMAGE_STORAGE, sop),
        el(0x0008, 0x0005, 'CS', 'ISO_IR 100'),
        el(0x0008, 0x0008, 'CS', loc ? 'ORIGINAL\\PRIMARY\\LOCALIZER' : 'ORIGINAL\\PRIMARY\\AXIAL'),
        el(0x0008, 0x0016, 'UI', CT_IMAGE_STORAGE),
        el(0x0008, 0x0018, 'UI', sop),
        el(0x0008, 0x0020, 'DA', date),
        el(0x0008, 0x0030, 'TM', '101500'),
        el(0x0008, 0x0050, 'SH', 'E2E42'),
        el(0x0008, 0x0060, 'CS', 'CT'),
        el(0x0008, 0x0070, 'LO', 'RP E2E'),
        el(0x0008, 0x0080, 'LO', 'Test Hospital'),
        el(0x0008, 0x1030, 'LO', 'CT CHEST'),
        el(0x0008, 0x103e, 'LO', desc),
        el(0x0010, 0x0010, 'PN', 'Test^Generated'),
        el(0x0010, 0x0020, 'LO', 'E2E0001'),
        el(0x0010, 0x0030, 'DA', '19600101'),
        el(0x0010, 0x0040, 'CS', 'M'),
        el(0x0018, 0x0015, 'CS', 'CHEST'),
        el(0x0018, 0x0050, 'DS', loc ? '0.625' : '1.25'),
        el(0x0020, 0x000d, 'UI', study),
        el(0x0020, 0x000e, 'UI', seriesUid),
        el(0x0020, 0x0010, 'SH', '1'),
        el(0x0020, 0x0011, 'IS', String(s)),
        el(0x0020, 0x0012, 'IS', '1'),
        el(0x0020, 0x0013, 'IS', String(i)),
        el(0x0020, 0x0032, 'DS', `-180\\-170\\${z}`),
        el(0x0020, 0x0037, 'DS', '1\\0\\0\\0\\1\\0'),
        el(0x0020, 0x1002, 'IS', String(count)),
        el(0x0028, 0x0002, 'US', 1),
        el(0x0028, 0x0004, 'CS', 'MONOCHROME2'),
        el(0x0028, 0x0010, 'US', ROWS),
        el(0x0028, 0x0011, 'US', COLS),
        el(0x0028, 0x0030, 'DS', '0.703125\\0.703125'),
        el(0x0028, 0x0100, 'US', 16),
        el(0x0028, 0x0101, 'US', 12),
        el(0x0028, 0x0102, 'US', 11),
        el(0x0028, 0x0103, 'US', 0),
        px,
      ]);
      await writeFile(join(dir, name), data);
      bytes += data.length;
      records.push({
        level: 3,
        elements: [
          el(0x0004, 0x1430, 'CS', 'IMAGE'),
          el(0x0004, 0x1500, 'CS', `IMAGES\\SER${String(s).padStart(5, '0')}\\${name}`),
          el(0x0004, 0x1510, 'UI', CT_IMAGE_STORAGE),
          el(0x0004, 0x1511, 'UI', sop),
          el(0x0004, 0x1512, 'UI', EXPLICIT_VR_LE),
          el(0x0020, 0x0013, 'IS', String(i)),
        ],
      });
    }
  }
  const dd = dicomdir(records);
  await writeFile(join(out, 'DICOMDIR'), dd);
  return { files, bytes: bytes + dd.length, dicomdir: dd.length };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const out = args.find((a) => !a.startsWith('--'));
  const i = args.indexOf('--files');
  const files = i >= 0 ? Number(args[i + 1]) : 2000;
  if (!out || !Number.isInteger(files) || files < 1) {
    console.error('usage: node tests/e2e/gen-cd.mjs OUT_DIR [--files N]');
    process.exit(2);
  }
  const t = performance.now();
  const r = await generateCd(out, { files });
  console.log(
    `wrote ${r.files} images + DICOMDIR (${r.dicomdir} B) to ${out}: ${r.bytes} bytes in ${Math.round(performance.now() - t)} ms`,
  );
}
