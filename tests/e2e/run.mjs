// End-to-end tests of the browser app (www/, <record-precheck>) in headless Debian Chromium.
//
//   node --test --test-reporter=tap tests/e2e/run.mjs      (or: node tests/e2e/run.mjs)
//
// Needs `cargo xtask build` first (www/pkg), /usr/bin/chromium (or CHROMIUM=...), the corpus at
// ../shared/corpus and `npm ci` in tests/e2e. Starts `cargo xtask serve --port 0 --no-build
// --log FILE` itself, and generates a 2,000-file CD into a temp folder (gen-cd.mjs). First the
// type check of www/ (tsc --checkJs, tsconfig.www.json and tsconfig.worker.json), then the
// scenarios, each in a fresh browser context recording every request of its context and the
// server log; the privacy test checks that nothing was requested after each page had settled
// (the one exception: a worker started again, after a cancel, from the Blob URL the page made
// while loading — Chromium reports that as a request, but it reads the page's own memory and
// reaches no server) and that no storage or cookie was left behind; the last one that no script
// error happened in a page or worker.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { generateCd } from './gen-cd.mjs';
import {
  CORPUS,
  HERE,
  LABEL_CATEGORIES,
  afterSettle,
  scanWorkers,
  checkPrerequisites,
  dropFiles,
  filesForDrop,
  lastReport,
  launchBrowser,
  openApp,
  pickFolder,
  pickFolderHandle,
  copyToOpfs,
  removeFromOpfs,
  reportCount,
  sleep,
  startServer,
  storageState,
  waitReport,
} from './lib.mjs';
import { readZip } from './zipcheck.mjs';

const CD_FILES = 2000;
const CJK = /[\u3400-\u9fff]/;

/** @type {Awaited<ReturnType<typeof startServer>> | undefined} */
let server;
/** @type {import('playwright-core').Browser | undefined} */
let browser;
let cdDir = '';
const prerequisites = checkPrerequisites();
/** What each scenario saw after its page settled: { name, requests, log, storage, errors }. */
const privacy = [];

before(async () => {
  if (prerequisites.length) return;
  server = await startServer();
  browser = await launchBrowser();
  cdDir = await mkdtemp(join(tmpdir(), 'rp-e2e-cd-'));
  await generateCd(cdDir, { files: CD_FILES });
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
  if (cdDir) await rm(cdDir, { recursive: true, force: true });
});

/**
 * One scenario: a fresh context and page; afterwards, what was requested after load and what
 * storage is left is recorded for the privacy test. Page errors are added to a failure.
 * @param {string} name
 * @param {(app: Awaited<ReturnType<typeof openApp>> & { t: import('node:test').TestContext }) => Promise<void>} fn
 */
function scenario(name, fn, { timeout = 90_000 } = {}) {
  test(name, { timeout }, async (t) => {
    assert.deepEqual(prerequisites, [], `cannot run: ${prerequisites.join('; ')}`);
    assert.ok(server && browser, 'server or browser did not start (see the before hook)');
    const app = await openApp(browser, server);
    try {
      await fn({ ...app, t });
    } catch (e) {
      if (app.errors.length && e instanceof Error)
        e.message += `\n  page errors:\n    ${app.errors.join('\n    ')}`;
      throw e;
    } finally {
      await sleep(300); // let a late request reach the log
      const seen = afterSettle(app, server);
      const storage = await storageState(app).catch((e) => ({ error: String(e) }));
      // The workers' Blob URLs, made while the page loaded.
      const blobs = new Set(
        app.requests.slice(0, app.settled.requests).filter((r) => r.url.startsWith('blob:')).map((r) => r.url),
      );
      privacy.push({ name, ...seen, blobs, storage, settled: app.settled, errors: app.errors });
      await app.context.close();
    }
  });
}

// ---- reading the page ----------------------------------------------------------------------

/** { kind: count } over an array of entries (report files or DOM rows). */
function countKinds(entries) {
  const out = {};
  for (const e of entries) out[e.kind] = (out[e.kind] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort());
}

/** Every file row shown: { kind, path, text, notOriginal (carries the not-original mark) }. */
async function rows(page) {
  return page.locator('[data-testid=files] [data-kind]').evaluateAll((els) =>
    els.map((el) => ({
      kind: el.getAttribute('data-kind'),
      path: el.getAttribute('data-path'),
      text: /** @type {HTMLElement} */ (el).innerText,
      notOriginal: el.querySelector('[data-testid=not-original]') !== null,
    })),
  );
}

/** The findings shown, in order: { code, severity, text }. */
async function findingsShown(page) {
  return page.locator('[data-testid=findings] li[data-code]').evaluateAll((els) =>
    els.map((el) => ({
      code: el.getAttribute('data-code'),
      severity: el.getAttribute('data-severity'),
      text: /** @type {HTMLElement} */ (el).innerText,
    })),
  );
}

/** The checklist shown: { item: status }. */
async function checklistShown(page) {
  return page.locator('[data-testid=checklist] [data-item]').evaluateAll((els) =>
    Object.fromEntries(els.map((el) => [el.getAttribute('data-item'), el.getAttribute('data-status')])),
  );
}

async function text(page, testid) {
  return page.locator(`[data-testid=${testid}]`).first().innerText();
}

/** Top-level files and archive members, flattened. */
function allEntries(files) {
  const out = [];
  for (const f of files) {
    out.push(f);
    if (f.members) out.push(...allEntries(f.members));
  }
  return out;
}

async function corpusFiles(dir) {
  const names = (await readdir(dir)).sort();
  return names.map((n) => join(dir, n));
}

// ---- scenarios -------------------------------------------------------------------------------

test('www/ type-checks: tsc --noEmit --checkJs (page and workers)', async () => {
  const tsc = join(HERE, 'node_modules/.bin/tsc');
  const failures = [];
  for (const config of ['tsconfig.www.json', 'tsconfig.worker.json']) {
    try {
      await promisify(execFile)(tsc, ['-p', config], { cwd: HERE });
    } catch (e) {
      const err = /** @type {any} */ (e);
      failures.push(`tsc -p tests/e2e/${config}:\n${err.stdout || ''}${err.stderr || err.message}`);
    }
  }
  if (failures.length) assert.fail(failures.join('\n'));
});

