// @ts-check
/**
 * `<record-precheck>`: the patient-facing checker as a custom element (a shadow root, its
 * styles inside it), used by index.html and embeddable on a host page with
 * `<script type="module" src=".../app.js">`. Everything runs on this device: files are read
 * by scan workers (workers/pool.js, workers/scan-worker.js), the report is built in a report
 * worker (workers/reporter.js, workers/report-worker.js), the report's words come from a wasm
 * instance on this thread (workers/wasm.js), and nothing is sent anywhere or stored (no storage
 * APIs, no cookies) — except the bundle, uploaded to the host's `destination` when the patient
 * presses "Send" (sender.js).
 *
 * This module is the element: its attributes, methods and events, the case (the files and
 * their entries), and the composition of the page's parts, one controller each in ui/ (the drop
 * zone, the progress, the summary, who is in the files, findings, checklist, answers, file table, bundle, printable
 * report, send step and kiosk mode).
 *
 * ## Contract (the embedding API — keep it stable)
 * - Attribute `lang`: `"en"` or `"zh"` (Simplified Chinese). Default: the browser's language.
 *   The element keeps it in sync with its language switch.
 * - Attribute `worker-timeout`: seconds a worker may stay silent while it owes an answer (a
 *   scan worker on its files, the report or document worker on a request), `1` to `3600`;
 *   default 120. A worker silent longer is stopped like one that failed: the file it was on is
 *   reported unreadable with a message saying it gave no answer, and the batch goes on. Shared
 *   by every element of the page.
 * - Attribute `workers`: how many scan workers read the files, `1` to `8`. Default (absent or
 *   not a whole number in that range): one per core, 1 to 4 (`navigator.hardwareConcurrency`).
 *   A change applies at once when no files are being checked, else after the batch.
 * - Property `report` (read-only): after each analysis and after each change of the patient's
 *   answers, the report as a plain object — the same schema as the CLI's `--json`
 *   (schema_version 2, docs/report-schema.md; types `Report` in pkg/record_precheck.d.ts) —
 *   redacted (`redacted: true`) on a host page until the patient consents (below).
 *   `null` before the first analysis and after "Start over".
 * - Event `precheck-report` (bubbles, composed): dispatched right after `report` is set, with
 *   the report as `detail` (the same one as `report`); again, with the full report, when the
 *   patient consents to share it.
 *   After the first report of a batch, the page reads the batch's documents (PDF, DOCX, text
 *   files, DICOM reports; a second wasm module, fetched from the page's origin then) and looks
 *   at what its photos and screenshots show (`files[].picture`), and
 *   reports again when they are read: property `readingDocuments` (read-only) is the number of
 *   such readings running; the report is final for the files given when it is 0. When the
 *   patient asks (ui/ocr.js), the text of pictures of documents and of scanned PDFs is read on
 *   the device too (OCR: a fourth wasm module and its models, fetched from the page's origin
 *   only then), and `readingDocuments` counts that reading.
 * - Attribute `reviewer-lang`: the language the reviewer reads, a BCP-47 tag (`en`, `zh`,
 *   `de`…); the checklist's translation item compares the documents' languages with it.
 *   Default: English. The report's `declarations.reviewer_language`.
 * - Attribute `profile`: the host's profile, JSON (README "Host profiles"): reviewer
 *   languages, required items, recency windows, extra items with their texts. Passed through
 *   as `declarations.profile`; the report names it (`report.profile: {id, name}`, kept in the
 *   redacted report). A bad profile is a `precheck-error` (`status-error`) and no report.
 * - Event `precheck-reset` (bubbles, composed): "Start over" forgot every file and answer.
 * - Event `precheck-error` (bubbles, composed): an error was shown to the patient; `detail` is
 *   `{ code: "status-error" | "bundle-failed" | "send-failed", message }` (`message` is `""`
 *   unless the host may see everything: it may quote a file's name).
 * - What the host page sees (README "What the host page sees"). Unless it is trusted, its
 *   scripts get no name, ID, birth date, file name or free text: `report` and
 *   `precheck-report` carry the redacted report (report::redact), the shadow root is closed,
 *   the element's state is in a private field (its properties are this contract), error
 *   messages are empty, the console names no file, and nothing is put in the host's DOM or
 *   posted to its window. Trusted, with the full report and an open shadow root: the
 *   standalone page (`body[data-standalone]`), kiosk mode (`mode="kiosk"`), and a first-party
 *   deployment that says so with the attribute `share-report="full"` (read when the element
 *   is created, for the shadow root; at every report for the report). Else the full report
 *   only after the patient ticks `share-report` in the send step ("Share the full report with
 *   <host>", shown with a `destination`); unticking it or "Start over" withdraws the consent.
 *   `internals(el)` (exported) gives the element's insides to the project's white-box tests;
 *   it is not part of the contract.
 * - Attribute `items`: the checklist items to show (ids as in `readiness.items[].id`,
 *   separated by spaces or commas); absent or empty: all. Only what is shown changes: the
 *   report (and the bundle's) keeps every item.
 * - Method `reset()`: the same as the patient pressing "Start over".
 * - Method `bundleStream()`: the bundle as a `ReadableStream` of bytes, for a host that
 *   uploads it itself (pull-based: the zip is written as fast as the host reads); `null` when
 *   there is nothing to bundle or a bundle is being written. `precheck-bundle-ready` (method
 *   `"stream"`) when the stream has ended.
 * - Attribute `mode="kiosk"` (ui/kiosk.js): larger controls, a `finish` button ("Finish — clear
 *   everything": `finish()` forgets every file, stops every worker and starts new ones, lets
 *   the bundles in memory and their Blob URLs go and closes the printable report's windows)
 *   and an idle timer (attribute `idle`: seconds without input, default 600; then the warning
 *   `idle-warning` with `idle-continue`, and after up to 60 more seconds `finish()`). After
 *   it, `finish-summary` lists what was erased (`li[data-testid=finish-erased]`, the site's
 *   storage checked empty among them) and what the page could not erase
 *   (`li[data-testid=finish-left][data-kind]`: `download` and `picker` — each file saved
 *   (bundles, a de-identified bundle's key), by its name; `storage` — site storage not empty; `own-files`), until the next files.
 *   Saving in kiosk mode: through the save dialog where the browser has one ("Save to your USB
 *   drive…", `bundle-kiosk-hint`: choose your USB drive), else (or with `save="download"`) a
 *   download, and then `bundle-where` says the file's name, that it is in this computer's
 *   download folder and that it stays there unless the patient takes it. No `save-html` in
 *   kiosk mode (the bundle holds report.html). On the standalone page, `?mode=kiosk` sets it
 *   and registers the service worker (sw.js) that precaches the app, so that it works offline
 *   after one visit.
 * - Theme: the CSS custom properties of style.css's `:host` rule (`--accent`, `--ink`, …) set
 *   on the element by the host; `::part()` names `app`, `drop-zone`, `status`, `results`,
 *   `start-over`, `finish`.
 * - In the shadow root: `<input type=file data-testid="pick-files" multiple>` and
 *   `<input type=file data-testid="pick-folder" webkitdirectory>` (hidden on touch-only
 *   devices), the drop zone `drop-zone` (also a button opening the file picker), `progress`
 *   (a `<progress>`, files done of the batch) with `progress-text` ("120 / 2000 files · 60 MB"),
 *   `cancel`, `status`, `start-over`, `lang` (a `<select>`: `en`, `zh`). Results carry
 *   `data-testid` `summary` (`level`, `patients`, `studies`, `key-findings`), `findings`
 *   (`li[data-code][data-severity]`), `next-steps` (`li[data-step]`, `data-optional` on the
 *   steps for items a host profile does not require), `checklist`
 *   (`li[data-item][data-status][data-impact]`, `data-optional` likewise; a profile's extra
 *   items `li[data-extra-item][data-status]`, each with its checkbox `extra-item`, which the
 *   patient ticks when they have it: `declarations.extra_items`), the answers `decl-cancer`, `decl-slides`,
 *   `decl-translation`, `decl-purpose` (radio groups named `cancer`, `slides`, `translation`,
 *   `purpose`; the purpose shows `purpose-examples`, questions that fit it), `decl-treatment`,
 *   `requests` (one `print-request[data-department]` button per request slip, opening it),
 *   `people` ("Who is in these files?", ui/people.js: shown with more than one person or an
 *   identity finding; `li[data-testid=person][data-person][data-excluded]` cards with `not-me` /
 *   `undo-not-me`, and `all-me` / `undo-all-me`, `people-reset`: `declarations.identity`; an
 *   excluded person's rows in `files` carry `other-person`, their `include` unticked),
 *   `timeline` (with `timeline-draft`, offered while it is empty: fills it with the dates the
 *   records give), `questions` (inputs `question`, button `question-add`), `category`
 *   (`select[data-path]`, one per document), `files` (`tr[data-kind][data-path]`, marked
 *   `not-original` for pictures of images; a document read carries `document-line`, what it
 *   is), `kind-filter`, `file-search`, `printable`,
 *   `save-html`. Thumbnails (ui/thumbs.js): after the first report of a batch, one per image
 *   series (its middle file by position) and one per photo or screenshot, at most 256 pixels a
 *   side, made on this device by the pixel module (loaded then, same origin) — a
 *   `series-thumb` button per series in `studies` (opening the quick look), `file-thumb` in
 *   `files`, `person-thumb` on `people` cards; `thumbs` (hidden) counts them (`data-made`,
 *   `data-failed`, `data-pending`). The quick look (ui/quick-look.js, a modal dialog
 *   `quick-look`): `quick-look-image`, `quick-look-position`, `quick-look-slider`,
 *   `quick-look-previous`, `quick-look-next`, `quick-look-close`; arrow keys, Home, End, Page
 *   Up/Down. The printable report and the bundle's report.html show the thumbnails made by
 *   then (embedded PNGs; not in a de-identified bundle).
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
 *   `send-count`: files in it, `send-host`), and the consent to share the full report with the
 *   host, `share-report` (a checkbox; not shown to a trusted host); nothing is sent before the patient presses
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
 * - Attributes `destination-country`, `recipient`, `purpose` (with `destination`): the host
 *   says the destination is abroad — `destination-country` is the recipient's country (ISO
 *   3166-1 alpha-2, e.g. `CN`; shown by name), `recipient` who receives the records (default:
 *   the destination's host), `purpose` what for (default: "a second opinion on my records").
 *   Then the send step asks first for a separate consent (`send-consent`: what is sent, to
 *   whom, where, what for, and that the patient may refuse — then nothing is sent);
 *   `send` and `send-confirm` are disabled until the patient ticks `consent-abroad`, and the
 *   bundle sent records it in its manifest.json (`consent`: `cross_border`,
 *   `destination_host`, `country`, `recipient`, `purpose`, `given_at`, `text` — the words
 *   agreed to). Unticking it, "Don't send", "Start over" or a change of these attributes
 *   withdraws it (a prepared bundle is let go, an upload stops). Without
 *   `destination-country` there is no such step and no consent in the manifest.
 * - Event `precheck-sent` (bubbles, composed): the bundle was uploaded; `detail` is
 *   `{ url, bytes }` (`url`: the upload's URL at the destination, `bytes`: the zip's size).
 * - Files given are added to the case (a path given again replaces its entry); a cancelled
 *   batch adds nothing.
 * - Assets, fetched from this module's folder, each once. While the page loads, all the first
 *   scan needs: style.css, the modules this one imports (ui/*.js, workers/pool.js,
 *   workers/reporter.js, workers/documents.js, workers/bridge.js, workers/wasm.js, saver.js,
 *   collect.js, i18n.js), the first-scan module (pkg/record_precheck_scan_bg.wasm) and the scan
 *   workers' script (workers/scan-worker.js, which the build bundles with the module's glue).
 *   When the first scan starts, in the background: the report module
 *   (pkg/record_precheck.js and _bg.wasm: the report, the bundle writer, the document readers)
 *   and the scripts of the workers that run it (workers/report-worker.js,
 *   workers/document-worker.js). After the first report, when there are images to show: the
 *   pixel module (pkg/record_precheck_pixels_bg.wasm) and its worker's script
 *   (workers/pixel-worker.js). sender.js and vendor/tus.min.js only when the patient presses
 *   "Send", with a `destination`. When the element is connected, the first-scan module is
 *   compiled and the scan workers are started; the report worker when the first scan starts.
 *   Workers start from a Blob URL of their script (so the host's Content-Security-Policy needs
 *   `worker-src 'self' blob:`, besides `script-src 'self' 'wasm-unsafe-eval'` and
 *   `connect-src 'self'`, as `cargo xtask serve` sends). After that
 *   nothing is requested: not by a scan, a cancel or a worker started again after a crash.
 *   Disconnecting the element stops its workers (and cancels a running batch); connecting it
 *   again starts them again.
 */
