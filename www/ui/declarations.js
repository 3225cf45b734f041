// @ts-check
/**
 * The patient's answers: the form (`declarations`: radio groups `decl-purpose` (why a second
 * opinion: it orders the next steps, and `purpose-examples` shows questions that fit it and what
 * a records review can settle), `decl-cancer`, `decl-slides`, `decl-translation`, the checkbox
 * `decl-treatment`, the date `decl-review-date`, the `timeline`, the `questions` with
 * `question-add`), one category per document (`categories`: `select[data-path]`), and the
 * host profile's extra items the patient ticks in the checklist (`setExtraItem`). Each
 * change rebuilds the report (typing: after a pause); `value()` is what the report takes.
 */
import { ui } from "../i18n.js";
import { h } from "./dom.js";

/** @typedef {import("../app.js").Precheck} Precheck */
/** @typedef {import("../pkg/record_precheck.js").Report} Report */
/** @typedef {import("../pkg/record_precheck.js").Declarations} Declarations */
/** @typedef {import("../pkg/record_precheck.js").Category} Category */
/** @typedef {import("../workers/wasm.js").Api} Api */

const MAX_QUESTIONS = 5;
/** Typing pauses this long before the report is rebuilt. */
const TYPING_MS = 300;

/** @returns {Declarations} */
function noDeclarations() {
  return {
    cancer: "unsure",
    slides: null,
    treatment_history: false,
    translation: null,
    document_categories: {},
    timeline: "",
    questions: [],
    reviewer_language: null,
    identity: { merged: [], excluded: [] },
    review_date: null,
    purpose: null,
    extra_items: [],
  };
}

/** The purposes of a review, in the order the question lists them (`Purpose` in the report). */
const PURPOSES = ["new-diagnosis", "surgery-proposed", "conflicting-advice", "rare-condition", "not-working"];
/** Example questions per purpose in the catalogue (`purpose.<p>.example-<n>`). */
const PURPOSE_EXAMPLES = 3;

export class DeclarationsForm {
  /** @param {Precheck} host */
  constructor(host) {
    this.host = host;
    /** @type {Declarations} */
    this.decl = noDeclarations();
    /** Question inputs' texts, empty ones included (the report gets the non-empty ones). */
    this.questionTexts = ["", "", ""];
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.typingTimer = undefined;
    /** Documents the category table shows, to redraw it only when they change. */
    this.categoryKey = "";
    this.categories = h("div", { class: "categories", "data-testid": "categories" });
    this.questions = h("ol", { class: "questions", "data-testid": "question-list" });
    this.addQuestion = h("button", { type: "button", class: "quiet", "data-testid": "question-add", "data-t": "question-add" });
    /** The timeline the patient writes. */
    this.timeline = h("textarea", { id: "timeline", "data-testid": "timeline", rows: 6, "aria-describedby": "timeline-hint" });
    /** The report's draft timeline as text (empty when the records give no dates). */
    this.draftText = "";
    /** Fills the empty timeline with the draft: shown only while the timeline is empty. */
    this.draftButton = h("button", { type: "button", class: "secondary", "data-testid": "timeline-draft", "data-t": "timeline-draft", hidden: true });
    this.draftButton.addEventListener("click", () => {
      // Never over what the patient wrote.
      if (!this.draftText || this.timeline.value.trim() !== "") return;
      this.timeline.value = this.draftText;
      this.decl.timeline = this.draftText;
      this.draftButton.hidden = true;
      this.timeline.focus();
      this.host.rebuild();
    });
    /** Questions that fit the purpose, and what a records review can settle. */
    this.examples = h("div", { class: "hint examples", "data-testid": "purpose-examples", hidden: true });
    this.form = this.build();
  }

  /** The examples of the purpose chosen (none: hidden), in the page's language. */
  renderExamples() {
    const p = this.decl.purpose;
    this.examples.hidden = !p;
    if (!p) {
      this.examples.replaceChildren();
      return;
    }
    const m = (/** @type {string} */ id) => this.host.m(id);
    this.examples.replaceChildren(
      h("p", {}, m("label.purpose-examples")),
      h("ul", {}, ...Array.from({ length: PURPOSE_EXAMPLES }, (_, i) => h("li", {}, m(`purpose.${p}.example-${i + 1}`)))),
      h("p", { "data-testid": "review-limits" }, m(`purpose.${p}.limits`)),
    );
  }

