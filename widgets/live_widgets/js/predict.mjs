// @ts-check
/* "Predict, then run": the chart, readout and table stay hidden until the reader
 * commits a guess, and so does the lesson text written for after the guess
 * (`<div class="lw-after-guess" data-lw-after="NAME">`, after_guess.py). Works with the
 * build-time result, so it needs no runtime. */

import { actionButton, decodePayload, el } from "./dom.mjs";
import { recordProgress } from "./progress-page.mjs";

/** The heading of the section that prints the after-guess texts at the end of the page. */
const PRINT_HEADING = "For teachers: what the predict prompts show";

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
    /** Lesson text about the result, hidden until the guess, with its stand-ins. */
    /** @type {{block: HTMLElement, standIn: HTMLElement, printed: HTMLElement | null}[]} */
    this.afterGuess = [];
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
    /** The result's copy at the end of the page, printed while the prompt waits. */
    /** @type {HTMLElement | null} */
    this.printedResult = this.printResult();
    if (root.id) this.holdBackAfterGuess(root.id);
  }

  /**
   * On paper a waiting prompt prints open, so its result (the build-time picture, the
   * readout, the caption) prints in the end section for the teacher instead of beside
   * the question; live-widgets.css hides it in place. Every chart still prints.
   */
  printResult() {
    const parts = [":scope > .lw-static-chart", ":scope > .lw-readout", ":scope > .lw-caption"]
      .map((selector) => this.root.querySelector(selector))
      .filter((part) => part !== null);
    if (!parts.length) return null;
    const copies = parts.map((part) => {
      const copy = /** @type {HTMLElement} */ (part.cloneNode(true));
      for (const withId of [copy, ...copy.querySelectorAll("[id]")]) withId.removeAttribute("id");
      return copy;
    });
    return this.printItem(copies);
  }

  /**
   * Hide the text that discusses the result until the guess is in. On screen a one-line
   * stand-in says where it went; on paper it prints at the end of the page, so a
   * printed lesson keeps its prompts open and its answers together for the teacher.
   * @param {string} name
   */
  holdBackAfterGuess(name) {
    const blocks = /** @type {HTMLElement[]} */ ([...document.querySelectorAll(".lw-after-guess[data-lw-after]")]);
    for (const block of blocks.filter((b) => b.dataset.lwAfter === name)) {
      block.hidden = true;
      const standIn = el("p", { class: "lw-after-guess-wait" }, "The discussion of this result opens when you make your guess in the prompt above.");
      block.before(standIn);
      this.afterGuess.push({ block, standIn, printed: this.printCopy(block) });
    }
  }

  /**
   * A copy of `block` in the page's end section for print (hidden on screen by CSS).
   * @param {HTMLElement} block
   */
  printCopy(block) {
    const copy = /** @type {HTMLElement} */ (block.cloneNode(true));
    copy.hidden = false;
    copy.removeAttribute("data-lw-after"); // the copy is not itself held back
    for (const withId of copy.querySelectorAll("[id]")) withId.removeAttribute("id");
    // under the prompt's printed result, when it has one: one entry per prompt
    if (this.printedResult) {
      this.printedResult.append(copy);
      return null;
    }
    return this.printItem([copy]);
  }

  /**
   * One entry of the page's end section, "After the prompt …:" and `content`.
   * @param {HTMLElement[]} content
   */
  printItem(content) {
    const article = document.querySelector("article") || document.querySelector("main");
    if (!article) return null;
    let section = /** @type {HTMLElement | null} */ (article.querySelector(":scope > .lw-print-answers"));
    if (!section) {
      section = el("section", { class: "lw-print-answers", "aria-hidden": "true" });
      section.append(el("h2", {}, PRINT_HEADING));
      article.append(section);
    }
    const legend = this.fieldset?.querySelector("legend")?.textContent?.trim() || this.root.id;
    const item = el("div", { class: "lw-print-answer" });
    if (this.root.id) item.dataset.lwFor = this.root.id;
    item.append(el("p", { class: "lw-print-prompt" }, `After the prompt “${legend}”:`));
    item.append(...content);
    section.append(item);
    return item;
  }

  /** Show the held-back text in place, and drop the printed copies (result and text). */
  releaseAfterGuess() {
    const printed = [this.printedResult];
    for (const held of this.afterGuess) {
      held.block.hidden = false;
      held.standIn.remove();
      printed.push(held.printed);
    }
    for (const item of printed) {
      const section = item?.parentElement;
      item?.remove();
      if (section && !section.querySelector(".lw-print-answer")) section.remove();
    }
    this.printedResult = null;
    this.afterGuess = [];
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
    note.textContent = `Your guess: ${label}. Compare it with the result below.`;
    recordProgress({ kind: "predict", id: this.root.id, right: this.score(Number(chosen.value)) });
    this.finish(radios);
  }

  /**
   * Whether the guess is right, for the progress page: only at the lesson's own settings,
   * where the author named the right choice (`:predict-answer:`); null elsewhere, since
   * the right choice can change with the settings.
   * @param {number} choice
   * @returns {boolean | null}
   */
  score(choice) {
    const answer = decodePayload(this.fieldset?.dataset.lwPayload)?.answer;
    if (typeof answer !== "number") return null;
    // a share link to this widget may have set a setting the form does not show
    if (window.location.hash.startsWith(`#${this.root.id}?`)) return null;
    const form = this.root.querySelector(":scope > form.lw-controls");
    const controls = /** @type {HTMLInputElement[]} */ ([...(form?.querySelectorAll("input, select") || [])]);
    const changed = controls.some((control) =>
      control instanceof HTMLSelectElement
        ? [...control.options].some((option) => option.selected !== option.defaultSelected)
        : control.type === "checkbox" ? control.checked !== control.defaultChecked : control.value !== control.defaultValue,
    );
    return changed ? null : choice === answer;
  }

  /**
   * Open the result without a guess: a share link shows its result at once (a teacher
   * demonstrating), unless the link asks to keep the prompt.
   * @param {string} why what the prompt's note says instead of "Your guess"
   */
  skip(why) {
    if (!this.pending || !this.fieldset) return;
    /** @type {HTMLElement} */ (this.note).textContent = why;
    this.finish(/** @type {HTMLInputElement[]} */ ([...this.fieldset.querySelectorAll('input[type="radio"]')]));
  }

  /** @param {HTMLInputElement[]} radios */
  finish(radios) {
    const fieldset = /** @type {HTMLFieldSetElement} */ (this.fieldset);
    for (const radio of radios) radio.disabled = true;
    fieldset.querySelector('[data-lw-action="show-result"]')?.setAttribute("disabled", "");
    this.root.dataset.lwPredict = "done";
    this.pending = false;
    this.releaseAfterGuess();
    this.onReveal();
  }
}
