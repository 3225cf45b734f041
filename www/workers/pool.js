// @ts-check
/**
 * The pool of scan workers (scan-worker.js), each behind a worker bridge (bridge.js).
 *
 * - `start()` starts the workers (at page load, so that a scan requests nothing): `size` of
 *   them, 1 to 8 (by default 1 to 4 by `navigator.hardwareConcurrency`); they stay for the next
 *   batch. `setSize()` changes their number (at once when idle, else after the batch).
 * - A batch's files are handed out in chunks of up to `CHUNK` files per message, each worker
 *   holding up to `DEPTH` chunks so that it never waits for the page; workers answer in
 *   batches too (see scan-worker.js).
 * - A batch's folders given as handles (collect.js) are not listed by the page: every worker is
 *   given each folder's handle (one message) and a share of its files (by a hash of their
 *   paths, so that the shares do not depend on the order a listing gives), lists the folders,
 *   takes the `File`s of its share and scans them itself; it tells the page what it found
 *   (`found`, in chunks, before it scans them), so that the files a worker holds are known here
 *   as if the page had sent them. A worker that dies before its listing is done is replaced by
 *   one that lists its share again, skipping what was found.
 * - The order of a case's files (`byPath`) and a case put together after a scan (`mergeEntries`;
 *   the report worker does the same in wasm: src/entry.rs `merge_by_path`, `compare_paths`).
 * - Progress: files and bytes done of the batch, and a file being read, per answer; and the
 *   entries as they come (`onEntries`: the report worker gets them during the scan, instead of
 *   all at once after it, see reporter.js `addScanned`).
 * - `cancel()` terminates every worker (a scan cannot be interrupted otherwise) and starts new
 *   ones; the batch's promise rejects with an `AbortError`.
 * - A worker whose scanner threw or trapped on a file is replaced: that file becomes a `corrupt`
 *   entry saying the scanner stopped on it, the files it still held go to the other workers, and
 *   the batch goes on. A worker that failed without saying on which file (an error outside the
 *   scanner, an uncaught one) is replaced too, and the files it held are scanned again one at
 *   a time, each alone in a worker, so that the one that makes a worker fail again is the one
 *   reported; the others are scanned as usual.
 *
 * Workers get the compiled wasm module from the page (no second download of the .wasm) and
 * start from a Blob URL made at page load (wasm.js: no request when one starts again).
 */
import { WorkerBridge } from "./bridge.js";
import { unreadableEntry } from "./unreadable.js";

/** @typedef {import("../pkg/record_precheck.js").FileEntry} FileEntry */
/** @typedef {import("./wasm.js").WorkerScript} WorkerScript */
/**
 * A file for a worker: `id` is its index in the batch.
 * @typedef {{ id: number, path: string, file: File }} WorkItem
 * @typedef {{ id: number, entry: FileEntry }} WorkResult
 */
/**
 * A folder given as a handle: `path` is its name as the report shows it.
 * @typedef {{ path: string, handle: FileSystemDirectoryHandle }} Folder
 */
/**
 * What a worker is asked to list: the files of `folders` whose path hashes to `share` modulo
 * `of` (scan-worker.js `inShare`), but those of `skip`; the j-th file it finds gets the id
 * `first + share + of * (from + j)`.
 * @typedef {{ folders: Folder[], share: number, of: number, first: number, from: number, skip: string[] }} Listing
 */
/**
 * The scan worker's messages (scan-worker.js).
 * @typedef {{ type: "init", module: WebAssembly.Module }
 *   | { type: "scan", items: WorkItem[] }
 *   | ({ type: "list" } & Listing)
 *   | { type: "hash-port", port: MessagePort }
 *   | { type: "warm-up" }} ToWorker
 * @typedef {{ type: "ready" }
 *   | { type: "init-failed", message: string }
 *   | { type: "done", results: WorkResult[] }
 *   | { type: "found", items: WorkItem[], problems: FileEntry[], last: boolean }
 *   | { type: "failed", id: number, message: string, results: WorkResult[] }
 *   | { type: "crashed", message: string, results: WorkResult[] }} FromWorker
 */
