// @ts-check
/**
 * The report builder, in its own worker (report-worker.js, behind bridge.js): it keeps the
 * scanned entries and rebuilds the report (or the printable HTML) for each change of the
 * patient's answers, off the page's thread — about 0.1 s for 2,000 files and 1 s for 20,000 in
 * Chromium on a slow machine, which would freeze typing if done on the page.
 *
 * A scan's entries come while it runs (`addScanned`, as the scan workers answer), so that
 * copying them here and into the worker overlaps the scan; when it ends, `setScanned` tells the
 * worker to put them together with the case's other files as the page does (pool.js `mergeEntries`),
 * instead of copying them all again.
 *
 * The report comes back without its `files` (the page has them: copying 20,000 entries back on
 * every keystroke would cost more than the build) and is put together again here, in the
 * contract's field order; with it comes its redacted twin (what a host page may see before
 * the patient consents, report::redact), whose files come once per set of entries.
 */
import { WorkerBridge } from "./bridge.js";

/** @typedef {import("./wasm.js").WorkerScript} WorkerScript */

/** @typedef {import("../pkg/record_precheck.js").Report} Report */
/** @typedef {import("../pkg/record_precheck.js").FileEntry} FileEntry */
/** @typedef {import("../pkg/record_precheck.js").Declarations} Declarations */
/** @typedef {import("../pkg/record_precheck.js").BundleRequest} BundleRequest */
/** @typedef {import("../pkg/record_precheck.js").PseudonymKey} PseudonymKey */
/** @typedef {import("../pkg/record_precheck.js").BundleProgress} BundleProgress */
/** @typedef {import("../pkg/record_precheck.js").ManifestTotals} ManifestTotals */
/** @typedef {import("../pkg/record_precheck.js").SetAside} SetAside */
/** @typedef {import("../pkg/record_precheck.js").ThumbnailTarget} ThumbnailTarget */
/** The thumbnails the report shows: PNG bytes by report path. @typedef {Map<string, Uint8Array>} Thumbnails */
/** @typedef {Omit<Report, "files">} ReportWithoutFiles */
/** @typedef {{ report: Report, redacted: Report | null }} Reports */
/** @typedef {import("../pkg/record_precheck.js").ReadAhead} BundleRef */
/**
 * Where the bundle's pieces go, in order: bytes, or a whole file of the patient's (a `Blob`
 * the browser copies); each `write` is awaited before the worker may send more than a few
 * further pieces.
 * @typedef {{ write: (chunk: Uint8Array | Blob) => Promise<void> | void, progress: (p: BundleProgress) => void }} BundleSink
 */
/**
 * The report worker's messages (report-worker.js).
 * @typedef {{ type: "init", module: WebAssembly.Module }
 *   | { type: "warm-up" }
 *   | { type: "entries", entries: FileEntry[], version: number }
 *   | { type: "scanned", batch: number, results: [number, FileEntry][], problems: FileEntry[] }
 *   | { type: "scanned-end", batch: number, previous: FileEntry[], added: FileEntry[], version: number }
 *   | { type: "report", id: number, declarations: Declarations, redactedFiles: boolean }
 *   | { type: "html", id: number, declarations: Declarations, lang: string, request?: number, thumbnails: Thumbnails }
 *   | { type: "thumbnail-targets", id: number }
 *   | { type: "bundle", id: number, declarations: Declarations, files: Map<string, Blob>, options: BundleRequest, ports: MessagePort[], thumbnails: Thumbnails }
 *   | { type: "bundle-more", id: number }
 *   | { type: "bundle-cancel", id: number }} ToReporter
 * @typedef {{ type: "ready" }
 *   | { type: "init-failed", message: string }
 *   | { type: "report", id: number, report: ReportWithoutFiles, redacted: ReportWithoutFiles, redactedFiles: FileEntry[] | null }
 *   | { type: "html", id: number, html: string }
 *   | { type: "thumbnail-targets", id: number, targets: ThumbnailTarget[] }
 *   | { type: "error", id: number, message: string, fatal: boolean }
 *   | { type: "set-aside", version: number, list: SetAside[], message?: string, fatal?: boolean }
 *   | { type: "bundle-chunk", id: number, chunk: Uint8Array | BundleRef, progress: BundleProgress }
 *   | { type: "bundle-progress", id: number, progress: BundleProgress }
 *   | { type: "bundle-done", id: number, totals: ManifestTotals | null, key?: PseudonymKey[], progress: BundleProgress }} FromReporter
 */

