// Browser benchmark of record-precheck in headless Debian Chromium:
//
//   node tests/e2e/bench.mjs [--runs 3] [--data target/bench-data/cd-ct] [--out FILE]
//   (cargo xtask bench-browser generates the data, builds and runs this)
//
// Scans the 2,000-file CD of `cargo xtask bench` (bench/gen_cd_study.py, ~0.5 MB files) through
// the app's folder picker, with the app's default worker pool (by navigator.hardwareConcurrency)
// and with one worker (the element's `workers` attribute), each run in a fresh browser after one
// warm-up scan (files in the page cache): files/s (wall time from the picker's change event to
// the precheck-report event, both timed in the page), bytes read per file (the report's
// bytes_read), peak memory (the renderer process's VmHWM from /proc, which holds the page and
// its workers with their wasm memories; the page's JS heap through CDP Performance.getMetrics).
// Then, in the same browser context and origin (a page the test serves itself), cornerstone's
// dicomParser (npm dicom-parser, from node_modules, never shipped): a 64 KiB slice of each file,
// parseDicom(untilTag x7fe00010), ten tags read, one file after another and all at once
// (Promise.all); and the engine alone in one worker, without the app: scanBlob over each file,
// and scanWindows over heads read 32 at a time as the app's worker does. Every one of these
// runs is on files picked again (fresh File objects, as the app's runs have).
// The same CD is also copied into the origin's private file system (OPFS) of a browser profile
// on disk, which stands in for a folder picked with `showDirectoryPicker` (Chromium gives the
// page a handle, not Files): the app is given the folder's handle through its folder button
// (pool and one worker, timed from the button's click), and dicomParser reads the files of
// the same handle (listed and opened on the page, fresh handles each run). The OPFS copy and
// the profile are removed at the end. Also the wasm size
// (raw, gzip -9, brotli 11) and everything the page loads before the first scan (the server's
// log of the load, sized from the files in www/). With every timed run, the CPU time each thread
// of the browser spent on it (from /proc: the page, the workers, the browser process that serves
// the reads), to tell a reader bound by one thread from one bound by the machine's cores.
// Prints a JSON summary.

import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import {
  CHROMIUM,
  CHROMIUM_ARGS,
  HERE,
  ROOT,
  checkPrerequisites,
  cpuByThread,
  cpuSpent,
  median,
  openApp,
  processes,
  reportCount,
  round,
  sizes,
  startServer,
  waitReport,
} from './lib.mjs';
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.lastIndexOf(name); // the last one wins (cargo xtask bench-browser passes defaults first)
  return i >= 0 ? args[i + 1] : dflt;
};
const RUNS = Number(opt('--runs', '3'));
const DATA = resolve(ROOT, opt('--data', 'target/bench-data/cd-ct'));
const OUT = opt('--out', null);
const log = (...a) => console.error('bench:', ...a);


async function countFiles(dir) {
  let n = 0;
  for (const e of await readdir(dir, { withFileTypes: true }))
    n += e.isDirectory() ? await countFiles(join(dir, e.name)) : 1;
  return n;
}

// ---- memory ----------------------------------------------------------------------------------

/** kB → bytes from /proc/PID/status. */
function procStatus(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const get = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN) * 1024;
    return { rss: get('VmRSS'), hwm: get('VmHWM') };
  } catch {
    return null;
  }
}

async function rendererPids(browser) {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
    return processInfo.filter((p) => p.type === 'renderer').map((p) => p.id);
  } finally {
    await cdp.detach().catch(() => {});
  }
}

// ---- the app ---------------------------------------------------------------------------------

/**
 * One scan of DATA through the folder picker in a fresh browser. `workers` null = the app's
 * default pool (by navigator.hardwareConcurrency); a number = the element's `workers` attribute,
 * set once the page has loaded (the pool then stops or starts workers before the scan).
 */
