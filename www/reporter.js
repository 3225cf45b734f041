// @ts-check
/**
 * The report builder, in its own worker (worker.js in the "report" role): it keeps the scanned
 * entries and rebuilds the report (or the printable HTML) for each change of the patient's
 * answers, off the page's thread — about 0.1 s for 2,000 files and 1 s for 20,000 in Chromium
 * on a slow machine, which would freeze typing if done on the page.
 *
 * The report comes back without its `files` (the page has them: copying 20,000 entries back on
 * every keystroke would cost more than the build) and is put together again here, in the
 * contract's field order.
 */

/** @typedef {import("./pkg/record_precheck.js").Report} Report */
/** @typedef {import("./pkg/record_precheck.js").FileEntry} FileEntry */
/** @typedef {import("./pkg/record_precheck.js").Declarations} Declarations */
/** @typedef {import("./pkg/record_precheck.js").BundleRequest} BundleRequest */
/** @typedef {import("./pkg/record_precheck.js").BundleProgress} BundleProgress */
/** @typedef {import("./pkg/record_precheck.js").ManifestTotals} ManifestTotals */
/** @typedef {import("./pkg/record_precheck.js").SetAside} SetAside */
/** @typedef {Omit<Report, "files">} ReportWithoutFiles */
/**
 * Where the bundle's pieces go, in order; each `write` is awaited before the worker may send
 * more than a few further pieces.
 * @typedef {{ write: (chunk: Uint8Array) => Promise<void> | void, progress: (p: BundleProgress) => void }} BundleSink
 */
/**
 * @typedef {{ type: "init", module: WebAssembly.Module }
 *   | { type: "warm-up" }
 *   | { type: "entries", entries: FileEntry[], version: number }
 *   | { type: "report", id: number, declarations: Declarations }
 *   | { type: "html", id: number, declarations: Declarations, lang: string }
 *   | { type: "bundle", id: number, declarations: Declarations, files: Map<string, Blob>, options: BundleRequest, ports: MessagePort[] }
 *   | { type: "bundle-more", id: number }
 *   | { type: "bundle-cancel", id: number }} ToReporter
 * @typedef {{ type: "ready" }
 *   | { type: "init-failed", message: string }
 *   | { type: "report", id: number, report: ReportWithoutFiles }
 *   | { type: "html", id: number, html: string }
 *   | { type: "error", id: number, message: string, fatal: boolean }
 *   | { type: "set-aside", version: number, list: SetAside[], message?: string, fatal?: boolean }
 *   | { type: "bundle-chunk", id: number, chunk: Uint8Array, progress: BundleProgress }
 *   | { type: "bundle-progress", id: number, progress: BundleProgress }
 *   | { type: "bundle-done", id: number, totals: ManifestTotals | null, progress: BundleProgress }} FromReporter
 */

export class Reporter {
  /**
   * @param {() => Promise<WebAssembly.Module>} getModule the compiled wasm module
   * @param {() => Promise<string>} getWorkerUrl the worker's script (wasm.js `workerUrl`)
   */
  constructor(getModule, getWorkerUrl) {
    this.getModule = getModule;
    this.getWorkerUrl = getWorkerUrl;
    /** @type {Worker | null} */
    this.worker = null;
    /** @type {FileEntry[]} */
    this.entries = [];
    this.nextId = 1;
    this.warmedUp = false;
    /** `stop()` calls, so that a start under way when one comes starts nothing. */
    this.stops = 0;
    /** @type {Map<number, { resolve: (v: any) => void, reject: (e: unknown) => void }>} */
    this.waiting = new Map();
    /** What the bundle leaves out by itself, by report path, with the manifest's reason: sent
     * by the worker after the first report of new files. */
    /** @type {Map<string, string>} */
    this.setAside = new Map();
    /** Called when `setAside` changes. @type {(() => void) | null} */
    this.onSetAside = null;
    /** Counts `setEntries` calls: a set-aside list of earlier entries is not taken. */
    this.entriesVersion = 0;
    /** The bundle being written: its id and where its pieces go. */
    /** @type {{ id: number, sink: BundleSink, failed: unknown, cancelled: boolean, writes: Promise<void> } | null} */
    this.bundling = null;
  }