/**
 * The bytes of the patient's file a bundle piece refers to: the `File` itself (the browser
 * copies it when the zip is written; if it changed since it was picked, that write fails with
 * `NotReadableError`).
 * @param {Map<string, Blob>} files
 * @param {BundleRef} ref
 * @returns {Blob}
 */
function fileOf(files, ref) {
  const file = files.get(ref.path);
  if (!file || file.size < ref.size) {
    throw new DOMException(`${ref.path} is no longer the file that was checked`, "NotReadableError");
  }
  return file.size === ref.size ? file : file.slice(0, ref.size);
}

/**
 * A report put together again, in the contract's field order.
 * @param {ReportWithoutFiles} r
 * @param {FileEntry[]} files
 * @returns {Report}
 */
function withFiles(r, files) {
  return {
    schema_version: r.schema_version,
    generated_by: r.generated_by,
    ...(r.redacted ? { redacted: true } : {}),
    files,
    patients: r.patients,
    studies: r.studies,
    findings: r.findings,
    readiness: r.readiness,
    timeline_draft: r.timeline_draft,
    declarations: r.declarations,
    requests: r.requests,
    ...(r.profile ? { profile: r.profile } : {}),
  };
}

export class Reporter {
  /** @param {() => Promise<WorkerScript>} getScript the worker's script (wasm.js `workerScript`) */
  constructor(getScript) {
    this.getScript = getScript;
    /** @type {WorkerBridge | null} */
    this.bridge = null;
    /** @type {FileEntry[]} */
    this.entries = [];
    /** The entries as the redacted report has them (from the worker, once per `entries`). @type {FileEntry[]} */
    this.redactedFiles = [];
    this.nextId = 1;
    this.warmedUp = false;
    /** `stop()` calls, so that a start under way when one comes starts nothing. */
    this.stops = 0;
    /** What the bundle leaves out by itself, by report path, with the manifest's reason: sent
     * by the worker after the first report of new files. */
    /** @type {Map<string, string>} */
    this.setAside = new Map();
    /** Called when `setAside` changes. @type {(() => void) | null} */
    this.onSetAside = null;
    /** Counts `setEntries` calls: a set-aside list of earlier entries is not taken. */
    this.entriesVersion = 0;
    /** The thumbnails made so far, for the printable report and the bundle's report.html (set
     * by the page). @type {() => Thumbnails} */
    this.thumbnails = () => new Map();
    /**
     * The scan whose entries are being sent as they come (`addScanned`): its number, the worker
     * they went to (null before the first), and whether one could not be sent (or went to
     * another worker).
     * @type {{ batch: number, bridge: WorkerBridge | null, lost: boolean } | null}
     */
    this.scanned = null;
    /** The last message about the entries, sent (`sendEntries`). @type {Promise<void>} */
    this.entriesSent = Promise.resolve();
    /** Scans begun (`beginScanned`): their numbers tell the worker's batches apart. */
    this.batches = 0;
    /** The bundle being written: its id and where its pieces go. */
    /** @type {{ id: number, sink: BundleSink, files: Map<string, Blob>, failed: unknown, cancelled: boolean, writes: Promise<void> } | null} */
    this.bundling = null;
  }

  /**
   * The files the next reports are about.
   * @param {FileEntry[]} entries
   * @returns {Promise<void>}
   */
  setEntries(entries) {
    const version = this.newEntries(entries);
    return this.sendEntries((bridge, fresh) => {
      if (!fresh) this.post(bridge, { type: "entries", entries, version });
    });
  }

  /** A scan starts: its entries come with `addScanned`, then `setScanned` (or a cancel). */
  beginScanned() {
    this.batches += 1;
    this.scanned = { batch: this.batches, bridge: null, lost: false };
  }

  /**
   * Entries of the scan running, as they come (pool.js `NewEntries`): sent to the worker now.
   * @param {import("./pool.js").NewEntries} some
   */
  addScanned({ results, problems }) {
    const scan = this.scanned;
    if (!scan) return;
    this.sendEntries((bridge) => {
      scan.bridge ??= bridge;
      // A new worker (the first died) did not get the earlier ones.
      if (bridge !== scan.bridge) scan.lost = true;
      if (!scan.lost) this.post(bridge, { type: "scanned", batch: scan.batch, results, problems });
    }).catch(() => {
      scan.lost = true;
    });
  }

