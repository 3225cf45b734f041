// @ts-check
/**
 * The worker bridge: a pool of scan workers (worker.js), after squoosh's WorkerBridge.
 *
 * - Workers start lazily, on the first scan, 1 to 4 of them by `navigator.hardwareConcurrency`,
 *   never more than there are files; they stay for the next batch.
 * - Jobs are queued; each worker has at most `DEPTH` files in flight (so it never waits for the
 *   page between two files), and answers in order.
 * - Progress: files and bytes done of the batch, and the file being read.
 * - `cancel()` terminates every worker (a scan cannot be interrupted otherwise); the batch's
 *   promise rejects with an `AbortError`.
 * - A worker whose scanner threw or trapped (or that died) is replaced; the file it was on
 *   becomes a `corrupt` entry saying the scanner stopped on it, the files queued behind it go to
 *   the other workers, and the batch goes on.
 *
 * Workers get the compiled wasm module from the page (no second download of the .wasm).
 */

/** @typedef {import("./pkg/record_precheck.js").FileEntry} FileEntry */
/**
 * @typedef {{ type: "init", module: WebAssembly.Module }
 *   | { type: "scan", id: number, path: string, file: File }} ToWorker
 * @typedef {{ type: "ready" }
 *   | { type: "init-failed", message: string }
 *   | { type: "done", id: number, entry: FileEntry }
 *   | { type: "failed", id: number, message: string }} FromWorker
 */
/**
 * One file to scan: `path` is what the report shows (`/`-separated, relative).
 * @typedef {{ path: string, file: File }} ScanItem
 */
/**
 * @typedef {object} Progress
 * @property {number} filesDone
 * @property {number} filesTotal
 * @property {number} bytesDone
 * @property {number} bytesTotal
 * @property {string} current the file being read (empty when none)
 */

/** Files in flight per worker. */
const DEPTH = 2;
const WORKER_URL = new URL("./worker.js", import.meta.url);

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
    error: `the scanner stopped on this file (${message}); the other files were checked`,
    bytes_read: 0,
  };
}

/**
 * @typedef {object} Slot
 * @property {Worker} worker
 * @property {number[]} pending indices into the batch, oldest first
 * @property {boolean} ready
 */

/**
 * @typedef {object} Batch
 * @property {ScanItem[]} items
 * @property {(FileEntry | undefined)[]} results
 * @property {number[]} queue indices not yet sent to a worker
 * @property {number} filesDone
 * @property {number} bytesDone
 * @property {number} bytesTotal
 * @property {string} current
 * @property {(p: Progress) => void} onProgress
 * @property {(entries: FileEntry[]) => void} resolve
 * @property {(err: unknown) => void} reject
 */

