// @ts-check
/**
 * The file table (`files`: `tr[data-kind][data-path]`, pictures of images marked
 * `not-original`; the files shown as thumbnails, a series' and each picture's, with it:
 * `file-thumb`), filtered by kind (`kind-filter`) and text (`file-search`), `FILE_ROWS` rows
 * at a time (`show-more`), with one `include` checkbox per file: unticked, the file (or a zip
 * with its members) is left out of the bundle (`excluded`). The files of a person the patient
 * said is not them (ui/people.js) show unticked with that reason (`other-person`).
 */
import { ui } from "../i18n.js";
import { h } from "./dom.js";
import { flatten, notOriginal } from "./entries.js";

/** @typedef {import("../app.js").Precheck} Precheck */
/** @typedef {import("../pkg/record_precheck.js").FileEntry} FileEntry */

/** Files listed before "Show more". */
const FILE_ROWS = 500;

export class FileTable {
  /** @param {Precheck} host */
  constructor(host) {
    this.host = host;
    /** Report paths the patient unticked: left out of the bundle. @type {Set<string>} */
    this.excluded = new Set();
    this.limit = FILE_ROWS;
    this.kindFilter = h("select", { "data-testid": "kind-filter", id: "kind-filter" });
    this.textFilter = h("input", {
      type: "search",
      id: "text-filter",
      "data-testid": "file-search",
      autocomplete: "off",
      spellcheck: "false",
    });
    this.notOriginalNote = h("p", { class: "note", hidden: true });
    this.table = h("table", { class: "files", "data-testid": "files" });
    this.footer = h("div", { class: "files-footer" });
    this.el = h(
      "section",
      { "aria-labelledby": "files-h" },
      h("h2", { id: "files-h", "data-m": "label.file-list" }),
      h(
        "div",
        { class: "filters" },
        h("label", { for: "kind-filter", "data-t": "filter-kind" }),
        this.kindFilter,
        h("label", { for: "text-filter", "data-t": "filter-text" }),
        this.textFilter,
      ),
      this.notOriginalNote,
      h("div", { class: "table-wrap" }, this.table),
      this.footer,
    );
    this.kindFilter.addEventListener("change", () => {
      this.limit = FILE_ROWS;
      this.render();
    });
    this.textFilter.addEventListener("input", () => {
      this.limit = FILE_ROWS;
      this.render();
    });
    this.table.addEventListener("change", (e) => {
      const box = /** @type {HTMLInputElement} */ (e.target);
      const path = box.getAttribute("data-path");
      if (box.getAttribute("data-testid") !== "include" || path === null) return;
      if (box.checked) this.excluded.delete(path);
      else this.excluded.add(path);
      host.excludedChanged();
    });
  }

  /** New files: the first rows again. */
  top() {
    this.limit = FILE_ROWS;
  }

  /** Forgets the files and the choices (start over). */
  reset() {
    this.excluded = new Set();
    this.textFilter.value = "";
    this.table.replaceChildren();
    this.footer.replaceChildren();
  }

  /** Texts that are not `data-t` or `data-m`. */
  applyTexts() {
    this.textFilter.placeholder = "";
  }

  /** The table, its kind filter and its footer, from the element's entries. */
  render() {
    const host = this.host;
    const lang = host.uiLang;
    const all = flatten(host.entries);
    // The kind filter, with counts of what is there.
    /** @type {Map<string, number>} */
    const counts = new Map();
    for (const { entry } of all) counts.set(entry.kind, (counts.get(entry.kind) ?? 0) + 1);
    const chosen = this.kindFilter.value;
    this.kindFilter.replaceChildren(
      h("option", { value: "" }, ui(lang, "filter-all", { count: all.length })),
      ...(host.api?.fileKinds() ?? []).filter((k) => counts.has(k)).map((k) =>
        h("option", { value: k }, `${host.m(`kind.${k}`)} (${counts.get(k)})`),
      ),
    );
    this.kindFilter.value = counts.has(chosen) ? chosen : "";
    const kind = this.kindFilter.value;
    const text = this.textFilter.value.trim().toLowerCase();
    const rows = all.filter(
      ({ entry }) =>
        (!kind || entry.kind === kind) &&
        (!text ||
          entry.path.toLowerCase().includes(text) ||
          entry.reason.toLowerCase().includes(text) ||
          this.fileText(entry.reason_message, entry.reason).toLowerCase().includes(text)),
    );
    const shown = rows.slice(0, this.limit);

    const pictures = all.filter(({ entry }) => notOriginal(entry)).length;
    this.notOriginalNote.hidden = pictures === 0;
    this.notOriginalNote.replaceChildren(
      h("span", { class: "badge not-original" }, ui(lang, "not-original")),
      " ",
      ui(lang, "not-original-intro"),
      " ",
      host.m("step.request-imaging-dicom"),
    );

    this.table.replaceChildren(
      h(
        "thead",
        {},
        h("tr", {}, h("th", { scope: "col", class: "include" }, ui(lang, "bundle-include-col")), h("th", { scope: "col" }, host.m("label.path")), h("th", { scope: "col" }, host.m("label.kind")), h("th", { scope: "col" }, host.m("label.reason"))),
      ),
      h("tbody", {}, ...shown.map(({ entry, depth }) => this.row(entry, depth))),
    );
    const footer = [];
    if (rows.length !== all.length || shown.length < rows.length) {
      footer.push(h("p", { class: "hint" }, ui(lang, "filter-shown", { shown: shown.length, total: rows.length === all.length ? all.length : rows.length })));
    }
    if (shown.length < rows.length) {
      const more = h("button", { type: "button", class: "quiet", "data-testid": "show-more" }, ui(lang, "show-more"));
      more.addEventListener("click", () => {
        this.limit += FILE_ROWS;
        this.render();
      });
      footer.push(more);
    }
    this.footer.replaceChildren(...footer);
  }

