// A large CD in the app, in headless Debian Chromium: how long the patient waits and where the
// memory goes.
//
//   node tests/e2e/gen-cd.mjs target/bench-data/cd-20k --files 20000
//   node tests/e2e/bench-large.mjs [target/bench-data/cd-20k]     (after `cargo xtask build`)
//
// One scan of the folder through the folder picker (the app's default worker pool), then two
// questions typed, each until its report: the time from the pick to the report, from each
// change to its report (the typing pause included). Then the renderer processes' RSS (from
// /proc) before the scan, after it, after the report worker is stopped and after the scan
// workers are stopped: what each holds. And the page's JS heap.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { ROOT, launchBrowser, openApp, reportCount, sleep, startServer, waitReport } from './lib.mjs';

const DATA = resolve(ROOT, process.argv[2] ?? 'target/bench-data/cd-20k');

/** @param {number} pid @returns {number} MiB */
const rss = (pid) => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;

const server = await startServer();
const browser = await launchBrowser();
try {
  const app = await openApp(browser, server);
  const { page } = app;
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
  const pids = processInfo.filter((/** @type {any} */ p) => p.type === 'renderer').map((/** @type {any} */ p) => p.id);
  const renderers = () => Math.round(pids.map(rss).reduce((a, b) => a + b, 0));
  const heap = () => page.evaluate(() => Math.round(/** @type {any} */ (performance).memory.usedJSHeapSize / 2 ** 20));

  const before = renderers();
  const n = await reportCount(page);
  const picked = Date.now();
  await page.locator('[data-testid=pick-folder]').setInputFiles(DATA);
  await waitReport(page, n, 600_000);
  const scanMs = Date.now() - picked;
  const files = await page.evaluate(() => /** @type {any} */ (document.querySelector('record-precheck')).report.files.length);

  await sleep(3000); // what the report worker does after the first report (the bundle's set-aside list)
  const answers = [];
  await page.locator('[data-testid=question-add]').click();
  for (const question of ['Is surgery still an option?', 'What stage is it?']) {
    const m = await reportCount(page);
    const typed = Date.now();
    await page.locator('[data-testid=question]').last().fill(question);
    await waitReport(page, m, 60_000);
    answers.push(Date.now() - typed);
  }

  const afterScan = renderers();
  const pageHeap = await heap();
  await page.evaluate(async () => (await import('/app.js')).internals(/** @type {any} */ (document.querySelector('record-precheck'))).reporter.stop());
  await sleep(1500);
  const withoutReporter = renderers();
  await page.evaluate(async () => {
    for (const slot of (await import('/app.js')).internals(/** @type {any} */ (document.querySelector('record-precheck'))).pool.slots) slot.worker.terminate();
  });
  await sleep(1500);
  const withoutWorkers = renderers();
  console.log(JSON.stringify({
    files,
    pick_to_report_ms: scanMs,
    answer_to_report_ms: answers,
    renderers_rss_mib: { before_scan: before, after_scan: afterScan, report_worker_stopped: withoutReporter, scan_workers_stopped: withoutWorkers },
    report_worker_mib: afterScan - withoutReporter,
    scan_workers_mib: withoutReporter - withoutWorkers,
    page_js_heap_mib: pageHeap,
  }, null, 2));
  await app.context.close();
} finally {
  await browser.close();
  await server.stop();
}
