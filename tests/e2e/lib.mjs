// Shared by run.mjs (end-to-end tests) and bench.mjs (browser benchmark): the local server
// (`cargo xtask serve`), headless Debian Chromium through playwright-core, a page of the app with
// every request recorded, and the helpers that talk to <record-precheck> inside it.

import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompressSync, constants as zc, gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(HERE, '../..');
export const CORPUS = resolve(ROOT, '../shared/corpus');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Stops with a clear message when what the tests need is missing. */
export function checkPrerequisites() {
  const problems = [];
  if (!existsSync(join(ROOT, 'dist/pkg/record_precheck_bg.wasm')))
    problems.push('dist/ (the built app) is missing: run `cargo xtask build` first');
  if (!existsSync(CHROMIUM))
    problems.push(`no Chromium at ${CHROMIUM} (Debian: apt-get install chromium; or set CHROMIUM)`);
  if (!existsSync(CORPUS)) problems.push(`no corpus at ${CORPUS}`);
  return problems;
}

/**
 * Starts `cargo xtask serve --port 0 --no-build --log FILE` from the repository root, in its own
 * process group (stopped with `server.stop()`). Resolves once it printed its URL.
 */
export async function startServer({ timeoutMs = 240_000 } = {}) {
  return startServerWithArgs([], { timeoutMs });
}

/**
 * `startServer`, serving another build of the app: `--www DIR` (relative to the repository
 * root, e.g. `target/www-test-trap` made by `cargo xtask build-test-trap`).
 * @param {string} www
 */
export async function startServerIn(www, { timeoutMs = 240_000 } = {}) {
  return startServerWithArgs(['--www', www], { timeoutMs });
}

/**
 * `startServer` with more arguments for `cargo xtask serve` (e.g. `['--destination', URL]`):
 * `cargo xtask serve --port 0 --no-build --log FILE ...args`.
 * @param {string[]} args
 */
export async function startServerWithArgs(args, { timeoutMs = 240_000 } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'rp-e2e-server-'));
  const logFile = join(dir, 'requests.log');
  const child = spawn('cargo', ['xtask', 'serve', '--port', '0', '--no-build', '--log', logFile, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const what = ['cargo xtask serve', ...args].join(' ');
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${what} printed no URL in ${timeoutMs} ms\n${stderr}`)),
      timeoutMs,
    );
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}) before serving\n${stdout}\n${stderr}`));
    });
  });
  child.removeAllListeners('exit');
  return {
    url,
    logFile,
    /** The server log's non-empty lines. */
    logLines() {
      if (!existsSync(logFile)) return [];
      return readFileSync(logFile, 'utf8').split('\n').filter((l) => l.trim() !== '');
    },
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      try {
        process.kill(-child.pid, 'SIGTERM'); // the group we started: cargo and the server
      } catch {
        /* already gone */
      }
      await Promise.race([exited, sleep(5000)]);
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * Runs in the page before its own scripts: collects every `precheck-report` event (it bubbles
 * and is composed, so document sees it) and watches the progress bar once it exists.
 */
function initScript() {
  /** @type {any} */
  const w = window;
  w.__rp = { reports: [], times: [], progress: [] };
  document.addEventListener('precheck-report', (e) => {
    w.__rp.reports.push(/** @type {CustomEvent} */ (e).detail);
    w.__rp.times.push(performance.now());
  });
}

/**
 * A fresh context and page on the app, loaded and settled: every request of the context is
 * recorded, page errors and console errors too. `settled` marks the request count and the
 * server log length once the page is ready and nothing was requested for `quietMs`.
 */
export async function openApp(
  browser,
  server,
  { path = '', quietMs = 1000, contextOptions = {}, initScript: extraInit = null } = {},
) {
  const context = await browser.newContext(contextOptions);
  /** @type {{ url: string, method: string, type: string, at: number }[]} */
  const requests = [];
  /** Requests without a response yet (to tell what a load that never ends waits for). */
  const pending = new Set();
  context.on('request', (r) => {
    requests.push({ url: r.url(), method: r.method(), type: r.resourceType(), at: Date.now() });
    pending.add(r);
  });
  context.on('requestfinished', (r) => pending.delete(r));
  context.on('requestfailed', (r) => pending.delete(r));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  page.on('worker', (w) => {
    w.on('console', (m) => {
      if (m.type() === 'error') errors.push(`worker console.error: ${m.text()}`);
    });
  });
  await page.addInitScript(initScript);
  if (extraInit) await page.addInitScript(extraInit.fn, extraInit.arg);
  const logBefore = server.logLines().length;
  try {
    await page.goto(server.url + path, { waitUntil: 'load', timeout: 20_000 });
  } catch (e) {
    const waiting = [...pending].map((r) => r.url().replace(server.url, '/'));
    await context.close().catch(() => {});
    throw new Error(
      `the page did not load: ${e instanceof Error ? e.message.split('\n')[0] : e}\n` +
        `  requests still waiting for an answer: ${waiting.join(', ') || 'none'}\n` +
        `  server log of this load: ${server.logLines().slice(logBefore).join(' | ')}`,
      { cause: e },
    );
  }
  // (On a host page its shadow root is closed: `shadowRoot` is null there.)
  await page.waitForFunction(
    () => {
      const el = document.querySelector('record-precheck');
      return !!(customElements.get('record-precheck') && el && el.matches(':defined'));
    },
    undefined,
    { timeout: 20_000 },
  );
  // Settled: no new request in the context or the server log for quietMs.
  let last = -1;
  let lastLog = -1;
  let stableSince = Date.now();
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const n = requests.length;
    const l = server.logLines().length;
    if (n !== last || l !== lastLog) {
      last = n;
      lastLog = l;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= quietMs) break;
    await sleep(100);
  }
  const settled = { requests: requests.length, log: server.logLines().length };
  return { context, page, requests, errors, settled };
}