import { pickLang, ui } from "./i18n.js";
import { revokeSaved } from "./saver.js";
import { Bundle } from "./ui/bundle.js";
import { Checklist } from "./ui/checklist.js";
import { DeclarationsForm } from "./ui/declarations.js";
import { h } from "./ui/dom.js";
import { DropZone } from "./ui/drop-zone.js";
import { FileTable } from "./ui/files.js";
import { Findings } from "./ui/findings.js";
import { Kiosk, standaloneKiosk } from "./ui/kiosk.js";
import { People } from "./ui/people.js";
import { Printable } from "./ui/printable.js";
import { Requests } from "./ui/requests.js";
import { ScanProgress } from "./ui/progress.js";
import { SendStep } from "./ui/send.js";
import { Summary } from "./ui/summary.js";
import { Thumbs } from "./ui/thumbs.js";
import { isAbort, messageOf, quietLimit } from "./workers/bridge.js";
import { DocumentReader, holdsText, isPicture, wantsOcr } from "./workers/documents.js";
import { MAX_WORKERS, ScanPool, byPath, defaultWorkers, mergeEntries } from "./workers/pool.js";
import { Reporter } from "./workers/reporter.js";
import { mainApi, workerScript } from "./workers/wasm.js";

/** @typedef {import("./i18n.js").UiLang} UiLang */
/** @typedef {import("./workers/wasm.js").Api} Api */
/** @typedef {import("./collect.js").Collected} Collected */
/** @typedef {import("./pkg/record_precheck.js").Report} Report */
/** @typedef {import("./pkg/record_precheck.js").FileEntry} FileEntry */
/** @typedef {import("./pkg/record_precheck.js").Declarations} Declarations */

