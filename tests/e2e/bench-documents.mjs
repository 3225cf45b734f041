// Browser benchmark of the page reading documents, in headless Debian Chromium:
//
//   node tests/e2e/bench-documents.mjs [--runs 3] [--records ../shared/corpus-records]
//        [--generated target/bench-data/documents] [--out FILE]
//   (cargo xtask bench-browser [documents] generates the documents, builds and runs this)
//
// Picks document files with the app's file picker, each run in a fresh browser after one
// warm-up run of every set (files in the page cache): the corpus's PDFs, DOCX and TXT files
// (listed from the folder), and when generated (bench/gen_documents.py) its 100 short records
// and its 200-page documents. The page scans them (loading the report module, with the document
// readers, pkg/record_precheck_bg.wasm, when the scan starts: fetched and compiled in every run,
// as for a patient's first use), shows the first report, then reads each file again in the
// document worker (www/workers/documents.js); the report is final when the element's `readingDocuments` is 0 and the last
// `precheck-report` event has come (lib.mjs `waitReport`). Times, all stamped in the page: from
// the picker's change event to the first report, and from the first report to the final one;
// documents/s over the reading (first to final report); bytes read (the final report's
// bytes_read); the report module's fetch (resource timing); how many files the final report
// gives a `document` object. Also the module's size (raw, gzip -9, brotli 11) and what the
// page loaded before the first scan (the server's log of the load, sized from www/). Prints a
// JSON summary.

import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';

import { CHROMIUM, CHROMIUM_ARGS, ROOT, checkPrerequisites, median, openApp, reportCount, round, sizes, startServer, waitReport } from './lib.mjs';
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.lastIndexOf(name); // the last one wins (cargo xtask bench-browser passes defaults first)
  return i >= 0 ? args[i + 1] : dflt;
};
const RUNS = Number(opt('--runs', '3'));
const RECORDS = resolve(ROOT, opt('--records', '../shared/corpus-records'));
const GENERATED = resolve(ROOT, opt('--generated', 'target/bench-data/documents'));
const OUT = opt('--out', null);
const log = (...a) => console.error('bench-documents:', ...a);

/** The files the document readers take, by extension (as benches/documents.rs). */
const DOCUMENT_EXTENSIONS = new Set(['.pdf', '.docx', '.txt']);
/** The report module's files, as the page fetches them (lib.mjs REPORT_MODULE, from www/). */
const MODULE_FILES = ['pkg/record_precheck_bg.wasm', 'pkg/record_precheck.js', 'workers/report-worker.js', 'workers/document-worker.js'];


/** Every document file under `dir`, sorted. */
async function documentFiles(dir) {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await documentFiles(path)));
    else if (DOCUMENT_EXTENSIONS.has(extname(e.name).toLowerCase())) out.push(path);
  }
  return out.sort();
}

/**
 * One run: a fresh browser, the app loaded, `files` given to the file picker, then the first
 * and the final report awaited.
 */
async function appRun(server, files, { collectLoad = false } = {}) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const app = await openApp(browser, server);
    const { page } = app;
    const loadedLog = collectLoad ? server.logLines() : null;
    const logAtPick = server.logLines().length;
    await page.locator('[data-testid=pick-files]').evaluate((input) => {
      const w = /** @type {any} */ (window);
      const mark = (e) => {
        w.__rp.pickAt ??= e.timeStamp;
      };
      input.addEventListener('input', mark, { capture: true });
      input.addEventListener('change', mark, { capture: true });
    });
    const n = await reportCount(page);
    await page.locator('[data-testid=pick-files]').setInputFiles(files);
    await waitReport(page, n, 600_000);
    const r = await page.evaluate((k) => {
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
      const wasm = performance
        .getEntriesByType('resource')
        .find((e) => e.name.endsWith('/pkg/record_precheck_bg.wasm'));
      const sum = (xs) => xs.reduce((a, b) => a + b, 0);
      return {
        firstMs: rp.times[k] - rp.pickAt,
        finalMs: rp.times[rp.times.length - 1] - rp.pickAt,
        reports: rp.reports.length - k,
        files: all.length,
        size: sum(all.map((f) => f.size)),
        bytesRead: sum(all.map((f) => f.bytes_read)),
        withDocument: all.filter((f) => f.document).length,
        withText: all.filter((f) => f.document?.text_source === 'text-layer').length,
        errors: all.filter((f) => f.error).map((f) => `${f.path}: ${f.error}`),
        moduleFetch: wasm && {
          startAfterFirstReportMs: wasm.startTime - rp.times[k],
          durationMs: wasm.duration,
          transferSize: wasm.transferSize,
        },
      };
    }, n);
    const afterPick = server.logLines().slice(logAtPick);
    const errors = app.errors;
    await app.context.close();
    return { ...r, loadedLog, afterPick, errors };
  } finally {
    await browser.close();
  }
}

