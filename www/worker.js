// @ts-check
/**
 * The page's module Web Worker, in one of two roles (both get the compiled wasm module first):
 *
 * - **scan** (pool.js): scans the `File`s posted to it, in batches. Reading a slice of a file
 *   costs about the same whatever its size (~0.5 ms in Chromium, for each file read, and reads
 *   are served one after another by the browser), so the worker reads the first 16 KiB of
 *   `GROUP` files at once, as one `Blob` made of their slices, keeps `LANES` such reads in
 *   flight, and recognises each file from its head with `scanWindows`. A file that needs more
 *   gets its last 16 bytes (the end of compressed pixel data), read for the group at once in
 *   the same way; one that needs more still (a zip, a DICOMDIR, a header over 16 KiB) is scanned
 *   with `scanBlob`, which reads what it needs through `FileReaderSync`.
 * - **report** (reporter.js): keeps the scanned entries and builds the report or its printable
 *   HTML for the patient's answers, so that the page stays responsive on a 20,000-file case.
 *   Started at page load, it first warms the wasm code up (`warm-up`): it scans made-up CT
 *   headers and builds their report, so that the engine's code is optimised before the
 *   patient's first files come (the compiled module, and so its optimised code, is shared by
 *   every worker); the first 2,000 files otherwise run in V8's baseline tier, about twice as
 *   slow.
 *
 *   The report worker also writes the bundle (`bundle`): it has the entries already, and the
 *   scan workers stay free. The zip comes out in pieces of at most 1 MiB (`bundle-chunk`, the
 *   buffer transferred, not copied); the page acknowledges each one it has written
 *   (`bundle-more`), and no more than `BUNDLE_CREDITS` pieces are unacknowledged, so a slow
 *   disk slows the reading down instead of filling memory. The SHA-256 of what it reads is
 *   computed by the scan workers, idle by then (`hash-port`): the writer sends each piece to one
 *   of them through a MessagePort (`BundleWriter.hashWith`), so every file is read once and the
 *   hashing runs on other cores.
 *
 * The page does not load this file by its URL: wasm.js fetches it and the wasm-bindgen glue
 * once, at page load, and starts every worker from one Blob URL of both (so that starting a
 * worker again, after a cancel or a crash, requests nothing). That is why the glue is imported
 * in one statement, `import init, { … } from "./pkg/record_precheck.js";`, without renaming.
 *
 * Messages in:  `{ type: "init", module }`, `{ type: "scan", items: [{ id, path, file }] }`,
 *               `{ type: "warm-up" }`, `{ type: "entries", entries, version }`,
 *               `{ type: "report", id, declarations }`, `{ type: "html", id, declarations, lang }`,
 *               `{ type: "bundle", id, declarations, files, options }`, `{ type: "bundle-more", id }`,
 *               `{ type: "bundle-cancel", id }` (report role); `{ type: "hash-port", port }`
 *               (scan role: hash the pieces that come on `port`, see `hashFor`).
 * Messages out: `{ type: "ready" }`, `{ type: "init-failed", message }`,
 *               `{ type: "done", results: [{ id, entry }] }` — in batches: every `FLUSH_FILES`
 *               files, every `FLUSH_MS`, and when the worker has nothing left to do;
 *               `{ type: "failed", id, message, results }` — the scanner threw or trapped on
 *               file `id` (`results`: the files done before it); the instance may be broken, so
 *               this worker does nothing more and the bridge replaces it;
 *               `{ type: "crashed", message, results }` — anything else went wrong while
 *               scanning (which file is not known); the bridge replaces this worker too;
 *               `{ type: "report", id, report }` (the report without `files`: the page has
 *               them), `{ type: "set-aside", version, list, message?, fatal? }` (after a report of new
 *               files: what the bundle leaves out by itself), `{ type: "html", id, html }`,
 *               `{ type: "error", id, message, fatal }`
 *               (`fatal`: the wasm trapped, so this worker does nothing more and the page
 *               replaces it),
 *               `{ type: "bundle-chunk", id, chunk, progress }`,
 *               `{ type: "bundle-done", id, totals, progress }` (also after a cancel: `totals` null),
 *               `{ type: "bundle-progress", id, progress }` (while pieces are read but none is
 *               ready: a possible duplicate being compared).
 */
import init, { BundleWriter, Case, Sha256Stream, scanBlob, scanWindows } from "./pkg/record_precheck.js";

