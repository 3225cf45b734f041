// @ts-check
/**
 * The report worker (reporter.js starts it when the first scan starts; it runs the report
 * module, fetched then): keeps the scanned entries, converted once into wasm memory
 * (`ScannedFiles`), and builds the report or its printable HTML for the patient's answers, so
 * that the page stays responsive on a 20,000-file case. Started, it first warms the report code
 * up (`warm-up`: reports of made-up files, warm-up.js).
 *
 * It also writes the bundle (`bundle`): it has the entries already, and the scan workers stay
 * free. The zip comes out in pieces of at most 1 MiB (`bundle-chunk`, the buffer transferred,
 * not copied); the page acknowledges each one it has written (`bundle-more`), and no more than
 * `BUNDLE_CREDITS` pieces are unacknowledged, so a slow disk slows the reading down instead of
 * filling memory. The SHA-256 of what it reads is computed by the scan workers, idle by then:
 * the writer sends each piece to one of them through a MessagePort given with the request
 * (`BundleWriter.hashWith`; scan-worker.js `hashFor`).
 *
 * The page does not load this file by its URL: `cargo xtask build` bundles it, worker-runtime.js,
 * warm-up.js and the report module's wasm-bindgen glue into one script (see scan-worker.js).
 *
 * Messages in:  `{ type: "init", module }` (worker-runtime.js), `{ type: "warm-up" }`,
 *               `{ type: "entries", entries, version }`, `{ type: "report", id, declarations }`,
 *               `{ type: "html", id, declarations, lang, request? }` (`request`: a request
 *               slip's index in `report.requests`, instead of the report),
 *               `{ type: "bundle", id, declarations, files, options, ports }`,
 *               `{ type: "bundle-more", id }`, `{ type: "bundle-cancel", id }`.
 * Messages out: `{ type: "ready" }`, `{ type: "init-failed", message }` (worker-runtime.js);
 *               `{ type: "report", id, report, redacted, redactedFiles }` (the report and
 *               its redacted twin, without `files`: the page has them; `redactedFiles`: the
 *               redacted report's files, after new `entries`, else null), `{ type: "set-aside", version, list, message?, fatal? }` (after a report
 *               of new files: what the bundle leaves out by itself), `{ type: "html", id, html }`,
 *               `{ type: "error", id, message, fatal }` (`fatal`: the wasm trapped, so this
 *               worker does nothing more and the page replaces it),
 *               `{ type: "bundle-chunk", id, chunk, progress }`,
 *               `{ type: "bundle-done", id, totals, progress }` (also after a cancel: `totals`
 *               null), `{ type: "bundle-progress", id, progress }` (while pieces are read but
 *               none is ready: a possible duplicate being compared).
 */
import init, { BundleWriter, ScannedFiles, scanWindows } from "../pkg/record_precheck.js";
import { describe, isBroken, reply, serve, trapped } from "./worker-runtime.js";
import { warmUpScanning } from "./warm-up.js";

/** @typedef {import("./reporter.js").ToReporter} ToReporter */
/** @typedef {import("./reporter.js").FromReporter} FromReporter */
/** @typedef {import("./scan-worker.js").HashPiece} HashPiece */
/** @typedef {import("./scan-worker.js").HashAnswer} HashAnswer */

/** Reports of made-up files built to warm up. */
const WARM_UP_REPORTS = 2;
/** Bundle pieces sent and not yet acknowledged by the page. */
const BUNDLE_CREDITS = 4;
/** Progress is sent at most this often (ms) while no piece is ready. */
const BUNDLE_PROGRESS_MS = 200;
/** The bundle writer's next files are read ahead, asynchronously, up to this many bytes… */
const READ_AHEAD_BYTES = 16 << 20;
/** …except files bigger than this, which the writer reads itself, a piece at a time. */
const READ_AHEAD_MAX_FILE = 4 << 20;
/** The writer waits for the reads of the files within this many bytes of where it is: as far
 * as one `nextChunk` may read (4 pieces of 1 MiB, and the end of a chunk). */
const READ_AHEAD_NEAR = 6 << 20;

/**
 * The files, converted once into wasm memory; null until the first `entries`, or when they
 * could not be read (`caseError` says why).
 * @type {ScannedFiles | null}
 */