  /**
   * Whether the bundle leaves this path out: the patient unticked it, or the zip it is in.
   * @param {string} path
   */
  leftOut(path) {
    if (this.excluded.has(path)) return true;
    // `a.zip!/b.zip!/c`: inside `a.zip` and `a.zip!/b.zip`.
    for (let i = path.indexOf("!/"); i >= 0; i = path.indexOf("!/", i + 2)) {
      if (this.excluded.has(path.slice(0, i))) return true;
    }
    return false;
  }

  /**
   * A file's reason or error in the page's language; its English text while the wasm is not
   * loaded or when the entry has no message.
   * @param {import("../pkg/record_precheck.js").Message | null | undefined} message
   * @param {string} english
   * @returns {string}
   */
  fileText(message, english) {
    const api = this.host.api;
    return message && api ? api.fillMessage(message.id, message.values, this.host.uiLang) : english;
  }

  /**
   * What a photo or screenshot shows, once its pixels were looked at (`picture`), with why, and
   * the text of each of its QR codes.
   * @param {FileEntry} e
   * @returns {HTMLElement[]}
   */
  pictureLines(e) {
    const picture = e.picture;
    if (!picture) return [];
    const api = this.host.api;
    const lang = this.host.uiLang;
    return [
      h(
        "span",
        { class: "picture-subject", "data-testid": "picture-subject", "data-subject": picture.subject },
        `${this.host.m(`picture.subject.${picture.subject}`)}: ${this.fileText(picture.reason_message, picture.reason)}`,
      ),
      ...picture.qr.map((text) =>
        h("span", { class: "picture-qr", "data-testid": "picture-qr" }, api ? api.fillMessage("picture.qr-code", { text }, lang) : text),
      ),
    ];
  }

  /**
   * @param {FileEntry} e
   * @param {number} depth
   * @returns {HTMLTableRowElement}
   */
  row(e, depth) {
    const host = this.host;
    const lang = host.uiLang;
    const facts = [];
    const dicom = e.dicom;
    if (dicom) {
      if (dicom.modality) facts.push(dicom.modality);
      if (dicom.series_description) facts.push(dicom.series_description);
      else if (dicom.sop_class_name) facts.push(dicom.sop_class_name);
    }
    if (e.image?.width && e.image.height) facts.push(`${e.image.width}×${e.image.height}`);
    const pictures = notOriginal(e);
    const setAside = host.reporter.setAside.has(e.path);
    // A file of someone the patient said is not them: left out by the core, not a choice here.
    const otherPerson = host.people.leftOut.get(e.path);
    return h(
      "tr",
      { "data-kind": e.kind, "data-path": e.path, class: `depth-${Math.min(depth, 3)}${pictures ? " picture" : ""}` },
      h(
        "td",
        { class: "include" },
        h("input", {
          type: "checkbox",
          "data-testid": "include",
          "data-path": e.path,
          // Set aside by the bundle itself (viewer software, system files…): shown, not a choice.
          "data-set-aside": setAside,
          "data-other-person": otherPerson !== undefined,
          "aria-label":
            otherPerson !== undefined
              ? ui(lang, "people-file-row", { path: e.path, person: otherPerson })
              : ui(lang, setAside ? "bundle-set-aside-row" : "bundle-include", { path: e.path }),
          title: setAside ? ui(lang, "bundle-set-aside") : null,
          checked: !setAside && otherPerson === undefined && !this.leftOut(e.path),
          disabled: setAside || otherPerson !== undefined || (!this.excluded.has(e.path) && this.leftOut(e.path)),
        }),
      ),
      h("td", { class: "path" }, e.path),
      h(
        "td",
        { class: "kind" },
        host.thumbs.made.has(e.path) && host.thumbs.img(e.path, ui(lang, "thumb-picture-alt", { path: e.path }), "file-thumb"),
        h("span", { class: `kind-name ${e.kind}` }, host.m(`kind.${e.kind}`)),
        facts.length > 0 && h("span", { class: "facts" }, facts.join(" · ")),
        pictures &&
          h(
            "span",
            { class: "not-original-cell", "data-testid": "not-original" },
            h("span", { class: "badge not-original" }, ui(lang, "not-original")),
            " ",
            ui(lang, "not-original-ask"),
          ),
      ),
      h(
        "td",
        { class: "reason" },
        // A document read says what it is ("Pathology report: …") rather than how it was found.
        e.document && host.api
          ? h("span", { class: "document-line", "data-testid": "document-line" }, host.api.documentLine(e, lang))
          : this.fileText(e.reason_message, e.reason),
        e.error && h("span", { class: "error" }, this.fileText(e.error_message, e.error)),
        host.ocr?.problem(e.path),
        ...this.pictureLines(e),
        otherPerson !== undefined &&
          h("span", { class: "other-person", "data-testid": "other-person" }, ui(lang, "people-file-left-out", { person: otherPerson })),
      ),
    );
  }
}
