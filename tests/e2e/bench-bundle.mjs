// Browser benchmark of "Save the bundle" in headless Debian Chromium:
//
//   node tests/e2e/bench-bundle.mjs [--runs 3] [--data target/bench-data/cd-ct] [--out FILE]
//     [--only picker_stored,download_stored,picker_deflated]  (the baselines always run)
//   (cargo xtask bench-browser generates the data, builds and runs this after bench.mjs)
//
// Picks the generated CD (bench/gen_cd_study.py: 2,000 uncompressed CT files, ~1 GB) with the
// folder picker in a fresh browser, waits for the report, then saves the bundle, timed in the
// page from the click to `precheck-bundle-ready`:
// - into a picked file (`showSaveFilePicker`, answered by the test with a file of the origin's
//   private file system, so the bytes go through the browser's own FileSystemWritableFileStream
//   to disk), stored (the default) and deflated;
// - as a download (no `showSaveFilePicker`: the Firefox/Safari path), to the Blob assembled
//   (the time until the browser takes the download over).
// Peak memory: the highest VmHWM of the renderer processes (the page and its workers) from
// /proc, and the browser process's (where Chromium keeps Blob data). The baseline, in the same
// browser: the page reads every file (`File.arrayBuffer()`) and hashes it with
// `crypto.subtle.digest("SHA-256")`, one file after another: the speed of reading and hashing;
// and the page writes one `Blob` of all the picked files into an OPFS file
// (`FileSystemWritableFileStream.write(blob)`): the speed at which the browser copies the
// files into a picked file, the floor of the picked-file bundle (which copies them that way).
// Each run is a fresh browser with a profile on disk (Playwright's usual contexts are
// off the record, where Chromium keeps OPFS files and Blob data in memory). Prints a JSON
// summary.

import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { CHROMIUM, CHROMIUM_ARGS, ROOT, checkPrerequisites, median, processes, reportCount, round, startServer, waitReport } from './lib.mjs';
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.lastIndexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const RUNS = Number(opt('--runs', '3'));
const DATA = resolve(ROOT, opt('--data', 'target/bench-data/cd-ct'));
const OUT = opt('--out', null);
const ONLY = opt('--only', null)?.split(',');
const log = (...a) => console.error('bench-bundle:', ...a);

function hwm(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/^VmHWM:\s+(\d+) kB/m.exec(s)?.[1] ?? NaN) * 1024;
  } catch {
    return NaN;
  }
}

/** The save dialog answered with an OPFS file (see tests/e2e/bundle.mjs). */
function pickerInit() {
  /** @type {any} */
  const w = window;
  w.showSaveFilePicker = async () => {
    const dir = await navigator.storage.getDirectory();
    return dir.getFileHandle('bench.zip', { create: true });
  };
}

function noPickerInit() {
  delete (/** @type {any} */ (window)).showSaveFilePicker;
}

/**
 * One bundle in a fresh browser: `method` "picker" or "download", `deflate` on or off.
 * @returns {Promise<{ ms: number, bytes: number, inputBytes: number, files: number, rendererPeak: number, browserPeak: number }>}
 */
