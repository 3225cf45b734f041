// Reading the text of pictures of documents in the page (issue 15, item 3), in headless
// Chromium (Playwright): the OCR module (pkg/record_precheck_ocr_bg.wasm) and its models
// (pkg/ocr/) loaded only when the patient asks.
//
//   node --test --test-reporter=tap tests/e2e/ocr.mjs
//
// Needs `cargo xtask build` first (dist/, with the OCR module and models), /usr/bin/chromium (or
// CHROMIUM=...), ../shared/corpus-records and `npm ci` in tests/e2e. Picks from
// ../shared/corpus-records, chosen by its labels.json: every picture of a document of a case
// (photos, their WeChat copies, a screenshot, a scanned page, an image-only PDF), a photo of a
// screen and a QR slip. Checks the rows and findings before OCR; that the page offers to read
// the text of the documents, with the models' real size, and requested nothing of OCR before
// the click; after it, that the only new requests are the same-origin OCR files (module,
// worker, the three models, each once); and that each picture of a document then has the
// category and the patient of its label (expectations from labels.json, not from the app).
// Prints the time per page (BENCHMARKS.md, "OCR").
//
// A second test: an image-only PDF whose page picture is corrupt (made by the test in a temp
// dir from the corpus's scanned PDF, its JPEG overwritten after its first bytes), offered with
// a good picture: its row and the offer's list say why it was not read, the good one is still
// read, the report is made again, no script error.
//
// A third test: three pictures of documents; the OCR worker dies on the second (as a trap would
// end it) and the models cannot be loaded again for the third (both made to happen through the
// page's internals): the first one's text counts in a report made again, the second's row says
// why, the third is offered again, and the status says how far it got.
//
// Screenshots of the offer and of what it says after, in English and Chinese, at desktop width
// and 360 px, go to target/e2e-screenshots/ocr-*.png (looked at by hand).

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { CORPUS, LABEL_CATEGORIES, ROOT, checkPrerequisites, lastReport, launchBrowser, openApp, reportCount, startServer, waitReport } from './lib.mjs';

const RECORDS = join(CORPUS, '../corpus-records');
/** The OCR files the page may request once the patient asks (besides Blob URLs of its own). */
const OCR_FILES = ['/pkg/record_precheck_ocr_bg.wasm', '/workers/ocr-worker.js'];
const MODELS = ['/pkg/ocr/ch_PP-OCRv4_det_infer.onnx', '/pkg/ocr/ch_PP-OCRv4_rec_infer.onnx', '/pkg/ocr/ch_ppocr_mobile_v2.0_cls_infer.onnx'];
const SHOTS = join(ROOT, 'target/e2e-screenshots');
/** A phone's width, for the screenshots of the narrow layout. */
const NARROW = { width: 360, height: 780 };
/** Names compared without spaces, commas or carets (a DICOM-style name), in lower case. */
const compact = (s) => s.replace(/[\s^,]+/g, '').toLowerCase();

let server;
let browser;
const prerequisites = checkPrerequisites();

before(async () => {
  if (prerequisites.length) return;
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
});

/** The labelled files: the pictures of documents of one case, a photo of a screen, a QR slip. */
async function chosen() {
  const labels = JSON.parse(await readFile(join(RECORDS, 'labels.json'), 'utf8'));
  const documents = labels.filter((l) => l.case === 'case-liver-pictures' && l.subject === 'document');
  const screen = labels.find((l) => l.subject === 'screen' && l.kind === 'photo');
  const qr = labels.find((l) => l.subject === 'qr' && l.kind === 'photo');
  assert.ok(documents.length >= 5 && documents.some((l) => l.kind === 'pdf') && screen && qr, 'labels.json has the pictures');
  return { documents, screen, qr };
}

/**
 * Screenshots of the OCR section (`what`): in English and Chinese, at the page's width and at
 * 360 px; the page is left in English at its width.
 * @param {import('playwright-core').Page} page
 * @param {string} what
 */
async function shots(page, what) {
  await mkdir(SHOTS, { recursive: true });
  const wide = page.viewportSize();
  const section = page.locator('[data-testid=ocr]');
  for (const [size, suffix] of [[wide, ''], [NARROW, '-360']]) {
    await page.setViewportSize(size);
    for (const lang of ['en', 'zh']) {
      await page.locator('[data-testid=lang]').selectOption(lang);
      await section.screenshot({ path: join(SHOTS, `ocr-${what}-${lang}${suffix}.png`) });
    }
  }
  await page.setViewportSize(wide);
  await page.locator('[data-testid=lang]').selectOption('en');
}