let theCase = null;
/** @type {unknown} */
let caseError = null;
/** Which `entries` message they came with (the page's count). */
let entriesVersion = 0;
/** Whether `entries` changed since the bundle's set-aside list was last sent. */
let setAsideStale = false;
/** Whether `entries` changed since the redacted files were last sent. */
let redactedStale = false;

/**
 * The bundle being written: pieces it may still send, and a wake-up for the loop waiting for
 * one.
 * @type {{ id: number, credits: number, cancelled: boolean, wake: (() => void) | null } | null}
 */
let bundle = null;

/**
 * @param {FromReporter} msg
 * @param {Transferable[]} [transfer]
 */
function tell(msg, transfer) {
  reply(msg, transfer);
}

/**
 * The answer to a request that failed.
 * @param {number} id
 * @param {unknown} err
 */
function failed(id, err) {
  tell({ type: "error", id, message: describe(err), fatal: trapped(err) });
}

/**
 * What the bundle will leave out by itself (viewer software, system files…), for the page's
 * file table: once per change of the files, after their first report (which the patient waits
 * for), not before.
 */
function sendSetAside() {
  if (!setAsideStale || isBroken()) return;
  setAsideStale = false;
  try {
    tell({ type: "set-aside", version: entriesVersion, list: currentCase().bundleSetAside() });
  } catch (err) {
    tell({ type: "set-aside", version: entriesVersion, list: [], message: describe(err), fatal: trapped(err) });
  }
}

/** The files, or the error that kept them from being read. */
function currentCase() {
  if (theCase) return theCase;
  throw caseError ?? new Error("no files were given to the report builder");
}

serve(init, (/** @type {Exclude<ToReporter, { type: "init" }>} */ msg) => {
  switch (msg.type) {
    case "warm-up":
      try {
        const made = new ScannedFiles(warmUpScanning(scanWindows));
        try {
          for (let i = 0; i < WARM_UP_REPORTS; i += 1) made.reportsWithoutFiles(null);
        } finally {
          made.free();
        }
      } catch (err) {
        console.warn(`record-precheck: the warm-up failed (${describe(err)}); scanning is not affected`);
      }
      return;
    case "entries":
      theCase?.free();
      theCase = null;
      try {
        theCase = new ScannedFiles(msg.entries);
        caseError = null;
      } catch (err) {
        caseError = err;
        trapped(err);
      }
      entriesVersion = msg.version;
      setAsideStale = true;
      redactedStale = true;
      return;
    case "report":
      try {
        const theFiles = currentCase();
        const built = theFiles.reportsWithoutFiles(msg.declarations);
        const { files: _files, ...report } = built.report;
        const { files: _none, ...redacted } = built.redacted;
        const redactedFiles = redactedStale ? theFiles.redactedFiles() : null;
        redactedStale = false;
        tell({ type: "report", id: msg.id, report, redacted, redactedFiles });
      } catch (err) {
        failed(msg.id, err);
      }
      sendSetAside();
      return;
    case "html":
      try {
        const files = currentCase();
        const html =
          msg.request === undefined
            ? files.renderReportHtml(msg.declarations, msg.lang)
            : files.renderRequestHtml(msg.declarations, msg.request, msg.lang);
        tell({ type: "html", id: msg.id, html });
      } catch (err) {
        failed(msg.id, err);
      }
      return;
    case "bundle":
      writeBundle(msg);
      return;
    case "bundle-more":
      if (bundle?.id === msg.id) {
        bundle.credits += 1;
        bundle.wake?.();
      }
      return;
    case "bundle-cancel":
      if (bundle?.id === msg.id) {
        bundle.cancelled = true;
        bundle.wake?.();
      }
      return;
  }
});

// ---- the bundle ------------------------------------------------------------------------------

/**
 * Writes the bundle of the entries this worker has, reading the files given, piece by piece as
 * the page acknowledges them. One bundle at a time: a new one cancels the one running.
 * @param {Extract<ToReporter, { type: "bundle" }>} msg
 */
