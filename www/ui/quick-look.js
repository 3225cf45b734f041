// @ts-check
/**
 * The quick look (`quick-look`, a modal `<dialog>`): steps through a series one image at a
 * time, to recognise it ("the CT of March"), not to diagnose from — no windowing, zoom or
 * measurement. The arrow keys (← ↑ previous, → ↓ next, Home, End, Page Up/Down by ten), the
 * buttons `quick-look-previous` / `quick-look-next` and the slider `quick-look-slider` move
 * through the series' files in order of position; `quick-look-position` says where ("Image 12
 * of 200", read out by screen readers), `quick-look-image` shows it. Escape or `quick-look-close`
 * closes it and gives the focus back to the thumbnail that opened it.
 *
 * Each image is made on demand by a pixel worker of its own (so the case's thumbnails being made
 * do not hold it up), at most `SIDE` pixels a side; only the latest wanted one is asked for when
 * the patient steps faster than they come, and only the last few are kept (`KEPT`).
 */
import { addWords, ui } from "../i18n.js";
import { h } from "./dom.js";
import { ThumbnailMaker } from "../workers/thumbnails.js";
import { workerScript } from "../workers/wasm.js";

/** @typedef {import("../app.js").Precheck} Precheck */

// Its words, English and Chinese, come with it: not loaded before the first scan.
addWords(
  {
    "quick-look-title": "Quick look: {series}",
    "quick-look-hint": "To recognise the scan, not to diagnose from: images are small and not every detail shows. Use ← and → (or the slider) to step through.",
    "quick-look-slider": "Image in the series",
    "quick-look-position": "Image {n} of {total}",
    "quick-look-previous": "Previous image",
    "quick-look-next": "Next image",
    "quick-look-close": "Close",
    "quick-look-loading": "Loading image {n}…",
    "quick-look-failed": "Image {n} cannot be shown here: {reason}",
    "quick-look-in-zip": "it is inside a zip; the bundle keeps it",
  },
  {
    "quick-look-title": "快速浏览：{series}",
    "quick-look-hint": "用于辨认是哪次检查，不用于诊断：图像较小，细节不全。用 ← 和 → 键（或拖动滑块）逐张查看。",
    "quick-look-slider": "序列中的图像",
    "quick-look-position": "第 {n} 张，共 {total} 张",
    "quick-look-previous": "上一张",
    "quick-look-next": "下一张",
    "quick-look-close": "关闭",
    "quick-look-loading": "正在载入第 {n} 张…",
    "quick-look-failed": "第 {n} 张无法在此显示：{reason}",
    "quick-look-in-zip": "它在压缩包内；打包时会保留",
  },
);

/** The longest side of the quick look's images: enough to recognise, far from diagnostic. */
const SIDE = 512;
/** Images kept (their Blob URLs) while stepping back and forth. */
const KEPT = 12;

export class QuickLook {
  /** @param {Precheck} host */
  constructor(host) {
    this.host = host;
    this.maker = new ThumbnailMaker(() => workerScript("pixels"));
    /** The series' files by position. @type {string[]} */
    this.files = [];
    this.index = 0;
    /** The image being made, and the one wanted next. */
    this.loading = false;
    /** Made images by index (Blob URLs), the oldest first. @type {Map<number, string>} */
    this.images = new Map();
    /** Why an image could not be shown, by index. @type {Map<number, string>} */
    this.errors = new Map();
    /** @type {HTMLElement | null} */
    this.opener = null;
    /** The series in words. */
    this.label = "";

    this.title = h("h2", { id: "quick-look-h" });
    this.hint = h("p", { class: "hint" });
    this.image = h("img", { class: "quick-look-image", "data-testid": "quick-look-image", alt: "" });
    this.position = h("p", { class: "quick-look-position", "data-testid": "quick-look-position", "aria-live": "polite" });
    this.slider = h("input", { type: "range", min: 0, max: 0, step: 1, value: 0, "data-testid": "quick-look-slider", id: "quick-look-slider" });
    this.sliderLabel = h("label", { for: "quick-look-slider", class: "visually-hidden" });
    this.previous = h("button", { type: "button", "data-testid": "quick-look-previous" }, "←");
    this.next = h("button", { type: "button", "data-testid": "quick-look-next" }, "→");
    this.closeButton = h("button", { type: "button", class: "quiet", "data-testid": "quick-look-close" });
    this.el = h(
      "dialog",
      { class: "quick-look", "data-testid": "quick-look", "aria-labelledby": "quick-look-h" },
      h("div", { class: "quick-look-top" }, this.title, this.closeButton),
      this.hint,
      h("div", { class: "quick-look-frame" }, this.image),
      this.position,
      h("div", { class: "quick-look-controls" }, this.previous, this.sliderLabel, this.slider, this.next),
    );
    this.previous.addEventListener("click", () => this.go(this.index - 1));
    this.next.addEventListener("click", () => this.go(this.index + 1));
    this.slider.addEventListener("input", () => this.go(Number(this.slider.value)));
    this.closeButton.addEventListener("click", () => this.close());
    this.el.addEventListener("close", () => this.closed());
    this.el.addEventListener("keydown", (e) => this.key(e));
  }

