// @ts-check
/**
 * `<record-precheck>`: the patient-facing checker as a custom element (open shadow root, its
 * styles inside it), used by index.html and embeddable on a host page with
 * `<script type="module" src=".../app.js">`. Everything runs on this device: files are read
 * by scan workers (workers/pool.js, workers/scan-worker.js), the report is built in a report
 * worker (workers/reporter.js, workers/report-worker.js), the report's words come from a wasm
 * instance on this thread (workers/wasm.js), and nothing is sent anywhere or stored (no storage
 * APIs, no cookies) — except the bundle, uploaded to the host's `destination` when the patient
 * presses "Send" (sender.js).
 *
 * ## Contract (the embedding API — keep it stable)
 * - Attribute `lang`: `"en"` or `"zh"` (Simplified Chinese). Default: the browser's language.
 *   The element keeps it in sync with its language switch.
 * - Attribute `workers`: how many scan workers read the files, `1` to `8`. Default (absent or
 *   not a whole number in that range): one per core, 1 to 4 (`navigator.hardwareConcurrency`).
 *   A change applies at once when no files are being checked, else after the batch.
 * - Property `report` (read-only): after each analysis and after each change of the patient's
 *   answers, the report as a plain object — the same schema as the CLI's `--json`
 *   (schema_version 1, docs/report-schema.md; types `Report` in pkg/record_precheck.d.ts).
 *   `null` before the first analysis and after "Start over".
 * - Event `precheck-report` (bubbles, composed): dispatched right after `report` is set, with
 *   the report as `detail`.
 * - Event `precheck-reset` (bubbles, composed): "Start over" forgot every file and answer.
 * - Event `precheck-error` (bubbles, composed): an error was shown to the patient; `detail` is
 *   `{ code: "status-error" | "bundle-failed" | "send-failed", message }`.
 * - Attribute `items`: the checklist items to show (ids as in `readiness.items[].id`,
 *   separated by spaces or commas); absent or empty: all. Only what is shown changes: the
 *   report (and the bundle's) keeps every item.
 * - Method `reset()`: the same as the patient pressing "Start over".
 * - Method `bundleStream()`: the bundle as a `ReadableStream` of bytes, for a host that
 *   uploads it itself (pull-based: the zip is written as fast as the host reads); `null` when
 *   there is nothing to bundle or a bundle is being written. `precheck-bundle-ready` (method
 *   `"stream"`) when the stream has ended.
 * - Attribute `mode="kiosk"` (kiosk.js): larger controls, a `finish` button ("Finish — clear
 *   everything": `finish()` forgets every file, stops every worker and starts new ones) and an
 *   idle timer (attribute `idle`: seconds without input, default 600; then the warning
 *   `idle-warning` with `idle-continue`, and after up to 60 more seconds `finish()`). On the
 *   standalone page, `?mode=kiosk` sets it and registers the service worker (sw.js) that
 *   precaches the app, so that it works offline after one visit.
 * - Theme: the CSS custom properties of style.css's `:host` rule (`--accent`, `--ink`, …) set
 *   on the element by the host; `::part()` names `app`, `drop-zone`, `status`, `results`,
 *   `start-over`, `finish`.
 * - In the shadow root: `<input type=file data-testid="pick-files" multiple>` and
 *   `<input type=file data-testid="pick-folder" webkitdirectory>` (hidden on touch-only
 *   devices), the drop zone `drop-zone` (also a button opening the file picker), `progress`
 *   (a `<progress>`, files done of the batch) with `progress-text` ("120 / 2000 files · 60 MB"),
 *   `cancel`, `status`, `start-over`, `lang` (a `<select>`: `en`, `zh`). Results carry
 *   `data-testid` `summary` (`level`, `patients`, `studies`, `key-findings`), `findings`
 *   (`li[data-code][data-severity]`), `next-steps` (`li[data-step]`), `checklist`
 *   (`li[data-item][data-status][data-impact]`), the answers `decl-cancer`, `decl-slides`,
 *   `decl-translation` (radio groups named `cancer`, `slides`, `translation`), `decl-treatment`,
 *   `timeline`, `questions` (inputs `question`, button `question-add`), `category`
 *   (`select[data-path]`, one per document), `files` (`tr[data-kind][data-path]`, marked
 *   `not-original` for pictures of images), `kind-filter`, `file-search`, `printable`,
 *   `save-html`.
 * - The bundle: `bundle-deflate` (checkbox), `save-bundle` (button), `bundle-progress`,
 *   `bundle-progress-text`, `bundle-cancel`, `bundle-status`; in the file table, one
 *   `input[type=checkbox][data-testid=include][data-path]` per file (unticked: left out of the
 *   bundle; the members of an unticked zip are left out with it). Where the browser has
 *   `showSaveFilePicker` the bundle is streamed into the file the patient picks, else (or with
 *   the attribute `save="download"`) downloaded as `record-precheck-YYYY-MM-DD.zip` from a Blob
 *   URL. The zip is written by the report worker, which reads the files in place.
 * - Event `precheck-bundle-ready` (bubbles, composed): the bundle is saved; `detail` is
 *   `{ name, bytes, method: "picker" | "download", totals }` (`totals`: the manifest's counts,
 *   `ManifestTotals` in pkg/record_precheck.d.ts).
 * - Attribute `destination` (optional): a tus endpoint, an http(s) URL such as
 *   `https://host.example/uploads/` (anything else counts as none). Only then is there a "Send to
 *   <host>" step after the bundle: `send` ("Prepare to send") writes the bundle into memory (one
 *   Blob) and `send-summary` shows exactly what will be sent (`send-name`, `send-bytes`,
 *   `send-count`: files in it, `send-host`); nothing is sent before the patient presses
 *   `send-confirm` ("Send"; `send-discard` drops it). Then sender.js and the tus client
 *   (vendor/tus.min.js: npm tus-js-client, vendored by `cargo xtask build`) are loaded and the
 *   Blob is uploaded with the tus protocol in 8 MiB requests: `send-progress` (a `<progress>`
 *   of bytes) with `send-progress-text` ("12 MB of 40 MB (30%)"), `send-pause`, `send-resume`
 *   (also "Try again" after a failure), `send-status`. A lost connection is retried, and the
 *   upload goes on from the server's offset; nothing of it is stored (no fingerprint or upload
 *   URL in localStorage). The host's CSP must let the page connect to the destination's origin
 *   (`connect-src 'self' https://host.example`). The Blob is kept until the upload is done, the
 *   patient starts over or the destination changes. Without the attribute there is no send
 *   step, and neither sender.js nor the tus client is ever loaded.
 * - Event `precheck-sent` (bubbles, composed): the bundle was uploaded; `detail` is
 *   `{ url, bytes }` (`url`: the upload's URL at the destination, `bytes`: the zip's size).
 * - Files given are added to the case (a path given again replaces its entry); a cancelled
 *   batch adds nothing.
 * - Assets, fetched from this module's folder, each once, while the page loads: style.css,
 *   the modules this one imports (workers/pool.js, workers/reporter.js, workers/bridge.js,
 *   workers/wasm.js, saver.js, collect.js, i18n.js, kiosk.js), pkg/record_precheck.js,
 *   pkg/record_precheck_bg.wasm, and the workers' scripts (workers/scan-worker.js,
 *   workers/report-worker.js, workers/worker-runtime.js, workers/warm-up.js; sender.js and
 *   vendor/tus.min.js only when the patient presses "Send", with a `destination`). When the
 *   element is connected, the wasm is compiled and every worker (the scan workers and the
 *   report worker) is started, from a Blob URL made of its scripts and pkg/record_precheck.js
 *   (so the host's Content-Security-Policy needs `worker-src 'self' blob:`, besides
 *   `script-src 'self' 'wasm-unsafe-eval'` and `connect-src 'self'`, as `cargo xtask serve`
 *   sends). After that nothing is requested: not by a scan, a cancel or a worker started again
 *   after a crash. Disconnecting the element stops its workers (and cancels a running batch);
 *   connecting it again starts them again.
 */
import { byPath, fromDataTransfer, fromFileList } from "./collect.js";
import { formatBytes, formatDuration, pickLang, ui } from "./i18n.js";
import { blobTarget, bundleName, canPickSaveFile, openSaveTarget, revokeSaved, streamTarget } from "./saver.js";
import { MAX_WORKERS, ScanPool, defaultWorkers } from "./workers/pool.js";
import { Reporter } from "./workers/reporter.js";
import { mainApi, workerScript } from "./workers/wasm.js";
import { Kiosk, standaloneKiosk } from "./kiosk.js";