/** What the server sent, sized from the files in www/ (GET lines with status 200). */
function served(lines) {
  const paths = lines
    .map((l) => l.split(' '))
    .filter(([method, , status]) => method === 'GET' && status === '200')
    .map(([, path]) => path);
  const files = [...new Set(paths)].map((path) => {
    const file = join(ROOT, 'www', path.endsWith('/') ? `${path}index.html` : path);
    return { path, times: paths.filter((x) => x === path).length, ...(existsSync(file) ? sizes(readFileSync(file)) : {}) };
  });
  const total = (k) => files.reduce((a, p) => a + (p[k] ?? 0), 0);
  return { requests: paths.length, files, total_raw: total('raw'), total_gzip9: total('gzip9'), total_brotli11: total('brotli11') };
}

async function main() {
  const problems = checkPrerequisites();
  if (!existsSync(join(ROOT, 'www', MODULE_FILES[0])))
    problems.push('www/pkg has no report module: run `cargo xtask build` first');
  if (!existsSync(RECORDS)) problems.push(`no corpus of records at ${RECORDS}`);
  if (problems.length) {
    console.error(`bench-documents: cannot run: ${problems.join('; ')}`);
    process.exit(2);
  }
  const sets = [{ name: 'corpus-records', files: await documentFiles(RECORDS) }];
  for (const part of ['many', 'long']) {
    const dir = join(GENERATED, part);
    if (existsSync(dir)) sets.push({ name: `generated-${part}`, files: await documentFiles(dir) });
    else log(`no generated documents in ${dir}: \`cargo xtask bench documents\` makes them`);
  }
  const module = Object.fromEntries(MODULE_FILES.map((f) => [f, sizes(readFileSync(join(ROOT, 'www', f)))]));

  const server = await startServer();
  try {
    const results = {};
    let load = null;
    for (const set of sets) {
      // A warm-up run of the set: its files into the page cache.
      log(`${set.name}: ${set.files.length} files, warm-up`);
      const warm = await appRun(server, set.files, { collectLoad: load === null });
      load ??= warm.loadedLog;
      results[set.name] = [];
      for (let i = 0; i < RUNS; i++) {
        const r = await appRun(server, set.files).catch((e) => {
          // `cargo xtask serve` sometimes never answers one request of a page load.
          log(`${set.name} run ${i + 1} failed, once more: ${e.message.split('\n').slice(0, 3).join(' / ')}`);
          return appRun(server, set.files);
        });
        log(
          `${set.name} run ${i + 1}: first report ${Math.round(r.firstMs)} ms, final ${Math.round(r.finalMs)} ms, ` +
            `${r.withDocument}/${r.files} with a document object, ${r.reports} reports`,
        );
        if (r.errors.length) log(`  page errors: ${r.errors.join(' | ')}`);
        results[set.name].push(r);
      }
    }
    const summarise = (set, rs) => {
      const reading = rs.map((r) => r.finalMs - r.firstMs);
      const ms = median(reading);
      return {
        files: set.files.length,
        size_bytes: rs[0].size,
        runs: rs.length,
        pick_to_first_report_ms_median: round(median(rs.map((r) => r.firstMs))),
        first_to_final_report_ms_median: round(ms),
        first_to_final_report_ms_all: reading.map((x) => round(x)),
        pick_to_final_report_ms_median: round(median(rs.map((r) => r.finalMs))),
        documents_per_s_reading: round(set.files.length / (ms / 1000), 1),
        mb_per_s_reading: round(rs[0].size / 1e6 / (ms / 1000), 2),
        bytes_read_total: rs[0].bytesRead,
        with_document_object: rs[0].withDocument,
        with_text_layer: rs[0].withText,
        reports_after_pick: rs.map((r) => r.reports),
        document_module_fetch: rs.map((r) => r.moduleFetch && {
          start_after_first_report_ms: round(r.moduleFetch.startAfterFirstReportMs),
          duration_ms: round(r.moduleFetch.durationMs),
        }),
        document_module_requests: rs[0].afterPick.filter((l) => MODULE_FILES.some((f) => l.includes(`/${f} `))).length,
        file_errors: rs[0].errors,
      };
    };
    const summary = {
      date: new Date().toISOString().slice(0, 10),
      chromium: await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }).then(async (b) => {
        const v = b.version();
        await b.close();
        return v;
      }),
      hardware_concurrency_cores: (await import('node:os')).cpus().length,
      document_module: module,
      document_module_brotli11_total: Object.values(module).reduce((a, s) => a + s.brotli11, 0),
      page_load_before_first_scan: served(load ?? []),
      sets: Object.fromEntries(sets.map((s) => [s.name, summarise(s, results[s.name])])),
    };
    const json = JSON.stringify(summary, null, 2);
    console.log(json);
    if (OUT) writeFileSync(OUT, json + '\n');
  } finally {
    await server.stop();
  }
}

await main();
