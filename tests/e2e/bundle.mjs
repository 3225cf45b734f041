// End-to-end tests of "Save the bundle" in headless Debian Chromium (Playwright): a CD picked as
// a folder and a case dropped (files and a zip), saved as a download; a case saved into a picked
// file, with a cancel first.
//
//   node --test --test-reporter=tap tests/e2e/bundle.mjs
//
// Needs what run.mjs needs (`cargo xtask build`, /usr/bin/chromium, the corpus, `npm ci` here)
// and python3 (its zipfile module checks the saved zips). Both ways of saving are run for real:
// the download (where the browser has no save dialog: Firefox, Safari) and the stream into a
// file the patient picks (`showSaveFilePicker`). A headless browser cannot answer the save
// dialog, so for the second the test gives the page a `showSaveFilePicker` that returns a file
// of the origin's private file system (OPFS) instead of asking: the writing is the browser's
// own FileSystemWritableFileStream. Each saved zip is checked with Python's zipfile (CRC of
// every entry), every copied entry's SHA-256 against manifest.json and against the original file
// on disk, and every picked file against the manifest's inputs. A de-identified bundle is checked
// against the identity corpus's labels.
// In kiosk mode with a save dialog, the bundle is saved only through it (no download), the page
// says where it went, and "Finish" names it as a file it cannot erase, and the de-identified
// bundle's key, which is downloaded, too.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';

import {
  CORPUS,
  afterSettle,
  checkPrerequisites,
  dropFiles,
  filesForDrop,
  lastReport,
  launchBrowser,
  openApp,
  pickFolder,
  reportCount,
  sleep,
  startServer,
  storageState,
  testedCli,
  waitReport,
} from './lib.mjs';
import { checkBundle, filesUnder, readZip } from './zipcheck.mjs';

/** @type {Awaited<ReturnType<typeof startServer>> | undefined} */
let server;
/** @type {import('playwright-core').Browser | undefined} */
let browser;
let tmp = '';
const prerequisites = checkPrerequisites();