/**
 * The report module's files (www/workers/wasm.js loads them in the background when the first
 * scan starts, from the page's origin, at fixed paths: code, nothing of the patient's): with
 * the scripts of the workers that run it, the only requests a page may make after it loaded,
 * besides workers started again from their Blob URL.
 */
export const REPORT_MODULE = [
  '/pkg/record_precheck.js',
  '/pkg/record_precheck_bg.wasm',
  '/workers/report-worker.js',
  '/workers/document-worker.js',
];

/**
 * The pixel module's files (wasm.js loads them when the first thumbnail is asked for, after the
 * first report, from the page's origin): code, nothing of the patient's, like the report module's.
 */
export const PIXEL_MODULE = [
  '/pkg/record_precheck_pixels.js',
  '/pkg/record_precheck_pixels_bg.wasm',
  '/workers/pixel-worker.js',
];
/** The quick look's script (thumbs.js imports it when the patient first opens a series). */
export const QUICK_LOOK = ['/ui/quick-look.js'];
/**
 * The OCR offer's files (app.js imports them once the case has a picture of a document, after
 * its first report, from the page's origin): code and the models' names and sizes.
 */
export const OCR_OFFER = ['/ui/ocr.js', '/workers/ocr.js', '/pkg/ocr/models.js'];
/** What OCR loads only when the patient asks (tests/e2e/ocr.mjs): its module, worker and models. */
export const OCR_MODULE = [
  '/pkg/record_precheck_ocr.js',
  '/pkg/record_precheck_ocr_bg.wasm',
  '/workers/ocr-worker.js',
  '/pkg/ocr/ch_PP-OCRv4_det_infer.onnx',
  '/pkg/ocr/ch_PP-OCRv4_rec_infer.onnx',
  '/pkg/ocr/ch_ppocr_mobile_v2.0_cls_infer.onnx',
];
/**
 * The modules loaded on demand after the page loaded: the report module's, the pixel module's
 * and the OCR offer's without the patient asking; the quick look's when the patient opens it.
 */
const ON_DEMAND = [...REPORT_MODULE, ...PIXEL_MODULE, ...QUICK_LOOK, ...OCR_OFFER];

/** labels.json's document categories (../shared/corpus-records) → the report's (the corpus README says what each holds). */
export const LABEL_CATEGORIES = {
  diagnosis: ['diagnosis-report', 'discharge-summary'],
  'radiology-report': ['radiology-report'],
  'pathology-report': ['pathology-report'],
  'lab-results': ['lab-results'],
  treatment: ['treatment-history'],
  'operation-note': ['operation-note'],
  genetic: ['genetic-report'],
  referral: ['referral-letter'],
  timeline: ['patient-notes'],
  other: ['other', null],
};

/** The scan workers among Playwright workers (pool.js names them `record-precheck scan N`). */
export async function scanWorkers(workers) {
  const names = await Promise.all(workers.map((w) => w.evaluate(() => self.name).catch(() => '')));
  return workers.filter((_, i) => names[i].startsWith('record-precheck scan'));
}

/** Whether a request (`{ method, url }`) is one of the report or pixel module's files, or the OCR offer's. */
export function reportModuleRequest({ method, url }, origin) {
  const u = new URL(url, origin);
  return method === 'GET' && u.origin === origin && u.search === '' && ON_DEMAND.includes(u.pathname);
}