async function writeBundle(msg) {
  if (bundle) {
    bundle.cancelled = true;
    bundle.wake?.();
  }
  const job = { id: msg.id, credits: BUNDLE_CREDITS, cancelled: false, wake: /** @type {(() => void) | null} */ (null) };
  bundle = job;
  /** @type {BundleWriter | null} */
  let writer = null;
  const ports = msg.ports;
  /** @type {() => void} */
  let onDone = () => {};
  try {
    const w = new BundleWriter(currentCase(), msg.declarations, msg.files, msg.options);
    writer = w;
    // The hashing workers' answers: bytes hashed (room for more), and digests.
    for (const port of ports) {
      port.onmessage = (/** @type {MessageEvent<HashAnswer>} */ e) => {
        if (writer !== w) return;
        const m = e.data;
        if ("acked" in m) w.hashAcked(m.acked);
        else w.setDigest(m.item, m.sha256);
        job.wake?.();
      };
    }
    w.hashWith(ports);
    const ahead = new ReadAhead(w, msg.files);
    onDone = () => (ahead.closed = true);
    let lastProgress = 0;
    for (;;) {
      while (job.credits === 0 && !job.cancelled) {
        await new Promise((resolve) => (job.wake = () => resolve(undefined)));
        job.wake = null;
      }
      if (job.cancelled) {
        tell({ type: "bundle-done", id: job.id, totals: null, progress: writer.progress() });
        return;
      }
      await ahead.ready();
      if (job.cancelled) continue;
      const chunk = writer.nextChunk();
      if (chunk === undefined) {
        tell({ type: "bundle-done", id: job.id, totals: writer.totals(), key: writer.pseudonymKey(), progress: writer.progress() });
        return;
      }
      if (chunk.length > 0) {
        job.credits -= 1;
        /** @type {FromReporter} */
        const out = { type: "bundle-chunk", id: job.id, chunk, progress: writer.progress() };
        tell(out, [chunk.buffer]);
      } else if (writer.waiting()) {
        // For the hashing workers: woken by their next answer (or a cancel).
        tell({ type: "bundle-progress", id: job.id, progress: writer.progress() });
        await new Promise((resolve) => (job.wake = () => resolve(undefined)));
        job.wake = null;
      } else if (performance.now() - lastProgress > BUNDLE_PROGRESS_MS) {
        lastProgress = performance.now();
        tell({ type: "bundle-progress", id: job.id, progress: writer.progress() });
        // Let a cancel in.
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    }
  } catch (err) {
    failed(job.id, err);
  } finally {
    onDone();
    const w = writer;
    writer = null;
    // After a trap the instance may fail this too; the ports below must still be closed.
    if (!isBroken()) w?.free();
    for (const port of ports) {
      port.postMessage(/** @type {HashPiece} */ ({ close: true }));
      port.close();
    }
    if (bundle === job) bundle = null;
  }
}

/**
 * Reads the bundle writer's next files ahead with `Blob.arrayBuffer()` (which runs on the
 * browser's threads while the writer works, where `FileReaderSync` would stop it) and hands
 * their bytes over (`BundleWriter.provide`): the files within `READ_AHEAD_BYTES` of where the
 * writer is, each at most `READ_AHEAD_MAX_FILE`. A file whose read fails or comes late is read
 * by the writer itself.
 */
class ReadAhead {
  /**
   * @param {BundleWriter} writer
   * @param {Map<string, Blob>} files
   */
  constructor(writer, files) {
    this.writer = writer;
    this.files = files;
    this.list = writer.readAheadList();
    /** The first place in `list` the writer has not passed. */
    this.first = 0;
    /** Reads started, by place in `list`. @type {Map<number, Promise<void>>} */
    this.reads = new Map();
    /** Set when the writer is gone: late reads are dropped. */
    this.closed = false;
  }

  /** Starts the reads of the files ahead, and waits for those the writer is about to use. */
  async ready() {
    const done = this.writer.progress().inputs_done;
    while (this.first < this.list.length && this.list[this.first].index < done) {
      this.reads.delete(this.first);
      this.first += 1;
    }
    let bytes = 0;
    const near = [];
    for (let k = this.first; k < this.list.length && bytes < READ_AHEAD_BYTES; k += 1) {
      const { path, size } = this.list[k];
      bytes += size;
      if (size > READ_AHEAD_MAX_FILE) continue;
      let read = this.reads.get(k);
      if (!read) {
        const file = this.files.get(path);
        read = file
          ? file.arrayBuffer().then(
              (buf) => {
                if (!this.closed) this.writer.provide(path, new Uint8Array(buf));
              },
              () => {}, // the writer reads it itself, and says what is wrong
            )
          : Promise.resolve();
        this.reads.set(k, read);
      }
      if (bytes <= READ_AHEAD_NEAR) near.push(read);
    }
    if (near.length > 0) await Promise.all(near);
  }
}