/**
 * One file to scan: `path` is what the report shows (`/`-separated, relative).
 * @typedef {{ path: string, file: File }} ScanItem
 */
/**
 * Entries a batch has done since it last told: `results` by the batch's ids (`Listing`), then
 * the files and folders of its folders that could not be read. Put together as the batch's
 * `Scanned.entries` are (`scannedEntries`).
 * @typedef {{ results: [number, FileEntry][], problems: FileEntry[] }} NewEntries
 */
/**
 * @typedef {object} Progress
 * @property {number} filesDone
 * @property {number} filesTotal
 * @property {number} bytesDone the sizes of the files done (the page does not ask a file's size
 *   itself: in Chromium that is a synchronous call to the browser, ~0.3 ms a file, which the
 *   workers make anyway)
 * @property {string} current a file being read (empty when none)
 * @property {boolean} listing whether workers are still listing the batch's folders (so
 *   `filesTotal` may grow)
 */
/**
 * What a batch scanned: `items` the files (the given ones, then those found in the folders),
 * `entries` one for each, in the same order, then one for each file or folder of the folders
 * that could not be read.
 * @typedef {{ items: ScanItem[], entries: FileEntry[] }} Scanned
 */

/** Most files per message to a worker. */
const CHUNK = 64;
/** Chunks a worker holds at most. */
const DEPTH = 3;
/** Most workers a page may ask for. */
export const MAX_WORKERS = 8;

/**
 * The default number of workers: one per core, 1 to 4.
 * @returns {number}
 */
export function defaultWorkers() {
  return Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2));
}

/**
 * The entry of a file the scanner stopped on.
 * @param {ScanItem} item
 * @param {string} message
 * @returns {FileEntry}
 */
export function stoppedEntry(item, message) {
  return {
    path: item.path,
    size: item.file.size,
    kind: "corrupt",
    reason: "could not be read",
    reason_message: { id: "reason.could-not-be-read", values: {} },
    error: `the scanner stopped on this file (${message}); the other files were checked`,
    error_message: { id: "error.scanner-stopped", values: { detail: message } },
    bytes_read: 0,
  };
}

/**
 * A batch's entries in order: its files' by id (the given files, then those found in folders),
 * then what its folders held that could not be read (the report worker puts the same order
 * together in wasm: ScannedFiles.afterScan).
 * @param {(FileEntry | undefined)[]} results by id (sparse)
 * @param {FileEntry[]} problems
 * @returns {FileEntry[]}
 */
function scannedEntries(results, problems) {
  /** @type {FileEntry[]} */
  const entries = [];
  results.forEach((entry) => entries.push(/** @type {FileEntry} */ (entry)));
  entries.push(...problems);
  return entries;
}

/**
 * The entries of a case after a scan: `previous` with `added` (an added file replaces the one
 * of the same path), ordered by path. The report worker puts the same case together from the
 * entries it was sent during the scan (reporter.js `setScanned`) with src/entry.rs
 * `merge_by_path`, which keeps to this rule.
 * @template {{ path: string }} T
 * @param {T[]} previous
 * @param {T[]} added
 * @returns {T[]}
 */
export function mergeEntries(previous, added) {
  const all = new Map(previous.map((e) => [e.path, e]));
  for (const e of added) all.set(e.path, e);
  return byPath([...all.values()]);
}

/**
 * Orders items as the CLI walks a folder (by path), so the same files give the same report.
 * @template {{ path: string }} T
 * @param {T[]} items
 * @returns {T[]}
 */
export function byPath(items) {
  return items
    .map((item) => ({ item, parts: item.path.split("/") }))
    .sort((a, b) => comparePaths(a.parts, b.parts))
    .map(({ item }) => item);
}

/**
 * Folder by folder, name by name (so `A/B` comes before `A-C`, as in a folder walk).
 * @param {string[]} a
 * @param {string[]} b
 * @returns {number}
 */
function comparePaths(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return a.length - b.length;
}