scenario('a hospital CD picked as a folder: kinds, patient, findings', async ({ page }) => {
  const { report, elementReportMatches } = await pickFolder(page, join(CORPUS, 'case-cd-ct'));
  assert.ok(elementReportMatches, 'element.report should be the report of the precheck-report event');
  assert.equal(report.schema_version, 2, 'report.schema_version');
  const want = { dicom: 7, dicomdir: 1, document: 1, software: 2 };
  assert.deepEqual(countKinds(report.files), want, 'kinds in the report');
  const shown = await rows(page);
  assert.deepEqual(countKinds(shown), want, `kinds shown in the file table: ${JSON.stringify(shown.map((r) => [r.kind, r.path]))}`);
  assert.ok(shown.every((r) => r.path), 'every file row has data-path');

  assert.equal(report.patients.length, 1, 'one patient in the report');
  assert.equal(report.patients[0].name, 'Doe^Peter', 'the patient of the report');
  const summary = await text(page, 'summary');
  assert.match(summary, /Doe\^?,?\s*Peter|Peter\s+Doe/i, `summary should name Doe^Peter: ${JSON.stringify(summary)}`);
  const patientsShown = await page.locator('[data-testid=summary] [data-testid=patients] li').allInnerTexts();
  assert.equal(patientsShown.length, 1, `one patient listed in the summary: ${JSON.stringify(patientsShown)}`);

  const codes = report.findings.map((f) => f.code);
  const shownCodes = (await findingsShown(page)).map((f) => f.code);
  for (const code of ['series-incomplete', 'viewer-software-set-aside']) {
    assert.ok(codes.includes(code), `report finding ${code} (have ${codes})`);
    assert.ok(shownCodes.includes(code), `finding ${code} shown (shown: ${shownCodes})`);
  }
  assert.deepEqual(shownCodes, codes, 'findings shown in the report order');

  // Next steps and the checklist shown are the report's.
  const steps = await page.locator('[data-testid=next-steps] li[data-step]').evaluateAll((els) =>
    els.map((el) => el.getAttribute('data-step')),
  );
  assert.deepEqual(steps, report.readiness.next_steps.map((s) => s.id), 'next steps shown');
  assert.deepEqual(
    await checklistShown(page),
    Object.fromEntries(report.readiness.items.map((i) => [i.id, i.status])),
    'checklist shown',
  );

  // The kind filter narrows the file table.
  await page.locator('[data-testid=kind-filter]').selectOption('dicom');
  const dicomRows = await rows(page);
  assert.equal(dicomRows.length, 7, `7 rows with the filter on dicom: ${JSON.stringify(dicomRows.map((r) => r.kind))}`);
  assert.ok(dicomRows.every((r) => r.kind === 'dicom'), 'only dicom rows');
  await page.locator('[data-testid=kind-filter]').selectOption('');
  assert.equal((await rows(page)).length, 11, 'all 11 rows again');
});

/** Every file under `dir`, as `/`-separated paths starting with the folder's own name. */
async function relativePaths(dir, name) {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) out.push(join(name, e.parentPath.slice(dir.length), e.name).replaceAll('\\', '/'));
  return out.sort();
}

// A scan's entries reach the report worker while it runs (reporter.js `addScanned`), and the
// worker puts the case together itself when it ends, with the files it had. Meanwhile the page
// may send it the case again (each time a document of the files before is read): the new
// folder's entries that came before must still be in the case. The page's internals send it
// the case again right after the first of them, as a document read then would.
scenario('a second folder added, the case sent again to the report worker meanwhile: the report is of both', async ({ page }) => {
  const first = join(CORPUS, 'case-cd-ct');
  const second = join(CORPUS, 'case-multi-patient');
  await pickFolder(page, first);
  await page.evaluate(async () => {
    const el = (await import('/app.js')).internals(/** @type {any} */ (document.querySelector('record-precheck')));
    const add = el.reporter.addScanned;
    el.reporter.addScanned = function (/** @type {any} */ some) {
      add.call(this, some);
      el.reporter.addScanned = add;
      el.reporter.setEntries(el.entries);
    };
  });
  const { report } = await pickFolder(page, second);
  const want = [...(await relativePaths(first, 'case-cd-ct')), ...(await relativePaths(second, 'case-multi-patient'))].sort();
  assert.deepEqual(report.files.map((f) => f.path).sort(), want, 'every file of both folders, once');
  // The patients of both (cases.json): Doe^Peter (98890234) and the three of case-multi-patient.
  const ids = report.patients.flatMap((p) => p.patient_ids).sort();
  assert.deepEqual(ids, ['1CT1', '4MR1', '8NM1', '98890234'], `the patients of both folders: ${JSON.stringify(report.patients.map((p) => p.name))}`);
  assert.ok(
    report.studies.some((s) => s.study_instance_uid === '1.3.6.1.4.1.5962.1.1.0.0.0.1194734704.16302.0.1'),
    'the CD\'s study is in the report',
  );
});

// In Chromium a picked or dropped folder comes as one handle, listed and read by the scan workers
// (collect.js, pool.js): an OPFS folder stands in for the patient's.
scenario('a hospital CD picked as a folder handle: every file, the same report as the folder input', async ({ page }) => {
  const dir = join(CORPUS, 'case-cd-ct');
  try {
    assert.equal(await copyToOpfs(page, dir, 'case-cd-ct'), (await relativePaths(dir, 'case-cd-ct')).length, 'copied into OPFS');
    const { report } = await pickFolderHandle(page, 'case-cd-ct');
    const want = { dicom: 7, dicomdir: 1, document: 1, software: 2 };
    assert.deepEqual(countKinds(report.files), want, 'kinds in the report');
    assert.deepEqual(report.files.map((f) => f.path).sort(), await relativePaths(dir, 'case-cd-ct'), 'every file, by its path in the folder');
    assert.equal(report.patients.length, 1, 'one patient in the report');
    assert.equal(report.patients[0].name, 'Doe^Peter', 'the patient of the report');
    // The page holds each file for the bundle, as with the folder input.
    const held = await page.evaluate(async () => [...(await import('/app.js')).internals(/** @type {any} */ (document.querySelector('record-precheck'))).files.keys()].sort());
    assert.deepEqual(held, await relativePaths(dir, 'case-cd-ct'), 'the page holds every file');
    assert.deepEqual(await page.locator('[data-testid=status]').innerText().then((t) => /11/.test(t)), true, 'the status counts the 11 files');
  } finally {
    assert.deepEqual(await removeFromOpfs(page, 'case-cd-ct'), [], 'nothing left in OPFS');
  }
});

scenario('a generated CD of 2,000 files dropped as a folder handle, then the same CD through the input: same report', async ({ page }) => {
  try {
    await copyToOpfs(page, cdDir, 'cd');
    // A drop as Chromium gives it: the item's handle (`getAsFileSystemHandle`), which
    // collect.js passes on to the workers instead of walking the entry. The DataTransfer is
    // made up here (a page cannot make a drop with handles); the handle is real.
    const n = await reportCount(page);
    await page.evaluate(async () => {
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('cd');
      const { fromDataTransfer } = await import('/collect.js');
      const item = {
        kind: 'file',
        webkitGetAsEntry: () => ({ isDirectory: true, isFile: false, name: 'cd', fullPath: '/cd' }),
        getAsFile: () => null,
        getAsFileSystemHandle: async () => dir,
      };
      const el = (await import('/app.js')).internals(/** @type {any} */ (document.querySelector('record-precheck')));
      el.addFiles(fromDataTransfer(/** @type {any} */ ({ items: [item], files: [] })));
    });
    await waitReport(page, n, 120_000);
    const byHandle = (await lastReport(page)).report;
    const want = (await relativePaths(cdDir, 'cd')).length;
    assert.equal(byHandle.files.length, want, 'every file of the CD');
    assert.deepEqual(countKinds(byHandle.files), { dicom: CD_FILES, dicomdir: 1 }, 'kinds');
    await page.locator('[data-testid=start-over]').click();
    // The folder input gives the same paths (the folder's name first) and the same report.
    const { report: byInput } = await pickFolder(page, cdDir);
    const name = /** @type {string} */ (cdDir.split('/').at(-1));
    const same = (/** @type {any} */ r) => JSON.stringify([r.files, r.findings, r.patients, r.studies]).replaceAll(name, 'cd');
    assert.equal(same(byHandle), same(byInput), 'the same files, findings, patients and studies both ways');
  } finally {
    assert.deepEqual(await removeFromOpfs(page, 'cd'), [], 'nothing left in OPFS');
  }
}, { timeout: 240_000 });

