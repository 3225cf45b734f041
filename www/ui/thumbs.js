// @ts-check
/**
 * The case's thumbnails (issue 17): after the first report of a batch, the report worker says
 * which files to show (`thumbnailTargets`: each image series' middle file by position, each
 * photo and screenshot) and a pixel worker makes them, one at a time, at most 256 pixels a side
 * (workers/thumbnails.js); "Start over" stops it and forgets them. Each is kept as PNG bytes (for
 * the printable report and the bundle's report.html, `pngs()`) and a Blob URL (for the page's
 * `<img>`s): a few tens of KB, never a full frame.
 *
 * Shown in the study list (a button per series, `series-thumb`, opening the quick look), the
 * file table (`file-thumb`) and the identity cards (`person-thumb`); `thumbs` on the summary
 * counts them (`data-made`, `data-failed`, `data-pending` while they are made).
 */
import { ui } from "../i18n.js";
import { h } from "./dom.js";
import { THUMBNAIL_SIDE, ThumbnailMaker } from "../workers/thumbnails.js";
import { workerScript } from "../workers/wasm.js";

/** @typedef {import("../app.js").Precheck} Precheck */
/** @typedef {import("../pkg/record_precheck.js").Series} Series */
/** @typedef {import("../pkg/record_precheck.js").FileEntry} FileEntry */
/** @typedef {import("../workers/thumbnails.js").ThumbnailItem} ThumbnailItem */
/** @typedef {import("../workers/thumbnails.js").NotMade} NotMade */
/** @typedef {{ url: string, png: Uint8Array<ArrayBuffer>, width: number, height: number }} Thumb */

/** While thumbnails are made, the page shows them at most this often (ms). */
const REFRESH_MS = 400;

export class Thumbs {
  /** @param {Precheck} host */
  constructor(host) {
    this.host = host;
    this.maker = new ThumbnailMaker(() => workerScript("pixels"));
    /** @type {Map<string, Thumb>} */
    this.made = new Map();
    /** Files that did not decode, with why. @type {Map<string, NotMade>} */
    this.failed = new Map();
    /** A series' shown file → the series' files by position (the quick look's steps). @type {Map<string, string[]>} */
    this.seriesFiles = new Map();
    /** Thumbnails asked for and not made yet. */
    this.pending = 0;
    /** @type {ReturnType<typeof setTimeout> | null} */
    this.timer = null;
    /**
     * The quick look, once the patient opened it: ui/quick-look.js is imported then, so that it
     * stays out of what the page loads before the first scan.
     * @type {import("./quick-look.js").QuickLook | null}
     */
    this.quickLook = null;
    /** @type {Promise<import("./quick-look.js").QuickLook> | null} */
    this.quickLookLoading = null;
  }

  /**
   * Opens the quick look on a series' `files` at `index` (`label`: the series in words; `opener`
   * gets the focus back when it closes).
   * @param {string[]} files
   * @param {number} index
   * @param {string} label
   * @param {HTMLElement} opener
   */
  async openQuickLook(files, index, label, opener) {
    this.quickLookLoading ??= import("./quick-look.js").then(({ QuickLook }) => {
      this.quickLook = new QuickLook(this.host);
      return this.quickLook;
    });
    try {
      (await this.quickLookLoading).open(files, index, label, opener);
    } catch (err) {
      this.quickLookLoading = null; // tried again on the next click
      this.host.setStatus("status-error", { message: String(err) });
    }
  }