test('OCR in the page, opt-in: pictures of documents read on the device, same-origin models only', { timeout: 30 * 60_000 }, async () => {
  assert.deepEqual(prerequisites, [], `cannot run: ${prerequisites.join('; ')}`);
  const { documents, screen, qr } = await chosen();
  const name = (l) => l.path.split('/').pop();
  const app = await openApp(browser, server);
  const { page, requests } = app;
  try {
    const origin = new URL(server.url).origin;
    const n = await reportCount(page);
    await page.locator('[data-testid=pick-files]').setInputFiles([...documents, screen, qr].map((l) => join(RECORDS, l.path)));
    await waitReport(page, n, 120_000);
    const before = (await lastReport(page)).report;

    // Before OCR: the rows (each picture with what it shows), the findings of the screen and the QR slip.
    const subjects = await page.locator('tr[data-path]').evaluateAll((trs) =>
      Object.fromEntries(trs.map((tr) => [tr.getAttribute('data-path'), tr.querySelector('[data-testid=picture-subject]')?.getAttribute('data-subject') ?? null])),
    );
    for (const l of [...documents.filter((d) => d.kind !== 'pdf'), screen, qr]) assert.equal(subjects[name(l)], l.subject, `the row of ${name(l)}`);
    const findingFiles = (report, code) => report.findings.find((f) => f.code === code)?.files ?? [];
    assert.deepEqual(findingFiles(before, 'photo-of-screen'), [name(screen)], 'photo-of-screen: the screen');
    assert.deepEqual(findingFiles(before, 'cloud-film-link'), [name(qr)], 'cloud-film-link: the QR slip');
    for (const l of documents) {
      const file = before.files.find((f) => f.path === name(l));
      assert.ok(file && file.document?.text_source !== 'ocr', `${name(l)}: no text read before the patient asks`);
    }

    // The offer: every picture of a document, and the models' size from the built app.
    const offer = page.locator('[data-testid=ocr-read]');
    await offer.waitFor({ state: 'visible', timeout: 10_000 });
    let bytes = 0;
    for (const m of MODELS) bytes += (await stat(join(ROOT, 'dist', m))).size;
    const text = (await offer.textContent()) ?? '';
    assert.ok(text.includes(`${documents.length} photos and scans`), `the offer counts the documents: ${text}`);
    assert.ok(text.includes(`${Math.round(bytes / 1e6)} MB`), `the offer says how much it downloads (${bytes} B): ${text}`);
    const isOcr = (r) => [...OCR_FILES, ...MODELS].includes(new URL(r.url).pathname);
    assert.deepEqual(requests.filter(isOcr), [], 'nothing of OCR is requested before the patient asks');
    await shots(page, 'offer');

    // The patient asks.
    const clicked = requests.length;
    const logAt = server.logLines().length;
    const t0 = Date.now();
    let firstRead = 0;
    const k = await reportCount(page);
    await offer.click();
    const progress = page.locator('[data-testid=ocr-progress-text]');
    await page.waitForFunction(() => {
      const root = document.querySelector('record-precheck')?.shadowRoot;
      return /of/.test(root?.querySelector('[data-testid=ocr-progress-text]')?.textContent ?? '') && /Reading/.test(root?.querySelector('[data-testid=ocr-progress-text]')?.textContent ?? '');
    }, undefined, { timeout: 10 * 60_000, polling: 100 });
    if (/Reading the text on this device: [1-9]/.test((await progress.textContent()) ?? '')) firstRead = Date.now();
    await page.locator('[data-testid=ocr-status]').filter({ hasText: /\S/ }).waitFor({ timeout: 20 * 60_000 });
    const done = Date.now();
    await waitReport(page, k, 60_000);
    const status = (await page.locator('[data-testid=ocr-status]').textContent()) ?? '';
    assert.match(status, new RegExp(`their text was read on this device \\(${documents.length} of ${documents.length}\\)`), `all read: ${status}`);
    const pages = documents.length;
    console.log(
      `# OCR in Chromium: ${pages} pages in ${((done - t0) / 1000).toFixed(1)} s from the click (models downloaded and loaded, then read one after another)` +
        (firstRead ? `; ${((done - firstRead) / 1000 / Math.max(1, pages - 1)).toFixed(1)} s a page after the first` : ''),
    );

    // Only the OCR files, same origin, each model once.
    const after = requests.slice(clicked).filter((r) => !(r.url.startsWith(`blob:${origin}/`)));
    for (const r of after) assert.equal(new URL(r.url).origin, origin, `same origin: ${r.url}`);
    assert.deepEqual(after.filter((r) => !isOcr(r)).map((r) => r.url), [], 'no other request');
    for (const m of MODELS) assert.equal(after.filter((r) => new URL(r.url).pathname === m).length, 1, `${m} downloaded once`);
    const served = server.logLines().slice(logAt).map((line) => line.split(' ')[1]);
    assert.deepEqual(served.filter((p) => ![...OCR_FILES, ...MODELS].includes(p)), [], 'the server saw only the OCR files');

    // Each picture of a document: read by OCR, with its label's category and patient.
    const { report } = await lastReport(page);
    const rows = await page.locator('tr[data-path]').evaluateAll((trs) =>
      Object.fromEntries(trs.map((tr) => [tr.getAttribute('data-path'), tr.querySelector('[data-testid=document-line]')?.textContent ?? null])),
    );
    const docOf = (l) => report.files.find((f) => f.path === name(l))?.document;
    const readName = (l) => docOf(l)?.patients?.[0]?.name ?? '';
    console.log(`# ${documents.map((l) => `${name(l)}: ${docOf(l)?.category}, ${readName(l) || '(no name read)'}`).join('\n# ')}`);
    for (const l of documents) {
      const file = report.files.find((f) => f.path === name(l));
      const doc = file?.document;
      assert.equal(doc?.text_source, 'ocr', `${name(l)} read by OCR: ${JSON.stringify(file?.notes)}`);
      assert.ok(LABEL_CATEGORIES[l.document.category].includes(doc.category), `${name(l)}: category ${doc.category} for ${l.document.category} (labels.json)`);
      assert.ok(rows[name(l)], `the row of ${name(l)} says what the document is`);
      // Every one: its patient's name read, and the label's (no name read is a failure).
      assert.equal(compact(readName(l)), compact(l.document.patient.name), `${name(l)}: the patient (labels.json)`);
    }
    // Every pathology report read: the case has its 病理号 (labels.json).
    const numbers = documents.map((l) => l.document.pathology_number).filter(Boolean);
    const readNumbers = report.files.map((f) => f.document?.pathology_number).filter(Boolean);
    for (const number of new Set(numbers)) assert.ok(readNumbers.includes(number), `病理号 ${number} is read: ${readNumbers}`);
    // The patient of the documents is among the case's people.
    const patient = documents[0].document.patient.name;
    assert.ok(report.patients.some((p) => compact(p.name ?? '') === compact(patient)), `${patient} is a person of the case: ${report.patients.map((p) => p.name)}`);
    // The screen and the QR slip are not documents, and still say what they are.
    for (const l of [screen, qr]) assert.equal(report.files.find((f) => f.path === name(l))?.document ?? null, null, `${name(l)} is not read`);
    assert.deepEqual(findingFiles(report, 'photo-of-screen'), [name(screen)], 'photo-of-screen after OCR');
    assert.deepEqual(findingFiles(report, 'cloud-film-link'), [name(qr)], 'cloud-film-link after OCR');
    assert.ok(!(await offer.isVisible()), 'nothing more to offer');
    await shots(page, 'done');

    // In Chinese.
    await page.locator('[data-testid=lang]').selectOption('zh');
    assert.match((await page.locator('[data-testid=ocr-status]').textContent()) ?? '', /已在本机读取文字（\d+\/\d+）/, 'the status in Chinese');
    assert.deepEqual(app.errors, [], 'no script error');
  } finally {
    await app.context.close();
  }
});