async function appRun(server, { workers, collectLoad = false, profile = null }) {
  // With a profile: the CD's OPFS copy there, picked as a folder handle.
  const persistent = profile
    ? await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'],
      })
    : null;
  const browser = persistent
    ? { newContext: async () => persistent, close: () => persistent.close() }
    : await chromium.launch({
        executablePath: CHROMIUM,
        args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'],
      });
  try {
    const app = await openApp(browser, server);
    const { page } = app;
    const hardwareConcurrency = await page.evaluate(() => navigator.hardwareConcurrency);
    if (workers != null) {
      await page.evaluate((n) => document.querySelector('record-precheck')?.setAttribute('workers', String(n)), workers);
      // The scan workers and the report worker.
      await page.waitForFunction(
        async (n) => (await import('/app.js')).internals(/** @type {any} */ (document.querySelector('record-precheck'))).pool.slots.length === n,
        workers,
        { timeout: 10_000 },
      );
    }
    const loaded = collectLoad ? app.requests.map((r) => r.url) : null;
    const loadedLog = collectLoad ? server.logLines() : null;
    const pids = profile ? processes(profile).filter((p) => p.type === 'renderer').map((p) => p.id) : await rendererPids(browser);
    const base = Object.fromEntries(pids.map((p) => [p, procStatus(p)]));
    const cdp = await app.context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const heap = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
    };
    const heapBefore = await heap();
    let heapPeak = heapBefore;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        heapPeak = Math.max(heapPeak, await heap().catch(() => 0));
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    await page.locator('[data-testid=pick-folder]').evaluate((input) => {
      const w = /** @type {any} */ (window);
      const mark = (e) => {
        w.__rp.pickAt ??= e.timeStamp;
      };
      input.addEventListener('input', mark, { capture: true });
      input.addEventListener('change', mark, { capture: true });
      input.addEventListener('click', mark, { capture: true });
      // When the bar first moves (the first file is done).
      const bar = /** @type {HTMLProgressElement} */ (
        /** @type {ShadowRoot} */ (input.getRootNode()).querySelector('[data-testid=progress]')
      );
      w.__rp.bar = [];
      new MutationObserver(() => w.__rp.bar.push([performance.now(), bar.value, bar.max])).observe(bar, {
        attributes: true,
        attributeFilter: ['value', 'max'],
      });
    });
    const n = await reportCount(page);
    const cpuBefore = cpuByThread();
    if (profile) {
      // The folder button's click, answered with the OPFS folder's handle.
      await page.evaluate(async () => {
        const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('cd');
        /** @type {any} */ (window).showDirectoryPicker = async () => dir;
      });
      await page.locator('[data-testid=pick-folder]').dispatchEvent('click');
    } else {
      await page.locator('[data-testid=pick-folder]').setInputFiles(DATA);
    }
    await waitReport(page, n, 600_000);
    const cpu = cpuSpent(cpuBefore, cpuByThread());
    sampling = false;
    await sampler;
    const poolSize = await page.evaluate(async () => (await import('/app.js')).internals(/** @type {any} */ (document.querySelector('record-precheck'))).pool.slots.length);
    const r = await page.evaluate(() => {
      const rp = /** @type {any} */ (window).__rp;
      const report = rp.reports[rp.reports.length - 1];
      const all = [];
      const walk = (fs) => {
        for (const f of fs) {
          all.push(f);
          if (f.members) walk(f.members);
        }
      };
      walk(report.files);
      const dicom = all.filter((f) => f.kind === 'dicom');
      const kinds = {};
      for (const f of all) kinds[f.kind] = (kinds[f.kind] ?? 0) + 1;
      const sum = (xs) => xs.reduce((a, b) => a + b, 0);
      const moved = rp.bar.find(([, v]) => v > 0);
      return {
        ms: rp.times[rp.times.length - 1] - rp.pickAt,
        firstProgressMs: moved ? moved[0] - rp.pickAt : null,
        files: all.length,
        kinds,
        bytesReadMean: sum(all.map((f) => f.bytes_read)) / all.length,
        bytesReadDicomMean: sum(dicom.map((f) => f.bytes_read)) / dicom.length,
        bytesReadDicomMax: Math.max(...dicom.map((f) => f.bytes_read)),
        bytesReadTotal: sum(all.map((f) => f.bytes_read)),
        findings: report.findings.map((f) => f.code),
      };
    });
    // Diagnostics through the element's internals (not its contract; null when they change):
    // how long the main thread takes to rebuild and show the report of these files.
    const mainThread = await page.evaluate(async () => {
      const el = (await import('/app.js')).internals(/** @type {any} */ (document.querySelector('record-precheck')));
      try {
        let t = performance.now();
        el.api.buildReport(el.entries, el.declarations());
        const buildReportMs = performance.now() - t;
        t = performance.now();
        el.rebuild();
        const rebuildMs = performance.now() - t;
        t = performance.now();
        el.renderFiles();
        const renderFilesMs = performance.now() - t;
        return { buildReportMs, rebuildMs, renderFilesMs };
      } catch {
        return null;
      }
    });
    const heapAfter = await heap();
    const procs = pids.map((p) => ({ pid: p, before: base[p], after: procStatus(p) })).filter((p) => p.after);
    const main = procs.sort((a, b) => b.after.hwm - a.after.hwm)[0];
    const errors = app.errors;
    await app.context.close();
    return {
      ...r,
      cpu,
      mainThread,
      poolSize,
      hardwareConcurrency,
      filesPerSec: r.files / (r.ms / 1000),
      heapBefore,
      heapPeak,
      heapAfter,
      rendererRssBefore: main?.before?.rss ?? NaN,
      rendererPeakRss: main?.after?.hwm ?? NaN,
      loaded,
      loadedLog,
      errors,
    };
  } finally {
    await browser.close();
  }
}

