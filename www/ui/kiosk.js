// @ts-check
/**
 * Kiosk mode of `<record-precheck>` (attribute `mode="kiosk"`; on the standalone page
 * `?mode=kiosk`): owns the "Finish — clear everything" button (`finish`), the idle timer and
 * its warning (`idle-warning`, `idle-continue`), and on the standalone page the registration
 * of the service worker (sw.js) that precaches the app so that it works offline after one
 * visit. What is cleared, and how, is the element's `finish()`: this module holds no file.
 *
 * After "Finish", `finish-summary` says what was erased (`li[data-testid=finish-erased]`:
 * the files forgotten, the workers replaced, the bundle's memory and download links let go, the
 * report windows closed, and that the site's storage was checked and is empty) and what the
 * page could not erase (`li[data-testid=finish-left][data-kind]`: `download` — a file (a
 * bundle, a de-identified bundle's key) in this computer's download folder; `picker` — one saved where the patient chose; `storage` —
 * site storage that is not empty; `own-files` — the patient's own files, which were only read).
 * A page cannot delete a file it saved, so it names each one: the patient takes it, the staff
 * delete it. The summary stays until the next files are given, for the staff to read.
 */
import { ui } from "../i18n.js";
import { h } from "./dom.js";

/** @typedef {{ name: string, method: "picker" | "download" }} SavedFile */

/** The caches that hold the app's offline copy (sw.js): nothing of the patient's is in them. */
const APP_CACHE_PREFIX = "record-precheck-";

/** Seconds without input before the warning, unless the attribute `idle` says otherwise. */
const DEFAULT_IDLE_S = 600;
/** Seconds the warning shows before everything is cleared (at most; less for a short `idle`). */
const GRACE_S = 60;
/** What counts as someone using the screen (all of them reach the shadow root). */
const ACTIVITY = ["pointerdown", "keydown", "input", "change", "drop", "wheel", "touchstart", "focusin"];

export class Kiosk {
  /** @param {import("../app.js").Precheck} host */
  constructor(host) {
    this.host = host;
    this.on = false;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.idleTimer = undefined;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.graceTimer = undefined;
    this.finishButton = h("button", { type: "button", class: "finish", part: "finish", "data-testid": "finish", "data-t": "finish", hidden: true });
    this.finishButton.addEventListener("click", () => this.finish());
    this.warning = h(
      "div",
      { class: "idle-warning", role: "alertdialog", "aria-live": "assertive", "data-testid": "idle-warning", hidden: true },
      h("p", { "data-t": "idle-warning" }),
      h("button", { type: "button", "data-testid": "idle-continue", "data-t": "idle-continue" }),
    );
    // Any input (the "continue" button included) puts the warning away and starts again.
    this.activity = () => this.arm();
    /** Files saved since the last "Finish": the page cannot delete them. @type {SavedFile[]} */
    this.saved = [];
    /**
     * What the last "Finish" did, shown in `finish-summary` until the next files.
     * @type {{ cleared: { files: number, windows: number }, saved: SavedFile[], storage: string[] } | null}
     */
    this.finished = null;
    this.summary = h("section", { class: "finish-summary", role: "status", "data-testid": "finish-summary", hidden: true });
    host.dropZone.startOver.after(this.finishButton);
    host.progress.status.after(this.summary);
    host.app.prepend(this.warning);
  }

  /**
   * A file was saved for the patient (ui/bundle.js): "Finish" will say it is still there.
   * @param {SavedFile} file
   */
  remember(file) {
    this.saved.push(file);
  }

  /** The next patient's files: the last one's summary goes. */
  hideSummary() {
    this.finished = null;
    this.summary.hidden = true;
    this.summary.replaceChildren();
  }

  /** Follows the attributes `mode` and `idle`. */
  update() {
    const on = this.host.el.getAttribute("mode") === "kiosk";
    this.finishButton.hidden = !on;
    this.host.bundle.showSaving();
    this.host.printable.update();
    if (on && !this.on) for (const type of ACTIVITY) this.host.root.addEventListener(type, this.activity, true);
    if (!on && this.on) for (const type of ACTIVITY) this.host.root.removeEventListener(type, this.activity, true);
    this.on = on;
    if (on && this.host.el.isConnected) this.arm();
    else this.stop();
  }

  /** Seconds of the attribute `idle` (a positive number), else 600. */
  idleSeconds() {
    const n = Number(this.host.el.getAttribute("idle"));
    return Number.isFinite(n) && n > 0 ? n : DEFAULT_IDLE_S;
  }

