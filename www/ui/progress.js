// @ts-check
/**
 * What the checker is doing: the scan's progress box (`progress`, files done of the batch;
 * `progress-text`, `progress-file`, `cancel`) and the status line (`status`), kept as a message
 * id so that it follows the language.
 */
import { formatBytes, ui } from "../i18n.js";
import { h, progressBox } from "./dom.js";

/** @typedef {import("../app.js").Precheck} Precheck */
/** @typedef {import("../workers/pool.js").Progress} Progress */

export class ScanProgress {
  /** @param {Precheck} host */
  constructor(host) {
    this.host = host;
    this.cancel = h("button", { type: "button", "data-testid": "cancel", "data-t": "cancel" });
    const { box, bar, text } = progressBox("progress", this.cancel);
    this.file = h("span", { class: "progress-file", "data-testid": "progress-file" });
    box.append(this.file);
    this.box = box;
    this.bar = bar;
    this.text = text;
    this.status = h("p", { class: "status", role: "status", part: "status", "data-testid": "status" });
    /** @type {Progress | null} */
    this.pending = null;
    this.frame = 0;
    /** The status line's message. */
    /** @type {{ id: string, values?: Record<string, string | number> }} */
    this.statusId = { id: "" };
    this.cancel.addEventListener("click", () => host.pool.cancel());
  }

  /**
   * Shows the box for a batch of `total` files.
   * @param {number} total
   */
  start(total) {
    this.box.hidden = false;
    this.pending = { filesDone: 0, filesTotal: total, bytesDone: 0, current: "", listing: false };
    this.draw();
  }

  /**
   * The batch's progress, drawn at the next frame.
   * @param {Progress} p
   */
  update(p) {
    this.pending = p;
    if (!this.frame) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.draw();
      });
    }
  }

  draw() {
    const p = this.pending;
    if (!p) return;
    const lang = this.host.uiLang;
    this.bar.max = Math.max(1, p.filesTotal);
    this.bar.value = p.filesDone;
    this.text.textContent = ui(lang, "progress-text", {
      done: p.filesDone,
      total: p.filesTotal,
      bytes: formatBytes(p.bytesDone),
    });
    this.file.textContent =
      p.current && p.filesDone < p.filesTotal ? ui(lang, "progress-current", { path: p.current }) : "";
  }

  /** @param {boolean} on */
  busy(on) {
    this.cancel.hidden = !on;
  }

  /** Hides the box (start over). */
  hide() {
    this.box.hidden = true;
    this.pending = null;
  }

  /**
   * @param {string} id
   * @param {Record<string, string | number>} [values]
   */
  setStatus(id, values) {
    // A new error tells the host (a change of language shows the same status again: not a new one).
    if (id === "status-error" && values !== this.statusId.values) this.host.tellError(id, values);
    this.statusId = { id, values };
    this.status.textContent = id ? ui(this.host.uiLang, id, values) : "";
  }

  /** The progress and the status again, in the page's new language. */
  redraw() {
    if (this.pending) this.draw();
    this.setStatus(this.statusId.id, this.statusId.values);
  }
}
