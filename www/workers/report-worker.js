// @ts-check
/**
 * The report worker (reporter.js starts it when the first scan starts; it runs the report
 * module, fetched then): keeps the scanned entries, converted once into wasm memory
 * (`ScannedFiles`), and builds the report or its printable HTML for the patient's answers, so
 * that the page stays responsive on a 20,000-file case. Started, it first warms the report code
 * up (`warm-up`: reports of made-up files, warm-up.js).
 *
 * It also writes the bundle (`bundle`): it has the entries already, and the scan workers stay
 * free. The zip comes out in pieces (`bundle-chunk`): bytes, at most 1 MiB (the buffer
 * transferred, not copied), or a reference `{ index, path, size }` to a whole file stored as
 * given (a CD's DICOM), which the page copies into the zip from its own `File` (the browser
 * copies it; it never passes through here). The page acknowledges each piece it has written
 * (`bundle-more`), and no more than `BUNDLE_CREDITS` pieces are unacknowledged, so a slow disk
 * slows the writer down instead of filling memory. The scan workers, idle by then, read the
 * referenced files for their size, CRC-32 and SHA-256 (`Digests`: several files ahead, spread
 * over the workers, while the writer puts the zip together in order), and hash what the writer
 * reads itself (pictures it scrubs, de-identified or deflated entries, zip members): it sends
 * each piece to one of them (`BundleWriter.hashWith`), through the MessagePorts given with the
 * request (scan-worker.js `hashFor`).
 *
 * The page does not load this file by its URL: `cargo xtask build` bundles it, worker-runtime.js,
 * warm-up.js and the report module's wasm-bindgen glue into one script (see scan-worker.js).
 *
 * Messages in:  `{ type: "init", module }` (worker-runtime.js), `{ type: "warm-up" }`,
 *               `{ type: "entries", entries, version }`; a scan's entries as they come, `{ type:
 *               "scanned", batch, results, problems }`, then `{ type: "scanned-end", batch,
 *               previous, added, version }` (the case: `previous` with them and `added`,
 *               put together as the page does, pool.js `mergeEntries`; converted into
 *               wasm memory as they come, `ScanEntries`);
 *               `{ type: "report", id, declarations }`,
 *               `{ type: "html", id, declarations, lang, request?, thumbnails }` (`request`: a
 *               request slip's index in `report.requests`, instead of the report;
 *               `thumbnails`: PNG bytes by report path, shown in the report),
 *               `{ type: "thumbnail-targets", id }` (which thumbnails to make),
 *               `{ type: "bundle", id, declarations, files, options, ports, thumbnails }`,
 *               `{ type: "bundle-more", id }`, `{ type: "bundle-cancel", id }`.
 * Messages out: `{ type: "ready" }`, `{ type: "init-failed", message }` (worker-runtime.js);
 *               `{ type: "report", id, report, redacted, redactedFiles }` (the report and
 *               its redacted twin, without `files`: the page has them; `redactedFiles`: the
 *               redacted report's files, after new `entries`, else null), `{ type: "set-aside", version, list, message?, fatal? }` (after a report
 *               of new files: what the bundle leaves out by itself), `{ type: "html", id, html }`,
 *               `{ type: "thumbnail-targets", id, targets }`,
 *               `{ type: "error", id, message, fatal }` (`fatal`: the wasm trapped, so this
 *               worker does nothing more and the page replaces it),
 *               `{ type: "bundle-chunk", id, chunk, progress }`,
 *               `{ type: "bundle-done", id, totals, progress }` (also after a cancel: `totals`
 *               null), `{ type: "bundle-progress", id, progress }` (while pieces are read but
 *               none is ready: a possible duplicate being compared).
 */
import init, { BundleWriter, ScanEntries, ScannedFiles, scanWindows } from "../pkg/record_precheck.js";
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
/** Referenced files sent to one hashing worker and not yet answered, at most (and at most
 * `DIGESTS_AHEAD_BYTES` of them, unless one alone is bigger: it reads them ahead, whole):
 * enough for it never to wait for the next, few enough for memory and for a cancel to stop it
 * soon. */
const DIGESTS_AHEAD = 8;
const DIGESTS_AHEAD_BYTES = 16 << 20;

/**
 * The files, converted once into wasm memory; null until the first `entries`, or when they
 * could not be read (`caseError` says why).
 * @type {ScannedFiles | null}
 */
let theCase = null;
/** @type {unknown} */
let caseError = null;
/**
 * The entries of the scan running, converted into wasm memory as they come (`scanned`,
 * reporter.js `addScanned`), so that the end of the scan leaves only the report to build; or
 * why one could not be converted. Kept until `scanned-end` (those of a cancelled scan until the
 * next scan's first).
 * @type {{ batch: number, entries: ScanEntries | null, error: unknown } | null}
 */
let scanned = null;
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

/**
 * The files of the case: `make` converts them into wasm memory (`entries`, or a scan's).
 * @param {() => ScannedFiles} make
 * @param {number} version
 */
