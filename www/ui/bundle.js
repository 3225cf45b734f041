// @ts-check
/**
 * The bundle (`bundle`): the options (`bundle-deflate`; `bundle-keep-metadata`, unticked: photos
 * and screenshots are written without their GPS position and camera serial numbers;
 * `bundle-deidentify`: the imaging de-identified, people named PATIENT-1…, with the options
 * `bundle-deid-dates`, `bundle-deid-characteristics`, `bundle-deid-descriptors` — preset by the
 * element's attribute `deidentify` — and after saving the key `bundle-key`, who is who, shown
 * here and saved apart only with `bundle-key-save`),
 * "Save the bundle" (`save-bundle`),
 * what is left out (`bundle-excluded`, `bundle-set-aside`, `bundle-other-people`), the progress
 * (`bundle-progress`, `bundle-progress-text`, `bundle-cancel`) and `bundle-status`. The zip is written by the
 * report worker (workers/reporter.js), which reads the files in place, into a file the patient
 * picks, a download (saver.js), the host's stream (`stream()`) or the send step's Blob
 * (send.js).
 *
 * In kiosk mode the computer is not the patient's, so the page says where the bundle goes:
 * before saving (`bundle-kiosk-hint`: "choose your USB drive" in the save dialog, or that it
 * lands in this computer's download folder) and after (`bundle-where`: the file's name and
 * where it is, and that a download stays on this computer unless the patient takes it). What
 * was saved is remembered for "Finish", which lists it as not erased (ui/kiosk.js).
 */
import { formatBytes, formatDuration, ui } from "../i18n.js";
import { bundleName, canPickSaveFile, openSaveTarget, streamTarget } from "../saver.js";
import { isAbort, messageOf } from "../workers/bridge.js";
import { h, progressBox } from "./dom.js";

/** The bundle's progress is drawn at most this often (ms). */
const PROGRESS_MS = 100;

/** @typedef {import("../app.js").Precheck} Precheck */
/** @typedef {import("../saver.js").SaveTarget} SaveTarget */
/** @typedef {import("../pkg/record_precheck.js").BundleProgress} BundleProgress */
/** @typedef {import("../pkg/record_precheck.js").ManifestTotals} ManifestTotals */
/** @typedef {import("../pkg/record_precheck.js").Consent} Consent */

export class Bundle {
  /** @param {Precheck} host */
  constructor(host) {
    this.host = host;
    /** The bundle being saved. @type {{ target: SaveTarget, started: number, cancelled: boolean } | null} */
    this.saving = null;
    /** The bundle's progress to draw next, and its timer (`queueProgress`). @type {BundleProgress | null} */
    this.nextProgress = null;
    this.progressTimer = 0;
    /** The status line, kept as an id so that it follows the language. */
    /** @type {{ id: string, values?: Record<string, string | number> }} */
    this.statusId = { id: "" };
    this.deflate = h("input", { type: "checkbox", id: "bundle-deflate", "data-testid": "bundle-deflate" });
    this.keepMetadata = h("input", { type: "checkbox", "data-testid": "bundle-keep-metadata" });
    this.deidentify = h("input", { type: "checkbox", "data-testid": "bundle-deidentify" });
    /** @type {Record<"dates" | "characteristics" | "descriptors", HTMLInputElement>} */
    this.deidOptions = {
      dates: h("input", { type: "checkbox", "data-testid": "bundle-deid-dates" }),
      characteristics: h("input", { type: "checkbox", "data-testid": "bundle-deid-characteristics" }),
      descriptors: h("input", { type: "checkbox", "data-testid": "bundle-deid-descriptors" }),
    };
    this.deidBox = h(
      "div",
      { class: "deid-options", hidden: true },
      h("p", { class: "hint", "data-t": "bundle-deid-hint" }),
      ...Object.entries(this.deidOptions).map(([name, box]) =>
        h("label", { class: "choice" }, box, h("span", { "data-t": `bundle-deid-${name}` })),
      ),
    );
    this.deidentify.addEventListener("change", () => (this.deidBox.hidden = !this.deidentify.checked));
    /** Who each pseudonym stands for, after a de-identified bundle. */
    this.keyList = h("ul", { "data-testid": "bundle-key-list" });
    this.keySave = h("button", { type: "button", "data-testid": "bundle-key-save", "data-t": "bundle-key-save" });
    this.keyBox = h(
      "div",
      { class: "deid-key", "data-testid": "bundle-key", hidden: true },
      h("p", { class: "hint", "data-t": "bundle-key-hint" }),
      this.keyList,
      h("div", { class: "actions" }, this.keySave),
    );
    /** @type {import("../pkg/record_precheck.js").PseudonymKey[]} */
    this.key = [];
    this.keySave.addEventListener("click", () => this.saveKey());
    this.saveButton = h("button", { type: "button", class: "primary", "data-testid": "save-bundle" });
    this.kioskHint = h("p", { class: "hint", "data-testid": "bundle-kiosk-hint", hidden: true });
    /** Where the last bundle went (kiosk mode), kept as an id so that it follows the language. */
    /** @type {{ id: string, values?: Record<string, string | number> }} */
    this.whereId = { id: "" };
    this.where = h("p", { class: "where", role: "status", "data-testid": "bundle-where", hidden: true });
    this.excluded = h("p", { class: "hint", "data-testid": "bundle-excluded", hidden: true });
    this.setAside = h("p", { class: "hint", "data-testid": "bundle-set-aside", hidden: true });
    this.otherPeople = h("p", { class: "hint", "data-testid": "bundle-other-people", hidden: true });
    const cancel = h("button", { type: "button", "data-testid": "bundle-cancel", "data-t": "cancel" });
    const { box, bar, text } = progressBox("bundle-progress", cancel);
    this.box = box;
    this.bar = bar;
    this.text = text;
    this.status = h("p", { class: "status", role: "status", "data-testid": "bundle-status" });
    this.el = h(
      "section",
      { class: "bundle", "data-testid": "bundle", "aria-labelledby": "bundle-h" },
      h("h2", { id: "bundle-h", "data-t": "bundle" }),
      h("p", { class: "hint", "data-t": "bundle-hint" }),
      h("label", { class: "choice" }, this.deflate, h("span", { "data-t": "bundle-deflate" })),
      h("label", { class: "choice" }, this.keepMetadata, h("span", { "data-t": "bundle-keep-metadata" })),
      h("label", { class: "choice" }, this.deidentify, h("span", { "data-t": "bundle-deidentify" })),
      this.deidBox,
      this.excluded,
      this.setAside,
      this.otherPeople,
      this.kioskHint,
      h("div", { class: "actions" }, this.saveButton),
      box,
      this.status,
      this.where,
      this.keyBox,
    );
    this.saveButton.addEventListener("click", () => this.saveBundle());
    cancel.addEventListener("click", () => {
      if (this.saving) this.saving.cancelled = true;
      host.reporter.cancelBundle();
    });
  }

