// Hostile input in the browser app (issue #6), in headless Debian Chromium:
//
// - a scan worker that traps: the test build of the app (`cargo xtask build-test-trap`, in
//   target/www-test-trap; its wasm is built with the `test-trap` feature, where a file that
//   begins with RECORD-PRECHECK-TEST-TRAP makes the scanner execute `unreachable`, a real wasm
//   trap) is given a batch with such a file in the middle: the batch finishes, that file is
//   reported as unreadable with a message, every other file is scanned as usual (the ones after
//   it by a fresh worker) and the restart requested nothing but the page's own Blob URL;
// - the report worker trapping (the test build's report traps on a question that begins with
//   the same magic): the patient is told, that worker is replaced, the next report is built;
// - a scan worker dying while it lists a folder given as a handle (once: listed again, every
//   file once; twice: the folder reported as not read);
// - HTML in a DICOM patient name, a study description, a file name and a zip member name
//   (`<img src=x onerror=window.__pwned=1>`), on the production build (www/): it renders as
//   text in the page, in the printable view and in the saved HTML report, and nothing runs;
// - the production wasm (www/pkg) has no test trap in it.
//
//   node --test --test-reporter=tap tests/e2e/hostile.mjs
//
// Needs `cargo xtask build` and `cargo xtask build-test-trap` first (`cargo xtask test` runs
// both, then this), /usr/bin/chromium (or CHROMIUM=...), the corpus at ../shared/corpus and
// `npm ci` in tests/e2e.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import {
  CORPUS,
  ROOT,
  afterSettle,
  checkPrerequisites,
  dropFiles,
  filesForDrop,
  lastReport,
  launchBrowser,
  openApp,
  reportCount,
  sleep,
  startServer,
  startServerIn,
  waitReport,
  scanWorkers,
} from './lib.mjs';

/** What a file begins with to make the test build's scanner trap (src/wasm/test_trap.rs). */
const TRAP_MAGIC = 'RECORD-PRECHECK-TEST-TRAP';
const TRAP_WWW = 'target/www-test-trap';
const INJECT = '<img src=x onerror=window.__pwned=1>';

const prerequisites = checkPrerequisites();
if (!existsSync(join(ROOT, TRAP_WWW, 'pkg/record_precheck_bg.wasm')))
  prerequisites.push(`${TRAP_WWW} is missing: run \`cargo xtask build-test-trap\` first`);

/** @type {Awaited<ReturnType<typeof startServer>> | undefined} */
let server;
/** @type {Awaited<ReturnType<typeof startServer>> | undefined} */
let trapServer;
/** @type {import('playwright-core').Browser | undefined} */
let browser;

before(async () => {
  if (prerequisites.length) return;
  [server, trapServer] = await Promise.all([startServer(), startServerIn(TRAP_WWW)]);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close().catch(() => {});
  await Promise.all([server?.stop(), trapServer?.stop()]);
});

function ready() {
  assert.deepEqual(prerequisites, [], `cannot run: ${prerequisites.join('; ')}`);
  assert.ok(server && trapServer && browser, 'a server or the browser did not start (see the before hook)');
  return { server, trapServer, browser };
}

// ---- the test trap stays out of production ----------------------------------------------------

test('the production wasm (www/pkg) has no test trap; the test build has it', async () => {
  ready();
  // Both modules: the first-scan module (the scan traps or loops) and the report module (the
  // report traps); neither the trap nor the endless loop is in production.
  for (const wasm of ['pkg/record_precheck_scan_bg.wasm', 'pkg/record_precheck_bg.wasm']) {
    const production = await readFile(join(ROOT, 'www', wasm));
    const trap = await readFile(join(ROOT, TRAP_WWW, wasm));
    for (const word of [TRAP_MAGIC, HANG_MAGIC]) {
      const magic = Buffer.from(word, 'latin1');
      assert.equal(production.indexOf(magic), -1, `www/${wasm} contains ${word}`);
      // The check can see the string where it is.
      assert.notEqual(trap.indexOf(magic), -1, `the test build's ${wasm} should contain ${word}`);
    }
  }
});