before(async () => {
  if (prerequisites.length) return;
  server = await startServer();
  browser = await launchBrowser();
  tmp = await mkdtemp(join(tmpdir(), 'rp-e2e-bundle-'));
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/**
 * Replaces the save dialog with one that answers at once with an OPFS file, and lets the test
 * hold the writes back (`__rpPicker.hold`: a promise each write waits for, once counted in
 * `attempts`) to cancel deterministically.
 */
function pickerInit() {
  /** @type {any} */
  const w = window;
  w.__rpPicker = { asked: 0, attempts: 0, writes: 0, hold: null };
  w.showSaveFilePicker = async (/** @type {any} */ options) => {
    w.__rpPicker.asked += 1;
    w.__rpPicker.suggestedName = options?.suggestedName;
    const dir = await navigator.storage.getDirectory();
    const handle = await dir.getFileHandle('picked.zip', { create: true });
    return {
      name: 'picked.zip',
      createWritable: async () => {
        const writable = await handle.createWritable();
        const write = writable.write.bind(writable);
        writable.write = async (/** @type {any} */ data) => {
          w.__rpPicker.attempts += 1;
          if (w.__rpPicker.hold) await w.__rpPicker.hold;
          w.__rpPicker.writes += 1;
          return write(data);
        };
        return writable;
      },
    };
  };
}

/** Collects `precheck-bundle-ready` events. */
function bundleEventsInit() {
  /** @type {any} */
  const w = window;
  w.__rpBundles = [];
  document.addEventListener('precheck-bundle-ready', (e) => w.__rpBundles.push(/** @type {CustomEvent} */ (e).detail));
}

async function bundleEvents(page) {
  return page.evaluate(() => /** @type {any} */ (window).__rpBundles);
}

function ready() {
  assert.deepEqual(prerequisites, [], `cannot run: ${prerequisites.join('; ')}`);
  assert.ok(server && browser, 'server or browser did not start (see the before hook)');
}

/** `openApp` options for a browser without a save dialog (`showSaveFilePicker`): a download. */
const NO_SAVE_PICKER = {
  initScript: { fn: () => { delete (/** @type {any} */ (window)).showSaveFilePicker; }, arg: undefined },
};

/**
 * Opens the app with `options`, runs `body` on it and closes it; a failure also says what
 * errors the page and its workers logged.
 * @param {Parameters<typeof openApp>[2]} options
 * @param {(app: Awaited<ReturnType<typeof openApp>>) => Promise<void>} body
 */
async function withApp(options, body) {
  ready();
  const app = await openApp(browser, server, options);
  try {
    await body(app);
  } catch (e) {
    if (app.errors.length && e instanceof Error) e.message += `\n  page errors:\n    ${app.errors.join('\n    ')}`;
    throw e;
  } finally {
    await app.context.close();
  }
}

/** Requests after the page settled, in the browser and in the server log, except blob: URLs. */
function requestsAfterLoad(app) {
  const seen = afterSettle(app, server);
  return {
    browser: seen.requests.filter((r) => !r.url.startsWith('blob:')).map((r) => r.url),
    server: seen.log,
  };
}

test('download (no save dialog): a hospital CD with a file left out', { timeout: 120_000 }, () =>
  withApp(NO_SAVE_PICKER, async (app) => {
    const { page } = app;
    await page.evaluate(bundleEventsInit);
    const dir = join(CORPUS, 'case-cd-ct');
    const { report } = await pickFolder(page, dir);
    const picked = await filesUnder(dir);
    assert.equal(report.files.length, picked.length, 'every picked file is in the report');

    // What the bundle leaves out by itself is shown before saving: the disc's viewer software
    // and its index, unticked and not a choice.
    const setAsideRows = ['case-cd-ct/AUTORUN.INF', 'case-cd-ct/VIEWER/VIEWER.EXE', 'case-cd-ct/DICOMDIR'];
    const marked = page.locator('[data-testid=include][data-set-aside]');
    for (let waited = 0; (await marked.count()) < setAsideRows.length && waited < 10_000; waited += 50) await sleep(50);
    assert.deepEqual(
      (await marked.evaluateAll((boxes) => boxes.map((b) => b.getAttribute('data-path')))).sort(),
      [...setAsideRows].sort(),
      'the rows the bundle leaves out by itself',
    );
    for (const path of setAsideRows) {
      const box = page.locator(`[data-testid=include][data-path="${path}"]`);
      assert.equal(await box.isChecked(), false, `${path} is shown left out`);
      assert.equal(await box.isDisabled(), true, `${path} is not the patient's choice`);
      assert.match(/** @type {string} */ (await box.getAttribute('aria-label')), /left out of the bundle by the check/);
    }
    assert.match(await page.locator('[data-testid=bundle-set-aside]').innerText(), /^3 files are left out by the check/);

    // The button says what will happen here; untick one DICOM file.
    assert.match(await page.locator('[data-testid=save-bundle]').innerText(), /download/i);
    const leftOut = report.files.find((f) => f.kind === 'dicom').path;
    await page.locator(`[data-testid=include][data-path="${leftOut}"]`).uncheck();
    assert.match(await page.locator('[data-testid=bundle-excluded]').innerText(), /Left out of the bundle: 1 /);

    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      page.locator('[data-testid=save-bundle]').click(),
    ]);
    assert.match(download.suggestedFilename(), /^record-precheck-\d{4}-\d{2}-\d{2}\.zip$/);
    const zipPath = join(tmp, 'download.zip');
    await download.saveAs(zipPath);
    await page.waitForFunction(() => /** @type {any} */ (window).__rpBundles.length > 0, undefined, { timeout: 30_000 });
    const [event] = await bundleEvents(page);
    assert.equal(event.method, 'download');
    assert.equal(event.bytes, (await stat(zipPath)).size, 'precheck-bundle-ready says the size saved');

    const manifest = await checkBundle(zipPath, picked);
    // The bundle left out what the page said it would, and the file the patient unticked.
    const leftOutByBundle = manifest.inputs.filter((i) => i.outcome === 'left-out').map((i) => i.path).sort();
    assert.deepEqual(leftOutByBundle, [...setAsideRows, leftOut].sort(), 'left out: what the page showed, and the unticked file');
    const r = manifest.inputs.find((i) => i.path === leftOut);
    assert.equal(r.outcome, 'left-out', `${leftOut} unticked is left out`);
    assert.match(r.reason, /patient|excluded/i, `why ${leftOut} is left out: ${r.reason}`);
    assert.deepEqual(event.totals, manifest.totals, 'the event has the manifest totals');
    assert.match(await page.locator('[data-testid=bundle-status]').innerText(), /downloads/);

    const after = requestsAfterLoad(app);
    assert.deepEqual(after, { browser: [], server: [] }, 'nothing requested while bundling');
    const storage = await storageState(app);
    assert.ok(
      Object.values(storage).every((v) => (Array.isArray(v) ? v.length === 0 : !v)),
      `nothing stored: ${JSON.stringify(storage)}`,
    );
  }));

