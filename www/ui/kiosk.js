// @ts-check
/**
 * Kiosk mode of `<record-precheck>` (attribute `mode="kiosk"`; on the standalone page
 * `?mode=kiosk`): owns the "Finish — clear everything" button (`finish`), the idle timer and
 * its warning (`idle-warning`, `idle-continue`), and on the standalone page the registration
 * of the service worker (sw.js) that precaches the app so that it works offline after one
 * visit. What is cleared, and how, is the element's `finish()`: this module holds no file.
 */
import { h } from "./dom.js";

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
    host.dropZone.startOver.after(this.finishButton);
    host.app.prepend(this.warning);
  }

  /** Follows the attributes `mode` and `idle`. */
  update() {
    const on = this.host.el.getAttribute("mode") === "kiosk";
    this.finishButton.hidden = !on;
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

  /** "Finish — clear everything". */
  finish() {
    this.stop();
    this.host.finish();
    this.host.setStatus("status-finished");
    if (this.on) this.arm();
  }
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
