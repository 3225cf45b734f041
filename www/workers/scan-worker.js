// @ts-check
/**
 * The scan worker (pool.js starts one per core): scans the `File`s posted to it, in batches.
 * Reading a slice of a file costs about the same whatever its size (~0.5 ms in Chromium, for
 * each file read, and reads are served one after another by the browser), so the worker reads
 * the first 16 KiB of `GROUP` files at once, as one `Blob` made of their slices, keeps `LANES`
 * such reads in flight, and recognises each file from its head with `scanWindows`. A file that
 * needs more gets its last 16 bytes (the end of compressed pixel data), read for the group at
 * once in the same way; one that needs more still (a zip, a DICOMDIR, a header over 16 KiB) is
 * scanned with `scanBlob`, which reads what it needs through `FileReaderSync`.
 *
 * Folders given as handles (pool.js `Listing`): every worker lists the same folders and takes
 * the files of its share, by a hash of their paths; it asks for their `File`s (`getFile()`,
 * `GET_FILES` at once), tells the page what it found in chunks (`found`) and scans them as if
 * the page had sent them. What cannot be listed or opened becomes an `unreadable` entry.
 *
 * While a bundle is written, the idle scan workers compute the SHA-256 of what the report
 * worker reads (`hash-port`, see `hashFor`): every file is read once and the hashing runs on
 * other cores.
 *
 * The page does not load this file by its URL: `cargo xtask build` bundles it, worker-runtime.js,
 * warm-up.js and the first-scan module's wasm-bindgen glue into one script, which wasm.js makes
 * a Blob URL of at page load (so that starting a worker again, after a cancel or a crash,
 * requests nothing).
 *
 * Messages in:  `{ type: "init", module }` (worker-runtime.js), `{ type: "scan", items: [{ id,
 *               path, file }] }`, `{ type: "list", folders, share, of, first, from, skip }`
 *               (list a share of folders, then scan it), `{ type: "hash-port", port }` (hash the pieces that come on
 *               `port`), `{ type: "warm-up" }` (the first worker: warm-up.js).
 * Messages out: `{ type: "ready" }`, `{ type: "init-failed", message }` (worker-runtime.js);
 *               `{ type: "found", items: [{ id, path, file }], problems, last }` — files of its
 *               share of the folders, before they are scanned (every `FOUND_FILES`, and at the end);
 *               `{ type: "done", results: [{ id, entry }] }` — in batches: every `FLUSH_FILES`
 *               files, every `FLUSH_MS`, and when the worker has nothing left to do;
 *               `{ type: "failed", id, message, results }` — the scanner threw or trapped on
 *               file `id` (`results`: the files done before it); the instance may be broken, so
 *               this worker does nothing more and the pool replaces it;
 *               `{ type: "crashed", message, results }` — anything else went wrong while
 *               scanning (which file is not known); the pool replaces this worker too.
 */
import init, { FileDigest, Sha256Stream, scanBlob, scanWindows } from "../pkg/record_precheck_scan.js";
import { describe, isBroken, markBroken, reply, serve } from "./worker-runtime.js";
import { unreadableEntry } from "./unreadable.js";
import { warmUpScanning } from "./warm-up.js";

/** @typedef {import("./pool.js").ToWorker} ToScanWorker */
/** @typedef {import("./pool.js").FromWorker} FromScanWorker */
/** @typedef {import("./pool.js").WorkItem} WorkItem */
/** @typedef {import("./pool.js").WorkResult} WorkResult */
/** @typedef {import("./pool.js").Listing} Listing */
/**
 * Between a bundle writer (report-worker.js) and a hashing worker (see `hashFor`).
 * @typedef {{ item: number, bytes: Uint8Array } | { item: number, end: true }
 *   | { item: number, digest: Blob } | { close: true }} HashPiece
 * @typedef {{ acked: number } | { item: number, sha256: string }
 *   | { item: number, size: number, crc32: number, sha256: string }
 *   | { item: number, unreadable: string }} HashAnswer
 */
/** @typedef {import("../pkg/record_precheck_scan.js").FileEntry} FileEntry */

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
/** `getFile()` calls in flight while listing (each is a call to the browser). */
const GET_FILES = 16;
/** Files found are told to the page (and scanned) in chunks of this many. */
const FOUND_FILES = 64;

