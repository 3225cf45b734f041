// Where the app's pick-to-report time goes, in headless Chromium (a diagnostic, not a benchmark:
// figures go to BENCHMARKS.md with this command):
//
//   node tests/e2e/bench-breakdown.mjs DATA [RUNS] [--handle] [--profile] [--www DIR]
//     [--settle MS [--press]] [--trace] [--browser-arg FLAG]...
//
// Each run in a fresh browser (after one warm-up run), DATA picked with the folder `<input>`
// (or, with --handle, copied into OPFS of a profile on disk and given as a folder handle). The
// page's steps are stamped through the element's internals (not its contract): the pick's
// event, addFiles, the pool's scan, each message of files posted to a scan worker (files, ms
// the post took, files posted so far) and each answer (files, ms to take it, files done so
// far), the report worker's entries and build, the report shown and its event; ms from the
// pick. Then the report is built again three times and once more after the entries are sent
// again (the report worker's code warm by then). --profile writes a CPU profile of the page's
// thread per run (/tmp/bench-breakdown-N.cpuprofile); --www serves another build (`cargo
// xtask serve --www DIR`, e.g. a copy of dist/ made before a change). Each run also prints the
// CPU time every thread of the browser spent from the pick to the report (lib.mjs `cpuSpent`).
// --settle MS waits MS before the pick (with --press, after a pointerdown on the element, which
// starts the report module as a patient's press on the picker does); --trace (not with
// --handle) prints the browser's top-level tasks of the run by thread and origin; --browser-arg
// passes a flag to Chromium (e.g. --js-flags=--no-wasm-dynamic-tiering).
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, copyToOpfs, cpuByThread, cpuLine, cpuSpent, openApp, reportCount, startServer, startServerIn, waitReport } from './lib.mjs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DATA = process.argv[2];
const RUNS = Number(process.argv[3] ?? 3);
const HANDLE = process.argv.includes('--handle');
const PROFILE = process.argv.includes('--profile');
const PRESS = process.argv.includes('--press');
const TRACE = process.argv.includes('--trace');
const EXTRA_ARGS = process.argv.flatMap((a, i) => (process.argv[i - 1] === '--browser-arg' ? [a] : []));
const si = process.argv.indexOf('--settle');
const SETTLE = si > 0 ? Number(process.argv[si + 1]) : 0;

const instrument = async () => {
  const el = document.querySelector('record-precheck');
  const P = (await import('/app.js')).internals(el);
  const T = [];
  window.__T = T;
  const mark = (what, extra) => T.push([performance.now(), what, extra]);
  const wrap = (obj, name, label = name) => {
    const f = obj[name];
    if (typeof f !== 'function') return; // (another build of the app)
    obj[name] = function (...a) {
      mark(`${label}>`);
      const r = f.apply(this, a);
      if (r && typeof r.then === 'function') r.then(() => mark(`${label}<`), () => mark(`${label}!`));
      else mark(`${label}<`);
      return r;
    };
  };
  wrap(P, 'addFiles');
  wrap(P, 'rebuild');
  wrap(P, 'renderReport');
  wrap(P, 'renderFiles');
  wrap(P, 'tellReport');
  wrap(P.pool, 'scan', 'pool.scan');
  wrap(P.reporter, 'setEntries', 'rep.setEntries');
  wrap(P.reporter, 'setScanned', 'rep.setScanned');
  wrap(P.reporter, 'build', 'rep.build');
  const send = P.pool.send;
  let sent = 0;
  P.pool.send = function (slot, ids) {
    const t = performance.now();
    send.call(this, slot, ids);
    sent += ids.length;
    mark('send', [ids.length, +(performance.now() - t).toFixed(1), sent]);
  };
  const onMessage = P.pool.onMessage;
  let got = 0;
  P.pool.onMessage = function (slot, msg) {
    const t = performance.now();
    onMessage.call(this, slot, msg);
    if (msg.type === 'done') got += msg.results.length;
    mark(`msg:${msg.type}`, [msg.results?.length ?? msg.items?.length, +(performance.now() - t).toFixed(1), got]);
  };
  document.addEventListener('precheck-report', () => mark('REPORT'), { capture: true });
};

