// @ts-check
/**
 * The OCR worker (ocr.js starts it when the patient asks to read the text of pictures of
 * documents): fetches the three models from the page's own origin (pkg/ocr/, their URLs given by
 * the page), loads them into the OCR module (src/wasm/ocr.rs) once, then reads one file at a
 * time — a photo or screenshot decoded upright by the browser (`createImageBitmap`, which turns
 * it by its EXIF orientation), or each page picture of an image-only PDF — and returns its entry
 * with what the text says (`document`, `text_source: "ocr"`) or a note saying why not.
 *
 * The page does not load this file by its URL: `cargo xtask build` bundles it, worker-runtime.js
 * and the OCR module's glue into one script (see scan-worker.js). The worker inherits the page's
 * Content-Security-Policy: it can reach no other origin.
 *
 * Messages in:  `{ type: "init", module }` (worker-runtime.js), `{ type: "load", id, models }`
 *               (`models`: the URLs of the detector, recogniser and classifier),
 *               `{ type: "read", id, file, entry }` (`entry`: the file's entry).
 * Messages out: `{ type: "ready" }`, `{ type: "init-failed", message }` (worker-runtime.js);
 *               `{ type: "loading", id, loaded }` (bytes downloaded so far), `{ type: "loaded", id }`;
 *               `{ type: "page", id, done, total }` (a PDF's pages as they are read);
 *               `{ type: "read", id, entry }`; `{ type: "error", id, message, reason, fatal }`
 *               (`reason`: the module's `Message` as JSON, or null; `fatal`: the wasm trapped).
 */
import init, { Ocr, Page, pdfPageJpegs, withText } from "../pkg/record_precheck_ocr.js";
import { describe, reply, serve, trapped } from "./worker-runtime.js";

/** @typedef {import("../pkg/record_precheck.js").FileEntry} FileEntry */
/**
 * @typedef {{ type: "load", id: number, models: string[] }
 *   | { type: "read", id: number, file: File, entry: FileEntry }} ToOcrWorker
 */

/** The engine, once its models are loaded. @type {Ocr | null} */
let engine = null;

serve(init, async (/** @type {ToOcrWorker} */ msg) => {
  try {
    if (msg.type === "load") {
      engine ??= await load(msg.id, msg.models);
      reply({ type: "loaded", id: msg.id });
    } else if (msg.type === "read") {
      if (!engine) throw new Error("the text reader is not loaded");
      reply({ type: "read", id: msg.id, entry: await readText(engine, msg.id, msg.file, msg.entry) });
    }
  } catch (err) {
    const reason = err instanceof Error && "messageJson" in err ? String(err.messageJson) : null;
    reply({ type: "error", id: msg.id, message: describe(err), reason, fatal: trapped(err) });
  }
});

/**
 * The engine from the models at `urls` (same origin), downloaded with progress.
 * @param {number} id
 * @param {string[]} urls
 * @returns {Promise<Ocr>}
 */
async function load(id, urls) {
  let loaded = 0;
  const fetchOne = async (/** @type {string} */ url) => {
    const response = await fetch(url);
    if (!response.ok || !response.body) throw new Error(`could not download ${new URL(url).pathname}: ${response.status}`);
    const chunks = [];
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.byteLength;
      reply({ type: "loading", id, loaded });
    }
    return new Uint8Array(await new Blob(chunks).arrayBuffer());
  };
  const [detector, recogniser, classifier] = await Promise.all(urls.map(fetchOne));
  return new Ocr(detector, recogniser, classifier);
}

/**
 * The entry of `file` with the text of its pictures read: a photo or screenshot, or each page
 * of an image-only PDF.
 * @param {Ocr} ocr
 * @param {number} id
 * @param {File} file
 * @param {FileEntry} entry
 * @returns {Promise<FileEntry>}
 */
async function readText(ocr, id, file, entry) {
  if (entry.kind !== "pdf") return withText(entry, [await readPicture(ocr, file)]);
  /** @type {Uint8Array[]} */
  let jpegs;
  try {
    jpegs = pdfPageJpegs(file);
  } catch (err) {
    if (err instanceof Page) return withText(entry, [err]);
    throw err;
  }
  const pages = [];
  for (const [i, jpeg] of jpegs.entries()) {
    const page = await readPicture(ocr, new Blob([/** @type {Uint8Array<ArrayBuffer>} */ (jpeg)], { type: "image/jpeg" }));
    pages.push(page);
    reply({ type: "page", id, done: i + 1, total: jpegs.length });
    if (!page.ok) break; // the first page not read says why; the rest would not be used
  }
  return withText(entry, pages);
}

/**
 * The text of one picture, decoded by the browser at its own size, upright.
 * @param {Ocr} ocr
 * @param {Blob} picture
 * @returns {Promise<Page>}
 */
async function readPicture(ocr, picture) {
  /** @type {ImageData} */
  let rgba;
  try {
    const bitmap = await createImageBitmap(picture, { imageOrientation: "from-image" });
    try {
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext("2d", { willReadFrequently: true });
      if (!context) return Page.notDecoded();
      context.drawImage(bitmap, 0, 0);
      rgba = context.getImageData(0, 0, bitmap.width, bitmap.height);
    } finally {
      bitmap.close();
    }
  } catch {
    return Page.notDecoded();
  }
  return ocr.readPage(rgba.width, rgba.height, new Uint8Array(rgba.data.buffer, rgba.data.byteOffset, rgba.data.byteLength));
}
