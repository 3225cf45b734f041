// @ts-check
/**
 * Reading the text of pictures of documents on the device, when the patient asks (ui/ocr.js;
 * which entries OCR would read: documents.js `wantsOcr`): the models'
 * names and sizes as the build wrote them (`ocrModels`: pkg/ocr/models.js, loaded once the page
 * has such a picture to offer), and `TextReader`, which runs an OCR worker (ocr-worker.js, the
 * OCR module): it downloads the models from the page's own origin, then reads the files one
 * after another. A file the module fails on keeps its entry (and says why); a trap costs that
 * file only: the next file gets a new worker, which loads the models again. If they cannot be
 * loaded (the first time, or again after a trap), the reading stops there: what was read is
 * kept, and the files not tried are told.
 */
import { OnDemandWorker, isAbort, messageOf } from "./bridge.js";

/** @typedef {import("./wasm.js").WorkerScript} WorkerScript */
/** @typedef {import("../pkg/record_precheck.js").FileEntry} FileEntry */
/** @typedef {import("../pkg/record_precheck.js").Message} Message */
/** A model as the build lists it (pkg/ocr/models.js). @typedef {{ file: string, bytes: number }} OcrModel */
/** Why a file or the models could not be read: the words, and the module's message when it gave one. @typedef {{ message: string, reason: Message | null }} Problem */

/** @type {Promise<OcrModel[]> | null} */
let models = null;

/**
 * The OCR models, detector then recogniser, with their sizes (a failed load is tried again next time).
 * @returns {Promise<OcrModel[]>}
 */
export function ocrModels() {
  models ??= import("../pkg/ocr/models.js")
    .then((m) => /** @type {OcrModel[]} */ (m.OCR_MODELS))
    .catch((err) => {
      models = null;
      throw err;
    });
  return models;
}

/**
 * @param {unknown} err
 * @returns {Problem}
 */
function problem(err) {
  const reason = /** @type {{ reason?: string | null }} */ (err).reason;
  return { message: messageOf(err), reason: reason ? JSON.parse(reason) : null };
}

export class TextReader extends OnDemandWorker {
  /** @param {() => Promise<WorkerScript>} script */
  constructor(script) {
    super(script, "record-precheck OCR", "the OCR worker stopped");
    /** The worker that has the models loaded. @type {import("./bridge.js").WorkerBridge | null} */
    this.withModels = null;
  }

  /**
   * The worker, with the models loaded (downloaded the first time: `onLoading` gets the bytes
   * downloaded so far).
   * @param {(loaded: number) => void} onLoading
   */
  async loaded(onLoading) {
    const bridge = await this.worker();
    if (this.withModels !== bridge) {
      const urls = (await ocrModels()).map((m) => new URL(`../pkg/ocr/${m.file}`, import.meta.url).href);
      await bridge.request(
        { type: "load", id: this.nextId++, models: urls },
        { updates: ["loading"], onUpdate: (/** @type {{ loaded: number }} */ m) => onLoading(m.loaded) },
      );
      this.withModels = bridge;
    }
    return bridge;
  }

  /**
   * Reads the text of `items` one at a time: `onLoading` gets the models' download, `onEntry`
   * each file's new entry, `onFailed` each file the module failed on. When the models could not
   * be loaded, `loadFailed` says why and `untried` holds the paths of the files not tried (all of
   * them when nothing was loaded; those after a trap when the models could not be loaded again).
   * @param {{ path: string, file: File, entry: FileEntry }[]} items
   * @param {{ onLoading: (loaded: number) => void, onEntry: (entry: FileEntry, done: number) => void, onFailed: (path: string, why: Problem, done: number) => void }} on
   * @returns {Promise<{ loadFailed: Problem | null, untried: string[] } | null>} null when cancelled
   */
  async read(items, { onLoading, onEntry, onFailed }) {
    const generation = this.generation;
    let read = 0;
    let failed = 0;
    for (const [i, { path, file, entry }] of items.entries()) {
      if (generation !== this.generation) return null;
      let bridge;
      try {
        bridge = await this.loaded(onLoading);
      } catch (err) {
        if (generation !== this.generation || isAbort(err)) return null;
        return { loadFailed: problem(err), untried: items.slice(i).map((it) => it.path) };
      }
      try {
        if (generation !== this.generation) return null;
        const answer = await bridge.request({ type: "read", id: this.nextId++, file, entry }, { updates: ["page"] });
        if (generation !== this.generation) return null;
        read += 1;
        onEntry(answer.entry, read + failed);
      } catch (err) {
        if (generation !== this.generation || isAbort(err)) return null;
        failed += 1;
        onFailed(path, problem(err), read + failed);
      }
    }
    return { loadFailed: null, untried: [] };
  }
}