  /**
   * The files the next reports are about.
   * @param {FileEntry[]} entries
   */
  async setEntries(entries) {
    this.entries = entries;
    this.setAside = new Map();
    this.entriesVersion += 1;
    const running = this.worker;
    const worker = await this.start(); // a new worker gets the entries when it starts
    if (worker === running) {
      /** @type {ToReporter} */
      const msg = { type: "entries", entries, version: this.entriesVersion };
      worker.postMessage(msg);
    }
  }

  /**
   * The report for these answers, the same value as `buildReport(entries, declarations)`.
   * @param {Declarations} declarations
   * @returns {Promise<Report>}
   */
  async build(declarations) {
    const files = this.entries;
    /** @type {ReportWithoutFiles} */
    const r = await this.ask((id) => ({ type: "report", id, declarations }));
    return {
      schema_version: r.schema_version,
      generated_by: r.generated_by,
      files,
      patients: r.patients,
      studies: r.studies,
      findings: r.findings,
      readiness: r.readiness,
      declarations: r.declarations,
    };
  }

  /**
   * The printable HTML report, as `renderReportHtml(entries, declarations, lang)`.
   * @param {Declarations} declarations
   * @param {string} lang
   * @returns {Promise<string>}
   */
  html(declarations, lang) {
    return this.ask((id) => ({ type: "html", id, declarations, lang }));
  }

  /**
   * Writes the bundle of the entries for these answers in the worker, reading the files from
   * `files` (report path → File): each piece goes to `sink.write` in order. Resolves with the
   * manifest's totals, or `null` after `cancelBundle()`; rejects when the zip cannot be
   * written or `sink.write` fails (the worker is told to stop).
   * @param {Declarations} declarations
   * @param {Map<string, Blob>} files
   * @param {BundleRequest} options
   * @param {BundleSink} sink
   * @param {MessagePort[]} ports to workers that hash the pieces read (ScanPool `hashPorts`);
   *   none: the report worker hashes them itself
   * @returns {Promise<ManifestTotals | null>}
   */
  async bundle(declarations, files, options, sink, ports = []) {
    const id = this.nextId++;
    // Known at once, so that a cancel while the worker starts is not lost.
    const job = { id, sink, failed: /** @type {unknown} */ (null), cancelled: false, writes: Promise.resolve() };
    this.bundling = job;
    try {
      const worker = await this.start();
      if (job.cancelled) {
        for (const port of ports) port.close();
        return null;
      }
      return await new Promise((resolve, reject) => {
        this.waiting.set(id, { resolve, reject });
        /** @type {ToReporter} */
        const msg = { type: "bundle", id, declarations, files, options, ports };
        worker.postMessage(msg, ports);
      });
    } finally {
      if (this.bundling?.id === id) this.bundling = null;
    }
  }

  /** Stops the bundle being written: its promise resolves with `null`, even when the worker
   * had already sent the last piece, and no more pieces are written. */
  cancelBundle() {
    const job = this.bundling;
    if (!job) return;
    job.cancelled = true;
    this.worker?.postMessage(/** @type {ToReporter} */ ({ type: "bundle-cancel", id: job.id }));
  }

  /**
   * Stops the bundle being written because of `err` (a hashing worker died): its promise
   * rejects with it.
   * @param {unknown} err
   */
  abortBundle(err) {
    const job = this.bundling;
    if (!job) return;
    job.failed = err;
    this.worker?.postMessage(/** @type {ToReporter} */ ({ type: "bundle-cancel", id: job.id }));
  }

  /**
   * A message of the bundle being written.
   * @param {Worker} worker
   * @param {Extract<FromReporter, { type: "bundle-chunk" | "bundle-progress" }>} msg
   */
  onBundle(worker, msg) {
    const job = this.bundling;
    if (!job || job.id !== msg.id || job.failed) return;
    job.sink.progress(msg.progress);
    if (msg.type !== "bundle-chunk") return;
    job.writes = job.writes
      .then(() => (job.failed || job.cancelled ? undefined : job.sink.write(msg.chunk)))
      .then(
        () => worker.postMessage(/** @type {ToReporter} */ ({ type: "bundle-more", id: msg.id })),
        (err) => {
          // The file could not be written (disk full, the patient removed the drive): stop.
          job.failed = err;
          worker.postMessage(/** @type {ToReporter} */ ({ type: "bundle-cancel", id: msg.id }));
        },
      );
  }

