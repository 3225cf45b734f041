// @ts-check
/**
 * The page's document reading (app.js starts it once the first report is shown): which entries
 * may hold text (`holdsText`) and which are pictures to look at (`isPicture`), and
 * `DocumentReader`, which reads them one after another in a document worker
 * (document-worker.js) running the report module's readers (wasm.js). Each file read comes back
 * as its whole entry — scanned again with the readers, or a picture with what it shows
 * (`picture`) — and the page puts it in place of the first one. A file the module fails on keeps its first entry (and is
 * counted); a trap costs that file only: the next file gets a new worker.
 */
import { OnDemandWorker, isAbort } from "./bridge.js";

/** @typedef {import("./wasm.js").WorkerScript} WorkerScript */
/** @typedef {import("../pkg/record_precheck.js").FileEntry} FileEntry */
/**
 * A file to read: its documents, or (`picture`: its first entry) what a photo or screenshot shows.
 * @typedef {{ path: string, file: File, picture?: FileEntry }} DocumentItem
 */

/**
 * Whether the document readers may find text in a file: a PDF, a document (DOCX, text…), a DICOM
 * encapsulated PDF or structured report, or an archive holding one of those.
 * @param {FileEntry} entry
 * @returns {boolean}
 */
export function holdsText(entry) {
  if (entry.kind === "pdf" || entry.kind === "document") return true;
  const dicomClass = entry.dicom?.class;
  if (dicomClass === "encapsulated-pdf" || dicomClass === "structured-report") return true;
  return (entry.members ?? []).some(holdsText);
}

/**
 * Whether an entry is a photo or screenshot whose pixels were not looked at yet (the first
 * scan's module does not look at them).
 * @param {FileEntry} entry
 * @returns {boolean}
 */
export function isPicture(entry) {
  return (entry.kind === "photo" || entry.kind === "screenshot") && !entry.picture && !!entry.image;
}

/**
 * Whether OCR would read this entry, when the patient asks (ui/ocr.js): a photo or screenshot of
 * a document whose text was not read yet, or a PDF without a text layer (as the CLI's
 * `scan --ocr` chooses them, src/recognise/ocr.rs `wants_ocr`).
 * @param {FileEntry} entry
 * @returns {boolean}
 */
export function wantsOcr(entry) {
  if (entry.kind === "photo" || entry.kind === "screenshot") return entry.picture?.subject === "document" && !entry.document;
  return entry.kind === "pdf" && !!entry.document && entry.document.text_source === null;
}

export class DocumentReader extends OnDemandWorker {
  /** @param {() => Promise<WorkerScript>} script */
  constructor(script) {
    super(script, "record-precheck documents", "the document worker stopped");
  }

  /**
   * Reads `items` one at a time; `onEntry` gets each file's new entry as it comes.
   * @param {DocumentItem[]} items
   * @param {(entry: FileEntry, done: number) => void} onEntry
   * @returns {Promise<{ read: number, failed: number } | null>} null when cancelled
   */
  async read(items, onEntry) {
    const generation = this.generation;
    let read = 0;
    let failed = 0;
    for (const { path, file, picture } of items) {
      if (generation !== this.generation) return null;
      try {
        const bridge = await this.worker();
        if (generation !== this.generation) return null;
        const answer = await bridge.request({ type: picture ? "picture" : "read", id: this.nextId++, path, file, entry: picture });
        if (generation !== this.generation) return null;
        read += 1;
        onEntry(answer.entry, read + failed);
      } catch (err) {
        if (generation !== this.generation || isAbort(err)) return null;
        failed += 1;
        // No file name: the console is the host page's too (error reporters, session replays).
        console.warn(`record-precheck: the document reader failed on a file: ${err}`);
      }
    }
    return { read, failed };
  }
}