/** Whether a server log line (`GET /path 200`) is one of the report or pixel module's files, served. */
export function reportModuleLogLine(line) {
  const [method, target, status] = line.split(' ');
  return method === 'GET' && status === '200' && ON_DEMAND.includes(target);
}

/**
 * What was requested after the page settled: the browser's requests and the server's log lines,
 * but the report and pixel modules' (`reportModule` counts those): their files, and then the
 * report, document and pixel workers' scripts, new Blob URLs made from them (memory, not the
 * network); and but the thumbnails' images, Blob URLs of what the page decoded.
 */
export function afterSettle(app, server) {
  const origin = new URL(server.url).origin;
  const atLoad = new Set(app.requests.slice(0, app.settled.requests).map((r) => r.url));
  const requests = app.requests.slice(app.settled.requests);
  const firstModule = requests.findIndex((r) => reportModuleRequest(r, origin));
  const ofModule = (r, i) =>
    reportModuleRequest(r, origin) ||
    (firstModule >= 0 && i > firstModule && r.type === 'script' && r.url.startsWith(`blob:${origin}/`) && !atLoad.has(r.url));
  // A thumbnail shown from a Blob URL the page made of what it decoded (ui/thumbs.js): the
  // page's own memory, not the network.
  const ownImage = (r) => r.type === 'image' && r.url.startsWith(`blob:${origin}/`);
  const log = server.logLines().slice(app.settled.log);
  return {
    requests: requests.filter((r, i) => !ofModule(r, i) && !ownImage(r)),
    log: log.filter((line) => !reportModuleLogLine(line)),
    reportModule: requests.filter(ofModule).length,
  };
}

/** Storage the page left behind (origin storage, cookies, caches, service workers). */
export async function storageState(app) {
  const inPage = await app.page.evaluate(async () => {
    const dbs = indexedDB.databases ? await indexedDB.databases() : [];
    const cacheKeys = 'caches' in self ? await caches.keys() : [];
    const sw = navigator.serviceWorker ? await navigator.serviceWorker.getRegistrations() : [];
    // The origin's private file system (tests may put folders there; they remove them).
    const opfs = [];
    if (navigator.storage?.getDirectory) for await (const key of /** @type {any} */ (await navigator.storage.getDirectory()).keys()) opfs.push(key);
    return {
      localStorage: Object.keys(localStorage),
      sessionStorage: Object.keys(sessionStorage),
      indexedDB: dbs.map((d) => d.name),
      documentCookie: document.cookie,
      caches: cacheKeys,
      serviceWorkers: sw.length,
      opfs,
    };
  });
  const cookies = await app.context.cookies();
  return { ...inPage, cookies: cookies.map((c) => `${c.name} (${c.domain})`) };
}

/** Number of `precheck-report` events seen so far. */
export async function reportCount(page) {
  return page.evaluate(() => /** @type {any} */ (window).__rp.reports.length);
}

/**
 * Waits for the report after `n` reports were seen, and for the documents of the batch to be
 * read (the page reports again when they are: `readingDocuments` counts the readings running);
 * returns nothing (read it with `lastReport`).
 */
export async function waitReport(page, n, timeout = 60_000) {
  try {
    await page.waitForFunction(
      (k) =>
        /** @type {any} */ (window).__rp.reports.length > k &&
        /** @type {any} */ (document.querySelector('record-precheck'))?.readingDocuments === 0,
      n,
      {
        timeout,
        polling: 50,
      },
    );
  } catch (e) {
    const state = await page
      .evaluate(() => {
        const root = document.querySelector('record-precheck')?.shadowRoot;
        const p = /** @type {HTMLProgressElement | null | undefined} */ (
          root?.querySelector('[data-testid=progress]')
        );
        return {
          progress: p ? `${p.value}/${p.max}` : 'no progress element',
          progressText: root?.querySelector('[data-testid=progress-text]')?.textContent ?? null,
        };
      })
      .catch(() => ({}));
    throw new Error(
      `no precheck-report event within ${timeout} ms (had ${n} before); page state: ${JSON.stringify(state)}`,
      { cause: e },
    );
  }
}

/** The last report's detail, and whether `element.report` is the same document. */
export async function lastReport(page) {
  return page.evaluate(() => {
    const rp = /** @type {any} */ (window).__rp;
    const detail = rp.reports[rp.reports.length - 1];
    const el = /** @type {any} */ (document.querySelector('record-precheck'));
    return {
      report: detail,
      elementReportMatches: JSON.stringify(el?.report) === JSON.stringify(detail),
    };
  });
}