  /**
   * The files the next reports are about, after a scan: `mergeEntries(previous, [...the scan's
   * entries, ...added])`, which the worker puts together from what `addScanned` sent it (or,
   * when that failed, is sent whole).
   * @param {FileEntry[]} entries that merge, as the page made it
   * @param {FileEntry[]} previous the case before the scan
   * @param {FileEntry[]} added entries of the scan not told to `addScanned` (what the page could
   *   not read itself)
   * @returns {Promise<void>}
   */
  setScanned(entries, previous, added) {
    const scan = this.scanned;
    this.scanned = null;
    const version = this.newEntries(entries);
    return this.sendEntries((bridge, fresh) => {
      if (fresh) return;
      if (!scan || scan.lost || scan.bridge !== bridge) this.post(bridge, { type: "entries", entries, version });
      else this.post(bridge, { type: "scanned-end", batch: scan.batch, previous, added, version });
    });
  }

  /**
   * Takes new entries: what was known of the old ones goes.
   * @param {FileEntry[]} entries
   * @returns {number} their version
   */
  newEntries(entries) {
    this.entries = entries;
    this.redactedFiles = [];
    this.setAside = new Map();
    this.entriesVersion += 1;
    return this.entriesVersion;
  }

  /**
   * Sends a message about the entries to the worker, after those before it (in the order of
   * the calls, whatever each waits for); `fresh`: the worker was started for it, and got the
   * latest entries when it started.
   * @param {(bridge: WorkerBridge, fresh: boolean) => void} send
   * @returns {Promise<void>}
   */
  sendEntries(send) {
    const sent = this.entriesSent.then(async () => {
      const running = this.bridge;
      const bridge = await this.start();
      send(bridge, bridge !== running);
    });
    this.entriesSent = sent.catch(() => {});
    return sent;
  }

  /**
   * The report for these answers, the same value as `buildReport(entries, declarations)`, and,
   * when `redacted`, its redacted twin (null otherwise: a host trusted with the full report
   * never needs it, and its files cost the first report of a large case a few hundred ms).
   * @param {Declarations} declarations
   * @param {boolean} redacted
   * @returns {Promise<Reports>}
   */
  async build(declarations, redacted) {
    const files = this.entries;
    /** @type {Extract<FromReporter, { type: "report" }>} */
    const answer = await this.ask((id) => ({ type: "report", id, declarations, redactedFiles: redacted }));
    if (answer.redactedFiles) this.redactedFiles = answer.redactedFiles;
    return { report: withFiles(answer.report, files), redacted: redacted ? withFiles(answer.redacted, this.redactedFiles) : null };
  }

  /**
   * The printable HTML report, as `renderReportHtml(entries, declarations, lang)`; or, with
   * `request`, that request slip of `report.requests` (`renderRequestHtml`).
   * @param {Declarations} declarations
   * @param {string} lang
   * @param {number} [request]
   * @returns {Promise<string>}
   */
  async html(declarations, lang, request) {
    const thumbnails = this.thumbnails();
    /** @type {Extract<FromReporter, { type: "html" }>} */
    const { html } = await this.ask((id) => ({ type: "html", id, declarations, lang, request, thumbnails }));
    return html;
  }

  /**
   * The thumbnails to make for the entries: each image series' middle file by position (with
   * the series' files in that order), then each photo and screenshot (`case::thumbnails`).
   * @returns {Promise<ThumbnailTarget[]>}
   */
  async thumbnailTargets() {
    /** @type {Extract<FromReporter, { type: "thumbnail-targets" }>} */
    const { targets } = await this.ask((id) => ({ type: "thumbnail-targets", id }));
    return targets;
  }

