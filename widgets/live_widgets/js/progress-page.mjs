// @ts-check
/* The student's progress in the page: widgets record answers here (`recordProgress`),
 * each lesson's "Your progress" line and the progress page show them. Nothing here is
 * tied to one page's lifetime: the store is read afresh each time, and the two listeners
 * (this page's `lw:progress` events and other tabs' `storage` events) are installed once
 * and redraw whatever progress elements the document holds at that moment, so an article
 * swapped in without a full load is served too. */

import { actionButton, el } from "./dom.mjs";
import { CODE_FIELDS, ProgressStore, STORAGE_KEY, decodeSummary, encodeSummary, lessonCounts, pageKey } from "./progress-store.mjs";

/** @import { DecodedSummary, LessonCounts, LessonItems, ProgressEvent } from "./progress-store.mjs" */
/** @typedef {LessonItems & {page: string, number: number, title: string, href: string}} ManifestLesson */

/** The name of the event a recorded answer dispatches on `document` (detail: {page, event}). */
export const PROGRESS_EVENT = "lw:progress";

// The head's stand-in for a refused storage (early_start.py, THEME_GUARD) keeps nothing
// beyond the page: the store treats it as no storage, so the progress page says so.
const store = new ProgressStore(() => (/** @type {any} */ (window.localStorage).lwInMemory ? null : window.localStorage));

/**
 * The site root: `_static/` (where this script is) is one level below it. Looked up when
 * needed, not through config.mjs, so the widgets that record progress still import in
 * `node --test` (config.mjs reads the page's script tag as it loads).
 */
function siteRoot() {
  const script = /** @type {HTMLScriptElement | null} */ (document.querySelector('script[src*="live-widgets.js"]'));
  return new URL("../", script ? script.src : window.location.href).href;
}

/**
 * Record one answer of the page being read. Never throws: progress must not break a widget.
 * @param {ProgressEvent} event
 */
export function recordProgress(event) {
  try {
    const page = pageKey(window.location.href, siteRoot());
    store.record(page, event);
    document.dispatchEvent(new CustomEvent(PROGRESS_EVENT, { detail: { page, event } }));
  } catch (error) {
    console.error("progress not recorded:", error);
  }
}

/** @param {number} n @param {string} one @param {string} many */
function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * "Your progress: 1 of 2 prompts answered (1 guess right); 3 of 5 quiz questions right
 * first time; exercise passed."
 * @param {LessonCounts} c
 */
export function progressLineText(c) {
  const parts = [];
  if (c.prompts > 0) {
    let text = `${c.answered} of ${plural(c.prompts, "prompt", "prompts")} answered`;
    if (c.scored > 0) text += ` (${plural(c.right, "guess", "guesses")} right)`;
    parts.push(text);
  }
  if (c.questions > 0) parts.push(`${c.firstTry} of ${plural(c.questions, "quiz question", "quiz questions")} right first time`);
  if (c.exercises === 1) parts.push(c.passed ? "exercise passed" : "exercise not passed yet");
  else if (c.exercises > 1) parts.push(`${c.passed} of ${c.exercises} exercises passed`);
  if (parts.length === 0) return "Your progress: this lesson has no prompts, quiz or exercise.";
  return `Your progress: ${parts.join("; ")}.`;
}

/** @param {Element} line */
function drawLine(line) {
  const text = line.querySelector(".lw-progress-text");
  if (!(line instanceof HTMLElement) || !text) return;
  /** @type {LessonItems} */
  let items;
  try {
    items = JSON.parse(line.dataset.lwItems || "");
  } catch {
    return; // the build always writes it; a hand-made page without it keeps its words
  }
  const counts = lessonCounts(store.load(), line.dataset.lwPage || "", items);
  text.textContent = progressLineText(counts);
}

/** Redraw every progress element in the document now. */
function redraw() {
  for (const line of document.querySelectorAll(".lw-progress-line")) drawLine(line);
  for (const page of document.querySelectorAll(".lw-progress-page")) {
    if (page instanceof HTMLElement) pages.get(page)?.draw();
  }
}

/** @type {WeakMap<HTMLElement, ProgressPage>} */
const pages = new WeakMap();
let listening = false;

/**
 * Show progress in the document: every lesson line, and the progress page if this is it.
 * Safe to call again after an article is swapped in (each element is set up once).
 */
export function setUpProgress() {
  if (!listening) {
    listening = true;
    document.addEventListener(PROGRESS_EVENT, redraw);
    window.addEventListener("storage", (event) => {
      if (event.key === STORAGE_KEY || event.key === null) redraw();
    });
  }
  for (const root of document.querySelectorAll(".lw-progress-page")) {
    if (root instanceof HTMLElement && !pages.has(root)) {
      try {
        pages.set(root, new ProgressPage(root));
      } catch (error) {
        root.dataset.lwState = "error";
        root.append(el("p", { class: "lw-status" }, `The progress page could not start: ${error instanceof Error ? error.message : String(error)}`));
      }
    }
  }
  redraw();
}