const STYLE_URL = new URL("./style.css", import.meta.url);
/** While documents are read, the table and report are made again at most this often (ms). */
const DOCUMENT_REFRESH_MS = 500;

/**
 * Everything behind the element: its state (the files, their entries, the reports), the shadow
 * root and the page's parts. Not reachable from the element's properties (`RecordPrecheck`
 * holds it in a private field), so that a script of the host page that reads the element finds
 * only the contract; `ui/*.js` controllers get it as their `host`.
 */
export class Precheck {
  /** @param {RecordPrecheck} el the element */
  constructor(el) {
    this.el = el;
    /** @type {UiLang} */
    this.uiLang = pickLang(this.el.getAttribute("lang") || navigator.language);
    /** @type {FileEntry[]} */
    this.entries = [];
    /** The patient's files by report path, for the bundle (zip members are read from their zip). */
    /** @type {Map<string, File>} */
    this.files = new Map();
    /** The full report, for the element's own rendering. @type {Report | null} */
    this._report = null;
    /** The same report redacted (report::redact): what a host sees without consent. @type {Report | null} */
    this.redacted = null;
    /** @type {Api | null} */
    this.api = null;
    /** The Rust message table of the current language. @type {Record<string, string>} */
    this.msgs = {};
    this.pool = new ScanPool({ script: () => workerScript("scan"), size: workerCount(this.el.getAttribute("workers")) });
    this.reporter = new Reporter(() => workerScript("report"));
    this.reporter.onSetAside = () => this.renderFiles();
    /** Reads the documents after the first report, with the report module's readers. */
    this.documents = new DocumentReader(() => workerScript("documents"));
    /**
     * Document readings running (each batch's documents are read after its first report): the
     * report is final when this is 0 and no scan runs (the element's `readingDocuments`).
     */
    this.readingDocuments = 0;
    /** The thumbnails of the series and pictures, made after the first report (ui/thumbs.js). */
    this.thumbs = new Thumbs(this);
    /**
     * Reading the text of pictures of documents, when the patient asks (ui/ocr.js, loaded once
     * the case has such a picture: `offerOcr`), and where it shows.
     * @type {Promise<import("./ui/ocr.js").OcrOffer> | null}
     */
    this.ocrLoading = null;
    /** @type {import("./ui/ocr.js").OcrOffer | null} */
    this.ocr = null;
    this.ocrSlot = h("div", { class: "ocr-slot" });
    this.reporter.thumbnails = () => this.thumbs.pngs();
    /** Rebuilds asked for; only the latest one's report is shown. */
    this.buildSeq = 0;

    /**
     * Whether the host page may see everything: the standalone page, kiosk mode, or a host
     * that says it is trusted (`share-report="full"`, a first-party deployment). Else the
     * shadow root is closed, and the report the host gets is redacted until the patient
     * consents (`shareConsent`). The root's mode is fixed here, when the element is created.
     */
    this.root = el.attachShadow({ mode: this.trustedHost() ? "open" : "closed" });
    /** The patient ticked "share the full report with this site" (ui/send.js); "Start over" withdraws it. */
    this.shareConsent = false;
    // The patient reaching for their files (a drag over the element, a press or a key in it)
    // starts fetching the report module, so that it is usually there before the first scan
    // ends; a scan starts it anyway.
    for (const type of ["dragenter", "pointerdown", "keydown"]) {
      this.el.addEventListener(type, () => {
        if (this.el.isConnected) this.startReporting();
      });
    }
    const style = h("link", { rel: "stylesheet", href: STYLE_URL.href });
    this.app = h("div", { class: "app", part: "app", hidden: true });
    // Shown once the styles are there (or failed), so the page never flashes unstyled.
    style.addEventListener("load", () => (this.app.hidden = false));
    style.addEventListener("error", () => (this.app.hidden = false));
    this.langSelect = h(
      "select",
      { "data-testid": "lang", id: "lang" },
      h("option", { value: "en", lang: "en" }, "English"),
      h("option", { value: "zh", lang: "zh-CN" }, "中文"),
    );
    this.langSelect.value = this.uiLang;
    this.langSelect.addEventListener("change", () => this.setLang(pickLang(this.langSelect.value)));
    this.privacy = h("p", { class: "privacy", "data-t": "privacy" });

    // The page's parts.
    this.dropZone = new DropZone(this);
    this.progress = new ScanProgress(this);
    this.summary = new Summary(this);
    this.findings = new Findings(this);
    /** "Who is in these files?": the patient says who is them. */
    this.people = new People(this);
    this.checklist = new Checklist(this);
    this.answers = new DeclarationsForm(this);
    this.fileTable = new FileTable(this);
    this.printable = new Printable(this);
    this.requests = new Requests(this);
    this.bundle = new Bundle(this);
    /** The send step (only with a `destination`: shown by its `update()`). */
    this.send = new SendStep(this);
    this.results = h(
      "div",
      { class: "results", part: "results", "data-testid": "results", hidden: true },
      this.summary.el,
      this.people.el,
      this.findings.findingsSection,
      this.findings.stepsSection,
      this.requests.el,
      h(
        "section",
        { "aria-labelledby": "checklist-h", class: "checklist-section" },
        h("h2", { id: "checklist-h", "data-m": "label.checklist" }),
        h("div", { class: "checklist-grid" }, this.checklist.el, this.answers.form),
        this.answers.categories,
      ),
      this.ocrSlot,
      this.fileTable.el,
      this.printable.el,
      this.bundle.el,
    );
    this.app.append(
      h(
        "header",
        { class: "top" },
        h("h1", { "data-t": "report-title" }),
        h("div", { class: "lang" }, h("label", { for: "lang", "data-t": "lang-label" }), this.langSelect),
      ),
      h("p", { class: "lede", "data-t": "lede" }),
      this.privacy,
      h("section", { class: "intake" }, this.dropZone.drop, this.dropZone.pickers, this.progress.box, this.progress.status),
      this.results,
    );
    this.app.lang = this.uiLang === "zh" ? "zh-CN" : "en";
    this.root.append(style, this.app);
    /** Kiosk mode: the finish button and the idle timer (ui/kiosk.js). */
    this.kiosk = new Kiosk(this);
  }

