// @ts-check
/**
 * Where a bundle is saved: straight into a file the patient chooses (`showSaveFilePicker`,
 * Chromium-based browsers: streamed to disk, nothing held), or else as a download assembled
 * from one `Blob` per piece (Firefox, Safari; Chromium keeps big Blob data on disk rather than
 * in memory, the others as their Blob storage allows). Chosen by feature detection. Nothing is
 * sent anywhere: a Blob URL reads the page's own memory.
 */

/**
 * An open destination: pieces are written in order, then `close()` finishes the file (for a
 * download: starts it) or `abort()` throws it away.
 * @typedef {{
 *   method: "picker" | "download",
 *   write: (chunk: Uint8Array) => Promise<void> | void,
 *   close: () => Promise<void>,
 *   abort: () => Promise<void>,
 * }} SaveTarget
 */

/**
 * @typedef {{
 *   suggestedName?: string,
 *   types?: { description: string, accept: Record<string, string[]> }[],
 * }} SavePickerOptions
 * @typedef {{ createWritable: () => Promise<FileSystemWritableFileStream> }} SaveHandle
 */

/** Whether this browser can stream into a file the patient picks. */
export function canPickSaveFile() {
  return typeof (/** @type {any} */ (window).showSaveFilePicker) === "function";
}

/**
 * Opens where the bundle goes. Call it from the click itself (the save dialog needs the
 * patient's gesture). Resolves with `null` when the patient closes the dialog.
 * @param {string} name the file name suggested
 * @param {ParentNode} anchorParent where the download link is put for its click (the element's
 *   shadow root)
 * @param {{ preferDownload?: boolean }} [options]
 * @returns {Promise<SaveTarget | null>}
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
    return {
      method: "picker",
      write: (chunk) => writable.write(/** @type {Uint8Array<ArrayBuffer>} */ (chunk)),
      close: () => writable.close(),
      abort: () => writable.abort().catch(() => {}),
    };
  }
  /** @type {Blob[]} */
  let parts = [];
  return {
    method: "download",
    // One Blob per piece, so that the piece's memory is the Blob store's, not the page's.
    write: (chunk) => {
      parts.push(new Blob([/** @type {Uint8Array<ArrayBuffer>} */ (chunk)]));
    },
    close: async () => {
      const zip = new Blob(parts, { type: "application/zip" });
      parts = [];
      const url = URL.createObjectURL(zip);
      const a = document.createElement("a");
      a.href = url;
      a.download = name;
      a.hidden = true;
      anchorParent.append(a);
      a.click();
      a.remove();
      // Long enough for the browser to have taken the download over.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    },
    abort: async () => {
      parts = [];
    },
  };
}

/**
 * The bundle's file name: `record-precheck-2026-11-28.zip` (the local date).
 * @param {Date} [now]
 */
export function bundleName(now = new Date()) {
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return `record-precheck-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.zip`;
}
