// @ts-check
/**
 * The worker bridge (after squoosh's WorkerBridge): one worker of the page, from its start to
 * its end, for pool.js (the scan workers) and reporter.js (the report worker); and
 * `OnDemandWorker`, one started when needed, for the document and pixel workers.
 *
 * - Started from a script of wasm.js (a Blob URL made at page load, so that starting another
 *   requests nothing) and given the compiled wasm module (`init`); `ready` once it says so.
 * - `request()`: a promise per request. The worker answers with the request's `id`: the
 *   message types the request names as updates (a bundle's pieces, its progress) go to its
 *   `onUpdate`, the first other one settles it — `{ type: "error", message, fatal, reason? }`
 *   rejects it (with an `Error` of `message` whose `reason` is the message's, or null). Any
 *   other message goes to the owner's `onMessage`.
 * - `terminate(reason)`: cancel — the worker stops (a wasm call cannot be interrupted
 *   otherwise) and every request waiting rejects with `reason`.
 * - A time bound: while the owner expects an answer (`expecting()`: a request waits, other
 *   than a `patient` one such as a bundle, paced by the page; the pool overrides it for the
 *   files a scan worker holds), a worker that says nothing for `quietLimit.seconds` (120 by
 *   default; the element's `worker-timeout` attribute) is taken as stuck — a file that makes a
 *   reader loop — and dies like a trapped one, with a message that says so.
 * - A worker that dies — an uncaught error, a message that cannot be read, an answer marked
 *   `fatal` (the wasm trapped: the instance is not trusted any more), or the owner's `fail()`
 *   — is terminated, what waits rejects, and the owner's `onDeath` is told; the owner starts
 *   another bridge from the same script when it needs one (at once, or for its next request).
 */

/** @typedef {import("./wasm.js").WorkerScript} WorkerScript */

/** How long a worker may stay silent while an answer is expected (seconds). Shared by every
 * worker of the page; set by the element's `worker-timeout` attribute. */
export const quietLimit = { seconds: 120 };
/** How often the silence is checked (ms). */
const QUIET_CHECK_MS = 250;
/** @typedef {{ type: string, id?: number }} Message */
/**
 * @typedef {object} Waiting
 * @property {(msg: any) => void} resolve
 * @property {(err: unknown) => void} reject
 * @property {string[]} updates
 * @property {(msg: any) => void} onUpdate
 * @property {boolean} patient no time bound (the page paces it)
 */

/**
 * Whether `err` is a cancel (a terminated worker, a stopped scan or bundle).
 * @param {unknown} err
 * @returns {boolean}
 */
export function isAbort(err) {
  return err instanceof DOMException && err.name === "AbortError";
}

/**
 * An error's message, for the patient.
 * @param {unknown} err
 * @returns {string}
 */
export function messageOf(err) {
  return err instanceof Error ? err.message : String(err);
}

export class WorkerBridge {
  /**
   * @param {WorkerScript} script
   * @param {object} options
   * @param {string} options.name the worker's name (shown in the browser's tools)
   * @param {string} options.stopped what a death says when the browser gives no message
   * @param {(msg: any) => void} options.onMessage a message that is no request's answer
   * @param {(message: string) => void} options.onDeath the worker died
   */
  constructor(script, { name, stopped, onMessage, onDeath }) {
    this.worker = new Worker(script.url, { type: "module", name });
    this.onMessage = onMessage;
    this.onDeath = onDeath;
    this.ready = false;
    /** Terminated, or died: its messages are not taken any more. */
    this.closed = false;
    /** @type {Map<number, Waiting>} */
    this.waiting = new Map();
    this.worker.onmessage = (/** @type {MessageEvent<Message>} */ e) => this.receive(e.data);
    this.worker.onerror = (e) => {
      e.preventDefault();
      this.fail(e.message || stopped);
    };
    this.worker.onmessageerror = () => this.fail("a message could not be read");
    /** When the worker was last heard from, or an answer started to be expected (ms). */
    this.heard = performance.now();
    this.watch = setInterval(() => this.checkQuiet(), QUIET_CHECK_MS);
    this.post({ type: "init", module: script.module });
  }

  /** Whether an answer is expected now: a request waits that is not `patient`. */
  expecting() {
    for (const w of this.waiting.values()) if (!w.patient) return true;
    return false;
  }

