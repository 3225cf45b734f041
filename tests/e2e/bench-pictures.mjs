// Browser benchmark of what a picture shows, in headless Debian Chromium:
//
//   node tests/e2e/bench-pictures.mjs [--runs 5] [--records ../shared/corpus-records]
//   (needs `cargo xtask build` first)
//
// The labelled pictures of corpus-records (labels.json: every JPEG, PNG and WebP with a
// `subject`) are given to a file input of the app's page, and each is looked at as the document
// worker does it (www/workers/document-worker.js): decoded by the browser with
// `createImageBitmap` (shrunk to at most 1,600 px a side) onto an `OffscreenCanvas`, its
// `getImageData`, then the report module's `analysePicture` (pkg/record_precheck.js, imported by
// the page from its origin). Here on the page's thread, one picture at a time, `--runs` times
// each after a warm-up: the median *decode* ms (bitmap and pixels) and *analyse* ms per picture.
// Prints a table (Markdown) and a JSON summary.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { ROOT, launchBrowser, median, openApp, round, startServer } from './lib.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.lastIndexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const RUNS = Number(opt('--runs', '5'));
const RECORDS = resolve(ROOT, opt('--records', '../shared/corpus-records'));
const log = (...a) => console.error('bench-pictures:', ...a);

const labels = JSON.parse(readFileSync(join(RECORDS, 'labels.json'), 'utf8')).filter(
  (l) => l.subject && /\.(jpe?g|png|webp)$/i.test(l.path),
);
const server = await startServer();
const browser = await launchBrowser();
try {
  const { page } = await openApp(browser, server);
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.id = 'bench-pictures';
    document.body.append(input);
  });
  await page.locator('#bench-pictures').setInputFiles(labels.map((l) => join(RECORDS, l.path)));
  const times = await page.evaluate(async (runs) => {
    const glue = await import(new URL('pkg/record_precheck.js', document.baseURI).href);
    await glue.default();
    const MAX_SIDE = 1600; // as document-worker.js
    const input = /** @type {HTMLInputElement} */ (document.getElementById('bench-pictures'));
    const out = [];
    for (const file of input.files ?? []) {
      const decode = [];
      const analyse = [];
      let result = null;
      let size = '';
      for (let run = 0; run <= runs; run++) {
        const probe = await createImageBitmap(file);
        const scale = Math.min(1, MAX_SIDE / Math.max(probe.width, probe.height));
        const width = Math.max(1, Math.round(probe.width * scale));
        const height = Math.max(1, Math.round(probe.height * scale));
        size = `${probe.width}×${probe.height}`;
        probe.close();
        const t1 = performance.now();
        const bitmap = await createImageBitmap(
          file,
          scale < 1 ? { resizeWidth: width, resizeHeight: height, resizeQuality: 'high' } : {},
        );
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context = /** @type {OffscreenCanvasRenderingContext2D} */ (canvas.getContext('2d', { willReadFrequently: true }));
        context.drawImage(bitmap, 0, 0);
        bitmap.close();
        const rgba = context.getImageData(0, 0, canvas.width, canvas.height);
        const t2 = performance.now();
        result = glue.analysePicture(rgba.width, rgba.height, new Uint8Array(rgba.data.buffer));
        const t3 = performance.now();
        // The first run warms up; the size probe is not part of the decode.
        if (run > 0) {
          decode.push(t2 - t1);
          analyse.push(t3 - t2);
        }
      }
      out.push({ name: file.name, size, decode, analyse, subject: result?.subject, qr: result?.qr.length });
    }
    return out;
  }, RUNS);
  const rows = times.map((t) => {
    const label = labels.find((l) => l.path.endsWith(`/${t.name}`));
    return {
      picture: t.name,
      pixels: t.size,
      decode_ms: round(median(t.decode), 1),
      analyse_ms: round(median(t.analyse), 1),
      subject: t.subject,
      label: label?.subject,
      qr: t.qr,
    };
  });
  console.log('| picture | pixels | decode ms | analyse ms | subject (label) |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.picture} | ${r.pixels} | ${r.decode_ms} | ${r.analyse_ms} | ${r.subject} (${r.label}) |`);
  const mean = (k) => round(rows.reduce((a, r) => a + r[k], 0) / rows.length, 1);
  const summary = { runs: RUNS, pictures: rows.length, mean_decode_ms: mean('decode_ms'), mean_analyse_ms: mean('analyse_ms'), rows };
  console.log(JSON.stringify(summary, null, 2));
  log(`mean decode ${summary.mean_decode_ms} ms, analyse ${summary.mean_analyse_ms} ms per picture`);
} finally {
  await browser.close();
  await server.stop();
}
