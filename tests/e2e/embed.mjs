// End-to-end tests of embedding, kiosk mode and `record-precheck serve`, in headless Debian
// Chromium (Playwright):
//
//   node --test --test-reporter=tap tests/e2e/embed.mjs
//
// Needs what run.mjs needs (`cargo xtask build`, which writes dist/ and dist/pkg/precache.js;
// /usr/bin/chromium; the corpus; `npm ci` here) and, for the last test, the binary with the app
// inside (RECORD_PRECHECK_KIOSK, else `cargo xtask build-kiosk`'s target/kiosk/release/record-precheck).
//
// - The example host page (www/embed/) embeds the element with two lines, receives
//   `precheck-report`, and its hostile CSS does not reach inside the element; the theme's custom
//   property and ::part() do; a failed save is a `precheck-error` (code only: the host is not
//   trusted). The harness opens the element's shadow root there (see the test).
// - A host page stays blind until the patient consents: a collector script installed before the
//   element (every event in the capture phase, the console, `element.report`, `shadowRoot`,
//   every property, the page's HTML) finds none of the names, IDs and birth dates that the
//   corpus labels give for the files picked, until the patient ticks "share the full report";
//   "Start over" withdraws it. A trusted first-party host (`share-report="full"`) gets the full
//   report and an open shadow root.
// - A host profile set as the element's `profile` attribute judges the report, which names it;
//   the checklist marks the items it does not require and shows its extra items, which the
//   patient ticks (`declarations.extra_items`); the steps for required items come first.
// - Kiosk mode: the page is loaded once with `?mode=kiosk` (its service worker precaches the
//   app), then the server is stopped and the context taken offline; the reloaded page scans and
//   saves the bundle (no save dialog: a download, and the page says it is in this computer's
//   download folder, by name, and stays there unless the patient takes it); "Finish" leaves
//   nothing of the patient's in CacheStorage, IndexedDB, localStorage, sessionStorage or the
//   origin private file system, starts new workers, and its summary names the downloaded file
//   as not erased and says the storage it checked is empty; the idle timer clears the screen
//   too.
// - `record-precheck serve` serves the embedded app with the same headers as `cargo xtask serve`,
//   and a scan works against it.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import {
  CORPUS,
  REPORT_MODULE,
  PIXEL_MODULE,
  QUICK_LOOK,
  OCR_MODULE,
  OCR_OFFER,
  ROOT,
  afterSettle,
  checkPrerequisites,
  lastReport,
  launchBrowser,
  openApp,
  pickFolder,
  reportCount,
  sleep,
  startServer,
  waitReport,
} from './lib.mjs';

// The binary with the app inside: RECORD_PRECHECK_KIOSK (`cargo xtask test` passes its debug build
// with `embed-app`), else what `cargo xtask build-kiosk` makes.
const KIOSK_BIN = process.env.RECORD_PRECHECK_KIOSK ?? join(ROOT, 'target/kiosk/release/record-precheck');

/**
 * `GET target` sent as written over a socket (fetch and URL would resolve `..` and `%2e%2e`
 * before sending): the status and the body of the answer.
 * @param {string} url the server's
 * @param {string} target
 * @returns {Promise<{ status: number, body: string }>}
 */
function rawGet(url, target) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`GET ${target} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n\r\n`);
    });
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (d) => (answer += d));
    socket.on('error', reject);
    socket.on('end', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(answer)?.[1]);
      resolve({ status, body: answer.slice(answer.indexOf('\r\n\r\n') + 4) });
    });
  });
}

/**
 * Requests that climb out of the served folder, written raw, as `..` and as `%2e%2e`: the
 * repository's Cargo.toml (not a served kind of file either), then www/app.js (a served kind:
 * only the path check stops it; `cargo xtask serve` serves dist/, whose parent holds www/).
 */
const CLIMBING = ['/../Cargo.toml', '/%2e%2e/Cargo.toml', '/../www/app.js', '/%2e%2e/www/app.js', '/pkg/%2E%2E/%2e%2e/www/app.js'];
const CD = join(CORPUS, 'case-cd-ct');
const RECORDS = join(CORPUS, '../corpus-records');
/** Files of people with names in three scripts, IDs and birth dates (labels.json of each corpus). */
const NAMED_FILES = [
  { corpus: RECORDS, path: 'case-en-records/Consult note.pdf' },
  { corpus: RECORDS, path: 'case-breast-documents/病历记录.txt' },
  { corpus: RECORDS, path: 'case-breast-documents/Doc1.pdf' },
  { corpus: RECORDS, path: 'case-russian/vypiska.pdf' },
  { corpus: CORPUS, path: 'case-chinese-charset/CT_utf8' },
];

/**
 * What a host page must not learn of NAMED_FILES before the patient consents, from the
 * labels (not from the code): names (whole, without separators, and their parts of two Han
 * characters or four letters and more), patient IDs, birth dates as `YYYY-MM-DD` and
 * `YYYYMMDD`.
 */