  /**
   * Makes the thumbnails the case lacks (after a batch's first report; not awaited: the page
   * goes on meanwhile). The patient starting over stops it (`clear`).
   */
  async update() {
    const host = this.host;
    let targets;
    try {
      targets = await host.reporter.thumbnailTargets();
    } catch {
      return; // the report worker was stopped (start over) or failed: it says so itself
    }
    /** @type {Map<string, FileEntry>} */
    const entries = new Map(host.entries.map((e) => [e.path, e]));
    /** @type {ThumbnailItem[]} */
    const items = [];
    for (const t of targets) {
      const path = t.series_files.length > 0 ? nearestHeld(t.series_files, t.path, host.files) : t.path;
      if (t.series_files.length > 0) this.seriesFiles.set(path, t.series_files);
      // A zip member is read from its zip, not here: it has no thumbnail.
      const file = host.files.get(path);
      if (!file || this.made.has(path) || this.failed.has(path)) continue;
      const entry = entries.get(path);
      const picture = t.series_files.length === 0 ? { width: entry?.image?.width, height: entry?.image?.height } : null;
      items.push({ path, file, picture });
    }
    if (items.length === 0) return;
    this.pending += items.length;
    this.refresh();
    const generation = this.maker.generation;
    await this.maker.make(items, THUMBNAIL_SIDE, (path, made) => {
      this.pending -= 1;
      if ("png" in made) {
        const url = URL.createObjectURL(new Blob([made.png], { type: "image/png" }));
        this.made.set(path, { url, png: made.png, width: made.width, height: made.height });
      } else {
        this.failed.set(path, made);
      }
      this.timer ??= setTimeout(() => this.refresh(), REFRESH_MS);
    });
    if (generation !== this.maker.generation) return;
    this.pending = 0;
    this.refresh();
  }

  /** Shows what was made: the summary, the identity cards and the file table drawn again. */
  refresh() {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.host.renderThumbnails();
  }

  /** Forgets every thumbnail and stops the making (start over). */
  clear() {
    this.maker.cancel();
    this.quickLook?.close();
    this.quickLook?.maker.cancel();
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    for (const t of this.made.values()) URL.revokeObjectURL(t.url);
    this.made = new Map();
    this.failed = new Map();
    this.seriesFiles = new Map();
    this.pending = 0;
  }

  /** The PNG bytes by report path, for the printable report and the bundle's report.html. */
  pngs() {
    return new Map([...this.made].map(([path, t]) => [path, t.png]));
  }

  /**
   * The file of `series` whose thumbnail is made, if any.
   * @param {Series} series
   * @returns {string | null}
   */
  ofSeries(series) {
    return series.files.find((f) => this.made.has(f)) ?? null;
  }

  /**
   * The `<img>` of the thumbnail of `path` (made), described by `alt`.
   * @param {string} path
   * @param {string} alt
   * @param {string} testid
   */
  img(path, alt, testid) {
    const t = /** @type {Thumb} */ (this.made.get(path));
    return h("img", { class: "thumb", src: t.url, alt, width: t.width, height: t.height, "data-testid": testid, "data-path": path, decoding: "async" });
  }

  /**
   * A series' thumbnail as a button that opens the quick look at its shown file, or null when
   * it has none yet.
   * @param {Series} series
   * @param {string} label what the series is, in words
   */
  seriesButton(series, label) {
    const path = this.ofSeries(series);
    if (!path) return null;
    const lang = this.host.uiLang;
    const files = this.seriesFiles.get(path) ?? series.files;
    const button = h(
      "button",
      { type: "button", class: "thumb-button", "data-testid": "series-thumb", "data-series": series.series_instance_uid ?? "", "aria-label": ui(lang, "quick-look-open", { series: label }), title: label },
      this.img(path, "", "thumb-img"),
    );
    button.addEventListener("click", () => this.openQuickLook(files, files.indexOf(path), label, button));
    return button;
  }

  /**
   * The thumbnails' counts, for the summary (`thumbs`).
   * @returns {HTMLElement}
   */
  status() {
    return h("span", { hidden: true, "data-testid": "thumbs", "data-made": this.made.size, "data-failed": this.failed.size, "data-pending": this.pending });
  }
}

/**
 * The file of a series nearest its middle one that the page holds as a `File` (a zip member is
 * read from its zip, not here): the middle one itself when it is held.
 * @param {string[]} files the series' files by position
 * @param {string} middle
 * @param {Map<string, File>} held
 */
function nearestHeld(files, middle, held) {
  const at = files.indexOf(middle);
  for (let d = 0; d < files.length; d++) {
    for (const i of [at - d, at + d]) if (i >= 0 && i < files.length && held.has(files[i])) return files[i];
  }
  return middle;
}

/**
 * A series in words: its modality, number and description (as the report lists it).
 * @param {Series} series
 * @param {(id: string) => string} m the Rust catalogue's words
 */
export function seriesLabel(series, m) {
  const number = series.number !== null && series.number !== undefined ? `${m("label.series")} ${series.number}` : m("label.series");
  return [series.modality, number, series.description?.trim()].filter(Boolean).join(" · ");
}