  /** (Re)starts the idle timer; puts a warning away. */
  arm() {
    this.stop();
    if (!this.on) return;
    this.idleTimer = setTimeout(() => this.idle(), this.idleSeconds() * 1000);
  }

  /** Stops the timers (the element left the page, or kiosk mode ended). */
  stop() {
    clearTimeout(this.idleTimer);
    clearTimeout(this.graceTimer);
    this.idleTimer = this.graceTimer = undefined;
    this.warning.hidden = true;
  }

  /** Nobody used the screen for `idle` seconds: a warning, then everything is cleared. */
  idle() {
    const host = this.host;
    // Nothing of anyone's to clear, or still at work (a long bundle needs no input): wait again.
    if (host.entries.length === 0 || host.pool.busy || host.bundle.saving) {
      this.arm();
      return;
    }
    this.warning.hidden = false;
    const grace = Math.min(GRACE_S, this.idleSeconds());
    this.graceTimer = setTimeout(() => this.finish(), grace * 1000);
  }

  /** "Finish — clear everything", then what was erased and what could not be. */
  async finish() {
    this.stop();
    const cleared = this.host.finish();
    this.host.setStatus("status-finished");
    if (this.on) this.arm();
    const saved = this.saved;
    this.saved = [];
    this.finished = { cleared, saved, storage: await storageLeft() };
    this.renderSummary();
  }

  /** The last "Finish"'s summary, in the page's language. */
  renderSummary() {
    if (!this.finished) return;
    const { cleared, saved, storage } = this.finished;
    const lang = this.host.uiLang;
    /** @param {string} testid @param {string} kind @param {string} text */
    const item = (testid, kind, text) => h("li", { "data-testid": testid, "data-kind": kind }, text);
    const erased = [
      item("finish-erased", "files", ui(lang, "finish-files", { count: cleared.files })),
      item("finish-erased", "workers", ui(lang, "finish-workers")),
      item("finish-erased", "memory", ui(lang, "finish-memory")),
    ];
    if (cleared.windows > 0) erased.push(item("finish-erased", "windows", ui(lang, "finish-windows", { count: cleared.windows })));
    if (storage.length === 0) erased.push(item("finish-erased", "storage", ui(lang, "finish-storage")));
    const left = saved.map((f) => item("finish-left", f.method, ui(lang, `finish-left-${f.method}`, { name: f.name })));
    if (storage.length > 0) left.push(item("finish-left", "storage", ui(lang, "finish-left-storage", { what: storage.join(", ") })));
    left.push(item("finish-left", "own-files", ui(lang, "finish-left-own")));
    this.summary.replaceChildren(
      h("h3", {}, ui(lang, "finish-erased-h")),
      h("ul", {}, ...erased),
      h("h3", {}, ui(lang, "finish-left-h")),
      h("ul", {}, ...left),
    );
    this.summary.hidden = false;
  }
}

/**
 * What this site's storage holds after "Finish": the page itself stores nothing, so anything
 * here was written by something else (the host page, another app on the origin) and is named
 * for the staff. The app's offline copy (caches `record-precheck-*`, sw.js) holds only the app.
 * @returns {Promise<string[]>}
 */
async function storageLeft() {
  /** @type {string[]} */
  const left = [];
  // Storage can be switched off (a sandboxed frame, a strict browser setting): then it is empty.
  /** @param {() => boolean} holds @param {string} name */
  const check = (holds, name) => {
    try {
      if (holds()) left.push(name);
    } catch {}
  };
  check(() => localStorage.length > 0, "localStorage");
  check(() => sessionStorage.length > 0, "sessionStorage");
  check(() => document.cookie !== "", "cookies");
  try {
    for (const db of await indexedDB.databases()) left.push(`IndexedDB ${db.name}`);
  } catch {}
  try {
    for (const key of await caches.keys()) if (!key.startsWith(APP_CACHE_PREFIX)) left.push(`Cache Storage ${key}`);
  } catch {}
  return left;
}

/**
 * The standalone page (`data-standalone`) opened with `?mode=kiosk`: kiosk mode on every
 * element, and the service worker that precaches the app (sw.js), registered while the page
 * loads. Without `?mode=kiosk` nothing is registered and nothing stored.
 */
export function standaloneKiosk() {
  if (new URLSearchParams(location.search).get("mode") !== "kiosk") return;
  for (const e of document.querySelectorAll("record-precheck")) e.setAttribute("mode", "kiosk");
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(new URL("../sw.js", import.meta.url)).catch((err) => {
      console.warn(`record-precheck: no offline copy (the service worker did not register): ${err}`);
    });
  }
}
