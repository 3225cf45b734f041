// @ts-check
/**
 * Warming the wasm code up: made-up CT headers are scanned through the same calls as real
 * files, so that the engine's code is optimised before the patient's first files come (a
 * compiled module, and so its optimised code, is shared by every worker that runs it); the
 * first 2,000 files otherwise run in V8's baseline tier, about twice as slow. The first scan
 * worker does it at page load (scan-worker.js); the report worker builds reports of the
 * entries when it starts (report-worker.js).
 *
 * Not loaded by its URL: `cargo xtask build` bundles it into those workers' scripts (wasm.js).
 */

/** @typedef {import("../pkg/record_precheck_scan.js").FileEntry} FileEntry */

const NOTHING = new Uint8Array(0);

/** Made-up files scanned to warm up. */
const WARM_UP_FILES = 64;

/**
 * Scans made-up CT images through the same calls as real files.
 * @param {typeof import("../pkg/record_precheck_scan.js").scanWindows} scanWindows the
 *   worker's module's
 * @returns {FileEntry[]} their entries
 */
export function warmUpScanning(scanWindows) {
  /** @type {FileEntry[]} */
  const made = [];
  for (let i = 1; i <= WARM_UP_FILES; i += 1) {
    const file = madeUpFile(i);
    const entry = scanWindows(`warm-up/IM${i}`, file.length, file, NOTHING);
    if (entry) made.push(entry);
  }
  return made;
}

/**
 * A made-up CT image `i` of a series (Part 10, explicit VR little endian, 64×64 pixels of 0),
 * whole: 8.9 KB, less than the head read of a real file.
 * @param {number} i
 * @returns {Uint8Array}
 */
function madeUpFile(i) {
  const uid = "1.2.826.0.1.3680043.10.1453.99";
  const sop = `${uid}.3.${i}`;
  const pixels = 64 * 64 * 2;
  const meta = elements([
    [0x0002, 0x0001, "OB", new Uint8Array([0, 1])],
    [0x0002, 0x0002, "UI", "1.2.840.10008.5.1.4.1.1.2"],
    [0x0002, 0x0003, "UI", sop],
    [0x0002, 0x0010, "UI", "1.2.840.10008.1.2.1"],
  ]);
  const data = elements([
    [0x0008, 0x0005, "CS", "ISO_IR 192"],
    [0x0008, 0x0008, "CS", "ORIGINAL\\PRIMARY\\AXIAL"],
    [0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.2"],
    [0x0008, 0x0018, "UI", sop],
    [0x0008, 0x0020, "DA", "20240117"],
    [0x0008, 0x0030, "TM", "101500"],
    [0x0008, 0x0060, "CS", "CT"],
    [0x0008, 0x0080, "LO", "Warm-up Hospital"],
    [0x0008, 0x103e, "LO", "Chest 1.0 mm"],
    [0x0010, 0x0010, "PN", "Warm^Up=暖^机"],
    [0x0010, 0x0020, "LO", "WARM-UP"],
    [0x0010, 0x0030, "DA", "19600101"],
    [0x0018, 0x0050, "DS", "1.0"],
    [0x0020, 0x000d, "UI", `${uid}.1`],
    [0x0020, 0x000e, "UI", `${uid}.2`],
    [0x0020, 0x0011, "IS", "2"],
    [0x0020, 0x0013, "IS", String(i)],
    [0x0020, 0x0032, "DS", `-160\\-160\\${-i}`],
    [0x0028, 0x0010, "US", 64],
    [0x0028, 0x0011, "US", 64],
    [0x0028, 0x0100, "US", 16],
  ]);
  const pixelHead = new Uint8Array(12);
  const view = new DataView(pixelHead.buffer);
  view.setUint16(0, 0x7fe0, true);
  view.setUint16(2, 0x0010, true);
  pixelHead.set([0x4f, 0x57], 4); // OW
  view.setUint32(8, pixels, true);
  const groupLength = elements([[0x0002, 0x0000, "UL", meta.length]]);
  const parts = [new Uint8Array(128), new TextEncoder().encode("DICM"), groupLength, meta, data, pixelHead];
  const header = parts.reduce((n, p) => n + p.length, 0);
  const file = new Uint8Array(header + pixels);
  let at = 0;
  for (const p of parts) {
    file.set(p, at);
    at += p.length;
  }
  return file;
}

/**
 * Explicit VR little endian elements: text values (padded to an even length), a US or UL number,
 * or bytes.
 * @param {[number, number, string, string | number | Uint8Array][]} list
 * @returns {Uint8Array}
 */
function elements(list) {
  const encoder = new TextEncoder();
  /** @type {Uint8Array[]} */
  const out = [];
  for (const [group, element, vr, value] of list) {
    let body;
    if (value instanceof Uint8Array) body = value;
    else if (typeof value === "number") {
      body = new Uint8Array(vr === "UL" ? 4 : 2);
      const v = new DataView(body.buffer);
      if (vr === "UL") v.setUint32(0, value, true);
      else v.setUint16(0, value, true);
    } else {
      const text = encoder.encode(value);
      body = new Uint8Array(text.length + (text.length % 2));
      body.set(text);
      if (text.length % 2) body[text.length] = vr === "UI" ? 0 : 0x20;
    }
    const long = vr === "OB" || vr === "OW" || vr === "SQ" || vr === "UN" || vr === "UT";
    const head = new Uint8Array(long ? 12 : 8);
    const v = new DataView(head.buffer);
    v.setUint16(0, group, true);
    v.setUint16(2, element, true);
    head[4] = vr.charCodeAt(0);
    head[5] = vr.charCodeAt(1);
    if (long) v.setUint32(8, body.length, true);
    else v.setUint16(6, body.length, true);
    out.push(head, body);
  }
  const all = new Uint8Array(out.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of out) {
    all.set(p, at);
    at += p.length;
  }
  return all;
}