test('save dialog: streamed into the picked file, zips unpacked, Chinese report, cancel', { timeout: 120_000 }, () =>
  withApp({ initScript: { fn: pickerInit, arg: undefined } }, async (app) => {
    const { page } = app;
    await page.evaluate(bundleEventsInit);
    const dir = join(CORPUS, 'case-mixed');
    const { report } = await pickFolder(page, dir);
    const picked = await filesUnder(dir);
    await page.locator('[data-testid=lang]').selectOption('zh');
    await page.locator('[data-testid=bundle-deflate]').check();

    // First a cancelled one: the writes are held, cancel is pressed, then they go on.
    await page.evaluate(() => {
      const p = /** @type {any} */ (window).__rpPicker;
      p.hold = new Promise((resolve) => (p.release = resolve));
    });
    await page.locator('[data-testid=save-bundle]').click();
    await page.waitForFunction(() => /** @type {any} */ (window).__rpPicker.asked === 1);
    await page.locator('[data-testid=bundle-cancel]').click();
    await page.evaluate(() => {
      const p = /** @type {any} */ (window).__rpPicker;
      p.hold = null;
      p.release();
    });
    await page.waitForFunction(() => {
      const root = document.querySelector('record-precheck')?.shadowRoot;
      return /取消/.test(root?.querySelector('[data-testid=bundle-status]')?.textContent ?? '');
    });
    assert.deepEqual(await bundleEvents(page), [], 'no precheck-bundle-ready after a cancel');
    const afterCancel = await page.evaluate(async () => {
      const dir = await navigator.storage.getDirectory();
      const f = await (await dir.getFileHandle('picked.zip')).getFile();
      return f.size;
    });
    assert.equal(afterCancel, 0, 'the cancelled file was thrown away (abort), nothing written');

    // Then the real one, hashed by the idle scan workers (every worker is up by now).
    const hashers = await page.evaluate(
      async () => (await import('/app.js')).internals(/** @type {any} */ (document.querySelector('record-precheck'))).pool.slots.filter((/** @type {any} */ s) => s.ready).length,
    );
    assert.ok(hashers > 0, 'scan workers are ready to hash the pieces');
    await page.locator('[data-testid=save-bundle]').click();
    await page.waitForFunction(() => /** @type {any} */ (window).__rpBundles.length > 0, undefined, { timeout: 60_000 });
    const [event] = await bundleEvents(page);
    assert.equal(event.method, 'picker');
    const picker = await page.evaluate(() => /** @type {any} */ (window).__rpPicker);
    assert.match(picker.suggestedName, /^record-precheck-\d{4}-\d{2}-\d{2}\.zip$/);
    assert.ok(picker.writes >= 1, 'written through the FileSystemWritableFileStream');
    const b64 = await page.evaluate(async () => {
      const dir = await navigator.storage.getDirectory();
      const f = await (await dir.getFileHandle('picked.zip')).getFile();
      const bytes = new Uint8Array(await f.arrayBuffer());
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      await dir.removeEntry('picked.zip');
      return btoa(s);
    });
    const zipPath = join(tmp, 'picked.zip');
    await writeFile(zipPath, Buffer.from(b64, 'base64'));
    assert.equal(event.bytes, (await stat(zipPath)).size, 'precheck-bundle-ready says the size saved');

    const manifest = await checkBundle(zipPath, picked);
    // The zip the patient gave is unpacked: its members are inputs of their own, in imaging/.
    const zipEntry = report.files.find((f) => f.kind === 'archive');
    assert.ok(zipEntry, 'case-mixed has a zip');
    const unpacked = manifest.inputs.find((i) => i.path === zipEntry.path);
    assert.equal(unpacked.outcome, 'unpacked');
    const members = manifest.inputs.filter((i) => i.path.startsWith(`${zipEntry.path}!/`));
    assert.ok(members.length >= 3, `members listed: ${members.map((m) => m.path)}`);
    assert.ok(
      members.filter((m) => m.outcome === 'copied').every((m) => m.destination.startsWith('imaging/')),
      `members in imaging/: ${members.map((m) => m.destination)}`,
    );
    assert.ok(manifest.inputs.some((i) => i.method === 'deflated'), 'deflate was used');
    const { hashes } = await readZip(zipPath);
    assert.ok('report.html' in hashes);
    const html = await promisify(execFile)('python3', [
      '-c',
      'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("report.html").decode())',
      zipPath,
    ]);
    assert.match(html.stdout, /lang="zh/, 'report.html in Chinese, the language of the page');
    assert.match(await page.locator('[data-testid=bundle-status]').innerText(), /已保存/);

    assert.deepEqual(requestsAfterLoad(app), { browser: [], server: [] }, 'nothing requested while bundling');
  }));

// The native CLI: lib.mjs `testedCli` (minutes when `cargo test` has not run before).
test('the page bundles a CD as the native CLI does: the same entries, byte for byte', { timeout: 600_000 }, () =>
  withApp(NO_SAVE_PICKER, async (app) => {
    const { page } = app;
    const dir = join(CORPUS, 'case-cd-ct');
    await pickFolder(page, dir);
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      page.locator('[data-testid=save-bundle]').click(),
    ]);
    const pagePath = join(tmp, 'page-cd.zip');
    await download.saveAs(pagePath);
    const cli = await testedCli();
    const nativePath = join(tmp, 'native-cd.zip');
    await promisify(execFile)(cli, ['bundle', dir, '-o', nativePath]);
    const [fromPage, native] = [await readZip(pagePath), await readZip(nativePath)];
    assert.equal(fromPage.bad, null);
    assert.equal(native.bad, null);
    // The generated files hold the date and the paths as shown (the page prefixes the folder's
    // name); every other entry is the same.
    const generated = /^(README\.txt|report\.(html|json)|timeline\.md|questions\.md|manifest\.(csv|json))$/;
    const entries = (/** @type {Record<string, string>} */ h) => Object.entries(h).filter(([name]) => !generated.test(name)).sort();
    const imaging = entries(fromPage.hashes);
    assert.ok(imaging.length >= 8, `entries: ${imaging.map(([n]) => n)}`);
    assert.deepEqual(imaging, entries(native.hashes));
    const copied = (/** @type {any} */ m) => m.inputs.filter((/** @type {any} */ i) => i.outcome === 'copied').map((/** @type {any} */ i) => [i.destination, i.sha256, i.size]).sort();
    assert.deepEqual(copied(fromPage.manifest), copied(native.manifest), 'the same inputs copied, with the same SHA-256');
  }));

