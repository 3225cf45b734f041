// @ts-check
/**
 * The page's module Web Worker, in one of two roles (both get the compiled wasm module first):
 *
 * - **scan** (pool.js): scans the `File`s posted to it one after another with `scanBlob`, which
 *   reads only the slices it needs through `FileReaderSync`;
 * - **report** (reporter.js): keeps the scanned entries and builds the report or its printable
 *   HTML for the patient's answers, so that the page stays responsive on a 20,000-file case.
 *
 * Messages in:  `{ type: "init", module }`, `{ type: "scan", id, path, file }`,
 *               `{ type: "entries", entries }`, `{ type: "report", id, declarations }`,
 *               `{ type: "html", id, declarations, lang }`.
 * Messages out: `{ type: "ready" }`, `{ type: "init-failed", message }`,
 *               `{ type: "done", id, entry }`,
 *               `{ type: "failed", id, message }` — the scanner threw or trapped on this file;
 *               the instance may be broken, so the bridge replaces this worker;
 *               `{ type: "report", id, report }` (the report without `files`: the page has
 *               them), `{ type: "html", id, html }`, `{ type: "error", id, message }`.
 */
import init, { buildReport, renderReportHtml, scanBlob } from "./pkg/record_precheck.js";

/** @typedef {import("./pool.js").ToWorker} ToScanWorker */
/** @typedef {import("./pool.js").FromWorker} FromScanWorker */
/** @typedef {import("./reporter.js").ToReporter} ToReporter */
/** @typedef {import("./reporter.js").FromReporter} FromReporter */
/** @typedef {import("./pkg/record_precheck.js").FileEntry} FileEntry */

/** @type {Promise<unknown> | null} */
let ready = null;
/** After a failure the instance is not trusted any more: the bridge terminates this worker. */
let broken = false;
/** The report role's entries. @type {FileEntry[]} */
let entries = [];

/** @param {FromScanWorker | FromReporter} msg */
function reply(msg) {
  self.postMessage(msg);
}

/** @param {unknown} err */
function describe(err) {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

self.onmessage = async (/** @type {MessageEvent<ToScanWorker | ToReporter>} */ event) => {
  const msg = event.data;
  if (msg.type === "init") {
    ready = init({ module_or_path: msg.module });
    try {
      await ready;
      reply({ type: "ready" });
    } catch (err) {
      broken = true;
      reply({ type: "init-failed", message: describe(err) });
    }
    return;
  }
  await ready?.catch(() => {});
  if (broken) return;
  switch (msg.type) {
    case "scan":
      try {
        reply({ type: "done", id: msg.id, entry: scanBlob(msg.path, msg.file) });
      } catch (err) {
        broken = true;
        reply({ type: "failed", id: msg.id, message: describe(err) });
      }
      return;
    case "entries":
      entries = msg.entries;
      return;
    case "report":
      try {
        const { files: _files, ...report } = buildReport(entries, msg.declarations);
        reply({ type: "report", id: msg.id, report });
      } catch (err) {
        reply({ type: "error", id: msg.id, message: describe(err) });
      }
      return;
    case "html":
      try {
        reply({ type: "html", id: msg.id, html: renderReportHtml(entries, msg.declarations, msg.lang) });
      } catch (err) {
        reply({ type: "error", id: msg.id, message: describe(err) });
      }
      return;
  }
};
