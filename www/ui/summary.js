// @ts-check
/**
 * The report's summary (`summary`, `data-level`): the readiness level and what it means, the
 * files, the patients (`patients`), the studies (`studies`, `li[data-testid=study]`, with a
 * thumbnail per series once made: `series-thumb`, opening the quick look) and the key findings
 * (`key-findings`).
 */
import { ui } from "../i18n.js";
import { h } from "./dom.js";
import { flatten } from "./entries.js";
import { sentence } from "./findings.js";
import { seriesLabel } from "./thumbs.js";

/** @typedef {import("../app.js").Precheck} Precheck */
/** @typedef {import("../workers/wasm.js").Api} Api */
/** @typedef {import("../pkg/record_precheck.js").Report} Report */

export class Summary {
  /** @param {Precheck} host */
  constructor(host) {
    this.host = host;
    this.el = h("section", { class: "summary", "data-testid": "summary", "aria-labelledby": "summary-h" });
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
    const m = (/** @type {string} */ id) => host.m(id);
    const lang = host.uiLang;
    const level = report.readiness.level;
    const all = flatten(report.files);
    const patients = report.patients;
    const key = report.findings.filter((f) => f.severity !== "info").slice(0, 3);
    const studies = report.studies.map((s) => {
      const bits = [
        s.date ? api.displayDate(s.date) : m("label.unknown-date"),
        s.modalities.join("/") || m("label.unknown-modality"),
        s.description?.trim() || m("label.no-description"),
      ];
      if (patients.length > 1) {
        const p = patients[s.patient];
        bits.push(p?.name ? api.displayName(p.name) : m("label.unnamed-patient"));
      }
      const counts = api.fillMessage("label.series-images", { series: s.image_series, images: s.image_count }, lang);
      const thumbs = s.series.map((x) => host.thumbs.seriesButton(x, seriesLabel(x, m))).filter((b) => b !== null);
      return h(
        "li",
        { "data-testid": "study", "data-modalities": s.modalities.join(" "), "data-images": s.image_count },
        h("span", { class: "study-what" }, bits.join(" · ")),
        h("span", { class: "study-counts" }, counts),
        thumbs.length > 0 && h("span", { class: "thumb-strip" }, ...thumbs),
      );
    });
    this.el.className = `summary level-${level}`;
    this.el.dataset.level = level;
    this.el.replaceChildren(
      h("h2", { id: "summary-h", class: "eyebrow" }, m("label.summary")),
      h("p", { class: "level", "data-testid": "level" }, m(`level.${level}`)),
      h("p", { class: "explain" }, m(`level.${level}.explain`)),
      h("p", { class: "fit" }, m(`fit.${report.readiness.review_fit}`)),
      host.thumbs.status(),
      h(
        "dl",
        {},
        h("dt", {}, ui(lang, "summary-files")),
        h(
          "dd",
          { "data-testid": "file-count" },
          ui(lang, "files-count", { count: report.files.length }),
          all.length > report.files.length ? ui(lang, "files-inside", { count: all.length - report.files.length }) : "",
        ),
        h("dt", {}, m("label.patients")),
        h(
          "dd",
          { class: patients.length > 1 ? "warn" : "" },
          patients.length === 0
            ? ui(lang, "summary-no-patients")
            : h("ul", { "data-testid": "patients" }, ...patients.map((p) => h("li", { "data-patient": p.id }, api.patientLine(p, lang)))),
        ),
        h("dt", {}, m("label.studies")),
        h(
          "dd",
          {},
          studies.length === 0 ? m("label.no-studies") : h("ul", { class: "studies", "data-testid": "studies" }, ...studies),
        ),
        h("dt", {}, m("label.key-findings")),
        h(
          "dd",
          {},
          key.length === 0
            ? m("label.no-key-findings")
            : h(
                "ul",
                { class: "key-findings", "data-testid": "key-findings" },
                ...key.map((f) =>
                  h(
                    "li",
                    { "data-code": f.code, "data-severity": f.severity },
                    h("span", { class: `badge ${f.severity}` }, m(`severity.${f.severity}`)),
                    " ",
                    sentence(f, api, lang),
                  ),
                ),
              ),
        ),
      ),
    );
  }
}