function setCase(make, version) {
  theCase?.free();
  theCase = null;
  try {
    theCase = make();
    caseError = null;
  } catch (err) {
    caseError = err;
    trapped(err);
  }
  entriesVersion = version;
  setAsideStale = true;
  redactedStale = true;
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
      // (A scan's entries may be coming meanwhile: the documents of the one before were read.)
      setCase(() => new ScannedFiles(msg.entries), msg.version);
      return;
    case "scanned":
      if (scanned?.batch !== msg.batch) {
        scanned?.entries?.free();
        scanned = { batch: msg.batch, entries: null, error: null };
        try {
          scanned.entries = new ScanEntries();
        } catch (err) {
          scanned.error = err;
        }
      }
      try {
        scanned.entries?.add(msg.results, msg.problems);
      } catch (err) {
        // Told when the case is put together (`scanned-end`), as the constructor's errors are.
        scanned.entries?.free();
        scanned.entries = null;
        scanned.error ??= err;
      }
      return;
    case "scanned-end": {
      const got = scanned?.batch === msg.batch ? scanned : null;
      if (scanned !== got) scanned?.entries?.free();
      scanned = null;
      setCase(() => {
        if (got?.error) throw got.error;
        // `afterScan` takes the scan's entries (their wasm object is its own then).
        return ScannedFiles.afterScan(got?.entries ?? new ScanEntries(), msg.previous, msg.added);
      }, msg.version);
      return;
    }
    case "report":
      try {
        const theFiles = currentCase();
        const built = theFiles.reportsWithoutFiles(msg.declarations);
        const { files: _files, ...report } = built.report;
        const { files: _none, ...redacted } = built.redacted;
        // The redacted files once per set of entries, and only for a page that wants them.
        const redactedFiles = msg.redactedFiles && redactedStale ? theFiles.redactedFiles() : null;
        if (msg.redactedFiles) redactedStale = false;
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
            ? files.renderReportHtml(msg.declarations, msg.lang, msg.thumbnails)
            : files.renderRequestHtml(msg.declarations, msg.request, msg.lang);
        tell({ type: "html", id: msg.id, html });
      } catch (err) {
        failed(msg.id, err);
      }
      return;
    case "thumbnail-targets":
      try {
        tell({ type: "thumbnail-targets", id: msg.id, targets: currentCase().thumbnailTargets() });
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
    const w = new BundleWriter(currentCase(), msg.declarations, msg.files, msg.options, msg.thumbnails);
    writer = w;
    // Without hashing workers the writer reads and hashes every file itself.
    const digests = ports.length > 0 ? new Digests(w, msg.files, ports) : null;
    // The hashing workers' answers: bytes hashed (room for more), and digests.
    for (const port of ports) {
      port.onmessage = (/** @type {MessageEvent<HashAnswer>} */ e) => {
        if (writer !== w) return;
        const m = e.data;
        if ("acked" in m) w.hashAcked(m.acked);
        else if ("unreadable" in m) {
          w.inputUnreadable(m.item, m.unreadable);
          digests?.answered(port);
        } else if ("crc32" in m) {
          w.setInputDigest(m.item, m.size, m.crc32, m.sha256);
          digests?.answered(port);
        } else w.setDigest(m.item, m.sha256);
        job.wake?.();
      };
    }
    w.hashWith(ports);
    digests?.send();
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
      const chunk = writer.nextPiece();
      if (chunk === undefined) {
        tell({ type: "bundle-done", id: job.id, totals: writer.totals(), key: writer.pseudonymKey(), progress: writer.progress() });
        return;
      }
      if (!(chunk instanceof Uint8Array)) {
        // A file the page copies itself.
        job.credits -= 1;
        tell({ type: "bundle-chunk", id: job.id, chunk, progress: writer.progress() });
      } else if (chunk.length > 0) {
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
 * Has the files the bundle writer references read by the hashing workers, in the writer's
 * order, a few at most per worker (`DIGESTS_AHEAD`), each to the worker with the fewest bytes to read;
 * their answers come back on the ports (see `writeBundle`). A file the page did not give is
 * unreadable at once.
 */
class Digests {
  /**
   * @param {BundleWriter} writer
   * @param {Map<string, Blob>} files
   * @param {MessagePort[]} ports
   */
  constructor(writer, files, ports) {
    this.writer = writer;
    this.files = files;
    this.list = writer.referenceInputs();
    /** The next file to send. */
    this.next = 0;
    /** Per port: files sent and not answered, and their bytes. */
    this.ports = ports.map((port) => ({ port, files: /** @type {number[]} */ ([]), bytes: 0 }));
  }

  /** Sends files until every worker has `DIGESTS_AHEAD` to read. */
  send() {
    while (this.next < this.list.length) {
      const to = this.ports.reduce((a, b) => (b.bytes < a.bytes ? b : a));
      const full = to.files.length >= DIGESTS_AHEAD || (to.files.length > 0 && to.bytes >= DIGESTS_AHEAD_BYTES);
      if (full) return;
      const { index, path, size } = this.list[this.next];
      this.next += 1;
      const file = this.files.get(path);
      if (!file) {
        this.writer.inputUnreadable(index, "the page no longer has this file (it was not given to the bundle)");
        continue;
      }
      to.files.push(size);
      to.bytes += size;
      to.port.postMessage(/** @type {HashPiece} */ ({ item: index, digest: file }));
    }
  }

  /**
   * `port` answered for the oldest file it had: send more.
   * @param {MessagePort} port
   */
  answered(port) {
    const from = this.ports.find((p) => p.port === port);
    const size = from?.files.shift();
    if (from && size !== undefined) from.bytes -= size;
    this.send();
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