test('files that change after the check: left out with the reason before saving, a clear failure while saving', { timeout: 120_000 }, () =>
  withApp({ initScript: { fn: pickerInit, arg: undefined } }, async (app) => {
    const { page } = app;
    await page.evaluate(bundleEventsInit);
    // A copy of the CD, so that its files can be changed.
    const dir = join(tmp, 'changing-cd');
    await promisify(execFile)('cp', ['-r', join(CORPUS, 'case-cd-ct'), dir]);
    const { report } = await pickFolder(page, dir);
    const dicom = report.files.filter((f) => f.kind === 'dicom').map((f) => f.path);
    assert.ok(dicom.length >= 3, `DICOM files: ${dicom}`);
    const onDisk = (/** @type {string} */ path) => join(tmp, path);
    const change = async (/** @type {string} */ path) => {
      const bytes = await readFile(onDisk(path));
      bytes[bytes.length - 1] ^= 0xff;
      await writeFile(onDisk(path), bytes);
      const later = new Date(Date.now() + 5_000);
      await utimes(onDisk(path), later, later);
    };

    // Changed after the check, before saving: the browser no longer reads it; it is left out
    // and the manifest says why, the rest is saved.
    await change(dicom[0]);
    await page.locator('[data-testid=save-bundle]').click();
    await page.waitForFunction(() => /** @type {any} */ (window).__rpBundles.length > 0, undefined, { timeout: 60_000 });
    const b64 = await page.evaluate(async () => {
      const dir = await navigator.storage.getDirectory();
      const f = await (await dir.getFileHandle('picked.zip')).getFile();
      const bytes = new Uint8Array(await f.arrayBuffer());
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      await dir.removeEntry('picked.zip');
      return btoa(s);
    });
    const zipPath = join(tmp, 'changing.zip');
    await writeFile(zipPath, Buffer.from(b64, 'base64'));
    const picked = await filesUnder(dir);
    const manifest = await checkBundle(zipPath, picked.filter(([path]) => path !== dicom[0]));
    const changed = manifest.inputs.find((/** @type {any} */ i) => i.path === dicom[0]);
    assert.equal(changed.outcome, 'left-out', `${dicom[0]} changed after the check`);
    assert.match(changed.reason, /^could not read the file: NotReadableError/, changed.reason);
    assert.equal(manifest.inputs.find((/** @type {any} */ i) => i.path === dicom[1]).outcome, 'copied');

    // Changed after it was read for the bundle, before the browser copies it into the file:
    // the writes are held until every piece is made, then a file changes. The save fails and
    // says why; nothing is kept.
    await page.evaluate(() => {
      const p = /** @type {any} */ (window).__rpPicker;
      p.hold = new Promise((resolve) => (p.release = resolve));
      p.attempts = 0;
    });
    await page.locator('[data-testid=save-bundle]').click();
    // This small case is written in one batch, once every piece is made: its write is held.
    await page.waitForFunction(() => /** @type {any} */ (window).__rpPicker.attempts > 0, undefined, { timeout: 60_000 });
    await change(dicom[1]);
    await page.evaluate(() => {
      const p = /** @type {any} */ (window).__rpPicker;
      p.hold = null;
      p.release();
    });
    await page.waitForFunction(() => {
      const root = document.querySelector('record-precheck')?.shadowRoot;
      return /could not be saved/.test(root?.querySelector('[data-testid=bundle-status]')?.textContent ?? '');
    }, undefined, { timeout: 30_000 });
    assert.match(
      await page.locator('[data-testid=bundle-status]').innerText(),
      /could not be saved: a file changed or was removed after it was checked/,
    );
    assert.equal((await bundleEvents(page)).length, 1, 'no precheck-bundle-ready for the failed one');
  }));

