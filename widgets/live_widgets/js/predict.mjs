// @ts-check
/* "Predict, then run": the chart, readout and table stay hidden until the reader
 * commits a guess. Works with the build-time result, so it needs no runtime. */

import { actionButton, el } from "./dom.mjs";

export class PredictPrompt {
  /**
   * @param {HTMLElement} root
   * @param {() => void} onReveal
   */
  constructor(root, onReveal) {
    this.root = root;
    this.onReveal = onReveal;
    /** @type {HTMLFieldSetElement | null} */
    this.fieldset = root.querySelector(":scope > fieldset.lw-predict");
    this.pending = Boolean(this.fieldset);
    /** @type {HTMLElement | null} */
    this.note = null;
    if (!this.fieldset) return;
    root.dataset.lwPredict = "pending";
    let button = this.fieldset.querySelector('[data-lw-action="show-result"]');
    if (!button) {
      button = actionButton("show-result", "Show the result", () => {});
      this.fieldset.append(button);
    }
    this.note = el("p", { class: "lw-predict-note", "aria-live": "polite" });
    this.fieldset.append(this.note);
    button.addEventListener("click", () => this.commit());
  }

  commit() {
    const fieldset = /** @type {HTMLFieldSetElement} */ (this.fieldset);
    const radios = /** @type {HTMLInputElement[]} */ ([...fieldset.querySelectorAll('input[type="radio"]')]);
    const chosen = radios.find((r) => r.checked);
    const note = /** @type {HTMLElement} */ (this.note);
    if (!chosen) {
      note.textContent = "Choose one guess first: committing to it is the point.";
      return;
    }
    const label = chosen.labels?.[0]?.textContent || chosen.value;
    for (const radio of radios) radio.disabled = true;
    fieldset.querySelector('[data-lw-action="show-result"]')?.setAttribute("disabled", "");
    note.textContent = `Your guess: ${label}. Compare it with the result below.`;
    this.root.dataset.lwPredict = "done";
    this.pending = false;
    this.onReveal();
  }
}