/** A scan worker and the files it holds. */
class Slot extends WorkerBridge {
  /**
   * @param {WorkerScript} script
   * @param {ConstructorParameters<typeof WorkerBridge>[1]} options
   */
  constructor(script, options) {
    super(script, options);
    /** Ids sent to it and not answered, oldest first. @type {number[]} */
    this.pending = [];
    /** It holds one file scanned again after a worker died. */
    this.alone = false;
    /** The share of the batch's folders it lists, until it found them all. @type {number | null} */
    this.share = null;
  }

  /** A scan worker owes an answer while it holds files or lists folders. */
  expecting() {
    // (Also asked while the bridge starts, before `pending` exists.)
    return (this.pending?.length ?? 0) > 0 || (this.share ?? null) !== null;
  }
}

/**
 * One worker's share of the batch's folders.
 * @typedef {object} Share
 * @property {Set<string>} found the paths it found so far (files, and what could not be read)
 * @property {number} next the place, in its ids, after the last file found (see `Listing`)
 * @property {boolean} listed whether it found them all
 * @property {number} deaths workers that died while listing it, no file blamed
 */
/**
 * @typedef {object} Batch
 * @property {ScanItem[]} items by id (sparse: the ids of the files found in folders are spread
 *   out by share, see `Listing`)
 * @property {number} first the first id of the files found in folders (the given files' ids
 *   are below)
 * @property {number} known the files known
 * @property {(FileEntry | undefined)[]} results by id
 * @property {FileEntry[]} problems the files and folders of the folders that could not be read
 * @property {Folder[]} folders
 * @property {Share[]} shares
 * @property {number[]} queue ids not yet sent to a worker
 * @property {number[]} suspects ids held by a worker that died: sent one at a time
 * @property {number} filesDone
 * @property {number} bytesDone
 * @property {string} current
 * @property {(p: Progress) => void} onProgress
 * @property {(e: NewEntries) => void} onEntries
 * @property {[number, FileEntry][]} fresh results not told yet
 * @property {number} problemsTold
 * @property {(scanned: Scanned) => void} resolve
 * @property {(err: unknown) => void} reject
 */

export class ScanPool {
  /**
   * @param {object} options
   * @param {() => Promise<WorkerScript>} options.script the workers' script (wasm.js
   *   `workerScript`)
   * @param {number} [options.size] workers (default: `defaultWorkers()`)
   */
  constructor(options) {
    this.getScript = options.script;
    this.size = options.size ?? defaultWorkers();
    /** @type {Slot[]} */
    this.slots = [];
    /** @type {Batch | null} */
    this.batch = null;
    /** @type {WorkerScript | null} */
    this.script = null;
    /** @type {Promise<void> | null} */
    this.starting = null;
    /** Whether workers should run (between `start()` and `stop()`). */
    this.running = false;
    this.started = 0;
    /**
     * Told when a worker dies while no batch runs (it may have been hashing a bundle).
     * @type {((message: string) => void) | null}
     */
    this.onIdleDeath = null;
  }

  /** Whether a batch is running. */
  get busy() {
    return this.batch !== null;
  }

  /**
   * Ports to the idle workers, one each, for hashing a bundle's pieces (scan-worker.js `hashFor`);
   * none while a batch runs or before the workers are up.
   * @returns {MessagePort[]}
   */
  hashPorts() {
    if (this.batch) return [];
    return this.slots
      .filter((slot) => slot.ready)
      .map((slot) => {
        const channel = new MessageChannel();
        /** @type {ToWorker} */
        const msg = { type: "hash-port", port: channel.port2 };
        slot.post(msg, [channel.port2]);
        return channel.port1;
      });
  }

  /**
   * Fetches what the workers need (once) and starts them.
   * @returns {Promise<void>}
   */
  start() {
    this.running = true;
    if (!this.starting) {
      this.starting = this.getScript().then(
        (script) => {
          this.script = script;
        },
        (err) => {
          this.starting = null;
          throw err;
        },
      );
    }
    return this.starting.then(() => {
      if (this.running) this.resize();
    });
  }

  /** Stops every worker (a running batch is cancelled); `start()` starts them again. */
  stop() {
    this.running = false;
    this.cancel();
  }