// ---- a worker that traps -----------------------------------------------------------------------

/** Corpus files of the batch, in order; the trap file goes after the third. */
const BATCH = [
  'case-mixed/CT_no_preamble.dcm',
  'case-mixed/MR_brain_t1.dcm',
  'case-mixed/lab_results_2024-02.pdf',
  'case-mixed/SR_report.dcm',
  'case-mixed/images_export.zip',
  'case-mixed/referral_letter.docx',
  'case-mixed/radiology_report.pdf',
];
const TRAP_AT = 3;

test('a file that traps its scan worker: reported unreadable, the batch finishes, a fresh worker scans the rest', { timeout: 120_000 }, async (t) => {
  const { trapServer: srv, browser: b } = ready();
  const labels = JSON.parse(await readFile(join(CORPUS, 'labels.json'), 'utf8'));
  const kindOf = new Map(labels.map((l) => [l.path, l.kind]));
  const app = await openApp(b, srv);
  try {
    const { page } = app;
    // One scan worker, so that the files after the trap file can only be scanned by the worker
    // started after it. (The report worker starts with the first scan.)
    await page.evaluate(() => document.querySelector('record-precheck')?.setAttribute('workers', '1'));
    const deadline = Date.now() + 10_000;
    while (page.workers().length !== 1 && Date.now() < deadline) await sleep(50);
    assert.equal(page.workers().length, 1, 'workers="1": one scan worker before the first scan');
    const before = new Set(page.workers());
    const started = [];
    const closed = [];
    page.on('worker', (w) => started.push(w));
    for (const w of before) w.on('close', () => closed.push(w));

    const files = (await filesForDrop(BATCH.map((p) => join(CORPUS, p)))).map((f, i) => ({
      ...f,
      name: `${String(i < TRAP_AT ? i + 1 : i + 2).padStart(2, '0')}-${f.name}`,
    }));
    const trapName = `${String(TRAP_AT + 1).padStart(2, '0')}-trap.bin`;
    const trapBytes = Buffer.from(`${TRAP_MAGIC}: the test build's scanner traps on this file.\n`, 'latin1');
    files.splice(TRAP_AT, 0, { name: trapName, type: '', b64: trapBytes.toString('base64') });
    const expected = new Map(files.map((f, i) => [f.name, i === TRAP_AT ? 'corrupt' : kindOf.get(BATCH[i < TRAP_AT ? i : i - 1])]));
    assert.ok([...expected.values()].every(Boolean), `labels.json gives every kind: ${JSON.stringify([...expected])}`);

    const n = await reportCount(page);
    await dropFiles(page, files);
    await waitReport(page, n);
    const { report } = await lastReport(page);

    // The batch finished: one entry per file, each as expected.
    const got = new Map(report.files.map((f) => [f.path, f]));
    assert.deepEqual([...got.keys()].sort(), [...expected.keys()].sort(), 'every file of the batch is in the report');
    const trapEntry = got.get(trapName);
    assert.equal(trapEntry.kind, 'corrupt', `the trap file is reported as unreadable: ${JSON.stringify(trapEntry)}`);
    assert.equal(trapEntry.reason, 'could not be read', 'its reason');
    assert.match(trapEntry.error ?? '', /scanner stopped on this file/, 'its message says the scanner stopped on it');
    assert.match(trapEntry.error ?? '', /RuntimeError: unreachable/, 'and that it was a wasm trap');
    assert.equal(trapEntry.size, trapBytes.length, 'its size');
    for (const [name, kind] of expected) {
      if (name === trapName) continue;
      const e = got.get(name);
      assert.equal(e.kind, kind, `${name}: kind ${e.kind}, want ${kind} (${JSON.stringify(e.error ?? e.reason)})`);
      assert.equal(e.error ?? null, null, `${name}: no error`);
    }
    // After the trap: the zip (read whole, with scanBlob) and its members, by the new worker.
    const zip = got.get(files[TRAP_AT + 2].name);
    assert.equal(zip.members?.length, 3, `the zip after the trap file lists its members: ${JSON.stringify(zip.members)}`);
    assert.ok(zip.members.every((m) => m.kind === 'dicom'), `its members are DICOM: ${zip.members.map((m) => m.kind)}`);

    // The row of the trap file says so, with the message.
    const row = page.locator(`[data-testid=files] tr[data-path="${trapName}"]`);
    assert.equal(await row.getAttribute('data-kind'), 'corrupt', 'the trap file row is marked corrupt');
    assert.match(await row.innerText(), /scanner stopped on this file/, 'the trap file row shows the message');

    // One fresh worker replaced the one that trapped (which was terminated).
    const deadline2 = Date.now() + 5000;
    while (closed.length === 0 && Date.now() < deadline2) await sleep(50);
    // (The report worker and the document worker the batch started are not scan workers.)
    const startedScan = await scanWorkers(started);
    assert.equal(startedScan.length, 1, `one scan worker started after the trap (started: ${startedScan.map((w) => w.url())})`);
    assert.equal(closed.length, 1, 'the worker that trapped was terminated');
    assert.equal((await scanWorkers(page.workers())).length, 1, 'one scan worker again');
    assert.ok(!before.has(startedScan[0]), 'the scan worker now is a new one');

    // Nothing requested after load but the restart from the page's own Blob URL.
    await sleep(300); // let a late request reach the log
    const seen = afterSettle(app, srv);
    const blobs = new Set(app.requests.slice(0, app.settled.requests).filter((r) => r.url.startsWith('blob:')).map((r) => r.url));
    assert.ok(blobs.size > 0, 'the workers were started from a Blob URL at load');
    const describe = (rs) => rs.map((r) => `${r.method} ${r.url} [${r.type}]`).join(', ');
    assert.equal(seen.requests.length, 1, `one request after load (the restart): ${describe(seen.requests)}`);
    const [restart] = seen.requests;
    assert.ok(
      restart.method === 'GET' && restart.type === 'script' && blobs.has(restart.url),
      `the one request is the worker restart from the load-time Blob URL: ${describe(seen.requests)}`,
    );
    assert.deepEqual(seen.log, [], 'the server saw nothing after load');
    assert.deepEqual(app.errors, [], 'no script error in the page or its workers');
    t.diagnostic(`trap file: ${trapEntry.error}`);
  } finally {
    await app.context.close();
  }
});