async function secretsOf(files) {
  /** @type {Set<string>} */
  const out = new Set();
  const name = (/** @type {string} */ n) => {
    out.add(n);
    out.add(n.replace(/[\^=, ]/g, ''));
    for (const part of n.split(/[\^=, ]/)) {
      const han = [...part].filter((c) => /\p{Script=Han}/u.test(c)).length;
      if (han >= 2 || (han === 0 && [...part].length >= 4)) out.add(part);
    }
  };
  for (const { corpus, path } of files) {
    const labels = JSON.parse(await readFile(join(corpus, 'labels.json'), 'utf8'));
    const label = labels.find((/** @type {any} */ l) => l.path === path);
    assert.ok(label, `${path} is labelled`);
    const patient = label.document?.patient;
    if (label.patient_name_unicode) name(label.patient_name_unicode);
    if (label.patient_id) out.add(label.patient_id);
    if (patient?.name) name(patient.name);
    if (patient?.id) out.add(patient.id);
    if (patient?.birth_date) {
      out.add(patient.birth_date);
      out.add(patient.birth_date.replaceAll('-', ''));
    }
  }
  out.delete('');
  return [...out];
}

/** @type {import('playwright-core').Browser | undefined} */
let browser;
let tmp = '';
const prerequisites = checkPrerequisites();
if (!existsSync(join(ROOT, 'dist/pkg/precache.js'))) prerequisites.push('dist/pkg/precache.js is missing: run `cargo xtask build`');

before(async () => {
  if (prerequisites.length) return;
  browser = await launchBrowser();
  tmp = await mkdtemp(join(tmpdir(), 'rp-e2e-embed-'));
});

after(async () => {
  await browser?.close().catch(() => {});
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** The assets the service worker precaches, from dist/pkg/precache.js. */
async function precacheList() {
  const text = await readFile(join(ROOT, 'dist/pkg/precache.js'), 'utf8');
  const m = /RECORD_PRECHECK_PRECACHE = (\{.*\});/s.exec(text);
  assert.ok(m, 'dist/pkg/precache.js has the list');
  return /** @type {{ version: string, assets: string[] }} */ (JSON.parse(m[1]));
}

/** Everything the origin keeps, read in the page: caches (names and URLs), IndexedDB, Web Storage, OPFS. */
async function originStorage(page) {
  return page.evaluate(async () => {
    /** @type {Record<string, string[]>} */
    const caches_ = {};
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      caches_[name] = (await cache.keys()).map((r) => r.url).sort();
    }
    const dbs = indexedDB.databases ? await indexedDB.databases() : [];
    const opfs = [];
    const root = await navigator.storage.getDirectory();
    // @ts-ignore: async iteration of a directory handle
    for await (const [name] of root.entries()) opfs.push(name);
    return {
      caches: caches_,
      indexedDB: dbs.map((d) => d.name),
      localStorage: Object.keys(localStorage),
      sessionStorage: Object.keys(sessionStorage),
      opfs,
      cookie: document.cookie,
    };
  });
}

test('embedding: the example host page gets precheck-report; its CSS stays outside; theme and parts apply', { timeout: 120_000 }, async () => {
  assert.deepEqual(prerequisites, [], `cannot run: ${prerequisites.join('; ')}`);
  const server = await startServer();
  const app = await openApp(browser, server, {
    path: 'embed/index.html',
    initScript: {
      fn: () => {
        // This test is of the element's functions on a host page, where its shadow root is
        // closed (the host must not read the patient's data in it): the harness opens it, so
        // that the locators reach inside as the patient's hands would. The blindness itself is
        // tested without this, in "a host page stays blind" below.
        const attach = Element.prototype.attachShadow;
        Element.prototype.attachShadow = function (init) {
          return attach.call(this, this.localName === 'record-precheck' ? { ...init, mode: 'open' } : init);
        };
        /** @type {any} */
        const w = window;
        w.__rpEvents = [];
        for (const type of ['precheck-report', 'precheck-reset', 'precheck-error', 'precheck-bundle-ready'])
          document.addEventListener(type, (e) => w.__rpEvents.push({ type, detail: /** @type {CustomEvent} */ (e).detail }));
        // A save dialog whose file cannot be written (a full drive): the save must fail.
        w.showSaveFilePicker = async () => ({
          createWritable: async () => ({
            write: async () => {
              throw new Error('the drive is full');
            },
            close: async () => {},
            abort: async () => {},
          }),
        });
      },
      arg: undefined,
    },
  }).catch(async (e) => {
    await server.stop();
    throw e;
  });
  const { page } = app;
  try {
    // The two lines: the element's script from the app's folder, the element with lang="zh".
    const html = await readFile(join(ROOT, 'www/embed/index.html'), 'utf8');
    assert.match(html, /<script type="module" src="\.\.\/record-precheck\.js"><\/script>\s*<record-precheck lang="zh"><\/record-precheck>/);
    assert.match(await page.locator('[data-testid=drop-zone]').innerText(), /[\u4e00-\u9fff]/, 'lang="zh": Chinese');

    const { report, elementReportMatches } = await pickFolder(page, CD);
    assert.equal(report.schema_version, 2);
    assert.equal(report.redacted, true, 'the host page gets the redacted report');
    assert.equal(report.files.length, 11, 'the hospital CD: 11 files');
    assert.ok(elementReportMatches, 'element.report is the event detail');
    await page.locator('#event-log li[data-type=precheck-report]').first().waitFor({ timeout: 10_000 });

    // The host's CSS is live on the host page…
    const host = await page.evaluate(() => ({
      hostButton: getComputedStyle(/** @type {Element} */ (document.querySelector('.host-header button'))).display,
      hostParagraph: getComputedStyle(/** @type {Element} */ (document.querySelector('main > p'))).borderTopStyle,
    }));
    assert.equal(host.hostParagraph, 'dotted', "the host's hostile rule applies to its own paragraphs");
    // …and does not reach inside the element: `button { display: none }`, `label { display: none }`,
    // `p { border: dotted }`, `* { box-sizing: content-box }`.
    const inside = await page.evaluate(() => {
      const root = /** @type {ShadowRoot} */ (document.querySelector('record-precheck')?.shadowRoot);
      const cs = (/** @type {string} */ sel) => getComputedStyle(/** @type {Element} */ (root.querySelector(sel)));
      return {
        startOver: cs('[data-testid=start-over]').display,
        printable: cs('[data-testid=printable]').display,
        label: cs('.pickers label.button').display,
        lede: cs('p.lede').borderTopStyle,
        boxSizing: cs('[data-testid=drop-zone]').boxSizing,
        dropBorder: cs('[data-testid=drop-zone]').borderTopColor,
        buttonBackground: cs('[data-testid=printable]').backgroundColor,
      };
    });
    assert.notEqual(inside.startOver, 'none', 'a host `button { display: none }` does not hide the element’s buttons');
    assert.notEqual(inside.printable, 'none');
    assert.notEqual(inside.label, 'none', 'nor `label { display: none }` its labels');
    assert.equal(inside.lede, 'none', 'nor `p { border }` its paragraphs');
    assert.equal(inside.boxSizing, 'border-box', 'nor `* { box-sizing }` its layout');
    // The theme: `--accent` set on the element, and `::part(drop-zone)`.
    assert.equal(inside.buttonBackground, 'rgb(11, 110, 79)', 'the host’s --accent colours the primary buttons');
    assert.equal(inside.dropBorder, 'rgb(11, 110, 79)', '::part(drop-zone) applies');

    // A failed save is a precheck-error.
    await page.locator('[data-testid=save-bundle]').click();
    await page.waitForFunction(() => /** @type {any} */ (window).__rpEvents.some((/** @type {any} */ e) => e.type === 'precheck-error'), undefined, { timeout: 60_000 });
    // reset(): the host's way to start over.
    await page.evaluate(() => /** @type {any} */ (document.querySelector('record-precheck')).reset());
    const events = await page.evaluate(() => /** @type {any} */ (window).__rpEvents);
    const error = events.find((/** @type {any} */ e) => e.type === 'precheck-error');
    assert.equal(error.detail.code, 'bundle-failed');
    // A message may quote a file's name: a host page not trusted gets the code only.
    assert.equal(error.detail.message, '');
    assert.equal(events.filter((/** @type {any} */ e) => e.type === 'precheck-error').length, 1, 'one error, one event');
    assert.equal(events.at(-1).type, 'precheck-reset', 'reset() fires precheck-reset');
    assert.equal(await page.evaluate(() => /** @type {any} */ (document.querySelector('record-precheck')).report), null);
    const logged = await page.locator('#event-log li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-type')));
    assert.deepEqual([...new Set(logged)].sort(), ['precheck-error', 'precheck-report', 'precheck-reset']);

    assert.deepEqual(afterSettle(app, server).log, [], 'the server saw no request after the host page settled');
    assert.deepEqual(app.errors, [], 'no script error');
  } finally {
    await app.context.close();
    await server.stop();
  }
});

