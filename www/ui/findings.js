// @ts-check
/**
 * The report's findings (`findings`: `li[data-code][data-severity]`, with the files involved)
 * and next steps (`next-steps`: `li[data-step]`), each a section with its heading; and
 * `sentence()`, a finding in words (the summary's key findings use it too).
 */
import { h } from "./dom.js";

/** @typedef {import("../app.js").Precheck} Precheck */
/** @typedef {import("../workers/wasm.js").Api} Api */
/** @typedef {import("../i18n.js").UiLang} UiLang */
/** @typedef {import("../pkg/record_precheck.js").Report} Report */
/** @typedef {import("../pkg/record_precheck.js").Finding} Finding */

/** Paths shown per finding. */
const PATHS_SHOWN = 10;

/**
 * A finding in words.
 * @param {Finding} f
 * @param {Api} api
 * @param {UiLang} lang
 * @returns {string}
 */
export function sentence(f, api, lang) {
  const parts = /** @type {string[]} */ (api.findingSentences(f, lang));
  return parts.join(lang === "zh" ? "" : " ");
}

export class Findings {
  /** @param {Precheck} host */
  constructor(host) {
    this.host = host;
    this.findings = h("ul", { class: "findings", "data-testid": "findings" });
    this.steps = h("ol", { class: "steps", "data-testid": "next-steps" });
    this.findingsSection = h(
      "section",
      { "aria-labelledby": "findings-h" },
      h("h2", { id: "findings-h", "data-m": "label.findings" }),
      this.findings,
    );
    this.stepsSection = h(
      "section",
      { "aria-labelledby": "steps-h" },
      h("h2", { id: "steps-h", "data-m": "label.next-steps" }),
      this.steps,
    );
  }

  /**
   * @param {Report} report
   * @param {Api} api
   */
  render(report, api) {
    this.renderFindings(report, api);
    this.renderSteps(report, api);
  }

  clear() {
    this.findings.replaceChildren();
    this.steps.replaceChildren();
  }

  /**
   * @param {Report} report
   * @param {Api} api
   */
  renderFindings(report, api) {
    const host = this.host;
    const lang = host.uiLang;
    if (report.findings.length === 0) {
      this.findings.replaceChildren(h("li", { class: "empty" }, host.m("label.no-findings")));
      return;
    }
    this.findings.replaceChildren(
      ...report.findings.map((f) => {
        const shown = f.files.slice(0, PATHS_SHOWN);
        const more = f.files.length - shown.length;
        return h(
          "li",
          { class: `finding ${f.severity}`, "data-code": f.code, "data-severity": f.severity },
          h("p", {}, h("span", { class: `badge ${f.severity}` }, host.m(`severity.${f.severity}`)), " ", sentence(f, api, lang)),
          f.files.length > 0 &&
            h(
              "details",
              {},
              h("summary", {}, `${host.m("label.files-involved")} (${f.files.length})`),
              h(
                "ul",
                { class: "paths" },
                ...shown.map((p) => h("li", { class: "path" }, p)),
                more > 0 && h("li", { class: "more" }, api.fillMessage("label.and-more", { count: more }, lang)),
              ),
            ),
        );
      }),
    );
  }

  /**
   * @param {Report} report
   * @param {Api} api
   */
  renderSteps(report, api) {
    const steps = report.readiness.next_steps;
    if (steps.length === 0) {
      this.steps.replaceChildren(h("li", { class: "empty" }, this.host.m("label.no-next-steps")));
      return;
    }
    // A step for an item the host's profile does not require comes after the others, marked.
    this.steps.replaceChildren(
      ...steps.map((s) =>
        h(
          "li",
          { "data-step": s.id, "data-optional": s.optional ? "" : undefined },
          api.stepSentence(s, this.host.uiLang),
          s.optional && h("span", { class: "optional-note" }, ` ${this.host.m("label.optional-step")}`),
        ),
      ),
    );
  }
}