  /** Stops a worker that has said nothing for longer than the time bound while expected to. */
  checkQuiet() {
    if (this.closed || !this.expecting()) return;
    const seconds = quietLimit.seconds;
    if (performance.now() - this.heard > seconds * 1000)
      this.fail(`it gave no answer for ${seconds} seconds (the file may make the reader loop), so it was stopped`);
  }

  /**
   * Posts a message (throws when it cannot be copied to the worker).
   * @param {{ type: string, [key: string]: unknown }} msg
   * @param {Transferable[]} [transfer]
   */
  post(msg, transfer = []) {
    // The silence counts from the first message that makes an answer expected.
    if (!this.expecting()) this.heard = performance.now();
    this.worker.postMessage(msg, transfer);
  }

  /**
   * Posts a request (`msg.id`: unique among this bridge's requests) and resolves with its answer.
   * @param {{ type: string, id: number, [key: string]: unknown }} msg
   * @param {{ transfer?: Transferable[], updates?: string[], onUpdate?: (msg: any) => void, patient?: boolean }} [options]
   *   `patient`: no time bound (a bundle, paced by how fast the page writes it)
   * @returns {Promise<any>}
   */
  request(msg, { transfer = [], updates = [], onUpdate = () => {}, patient = false } = {}) {
    return new Promise((resolve, reject) => {
      if (!this.expecting()) this.heard = performance.now();
      this.waiting.set(msg.id, { resolve, reject, updates, onUpdate, patient });
      this.worker.postMessage(msg, transfer);
    });
  }

  /** @param {Message & { message?: string, fatal?: boolean, reason?: string | null }} msg */
  receive(msg) {
    if (this.closed) return;
    this.heard = performance.now();
    if (msg.type === "ready") {
      this.ready = true;
      return;
    }
    const waiter = msg.id === undefined ? undefined : this.waiting.get(msg.id);
    if (!waiter) {
      this.onMessage(msg);
      return;
    }
    if (waiter.updates.includes(msg.type)) {
      waiter.onUpdate(msg);
      return;
    }
    this.waiting.delete(/** @type {number} */ (msg.id));
    if (msg.type !== "error") {
      waiter.resolve(msg);
      return;
    }
    const message = msg.message ?? "";
    // A worker may say why in words to fill in the page's language (the pixel worker's `reason`).
    waiter.reject(Object.assign(new Error(message), { reason: msg.reason ?? null }));
    // The wasm trapped: that instance is not trusted any more.
    if (msg.fatal) this.fail(message);
  }

  /**
   * Stops the worker; every request waiting rejects with `reason`.
   * @param {unknown} [reason]
   */
  terminate(reason = new DOMException("the worker was stopped", "AbortError")) {
    this.closed = true;
    clearInterval(this.watch);
    this.worker.terminate();
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of waiting) w.reject(reason);
  }

  /**
   * The worker died (or its owner says it can no longer be trusted): it is terminated, what
   * waits rejects with `message`, and the owner is told.
   * @param {string} message
   */
  fail(message) {
    if (this.closed) return;
    this.terminate(new Error(message));
    this.onDeath(message);
  }
}

/**
 * A worker of one kind started when first needed, and again after one died (a trap costs the
 * file it was on only): the document worker (documents.js) and the pixel workers
 * (thumbnails.js). `cancel()` (the patient started over) stops it and bumps `generation`, so that
 * what its owner runs from before stops too.
 */
export class OnDemandWorker {
  /**
   * @param {() => Promise<WorkerScript>} script
   * @param {string} name the worker's name (shown in the browser's tools)
   * @param {string} stopped what a death says when the browser gives no message
   */
  constructor(script, name, stopped) {
    this.script = script;
    this.name = name;
    this.stopped = stopped;
    /** @type {WorkerBridge | null} */
    this.bridge = null;
    this.nextId = 1;
    /** Bumped by `cancel`: work from before stops. */
    this.generation = 0;
  }

  /** The worker, started when there is none (the first time, or after one died). */
  async worker() {
    if (!this.bridge || this.bridge.closed) {
      const script = await this.script();
      this.bridge = new WorkerBridge(script, {
        name: this.name,
        stopped: this.stopped,
        onMessage: () => {},
        onDeath: () => (this.bridge = null),
      });
    }
    return this.bridge;
  }

  /** Stops the work (the patient started over): the worker is stopped and forgotten. */
  cancel() {
    this.generation += 1;
    this.bridge?.terminate();
    this.bridge = null;
  }
}
