// @ts-check
/**
 * The send step (only with a `destination`): after the bundle, "Prepare to send" (`send`)
 * writes the bundle into memory (one Blob) and `send-summary` shows what would be sent
 * (`send-name`, `send-bytes`, `send-count`, `send-host`); nothing is sent before the patient
 * presses `send-confirm` (`send-discard` lets the Blob go). Then sender.js and the tus client
 * are loaded and the Blob uploaded: `send-progress`, `send-progress-text`, `send-pause`,
 * `send-resume` (also "Try again"), `send-status`. The element's `send` is this step; its
 * fields say where it is (`state`) and hold the Blob (`blob`).
 *
 * `share-report` (a checkbox, not shown to a trusted host, which has everything anyway): the
 * patient's consent to give the host page the full report — names, IDs, dates, file names —
 * instead of the redacted one (app.js `setShareConsent`). Off by default; "Start over"
 * withdraws it.
 *
 * Sending abroad (the host's attribute `destination-country`; `recipient` and `purpose`): a
 * separate consent, `send-consent`, before anything is prepared — what is sent
 * (`consent-what`: the files, that they are health information and show who the patient is),
 * to whom (`consent-recipient`), where (`consent-country`), what for (`consent-purpose`), and
 * that the patient may refuse. "Prepare to send" and "Send" stay disabled until the patient
 * ticks `consent-abroad`; the bundle is then written with the consent as given (its words and
 * time) in its manifest. Unticking it, "Don't send", "Start over", new files once the bundle
 * was prepared or new terms from the host withdraw it: the bundle made with it is let go and
 * an upload stops.
 */
import { formatBytes, ui } from "../i18n.js";
import { blobTarget, bundleName } from "../saver.js";
import { messageOf } from "../workers/bridge.js";
import { h, progressBox } from "./dom.js";

/** @typedef {import("../app.js").Precheck} Precheck */
/** @typedef {import("../sender.js").Sending} Sending */
/** @typedef {import("../pkg/record_precheck.js").ManifestTotals} ManifestTotals */
/** @typedef {import("../pkg/record_precheck.js").Consent} Consent */
/**
 * What the patient is asked to agree to before the bundle goes abroad.
 * @typedef {{ country: string, countryName: string, recipient: string, purpose: string, host: string }} AbroadTerms
 */

/**
 * The send step: `idle` (nothing made), `preparing` (the bundle is being written into memory),
 * `ready` (shown, waiting for the patient's consent), `sending`, `paused`, `failed` (the upload
 * stopped; "Try again" goes on), `sent`.
 * @typedef {"idle" | "preparing" | "ready" | "sending" | "paused" | "failed" | "sent"} SendState
 */