/** Reads files from disk and returns them as { name, type, b64 } for `dropFiles`. */
export async function filesForDrop(paths) {
  const out = [];
  for (const p of paths) {
    const buf = await readFile(p);
    out.push({ name: p.split('/').pop(), type: '', b64: buf.toString('base64') });
  }
  return out;
}

/**
 * Gives the app a folder through its folder picker and waits for the report of it: the
 * report and whether `element.report` is the same (as `lastReport`).
 * @param {import('playwright-core').Page} page
 * @param {string} dir
 */
export async function pickFolder(page, dir) {
  const n = await reportCount(page);
  await page.locator('[data-testid=pick-folder]').setInputFiles(dir);
  await waitReport(page, n);
  return lastReport(page);
}

/**
 * Simulates dropping files: a DataTransfer built in the page with File objects, then
 * dragenter / dragover / drop dispatched on the drop zone.
 */
export async function dropFiles(page, files, zoneSelector = '[data-testid=drop-zone]') {
  const zone = page.locator(zoneSelector).first();
  await zone.waitFor({ state: 'attached', timeout: 10_000 });
  return zone.evaluate(dropOn, files);
}

/**
 * Runs in the page (Playwright's `evaluate`, WebDriver's `executeScript`): drops `list` on
 * `zone` — a DataTransfer with File objects made from the base64 bytes, then dragenter,
 * dragover and drop. Returns, per event, whether nothing cancelled it.
 * @param {Element} zone
 * @param {{ name: string, type: string, b64: string }[]} list
 * @returns {Record<string, boolean>}
 */
export function dropOn(zone, list) {
  const dt = new DataTransfer();
  for (const f of list) {
    const bin = atob(f.b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    dt.items.add(new File([bytes], f.name, { type: f.type }));
  }
  /** @type {Record<string, boolean>} */
  const notCancelled = {};
  for (const type of ['dragenter', 'dragover', 'drop']) {
    const ev = new DragEvent(type, { bubbles: true, cancelable: true, composed: true, dataTransfer: dt });
    zone.dispatchEvent(ev);
    notCancelled[type] = !ev.defaultPrevented;
  }
  return notCancelled;
}

/**
 * Copies the folder `dir` into the page origin's private file system (OPFS) as folder `name`,
 * through a file input of the test's own (not the app's): OPFS directories stand in for folders
 * the patient picks with `showDirectoryPicker` or drops (Chromium gives both as handles).
 * The caller removes it (`removeFromOpfs`) when done.
 */
export async function copyToOpfs(page, dir, name) {
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.webkitdirectory = true;
    input.id = 'test-opfs-copy';
    input.hidden = true;
    document.body.append(input);
  });
  await page.locator('#test-opfs-copy').setInputFiles(dir);
  return page.evaluate(async (name) => {
    const input = /** @type {HTMLInputElement} */ (document.getElementById('test-opfs-copy'));
    const root = await navigator.storage.getDirectory();
    const top = await root.getDirectoryHandle(name, { create: true });
    for (const file of Array.from(input.files ?? [])) {
      const parts = file.webkitRelativePath.split('/').slice(1);
      let d = top;
      for (const p of parts.slice(0, -1)) d = await d.getDirectoryHandle(p, { create: true });
      const w = await (await d.getFileHandle(/** @type {string} */ (parts.at(-1)), { create: true })).createWritable();
      await w.write(file);
      await w.close();
    }
    input.remove();
    return input.files?.length ?? 0;
  }, name);
}

/** Removes folder `name` from the page origin's private file system; returns what is left there. */
export async function removeFromOpfs(page, name) {
  return page.evaluate(async (name) => {
    const root = await navigator.storage.getDirectory();
    await root.removeEntry(name, { recursive: true }).catch(() => {});
    const left = [];
    for await (const key of /** @type {any} */ (root).keys()) left.push(key);
    return left;
  }, name);
}

/**
 * Picks OPFS folder `name` (see `copyToOpfs`) as the patient picks a folder in Chromium: the
 * page's `showDirectoryPicker` answers with its handle, and the app's folder button is clicked.
 */
export async function pickFolderHandle(page, name) {
  const n = await reportCount(page);
  await page.evaluate(async (name) => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(name);
    /** @type {any} */ (window).showDirectoryPicker = async () => dir;
  }, name);
  // As a click on the folder button does (the input is visually hidden).
  await page.locator('[data-testid=pick-folder]').dispatchEvent('click');
  await waitReport(page, n);
  return lastReport(page);
}

export { sleep };

// ---- for the benchmarks --------------------------------------------------------------------

