// @ts-check
/**
 * Building the page's elements: `h()` (an element with attributes and children; strings become
 * text nodes, never HTML) and `progressBox()` (the progress bars of the scan, the bundle and the
 * upload share one form).
 */

/**
 * An element with attributes and children; strings become text nodes (never HTML).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string | number | boolean | null | undefined>} [attrs]
 * @param {...(Node | string | null | undefined | false)} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child !== null && child !== undefined && child !== false) el.append(child);
  }
  return el;
}

/**
 * A progress box, hidden: a label for screen readers (`data-t` `<name>-label`), the
 * `<progress>` (id and `data-testid` `<name>`), and a line with its text (`<name>-text`) and
 * the controls given. The box's `data-testid` is `<name>-box`.
 * @param {string} name
 * @param {...Node} controls
 */
export function progressBox(name, ...controls) {
  const bar = h("progress", { id: name, "data-testid": name, max: 1, value: 0 });
  const text = h("span", { class: "progress-text", "data-testid": `${name}-text` });
  const box = h(
    "div",
    { class: "progress", "data-testid": `${name}-box`, hidden: true },
    h("label", { for: name, class: "visually-hidden", "data-t": `${name}-label` }),
    bar,
    h("div", { class: "progress-line" }, text, ...controls),
  );
  return { box, bar, text };
}