test('kiosk with a save dialog: saved only through it, no download; "Finish" names the files it cannot erase', { timeout: 120_000 }, () =>
  withApp({ initScript: { fn: pickerInit, arg: undefined } }, async (app) => {
    const { page } = app;
    await page.evaluate(bundleEventsInit);
    /** @type {string[]} */
    const downloads = [];
    page.on('download', (d) => downloads.push(d.suggestedFilename()));
    await page.evaluate(() => document.querySelector('record-precheck')?.setAttribute('mode', 'kiosk'));
    await pickFolder(page, join(CORPUS, 'case-cd-ct'));
    assert.equal(await page.locator('[data-testid=save-bundle]').innerText(), 'Save to your USB drive…');
    assert.match(await page.locator('[data-testid=bundle-kiosk-hint]').innerText(), /^Put your USB drive in, then choose it in the window that opens/);
    assert.ok(await page.locator('[data-testid=save-html]').isHidden(), 'no "save as HTML" (a download) in kiosk mode');
    await page.locator('[data-testid=bundle-deidentify]').check();

    await page.locator('[data-testid=save-bundle]').click();
    await page.waitForFunction(() => /** @type {any} */ (window).__rpBundles.length > 0, undefined, { timeout: 60_000 });
    const [event] = await bundleEvents(page);
    assert.equal(event.method, 'picker');
    assert.equal(await page.evaluate(() => /** @type {any} */ (window).__rpPicker.asked), 1, 'through the save dialog');
    assert.match(await page.locator('[data-testid=bundle-where]').innerText(), /^picked\.zip was saved where you chose\. If that was your USB drive, take it with you/);
    assert.deepEqual(downloads, [], 'the bundle was not downloaded');
    // The pseudonym key, saved apart: a download.
    await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=bundle-key-save]').click()]);

    await page.locator('[data-testid=finish]').click();
    await page.locator('[data-testid=finish-summary]').waitFor({ state: 'visible', timeout: 10_000 });
    const left = await page.locator('[data-testid=finish-left]').evaluateAll((els) =>
      els.map((li) => ({ kind: /** @type {HTMLElement} */ (li).dataset.kind, text: li.textContent })),
    );
    assert.deepEqual(left.map((l) => l.kind), ['picker', 'download', 'own-files']);
    assert.match(/** @type {string} */ (left[0].text), /^picked\.zip, saved where you chose: the page cannot delete it/);
    assert.equal(left[1].text, "record-precheck-key.txt in this computer's download folder: the page cannot delete it — ask the staff.");
    assert.deepEqual(downloads, ['record-precheck-key.txt'], 'the key was the only download');
  }));

