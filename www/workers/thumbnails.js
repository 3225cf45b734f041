// @ts-check
/**
 * Making thumbnails in a pixel worker (pixel-worker.js, the pixel module: fetched from the
 * page's origin the first time one is asked for, after the first report). `ThumbnailMaker`
 * makes them one file after another: `make` a list (the case's thumbnails, in the background)
 * or `one` (the quick look's next image). A file that does not decode gets its reason; a trap
 * costs that file only: the next file gets a new worker. `cancel` (the patient started over)
 * stops the worker.
 */
import { OnDemandWorker, isAbort } from "./bridge.js";

/** @typedef {import("./wasm.js").WorkerScript} WorkerScript */
/** A picture's size as its header gives it (pixel-worker.js shrinks it while decoding). @typedef {{ width?: number | null, height?: number | null }} PictureSize */
/**
 * A file to show: a DICOM image (`picture` null) or a photo or screenshot (its header's size).
 * @typedef {{ path: string, file: File, picture: PictureSize | null }} ThumbnailItem
 */
/**
 * A thumbnail made: PNG bytes and the size, the frame shown of how many.
 * @typedef {{ png: Uint8Array<ArrayBuffer>, width: number, height: number, frame: number, frames: number }} Made
 */
/**
 * Why a file has no thumbnail: the pixel module's message (id and values, to word with the
 * report module's `fillMessage`), or only the error's text.
 * @typedef {{ message: string, reason: import("../pkg/record_precheck.js").Message | null }} NotMade
 */

/** The longest side of the case's thumbnails (as the report's, src/pixels THUMBNAIL_SIDE). */
export const THUMBNAIL_SIDE = 256;

export class ThumbnailMaker extends OnDemandWorker {
  /** @param {() => Promise<WorkerScript>} script */
  constructor(script) {
    super(script, "record-precheck pixels", "the pixel worker stopped");
  }

  /**
   * Makes the thumbnails of `items`, one at a time, at most `maxSide` pixels a side; `onMade`
   * gets each as it comes (a `NotMade` for a file that does not decode).
   * @param {ThumbnailItem[]} items
   * @param {number} maxSide
   * @param {(path: string, made: Made | NotMade) => void} onMade
   * @returns {Promise<{ made: number, failed: number } | null>} null when cancelled
   */
  async make(items, maxSide, onMade) {
    const generation = this.generation;
    let made = 0;
    let failed = 0;
    for (const item of items) {
      if (generation !== this.generation) return null;
      const got = await this.one(item, maxSide);
      if (got === null || generation !== this.generation) return null;
      if ("png" in got) made += 1;
      else failed += 1;
      onMade(item.path, got);
    }
    return { made, failed };
  }

  /**
   * The thumbnail of one file, or why there is none; null when cancelled meanwhile.
   * @param {ThumbnailItem} item
   * @param {number} maxSide
   * @returns {Promise<Made | NotMade | null>}
   */
  async one({ file, picture }, maxSide) {
    const generation = this.generation;
    try {
      const bridge = await this.worker();
      if (generation !== this.generation) return null;
      const answer = await bridge.request({ type: "thumbnail", id: this.nextId++, file, picture, maxSide });
      if (generation !== this.generation) return null;
      const { png, width, height, frame, frames } = answer;
      return { png, width, height, frame, frames };
    } catch (err) {
      if (generation !== this.generation || isAbort(err)) return null;
      const reason = /** @type {{ reason?: string | null }} */ (err).reason;
      return { message: err instanceof Error ? err.message : String(err), reason: reason ? JSON.parse(reason) : null };
    }
  }
}
