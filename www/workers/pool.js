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
 * - Progress: files and bytes done of the batch, and a file being read, per answer.
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

/** @typedef {import("../pkg/record_precheck.js").FileEntry} FileEntry */
/** @typedef {import("./wasm.js").WorkerScript} WorkerScript */
/**
 * A file for a worker: `id` is its index in the batch.
 * @typedef {{ id: number, path: string, file: File }} WorkItem
 * @typedef {{ id: number, entry: FileEntry }} WorkResult
 */
/**
 * The scan worker's messages (scan-worker.js).
 * @typedef {{ type: "init", module: WebAssembly.Module }
 *   | { type: "scan", items: WorkItem[] }
 *   | { type: "hash-port", port: MessagePort }
 *   | { type: "warm-up" }} ToWorker
 * @typedef {{ type: "ready" }
 *   | { type: "init-failed", message: string }
 *   | { type: "done", results: WorkResult[] }
 *   | { type: "failed", id: number, message: string, results: WorkResult[] }
 *   | { type: "crashed", message: string, results: WorkResult[] }} FromWorker
 */
/**
 * One file to scan: `path` is what the report shows (`/`-separated, relative).
 * @typedef {{ path: string, file: File }} ScanItem
 */
/**
 * @typedef {object} Progress
 * @property {number} filesDone
 * @property {number} filesTotal
 * @property {number} bytesDone the sizes of the files done (the page does not ask a file's size
 *   itself: in Chromium that is a synchronous call to the browser, ~0.3 ms a file, which the
 *   workers make anyway)
 * @property {string} current a file being read (empty when none)
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
  }

  /** A scan worker owes an answer while it holds files. */
  expecting() {
    // (Also asked while the bridge starts, before `pending` exists.)
    return (this.pending?.length ?? 0) > 0;
  }
}

/**
 * @typedef {object} Batch
 * @property {ScanItem[]} items
 * @property {(FileEntry | undefined)[]} results
 * @property {number[]} queue ids not yet sent to a worker
 * @property {number[]} suspects ids held by a worker that died: sent one at a time
 * @property {number} filesDone
 * @property {number} bytesDone
 * @property {string} current
 * @property {(p: Progress) => void} onProgress
 * @property {(entries: FileEntry[]) => void} resolve
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
   * Scans the files; resolves with one entry per item, in the items' order.
   * @param {ScanItem[]} items
   * @param {(p: Progress) => void} [onProgress]
   * @returns {Promise<FileEntry[]>}
   */
  async scan(items, onProgress = () => {}) {
    if (this.batch) throw new Error("could not start a scan: another one is running");
    if (items.length === 0) return [];
    await this.start();
    if (this.batch) throw new Error("could not start a scan: another one is running");
    return new Promise((resolve, reject) => {
      this.batch = {
        items,
        results: new Array(items.length),
        queue: items.map((_, i) => i),
        suspects: [],
        filesDone: 0,
        bytesDone: 0,
        current: items[0].path,
        onProgress,
        resolve,
        reject,
      };
      this.report();
      this.fillAll();
    });
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
    if (id !== undefined) this.finish(id, stoppedEntry(batch.items[id], message));
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
    batch.filesDone += 1;
    batch.bytesDone += entry.size;
    if (batch.filesDone === batch.items.length) {
      this.batch = null;
      batch.current = "";
      this.report(batch);
      batch.resolve(/** @type {FileEntry[]} */ (batch.results));
      this.resize();
    } else if (tell) {
      this.report();
    }
  }

  /** @param {Batch | null} [b] */
  report(b = this.batch) {
    if (!b) return;
    b.onProgress({
      filesDone: b.filesDone,
      filesTotal: b.items.length,
      bytesDone: b.bytesDone,
      current: b.current,
    });
  }
}