test('a host page stays blind until the patient consents: its scripts find no name, ID or birth date', { timeout: 180_000 }, async () => {
  assert.deepEqual(prerequisites, [], `cannot run: ${prerequisites.join('; ')}`);
  const secrets = await secretsOf(NAMED_FILES);
  assert.ok(secrets.includes('李秀英') && secrets.includes('BJ20240117') && secrets.includes('1962-03-14'), 'the labels give names, IDs, birth dates');
  // The harness keeps the element's closed shadow root under a name only this test knows, to
  // act as the patient's hands (pick files, tick a box); the host's collector below never
  // looks there. The root stays closed: `element.shadowRoot` is what a host script gets.
  const hands = `__patient_${randomUUID().replaceAll('-', '')}`;
  const server = await startServer();
  const app = await openApp(browser, server, {
    path: 'embed/index.html',
    initScript: {
      fn: (/** @type {string} */ hands) => {
        const attach = Element.prototype.attachShadow;
        Element.prototype.attachShadow = function (init) {
          const root = attach.call(this, init);
          if (this.localName === 'record-precheck') Object.defineProperty(window, hands, { value: root, enumerable: false });
          return root;
        };
        // The host's collector, as an analytics, session-replay or error-reporting script would
        // be: installed before the element, it records every event on window and document (in
        // the capture phase: before the element could stop one), everything the console is
        // told, and every 50 ms the element's report, shadow root and properties, the page's
        // HTML and title.
        /** @type {string[]} */
        const seen = [];
        /** @type {any} */ (window).__collected = seen;
        const text = (/** @type {unknown} */ v) => {
          try {
            return typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
          } catch {
            return String(v);
          }
        };
        const types = new Set(['precheck-report', 'precheck-reset', 'precheck-error', 'precheck-bundle-ready', 'precheck-sent', 'message']);
        for (const key in window) if (key.startsWith('on')) types.add(key.slice(2));
        for (const target of [window, document]) {
          for (const type of types) {
            target.addEventListener(
              type,
              (e) => {
                const ev = /** @type {any} */ (e);
                const t = ev.target instanceof Element ? ev.target.outerHTML : '';
                seen.push(`${type} ${text(ev.detail)} ${text(ev.data)} ${ev.key ?? ''} ${t}`);
              },
              true,
            );
          }
        }
        for (const level of /** @type {const} */ (['log', 'info', 'warn', 'error', 'debug'])) {
          const original = console[level];
          console[level] = (...args) => {
            seen.push(`console.${level} ${args.map(text).join(' ')}`);
            original.apply(console, args);
          };
        }
        setInterval(() => {
          const el = /** @type {any} */ (document.querySelector('record-precheck'));
          seen.push(document.documentElement.outerHTML, document.title);
          if (!el) return;
          seen.push(text(el.report), el.shadowRoot?.innerHTML ?? '');
          for (const key of [...Object.getOwnPropertyNames(el), ...Object.getOwnPropertySymbols(el)]) seen.push(text(el[key]));
          for (const key in el) {
            const v = el[key];
            if (typeof v === 'string' || (typeof v === 'object' && v !== null && !(v instanceof Node) && v !== window)) seen.push(`${key} ${text(v)}`);
          }
        }, 50);
      },
      arg: hands,
    },
  }).catch(async (e) => {
    await server.stop();
    throw e;
  });
  const { page } = app;
  /** The secrets found in what the host's collector has, with where. */
  const leaks = () =>
    page.evaluate((secrets) => {
      const seen = /** @type {string[]} */ (/** @type {any} */ (window).__collected);
      const found = [];
      for (const s of secrets) {
        const hit = seen.find((x) => x.toLowerCase().includes(s.toLowerCase()));
        if (hit) found.push(`${s} in: ${hit.slice(Math.max(0, hit.toLowerCase().indexOf(s.toLowerCase()) - 80), hit.toLowerCase().indexOf(s.toLowerCase()) + 80)}`);
      }
      return found;
    }, secrets);
  try {
    // The host gives a destination, so there is a send step (where the patient may consent).
    await page.evaluate((url) => document.querySelector('record-precheck')?.setAttribute('destination', url), `${server.url}files/`);
    const n = await page.evaluate(() => /** @type {any} */ (window).__rp.reports.length);
    const picker = await page.evaluateHandle((h) => /** @type {any} */ (window)[h].querySelector('[data-testid=pick-files]'), hands);
    await /** @type {import('playwright-core').ElementHandle<HTMLInputElement>} */ (picker.asElement()).setInputFiles(NAMED_FILES.map((f) => join(f.corpus, f.path)));
    await waitReport(page, n, 120_000);
    await sleep(300); // a few more rounds of the collector

    const before = await page.evaluate(() => {
      const el = /** @type {any} */ (document.querySelector('record-precheck'));
      return { shadowRoot: el.shadowRoot, report: el.report };
    });
    assert.equal(before.shadowRoot, null, 'the shadow root is closed on a host page');
    assert.equal(before.report.redacted, true);
    assert.equal(before.report.files.length, NAMED_FILES.length, 'the host still learns how many files, of which kinds');
    assert.ok(before.report.readiness.items.length === 10 && before.report.readiness.level, 'and the checklist');
    assert.deepEqual(await leaks(), [], 'before consent the host page finds none of the names, IDs or birth dates');

    // The patient ticks "share the full report with this site": the host gets the full report.
    const m = await page.evaluate(() => /** @type {any} */ (window).__rp.reports.length);
    await page.evaluate((h) => /** @type {any} */ (window)[h].querySelector('[data-testid=share-report]').click(), hands);
    await waitReport(page, m, 10_000);
    const after = await page.evaluate(() => JSON.stringify(/** @type {any} */ (document.querySelector('record-precheck')).report));
    assert.ok(!JSON.parse(after).redacted, 'the full report');
    for (const s of ['李秀英', 'LI, Xiuying', '7730215', 'Z23061187', '1962-03-14', 'BJ20240117', 'Орлова Наталья Игоревна'])
      assert.ok(secrets.includes(s) && after.includes(s), `after consent, element.report has ${s}`);
    assert.ok((await leaks()).length > 0, 'and the collector sees it');

    // A report built while the patient shares it (here for another reviewer's language) comes
    // without its redacted twin; unticking the box gets the host the redacted report again.
    const reportsNow = () => page.evaluate(() => /** @type {any} */ (window).__rp.reports.length);
    const r = await reportsNow();
    await page.evaluate(() => document.querySelector('record-precheck')?.setAttribute('reviewer-lang', 'zh'));
    await waitReport(page, r, 10_000);
    const u = await reportsNow();
    await page.evaluate((h) => /** @type {any} */ (window)[h].querySelector('[data-testid=share-report]').click(), hands);
    await waitReport(page, u, 10_000);
    const unticked = await page.evaluate(() => JSON.stringify(/** @type {any} */ (document.querySelector('record-precheck')).report));
    const lastEvent = await page.evaluate(() => /** @type {any} */ (window).__rp.reports.at(-1)?.redacted);
    assert.equal(JSON.parse(unticked).redacted, true, 'unticked: element.report is the redacted report again');
    assert.equal(lastEvent, true, "and so is the event's");
    for (const s of ['李秀英', 'LI, Xiuying', '7730215', 'Z23061187', '1962-03-14', 'BJ20240117', 'Орлова Наталья Игоревна'])
      assert.ok(!unticked.includes(s), `unticked, element.report does not have ${s}`);
    // Ticked again, for "Start over" to untick it.
    await page.evaluate((h) => /** @type {any} */ (window)[h].querySelector('[data-testid=share-report]').click(), hands);

    // "Start over" withdraws the consent: the box is unticked, the next report redacted again.
    await page.evaluate((h) => /** @type {any} */ (window)[h].querySelector('[data-testid=start-over]').click(), hands);
    assert.equal(await page.evaluate((h) => /** @type {any} */ (window)[h].querySelector('[data-testid=share-report]').checked, hands), false);
    const k = await page.evaluate(() => /** @type {any} */ (window).__rp.reports.length);
    const again = await page.evaluateHandle((h) => /** @type {any} */ (window)[h].querySelector('[data-testid=pick-files]'), hands);
    await /** @type {import('playwright-core').ElementHandle<HTMLInputElement>} */ (again.asElement()).setInputFiles(join(CORPUS, 'case-chinese-charset/CT_utf8'));
    await waitReport(page, k, 60_000);
    const last = await page.evaluate(() => /** @type {any} */ (document.querySelector('record-precheck')).report);
    assert.equal(last.redacted, true, 'after Start over the host gets the redacted report again');
    assert.ok(!JSON.stringify(last).includes('BJ20240117'));
    assert.deepEqual(app.errors, [], 'no script error');
  } finally {
    await app.context.close();
    await server.stop();
  }
});

