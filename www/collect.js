// @ts-check
/**
 * Turns what the patient gave (a drop, a file picker, a folder picker) into `{ path, file }`
 * items: paths are `/`-separated and relative — `webkitRelativePath` for a picked folder
 * (`CD/IMAGES/IM1`), the dropped entry's path for a dropped folder (the same), the file name
 * for single files. Dropped folders are walked completely (a directory reader returns its
 * entries in batches, so it is read until it returns none). Zips are files like any other:
 * the scanner looks inside them.
 *
 * Where the browser gives a folder as a handle (`showDirectoryPicker`, a drop's
 * `getAsFileSystemHandle`: Chromium), the folder is not walked here: it is passed on as one
 * handle (`folders`), and the scan workers list and read its files themselves, in parallel
 * (pool.js). Taking each picked `File` on the page costs a call to the browser per file (~0.3 ms
 * in Chromium, on the page's thread); a handle costs one.
 */

import { unreadableEntry } from "./workers/unreadable.js";

/** @typedef {import("./workers/pool.js").ScanItem} ScanItem */
/** @typedef {import("./workers/pool.js").Folder} Folder */
/** @typedef {import("./pkg/record_precheck.js").FileEntry} FileEntry */

/**
 * What a drop or a pick gave: the files, the folders given as handles (their files are listed
 * by the scan workers), and what could not be read (as entries).
 * @typedef {{ items: ScanItem[], problems: FileEntry[], folders?: Folder[] }} Collected
 */

/**
 * The files of a file or folder `<input>`.
 * @param {FileList | null} list
 * @returns {Collected}
 */
export function fromFileList(list) {
  const items = Array.from(list ?? [], (file) => ({
    path: cleanPath(file.webkitRelativePath || file.name),
    file,
  }));
  return { items, problems: [] };
}

/**
 * A folder the patient picked with `showDirectoryPicker`: its files are listed by the scan
 * workers.
 * @param {FileSystemDirectoryHandle} handle
 * @returns {Collected}
 */
export function fromDirectoryHandle(handle) {
  return { items: [], problems: [], folders: [{ path: cleanPath(handle.name), handle }] };
}

/**
 * The files of a drop, folders walked (or passed on as handles, where the browser gives them).
 * Must be called from the `drop` handler itself: the DataTransfer's items are gone after the
 * handler returns, so the entries and handles are asked for at once.
 * @param {DataTransfer} dt
 * @returns {Promise<Collected>}
 */
export async function fromDataTransfer(dt) {
  /** @type {{ entry: FileSystemEntry, handle: Promise<FileSystemHandle | null> }[]} */
  const dirs = [];
  /** @type {ScanItem[]} */
  const loose = [];
  for (const item of Array.from(dt.items)) {
    if (item.kind !== "file") continue;
    const entry = typeof item.webkitGetAsEntry === "function" ? item.webkitGetAsEntry() : null;
    // A dropped file is taken as the item's File: only folders need their entry. (WebKit gives
    // an entry for a File that has no path on disk — one a page put in the drop — whose
    // `file()` then fails with "Path does not exist".)
    const file = entry?.isDirectory ? null : item.getAsFile();
    if (file) {
      loose.push({ path: cleanPath(file.name), file });
    } else if (entry) {
      dirs.push({ entry, handle: handleOf(item) });
    }
  }
  if (dirs.length === 0 && loose.length === 0) {
    // Browsers without `items` (or without entries) still give the files.
    for (const file of Array.from(dt.files)) loose.push({ path: cleanPath(file.name), file });
  }
  /** @type {Folder[]} */
  const folders = [];
  /** @type {FileSystemEntry[]} */
  const entries = [];
  for (const { entry, handle } of dirs) {
    const h = await handle;
    if (h?.kind === "directory") {
      folders.push({ path: cleanPath(entry.fullPath || entry.name), handle: /** @type {FileSystemDirectoryHandle} */ (h) });
    } else entries.push(entry);
  }
  const { items, problems } = await walk(entries);
  return { items: [...loose, ...items], problems, folders };
}

/**
 * The handle of a dropped item, where the browser gives one (null otherwise, or when it fails:
 * the folder is then walked here).
 * @param {DataTransferItem} item
 * @returns {Promise<FileSystemHandle | null>}
 */
function handleOf(item) {
  /** @type {{ getAsFileSystemHandle?: () => Promise<FileSystemHandle | null> }} */
  const withHandles = /** @type {any} */ (item);
  if (typeof withHandles.getAsFileSystemHandle !== "function") return Promise.resolve(null);
  try {
    return withHandles.getAsFileSystemHandle().catch(() => null);
  } catch {
    return Promise.resolve(null);
  }
}

/**
 * Every file under the entries.
 * @param {FileSystemEntry[]} roots
 * @returns {Promise<Collected>}
 */
async function walk(roots) {
  /** @type {ScanItem[]} */
  const items = [];
  /** @type {FileEntry[]} */
  const problems = [];
  /** @type {FileSystemEntry[]} */
  const stack = [...roots];
  while (stack.length > 0) {
    const entry = /** @type {FileSystemEntry} */ (stack.pop());
    const path = cleanPath(entry.fullPath || entry.name);
    try {
      if (entry.isFile) {
        const file = await fileOf(/** @type {FileSystemFileEntry} */ (entry));
        items.push({ path, file });
      } else if (entry.isDirectory) {
        stack.push(...(await readAll(/** @type {FileSystemDirectoryEntry} */ (entry))));
      }
    } catch (err) {
      problems.push(unreadableEntry(path, entry.isDirectory, err));
    }
  }
  return { items, problems };
}

/**
 * @param {FileSystemFileEntry} entry
 * @returns {Promise<File>}
 */
function fileOf(entry) {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/**
 * Every entry of a directory: `readEntries` answers in batches (100 in Chromium) until empty.
 * @param {FileSystemDirectoryEntry} dir
 * @returns {Promise<FileSystemEntry[]>}
 */
async function readAll(dir) {
  const reader = dir.createReader();
  /** @type {FileSystemEntry[]} */
  const all = [];
  for (;;) {
    /** @type {FileSystemEntry[]} */
    const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

/**
 * `/`-separated, no leading slash.
 * @param {string} path
 * @returns {string}
 */
export function cleanPath(path) {
  return path.replace(/\\/g, "/").replace(/^\/+/, "");
}
