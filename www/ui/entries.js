// @ts-check
/**
 * What the page knows of the Rust side's entries and categories, in one place: the file kinds
 * and the document categories in their order (src/entry.rs `FileKind`, src/readiness.rs
 * `Category`), `flatten` (entries with their zip members) and `notOriginal` (pictures of
 * images, not original imaging).
 */

/** @typedef {import("../pkg/record_precheck.js").FileEntry} FileEntry */
/** @typedef {import("../pkg/record_precheck.js").FileKind} FileKind */
/** @typedef {import("../pkg/record_precheck.js").Category} Category */

export const KINDS = /** @type {FileKind[]} */ ([
  "dicom", "dicomdir", "screenshot", "photo", "slide", "pdf", "document", "archive",
  "software", "other", "empty", "corrupt",
]);
export const CATEGORIES = /** @type {Category[]} */ ([
  "diagnosis-report", "radiology-report", "pathology-report", "lab-results",
  "treatment-history", "discharge-summary", "other",
]);

/**
 * Every entry with its zip members, depth first, with its depth.
 * @param {FileEntry[]} files
 * @returns {{ entry: FileEntry, depth: number }[]}
 */
export function flatten(files) {
  /** @type {{ entry: FileEntry, depth: number }[]} */
  const out = [];
  /** @param {FileEntry} entry @param {number} depth */
  const visit = (entry, depth) => {
    out.push({ entry, depth });
    for (const m of entry.members ?? []) visit(m, depth + 1);
  };
  for (const e of files) visit(e, 0);
  return out;
}

/**
 * Photos, screenshots and screen captures in DICOM: pictures of images, not original imaging.
 * @param {FileEntry} e
 * @returns {boolean}
 */
export function notOriginal(e) {
  if (e.kind === "screenshot" || e.kind === "photo") return true;
  const cls = e.dicom?.class;
  return e.kind === "dicom" && (cls === "secondary-capture" || cls === "photograph");
}