  /**
   * The number of workers, 1 to `MAX_WORKERS`: at once when idle, else after the batch.
   * @param {number} n
   */
  setSize(n) {
    this.size = Math.max(1, Math.min(MAX_WORKERS, Math.floor(n) || 1));
    if (!this.batch) this.resize();
  }

  /** Starts or stops workers until there are `size` (only when started and idle). */
  resize() {
    if (!this.running || !this.script || this.batch) return;
    while (this.slots.length > this.size) /** @type {Slot} */ (this.slots.pop()).terminate();
    while (this.slots.length < this.size) this.slots.push(this.spawn());
  }

  /**
   * Scans the files and the files of the folders (listed by the workers).
   * @param {ScanItem[]} items
   * @param {Folder[]} folders
   * @param {(p: Progress) => void} [onProgress]
   * @param {(e: NewEntries) => void} [onEntries]
   * @returns {Promise<Scanned>}
   */
  async scan(items, folders, onProgress = () => {}, onEntries = () => {}) {
    if (this.batch) throw new Error("could not start a scan: another one is running");
    if (items.length === 0 && folders.length === 0) return { items: [], entries: [] };
    await this.start();
    if (this.batch) throw new Error("could not start a scan: another one is running");
    return new Promise((resolve, reject) => {
      this.batch = {
        items: [...items],
        first: items.length,
        known: items.length,
        results: new Array(items.length),
        problems: [],
        folders,
        shares: folders.length > 0 ? this.slots.map(() => ({ found: new Set(), next: 0, listed: false, deaths: 0 })) : [],
        queue: items.map((_, i) => i),
        suspects: [],
        filesDone: 0,
        bytesDone: 0,
        current: items[0]?.path ?? "",
        onProgress,
        onEntries,
        fresh: [],
        problemsTold: 0,
        resolve,
        reject,
      };
      this.slots.forEach((slot, share) => {
        if (this.batch && this.batch.shares.length > 0) this.list(slot, share);
      });
      this.report();
      this.fillAll();
      this.tellEntries();
    });
  }

  /**
   * Asks a worker to list its share of the batch's folders (again, after a worker died: what
   * was found is skipped, and the ids go on from there).
   * @param {Slot} slot
   * @param {number} share
   */
  list(slot, share) {
    const batch = /** @type {Batch} */ (this.batch);
    const { found, next } = batch.shares[share];
    slot.share = share;
    /** @type {ToWorker} */
    const msg = {
      type: "list",
      folders: batch.folders,
      share,
      of: batch.shares.length,
      first: batch.first,
      from: next,
      skip: [...found],
    };
    slot.post(msg);
  }

  /**
   * What a worker found in its share of the folders: files it will scan itself (held by it as
   * if sent), and what could not be read.
   * @param {Slot} slot
   * @param {Extract<FromWorker, { type: "found" }>} msg
   */
  found(slot, msg) {
    const batch = this.batch;
    if (!batch || slot.share === null) return;
    const share = batch.shares[slot.share];
    const of = batch.shares.length;
    for (const { id, path, file } of msg.items) {
      batch.items[id] = { path, file };
      share.found.add(path);
      share.next = Math.max(share.next, (id - batch.first - slot.share) / of + 1);
      slot.pending.push(id);
    }
    for (const entry of msg.problems) share.found.add(entry.path);
    batch.known += msg.items.length;
    batch.problems.push(...msg.problems);
    if (msg.last) {
      share.listed = true;
      slot.share = null;
    }
    if (batch.current === "" && msg.items.length > 0) batch.current = msg.items[0].path;
    this.report();
    this.complete();
  }

  /**
   * A worker died while listing its share of the folders: another lists it again. When no file
   * was blamed for the death (the listing itself may be what fails), only once: after a second
   * such death, what was not found of the share is given up, each folder saying why.
   * @param {Slot} fresh
   * @param {number} share
   * @param {string} message
   * @param {boolean} blamed whether a file was blamed for the death
   */
  relist(fresh, share, message, blamed) {
    const batch = /** @type {Batch} */ (this.batch);
    const s = batch.shares[share];
    if (!blamed) s.deaths += 1;
    if (s.deaths < 2) {
      this.list(fresh, share);
      return;
    }
    s.listed = true;
    for (const folder of batch.folders) {
      batch.problems.push(unreadableEntry(folder.path, true, new Error(`the scanner stopped while listing it (${message})`), "handle"));
    }
  }