test('OCR in the page: a picture whose reading fails says why in its row, the others are still read', { timeout: 10 * 60_000 }, async () => {
  assert.deepEqual(prerequisites, [], `cannot run: ${prerequisites.join('; ')}`);
  const { documents } = await chosen();
  const good = documents.find((l) => l.kind === 'screenshot') ?? documents.find((l) => l.kind === 'photo');
  const scanned = documents.find((l) => l.kind === 'pdf');
  // The scanned PDF with its page's JPEG broken: its first two bytes (the start-of-image marker)
  // kept, the rest zeros, same length (the PDF's offsets stay right).
  const pdf = Buffer.from(await readFile(join(RECORDS, scanned.path)));
  const dct = pdf.indexOf('/DCTDecode');
  const start = pdf.indexOf('stream', dct) + 'stream'.length;
  const body = pdf.indexOf(0xff, start);
  const end = pdf.indexOf('endstream', body);
  assert.ok(dct > 0 && pdf[body + 1] === 0xd8 && end > body + 1000, `${scanned.path} holds a JPEG page`);
  pdf.fill(0, body + 2, end - 1);
  const dir = await mkdtemp(join(tmpdir(), 'rp-ocr-broken-'));
  const broken = 'SCN_broken.pdf';
  await writeFile(join(dir, broken), pdf);
  const name = (l) => l.path.split('/').pop();
  const app = await openApp(browser, server);
  const { page } = app;
  try {
    const n = await reportCount(page);
    await page.locator('[data-testid=pick-files]').setInputFiles([join(dir, broken), join(RECORDS, good.path)]);
    await waitReport(page, n, 120_000);
    const offer = page.locator('[data-testid=ocr-read]');
    await offer.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match((await offer.textContent()) ?? '', /Read the text of 2 photos and scans/, 'both offered');
    const line = page.locator(`tr[data-path="${broken}"] [data-testid=document-line]`);
    assert.match((await line.textContent()) ?? '', /^Scanned pages without text \(\d+ pages?\): its words cannot be read on this device yet$/, 'not read yet');

    const k = await reportCount(page);
    await offer.click();
    await page.locator('[data-testid=ocr-status]').filter({ hasText: /\S/ }).waitFor({ timeout: 10 * 60_000 });
    await waitReport(page, k, 60_000);
    const status = (await page.locator('[data-testid=ocr-status]').textContent()) ?? '';
    assert.match(status, /^Their text was read on this device \(1 of 2\); these could not be read:/, `one read, one not: ${status}`);

    // The reason, specific: the page's picture could not be decoded — in the offer's list and in the row.
    const listed = page.locator(`[data-testid=ocr-problem][data-path="${broken}"]`);
    assert.match((await listed.textContent()) ?? '', new RegExp(`^${broken}: the picture could not be decoded$`), 'the list says why');
    const row = page.locator(`tr[data-path="${broken}"] [data-testid=ocr-row-problem]`);
    assert.match((await row.textContent()) ?? '', /^Its text could not be read: the picture could not be decoded$/, 'the row says why');
    assert.equal(await page.locator('[data-testid=ocr-row-problem]').count(), 1, 'only that row has a problem');
    // Tried and failed: its line no longer says its words may be read later.
    assert.match((await line.textContent()) ?? '', /^Scanned pages without text \(\d+ pages?\): its words could not be read$/, 'not "yet" once tried');

    // The report was made again: the good picture read, with its label's patient; the broken one says why.
    const { report } = await lastReport(page);
    const read = report.files.find((f) => f.path === name(good))?.document;
    assert.equal(read?.text_source, 'ocr', `${name(good)} is read after the broken one`);
    assert.ok(LABEL_CATEGORIES[good.document.category].includes(read.category), `${name(good)}: category ${read.category} (labels.json)`);
    assert.equal(compact(read.patients?.[0]?.name ?? ''), compact(good.document.patient.name), `${name(good)}: the patient (labels.json)`);
    const bad = report.files.find((f) => f.path === broken);
    assert.notEqual(bad?.document?.text_source, 'ocr', 'the broken PDF is not read');
    assert.ok(bad?.note_messages?.some((m) => m.id === 'note.document.not-read'), `the broken PDF's note says why: ${JSON.stringify(bad?.notes)}`);
    assert.ok(!(await offer.isVisible()), 'not offered again');

    await page.locator(`tr[data-path="${broken}"]`).scrollIntoViewIfNeeded();
    await shots(page, 'failed');
    await page.setViewportSize(NARROW);
    await page.locator(`tr[data-path="${broken}"]`).screenshot({ path: join(SHOTS, 'ocr-failed-row-en-360.png') });
    await page.locator('[data-testid=lang]').selectOption('zh');
    assert.match((await row.textContent()) ?? '', /^无法读取其文字：图片无法解码$/, 'the row in Chinese');
    assert.match((await line.textContent()) ?? '', /^扫描页面，没有文字层（\d+ 页）：未能读取其中的文字$/, 'its line in Chinese');
    await page.locator(`tr[data-path="${broken}"]`).screenshot({ path: join(SHOTS, 'ocr-failed-row-zh-360.png') });
    assert.deepEqual(app.errors, [], 'no script error');
  } finally {
    await app.context.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('OCR in the page: when the text reader cannot be loaded again after its worker died, what was read counts and the rest is offered again', { timeout: 10 * 60_000 }, async () => {
  assert.deepEqual(prerequisites, [], `cannot run: ${prerequisites.join('; ')}`);
  const { documents } = await chosen();
  const name = (l) => l.path.split('/').pop();
  // Three pictures with different names, in the order the page reads them (by path).
  const byName = new Map(documents.filter((l) => l.kind !== 'pdf').map((l) => [name(l), l]));
  const [first, second, third] = [...byName.keys()].sort().slice(0, 3).map((n) => /** @type {any} */ (byName.get(n)));
  assert.ok(third, 'labels.json has three pictures of documents');
  const app = await openApp(browser, server);
  const { page } = app;
  try {
    const n = await reportCount(page);
    await page.locator('[data-testid=pick-files]').setInputFiles([first, second, third].map((l) => join(RECORDS, l.path)));
    await waitReport(page, n, 120_000);
    const offer = page.locator('[data-testid=ocr-read]');
    await offer.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match((await offer.textContent()) ?? '', /Read the text of 3 photos and scans/, 'all three offered');
    // The worker dies while it reads the second file (as when its wasm traps: the page is told
    // and starts another for the next file), and loading the models into that one fails.
    await page.evaluate(async () => {
      const insides = (await import('/app.js')).internals(/** @type {any} */ (document.querySelector('record-precheck')));
      const reader = insides.ocr.reader;
      const loaded = reader.loaded.bind(reader);
      let calls = 0;
      reader.loaded = async (/** @type {any} */ onLoading) => {
        calls += 1;
        if (calls === 3) throw new Error('the models could not be fetched (test)');
        const bridge = await loaded(onLoading);
        if (calls === 2) setTimeout(() => bridge.fail('the OCR worker stopped (test)'), 0);
        return bridge;
      };
    });

    const k = await reportCount(page);
    await offer.click();
    await page.locator('[data-testid=ocr-status]').filter({ hasText: /\S/ }).waitFor({ timeout: 10 * 60_000 });
    await waitReport(page, k, 60_000);
    const status = (await page.locator('[data-testid=ocr-status]').textContent()) ?? '';
    assert.match(
      status,
      /^Their text was read on this device \(1 of 3\) until the text reader could not be loaded again: the models could not be fetched \(test\)\. The others are offered again\.$/,
      `how far it got: ${status}`,
    );
    // The report was made again with the first file's text (its label's category).
    const { report } = await lastReport(page);
    const read = report.files.find((f) => f.path === name(first))?.document;
    assert.equal(read?.text_source, 'ocr', `${name(first)} was read`);
    assert.ok(LABEL_CATEGORIES[first.document.category].includes(read.category), `${name(first)}: category ${read.category} (labels.json)`);
    for (const l of [second, third]) {
      assert.notEqual(report.files.find((f) => f.path === name(l))?.document?.text_source, 'ocr', `${name(l)} was not read`);
    }
    // The second says why in its row; the third is not a failure, and is offered again.
    const row = page.locator(`tr[data-path="${name(second)}"] [data-testid=ocr-row-problem]`);
    assert.match((await row.textContent()) ?? '', /^Its text could not be read: the OCR worker stopped \(test\)$/, 'the second row says why');
    assert.equal(await page.locator('[data-testid=ocr-row-problem]').count(), 1, 'only that row has a problem');
    await offer.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match((await offer.textContent()) ?? '', /^Read the text of 1 photo or scan/, 'the third offered again');
    await page.locator('[data-testid=lang]').selectOption('zh');
    assert.match(
      (await page.locator('[data-testid=ocr-status]').textContent()) ?? '',
      /^已在本机读取文字（1\/3），之后无法再次加载文字识别程序：the models could not be fetched \(test\)。其余的可以再次读取。$/,
      'the status in Chinese',
    );
    assert.deepEqual(app.errors, [], 'no script error');
  } finally {
    await app.context.close();
  }
});

