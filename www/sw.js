// @ts-check
/**
 * The service worker of kiosk mode (registered by ui/kiosk.js when the standalone page is
 * opened with `?mode=kiosk`): a versioned precache of exactly the app's assets, so that after
 * one visit the app works with the network off — reading the text of pictures too: the OCR
 * module and its models (pkg/ocr/, 15.6 MB) are assets, fetched here once at install. Owns the caches named `record-precheck-*` and
 * nothing else.
 *
 * After squoosh's approach: `cargo xtask build` writes the asset list and a hash of their
 * contents into pkg/precache.js (imported below, so a new build is a new service worker); the
 * cache is named after that hash; on activate, older `record-precheck-*` caches are deleted.
 * Answers only same-origin GETs of those assets (and navigations to the app's page, with any
 * query, from its cached index.html); anything else goes to the network as if there were no
 * service worker, and is never cached. The patient's files are never requested, so they never
 * pass through here.
 */
importScripts("./pkg/precache.js");

const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));
/** @type {{ version: string, assets: string[] }} */
const PRECACHE = /** @type {any} */ (self).RECORD_PRECHECK_PRECACHE;
const PREFIX = "record-precheck-";
const CACHE = PREFIX + PRECACHE.version;
/** The app's folder (this script's). */
const BASE = new URL("./", sw.location.href);
/** The absolute URLs of the assets. */
const ASSETS = new Set(PRECACHE.assets.map((a) => new URL(a, BASE).href));
const PAGE = new URL("index.html", BASE).href;

sw.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll([...ASSETS].map((url) => new Request(url, { cache: "no-cache" }))))
      .then(() => sw.skipWaiting()),
  );
});

sw.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k)))),
  );
});

sw.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== BASE.origin) return;
  const bare = url.origin + url.pathname;
  /** @type {string | null} */
  let key = null;
  if (ASSETS.has(bare) && (url.search === "" || request.mode === "navigate")) key = bare;
  else if (request.mode === "navigate" && bare === BASE.href && ASSETS.has(PAGE)) key = PAGE;
  if (!key) return;
  const found = key;
  event.respondWith(
    caches
      .open(CACHE)
      .then((cache) => cache.match(found))
      .then((hit) => hit ?? fetch(request)),
  );
});