  /** Whether the host page is trusted with everything, without the patient's consent. */
  trustedHost() {
    return (
      (document.body?.hasAttribute("data-standalone") ?? false) ||
      this.el.getAttribute("mode") === "kiosk" ||
      this.el.getAttribute("share-report") === "full"
    );
  }

  /** Whether the host page gets the full report (and error messages). */
  sharesFully() {
    return this.shareConsent || this.trustedHost();
  }

  /** The report the host page gets: full when `sharesFully()`, else redacted; null before one. */
  sharedReport() {
    return this.sharesFully() ? this._report : this.redacted;
  }

  /** Event `precheck-report` with the report the host may have. */
  tellReport() {
    const detail = this.sharedReport();
    if (detail) this.el.dispatchEvent(new CustomEvent("precheck-report", { detail, bubbles: true, composed: true }));
  }

  /**
   * The patient's "share with this site" (ui/send.js): the full report goes to the host at
   * once (`precheck-report` again), and with every report after it; unticked, the host gets
   * the redacted one again.
   * @param {boolean} on
   */
  setShareConsent(on) {
    if (on === this.shareConsent) return;
    this.shareConsent = on;
    this.retell();
  }

  /**
   * What the host may have changed (consent, `share-report`, `mode`): the event again — after
   * the redacted report is built, when the reports so far were for a host trusted with
   * everything and came without it (`rebuild` tells the host then).
   */
  retell() {
    if (this.redactedMissing()) this.rebuild();
    else this.tellReport();
  }

