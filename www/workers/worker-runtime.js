// @ts-check
/**
 * What every worker script (scan-worker.js, report-worker.js, document-worker.js) runs first:
 * the start of the wasm instance from the compiled module it is given (the first-scan module or
 * the report module: the worker passes its module glue's `init`), the gate that holds every
 * other message until it is up, and the worker's `broken` state after a failure.
 *
 * Message in:   `{ type: "init", module }` (first; bridge.js sends it when it starts a worker).
 * Messages out: `{ type: "ready" }`, `{ type: "init-failed", message }`.
 *
 * After a failure the instance is not trusted any more: a broken worker handles nothing more,
 * and the page replaces it (pool.js at once, reporter.js for the next request).
 *
 * Not loaded by its URL: `cargo xtask build` bundles it into each worker's script (wasm.js).
 */

/** @type {Promise<unknown> | null} */
let ready = null;
let broken = false;

/**
 * Takes the page's messages: `init` starts the instance (answered with `ready` or
 * `init-failed`); every other message waits for it and goes to `handle`, unless this worker is
 * broken.
 * @template {{ type: string }} M
 * @param {(input: { module_or_path: WebAssembly.Module }) => Promise<unknown>} init the glue's
 *   `init` of the worker's module
 * @param {(msg: M) => void} handle
 */
export function serve(init, handle) {
  self.onmessage = async (/** @type {MessageEvent<M | { type: "init", module: WebAssembly.Module }>} */ event) => {
    const msg = event.data;
    if (msg.type === "init") {
      ready = init({ module_or_path: /** @type {{ module: WebAssembly.Module }} */ (msg).module });
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
    handle(/** @type {M} */ (msg));
  };
}

/**
 * A message to the page (transferring `transfer`).
 * @param {{ type: string, [key: string]: unknown }} msg
 * @param {Transferable[]} [transfer]
 */
export function reply(msg, transfer = []) {
  self.postMessage(msg, transfer);
}

/**
 * An error as the page is told it.
 * @param {unknown} err
 * @returns {string}
 */
export function describe(err) {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** Marks this worker broken: it handles nothing more, and the page replaces it. */
export function markBroken() {
  broken = true;
}

/** Whether this worker is broken (see `markBroken`). */
export function isBroken() {
  return broken;
}

/**
 * Whether `err` is a trap (a Rust panic, `unreachable`). A trap leaves the wasm instance in an
 * unknown state: after one, this worker is broken.
 * @param {unknown} err
 * @returns {boolean}
 */
export function trapped(err) {
  const fatal = err instanceof WebAssembly.RuntimeError;
  if (fatal) broken = true;
  return fatal;
}