/** Files given and not yet being read, oldest first. @type {WorkItem[]} */
const todo = [];
/** Whether the scan loop runs. */
let scanning = false;
/** Results not sent yet. @type {WorkResult[]} */
let results = [];
/** When the oldest unsent result was made. */
let oldest = 0;

/** @param {FromScanWorker} msg */
function tell(msg) {
  reply(msg);
}

serve(init, (/** @type {Exclude<ToScanWorker, { type: "init" }>} */ msg) => {
  switch (msg.type) {
    case "scan":
      todo.push(...msg.items);
      if (!scanning) scanAll();
      return;
    case "list":
      list(msg).catch((err) => {
        markBroken();
        tell({ type: "crashed", message: describe(err), results });
        results = [];
      });
      return;
    case "hash-port":
      hashFor(msg.port);
      return;
    case "warm-up":
      try {
        warmUpScanning(scanWindows);
      } catch (err) {
        console.warn(`record-precheck: the warm-up failed (${describe(err)}); scanning is not affected`);
      }
      return;
  }
});

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
      if (!(await scanGroup(next.group, heads))) return; // broken: the pool replaces this worker
    }
    flush();
    scanning = false;
  } catch (err) {
    // Not a scanner failure on one file (those are caught in `attempt`): this worker cannot
    // tell which file, so the pool scans the files it held again, one at a time.
    markBroken();
    tell({ type: "crashed", message: describe(err), results });
    results = [];
  }
}

/**
 * Lists this worker's share of the folders, takes the `File`s, tells the page what it found and
 * scans it (see pool.js `Listing`).
 * @param {Listing} listing
 */
async function list({ folders, share, of, first, from, skip }) {
  const skipped = new Set(skip);
  let next = from;
  /** @type {WorkItem[]} */
  let items = [];
  /** @type {FileEntry[]} */
  let problems = [];
  /** @param {boolean} last */
  const tellFound = (last) => {
    if (isBroken()) return;
    tell({ type: "found", items, problems, last });
    todo.push(...items);
    items = [];
    problems = [];
    if (!scanning && todo.length > 0) scanAll();
  };
  /** @type {Promise<void>[]} */
  const opening = [];
  for (const folder of folders) {
    for await (const found of filesOf(folder.handle, folder.path, share, of)) {
      if (isBroken()) return;
      if (skipped.has(found.path)) continue;
      if ("problem" in found) {
        problems.push(unreadableEntry(found.path, true, found.problem, "handle"));
        continue;
      }
      const id = first + share + of * next;
      next += 1;
      opening.push(
        found.handle.getFile().then(
          (file) => {
            items.push({ id, path: found.path, file });
            if (items.length >= FOUND_FILES) tellFound(false);
          },
          (err) => {
            problems.push(unreadableEntry(found.path, false, err, "handle"));
          },
        ),
      );
      if (opening.length >= GET_FILES) await opening.shift();
    }
  }
  await Promise.all(opening);
  tellFound(true);
}

/**
 * The files under `dir` whose paths fall in share `share` of `of`, and the folders under it
 * that could not be listed (reported by the share their path falls in).
 * @param {FileSystemDirectoryHandle} dir
 * @param {string} path
 * @param {number} share
 * @param {number} of
 * @returns {AsyncGenerator<{ path: string, handle: FileSystemFileHandle } | { path: string, problem: unknown }>}
 */
async function* filesOf(dir, path, share, of) {
  /** @type {[FileSystemDirectoryHandle, string][]} */
  const stack = [[dir, path]];
  while (stack.length > 0) {
    const [d, at] = /** @type {[FileSystemDirectoryHandle, string]} */ (stack.pop());
    try {
      for await (const [name, handle] of d.entries()) {
        const p = at ? `${at}/${name}` : name;
        if (handle.kind === "directory") stack.push([/** @type {FileSystemDirectoryHandle} */ (handle), p]);
        else if (inShare(p, share, of)) yield { path: p, handle: /** @type {FileSystemFileHandle} */ (handle) };
      }
    } catch (problem) {
      if (inShare(at, share, of)) yield { path: at, problem };
    }
  }
}

/**
 * Whether `path` is in share `share` of `of`: by its FNV-1a hash, the same in every worker
 * whatever order a listing gives.
 * @param {string} path
 * @param {number} share
 * @param {number} of
 */