  /** Whether the host is to have the redacted report, which the reports so far came without. */
  redactedMissing() {
    return this._report !== null && !this.sharesFully() && this.redacted === null;
  }

  connected() {
    if (this.el.getAttribute("lang") !== this.uiLang) this.el.setAttribute("lang", this.uiLang);
    // The standalone page says it above the element, in both languages.
    this.privacy.hidden = document.body?.hasAttribute("data-standalone") ?? false;
    this.applyTexts();
    // Fetch and compile the first-scan module and start the scan workers now, while the page
    // loads: the first scan starts at once. The report module comes when it does.
    this.startWorkers();
    this.kiosk.update();
    this.send.update();
  }

  disconnected() {
    this.pool.stop();
    this.thumbs.maker.cancel();
    this.reporter.stop();
    this.kiosk.stop();
    // An upload under way pauses (Resume goes on when the element is back).
    if (this.send.state === "sending") this.send.pause();
  }

  /** Starts the scan workers (from memory after the first time). */
  startWorkers() {
    this.pool.start().catch((err) => this.workersFailed(err));
  }

  /**
   * Fetches and compiles the report module, if not yet, and starts the report worker, in the
   * background (when a scan starts, or the patient reaches for files: the report is wanted
   * when the scan ends). Nothing more once started.
   */
  startReporting() {
    this.reporter.start().catch((err) => this.workersFailed(err));
    mainApi().catch((err) => this.workersFailed(err));
  }

  /** @param {unknown} err */
  workersFailed(err) {
    // Disconnected again before the workers were up: nothing went wrong.
    if (!isAbort(err)) this.setStatus("status-error", { message: String(err) });
  }

  /**
   * The clearing of "Finish — clear everything" (kiosk; ui/kiosk.js shows what it did): starts
   * over, withdraws the saved bundle's Blob URL, closes the printable report's windows, and
   * stops every worker (the last File references) and starts new ones, from memory.
   * @returns {{ files: number, windows: number }} files forgotten, windows closed
   */
  finish() {
    const files = this.entries.length;
    this.startOver();
    revokeSaved();
    const windows = this.printable.closeWindows();
    this.pool.stop();
    this.reporter.stop();
    this.dropZone.clear();
    if (this.el.isConnected) this.startWorkers();
    return { files, windows };
  }

  /**
   * The bundle as a stream of bytes, for a host that uploads it itself (ui/bundle.js).
   * @returns {ReadableStream<Uint8Array> | null}
   */
  bundleStream() {
    return this.bundle.stream();
  }

