// What a picked file costs before any parsing, in a bare page (no app), headless Debian Chromium:
//
//   node tests/e2e/bench-handover.mjs [--data target/bench-data/cd-ct] [HOW ...]
//
// HOW is POST:READ (default: all the combinations below). POST is how the page hands the
// picked files to a module worker: `filelist` (the input's FileList in one message), `array`
// (one array), `batches` (64 files a message), `blobs` (64 files a message as one Blob made of
// them, and their sizes; the worker slices each file back out of it), `heads` (no file posted:
// the page reads the heads itself, 32 files as one Blob, 2 in flight, and transfers the bytes;
// READ is then ignored). READ is how the worker then
// reads the first 16 KiB of each: `group` (Blobs of 32 slices, 2 in flight, as the app does),
// `sliceN` (`slice().arrayBuffer()`, N in flight), `streamN` (`stream()`, first chunk, then
// cancel; N in flight). Each combination in a fresh browser, on freshly picked files. Prints
// per combination: the page's time to take the input's `files`, to post, when the last message
// reached the worker and the worker's read time, in ms, and the CPU time every thread of the
// browser spent from the pick to the worker's answer (lib.mjs `cpuSpent`: what reading a picked
// file costs the machine, wherever it runs). BENCHMARKS.md, "Browser", uses these figures.

import { createServer } from 'node:http';
import { resolve } from 'node:path';

import { CHROMIUM, CHROMIUM_ARGS, ROOT, cpuByThread, cpuLine, cpuSpent } from './lib.mjs';
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const dataAt = args.indexOf('--data');
const DATA = resolve(ROOT, dataAt >= 0 ? args.splice(dataAt, 2)[1] : 'target/bench-data/cd-ct');
const HOWS = args.length
  ? args
  : ['batches:group', 'blobs:group', 'filelist:group', 'array:group', 'heads:-', 'batches:slice8', 'batches:stream1', 'batches:stream8'];

const PAGE = `<!doctype html><meta charset=utf-8><input id=pick type=file webkitdirectory>
<script type=module>
const q = new URLSearchParams(location.search);
const worker = new Worker('worker.js?read=' + q.get('read'));
window.results = [];
worker.onmessage = (e) => window.results.push(e.data);
document.getElementById('pick').addEventListener('change', (ev) => {
  const tFiles = performance.now();
  const files = ev.target.files;
  window.filesMs = performance.now() - tFiles;
  const post = q.get('post'), t0 = performance.timeOrigin + performance.now();
  if (post === 'filelist') worker.postMessage({ files, t0, last: true });
  else if (post === 'array') worker.postMessage({ files: [...files], t0, last: true });
  else if (post === 'heads') {
    // The page reads the heads (as the worker's \`group\` does) and hands over only bytes.
    (async () => {
      const all = [...files], inFlight = [];
      for (let i = 0; i < all.length; i += 32) {
        const some = all.slice(i, i + 32);
        const last = i + 32 >= all.length;
        inFlight.push(new Blob(some.map((f) => f.slice(0, 16384))).arrayBuffer().then((heads) =>
          worker.postMessage({ heads, files: some.length, t0, last }, [heads])));
        if (inFlight.length >= 2) await inFlight.shift();
      }
      await Promise.all(inFlight);
    })();
  } else if (post === 'blobs') {
    // 64 files as one Blob made of them, and their sizes: one object to hand over, not 64.
    const all = [...files];
    for (let i = 0; i < all.length; i += 64) {
      const some = all.slice(i, i + 64);
      worker.postMessage({ blob: new Blob(some), sizes: some.map((f) => f.size), t0, last: i + 64 >= all.length });
    }
  } else {
    const all = [...files];
    for (let i = 0; i < all.length; i += 64)
      worker.postMessage({ files: all.slice(i, i + 64), t0, last: i + 64 >= all.length });
  }
  window.postMs = performance.timeOrigin + performance.now() - t0;
});
</script>`;

const WORKER = `const HEAD = 16384;
const how = new URLSearchParams(location.search).get('read');
let received = [];
async function group(files) {
  let bytes = 0; const inFlight = [];
  for (let i = 0; i < files.length; i += 32) {
    const parts = files.slice(i, i + 32).map((f) => f.slice(0, HEAD));
    inFlight.push(new Blob(parts).arrayBuffer().then((b) => { bytes += b.byteLength; }));
    if (inFlight.length >= 2) await inFlight.shift();
  }
  await Promise.all(inFlight);
  return bytes;
}
async function lanes(files, depth, readOne) {
  let bytes = 0, next = 0;
  const lane = async () => { while (next < files.length) { const n = await readOne(files[next++]); bytes += n; } };
  await Promise.all(Array.from({ length: depth }, lane));
  return bytes;
}
const slice = async (f) => (await f.slice(0, HEAD).arrayBuffer()).byteLength;
async function stream(f) {
  const reader = f.stream().getReader();
  const { value } = await reader.read();
  reader.cancel();
  return value ? Math.min(value.byteLength, HEAD) : 0;
}
let headsFiles = 0, headsBytes = 0;
self.onmessage = async (e) => {
  // Both sides on the wall clock: a worker's performance.now() has its own time origin.
  const arrived = performance.timeOrigin + performance.now() - e.data.t0;
  if (e.data.heads) {
    headsFiles += e.data.files;
    headsBytes += e.data.heads.byteLength;
    if (e.data.last) postMessage({ files: headsFiles, bytes: headsBytes, lastArrivedMs: arrived, readMs: 0 });
    return;
  }
  if (e.data.blob) {
    // The files back as slices of the Blob made of them.
    let at = 0;
    for (const size of e.data.sizes) {
      received.push(e.data.blob.slice(at, at + size));
      at += size;
    }
  } else received.push(...e.data.files);
  if (!e.data.last) return;
  const files = received; received = [];
  const t1 = performance.now();
  const bytes = how === 'group' ? await group(files)
    : how.startsWith('slice') ? await lanes(files, Number(how.slice(5)), slice)
    : await lanes(files, Number(how.slice(6)), stream);
  postMessage({ files: files.length, bytes, lastArrivedMs: arrived, readMs: performance.now() - t1 });
};`;

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  const body = path === '/page.html' ? PAGE : path === '/worker.js' ? WORKER : null;
  if (body === null) {
    res.statusCode = 404;
    res.end();
    return;
  }
  res.setHeader('content-type', path.endsWith('.js') ? 'text/javascript' : 'text/html');
  res.end(body);
}).listen(0, '127.0.0.1');
await new Promise((ok) => server.once('listening', ok));
const address = server.address();
const port = typeof address === 'object' && address ? address.port : 0;

try {
  for (const combination of HOWS) {
    const [post, read] = combination.split(':');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${port}/page.html?post=${post}&read=${read}`);
      const before = cpuByThread();
      await page.locator('#pick').setInputFiles(DATA);
      await page.waitForFunction(() => window.results.length > 0, null, { timeout: 120_000 });
      const cpu = cpuSpent(before, cpuByThread());
      const r = await page.evaluate(() => ({ ...window.results[0], postMs: window.postMs, filesMs: window.filesMs }));
      const ms = (/** @type {number} */ n) => Math.round(n);
      console.log(
        `${combination}: ${r.files} files, ${r.bytes} bytes; input.files in ${ms(r.filesMs)} ms, page posted in ${ms(r.postMs)} ms, ` +
          `last message in the worker at ${ms(r.lastArrivedMs)} ms, worker read in ${ms(r.readMs)} ms; ${cpuLine(cpu)}`,
      );
    } finally {
      await browser.close();
    }
  }
} finally {
  server.close();
}
