// End-to-end tests of "Send" (the element's `destination`: a resumable tus upload, only with the
// patient's consent) in headless Debian Chromium (Playwright), against a local tus server (npm
// @tus/server with @tus/file-store) that the test starts on 127.0.0.1, on a free port, with CORS
// for the app's origin:
//
//   node --test --test-reporter=tap tests/e2e/send.mjs
//
// Needs what run.mjs needs (`cargo xtask build`, which also vendors the tus client into
// www/vendor/; /usr/bin/chromium; the corpus; `npm ci` here) and python3 (zipfile checks the
// received zip).
//
// - Without `destination`: no send step, and nothing of the sending code or the tus client is
//   requested; the CSP's connect-src is 'self' only.
// - With it (`cargo xtask serve --destination URL` adds the tus origin to connect-src): "Prepare
//   to send" shows what will be sent and no request reaches the tus server (counted on the
//   server) nor leaves the page until "Send"; then the upload runs, the tus server is stopped
//   in the middle (when the second 8 MiB request comes in) and started again on the same port
//   with the same store; the upload goes on from the server's offset (not from 0: the bytes
//   received by both servers add up to the file's size) and the received file is, byte for
//   byte, the Blob the page made, a sound zip with every picked file in it. Nothing is stored.
// - Pause and Resume: a request held by the server is dropped by Pause; Resume goes on.
// - Sending abroad (`destination-country`, `recipient`, `purpose`): a separate consent says what,
//   to whom, where and what for; "Prepare to send" and "Send" are disabled until it is ticked;
//   unticking it lets the prepared bundle go; the received manifest.json records it (`consent`).
//   Without `destination-country`: no consent step, no `consent` in the manifest.

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { FileStore } from '@tus/file-store';
import { Server as TusServer } from '@tus/server';

import { generateCd } from './gen-cd.mjs';
import {
  CORPUS,
  afterSettle,
  checkPrerequisites,
  launchBrowser,
  openApp,
  pickFolder,
  startServer,
  startServerWithArgs,
  storageState,
} from './lib.mjs';
import { checkBundle, filesUnder } from './zipcheck.mjs';

/** The client's request size (www/sender.js CHUNK_SIZE). */
const CHUNK = 8 * 1024 * 1024;
/** The big file of the interrupted case: more than two requests' worth. */
const BIG = 20 * 1024 * 1024 + 12345;

/** @type {import('playwright-core').Browser | undefined} */
let browser;
let tmp = '';
const prerequisites = checkPrerequisites();

before(async () => {
  if (prerequisites.length) return;
  browser = await launchBrowser();
  tmp = await mkdtemp(join(tmpdir(), 'rp-e2e-send-'));
});