scenario('screenshots and phone photos picked as files: no original imaging', async ({ page }) => {
  const files = await corpusFiles(join(CORPUS, 'case-screenshots'));
  const n = await reportCount(page);
  await page.locator('[data-testid=pick-files]').setInputFiles(files);
  await waitReport(page, n);
  const { report } = await lastReport(page);

  assert.equal(report.files.length, 5, 'five files in the report');
  assert.equal(report.findings[0]?.code, 'no-original-imaging', 'first finding of the report');
  const shown = await findingsShown(page);
  assert.equal(shown[0]?.code, 'no-original-imaging', `first finding shown: ${JSON.stringify(shown)}`);
  assert.equal(shown[0]?.severity, 'serious', 'no-original-imaging is serious');
  assert.equal(report.readiness.level, 'not-yet-reviewable', 'readiness level');

  const table = await rows(page);
  const byKind = countKinds(table);
  assert.deepEqual(byKind, { dicom: 1, photo: 2, screenshot: 2 }, `kinds shown: ${JSON.stringify(byKind)}`);
  // Photos, screenshots and the screen capture in DICOM are marked as not original imaging,
  // in words on their rows.
  for (const r of table) {
    assert.ok(r.notOriginal, `row of ${r.path} (${r.kind}) should carry the not-original mark: ${JSON.stringify(r.text)}`);
    assert.match(r.text, /not original/i, `row of ${r.path} says it is not original imaging: ${JSON.stringify(r.text)}`);
  }
});

scenario('a drop of several patients and a zip: multiple patients, zip members listed', async ({ page }) => {
  const paths = [
    ...(await corpusFiles(join(CORPUS, 'case-multi-patient'))),
    join(CORPUS, 'case-mixed/images_export.zip'),
  ];
  const n = await reportCount(page);
  await dropFiles(page, await filesForDrop(paths));
  await waitReport(page, n);
  const { report } = await lastReport(page);

  const codes = report.findings.map((f) => f.code);
  assert.equal(codes[0], 'multiple-patients', `multiple-patients first in the report (have ${codes})`);
  assert.ok(report.patients.length >= 3, `at least 3 patients (have ${report.patients.length})`);
  const shown = await findingsShown(page);
  assert.ok(
    shown.some((f) => f.code === 'multiple-patients' && f.severity === 'serious'),
    `multiple-patients shown as serious: ${JSON.stringify(shown.map((f) => [f.code, f.severity]))}`,
  );

  const zip = report.files.find((f) => f.kind === 'archive');
  assert.ok(zip, `the zip is in the report: ${JSON.stringify(report.files.map((f) => [f.path, f.kind]))}`);
  const members = (zip.members ?? []).map((m) => m.path);
  assert.equal(members.length, 3, `three zip members in the report: ${members}`);
  assert.ok(members.every((p) => p.includes('!/')), `member paths use !/: ${members}`);
  const shownPaths = (await rows(page)).map((r) => r.path ?? '');
  const shownMembers = shownPaths.filter((p) => p.includes('!/'));
  assert.equal(shownMembers.length, 3, `three zip member rows shown (data-path with !/): ${JSON.stringify(shownPaths)}`);
  assert.equal(allEntries(report.files).length, 7, 'four files and three members');
});

scenario('switching to Chinese changes the words, not the report', async ({ page }) => {
  const { report: en } = await pickFolder(page, join(CORPUS, 'case-cd-ct'));
  const summaryEn = await text(page, 'summary');
  assert.doesNotMatch(summaryEn, CJK, 'the English summary has no Chinese');
  const n = await reportCount(page);
  await page.locator('[data-testid=lang]').selectOption('zh');
  await page
    .waitForFunction(
      (src) => {
        const root = document.querySelector('record-precheck')?.shadowRoot;
        const s = root?.querySelector('[data-testid=summary]')?.textContent ?? '';
        return new RegExp(src).test(s);
      },
      CJK.source,
      { timeout: 10_000 },
    )
    .catch(() => {});
  const summaryZh = await text(page, 'summary');
  assert.match(summaryZh, CJK, `the summary is in Chinese after switching: ${JSON.stringify(summaryZh)}`);
  for (const f of await findingsShown(page))
    assert.match(f.text, CJK, `finding ${f.code} in Chinese: ${JSON.stringify(f.text)}`);
  const steps = await text(page, 'next-steps');
  assert.match(steps, CJK, `next steps in Chinese: ${JSON.stringify(steps)}`);
  const reasons = await page.locator('[data-testid=files] tr[data-kind] td.reason').allInnerTexts();
  assert.ok(reasons.length > 0 && reasons.every((r) => CJK.test(r)), `file reasons in Chinese: ${JSON.stringify(reasons)}`);

  // The report is the same document (a new event, if any, carries the same substance).
  const zh = (await reportCount(page)) > n ? (await lastReport(page)).report : await page.evaluate(
    () => /** @type {any} */ (document.querySelector('record-precheck')).report,
  );
  for (const key of ['schema_version', 'files', 'patients', 'studies', 'findings', 'readiness', 'declarations'])
    assert.deepEqual(zh[key], en[key], `report.${key} unchanged by the language switch`);

  await page.locator('[data-testid=lang]').selectOption('en');
  await page.waitForTimeout(200);
  assert.doesNotMatch(await text(page, 'summary'), CJK, 'back to English');
});

scenario('declarations: a timeline and three questions make both items present', async ({ page }) => {
  await pickFolder(page, join(CORPUS, 'case-cd-ct'));
  const before = await checklistShown(page);
  assert.equal(before.timeline, 'missing', `timeline before: ${JSON.stringify(before)}`);
  assert.equal(before.questions, 'missing', 'questions before');

  const timeline =
    '2024-01 cough for two weeks; 2024-02 chest CT at the local hospital shows a 2 cm nodule; ' +
    '2024-03 biopsy; 2024-04 surgery planned.';
  let n = await reportCount(page);
  await page.locator('[data-testid=timeline]').fill(timeline);
  await page.locator('[data-testid=timeline]').blur();
  await waitReport(page, n, 10_000);
  let { report, elementReportMatches } = await lastReport(page);
  assert.ok(elementReportMatches, 'element.report follows the declarations');
  assert.equal(report.declarations.timeline, timeline, 'the timeline is declared as written');
  assert.equal(item(report, 'timeline').status, 'present', 'timeline item present (report)');

  const questions = [
    'Is the nodule likely to be cancer?',
    'Should the biopsy be done before surgery?',
    'Which follow-up imaging do you advise?',
  ];
  n = await reportCount(page);
  await fillQuestions(page, questions);
  await page
    .waitForFunction(
      () => {
        const rp = /** @type {any} */ (window).__rp;
        const r = rp.reports[rp.reports.length - 1];
        return r?.readiness.items.find((i) => i.id === 'questions')?.status === 'present';
      },
      undefined,
      { timeout: 10_000 },
    )
    .catch(() => {});
  assert.ok((await reportCount(page)) > n, 'a precheck-report event after the questions changed');
  ({ report } = await lastReport(page));
  assert.deepEqual(report.declarations.questions.map((q) => q.trim()).filter(Boolean), questions, 'the questions declared');
  assert.equal(item(report, 'questions').status, 'present', 'questions item present (report)');
  assert.equal(item(report, 'timeline').status, 'present', 'timeline still present');

  const afterDom = await checklistShown(page);
  assert.equal(afterDom.timeline, 'present', `timeline shown present: ${JSON.stringify(afterDom)}`);
  assert.equal(afterDom.questions, 'present', 'questions shown present');
});