/** Today in the reader's calendar, as YYYY-MM-DD. */
function today() {
  const now = new Date();
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** @param {number} n @param {number} total */
function ofTotal(n, total) {
  return total === 0 ? "–" : `${n} of ${total}`;
}

/** The columns of the summary table, and of a decoded code (same order as CODE_FIELDS). */
function tableHead() {
  const row = el("tr");
  for (const column of ["Lesson", "Prompts answered", "Guesses right", "Quiz right first time", "Exercises passed"]) {
    row.append(el("th", { scope: "col" }, column));
  }
  const head = el("thead");
  head.append(row);
  return head;
}

/** The progress page: the summary table, name, date and code; print; forget; verify. */
class ProgressPage {
  /** @param {HTMLElement} root */
  constructor(root) {
    this.root = root;
    const data = JSON.parse(root.querySelector("script.lw-progress-manifest")?.textContent || "null");
    if (!data || !Array.isArray(data.lessons)) throw new Error("no lesson list (lw-progress-manifest) in the page");
    /** @type {ManifestLesson[]} */
    this.lessons = data.lessons;
    root.querySelector(".lw-progress-needs-js")?.remove();
    const id = root.id || "progress";

    this.storageNote = el("p", { class: "lw-progress-storage-note", role: "note", hidden: true },
      "This browser does not let the page keep your progress (a private window, or storage switched off): what you do now is shown until you close the page, then forgotten.");
    this.summary = el("section", { class: "lw-progress-summary", "aria-labelledby": `${id}-summary-title` });
    const title = el("h2", { id: `${id}-summary-title` }, "Progress summary: Deep Revolution");
    this.nameInput = /** @type {HTMLInputElement} */ (el("input", { type: "text", id: `${id}-name`, autocomplete: "name", maxlength: "200" }));
    const nameField = el("p", { class: "lw-progress-name" });
    nameField.append(el("label", { for: `${id}-name` }, "Your name "), this.nameInput);
    this.nameInput.addEventListener("input", () => {
      store.setName(this.nameInput.value);
      this.drawCode();
    });
    this.date = el("p", { class: "lw-progress-date" });
    this.table = el("table", { class: "lw-data lw-progress-table" });
    this.scoringNote = el("p", { class: "lw-progress-note" },
      "A guess counts as right or wrong only when you made it at the lesson's own settings, where the lesson says which answer is right; other guesses count as answered.");
    this.code = el("p", { class: "lw-progress-code" });
    const codeNote = el("p", { class: "lw-progress-note" },
      "The summary code spells out the numbers above, the date and a check over them and your name, so your teacher can spot a copy that was edited. It is not a security measure: anyone who reads this page's script can make a matching code.");
    this.summary.append(title, nameField, this.date, this.table, this.scoringNote, this.code, codeNote);

    const actions = el("div", { class: "lw-actions lw-progress-actions" });
    const print = actionButton("print", "Print or save as PDF", () => window.print());
    this.forgetButton = actionButton("forget", "Forget my progress", () => this.askToForget());
    actions.append(print, this.forgetButton);

    this.confirm = el("div", { class: "lw-progress-confirm", role: "alertdialog", "aria-labelledby": `${id}-confirm-text`, hidden: true });
    const confirmText = el("p", { id: `${id}-confirm-text` }, "Forget all your answers on every lesson, and your name, in this browser? This cannot be undone.");
    const yes = actionButton("confirm-forget", "Yes, forget my progress", () => this.forget());
    this.keepButton = actionButton("keep", "No, keep it", () => this.closeConfirm("Nothing was forgotten."));
    this.confirm.addEventListener("keydown", (event) => {
      if (/** @type {KeyboardEvent} */ (event).key === "Escape") this.closeConfirm("Nothing was forgotten.");
    });
    this.confirm.append(confirmText, yes, this.keepButton);
    this.status = el("p", { class: "lw-status", role: "status", "aria-live": "polite" });

    store.probe();
    root.append(this.storageNote, this.summary, actions, this.confirm, this.status, this.verifier(id));
    root.dataset.lwState = "ready";
    this.draw();
  }

  askToForget() {
    this.confirm.hidden = false;
    this.keepButton.focus(); // the safe choice has focus: Enter by habit keeps the progress
  }

  /** @param {string} message */
  closeConfirm(message) {
    this.confirm.hidden = true;
    this.status.textContent = message;
    this.forgetButton.focus();
  }

  forget() {
    store.forget();
    this.nameInput.value = "";
    this.draw();
    this.closeConfirm("Your progress and name were forgotten in this browser.");
    document.dispatchEvent(new CustomEvent(PROGRESS_EVENT, { detail: { page: "", event: null } }));
  }

  /** The counts of every lesson, in the manifest's order. */
  counts() {
    const progress = store.load();
    return this.lessons.map((lesson) => lessonCounts(progress, lesson.page, lesson));
  }

  draw() {
    const progress = store.load();
    this.storageNote.hidden = store.persistent;
    if (document.activeElement !== this.nameInput) this.nameInput.value = progress.name;
    this.date.textContent = `Date: ${today()}`;
    const counts = this.counts();
    const head = tableHead();
    const body = el("tbody");
    this.lessons.forEach((lesson, i) => {
      const c = counts[i];
      const row = el("tr", { "data-lw-page": lesson.page });
      const name = el("th", { scope: "row" });
      name.append(el("a", { href: lesson.href }, `${lesson.number}. ${lesson.title}`));
      row.append(name,
        el("td", {}, ofTotal(c.answered, c.prompts)),
        el("td", {}, c.scored === 0 ? (c.answered === 0 ? "–" : "not scored") : `${c.right} of ${c.scored}`),
        el("td", {}, ofTotal(c.firstTry, c.questions)),
        el("td", {}, ofTotal(c.passed, c.exercises)));
      body.append(row);
    });
    const sum = (/** @type {keyof LessonCounts} */ key) => counts.reduce((total, c) => total + c[key], 0);
    const foot = el("tfoot");
    const total = el("tr");
    total.append(el("th", { scope: "row" }, "All lessons"),
      el("td", {}, ofTotal(sum("answered"), sum("prompts"))),
      el("td", {}, sum("scored") === 0 ? "–" : `${sum("right")} of ${sum("scored")}`),
      el("td", {}, ofTotal(sum("firstTry"), sum("questions"))),
      el("td", {}, ofTotal(sum("passed"), sum("exercises"))));
    foot.append(total);
    this.table.replaceChildren(el("caption", {}, "What you did in each lesson, as kept in this browser"), head, body, foot);
    this.drawCode();
  }

  drawCode() {
    const lessons = this.counts().map((c) => CODE_FIELDS.map((field) => c[field]));
    try {
      this.code.textContent = `Summary code: ${encodeSummary({ name: this.nameInput.value, date: today(), lessons })}`;
    } catch (error) {
      this.code.textContent = `No summary code: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /**
   * "For teachers: check a summary code": decode a code with the name on the sheet.
   * @param {string} id
   */
  verifier(id) {
    const box = el("details", { class: "lw-progress-verify" });
    box.append(el("summary", {}, "For teachers: check a summary code"));
    box.append(el("p", {}, "Type the name and the summary code from a printed summary. If they match, the numbers the code holds are shown: compare them with the sheet."));
    const form = el("form", { class: "lw-progress-verify-form", "aria-label": "Check a summary code" });
    const name = /** @type {HTMLInputElement} */ (el("input", { type: "text", id: `${id}-verify-name`, autocomplete: "off" }));
    const code = /** @type {HTMLInputElement} */ (el("input", { type: "text", id: `${id}-verify-code`, autocomplete: "off", spellcheck: "false" }));
    const nameRow = el("p");
    nameRow.append(el("label", { for: `${id}-verify-name` }, "Name on the sheet "), name);
    const codeRow = el("p");
    codeRow.append(el("label", { for: `${id}-verify-code` }, "Summary code "), code);
    const button = el("button", { type: "submit", class: "lw-button", "data-lw-action": "verify" }, "Check the code");
    const result = el("div", { class: "lw-progress-verify-result", "aria-live": "polite" });
    form.append(nameRow, codeRow, button);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.showDecoded(result, decodeSummary(code.value, name.value));
    });
    box.append(form, result);
    return box;
  }

  /**
   * @param {HTMLElement} result
   * @param {DecodedSummary} decoded
   */
  showDecoded(result, decoded) {
    if (!decoded.ok) {
      result.dataset.lwResult = "mismatch";
      result.replaceChildren(el("p", {}, decoded.reason));
      return;
    }
    result.dataset.lwResult = "match";
    const table = el("table", { class: "lw-data lw-progress-table" });
    table.append(el("caption", {}, `The code matches the name. It holds these numbers, for ${decoded.date}:`));
    const head = tableHead();
    const body = el("tbody");
    decoded.lessons.forEach((numbers, i) => {
      const row = el("tr");
      const lesson = this.lessons[i];
      row.append(el("th", { scope: "row" }, lesson ? `${lesson.number}. ${lesson.title}` : `Lesson ${i + 1}`));
      for (const n of numbers) row.append(el("td", {}, String(n)));
      body.append(row);
    });
    table.append(head, body);
    const parts = [table];
    if (decoded.lessons.length !== this.lessons.length) {
      parts.push(el("p", {}, `This code was made when the book had ${decoded.lessons.length} lessons; it has ${this.lessons.length} now, so the lesson names above may not line up.`));
    }
    result.replaceChildren(...parts);
  }
}