after(async () => {
  await browser?.close().catch(() => {});
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

function ready() {
  assert.deepEqual(prerequisites, [], `cannot run: ${prerequisites.join('; ')}`);
  assert.ok(browser, 'the browser did not start (see the before hook)');
}

/**
 * A tus server on 127.0.0.1 (`port` 0: a free one), storing into `directory`, CORS for
 * `appOrigin`. Every request is recorded (method, path, Upload-Offset, Content-Length, status).
 * `killOnPatch: n`: the n-th PATCH is not answered: the server stops at once (its connections
 * cut), as a server or a link going down in the middle of an upload. `holdFirstPatch`: the first
 * PATCH is held (never answered) until the client drops it.
 */
async function startTus({ port = 0, directory, appOrigin, killOnPatch = 0, holdFirstPatch = false }) {
  const tus = new TusServer({ path: '/files', datastore: new FileStore({ directory }), allowedOrigins: [appOrigin] });
  /** @type {{ method: string, url: string, offset: number | null, length: number, status?: number }[]} */
  const requests = [];
  let patches = 0;
  /** @type {(() => void) | null} */
  let onKilled = null;
  const killed = new Promise((resolve) => (onKilled = resolve));
  /** @type {(() => void) | null} */
  let onHeld = null;
  const held = new Promise((resolve) => (onHeld = resolve));
  const server = http.createServer((req, res) => {
    const r = {
      method: req.method ?? '',
      url: req.url ?? '',
      offset: req.headers['upload-offset'] === undefined ? null : Number(req.headers['upload-offset']),
      length: Number(req.headers['content-length'] ?? 0),
    };
    requests.push(r);
    res.on('finish', () => (r.status = res.statusCode));
    if (req.method === 'PATCH') {
      patches += 1;
      if (killOnPatch && patches === killOnPatch) {
        r.status = -1; // cut
        req.socket.destroy();
        server.close(() => onKilled?.());
        server.closeAllConnections();
        return;
      }
      if (holdFirstPatch && patches === 1) {
        r.status = -2; // held
        res.on('close', () => onHeld?.());
        req.resume();
        return;
      }
    }
    tus.handle(req, res).catch((e) => {
      console.error('tus server:', e);
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(undefined));
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    port: address.port,
    endpoint: `http://127.0.0.1:${address.port}/files/`,
    requests,
    /** Resolves once the server stopped itself (`killOnPatch`). */
    killed,
    /** Resolves once the held PATCH was dropped by the client (`holdFirstPatch`). */
    held,
    /** Bytes of the PATCH requests the store took (answered 204). */
    received() {
      return requests.filter((q) => q.method === 'PATCH' && q.status === 204).reduce((n, q) => n + q.length, 0);
    },
    async stop() {
      if (!server.listening) return;
      await new Promise((resolve) => {
        server.close(() => resolve(undefined));
        server.closeAllConnections();
      });
    },
  };
}

const sha256 = (/** @type {Buffer} */ bytes) => createHash('sha256').update(bytes).digest('hex');

/** Collects `precheck-sent` and `precheck-error` events. */
function eventsInit() {
  /** @type {any} */
  const w = window;
  w.__rpSend = { sent: [], errors: [] };
  document.addEventListener('precheck-sent', (e) => w.__rpSend.sent.push(/** @type {CustomEvent} */ (e).detail));
  document.addEventListener('precheck-error', (e) => w.__rpSend.errors.push(/** @type {CustomEvent} */ (e).detail));
}

/** The size and SHA-256 of the Blob the page made for sending (read in the page). */
async function preparedBlob(page) {
  return page.evaluate(async () => {
    // The element's insides (app.js `internals`): the Blob is not part of its contract.
    const el = (await import('/app.js')).internals(/** @type {any} */ (document.querySelector('record-precheck')));
    const blob = /** @type {Blob} */ (el.send.blob);
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
    return { size: blob.size, sha256: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('') };
  });
}

/** Requests of the page to anything but its own server's app assets, after it settled. */
function requestsTo(app, needle) {
  return app.requests.map((r) => r.url).filter((u) => u.includes(needle));
}

async function sentEvents(page) {
  return page.evaluate(() => /** @type {any} */ (window).__rpSend);
}

/**
 * A local tus server and the app served with `--destination` at it, opened. The tus server is
 * started first for its port (which goes into the page's CSP) with a placeholder origin, then
 * again on that port once the app's origin is known. `tusOptions`: as `startTus`'s.
 * @param {string} store
 * @param {{ killOnPatch?: number, holdFirstPatch?: boolean }} tusOptions
 */
async function startSending(store, tusOptions) {
  const probe = await startTus({ directory: store, appOrigin: 'http://127.0.0.1' });
  const tusPort = probe.port;
  await probe.stop();
  const server = await startServerWithArgs(['--destination', `http://127.0.0.1:${tusPort}/files/`]);
  const appOrigin = new URL(server.url).origin;
  const tus = await startTus({ port: tusPort, directory: store, appOrigin, ...tusOptions });
  const app = await openApp(browser, server, { initScript: { fn: eventsInit, arg: undefined } }).catch(async (e) => {
    await server.stop();
    await tus.stop();
    throw e;
  });
  return { server, tus, tusPort, appOrigin, app };
}

test('no destination: no send step, nothing of the sending code loaded, connect-src only self', { timeout: 120_000 }, async () => {
  ready();
  const server = await startServer();
  const app = await openApp(browser, server, { initScript: { fn: eventsInit, arg: undefined } }).catch(async (e) => {
    await server.stop();
    throw e;
  });
  const { page } = app;
  try {
    const res = await fetch(server.url);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /connect-src 'self';/, `connect-src is 'self' only: ${csp}`);

    await pickFolder(page, join(CORPUS, 'case-cd-ct'));
    assert.ok(await page.locator('[data-testid=save-bundle]').isVisible(), 'the bundle step is there');
    for (const id of ['send', 'send-step', 'send-confirm', 'send-progress']) {
      assert.equal(await page.locator(`[data-testid=${id}]`).count(), 0, `no ${id} without a destination`);
    }
    // Not an http(s) URL: no destination either.
    await page.evaluate(() => document.querySelector('record-precheck')?.setAttribute('destination', 'javascript:alert(1)'));
    assert.equal(await page.locator('[data-testid=send]').count(), 0, 'no send step for a javascript: destination');

    assert.equal(await page.evaluate(() => typeof (/** @type {any} */ (window)).tus), 'undefined', 'no tus client in the page');
    const all = app.requests.map((r) => r.url);
    assert.deepEqual(all.filter((u) => /sender\.js|vendor\//.test(u)), [], 'neither sender.js nor the tus client requested');
    assert.deepEqual(
      afterSettle(app, server).requests.filter((r) => !r.url.startsWith('blob:')).map((r) => r.url),
      [],
      'nothing requested after the page loaded',
    );
  } catch (e) {
    if (app.errors.length && e instanceof Error) e.message += `\n  page errors:\n    ${app.errors.join('\n    ')}`;
    throw e;
  } finally {
    await app.context.close();
    await server.stop();
  }
});

test('consent, then a resumable upload: nothing before Send; interrupted midway, it resumes; the file is the bundle', { timeout: 240_000 }, async () => {
  ready();
  // The case: a small CD and a 20 MiB video (random bytes: kept as it is, not compressible).
  const dir = join(tmp, 'case-big');
  await generateCd(join(dir, 'CD'), { files: 40 });
  await mkdir(join(dir, 'video'), { recursive: true });
  await writeFile(join(dir, 'video', 'clip.mp4'), randomBytes(BIG));
  const picked = await filesUnder(dir);
  const store = join(tmp, 'store');

  const { server, tusPort, appOrigin, app, ...started } = await startSending(store, { killOnPatch: 2 });
  let tus = started.tus;
  const first = tus;
  const { page } = app;
  try {
    const csp = (await fetch(server.url)).headers.get('content-security-policy') ?? '';
    assert.match(csp, new RegExp(`connect-src 'self' http://127\\.0\\.0\\.1:${tusPort};`), `connect-src has the destination: ${csp}`);

    await pickFolder(page, dir);
    assert.equal(await page.locator('[data-testid=send]').count(), 0, 'no send step before the destination is set');
    await page.evaluate((url) => document.querySelector('record-precheck')?.setAttribute('destination', url), tus.endpoint);
    assert.match(await page.locator('#send-h').innerText(), new RegExp(`127\\.0\\.0\\.1:${tusPort}`), 'the heading names the host');

    // Prepare: the bundle is made and shown; nothing is sent.
    await page.locator('[data-testid=send]').click();
    await page.locator('[data-testid=send-confirm]').waitFor({ state: 'visible', timeout: 60_000 }).catch(async (e) => {
      const said = await page.evaluate(() => {
        const root = document.querySelector('record-precheck')?.shadowRoot;
        const text = (/** @type {string} */ id) => root?.querySelector(`[data-testid=${id}]`)?.textContent ?? '';
        return { send: text('send-status'), bundle: text('bundle-status'), progress: text('bundle-progress-text') };
      });
      throw new Error(`not ready to send: ${JSON.stringify(said)}`, { cause: e });
    });
    const blob = await preparedBlob(page);
    assert.ok(blob.size > 2 * CHUNK, `the bundle (${blob.size} B) needs more than two requests`);
    assert.equal(await page.locator('[data-testid=send-host]').innerText(), `127.0.0.1:${tusPort}`);
    assert.match(await page.locator('[data-testid=send-bytes]').innerText(), new RegExp(blob.size.toLocaleString('en')));
    assert.match(await page.locator('[data-testid=send-count]').innerText(), /^\d+ files \(\d+ left out\)$/);
    const count = Number((await page.locator('[data-testid=send-count]').innerText()).split(' ')[0]);
    assert.ok(count >= picked.length - 1, `files in it: ${count} (picked ${picked.length}, the DICOMDIR left out)`);
    assert.match(await page.locator('[data-testid=send-status]').innerText(), /Nothing has been sent/);
    assert.deepEqual(first.requests, [], 'no request reached the tus server before the consent click');
    assert.deepEqual(requestsTo(app, `:${tusPort}`), [], 'the page requested nothing of the tus server');
    assert.deepEqual(requestsTo(app, 'sender.js').concat(requestsTo(app, 'vendor/')), [], 'the sending code is not loaded yet');
    assert.equal(await page.evaluate(() => typeof (/** @type {any} */ (window)).tus), 'undefined');

    // Consent. The server stops when the second request comes in.
    await page.locator('[data-testid=send-confirm]').click();
    await first.killed;
    const [id] = (await readdir(store)).filter((f) => !f.endsWith('.json'));
    assert.ok(id, 'the upload was created in the store');
    const offsetAtStop = (await stat(join(store, id))).size;
    assert.equal(offsetAtStop, CHUNK, 'the first request was stored before the server stopped');
    assert.deepEqual(
      first.requests.map((r) => r.method).filter((m) => m !== 'OPTIONS'),
      ['POST', 'PATCH', 'PATCH'],
      'created, one request stored, the next one cut',
    );
    // Started again on the same port with the same store: the upload goes on by itself.
    const second = await startTus({ port: tusPort, directory: store, appOrigin });
    tus = second;
    await page.waitForFunction(() => /** @type {any} */ (window).__rpSend.sent.length > 0, undefined, { timeout: 120_000 });
    const { sent, errors } = await sentEvents(page);
    assert.deepEqual(errors, [], 'no precheck-error');
    assert.equal(sent.length, 1);
    assert.equal(sent[0].bytes, blob.size, 'precheck-sent says the size');
    assert.equal(new URL(sent[0].url).pathname, `/files/${id}`, 'precheck-sent says the upload URL');

    // Resumed, not started over: the second server was asked for the offset, and its first
    // PATCH began there; both servers together received the file once.
    const patches2 = second.requests.filter((r) => r.method === 'PATCH');
    // (Usually after a HEAD that asked for the offset; Chromium may also resend the cut PATCH
    // by itself, at the same offset.)
    const seen = JSON.stringify({ first: first.requests, second: second.requests });
    assert.ok(!second.requests.some((r) => r.method === 'POST'), `no new upload was created: ${seen}`);
    assert.equal(patches2[0].offset, offsetAtStop, `the first request after the restart began at the stored offset (> 0): ${seen}`);
    assert.equal(second.received(), blob.size - offsetAtStop, 'the restarted server received only the rest');
    assert.equal(first.received() + second.received(), blob.size, 'both servers together received the file once');

    // The received file is the bundle, byte for byte, and a sound zip of the picked files.
    const received = await readFile(join(store, id));
    assert.equal(received.length, blob.size);
    assert.equal(sha256(received), blob.sha256, 'the received file is byte-identical to the bundle');
    const zipPath = join(tmp, 'received.zip');
    await writeFile(zipPath, received);
    const manifest = await checkBundle(zipPath, picked);
    assert.ok(manifest.inputs.some((r) => r.path.endsWith('video/clip.mp4') && r.outcome === 'copied'), 'the video is in it');

    // The page: progress at 100 %, the status, the Blob let go, the tus client loaded from
    // this origin; nothing stored; another origin blocked by the CSP.
    assert.match(await page.locator('[data-testid=send-status]').innerText(), new RegExp(`Sent to 127\\.0\\.0\\.1:${tusPort}`));
    assert.equal(await page.evaluate(async () => (await import('/app.js')).internals(/** @type {any} */ (document.querySelector('record-precheck'))).send.blob), null);
    const vendor = requestsTo(app, 'vendor/');
    assert.deepEqual(vendor, [`${server.url}vendor/tus.min.js`], 'the tus client, once, from this origin');
    const storage = await storageState(app);
    assert.ok(
      Object.values(storage).every((v) => (Array.isArray(v) ? v.length === 0 : !v)),
      `nothing stored (no upload URL or fingerprint in localStorage): ${JSON.stringify(storage)}`,
    );
    const before = second.requests.length;
    const blocked = await page.evaluate(async (port) => {
      try {
        await fetch(`http://localhost:${port}/files/`);
        return false;
      } catch {
        return true;
      }
    }, tusPort);
    assert.ok(blocked, 'a request to another origin fails');
    assert.equal(second.requests.length, before, 'the CSP stopped it before it reached the server');
  } catch (e) {
    if (app.errors.length && e instanceof Error) e.message += `\n  page errors:\n    ${app.errors.join('\n    ')}`;
    throw e;
  } finally {
    await app.context.close();
    await server.stop();
    await tus.stop();
  }
});

test('pause and resume; start over lets the bundle go', { timeout: 180_000 }, async () => {
  ready();
  const store = join(tmp, 'store-pause');
  const { server, tus, app } = await startSending(store, { holdFirstPatch: true });
  const { page } = app;
  try {
    await page.evaluate((url) => {
      const el = document.querySelector('record-precheck');
      el?.setAttribute('lang', 'zh');
      el?.setAttribute('destination', url);
    }, tus.endpoint);
    const dir = join(CORPUS, 'case-cd-ct');
    const picked = await filesUnder(dir);
    await pickFolder(page, dir);
    assert.match(await page.locator('#send-h').innerText(), /发送到/);

    // "Don't send" drops it: nothing reached the server.
    await page.locator('[data-testid=send]').click();
    await page.locator('[data-testid=send-discard]').click();
    assert.equal(await page.evaluate(async () => (await import('/app.js')).internals(/** @type {any} */ (document.querySelector('record-precheck'))).send.blob), null);
    assert.match(await page.locator('[data-testid=send-status]').innerText(), /没有发送/);
    assert.deepEqual(tus.requests, [], 'nothing sent after "Don\'t send"');

    await page.locator('[data-testid=send]').click();
    await page.locator('[data-testid=send-confirm]').click();
    // The first PATCH is held by the server: Pause drops it.
    await page.locator('[data-testid=send-pause]').waitFor({ state: 'visible' });
    while (!tus.requests.some((r) => r.method === 'PATCH')) await new Promise((r) => setTimeout(r, 50));
    await page.locator('[data-testid=send-pause]').click();
    await tus.held;
    assert.ok(await page.locator('[data-testid=send-resume]').isVisible(), 'Resume shown when paused');
    assert.match(await page.locator('[data-testid=send-status]').innerText(), /已暂停/);
    const n = tus.requests.length;
    await page.locator('[data-testid=send-resume]').click();
    await page.waitForFunction(() => /** @type {any} */ (window).__rpSend.sent.length > 0, undefined, { timeout: 60_000 });
    const resumed = tus.requests.slice(n).map((r) => r.method).filter((m) => m !== 'OPTIONS');
    assert.equal(resumed[0], 'HEAD', `Resume asks the server for its offset first: ${resumed}`);
    assert.ok(!resumed.includes('POST'), 'no new upload');
    assert.match(await page.locator('[data-testid=send-progress-text]').innerText(), /（100%）/);
    const { sent } = await sentEvents(page);
    const id = new URL(sent[0].url).pathname.split('/').pop();
    const zipPath = join(tmp, 'paused.zip');
    await writeFile(zipPath, await readFile(join(store, id)));
    await checkBundle(zipPath, picked);

    // Start over: the send step is back to its beginning.
    await page.locator('[data-testid=start-over]').click();
    const state = await page.evaluate(async () => {
      const { state, blob } = (await import('/app.js')).internals(/** @type {any} */ (document.querySelector('record-precheck'))).send;
      return { state, blob };
    });
    assert.equal(state.state, 'idle');
    assert.equal(state.blob, null);
  } catch (e) {
    if (app.errors.length && e instanceof Error) e.message += `\n  page errors:\n    ${app.errors.join('\n    ')}`;
    throw e;
  } finally {
    await app.context.close();
    await server.stop();
    await tus.stop();
  }
});

test('sending abroad: a separate consent before Send, recorded in the manifest; at home, none', { timeout: 180_000 }, async () => {
  ready();
  const store = join(tmp, 'store-abroad');
  const { server, tus, tusPort, app } = await startSending(store, {});
  const { page } = app;
  const host = `127.0.0.1:${tusPort}`;
  /** The manifest of the bundle the tus server received last. */
  const receivedManifest = async (/** @type {number} */ nth) => {
    await page.waitForFunction((n) => /** @type {any} */ (window).__rpSend.sent.length >= n, nth, { timeout: 60_000 });
    const { sent } = await sentEvents(page);
    const id = new URL(sent[nth - 1].url).pathname.split('/').pop();
    const zipPath = join(tmp, `abroad-${nth}.zip`);
    await writeFile(zipPath, await readFile(join(store, id)));
    return checkBundle(zipPath, picked);
  };
  const dir = join(CORPUS, 'case-cd-ct');
  const picked = await filesUnder(dir);
  try {
    await page.evaluate((url) => document.querySelector('record-precheck')?.setAttribute('destination', url), tus.endpoint);
    await pickFolder(page, dir);

    // At home (no destination-country): no consent step, and no consent in the manifest.
    assert.ok(await page.locator('[data-testid=send-consent]').isHidden(), 'no consent step without destination-country');
    await page.locator('[data-testid=send]').click();
    await page.locator('[data-testid=send-confirm]').click();
    const home = await receivedManifest(1);
    assert.equal('consent' in home, false, 'no consent key in a bundle sent at home');

    // Abroad: the host names the country, the recipient and the purpose.
    const recipient = 'International Medical Service, Example Hospital, Beijing';
    const purpose = 'a second opinion on my diagnosis and treatment';
    await page.evaluate(
      ({ recipient, purpose }) => {
        const el = document.querySelector('record-precheck');
        el?.setAttribute('destination-country', 'CN');
        el?.setAttribute('recipient', recipient);
        el?.setAttribute('purpose', purpose);
      },
      { recipient, purpose },
    );
    const text = (/** @type {string} */ id) => page.locator(`[data-testid=${id}]`).innerText();
    assert.ok(await page.locator('[data-testid=send-consent]').isVisible(), 'the consent step is shown');
    assert.match(await text('consent-what'), /the files you gave \(11\).*health information.*who you are/);
    assert.equal(await text('consent-recipient'), `${recipient} (${host})`);
    assert.match(await text('consent-country'), /^China \(CN\): outside the country you are in/);
    assert.equal(await text('consent-purpose'), purpose);
    assert.match(await page.locator('[data-testid=send-consent]').innerText(), /You may say no: then nothing is sent/);
    assert.ok(await page.locator('[data-testid=send]').isDisabled(), '"Prepare to send" is disabled before the consent');
    assert.ok(await page.locator('[data-testid=send-confirm]').isDisabled(), '"Send" is disabled before the consent');
    await page.locator('[data-testid=lang]').selectOption('zh');
    assert.match(await text('consent-country'), /^中国 \(CN\)/, 'the country by name, in Chinese');
    await page.locator('[data-testid=lang]').selectOption('en');
    const requestsBefore = tus.requests.length;

    // Ticked, prepared, then withdrawn: the bundle made with it is let go, nothing is sent.
    await page.locator('[data-testid=consent-abroad]').check();
    await page.locator('[data-testid=send]').click();
    await page.locator('[data-testid=send-confirm]').waitFor({ state: 'visible', timeout: 60_000 });
    assert.ok(await page.locator('[data-testid=send-confirm]').isEnabled(), '"Send" is enabled once ticked');
    await page.locator('[data-testid=consent-abroad]').uncheck();
    assert.ok(await page.locator('[data-testid=send-confirm]').isHidden(), 'no "Send" once withdrawn');
    assert.equal(await page.evaluate(async () => (await import('/app.js')).internals(/** @type {any} */ (document.querySelector('record-precheck'))).send.blob), null);
    assert.match(await text('send-status'), /withdrew your consent/);
    assert.equal(tus.requests.length, requestsBefore, 'nothing sent after the consent was withdrawn');

    // Given again, and sent: the manifest records it.
    await page.locator('[data-testid=consent-abroad]').check();
    const agreed = await page.locator('label[for=consent-abroad]').innerText();
    await page.locator('[data-testid=send]').click();
    await page.locator('[data-testid=send-confirm]').click();
    const abroad = await receivedManifest(2);
    assert.deepEqual({ ...abroad.consent, given_at: undefined }, {
      cross_border: true,
      destination_host: host,
      country: 'CN',
      recipient,
      purpose,
      given_at: undefined,
      text: agreed,
    });
    assert.equal(agreed, `I agree that my medical records are sent to ${recipient} in China (CN), for ${purpose}.`);
    assert.match(abroad.consent.given_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(Math.abs(Date.parse(abroad.consent.given_at) - Date.now()) < 120_000, 'given just now');
    assert.ok(await page.locator('[data-testid=consent-abroad]').isDisabled(), 'what was sent cannot be taken back');
  } catch (e) {
    if (app.errors.length && e instanceof Error) e.message += `\n  page errors:\n    ${app.errors.join('\n    ')}`;
    throw e;
  } finally {
    await app.context.close();
    await server.stop();
    await tus.stop();
  }
});