/** @typedef {import("./i18n.js").UiLang} UiLang */
/** @typedef {import("./workers/wasm.js").Api} Api */
/** @typedef {import("./workers/pool.js").Progress} Progress */
/** @typedef {import("./collect.js").Collected} Collected */
/** @typedef {import("./pkg/record_precheck.js").Report} Report */
/** @typedef {import("./pkg/record_precheck.js").FileEntry} FileEntry */
/** @typedef {import("./pkg/record_precheck.js").FileKind} FileKind */
/** @typedef {import("./pkg/record_precheck.js").Declarations} Declarations */
/** @typedef {import("./pkg/record_precheck.js").Category} Category */
/** @typedef {import("./pkg/record_precheck.js").Finding} Finding */
/** @typedef {import("./pkg/record_precheck.js").BundleProgress} BundleProgress */
/** @typedef {import("./saver.js").SaveTarget} SaveTarget */
/** @typedef {import("./sender.js").Sending} Sending */
/** @typedef {import("./pkg/record_precheck.js").ManifestTotals} ManifestTotals */

/**
 * The send step: `idle` (nothing made), `preparing` (the bundle is being written into memory),
 * `ready` (shown, waiting for the patient's consent), `sending`, `paused`, `failed` (the upload
 * stopped; "Try again" goes on), `sent`.
 * @typedef {"idle" | "preparing" | "ready" | "sending" | "paused" | "failed" | "sent"} SendState
 */

const STYLE_URL = new URL("./style.css", import.meta.url);
/** Files listed before "Show more". */
const FILE_ROWS = 500;
/** Paths shown per finding, evidence entries per checklist item. */
const PATHS_SHOWN = 10;
const EVIDENCE_SHOWN = 5;
const MAX_QUESTIONS = 5;
/** Typing pauses this long before the report is rebuilt. */
const TYPING_MS = 300;

const KINDS = /** @type {FileKind[]} */ ([
  "dicom", "dicomdir", "screenshot", "photo", "slide", "pdf", "document", "archive",
  "software", "other", "empty", "corrupt",
]);
const CATEGORIES = /** @type {Category[]} */ ([
  "diagnosis-report", "radiology-report", "pathology-report", "lab-results",
  "treatment-history", "discharge-summary", "other",
]);

/**
 * An element with attributes and children; strings become text nodes (never HTML).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string | number | boolean | null | undefined>} [attrs]
 * @param {...(Node | string | null | undefined | false)} children
 * @returns {HTMLElementTagNameMap[K]}
 */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child !== null && child !== undefined && child !== false) el.append(child);
  }
  return el;
}

/**
 * Every entry with its zip members, depth first, with its depth.
 * @param {FileEntry[]} files
 * @returns {{ entry: FileEntry, depth: number }[]}
 */
