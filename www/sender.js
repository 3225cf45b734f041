// @ts-check
/**
 * Sending the bundle, only with the patient's consent: a resumable upload with the tus protocol
 * (https://tus.io) to the element's `destination`. This module is imported by ui/send.js only
 * when the patient presses "Send" (never on a page without a `destination`), and it loads the tus
 * client, npm tus-js-client vendored by `cargo xtask build` into vendor/tus.min.js (a classic
 * script of this origin that defines `window.tus`), only then.
 *
 * Nothing of the upload is kept in browser storage: tus-js-client would store the upload's URL
 * under a fingerprint of the file in localStorage, to resume after a reload; here there is no
 * fingerprint, storing it is off and the URL storage is a no-op. The upload resumes from the
 * server's offset (HEAD) in the same page: after a dropped connection (automatic retries with
 * growing delays), after the browser was offline (when it is online again), after Pause, or
 * when the patient presses "Try again" after a failure. A reload starts over.
 */

/** Where the tus client is, next to this module. */
const TUS_URL = new URL("./vendor/tus.min.js", import.meta.url);
/**
 * Bytes per PATCH request: a lost connection costs at most this much again (servers keep what
 * they received, but a proxy in between may not), and proxies' body limits are met.
 */
export const CHUNK_SIZE = 8 * 1024 * 1024;
/** Waits before each retry after a failed request (ms); reset once the upload moved on. */
export const RETRY_DELAYS = [0, 1000, 3000, 5000, 10_000, 20_000, 30_000, 60_000];

/**
 * The part of tus-js-client used here (its types: tus-js-client/lib/index.d.ts).
 * @typedef {{ getStatus(): number }} TusResponse
 * @typedef {Error & { originalResponse?: TusResponse | null }} TusError
 * @typedef {{
 *   url: string | null,
 *   start(): void,
 *   abort(shouldTerminate?: boolean): Promise<void>,
 * }} TusUpload
 * @typedef {{
 *   Upload: new (file: Blob, options: Record<string, unknown>) => TusUpload,
 *   isSupported: boolean,
 * }} Tus
 */

/** @type {Promise<Tus> | null} */
let loading = null;

/**
 * Loads the vendored tus client once: a `<script>` of this origin (allowed by `script-src
 * 'self'`), appended to the document's head.
 * @returns {Promise<Tus>}
 */
export function loadTus() {
  /** @type {{ tus?: Tus }} */
  const w = /** @type {any} */ (window);
  if (w.tus) return Promise.resolve(w.tus);
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = TUS_URL.href;
    script.addEventListener("load", () => {
      if (w.tus) resolve(w.tus);
      else reject(new Error(`${TUS_URL.pathname} did not define the tus client`));
    });
    script.addEventListener("error", () => {
      loading = null;
      script.remove();
      reject(new Error(`could not load the upload client (${TUS_URL.pathname})`));
    });
    document.head.append(script);
  });
  return loading;
}

/** A URL storage that stores nothing (tus-js-client's default is localStorage). */
const NO_URL_STORAGE = {
  findAllUploads: () => Promise.resolve([]),
  findUploadsByFingerprint: () => Promise.resolve([]),
  removeUpload: () => Promise.resolve(),
  addUpload: () => Promise.resolve(""),
};

/**
 * What a `Sending` tells the page.
 * @typedef {{
 *   progress: (sent: number, total: number) => void,
 *   retrying: () => void,
 *   offline: () => void,
 *   sent: (url: string) => void,
 *   failed: (err: Error) => void,
 * }} SendEvents
 */

/** One upload of one Blob to one tus endpoint. */
export class Sending {
  /**
   * @param {Tus} tus
   * @param {Blob} blob
   * @param {string} endpoint the tus endpoint (creation URL)
   * @param {string} name the file name sent as metadata
   * @param {SendEvents} events
   */
  constructor(tus, blob, endpoint, name, events) {
    this.events = events;
    this.paused = false;
    this.stopped = false;
    this.onOnline = () => {
      window.removeEventListener("online", this.onOnline);
      if (!this.stopped && !this.paused) this.upload.start();
    };
    this.upload = new tus.Upload(blob, {
      endpoint,
      metadata: { filename: name, filetype: "application/zip" },
      chunkSize: CHUNK_SIZE,
      retryDelays: RETRY_DELAYS,
      // Nothing stored: no fingerprint, no URL in localStorage.
      fingerprint: () => Promise.resolve(null),
      storeFingerprintForResuming: false,
      removeFingerprintOnSuccess: true,
      urlStorage: NO_URL_STORAGE,
      /** @param {TusError} err */
      onShouldRetry: (err) => {
        const status = err.originalResponse ? err.originalResponse.getStatus() : 0;
        const transient = status === 0 || status >= 500 || status === 409 || status === 423 || status === 429;
        if (!transient || navigator.onLine === false) return false;
        this.events.retrying();
        return true;
      },
      /** @param {number} sent @param {number} total */
      onProgress: (sent, total) => this.events.progress(sent, total),
      onSuccess: () => {
        this.stopped = true;
        this.events.sent(this.upload.url ?? endpoint);
      },
      /** @param {Error} err */
      onError: (err) => {
        if (this.stopped || this.paused) return;
        if (navigator.onLine === false) {
          // Resumes by itself when the browser is online again.
          window.addEventListener("online", this.onOnline);
          this.events.offline();
          return;
        }
        this.events.failed(err);
      },
    });
  }

  start() {
    this.paused = false;
    this.upload.start();
  }

  /** Stops sending; `resume()` goes on from what the server has. */
  async pause() {
    this.paused = true;
    window.removeEventListener("online", this.onOnline);
    await this.upload.abort(false);
  }

  /** Goes on from the server's offset (after Pause, or a failure). */
  resume() {
    if (this.stopped) return;
    this.paused = false;
    window.removeEventListener("online", this.onOnline);
    this.upload.start();
  }

  /** Stops for good (start over, a new destination); what the server has is left to it. */
  stop() {
    this.stopped = true;
    window.removeEventListener("online", this.onOnline);
    this.upload.abort(false).catch(() => {});
  }
}