test('a case dropped (files and a zip), the bundle downloaded', { timeout: 120_000 }, () =>
  withApp(NO_SAVE_PICKER, async (app) => {
    const { page } = app;
    await page.evaluate(bundleEventsInit);
    const dir = join(CORPUS, 'case-mixed');
    const names = (await readdir(dir)).sort();
    const n = await reportCount(page);
    await dropFiles(page, await filesForDrop(names.map((name) => join(dir, name))));
    await waitReport(page, n);
    const { report } = await lastReport(page);
    assert.equal(report.files.length, names.length, 'every dropped file is in the report');
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      page.locator('[data-testid=save-bundle]').click(),
    ]);
    const zipPath = join(tmp, 'dropped.zip');
    await download.saveAs(zipPath);
    // Dropped files are named by their file name: the report paths are the names.
    const manifest = await checkBundle(zipPath, names.map((name) => [name, join(dir, name)]));
    assert.ok(manifest.inputs.some((i) => i.path.startsWith('images_export.zip!/')), 'the zip is unpacked');
    assert.deepEqual(requestsAfterLoad(app), { browser: [], server: [] }, 'nothing requested while bundling');
  }));

test('for a host: bundleStream() gives the zip as a stream; items picks the checklist shown', { timeout: 120_000 }, () =>
  withApp({}, async (app) => {
    const { page } = app;
    await page.evaluate(bundleEventsInit);
    const dir = join(CORPUS, 'case-cd-ct');
    const { report } = await pickFolder(page, dir);

    // The checklist shows only the items asked for; the report keeps them all.
    const all = report.readiness.items.map((i) => i.id);
    assert.ok(all.length > 2, `items: ${all}`);
    const wanted = all.slice(0, 2);
    const shownItems = () =>
      page.locator('[data-testid=checklist] [data-item]').evaluateAll((els) => els.map((el) => el.getAttribute('data-item')));
    await page.evaluate((ids) => document.querySelector('record-precheck')?.setAttribute('items', ids.join(', ')), wanted);
    assert.deepEqual(await shownItems(), wanted, 'items="a, b" shows those two');
    await page.evaluate(() => document.querySelector('record-precheck')?.removeAttribute('items'));
    assert.deepEqual(await shownItems(), all, 'without items, all of them');

    // The host reads the stream slowly (one piece at a time, with pauses): back-pressure.
    const b64 = await page.evaluate(async () => {
      const el = /** @type {any} */ (document.querySelector('record-precheck'));
      const stream = /** @type {ReadableStream<Uint8Array>} */ (el.bundleStream());
      const reader = stream.getReader();
      /** @type {Uint8Array[]} */
      const parts = [];
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        await new Promise((r) => setTimeout(r, 5));
      }
      const bytes = new Uint8Array(await new Blob(parts).arrayBuffer());
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(s);
    });
    const zipPath = join(tmp, 'stream.zip');
    await writeFile(zipPath, Buffer.from(b64, 'base64'));
    await checkBundle(zipPath, await filesUnder(dir));
    await page.waitForFunction(() => /** @type {any} */ (window).__rpBundles.length > 0);
    const [event] = await bundleEvents(page);
    assert.equal(event.method, 'stream');
    assert.equal(event.bytes, (await stat(zipPath)).size, 'precheck-bundle-ready says the size streamed');
    assert.deepEqual(requestsAfterLoad(app), { browser: [], server: [] }, 'nothing requested while bundling');
  }));

