// @ts-check
/**
 * The readiness checklist (`checklist`: `li[data-item][data-status][data-impact]`, with its
 * evidence, `data-optional` and a note when the host's profile does not require it), filtered by
 * the element's `items` attribute (only what is shown changes: the report keeps every item);
 * then the profile's extra items (`li[data-extra-item][data-status]`, the host's own title and
 * description in the page's language, `data-optional` when not required), each with a checkbox
 * `extra-item` the patient ticks when they have it (`declarations.extra_items`).
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
          {
            class: `item ${item.status}`,
            "data-item": item.id,
            "data-status": item.status,
            "data-impact": item.impact,
            "data-optional": item.optional ? "" : undefined,
          },
          h(
            "p",
            { class: "item-head" },
            h("span", { class: `badge ${item.status}` }, host.m(`status.${item.status}`)),
            " ",
            h("strong", {}, host.m(`item.${item.id}`)),
          ),
          h("p", {}, api.itemSentence(item, lang)),
          item.impact !== "none" && h("p", { class: `impact ${item.impact}` }, host.m(`impact.${item.impact}`)),
          item.optional && h("p", { class: "optional-note" }, host.m("label.optional")),
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
      ...this.extraItems(report),
    );
  }

  /**
   * The host profile's own items: its texts in the page's language, and a checkbox the patient
   * ticks when they have the item (the report then says `declared`).
   * @param {Report} report
   */
  extraItems(report) {
    const host = this.host;
    const lang = host.uiLang;
    const extra = report.readiness.extra_items ?? [];
    if (extra.length === 0) return [];
    return [
      h("li", { class: "extra-head" }, h("strong", {}, host.m("label.extra-items"))),
      ...extra.map((x, i) => {
        const id = `extra-item-${i}`;
        const box = h("input", { type: "checkbox", id, "data-testid": "extra-item", value: x.id, checked: x.status === "declared" });
        box.addEventListener("change", () => host.answers.setExtraItem(x.id, box.checked));
        return h(
          "li",
          { class: `item ${x.status}`, "data-extra-item": x.id, "data-status": x.status, "data-optional": x.required ? undefined : "" },
          h(
            "p",
            { class: "item-head" },
            h("span", { class: `badge ${x.status}` }, host.m(`status.${x.status}`)),
            " ",
            h("strong", {}, x.title[lang]),
          ),
          h("p", {}, x.description[lang]),
          !x.required && h("p", { class: "optional-note" }, host.m("label.optional")),
          h("label", { class: "choice check", for: id }, box, h("span", {}, host.m("label.extra-item-have"))),
        );
      }),
    ];
  }
}