/** @typedef {import("./pool.js").ToWorker} ToScanWorker */
/** @typedef {import("./pool.js").FromWorker} FromScanWorker */
/** @typedef {import("./pool.js").WorkItem} WorkItem */
/** @typedef {import("./pool.js").WorkResult} WorkResult */
/** @typedef {import("./reporter.js").ToReporter} ToReporter */
/** @typedef {import("./reporter.js").FromReporter} FromReporter */
/**
 * Between a bundle writer and a hashing worker (see `hashFor`).
 * @typedef {{ item: number, bytes: Uint8Array } | { item: number, end: true } | { close: true }} HashPiece
 * @typedef {{ acked: number } | { item: number, sha256: string }} HashAnswer
 */
/** @typedef {import("./pkg/record_precheck.js").FileEntry} FileEntry */

/** Bytes read from the start of every file. */
const HEAD = 16 << 10;
/** Bytes read from the end of a file whose head was not enough. */
const TAIL = 16;
/** Files whose heads are read together, as one Blob. */
const GROUP = 32;
/** Group reads in flight. */
const LANES = 2;
/** Results are sent when this many are ready… */
const FLUSH_FILES = 64;
/** …or when the oldest waited this long (ms), and when there is nothing left to do. */
const FLUSH_MS = 100;
const NOTHING = new Uint8Array(0);
/** Bundle pieces sent and not yet acknowledged by the page. */
const BUNDLE_CREDITS = 4;
/** Progress is sent at most this often (ms) while no piece is ready. */
const BUNDLE_PROGRESS_MS = 200;
/** The bundle writer's next files are read ahead, asynchronously, up to this many bytes… */
const READ_AHEAD_BYTES = 16 << 20;
/** …except files bigger than this, which the writer reads itself, a piece at a time. */
const READ_AHEAD_MAX_FILE = 4 << 20;
/** The writer waits for the reads of the files within this many bytes of where it is: as far
 * as one `nextChunk` may read (4 pieces of 1 MiB, and the end of a chunk). */
const READ_AHEAD_NEAR = 6 << 20;

/** @type {Promise<unknown> | null} */
let ready = null;
/** After a failure the instance is not trusted any more: the bridge terminates this worker. */
let broken = false;
/**
 * The report role's files, converted once into wasm memory (`Case`); null until the first
 * `entries`, or when they could not be read (`caseError` says why).
 * @type {Case | null}
 */
let theCase = null;
/** @type {unknown} */
let caseError = null;
/** Which `entries` message they came with (the page's count). */
let entriesVersion = 0;
/** Whether `entries` changed since the bundle's set-aside list was last sent. */
let setAsideStale = false;

/**
 * The bundle being written: pieces it may still send, and a wake-up for the loop waiting for
 * one.
 * @type {{ id: number, credits: number, cancelled: boolean, wake: (() => void) | null } | null}
 */
let bundle = null;

/** Files given and not yet being read, oldest first. @type {WorkItem[]} */
const todo = [];
/** Whether the scan loop runs. */
let scanning = false;
/** Results not sent yet. @type {WorkResult[]} */
let results = [];
/** When the oldest unsent result was made. */
let oldest = 0;

/** @param {FromScanWorker | FromReporter} msg */
function reply(msg) {
  self.postMessage(msg);
}

/**
 * Whether `err` is a trap (a Rust panic, `unreachable`). A trap leaves the wasm instance in an
 * unknown state: after one, this worker takes no more report-role work and says so (`fatal`),
 * and the page starts a fresh one for the next request.
 * @param {unknown} err
 */
function trapped(err) {
  const fatal = err instanceof WebAssembly.RuntimeError;
  if (fatal) broken = true;
  return fatal;
}

/**
 * The answer to a report-role request that failed.
 * @param {number} id
 * @param {unknown} err
 */
function failed(id, err) {
  reply({ type: "error", id, message: describe(err), fatal: trapped(err) });
}

/**
 * What the bundle will leave out by itself (viewer software, system files…), for the page's
 * file table: once per change of the files, after their first report (which the patient waits
 * for), not before.
 */
function sendSetAside() {
  if (!setAsideStale || broken) return;
  setAsideStale = false;
  try {
    reply({ type: "set-aside", version: entriesVersion, list: currentCase().bundleSetAside() });
  } catch (err) {
    reply({ type: "set-aside", version: entriesVersion, list: [], message: describe(err), fatal: trapped(err) });
  }
}

/** The files of the report role, or the error that kept them from being read. */
function currentCase() {
  if (theCase) return theCase;
  throw caseError ?? new Error("no files were given to the report builder");
}