test('a trusted first-party host (share-report="full") gets the full report and an open shadow root', { timeout: 120_000 }, async () => {
  assert.deepEqual(prerequisites, [], `cannot run: ${prerequisites.join('; ')}`);
  const server = await startServer();
  const app = await openApp(browser, server, {
    path: 'embed/index.html',
    initScript: {
      // The attribute in the host's markup: set as the parser makes the element, before the
      // element's module runs.
      fn: () => {
        new MutationObserver((_, observer) => {
          const el = document.querySelector('record-precheck');
          if (!el) return;
          el.setAttribute('share-report', 'full');
          observer.disconnect();
        }).observe(document, { childList: true, subtree: true });
      },
      arg: undefined,
    },
  }).catch(async (e) => {
    await server.stop();
    throw e;
  });
  try {
    const labels = JSON.parse(await readFile(join(CORPUS, 'labels.json'), 'utf8'));
    const cdPatient = labels.find((/** @type {any} */ l) => l.path === 'case-cd-ct/IMAGES/SER00001/IM000001');
    const { report } = await pickFolder(app.page, CD);
    assert.equal(report.redacted, undefined, 'the full report');
    assert.ok(JSON.stringify(report).includes(cdPatient.patient_id), `with the patient ID the labels give (${cdPatient.patient_id})`);
    assert.ok(await app.page.evaluate(() => document.querySelector('record-precheck')?.shadowRoot !== null), 'an open shadow root');
    assert.equal(await app.page.locator('[data-testid=share-report]').count(), 0, 'no consent box: there is no send step without a destination');
    assert.deepEqual(app.errors, [], 'no script error');
  } finally {
    await app.context.close();
    await server.stop();
  }
});