// The trace's top-level tasks by thread and by what posted them (src_file:src_func, or the mojo
// interface): ms of wall time (not CPU: a task descheduled on a busy core counts), largest first.
function summariseTrace(trace) {
  const names = new Map();
  const events = trace.traceEvents ?? trace;
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}/${e.tid}`, e.args.name);
  }
  const byKey = new Map();
  for (const e of events) {
    if (e.ph !== 'X' || !e.dur) continue;
    if (!String(e.cat).includes('toplevel')) continue;
    const a = e.args ?? {};
    const src = a.src_func ? `${a.src_file ?? ''}:${a.src_func}` : a.chrome_mojo_event_info?.mojo_interface_tag ?? e.name;
    const key = `${names.get(`${e.pid}/${e.tid}`) ?? e.tid} ${src}`;
    const v = byKey.get(key) ?? [0, 0];
    v[0] += e.dur / 1000;
    v[1] += 1;
    byKey.set(key, v);
  }
  return [...byKey].sort((a, b) => b[1][0] - a[1][0]).slice(0, 40).map(([k, [ms, n]]) => `${ms.toFixed(0).padStart(6)} ms ${String(n).padStart(6)}× ${k}`).join('\n');
}

const wi = process.argv.indexOf('--www');
const server = wi > 0 ? await startServerIn(process.argv[wi + 1]) : await startServer();
const profileDir = HANDLE ? await mkdtemp(join(tmpdir(), 'rp-prof-')) : null;
try {
  for (let run = 0; run < RUNS + 1; run++) {
    const persistent = profileDir
      ? await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...EXTRA_ARGS] })
      : null;
    const browser = persistent
      ? { newContext: async () => persistent, close: () => persistent.close() }
      : await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...EXTRA_ARGS] });
    try {
      const app = await openApp(browser, server);
      const { page } = app;
      if (HANDLE && run === 0) {
        await copyToOpfs(page, DATA, 'cd');
      }
      await page.evaluate(instrument);
      const cdp = await page.context().newCDPSession(page);
      if (PROFILE && run > 0) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
        await cdp.send('Profiler.start');
      }
      await page.locator('[data-testid=pick-folder]').evaluate((input) => {
        const m = (e) => window.__T.push([e.timeStamp, `ev:${e.type}`]);
        input.addEventListener('change', m, { capture: true });
        input.addEventListener('click', m, { capture: true });
      });
      const n = await reportCount(page);
      if (SETTLE > 0) {
        const settleFrom = cpuByThread();
        // A patient's press on the picker comes before the dialog's seconds (app.js starts the
        // report module on it); --settle without it leaves the page as it loaded.
        if (PRESS) await page.locator('record-precheck').dispatchEvent('pointerdown');
        await new Promise((r) => setTimeout(r, SETTLE));
        if (run > 0) console.log(`settling ${SETTLE} ms before the pick: ${cpuLine(cpuSpent(settleFrom, cpuByThread()))}`);
      }
      const cpuBefore = cpuByThread();
      if (TRACE && run > 0 && !persistent) {
        await browser.startTracing(page, {
          categories: ['toplevel', 'mojom', 'ipc', 'v8', 'blink', 'disabled-by-default-devtools.timeline'],
        });
      }
      if (HANDLE) {
        await page.evaluate(async () => {
          const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('cd');
          window.showDirectoryPicker = async () => dir;
        });
        await page.locator('[data-testid=pick-folder]').dispatchEvent('click');
      } else {
        await page.locator('[data-testid=pick-folder]').setInputFiles(DATA);
      }
      await waitReport(page, n, 600_000);
      const cpuAfter = cpuByThread();
      if (TRACE && run > 0 && !persistent) console.log(summariseTrace(JSON.parse((await browser.stopTracing()).toString())));
      if (PROFILE && run > 0) {
        const { profile } = await cdp.send('Profiler.stop');
        await writeFile(`/tmp/bench-breakdown-${run}.cpuprofile`, JSON.stringify(profile));
      }
      await new Promise((r) => setTimeout(r, 1500));
      const again = await page.evaluate(async () => {
        const P = (await import('/app.js')).internals(document.querySelector('record-precheck'));
        const out = [];
        for (let i = 0; i < 3; i++) { const t = performance.now(); await P.reporter.build(P.declarations()); out.push(Math.round(performance.now() - t)); }
        const t = performance.now(); await P.reporter.setEntries(P.entries); await P.reporter.build(P.declarations()); out.push('set+build ' + Math.round(performance.now() - t));
        return out;
      });
      console.log('builds again:', again.join(', '));
      const T = await page.evaluate(() => window.__T);
      const t0 = T.find(([, w]) => w.startsWith('ev:'))?.[0] ?? T[0][0];
      if (run === 0) {
        console.log(`warm-up: ${Math.round(T.find(([, w]) => w === 'REPORT')[0] - t0)} ms`);
        continue;
      }
      console.log(`--- run ${run}`);
      console.log(cpuLine(cpuSpent(cpuBefore, cpuAfter)));
      let lastSend = null;
      const compact = [];
      for (const [t, w, x] of T) {
        if (w === 'send' || w === 'msg:done' || w === 'msg:found') {
          compact.push(`${Math.round(t - t0)} ${w} ${JSON.stringify(x)}`);
          continue;
        }
        compact.push(`${Math.round(t - t0)} ${w}${x ? ' ' + JSON.stringify(x) : ''}`);
      }
      // Of the messages to and from the scan workers, every 8th and the last of a series.
      const lines = compact.filter((l, i) => !/ (send|msg:done|msg:found) /.test(l) || i % 8 === 0 || /send|done|found/.test(compact[i + 1] ?? '') === false);
      console.log(lines.join('\n'));

    } finally {
      await browser.close();
    }
  }
} finally {
  await server.stop();
  if (profileDir) await rm(profileDir, { recursive: true, force: true });
}
