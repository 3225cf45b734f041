// @ts-check
/**
 * The wasm module, fetched and compiled once per page, and a main-thread instance of it for
 * the light work: building the report from the scanned entries, the report's words, the
 * printable HTML. The scan workers get the same compiled module by postMessage, so the .wasm
 * is requested once, whatever the number of workers or restarts.
 */
import init, * as api from "./pkg/record_precheck.js";

/** @typedef {typeof api} Api */

const WASM_URL = new URL("./pkg/record_precheck_bg.wasm", import.meta.url);

/** @type {Promise<WebAssembly.Module> | null} */
let compiled = null;
/** @type {Promise<Api> | null} */
let instance = null;

/**
 * The compiled module (fetched from the same origin once).
 * @returns {Promise<WebAssembly.Module>}
 */
export function wasmModule() {
  if (!compiled) {
    compiled = WebAssembly.compileStreaming(fetch(WASM_URL)).catch((err) => {
      compiled = null;
      throw err;
    });
  }
  return compiled;
}

/**
 * The API of an instance on this thread.
 * @returns {Promise<Api>}
 */
export function mainApi() {
  if (!instance) {
    instance = wasmModule()
      .then((module) => init({ module_or_path: module }))
      .then(() => api)
      .catch((err) => {
        instance = null;
        throw err;
      });
  }
  return instance;
}
