// @ts-check
/**
 * The worker bridge (after squoosh's WorkerBridge): one worker of the page, from its start to
 * its end, for pool.js (the scan workers) and reporter.js (the report worker).
 *
 * - Started from a script of wasm.js (a Blob URL made at page load, so that starting another
 *   requests nothing) and given the compiled wasm module (`init`); `ready` once it says so.
 * - `request()`: a promise per request. The worker answers with the request's `id`: the
 *   message types the request names as updates (a bundle's pieces, its progress) go to its
 *   `onUpdate`, the first other one settles it — `{ type: "error", message, fatal }` rejects
 *   it. Any other message goes to the owner's `onMessage`.
 * - `terminate(reason)`: cancel — the worker stops (a wasm call cannot be interrupted
 *   otherwise) and every request waiting rejects with `reason`.
 * - A worker that dies — an uncaught error, a message that cannot be read, an answer marked
 *   `fatal` (the wasm trapped: the instance is not trusted any more), or the owner's `fail()`
 *   — is terminated, what waits rejects, and the owner's `onDeath` is told; the owner starts
 *   another bridge from the same script when it needs one (at once, or for its next request).
 */

/** @typedef {import("./wasm.js").WorkerScript} WorkerScript */
/** @typedef {{ type: string, id?: number }} Message */
/**
 * @typedef {object} Waiting
 * @property {(msg: any) => void} resolve
 * @property {(err: unknown) => void} reject
 * @property {string[]} updates
 * @property {(msg: any) => void} onUpdate
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
    this.post({ type: "init", module: script.module });
  }

  /**
   * Posts a message (throws when it cannot be copied to the worker).
   * @param {{ type: string, [key: string]: unknown }} msg
   * @param {Transferable[]} [transfer]
   */
  post(msg, transfer = []) {
    this.worker.postMessage(msg, transfer);
  }

  /**
   * Posts a request (`msg.id`: unique among this bridge's requests) and resolves with its answer.
   * @param {{ type: string, id: number, [key: string]: unknown }} msg
   * @param {{ transfer?: Transferable[], updates?: string[], onUpdate?: (msg: any) => void }} [options]
   * @returns {Promise<any>}
   */
  request(msg, { transfer = [], updates = [], onUpdate = () => {} } = {}) {
    return new Promise((resolve, reject) => {
      this.waiting.set(msg.id, { resolve, reject, updates, onUpdate });
      this.post(msg, transfer);
    });
  }

  /** @param {Message & { message?: string, fatal?: boolean }} msg */
  receive(msg) {
    if (this.closed) return;
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
    waiter.reject(new Error(message));
    // The wasm trapped: that instance is not trusted any more.
    if (msg.fatal) this.fail(message);
  }

  /**
   * Stops the worker; every request waiting rejects with `reason`.
   * @param {unknown} [reason]
   */
  terminate(reason = new DOMException("the worker was stopped", "AbortError")) {
    this.closed = true;
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