  /**
   * What the bundle leaves out: the files the patient unticked, those it sets aside itself, and
   * those of people the patient said are not them.
   * @param {number} excluded
   * @param {number} setAside
   * @param {number} otherPeople
   */
  showLeftOut(excluded, setAside, otherPeople) {
    const lang = this.host.uiLang;
    this.excluded.hidden = excluded === 0;
    this.excluded.textContent = ui(lang, "bundle-excluded", { count: excluded });
    this.setAside.hidden = setAside === 0;
    this.setAside.textContent = ui(lang, "bundle-set-aside-count", { count: setAside });
    this.otherPeople.hidden = otherPeople === 0;
    this.otherPeople.textContent = ui(lang, "bundle-other-people", { count: otherPeople });
  }

  /**
   * How "Save the bundle" saves: into a file the patient picks where the browser can (unless
   * the host said `save="download"`), else a download.
   * @returns {"picker" | "download"}
   */
  savesBy() {
    return canPickSaveFile() && this.host.el.getAttribute("save") !== "download" ? "picker" : "download";
  }

  /** The save button and, in kiosk mode, where the bundle will go and where it went. */
  showSaving() {
    const lang = this.host.uiLang;
    const kiosk = this.host.el.getAttribute("mode") === "kiosk";
    const picker = this.savesBy() === "picker";
    this.saveButton.textContent = ui(lang, picker ? (kiosk ? "bundle-save-kiosk" : "bundle-save") : "bundle-save-download");
    this.kioskHint.hidden = !kiosk;
    this.kioskHint.textContent = ui(lang, picker ? "bundle-kiosk-picker" : "bundle-kiosk-download");
    const where = this.whereId;
    this.where.hidden = !kiosk || !where.id;
    this.where.textContent = where.id ? ui(lang, where.id, where.values) : "";
  }

  /**
   * The host's `deidentify` attribute: present, the box starts ticked; its words (`dates`,
   * `characteristics`, `descriptors`) tick the options. The patient can still change them.
   * @param {string | null} value
   */
  presetDeidentify(value) {
    this.deidentify.checked = value !== null;
    const words = (value ?? "").split(/[\s,]+/);
    for (const [name, box] of Object.entries(this.deidOptions)) box.checked = words.includes(name);
    this.deidBox.hidden = !this.deidentify.checked;
  }