test('a host profile (attribute profile): the report names it, the checklist shows its marks and extra items', { timeout: 150_000 }, async () => {
  assert.deepEqual(prerequisites, [], `cannot run: ${prerequisites.join('; ')}`);
  // Requires the questions and the signed consent: every other item shows, marked optional
  // (issue 19: "others become optional: they still show but do not lower the level"); the
  // extra items show the host's own texts in the page's language, the patient ticks them.
  const profile = {
    id: 'e2e-host',
    name: 'E2E host',
    required: ['questions', 'signed-consent'],
    extra_items: [
      {
        id: 'signed-consent',
        title: { en: 'Signed consent form', zh: '已签署的知情同意书' },
        description: { en: 'The consent form of E2E host, signed.', zh: '签署后的本服务知情同意书。' },
      },
      {
        id: 'gp-letter',
        title: { en: 'A letter from your GP', zh: '社区医生的信' },
        description: { en: 'If you have one.', zh: '如有。' },
      },
    ],
  };
  const server = await startServer();
  const app = await openApp(browser, server, {
    path: 'embed/index.html',
    contextOptions: { locale: 'en-GB' },
    initScript: {
      fn: (/** @type {string} */ text) => {
        new MutationObserver((_, observer) => {
          const el = document.querySelector('record-precheck');
          if (!el) return;
          el.setAttribute('profile', text);
          el.setAttribute('lang', 'en');
          // A first-party host (an open shadow root, for the harness's picker).
          el.setAttribute('share-report', 'full');
          observer.disconnect();
        }).observe(document, { childList: true, subtree: true });
      },
      arg: JSON.stringify(profile),
    },
  }).catch(async (e) => {
    await server.stop();
    throw e;
  });
  try {
    const { page } = app;
    const { report } = await pickFolder(page, CD);
    assert.deepEqual(report.profile, { id: 'e2e-host', name: 'E2E host' }, 'the report names the profile');
    for (const item of report.readiness.items) {
      assert.equal(Boolean(item.optional), item.id !== 'questions', `${item.id} optional unless required`);
    }
    // The checklist marks what the host does not require.
    const marks = await page
      .locator('[data-testid=checklist] li[data-item]')
      .evaluateAll((li) => li.map((l) => [l.getAttribute('data-item'), l.hasAttribute('data-optional'), l.querySelector('.optional-note')?.textContent ?? '']));
    assert.equal(marks.length, 10);
    for (const [id, optional, note] of marks) {
      assert.equal(optional, id !== 'questions', `${id}: data-optional`);
      assert.equal(note !== '', id !== 'questions', `${id}: the note`);
    }
    // The steps for required items first; the others after, marked.
    const steps = await page
      .locator('[data-testid=next-steps] li[data-step]')
      .evaluateAll((li) => li.map((l) => [l.getAttribute('data-step'), l.hasAttribute('data-optional'), l.textContent ?? '']));
    const firstOptional = steps.findIndex(([, optional]) => optional);
    assert.ok(firstOptional > 0, `required steps first: ${JSON.stringify(steps)}`);
    assert.ok(steps.slice(firstOptional).every(([, optional]) => optional), 'then the optional ones');
    assert.ok(steps.slice(firstOptional).every(([, , text]) => text.includes('not required by this host')), 'marked in words');
    assert.ok(steps.some(([id, optional, text]) => id === 'add-extra-item' && !optional && text.includes('Signed consent form')), 'a step for the required extra item');

    // The extra items, in English, then in Chinese: the host's own texts.
    const extra = page.locator('[data-testid=checklist] li[data-extra-item]');
    assert.equal(await extra.count(), 2);
    const consent = page.locator('[data-testid=checklist] li[data-extra-item=signed-consent]');
    assert.ok((await consent.innerText()).includes('Signed consent form'));
    assert.ok((await consent.innerText()).includes('The consent form of E2E host, signed.'));
    assert.equal(await consent.getAttribute('data-status'), 'missing');
    assert.equal(await consent.getAttribute('data-optional'), null, 'required: not marked');
    assert.equal(await page.locator('[data-testid=checklist] li[data-extra-item=gp-letter]').getAttribute('data-optional'), '', 'not required: marked');
    await page.locator('[data-testid=lang]').selectOption('zh');
    await page.waitForFunction(() => document.querySelector('record-precheck')?.getAttribute('lang') === 'zh');
    const zh = await consent.innerText();
    assert.ok(zh.includes('已签署的知情同意书') && zh.includes('签署后的本服务知情同意书。'), zh);

    // The patient ticks it: the report's declarations carry it, and the item is declared.
    const n = await reportCount(page);
    await consent.locator('input[data-testid=extra-item]').check();
    await waitReport(page, n);
    const after = (await lastReport(page)).report;
    assert.deepEqual(after.declarations.extra_items, ['signed-consent']);
    assert.equal(after.readiness.extra_items.find((/** @type {any} */ x) => x.id === 'signed-consent').status, 'declared');
    assert.ok(!after.readiness.next_steps.some((/** @type {any} */ s) => s.id === 'add-extra-item' && !s.optional), 'no step for it any more');
    assert.equal(await consent.getAttribute('data-status'), 'declared');
    assert.ok(await consent.locator('input[data-testid=extra-item]').isChecked(), 'still ticked after the report is drawn again');
    assert.deepEqual(app.errors, [], 'no script error');
  } finally {
    await app.context.close();
    await server.stop();
  }
});

