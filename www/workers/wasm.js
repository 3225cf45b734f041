// @ts-check
/**
 * What the page loads once and shares: the wasm modules, each fetched and compiled once per
 * page — the first-scan module (the scanner, all the first scan needs) at page load, the report
 * module (the report, the bundle writer, the document readers, the report's words) in the
 * background when the first scan starts; a main-thread instance of the report module for the
 * light work (the report's words); and the scripts the workers run, one Blob URL per kind of
 * worker (scan, report, documents).
 *
 * The workers get the compiled module by postMessage, so the .wasm is requested once, whatever
 * the number of workers or restarts. A worker's script is its file (scan-worker.js,
 * report-worker.js) with what it imports put in front of it — the wasm-bindgen glue
 * (pkg/record_precheck.js) and its sibling modules here (worker-runtime.js, warm-up.js) — made
 * once per kind (the scan workers' at page load), from the files' text: a worker started again
 * after a cancel or a crash then starts from memory and requests nothing. This needs `worker-src 'self' blob:` in the
 * Content-Security-Policy (`cargo xtask serve` sends it); the worker inherits the page's
 * policy, so it can reach no other origin.
 */
/** @typedef {typeof import("../pkg/record_precheck.js")} Api */
/**
 * What starts a worker: the compiled module (sent to it) and its script's Blob URL.
 * @typedef {{ module: WebAssembly.Module, url: string }} WorkerScript
 * @typedef {"scan" | "report" | "documents"} WorkerKind
 * @typedef {"scan" | "report"} ModuleName
 */

/** The wasm modules: the wasm and its glue (as the worker files import it). */
const MODULES = {
  scan: { wasm: "../pkg/record_precheck_scan_bg.wasm", glue: "../pkg/record_precheck_scan.js" },
  report: { wasm: "../pkg/record_precheck_bg.wasm", glue: "../pkg/record_precheck.js" },
};
/**
 * The worker scripts, by kind, and the module each runs.
 * @type {Record<WorkerKind, { file: string, module: ModuleName }>}
 */
const WORKERS = {
  scan: { file: "./scan-worker.js", module: "scan" },
  report: { file: "./report-worker.js", module: "report" },
  documents: { file: "./document-worker.js", module: "report" },
};
/** A module's glue, as worker files and worker-runtime.js import it. */
const GLUE_IMPORT = /^\.\.\/pkg\/record_precheck\w*\.js$/;

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
    got = WebAssembly.compileStreaming(fetch(new URL(MODULES[name].wasm, import.meta.url)));
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
    url = workerSource(file, MODULES[name].glue)
      .then((source) => URL.createObjectURL(new Blob([source], { type: "text/javascript" })))
      .catch((err) => {
        workerUrls.delete(kind);
        throw err;
      });
    workerUrls.set(kind, url);
  }
  const [module, script] = await Promise.all([wasmModule(name), url]);
  return { module, url: script };
}

/** @type {Map<string, Promise<string>>} */
const texts = new Map();

/**
 * A file's text (relative to this module), fetched once. The glue is already in the HTTP cache
 * (this module imported it), and `force-cache` takes it from there instead of asking the
 * server again.
 * @param {string} path
 * @returns {Promise<string>}
 */
function text(path) {
  let got = texts.get(path);
  if (!got) {
    const url = new URL(path, import.meta.url);
    got = fetch(url, { cache: "force-cache" }).then((response) => {
      if (!response.ok) throw new Error(`could not load ${url.pathname}: ${response.status}`);
      return response.text();
    });
    got.catch(() => texts.delete(path));
    texts.set(path, got);
  }
  return got;
}

/** @param {string} what */
function cannot(what) {
  return new Error(`could not prepare the workers' script: ${what}`);
}

/** @param {string} name @returns {string} */
function escaped(name) {
  return name.replace(/\$/g, "\\$");
}

/**
 * The `import … from "…";` statements of a module: the statement, where from, the default
 * import's name (or null) and the names imported — each a plain name (no `as`, no `* as`).
 * @param {string} source
 * @param {string} file for the error
 * @returns {{ statement: string, from: string, name: string | null, names: string[] }[]}
 */
function imports(source, file) {
  return Array.from(source.matchAll(/^import\s+([^;"']*?)\s*from\s*["']([^"']+)["'];?[ \t]*$/gm), (m) => {
    const clause = /^(?:([\w$]+)\s*,?\s*)?(?:\{([^}]*)\})?$/.exec(m[1]);
    const names = (clause?.[2] ?? "").split(",").map((n) => n.trim()).filter(Boolean);
    if (!clause || names.some((n) => !/^[\w$]+$/.test(n))) throw cannot(`${file} imports in a form it cannot take`);
    return { statement: m[0], from: m[2], name: clause[1] ?? null, names };
  });
}

/**
 * One script of a worker file and what it imports: the glue as it is (its `export`s are
 * harmless in a worker), then a block with the worker's sibling modules (each in a function of
 * its own that returns the names the worker imports: their other names stay inside) and the
 * worker file. Their imports of the glue become a name for its default export; its named
 * exports are the glue's own top-level names. Fails, rather than guess, when a file is not of
 * the expected form. Every import of a module's glue (`../pkg/record_precheck*.js`) is taken as
 * one of `gluePath`, the glue of the module this worker runs (worker-runtime.js imports the
 * page's).
 * @param {string} file
 * @param {string} gluePath
 * @returns {Promise<string>}
 */
async function workerSource(file, gluePath) {
  const [glue, main] = await Promise.all([text(gluePath), text(file)]);
  const initName = /export\s*\{[^}]*?\b([\w$]+)\s+as\s+default\b/.exec(glue)?.[1];
  if (!initName) throw cannot("the wasm glue is not of the expected form");
  /**
   * A module's text without its imports, with a name for the glue's default export.
   * @param {string} source
   * @param {string} name
   */
  const withoutImports = (source, name) => {
    let head = "";
    for (const imp of imports(source, name)) {
      source = source.replace(imp.statement, "");
      if (!GLUE_IMPORT.test(imp.from)) continue;
      if (imp.name) head += `const ${imp.name} = ${initName};\n`;
      for (const n of imp.names) {
        if (!new RegExp(`^export (function ${escaped(n)}\\(|class ${escaped(n)} )`, "m").test(glue)) {
          throw cannot(`the wasm glue has no function or class ${n}`);
        }
      }
    }
    return head + source;
  };
  let block = "";
  for (const imp of imports(main, file)) {
    if (GLUE_IMPORT.test(imp.from)) continue;
    if (imp.name || !/^\.\/[\w-]+\.js$/.test(imp.from)) throw cannot(`${file} imports ${imp.from}`);
    const sibling = await text(imp.from);
    if (imports(sibling, imp.from).some((i) => !GLUE_IMPORT.test(i.from))) throw cannot(`${imp.from} imports more than the glue`);
    for (const n of imp.names) {
      if (!new RegExp(`^export ((async )?function|class|const) ${escaped(n)}\\b`, "m").test(sibling)) {
        throw cannot(`${imp.from} does not export ${n}`);
      }
    }
    const inside = sibling.replace(/^export (?=(async )?function |class |const )/gm, "");
    if (/^export\b/m.test(inside)) throw cannot(`${imp.from} exports in a form it cannot take`);
    const names = imp.names.join(", ");
    block += `// ---- ${imp.from} ----\nconst { ${names} } = (() => {\n${withoutImports(inside, imp.from)}\nreturn { ${names} };\n})();\n`;
  }
  return `${glue}\n{\n${block}// ---- ${file} ----\n${withoutImports(main, file)}\n}\n`;
}
