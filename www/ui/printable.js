// @ts-check
/**
 * The printable report (src/report/html.rs, built in the report worker from the same files and
 * answers): `printable` opens it in a new window, `save-html` saves it as an .html file.
 * In kiosk mode there is no `save-html`: a download would stay in the kiosk's download folder,
 * and the bundle (saved where the patient chooses) holds the same report.html. The windows
 * opened are closed by "Finish".
 */
import { messageOf } from "../workers/bridge.js";
import { h } from "./dom.js";

/** @typedef {import("../app.js").Precheck} Precheck */

export class Printable {
  /** @param {Precheck} host */
  constructor(host) {
    this.host = host;
    const open = h("button", { type: "button", "data-testid": "printable", "data-t": "printable" });
    this.saveButton = h("button", { type: "button", class: "quiet", "data-testid": "save-html", "data-t": "save-html" });
    this.el = h("div", { class: "actions" }, open, this.saveButton);
    /** The report windows opened (they show the patient's report). @type {Window[]} */
    this.windows = [];
    open.addEventListener("click", () => this.open());
    this.saveButton.addEventListener("click", () => this.save());
  }

  /** Kiosk mode has no `save-html` (see above). */
  update() {
    this.saveButton.hidden = this.host.el.getAttribute("mode") === "kiosk";
  }

  /**
   * Closes the report windows still open ("Finish").
   * @returns {number} how many were open
   */
  closeWindows() {
    const open = this.windows.filter((w) => !w.closed);
    for (const w of open) w.close();
    this.windows = [];
    return open.length;
  }

  /**
   * The printable report's HTML (or a request slip's: its index in `report.requests`), or
   * null (no files, or it failed: the status line says so).
   * @param {number} [request]
   * @returns {Promise<string | null>}
   */
  async html(request) {
    const host = this.host;
    if (host.entries.length === 0) return null;
    try {
      return await host.reporter.html(host.declarations(), host.uiLang, request);
    } catch (err) {
      host.setStatus("status-error", { message: messageOf(err) });
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
   * A request slip (its index in `report.requests`) opens the same way.
   * @param {number} [request]
   */
  async open(request) {
    // Opened at once, while the click still counts as the patient's (pop-up blockers).
    const win = window.open("", "_blank");
    if (win) this.windows.push(win);
    const html = await this.html(request);
    if (!html) {
      win?.close();
      return;
    }
    if (!win) {
      this.host.setStatus("popup-blocked");
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

  /** Saves the printable report as an .html file (a Blob URL, revoked right after). */
  async save() {
    if (this.saveButton.hidden) return;
    const html = await this.html();
    if (!html) return;
    const url = URL.createObjectURL(new Blob([html], { type: "text/html;charset=utf-8" }));
    const a = h("a", { href: url, download: "record-precheck-report.html", hidden: true });
    this.host.root.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}