function item(report, id) {
  const it = report.readiness.items.find((i) => i.id === id);
  assert.ok(it, `checklist item ${id} in the report`);
  return it;
}

/**
 * Writes the questions into the question list: a textarea (one per line), or one input per
 * question (pressing an "add" button when there are too few).
 */
async function fillQuestions(page, questions) {
  const box = page.locator('[data-testid=questions]').first();
  const tag = await box.evaluate((el) => el.tagName.toLowerCase());
  if (tag === 'textarea') {
    await box.fill(questions.join('\n'));
    await box.blur();
    return;
  }
  const textarea = box.locator('textarea');
  if ((await textarea.count()) === 1) {
    await textarea.fill(questions.join('\n'));
    await textarea.blur();
    return;
  }
  const inputs = box.locator('input[type=text], input:not([type]), textarea');
  for (let i = 0; i < questions.length; i++) {
    if ((await inputs.count()) <= i) {
      const add = box.locator('button').filter({ hasText: /add|\+|添加/i }).first();
      assert.ok((await add.count()) > 0, 'no field nor "add" button for another question');
      await add.click();
    }
    await inputs.nth(i).fill(questions[i]);
    await inputs.nth(i).blur();
  }
}

scenario(
  `a generated ${CD_FILES.toLocaleString('en')}-file CD: the progress bar reaches the end`,
  async ({ page, t }) => {
    // Watch the progress bar's value while the scan runs.
    await page.locator('[data-testid=progress]').first().evaluate((p) => {
      const w = /** @type {any} */ (window);
      w.__rp.progressSeen = [];
      new MutationObserver(() => {
        const el = /** @type {HTMLProgressElement} */ (p);
        w.__rp.progressSeen.push([el.value, el.max]);
      }).observe(p, { attributes: true, attributeFilter: ['value', 'max'] });
    });
    const n = await reportCount(page);
    const t0 = Date.now();
    await page.locator('[data-testid=pick-folder]').setInputFiles(cdDir);
    await waitReport(page, n, 120_000);
    const ms = Date.now() - t0;
    const total = CD_FILES + 1; // and the DICOMDIR
    // The bar is drawn on the next animation frame: give it that frame.
    await page
      .waitForFunction(() => {
        const p = /** @type {HTMLProgressElement | null | undefined} */ (
          document.querySelector('record-precheck')?.shadowRoot?.querySelector('[data-testid=progress]')
        );
        return !!p && p.max > 1 && p.value === p.max;
      }, undefined, { timeout: 2000 })
      .catch(() => {});
    const summary = await page.evaluate(() => {
      const rp = /** @type {any} */ (window).__rp;
      const r = rp.reports[rp.reports.length - 1];
      const kinds = {};
      for (const f of r.files) kinds[f.kind] = (kinds[f.kind] ?? 0) + 1;
      const root = document.querySelector('record-precheck')?.shadowRoot;
      const p = /** @type {HTMLProgressElement} */ (root?.querySelector('[data-testid=progress]'));
      return {
        rowsShown: root?.querySelectorAll('[data-testid=files] tr[data-kind]').length ?? 0,
        kinds,
        findings: r.findings.map((f) => f.code),
        value: p.value,
        max: p.max,
        text: root?.querySelector('[data-testid=progress-text]')?.textContent ?? '',
        seen: rp.progressSeen,
      };
    });
    assert.deepEqual(summary.kinds, { dicom: CD_FILES, dicomdir: 1 }, 'kinds in the report');
    assert.ok(!summary.findings.includes('dicomdir-missing-files'), `the DICOMDIR resolves: ${summary.findings}`);
    assert.equal(summary.max, total, `progress max is the number of files (${total}); text: ${JSON.stringify(summary.text)}`);
    assert.equal(summary.value, summary.max, `the progress bar ends full: ${summary.value}/${summary.max}`);
    assert.match(summary.text.replace(/[,\s\u202f]/g, ''), new RegExp(`${total}`), `progress text gives the count: ${JSON.stringify(summary.text)}`);
    const between = summary.seen.filter(([v, m]) => v > 0 && v < m);
    assert.ok(between.length > 0, `the bar moved during the scan (saw ${JSON.stringify(summary.seen.slice(0, 20))})`);
    t.diagnostic(`${total} files scanned in ${ms} ms (pick to report, setInputFiles included)`);
  },
  { timeout: 180_000 },
);

scenario(
  'cancel during a scan: nothing is added, the workers start again, the next scan works',
  async ({ page, t }) => {
    // One scan worker (the `workers` attribute), and the bar watched: as soon as it has moved,
    // the cancel button is pressed, from inside the page (no race with the end of the scan).
    // The default pool follows the cores; with workers="1" the page runs one scan worker.
    await page.evaluate(() => document.querySelector('record-precheck')?.setAttribute('workers', '1'));
    const deadline = Date.now() + 10_000;
    while ((await scanWorkers(page.workers())).length !== 1 && Date.now() < deadline) await sleep(50);
    assert.equal((await scanWorkers(page.workers())).length, 1, 'workers="1": one scan worker');
    await page.locator('[data-testid=progress]').first().evaluate((bar) => {
      const w = /** @type {any} */ (window);
      const root = /** @type {ShadowRoot} */ (bar.getRootNode());
      const cancel = /** @type {HTMLButtonElement} */ (root.querySelector('[data-testid=cancel]'));
      const observer = new MutationObserver(() => {
        const p = /** @type {HTMLProgressElement} */ (bar);
        if (p.value > 0 && p.value < p.max) {
          observer.disconnect();
          w.__rp.cancelledAt = [p.value, p.max];
          cancel.click();
        }
      });
      observer.observe(bar, { attributes: true, attributeFilter: ['value', 'max'] });
    });
    const n = await reportCount(page);
    await page.locator('[data-testid=pick-folder]').setInputFiles(cdDir);
    await page.waitForFunction(
      () => !!(/** @type {any} */ (window).__rp.cancelledAt) &&
        /Cancelled/.test(document.querySelector('record-precheck')?.shadowRoot?.querySelector('[data-testid=status]')?.textContent ?? ''),
      undefined,
      { timeout: 60_000 },
    );
    const cancelledAt = await page.evaluate(() => /** @type {any} */ (window).__rp.cancelledAt);
    t.diagnostic(`cancelled at ${cancelledAt[0]} / ${cancelledAt[1]} files`);
    await sleep(300);
    assert.equal(await reportCount(page), n, 'no report for a cancelled batch');
    assert.equal(
      await page.evaluate(() => /** @type {any} */ (document.querySelector('record-precheck')).report),
      null,
      'element.report stays null',
    );
    // The pickers work again, and the new worker scans.
    assert.equal(await page.locator('[data-testid=pick-folder]').isDisabled(), false, 'the folder picker is enabled again');
    const { report } = await pickFolder(page, join(CORPUS, 'case-cd-ct'));
    assert.deepEqual(countKinds(report.files), { dicom: 7, dicomdir: 1, document: 1, software: 2 }, 'kinds after the cancel');
    assert.equal(report.files.length, 11, 'nothing of the cancelled batch was added');
  },
  { timeout: 120_000 },
);