  /** The de-identification asked for, with a secret drawn for this bundle; or undefined. */
  deidentifyRequest() {
    if (!this.deidentify.checked) return undefined;
    return {
      secret: Array.from(crypto.getRandomValues(new Uint8Array(32))),
      modifiedDates: this.deidOptions.dates.checked,
      patientCharacteristics: this.deidOptions.characteristics.checked,
      cleanDescriptors: this.deidOptions.descriptors.checked,
    };
  }

  /**
   * Shows who is who after a de-identified bundle (the key is in no file unless the patient
   * saves it apart).
   * @param {import("../pkg/record_precheck.js").PseudonymKey[]} key
   */
  showKey(key) {
    this.key = key;
    this.keyBox.hidden = key.length === 0;
    this.keyList.replaceChildren(
      ...key.map((k) =>
        h("li", {}, `${k.pseudonym} = ${[...k.names, ...k.ids, ...k.birth_dates].join(" · ")}`),
      ),
    );
  }

  /** Saves the key as its own small file (a download), apart from the bundle. */
  saveKey() {
    const text = this.key
      .map((k) => `${k.pseudonym}\t${[...k.names, ...k.ids, ...k.birth_dates].join("\t")}`)
      .join("\r\n");
    const url = URL.createObjectURL(new Blob(["\ufeff" + text + "\r\n"], { type: "text/plain" }));
    const a = h("a", { href: url, download: "record-precheck-key.txt", hidden: true });
    this.el.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    // Who is who, in the download folder: on a kiosk, "Finish" must name it.
    this.host.kiosk.remember({ name: "record-precheck-key.txt", method: "download" });
  }

  /** Start over: nothing shown. */
  reset() {
    this.whereId = { id: "" };
    this.showSaving();
    this.showKey([]);
    this.box.hidden = true;
    this.excluded.hidden = true;
    this.setAside.hidden = true;
    this.otherPeople.hidden = true;
    this.setStatus("");
  }

  /**
   * Writes the bundle (in the report worker) into a file the patient picks, or a download.
   * Tells the host with `precheck-bundle-ready`.
   */
  async saveBundle() {
    const host = this.host;
    if (this.saving || host.entries.length === 0) return;
    if (host.pool.busy) {
      this.setStatus("bundle-busy");
      return;
    }
    const name = bundleName();
    /** @type {Awaited<ReturnType<typeof openSaveTarget>>} */
    let target;
    try {
      target = await openSaveTarget(name, host.root, { preferDownload: this.savesBy() === "download" });
    } catch (err) {
      this.setStatus("bundle-failed", { message: messageOf(err) });
      return;
    }
    if (!target) return; // the patient closed the save dialog
    this.setStatus("");
    const done = await this.write(target, (outcome, values) => this.setStatus(`bundle-${outcome}`, values));
    if (!done) return;
    const { bytes, totals } = done;
    const values = {
      name,
      bytes: formatBytes(bytes),
      copied: totals.copied,
      left: totals.left_out,
      located: totals.location_removed,
    };
    const where = target.method === "picker" ? "bundle-saved" : "bundle-downloaded";
    this.setStatus(totals.location_removed > 0 ? `${where}-located` : where, values);
    const saved = { name: target.name, method: target.method };
    host.kiosk.remember(saved);
    this.whereId = { id: `bundle-where-${saved.method}`, values: { name: saved.name } };
    this.showSaving();
    this.tellReady(name, target.method, done);
  }

  /**
   * Event `precheck-bundle-ready` for the host.
   * @param {string} name
   * @param {SaveTarget["method"]} method
   * @param {{ bytes: number, totals: ManifestTotals }} done
   */
  tellReady(name, method, { bytes, totals }) {
    const detail = { name, bytes, method, totals };
    this.host.el.dispatchEvent(new CustomEvent("precheck-bundle-ready", { bubbles: true, composed: true, detail }));
  }

  /**
   * The bundle as a stream of bytes, for a host that uploads it itself: the zip is written as
   * the host reads (see `streamTarget`). `null` when there are no files, files are being
   * checked, or a bundle is being written.
   * @returns {ReadableStream<Uint8Array> | null}
   */
  stream() {
    if (this.saving || this.host.entries.length === 0 || this.host.pool.busy) return null;
    const target = streamTarget();
    const name = bundleName();
    this.write(target, (outcome, values) => this.setStatus(`bundle-${outcome}`, values)).then((done) => {
      if (done) this.tellReady(name, target.method, done);
    });
    return target.stream;
  }

