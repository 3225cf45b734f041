// @ts-check
/**
 * Two rules of the Rust side that the page applies to every row, kept here in one place:
 * `flatten` (entries with their zip members, src/case.rs) and `notOriginal` (pictures of
 * images, not original imaging). Per row a call into wasm would cost more than the rule; the
 * code lists (file kinds, document categories) come from the wasm (`fileKinds`,
 * `documentCategories`).
 */

/** @typedef {import("../pkg/record_precheck.js").FileEntry} FileEntry */
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
 * A photo or screenshot whose pixels were looked at (`picture`) is one only when it shows a
 * screen or film, or what it shows is unknown (src/picture/mod.rs `may_show_imaging`).
 * @param {FileEntry} e
 * @returns {boolean}
 */
export function notOriginal(e) {
  if (e.kind === "screenshot" || e.kind === "photo") {
    const subject = e.picture?.subject;
    return subject === undefined || subject === "screen" || subject === "film" || subject === "unknown";
  }
  const cls = e.dicom?.class;
  return e.kind === "dicom" && (cls === "secondary-capture" || cls === "photograph");
}