  /** The form: labelled radio groups, a checkbox, the timeline, the questions. */
  build() {
    /**
     * @param {string} name
     * @param {string} legendId message id of the legend
     * @param {[string, string][]} options value, message id
     * @param {string} checked
     */
    const radios = (name, legendId, options, checked) =>
      h(
        "fieldset",
        { "data-testid": `decl-${name}` },
        h("legend", { "data-m": legendId }),
        ...options.map(([value, id]) =>
          h(
            "label",
            { class: "choice" },
            h("input", { type: "radio", name, value, checked: value === checked }),
            h("span", { "data-m": id }),
          ),
        ),
      );
    const form = h(
      "form",
      { class: "declarations", "data-testid": "declarations", "aria-labelledby": "decl-h" },
      h("h3", { id: "decl-h", "data-t": "declarations" }),
      h("p", { class: "hint", "data-t": "declarations-hint" }),
      radios("purpose", "label.purpose", [...PURPOSES.map((p) => /** @type {[string, string]} */ ([p, `purpose.${p}`])), ["", "label.not-said"]], ""),
      radios("cancer", "label.cancer-case", [["yes", "answer.yes"], ["no", "answer.no"], ["unsure", "answer.unsure"]], "unsure"),
      radios(
        "slides",
        "label.slides",
        [["have", "slides.have"], ["requested", "slides.requested"], ["not-available", "slides.not-available"], ["", "label.not-said"]],
        "",
      ),
      h(
        "label",
        { class: "choice check" },
        h("input", { type: "checkbox", name: "treatment_history", "data-testid": "decl-treatment" }),
        h("span", { "data-t": "treatment-written" }),
      ),
      h("label", { for: "review-date", class: "field-label", "data-t": "review-date" }),
      h("input", { type: "date", id: "review-date", name: "review_date", "data-testid": "decl-review-date" }),
      radios(
        "translation",
        "label.translation",
        [["have", "translation.have"], ["not-needed", "translation.not-needed"], ["", "label.not-said"]],
        "",
      ),
      h("label", { for: "timeline", class: "field-label", "data-m": "label.timeline" }),
      h("p", { class: "hint", id: "timeline-hint", "data-t": "timeline-hint" }),
      this.draftButton,
      this.timeline,
      h(
        "fieldset",
        { "data-testid": "questions", class: "questions-box", "aria-describedby": "questions-hint" },
        h("legend", { "data-m": "label.questions" }),
        h("p", { class: "hint", id: "questions-hint", "data-t": "questions-hint" }),
        this.examples,
        this.questions,
        this.addQuestion,
      ),
    );
    form.addEventListener("submit", (e) => e.preventDefault());
    form.addEventListener("change", (e) => {
      const t = /** @type {HTMLInputElement} */ (e.target);
      if (t.name === "purpose") {
        this.decl.purpose = /** @type {Declarations["purpose"]} */ (t.value || null);
        this.renderExamples();
      } else if (t.name === "cancer") this.decl.cancer = /** @type {Declarations["cancer"]} */ (t.value);
      else if (t.name === "slides") this.decl.slides = /** @type {Declarations["slides"]} */ (t.value || null);
      else if (t.name === "translation") this.decl.translation = /** @type {Declarations["translation"]} */ (t.value || null);
      else if (t.name === "treatment_history") this.decl.treatment_history = t.checked;
      else if (t.name === "review_date") this.decl.review_date = t.value || null;
      else return;
      this.host.rebuild();
    });
    form.addEventListener("input", (e) => {
      const t = /** @type {HTMLInputElement | HTMLTextAreaElement} */ (e.target);
      if (t.id === "timeline") this.decl.timeline = t.value;
      else if (t.dataset.question !== undefined) this.questionTexts[Number(t.dataset.question)] = t.value;
      else return;
      clearTimeout(this.typingTimer);
      this.typingTimer = setTimeout(() => this.host.rebuild(), TYPING_MS);
    });
    this.addQuestion.addEventListener("click", () => {
      if (this.questionTexts.length >= MAX_QUESTIONS) return;
      this.questionTexts.push("");
      this.renderQuestions();
      const inputs = this.questions.querySelectorAll("input[data-question]");
      /** @type {HTMLInputElement} */ (inputs[inputs.length - 1])?.focus();
    });
    return form;
  }

