// @ts-check
/**
 * Where a bundle is saved: straight into a file the patient chooses (`showSaveFilePicker`,
 * Chromium-based browsers: streamed to disk, nothing held), or else as a download assembled
 * from one `Blob` per piece (Firefox, Safari; Chromium keeps big Blob data on disk rather than
 * in memory, the others as their Blob storage allows). Chosen by feature detection. Nothing is
 * sent anywhere: a Blob URL reads the page's own memory.
 */

/**
 * An open destination: pieces are written in order (bytes, or a `Blob`: a file of the
 * patient's the zip holds as it is, which the browser copies), `flush()` waits until all are
 * written, then `close()` finishes the file (for a download: starts it) or `abort()` throws it
 * away.
 * @typedef {{
 *   method: "picker" | "download" | "blob" | "stream",
 *   write: (chunk: Uint8Array | Blob) => Promise<void> | void,
 *   flush: () => Promise<void>,
 *   close: () => Promise<void>,
 *   abort: () => Promise<void>,
 * }} SaveTarget
 */

/**
 * @typedef {{
 *   suggestedName?: string,
 *   types?: { description: string, accept: Record<string, string[]> }[],
 * }} SavePickerOptions
 * @typedef {{ name?: string, createWritable: () => Promise<FileSystemWritableFileStream> }} SaveHandle
 */

/**
 * Pieces are written in batches of this many bytes held in memory: a write costs about the
 * same whatever its size (~15 ms a call for Chromium's file writer, measured), so 1 MiB
 * pieces written one by one would cap the bundle at ~60 MB/s.
 */
const BATCH = 8 << 20;
/** A batch also ends at this many bytes in all, the patient's files included (held by
 * reference, not in memory). */
const BATCH_WITH_FILES = 64 << 20;

/**
 * Gathers pieces into batches for `writeBatch`, which writes one batch while the next fills:
 * `write` resolves at once, unless a batch is due while the one before is still being written
 * (then it waits for that one: back-pressure, at most two batches held). A batch of bytes only
 * is one `Uint8Array`; one with files is a `Blob` of them all (the browser copies the files
 * when it is written: nothing passes through the page).
 * @param {(batch: Uint8Array<ArrayBuffer> | Blob) => Promise<void> | void} writeBatch
 */
function batcher(writeBatch) {
  /** @type {(Uint8Array | Blob)[]} */
  let pieces = [];
  let inMemory = 0;
  let bytes = 0;
  let files = false;
  /** @type {Promise<void>} */
  let writing = Promise.resolve();
  const cut = () => {
    /** @type {Uint8Array<ArrayBuffer> | Blob} */
    let batch;
    if (files) {
      batch = new Blob(/** @type {BlobPart[]} */ (pieces));
    } else {
      batch = new Uint8Array(bytes);
      let at = 0;
      for (const p of /** @type {Uint8Array[]} */ (pieces)) {
        batch.set(p, at);
        at += p.length;
      }
    }
    pieces = [];
    inMemory = 0;
    bytes = 0;
    files = false;
    return batch;
  };
  return {
    /** @param {Uint8Array | Blob} chunk */
    write: async (chunk) => {
      pieces.push(chunk);
      if (chunk instanceof Blob) {
        files = true;
        bytes += chunk.size;
      } else {
        inMemory += chunk.length;
        bytes += chunk.length;
      }
      if (inMemory < BATCH && bytes < BATCH_WITH_FILES) return;
      const batch = cut();
      const before = writing;
      writing = before.then(() => writeBatch(batch));
      await before;
    },
    /** Writes what is left; resolves once everything is written. */
    flush: async () => {
      if (pieces.length > 0) {
        const batch = cut();
        writing = writing.then(() => writeBatch(batch));
      }
      await writing;
    },
    drop: () => {
      pieces = [];
      inMemory = 0;
      bytes = 0;
      files = false;
    },
  };
}

/** Whether this browser can stream into a file the patient picks. */
export function canPickSaveFile() {
  return typeof (/** @type {any} */ (window).showSaveFilePicker) === "function";
}

/**
 * Opens where the bundle goes. Call it from the click itself (the save dialog needs the
 * patient's gesture). Resolves with `null` when the patient closes the dialog. The target's
 * `name` is the file's name on disk (the patient may rename it in the save dialog).
 * @param {string} name the file name suggested
 * @param {ParentNode} anchorParent where the download link is put for its click (the element's
 *   shadow root)
 * @param {{ preferDownload?: boolean }} [options]
 * @returns {Promise<(SaveTarget & { method: "picker" | "download", name: string }) | null>}
 */
