// @ts-check
/**
 * Reading the text of pictures of documents, when the patient asks (`ocr`): when the case has
 * photos or screenshots of documents, or PDFs of scanned pages without text, the page offers
 * "Read the text of N documents — downloads 16 MB once" (`ocr-read`; the size of the models as
 * the build wrote it). Nothing is downloaded before the click; then an OCR worker
 * (workers/ocr.js) downloads the models from the page's own origin and reads the files one
 * after another, on this device (`ocr-progress`: the download, then the files); each file read
 * replaces its entry, so the document reader's category, patient and dates count in the report,
 * which is made again. A file that could not be read says why (`ocr-problems`, and in its row:
 * `problem`, which files.js asks for) and the rest go on; `ocr-status` says how it went. Each file
 * is offered once per session. Its words, in English and Chinese, come with it (i18n.js
 * `addWords`): not loaded before the first scan.
 */
import { addWords, formatBytes, ui } from "../i18n.js";
import { h, progressBox } from "./dom.js";
import { TextReader, ocrModels } from "../workers/ocr.js";
import { wantsOcr } from "../workers/documents.js";
import { isAbort, messageOf } from "../workers/bridge.js";
import { workerScript } from "../workers/wasm.js";

/** @typedef {import("../app.js").Precheck} Precheck */
/** @typedef {import("../pkg/record_precheck.js").FileEntry} FileEntry */
/** @typedef {import("../workers/ocr.js").Problem} Problem */
/** @typedef {import("../pkg/record_precheck.js").Message} Message */

addWords(
  {
    "ocr-title": "Photos and scans of documents",
    "ocr-privacy": "Their text can be read here, on this device, so that a photographed report counts as the report it is (its kind, patient and dates). Nothing is sent: the text reader is downloaded from this site, once.",
    "ocr-read": "Read the text of {count} photos and scans — downloads {size} once",
    "ocr-read-one": "Read the text of 1 photo or scan — downloads {size} once",
    "ocr-progress-label": "Reading the text",
    "ocr-downloading": "Downloading the text reader: {done} of {total}…",
    "ocr-reading": "Reading the text on this device: {done} of {total}…",
    "ocr-done": "Done: their text was read on this device ({read} of {total}).",
    "ocr-done-failed": "Their text was read on this device ({read} of {total}); these could not be read:",
    "ocr-problem": "{path}: {reason}",
    "ocr-load-failed": "The text reader could not be loaded: {message}",
    "ocr-load-failed-after": "Their text was read on this device ({read} of {total}) until the text reader could not be loaded again: {message}. The others are offered again.",
    "ocr-row-problem": "Its text could not be read: {reason}",
  },
  {
    "ocr-title": "文档的照片和扫描件",
    "ocr-privacy": "可以在本机读取其中的文字，让拍照的报告按其本身计入（类别、患者和日期）。不会发送任何内容：文字识别程序从本网站下载，只需一次。",
    "ocr-read": "读取 {count} 张照片和扫描件的文字——需下载一次 {size}",
    "ocr-read-one": "读取 1 张照片或扫描件的文字——需下载一次 {size}",
    "ocr-progress-label": "正在读取文字",
    "ocr-downloading": "正在下载文字识别程序：{done}/{total}…",
    "ocr-reading": "正在本机读取文字：{done}/{total}…",
    "ocr-done": "完成：已在本机读取文字（{read}/{total}）。",
    "ocr-done-failed": "已在本机读取文字（{read}/{total}）；以下无法读取：",
    "ocr-problem": "{path}：{reason}",
    "ocr-load-failed": "无法加载文字识别程序：{message}",
    "ocr-load-failed-after": "已在本机读取文字（{read}/{total}），之后无法再次加载文字识别程序：{message}。其余的可以再次读取。",
    "ocr-row-problem": "无法读取其文字：{reason}",
  },
);

export class OcrOffer {
  /** @param {Precheck} host */
  constructor(host) {
    this.host = host;
    this.reader = new TextReader(() => workerScript("ocr"));
    this.button = h("button", { type: "button", "data-testid": "ocr-read" });
    const { box, bar, text } = progressBox("ocr-progress");
    this.box = box;
    this.bar = bar;
    this.text = text;
    this.status = h("p", { class: "status", role: "status", "data-testid": "ocr-status" });
    this.problems = h("ul", { class: "ocr-problems", "data-testid": "ocr-problems" });
    this.el = h(
      "section",
      { class: "ocr", "data-testid": "ocr", "aria-labelledby": "ocr-h", hidden: true },
      h("h2", { id: "ocr-h", "data-t": "ocr-title" }),
      h("p", { class: "note", "data-t": "ocr-privacy" }),
      this.button,
      box,
      this.status,
      this.problems,
    );
    /** Files read or tried this session: not offered again. @type {Set<string>} */
    this.tried = new Set();
    /** The models' bytes, once their list is loaded. @type {number | null} */
    this.bytes = null;
    this.running = false;
    /** @type {{ id: string, values?: Record<string, string | number> } | null} */
    this.statusId = null;
    /** Files not read this session, with why. @type {Map<string, Problem>} */
    this.failed = new Map();
    /** @type {{ id: string, values: Record<string, string | number> } | null} */
    this.progress = null;
    this.button.addEventListener("click", () => this.read());
  }

  /** @returns {FileEntry[]} the entries OCR would read, not tried yet, whose files the page holds */
  candidates() {
    return this.host.entries.filter((e) => wantsOcr(e) && !this.tried.has(e.path) && this.host.files.has(e.path));
  }