export class SendStep {
  /** @param {Precheck} host */
  constructor(host) {
    this.host = host;
    /** @type {SendState} */
    this.state = "idle";
    /** The bundle made for sending, kept until sent or the patient starts over. @type {Blob | null} */
    this.blob = null;
    this.name = "";
    /** What it holds. @type {ManifestTotals | null} */
    this.totals = null;
    this.size = 0;
    /** Bytes the destination has. */
    this.sent = 0;
    /** @type {Sending | null} */
    this.sending = null;
    /** The status line, kept as an id so that it follows the language. */
    /** @type {{ id: string, values?: Record<string, string | number> }} */
    this.status = { id: "" };
    /** The destination and terms the send step was shown for. @type {string | undefined} */
    this.sendingTo = undefined;
    /** The patient's consent to send abroad, as given (for the manifest). @type {Consent | null} */
    this.abroadConsent = null;

    this.heading = h("h2", { id: "send-h" });
    this.hint = h("p", { class: "hint" });
    this.shareBox = h("input", { type: "checkbox", "data-testid": "share-report", id: "share-report" });
    this.shareLabel = h("label", { for: "share-report" });
    this.share = h("p", { class: "share" }, this.shareBox, " ", this.shareLabel);
    this.shareBox.addEventListener("change", () => this.host.setShareConsent(this.shareBox.checked));
    this.consentWhat = h("dd", { "data-testid": "consent-what" });
    this.consentTo = h("dd", { "data-testid": "consent-recipient" });
    this.consentWhere = h("dd", { "data-testid": "consent-country" });
    this.consentWhy = h("dd", { "data-testid": "consent-purpose" });
    this.consentBox = h("input", { type: "checkbox", "data-testid": "consent-abroad", id: "consent-abroad" });
    this.consentLabel = h("label", { for: "consent-abroad" });
    this.consent = h(
      "div",
      { class: "consent", role: "group", "aria-labelledby": "consent-h", "data-testid": "send-consent", hidden: true },
      h("h3", { id: "consent-h", "data-t": "consent-h" }),
      h(
        "dl",
        {},
        h("dt", { "data-t": "consent-what-t" }), this.consentWhat,
        h("dt", { "data-t": "consent-to-t" }), this.consentTo,
        h("dt", { "data-t": "consent-where-t" }), this.consentWhere,
        h("dt", { "data-t": "consent-why-t" }), this.consentWhy,
      ),
      h("p", { "data-t": "consent-refuse" }),
      h("p", { class: "agree" }, this.consentBox, " ", this.consentLabel),
    );
    this.consentBox.addEventListener("change", () => this.setAbroadConsent(this.consentBox.checked));
    this.prepareButton = h("button", { type: "button", class: "primary", "data-testid": "send", "data-t": "send-prepare" });
    this.fileName = h("dd", { "data-testid": "send-name" });
    this.bytes = h("dd", { "data-testid": "send-bytes" });
    this.count = h("dd", { "data-testid": "send-count" });
    this.hostName = h("dd", { "data-testid": "send-host" });
    this.confirmButton = h("button", { type: "button", class: "primary", "data-testid": "send-confirm", "data-t": "send-confirm" });
    this.discardButton = h("button", { type: "button", class: "quiet", "data-testid": "send-discard", "data-t": "send-discard" });
    this.summary = h(
      "div",
      { class: "send-summary", "data-testid": "send-summary", hidden: true },
      h("h3", { "data-t": "send-what" }),
      h(
        "dl",
        {},
        h("dt", { "data-t": "send-file" }), this.fileName,
        h("dt", { "data-t": "send-size" }), this.bytes,
        h("dt", { "data-t": "send-count" }), this.count,
        h("dt", { "data-t": "send-to" }), this.hostName,
      ),
      h("div", { class: "actions" }, this.confirmButton, this.discardButton),
    );
    this.pauseButton = h("button", { type: "button", "data-testid": "send-pause", "data-t": "send-pause" });
    this.resumeButton = h("button", { type: "button", "data-testid": "send-resume", "data-t": "send-resume", hidden: true });
    const { box, bar, text } = progressBox("send-progress", h("span", {}, this.pauseButton, this.resumeButton));
    this.box = box;
    this.bar = bar;
    this.text = text;
    this.statusLine = h("p", { class: "status", role: "status", "data-testid": "send-status" });
    this.el = h(
      "section",
      { class: "bundle send", "data-testid": "send-step", "aria-labelledby": "send-h" },
      this.heading,
      this.hint,
      this.share,
      this.consent,
      h("div", { class: "actions" }, this.prepareButton),
      this.summary,
      box,
      this.statusLine,
    );
    this.prepareButton.addEventListener("click", () => this.prepare());
    this.confirmButton.addEventListener("click", () => this.confirm());
    this.discardButton.addEventListener("click", () => this.discard("send-discarded"));
    this.pauseButton.addEventListener("click", () => this.pause());
    this.resumeButton.addEventListener("click", () => this.resume());
  }

  /**
   * The destination: the `destination` attribute when it is an http(s) URL, else null.
   * @returns {URL | null}
   */
  destination() {
    const value = this.host.el.getAttribute("destination")?.trim();
    if (!value) return null;
    try {
      const url = new URL(value);
      return url.protocol === "https:" || url.protocol === "http:" ? url : null;
    } catch {
      return null;
    }
  }

  /**
   * The terms of sending abroad when the host says the destination is abroad (attribute
   * `destination-country`, with a destination), else null: the recipient is the attribute
   * `recipient`, else the destination's host; the purpose is `purpose`, else a second opinion.
   * @returns {AbroadTerms | null}
   */
  abroad() {
    const el = this.host.el;
    const country = el.getAttribute("destination-country")?.trim();
    const url = this.destination();
    if (!country || !url) return null;
    const lang = this.host.uiLang;
    return {
      country,
      countryName: countryName(country, lang),
      recipient: el.getAttribute("recipient")?.trim() || url.host,
      purpose: el.getAttribute("purpose")?.trim() || ui(lang, "consent-purpose-default"),
      host: url.host,
    };
  }

  /**
   * The patient ticked or unticked `consent-abroad`. Unticked: a bundle made or being sent
   * with the consent is let go (its manifest would record a consent no longer given).
   * @param {boolean} on
   */
  setAbroadConsent(on) {
    const terms = this.abroad();
    if (on && terms) {
      this.abroadConsent = {
        cross_border: true,
        destination_host: terms.host,
        country: terms.country,
        recipient: terms.recipient,
        purpose: terms.purpose,
        given_at: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
        text: this.consentLabel.textContent ?? "",
      };
      this.render();
    } else if (this.state !== "idle") {
      this.drop();
      this.setStatus("send-consent-withdrawn");
    } else {
      this.abroadConsent = null;
      this.render();
    }
  }

