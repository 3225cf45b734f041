// @ts-check
/**
 * What the page loads once and shares: the wasm modules, each fetched and compiled once per
 * page — the first-scan module (the scanner, all the first scan needs) at page load, the report
 * module (the report, the bundle writer, the document readers, the report's words) in the
 * background when the first scan starts, the pixel module (thumbnails) when the first is asked
 * for, after the first report, the OCR module when the patient asks to read the text of
 * pictures of documents; a main-thread instance of the report module for the light work
 * (the report's words); and the scripts the workers run, one Blob URL per kind of worker (scan,
 * report, documents, pixels, OCR).
 *
 * The workers get the compiled module by postMessage, so the .wasm is requested once, whatever
 * the number of workers or restarts. A worker's script is its file (scan-worker.js,
 * report-worker.js, document-worker.js, pixel-worker.js) as `cargo xtask build` writes it into the built app
 * (dist/): one self-contained module, with the wasm-bindgen glue and the sibling modules it
 * imports bundled in (esbuild `--bundle`), so the app is served from dist/, never from www/.
 * Its text is fetched once per kind (the scan workers' at page load) and made a Blob URL: a
 * worker started again after a cancel or a crash then starts from memory and requests nothing.
 * This needs `worker-src 'self' blob:` in the Content-Security-Policy (`cargo xtask serve`
 * sends it); the worker inherits the page's policy, so it can reach no other origin.
 */
/** @typedef {typeof import("../pkg/record_precheck.js")} Api */
/**
 * What starts a worker: the compiled module (sent to it) and its script's Blob URL.
 * @typedef {{ module: WebAssembly.Module, url: string }} WorkerScript
 * @typedef {"scan" | "report" | "documents" | "pixels" | "ocr"} WorkerKind
 * @typedef {"scan" | "report" | "pixels" | "ocr"} ModuleName
 */

/** The wasm modules' code (their glue is bundled into the worker scripts). */
const MODULES = {
  scan: "../pkg/record_precheck_scan_bg.wasm",
  report: "../pkg/record_precheck_bg.wasm",
  pixels: "../pkg/record_precheck_pixels_bg.wasm",
  ocr: "../pkg/record_precheck_ocr_bg.wasm",
};
/**
 * The worker scripts, by kind, and the module each runs.
 * @type {Record<WorkerKind, { file: string, module: ModuleName }>}
 */
const WORKERS = {
  scan: { file: "./scan-worker.js", module: "scan" },
  report: { file: "./report-worker.js", module: "report" },
  documents: { file: "./document-worker.js", module: "report" },
  pixels: { file: "./pixel-worker.js", module: "pixels" },
  ocr: { file: "./ocr-worker.js", module: "ocr" },
};
/** @type {Map<ModuleName, Promise<WebAssembly.Module>>} */
const compiled = new Map();
/** @type {Promise<Api> | null} */
let instance = null;
/** @type {Map<WorkerKind, Promise<string>>} */
const workerUrls = new Map();

/**
 * A compiled module (fetched from the same origin once).
 * @param {ModuleName} name
 * @returns {Promise<WebAssembly.Module>}
 */
export function wasmModule(name) {
  let got = compiled.get(name);
  if (!got) {
    got = WebAssembly.compileStreaming(fetch(new URL(MODULES[name], import.meta.url)));
    got.catch(() => compiled.delete(name));
    compiled.set(name, got);
  }
  return got;
}

/**
 * The API of an instance of the report module on this thread (its glue imported now: the page
 * does not load it before the first scan).
 * @returns {Promise<Api>}
 */
export function mainApi() {
  if (!instance) {
    instance = Promise.all([import("../pkg/record_precheck.js"), wasmModule("report")])
      .then(async ([api, module]) => {
        await api.default({ module_or_path: module });
        return api;
      })
      .catch((err) => {
        instance = null;
        throw err;
      });
  }
  return instance;
}

/**
 * What starts a worker of this kind (a module worker: `new Worker(url, { type: "module" })`):
 * the compiled module and the Blob URL of its script, made once per page.
 * @param {WorkerKind} kind
 * @returns {Promise<WorkerScript>}
 */
export async function workerScript(kind) {
  const { file, module: name } = WORKERS[kind];
  let url = workerUrls.get(kind);
  if (!url) {
    const from = new URL(file, import.meta.url);
    url = fetch(from)
      .then((response) => {
        if (!response.ok) throw new Error(`could not load ${from.pathname}: ${response.status}`);
        return response.blob();
      })
      .then((script) => URL.createObjectURL(new Blob([script], { type: "text/javascript" })))
      .catch((err) => {
        workerUrls.delete(kind);
        throw err;
      });
    workerUrls.set(kind, url);
  }
  const [module, script] = await Promise.all([wasmModule(name), url]);
  return { module, url: script };
}