/** USER_HZ: the unit of /proc's CPU times (100 on Linux). */
const TICK_MS = 10;

/**
 * CPU time so far (ms, user + system) of every thread of every Chromium process on the machine
 * (the benchmarks run one browser at a time), summed by process type and thread name
 * (`renderer/DedicatedWorker`, `browser/Chrome_IOThread`…); threads that ended are not counted.
 * Taken before and after a timed run (`cpuSpent`), it says which threads the run kept busy:
 * the page, its workers, and the browser process serving every file read.
 * @returns {Map<string, number>}
 */
export function cpuByThread() {
  const out = new Map();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let cmd = '';
    let tids = [];
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      // Debian's /usr/bin/chromium is a script that starts /usr/lib/chromium/chromium; a
      // renderer's command line is one string (its title rewritten), so up to a space.
      const exe = cmd.split(/[\0 ]/, 1)[0];
      if (!exe.endsWith('/chromium') && exe !== CHROMIUM) continue;
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // the process ended
    }
    const type = /--type=([\w-]+)/.exec(cmd)?.[1] ?? 'browser';
    for (const tid of tids) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        // "pid (comm) state …": utime and stime are the 14th and 15th fields.
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/\d+$/, '');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const key = `${type}/${comm}`;
        out.set(key, (out.get(key) ?? 0) + (Number(fields[11]) + Number(fields[12])) * TICK_MS);
      } catch {
        // the thread ended
      }
    }
  }
  return out;
}

/**
 * The CPU time spent between two `cpuByThread()` readings: the total (ms) and the threads that
 * took at least 20 ms, largest first.
 * @param {Map<string, number>} before
 * @param {Map<string, number>} after
 * @returns {{ totalMs: number, threads: [string, number][] }}
 */
export function cpuSpent(before, after) {
  /** @type {[string, number][]} */
  const threads = [];
  let totalMs = 0;
  for (const [key, ms] of after) {
    const spent = ms - (before.get(key) ?? 0);
    if (spent <= 0) continue;
    totalMs += spent;
    if (spent >= 20) threads.push([key, spent]);
  }
  threads.sort((a, b) => b[1] - a[1]);
  return { totalMs, threads };
}

/** `cpuSpent` as a line: "cpu N ms: thread ms, …". */
export const cpuLine = (/** @type {{ totalMs: number, threads: [string, number][] }} */ c) =>
  `cpu ${c.totalMs} ms: ${c.threads.map(([k, ms]) => `${k} ${ms}`).join(', ')}`;

/**
 * The browser's processes, from /proc: those started with this profile; `type` is Chromium's
 * `--type` (`renderer`…), `browser` for the main process.
 * @param {string} profile
 */
export function processes(profile) {
  const out = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmd.includes(`--user-data-dir=${profile}`)) continue;
    out.push({ id: Number(pid), type: /--type=([\w-]+)/.exec(cmd)?.[1] ?? 'browser' });
  }
  return out;
}

/** The median of numbers. */
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** `x` rounded to `d` decimals. */
export const round = (x, d = 0) => Math.round(x * 10 ** d) / 10 ** d;

/** A file's size raw, gzip -9 and brotli 11 (what `cargo xtask build` reports). */
export function sizes(buf) {
  return {
    raw: buf.length,
    gzip9: gzipSync(buf, { level: 9 }).length,
    brotli11: brotliCompressSync(buf, {
      params: { [zc.BROTLI_PARAM_QUALITY]: 11, [zc.BROTLI_PARAM_SIZE_HINT]: buf.length },
    }).length,
  };
}

/**
 * The native CLI the end-to-end tests compare the page with: RECORD_PRECHECK (`cargo xtask test`
 * passes the one `cargo test` built), else the debug build as `cargo test` makes it (`cargo test
 * --no-run`: nothing to do after `cargo test`). Not `cargo build --bin record-precheck`: without
 * the dev-dependencies cargo resolves other features (syn's, for their derive macros), so every
 * crate above them, tract's at opt-level 3 included, would compile again — minutes.
 * @returns {Promise<string>}
 */
export async function testedCli() {
  if (process.env.RECORD_PRECHECK) return process.env.RECORD_PRECHECK;
  const { stdout } = await promisify(execFile)('cargo', ['test', '--no-run', '--quiet', '--message-format=json'], { cwd: ROOT, maxBuffer: 256 << 20 });
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const m = JSON.parse(line);
    if (m.reason === 'compiler-artifact' && m.target.name === 'record-precheck' && m.target.kind.includes('bin') && !m.profile.test && m.executable) return m.executable;
  }
  throw new Error('`cargo test --no-run` built no record-precheck binary');
}
