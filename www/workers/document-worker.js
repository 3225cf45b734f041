// @ts-check
/**
 * The document worker (documents.js starts it after the first report, when there are documents
 * to read): runs the report module's `readDocuments` (src/wasm/documents.rs), which scans a file
 * again with the document readers and returns its entry with what its documents say.
 *
 * The page does not load this file by its URL: `cargo xtask build` bundles it, worker-runtime.js
 * and the report module's glue into one script (see scan-worker.js).
 *
 * Messages in:  `{ type: "init", module }` (worker-runtime.js), `{ type: "read", id, path, file }`,
 *               `{ type: "picture", id, path, file, entry }` (`entry`: the file's first entry).
 * Messages out: `{ type: "ready" }`, `{ type: "init-failed", message }` (worker-runtime.js);
 *               `{ type: "read", id, entry }`; `{ type: "error", id, message, fatal }`
 *               (`fatal`: the wasm trapped, so this worker does nothing more and the page
 *               starts another for the next file).
 */
import init, { analysePicture, pictureNotDecoded, pictureRefused, readDocuments } from "../pkg/record_precheck.js";
import { describe, reply, serve, trapped } from "./worker-runtime.js";

/** @typedef {import("../pkg/record_precheck.js").FileEntry} FileEntry */
/** @typedef {import("../pkg/record_precheck.js").PictureInfo} PictureInfo */
/**
 * @typedef {{ type: "read", id: number, path: string, file: File }
 *   | { type: "picture", id: number, path: string, file: File, entry: FileEntry }} ToDocumentWorker
 */

/**
 * The longest side a picture is decoded to: the analysis looks at a copy of at most 512 pixels
 * a side, and a QR code on a slip or report is still many pixels a module at this size.
 */
const MAX_SIDE = 1600;

serve(init, async (/** @type {ToDocumentWorker} */ msg) => {
  try {
    if (msg.type === "read") {
      reply({ type: "read", id: msg.id, entry: readDocuments(msg.path, msg.file) });
    } else if (msg.type === "picture") {
      reply({ type: "read", id: msg.id, entry: { ...msg.entry, picture: await pictureOf(msg.entry, msg.file) } });
    }
  } catch (err) {
    reply({ type: "error", id: msg.id, message: describe(err), fatal: trapped(err) });
  }
});

/**
 * What the photo or screenshot `file` (whose first entry is `entry`) shows. A picture over the
 * limits is not decoded; one the browser cannot decode (HEIC outside Safari, a broken file) gets
 * the reason the CLI gives.
 * @param {FileEntry} entry
 * @param {File} file
 * @returns {Promise<PictureInfo>}
 */
async function pictureOf(entry, file) {
  const refused = pictureRefused(entry);
  if (refused) return refused;
  const format = entry.image?.format ?? "";
  /** @type {ImageBitmap} */
  let bitmap;
  try {
    bitmap = await createImageBitmap(file, shrunk(entry.image?.width, entry.image?.height));
  } catch (err) {
    return pictureNotDecoded(format, describe(err));
  }
  let rgba;
  try {
    // The header's size may be missing or wrong: the bitmap is drawn at most MAX_SIDE anyway.
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext("2d", { willReadFrequently: true });
    if (!context) return pictureNotDecoded(format, "no 2D canvas");
    context.imageSmoothingQuality = "high";
    context.drawImage(bitmap, 0, 0, width, height);
    rgba = context.getImageData(0, 0, width, height);
  } catch (err) {
    return pictureNotDecoded(format, describe(err));
  } finally {
    bitmap.close();
  }
  return analysePicture(rgba.width, rgba.height, new Uint8Array(rgba.data.buffer, rgba.data.byteOffset, rgba.data.byteLength));
}

/**
 * `createImageBitmap`'s options that decode a `width × height` picture (its header's size, when
 * known) shrunk so its longer side is at most MAX_SIDE.
 * @param {number | null | undefined} width
 * @param {number | null | undefined} height
 * @returns {ImageBitmapOptions}
 */
function shrunk(width, height) {
  if (!width || !height || Math.max(width, height) <= MAX_SIDE) return {};
  // One side given: the browser keeps the aspect ratio.
  return width >= height
    ? { resizeWidth: MAX_SIDE, resizeQuality: "high" }
    : { resizeHeight: MAX_SIDE, resizeQuality: "high" };
}