test('de-identified: the host presets it, the imaging is de-identified, the key is shown and saved apart', { timeout: 120_000 }, () =>
  withApp(NO_SAVE_PICKER, async (app) => {
    const { page } = app;
    const caseDir = join(CORPUS, '..', 'corpus-identity', 'case-04-mother-and-daughter');
    // The host's attribute ticks the box and the option it names.
    await page.evaluate(() => document.querySelector('record-precheck')?.setAttribute('deidentify', 'dates'));
    await pickFolder(page, caseDir);
    assert.equal(await page.locator('[data-testid=bundle-deidentify]').isChecked(), true);
    assert.equal(await page.locator('[data-testid=bundle-deid-dates]').isChecked(), true);
    assert.equal(await page.locator('[data-testid=bundle-deid-descriptors]').isChecked(), false);
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      page.locator('[data-testid=save-bundle]').click(),
    ]);
    const zipPath = join(tmp, 'deidentified.zip');
    await download.saveAs(zipPath);

    // The people of the case, from the corpus labels (not from the page).
    const labels = JSON.parse(await readFile(join(CORPUS, '..', 'corpus-identity', 'labels.json'), 'utf8'))
      .filter((/** @type {any} */ l) => l.case === 'case-04-mother-and-daughter');
    assert.ok(labels.length >= 2);
    const secrets = [...new Set(labels.flatMap((/** @type {any} */ l) => [
      l.patient_name, ...l.patient_name.split(/[\^=]/).filter((/** @type {string} */ p) => p.length >= 2),
      l.patient_id, l.birth_date, l.institution, l.study_uid,
    ].filter(Boolean)))];
    // Python looks in every entry name, and in the bytes of the imaging, the manifest, README,
    // report and notes (UTF-8 and GB18030).
    const script = `
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
secrets = json.loads(sys.argv[2])
hits = []
for info in z.infolist():
    data = z.read(info.filename)
    checked = info.filename.startswith("imaging/") or "/" not in info.filename
    for s in secrets:
        if s in info.filename:
            hits.append([info.filename, s])
        for form in {s.encode("utf-8"), s.encode("gb18030")}:
            if checked and form in data:
                hits.append([info.filename, s])
print(json.dumps({"hits": hits, "imaging": [n for n in z.namelist() if n.startswith("imaging/")]}))
`;
    const { stdout } = await promisify(execFile)('python3', ['-c', script, zipPath, JSON.stringify(secrets)]);
    const { hits, imaging } = JSON.parse(stdout);
    assert.ok(imaging.length >= 2, `imaging in the bundle: ${imaging}`);
    assert.ok(imaging.every((/** @type {string} */ n) => n.startsWith('imaging/PATIENT-')), imaging.join(', '));
    assert.deepEqual(hits, [], 'no identifier of the labels left in the de-identified parts');

    // The key: shown here, naming each person by their labels; saved apart only when asked.
    const key = await page.locator('[data-testid=bundle-key-list]').innerText();
    for (const l of labels) assert.ok(key.includes(l.patient_name), `${l.patient_name} in the key: ${key}`);
    const [keyFile] = await Promise.all([
      page.waitForEvent('download', { timeout: 30_000 }),
      page.locator('[data-testid=bundle-key-save]').click(),
    ]);
    assert.equal(keyFile.suggestedFilename(), 'record-precheck-key.txt');
    // The zip reads back, each entry as the manifest says (the written bytes' SHA-256).
    const { bad, hashes, manifest } = await readZip(zipPath);
    assert.equal(bad, null);
    for (const r of manifest.inputs.filter((/** @type {any} */ r) => r.outcome === 'copied'))
      assert.equal(hashes[r.destination], r.sha256, `entry ${r.destination}`);
  }));