export async function openSaveTarget(name, anchorParent, options = {}) {
  if (canPickSaveFile() && !options.preferDownload) {
    /** @type {(o: SavePickerOptions) => Promise<SaveHandle>} */
    const pick = /** @type {any} */ (window).showSaveFilePicker;
    let handle;
    try {
      handle = await pick({
        suggestedName: name,
        types: [{ description: "Zip", accept: { "application/zip": [".zip"] } }],
      });
    } catch (err) {
      if (err instanceof DOMException && err.name === "AbortError") return null;
      throw err;
    }
    const writable = await handle.createWritable();
    const batches = batcher((batch) => writable.write(batch));
    return {
      method: "picker",
      name: handle.name || name,
      write: batches.write,
      flush: batches.flush,
      close: async () => {
        await batches.flush();
        await writable.close();
      },
      abort: async () => {
        batches.drop();
        await writable.abort().catch(() => {});
      },
    };
  }
  /** @type {Blob[]} */
  let parts = [];
  // One Blob per batch, so that its memory is the Blob store's, not the page's.
  const batches = batcher((batch) => {
    parts.push(batch instanceof Blob ? batch : new Blob([batch]));
  });
  return {
    method: "download",
    name,
    write: batches.write,
    flush: batches.flush,
    close: async () => {
      await batches.flush();
      const zip = new Blob(parts, { type: "application/zip" });
      parts = [];
      const url = URL.createObjectURL(zip);
      saved.add(url);
      const a = document.createElement("a");
      a.href = url;
      a.download = name;
      a.hidden = true;
      anchorParent.append(a);
      a.click();
      a.remove();
      // Long enough for the browser to have taken the download over.
      setTimeout(() => {
        URL.revokeObjectURL(url);
        saved.delete(url);
      }, 60_000);
    },
    abort: async () => {
      batches.drop();
      parts = [];
    },
  };
}

/** Blob URLs of downloaded bundles not revoked yet. @type {Set<string>} */
const saved = new Set();

/**
 * Revokes every downloaded bundle's Blob URL now (kiosk "Finish": nothing of it stays in the
 * page's memory). Returns how many there were.
 */
export function revokeSaved() {
  const count = saved.size;
  for (const url of saved) URL.revokeObjectURL(url);
  saved.clear();
  return count;
}

/**
 * The bundle's file name: `record-precheck-2026-11-28.zip` (the local date).
 * @param {Date} [now]
 */
export function bundleName(now = new Date()) {
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return `record-precheck-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.zip`;
}

/**
 * The bundle kept as one `Blob` (the download's pieces, without the download), for the "Send"
 * step: `blob()` is the zip once `close()` resolved, `null` before and after `abort()`.
 * @returns {SaveTarget & { blob: () => Blob | null }}
 */
export function blobTarget() {
  /** @type {Blob[]} */
  let parts = [];
  /** @type {Blob | null} */
  let zip = null;
  const batches = batcher((batch) => {
    parts.push(batch instanceof Blob ? batch : new Blob([batch]));
  });
  return {
    method: "blob",
    write: batches.write,
    flush: batches.flush,
    close: async () => {
      await batches.flush();
      zip = new Blob(parts, { type: "application/zip" });
      parts = [];
    },
    abort: async () => {
      batches.drop();
      parts = [];
      zip = null;
    },
    blob: () => zip,
  };
}

/**
 * The bundle as a `ReadableStream` for a host that reads it itself: each piece is enqueued as
 * it comes, and a write waits while the stream holds 8 MiB the host has not read
 * (back-pressure); a host that cancels the stream stops the bundle.
 * @returns {SaveTarget & { stream: ReadableStream<Uint8Array> }}
 */
export function streamTarget() {
  /** @type {ReadableStreamDefaultController<Uint8Array> | null} */
  let controller = null;
  /** Resolves a write waiting for the host to read. @type {(() => void) | null} */
  let pulled = null;
  let cancelled = false;
  const wakeWriter = () => {
    pulled?.();
    pulled = null;
  };
  const stream = new ReadableStream(
    {
      start: (c) => {
        controller = c;
      },
      pull: wakeWriter,
      cancel: () => {
        cancelled = true;
        wakeWriter();
      },
    },
    { highWaterMark: BATCH, size: (chunk) => chunk.byteLength },
  );
  const open = () => /** @type {ReadableStreamDefaultController<Uint8Array>} */ (controller);
  /** Enqueues a piece; waits while the host has not read what is queued. @param {Uint8Array} piece */
  const enqueue = async (piece) => {
    if (cancelled) throw new DOMException("the host cancelled the bundle's stream", "AbortError");
    open().enqueue(piece);
    if ((open().desiredSize ?? 0) <= 0) await new Promise((resolve) => (pulled = () => resolve(undefined)));
  };
  return {
    method: "stream",
    stream,
    write: async (chunk) => {
      if (!(chunk instanceof Blob)) return enqueue(chunk);
      // A file is read and enqueued in pieces of at most `BATCH` bytes, as the host reads.
      for (let at = 0; at < chunk.size; at += BATCH) {
        await enqueue(new Uint8Array(await chunk.slice(at, at + BATCH).arrayBuffer()));
      }
    },
    flush: async () => {},
    close: async () => {
      if (!cancelled) open().close();
    },
    abort: async () => {
      if (!cancelled) open().error(new DOMException("the bundle was cancelled", "AbortError"));
      cancelled = true;
    },
  };
}