  /**
   * Writes the bundle of the entries for these answers in the worker, reading the files from
   * `files` (report path → File): each piece goes to `sink.write` in order. Resolves with the
   * manifest's totals and the pseudonym key (empty unless de-identified), or `null` after
   * `cancelBundle()`; rejects when the zip cannot be written or `sink.write` fails (the worker
   * is told to stop).
   * @param {Declarations} declarations
   * @param {Map<string, Blob>} files
   * @param {BundleRequest} options
   * @param {BundleSink} sink
   * @param {MessagePort[]} ports to workers that hash the pieces read (ScanPool `hashPorts`);
   *   none: the report worker hashes them itself
   * @returns {Promise<{ totals: ManifestTotals, key: PseudonymKey[] } | null>}
   */
  async bundle(declarations, files, options, sink, ports = []) {
    const id = this.nextId++;
    // Known at once, so that a cancel while the worker starts is not lost.
    const job = { id, sink, files, failed: /** @type {unknown} */ (null), cancelled: false, writes: Promise.resolve() };
    this.bundling = job;
    try {
      const bridge = await this.start();
      if (job.cancelled) {
        for (const port of ports) port.close();
        return null;
      }
      /** @type {Extract<FromReporter, { type: "bundle-done" }>} */
      const done = await bridge.request(
        { type: "bundle", id, declarations, files, options, ports, thumbnails: this.thumbnails() },
        {
          transfer: ports,
          // Paced by how fast the page writes the zip: no time bound (it has its own cancel).
          patient: true,
          updates: ["bundle-chunk", "bundle-progress"],
          onUpdate: (/** @type {Extract<FromReporter, { type: "bundle-chunk" | "bundle-progress" }>} */ msg) =>
            this.onBundle(bridge, job, msg),
        },
      );
      // Done once every piece is written.
      await job.writes;
      if (job.failed) throw job.failed;
      return job.cancelled || !done.totals ? null : { totals: done.totals, key: done.key ?? [] };
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
    if (this.bridge) this.post(this.bridge, { type: "bundle-cancel", id: job.id });
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
    if (this.bridge) this.post(this.bridge, { type: "bundle-cancel", id: job.id });
  }

  /**
   * A piece, or the progress, of the bundle being written.
   * @param {WorkerBridge} bridge
   * @param {NonNullable<Reporter["bundling"]>} job
   * @param {Extract<FromReporter, { type: "bundle-chunk" | "bundle-progress" }>} msg
   */
  onBundle(bridge, job, msg) {
    if (job.failed) return;
    job.sink.progress(msg.progress);
    if (msg.type !== "bundle-chunk") return;
    const chunk = msg.chunk;
    job.writes = job.writes
      .then(() => (job.failed || job.cancelled ? undefined : job.sink.write(chunk instanceof Uint8Array ? chunk : fileOf(job.files, chunk))))
      .then(
        () => this.post(bridge, { type: "bundle-more", id: msg.id }),
        (err) => {
          // The file could not be written (disk full, the patient removed the drive): stop.
          job.failed = err;
          this.post(bridge, { type: "bundle-cancel", id: msg.id });
        },
      );
  }

  /** Stops the worker and forgets the entries; the next request (or `start()`) starts another
   * one, from memory (the Blob URL). */
  reset() {
    this.bridge?.terminate(new DOMException("the report was cancelled", "AbortError"));
    this.bridge = null;
    this.scanned = null;
    this.entries = [];
    this.setAside = new Map();
    this.entriesVersion += 1;
  }

  /** Stops the worker, keeping the entries (`start()` hands them to a new one). */
  stop() {
    this.stops += 1;
    this.bridge?.terminate(new DOMException("the report was cancelled", "AbortError"));
    this.bridge = null;
  }

  /**
   * @param {(id: number) => ToReporter & { id: number }} make
   * @returns {Promise<any>}
   */
  async ask(make) {
    const bridge = await this.start();
    return bridge.request(make(this.nextId++));
  }

  /**
   * @param {WorkerBridge} bridge
   * @param {ToReporter} msg
   */
  post(bridge, msg) {
    bridge.post(msg);
  }

  /**
   * Starts the worker (the page does when a scan starts, so that the report module is there
   * when the report is wanted), or gives the running one.
   * @returns {Promise<WorkerBridge>}
   */
  async start() {
    if (this.bridge) return this.bridge;
    const stops = this.stops;
    const script = await this.getScript();
    if (this.bridge) return this.bridge;
    if (stops !== this.stops) throw new DOMException("the report builder was stopped", "AbortError");
    const bridge = new WorkerBridge(script, {
      name: "record-precheck report",
      stopped: "the report builder stopped",
      onMessage: (/** @type {FromReporter} */ msg) => {
        if (msg.type === "init-failed") {
          bridge.fail(`could not start the report builder: ${msg.message}`);
        } else if (msg.type === "set-aside") {
          if (msg.message) console.warn(`record-precheck: could not tell what the bundle leaves out (${msg.message})`);
          if (msg.version === this.entriesVersion) {
            this.setAside = new Map(msg.list.map((s) => [s.path, s.reason]));
            this.onSetAside?.();
          }
          if (msg.fatal) bridge.fail(msg.message ?? "the report builder stopped");
        }
      },
      // The next request starts a new worker.
      onDeath: () => {
        if (this.bridge === bridge) this.bridge = null;
      },
    });
    // The first worker warms the wasm code up for every worker (report-worker.js).
    if (!this.warmedUp) this.post(bridge, { type: "warm-up" });
    this.warmedUp = true;
    this.post(bridge, { type: "entries", entries: this.entries, version: this.entriesVersion });
    this.bridge = bridge;
    return bridge;
  }
}