function flatten(files) {
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
function notOriginal(e) {
  if (e.kind === "screenshot" || e.kind === "photo") return true;
  const cls = e.dicom?.class;
  return e.kind === "dicom" && (cls === "secondary-capture" || cls === "photograph");
}

/** @returns {Declarations} */
function noDeclarations() {
  return {
    cancer: "unsure",
    slides: null,
    treatment_history: false,
    translation: null,
    document_categories: {},
    timeline: "",
    questions: [],
  };
}

export class RecordPrecheck extends HTMLElement {
  static observedAttributes = ["lang", "workers", "mode", "idle", "destination", "items"];

  constructor() {
    super();
    /** @type {UiLang} */
    this.uiLang = pickLang(this.getAttribute("lang") || navigator.language);
    /** @type {FileEntry[]} */
    this.entries = [];
    /** The patient's files by report path, for the bundle (zip members are read from their zip). */
    /** @type {Map<string, File>} */
    this.files = new Map();
    /** Report paths the patient unticked: left out of the bundle. @type {Set<string>} */
    this.excluded = new Set();
    /** The bundle being saved. @type {{ target: SaveTarget, started: number, cancelled: boolean } | null} */
    this.saving = null;
    /** @type {Declarations} */
    this.decl = noDeclarations();
    /** Question inputs' texts, empty ones included (the report gets the non-empty ones). */
    this.questionTexts = ["", "", ""];
    /** @type {Report | null} */
    this._report = null;
    /** @type {Api | null} */
    this.api = null;
    /** The Rust message table of the current language. @type {Record<string, string>} */
    this.msgs = {};
    this.pool = new ScanPool({ script: () => workerScript("scan"), size: workerCount(this.getAttribute("workers")) });
    this.reporter = new Reporter(() => workerScript("report"));
    this.reporter.onSetAside = () => this.renderFiles();
    /** Rebuilds asked for; only the latest one's report is shown. */
    this.buildSeq = 0;
    this.fileLimit = FILE_ROWS;
    /** @type {Progress | null} */
    this.pendingProgress = null;
    this.progressFrame = 0;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.typingTimer = undefined;
    /** Documents the category table shows, to redraw it only when they change. */
    this.categoryKey = "";
    /** The status line, kept as an id so that it follows the language. */
    /** @type {{ id: string, values?: Record<string, string | number> }} */
    this.status = { id: "" };
    /** The bundle's status line, likewise. */
    /** @type {{ id: string, values?: Record<string, string | number> }} */
    this.bundleStatusId = { id: "" };
    /**
     * The send step (only with a `destination`): the bundle made for it (kept until sent or
     * the patient starts over), what it holds, and the upload.
     * @type {{ state: SendState, blob: Blob | null, name: string, totals: ManifestTotals | null,
     *   size: number, sent: number, sending: Sending | null, status: { id: string, values?: Record<string, string | number> } }}
     */
    this.send = { state: "idle", blob: null, name: "", totals: null, size: 0, sent: 0, sending: null, status: { id: "" } };
    /** The destination the send step was shown for. @type {string | undefined} */
    this.sendingTo = undefined;

    const root = this.attachShadow({ mode: "open" });
    this.root = root;
    this.dom = this.skeleton();
    root.append(this.dom.style, this.dom.app);
    /** Kiosk mode: the finish button and the idle timer (kiosk.js). */
    this.kiosk = new Kiosk(this);
  }

  /** The latest report (schema_version 1), or null. */
  get report() {
    return this._report;
  }

  connectedCallback() {
    if (this.getAttribute("lang") !== this.uiLang) this.setAttribute("lang", this.uiLang);
    // The standalone page says it above the element, in both languages.
    this.dom.privacy.hidden = document.body?.hasAttribute("data-standalone") ?? false;
    this.applyTexts();
    // Fetch and compile the wasm and start every worker now, while the page loads: the first
    // scan starts at once, and nothing is requested after load.
    mainApi()
      .then((api) => {
        this.api = api;
        this.msgs = api.messages(this.uiLang);
        this.applyTexts();
      })
      .catch((err) => this.setStatus("status-error", { message: String(err) }));
    /** @param {unknown} err */
    const failed = (err) => {
      // Disconnected again before the workers were up: nothing went wrong.
      if (!(err instanceof DOMException && err.name === "AbortError")) {
        this.setStatus("status-error", { message: String(err) });
      }
    };
    this.pool.start().catch(failed);
    this.reporter.start().catch(failed);
    this.kiosk.update();
    this.updateDestination();
  }

  disconnectedCallback() {
    this.pool.stop();
    this.reporter.stop();
    this.kiosk.stop();
    // An upload under way pauses (Resume goes on when the element is back).
    if (this.send.state === "sending") this.pauseSend();
  }

  /** The same as the patient pressing "Start over" (for hosts). */
  reset() {
    this.startOver();
  }

  /**
   * "Finish — clear everything" (kiosk): starts over, withdraws the saved bundle's Blob URL,
   * and stops every worker (the last File references) and starts new ones, from memory.
   */
  finish() {
    this.startOver();
    revokeSaved();
    this.pool.stop();
    this.reporter.stop();
    this.dom.pickFiles.value = "";
    this.dom.pickFolder.value = "";
    if (this.isConnected) {
      /** @param {unknown} err */
      const failed = (err) => {
        if (!(err instanceof DOMException && err.name === "AbortError")) {
          this.setStatus("status-error", { message: String(err) });
        }
      };
      this.pool.start().catch(failed);
      this.reporter.start().catch(failed);
    }
  }

  /**
   * @param {string} name
   * @param {string | null} _old
   * @param {string | null} value
   */
  attributeChangedCallback(name, _old, value) {
    if (name === "workers") {
      this.pool.setSize(workerCount(value));
      return;
    }
    if (name === "items") {
      if (this._report && this.api) this.renderChecklist(this._report, this.api);
      return;
    }
    if (name === "mode" || name === "idle") {
      this.kiosk.update();
      return;
    }
    if (name === "destination") {
      this.updateDestination();
      return;
    }
    const lang = pickLang(value || navigator.language);
    if (lang !== this.uiLang) this.setLang(lang);
  }

  // ---- building the page -------------------------------------------------------------------

  skeleton() {
    const style = h("link", { rel: "stylesheet", href: STYLE_URL.href });
    const app = h("div", { class: "app", part: "app", hidden: true });
    // Shown once the styles are there (or failed), so the page never flashes unstyled.
    style.addEventListener("load", () => (app.hidden = false));
    style.addEventListener("error", () => (app.hidden = false));

    const langSelect = h(
      "select",
      { "data-testid": "lang", id: "lang" },
      h("option", { value: "en", lang: "en" }, "English"),
      h("option", { value: "zh", lang: "zh-CN" }, "中文"),
    );
    langSelect.value = this.uiLang;
    langSelect.addEventListener("change", () => this.setLang(pickLang(langSelect.value)));

    const header = h(
      "header",
      { class: "top" },
      h("h1", { "data-t": "report-title" }),
      h("div", { class: "lang" }, h("label", { for: "lang", "data-t": "lang-label" }), langSelect),
    );
    const privacy = h("p", { class: "privacy", "data-t": "privacy" });
    const lede = h("p", { class: "lede", "data-t": "lede" });

    // Intake: the drop zone (also a button that opens the file picker) and the two pickers.
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
    const pickers = h(
      "div",
      { class: "pickers" },
      h("label", { class: "button", for: "pick-files" }, pickFiles, h("span", { "data-t": "pick-files" })),
      folderLabel,
      startOver,
    );

    const progress = h("progress", { "data-testid": "progress", id: "progress", max: 1, value: 0 });
    const progressText = h("span", { class: "progress-text", "data-testid": "progress-text" });
    const progressFile = h("span", { class: "progress-file", "data-testid": "progress-file" });
    const cancel = h("button", { type: "button", "data-testid": "cancel", "data-t": "cancel" });
    const progressBox = h(
      "div",
      { class: "progress", "data-testid": "progress-box", hidden: true },
      h("label", { for: "progress", class: "visually-hidden", "data-t": "progress-label" }),
      progress,
      h("div", { class: "progress-line" }, progressText, cancel),
      progressFile,
    );
    const status = h("p", { class: "status", role: "status", part: "status", "data-testid": "status" });
    const intake = h("section", { class: "intake" }, drop, pickers, progressBox, status);

    // Results.
    const summary = h("section", { class: "summary", "data-testid": "summary", "aria-labelledby": "summary-h" });
    const findings = h("ul", { class: "findings", "data-testid": "findings" });
    const steps = h("ol", { class: "steps", "data-testid": "next-steps" });
    const checklist = h("ul", { class: "checklist", "data-testid": "checklist" });
    const declarations = this.declarationsForm();
    const categories = h("div", { class: "categories", "data-testid": "categories" });
    const kindFilter = h("select", { "data-testid": "kind-filter", id: "kind-filter" });
    const textFilter = h("input", {
      type: "search",
      id: "text-filter",
      "data-testid": "file-search",
      autocomplete: "off",
      spellcheck: "false",
    });
    const notOriginalNote = h("p", { class: "note", hidden: true });
    const fileTable = h("table", { class: "files", "data-testid": "files" });
    const fileFooter = h("div", { class: "files-footer" });
    const printable = h("button", { type: "button", "data-testid": "printable", "data-t": "printable" });
    const saveHtml = h("button", { type: "button", class: "quiet", "data-testid": "save-html", "data-t": "save-html" });

    // The bundle: options, the button, its progress.
    const bundleDeflate = h("input", { type: "checkbox", id: "bundle-deflate", "data-testid": "bundle-deflate" });
    const saveBundle = h("button", {
      type: "button",
      class: "primary",
      "data-testid": "save-bundle",
      "data-t": canPickSaveFile() ? "bundle-save" : "bundle-save-download",
    });
    const bundleExcluded = h("p", { class: "hint", "data-testid": "bundle-excluded", hidden: true });
    const bundleSetAside = h("p", { class: "hint", "data-testid": "bundle-set-aside", hidden: true });
    const bundleProgress = h("progress", { id: "bundle-progress", "data-testid": "bundle-progress", max: 1, value: 0 });
    const bundleText = h("span", { class: "progress-text", "data-testid": "bundle-progress-text" });
    const bundleCancel = h("button", { type: "button", "data-testid": "bundle-cancel", "data-t": "cancel" });
    const bundleBox = h(
      "div",
      { class: "progress", "data-testid": "bundle-progress-box", hidden: true },
      h("label", { for: "bundle-progress", class: "visually-hidden", "data-t": "bundle-progress-label" }),
      bundleProgress,
      h("div", { class: "progress-line" }, bundleText, bundleCancel),
    );
    const bundleStatus = h("p", { class: "status", role: "status", "data-testid": "bundle-status" });
    const bundleSection = h(
      "section",
      { class: "bundle", "data-testid": "bundle", "aria-labelledby": "bundle-h" },
      h("h2", { id: "bundle-h", "data-t": "bundle" }),
      h("p", { class: "hint", "data-t": "bundle-hint" }),
      h("label", { class: "choice" }, bundleDeflate, h("span", { "data-t": "bundle-deflate" })),
      bundleExcluded,
      bundleSetAside,
      h("div", { class: "actions" }, saveBundle),
      bundleBox,
      bundleStatus,
    );

    // Sending (only with a `destination`: attached by updateDestination()).
    const sendHeading = h("h2", { id: "send-h" });
    const sendHint = h("p", { class: "hint" });
    const sendPrepare = h("button", { type: "button", class: "primary", "data-testid": "send", "data-t": "send-prepare" });
    const sendName = h("dd", { "data-testid": "send-name" });
    const sendBytes = h("dd", { "data-testid": "send-bytes" });
    const sendCount = h("dd", { "data-testid": "send-count" });
    const sendHost = h("dd", { "data-testid": "send-host" });
    const sendConfirm = h("button", { type: "button", class: "primary", "data-testid": "send-confirm", "data-t": "send-confirm" });
    const sendDiscard = h("button", { type: "button", class: "quiet", "data-testid": "send-discard", "data-t": "send-discard" });
    const sendSummary = h(
      "div",
      { class: "send-summary", "data-testid": "send-summary", hidden: true },
      h("h3", { "data-t": "send-what" }),
      h(
        "dl",
        {},
        h("dt", { "data-t": "send-file" }), sendName,
        h("dt", { "data-t": "send-size" }), sendBytes,
        h("dt", { "data-t": "send-count" }), sendCount,
        h("dt", { "data-t": "send-to" }), sendHost,
      ),
      h("div", { class: "actions" }, sendConfirm, sendDiscard),
    );
    const sendProgress = h("progress", { id: "send-progress", "data-testid": "send-progress", max: 1, value: 0 });
    const sendText = h("span", { class: "progress-text", "data-testid": "send-progress-text" });
    const sendPause = h("button", { type: "button", "data-testid": "send-pause", "data-t": "send-pause" });
    const sendResume = h("button", { type: "button", "data-testid": "send-resume", "data-t": "send-resume", hidden: true });
    const sendBox = h(
      "div",
      { class: "progress", "data-testid": "send-progress-box", hidden: true },
      h("label", { for: "send-progress", class: "visually-hidden", "data-t": "send-progress-label" }),
      sendProgress,
      h("div", { class: "progress-line" }, sendText, h("span", {}, sendPause, sendResume)),
    );
    const sendStatus = h("p", { class: "status", role: "status", "data-testid": "send-status" });
    const sendSection = h(
      "section",
      { class: "bundle send", "data-testid": "send-step", "aria-labelledby": "send-h" },
      sendHeading,
      sendHint,
      h("div", { class: "actions" }, sendPrepare),
      sendSummary,
      sendBox,
      sendStatus,
    );
    sendPrepare.addEventListener("click", () => this.prepareSend());
    sendConfirm.addEventListener("click", () => this.confirmSend());
    sendDiscard.addEventListener("click", () => this.discardSend("send-discarded"));
    sendPause.addEventListener("click", () => this.pauseSend());
    sendResume.addEventListener("click", () => this.resumeSend());

    const results = h(
      "div",
      { class: "results", part: "results", "data-testid": "results", hidden: true },
      summary,
      h("section", { "aria-labelledby": "findings-h" }, h("h2", { id: "findings-h", "data-m": "label.findings" }), findings),
      h("section", { "aria-labelledby": "steps-h" }, h("h2", { id: "steps-h", "data-m": "label.next-steps" }), steps),
      h(
        "section",
        { "aria-labelledby": "checklist-h", class: "checklist-section" },
        h("h2", { id: "checklist-h", "data-m": "label.checklist" }),
        h("div", { class: "checklist-grid" }, checklist, declarations),
        categories,
      ),
      h(
        "section",
        { "aria-labelledby": "files-h" },
        h("h2", { id: "files-h", "data-m": "label.file-list" }),
        h(
          "div",
          { class: "filters" },
          h("label", { for: "kind-filter", "data-t": "filter-kind" }),
          kindFilter,
          h("label", { for: "text-filter", "data-t": "filter-text" }),
          textFilter,
        ),
        notOriginalNote,
        h("div", { class: "table-wrap" }, fileTable),
        fileFooter,
      ),
      h("div", { class: "actions" }, printable, saveHtml),
      bundleSection,
    );

    app.append(header, lede, privacy, intake, results);
    app.lang = this.uiLang === "zh" ? "zh-CN" : "en";

    // Wiring.
    pickFiles.addEventListener("change", () => {
      this.addFiles(Promise.resolve(fromFileList(pickFiles.files)));
      pickFiles.value = "";
    });
    pickFolder.addEventListener("change", () => {
      this.addFiles(Promise.resolve(fromFileList(pickFolder.files)));
      pickFolder.value = "";
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
    this.addEventListener("dragover", (e) => {
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = this.pool.busy ? "none" : "copy";
      drop.classList.add("over");
    });
    this.addEventListener("dragleave", (e) => {
      if (!e.relatedTarget || !this.contains(/** @type {Node} */ (e.relatedTarget))) drop.classList.remove("over");
    });
    this.addEventListener("drop", (e) => {
      e.preventDefault();
      drop.classList.remove("over");
      if (e.dataTransfer) this.addFiles(fromDataTransfer(e.dataTransfer));
    });
    cancel.addEventListener("click", () => this.pool.cancel());
    startOver.addEventListener("click", () => this.startOver());
    kindFilter.addEventListener("change", () => {
      this.fileLimit = FILE_ROWS;
      this.renderFiles();
    });
    textFilter.addEventListener("input", () => {
      this.fileLimit = FILE_ROWS;
      this.renderFiles();
    });
    printable.addEventListener("click", () => this.openPrintable());
    saveHtml.addEventListener("click", () => this.saveHtml());
    saveBundle.addEventListener("click", () => this.saveBundle());
    bundleCancel.addEventListener("click", () => {
      if (this.saving) this.saving.cancelled = true;
      this.reporter.cancelBundle();
    });
    fileTable.addEventListener("change", (e) => {
      const box = /** @type {HTMLInputElement} */ (e.target);
      const path = box.getAttribute("data-path");
      if (box.getAttribute("data-testid") !== "include" || path === null) return;
      if (box.checked) this.excluded.delete(path);
      else this.excluded.add(path);
      this.renderFiles();
      this.staleSend();
    });

    return {
      style, app, privacy, langSelect, drop, pickFiles, pickFolder, startOver, progressBox, progress,
      progressText, progressFile, cancel, status, results, summary, findings, steps, checklist,
      declarations, categories, kindFilter, textFilter, notOriginalNote, fileTable, fileFooter,
      bundleDeflate, saveBundle, bundleExcluded, bundleSetAside, bundleBox, bundleProgress, bundleText, bundleCancel,
      bundleStatus, bundleSection, sendSection, sendHeading, sendHint, sendPrepare, sendSummary, sendName,
      sendBytes, sendCount, sendHost, sendConfirm, sendDiscard, sendBox, sendProgress, sendText,
      sendPause, sendResume, sendStatus,
    };
  }

  /** The patient's answers: labelled radio groups, a checkbox, the timeline, the questions. */
  declarationsForm() {
    /**
     * @param {string} name
     * @param {string} legendId message id of the legend
     * @param {[string, string][]} options value, message id
     * @param {string} checked
     */
    const radios = (name, legendId, options, checked) =>
      h(
        "fieldset",
        { "data-testid": `decl-${name}` },
        h("legend", { "data-m": legendId }),
        ...options.map(([value, id]) =>
          h(
            "label",
            { class: "choice" },
            h("input", { type: "radio", name, value, checked: value === checked }),
            h("span", { "data-m": id }),
          ),
        ),
      );
    const questions = h("ol", { class: "questions", "data-testid": "question-list" });
    const addQuestion = h("button", { type: "button", class: "quiet", "data-testid": "question-add", "data-t": "question-add" });
    const form = h(
      "form",
      { class: "declarations", "data-testid": "declarations", "aria-labelledby": "decl-h" },
      h("h3", { id: "decl-h", "data-t": "declarations" }),
      h("p", { class: "hint", "data-t": "declarations-hint" }),
      radios("cancer", "label.cancer-case", [["yes", "answer.yes"], ["no", "answer.no"], ["unsure", "answer.unsure"]], "unsure"),
      radios(
        "slides",
        "label.slides",
        [["have", "slides.have"], ["requested", "slides.requested"], ["not-available", "slides.not-available"], ["", "label.not-said"]],
        "",
      ),
      h(
        "label",
        { class: "choice check" },
        h("input", { type: "checkbox", name: "treatment_history", "data-testid": "decl-treatment" }),
        h("span", { "data-t": "treatment-written" }),
      ),
      radios(
        "translation",
        "label.translation",
        [["have", "translation.have"], ["not-needed", "translation.not-needed"], ["", "label.not-said"]],
        "",
      ),
      h("label", { for: "timeline", class: "field-label", "data-m": "label.timeline" }),
      h("p", { class: "hint", id: "timeline-hint", "data-t": "timeline-hint" }),
      h("textarea", { id: "timeline", "data-testid": "timeline", rows: 6, "aria-describedby": "timeline-hint" }),
      h(
        "fieldset",
        { "data-testid": "questions", class: "questions-box", "aria-describedby": "questions-hint" },
        h("legend", { "data-m": "label.questions" }),
        h("p", { class: "hint", id: "questions-hint", "data-t": "questions-hint" }),
        questions,
        addQuestion,
      ),
    );
    form.addEventListener("submit", (e) => e.preventDefault());
    form.addEventListener("change", (e) => {
      const t = /** @type {HTMLInputElement} */ (e.target);
      if (t.name === "cancer") this.decl.cancer = /** @type {Declarations["cancer"]} */ (t.value);
      else if (t.name === "slides") this.decl.slides = /** @type {Declarations["slides"]} */ (t.value || null);
      else if (t.name === "translation") this.decl.translation = /** @type {Declarations["translation"]} */ (t.value || null);
      else if (t.name === "treatment_history") this.decl.treatment_history = t.checked;
      else return;
      this.rebuild();
    });
    form.addEventListener("input", (e) => {
      const t = /** @type {HTMLInputElement | HTMLTextAreaElement} */ (e.target);
      if (t.id === "timeline") this.decl.timeline = t.value;
      else if (t.dataset.question !== undefined) this.questionTexts[Number(t.dataset.question)] = t.value;
      else return;
      clearTimeout(this.typingTimer);
      this.typingTimer = setTimeout(() => this.rebuild(), TYPING_MS);
    });
    addQuestion.addEventListener("click", () => {
      if (this.questionTexts.length >= MAX_QUESTIONS) return;
      this.questionTexts.push("");
      this.renderQuestions();
      const inputs = this.root.querySelectorAll("input[data-question]");
      /** @type {HTMLInputElement} */ (inputs[inputs.length - 1])?.focus();
    });
    return form;
  }

  renderQuestions() {
    const list = /** @type {HTMLOListElement} */ (this.root.querySelector(".questions"));
    const lang = this.uiLang;
    list.replaceChildren(
      ...this.questionTexts.map((text, i) => {
        const id = `question-${i}`;
        const input = h("input", {
          type: "text",
          id,
          maxlength: 500,
          "data-testid": "question",
          "data-question": i,
          autocomplete: "off",
        });
        input.value = text;
        const remove = h(
          "button",
          { type: "button", class: "remove", "aria-label": ui(lang, "question-remove", { n: i + 1 }) },
          "×",
        );
        remove.addEventListener("click", () => {
          this.questionTexts.splice(i, 1);
          this.renderQuestions();
          this.rebuild();
        });
        return h(
          "li",
          {},
          h("label", { for: id, class: "visually-hidden" }, ui(lang, "question-n", { n: i + 1 })),
          input,
          remove,
        );
      }),
    );
    const add = /** @type {HTMLButtonElement} */ (this.root.querySelector("[data-testid=question-add]"));
    add.disabled = this.questionTexts.length >= MAX_QUESTIONS;
  }

  /** Texts of the static parts: `data-t` from i18n.js, `data-m` from the Rust message table. */
  applyTexts() {
    const lang = this.uiLang;
    for (const el of this.root.querySelectorAll("[data-t]")) {
      el.textContent = ui(lang, /** @type {string} */ (el.getAttribute("data-t")));
    }
    for (const el of this.root.querySelectorAll("[data-m]")) {
      const id = /** @type {string} */ (el.getAttribute("data-m"));
      el.textContent = this.msgs[id] ?? "";
    }
    this.dom.textFilter.placeholder = "";
    this.renderQuestions();
    const b = this.bundleStatusId;
    this.dom.bundleStatus.textContent = b.id ? ui(lang, b.id, b.values) : "";
    this.renderSend();
  }

  /** @param {UiLang} lang */
  setLang(lang) {
    this.uiLang = lang;
    if (this.getAttribute("lang") !== lang) this.setAttribute("lang", lang);
    this.dom.langSelect.value = lang;
    this.dom.app.lang = lang === "zh" ? "zh-CN" : "en";
    if (this.api) this.msgs = this.api.messages(lang);
    this.applyTexts();
    if (this._report) {
      this.categoryKey = "";
      this.renderReport();
      this.renderFiles();
    }
    if (this.pendingProgress) this.drawProgress();
    this.setStatus(this.status.id, this.status.values);
  }

  /**
   * @param {string} id
   * @param {Record<string, string | number>} [values]
   */
  setStatus(id, values) {
    // A new error tells the host (setLang shows the same status again: not a new one).
    if (id === "status-error" && values !== this.status.values) this.tellError(id, values);
    this.status = { id, values };
    this.dom.status.textContent = id ? ui(this.uiLang, id, values) : "";
  }

  // ---- scanning ----------------------------------------------------------------------------

  /**
   * Scans what was given and adds it to the case (a file with a path already there replaces
   * it). One batch at a time.
   * @param {Promise<Collected>} collected
   */
  async addFiles(collected) {
    if (this.pool.busy) return;
    const d = this.dom;
    this.setStatus("status-collecting");
    /** @type {Collected} */
    let found;
    try {
      found = await collected;
    } catch (err) {
      this.setStatus("status-error", { message: String(err) });
      return;
    }
    const items = byPath(found.items);
    if (items.length === 0 && found.problems.length === 0) {
      this.setStatus("status-nothing");
      return;
    }
    this.busy(true);
    this.setStatus(this.api ? "status-scanning" : "status-loading", { total: items.length });
    d.progressBox.hidden = false;
    this.pendingProgress = {
      filesDone: 0,
      filesTotal: items.length,
      bytesDone: 0,
      current: "",
    };
    this.drawProgress();
    try {
      const [scanned, api] = await Promise.all([
        this.pool.scan(items, (p) => this.onProgress(p)),
        mainApi(),
      ]);
      this.api = api;
      this.msgs = api.messages(this.uiLang);
      const byPathNow = new Map(this.entries.map((e) => [e.path, e]));
      for (const e of [...scanned, ...found.problems]) byPathNow.set(e.path, e);
      for (const it of items) this.files.set(it.path, it.file);
      for (const e of found.problems) this.files.delete(e.path);
      this.entries = byPath([...byPathNow.values()]);
      this.fileLimit = FILE_ROWS;
      this.applyTexts();
      await this.reporter.setEntries(this.entries);
      await this.rebuild();
      this.renderFiles();
      const added = scanned.length + found.problems.length;
      if (added === this.entries.length) this.setStatus("status-done", { total: added });
      else this.setStatus("status-added", { added, total: this.entries.length });
    } catch (err) {
      if (err instanceof DOMException && err.name === "AbortError") {
        this.setStatus("status-cancelled");
      } else {
        this.setStatus("status-error", { message: err instanceof Error ? err.message : String(err) });
      }
    } finally {
      this.busy(false);
    }
  }

  /** @param {boolean} on */
  busy(on) {
    const d = this.dom;
    d.pickFiles.disabled = on;
    d.pickFolder.disabled = on;
    d.drop.setAttribute("aria-disabled", String(on));
    d.cancel.hidden = !on;
    d.startOver.hidden = on || this.entries.length === 0;
  }

  /** @param {Progress} p */
  onProgress(p) {
    this.pendingProgress = p;
    if (!this.progressFrame) {
      this.progressFrame = requestAnimationFrame(() => {
        this.progressFrame = 0;
        this.drawProgress();
      });
    }
  }

  drawProgress() {
    const p = this.pendingProgress;
    if (!p) return;
    const d = this.dom;
    d.progress.max = Math.max(1, p.filesTotal);
    d.progress.value = p.filesDone;
    d.progressText.textContent = ui(this.uiLang, "progress-text", {
      done: p.filesDone,
      total: p.filesTotal,
      bytes: formatBytes(p.bytesDone),
    });
    d.progressFile.textContent =
      p.current && p.filesDone < p.filesTotal ? ui(this.uiLang, "progress-current", { path: p.current }) : "";
  }

  startOver() {
    if (this.pool.busy) this.pool.cancel();
    this.reporter.cancelBundle();
    clearTimeout(this.typingTimer);
    this.entries = [];
    this.files = new Map();
    this.excluded = new Set();
    this.reporter.reset();
    this.buildSeq += 1;
    this.decl = noDeclarations();
    this.questionTexts = ["", "", ""];
    this._report = null;
    this.categoryKey = "";
    const d = this.dom;
    d.declarations.reset();
    d.textFilter.value = "";
    d.results.hidden = true;
    d.progressBox.hidden = true;
    this.pendingProgress = null;
    d.bundleBox.hidden = true;
    d.bundleExcluded.hidden = true;
    d.bundleSetAside.hidden = true;
    this.setBundleStatus("");
    for (const el of [d.summary, d.findings, d.steps, d.checklist, d.categories, d.fileTable, d.fileFooter]) {
      el.replaceChildren();
    }
    this.renderQuestions();
    this.dropSend();
    this.busy(false);
    this.setStatus("");
    this.dispatchEvent(new CustomEvent("precheck-reset", { bubbles: true, composed: true }));
    d.drop.focus();
  }

  // ---- the report --------------------------------------------------------------------------

  /** The declarations as the report takes them. @returns {Declarations} */
  declarations() {
    return {
      ...this.decl,
      document_categories: { ...this.decl.document_categories },
      questions: this.questionTexts.map((q) => q.trim()).filter((q) => q.length > 0),
    };
  }

  /**
   * Builds the report from the files and answers (in the report worker), shows it, and tells
   * the host. When answers change faster than reports come, only the latest is shown.
   */
  async rebuild() {
    if (this.entries.length === 0) return;
    clearTimeout(this.typingTimer);
    const seq = ++this.buildSeq;
    /** @type {Report} */
    let report;
    try {
      report = await this.reporter.build(this.declarations());
    } catch (err) {
      if (seq === this.buildSeq && !(err instanceof DOMException && err.name === "AbortError")) {
        this.setStatus("status-error", { message: err instanceof Error ? err.message : String(err) });
      }
      return;
    }
    if (seq !== this.buildSeq) return;
    this._report = report;
    this.renderReport();
    this.dispatchEvent(new CustomEvent("precheck-report", { detail: report, bubbles: true, composed: true }));
    this.staleSend();
  }

  renderReport() {
    const report = this._report;
    const api = this.api;
    if (!report || !api) return;
    this.dom.results.hidden = false;
    this.renderSummary(report, api);
    this.renderFindings(report, api);
    this.renderSteps(report, api);
    this.renderChecklist(report, api);
    this.renderCategories(report);
  }

  /**
   * @param {string} id
   * @returns {string}
   */
  m(id) {
    return this.msgs[id] ?? id;
  }

  /**
   * @param {Report} report
   * @param {Api} api
   */
  renderSummary(report, api) {
    const lang = this.uiLang;
    const level = report.readiness.level;
    const all = flatten(report.files);
    const patients = report.patients;
    const key = report.findings.filter((f) => f.severity !== "info").slice(0, 3);
    const studies = report.studies.map((s) => {
      const bits = [
        s.date ? api.displayDate(s.date) : this.m("label.unknown-date"),
        s.modalities.join("/") || this.m("label.unknown-modality"),
        s.description?.trim() || this.m("label.no-description"),
      ];
      if (patients.length > 1) {
        const p = patients[s.patient];
        bits.push(p?.name ? api.displayName(p.name) : this.m("label.unnamed-patient"));
      }
      const counts = api.fillMessage("label.series-images", { series: s.series.length, images: s.image_count }, lang);
      return h(
        "li",
        { "data-testid": "study", "data-modalities": s.modalities.join(" "), "data-images": s.image_count },
        h("span", { class: "study-what" }, bits.join(" · ")),
        h("span", { class: "study-counts" }, counts),
      );
    });
    this.dom.summary.className = `summary level-${level}`;
    this.dom.summary.dataset.level = level;
    this.dom.summary.replaceChildren(
      h("h2", { id: "summary-h", class: "eyebrow" }, this.m("label.summary")),
      h("p", { class: "level", "data-testid": "level" }, this.m(`level.${level}`)),
      h("p", { class: "explain" }, this.m(`level.${level}.explain`)),
      h("p", { class: "fit" }, this.m(`fit.${report.readiness.review_fit}`)),
      h(
        "dl",
        {},
        h("dt", {}, ui(lang, "summary-files")),
        h(
          "dd",
          { "data-testid": "file-count" },
          ui(lang, "files-count", { count: report.files.length }),
          all.length > report.files.length ? ui(lang, "files-inside", { count: all.length - report.files.length }) : "",
        ),
        h("dt", {}, this.m("label.patients")),
        h(
          "dd",
          { class: patients.length > 1 ? "warn" : "" },
          patients.length === 0
            ? ui(lang, "summary-no-patients")
            : h("ul", { "data-testid": "patients" }, ...patients.map((p) => h("li", { "data-patient": p.id }, api.patientLine(p, lang)))),
        ),
        h("dt", {}, this.m("label.studies")),
        h(
          "dd",
          {},
          studies.length === 0 ? this.m("label.no-studies") : h("ul", { class: "studies", "data-testid": "studies" }, ...studies),
        ),
        h("dt", {}, this.m("label.key-findings")),
        h(
          "dd",
          {},
          key.length === 0
            ? this.m("label.no-key-findings")
            : h(
                "ul",
                { class: "key-findings", "data-testid": "key-findings" },
                ...key.map((f) =>
                  h(
                    "li",
                    { "data-code": f.code, "data-severity": f.severity },
                    h("span", { class: `badge ${f.severity}` }, this.m(`severity.${f.severity}`)),
                    " ",
                    this.sentence(f, api),
                  ),
                ),
              ),
        ),
      ),
    );
  }

  /**
   * A finding in words.
   * @param {Finding} f
   * @param {Api} api
   * @returns {string}
   */
  sentence(f, api) {
    const parts = /** @type {string[]} */ (api.findingSentences(f, this.uiLang));
    return parts.join(this.uiLang === "zh" ? "" : " ");
  }

  /**
   * @param {Report} report
   * @param {Api} api
   */
  renderFindings(report, api) {
    const lang = this.uiLang;
    if (report.findings.length === 0) {
      this.dom.findings.replaceChildren(h("li", { class: "empty" }, this.m("label.no-findings")));
      return;
    }
    this.dom.findings.replaceChildren(
      ...report.findings.map((f) => {
        const shown = f.files.slice(0, PATHS_SHOWN);
        const more = f.files.length - shown.length;
        return h(
          "li",
          { class: `finding ${f.severity}`, "data-code": f.code, "data-severity": f.severity },
          h("p", {}, h("span", { class: `badge ${f.severity}` }, this.m(`severity.${f.severity}`)), " ", this.sentence(f, api)),
          f.files.length > 0 &&
            h(
              "details",
              {},
              h("summary", {}, `${this.m("label.files-involved")} (${f.files.length})`),
              h(
                "ul",
                { class: "paths" },
                ...shown.map((p) => h("li", { class: "path" }, p)),
                more > 0 && h("li", { class: "more" }, api.fillMessage("label.and-more", { count: more }, lang)),
              ),
            ),
        );
      }),
    );
  }

  /**
   * @param {Report} report
   * @param {Api} api
   */
  renderSteps(report, api) {
    const steps = report.readiness.next_steps;
    if (steps.length === 0) {
      this.dom.steps.replaceChildren(h("li", { class: "empty" }, this.m("label.no-next-steps")));
      return;
    }
    this.dom.steps.replaceChildren(
      ...steps.map((s) => h("li", { "data-step": s.id }, api.stepSentence(s, this.uiLang))),
    );
  }

  /**
   * @param {Report} report
   * @param {Api} api
   */
  renderChecklist(report, api) {
    const lang = this.uiLang;
    const wanted = new Set((this.getAttribute("items") ?? "").split(/[\s,]+/).filter(Boolean));
    this.dom.checklist.replaceChildren(
      ...report.readiness.items.filter((item) => wanted.size === 0 || wanted.has(item.id)).map((item) => {
        const shown = item.evidence.slice(0, EVIDENCE_SHOWN);
        const more = item.evidence.length - shown.length;
        return h(
          "li",
          { class: `item ${item.status}`, "data-item": item.id, "data-status": item.status, "data-impact": item.impact },
          h(
            "p",
            { class: "item-head" },
            h("span", { class: `badge ${item.status}` }, this.m(`status.${item.status}`)),
            " ",
            h("strong", {}, this.m(`item.${item.id}`)),
          ),
          h("p", {}, api.itemSentence(item, lang)),
          item.impact !== "none" && h("p", { class: `impact ${item.impact}` }, this.m(`impact.${item.impact}`)),
          shown.length > 0 &&
            h(
              "details",
              { class: "evidence" },
              h("summary", {}, `${this.m("label.evidence")} (${item.evidence.length})`),
              h(
                "ul",
                {},
                ...shown.map((e) => h("li", { class: e.startsWith("declared:") ? "" : "path" }, api.evidenceText(e, lang))),
                more > 0 && h("li", { class: "more" }, ui(lang, "evidence-more", { count: more })),
              ),
            ),
        );
      }),
    );
  }

  /**
   * One category choice per document, pre-filled with the report's category (the patient's
   * choice, else the suggestion from the file name). Redrawn only when the documents change.
   * @param {Report} report
   */
  renderCategories(report) {
    const docs = Object.entries(report.readiness.document_categories);
    const key = `${this.uiLang}\n${docs.map(([p]) => p).join("\n")}`;
    if (key === this.categoryKey) {
      for (const select of this.dom.categories.querySelectorAll("select")) {
        const cat = report.readiness.document_categories[select.dataset.path ?? ""];
        if (cat && select.value !== cat) select.value = cat;
      }
      return;
    }
    this.categoryKey = key;
    const lang = this.uiLang;
    if (docs.length === 0) {
      this.dom.categories.replaceChildren();
      return;
    }
    this.dom.categories.replaceChildren(
      h("h3", {}, ui(lang, "categories")),
      h("p", { class: "hint" }, ui(lang, "categories-hint")),
      h(
        "ul",
        { class: "category-list" },
        ...docs.map(([path, cat], i) => {
          const id = `category-${i}`;
          const select = h(
            "select",
            { id, "data-testid": "category", "data-path": path },
            ...CATEGORIES.map((c) => h("option", { value: c }, this.m(`category.${c}`))),
          );
          select.value = cat;
          select.addEventListener("change", () => {
            this.decl.document_categories[path] = /** @type {Category} */ (select.value);
            this.rebuild();
          });
          select.setAttribute("aria-label", ui(lang, "category-for", { path }));
          return h("li", {}, h("span", { class: "path", id: `${id}-path` }, path), select);
        }),
      ),
    );
  }

  /** The file table: filtered by kind and text, `FILE_ROWS` rows at a time. */
  renderFiles() {
    const d = this.dom;
    const lang = this.uiLang;
    const all = flatten(this.entries);
    // The kind filter, with counts of what is there.
    /** @type {Map<string, number>} */
    const counts = new Map();
    for (const { entry } of all) counts.set(entry.kind, (counts.get(entry.kind) ?? 0) + 1);
    const chosen = d.kindFilter.value;
    d.kindFilter.replaceChildren(
      h("option", { value: "" }, ui(lang, "filter-all", { count: all.length })),
      ...KINDS.filter((k) => counts.has(k)).map((k) =>
        h("option", { value: k }, `${this.m(`kind.${k}`)} (${counts.get(k)})`),
      ),
    );
    d.kindFilter.value = counts.has(chosen) ? chosen : "";
    const kind = d.kindFilter.value;
    const text = d.textFilter.value.trim().toLowerCase();
    const rows = all.filter(
      ({ entry }) =>
        (!kind || entry.kind === kind) &&
        (!text ||
          entry.path.toLowerCase().includes(text) ||
          entry.reason.toLowerCase().includes(text) ||
          this.fileText(entry.reason_message, entry.reason).toLowerCase().includes(text)),
    );
    const shown = rows.slice(0, this.fileLimit);

    const pictures = all.filter(({ entry }) => notOriginal(entry)).length;
    d.notOriginalNote.hidden = pictures === 0;
    d.notOriginalNote.replaceChildren(
      h("span", { class: "badge not-original" }, ui(lang, "not-original")),
      " ",
      ui(lang, "not-original-intro"),
      " ",
      this.m("step.request-imaging-dicom"),
    );

    d.fileTable.replaceChildren(
      h(
        "thead",
        {},
        h("tr", {}, h("th", { scope: "col", class: "include" }, ui(lang, "bundle-include-col")), h("th", { scope: "col" }, this.m("label.path")), h("th", { scope: "col" }, this.m("label.kind")), h("th", { scope: "col" }, this.m("label.reason"))),
      ),
      h("tbody", {}, ...shown.map(({ entry, depth }) => this.fileRow(entry, depth))),
    );
    const footer = [];
    if (rows.length !== all.length || shown.length < rows.length) {
      footer.push(h("p", { class: "hint" }, ui(lang, "filter-shown", { shown: shown.length, total: rows.length === all.length ? all.length : rows.length })));
    }
    if (shown.length < rows.length) {
      const more = h("button", { type: "button", class: "quiet", "data-testid": "show-more" }, ui(lang, "show-more"));
      more.addEventListener("click", () => {
        this.fileLimit += FILE_ROWS;
        this.renderFiles();
      });
      footer.push(more);
    }
    d.fileFooter.replaceChildren(...footer);
    d.bundleExcluded.hidden = this.excluded.size === 0;
    d.bundleExcluded.textContent = ui(lang, "bundle-excluded", { count: this.excluded.size });
    const setAside = this.reporter.setAside.size;
    d.bundleSetAside.hidden = setAside === 0;
    d.bundleSetAside.textContent = ui(lang, "bundle-set-aside-count", { count: setAside });
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
   * @param {import("./pkg/record_precheck.js").Message | null | undefined} message
   * @param {string} english
   * @returns {string}
   */
  fileText(message, english) {
    return message && this.api ? this.api.fillMessage(message.id, message.values, this.uiLang) : english;
  }

  /**
   * @param {FileEntry} e
   * @param {number} depth
   * @returns {HTMLTableRowElement}
   */
  fileRow(e, depth) {
    const lang = this.uiLang;
    const facts = [];
    const dicom = e.dicom;
    if (dicom) {
      if (dicom.modality) facts.push(dicom.modality);
      if (dicom.series_description) facts.push(dicom.series_description);
      else if (dicom.sop_class_name) facts.push(dicom.sop_class_name);
    }
    if (e.image?.width && e.image.height) facts.push(`${e.image.width}×${e.image.height}`);
    const pictures = notOriginal(e);
    const setAside = this.reporter.setAside.has(e.path);
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
          "aria-label": ui(lang, setAside ? "bundle-set-aside-row" : "bundle-include", { path: e.path }),
          title: setAside ? ui(lang, "bundle-set-aside") : null,
          checked: !setAside && !this.leftOut(e.path),
          disabled: setAside || (!this.excluded.has(e.path) && this.leftOut(e.path)),
        }),
      ),
      h("td", { class: "path" }, e.path),
      h(
        "td",
        { class: "kind" },
        h("span", { class: `kind-name ${e.kind}` }, this.m(`kind.${e.kind}`)),
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
        this.fileText(e.reason_message, e.reason),
        e.error ? h("span", { class: "error" }, this.fileText(e.error_message, e.error)) : null,
      ),
    );
  }

  // ---- the printable report -----------------------------------------------------------------

  /**
   * The printable report (src/report/html.rs), built from the same files and answers.
   * @returns {Promise<string | null>}
   */
  async printableHtml() {
    if (this.entries.length === 0) return null;
    try {
      return await this.reporter.html(this.declarations(), this.uiLang);
    } catch (err) {
      this.setStatus("status-error", { message: err instanceof Error ? err.message : String(err) });
      return null;
    }
  }

  /**
   * Opens the printable report in a new window. The page's Content-Security-Policy has no
   * 'unsafe-inline' for styles, and a new blank window inherits it — as do blob: and srcdoc
   * documents (checked in Chromium: the report's inline `<style>` is dropped there; a blob:
   * iframe is not even allowed by `frame-src`). So the report's CSS is given to a blank window
   * as a constructed style sheet (CSSOM, which the CSP does not govern) and its body is copied
   * over as DOM (parsed, not run — the report has no scripts). No CSP change is needed.
   */
  async openPrintable() {
    // Opened at once, while the click still counts as the patient's (pop-up blockers).
    const win = window.open("", "_blank");
    const html = await this.printableHtml();
    if (!html) {
      win?.close();
      return;
    }
    if (!win) {
      this.setStatus("popup-blocked");
      return;
    }
    // The report's one <style> is a constant of the renderer: cut it out before parsing (a
    // parsed <style> would be reported as a CSP violation even in an inert document).
    let css = "";
    const body = html.replace(/<style>([\s\S]*?)<\/style>/g, (_, text) => {
      css += text;
      return "";
    });
    const parsed = new DOMParser().parseFromString(body, "text/html");
    for (const s of parsed.querySelectorAll("style, script, link")) s.remove();
    const doc = win.document;
    doc.documentElement.lang = parsed.documentElement.lang;
    doc.title = parsed.title;
    const Sheet = /** @type {typeof CSSStyleSheet} */ (/** @type {any} */ (win).CSSStyleSheet);
    const sheet = new Sheet();
    sheet.replaceSync(css);
    doc.adoptedStyleSheets = [sheet];
    doc.body.replaceChildren(...Array.from(parsed.body.childNodes, (n) => doc.importNode(n, true)));
    win.focus();
  }

  // ---- the bundle ---------------------------------------------------------------------------

  /**
   * Writes the bundle (in the report worker) into a file the patient picks, or a download.
   * Tells the host with `precheck-bundle-ready`.
   */
  async saveBundle() {
    if (this.saving || this.entries.length === 0) return;
    if (this.pool.busy) {
      this.setBundleStatus("bundle-busy");
      return;
    }
    const name = bundleName();
    /** @type {SaveTarget | null} */
    let target;
    try {
      target = await openSaveTarget(name, this.root, { preferDownload: this.getAttribute("save") === "download" });
    } catch (err) {
      this.setBundleStatus("bundle-failed", { message: err instanceof Error ? err.message : String(err) });
      return;
    }
    if (!target) return; // the patient closed the save dialog
    this.setBundleStatus("");
    const done = await this.writeBundle(target, (outcome, values) => this.setBundleStatus(`bundle-${outcome}`, values));
    if (!done) return;
    const { bytes, totals } = done;
    const values = {
      name,
      bytes: formatBytes(bytes),
      copied: totals.copied,
      left: totals.left_out,
    };
    this.setBundleStatus(target.method === "picker" ? "bundle-saved" : "bundle-downloaded", values);
    this.tellBundleReady(name, target.method, done);
  }

  /**
   * Event `precheck-bundle-ready` for the host.
   * @param {string} name
   * @param {SaveTarget["method"]} method
   * @param {{ bytes: number, totals: ManifestTotals }} done
   */
  tellBundleReady(name, method, { bytes, totals }) {
    const detail = { name, bytes, method, totals };
    this.dispatchEvent(new CustomEvent("precheck-bundle-ready", { bubbles: true, composed: true, detail }));
  }

  /**
   * The bundle as a stream of bytes, for a host that uploads it itself: the zip is written as
   * the host reads (see `streamTarget`). `null` when there are no files, files are being
   * checked, or a bundle is being written.
   * @returns {ReadableStream<Uint8Array> | null}
   */
  bundleStream() {
    if (this.saving || this.entries.length === 0 || this.pool.busy) return null;
    const target = streamTarget();
    const name = bundleName();
    this.writeBundle(target, (outcome, values) => this.setBundleStatus(`bundle-${outcome}`, values)).then((done) => {
      if (done) this.tellBundleReady(name, target.method, done);
    });
    return target.stream;
  }

  /**
   * Writes the bundle (in the report worker) into `target`, its progress in the bundle's
   * progress box. Resolves with its size and the manifest's totals, or with `null` when it was
   * cancelled or failed (told through `tell`: `"cancelled"`, or `"failed"` with the message).
   * @param {SaveTarget} target
   * @param {(outcome: "cancelled" | "failed", values?: Record<string, string | number>) => void} tell
   * @returns {Promise<{ bytes: number, totals: ManifestTotals } | null>}
   */
  async writeBundle(target, tell) {
    const d = this.dom;
    const saving = { target, started: performance.now(), cancelled: false };
    this.saving = saving;
    d.saveBundle.disabled = true;
    d.sendPrepare.disabled = true;
    d.bundleBox.hidden = false;
    d.bundleProgress.removeAttribute("value"); // indeterminate until the first piece
    d.bundleText.textContent = "";
    let bytes = 0;
    // The idle scan workers hash what the report worker reads; if one dies, the bundle stops.
    const ports = this.pool.hashPorts();
    this.pool.onIdleDeath = (message) =>
      this.reporter.abortBundle(new Error(`a worker that computed the SHA-256 stopped (${message})`));
    try {
      const totals = await this.reporter.bundle(
        this.declarations(),
        this.files,
        { lang: this.uiLang, exclude: [...this.excluded], deflate: d.bundleDeflate.checked },
        {
          write: (chunk) => {
            bytes += chunk.length;
            return saving.target.write(chunk);
          },
          progress: (p) => this.drawBundleProgress(p, saving.started),
        },
        ports,
      );
      if (totals) await target.flush();
      // Cancelled, also while the last pieces were being written: the file is thrown away.
      if (!totals || saving.cancelled) {
        await target.abort();
        tell("cancelled");
        return null;
      }
      await target.close();
      return { bytes, totals };
    } catch (err) {
      await target.abort();
      if (err instanceof DOMException && err.name === "AbortError") tell("cancelled");
      else tell("failed", { message: err instanceof Error ? err.message : String(err) });
      return null;
    } finally {
      this.pool.onIdleDeath = null;
      if (this.saving === saving) this.saving = null;
      d.saveBundle.disabled = false;
      d.bundleBox.hidden = true;
      this.renderSend();
    }
  }

  // ---- sending (only with a `destination`) ----------------------------------------------------

  /**
   * The destination: the `destination` attribute when it is an http(s) URL, else null.
   * @returns {URL | null}
   */
  destination() {
    const value = this.getAttribute("destination")?.trim();
    if (!value) return null;
    try {
      const url = new URL(value);
      return url.protocol === "https:" || url.protocol === "http:" ? url : null;
    } catch {
      return null;
    }
  }

  /** Shows the send step after the bundle when there is a destination, else removes it. */
  updateDestination() {
    const d = this.dom;
    const url = this.destination();
    // A new or removed destination: what was made or started for the old one is dropped.
    if (this.send.state !== "idle" && url?.href !== this.sendingTo) this.dropSend();
    this.sendingTo = url?.href;
    if (url) {
      if (!d.sendSection.isConnected) d.bundleSection.after(d.sendSection);
    } else {
      d.sendSection.remove();
    }
    this.renderSend();
  }

  /** The send step's texts and controls, from `this.send`. */
  renderSend() {
    const d = this.dom;
    const lang = this.uiLang;
    const send = this.send;
    const host = this.destination()?.host ?? "";
    // With a destination, "nothing is uploaded" would not be true: say when it is.
    d.privacy.textContent = ui(lang, host ? "privacy-send" : "privacy", { host });
    for (const el of d.sendSection.querySelectorAll("[data-t]")) {
      el.textContent = ui(lang, /** @type {string} */ (el.getAttribute("data-t")));
    }
    d.sendHeading.textContent = ui(lang, "send", { host });
    d.sendHint.textContent = ui(lang, "send-hint", { host });
    const st = send.state;
    d.sendPrepare.hidden = st !== "idle" && st !== "preparing";
    d.sendPrepare.disabled = st === "preparing" || this.saving !== null;
    d.sendSummary.hidden = st === "idle" || st === "preparing";
    d.sendConfirm.hidden = st !== "ready";
    d.sendDiscard.hidden = st !== "ready";
    if (send.blob && send.totals) {
      d.sendName.textContent = send.name;
      d.sendBytes.textContent = `${formatBytes(send.blob.size)} (${send.blob.size.toLocaleString(lang === "zh" ? "zh-CN" : "en")} B)`;
      d.sendCount.textContent = ui(lang, "send-count-value", { copied: send.totals.copied, left: send.totals.left_out });
      d.sendHost.textContent = host;
    }
    const uploading = st === "sending" || st === "paused" || st === "failed" || st === "sent";
    d.sendBox.hidden = !uploading;
    d.sendPause.hidden = st !== "sending";
    d.sendResume.hidden = st !== "paused" && st !== "failed";
    d.sendResume.textContent = ui(lang, st === "failed" ? "send-retry" : "send-resume");
    this.drawSendProgress();
    const status = send.status;
    d.sendStatus.textContent = status.id ? ui(lang, status.id, { host, ...status.values }) : "";
  }

  drawSendProgress() {
    const d = this.dom;
    const total = this.send.size;
    const sent = Math.min(this.send.sent, total);
    d.sendProgress.max = Math.max(1, total);
    d.sendProgress.value = sent;
    d.sendText.textContent = ui(this.uiLang, "send-progress", {
      done: formatBytes(sent),
      total: formatBytes(total),
      percent: total ? Math.floor((sent * 100) / total) : 0,
    });
  }

  /**
   * @param {string} id
   * @param {Record<string, string | number>} [values]
   */
  setSendStatus(id, values) {
    if (id === "send-failed") this.tellError(id, values);
    this.send.status = { id, values };
    this.renderSend();
  }

  /**
   * "Prepare to send": the bundle is written into memory (one Blob), then shown — name, size,
   * files, destination host — with "Send" and "Don't send". Nothing is sent.
   */
  async prepareSend() {
    if (!this.destination() || this.saving || this.entries.length === 0 || this.send.state !== "idle") return;
    if (this.pool.busy) {
      this.setSendStatus("bundle-busy");
      return;
    }
    const target = blobTarget();
    this.send.state = "preparing";
    this.setSendStatus("send-preparing");
    const done = await this.writeBundle(target, (outcome, values) => {
      if (this.send.state !== "preparing") return; // dropped meanwhile (start over)
      this.send.state = "idle";
      this.setSendStatus(`send-${outcome}`, values);
    });
    const blob = target.blob();
    if (!done || !blob || this.send.state !== "preparing") return;
    this.send = { ...this.send, state: "ready", blob, name: bundleName(), totals: done.totals, size: blob.size, sent: 0 };
    this.setSendStatus("send-ready");
    this.dom.sendConfirm.focus();
  }

  /** "Send": the patient's consent. Loads the tus client, then uploads the Blob. */
  async confirmSend() {
    const url = this.destination();
    const blob = this.send.blob;
    if (!url || !blob || this.send.state !== "ready") return;
    this.send.state = "sending";
    this.send.sent = 0;
    this.setSendStatus("send-sending");
    const name = this.send.name;
    try {
      const { Sending, loadTus } = await import("./sender.js");
      const tus = await loadTus();
      if (this.send.blob !== blob || this.send.state !== "sending") return; // dropped meanwhile
      const sending = new Sending(tus, blob, url.href, name, {
        progress: (sent) => {
          if (this.send.sending !== sending) return;
          this.send.sent = sent;
          this.drawSendProgress();
        },
        retrying: () => {
          if (this.send.sending === sending) this.setSendStatus("send-retrying");
        },
        offline: () => {
          if (this.send.sending === sending) this.setSendStatus("send-offline");
        },
        sent: (at) => {
          if (this.send.sending !== sending) return;
          const bytes = blob.size;
          // Sent: the Blob is let go.
          this.send = { ...this.send, state: "sent", blob: null, sending: null, sent: bytes };
          this.setSendStatus("send-sent", { name, bytes: formatBytes(bytes) });
          this.dispatchEvent(new CustomEvent("precheck-sent", { bubbles: true, composed: true, detail: { url: at, bytes } }));
        },
        failed: (err) => {
          if (this.send.sending !== sending) return;
          this.send.state = "failed";
          this.setSendStatus("send-failed", { message: err.message });
        },
      });
      this.send.sending = sending;
      sending.start();
    } catch (err) {
      if (this.send.blob !== blob) return;
      this.send.state = "failed";
      this.setSendStatus("send-failed", { message: err instanceof Error ? err.message : String(err) });
    }
  }

  async pauseSend() {
    const sending = this.send.sending;
    if (!sending || this.send.state !== "sending") return;
    this.send.state = "paused";
    this.setSendStatus("send-paused");
    await sending.pause();
  }

  /** Resume after Pause, or "Try again" after a failure: from what the server has. */
  resumeSend() {
    const st = this.send.state;
    if (st !== "paused" && st !== "failed") return;
    if (!this.send.sending) {
      // The tus client could not be loaded: try again from the consent.
      this.send.state = "ready";
      this.confirmSend();
      return;
    }
    this.send.state = "sending";
    this.setSendStatus("send-sending");
    this.send.sending.resume();
  }

  /**
   * "Don't send": the Blob made for sending is let go.
   * @param {string} status the status line after it
   */
  discardSend(status) {
    if (this.send.state !== "ready") return;
    this.dropSend();
    this.setSendStatus(status);
  }

  /** The prepared bundle no longer matches the case (files or answers changed): made again on demand. */
  staleSend() {
    if (this.send.state === "ready") this.discardSend("");
  }

  /** Stops any upload and lets the Blob go (start over, a new destination). */
  dropSend() {
    if (this.send.state === "preparing") this.reporter.cancelBundle();
    this.send.sending?.stop();
    this.send = { state: "idle", blob: null, name: "", totals: null, size: 0, sent: 0, sending: null, status: { id: "" } };
    this.renderSend();
  }

  /**
   * @param {BundleProgress} p
   * @param {number} started `performance.now()` when the bundle started
   */
  drawBundleProgress(p, started) {
    const d = this.dom;
    const lang = this.uiLang;
    d.bundleProgress.max = Math.max(1, p.bytes_to_copy);
    d.bundleProgress.value = Math.min(p.bytes_read, p.bytes_to_copy);
    const parts = [
      ui(lang, "bundle-progress", {
        done: formatBytes(p.bytes_read),
        total: formatBytes(p.bytes_to_copy),
        file: p.current ?? "",
      }),
    ];
    const elapsed = (performance.now() - started) / 1000;
    if (elapsed > 2 && p.bytes_read > 0 && p.bytes_read < p.bytes_to_copy) {
      const left = ((p.bytes_to_copy - p.bytes_read) * elapsed) / p.bytes_read;
      parts.push(ui(lang, "bundle-left", { time: formatDuration(lang, left) }));
    }
    d.bundleText.textContent = parts.join(" · ");
  }

  /**
   * @param {string} id
   * @param {Record<string, string | number>} [values]
   */
  setBundleStatus(id, values) {
    if (id === "bundle-failed") this.tellError(id, values);
    this.bundleStatusId = { id, values };
    this.dom.bundleStatus.textContent = id ? ui(this.uiLang, id, values) : "";
  }

  /**
   * Event `precheck-error` for the host.
   * @param {string} code
   * @param {Record<string, string | number>} [values]
   */
  tellError(code, values) {
    const message = String(values?.message ?? "");
    this.dispatchEvent(new CustomEvent("precheck-error", { bubbles: true, composed: true, detail: { code, message } }));
  }

  /** Saves the printable report as an .html file (a Blob URL, revoked right after). */
  async saveHtml() {
    const html = await this.printableHtml();
    if (!html) return;
    const url = URL.createObjectURL(new Blob([html], { type: "text/html;charset=utf-8" }));
    const a = h("a", { href: url, download: "record-precheck-report.html", hidden: true });
    this.root.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}

/**
 * The scan workers the `workers` attribute asks for: a whole number from 1 to `MAX_WORKERS`,
 * else the default (one per core, 1 to 4).
 * @param {string | null} value
 * @returns {number}
 */
function workerCount(value) {
  const n = Number(value?.trim() || NaN);
  return Number.isInteger(n) && n >= 1 && n <= MAX_WORKERS ? n : defaultWorkers();
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

if (!customElements.get("record-precheck")) {
  customElements.define("record-precheck", RecordPrecheck);
}

// On the standalone page, a file dropped beside the element must not replace the page (the
// browser would open the patient's file in the tab).
if (document.body?.hasAttribute("data-standalone")) {
  window.addEventListener("dragover", (e) => e.preventDefault());
  window.addEventListener("drop", (e) => e.preventDefault());
  // `?mode=kiosk`: kiosk mode and the offline precache (kiosk.js).
  standaloneKiosk();
}
