// @ts-check
/**
 * The intake's controls: the drop zone (also a button opening the file picker; a drop anywhere
 * on the element counts), the two pickers (`pick-files`, `pick-folder`, hidden on touch-only
 * devices) and "Start over". What is given goes to the element's `addFiles()`.
 *
 * Where the browser has `showDirectoryPicker` (Chromium), choosing a folder opens it instead of
 * the folder `<input>`: the folder comes as one handle, whose files the scan workers list and
 * read themselves (collect.js). Where it fails other than by the patient's cancel (a
 * cross-origin frame may not show it), the `<input>` is used from then on.
 */
import { fromDataTransfer, fromDirectoryHandle, fromFileList } from "../collect.js";
import { h } from "./dom.js";

/** @typedef {import("../app.js").Precheck} Precheck */

export class DropZone {
  /** @param {Precheck} host */
  constructor(host) {
    const pickFiles = h("input", {
      type: "file",
      multiple: true,
      class: "visually-hidden",
      "data-testid": "pick-files",
      id: "pick-files",
    });
    const pickFolder = h("input", {
      type: "file",
      multiple: true,
      webkitdirectory: true,
      class: "visually-hidden",
      "data-testid": "pick-folder",
      id: "pick-folder",
    });
    const drop = h(
      "div",
      {
        class: "drop",
        role: "button",
        tabindex: 0,
        part: "drop-zone",
        "data-testid": "drop-zone",
        "aria-describedby": "drop-hint",
      },
      h("span", { class: "drop-icon", "aria-hidden": "true" }, "⇩"),
      h("strong", { "data-t": "drop-title" }),
      h("span", { id: "drop-hint", "data-t": "drop-hint" }),
    );
    const folderLabel = h(
      "label",
      { class: "button", for: "pick-folder" },
      pickFolder,
      h("span", { "data-t": "pick-folder" }),
    );
    if (!folderPickingWorks(pickFolder)) folderLabel.hidden = true;
    const startOver = h("button", {
      type: "button",
      class: "quiet",
      part: "start-over",
      "data-testid": "start-over",
      "data-t": "start-over",
      hidden: true,
    });
    this.pickers = h(
      "div",
      { class: "pickers" },
      h("label", { class: "button", for: "pick-files" }, pickFiles, h("span", { "data-t": "pick-files" })),
      folderLabel,
      startOver,
    );
    this.drop = drop;
    this.pickFiles = pickFiles;
    this.pickFolder = pickFolder;
    this.startOver = startOver;

    pickFiles.addEventListener("change", () => {
      host.addFiles(Promise.resolve(fromFileList(pickFiles.files)));
      pickFiles.value = "";
    });
    pickFolder.addEventListener("change", () => {
      host.addFiles(Promise.resolve(fromFileList(pickFolder.files)));
      pickFolder.value = "";
    });
    let handles = typeof (/** @type {any} */ (window).showDirectoryPicker) === "function";
    pickFolder.addEventListener("click", (e) => {
      if (!handles) return;
      e.preventDefault();
      /** @type {Promise<FileSystemDirectoryHandle>} */ (/** @type {any} */ (window).showDirectoryPicker({ mode: "read" })).then(
        (dir) => host.addFiles(Promise.resolve(fromDirectoryHandle(dir))),
        (err) => {
          if (err instanceof DOMException && err.name === "AbortError") return;
          handles = false;
          pickFolder.click();
        },
      );
    });
    drop.addEventListener("click", () => pickFiles.click());
    // Like a native button: Enter or Space. The picker opens on key up, when browsers have
    // counted the key press as the patient's own action (Chromium does not on Enter's key down).
    drop.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") e.preventDefault();
    });
    drop.addEventListener("keyup", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        pickFiles.click();
      }
    });
    host.el.addEventListener("dragover", (e) => {
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = host.pool.busy ? "none" : "copy";
      drop.classList.add("over");
    });
    host.el.addEventListener("dragleave", (e) => {
      if (!e.relatedTarget || !host.el.contains(/** @type {Node} */ (e.relatedTarget))) drop.classList.remove("over");
    });
    host.el.addEventListener("drop", (e) => {
      e.preventDefault();
      drop.classList.remove("over");
      if (e.dataTransfer) host.addFiles(fromDataTransfer(e.dataTransfer));
    });
    startOver.addEventListener("click", () => host.startOver());
  }

  /**
   * While files are being checked, nothing more can be given, and there is no "Start over".
   * @param {boolean} on
   * @param {boolean} hasFiles
   */
  busy(on, hasFiles) {
    this.pickFiles.disabled = on;
    this.pickFolder.disabled = on;
    this.drop.setAttribute("aria-disabled", String(on));
    this.startOver.hidden = on || !hasFiles;
  }

  /** Forgets what the pickers hold (kiosk's "Finish"). */
  clear() {
    this.pickFiles.value = "";
    this.pickFolder.value = "";
  }
}

/**
 * Whether choosing a folder is likely to work: the input knows `webkitdirectory` and the
 * device is not touch-only (phones cannot pick folders; they get files and zips).
 * @param {HTMLInputElement} input
 * @returns {boolean}
 */
function folderPickingWorks(input) {
  if (!("webkitdirectory" in input)) return false;
  const touchOnly = matchMedia("(pointer: coarse)").matches && !matchMedia("(any-pointer: fine)").matches;
  return !touchOnly;
}