  /** Shows the offer when there is something to read (after each report). */
  async update() {
    if (this.bytes === null && this.candidates().length > 0) {
      try {
        this.bytes = (await ocrModels()).reduce((sum, m) => sum + m.bytes, 0);
      } catch {
        return; // a build without the models: no offer
      }
    }
    this.render();
  }

  render() {
    const lang = this.host.uiLang;
    const count = this.candidates().length;
    const offered = count > 0 && this.bytes !== null && !this.running;
    this.el.hidden = !offered && !this.running && !this.statusId;
    this.button.hidden = !offered;
    this.button.textContent = offered ? ui(lang, count === 1 ? "ocr-read-one" : "ocr-read", { count, size: formatBytes(this.bytes ?? 0) }) : "";
    this.box.hidden = !this.running;
    if (this.progress) this.text.textContent = ui(lang, this.progress.id, this.progress.values);
    this.status.textContent = this.statusId ? ui(lang, this.statusId.id, this.statusId.values) : "";
    this.problems.replaceChildren(
      ...[...this.failed].map(([path, why]) =>
        h("li", { "data-testid": "ocr-problem", "data-path": path }, ui(lang, "ocr-problem", { path, reason: this.reason(why) })),
      ),
    );
  }

  /**
   * What the row of the file at `path` says of OCR (files.js): why its text could not be read;
   * null when it was read or not tried.
   * @param {string} path
   * @returns {HTMLElement | null}
   */
  problem(path) {
    const why = this.failed.get(path);
    if (!why) return null;
    return h("span", { class: "error", "data-testid": "ocr-row-problem" }, ui(this.host.uiLang, "ocr-row-problem", { reason: this.reason(why) }));
  }

  /**
   * A problem in the page's language: the module's message when it gave one.
   * @param {Problem} why
   * @returns {string}
   */
  reason(why) {
    const api = this.host.api;
    return why.reason && api ? api.fillMessage(why.reason.id, why.reason.values, this.host.uiLang) : why.message;
  }

  /** Reads the text of the files offered, then makes the report again. */
  async read() {
    const host = this.host;
    const entries = this.candidates();
    if (this.running || entries.length === 0) return;
    for (const e of entries) this.tried.add(e.path);
    const total = entries.length;
    const bytes = this.bytes ?? 0;
    this.running = true;
    this.statusId = null;
    let failed = 0;
    /** Files answered for (read or not). */
    let done = 0;
    this.showProgress("ocr-downloading", { done: formatBytes(0), total: formatBytes(bytes) }, 0, bytes);
    host.readingDocuments += 1;
    let result;
    try {
      result = await this.reader.read(
        entries.map((entry) => ({ path: entry.path, file: /** @type {File} */ (host.files.get(entry.path)), entry })),
        {
          onLoading: (loaded) =>
            this.showProgress("ocr-downloading", { done: formatBytes(loaded), total: formatBytes(bytes) }, loaded, bytes),
          onEntry: (entry, answered) => {
            done = answered;
            const i = host.entries.findIndex((e) => e.path === entry.path);
            if (i >= 0) host.entries[i] = entry;
            if (entry.document?.text_source !== "ocr") {
              this.failed.set(entry.path, whyNotRead(entry));
              failed += 1;
            }
            this.showProgress("ocr-reading", { done, total }, done, total);
          },
          onFailed: (path, why, answered) => {
            done = answered;
            this.failed.set(path, why);
            failed += 1;
            this.showProgress("ocr-reading", { done, total }, done, total);
          },
        },
      );
      if (result === null) return; // the patient started over
      // What was read counts, even when the reading stopped because the models could not be
      // loaded again (after a trap).
      if (done > 0) {
        await host.reporter.setEntries(host.entries);
        host.renderFiles();
        await host.rebuild();
      }
    } catch (err) {
      if (isAbort(err)) return;
      result = { loadFailed: { message: messageOf(err), reason: null }, untried: entries.slice(done).map((e) => e.path) };
    } finally {
      host.readingDocuments -= 1;
      this.running = false;
      this.progress = null;
    }
    if (result.loadFailed) {
      // The files not tried are offered again.
      for (const path of result.untried) this.tried.delete(path);
      const message = this.reason(result.loadFailed);
      this.statusId =
        done === 0
          ? { id: "ocr-load-failed", values: { message } }
          : { id: "ocr-load-failed-after", values: { read: done - failed, total, message } };
    } else {
      this.statusId = { id: failed > 0 ? "ocr-done-failed" : "ocr-done", values: { read: total - failed, total } };
    }
    this.render();
  }

  /**
   * @param {string} id
   * @param {Record<string, string | number>} values
   * @param {number} value
   * @param {number} max
   */
  showProgress(id, values, value, max) {
    this.progress = { id, values };
    this.bar.max = Math.max(1, max);
    this.bar.value = Math.min(value, max);
    this.render();
  }

  /** Forgets everything (start over): the worker is stopped. */
  clear() {
    this.reader.cancel();
    this.tried = new Set();
    this.failed = new Map();
    this.statusId = null;
    this.progress = null;
    this.running = false;
    this.render();
  }
}

/**
 * Why the text of a file the module answered for was not read: its last note (the reader's
 * `note.document.not-read`), or rather the reason that note gives (its `detail`), which the
 * offer's list and the file's row word themselves.
 * @param {FileEntry} entry
 * @returns {Problem}
 */
function whyNotRead(entry) {
  const messages = entry.note_messages ?? [];
  const notes = entry.notes ?? [];
  const last = messages[messages.length - 1] ?? null;
  const detail = /** @type {Message | undefined} */ (last?.id === "note.document.not-read" ? last.values?.detail : undefined);
  const reason = detail && typeof detail === "object" && typeof detail.id === "string" ? detail : last;
  return { message: notes[notes.length - 1] ?? "", reason };
}