export class ScanPool {
  /**
   * @param {object} options
   * @param {() => Promise<WebAssembly.Module>} options.module the compiled wasm module
   * @param {number} [options.size] workers at most (default: by hardwareConcurrency, 1–4)
   */
  constructor(options) {
    this.getModule = options.module;
    this.maxWorkers =
      options.size ?? Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2));
    /** @type {Slot[]} */
    this.slots = [];
    /** @type {Batch | null} */
    this.batch = null;
    /** @type {WebAssembly.Module | null} */
    this.module = null;
    this.started = 0;
  }

  /** Whether a batch is running. */
  get busy() {
    return this.batch !== null;
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
    this.module ??= await this.getModule();
    return new Promise((resolve, reject) => {
      this.batch = {
        items,
        results: new Array(items.length),
        queue: items.map((_, i) => i),
        filesDone: 0,
        bytesDone: 0,
        bytesTotal: items.reduce((n, it) => n + it.file.size, 0),
        current: "",
        onProgress,
        resolve,
        reject,
      };
      this.report();
      const wanted = Math.min(this.maxWorkers, items.length);
      while (this.slots.length < wanted) this.slots.push(this.spawn());
      for (const slot of this.slots) this.fill(slot);
    });
  }

  /** Stops the running batch: every worker is terminated; its promise rejects (AbortError). */
  cancel() {
    for (const slot of this.slots) slot.worker.terminate();
    this.slots = [];
    const batch = this.batch;
    this.batch = null;
    batch?.reject(new DOMException("the scan was cancelled", "AbortError"));
  }

  /** @returns {Slot} */
  spawn() {
    this.started += 1;
    const worker = new Worker(WORKER_URL, {
      type: "module",
      name: `record-precheck scan ${this.started}`,
    });
    /** @type {Slot} */
    const slot = { worker, pending: [], ready: false };
    worker.onmessage = (/** @type {MessageEvent<FromWorker>} */ e) => this.onMessage(slot, e.data);
    worker.onerror = (e) => {
      e.preventDefault();
      this.onDeath(slot, e.message || "the worker stopped");
    };
    worker.onmessageerror = () => this.onDeath(slot, "a message could not be read");
    if (!this.module) throw new Error("the wasm module is not compiled");
    /** @type {ToWorker} */
    const init = { type: "init", module: this.module };
    worker.postMessage(init);
    return slot;
  }

  /**
   * Sends queued files to a worker until it has `DEPTH` in flight.
   * @param {Slot} slot
   */
  fill(slot) {
    const batch = this.batch;
    if (!batch) return;
    while (slot.pending.length < DEPTH && batch.queue.length > 0) {
      const id = /** @type {number} */ (batch.queue.shift());
      const item = batch.items[id];
      slot.pending.push(id);
      batch.current = item.path;
      /** @type {ToWorker} */
      const msg = { type: "scan", id, path: item.path, file: item.file };
      try {
        slot.worker.postMessage(msg);
      } catch (err) {
        // The file could not be handed over (it cannot be copied to a worker).
        slot.pending = slot.pending.filter((p) => p !== id);
        this.finish(id, stoppedEntry(item, err instanceof Error ? err.message : String(err)));
        if (!this.batch) return;
      }
    }
  }

  /**
   * @param {Slot} slot
   * @param {FromWorker} msg
   */
  onMessage(slot, msg) {
    if (!this.slots.includes(slot)) return; // a worker already replaced or terminated
    switch (msg.type) {
      case "ready":
        slot.ready = true;
        return;
      case "init-failed":
        this.fail(new Error(`could not start the scanner: ${msg.message}`));
        return;
      case "done":
        slot.pending = slot.pending.filter((id) => id !== msg.id);
        this.finish(msg.id, msg.entry);
        this.fill(slot);
        return;
      case "failed":
        this.replace(slot, msg.id, msg.message);
        return;
    }
  }

  /**
   * A worker died (out of memory, an uncaught error).
   * @param {Slot} slot
   * @param {string} message
   */
  onDeath(slot, message) {
    if (!this.slots.includes(slot)) return;
    if (!slot.ready && slot.pending.length === 0) {
      this.fail(new Error(`could not start the scanner: ${message}`));
      return;
    }
    this.replace(slot, slot.pending[0], message);
  }

  /**
   * Terminates a worker whose scanner stopped on file `id` and starts another; the file becomes
   * a `corrupt` entry, the other files it held go back to the front of the queue.
   * @param {Slot} slot
   * @param {number | undefined} id
   * @param {string} message
   */
  replace(slot, id, message) {
    slot.worker.terminate();
    const batch = this.batch;
    const rest = slot.pending.filter((p) => p !== id);
    const fresh = this.spawn();
    this.slots = this.slots.map((s) => (s === slot ? fresh : s));
    if (!batch) return;
    batch.queue.unshift(...rest);
    if (id !== undefined) this.finish(id, stoppedEntry(batch.items[id], message));
    this.fill(fresh);
  }

  /**
   * @param {number} id
   * @param {FileEntry} entry
   */
  finish(id, entry) {
    const batch = this.batch;
    if (!batch || batch.results[id] !== undefined) return;
    batch.results[id] = entry;
    batch.filesDone += 1;
    batch.bytesDone += batch.items[id].file.size;
    this.report();
    if (batch.filesDone === batch.items.length) {
      this.batch = null;
      batch.current = "";
      batch.resolve(/** @type {FileEntry[]} */ (batch.results));
    }
  }

  /** @param {Error} err */
  fail(err) {
    for (const slot of this.slots) slot.worker.terminate();
    this.slots = [];
    const batch = this.batch;
    this.batch = null;
    batch?.reject(err);
  }

  report() {
    const b = this.batch;
    if (!b) return;
    b.onProgress({
      filesDone: b.filesDone,
      filesTotal: b.items.length,
      bytesDone: b.bytesDone,
      bytesTotal: b.bytesTotal,
      current: b.current,
    });
  }
}