/** The records corpus (documents and pictures), its labels and its cases' expectations. */
const RECORDS = join(CORPUS, '../corpus-records');
/**
 * cases.json's checklist keys → the report's item and whether its status agrees with the
 * outcome: "needed" translation is an item still missing; blood work is "present" when a lab
 * result is there, recent or older than 3 months ("partial", the item says how old).
 */
const plain = (outcome, item) => item.status === outcome;
const CHECKLIST = {
  'written-diagnosis': ['diagnosis-report', plain],
  'radiology-reports': ['radiology-report', plain],
  'pathology-reports': ['pathology-lab-reports', (o, i) => (o === 'present' ? i.values.pathology > 0 : i.values.pathology === 0)],
  'treatment-history': ['treatment-history', plain],
  'blood-work': ['blood-work', (o, i) => (o === 'present' ? ['present', 'partial'].includes(i.status) : i.status === o)],
  translation: ['translation', (o, i) => i.status === (o === 'needed' ? 'missing' : o)],
  'imaging-dicom': ['imaging-dicom', plain],
};

for (const name of ['case-breast-documents', 'case-en-records', 'case-russian']) {
  scenario(`documents of ${name} read after the first report: rows say what each is, the checklist judges them`, async ({ page, requests, settled }) => {
    const labels = JSON.parse(await readFile(join(RECORDS, 'labels.json'), 'utf8')).filter((l) => l.case === name);
    const cases = JSON.parse(await readFile(join(RECORDS, 'cases.json'), 'utf8'));
    const expected = cases.find((c) => c.case === name);
    assert.ok(labels.length > 0 && expected, `${name} is in labels.json and cases.json`);
    // Nothing of the report module (with the document readers) before the first scan.
    assert.ok(
      !requests.slice(0, settled.requests).some((r) => r.url.endsWith('/pkg/record_precheck_bg.wasm')),
      'the report module is not loaded with the page',
    );
    const n = await reportCount(page);
    await page.locator('[data-testid=pick-files]').setInputFiles(await corpusFiles(join(RECORDS, name)));
    await waitReport(page, n);
    assert.ok((await reportCount(page)) >= n + 2, 'a first report, then one with the documents read');
    const { report } = await lastReport(page);
    assert.ok(
      requests.some((r) => r.url.endsWith('/pkg/record_precheck_bg.wasm')),
      'the report module was loaded for the scan',
    );
    const shown = await page.locator('tr[data-path]').evaluateAll((trs) =>
      Object.fromEntries(trs.map((tr) => [tr.getAttribute('data-path'), tr.querySelector('[data-testid=document-line]')?.textContent ?? null])),
    );
    for (const label of labels.filter((l) => l.document)) {
      const path = label.path.slice(name.length + 1);
      const file = report.files.find((f) => f.path === path);
      assert.ok(file, `${path} is in the report`);
      const doc = file.document;
      assert.ok(doc, `${path} has a document object`);
      const line = shown[path];
      assert.ok(line, `the row of ${path} says what the document is`);
      if (!label.document.text_layer) {
        assert.equal(doc.text_source, null, `${path}: no text layer`);
        continue;
      }
      assert.equal(doc.text_source, 'text-layer', `${path}: text layer`);
      assert.equal(doc.language, label.document.language, `${path}: language (labels.json)`);
      assert.ok(LABEL_CATEGORIES[label.document.category].includes(doc.category), `${path}: category ${doc.category} for ${label.document.category}`);
      const name_ = label.document.patient?.name;
      if (name_) {
        const compact = (s) => s.replace(/[\s^,]+/g, '').toLowerCase();
        assert.ok(compact(line).includes(compact(name_)), `${path}: the row names ${name_}: ${line}`);
      }
    }
    // The checklist, as cases.json expects it (its names → the report's, as tests/records_cases.rs
    // reads them), in the report and on the page.
    const items = Object.fromEntries(report.readiness.items.map((i) => [i.id, i]));
    for (const [key, outcome] of Object.entries(expected.checklist)) {
      const [id, agrees] = CHECKLIST[key];
      assert.ok(items[id] && agrees(outcome, items[id]), `${key}: ${outcome} (cases.json); the report says ${items[id]?.status}`);
    }
    const statuses = Object.fromEntries(report.readiness.items.map((i) => [i.id, i.status]));
    assert.deepEqual(await checklistShown(page), statuses, 'checklist shown');
    assert.equal(report.patients.length, expected.patients_expected, `people (cases.json): ${report.patients.map((p) => p.name)}`);

    // The empty timeline is offered the records' dates; taken, it is the patient's timeline.
    const draft = page.locator('[data-testid=timeline-draft]');
    assert.ok(await draft.isVisible(), 'the draft timeline is offered');
    const k = await reportCount(page);
    await draft.click();
    await waitReport(page, k);
    const written = await page.locator('[data-testid=timeline]').inputValue();
    const main = labels.find((l) => l.document?.text_layer && l.document.dates.length > 0 && l.document.patient?.name === labels[0].document?.patient?.name);
    assert.ok(main, 'a labelled document of the patient with dates');
    for (const date of main.document.dates) assert.ok(written.includes(date), `the draft has ${date} of ${main.path}: ${written}`);
    assert.ok(!(await draft.isVisible()), 'no draft offered over what is written');
    const after = (await lastReport(page)).report;
    assert.equal(after.declarations.timeline, written, 'the timeline written is the declaration');
    // The draft names a treatment only when the records hold one (labels: a treatment record or
    // an operation note); without one the timeline is only partly there, and says why.
    const treated = labels.some((l) => ['treatment', 'operation-note'].includes(l.document?.category));
    const timelineItem = after.readiness.items.find((i) => i.id === 'timeline');
    assert.equal(timelineItem?.status, treated ? 'present' : 'partial', `timeline (${treated ? 'a treatment' : 'no treatment'} in the records)`);
    if (!treated) assert.equal(timelineItem?.values.treatment, false, 'no treatment named');
  });
}

// ---- what a picture shows (issue 15): ../shared/corpus-records, expectations from its labels.json

/** The labelled pictures (photos and screenshots with a `subject`) of corpus-records' `cases`. */
async function labelledPictures(cases) {
  const labels = JSON.parse(await readFile(join(RECORDS, 'labels.json'), 'utf8'));
  return labels.filter((l) => cases.includes(l.case) && l.subject && /\.(jpe?g|png|webp)$/i.test(l.path));
}

