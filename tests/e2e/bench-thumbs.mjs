// Browser benchmark of the page's thumbnails (issue 17), in headless Debian Chromium:
//
//   node tests/e2e/bench-thumbs.mjs [--runs 3] [--files 2000] [--out FILE]
//   (after `cargo xtask build`)
//
// 1. The generated 2,000-file CD (gen-cd.mjs: a scout and four series of 64×64 CT), picked as a
//    folder, each run in a fresh browser: the time from the first report (its precheck-report
//    event) to the first thumbnail shown and to the last (the pixel module fetched and compiled
//    in every run, as on a patient's first use), and the renderer's memory (RSS of Chromium's
//    renderer processes, workers included) when the page has loaded, at the first report, when
//    the thumbnails are made and after a quick look stepped through 100 images of a series.
// 2. Thumbnails per second: the page's pixel worker (ui/thumbs.js's maker, white-box) making the
//    thumbnails of every DICOM file of ../shared/corpus-pixels (CT, MR, CR, DX, US, NM over the
//    transfer syntaxes it decodes), 5 rounds; the reference, in the same page and worker: the
//    browser's own decoders making thumbnails of the same images as PNG (the corpus's
//    reference renderings, same sizes), the path photos and screenshots take.
// Also the size of what the page fetches for thumbnails, from dist/ (raw, gzip -9, brotli 11).
// Prints a JSON summary.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { chromium } from 'playwright-core';

import { generateCd } from './gen-cd.mjs';
import { CHROMIUM, CHROMIUM_ARGS, ROOT, checkPrerequisites, median, openApp, reportCount, round, sizes, startServer, waitReport } from './lib.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.lastIndexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const RUNS = Number(opt('--runs', '3'));
const FILES = Number(opt('--files', '2000'));
const OUT = opt('--out', null);
const PIXELS = resolve(ROOT, '../shared/corpus-pixels');
const ROUNDS = 5;
/** What the page fetches for thumbnails, as built in dist/: the module and its worker's script (the glue bundled in). */
const MODULE_FILES = ['pkg/record_precheck_pixels_bg.wasm', 'workers/pixel-worker.js'];
const log = (...a) => console.error('bench-thumbs:', ...a);

/** KiB of resident memory of the browser's renderer processes (the page and its workers). */
function rendererKib(browserPid) {
  const ps = execFileSync('ps', ['-eo', 'pid=,ppid=,rss=,args='], { encoding: 'utf8' });
  const procs = ps
    .trim()
    .split('\n')
    .map((l) => l.trim().match(/^(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/))
    .filter(Boolean)
    .map(([, pid, ppid, rss, cmd]) => ({ pid: Number(pid), ppid: Number(ppid), rss: Number(rss), cmd }));
  const ours = new Set([browserPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs)
      if (!ours.has(p.pid) && ours.has(p.ppid)) {
        ours.add(p.pid);
        grew = true;
      }
  }
  return procs.filter((p) => ours.has(p.pid) && p.cmd.includes('--type=renderer')).reduce((a, p) => a + p.rss, 0);
}

/** One run on the generated CD. */
async function cdRun(server, cdDir) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const pid = /** @type {number} */ (browser.process?.()?.pid ?? 0);
  try {
    const app = await openApp(browser, server);
    const { page } = app;
    const memory = { loaded: rendererKib(pid) };
    // The first and the last thumbnail shown, stamped in the page.
    await page.evaluate(() => {
      const w = /** @type {any} */ (window);
      const root = document.querySelector('record-precheck').shadowRoot;
      const q = (s) => root.querySelector(s);
      new MutationObserver(() => {
        if (!w.__firstThumb && q('img.thumb')) w.__firstThumb = performance.now();
        const status = q('[data-testid=thumbs]');
        if (!w.__lastThumb && status && status.getAttribute('data-pending') === '0' && Number(status.getAttribute('data-made')) > 0)
          w.__lastThumb = performance.now();
      }).observe(root, { subtree: true, childList: true, attributes: true });
    });
    const n = await reportCount(page);
    await page.locator('[data-testid=pick-folder]').setInputFiles(cdDir);
    await waitReport(page, n, 600_000);
    memory.first_report = rendererKib(pid);
    await page.waitForFunction(() => /** @type {any} */ (window).__lastThumb, undefined, { timeout: 300_000 });
    const times = await page.evaluate((k) => {
      const w = /** @type {any} */ (window);
      const firstReport = w.__rp.times[k];
      const q = (s) => document.querySelector('record-precheck').shadowRoot.querySelectorAll(s);
      return { firstMs: w.__firstThumb - firstReport, lastMs: w.__lastThumb - firstReport, thumbnails: q('[data-testid=series-thumb]').length };
    }, n);
    memory.thumbnails_made = rendererKib(pid);
    // A quick look through 100 images of the longest series.
    await page.locator('[data-testid=series-thumb]').last().click();
    for (let i = 0; i < 100; i++) {
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction(
        () => {
          const d = document.querySelector('record-precheck').shadowRoot.querySelector('[data-testid=quick-look]');
          return d.getAttribute('data-shown') === d.getAttribute('data-index');
        },
        undefined,
        { timeout: 20_000 },
      );
    }
    memory.quick_look_100 = rendererKib(pid);
    const errors = app.errors;
    await app.context.close();
    return { ...times, memory, errors };
  } finally {
    await browser.close();
  }
}