  /**
   * Opens the quick look on `files` (a series, by position) at `index`.
   * @param {string[]} files
   * @param {number} index
   * @param {string} label the series in words
   * @param {HTMLElement} opener gets the focus back on close
   */
  open(files, index, label, opener) {
    this.forget();
    this.files = files;
    this.opener = opener;
    this.label = label;
    this.slider.max = String(Math.max(0, files.length - 1));
    this.applyTexts();
    if (!this.el.isConnected) this.host.app.append(this.el);
    if (!this.el.open) this.el.showModal();
    this.slider.focus();
    this.go(Math.max(0, index));
  }

  /** The words, in the page's language. */
  applyTexts() {
    const lang = this.host.uiLang;
    this.title.textContent = ui(lang, "quick-look-title", { series: this.label ?? "" });
    this.hint.textContent = ui(lang, "quick-look-hint");
    this.sliderLabel.textContent = ui(lang, "quick-look-slider");
    this.previous.setAttribute("aria-label", ui(lang, "quick-look-previous"));
    this.next.setAttribute("aria-label", ui(lang, "quick-look-next"));
    this.closeButton.textContent = ui(lang, "quick-look-close");
    if (this.files.length > 0) this.show();
  }

  /**
   * The keys: arrows step, Home and End go to the ends, Page Up/Down by ten. On the slider the
   * browser moves it itself (and `input` follows).
   * @param {KeyboardEvent} e
   */
  key(e) {
    if (e.target === this.slider && ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End", "PageUp", "PageDown"].includes(e.key)) return;
    /** @type {Record<string, number>} */
    const steps = { ArrowLeft: -1, ArrowUp: -1, ArrowRight: 1, ArrowDown: 1, PageUp: -10, PageDown: 10 };
    let to = null;
    if (e.key in steps) to = this.index + steps[e.key];
    else if (e.key === "Home") to = 0;
    else if (e.key === "End") to = this.files.length - 1;
    if (to === null) return;
    e.preventDefault();
    this.go(to);
  }

  /**
   * Shows the image at `index` (clamped), making it if needed.
   * @param {number} index
   */
  go(index) {
    if (this.files.length === 0) return;
    this.index = Math.min(this.files.length - 1, Math.max(0, index));
    this.slider.value = String(this.index);
    this.show();
    this.load();
  }

  /** The image, the position and the slider's words for the current index. */
  show() {
    const lang = this.host.uiLang;
    const n = this.index + 1;
    const total = this.files.length;
    const place = ui(lang, "quick-look-position", { n, total });
    this.slider.setAttribute("aria-valuetext", place);
    this.previous.disabled = this.index === 0;
    this.next.disabled = this.index === total - 1;
    const url = this.images.get(this.index);
    const error = this.errors.get(this.index);
    this.el.dataset.index = String(this.index);
    this.el.dataset.shown = url ? String(this.index) : "";
    if (url) {
      this.image.src = url;
      this.image.alt = place;
      this.image.hidden = false;
      this.position.textContent = place;
    } else {
      this.image.hidden = !!error;
      this.position.textContent = error ? ui(lang, "quick-look-failed", { n, reason: error }) : ui(lang, "quick-look-loading", { n });
    }
  }

  /** Makes the wanted image if it is not there and none is being made (then the latest wanted). */
  async load() {
    if (this.loading || this.files.length === 0) return;
    const index = this.index;
    const files = this.files;
    if (this.images.has(index) || this.errors.has(index)) return;
    const path = files[index];
    const file = this.host.files.get(path);
    if (!file) {
      this.errors.set(index, ui(this.host.uiLang, "quick-look-in-zip"));
      this.show();
      return;
    }
    this.loading = true;
    const made = await this.maker.one({ path, file, picture: null }, SIDE);
    this.loading = false;
    // Closed, or another series opened: that one's image, if any.
    if (files !== this.files || made === null) {
      this.load();
      return;
    }
    if ("png" in made) {
      this.images.set(index, URL.createObjectURL(new Blob([made.png], { type: "image/png" })));
      // Only the last few are kept.
      for (const [i, url] of this.images) {
        if (this.images.size <= KEPT) break;
        URL.revokeObjectURL(url);
        this.images.delete(i);
      }
    } else {
      const api = this.host.api;
      this.errors.set(index, made.reason && api ? api.fillMessage(made.reason.id, made.reason.values, this.host.uiLang) : made.message);
    }
    if (index === this.index) this.show();
    // The patient moved on meanwhile: the image now wanted.
    this.load();
  }

  /** Closes the dialog (Escape does it too). */
  close() {
    if (this.el.open) this.el.close();
  }

  /**
   * The dialog closed: its images go, the focus goes back to the thumbnail — the one of the same
   * series now shown, when the study list was drawn again meanwhile (new thumbnails, another
   * language).
   */
  closed() {
    this.forget();
    const opener = this.opener;
    this.opener = null;
    if (!opener) return;
    const series = opener.getAttribute("data-series") ?? "";
    const now = opener.isConnected
      ? opener
      : this.host.root.querySelector(`[data-testid=series-thumb][data-series="${CSS.escape(series)}"]`);
    if (now instanceof HTMLElement) now.focus();
  }

  forget() {
    for (const url of this.images.values()) URL.revokeObjectURL(url);
    this.images = new Map();
    this.errors = new Map();
    this.files = [];
    this.index = 0;
  }
}
