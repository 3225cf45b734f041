// @ts-check
/**
 * "Who is in these files?" (`people`): shown when the report has more than one person, an
 * `identity-check` or `multiple-patients` finding, or the patient already decided something.
 * One card per person (`person`, `data-person`, `data-excluded`) with the evidence
 * (`personFacts`) and the thumbnails of their first series (`person-thumb`), to recognise them
 * by; "Not me" (`not-me`) and its undo (`undo-not-me`) per person, "These are all
 * me" (`all-me`) for every person not marked "Not me" and its undo (`undo-all-me`), and
 * `people-reset` to forget these choices. The choices are `declarations.identity` (a person is
 * named by one of their patient IDs or a document path, as `Patient::is_named_by`); the report
 * is rebuilt with them, and the files of an excluded person show unticked in the file table.
 */
import { ui } from "../i18n.js";
import { h } from "./dom.js";
import { seriesLabel } from "./thumbs.js";

/** @typedef {import("../app.js").Precheck} Precheck */
/** @typedef {import("../workers/wasm.js").Api} Api */
/** @typedef {import("../pkg/record_precheck.js").Report} Report */
/** @typedef {import("../pkg/record_precheck.js").Patient} Patient */

/** Thumbnails on a person's card, at most. */
const PERSON_THUMBS = 4;

export class People {
  /** @param {Precheck} host */
  constructor(host) {
    this.host = host;
    /**
     * The files of the people the patient said are not them, with whom they are for the row:
     * a path → "P2 Name". @type {Map<string, string>}
     */
    this.leftOut = new Map();
    this.cards = h("ul", { class: "people-cards" });
    this.actions = h("div", { class: "people-actions" });
    this.el = h(
      "section",
      { class: "people", "data-testid": "people", "aria-labelledby": "people-h", hidden: true },
      h("h2", { id: "people-h", "data-t": "people-title" }),
      h("p", { class: "hint", "data-t": "people-intro" }),
      this.cards,
      this.actions,
    );
  }

  /** The patient's identity choices, kept with the other answers. */
  get identity() {
    return this.host.answers.decl.identity;
  }

  clear() {
    this.leftOut = new Map();
    this.cards.replaceChildren();
    this.actions.replaceChildren();
    this.el.hidden = true;
  }

  /**
   * The panel from the report; whether the excluded people's files changed (the file table
   * must then be drawn again).
   * @param {Report} report
   * @param {Api} api
   * @returns {boolean}
   */
  render(report, api) {
    const before = [...this.leftOut].join("\n");
    this.leftOut = excludedFiles(report, api);
    const changed = before !== [...this.leftOut].join("\n");
    const lang = this.host.uiLang;
    const identity = this.identity;
    const decided = identity.merged.length > 0 || identity.excluded.length > 0;
    const flagged = report.findings.some((f) => f.code === "multiple-patients" || f.code === "identity-check");
    this.el.hidden = !(report.patients.length > 1 || flagged || decided);
    if (this.el.hidden) return changed;

    this.cards.replaceChildren(
      ...report.patients.map((p, i) => {
        const dates = report.studies.filter((s) => s.patient === i).flatMap((s) => (s.date ? [s.date] : []));
        const ref = personRef(p);
        const button = p.excluded
          ? this.button("undo-not-me", ui(lang, "people-undo"), () => this.include(p))
          : ref !== null && this.button("not-me", ui(lang, "people-not-me"), () => this.exclude(ref));
        return h(
          "li",
          { class: `person${p.excluded ? " excluded" : ""}`, "data-testid": "person", "data-person": p.id, "data-excluded": p.excluded },
          h("h3", {}, `${p.id} ${personName(p, api, lang)}`),
          h("ul", { class: "facts" }, ...api.personFacts(p, dates, lang).map((f) => h("li", {}, f))),
          this.thumbnails(report, i),
          p.excluded && h("p", { class: "note", "data-testid": "person-excluded" }, ui(lang, "people-excluded")),
          button,
        );
      }),
    );

    const kept = report.patients.filter((p) => !p.excluded);
    const refs = kept.map(personRef).filter((r) => r !== null);
    const actions = [];
    if (identity.merged.length > 0) {
      actions.push(
        h("p", { class: "note", "data-testid": "people-merged" }, ui(lang, "people-merged")),
        this.button("undo-all-me", ui(lang, "people-undo"), () => this.unmerge()),
      );
    }
    // Everyone not marked "Not me" is the patient: what they say when the others are all them.
    if (refs.length > 1) {
      actions.push(
        this.button("all-me", ui(lang, "people-all-me"), () => this.merge(refs)),
        h("p", { class: "hint" }, ui(lang, "people-all-me-hint")),
      );
    }
    if (decided) actions.push(this.button("people-reset", ui(lang, "people-reset"), () => this.forget(), "quiet"));
    this.actions.replaceChildren(...actions);
    return changed;
  }