scenario('pictures of documents, screens, film and QR slips looked at after the first report', async ({ page, requests }) => {
  const pictures = await labelledPictures(['case-liver-imaging', 'case-liver-pictures']);
  const kinds = new Set(pictures.map((l) => l.subject));
  assert.ok(['document', 'screen', 'film', 'qr'].every((k) => kinds.has(k)), `labels.json has every subject: ${[...kinds]}`);
  const name = (l) => l.path.split('/').pop();
  const n = await reportCount(page);
  await page.locator('[data-testid=pick-files]').setInputFiles(pictures.map((l) => join(RECORDS, l.path)));
  await waitReport(page, n);
  assert.ok((await reportCount(page)) >= n + 2, 'a first report, then one with the pictures looked at');
  assert.ok(requests.some((r) => r.url.endsWith('/pkg/record_precheck_bg.wasm')), 'the report module was loaded');
  const { report } = await lastReport(page);
  const status = (await page.locator('[data-testid=status]').textContent()) ?? '';
  assert.match(status, new RegExp(`\\b${pictures.length} pictures looked at`), 'the status counts the pictures');
  assert.doesNotMatch(status, /\b0 documents/, 'pictures only: no "0 documents read"');

  // Every picture: its subject and QR code (labels.json), in the report and on its row.
  const shown = await page.locator('tr[data-path]').evaluateAll((trs) =>
    Object.fromEntries(
      trs.map((tr) => [
        tr.getAttribute('data-path'),
        {
          subject: tr.querySelector('[data-testid=picture-subject]')?.getAttribute('data-subject') ?? null,
          qr: [...tr.querySelectorAll('[data-testid=picture-qr]')].map((el) => el.textContent),
        },
      ]),
    ),
  );
  for (const label of pictures) {
    const path = name(label);
    const file = report.files.find((f) => f.path === path);
    assert.ok(file?.picture, `${path}: looked at (${JSON.stringify(file?.picture)})`);
    assert.equal(file.picture.subject, label.subject, `${path}: ${file.picture.reason}`);
    assert.deepEqual(file.picture.qr, label.qr ? [label.qr] : [], `${path}: QR codes`);
    assert.equal(shown[path]?.subject, label.subject, `the row of ${path} says what it shows`);
    assert.equal(shown[path].qr.length, label.qr ? 1 : 0, `the row of ${path}: its QR codes`);
    if (label.qr) assert.ok(shown[path].qr[0].includes(label.qr), `the row of ${path} gives ${label.qr}: ${shown[path].qr}`);
  }

  // Only the pictures of screens and film are pictures of images; the QR slips lead online.
  const named = (subjects) => pictures.filter((l) => subjects.includes(l.subject)).map(name).sort();
  const findingFiles = (code) => [...(report.findings.find((f) => f.code === code)?.files ?? [])].sort();
  assert.deepEqual(findingFiles('photo-of-screen'), named(['screen', 'film']), 'photo-of-screen: the screens and films');
  for (const doc of named(['document'])) {
    assert.ok(!findingFiles('no-original-imaging').includes(doc), `${doc} is not counted as a picture of images`);
  }
  assert.deepEqual(findingFiles('cloud-film-link'), named(['qr']), 'cloud-film-link: the QR slips');
  const codes = (await findingsShown(page)).map((f) => f.code);
  assert.ok(codes.includes('cloud-film-link') && codes.includes('photo-of-screen'), `findings shown: ${codes}`);
  const steps = await page.locator('[data-testid=next-steps] li[data-step]').evaluateAll((els) => els.map((el) => el.getAttribute('data-step')));
  assert.ok(steps.includes('open-cloud-film'), `the cloud-film step is shown: ${steps}`);

  // The pictures of documents are listed with the documents, a category selector each.
  for (const doc of named(['document'])) {
    assert.equal(await page.locator(`[data-testid=category][data-path="${doc}"]`).count(), 1, `${doc} has a category selector`);
  }
});

// ---- who is in these files (issue 16): ../shared/corpus-identity, expectations from its cases.json

const IDENTITY = join(CORPUS, '../corpus-identity');

/** cases.json of corpus-identity: [{ case, people, groups: [[path]], must_flag }]. */
async function identityCases() {
  return JSON.parse(await readFile(join(IDENTITY, 'cases.json'), 'utf8'));
}

/** The person cards shown: [{ person, excluded }]. */
async function cardsShown(page) {
  return page.locator('[data-testid=people]:visible [data-testid=person]').evaluateAll((els) =>
    els.map((el) => ({ person: el.getAttribute('data-person'), excluded: el.hasAttribute('data-excluded') })),
  );
}

/** Presses a button and waits for the report it causes. */
async function pressAndWait(page, locator) {
  const n = await reportCount(page);
  await locator.click();
  await waitReport(page, n);
  return (await lastReport(page)).report;
}

