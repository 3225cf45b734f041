// @ts-check
/**
 * The readiness checklist (`checklist`: `li[data-item][data-status][data-impact]`, with its
 * evidence), filtered by the element's `items` attribute (only what is shown changes: the
 * report keeps every item).
 */
import { ui } from "../i18n.js";
import { h } from "./dom.js";

/** @typedef {import("../app.js").Precheck} Precheck */
/** @typedef {import("../workers/wasm.js").Api} Api */
/** @typedef {import("../pkg/record_precheck.js").Report} Report */

/** Evidence entries shown per checklist item. */
const EVIDENCE_SHOWN = 5;

export class Checklist {
  /** @param {Precheck} host */
  constructor(host) {
    this.host = host;
    this.el = h("ul", { class: "checklist", "data-testid": "checklist" });
  }

  clear() {
    this.el.replaceChildren();
  }

  /**
   * @param {Report} report
   * @param {Api} api
   */
  render(report, api) {
    const host = this.host;
    const lang = host.uiLang;
    const wanted = new Set((host.el.getAttribute("items") ?? "").split(/[\s,]+/).filter(Boolean));
    this.el.replaceChildren(
      ...report.readiness.items.filter((item) => wanted.size === 0 || wanted.has(item.id)).map((item) => {
        const shown = item.evidence.slice(0, EVIDENCE_SHOWN);
        const more = item.evidence.length - shown.length;
        return h(
          "li",
          { class: `item ${item.status}`, "data-item": item.id, "data-status": item.status, "data-impact": item.impact },
          h(
            "p",
            { class: "item-head" },
            h("span", { class: `badge ${item.status}` }, host.m(`status.${item.status}`)),
            " ",
            h("strong", {}, host.m(`item.${item.id}`)),
          ),
          h("p", {}, api.itemSentence(item, lang)),
          item.impact !== "none" && h("p", { class: `impact ${item.impact}` }, host.m(`impact.${item.impact}`)),
          shown.length > 0 &&
            h(
              "details",
              { class: "evidence" },
              h("summary", {}, `${host.m("label.evidence")} (${item.evidence.length})`),
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
}