  /**
   * @param {string} name
   * @param {string | null} value
   */
  attributeChanged(name, value) {
    if (name === "workers") {
      this.pool.setSize(workerCount(value));
      return;
    }
    if (name === "items") {
      if (this._report && this.api) this.checklist.render(this._report, this.api);
      return;
    }
    if (name === "mode" || name === "idle") {
      this.kiosk.update();
      // Out of kiosk mode, the host gets the redacted report (`rebuild` tells it).
      if (this.redactedMissing()) this.rebuild();
      return;
    }
    if (name === "destination" || name === "destination-country" || name === "recipient" || name === "purpose") {
      this.send.update();
      return;
    }
    if (name === "reviewer-lang" || name === "profile") {
      this.rebuild();
      return;
    }
    if (name === "share-report") {
      this.send.render();
      this.retell();
      return;
    }
    if (name === "deidentify") {
      this.bundle.presetDeidentify(value);
      return;
    }
    if (name === "worker-timeout") {
      const seconds = Number(value);
      quietLimit.seconds = Number.isInteger(seconds) && seconds >= 1 && seconds <= 3600 ? seconds : 120;
      return;
    }
    const lang = pickLang(value || navigator.language);
    if (lang !== this.uiLang) this.setLang(lang);
  }

  // ---- texts -------------------------------------------------------------------------------

  /**
   * A message of the Rust table in the page's language (its id while the wasm is loading).
   * @param {string} id
   * @returns {string}
   */
  m(id) {
    return this.msgs[id] ?? id;
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
    this.fileTable.applyTexts();
    this.answers.renderQuestions();
    this.answers.renderExamples();
    this.bundle.applyTexts();
    this.send.render();
    this.kiosk?.renderSummary();
    this.thumbs?.quickLook?.applyTexts();
    this.ocr?.render();
  }

  /** @param {UiLang} lang */
  setLang(lang) {
    this.uiLang = lang;
    if (this.el.getAttribute("lang") !== lang) this.el.setAttribute("lang", lang);
    this.langSelect.value = lang;
    this.app.lang = lang === "zh" ? "zh-CN" : "en";
    if (this.api) this.msgs = this.api.messages(lang);
    this.applyTexts();
    if (this._report) {
      this.answers.forgetCategories();
      this.renderReport();
      this.renderFiles();
    }
    this.progress.redraw();
  }

  /**
   * The status line (ui/progress.js).
   * @param {string} id
   * @param {Record<string, string | number>} [values]
   */
  setStatus(id, values) {
    this.progress.setStatus(id, values);
  }

  /**
   * Event `precheck-error` for the host.
   * @param {string} code
   * @param {Record<string, string | number>} [values]
   */
  tellError(code, values) {
    // A message may quote a file's name: only for a host that may see everything.
    const message = this.sharesFully() ? String(values?.message ?? "") : "";
    this.el.dispatchEvent(new CustomEvent("precheck-error", { bubbles: true, composed: true, detail: { code, message } }));
  }

  // ---- the case ----------------------------------------------------------------------------

  /**
   * Scans what was given and adds it to the case (a file with a path already there replaces
   * it). One batch at a time.
   * @param {Promise<Collected>} collected
   */
  async addFiles(collected) {
    if (this.pool.busy) return;
    this.kiosk.hideSummary();
    this.setStatus("status-collecting");
    /** @type {Collected} */
    let found;
    try {
      found = await collected;
    } catch (err) {
      this.setStatus("status-error", { message: String(err) });
      return;
    }
    const given = byPath(found.items);
    const folders = found.folders ?? [];
    if (given.length === 0 && folders.length === 0 && found.problems.length === 0) {
      this.setStatus("status-nothing");
      return;
    }
    this.busy(true);
    this.startReporting();
    // The files of folders given as handles are counted as the workers list them.
    if (folders.length === 0) this.setStatus("status-scanning", { total: given.length });
    this.progress.start(given.length);
    // The report worker gets the entries as they come (reporter.js).
    this.reporter.beginScanned();
    try {
      const [{ items, entries: scanned }, api] = await Promise.all([
        this.pool.scan(
          given,
          folders,
          (p) => {
            if (folders.length > 0 && !p.listing && this.progress.statusId.id !== "status-scanning")
              this.setStatus("status-scanning", { total: p.filesTotal });
            this.progress.update(p);
          },
          (some) => this.reporter.addScanned(some),
        ),
        mainApi(),
      ]);
      if (items.length === 0 && scanned.length === 0 && found.problems.length === 0) {
        this.setStatus("status-nothing");
        return;
      }
      this.api = api;
      this.msgs = api.messages(this.uiLang);
      const previous = this.entries;
      for (const it of items) this.files.set(it.path, it.file);
      for (const e of scanned.slice(items.length)) this.files.delete(e.path);
      for (const e of found.problems) this.files.delete(e.path);
      this.entries = mergeEntries(previous, [...scanned, ...found.problems]);
      this.fileTable.top();
      this.applyTexts();
      await this.reporter.setScanned(this.entries, previous, found.problems);
      await this.rebuild();
      this.renderFiles();
      const added = scanned.length + found.problems.length;
      if (added === this.entries.length) this.setStatus("status-done", { total: added });
      else this.setStatus("status-added", { added, total: this.entries.length });
      this.readDocuments(scanned);
      this.thumbs.update();
    } catch (err) {
      if (isAbort(err)) this.setStatus("status-cancelled");
      else this.setStatus("status-error", { message: messageOf(err) });
    } finally {
      this.busy(false);
    }
  }