/** The bundle's manifest.json, from `element.bundleStream()`. */
async function streamedManifest(page) {
  const b64 = await page.evaluate(async () => {
    const el = /** @type {any} */ (document.querySelector('record-precheck'));
    const bytes = new Uint8Array(await new Response(el.bundleStream()).arrayBuffer());
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  });
  const dir = await mkdtemp(join(tmpdir(), 'rp-e2e-people-'));
  try {
    const zip = join(dir, 'bundle.zip');
    await writeFile(zip, Buffer.from(b64, 'base64'));
    const { bad, manifest } = await readZip(zip);
    assert.equal(bad, null, 'a sound zip');
    return manifest;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

scenario('who is in these files: a same-person case (cases.json people 1) shows one person, no multiple-patients', async ({ page }) => {
  const c = (await identityCases()).find((x) => x.people === 1 && !x.must_flag);
  assert.ok(c, 'cases.json has a same-person case');
  const { report } = await pickFolder(page, join(IDENTITY, c.case));
  assert.equal(report.patients.length, 1, `${c.case}: one person (${report.patients.map((p) => p.name)})`);
  const codes = (await findingsShown(page)).map((f) => f.code);
  assert.ok(!codes.includes('multiple-patients'), `${c.case}: no multiple-patients shown (${codes})`);
  assert.ok((await cardsShown(page)).length <= 1, 'at most one person card');
});

scenario(
  'who is in these files: a two-person case, "Not me" leaves the other out (findings, steps, checklist, files, bundle), undo brings it back',
  async ({ page }) => {
    const c = (await identityCases()).find((x) => x.people === 2 && x.must_flag && x.groups.length === 2);
    assert.ok(c, 'cases.json has a two-person case');
    const { report } = await pickFolder(page, join(IDENTITY, c.case));
    const cards = await cardsShown(page);
    assert.equal(cards.length, 2, `${c.case}: two cards (${JSON.stringify(cards)})`);
    const flagged = (await findingsShown(page)).filter((f) => f.code === 'multiple-patients' || f.code === 'identity-check');
    assert.equal(flagged.length, 1, `${c.case} is flagged (must_flag)`);

    // The other person: the one whose DICOM files are the second group of cases.json.
    const other = new Set(c.groups[1]);
    const index = report.patients.findIndex((_, i) => {
      const files = report.studies.filter((s) => s.patient === i).flatMap((s) => s.series.flatMap((x) => x.files));
      return files.length > 0 && files.every((f) => other.has(f));
    });
    assert.ok(index >= 0, `a person holds the files of ${[...other]}`);
    const id = report.patients[index].id;
    const card = page.locator(`[data-testid=person][data-person="${id}"]`);
    const stepsShown = () => page.locator('[data-testid=next-steps] li[data-step]').evaluateAll((els) => els.map((el) => el.getAttribute('data-step')));

    const after = await pressAndWait(page, card.locator('[data-testid=not-me]'));
    assert.ok(after.declarations.identity.excluded.length === 1, 'the choice is in declarations.identity');
    const codesAfter = (await findingsShown(page)).map((f) => f.code);
    assert.ok(
      !codesAfter.includes('multiple-patients') && !codesAfter.includes('identity-check'),
      `no identity finding once the other person is excluded (${codesAfter})`,
    );
    assert.deepEqual(await stepsShown(), after.readiness.next_steps.map((s) => s.id), 'the next steps shown are the report\'s');
    assert.ok(!(await stepsShown()).includes('remove-other-patient-files'), 'no "take them out" step');
    assert.deepEqual(
      await checklistShown(page),
      Object.fromEntries(after.readiness.items.map((i) => [i.id, i.status])),
      'the checklist shown is the report\'s',
    );
    assert.ok(await page.locator(`[data-testid=person][data-person="${id}"][data-excluded]`).count(), 'the card says excluded');

    // The file table: the other person's files unticked, with the reason.
    for (const path of other) {
      const row = page.locator(`[data-testid=files] tr[data-path="${path}"]`);
      assert.equal(await row.locator('[data-testid=include]').isChecked(), false, `${path} unticked`);
      assert.equal(await row.locator('[data-testid=other-person]').count(), 1, `${path} says why`);
    }
    assert.ok(
      (await page.locator('[data-testid=bundle-other-people]').innerText()).includes(String(other.size)),
      `the bundle says ${other.size} files of another person are left out`,
    );
    // The bundle's manifest: the other person's files left out with the reason (report-schema.md).
    const manifest = await streamedManifest(page);
    for (const path of other) {
      const r = manifest.inputs.find((/** @type {any} */ i) => i.path === path);
      assert.ok(r, `${path} in the manifest`);
      assert.equal(r.outcome, 'left-out', `${path} left out`);
      assert.match(r.reason, /another person's, the patient says/, `${path}: the reason`);
    }
    for (const path of c.groups[0]) {
      const r = manifest.inputs.find((/** @type {any} */ i) => i.path === path);
      assert.equal(r?.outcome, 'copied', `${path} (the patient's) copied`);
    }

    // Undo: the finding and the files are back.
    const undone = await pressAndWait(page, page.locator(`[data-testid=person][data-person="${id}"] [data-testid=undo-not-me]`));
    assert.deepEqual(undone.declarations.identity.excluded, [], 'undo forgets the choice');
    assert.equal((await findingsShown(page)).filter((f) => f.code === flagged[0].code).length, 1, 'the finding is back');
    assert.equal(await page.locator('[data-testid=bundle-other-people]').isVisible(), false, 'no one left out of the bundle');
    for (const path of other) {
      assert.equal(await page.locator(`[data-testid=files] tr[data-path="${path}"] [data-testid=include]`).isChecked(), true, `${path} ticked again`);
    }

    // "These are all me": one person, on the patient's word; undo makes two again.
    const merged = await pressAndWait(page, page.locator('[data-testid=all-me]'));
    assert.equal(merged.patients.length, 1, 'one person once the patient says they are all them');
    assert.ok(!merged.findings.some((f) => f.code === 'multiple-patients'), 'no multiple-patients then');
    const unmerged = await pressAndWait(page, page.locator('[data-testid=undo-all-me]'));
    assert.equal(unmerged.patients.length, 2, 'undo: two people again');
    assert.equal((await cardsShown(page)).length, 2, 'two cards again');
  },
  { timeout: 120_000 },
);

/**
 * The thumbnails shown (`<img>`s of a test id): each one's size as decoded and how much its
 * pixels vary (a real picture, not a blank), drawn on a canvas in the page.
 */
async function thumbsShown(page, testid) {
  return page.locator(`[data-testid=${testid}]`).evaluateAll((els) =>
    els.map((el) => {
      const img = /** @type {HTMLImageElement} */ (el.tagName === 'IMG' ? el : el.querySelector('img'));
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let min = 255;
      let max = 0;
      for (let i = 0; i < data.length; i += 4) {
        min = Math.min(min, data[i]);
        max = Math.max(max, data[i]);
      }
      return {
        series: el.getAttribute('data-series'),
        path: img.getAttribute('data-path'),
        width: img.naturalWidth,
        height: img.naturalHeight,
        range: max - min,
        label: el.getAttribute('aria-label'),
      };
    }),
  );
}

scenario(
  'thumbnails: the CD\'s series shown, a quick look steps through one, the report HTML embeds them',
  async ({ page }) => {
    // What labels.json says the CD holds: its series and their images (not the page's report).
    const labels = JSON.parse(await readFile(join(CORPUS, 'labels.json'), 'utf8')).filter(
      (l) => l.path.startsWith('case-cd-ct/') && l.series_instance_uid,
    );
    /** @type {Map<string, number>} */
    const sizes = new Map();
    for (const l of labels) sizes.set(l.series_instance_uid, (sizes.get(l.series_instance_uid) ?? 0) + 1);
    assert.ok(sizes.size >= 2, 'the CD has several series');

    await pickFolder(page, join(CORPUS, 'case-cd-ct'));
    await page.waitForFunction(
      (n) => {
        const el = document.querySelector('record-precheck')?.shadowRoot?.querySelector('[data-testid=thumbs]');
        return el && el.getAttribute('data-pending') === '0' && Number(el.getAttribute('data-made')) >= n;
      },
      sizes.size,
      { timeout: 60_000 },
    );
    const thumbs = await thumbsShown(page, 'series-thumb');
    assert.deepEqual(thumbs.map((t) => t.series).sort(), [...sizes.keys()].sort(), 'one thumbnail per series of the CD, in the study list');
    for (const t of thumbs) {
      assert.ok(t.width > 0 && t.height > 0 && Math.max(t.width, t.height) <= 256, `a thumbnail of at most 256 px: ${JSON.stringify(t)}`);
      assert.ok(t.range > 20, `the thumbnail shows a picture, not a blank: ${JSON.stringify(t)}`);
      assert.match(t.label ?? '', /^Quick look: /, 'the thumbnail is a button that says what it opens');
    }
    const fileThumbs = await thumbsShown(page, 'file-thumb');
    assert.deepEqual(fileThumbs.map((t) => t.path).sort(), thumbs.map((t) => t.path).sort(), 'the file table shows the same files as thumbnails');

    // The quick look of the longest series: keys, buttons and the slider step through it.
    const longest = [...sizes].sort((a, b) => b[1] - a[1])[0];
    const button = page.locator(`[data-testid=series-thumb][data-series="${longest[0]}"]`);
    await button.click();
    const dialog = page.locator('[data-testid=quick-look]');
    // (Its code is imported on the first click: ui/quick-look.js loads on demand.)
    await dialog.waitFor({ state: 'visible', timeout: 10_000 }).catch(() => {});
    assert.ok(await dialog.isVisible(), 'the quick look opened');
    const shownAt = async (index) => {
      await page.waitForFunction(
        (i) => document.querySelector('record-precheck')?.shadowRoot?.querySelector('[data-testid=quick-look]')?.getAttribute('data-shown') === String(i),
        index,
        { timeout: 20_000 },
      );
      return {
        position: await page.locator('[data-testid=quick-look-position]').innerText(),
        slider: await page.locator('[data-testid=quick-look-slider]').inputValue(),
        src: await page.locator('[data-testid=quick-look-image]').getAttribute('src'),
        focused: await page.evaluate(() => document.querySelector('record-precheck')?.shadowRoot?.activeElement?.getAttribute('data-testid')),
      };
    };
    const total = longest[1];
    const middle = Math.floor(total / 2);
    const first = await shownAt(middle);
    assert.equal(first.position, `Image ${middle + 1} of ${total}`, 'it opens at the thumbnail\'s image, the middle one');
    assert.equal(first.focused, 'quick-look-slider', 'the focus is on the slider');
    await page.keyboard.press('ArrowRight');
    const next = await shownAt(middle + 1);
    assert.equal(next.position, `Image ${middle + 2} of ${total}`, '→ steps forward');
    assert.equal(next.slider, String(middle + 1), 'the slider follows');
    assert.notEqual(next.src, first.src, 'another image');
    await page.keyboard.press('Home');
    assert.equal((await shownAt(0)).position, `Image 1 of ${total}`, 'Home: the first image');
    await page.locator('[data-testid=quick-look-next]').click();
    assert.equal((await shownAt(1)).position, `Image 2 of ${total}`, 'the next button');
    await page.locator('[data-testid=quick-look-slider]').fill(String(total - 1));
    assert.equal((await shownAt(total - 1)).position, `Image ${total} of ${total}`, 'the slider');
    assert.ok(await page.locator('[data-testid=quick-look-next]').isDisabled(), 'no next image after the last');
    // In Chinese, its words too.
    await page.locator('[data-testid=lang]').selectOption('zh');
    assert.match(await page.locator('[data-testid=quick-look-position]').innerText(), CJK, 'the position in Chinese');
    assert.match((await page.locator('[data-testid=quick-look-slider]').getAttribute('aria-valuetext')) ?? '', CJK, 'the slider\'s value in Chinese');
    await page.keyboard.press('Escape');
    assert.ok(await dialog.isHidden(), 'Escape closes it');
    // The dialog's `close` event, which gives the focus back, is a task queued after it closes.
    const focused = () => document.querySelector('record-precheck')?.shadowRoot?.activeElement?.getAttribute('data-testid');
    await page
      .waitForFunction(() => document.querySelector('record-precheck')?.shadowRoot?.activeElement?.getAttribute('data-testid') === 'series-thumb', null, { timeout: 5000 })
      .catch(() => {}); // the assertion below says what was focused instead
    assert.equal(
      await page.evaluate(focused),
      'series-thumb',
      'the focus is back on the thumbnail',
    );
    assert.match((await page.locator('[data-testid=series-thumb]').first().getAttribute('aria-label')) ?? '', CJK, 'the thumbnail\'s label in Chinese');
    await page.locator('[data-testid=lang]').selectOption('en');

    // The saved report: the same thumbnails as embedded PNGs, and still no script or URL.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=save-html]').click()]);
    const html = await readFile(/** @type {string} */ (await download.path()), 'utf8');
    const images = [...html.matchAll(/<img class="thumb" src="data:image\/png;base64,([A-Za-z0-9+/=]+)" alt="[^"]*">/g)];
    assert.equal(images.length, sizes.size, 'one embedded thumbnail per series in the report');
    assert.equal((html.match(/<img/g) ?? []).length, images.length, 'no other image');
    for (const [, b64] of images) assert.equal(Buffer.from(b64, 'base64').subarray(1, 4).toString(), 'PNG', 'a PNG');
    assert.doesNotMatch(html, /<script|<link|\shref=|\ssrc="(?!data:image\/png;base64,)/i, 'no script, no URL');
    // The printable view shows them (the page's CSP allows data: images).
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.locator('[data-testid=printable]').click()]);
    await popup.waitForFunction((n) => document.querySelectorAll('img.thumb').length === n && [...document.querySelectorAll('img')].every((i) => i.complete && i.naturalWidth > 0), sizes.size, { timeout: 20_000 });
    await popup.close();

    // Start over forgets them.
    await page.locator('[data-testid=start-over]').click();
    assert.equal(await page.locator('[data-testid=series-thumb]').count(), 0, 'no thumbnail after "Start over"');
  },
  { timeout: 120_000 },
);

test('privacy: nothing requested after load but the document module, nothing stored', async (t) => {
  assert.deepEqual(prerequisites, [], `cannot run: ${prerequisites.join('; ')}`);
  // Scenarios whose page did not load failed on their own; the others are checked here.
  assert.ok(privacy.length > 0, 'no scenario loaded the page');
  const problems = [];
  let restarts = 0;
  for (const s of privacy) {
    if (s.settled.log === 0) problems.push(`${s.name}: the server log had no line after the page load (is --log working?)`);
    // A worker started again from the Blob URL made at load reads the page's memory: allowed.
    const fromMemory = s.requests.filter((r) => r.method === 'GET' && r.type === 'script' && s.blobs.has(r.url));
    restarts += fromMemory.length;
    const requests = s.requests.filter((r) => !fromMemory.includes(r));
    if (requests.length)
      problems.push(`${s.name}: ${requests.length} request(s) after load: ${requests.map((r) => `${r.method} ${r.url} [${r.type}]`).join(', ')}`);
    if (s.log.length) problems.push(`${s.name}: server log after load: ${s.log.join(' | ')}`);
    const st = s.storage;
    if (st.error) problems.push(`${s.name}: could not read storage: ${st.error}`);
    else {
      for (const k of ['localStorage', 'sessionStorage', 'indexedDB', 'caches', 'cookies', 'opfs'])
        if (st[k].length) problems.push(`${s.name}: ${k} not empty: ${JSON.stringify(st[k])}`);
      if (st.documentCookie) problems.push(`${s.name}: document.cookie = ${JSON.stringify(st.documentCookie)}`);
      if (st.serviceWorkers) problems.push(`${s.name}: ${st.serviceWorkers} service worker(s)`);
    }
  }
  t.diagnostic(`checked ${privacy.length} scenarios: ${privacy.map((s) => s.name.split(':')[0]).join('; ')}`);
  t.diagnostic(`workers started again from their Blob URL after load: ${restarts}`);
  assert.ok(
    privacy.some((s) => s.name.startsWith('cancel')),
    'the cancel scenario ran (it starts workers again after load)',
  );
  if (problems.length) assert.fail(`privacy problems:\n  ${problems.join('\n  ')}`);
});

test('no script error in any scenario', () => {
  const errors = privacy.flatMap((s) => s.errors.map((e) => `${s.name}: ${e}`));
  if (errors.length) assert.fail(`errors in the page or its workers:\n  ${errors.join('\n  ')}`);
});