// ---- dicomParser -----------------------------------------------------------------------------

const BENCH_PAGE = `<!doctype html><meta charset=utf-8><title>dicomParser bench</title>
<link rel="icon" href="data:,">
<script src="dicomParser.min.js"></script>
<input type=file id=pick webkitdirectory multiple>
<script>
const TAGS = ['x00100010', 'x00100020', 'x0020000d', 'x0020000e', 'x00080018', 'x00080016',
  'x00080060', 'x00080020', 'x00200011', 'x00200013'];
async function one(file) {
  const bytes = new Uint8Array(await file.slice(0, 65536).arrayBuffer());
  try {
    const ds = dicomParser.parseDicom(bytes, { untilTag: 'x7fe00010' });
    const out = {};
    for (const t of TAGS) out[t] = ds.string(t);
    out.instance = ds.intString('x00200013');
    return out.x00080018 ? 1 : 0;
  } catch (e) {
    return -1;
  }
}
window.runSequential = async () => {
  const files = [...document.getElementById('pick').files];
  const t = performance.now();
  let ok = 0, failed = 0;
  for (const f of files) { const r = await one(f); if (r === 1) ok++; else if (r < 0) failed++; }
  return { ms: performance.now() - t, files: files.length, ok, failed };
};
// The engine alone, without the app, in one module worker given every file in one message:
// 'blob' = scanBlob over each file (FileReaderSync, as the app did before); 'windows' = as the
// app's worker reads now: the first 16 KiB of 32 files at a time as one Blob, two such reads in
// flight, scanWindows on each head, scanBlob when that is not enough. Each also times its reads
// alone first (FileReaderSync 8 KiB slices / the grouped 16 KiB heads).
const GLUE_WORKER = [
  "import init, { scanBlob, scanWindows } from '" + location.origin + "/pkg/record_precheck_scan.js';",
  "const NOTHING = new Uint8Array(0);",
  "async function heads(files, scan) {",
  "  let next = 0, ok = 0;",
  "  const read = (group) => new Blob(group.map((f) => f.slice(0, Math.min(16384, f.size)))).arrayBuffer();",
  "  const lane = async () => {",
  "    while (next < files.length) {",
  "      const group = files.slice(next, next + 32); next += 32;",
  "      const buf = await read(group);",
  "      if (!scan) continue;",
  "      let at = 0;",
  "      for (const f of group) {",
  "        const n = Math.min(16384, f.size);",
  "        const path = f.webkitRelativePath || f.name;",
  "        const e = scanWindows(path, f.size, new Uint8Array(buf, at, n), NOTHING) ?? scanBlob(path, f);",
  "        at += n;",
  "        if (e.kind === 'dicom') ok++;",
  "      }",
  "    }",
  "  };",
  "  await Promise.all([lane(), lane()]);",
  "  return ok;",
  "}",
  "self.onmessage = async (e) => {",
  "  await init();",
  "  const { files, mode } = e.data;",
  "  let t = performance.now();",
  "  if (mode === 'blob') {",
  "    const frs = new FileReaderSync();",
  "    for (const f of files) frs.readAsArrayBuffer(f.slice(0, 8192));",
  "  } else await heads(files, false);",
  "  const readMs = performance.now() - t;",
  "  t = performance.now();",
  "  let dicom = 0;",
  "  if (mode === 'blob') {",
  "    for (const f of files) if (scanBlob(f.webkitRelativePath || f.name, f).kind === 'dicom') dicom++;",
  "  } else dicom = await heads(files, true);",
  "  const scanMs = performance.now() - t;",
  "  self.postMessage({ readMs, scanMs, files: files.length, dicom });",
  "};",
].join('\\n');
window.runGlue = (mode) => new Promise((resolve, reject) => {
  const files = [...document.getElementById('pick').files];
  const url = URL.createObjectURL(new Blob([GLUE_WORKER], { type: 'text/javascript' }));
  const w = new Worker(url, { type: 'module' });
  w.onmessage = (e) => { w.terminate(); resolve(e.data); };
  w.onerror = (e) => { w.terminate(); reject(new Error(e.message)); };
  w.postMessage({ files, mode });
});
window.runAll = async () => {
  const files = [...document.getElementById('pick').files];
  const t = performance.now();
  const rs = await Promise.all(files.map(one));
  return { ms: performance.now() - t, files: files.length,
    ok: rs.filter((r) => r === 1).length, failed: rs.filter((r) => r < 0).length };
};
// The CD as an OPFS folder (a picked folder's stand-in): copied once, read through fresh
// handles (listed here, each file opened with getFile), one after another or all at once.
window.copyIn = async () => {
  const root = await navigator.storage.getDirectory();
  await root.removeEntry('cd', { recursive: true }).catch(() => {});
  const cd = await root.getDirectoryHandle('cd', { create: true });
  for (const f of document.getElementById('pick').files) {
    const parts = f.webkitRelativePath.split('/').slice(1);
    let d = cd;
    for (const p of parts.slice(0, -1)) d = await d.getDirectoryHandle(p, { create: true });
    const w = await (await d.getFileHandle(parts[parts.length - 1], { create: true })).createWritable();
    await w.write(f);
    await w.close();
  }
};
window.removeCopy = async () => (await navigator.storage.getDirectory()).removeEntry('cd', { recursive: true });
async function handles() {
  const out = [];
  const stack = [await (await navigator.storage.getDirectory()).getDirectoryHandle('cd')];
  while (stack.length) for await (const h of stack.pop().values()) (h.kind === 'directory' ? stack : out).push(h);
  return out;
}
window.runHandles = async (all) => {
  const t = performance.now();
  const hs = await handles();
  let rs = [];
  if (all) rs = await Promise.all(hs.map(async (h) => one(await h.getFile())));
  else for (const h of hs) rs.push(await one(await h.getFile()));
  return { ms: performance.now() - t, files: hs.length,
    ok: rs.filter((r) => r === 1).length, failed: rs.filter((r) => r < 0).length };
};
</script>`;