test('kiosk: offline after one visit; scan, save, "Finish" leaves nothing of the patient\'s', { timeout: 240_000 }, async () => {
  assert.deepEqual(prerequisites, [], `cannot run: ${prerequisites.join('; ')}`);
  const { version, assets } = await precacheList();
  const server = await startServer();
  const context = await /** @type {import('playwright-core').Browser} */ (browser).newContext({ acceptDownloads: true });
  const errors = [];
  let serverStopped = false;
  try {
    // No save dialog on this kiosk: the bundle is downloaded (to the drive the browser saves to).
    await context.addInitScript(() => {
      // @ts-ignore
      delete window.showSaveFilePicker;
      /** @type {any} */
      const w = window;
      w.__rp = { reports: [] };
      document.addEventListener('precheck-report', (e) => w.__rp.reports.push(/** @type {CustomEvent} */ (e).detail));
      w.__rpBundles = [];
      document.addEventListener('precheck-bundle-ready', (e) => w.__rpBundles.push(/** @type {CustomEvent} */ (e).detail));
    });
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
    });
    /** Workers of the page, open and closed. */
    const workers = { started: 0, closed: 0 };
    page.on('worker', (w) => {
      workers.started += 1;
      w.on('close', () => (workers.closed += 1));
    });

    // The first visit: the service worker installs and precaches the app.
    await page.goto(`${server.url}?mode=kiosk`, { waitUntil: 'load' });
    await page.waitForFunction(
      async () => (await navigator.serviceWorker.ready).active?.state === 'activated',
      undefined,
      { timeout: 30_000, polling: 100 },
    );
    const expected = assets.map((a) => new URL(a, server.url).href).sort();
    const first = await originStorage(page);
    assert.deepEqual(Object.keys(first.caches), [`record-precheck-${version}`], 'one cache, named after the build');
    assert.deepEqual(first.caches[`record-precheck-${version}`], expected, 'exactly the app’s assets are precached');
    assert.ok(!assets.includes('sw.js') && assets.includes('index.html') && assets.includes('pkg/record_precheck_bg.wasm'));

    // Offline: the server is gone and the context has no network.
    await server.stop();
    serverStopped = true;
    await context.setOffline(true);
    /** @type {{ url: string, sw: boolean }[]} */
    const loads = [];
    page.on('response', (r) => loads.push({ url: r.url(), sw: r.fromServiceWorker() }));
    await page.reload({ waitUntil: 'load' });
    await page.waitForFunction(() => !!document.querySelector('record-precheck')?.shadowRoot, undefined, { timeout: 20_000 });
    // Every asset but what it loads on demand (sender.js, record-precheck.js, the report
    // module), each from the service worker. The workers' scripts come a moment after the
    // element is up: wait for them (a missing one fails with its name).
    // The pixel module (thumbnails) is precached for the kiosk, loaded after the first report.
    const pixelModule = [...PIXEL_MODULE, ...QUICK_LOOK].map((m) => m.slice(1));
    // OCR (its offer, module and models) is precached too, loaded when there is a picture of a document.
    const ocr = [...OCR_OFFER, ...OCR_MODULE].map((m) => m.slice(1));
    const onDemand = new Set(['sender.js', 'record-precheck.js', ...REPORT_MODULE.map((m) => m.slice(1)), ...pixelModule, ...ocr]);
    assert.ok(REPORT_MODULE.every((m) => assets.includes(m.slice(1))), 'the report module is precached');
    assert.ok(pixelModule.every((m) => assets.includes(m)), 'the pixel module is precached');
    assert.ok(ocr.every((m) => assets.includes(m)), 'OCR and its models are precached');
    // (index.html is the page itself: its response has the page's URL.)
    const wanted = assets.filter((a) => !onDemand.has(a) && a !== 'index.html').map((a) => new URL(a, server.url).href);
    const missing = () => wanted.filter((u) => !loads.some((l) => l.url === u));
    const until = Date.now() + 20_000;
    while (missing().length > 0 && Date.now() < until) await sleep(100);
    assert.deepEqual(missing(), [], 'the page loaded its assets');
    const http = loads.filter((l) => l.url.startsWith('http'));
    assert.deepEqual(http.filter((l) => !l.sw).map((l) => l.url), [], 'every asset came from the service worker');
    assert.equal(await page.locator('record-precheck').getAttribute('mode'), 'kiosk');
    const finish = page.locator('[data-testid=finish]');
    assert.ok(await finish.isVisible(), 'the finish button is there');
    const big = await finish.evaluate((b) => parseFloat(getComputedStyle(b).minHeight));
    assert.ok(big >= 48, `kiosk controls are large (min-height ${big}px)`);

    // Scan, then save the bundle, offline.
    const n = await page.evaluate(() => /** @type {any} */ (window).__rp.reports.length);
    await page.locator('[data-testid=pick-folder]').setInputFiles(CD);
    await page.waitForFunction((k) => /** @type {any} */ (window).__rp.reports.length > k, n, { timeout: 60_000 });
    const report = await page.evaluate(() => /** @type {any} */ (window).__rp.reports.at(-1));
    assert.equal(report.files.length, 11);
    // Before saving, the page says where a download goes; no "save as HTML" (another download).
    assert.equal(await page.locator('[data-testid=save-bundle]').innerText(), 'Download the bundle');
    assert.match(await page.locator('[data-testid=bundle-kiosk-hint]').innerText(), /saves into its download folder: after saving, copy the file to your USB drive/);
    assert.ok(await page.locator('[data-testid=save-html]').isHidden(), 'no "save as HTML" in kiosk mode');
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      page.locator('[data-testid=save-bundle]').click(),
    ]);
    const zipPath = join(tmp, 'kiosk.zip');
    await download.saveAs(zipPath);
    await page.waitForFunction(() => /** @type {any} */ (window).__rpBundles.length > 0, undefined, { timeout: 30_000 });
    const bundle = await page.evaluate(() => /** @type {any} */ (window).__rpBundles[0]);
    assert.equal(bundle.method, 'download');
    assert.equal(bundle.bytes, (await stat(zipPath)).size, 'the whole bundle was saved');
    assert.equal((await readFile(zipPath)).subarray(0, 2).toString('latin1'), 'PK');
    // After saving: where the file went, by name, and that it stays unless the patient takes it.
    assert.equal(download.suggestedFilename(), bundle.name);
    assert.equal(
      await page.locator('[data-testid=bundle-where]').innerText(),
      `${bundle.name} is in this computer's download folder. Copy it to your USB drive and take it with you: otherwise it stays on this computer, and "Finish" cannot delete it — ask the staff.`,
    );

    // Finish: everything forgotten, workers replaced, nothing stored but the app.
    const before = { ...workers };
    assert.ok(before.started > 0, 'the page had workers');
    await finish.click();
    const state = await page.evaluate(async () => {
      const el = /** @type {any} */ (document.querySelector('record-precheck'));
      const root = el.shadowRoot;
      // What the element holds, through its insides (app.js `internals`, not its contract).
      const inside = (await import('/app.js')).internals(el);
      return {
        report: el.report,
        entries: inside.entries.length,
        files: inside.files.size,
        resultsHidden: root.querySelector('[data-testid=results]').hidden,
        rows: root.querySelectorAll('[data-testid=files] tr[data-path]').length,
        status: root.querySelector('[data-testid=status]').textContent,
      };
    });
    assert.deepEqual(
      { report: state.report, entries: state.entries, files: state.files, resultsHidden: state.resultsHidden, rows: state.rows },
      { report: null, entries: 0, files: 0, resultsHidden: true, rows: 0 },
    );
    assert.match(state.status, /cleared|清除/);
    // Every worker of before was stopped (they held the File references) and new ones started.
    const expectClosed = before.started;
    for (let i = 0; i < 300 && workers.closed < expectClosed; i++) await sleep(100);
    assert.ok(workers.closed >= expectClosed, `every earlier worker was terminated (${workers.closed} of ${expectClosed})`);
    assert.ok(workers.started > before.started, 'new workers were started');
    const stored = await originStorage(page);
    assert.deepEqual(
      stored,
      { caches: { [`record-precheck-${version}`]: expected }, indexedDB: [], localStorage: [], sessionStorage: [], opfs: [], cookie: '' },
      'after Finish: only the app’s precache',
    );
    // The summary: what was erased (the storage checked by the page too), and the download it
    // could not erase, by name.
    await page.locator('[data-testid=finish-summary]').waitFor({ state: 'visible', timeout: 10_000 });
    const summary = await page.evaluate(() => {
      const root = /** @type {ShadowRoot} */ (document.querySelector('record-precheck')?.shadowRoot);
      /** @param {string} id */
      const items = (id) => Array.from(root.querySelectorAll(`[data-testid=${id}]`), (li) => ({ kind: /** @type {HTMLElement} */ (li).dataset.kind, text: li.textContent }));
      return { erased: items('finish-erased'), left: items('finish-left') };
    });
    assert.deepEqual(summary.erased.map((e) => e.kind), ['files', 'workers', 'memory', 'storage'], 'erased, and the storage checked empty');
    assert.equal(summary.erased[0].text, '11 files and your answers: forgotten by this page');
    assert.deepEqual(summary.left.map((e) => e.kind), ['download', 'own-files']);
    assert.equal(summary.left[0].text, `${bundle.name} in this computer's download folder: the page cannot delete it — ask the staff.`);

    // The idle timer: a short `idle`, a warning, then everything is cleared.
    const m = await page.evaluate(() => /** @type {any} */ (window).__rp.reports.length);
    await page.locator('[data-testid=pick-folder]').setInputFiles(CD);
    await page.waitForFunction((k) => /** @type {any} */ (window).__rp.reports.length > k, m, { timeout: 60_000 });
    await page.evaluate(() => document.querySelector('record-precheck')?.setAttribute('idle', '1'));
    await page.locator('[data-testid=idle-warning]').waitFor({ state: 'visible', timeout: 30_000 });
    await page.waitForFunction(() => /** @type {any} */ (document.querySelector('record-precheck')).report === null, undefined, {
      timeout: 30_000,
    });
    assert.ok(await page.locator('[data-testid=idle-warning]').isHidden(), 'the warning went away');
    assert.deepEqual(errors, [], 'no script error');
  } catch (e) {
    const page = context.pages()[0];
    const status = await page
      ?.evaluate(() => document.querySelector('record-precheck')?.shadowRoot?.querySelector('[data-testid=status]')?.textContent)
      .catch(() => null);
    if (e instanceof Error) e.message += `\n  status: ${status}\n  errors: ${errors.join('\n    ')}`;
    throw e;
  } finally {
    await context.close();
    if (!serverStopped) await server.stop();
  }
});