  /**
   * Writes the bundle (in the report worker) into `target`, its progress in the bundle's
   * progress box. Resolves with its size and the manifest's totals, or with `null` when it was
   * cancelled or failed (told through `tell`: `"cancelled"`, or `"failed"` with the message).
   * @param {SaveTarget} target
   * @param {(outcome: "cancelled" | "failed", values?: Record<string, string | number>) => void} tell
   * @param {Consent | null} [consent] the patient's consent to send it abroad (ui/send.js),
   *   recorded in the manifest
   * @returns {Promise<{ bytes: number, totals: ManifestTotals } | null>}
   */
  async write(target, tell, consent = null) {
    const host = this.host;
    const saving = { target, started: performance.now(), cancelled: false };
    this.saving = saving;
    this.saveButton.disabled = true;
    host.send.prepareButton.disabled = true;
    this.box.hidden = false;
    this.bar.removeAttribute("value"); // indeterminate until the first piece
    this.text.textContent = "";
    let bytes = 0;
    // The idle scan workers hash what the report worker reads; if one dies, the bundle stops.
    const ports = host.pool.hashPorts();
    host.pool.onIdleDeath = (message) =>
      host.reporter.abortBundle(new Error(`a worker that computed the SHA-256 stopped (${message})`));
    try {
      const done = await host.reporter.bundle(
        host.declarations(),
        host.files,
        {
          lang: host.uiLang,
          exclude: [...host.fileTable.excluded],
          deflate: this.deflate.checked,
          keepPictureMetadata: this.keepMetadata.checked,
          consent,
          deidentify: this.deidentifyRequest(),
        },
        {
          write: (chunk) => {
            bytes += chunk instanceof Blob ? chunk.size : chunk.length;
            return saving.target.write(chunk);
          },
          progress: (p) => this.queueProgress(p, saving),
        },
        ports,
      );
      if (done) await target.flush();
      // Cancelled, also while the last pieces were being written: the file is thrown away.
      if (!done || saving.cancelled) {
        await target.abort();
        tell("cancelled");
        return null;
      }
      await target.close();
      this.showKey(done.key);
      return { bytes, totals: done.totals };
    } catch (err) {
      await target.abort();
      if (isAbort(err)) tell("cancelled");
      else if (isChangedFile(err)) tell("failed", { message: ui(host.uiLang, "bundle-file-changed") });
      else tell("failed", { message: messageOf(err) });
      return null;
    } finally {
      host.pool.onIdleDeath = null;
      if (this.saving === saving) this.saving = null;
      this.saveButton.disabled = false;
      this.box.hidden = true;
      host.send.render();
    }
  }

  /**
   * Draws the bundle's progress at most every `PROGRESS_MS`: the report worker tells it with
   * every piece (thousands for a CD), and drawing each took ~0.2 ms of the page's thread
   * (measured: 410 ms of a 1 GB bundle's 10.7 s), which the browser's copy of the files needs.
   * @param {BundleProgress} p
   * @param {{ started: number }} saving
   */
  queueProgress(p, saving) {
    this.nextProgress = p;
    if (this.progressTimer) return;
    this.progressTimer = setTimeout(() => {
      this.progressTimer = 0;
      if (this.saving === saving && this.nextProgress) this.drawProgress(this.nextProgress, saving.started);
    }, PROGRESS_MS);
  }

  /**
   * @param {BundleProgress} p
   * @param {number} started `performance.now()` when the bundle started
   */
  drawProgress(p, started) {
    const lang = this.host.uiLang;
    this.bar.max = Math.max(1, p.bytes_to_copy);
    this.bar.value = Math.min(p.bytes_read, p.bytes_to_copy);
    const parts = [
      ui(lang, "bundle-progress", {
        done: formatBytes(p.bytes_read),
        total: formatBytes(p.bytes_to_copy),
        file: p.current ?? "",
      }),
    ];
    const elapsed = (performance.now() - started) / 1000;
    if (elapsed > 2 && p.bytes_read > 0 && p.bytes_read < p.bytes_to_copy) {
      const left = ((p.bytes_to_copy - p.bytes_read) * elapsed) / p.bytes_read;
      parts.push(ui(lang, "bundle-left", { time: formatDuration(lang, left) }));
    }
    this.text.textContent = parts.join(" · ");
  }

  /**
   * @param {string} id
   * @param {Record<string, string | number>} [values]
   */
  setStatus(id, values) {
    if (id === "bundle-failed") this.host.tellError(id, values);
    this.statusId = { id, values };
    this.status.textContent = id ? ui(this.host.uiLang, id, values) : "";
  }

  /** The status line in the page's language. */
  applyTexts() {
    const b = this.statusId;
    this.status.textContent = b.id ? ui(this.host.uiLang, b.id, b.values) : "";
    this.showSaving();
  }
}

/**
 * Whether `err` says a file of the patient's could not be copied into the zip because it
 * changed or went away after it was checked (the browser refuses to read a `File` that changed
 * since it was picked).
 * @param {unknown} err
 */
function isChangedFile(err) {
  return err instanceof DOMException && (err.name === "NotReadableError" || err.name === "NotFoundError");
}