/**
 * dicomParser's runs; with `profile`, in a browser on that profile, over the CD's OPFS copy
 * (`copy`: make it first; `remove`: remove it after).
 */
async function dicomParserRuns(server, { profile = null, copy = false, remove = false } = {}) {
  const persistent = profile
    ? await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS })
    : null;
  const browser = persistent ?? (await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }));
  try {
    const context = persistent ?? (await /** @type {import('playwright-core').Browser} */ (browser).newContext());
    const js = readFileSync(join(HERE, 'node_modules/dicom-parser/dist/dicomParser.min.js'));
    // Same origin as the app; answered by the test, never by the network or the app's server.
    await context.route(`${server.url}__bench/**`, (route) => {
      const url = route.request().url();
      if (url.endsWith('/dicomParser.min.js'))
        return route.fulfill({ body: js, contentType: 'text/javascript' });
      return route.fulfill({ body: BENCH_PAGE, contentType: 'text/html' });
    });
    const page = persistent?.pages()[0] ?? (await context.newPage());
    await page.goto(`${server.url}__bench/index.html`);
    await page.waitForFunction(() => typeof (/** @type {any} */ (window).dicomParser) === 'object');
    const version = JSON.parse(readFileSync(join(HERE, 'node_modules/dicom-parser/package.json'), 'utf8')).version;
    // Every run on files picked again: Chromium fetches a picked file's size and date from the
    // browser process the first time it is used (~0.3 ms a file, then kept on the File object),
    // so runs on files used before would skip a cost that the app's runs, each in a fresh
    // browser, pay.
    // The CPU time the browser spent from the pick to the end of a run, as for the app (whose
    // is from the pick to the report): the browser listing the folder and making its `File`s
    // included, or (with handles) the page listing it.
    /** A run of `fn` (after picking the files again when `pick`). @param {string} fn @param {unknown} [arg] */
    const timed = async (fn, arg, pick = false) => {
      const before = cpuByThread();
      if (pick) await page.locator('#pick').setInputFiles(DATA);
      const r = await page.evaluate(([f, a]) => /** @type {any} */ (window)[f](a), [fn, arg]);
      return { ...r, cpu: cpuSpent(before, cpuByThread()) };
    };
    /** @param {string} fn @param {unknown} [arg] */
    const fresh = (fn, arg) => timed(fn, arg, true);
    if (profile) {
      if (copy) {
        await page.locator('#pick').setInputFiles(DATA);
        await page.evaluate(() => /** @type {any} */ (window).copyIn());
        return null;
      }
      await page.evaluate(() => /** @type {any} */ (window).runHandles(true)); // warm-up
      const seq = [];
      const all = [];
      for (let i = 0; i < RUNS; i++) {
        seq.push(await timed('runHandles', false));
        all.push(await timed('runHandles', true));
      }
      if (remove) await page.evaluate(() => /** @type {any} */ (window).removeCopy());
      return { version, seq, all, glue: null };
    }
    await fresh('runAll'); // warm-up (page cache, JIT)
    const seq = [];
    const all = [];
    for (let i = 0; i < RUNS; i++) {
      seq.push(await fresh('runSequential'));
      all.push(await fresh('runAll'));
    }
    const glue = { blob: [], windows: [] };
    for (let i = 0; i < RUNS; i++) {
      glue.blob.push(await fresh('runGlue', 'blob'));
      glue.windows.push(await fresh('runGlue', 'windows'));
    }
    return { version, seq, all, glue };
  } finally {
    await browser.close();
  }
}