/** Thumbnails per second of the page's pixel worker, and of the browser's decoders. */
async function rateRun(server) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const app = await openApp(browser, server);
    const { page } = app;
    const dicom = (await readdir(PIXELS)).filter((f) => f.endsWith('.dcm')).map((f) => join(PIXELS, f));
    const pngs = (await readdir(join(PIXELS, 'reference'))).map((f) => join(PIXELS, 'reference', f));
    const n = await reportCount(page);
    await page.locator('[data-testid=pick-files]').setInputFiles([...dicom, ...pngs]);
    await waitReport(page, n, 120_000);
    const rates = await page.evaluate(async (rounds) => {
      const { internals } = await import('/app.js');
      const host = internals(/** @type {any} */ (document.querySelector('record-precheck')));
      const maker = host.thumbs.maker;
      const all = [...host.files];
      const dicomItems = all.filter(([p]) => p.endsWith('.dcm')).map(([path, file]) => ({ path, file, picture: null }));
      const pngItems = await Promise.all(
        all
          .filter(([p]) => p.endsWith('.png'))
          .map(async ([path, file]) => {
            const b = await createImageBitmap(file);
            const size = { width: b.width, height: b.height };
            b.close();
            return { path, file, picture: size };
          }),
      );
      const time = async (items) => {
        let made = 0;
        let failed = 0;
        await maker.make(items.slice(0, 1), 256, () => {}); // warm
        const t0 = performance.now();
        for (let r = 0; r < rounds; r++)
          await maker.make(items, 256, (_, got) => ('png' in got ? (made += 1) : (failed += 1)));
        return { ms: performance.now() - t0, made, failed, files: items.length };
      };
      return { dicom: await time(dicomItems), browser: await time(pngItems) };
    }, ROUNDS);
    await app.context.close();
    return rates;
  } finally {
    await browser.close();
  }
}

async function main() {
  const problems = checkPrerequisites();
  if (!existsSync(join(ROOT, 'dist', MODULE_FILES[0]))) problems.push('dist/ has no pixel module: run `cargo xtask build` first');
  if (!existsSync(PIXELS)) problems.push(`no corpus of pixels at ${PIXELS}`);
  if (problems.length) {
    console.error(`bench-thumbs: cannot run: ${problems.join('; ')}`);
    process.exit(2);
  }
  const module = Object.fromEntries(MODULE_FILES.map((f) => [f, sizes(readFileSync(join(ROOT, 'dist', f)))]));
  const cdDir = await mkdtemp(join(tmpdir(), 'rp-bench-thumbs-'));
  const server = await startServer();
  try {
    await generateCd(cdDir, { files: FILES });
    log(`${FILES}-file CD: warm-up`);
    await cdRun(server, cdDir);
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await cdRun(server, cdDir);
      log(`run ${i + 1}: first thumbnail ${Math.round(r.firstMs)} ms after the report, last ${Math.round(r.lastMs)} ms; memory ${JSON.stringify(r.memory)}`);
      if (r.errors.length) log(`  page errors: ${r.errors.join(' | ')}`);
      runs.push(r);
    }
    const rates = await rateRun(server);
    const perS = (x) => round(x.made / (x.ms / 1000), 1);
    const summary = {
      date: new Date().toISOString().slice(0, 10),
      chromium: await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }).then(async (b) => {
        const v = b.version();
        await b.close();
        return v;
      }),
      cores: (await import('node:os')).cpus().length,
      pixel_module: module,
      pixel_module_brotli11_total: Object.values(module).reduce((a, s) => a + s.brotli11, 0),
      cd: {
        files: FILES,
        runs: runs.length,
        thumbnails: runs[0].thumbnails,
        first_report_to_first_thumbnail_ms_median: round(median(runs.map((r) => r.firstMs))),
        first_report_to_first_thumbnail_ms_all: runs.map((r) => round(r.firstMs)),
        first_report_to_last_thumbnail_ms_median: round(median(runs.map((r) => r.lastMs))),
        renderer_rss_kib_median: Object.fromEntries(
          Object.keys(runs[0].memory).map((k) => [k, round(median(runs.map((r) => r.memory[k])))]),
        ),
      },
      rate: {
        rounds: ROUNDS,
        pixel_worker_dicom: { ...rates.dicom, per_s: perS(rates.dicom) },
        browser_decoders_png_reference: { ...rates.browser, per_s: perS(rates.browser) },
      },
    };
    const json = JSON.stringify(summary, null, 2);
    console.log(json);
    if (OUT) writeFileSync(OUT, json + '\n');
  } finally {
    await server.stop();
    await rm(cdDir, { recursive: true, force: true });
  }
}

await main();
