// @ts-check
/* Quizzes: checked in the page, no runtime needed. */

import { decodePayload, el, setState } from "./dom.mjs";
import { recordProgress } from "./progress-page.mjs";

/**
 * Read a number the way students type it: "9.09e-13", "9.09 × 10^-13", "0,5" is not
 * accepted (ambiguous), a typographic minus is. Null when it is not a number.
 * @param {string} text
 */
export function parseNumberAnswer(text) {
  const cleaned = text
    .trim()
    .replace(/[−–]/g, "-")
    .replace(/\s+/g, "")
    .replace(/^(-?[\d.]+)[x×*]10\^?\(?(-?\d+)\)?$/i, "$1e$2");
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(cleaned)) return null;
  return Number(cleaned);
}

/**
 * @param {number} given
 * @param {number} expected
 * @param {number} tolerance relative (absolute when the answer is 0)
 */
export function withinTolerance(given, expected, tolerance) {
  if (expected === 0) return Math.abs(given) <= tolerance;
  return Math.abs(given - expected) <= tolerance * Math.abs(expected) * (1 + 1e-12);
}

/** @typedef {{answer?: number, number?: number, tolerance?: number, explain?: string, hint?: string}} Answer */

/**
 * What a question says after a check. Teaching without telling: a wrong answer gets the
 * hint (written not to contain the answer, quiz_hints.py), never the explanation, which
 * holds the answer; the explanation comes after a right answer or when the reader gives
 * up with "Show the answer".
 * @param {boolean} correct
 * @param {Answer} answer
 */
export function feedbackText(correct, answer) {
  if (correct) return answer.explain ? `Correct. ${answer.explain}` : "Correct.";
  return answer.hint ? `Not quite. Hint: ${answer.hint}` : "Not quite. Have another go.";
}

export class QuizWidget {
  /** @param {HTMLElement} root */
  constructor(root) {
    const answers = decodePayload(root.dataset.lwPayload);
    if (!Array.isArray(answers)) throw new Error(`quiz #${root.id} has no data-lw-payload list (ARCHITECTURE §5)`);
    const questions = /** @type {HTMLFieldSetElement[]} */ ([...root.querySelectorAll("fieldset.lw-question")]);
    questions.forEach((question, i) => this.setUpQuestion(question, answers[i]));
    setState(root, "ready");
  }

  /**
   * @param {HTMLFieldSetElement} question
   * @param {Answer} answer
   */
  setUpQuestion(question, answer) {
    let button = question.querySelector("button");
    if (!button) {
      button = /** @type {HTMLButtonElement} */ (el("button", { type: "button", class: "lw-button" }, "Check"));
      question.append(button);
    }
    button.setAttribute("data-lw-action", "check");
    button.setAttribute("type", "button");
    const feedback = /** @type {HTMLElement} */ (question.querySelector(".lw-quiz-feedback") || el("p", { class: "lw-quiz-feedback", "aria-live": "polite" }));
    // Offered once the reader has tried: giving up is allowed, but not the first move.
    const giveUp = /** @type {HTMLButtonElement} */ (el("button", { type: "button", class: "lw-button lw-show-answer", "data-lw-action": "show-answer", hidden: true }, "Show the answer"));
    button.after(giveUp);
    question.append(feedback);
    button.addEventListener("click", () => this.check(question, answer, feedback, giveUp));
    giveUp.addEventListener("click", () => this.reveal(question, answer, feedback, giveUp));
    const numberInput = question.querySelector('input:not([type="radio"])');
    numberInput?.addEventListener("keydown", (event) => {
      if (/** @type {KeyboardEvent} */ (event).key === "Enter") {
        event.preventDefault();
        this.check(question, answer, feedback, giveUp);
      }
    });
  }

  /**
   * @param {HTMLFieldSetElement} question
   * @param {Answer} answer
   * @param {HTMLElement} feedback
   * @param {HTMLButtonElement} giveUp
   */
  check(question, answer, feedback, giveUp) {
    let correct;
    if (typeof answer.number === "number") {
      const input = /** @type {HTMLInputElement | null} */ (question.querySelector('input:not([type="radio"])'));
      const given = input ? parseNumberAnswer(input.value) : null;
      if (given === null) {
        feedback.textContent = "Type a number, for example 0.002 or 2e-3.";
        delete question.dataset.lwResult;
        return;
      }
      correct = withinTolerance(given, answer.number, answer.tolerance ?? 0);
    } else {
      const radios = /** @type {HTMLInputElement[]} */ ([...question.querySelectorAll('input[type="radio"]')]);
      const chosen = radios.findIndex((radio) => radio.checked);
      if (chosen < 0) {
        feedback.textContent = "Choose an answer first.";
        delete question.dataset.lwResult;
        return;
      }
      correct = chosen === answer.answer;
    }
    question.dataset.lwResult = correct ? "correct" : "incorrect";
    const quiz = question.closest(".lw-widget");
    if (quiz?.id && !question.dataset.lwRevealed) recordProgress({ kind: "quiz", id: `${quiz.id}-q${question.dataset.lwQuestion}`, correct });
    feedback.textContent = feedbackText(correct, answer);
    giveUp.hidden = correct;
  }

  /**
   * The reader gives up: the answer and its explanation.
   * @param {HTMLFieldSetElement} question
   * @param {Answer} answer
   * @param {HTMLElement} feedback
   * @param {HTMLButtonElement} giveUp
   */
  reveal(question, answer, feedback, giveUp) {
    let shown = "";
    if (typeof answer.number === "number") shown = String(answer.number);
    else if (typeof answer.answer === "number") {
      const radio = /** @type {HTMLInputElement | undefined} */ ([...question.querySelectorAll('input[type="radio"]')][answer.answer]);
      shown = radio?.labels?.[0]?.textContent?.trim() || "";
    }
    question.dataset.lwRevealed = "true";
    feedback.textContent = `The answer: ${shown}.${answer.explain ? ` ${answer.explain}` : ""}`;
    giveUp.hidden = true;
  }
}