/** @param {unknown} err */
function describe(err) {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

self.onmessage = async (/** @type {MessageEvent<ToScanWorker | ToReporter>} */ event) => {
  const msg = event.data;
  if (msg.type === "init") {
    ready = init({ module_or_path: msg.module });
    try {
      await ready;
      reply({ type: "ready" });
    } catch (err) {
      broken = true;
      reply({ type: "init-failed", message: describe(err) });
    }
    return;
  }
  await ready?.catch(() => {});
  if (broken) return;
  switch (msg.type) {
    case "scan":
      todo.push(...msg.items);
      if (!scanning) scanAll();
      return;
    case "warm-up":
      try {
        warmUp();
      } catch (err) {
        console.warn(`record-precheck: the warm-up failed (${describe(err)}); scanning is not affected`);
      }
      return;
    case "entries":
      theCase?.free();
      theCase = null;
      try {
        theCase = new Case(msg.entries);
        caseError = null;
      } catch (err) {
        caseError = err;
        trapped(err);
      }
      entriesVersion = msg.version;
      setAsideStale = true;
      return;
    case "report":
      try {
        const { files: _files, ...report } = currentCase().reportWithoutFiles(msg.declarations);
        reply({ type: "report", id: msg.id, report });
      } catch (err) {
        failed(msg.id, err);
      }
      sendSetAside();
      return;
    case "html":
      try {
        reply({ type: "html", id: msg.id, html: currentCase().renderReportHtml(msg.declarations, msg.lang) });
      } catch (err) {
        failed(msg.id, err);
      }
      return;
    case "bundle":
      writeBundle(msg);
      return;
    case "hash-port":
      hashFor(msg.port);
      return;
    case "bundle-more":
      if (bundle?.id === msg.id) {
        bundle.credits += 1;
        bundle.wake?.();
      }
      return;
    case "bundle-cancel":
      if (bundle?.id === msg.id) {
        bundle.cancelled = true;
        bundle.wake?.();
      }
      return;
  }
};

// ---- the scan role ---------------------------------------------------------------------------

/**
 * Scans what is given until nothing is left, reading ahead: while one group is scanned, the
 * heads of the next ones are being read.
 */
async function scanAll() {
  scanning = true;
  /** @type {{ group: WorkItem[], heads: Promise<(Uint8Array | null)[]> }[]} */
  const ahead = [];
  const readMore = () => {
    while (ahead.length < LANES && todo.length > 0) {
      const group = todo.splice(0, GROUP);
      ahead.push({ group, heads: readSlices(group.map((it) => [it.file, 0, Math.min(HEAD, it.file.size)])) });
    }
  };
  try {
    for (;;) {
      readMore();
      const next = ahead.shift();
      if (!next) break;
      const heads = await next.heads;
      readMore();
      if (!(await scanGroup(next.group, heads))) return; // broken: the bridge replaces this worker
    }
    flush();
    scanning = false;
  } catch (err) {
    // Not a scanner failure on one file (those are caught in `attempt`): this worker cannot
    // tell which file, so the bridge scans the files it held again, one at a time.
    broken = true;
    reply({ type: "crashed", message: describe(err), results });
    results = [];
  }
}

/**
 * Recognises the files of a group from their heads, then from their ends, then whole.
 * @param {WorkItem[]} group
 * @param {(Uint8Array | null)[]} heads
 * @returns {Promise<boolean>} false when the scanner failed (and this worker stops)
 */
async function scanGroup(group, heads) {
  /** Files whose head was not enough: those longer than it get their end read. */
  /** @type {number[]} */
  const needEnd = [];
  /** @type {number[]} */
  const needWhole = [];
  for (let k = 0; k < group.length; k += 1) {
    const { id, path, file } = group[k];
    const head = heads[k];
    if (!head) {
      needWhole.push(k);
      continue;
    }
    const entry = attempt(id, () => scanWindows(path, file.size, head, NOTHING));
    if (entry === undefined) return false;
    if (entry) done(id, entry);
    else if (file.size > head.length) needEnd.push(k);
    else needWhole.push(k);
  }
  if (needEnd.length > 0) {
    const tails = await readSlices(
      needEnd.map((k) => {
        const { file } = group[k];
        return [file, Math.max(0, file.size - TAIL), file.size];
      }),
    );
    for (let j = 0; j < needEnd.length; j += 1) {
      const k = needEnd[j];
      const { id, path, file } = group[k];
      const head = /** @type {Uint8Array} */ (heads[k]);
      const tail = tails[j];
      const entry = tail ? attempt(id, () => scanWindows(path, file.size, head, tail)) : null;
      if (entry === undefined) return false;
      if (entry) done(id, entry);
      else needWhole.push(k);
    }
  }
  // The rest whole, reading what the scanner asks for (a file that cannot be read at all comes
  // back as an `unreadable` entry). That can take a while (a big zip): what is done goes first.
  if (needWhole.length > 0) flush();
  for (const k of needWhole) {
    const { id, path, file } = group[k];
    const entry = attempt(id, () => scanBlob(path, file));
    if (!entry) return false;
    done(id, entry);
  }
  return true;
}

/**
 * Runs the scanner on file `id`; when it throws (or traps), tells the bridge and marks this
 * worker broken.
 * @param {number} id
 * @param {() => FileEntry | null} scan
 * @returns {FileEntry | null | undefined} undefined when the scanner failed
 */
function attempt(id, scan) {
  try {
    return scan();
  } catch (err) {
    broken = true;
    reply({ type: "failed", id, message: describe(err), results });
    results = [];
    return undefined;
  }
}

/**
 * @param {number} id
 * @param {FileEntry} entry
 */
function done(id, entry) {
  if (results.length === 0) oldest = performance.now();
  results.push({ id, entry });
  if (results.length >= FLUSH_FILES || performance.now() - oldest >= FLUSH_MS) flush();
}

function flush() {
  if (results.length === 0) return;
  reply({ type: "done", results });
  results = [];
}

/**
 * Bytes `[start, end)` of each file, read as one Blob made of the slices (one read for them
 * all: reads cost per read, not per byte). When that read fails (a file moved, changed or
 * cannot be opened), each slice is read on its own, and the ones that still fail are `null`.
 * @param {[Blob, number, number][]} parts
 * @returns {Promise<(Uint8Array | null)[]>}
 */
async function readSlices(parts) {
  const total = parts.reduce((n, [, start, end]) => n + (end - start), 0);
  try {
    const buffer = await new Blob(parts.map(([file, start, end]) => file.slice(start, end))).arrayBuffer();
    if (buffer.byteLength !== total) throw new Error("a file changed size");
    let at = 0;
    return parts.map(([, start, end]) => {
      const view = new Uint8Array(buffer, at, end - start);
      at += end - start;
      return view;
    });
  } catch {
    return Promise.all(
      parts.map(([file, start, end]) =>
        file
          .slice(start, end)
          .arrayBuffer()
          .then(
            (b) => (b.byteLength === end - start ? new Uint8Array(b) : null),
            () => null,
          ),
      ),
    );
  }
}

// ---- warming up ------------------------------------------------------------------------------

/** Made-up files scanned, and reports built of them, to warm up. */
const WARM_UP_FILES = 64;
const WARM_UP_REPORTS = 2;

/** Scans made-up CT images through the same calls as real files, then builds their report. */
function warmUp() {
  /** @type {FileEntry[]} */
  const made = [];
  for (let i = 1; i <= WARM_UP_FILES; i += 1) {
    const file = madeUpFile(i);
    const entry = scanWindows(`warm-up/IM${i}`, file.length, file, NOTHING);
    if (entry) made.push(entry);
  }
  const madeCase = new Case(made);
  try {
    for (let i = 0; i < WARM_UP_REPORTS; i += 1) madeCase.reportWithoutFiles(null);
  } finally {
    madeCase.free();
  }
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

// ---- the bundle (report role) ----------------------------------------------------------------

/**
 * Writes the bundle of the entries this worker has, reading the files given, piece by piece as
 * the page acknowledges them. One bundle at a time: a new one cancels the one running.
 * @param {Extract<ToReporter, { type: "bundle" }>} msg
 */
async function writeBundle(msg) {
  if (bundle) {
    bundle.cancelled = true;
    bundle.wake?.();
  }
  const job = { id: msg.id, credits: BUNDLE_CREDITS, cancelled: false, wake: /** @type {(() => void) | null} */ (null) };
  bundle = job;
  /** @type {BundleWriter | null} */
  let writer = null;
  const ports = msg.ports;
  /** @type {() => void} */
  let onDone = () => {};
  try {
    const w = new BundleWriter(currentCase(), msg.declarations, msg.files, msg.options);
    writer = w;
    // The hashing workers' answers: bytes hashed (room for more), and digests.
    for (const port of ports) {
      port.onmessage = (/** @type {MessageEvent<HashAnswer>} */ e) => {
        if (writer !== w) return;
        const m = e.data;
        if ("acked" in m) w.hashAcked(m.acked);
        else w.setDigest(m.item, m.sha256);
        job.wake?.();
      };
    }
    w.hashWith(ports);
    const ahead = new ReadAhead(w, msg.files);
    onDone = () => (ahead.closed = true);
    let lastProgress = 0;
    for (;;) {
      while (job.credits === 0 && !job.cancelled) {
        await new Promise((resolve) => (job.wake = () => resolve(undefined)));
        job.wake = null;
      }
      if (job.cancelled) {
        reply({ type: "bundle-done", id: job.id, totals: null, progress: writer.progress() });
        return;
      }
      await ahead.ready();
      if (job.cancelled) continue;
      const chunk = writer.nextChunk();
      if (chunk === undefined) {
        reply({ type: "bundle-done", id: job.id, totals: writer.totals(), progress: writer.progress() });
        return;
      }
      if (chunk.length > 0) {
        job.credits -= 1;
        /** @type {FromReporter} */
        const out = { type: "bundle-chunk", id: job.id, chunk, progress: writer.progress() };
        self.postMessage(out, [chunk.buffer]);
      } else if (writer.waiting()) {
        // For the hashing workers: woken by their next answer (or a cancel).
        reply({ type: "bundle-progress", id: job.id, progress: writer.progress() });
        await new Promise((resolve) => (job.wake = () => resolve(undefined)));
        job.wake = null;
      } else if (performance.now() - lastProgress > BUNDLE_PROGRESS_MS) {
        lastProgress = performance.now();
        reply({ type: "bundle-progress", id: job.id, progress: writer.progress() });
        // Let a cancel in.
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    }
  } catch (err) {
    failed(job.id, err);
  } finally {
    onDone();
    const w = writer;
    writer = null;
    // After a trap the instance may fail this too; the ports below must still be closed.
    if (!broken) w?.free();
    for (const port of ports) {
      port.postMessage(/** @type {HashPiece} */ ({ close: true }));
      port.close();
    }
    if (bundle === job) bundle = null;
  }
}

/**
 * Reads the bundle writer's next files ahead with `Blob.arrayBuffer()` (which runs on the
 * browser's threads while the writer works, where `FileReaderSync` would stop it) and hands
 * their bytes over (`BundleWriter.provide`): the files within `READ_AHEAD_BYTES` of where the
 * writer is, each at most `READ_AHEAD_MAX_FILE`. A file whose read fails or comes late is read
 * by the writer itself.
 */
class ReadAhead {
  /**
   * @param {BundleWriter} writer
   * @param {Map<string, Blob>} files
   */
  constructor(writer, files) {
    this.writer = writer;
    this.files = files;
    this.list = writer.readAheadList();
    /** The first place in `list` the writer has not passed. */
    this.first = 0;
    /** Reads started, by place in `list`. @type {Map<number, Promise<void>>} */
    this.reads = new Map();
    /** Set when the writer is gone: late reads are dropped. */
    this.closed = false;
  }

  /** Starts the reads of the files ahead, and waits for those the writer is about to use. */
  async ready() {
    const done = this.writer.progress().inputs_done;
    while (this.first < this.list.length && this.list[this.first].index < done) {
      this.reads.delete(this.first);
      this.first += 1;
    }
    let bytes = 0;
    const near = [];
    for (let k = this.first; k < this.list.length && bytes < READ_AHEAD_BYTES; k += 1) {
      const { path, size } = this.list[k];
      bytes += size;
      if (size > READ_AHEAD_MAX_FILE) continue;
      let read = this.reads.get(k);
      if (!read) {
        const file = this.files.get(path);
        read = file
          ? file.arrayBuffer().then(
              (buf) => {
                if (!this.closed) this.writer.provide(path, new Uint8Array(buf));
              },
              () => {}, // the writer reads it itself, and says what is wrong
            )
          : Promise.resolve();
        this.reads.set(k, read);
      }
      if (bytes <= READ_AHEAD_NEAR) near.push(read);
    }
    if (near.length > 0) await Promise.all(near);
  }
}

/**
 * Hashes, for a bundle writer, the pieces that come on `port`: each input's pieces in order,
 * then its end; answers `{ acked }` after each piece and `{ item, sha256 }` after each end.
 * @param {MessagePort} port
 */
function hashFor(port) {
  /** @type {Map<number, Sha256Stream>} */
  const streams = new Map();
  port.onmessage = (/** @type {MessageEvent<HashPiece>} */ e) => {
    const m = e.data;
    if ("close" in m) {
      for (const s of streams.values()) s.free();
      streams.clear();
      port.close();
      return;
    }
    let stream = streams.get(m.item);
    if (!stream) {
      stream = new Sha256Stream();
      streams.set(m.item, stream);
    }
    if ("end" in m) {
      port.postMessage(/** @type {HashAnswer} */ ({ item: m.item, sha256: stream.finish() }));
      stream.free();
      streams.delete(m.item);
    } else {
      stream.update(m.bytes);
      port.postMessage(/** @type {HashAnswer} */ ({ acked: m.bytes.length }));
    }
  };
}
