// @ts-check
/**
 * The request slips (`requests`: one `button[data-testid=print-request][data-department]` per
 * slip of `report.requests`, "Print the request for the imaging department"): each opens the
 * slip, a one-page A4 form in Chinese (English beside it when the page is in English) to take
 * to that hospital department, as the printable report opens (printable.js).
 */
import { h } from "./dom.js";

/** @typedef {import("../app.js").Precheck} Precheck */
/** @typedef {import("../workers/wasm.js").Api} Api */
/** @typedef {import("../pkg/record_precheck.js").Report} Report */

export class Requests {
  /** @param {Precheck} host */
  constructor(host) {
    this.host = host;
    this.list = h("div", { class: "actions" });
    this.el = h(
      "section",
      { class: "requests", "data-testid": "requests", "aria-labelledby": "requests-h", hidden: true },
      h("h2", { id: "requests-h", "data-m": "label.requests" }),
      h("p", { class: "hint", "data-m": "label.requests-intro" }),
      this.list,
    );
  }

  clear() {
    this.list.replaceChildren();
    this.el.hidden = true;
  }

  /**
   * @param {Report} report
   * @param {Api} api
   */
  render(report, api) {
    const host = this.host;
    const lang = host.uiLang;
    this.el.hidden = report.requests.length === 0;
    this.list.replaceChildren(
      ...report.requests.map((r, i) => {
        const hospital = r.facts.hospital ? ` (${r.facts.hospital})` : "";
        const button = h(
          "button",
          { type: "button", class: "secondary", "data-testid": "print-request", "data-department": r.department },
          api.fillMessage("slip.print", { department: host.m(`slip.department.${r.department}`) }, lang) + hospital,
        );
        button.addEventListener("click", () => host.printable.open(i));
        return button;
      }),
    );
  }
}
