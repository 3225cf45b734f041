// End-to-end tests of the browser app in Firefox and WebKit, and the narrow-window run
// (360 × 740) in WebKit and Chromium. Chromium's full suite is run.mjs (Playwright); this file
// runs the scenarios that WebDriver can drive in the two other engines a patient may have.
//
//   node --test --test-reporter=tap tests/e2e/cross.mjs
//
// Needs `cargo xtask build` first (dist/), the corpus at ../shared/corpus, `npm ci` in
// tests/e2e, and Debian's `firefox-esr`, `webkit2gtk-driver` (WebKitWebDriver and MiniBrowser),
// `xvfb`, `chromium`, plus `geckodriver` (`cargo install geckodriver`; on PATH, in cargo's bin
// folder or GECKODRIVER=...) — `.ci/run` installs them. Each driver is started here and driven
// through npm selenium-webdriver with `new Builder().usingServer(url)`, so nothing downloads a
// driver or a browser: Firefox ESR headless through geckodriver; WebKit through WebKitWebDriver
// and the WebKitGTK MiniBrowser (`--automation`), which has no headless mode, under an Xvfb
// started here on a free display. The app (a copy of dist/ with privacy-probe.js) is served by
// `cargo xtask serve --port 0 --no-build --log FILE --www DIR` (lib.mjs).
//
// What is checked, in each engine: files picked through the element's `pick-files` input (several
// corpus folders, a zip, Unicode file names, hostile inputs) or dropped on its drop zone (a
// DataTransfer built in the page) give the same report as the native
// CLI (`record-precheck scan --json` of the same folder: kinds, DICOM classes, findings,
// readiness level, patients), and what cases.json and run.mjs expect; a cancelled scan (one
// worker, a generated 600-file CD) adds nothing and the next scan works; the language switch; the
// bundle saved the way this engine really saves it (no `showSaveFilePicker`: a download), its zip
// checked with Python's zipfile and `record-precheck verify`, its manifest against the picked
// files; afterwards that the server log saw no request after each page had settled, that in the
// page itself (privacy-probe.js, run before the app's scripts in the copy of dist/ served here)
// every resource came from the page's origin, blob: or data: and the Content-Security-Policy
// blocked nothing, that no storage was left, and that no script error happened. Folder picking cannot be driven by WebDriver in either
// engine: run.mjs covers it in Chromium.
//
// The narrow run loads the page at 360 × 740 CSS pixels, picks a few corpus files and checks that
// nothing in the element sticks out of the viewport (unless inside a scrolling box), then takes
// a full-page screenshot into target/e2e-screenshots/narrow-{webkit,chromium}.png — or into
// docs/ (the README's pictures) with SCREENSHOTS=docs.

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

import { Builder, By } from 'selenium-webdriver';

import { generateCd } from './gen-cd.mjs';
import { CORPUS, HERE, LABEL_CATEGORIES, OCR_MODULE, ROOT, checkPrerequisites, reportModuleLogLine, dropOn, filesForDrop, launchBrowser, sleep, startServerIn, testedCli } from './lib.mjs';
import { readZip } from './zipcheck.mjs';

const run = promisify(execFile);
const CJK = /[\u3400-\u9fff]/;
const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';
const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER ?? '/usr/bin/WebKitWebDriver';
const MINIBROWSER =
  process.env.MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const NARROW = { width: 360, height: 740 };
const SHOT_DIR = process.env.SCREENSHOTS === 'docs' ? join(ROOT, 'docs') : join(ROOT, 'target/e2e-screenshots');

/** A program on PATH or in cargo's bin folder (where `cargo install` puts geckodriver). */
function which(program) {
  const cargoBin = join(process.env.CARGO_HOME ?? join(process.env.HOME ?? '/root', '.cargo'), 'bin');
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), cargoBin]) {
    if (dir && existsSync(join(dir, program))) return join(dir, program);
  }
  return null;
}
const GECKODRIVER = process.env.GECKODRIVER ?? which('geckodriver');
const XVFB = which('Xvfb');

const prerequisites = checkPrerequisites();
if (!existsSync(FIREFOX)) prerequisites.push(`no Firefox at ${FIREFOX} (Debian: apt-get install firefox-esr)`);
if (!GECKODRIVER) prerequisites.push('no geckodriver (cargo install geckodriver --locked; or set GECKODRIVER)');
if (!existsSync(WEBKIT_DRIVER)) prerequisites.push(`no ${WEBKIT_DRIVER} (Debian: apt-get install webkit2gtk-driver)`);
if (!existsSync(MINIBROWSER)) prerequisites.push(`no MiniBrowser at ${MINIBROWSER} (Debian: webkit2gtk-driver)`);
if (!XVFB) prerequisites.push('no Xvfb (Debian: apt-get install xvfb)');

// ---- processes we start ----------------------------------------------------------------------

/**
 * Spawns a program in its own process group; `stop()` ends that group (the program and what it
 * started: a driver's browser).
 */
function spawnGroup(program, args, options = {}) {
  const child = spawn(program, args, { detached: true, ...options });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  return {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      for (const signal of ['SIGTERM', 'SIGKILL']) {
        try {
          process.kill(-child.pid, signal);
        } catch {
          return; // gone
        }
        if (await Promise.race([exited.then(() => true), sleep(3000).then(() => false)])) return;
      }
    },
  };
}

/** Resolves with the first match of `re` in what `proc` prints, or rejects after `ms`. */
function waitOutput(proc, re, ms, what) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      clearInterval(poll);
      reject(new Error(`${what} printed nothing matching ${re} in ${ms} ms:\n${proc.output()}`));
    }, ms);
    const poll = setInterval(() => {
      const m = re.exec(proc.output());
      if (m) {
        clearTimeout(timer);
        clearInterval(poll);
        resolve(m);
      } else if (proc.child.exitCode !== null) {
        clearTimeout(timer);
        clearInterval(poll);
        reject(new Error(`${what} exited (${proc.child.exitCode}):\n${proc.output()}`));
      }
    }, 50);
  });
}