async function bundleRun(server, { method, deflate }) {
  const profile = await mkdtemp(join(tmpdir(), 'rp-bench-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    acceptDownloads: true,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.addInitScript(() => {
      /** @type {any} */ (window).__rp = { reports: [] };
      document.addEventListener('precheck-report', (e) => /** @type {any} */ (window).__rp.reports.push(/** @type {CustomEvent} */ (e).detail));
    });
    await page.addInitScript(method === 'picker' ? pickerInit : noPickerInit);
    await page.goto(server.url, { waitUntil: 'load' });
    await page.waitForFunction(() => !!document.querySelector('record-precheck')?.shadowRoot);
    const n = await reportCount(page);
    await page.locator('[data-testid=pick-folder]').setInputFiles(DATA);
    await waitReport(page, n, 300_000);
    if (deflate) await page.locator('[data-testid=bundle-deflate]').check();
    const downloaded = method === 'download' ? page.waitForEvent('download', { timeout: 600_000 }) : null;
    const result = page.evaluate(
      () =>
        new Promise((resolve) => {
          const el = /** @type {any} */ (document.querySelector('record-precheck'));
          const t0 = performance.now();
          el.addEventListener('precheck-bundle-ready', (/** @type {CustomEvent} */ e) =>
            resolve({ ms: performance.now() - t0, bytes: e.detail.bytes, inputBytes: e.detail.totals.bytes_copied, files: e.detail.totals.copied }),
          );
          el.shadowRoot.querySelector('[data-testid=save-bundle]').click();
        }),
    );
    // Peak memory while it runs.
    let rendererPeak = 0;
    let browserPeak = 0;
    let done = false;
    result.finally(() => (done = true));
    while (!done) {
      for (const p of processes(profile)) {
        if (p.type === 'renderer') rendererPeak = Math.max(rendererPeak, hwm(p.id));
        if (p.type === 'browser') browserPeak = Math.max(browserPeak, hwm(p.id));
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const r = /** @type {any} */ (await result);
    if (downloaded) await (await downloaded).delete().catch(() => {}); // only the time to the Blob counts
    if (method === 'picker') {
      await page.evaluate(async () => (await navigator.storage.getDirectory()).removeEntry('bench.zip'));
    }
    return { ...r, rendererPeak, browserPeak };
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}

const HASH_PAGE = `<!doctype html><meta charset=utf-8><title>read and hash</title>
<input type=file id=pick webkitdirectory>
<script>
async function readAndHash() {
  const files = [...document.getElementById('pick').files];
  const t0 = performance.now();
  let bytes = 0;
  for (const f of files) {
    const buf = await f.arrayBuffer();
    await crypto.subtle.digest('SHA-256', buf);
    bytes += buf.byteLength;
  }
  return { ms: performance.now() - t0, bytes, files: files.length };
}
async function copyToFile() {
  const files = [...document.getElementById('pick').files];
  const dir = await navigator.storage.getDirectory();
  const t0 = performance.now();
  const writable = await (await dir.getFileHandle('copy.bin', { create: true })).createWritable();
  const blob = new Blob(files);
  await writable.write(blob);
  await writable.close();
  const ms = performance.now() - t0;
  await dir.removeEntry('copy.bin');
  return { ms, bytes: blob.size, files: files.length };
}
</script>`;

/** Reading and hashing every file in the page, one after another (the baseline), or
 * (`fn` "copyToFile") copying them all into an OPFS file, in a fresh browser with a profile on
 * disk each run. */
async function hashRuns(server, fn = 'readAndHash') {
  const profile = await mkdtemp(join(tmpdir(), 'rp-bench-profile-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    // Same origin as the app (crypto.subtle needs a secure context); answered by the test.
    await context.route(`${server.url}__bench/**`, (route) => route.fulfill({ body: HASH_PAGE, contentType: 'text/html' }));
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${server.url}__bench/index.html`);
    const runs = [];
    for (let i = 0; i <= RUNS; i++) {
      await page.locator('#pick').setInputFiles(DATA);
      const r = await page.evaluate((name) => /** @type {any} */ (window)[name](), fn);
      if (i > 0) runs.push(r); // the first warms the page cache up
    }
    return runs;
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}

async function main() {
  const problems = checkPrerequisites();
  if (problems.length) throw new Error(`cannot run: ${problems.join('; ')}`);
  const server = await startServer();
  try {
    const mbps = (r) => r.inputBytes / 1e6 / (r.ms / 1000);
    const summarise = (runs) => ({
      runs: runs.map((r) => ({ ms: round(r.ms), mb_per_s: round(mbps(r), 1) })),
      median_mb_per_s: round(median(runs.map(mbps)), 1),
      input_bytes: runs[0].inputBytes,
      zip_bytes: runs[0].bytes,
      files: runs[0].files,
      renderer_peak_mib: round(Math.max(...runs.map((r) => r.rendererPeak)) / 2 ** 20),
      browser_peak_mib: round(Math.max(...runs.map((r) => r.browserPeak)) / 2 ** 20),
    });
    const out = { data: DATA, runs: RUNS };
    log('warm-up (page cache)');
    await bundleRun(server, { method: 'picker', deflate: false });
    for (const [name, o] of [
      ['picker_stored', { method: 'picker', deflate: false }],
      ['download_stored', { method: 'download', deflate: false }],
      ['picker_deflated', { method: 'picker', deflate: true }],
    ]) {
      if (ONLY && !ONLY.includes(name)) continue;
      const runs = [];
      for (let i = 0; i < RUNS; i++) {
        runs.push(await bundleRun(server, o));
        log(name, i + 1, `${round(runs.at(-1).ms)} ms`);
      }
      out[name] = summarise(runs);
    }
    const hashes = await hashRuns(server);
    const speeds = (runs) => ({
      runs: runs.map((r) => ({ ms: round(r.ms), mb_per_s: round(r.bytes / 1e6 / (r.ms / 1000), 1) })),
      median_mb_per_s: round(median(runs.map((r) => r.bytes / 1e6 / (r.ms / 1000))), 1),
    });
    out.read_and_hash = speeds(hashes);
    out.copy_to_picked_file = speeds(await hashRuns(server, 'copyToFile'));
    const json = JSON.stringify(out, null, 2);
    console.log(json);
    if (OUT) writeFileSync(OUT, json);
  } finally {
    await server.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