  /** Stops the worker and forgets the entries; the next request (or `start()`) starts another
   * one, from memory (the Blob URL). */
  reset() {
    this.worker?.terminate();
    this.worker = null;
    this.entries = [];
    this.setAside = new Map();
    this.entriesVersion += 1;
    this.failAll(new DOMException("the report was cancelled", "AbortError"));
  }

  /** Stops the worker, keeping the entries (`start()` hands them to a new one). */
  stop() {
    this.stops += 1;
    this.worker?.terminate();
    this.worker = null;
    this.failAll(new DOMException("the report was cancelled", "AbortError"));
  }

  /**
   * @param {(id: number) => ToReporter} make
   * @returns {Promise<any>}
   */
  async ask(make) {
    const worker = await this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage(make(id));
    });
  }

  /**
   * Starts the worker (at page load, so that building a report requests nothing), or gives the
   * running one.
   * @returns {Promise<Worker>}
   */
  async start() {
    if (this.worker) return this.worker;
    const stops = this.stops;
    const [module, url] = await Promise.all([this.getModule(), this.getWorkerUrl()]);
    if (this.worker) return this.worker;
    if (stops !== this.stops) throw new DOMException("the report builder was stopped", "AbortError");
    const worker = new Worker(url, { type: "module", name: "record-precheck report" });
    worker.onmessage = (/** @type {MessageEvent<FromReporter>} */ e) => {
      const msg = e.data;
      if (msg.type === "ready") return;
      if (msg.type === "init-failed") {
        this.crashed(worker, `could not start the report builder: ${msg.message}`);
        return;
      }
      if (msg.type === "bundle-chunk" || msg.type === "bundle-progress") {
        this.onBundle(worker, msg);
        return;
      }
      if (msg.type === "set-aside") {
        if (msg.message) console.warn(`record-precheck: could not tell what the bundle leaves out (${msg.message})`);
        if (msg.version === this.entriesVersion) {
          this.setAside = new Map(msg.list.map((s) => [s.path, s.reason]));
          this.onSetAside?.();
        }
        if (msg.fatal) this.crashed(worker, msg.message ?? "the report builder stopped");
        return;
      }
      const waiter = this.waiting.get(msg.id);
      if (!waiter) return;
      this.waiting.delete(msg.id);
      if (msg.type === "report") waiter.resolve(msg.report);
      else if (msg.type === "html") waiter.resolve(msg.html);
      else if (msg.type === "bundle-done") {
        // Done once every piece is written.
        const job = this.bundling?.id === msg.id ? this.bundling : null;
        const totals = msg.totals;
        (job?.writes ?? Promise.resolve()).then(() => {
          if (job?.failed) waiter.reject(job.failed);
          else waiter.resolve(job?.cancelled ? null : totals);
        });
      } else {
        waiter.reject(new Error(msg.message));
        // The wasm trapped: that instance is not trusted any more.
        if (msg.fatal) this.crashed(worker, msg.message);
      }
    };
    worker.onerror = (e) => {
      e.preventDefault();
      this.crashed(worker, e.message || "the report builder stopped");
    };
    // The first worker warms the wasm code up for every worker (worker.js).
    const warmUp = !this.warmedUp;
    this.warmedUp = true;
    /** @type {ToReporter[]} */
    const first = [
      { type: "init", module },
      ...(warmUp ? [/** @type {ToReporter} */ ({ type: "warm-up" })] : []),
      { type: "entries", entries: this.entries, version: this.entriesVersion },
    ];
    for (const m of first) worker.postMessage(m);
    this.worker = worker;
    return worker;
  }

  /**
   * The worker died: what waits for it fails; the next request starts a new one.
   * @param {Worker} worker
   * @param {string} message
   */
  crashed(worker, message) {
    if (this.worker !== worker) return;
    worker.terminate();
    this.worker = null;
    this.failAll(new Error(message));
  }

  /** @param {unknown} err */
  failAll(err) {
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of waiting) w.reject(err);
  }
}