  /**
   * The thumbnails of a person's first series (at most `PERSON_THUMBS`), or null.
   * @param {Report} report
   * @param {number} person index in `report.patients`
   */
  thumbnails(report, person) {
    const thumbs = this.host.thumbs;
    const m = (/** @type {string} */ id) => this.host.m(id);
    const shown = report.studies
      .filter((s) => s.patient === person)
      .flatMap((s) => s.series)
      .flatMap((x) => {
        const path = thumbs.ofSeries(x);
        return path ? [thumbs.img(path, ui(this.host.uiLang, "thumb-alt", { what: seriesLabel(x, m) }), "person-thumb")] : [];
      })
      .slice(0, PERSON_THUMBS);
    return shown.length > 0 ? h("div", { class: "thumb-strip" }, ...shown) : null;
  }

  /**
   * @param {string} testid
   * @param {string} label
   * @param {() => void} action
   * @param {string} [cls]
   */
  button(testid, label, action, cls) {
    const b = h("button", { type: "button", "data-testid": testid, class: cls }, label);
    b.addEventListener("click", () => {
      action();
      this.host.rebuild();
    });
    return b;
  }

  /** @param {string} ref */
  exclude(ref) {
    if (!this.identity.excluded.includes(ref)) this.identity.excluded.push(ref);
  }

  /** "Undo" of "Not me": every reference naming this person. @param {Patient} p */
  include(p) {
    this.identity.excluded = this.identity.excluded.filter((/** @type {string} */ r) => !isNamedBy(p, r));
  }

  /** @param {string[]} refs */
  merge(refs) {
    this.identity.merged.push(refs);
  }

  /** "Undo" of "These are all me": the latest group. */
  unmerge() {
    this.identity.merged.pop();
  }

  forget() {
    this.identity.merged = [];
    this.identity.excluded = [];
  }
}

/**
 * How the declarations name a person: a patient ID, else the path of a document naming them
 * (these stay the same from one report to the next; `P1`, `P2` do not); null when neither.
 * @param {Patient} p
 * @returns {string | null}
 */
function personRef(p) {
  return p.patient_ids[0] ?? p.documents[0]?.path ?? null;
}

/**
 * As `Patient::is_named_by` in the core.
 * @param {Patient} p
 * @param {string} ref
 */
function isNamedBy(p, ref) {
  return p.patient_ids.includes(ref) || p.documents.some((d) => d.path === ref);
}

/**
 * @param {Patient} p
 * @param {Api} api
 * @param {import("../i18n.js").UiLang} lang
 */
function personName(p, api, lang) {
  const name = p.name ? api.displayName(p.name) : "";
  return name || api.fillMessage("label.unnamed-patient", null, lang);
}

/**
 * The files the bundle leaves out as another person's, as the core's bundle plan picks them
 * (src/bundle/plan.rs `excluded_people_files`): the excluded people's DICOM files, and the
 * documents naming them that name no one who is the patient.
 * @param {Report} report
 * @param {Api} api
 * @returns {Map<string, string>}
 */
function excludedFiles(report, api) {
  /** @type {Map<string, string>} */
  const out = new Map();
  const kept = new Set(report.patients.filter((p) => !p.excluded).flatMap((p) => p.documents.map((d) => d.path)));
  report.patients.forEach((p, i) => {
    if (!p.excluded) return;
    const who = `${p.id} ${p.name ? api.displayName(p.name) : ""}`.trim();
    for (const s of report.studies) {
      if (s.patient !== i) continue;
      for (const series of s.series) for (const f of series.files) out.set(f, who);
    }
    for (const d of p.documents) if (!kept.has(d.path)) out.set(d.path, who);
  });
  return out;
}