/** Xvfb on a display it picks itself (`-displayfd`): { display: ':N', stop }. */
async function startXvfb({ height = 1024 } = {}) {
  const proc = spawnGroup(XVFB, ['-displayfd', '3', '-screen', '0', `1280x${height}x24`, '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let fd3 = '';
  proc.child.stdio[3].on('data', (d) => (fd3 += d));
  const display = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Xvfb gave no display in 20 s:\n${proc.output()}`)), 20_000);
    const poll = setInterval(() => {
      if (fd3.includes('\n')) {
        clearTimeout(timer);
        clearInterval(poll);
        resolve(`:${fd3.trim()}`);
      } else if (proc.child.exitCode !== null) {
        clearTimeout(timer);
        clearInterval(poll);
        reject(new Error(`Xvfb exited (${proc.child.exitCode}):\n${proc.output()}`));
      }
    }, 50);
  });
  return { display, stop: () => proc.stop() };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (s.address());
      s.close(() => resolve(port));
    });
  });
}

/** Waits until a WebDriver server answers `GET /status`. */
async function waitStatus(url, proc, what) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`${what} exited (${proc.child.exitCode}):\n${proc.output()}`);
    try {
      const r = await fetch(`${url}/status`);
      if (r.ok) return;
    } catch {
      /* not listening yet */
    }
    await sleep(100);
  }
  throw new Error(`${what} did not answer ${url}/status in 20 s:\n${proc.output()}`);
}

/**
 * A driver and one browser session of an engine: { name, driver, downloads, stop }.
 * `downloads`: the folder the browser saves downloads into, without asking.
 */
async function startEngine(name, { narrow = false } = {}) {
  const stops = [];
  const stopAll = async () => {
    for (const s of stops.reverse()) await s().catch(() => {});
  };
  try {
    if (name === 'firefox') {
      const proc = spawnGroup(GECKODRIVER, ['--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
      stops.push(() => proc.stop());
      const [, port] = await waitOutput(proc, /Listening on [\d.]+:(\d+)/, 20_000, 'geckodriver');
      const downloads = await mkdtemp(join(tmpdir(), 'rp-e2e-firefox-dl-'));
      stops.push(() => rm(downloads, { recursive: true, force: true }));
      const driver = await new Builder()
        .usingServer(`http://127.0.0.1:${port}`)
        .withCapabilities({
          browserName: 'firefox',
          'moz:firefoxOptions': {
            binary: FIREFOX,
            args: ['-headless'],
            prefs: {
              'browser.download.dir': downloads,
              'browser.download.folderList': 2,
              'browser.download.useDownloadDir': true,
              'intl.accept_languages': 'en-US',
            },
          },
        })
        .build();
      stops.push(() => driver.quit());
      return { name, driver, downloads, stop: stopAll };
    }
    // WebKit: MiniBrowser needs a display. It saves downloads into the XDG download folder
    // without asking: a HOME of its own says where that is.
    // A tall screen for the narrow run, whose full-page screenshot is taken in a window as
    // tall as the page.
    const x = await startXvfb({ height: narrow ? 16000 : 1024 });
    stops.push(() => x.stop());
    const home = await mkdtemp(join(tmpdir(), 'rp-e2e-webkit-home-'));
    stops.push(() => rm(home, { recursive: true, force: true }));
    const downloads = join(home, 'downloads');
    await mkdir(join(home, '.config'), { recursive: true });
    await mkdir(downloads);
    await writeFile(join(home, '.config/user-dirs.dirs'), `XDG_DOWNLOAD_DIR="${downloads}"\n`);
    if (narrow) {
      // MiniBrowser's toolbar keeps its window at least 447 px wide; GTK's user style sheet
      // shrinks the toolbar (the browser's own widgets, not the page) so the page can get 360.
      await mkdir(join(home, '.config/gtk-3.0'));
      await writeFile(
        join(home, '.config/gtk-3.0/gtk.css'),
        '* { min-width: 0; min-height: 0; padding: 0; margin: 0; border-width: 0; font-size: 1px; }\n',
      );
    }
    const port = await freePort();
    const proc = spawnGroup(WEBKIT_DRIVER, [`--port=${port}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DISPLAY: x.display, HOME: home, XDG_CONFIG_HOME: join(home, '.config') },
    });
    stops.push(() => proc.stop());
    const url = `http://127.0.0.1:${port}`;
    await waitStatus(url, proc, 'WebKitWebDriver');
    const driver = await new Builder()
      .usingServer(url)
      .withCapabilities({
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
      })
      .build();
    stops.push(() => driver.quit());
    return { name, driver, downloads, stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

// ---- the page, through WebDriver ------------------------------------------------------------

/**
 * Loads the app in the session's window, waits for the element, its shadow root and its
 * styles, then installs listeners that collect `precheck-report` and `precheck-bundle-ready`
 * events and script errors, and waits until the server log has been quiet for `quietMs`.
 * Returns the number of log lines then (`settled`) and the lines of this load.
 */
async function openPage(engine, server, { quietMs = 1000 } = {}) {
  const { driver } = engine;
  const logBefore = server.logLines().length;
  await driver.get(server.url);
  await driver.wait(
    () =>
      driver.executeScript(() => {
        const el = document.querySelector('record-precheck');
        const root = el?.shadowRoot;
        const app = /** @type {HTMLElement | null | undefined} */ (root?.querySelector('.app'));
        return !!(customElements.get('record-precheck') && root?.querySelector('[data-testid=pick-files]') && app && !app.hidden);
      }),
    20_000,
    'the element and its styles did not appear',
  );
  await driver.executeScript(() => {
    /** @type {any} */
    const w = window;
    w.__rp = { reports: [], bundles: [], errors: [] };
    document.addEventListener('precheck-report', (e) => w.__rp.reports.push(JSON.stringify(/** @type {CustomEvent} */ (e).detail)));
    document.addEventListener('precheck-bundle-ready', (e) => w.__rp.bundles.push(JSON.stringify(/** @type {CustomEvent} */ (e).detail)));
    window.addEventListener('error', (e) => w.__rp.errors.push(`error: ${e.message} (${e.filename}:${e.lineno})`));
    window.addEventListener('unhandledrejection', (e) => w.__rp.errors.push(`unhandled rejection: ${e.reason}`));
  });
  let last = -1;
  let stableSince = Date.now();
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const l = server.logLines().length;
    if (l !== last) {
      last = l;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= quietMs) break;
    await sleep(100);
  }
  const settled = server.logLines().length;
  return { settled, loadLog: server.logLines().slice(logBefore, settled) };
}

/**
 * An element in the app's shadow root, waited for: parts of the page (the OCR offer, the quick
 * look) are imported on demand and appear a moment after the report that asks for them.
 */
async function inShadow(driver, css, timeout = 20_000) {
  const host = await driver.findElement(By.css('record-precheck'));
  const root = await host.getShadowRoot();
  return driver.wait(async () => (await root.findElements(By.css(css)))[0] ?? null, timeout, `${css} in the page`);
}

const reportCount = (driver) => driver.executeScript(() => /** @type {any} */ (window).__rp.reports.length);

/** Picks files through `pick-files` (paths joined by "\n") and returns the next report. */
async function pickFiles(driver, paths) {
  const n = await reportCount(driver);
  const input = await inShadow(driver, '[data-testid=pick-files]');
  await input.sendKeys(paths.join('\n'));
  await waitReport(driver, n);
  return lastReport(driver);
}

async function waitReport(driver, n, timeout = 60_000) {
  try {
    // The report after `n`, once the batch's documents are read too (the page reports again then).
    await driver.wait(
      async () =>
        (await reportCount(driver)) > n &&
        (await driver.executeScript(() => /** @type {any} */ (document.querySelector('record-precheck'))?.readingDocuments === 0)),
      timeout,
    );
  } catch (e) {
    const state = await driver
      .executeScript(() => {
        const root = document.querySelector('record-precheck')?.shadowRoot;
        const p = /** @type {HTMLProgressElement | null | undefined} */ (root?.querySelector('[data-testid=progress]'));
        return {
          progress: p ? `${p.value}/${p.max}` : 'no progress element',
          progressText: root?.querySelector('[data-testid=progress-text]')?.textContent ?? null,
          status: root?.querySelector('[data-testid=status]')?.textContent ?? null,
          errors: /** @type {any} */ (window).__rp.errors,
        };
      })
      .catch((err) => String(err));
    throw new Error(`no precheck-report event within ${timeout} ms (had ${n} before); page: ${JSON.stringify(state)}`, {
      cause: e,
    });
  }
}

/** The last event's report, and whether `element.report` is the same document. */
async function lastReport(driver) {
  const [detail, element] = await driver.executeScript(() => {
    const rp = /** @type {any} */ (window).__rp;
    const el = /** @type {any} */ (document.querySelector('record-precheck'));
    return [rp.reports[rp.reports.length - 1], JSON.stringify(el.report)];
  });
  return { report: JSON.parse(detail), elementReportMatches: detail === element };
}

/** What the results show: file rows, findings, next steps, checklist, summary text. */
async function shown(driver) {
  return JSON.parse(
    await driver.executeScript(() => {
      const root = /** @type {ShadowRoot} */ (document.querySelector('record-precheck')?.shadowRoot);
      const all = (/** @type {string} */ css) => Array.from(root.querySelectorAll(css));
      const text = (/** @type {Element | null} */ el) => (el ? /** @type {HTMLElement} */ (el).innerText : '');
      return JSON.stringify({
        rows: all('[data-testid=files] [data-kind]').map((el) => ({
          kind: el.getAttribute('data-kind'),
          path: el.getAttribute('data-path'),
          text: text(el),
          notOriginal: el.querySelector('[data-testid=not-original]') !== null,
        })),
        findings: all('[data-testid=findings] li[data-code]').map((el) => ({
          code: el.getAttribute('data-code'),
          severity: el.getAttribute('data-severity'),
          text: text(el),
        })),
        steps: all('[data-testid=next-steps] li[data-step]').map((el) => el.getAttribute('data-step')),
        stepsText: text(root.querySelector('[data-testid=next-steps]')),
        checklist: Object.fromEntries(
          all('[data-testid=checklist] [data-item]').map((el) => [el.getAttribute('data-item'), el.getAttribute('data-status')]),
        ),
        summary: text(root.querySelector('[data-testid=summary]')),
        level: root.querySelector('[data-testid=level]')?.textContent ?? '',
      });
    }),
  );
}

/** Storage the page left behind, read in the page. */
async function storageState(driver) {
  return JSON.parse(
    await driver.executeScript(async () => {
      const dbs = indexedDB.databases ? await indexedDB.databases() : [];
      const cacheKeys = 'caches' in self ? await caches.keys() : [];
      const sw = navigator.serviceWorker ? await navigator.serviceWorker.getRegistrations() : [];
      return JSON.stringify({
        localStorage: Object.keys(localStorage),
        sessionStorage: Object.keys(sessionStorage),
        indexedDB: dbs.map((d) => d.name),
        cookies: document.cookie ? [document.cookie] : [],
        caches: cacheKeys,
        serviceWorkers: sw.length,
      });
    }),
  );
}

// ---- what the report should be ---------------------------------------------------------------

/** The parts of a report every engine must agree on (and agree with the native CLI on). */
function essence(report) {
  const files = [];
  const walk = (list) => {
    for (const f of list ?? []) {
      files.push([f.path, f.kind, f.dicom?.class ?? null, f.error === null ? null : 'error']);
      walk(f.members);
    }
  };
  walk(report.files);
  files.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return {
    files,
    findings: report.findings.map((f) => `${f.code} (${f.severity})`),
    level: report.readiness.level,
    patients: report.patients.map((p) => p.name).sort(),
  };
}

/** The native CLI (lib.mjs `testedCli`), once found. */
let CLI = '';
async function ensureCli() {
  CLI ||= await testedCli();
}

/** The native CLI's report of a corpus folder (`record-precheck scan --json`). */
const cliReports = new Map();
async function cliReport(dir) {
  if (!cliReports.has(dir)) {
    await ensureCli();
    const { stdout } = await run(CLI, ['scan', '--json', dir], { maxBuffer: 64 * 1024 * 1024 });
    cliReports.set(dir, JSON.parse(stdout));
  }
  return cliReports.get(dir);
}

/** labels.json: { path (corpus-relative): label }. */
let labels = new Map();

async function corpusFiles(dir) {
  return (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(dir, e.name))
    .sort();
}

function countKinds(entries) {
  const out = {};
  for (const e of entries) out[e.kind] = (out[e.kind] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort());
}

/**
 * Picks every file of a flat corpus folder and checks the report against the native CLI's
 * report of that folder and against labels.json (each file's kind and DICOM class); the
 * results shown must be the report's. Returns the report and what is shown.
 */
async function pickCase(driver, name) {
  const dir = join(CORPUS, name);
  const paths = await corpusFiles(dir);
  const { report, elementReportMatches } = await pickFiles(driver, paths);
  assert.ok(elementReportMatches, 'element.report should be the report of the precheck-report event');
  assert.equal(report.schema_version, 2, 'report.schema_version');
  assert.deepEqual(essence(report), essence(await cliReport(dir)), `${name}: the page's report should be the native CLI's`);
  for (const f of report.files) {
    const label = labels.get(`${name}/${f.path}`);
    assert.ok(label, `${name}/${f.path} is in labels.json`);
    assert.equal(f.kind, label.kind, `kind of ${f.path} (labels.json)`);
    if (label.dicom_class) assert.equal(f.dicom?.class, label.dicom_class, `DICOM class of ${f.path} (labels.json)`);
  }
  assert.equal(report.files.length, paths.length, 'one report entry per picked file');
  const page = await shown(driver);
  assert.deepEqual(countKinds(page.rows.filter((r) => !r.path.includes('!/'))), countKinds(report.files), 'kinds shown in the file table');
  assert.deepEqual(page.findings.map((f) => f.code), report.findings.map((f) => f.code), 'findings shown, in the report order');
  assert.deepEqual(page.steps, report.readiness.next_steps.map((s) => s.id), 'next steps shown');
  assert.deepEqual(
    page.checklist,
    Object.fromEntries(report.readiness.items.map((i) => [i.id, i.status])),
    'checklist shown',
  );
  return { report, page };
}

// ---- the run -----------------------------------------------------------------------------------

/** @type {Awaited<ReturnType<typeof startServerIn>> | undefined} */
let server;
/** The copy of the built app the server serves (`probedApp`). */
let appDir = '';

/**
 * A copy of the built app (dist/) whose index.html runs privacy-probe.js first, before any of
 * the app's scripts: what the page fetched and what its Content-Security-Policy blocked are
 * then known from the page itself, not only from the server log.
 */
async function probedApp() {
  const dir = await mkdtemp(join(tmpdir(), 'rp-e2e-cross-app-'));
  await cp(join(ROOT, 'dist'), dir, { recursive: true });
  await cp(join(HERE, 'privacy-probe.js'), join(dir, 'privacy-probe.js'));
  const html = await readFile(join(dir, 'index.html'), 'utf8');
  const probed = html.replace('<meta charset="utf-8">', '<meta charset="utf-8">\n<script src="privacy-probe.js"></script>');
  assert.notEqual(probed, html, 'dist/index.html has <meta charset="utf-8">, where the probe goes');
  await writeFile(join(dir, 'index.html'), probed);
  return dir;
}
/** A generated CD (gen-cd.mjs) for the cancel scenario: its files, picked as files. */
const CD_FILES = 600;
let cdDir = '';
/** @type {string[]} */
let cdFiles = [];

before(async () => {
  if (prerequisites.length) return;
  cdDir = await mkdtemp(join(tmpdir(), 'rp-e2e-cross-cd-'));
  await generateCd(cdDir, { files: CD_FILES });
  cdFiles = (await readdir(cdDir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .sort();
  const list = JSON.parse(await readFile(join(CORPUS, 'labels.json'), 'utf8'));
  labels = new Map(list.map((l) => [l.path, l]));
  appDir = await probedApp();
  server = await startServerIn(appDir);
  await ensureCli(); // builds the CLI when needed (`cargo xtask test` has built it)
});

after(async () => {
  await server?.stop();
  if (cdDir) await rm(cdDir, { recursive: true, force: true });
  if (appDir) await rm(appDir, { recursive: true, force: true });
});

for (const engineName of ['firefox', 'webkit']) {
  describe(engineName, () => {
    /** @type {Awaited<ReturnType<typeof startEngine>> | undefined} */
    let engine;
    /**
     * What each scenario saw after its page settled: { name, log, storage, errors, settled,
     * loadLog, inPage } (`inPage`: privacy-probe.js's record, from before the page loaded).
     */
    const privacy = [];

    before(async () => {
      if (prerequisites.length) return;
      engine = await startEngine(engineName);
    });
    after(async () => {
      await engine?.stop();
    });

    /**
     * One scenario on a freshly loaded page; afterwards the server log since the page settled,
     * the storage left, the script errors and what the page itself recorded are kept for the
     * privacy test (but requests of `asked`: files the patient asked for, such as OCR's).
     */
    function scenario(name, fn, { timeout = 120_000, asked = /** @type {string[]} */ ([]) } = {}) {
      test(`${engineName}: ${name}`, { timeout }, async (t) => {
        assert.deepEqual(prerequisites, [], `cannot run: ${prerequisites.join('; ')}`);
        assert.ok(server && engine, 'the server or the browser did not start (see the before hooks)');
        try {
          await attempt(t);
        } catch (e) {
          // The browser itself gone (its WebDriver session with it): MiniBrowser once quit in
          // the middle of a scenario that passes on its own. Started again, the scenario runs
          // once more, and what that run finds stands; the log says it happened.
          if (!(e instanceof Error && e.name === 'NoSuchSessionError')) throw e;
          t.diagnostic(`${engineName} quit during this scenario (${e.message || e.name}): started again, the scenario runs once more`);
          await engine?.stop().catch(() => {});
          engine = await startEngine(engineName);
          await attempt(t);
        }
      });

      /** One run of the scenario; its privacy record is kept only when the browser lasted. */
      async function attempt(t) {
        const current = /** @type {NonNullable<typeof engine>} */ (engine);
        const { driver } = current;
        const load = await openPage(current, server);
        let gone = false;
        try {
          await fn({ driver, engine, t });
        } catch (e) {
          gone = e instanceof Error && e.name === 'NoSuchSessionError';
          throw e;
        } finally {
          if (!gone) await keepPrivacyRecord(driver, load);
        }
      }

      async function keepPrivacyRecord(driver, load) {
        await sleep(300); // let a late request reach the log
        const errors = await driver.executeScript(() => /** @type {any} */ (window).__rp.errors).catch((e) => [String(e)]);
        const storage = await storageState(driver).catch((e) => ({ error: String(e) }));
        // Code only: the document module's files, after the first report (lib.mjs).
        const log = server
          .logLines()
          .slice(load.settled)
          .filter((line) => !reportModuleLogLine(line) && !(line.endsWith(' 200') && asked.includes(line.split(' ')[1])));
        const inPage = await driver.executeScript(() => /** @type {any} */ (window).__privacy).catch((e) => ({ error: String(e) }));
        privacy.push({ name, ...load, log, storage, errors, inPage });
      }
    }

    scenario('screenshots and phone photos picked as files: no original imaging', async ({ driver }) => {
      const { report, page } = await pickCase(driver, 'case-screenshots');
      assert.equal(report.findings[0]?.code, 'no-original-imaging', 'first finding');
      assert.equal(page.findings[0]?.severity, 'serious', 'no-original-imaging shown as serious');
      assert.equal(report.readiness.level, 'not-yet-reviewable', 'readiness level');
      assert.deepEqual(countKinds(page.rows), { dicom: 1, photo: 2, screenshot: 2 }, 'kinds shown');
      for (const r of page.rows) {
        assert.ok(r.notOriginal, `row of ${r.path} (${r.kind}) carries the not-original mark`);
        assert.match(r.text, /not original/i, `row of ${r.path} says it is not original imaging: ${JSON.stringify(r.text)}`);
      }
      assert.doesNotMatch(page.summary, CJK, 'the page starts in English');
    });

    scenario('a series picked: its thumbnail, and a quick look stepping through it', async ({ driver }) => {
      // SER00002 of the CD: one series (labels.json says which files and which series).
      const dir = join(CORPUS, 'case-cd-ct/IMAGES/SER00002');
      const paths = await corpusFiles(dir);
      const uids = new Set(paths.map((p) => labels.get(`case-cd-ct/IMAGES/SER00002/${p.split('/').pop()}`)?.series_instance_uid));
      assert.equal(uids.size, 1, 'one series');
      await pickFiles(driver, paths);
      await driver.wait(
        () =>
          driver.executeScript(() => {
            const el = document.querySelector('record-precheck')?.shadowRoot?.querySelector('[data-testid=thumbs]');
            return !!el && el.getAttribute('data-pending') === '0' && el.getAttribute('data-made') === '1';
          }),
        60_000,
        'the series thumbnail is made',
      );
      const thumb = await driver.executeScript(() => {
        const root = /** @type {ShadowRoot} */ (document.querySelector('record-precheck')?.shadowRoot);
        const buttons = [...root.querySelectorAll('[data-testid=series-thumb]')];
        const img = /** @type {HTMLImageElement | undefined} */ (buttons[0]?.querySelector('img'));
        return { count: buttons.length, series: buttons[0]?.getAttribute('data-series'), width: img?.naturalWidth, height: img?.naturalHeight };
      });
      assert.equal(thumb.count, 1, 'one thumbnail in the study list');
      assert.equal(thumb.series, [...uids][0], 'the series picked');
      assert.ok(thumb.width > 0 && Math.max(thumb.width, thumb.height) <= 256, `a decoded image of at most 256 px: ${JSON.stringify(thumb)}`);
      await (await inShadow(driver, '[data-testid=series-thumb]')).click();
      const at = async (index) => {
        await driver.wait(
          () =>
            driver.executeScript(
              (i) => document.querySelector('record-precheck')?.shadowRoot?.querySelector('[data-testid=quick-look]')?.getAttribute('data-shown') === String(i),
              index,
            ),
          20_000,
          `image ${index + 1} shown`,
        );
        return (await inShadow(driver, '[data-testid=quick-look-position]')).getText();
      };
      const total = paths.length;
      const middle = Math.floor(total / 2);
      assert.equal(await at(middle), `Image ${middle + 1} of ${total}`, 'the quick look opens at the middle image');
      await (await inShadow(driver, '[data-testid=quick-look-next]')).click();
      assert.equal(await at(middle + 1), `Image ${middle + 2} of ${total}`, 'the next button steps forward');
      await driver.actions().sendKeys('\uE012').perform(); // ← (WebDriver's Key.ARROW_LEFT)
      assert.equal(await at(middle), `Image ${middle + 1} of ${total}`, 'the left arrow key steps back');
      await (await inShadow(driver, '[data-testid=quick-look-close]')).click();
      assert.equal(
        await driver.executeScript(() => document.querySelector('record-precheck')?.shadowRoot?.querySelector('[data-testid=quick-look]')?.hasAttribute('open')),
        false,
        'closed',
      );
    });

    scenario('pictures of documents, screens, film and QR slips: what each shows, the cloud-film finding', async ({ driver }) => {
      const records = join(CORPUS, '../corpus-records');
      const labels = JSON.parse(await readFile(join(records, 'labels.json'), 'utf8'));
      const pictures = labels.filter(
        (l) => ['case-liver-imaging', 'case-liver-pictures'].includes(l.case) && l.subject && /\.(jpe?g|png|webp)$/i.test(l.path),
      );
      const { report } = await pickFiles(driver, pictures.map((l) => join(records, l.path)));
      const page = await shown(driver);
      const subjects = JSON.parse(
        await driver.executeScript(() => {
          const root = /** @type {ShadowRoot} */ (document.querySelector('record-precheck')?.shadowRoot);
          return JSON.stringify(
            Object.fromEntries(
              Array.from(root.querySelectorAll('tr[data-path]')).map((tr) => [
                tr.getAttribute('data-path'),
                tr.querySelector('[data-testid=picture-subject]')?.getAttribute('data-subject') ?? null,
              ]),
            ),
          );
        }),
      );
      const name = (/** @type {{ path: string }} */ l) => l.path.split('/').pop();
      for (const label of pictures) {
        const file = report.files.find((f) => f.path === name(label));
        assert.equal(file?.picture?.subject, label.subject, `${name(label)}: ${file?.picture?.reason}`);
        assert.deepEqual(file.picture.qr, label.qr ? [label.qr] : [], `${name(label)}: QR codes`);
        assert.equal(subjects[name(label)], label.subject, `the row of ${name(label)} says what it shows`);
      }
      const named = (/** @type {string[]} */ of) => pictures.filter((l) => of.includes(l.subject)).map(name).sort();
      const findingFiles = (/** @type {string} */ code) => [...(report.findings.find((f) => f.code === code)?.files ?? [])].sort();
      assert.deepEqual(findingFiles('photo-of-screen'), named(['screen', 'film']), 'photo-of-screen: the screens and films');
      assert.deepEqual(findingFiles('cloud-film-link'), named(['qr']), 'cloud-film-link: the QR slips');
      assert.ok(page.steps.includes('open-cloud-film'), `the cloud-film step is shown: ${page.steps}`);
    });

    scenario('several patients and a zip picked together: multiple patients, zip members listed', async ({ driver }) => {
      const paths = [...(await corpusFiles(join(CORPUS, 'case-multi-patient'))), join(CORPUS, 'case-mixed/images_export.zip')];
      const { report } = await pickFiles(driver, paths);
      const codes = report.findings.map((f) => f.code);
      assert.equal(codes[0], 'multiple-patients', `multiple-patients first (have ${codes})`);
      assert.ok(report.patients.length >= 3, `at least 3 patients (have ${report.patients.length})`);
      const zip = report.files.find((f) => f.kind === 'archive');
      assert.ok(zip, `the zip is in the report: ${JSON.stringify(report.files.map((f) => [f.path, f.kind]))}`);
      const members = (zip.members ?? []).map((m) => m.path);
      assert.equal(members.length, 3, `three zip members: ${members}`);
      assert.ok(members.every((p) => p.startsWith('images_export.zip!/')), `member paths use !/: ${members}`);
      assert.ok(zip.members.every((m) => m.kind === 'dicom'), 'the members are DICOM');
      const page = await shown(driver);
      assert.ok(
        page.findings.some((f) => f.code === 'multiple-patients' && f.severity === 'serious'),
        `multiple-patients shown as serious: ${JSON.stringify(page.findings.map((f) => [f.code, f.severity]))}`,
      );
      assert.equal(page.rows.filter((r) => r.path.includes('!/')).length, 3, `three zip member rows shown: ${JSON.stringify(page.rows.map((r) => r.path))}`);
    });

    scenario('a drop of several patients and a zip: the same report as picking them', async ({ driver }) => {
      // WebDriver cannot drag from the desktop: a DataTransfer built in the page with the same
      // files (as run.mjs does in Chromium), dropped on the drop zone.
      const paths = [...(await corpusFiles(join(CORPUS, 'case-multi-patient'))), join(CORPUS, 'case-mixed/images_export.zip')];
      const n = await reportCount(driver);
      const notCancelled = await driver.executeScript(
        `return (${dropOn})(document.querySelector('record-precheck').shadowRoot.querySelector('[data-testid=drop-zone]'), arguments[0]);`,
        await filesForDrop(paths),
      );
      assert.equal(notCancelled.dragover, false, 'the element accepts the drag (dragover cancelled)');
      assert.equal(notCancelled.drop, false, 'the element takes the drop (drop cancelled)');
      await waitReport(driver, n);
      const { report } = await lastReport(driver);
      assert.equal(report.findings[0]?.code, 'multiple-patients', 'multiple-patients first');
      const members = report.files.find((f) => f.path === 'images_export.zip')?.members ?? [];
      assert.equal(members.length, 3, 'three zip members');
      assert.equal(report.files.length, 4, 'four files dropped');
    });

    scenario('cancel during a scan: nothing is added, the worker starts again, the next scan works', async ({ driver, t }) => {
      // One scan worker; the cancel button is pressed from inside the page as soon as the bar
      // has moved (no race with the end of the scan).
      await driver.executeScript(() => {
        const el = /** @type {HTMLElement} */ (document.querySelector('record-precheck'));
        el.setAttribute('workers', '1');
        const root = /** @type {ShadowRoot} */ (el.shadowRoot);
        const bar = /** @type {HTMLProgressElement} */ (root.querySelector('[data-testid=progress]'));
        const cancel = /** @type {HTMLButtonElement} */ (root.querySelector('[data-testid=cancel]'));
        const observer = new MutationObserver(() => {
          if (bar.value > 0 && bar.value < bar.max) {
            observer.disconnect();
            /** @type {any} */ (window).__rp.cancelledAt = [bar.value, bar.max];
            cancel.click();
          }
        });
        observer.observe(bar, { attributes: true, attributeFilter: ['value', 'max'] });
      });
      const n = await reportCount(driver);
      await (await inShadow(driver, '[data-testid=pick-files]')).sendKeys(cdFiles.join('\n'));
      await driver.wait(
        () =>
          driver.executeScript(
            () =>
              !!(/** @type {any} */ (window).__rp.cancelledAt) &&
              /Cancelled/.test(document.querySelector('record-precheck')?.shadowRoot?.querySelector('[data-testid=status]')?.textContent ?? ''),
          ),
        60_000,
        'the scan was not cancelled',
      );
      const at = await driver.executeScript(() => /** @type {any} */ (window).__rp.cancelledAt);
      t.diagnostic(`cancelled at ${at[0]} / ${at[1]} files`);
      await sleep(300);
      assert.equal(await reportCount(driver), n, 'no report for a cancelled batch');
      assert.equal(
        await driver.executeScript(() => /** @type {any} */ (document.querySelector('record-precheck')).report),
        null,
        'element.report stays null',
      );
      const { report } = await pickCase(driver, 'case-screenshots');
      assert.equal(report.files.length, 5, 'nothing of the cancelled batch was added');
    });

    scenario('a mixed case: documents, PDFs with a Chinese name, a zip, DICOM without preamble', async ({ driver }) => {
      const { report } = await pickCase(driver, 'case-mixed');
      // cases.json: one patient across the DICOM; the Chinese pathology PDF names 王小东 ("the
      // tool may flag a name mismatch"): a person of their own, asked about.
      assert.deepEqual(report.patients.map((p) => p.name), ['DOE^JANE', '王小东'], 'the DICOM patient and the pathology report\'s');
      const asked = report.findings.find((f) => f.code === 'identity-check');
      assert.ok(asked?.files.includes('病理报告.pdf'), 'identity-check names the pathology report');
      assert.ok(report.files.some((f) => f.path === '病理报告.pdf' && f.kind === 'pdf'), 'the Chinese-named PDF');
      const mr = report.files.find((f) => f.path === 'images_export.zip');
      assert.equal(mr?.members?.length, 3, 'three MR images inside the zip (cases.json)');
    });

    scenario('Chinese character sets: names decoded, the patients kept apart', async ({ driver }) => {
      const { report, page } = await pickCase(driver, 'case-chinese-charset');
      const names = report.patients.map((p) => p.name).join(' | ');
      assert.doesNotMatch(names, /\$\)A|Í|Ð/, `no stray escape or mojibake: ${names}`);
      assert.match(names, /王\^小东/, `王^小东 decoded: ${names}`);
      assert.match(page.summary, /王/, `the summary names 王: ${JSON.stringify(page.summary)}`);
    });

    scenario('hostile inputs (corrupt, empty, zip bomb, zip slip): reported, not a crash', async ({ driver }) => {
      const { report } = await pickCase(driver, 'case-bad-input');
      assert.ok(report.files.some((f) => f.kind === 'corrupt'), 'corrupt files reported');
      const slip = report.files.find((f) => f.path === 'zipslip.zip');
      assert.ok(slip?.members?.every((m) => !m.path.includes('../')), 'no member path climbs out');
    });

    scenario('switching to Chinese changes the words, not the report', async ({ driver }) => {
      const { report: en } = await pickCase(driver, 'case-screenshots');
      const select = await inShadow(driver, 'select[data-testid=lang]');
      const n = await reportCount(driver);
      await select.findElement(By.css('option[value=zh]')).click();
      await driver
        .wait(async () => CJK.test((await shown(driver)).summary), 10_000)
        .catch(() => {});
      const zhPage = await shown(driver);
      assert.match(zhPage.summary, CJK, `the summary is in Chinese: ${JSON.stringify(zhPage.summary)}`);
      for (const f of zhPage.findings) assert.match(f.text, CJK, `finding ${f.code} in Chinese: ${JSON.stringify(f.text)}`);
      assert.match(zhPage.stepsText, CJK, 'next steps in Chinese');
      assert.equal(
        await driver.executeScript(() => document.querySelector('record-precheck')?.getAttribute('lang')),
        'zh',
        'the lang attribute follows the switch',
      );
      const zh = (await reportCount(driver)) > n
        ? (await lastReport(driver)).report
        : JSON.parse(await driver.executeScript(() => JSON.stringify(/** @type {any} */ (document.querySelector('record-precheck')).report)));
      for (const key of ['schema_version', 'files', 'patients', 'studies', 'findings', 'readiness', 'declarations'])
        assert.deepEqual(zh[key], en[key], `report.${key} unchanged by the language switch`);
      await select.findElement(By.css('option[value=en]')).click();
      await driver.wait(async () => !CJK.test((await shown(driver)).summary), 10_000).catch(() => {});
      assert.doesNotMatch((await shown(driver)).summary, CJK, 'back to English');
    });

    scenario('the bundle is saved as a download: the zip verifies, its manifest lists every picked file', async ({ driver, engine, t }) => {
      const dir = join(CORPUS, 'case-mixed');
      const paths = await corpusFiles(dir);
      const { report } = await pickFiles(driver, paths);
      const button = await inShadow(driver, '[data-testid=save-bundle]').catch(() => null);
      assert.ok(button, 'the report has its <button data-testid="save-bundle">');
      const hasPicker = await driver.executeScript(() => typeof (/** @type {any} */ (window).showSaveFilePicker) === 'function');
      assert.equal(hasPicker, false, `${engineName} has no showSaveFilePicker: the download path is the one it uses`);
      await button.click();
      await driver.wait(async () => (await driver.executeScript(() => /** @type {any} */ (window).__rp.bundles.length)) > 0, 60_000).catch(() => {});
      const ready = await driver.executeScript(() => /** @type {any} */ (window).__rp.bundles);
      const status = await (await inShadow(driver, '[data-testid=bundle-status]')).getText().catch(() => '');
      assert.equal(ready.length, 1, `one precheck-bundle-ready event (bundle status: ${JSON.stringify(status)})`);
      const detail = JSON.parse(ready[0]);
      assert.equal(detail.method, 'download', 'saved as a download');
      assert.match(detail.name, /^record-precheck-\d{4}-\d{2}-\d{2}\.zip$/, 'the file name');
      const file = join(engine.downloads, detail.name);
      // The event comes when the page has handed the Blob to the browser: wait for the file.
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const size = await stat(file).then((s) => s.size, () => -1);
        if (size === detail.bytes) break;
        await sleep(100);
      }
      assert.ok(existsSync(file), `${detail.name} downloaded (download folder: ${await readdir(engine.downloads)})`);
      assert.equal((await stat(file)).size, detail.bytes, 'the downloaded size is the event\'s bytes');

      // The zip: every entry's CRC (Python's zipfile), then the manifest.
      const { bad, hashes, manifest } = await readZip(file);
      const zip = { names: Object.keys(hashes), manifest };
      assert.equal(bad, null, 'every entry of the zip reads back with its CRC');
      const inputs = new Map(zip.manifest.inputs.map((i) => [i.path, i]));
      for (const p of paths) {
        const name = p.split('/').pop();
        const input = inputs.get(name);
        assert.ok(input, `${name} is in the manifest's inputs (have ${[...inputs.keys()].join(', ')})`);
        const bytes = await readFile(p);
        assert.equal(input.size, bytes.length, `size of ${name} in the manifest`);
        if (input.sha256 !== null)
          assert.equal(input.sha256, createHash('sha256').update(bytes).digest('hex'), `SHA-256 of ${name} in the manifest`);
        if (input.outcome === 'copied') assert.ok(zip.names.includes(input.destination), `${name} is in the zip at ${input.destination}`);
      }
      for (const m of report.files.find((f) => f.path === 'images_export.zip')?.members ?? [])
        assert.ok(inputs.has(m.path), `zip member ${m.path} is in the manifest's inputs`);
      assert.deepEqual(detail.totals, zip.manifest.totals, "the event's totals are the manifest's");
      // And the native verifier agrees.
      await run(CLI, ['verify', file]).catch((e) => assert.fail(`record-precheck verify ${file}: ${e.stdout}${e.stderr}`));
      t.diagnostic(`${detail.name}: ${detail.bytes} bytes, ${zip.names.length} entries, ${inputs.size} inputs in the manifest`);
    });

    // Last before the privacy check: the heaviest scenario (the OCR module, its models, a
    // browser busy freeing them afterwards) does not run before the others.
    scenario(
      'OCR when the patient asks: one photo of a document read on the device, its category and patient (labels.json)',
      async ({ driver, t }) => {
        const records = join(CORPUS, '../corpus-records');
        const labels = JSON.parse(await readFile(join(records, 'labels.json'), 'utf8'));
        // The smallest photo of a document: a WeChat copy, without EXIF.
        const label = labels.filter((l) => l.subject === 'document' && l.kind === 'photo').sort((a, b) => a.size - b.size)[0];
        assert.ok(label?.document, 'labels.json has a photo of a document');
        const name = label.path.split('/').pop();
        const logAt = server.logLines().length;
        await pickFiles(driver, [join(records, label.path)]);
        const offer = await inShadow(driver, '[data-testid=ocr-read]');
        await driver.wait(() => offer.isDisplayed(), 20_000);
        assert.match(await offer.getText(), /Read the text of 1 photo or scan — downloads \d+ MB once/);
        assert.ok(!server.logLines().slice(logAt).some((line) => OCR_MODULE.includes(line.split(' ')[1])), 'nothing of OCR before the patient asks');
        const n = await reportCount(driver);
        const t0 = Date.now();
        await offer.click();
        const status = await inShadow(driver, '[data-testid=ocr-status]');
        await driver.wait(async () => (await status.getText()) !== '', 15 * 60_000);
        t.diagnostic(`OCR in ${engineName}: ${((Date.now() - t0) / 1000).toFixed(1)} s for one page, the models downloaded and loaded first`);
        assert.match(await status.getText(), /their text was read on this device \(1 of 1\)/);
        await waitReport(driver, n);
        const { report } = await lastReport(driver);
        const doc = report.files.find((f) => f.path === name)?.document;
        assert.equal(doc?.text_source, 'ocr', `${name} read by OCR`);
        assert.ok(LABEL_CATEGORIES[label.document.category].includes(doc.category), `${name}: category ${doc.category} for ${label.document.category}`);
        const read = doc.patients?.[0]?.name ?? '';
        assert.equal(read.replace(/\s+/g, ''), label.document.patient.name.replace(/\s+/g, ''), `${name}: the patient (labels.json)`);
        const served = server.logLines().slice(logAt).map((line) => line.split(' ')[1]);
        for (const m of OCR_MODULE.filter((f) => f.endsWith('.onnx'))) assert.equal(served.filter((p) => p === m).length, 1, `${m} downloaded once`);
      },
      { timeout: 20 * 60_000, asked: OCR_MODULE },
    );

    test(`${engineName}: privacy: nothing requested after load but the document module, every request same-origin, blob: or data:, nothing blocked, nothing stored, no script error`, (t) => {
      assert.deepEqual(prerequisites, [], `cannot run: ${prerequisites.join('; ')}`);
      assert.ok(privacy.length > 0, 'no scenario loaded the page');
      const problems = [];
      for (const s of privacy) {
        if (s.loadLog.length === 0) problems.push(`${s.name}: the server log saw nothing of the page load (is --log working?)`);
        if (s.log.length) problems.push(`${s.name}: requests after the page settled: ${s.log.join(' | ')}`);
        const origin = new URL(server.url).origin;
        if (s.inPage?.error || !s.inPage?.resources) problems.push(`${s.name}: no record from privacy-probe.js: ${JSON.stringify(s.inPage)}`);
        else {
          // The probe saw the page load (the app's own script among what it fetched)…
          if (!s.inPage.resources.some((/** @type {string} */ url) => url === `${origin}/app.js`))
            problems.push(`${s.name}: privacy-probe.js did not see app.js load: ${s.inPage.resources.join(' ')}`);
          // …and nothing from elsewhere, nor anything the policy had to stop.
          for (const url of s.inPage.resources)
            if (!(url.startsWith(`${origin}/`) || url.startsWith('blob:') || url.startsWith('data:')))
              problems.push(`${s.name}: the page fetched ${url}`);
          for (const v of s.inPage.violations) problems.push(`${s.name}: Content-Security-Policy: ${v}`);
        }
        if (s.storage.error) problems.push(`${s.name}: could not read storage: ${s.storage.error}`);
        else
          for (const [k, v] of Object.entries(s.storage))
            if (Array.isArray(v) ? v.length : v) problems.push(`${s.name}: ${k} not empty: ${JSON.stringify(v)}`);
        for (const e of s.errors) problems.push(`${s.name}: ${e}`);
      }
      t.diagnostic(`checked ${privacy.length} scenarios; one page load: ${privacy[0]?.loadLog.join(', ')}`);
      if (problems.length) assert.fail(`problems:\n  ${problems.join('\n  ')}`);
    });
  });
}

// ---- narrow window ------------------------------------------------------------------------------

/**
 * In the page: every visible element of the app that reaches past the viewport's right edge
 * (or left of 0) without a box the patient can scroll around it, and whether the page scrolls
 * sideways.
 */
function overflowInPage() {
  const root = /** @type {ShadowRoot} */ (document.querySelector('record-precheck')?.shadowRoot);
  const width = document.documentElement.clientWidth;
  const out = [];
  const scrolls = (/** @type {Element} */ el) => {
    const o = getComputedStyle(el).overflowX;
    return o === 'auto' || o === 'scroll'; // the patient can scroll to it (hidden/clip: cut off)
  };
  for (const el of root.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.right <= width + 0.5 && r.left >= -0.5) continue;
    let p = el.parentElement;
    let inside = false;
    while (p) {
      if (scrolls(p)) {
        inside = true;
        break;
      }
      p = p.parentElement;
    }
    if (inside) continue;
    const id = el.getAttribute('data-testid') ?? el.getAttribute('class') ?? '';
    out.push(`<${el.tagName.toLowerCase()}${id ? ` ${id}` : ''}> ${Math.round(r.left)}..${Math.round(r.right)}`);
  }
  return JSON.stringify({
    width,
    scrollWidth: document.documentElement.scrollWidth,
    out: out.slice(0, 20),
    count: out.length,
  });
}

const NARROW_FILES = async () => [
  ...(await corpusFiles(join(CORPUS, 'case-screenshots'))),
  join(CORPUS, 'case-mixed/images_export.zip'),
  join(CORPUS, 'case-mixed/病理报告.pdf'),
];

function checkNarrow(state, engineName) {
  assert.equal(state.width, NARROW.width, `${engineName}: the viewport is ${NARROW.width} CSS pixels wide`);
  assert.ok(state.scrollWidth <= state.width, `${engineName}: the page does not scroll sideways (scrollWidth ${state.scrollWidth})`);
  assert.equal(state.count, 0, `${engineName}: elements cut off at ${state.width} px:\n  ${state.out.join('\n  ')}`);
}

describe('narrow window (360 × 740)', () => {
  test('webkit: usable at 360 px, full-page screenshot', { timeout: 120_000 }, async (t) => {
    assert.deepEqual(prerequisites, [], `cannot run: ${prerequisites.join('; ')}`);
    assert.ok(server, 'the server did not start');
    const engine = await startEngine('webkit', { narrow: true });
    try {
      const { driver } = engine;
      // The window's outer size includes MiniBrowser's frame: size it until the viewport fits.
      await driver.manage().window().setRect({ width: NARROW.width, height: NARROW.height });
      for (let i = 0; i < 3; i++) {
        const [w, h] = await driver.executeScript(() => [innerWidth, innerHeight]);
        if (w === NARROW.width && h === NARROW.height) break;
        const rect = await driver.manage().window().getRect();
        await driver.manage().window().setRect({ width: rect.width + NARROW.width - w, height: rect.height + NARROW.height - h });
      }
      await openPage(engine, server);
      const { report } = await pickFiles(driver, await NARROW_FILES());
      assert.equal(report.files.length, 7, 'the report of the seven files');
      await sleep(300); // the results are drawn
      const state = JSON.parse(await driver.executeScript(overflowInPage));
      // The whole page: WebDriver takes the viewport only, so the window is made as tall as
      // the page (the page has no vh units and nothing fixed: its layout stays the same).
      // GTK does not make a window taller than ~8,000 px (a page of 8,416 px got a 760 px
      // window): the screenshot shows the top `MAX_SHOT` px; the overflow check above covers all.
      const MAX_SHOT = 7600;
      const [h, full] = await driver.executeScript(() => [innerHeight, document.documentElement.scrollHeight]);
      const want = Math.min(full, MAX_SHOT);
      const rect = await driver.manage().window().getRect();
      await driver.manage().window().setRect({ width: rect.width, height: rect.height + want - h });
      const [w2, h2] = await driver.executeScript(() => [innerWidth, innerHeight]);
      assert.equal(w2, NARROW.width, 'the tall window is still 360 px wide');
      assert.ok(h2 >= want, `the window shows the page's first ${want} px (${h2} of ${full} px)`);
      const png = await driver.takeScreenshot();
      await mkdir(SHOT_DIR, { recursive: true });
      await writeFile(join(SHOT_DIR, 'narrow-webkit.png'), Buffer.from(png, 'base64'));
      t.diagnostic(`wrote ${join(SHOT_DIR, 'narrow-webkit.png')}`);
      checkNarrow(state, 'webkit');
    } finally {
      await engine.stop();
    }
  });

  test('chromium: usable at 360 px, full-page screenshot', { timeout: 120_000 }, async (t) => {
    assert.deepEqual(prerequisites, [], `cannot run: ${prerequisites.join('; ')}`);
    assert.ok(server, 'the server did not start');
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ viewport: NARROW, deviceScaleFactor: 1 });
      const page = await context.newPage();
      await page.addInitScript(() => {
        /** @type {any} */ (window).__rp = { reports: [] };
        document.addEventListener('precheck-report', (e) => /** @type {any} */ (window).__rp.reports.push(/** @type {CustomEvent} */ (e).detail));
      });
      await page.goto(server.url, { waitUntil: 'load' });
      await page.locator('[data-testid=pick-files]').setInputFiles(await NARROW_FILES());
      await page.waitForFunction(() => /** @type {any} */ (window).__rp.reports.length > 0, undefined, { timeout: 60_000 });
      const count = await page.evaluate(() => /** @type {any} */ (window).__rp.reports[0].files.length);
      assert.equal(count, 7, 'the report of the seven files');
      await sleep(300);
      const state = JSON.parse(await page.evaluate(overflowInPage));
      await mkdir(SHOT_DIR, { recursive: true });
      await page.screenshot({ path: join(SHOT_DIR, 'narrow-chromium.png'), fullPage: true });
      t.diagnostic(`wrote ${join(SHOT_DIR, 'narrow-chromium.png')}`);
      checkNarrow(state, 'chromium');
    } finally {
      await browser.close();
    }
  });
});