  /**
   * Reads what the documents among `scanned` say, and what their photos and screenshots show,
   * with the report module (in a worker of its own, after the first report; pictures decoded by
   * the browser there): each file read replaces its entry, and the
   * table and report are made again — at most every `DOCUMENT_REFRESH_MS`, and at the end. Not
   * awaited: the patient goes on meanwhile (adding files, answering, saving).
   * @param {FileEntry[]} scanned
   */
  async readDocuments(scanned) {
    /** @type {import("./workers/documents.js").DocumentItem[]} */
    const items = [];
    for (const e of scanned) {
      const file = this.files.get(e.path);
      if (!file) continue; // a zip member: read from its zip, not here
      if (holdsText(e)) items.push({ path: e.path, file });
      else if (isPicture(e)) items.push({ path: e.path, file, picture: e });
    }
    if (items.length === 0) return;
    this.readingDocuments += 1;
    try {
      await this.readDocumentItems(items);
    } finally {
      this.readingDocuments -= 1;
    }
  }

  /** @param {import("./workers/documents.js").DocumentItem[]} items */
  async readDocumentItems(items) {
    const total = items.length;
    this.setStatus("status-reading-documents", { done: 0, total });
    /** @type {ReturnType<typeof setTimeout> | null} */
    let timer = null;
    const refresh = async () => {
      timer = null;
      await this.reporter.setEntries(this.entries);
      this.renderFiles();
      await this.rebuild();
    };
    let result;
    /** Pictures looked at (the rest of what was read are documents). */
    let pictures = 0;
    try {
      result = await this.documents.read(items, (entry, done) => {
        if (entry.picture) pictures += 1;
        const i = this.entries.findIndex((e) => e.path === entry.path);
        if (i >= 0) this.entries[i] = entry;
        if (!this.pool.busy) this.setStatus("status-reading-documents", { done, total });
        timer ??= setTimeout(refresh, DOCUMENT_REFRESH_MS);
      });
    } catch (err) {
      if (!isAbort(err)) this.setStatus("status-error", { message: messageOf(err) });
      return;
    }
    if (timer !== null) clearTimeout(timer);
    if (!result) return; // the patient started over
    try {
      await refresh();
    } catch (err) {
      if (!isAbort(err)) this.setStatus("status-error", { message: messageOf(err) });
      return;
    }
    if (this.pool.busy) return;
    if (result.failed > 0) this.setStatus("status-documents-failed", { read: result.read, failed: result.failed });
    else if (pictures > 0 && result.read === pictures) this.setStatus("status-pictures-only", { total: this.entries.length, pictures });
    else if (pictures > 0) this.setStatus("status-pictures-read", { total: this.entries.length, read: result.read - pictures, pictures });
    else this.setStatus("status-documents-read", { total: this.entries.length, read: result.read });
  }

  /** @param {boolean} on */
  busy(on) {
    this.dropZone.busy(on, this.entries.length > 0);
    this.progress.busy(on);
  }

  startOver() {
    if (this.pool.busy) this.pool.cancel();
    this.documents.cancel();
    this.thumbs.clear();
    this.ocr?.clear();
    this.reporter.cancelBundle();
    this.entries = [];
    this.files = new Map();
    this.reporter.reset();
    this.buildSeq += 1;
    this.answers.reset();
    this._report = null;
    this.redacted = null;
    this.shareConsent = false;
    this.fileTable.reset();
    this.results.hidden = true;
    this.progress.hide();
    this.bundle.reset();
    this.summary.clear();
    this.findings.clear();
    this.people.clear();
    this.checklist.clear();
    this.requests.clear();
    this.send.drop();
    this.busy(false);
    this.setStatus("");
    this.el.dispatchEvent(new CustomEvent("precheck-reset", { bubbles: true, composed: true }));
    this.dropZone.drop.focus();
  }

  /**
   * The patient's answers as the report takes them, with the reviewer's language when the host
   * names it (`reviewer-lang`, a BCP-47 tag; English when not given).
   * @returns {Declarations}
   */
  declarations() {
    return {
      ...this.answers.value(),
      reviewer_language: this.el.getAttribute("reviewer-lang") || null,
      profile: this.profile(),
    };
  }