/**
 * Starts the binary's `serve --port 0`; resolves with its URL and a log of its request lines
 * (stderr), in the shape `openApp` expects of a server.
 */
async function startNative() {
  const child = spawn(KIOSK_BIN, ['serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const url = await new Promise((resolveUrl, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`record-precheck serve printed no URL\n${stderr}`));
    }, 30_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`record-precheck serve exited (${code})\n${stderr}`));
    });
  });
  child.removeAllListeners('exit');
  return {
    url,
    logLines: () => stderr.split('\n').filter((l) => l.trim() !== ''),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

test('record-precheck serve: the app from the binary, the production headers, a scan in Chromium', { timeout: 120_000 }, async () => {
  assert.deepEqual(prerequisites, [], `cannot run: ${prerequisites.join('; ')}`);
  assert.ok(existsSync(KIOSK_BIN), `no ${KIOSK_BIN}: run \`cargo xtask build-kiosk\``);
  const native = await startNative();
  /** @type {Awaited<ReturnType<typeof startServer>> | undefined} */
  let reference;
  try {
    reference = await startServer();
    assert.match(native.url, /^http:\/\/127\.0\.0\.1:\d+\/$/, 'bound to 127.0.0.1');
    const page = await fetch(native.url);
    assert.equal(page.status, 200);
    assert.equal(await page.text(), await readFile(join(ROOT, 'dist/index.html'), 'utf8'));
    const wasm = await fetch(new URL('pkg/record_precheck_bg.wasm', native.url));
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
    assert.ok(Buffer.from(await wasm.arrayBuffer()).equals(await readFile(join(ROOT, 'dist/pkg/record_precheck_bg.wasm'))), 'the wasm of dist/ (after a new `cargo xtask build`, run `cargo xtask build-kiosk`)');
    const ref = await fetch(reference.url);
    for (const h of ['content-security-policy', 'x-content-type-options', 'referrer-policy', 'cross-origin-opener-policy', 'content-type', 'cache-control'])
      assert.equal(page.headers.get(h), ref.headers.get(h), `${h} as \`cargo xtask serve\` sends it`);
    assert.match(/** @type {string} */ (page.headers.get('content-security-policy')), /script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; connect-src 'self'/);
    assert.equal((await fetch(new URL('package.json', native.url))).status, 404, 'only the app’s files');
    const appSource = await readFile(join(ROOT, 'www/app.js'), 'latin1');
    for (const server of [native, reference])
      for (const target of CLIMBING) {
        const { status, body } = await rawGet(server.url, target);
        assert.equal(status, 404, `GET ${target} from ${server === native ? 'record-precheck serve' : 'cargo xtask serve'}`);
        assert.ok(!body.includes('[package]') && !body.includes(appSource.slice(0, 200)), `GET ${target}: nothing of the file`);
      }
    assert.equal((await fetch(native.url, { method: 'POST', body: 'x' })).status, 405);

    const app = await openApp(browser, native);
    try {
      const { report } = await pickFolder(app.page, CD);
      assert.equal(report.files.length, 11, 'a scan works against the binary');
      assert.deepEqual(afterSettle(app, native).log, [], 'nothing requested after load');
      assert.deepEqual(app.errors, []);
    } finally {
      await app.context.close();
    }
  } finally {
    await native.stop();
    await reference?.stop();
  }
});
