// @ts-check
/**
 * The entry of a file or folder that could not be read before it reached the scanner: from a
 * drop (walked by the page, collect.js), or from a folder given as a handle (listed by a scan
 * worker, scan-worker.js). Shared by the page and the scan workers' script.
 */

/** @typedef {import("../pkg/record_precheck_scan.js").FileEntry} FileEntry */

/**
 * The entry of `path`, a file or a `folder`, that could not be read (`err`), `from` a drop or
 * a folder's handle.
 * @param {string} path
 * @param {boolean} folder
 * @param {unknown} err
 * @param {"drop" | "handle"} [from]
 * @returns {FileEntry}
 */
export function unreadableEntry(path, folder, err, from = "drop") {
  const detail = err instanceof Error ? err.message : String(err);
  const error =
    from === "drop"
      ? `could not read it from the drop: ${detail}`
      : folder
        ? `could not read the folder: ${detail}`
        : `could not read the file: ${detail}`;
  return {
    path,
    size: 0,
    kind: "corrupt",
    reason: folder ? "unreadable folder" : "unreadable",
    reason_message: { id: folder ? "reason.unreadable-folder" : "reason.unreadable", values: {} },
    error,
    // The ids written out here, where tests/messages.rs checks them against their texts.
    error_message: {
      id: from === "drop" ? "error.drop" : folder ? "error.read-folder" : "error.read",
      values: { detail },
    },
    bytes_read: 0,
  };
}