  /**
   * The patient ticks (or unticks) an extra item of the host's profile (the checklist's
   * `extra-item` checkboxes): the report is rebuilt.
   * @param {string} id
   * @param {boolean} have
   */
  setExtraItem(id, have) {
    const ticked = (this.decl.extra_items ?? []).filter((x) => x !== id);
    this.decl.extra_items = have ? [...ticked, id] : ticked;
    this.host.rebuild();
  }

  /** The declarations as the report takes them. @returns {Declarations} */
  value() {
    return {
      ...this.decl,
      extra_items: [...(this.decl.extra_items ?? [])],
      document_categories: { ...this.decl.document_categories },
      identity: structuredClone(this.decl.identity),
      questions: this.questionTexts.map((q) => q.trim()).filter((q) => q.length > 0),
    };
  }

  /** A rebuild is under way: the one typing was waiting for is not needed. */
  stopTyping() {
    clearTimeout(this.typingTimer);
  }

  /** Forgets every answer (start over). */
  reset() {
    clearTimeout(this.typingTimer);
    this.decl = noDeclarations();
    this.questionTexts = ["", "", ""];
    this.categoryKey = "";
    this.form.reset();
    this.renderExamples();
    this.categories.replaceChildren();
    this.renderQuestions();
  }

  renderQuestions() {
    const lang = this.host.uiLang;
    this.questions.replaceChildren(
      ...this.questionTexts.map((text, i) => {
        const id = `question-${i}`;
        const input = h("input", {
          type: "text",
          id,
          maxlength: 500,
          "data-testid": "question",
          "data-question": i,
          autocomplete: "off",
        });
        input.value = text;
        const remove = h(
          "button",
          { type: "button", class: "remove", "aria-label": ui(lang, "question-remove", { n: i + 1 }) },
          "×",
        );
        remove.addEventListener("click", () => {
          this.questionTexts.splice(i, 1);
          this.renderQuestions();
          this.host.rebuild();
        });
        return h(
          "li",
          {},
          h("label", { for: id, class: "visually-hidden" }, ui(lang, "question-n", { n: i + 1 })),
          input,
          remove,
        );
      }),
    );
    this.addQuestion.disabled = this.questionTexts.length >= MAX_QUESTIONS;
  }

  /**
   * The draft timeline's button: offered while the timeline is empty and the records give dates.
   * @param {Report} report
   * @param {Api} api
   */
  renderDraft(report, api) {
    const draft = report.timeline_draft;
    this.draftText = draft.events.length > 0 ? api.timelineDraftText(draft, this.host.uiLang) : "";
    this.draftButton.hidden = this.draftText === "" || this.timeline.value.trim() !== "";
  }

  /**
   * One category choice per document, pre-filled with the report's category (the patient's
   * choice, else the suggestion from the file name). Redrawn only when the documents change,
   * or after `forgetCategories()`.
   * @param {Report} report
   */
  renderCategories(report) {
    const docs = Object.entries(report.readiness.document_categories);
    const key = `${this.host.uiLang}\n${docs.map(([p]) => p).join("\n")}`;
    if (key === this.categoryKey) {
      for (const select of this.categories.querySelectorAll("select")) {
        const cat = report.readiness.document_categories[select.dataset.path ?? ""];
        if (cat && select.value !== cat) select.value = cat;
      }
      return;
    }
    this.categoryKey = key;
    const lang = this.host.uiLang;
    if (docs.length === 0) {
      this.categories.replaceChildren();
      return;
    }
    this.categories.replaceChildren(
      h("h3", {}, ui(lang, "categories")),
      h("p", { class: "hint" }, ui(lang, "categories-hint")),
      h(
        "ul",
        { class: "category-list" },
        ...docs.map(([path, cat], i) => {
          const id = `category-${i}`;
          const select = h(
            "select",
            { id, "data-testid": "category", "data-path": path },
            ...(this.host.api?.documentCategories() ?? [cat]).map((c) =>
              h("option", { value: c }, this.host.m(`category.${c}`)),
            ),
          );
          select.value = cat;
          select.addEventListener("change", () => {
            this.decl.document_categories[path] = /** @type {Category} */ (select.value);
            this.host.rebuild();
          });
          select.setAttribute("aria-label", ui(lang, "category-for", { path }));
          return h("li", {}, h("span", { class: "path", id: `${id}-path` }, path), select);
        }),
      ),
    );
  }

  /** The categories are drawn again at the next report (a new language). */
  forgetCategories() {
    this.categoryKey = "";
  }
}