  /** Stops the running batch: every worker is terminated, new ones start; its promise rejects
   * (AbortError). */
  cancel() {
    for (const slot of this.slots) slot.terminate();
    this.slots = [];
    const batch = this.batch;
    this.batch = null;
    batch?.reject(new DOMException("the scan was cancelled", "AbortError"));
    this.resize();
  }

  /** @returns {Slot} */
  spawn() {
    if (!this.script) throw new Error("the scan workers are not ready");
    this.started += 1;
    const slot = new Slot(this.script, {
      name: `record-precheck scan ${this.started}`,
      stopped: "the worker stopped",
      onMessage: (/** @type {FromWorker} */ msg) => this.onMessage(slot, msg),
      onDeath: (message) => this.onDeath(slot, message),
    });
    // The first worker warms the wasm code up for every worker (warm-up.js).
    if (this.started === 1) {
      /** @type {ToWorker} */
      const msg = { type: "warm-up" };
      slot.post(msg);
    }
    return slot;
  }

  fillAll() {
    for (const slot of this.slots) {
      if (!this.batch) return;
      this.fill(slot);
    }
  }

  /**
   * Sends queued files to a worker until it holds `DEPTH` chunks; a file scanned again after a
   * death goes alone to an idle worker.
   * @param {Slot} slot
   */
  fill(slot) {
    const batch = this.batch;
    if (!batch || slot.alone) return;
    if (batch.suspects.length > 0) {
      if (slot.pending.length > 0) return;
      slot.alone = true;
      this.send(slot, [/** @type {number} */ (batch.suspects.shift())]);
      return;
    }
    // Small batches are shared out between the workers rather than given to the first.
    const share = Math.ceil(batch.queue.length / (this.slots.length * DEPTH));
    const chunk = Math.max(1, Math.min(CHUNK, share));
    while (slot.pending.length + chunk <= chunk * DEPTH && batch.queue.length > 0) {
      this.send(slot, batch.queue.splice(0, chunk));
      if (!this.batch) return;
    }
  }

  /**
   * @param {Slot} slot
   * @param {number[]} ids
   */
  send(slot, ids) {
    const batch = /** @type {Batch} */ (this.batch);
    /** @param {number[]} some @returns {ToWorker} */
    const scan = (some) => ({
      type: "scan",
      items: some.map((id) => ({ id, path: batch.items[id].path, file: batch.items[id].file })),
    });
    try {
      slot.post(scan(ids));
      slot.pending.push(...ids);
    } catch {
      // A file could not be handed over (it cannot be copied to a worker): one by one, to
      // tell which.
      for (const id of ids) {
        try {
          slot.post(scan([id]));
          slot.pending.push(id);
        } catch (err) {
          this.finish(id, stoppedEntry(batch.items[id], err instanceof Error ? err.message : String(err)));
          if (!this.batch) return;
        }
      }
    }
  }

  /**
   * @param {Slot} slot
   * @param {FromWorker} msg
   */
  onMessage(slot, msg) {
    this.answer(slot, msg);
    this.tellEntries();
  }

  /**
   * @param {Slot} slot
   * @param {FromWorker} msg
   */
  answer(slot, msg) {
    switch (msg.type) {
      case "init-failed":
        this.startFailed(slot, msg.message);
        return;
      case "done":
        this.take(slot, msg.results);
        if (slot.pending.length === 0) slot.alone = false;
        if (this.batch) {
          const next = slot.pending[0];
          if (next !== undefined) this.batch.current = this.batch.items[next].path;
          this.report();
        }
        this.fillAll();
        return;
      case "failed":
        this.take(slot, msg.results);
        this.replace(slot, msg.id, msg.message);
        return;
      case "crashed":
        this.take(slot, msg.results);
        slot.fail(msg.message);
        return;
      case "found":
        this.found(slot, msg);
        return;
    }
  }