  /** Shows the send step after the bundle when there is a destination, else removes it. */
  update() {
    const url = this.destination();
    const el = this.host.el;
    const to = JSON.stringify([url?.href, ...["destination-country", "recipient", "purpose"].map((a) => el.getAttribute(a))]);
    // A new or removed destination, or new terms: what was made, started or agreed to for the
    // old ones is dropped.
    if ((this.state !== "idle" || this.abroadConsent) && to !== this.sendingTo) this.drop();
    this.sendingTo = to;
    if (url) {
      if (!this.el.isConnected) this.host.bundle.el.after(this.el);
    } else {
      this.el.remove();
    }
    this.render();
  }

  /** The send step's texts and controls, from its state. */
  render() {
    const host = this.host;
    const lang = host.uiLang;
    const hostName = this.destination()?.host ?? "";
    // With a destination, "nothing is uploaded" would not be true: say when it is.
    host.privacy.textContent = ui(lang, hostName ? "privacy-send" : "privacy", { host: hostName });
    for (const el of this.el.querySelectorAll("[data-t]")) {
      el.textContent = ui(lang, /** @type {string} */ (el.getAttribute("data-t")));
    }
    this.heading.textContent = ui(lang, "send", { host: hostName });
    this.hint.textContent = ui(lang, "send-hint", { host: hostName });
    this.share.hidden = host.trustedHost();
    this.shareBox.checked = host.shareConsent;
    this.shareLabel.textContent = ui(lang, "share-report", { host: hostName });
    const st = this.state;
    const terms = this.abroad();
    this.consent.hidden = !terms;
    if (terms) {
      this.consentWhat.textContent = ui(lang, "consent-what", { count: host.entries.length });
      this.consentTo.textContent = terms.recipient === terms.host ? terms.host : `${terms.recipient} (${terms.host})`;
      this.consentWhere.textContent = ui(lang, "consent-where", { country: terms.countryName });
      this.consentWhy.textContent = terms.purpose;
      this.consentLabel.textContent = ui(lang, "consent-agree", { recipient: terms.recipient, country: terms.countryName, purpose: terms.purpose });
    }
    this.consentBox.checked = this.abroadConsent !== null;
    // What was sent cannot be taken back.
    this.consentBox.disabled = st === "sent";
    const needsConsent = terms !== null && this.abroadConsent === null;
    this.prepareButton.hidden = st !== "idle" && st !== "preparing";
    this.prepareButton.disabled = st === "preparing" || host.bundle.saving !== null || needsConsent;
    this.confirmButton.disabled = needsConsent;
    this.summary.hidden = st === "idle" || st === "preparing";
    this.confirmButton.hidden = st !== "ready";
    this.discardButton.hidden = st !== "ready";
    if (this.blob && this.totals) {
      this.fileName.textContent = this.name;
      this.bytes.textContent = `${formatBytes(this.blob.size)} (${this.blob.size.toLocaleString(lang === "zh" ? "zh-CN" : "en")} B)`;
      this.count.textContent = ui(lang, "send-count-value", { copied: this.totals.copied, left: this.totals.left_out });
      this.hostName.textContent = hostName;
    }
    const uploading = st === "sending" || st === "paused" || st === "failed" || st === "sent";
    this.box.hidden = !uploading;
    this.pauseButton.hidden = st !== "sending";
    this.resumeButton.hidden = st !== "paused" && st !== "failed";
    this.resumeButton.textContent = ui(lang, st === "failed" ? "send-retry" : "send-resume");
    this.drawProgress();
    const status = this.status;
    this.statusLine.textContent = status.id ? ui(lang, status.id, { host: hostName, ...status.values }) : "";
  }

  drawProgress() {
    const total = this.size;
    const sent = Math.min(this.sent, total);
    this.bar.max = Math.max(1, total);
    this.bar.value = sent;
    this.text.textContent = ui(this.host.uiLang, "send-progress", {
      done: formatBytes(sent),
      total: formatBytes(total),
      percent: total ? Math.floor((sent * 100) / total) : 0,
    });
  }

  /**
   * @param {string} id
   * @param {Record<string, string | number>} [values]
   */
  setStatus(id, values) {
    if (id === "send-failed") this.host.tellError(id, values);
    this.status = { id, values };
    this.render();
  }

