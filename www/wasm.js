// @ts-check
/**
 * What the page loads once and shares: the wasm module, fetched and compiled once per page; a
 * main-thread instance of it for the light work (the report's words); and the script every
 * worker runs, as one Blob URL.
 *
 * The workers get the compiled module by postMessage, so the .wasm is requested once, whatever
 * the number of workers or restarts. Their script is worker.js with the wasm-bindgen glue
 * (pkg/record_precheck.js) put in front of it, made once, at page load, from the two files'
 * text: a worker started again after a cancel or a crash then starts from memory and requests
 * nothing. This needs `worker-src 'self' blob:` in the Content-Security-Policy (`cargo xtask
 * serve` sends it); the worker inherits the page's policy, so it can reach no other origin.
 */
import init, * as api from "./pkg/record_precheck.js";

/** @typedef {typeof api} Api */

const WASM_URL = new URL("./pkg/record_precheck_bg.wasm", import.meta.url);
const GLUE_URL = new URL("./pkg/record_precheck.js", import.meta.url);
const WORKER_URL = new URL("./worker.js", import.meta.url);

/** @type {Promise<WebAssembly.Module> | null} */
let compiled = null;
/** @type {Promise<Api> | null} */
let instance = null;
/** @type {Promise<string> | null} */
let workerScript = null;

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

/**
 * The Blob URL of the workers' script (a module worker: `new Worker(url, { type: "module" })`),
 * made once per page.
 * @returns {Promise<string>}
 */
export function workerUrl() {
  if (!workerScript) {
    workerScript = Promise.all([text(GLUE_URL), text(WORKER_URL)])
      .then(([glue, worker]) => {
        const source = workerSource(glue, worker);
        return URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
      })
      .catch((err) => {
        workerScript = null;
        throw err;
      });
  }
  return workerScript;
}

/**
 * A file's text. The glue is already in the HTTP cache (this module imported it), and
 * `force-cache` takes it from there instead of asking the server again.
 * @param {URL} url
 * @returns {Promise<string>}
 */
async function text(url) {
  const response = await fetch(url, { cache: "force-cache" });
  if (!response.ok) throw new Error(`could not load ${url.pathname}: ${response.status}`);
  return response.text();
}

/**
 * One module of the glue and worker.js: the glue as it is (its `export`s are harmless in a
 * worker), then worker.js in a block of its own (its names cannot clash with the glue's), where
 * its import of the glue becomes a name for the glue's default export. Fails, rather than guess,
 * when either file is not of the expected form.
 * @param {string} glue
 * @param {string} worker
 * @returns {string}
 */
function workerSource(glue, worker) {
  const imports = /^import\s+([\w$]+)\s*,\s*\{([^}]*)\}\s*from\s*["']\.\/pkg\/record_precheck\.js["'];?[ \t]*$/m.exec(worker);
  const initName = /export\s*\{[^}]*?\b([\w$]+)\s+as\s+default\b/.exec(glue)?.[1];
  if (!imports || !initName) {
    throw new Error("could not prepare the workers' script: worker.js or pkg/record_precheck.js is not of the expected form");
  }
  for (const name of imports[2].split(",").map((n) => n.trim()).filter(Boolean)) {
    const n = name.replace(/\$/g, "\\$");
    if (!new RegExp(`^export (function ${n}\\(|class ${n} )`, "m").test(glue)) {
      throw new Error(`could not prepare the workers' script: the wasm glue has no function or class ${name}`);
    }
  }
  const body = worker.slice(0, imports.index) + worker.slice(imports.index + imports[0].length);
  return `${glue}\n// ---- worker.js ----\n{\nconst ${imports[1]} = ${initName};\n${body}\n}\n`;
}