  /**
   * The host's profile (attribute `profile`, JSON), passed through as it is: the wasm side
   * validates it (a bad one is a `status-error` naming the problem). Throws when it is not JSON.
   * @returns {Declarations["profile"]}
   */
  profile() {
    const text = this.el.getAttribute("profile");
    if (!text) return undefined;
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new Error(`the profile attribute is not JSON: ${messageOf(err)}`);
    }
  }

  /**
   * Builds the report from the files and answers (in the report worker), shows it, and tells
   * the host. When answers change faster than reports come, only the latest is shown.
   */
  async rebuild() {
    if (this.entries.length === 0) return;
    this.answers.stopTyping();
    const seq = ++this.buildSeq;
    /** @type {{ report: Report, redacted: Report | null }} */
    let built;
    try {
      built = await this.reporter.build(this.declarations(), !this.sharesFully());
    } catch (err) {
      if (seq === this.buildSeq && !isAbort(err)) this.setStatus("status-error", { message: messageOf(err) });
      return;
    }
    if (seq !== this.buildSeq) return;
    this._report = built.report;
    this.redacted = built.redacted;
    this.renderReport();
    this.tellReport();
    this.send.stale();
  }

  renderReport() {
    const report = this._report;
    const api = this.api;
    if (!report || !api) return;
    this.results.hidden = false;
    this.summary.render(report, api);
    this.findings.render(report, api);
    // Another person's files show unticked in the table once the patient said so.
    if (this.people.render(report, api)) this.renderFiles();
    this.checklist.render(report, api);
    this.requests.render(report, api);
    this.answers.renderCategories(report);
    this.answers.renderDraft(report, api);
  }

  /** Thumbnails were made: the parts that show them drawn again. */
  renderThumbnails() {
    const report = this._report;
    const api = this.api;
    if (!report || !api) return;
    this.summary.render(report, api);
    this.people.render(report, api);
    this.renderFiles();
  }

  /** The file table, and what the bundle leaves out. */
  renderFiles() {
    this.fileTable.render();
    this.offerOcr();
    this.bundle.showLeftOut(this.fileTable.excluded.size, this.reporter.setAside.size, this.people.leftOut.size);
  }

  /**
   * Offers to read the text of the case's pictures of documents (ui/ocr.js, imported the first
   * time the case has one: not before the first scan).
   */
  async offerOcr() {
    if (!this.ocrLoading && !this.entries.some(wantsOcr)) return;
    this.ocrLoading ??= import("./ui/ocr.js").then(({ OcrOffer }) => {
      this.ocr = new OcrOffer(this);
      this.ocrSlot.append(this.ocr.el);
      this.applyTexts();
      return this.ocr;
    });
    try {
      await (await this.ocrLoading).update();
    } catch (err) {
      this.ocrLoading = null;
      console.warn(`record-precheck: the text reader's offer could not be shown: ${messageOf(err)}`);
    }
  }

  /** The patient ticked or unticked a file: the table, the bundle's note, the send step. */
  excludedChanged() {
    this.renderFiles();
    this.send.stale();
  }
}

/** Reads an element's private insides (`internals`); set by the class's static block. */
/** @type {(el: RecordPrecheck) => Precheck} */
let insides;

/** The element: the contract, and nothing else reachable from its properties. */
export class RecordPrecheck extends HTMLElement {
  static observedAttributes = [
    "lang",
    "workers",
    "mode",
    "idle",
    "destination",
    "destination-country",
    "recipient",
    "purpose",
    "items",
    "reviewer-lang",
    "profile",
    "share-report",
    "deidentify",
    "worker-timeout",
  ];

  /** The element's insides, private: a host script reading the element's properties finds none of the patient's data. */
  #app = new Precheck(this);

  /** The latest report (schema_version 2) the host may have (redacted until the patient consents), or null. */
  get report() {
    return this.#app.sharedReport();
  }

  /** Document readings running: the report is final for the files given when this is 0. */
  get readingDocuments() {
    return this.#app.readingDocuments;
  }

  connectedCallback() {
    this.#app.connected();
  }

  disconnectedCallback() {
    this.#app.disconnected();
  }

  /**
   * @param {string} name
   * @param {string | null} _old
   * @param {string | null} value
   */
  attributeChangedCallback(name, _old, value) {
    this.#app.attributeChanged(name, value);
  }

  /** The same as the patient pressing "Start over" (for hosts). */
  reset() {
    this.#app.startOver();
  }

  /** "Finish — clear everything" (kiosk mode; for hosts), with its summary. */
  finish() {
    this.#app.kiosk.finish();
  }

  /**
   * The bundle as a stream of bytes, for a host that uploads it itself (ui/bundle.js).
   * @returns {ReadableStream<Uint8Array> | null}
   */
  bundleStream() {
    return this.#app.bundleStream();
  }

  static {
    insides = (el) => el.#app;
  }
}

/**
 * The element's insides, for the project's own tests and benchmarks (white-box): not part of
 * the contract, and not reachable from the element. Hidden from scripts that read the page,
 * not from code that imports the app's modules (see "What the host page sees" above).
 * @param {RecordPrecheck} el
 * @returns {Precheck}
 */
export function internals(el) {
  return insides(el);
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

if (!customElements.get("record-precheck")) {
  customElements.define("record-precheck", RecordPrecheck);
}

// On the standalone page, a file dropped beside the element must not replace the page (the
// browser would open the patient's file in the tab).
if (document.body?.hasAttribute("data-standalone")) {
  window.addEventListener("dragover", (e) => e.preventDefault());
  window.addEventListener("drop", (e) => e.preventDefault());
  // `?mode=kiosk`: kiosk mode and the offline precache (ui/kiosk.js).
  standaloneKiosk();
}