  /**
   * Results from a worker: its files done.
   * @param {Slot} slot
   * @param {WorkResult[]} results
   */
  take(slot, results) {
    const ids = new Set(results.map((r) => r.id));
    slot.pending = slot.pending.filter((id) => !ids.has(id));
    for (const { id, entry } of results) {
      this.finish(id, entry, false);
      if (!this.batch) return;
    }
  }

  /**
   * A worker died (an uncaught error, a message that could not be read, a crash it reported).
   * @param {Slot} slot
   * @param {string} message
   */
  onDeath(slot, message) {
    if (!slot.ready) {
      this.startFailed(slot, message);
      return;
    }
    // Alone, the file it held is the one; otherwise any of them may be.
    const culprit = slot.pending.length === 1 ? slot.pending[0] : undefined;
    if (culprit === undefined) this.batch?.suspects.push(...slot.pending);
    slot.pending = [];
    this.replace(slot, culprit, message);
    this.tellEntries();
  }

  /**
   * A worker could not start its scanner: the batch fails (it would fail again).
   * @param {Slot} slot
   * @param {string} message
   */
  startFailed(slot, message) {
    slot.terminate();
    this.slots = this.slots.filter((s) => s !== slot);
    const err = new Error(`could not start the scanner: ${message}`);
    if (this.batch) {
      for (const s of this.slots) s.terminate();
      this.slots = [];
      const batch = this.batch;
      this.batch = null;
      batch.reject(err);
    } else {
      console.error(err);
    }
  }

  /**
   * Terminates a worker whose scanner stopped on file `id` (when known) and starts another; the
   * file becomes a `corrupt` entry, the other files it held go back to the front of the queue.
   * @param {Slot} slot
   * @param {number | undefined} id
   * @param {string} message
   */
  replace(slot, id, message) {
    slot.terminate();
    const batch = this.batch;
    const rest = slot.pending.filter((p) => p !== id);
    const fresh = this.spawn();
    this.slots = this.slots.map((s) => (s === slot ? fresh : s));
    if (!batch) {
      this.onIdleDeath?.(message);
      return;
    }
    batch.queue.unshift(...rest);
    if (slot.share !== null) this.relist(fresh, slot.share, message, id !== undefined);
    if (id !== undefined) this.finish(id, stoppedEntry(batch.items[id], message));
    this.complete();
    this.fillAll();
  }

  /**
   * @param {number} id
   * @param {FileEntry} entry
   * @param {boolean} [tell] report progress now
   */
  finish(id, entry, tell = true) {
    const batch = this.batch;
    if (!batch || batch.results[id] !== undefined) return;
    batch.results[id] = entry;
    batch.fresh.push([id, entry]);
    batch.filesDone += 1;
    batch.bytesDone += entry.size;
    if (!this.complete() && tell) this.report();
  }

  /**
   * Ends the batch when every file is done and every folder listed.
   * @returns {boolean} whether it ended
   */
  complete() {
    const batch = this.batch;
    if (!batch || batch.filesDone < batch.known || !batch.shares.every((s) => s.listed)) return false;
    this.batch = null;
    batch.current = "";
    this.report(batch);
    this.tellEntries(batch);
    /** @type {ScanItem[]} */
    const items = [];
    batch.items.forEach((item) => items.push(item));
    batch.resolve({ items, entries: scannedEntries(batch.results, batch.problems) });
    this.resize();
    return true;
  }

  /**
   * Tells the entries done since the last time (once per answer of a worker, not per file).
   * @param {Batch | null} [b]
   */
  tellEntries(b = this.batch) {
    if (!b || (b.fresh.length === 0 && b.problemsTold === b.problems.length)) return;
    const told = { results: b.fresh, problems: b.problems.slice(b.problemsTold) };
    b.fresh = [];
    b.problemsTold = b.problems.length;
    b.onEntries(told);
  }

  /** @param {Batch | null} [b] */
  report(b = this.batch) {
    if (!b) return;
    b.onProgress({
      filesDone: b.filesDone + b.problems.length,
      filesTotal: b.known + b.problems.length,
      bytesDone: b.bytesDone,
      current: b.current,
      listing: !b.shares.every((s) => s.listed),
    });
  }
}