// A folder given as a handle (Chromium's picker or drop; an OPFS folder stands in): the scan
// workers list it themselves, so a worker that traps may still hold a part of its listing.
test('a folder given as a handle with a file that traps a scan worker: every file once, the batch finishes', { timeout: 120_000 }, async () => {
  const { trapServer: srv, browser: b } = ready();
  const app = await openApp(b, srv);
  const { page } = app;
  try {
    await page.evaluate(() => document.querySelector('record-precheck')?.setAttribute('workers', '2'));
    const image = (await readFile(join(CORPUS, 'case-cd-ct/IMAGES/SER00001/IM000001'))).toString('base64');
    const trap = Buffer.from(`${TRAP_MAGIC}: the test build's scanner traps on this file.\n`, 'latin1').toString('base64');
    // The trap file first, then 8 folders of 50 copies of one CT image.
    const paths = await page.evaluate(async ({ image, trap }) => {
      const bytes = (/** @type {string} */ b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const top = await (await navigator.storage.getDirectory()).getDirectoryHandle('hostile', { create: true });
      const put = async (/** @type {FileSystemDirectoryHandle} */ dir, /** @type {string} */ name, /** @type {Uint8Array} */ data) => {
        const w = await (await dir.getFileHandle(name, { create: true })).createWritable();
        await w.write(data);
        await w.close();
      };
      await put(top, '000-trap.bin', bytes(trap));
      const out = ['hostile/000-trap.bin'];
      for (let s = 0; s < 8; s += 1) {
        const dir = await top.getDirectoryHandle(`S${s}`, { create: true });
        for (let i = 0; i < 50; i += 1) {
          await put(dir, `IM${String(i).padStart(3, '0')}`, bytes(image));
          out.push(`hostile/S${s}/IM${String(i).padStart(3, '0')}`);
        }
      }
      /** @type {any} */ (window).showDirectoryPicker = async () => top;
      return out;
    }, { image, trap });
    const n = await reportCount(page);
    await page.locator('[data-testid=pick-folder]').dispatchEvent('click');
    await waitReport(page, n);
    const { report } = await lastReport(page);
    assert.deepEqual(report.files.map((/** @type {any} */ f) => f.path).sort(), paths.sort(), 'every file of the folder, once');
    const trapEntry = report.files.find((/** @type {any} */ f) => f.path === 'hostile/000-trap.bin');
    assert.equal(trapEntry.kind, 'corrupt', `the trap file is reported as unreadable: ${JSON.stringify(trapEntry)}`);
    assert.match(trapEntry.error ?? '', /scanner stopped on this file/, 'its message says the scanner stopped on it');
    const others = report.files.filter((/** @type {any} */ f) => f.path !== 'hostile/000-trap.bin');
    assert.ok(others.every((/** @type {any} */ f) => f.kind === 'dicom' && !f.error), `every other file is a DICOM image: ${JSON.stringify(others.filter((/** @type {any} */ f) => f.kind !== 'dicom').slice(0, 3))}`);
    assert.deepEqual(app.errors, [], 'no script error in the page or its workers');
  } finally {
    const left = await page.evaluate(async () => {
      const root = await navigator.storage.getDirectory();
      await root.removeEntry('hostile', { recursive: true }).catch(() => {});
      const keys = [];
      for await (const k of /** @type {any} */ (root).keys()) keys.push(k);
      return keys;
    });
    await app.context.close();
    assert.deepEqual(left, [], 'nothing left in OPFS');
  }
});

// A scan worker that dies while it lists its share of a folder given as a handle, with no file
// to blame (a crash of the worker itself: stood in for by the pool's own `fail`, through the
// element's internals, right after the worker told the first files it found): a fresh worker
// lists that share again, skipping what was found, so every file comes once; when the fresh
// one dies the same way too, the share is given up and the folder is reported as not read,
// saying why, instead of its files being left out silently.
for (const deaths of [1, 2]) {
  test(`a scan worker dies ${deaths === 1 ? 'once' : 'twice'} while listing a folder given as a handle: ${deaths === 1 ? 'every file once' : 'the folder reported as not read'}, the batch finishes`, { timeout: 180_000 }, async () => {
    const { server: srv, browser: b } = ready();
    const app = await openApp(b, srv);
    const { page } = app;
    try {
      await page.evaluate(() => document.querySelector('record-precheck')?.setAttribute('workers', '2'));
      const image = (await readFile(join(CORPUS, 'case-cd-ct/IMAGES/SER00001/IM000001'))).toString('base64');
      // 6 folders of 60 copies of one CT image: each worker's share tells what it found in
      // several messages (64 files each).
      const paths = await page.evaluate(async ({ image }) => {
        const bytes = Uint8Array.from(atob(image), (c) => c.charCodeAt(0));
        const top = await (await navigator.storage.getDirectory()).getDirectoryHandle('listing', { create: true });
        const out = [];
        for (let s = 0; s < 6; s += 1) {
          const dir = await top.getDirectoryHandle(`S${s}`, { create: true });
          for (let i = 0; i < 60; i += 1) {
            const w = await (await dir.getFileHandle(`IM${String(i).padStart(3, '0')}`, { create: true })).createWritable();
            await w.write(bytes);
            await w.close();
            out.push(`listing/S${s}/IM${String(i).padStart(3, '0')}`);
          }
        }
        /** @type {any} */ (window).showDirectoryPicker = async () => top;
        return out;
      }, { image });
      // The worker listing share 0 dies after its first `found` (its files not scanned yet).
      await page.evaluate(async (deaths) => {
        const pool = (await import('/app.js')).internals(/** @type {any} */ (document.querySelector('record-precheck'))).pool;
        const found = pool.found;
        /** @type {any} */ (window).__killed = [];
        pool.found = function (/** @type {any} */ slot, /** @type {any} */ msg) {
          const share = slot.share;
          found.call(this, slot, msg);
          if (share === 0 && !msg.last && /** @type {any} */ (window).__killed.length < deaths) {
            /** @type {any} */ (window).__killed.push(msg.items.length);
            slot.fail('the test stopped this worker while it listed a folder');
          }
        };
      }, deaths);
      const n = await reportCount(page);
      await page.locator('[data-testid=pick-folder]').dispatchEvent('click');
      await waitReport(page, n, 120_000);
      const killed = await page.evaluate(() => /** @type {any} */ (window).__killed);
      assert.equal(killed.length, deaths, `a worker died ${deaths} time(s) while listing (files it had told: ${killed})`);
      const { report } = await lastReport(page);
      const got = report.files.map((/** @type {any} */ f) => f.path);
      assert.equal(new Set(got).size, got.length, 'no file twice');
      const images = report.files.filter((/** @type {any} */ f) => f.path !== 'listing');
      assert.ok(images.every((/** @type {any} */ f) => paths.includes(f.path) && f.kind === 'dicom' && !f.error), `every file read is one of the folder's, a DICOM image: ${JSON.stringify(images.filter((/** @type {any} */ f) => f.kind !== 'dicom').slice(0, 3))}`);
      const folder = report.files.find((/** @type {any} */ f) => f.path === 'listing');
      if (deaths === 1) {
        assert.deepEqual(got.sort(), [...paths].sort(), 'every file of the folder, once');
      } else {
        assert.ok(folder, `the folder is reported as not read: ${JSON.stringify(got.slice(0, 3))}`);
        assert.match(folder.error ?? '', /stopped while listing it/, `it says why: ${JSON.stringify(folder)}`);
        // What the dead workers found and the other share are there; the rest of share 0 is not.
        assert.ok(images.length > killed[0] && images.length < paths.length, `${images.length} of ${paths.length} files read`);
      }
      assert.deepEqual(app.errors, [], 'no script error in the page or its workers');
    } finally {
      const left = await page.evaluate(async () => {
        const root = await navigator.storage.getDirectory();
        await root.removeEntry('listing', { recursive: true }).catch(() => {});
        const keys = [];
        for await (const k of /** @type {any} */ (root).keys()) keys.push(k);
        return keys;
      });
      await app.context.close();
      assert.deepEqual(left, [], 'nothing left in OPFS');
    }
  });
}

// ---- a scan worker that never answers ----------------------------------------------------------------

/** What a file begins with to make the test build's scanner loop without end (test_trap.rs). */
const HANG_MAGIC = 'RECORD-PRECHECK-TEST-HANG';

test('a file that makes its scan worker loop: stopped after worker-timeout, reported unreadable, the batch finishes', { timeout: 120_000 }, async () => {
  const { trapServer: srv, browser: b } = ready();
  const labels = JSON.parse(await readFile(join(CORPUS, 'labels.json'), 'utf8'));
  const kindOf = new Map(labels.map((l) => [l.path, l.kind]));
  const app = await openApp(b, srv);
  try {
    const { page } = app;
    await page.evaluate(() => {
      const el = document.querySelector('record-precheck');
      el?.setAttribute('workers', '1');
      el?.setAttribute('worker-timeout', '2');
    });
    const batch = BATCH.slice(0, 4);
    const files = await filesForDrop(batch.map((p) => join(CORPUS, p)));
    const hangBytes = Buffer.from(`${HANG_MAGIC}: the test build's scanner never finishes this file.\n`, 'latin1');
    files.splice(2, 0, { name: 'hang.bin', type: '', b64: hangBytes.toString('base64') });
    const n = await reportCount(page);
    const started = Date.now();
    await dropFiles(page, files);
    await waitReport(page, n);
    const { report } = await lastReport(page);
    const got = new Map(report.files.map((f) => [f.path, f]));
    const hang = got.get('hang.bin');
    assert.equal(hang?.kind, 'corrupt', `the looping file is reported unreadable: ${JSON.stringify(hang)}`);
    assert.match(hang.error ?? '', /scanner stopped on this file/);
    assert.match(hang.error ?? '', /gave no answer for 2 seconds/, 'its message says it gave no answer');
    for (const [i, path] of batch.entries()) {
      const e = got.get(files[i < 2 ? i : i + 1].name);
      assert.equal(e?.kind, kindOf.get(path), `${path} is read as its label says, by the worker started after`);
    }
    assert.ok(Date.now() - started < 60_000, 'the batch did not wait for the looping file');
  } finally {
    await app.context.close();
  }
});

// ---- a report worker that traps -------------------------------------------------------------------

test('a trap while the report is built: the patient is told, the report worker is replaced, the next report is built', { timeout: 120_000 }, async () => {
  const { trapServer: srv, browser: b } = ready();
  const app = await openApp(b, srv);
  try {
    const { page } = app;
    const n = await reportCount(page);
    await dropFiles(page, await filesForDrop(BATCH.slice(0, 2).map((p) => join(CORPUS, p))));
    await waitReport(page, n);
    // The two images' thumbnails are made after the first report, in a pixel worker started
    // then: wait for them, so that only the report worker is started after the trap.
    await page.waitForFunction(() => {
      const el = document.querySelector('record-precheck')?.shadowRoot?.querySelector('[data-testid=thumbs]');
      return !!el && el.getAttribute('data-pending') === '0' && Number(el.getAttribute('data-made')) === 2;
    }, undefined, { timeout: 30_000 });
    const before = new Set(page.workers());
    const started = [];
    const closed = [];
    page.on('worker', (w) => started.push(w));
    for (const w of before) w.on('close', () => closed.push(w));

    // The test build's report traps on a question that begins with the magic (test_trap.rs).
    await page.locator('[data-testid=question-add]').click();
    const question = page.locator('[data-testid=question]').last();
    await question.fill(`${TRAP_MAGIC}: the test build's report traps on this question`);
    const status = page.locator('[data-testid=status]');
    const deadline = Date.now() + 15_000;
    while (!/RuntimeError: unreachable/.test(await status.innerText()) && Date.now() < deadline) await sleep(50);
    assert.match(await status.innerText(), /Something went wrong: .*RuntimeError: unreachable/, 'the patient is told the report failed');
    while (closed.length === 0 && Date.now() < deadline) await sleep(50);
    assert.equal(closed.length, 1, 'the report worker that trapped was terminated');

    // The next change builds the report in a fresh worker, with the files it had.
    const m = await reportCount(page);
    await question.fill('Is surgery still an option?');
    await waitReport(page, m);
    const { report } = await lastReport(page);
    assert.deepEqual(report.declarations.questions, ['Is surgery still an option?'], 'the new report has the question');
    assert.equal(report.files.length, 2, 'and the two files');
    assert.equal(started.length, 1, `one worker started after the trap (started: ${started.map((w) => w.url())})`);
    assert.ok(!before.has(started[0]), 'a new one');
    assert.equal(page.workers().length, before.size, 'as many workers as before');
    assert.deepEqual(app.errors, [], 'no script error in the page or its workers');
  } finally {
    await app.context.close();
  }
});

// ---- HTML in names -------------------------------------------------------------------------------

/** One explicit VR little endian element (text, or a UL number). */
function el(group, element, vr, value) {
  let body = typeof value === 'number' ? Buffer.alloc(4) : Buffer.from(value, 'utf8');
  if (typeof value === 'number') body.writeUInt32LE(value, 0);
  if (body.length % 2) body = Buffer.concat([body, Buffer.from([vr === 'UI' || vr === 'OB' ? 0 : 0x20])]);
  const long = vr === 'OB' || vr === 'OW' || vr === 'SQ' || vr === 'UN' || vr === 'UT';
  const head = Buffer.alloc(long ? 12 : 8);
  head.writeUInt16LE(group, 0);
  head.writeUInt16LE(element, 2);
  head.write(vr, 4, 'latin1');
  if (long) head.writeUInt32LE(body.length, 8);
  else head.writeUInt16LE(body.length, 6);
  return Buffer.concat([head, body]);
}

/** A small valid CT image header (Part 10, explicit VR little endian, no pixels) with `text` as
 * the patient's name and the study description. */
function dicomWithName(text) {
  const sopClass = '1.2.840.10008.5.1.4.1.1.2';
  const uid = '1.2.826.0.1.3680043.10.1453.66';
  const meta = Buffer.concat([
    el(0x0002, 0x0001, 'OB', '\u0000\u0001'),
    el(0x0002, 0x0002, 'UI', sopClass),
    el(0x0002, 0x0003, 'UI', `${uid}.3.1`),
    el(0x0002, 0x0010, 'UI', '1.2.840.10008.1.2.1'),
  ]);
  return Buffer.concat([
    Buffer.alloc(128),
    Buffer.from('DICM', 'latin1'),
    el(0x0002, 0x0000, 'UL', meta.length),
    meta,
    el(0x0008, 0x0005, 'CS', 'ISO_IR 192'),
    el(0x0008, 0x0016, 'UI', sopClass),
    el(0x0008, 0x0018, 'UI', `${uid}.3.1`),
    el(0x0008, 0x0020, 'DA', '20240117'),
    el(0x0008, 0x0060, 'CS', 'CT'),
    el(0x0008, 0x1030, 'LO', text),
    el(0x0010, 0x0010, 'PN', text),
    el(0x0010, 0x0020, 'LO', 'INJECT-1'),
    el(0x0020, 0x000d, 'UI', `${uid}.1`),
    el(0x0020, 0x000e, 'UI', `${uid}.2`),
    el(0x0020, 0x0013, 'IS', '1'),
  ]);
}

/** CRC-32 (zip). */
function crc32(buf) {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A zip of stored members: [[name, bytes], ...]. */
function zipOf(members) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, data] of members) {
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    locals.push(local, nameBytes, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');

/**
 * What a page holds that the injected strings could have made: elements with an `onerror`
 * attribute or `img` elements (the app has none of its own), in the document and the element's
 * shadow root; and `window.__pwned`.
 */
async function injected(page) {
  return page.evaluate(() => {
    const roots = [document, document.querySelector('record-precheck')?.shadowRoot].filter(Boolean);
    const found = roots.flatMap((r) => Array.from(/** @type {ParentNode} */ (r).querySelectorAll('img, [onerror]')));
    return { elements: found.map((e) => e.outerHTML), pwned: /** @type {any} */ (window).__pwned ?? null };
  });
}

test('HTML in a patient name and in file names renders as text: page, printable view, saved report', { timeout: 120_000 }, async (t) => {
  const { server: srv, browser: b } = ready();
  const app = await openApp(b, srv);
  try {
    const { page } = app;
    const files = [
      { name: 'inject.dcm', type: '', b64: dicomWithName(INJECT).toString('base64') },
      { name: `${INJECT}.pdf`, type: 'application/pdf', b64: PDF.toString('base64') },
      { name: 'names.zip', type: '', b64: zipOf([[`${INJECT}.pdf`, PDF], [`${INJECT}/x.pdf`, PDF]]).toString('base64') },
    ];
    const n = await reportCount(page);
    await dropFiles(page, files);
    await waitReport(page, n);
    const { report } = await lastReport(page);

    // The report carries the strings as data.
    const paths = report.files.map((f) => f.path).sort();
    assert.deepEqual(paths, [`${INJECT}.pdf`, 'inject.dcm', 'names.zip'].sort(), 'the files of the report');
    assert.equal(report.files.find((f) => f.path === 'inject.dcm')?.kind, 'dicom', 'the DICOM file is recognised');
    assert.equal(report.patients.length, 1, 'one patient');
    assert.equal(report.patients[0].name, INJECT, 'the patient name as stored');
    const members = report.files.find((f) => f.path === 'names.zip')?.members?.map((m) => m.path) ?? [];
    assert.deepEqual(members.sort(), [`names.zip!/${INJECT}.pdf`, `names.zip!/${INJECT}/x.pdf`].sort(), 'zip members');

    // Nothing was made of them in the page; they show as text.
    assert.deepEqual(await injected(page), { elements: [], pwned: null }, 'no element from the strings, nothing ran');
    const tableText = await page.locator('[data-testid=files]').first().innerText();
    for (const p of [`${INJECT}.pdf`, `${INJECT}/x.pdf`])
      assert.ok(tableText.includes(p), `the file table shows ${JSON.stringify(p)} as text: ${JSON.stringify(tableText)}`);
    const paths2 = await page.locator('[data-testid=files] tr[data-path]').evaluateAll((els) => els.map((e) => e.getAttribute('data-path')));
    assert.ok(paths2.includes(`${INJECT}.pdf`), `a row's data-path is the file name: ${JSON.stringify(paths2)}`);
    // A PN's "=" separates its name groups: the page shows them joined by " / ".
    const patientsText = await page.locator('[data-testid=patients]').first().innerText();
    assert.ok(
      patientsText.includes('<img src / x onerror / window.__pwned / 1>'),
      `the patients list shows the name as text: ${JSON.stringify(patientsText)}`,
    );
    const studiesText = await page.locator('[data-testid=studies]').first().innerText();
    assert.ok(studiesText.includes(INJECT), `the studies list shows the description as text: ${JSON.stringify(studiesText)}`);

    // The printable view (a new window: the report's body copied over as DOM).
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.locator('[data-testid=printable]').click()]);
    await popup.waitForFunction(() => document.body && document.body.childElementCount > 0, undefined, { timeout: 20_000 });
    await popup.waitForLoadState('load');
    assert.deepEqual(await injected(popup), { elements: [], pwned: null }, 'the printable view: no element from the strings, nothing ran');
    const printable = await popup.evaluate(() => document.body.innerText);
    for (const s of [`${INJECT}.pdf`, INJECT])
      assert.ok(printable.includes(s), `the printable view shows ${JSON.stringify(s)} as text`);
    await popup.close();

    // The saved HTML report: escaped, and opened as a page of its own nothing runs.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=save-html]').click()]);
    const html = await readFile(/** @type {string} */ (await download.path()), 'utf8');
    assert.ok(!html.includes(INJECT), 'the saved report has the string only escaped');
    assert.ok(html.includes('&lt;img src=x onerror=window.__pwned=1&gt;'), 'the saved report has the escaped string');
    assert.doesNotMatch(html, /<img|<script/i, 'the saved report has no img or script element');
    const saved = await app.context.newPage();
    await saved.setContent(html, { waitUntil: 'load' });
    assert.deepEqual(await injected(saved), { elements: [], pwned: null }, 'the saved report opened: no element from the strings, nothing ran');
    assert.ok((await saved.evaluate(() => document.body.innerText)).includes(`${INJECT}.pdf`), 'the saved report shows the file name as text');
    await saved.close();

    assert.deepEqual(await injected(page), { elements: [], pwned: null }, 'the page at the end');
    assert.deepEqual(afterSettle(app, srv).log, [], 'the server saw nothing after load');
    assert.deepEqual(app.errors, [], 'no script error in the page or its workers');
    t.diagnostic(`patients list: ${JSON.stringify(patientsText)}`);
  } finally {
    await app.context.close();
  }
});