  /**
   * "Prepare to send": the bundle is written into memory (one Blob), then shown — name, size,
   * files, destination host — with "Send" and "Don't send". Nothing is sent.
   */
  async prepare() {
    const host = this.host;
    if (!this.destination() || host.bundle.saving || host.entries.length === 0 || this.state !== "idle") return;
    if (this.abroad() && !this.abroadConsent) return;
    if (host.pool.busy) {
      this.setStatus("bundle-busy");
      return;
    }
    const target = blobTarget();
    this.state = "preparing";
    this.setStatus("send-preparing");
    const done = await host.bundle.write(
      target,
      (outcome, values) => {
        if (this.state !== "preparing") return; // dropped meanwhile (start over)
        this.state = "idle";
        this.setStatus(`send-${outcome}`, values);
      },
      this.abroadConsent,
    );
    const blob = target.blob();
    if (!done || !blob || this.state !== "preparing") return;
    this.state = "ready";
    this.blob = blob;
    this.name = bundleName();
    this.totals = done.totals;
    this.size = blob.size;
    this.sent = 0;
    this.setStatus("send-ready");
    this.confirmButton.focus();
  }

  /** "Send": the patient's consent. Loads the tus client, then uploads the Blob. */
  async confirm() {
    const url = this.destination();
    const blob = this.blob;
    if (!url || !blob || this.state !== "ready") return;
    if (this.abroad() && !this.abroadConsent) return;
    this.state = "sending";
    this.sent = 0;
    this.setStatus("send-sending");
    const name = this.name;
    try {
      const { Sending, loadTus } = await import("../sender.js");
      const tus = await loadTus();
      if (this.blob !== blob || this.state !== "sending") return; // dropped meanwhile
      const sending = new Sending(tus, blob, url.href, name, {
        progress: (sent) => {
          if (this.sending !== sending) return;
          this.sent = sent;
          this.drawProgress();
        },
        retrying: () => {
          if (this.sending === sending) this.setStatus("send-retrying");
        },
        offline: () => {
          if (this.sending === sending) this.setStatus("send-offline");
        },
        sent: (at) => {
          if (this.sending !== sending) return;
          const bytes = blob.size;
          // Sent: the Blob is let go.
          this.state = "sent";
          this.blob = null;
          this.sending = null;
          this.sent = bytes;
          this.setStatus("send-sent", { name, bytes: formatBytes(bytes) });
          this.host.el.dispatchEvent(new CustomEvent("precheck-sent", { bubbles: true, composed: true, detail: { url: at, bytes } }));
        },
        failed: (err) => {
          if (this.sending !== sending) return;
          this.state = "failed";
          this.setStatus("send-failed", { message: err.message });
        },
      });
      this.sending = sending;
      sending.start();
    } catch (err) {
      if (this.blob !== blob) return;
      this.state = "failed";
      this.setStatus("send-failed", { message: messageOf(err) });
    }
  }

  async pause() {
    const sending = this.sending;
    if (!sending || this.state !== "sending") return;
    this.state = "paused";
    this.setStatus("send-paused");
    await sending.pause();
  }

  /** Resume after Pause, or "Try again" after a failure: from what the server has. */
  resume() {
    const st = this.state;
    if (st !== "paused" && st !== "failed") return;
    if (!this.sending) {
      // The tus client could not be loaded: try again from the consent.
      this.state = "ready";
      this.confirm();
      return;
    }
    this.state = "sending";
    this.setStatus("send-sending");
    this.sending.resume();
  }

  /**
   * "Don't send": the Blob made for sending is let go.
   * @param {string} status the status line after it
   */
  discard(status) {
    if (this.state !== "ready") return;
    this.drop();
    this.setStatus(status);
  }

  /** The prepared bundle no longer matches the case (files or answers changed): made again on demand. */
  stale() {
    if (this.state === "ready") this.discard("");
  }

  /** Stops any upload and lets the Blob go (start over, a new destination). */
  drop() {
    if (this.state === "preparing") this.host.reporter.cancelBundle();
    this.sending?.stop();
    this.state = "idle";
    this.blob = null;
    this.name = "";
    this.totals = null;
    this.size = 0;
    this.sent = 0;
    this.sending = null;
    this.abroadConsent = null;
    this.status = { id: "" };
    this.render();
  }
}

/**
 * A country's name in the page's language with its code ("China (CN)", "中国 (CN)"), or the
 * value as the host gave it when it is not a region code.
 * @param {string} code
 * @param {"en" | "zh"} lang
 */
function countryName(code, lang) {
  const upper = code.toUpperCase();
  try {
    const name = new Intl.DisplayNames([lang === "zh" ? "zh-CN" : "en"], { type: "region" }).of(upper);
    return name && name !== upper ? `${name} (${upper})` : code;
  } catch {
    return code;
  }
}