// ---- main ------------------------------------------------------------------------------------

async function main() {
  const problems = checkPrerequisites();
  if (!existsSync(join(DATA, 'DICOMDIR')))
    problems.push(`no benchmark CD at ${DATA}: run \`cargo xtask bench\` first (it generates it)`);
  if (problems.length) {
    console.error(`bench: cannot run: ${problems.join('; ')}`);
    process.exit(2);
  }
  const fileCount = await countFiles(DATA);
  const wasmPath = join(ROOT, 'www/pkg/record_precheck_scan_bg.wasm');
  const wasm = sizes(readFileSync(wasmPath));
  log(`wasm ${JSON.stringify(wasm)}; ${fileCount} files in ${DATA}`);

  const server = await startServer();
  // The browser profile on disk that holds the CD's OPFS copy (removed at the end).
  const profile = await mkdtemp(join(tmpdir(), 'rp-bench-handles-'));
  try {
    const configs = [
      { name: 'pool', workers: null },
      { name: 'one-worker', workers: 1 },
      { name: 'pool-handle', workers: null, profile },
      { name: 'one-worker-handle', workers: 1, profile },
    ];
    log('the CD into OPFS');
    await dicomParserRuns(server, { profile, copy: true });
    const results = {};
    // A warm-up scan: the files into the page cache, the wasm compiled once.
    log('warm-up scan');
    const first = await appRun(server, { workers: null, collectLoad: true }).catch((e) => {
      log(`warm-up failed, once more: ${e.message.split('\n').slice(0, 3).join(' / ')}`);
      return appRun(server, { workers: null, collectLoad: true });
    });
    for (const c of configs) results[c.name] = [];
    // Run by run, each way in turn (the machine's load moves between runs).
    for (let i = 0; i < RUNS; i++) {
      for (const c of configs) {
        const r = await appRun(server, { workers: c.workers, profile: c.profile }).catch((e) => {
          // `cargo xtask serve` sometimes never answers one request of a page load.
          log(`${c.name} run ${i + 1} failed, once more: ${e.message.split('\n').slice(0, 3).join(' / ')}`);
          return appRun(server, { workers: c.workers, profile: c.profile });
        });
        log(`${c.name} run ${i + 1}: ${Math.round(r.ms)} ms, ${Math.round(r.filesPerSec)} files/s, pool ${r.poolSize}, peak RSS ${Math.round(r.rendererPeakRss / 2 ** 20)} MiB, CPU ${r.cpu.totalMs} ms`);
        if (r.errors.length) log(`  page errors: ${r.errors.join(' | ')}`);
        results[c.name].push(r);
      }
    }
    log('dicomParser');
    const dp = await dicomParserRuns(server);
    const dpHandles = /** @type {NonNullable<Awaited<ReturnType<typeof dicomParserRuns>>>} */ (
      await dicomParserRuns(server, { profile, remove: true })
    );

    // What the page loads before the first scan: what the server sent (its log of the load),
    // sized from the files in www/. The browser's own list also has the wasm glue's text taken
    // from its HTTP cache and the workers' scripts from a Blob URL (no request to a server).
    const served = first.loadedLog
      .map((l) => l.split(' '))
      .filter(([method, , status]) => method === 'GET' && status === '200')
      .map(([, path]) => path);
    const perUrl = [...new Set(served)].map((path) => {
      const file = join(ROOT, 'www', path.endsWith('/') ? `${path}index.html` : path);
      const s = existsSync(file) ? sizes(readFileSync(file)) : null;
      return { path, times: served.filter((x) => x === path).length, ...s };
    });
    const total = (k) => perUrl.reduce((a, p) => a + (p[k] ?? 0), 0);

    const summarise = (rs) => ({
      runs: rs.length,
      pool_size: rs[0].poolSize,
      hardware_concurrency_seen_by_page: rs[0].hardwareConcurrency,
      files: rs[0].files,
      kinds: rs[0].kinds,
      ms_median: round(median(rs.map((r) => r.ms))),
      // From the pick to the first file done (collecting the files, starting the workers).
      pick_to_first_progress_ms_median: round(median(rs.map((r) => r.firstProgressMs ?? NaN))),
      files_per_s_median: round(median(rs.map((r) => r.filesPerSec))),
      main_thread_ms_median: rs[0].mainThread && {
        build_report: round(median(rs.map((r) => r.mainThread?.buildReportMs ?? NaN))),
        rebuild_and_render_report: round(median(rs.map((r) => r.mainThread?.rebuildMs ?? NaN))),
        render_file_table: round(median(rs.map((r) => r.mainThread?.renderFilesMs ?? NaN))),
      },
      files_per_s_all: rs.map((r) => round(r.filesPerSec)),
      ...cpuSummary(rs),
      bytes_read_per_file_mean: round(rs[0].bytesReadMean),
      bytes_read_per_dicom_mean: round(rs[0].bytesReadDicomMean),
      bytes_read_per_dicom_max: rs[0].bytesReadDicomMax,
      bytes_read_total: rs[0].bytesReadTotal,
      page_js_heap_peak_bytes: Math.max(...rs.map((r) => r.heapPeak)),
      page_js_heap_before_bytes: rs[0].heapBefore,
      renderer_peak_rss_bytes: Math.max(...rs.map((r) => r.rendererPeakRss)),
      renderer_rss_before_bytes: rs[0].rendererRssBefore,
      findings: rs[0].findings,
    });
    const dpSummary = (xs) => ({
      ms_median: round(median(xs.map((x) => x.ms))),
      files_per_s_median: round(median(xs.map((x) => x.files / (x.ms / 1000)))),
      files_per_s_all: xs.map((x) => round(x.files / (x.ms / 1000))),
      ...cpuSummary(xs),
      parsed_ok: xs[0].ok,
      failed: xs[0].failed,
    });
    // The CPU time of the browser's threads from the pick to the report (the app) or over the
    // run (dicomParser): whether a reader is bound by a thread or by the machine's cores, and
    // what it costs a file whatever the cores (lib.mjs `cpuSpent`; the median run's threads).
    const cpuSummary = (xs) => {
      const byCpu = [...xs].sort((a, b) => a.cpu.totalMs - b.cpu.totalMs);
      const mid = byCpu[byCpu.length >> 1];
      return {
        cpu_ms_median: mid.cpu.totalMs,
        cpu_ms_per_file_median: round(mid.cpu.totalMs / fileCount, 2),
        cpu_threads_of_median_run_ms: Object.fromEntries(mid.cpu.threads),
      };
    };
    const pool = summarise(results.pool);
    const one = summarise(results['one-worker']);
    const poolHandle = summarise(results['pool-handle']);
    const oneHandle = summarise(results['one-worker-handle']);
    const dpSeq = dpSummary(dp.seq);
    const dpAll = dpSummary(dp.all);
    const dpHandleSeq = dpSummary(dpHandles.seq);
    const dpHandleAll = dpSummary(dpHandles.all);
    const best = Math.max(dpSeq.files_per_s_median, dpAll.files_per_s_median);
    const bestAny = Math.max(best, dpHandleSeq.files_per_s_median, dpHandleAll.files_per_s_median);
    const summary = {
      date: new Date().toISOString().slice(0, 10),
      chromium: (await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }).then(async (b) => {
        const v = b.version();
        await b.close();
        return v;
      })),
      hardware_concurrency_cores: (await import('node:os')).cpus().length,
      data: { dir: DATA, files: fileCount },
      wasm: { file: 'www/pkg/record_precheck_scan_bg.wasm', ...wasm },
      page_load_before_first_scan: {
        server_requests: served.length,
        browser_requests: first.loaded.length,
        browser_requests_blob: first.loaded.filter((u) => u.startsWith('blob:')).length,
        files: perUrl,
        total_raw: total('raw'),
        total_gzip9: total('gzip9'),
        total_brotli11: total('brotli11'),
        budget_brotli: 450_000,
      },
      app_pool: pool,
      app_one_worker: one,
      app_pool_folder_handle: poolHandle,
      app_one_worker_folder_handle: oneHandle,
      dicom_parser: { version: dp.version, sequential: dpSeq, promise_all: dpAll },
      dicom_parser_folder_handle: { sequential: dpHandleSeq, promise_all: dpHandleAll },
      engine_alone_one_worker: {
        what: 'one module worker given every file in one message, no app (no pool, no report)',
        scan_blob: {
          what: 'scanBlob over each file (FileReaderSync)',
          files_per_s_median: round(median(dp.glue.blob.map((g) => g.files / (g.scanMs / 1000)))),
          scan_ms_median: round(median(dp.glue.blob.map((g) => g.scanMs))),
          read_8k_slices_ms_median: round(median(dp.glue.blob.map((g) => g.readMs))),
          dicom: dp.glue.blob[0].dicom,
        },
        scan_windows: {
          what: 'heads of 32 files read as one Blob (2 in flight), scanWindows on each',
          files_per_s_median: round(median(dp.glue.windows.map((g) => g.files / (g.scanMs / 1000)))),
          scan_ms_median: round(median(dp.glue.windows.map((g) => g.scanMs))),
          read_heads_ms_median: round(median(dp.glue.windows.map((g) => g.readMs))),
          dicom: dp.glue.windows[0].dicom,
        },
      },
      ratio_one_worker_vs_dicom_parser_best: round(one.files_per_s_median / best, 2),
      ratio_pool_vs_dicom_parser_best: round(pool.files_per_s_median / best, 2),
      ratio_one_worker_vs_dicom_parser_sequential: round(one.files_per_s_median / dpSeq.files_per_s_median, 2),
      // The app given the folder's handle against dicomParser's best over every way it read
      // (picked Files or the handle; one by one or Promise.all).
      ratio_pool_handle_vs_dicom_parser_best: round(poolHandle.files_per_s_median / bestAny, 2),
      ratio_one_worker_handle_vs_dicom_parser_best: round(oneHandle.files_per_s_median / bestAny, 2),
      target_one_worker_ratio: 1.5,
    };
    const json = JSON.stringify(summary, null, 2);
    console.log(json);
    if (OUT) writeFileSync(OUT, json + '\n');
  } finally {
    await server.stop();
    await rm(profile, { recursive: true, force: true });
  }
}

await main();