function inShare(path, share, of) {
  let h = 0x811c9dc5;
  for (let i = 0; i < path.length; i += 1) h = Math.imul(h ^ path.charCodeAt(i), 0x01000193);
  return (h >>> 0) % of === share;
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
 * Runs the scanner on file `id`; when it throws (or traps), tells the pool and marks this
 * worker broken.
 * @param {number} id
 * @param {() => FileEntry | null} scan
 * @returns {FileEntry | null | undefined} undefined when the scanner failed
 */
function attempt(id, scan) {
  try {
    return scan();
  } catch (err) {
    markBroken();
    tell({ type: "failed", id, message: describe(err), results });
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
  tell({ type: "done", results });
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

/**
 * Files up to this size are read whole and hashed with `crypto.subtle` (the browser's SHA-256,
 * which uses the CPU's SHA instructions) while their CRC-32 is computed in wasm; bigger ones
 * are read in pieces of `DIGEST_PIECE` through `FileDigest` (sha2 in wasm), so that memory
 * stays bounded whatever their size.
 */
const SUBTLE_MAX = 16 << 20;
const DIGEST_PIECE = 4 << 20;

/**
 * Hashes, for a bundle writer, what comes on `port`: the pieces it read itself (each input's
 * pieces in order, then its end; answers `{ acked }` after each piece and `{ item, sha256 }`
 * after each end), and the files it references (`{ item, digest: file }`, read here one after
 * another; answers `{ item, size, crc32, sha256 }`, or `{ item, unreadable }` with why).
 * @param {MessagePort} port
 */
function hashFor(port) {
  /** @type {Map<number, Sha256Stream>} */
  const streams = new Map();
  /** The files to read, one after another. */
  let digests = Promise.resolve();
  let closed = false;
  port.onmessage = (/** @type {MessageEvent<HashPiece>} */ e) => {
    const m = e.data;
    if ("close" in m) {
      closed = true;
      for (const s of streams.values()) s.free();
      streams.clear();
      port.close();
      return;
    }
    if ("digest" in m) {
      const file = m.digest;
      // A file read whole is read at once (the report worker sends only a few bytes ahead), so
      // that reading the next files overlaps hashing this one; its error waits for its turn.
      const read = wholeRead(file) ? file.arrayBuffer() : null;
      read?.catch(() => {});
      digests = digests.then(async () => {
        if (closed) return;
        const answer = await digestOf(m.item, file, read).catch((err) => ({ item: m.item, unreadable: describe(err) }));
        if (!closed) port.postMessage(/** @type {HashAnswer} */ (answer));
      });
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

/**
 * Whether `file` is read whole and hashed with `crypto.subtle` (see `SUBTLE_MAX`).
 * @param {Blob} file
 */
function wholeRead(file) {
  return !!globalThis.crypto?.subtle && file.size <= SUBTLE_MAX;
}

/**
 * The size, CRC-32 and SHA-256 of a whole file. Rejects when it cannot be read (it changed or
 * went away since it was picked: `NotReadableError`, `NotFoundError`).
 * @param {number} item
 * @param {Blob} file
 * @param {Promise<ArrayBuffer> | null} read its whole content, when `wholeRead`
 * @returns {Promise<HashAnswer>}
 */
async function digestOf(item, file, read) {
  if (read) {
    const bytes = await read;
    // The browser hashes on its own thread while the CRC-32 is computed here.
    const sha = crypto.subtle.digest("SHA-256", bytes);
    const d = new FileDigest(false);
    let crc32;
    try {
      d.update(new Uint8Array(bytes));
      crc32 = d.crc32();
    } finally {
      d.free();
    }
    const sha256 = Array.from(new Uint8Array(await sha), (b) => b.toString(16).padStart(2, "0")).join("");
    return { item, size: bytes.byteLength, crc32, sha256 };
  }
  const d = new FileDigest(true);
  try {
    for (let at = 0; at < file.size; at += DIGEST_PIECE) {
      d.update(new Uint8Array(await file.slice(at, at + DIGEST_PIECE).arrayBuffer()));
    }
    return { item, size: d.size, crc32: d.crc32(), sha256: d.sha256() };
  } finally {
    d.free();
  }
}
