// @ts-check
/* Exercises: checks run in the worker against the reader's code, with hints and a model
 * solution. */

import { actionButton, bumpRenders, decodePayload, el, lastLine, messageOf, setState, settle, statusLine } from "./dom.mjs";
import { RuntimeRestarted } from "./errors.mjs";
import { recordProgress } from "./progress-page.mjs";
import { followRuntime } from "./status.mjs";

/** @import { Runtime } from "./runtime.mjs" */
/** @import { Notebook } from "./notebook.mjs" */
/** @import { CellWidget } from "./cell-widget.mjs" */

/** @typedef {{checks: Array<{name: string, code: string}>, hints: string[], solution: string}} ExercisePayload */
/** @typedef {{passed: boolean, checks: Array<{name: string, passed: boolean, message: string}>, stdout?: string, error?: string | null}} CheckReport */

export class ExerciseWidget {
  /**
   * @param {HTMLElement} root
   * @param {Runtime} runtime
   * @param {Notebook} notebook
   * @param {CellWidget | undefined} cell the nested cell with the starter code
   */
  constructor(root, runtime, notebook, cell) {
    this.root = root;
    this.runtime = runtime;
    this.notebook = notebook;
    this.cell = cell;
    const payload = decodePayload(root.dataset.lwPayload);
    if (!payload) throw new Error(`exercise #${root.id} has no data-lw-payload (ARCHITECTURE §5)`);
    /** @type {ExercisePayload} */
    this.payload = payload;
    this.hintsShown = 0;

    const actions = el("div", { class: "lw-actions lw-exercise-actions" });
    this.checkButton = actionButton("check", "Check my code", () => this.check());
    this.hintButton = actionButton("hint", "Show a hint", () => this.showHint());
    this.solutionButton = actionButton("solution", "Show the solution", () => this.showSolution("on request"));
    this.checkButton.disabled = true;
    this.hintButton.hidden = payload.hints.length === 0;
    actions.append(this.checkButton, this.hintButton, this.solutionButton);
    this.status = statusLine(root);
    this.feedback = el("ul", { class: "lw-feedback", "aria-live": "polite" });
    this.hints = el("ol", { class: "lw-hints", "aria-live": "polite" });
    this.solution = el("div", { class: "lw-solution", hidden: true });
    root.append(actions, this.status, this.feedback, this.hints, this.solution);

    runtime.subscribe((event) =>
      followRuntime(root, event, {
        onReady: () => (this.checkButton.disabled = false),
        onFail: () => (this.checkButton.disabled = true),
        // the cell inside says how start-up goes, right under the code (said once)
        quiet: cell ? "Check my code needs live Python, which could not start (see above)." : undefined,
      }),
    );
  }

  async check() {
    if (!this.cell) return;
    setState(this.root, "busy");
    this.checkButton.disabled = true;
    this.status.textContent = "Checking…";
    try {
      /** @type {CheckReport} */
      const report = await this.notebook.check(this.cell.getCode(), this.payload.checks);
      this.showReport(report);
      bumpRenders(this.root);
    } catch (error) {
      this.status.textContent = error instanceof RuntimeRestarted ? "Python was restarted; press Check again." : `Could not check: ${messageOf(error)}`;
    } finally {
      this.checkButton.disabled = this.runtime.state !== "ready";
      settle(this.root, this.runtime.state);
    }
  }

  /** @param {CheckReport} report */
  showReport(report) {
    this.root.dataset.lwResult = report.passed ? "passed" : "failed";
    this.feedback.replaceChildren();
    for (const check of report.checks) {
      const item = el("li", { "data-lw-passed": String(Boolean(check.passed)) });
      item.append(el("span", { class: "lw-mark", "aria-hidden": "true" }, check.passed ? "✓" : "✗"));
      item.append(el("span", { class: "lw-sr-only" }, check.passed ? "Passed: " : "Not yet: "));
      item.append(document.createTextNode(check.name));
      if (check.message && !check.passed) item.append(el("span", { class: "lw-check-message" }, ` — ${check.message}`));
      this.feedback.append(item);
    }
    if (report.error) this.feedback.append(el("li", { "data-lw-passed": "false" }, `Your code raised an error: ${lastLine(report.error)}`));
    const passedCount = report.checks.filter((c) => c.passed).length;
    this.status.textContent = report.passed
      ? "All checks passed. Well done!"
      : `${passedCount} of ${report.checks.length} checks passed. Read the feedback, change your code and check again.`;
    if (report.passed) {
      recordProgress({ kind: "exercise", id: this.root.id, passed: true });
      this.showSolution("after success");
    }
  }

  showHint() {
    const hints = this.payload.hints;
    if (this.hintsShown >= hints.length) return;
    this.hints.append(el("li", {}, hints[this.hintsShown]));
    this.hintsShown += 1;
    this.hintButton.textContent = this.hintsShown < hints.length ? `Another hint (${this.hintsShown} of ${hints.length} shown)` : "All hints shown";
    this.hintButton.disabled = this.hintsShown >= hints.length;
  }

  /** @param {"on request" | "after success"} when */
  showSolution(when) {
    if (!this.solution.hidden) return;
    const heading = when === "after success" ? "A model solution to compare with yours:" : "A model solution:";
    const code = el("pre", { class: "lw-solution-code" });
    code.append(el("code", {}, this.payload.solution));
    const load = actionButton("load-solution", "Put the solution in the editor", () => {
      this.cell?.setCode(this.payload.solution);
      this.cell?.save(this.payload.solution);
    });
    this.solution.replaceChildren(el("p", {}, heading), code, load);
    this.solution.hidden = false;
    this.solutionButton.disabled = true;
  }
}
