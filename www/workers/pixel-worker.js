// @ts-check
/**
 * The pixel worker (thumbnails.js starts it after the first report, when there are images to
 * show): makes a thumbnail PNG of one file at a time. A DICOM image by the pixel module
 * (`thumbnailBlob`, src/wasm/pixels.rs: the file read in place, only its header and the frame
 * shown; the frame dropped once scaled down); a photo or screenshot by the browser's own
 * decoders (`createImageBitmap`, shrunk while decoded, drawn on an `OffscreenCanvas`), as the
 * document worker decodes pictures.
 *
 * The page does not load this file by its URL: `cargo xtask build` bundles it, worker-runtime.js
 * and the pixel module's glue into one script (see scan-worker.js).
 *
 * Messages in:  `{ type: "init", module }` (worker-runtime.js),
 *               `{ type: "thumbnail", id, file, picture, maxSide }` (`picture`: a photo or
 *               screenshot, with its header's `{ width, height }` when known, else null for a
 *               DICOM file).
 * Messages out: `{ type: "ready" }`, `{ type: "init-failed", message }` (worker-runtime.js);
 *               `{ type: "thumbnail", id, png, width, height, frame, frames }` (`png`: the
 *               PNG's bytes, transferred), `{ type: "error", id, message, reason, fatal }`
 *               (`reason`: the pixel module's `Message` as JSON, to word in the page's language,
 *               or null; `fatal`: the wasm trapped).
 */
import init, { thumbnailBlob } from "../pkg/record_precheck_pixels.js";
import { describe, reply, serve, trapped } from "./worker-runtime.js";

/**
 * @typedef {{ width?: number | null, height?: number | null }} PictureSize
 * @typedef {{ type: "thumbnail", id: number, file: File, picture: PictureSize | null, maxSide: number }} ToPixelWorker
 */

serve(init, async (/** @type {ToPixelWorker} */ msg) => {
  try {
    const made = msg.picture ? await pictureThumbnail(msg.file, msg.picture, msg.maxSide) : dicomThumbnail(msg.file, msg.maxSide);
    reply({ type: "thumbnail", id: msg.id, ...made }, [made.png.buffer]);
  } catch (err) {
    const reason = err instanceof Error && "messageJson" in err ? String(err.messageJson) : null;
    reply({ type: "error", id: msg.id, message: describe(err), reason, fatal: trapped(err) });
  }
});

/**
 * The middle frame of a DICOM file, scaled to at most `maxSide`, as PNG.
 * @param {File} file
 * @param {number} maxSide
 */
function dicomThumbnail(file, maxSide) {
  const thumbnail = thumbnailBlob(file, maxSide);
  try {
    return {
      png: thumbnail.png(),
      width: thumbnail.width,
      height: thumbnail.height,
      frame: thumbnail.frame,
      frames: thumbnail.frames,
    };
  } finally {
    thumbnail.free();
  }
}

/**
 * A photo or screenshot decoded by the browser, scaled to at most `maxSide`, as PNG. When its
 * header gives its size, it is shrunk while decoded (a 12-megapixel photo never whole in memory).
 * @param {File} file
 * @param {PictureSize} size
 * @param {number} maxSide
 */
async function pictureThumbnail(file, { width: w, height: h }, maxSide) {
  /** @type {ImageBitmapOptions} */
  let shrink = {};
  if (w && h && Math.max(w, h) > maxSide) {
    // One side given: the browser keeps the aspect ratio.
    shrink = w >= h ? { resizeWidth: maxSide, resizeQuality: "high" } : { resizeHeight: maxSide, resizeQuality: "high" };
  }
  const bitmap = await createImageBitmap(file, shrink);
  try {
    const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext("2d");
    if (!context) throw new Error("no 2D canvas");
    context.imageSmoothingQuality = "high";
    context.drawImage(bitmap, 0, 0, width, height);
    const png = new Uint8Array(await (await canvas.convertToBlob({ type: "image/png" })).arrayBuffer());
    return { png, width, height, frame: 0, frames: 1 };
  } finally {
    bitmap.close();
  }
}
