// @ts-check
/* A live code cell: an editor, Run / Stop / Reset, and its output as text and charts.
 * Edits are kept in localStorage for the same original code. */

import { drawFigure, forgetFigure } from "./charts.mjs";
import { actionButton, bumpRenders, el, messageOf, readInitial, setState, settle, statusLine } from "./dom.mjs";
import { RuntimeRestarted } from "./errors.mjs";
import { drawBuildTimeChart, loadEditor, mountWhenNearOrIdle } from "./schedule.mjs";
import { followRuntime, runSummary } from "./status.mjs";

/** @import { Runtime } from "./runtime.mjs" */
/** @import { Notebook } from "./notebook.mjs" */

const STORAGE_PREFIX = "deep-revolution:cell:";

/** localStorage can be missing or throw (private mode, disabled storage). */
const storage = {
  /** @param {string} key */
  get(key) {
    try {
      const text = window.localStorage.getItem(key);
      return text ? JSON.parse(text) : null;
    } catch {
      return null;
    }
  },
  /** @param {string} key @param {any} value */
  set(key, value) {
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
    } catch {
      // Full or disabled storage: edits simply do not survive a reload.
    }
  },
  /** @param {string} key */
  remove(key) {
    try {
      window.localStorage.removeItem(key);
    } catch {
      // as above
    }
  },
};

/** @import { CellOutput } from "./status.mjs" */

export class CellWidget {
  /**
   * @param {HTMLElement} root
   * @param {Runtime} runtime
   * @param {Notebook} notebook
   */
  constructor(root, runtime, notebook) {
    this.root = root;
    this.runtime = runtime;
    this.notebook = notebook;
    this.initial = readInitial(root);
    this.index = Number(root.dataset.lwIndex || "0");
    this.key = root.id || `cell-${this.index}`;
    this.storageKey = `${STORAGE_PREFIX}${window.location.pathname}#${this.key}`;
    this.insideExercise = Boolean(root.parentElement?.closest('.lw-widget[data-lw-kind="exercise"]'));
    /** @type {string} */
    this.code = this.initial.code;
    /** Runtime generation in which this cell last ran (0 = not in this namespace). */
    this.ranIn = 0;
    /** Counts drawFigures calls, so an older, slower call stops drawing. */
    this.figureDrawing = 0;
    /** @type {any} */
    this.editor = null;
    this.source = /** @type {HTMLElement | null} */ (root.querySelector(":scope > pre.lw-source"));
    this.output = /** @type {HTMLElement} */ (root.querySelector(":scope > .lw-output") || el("div", { class: "lw-output", "aria-live": "polite" }));
    if (!this.output.isConnected) root.append(this.output);

    this.toolbar = el("div", { class: "lw-actions lw-cell-actions" });
    this.runButton = actionButton("run", "Run", () => this.requestRun());
    this.stopButton = actionButton("stop", "Stop", () => this.stop());
    this.resetButton = actionButton("reset", "Reset code", () => this.reset());
    this.runButton.title = "Run this cell (Shift+Enter in the editor)";
    this.stopButton.disabled = true;
    this.toolbar.append(this.runButton, this.stopButton, this.resetButton);
    this.notice = el("p", { class: "lw-notice", hidden: true });
    // Order: code (editor), buttons, notices, status, output, as in a notebook.
    this.output.before(this.toolbar);
    this.toolbar.after(this.notice);
    this.status = statusLine(root);
    this.output.before(this.status);

    this.restoreEdits();
    mountWhenNearOrIdle(root, () => this.mountEditor());
    const buildTimeFigures = this.initial.outputs?.figures || [];
    if (buildTimeFigures.length > 0) drawBuildTimeChart(root, () => this.drawFigures(buildTimeFigures));
    /** The status line's account of the last run (runSummary). */
    this.lastRun = "";
    /** When the current run started (performance.now()), for Stop's message. */
    this.startedAt = 0;
    /** Said again once the new worker is ready (start-up progress replaces it meanwhile). */
    this.messageAfterRestart = "";
    runtime.subscribe((event) => {
      if (event.type === "restarted") this.ranIn = 0;
      followRuntime(root, event, {
        onReady: () => {
          this.status.textContent = this.messageAfterRestart;
          this.messageAfterRestart = "";
        },
        onFail: () => (this.runButton.disabled = true),
      });
    });
  }

  /** The code to run: the editor's text, or the saved/original code before it mounts. */
  getCode() {
    return this.editor ? this.editor.getValue() : this.code;
  }

  /** Saved edits come back only for the same original code (same hash). */
  restoreEdits() {
    const saved = storage.get(this.storageKey);
    if (!saved || typeof saved.code !== "string" || saved.code === this.initial.code) return;
    if (saved.hash === this.initial.hash) {
      this.setCode(saved.code);
      this.showNotice("Your edited version from last time is shown. Reset code brings back the lesson's original.");
    } else {
      // The lesson changed since the reader edited it: show the new code, keep the old
      // edit one click away rather than hiding the update behind it.
      const restore = actionButton("restore-edit", "Use my earlier edit instead", () => {
        this.setCode(saved.code);
        this.save(saved.code);
        this.showNotice("Your earlier edit is shown. Reset code brings back the lesson's updated original.");
      });
      this.showNotice("This example was updated since you last edited it, so the new version is shown.", restore);
    }
  }

  /**
   * @param {string} text
   * @param {HTMLElement} [extra]
   */
  showNotice(text, extra) {
    this.notice.replaceChildren(document.createTextNode(text));
    if (extra) this.notice.append(" ", extra);
    this.notice.hidden = false;
  }

  /** @param {string} code */
  setCode(code) {
    this.code = code;
    if (this.editor) this.editor.setValue(code);
    else if (this.source) this.source.textContent = code;
  }

  /** @param {string} code */
  save(code) {
    if (code === this.initial.code) storage.remove(this.storageKey);
    else storage.set(this.storageKey, { hash: this.initial.hash, code });
  }

  async mountEditor() {
    if (this.editor || !this.source) return;
    try {
      const LiveEditor = await loadEditor();
      const host = el("div", { class: "lw-editor" });
      this.source.after(host);
      this.editor = LiveEditor.create(host, this.code, {
        onRun: () => this.requestRun(),
        onChange: (/** @type {string} */ code) => {
          this.code = code;
          this.save(code);
        },
        label: `Python code of cell ${this.index + 1}. Shift+Enter runs it; Escape then Tab leaves the editor.`,
      });
      this.source.hidden = true;
    } catch (error) {
      this.status.textContent = `The code editor could not load (${messageOf(error)}); Run uses the code shown.`;
    }
  }

  requestRun() {
    if (this.root.dataset.lwState === "busy") return;
    setState(this.root, "busy");
    this.stopButton.disabled = false;
    this.status.textContent = this.runtime.state === "ready" ? "Running…" : "Waiting for Python to start…";
    // The previous run's output stays until the new one arrives, marked as old.
    this.output.classList.add("lw-stale");
    this.lastRun = "";
    this.notebook
      .run(this)
      .then((earlierCount) => {
        const earlier = earlierCount > 0 ? ` Ran ${earlierCount} earlier cell${earlierCount > 1 ? "s" : ""} first, so this cell can use what they define.` : "";
        this.status.textContent = `${this.lastRun}${earlier}`.trim();
      })
      .catch((error) => {
        if (error instanceof RuntimeRestarted) return; // stop() explains
        this.status.textContent = `Could not run: ${messageOf(error)}`;
      })
      .finally(() => {
        this.stopButton.disabled = true;
        settle(this.root, this.runtime.state);
      });
  }

  /** Run this cell's current code now (the notebook decides when). */
  async execute() {
    setState(this.root, "busy");
    this.stopButton.disabled = false;
    try {
      this.startedAt = performance.now();
      /** @type {CellOutput} */
      const output = await this.runtime.send({ type: "run", code: this.getCode(), cellId: this.key }).result;
      this.ranIn = this.runtime.generation;
      this.lastRun = runSummary(output, (performance.now() - this.startedAt) / 1000, new Date());
      this.startedAt = 0;
      await this.showOutput(output);
      this.output.classList.remove("lw-stale");
      bumpRenders(this.root);
    } finally {
      if (this.root.dataset.lwState === "busy") setState(this.root, "ready");
      this.stopButton.disabled = true;
    }
  }

  /**
   * Outputs as TEXT only: stdout, stderr, the last expression's value, the error
   * (traceback trimmed to the reader's code by cell_runner), then figures.
   * @param {CellOutput} output
   */
  async showOutput(output) {
    for (const part of /** @type {const} */ (["stdout", "stderr", "value", "error"])) {
      let pre = /** @type {HTMLElement | null} */ (this.output.querySelector(`:scope > pre.lw-${part}`));
      if (!pre) {
        pre = el("pre", { class: `lw-${part}` });
        this.output.append(pre);
      }
      const text = output[part] || "";
      pre.textContent = text;
      pre.hidden = text === "";
    }
    await this.drawFigures(output.figures || []);
  }

  /** @param {any[]} figures plotly specs from show(fig) */
  async drawFigures(figures) {
    // The build-time figures may still be drawing when a run's figures arrive: only
    // the latest call may touch the holder.
    const drawing = ++this.figureDrawing;
    let holder = /** @type {HTMLElement | null} */ (this.output.querySelector(":scope > .lw-figure"));
    if (!holder) {
      holder = el("div", { class: "lw-figure" });
      this.output.append(holder);
    }
    for (const old of holder.children) forgetFigure(/** @type {HTMLElement} */ (old));
    holder.replaceChildren();
    holder.hidden = figures.length === 0;
    for (const figure of figures) {
      const title = figure?.layout?.title;
      const label = (typeof title === "string" ? title : title?.text) || "Chart drawn by this cell";
      if (drawing !== this.figureDrawing) return;
      const chart = el("div", { class: "lw-chart", role: "img", "aria-label": label });
      holder.append(chart);
      try {
        await drawFigure(chart, figure);
      } catch (error) {
        chart.replaceWith(el("p", { class: "lw-stderr" }, `This figure could not be drawn: ${messageOf(error)}`));
      }
    }
  }

  stop() {
    const after = this.startedAt ? ` after ${((performance.now() - this.startedAt) / 1000).toFixed(1)} s` : "";
    this.startedAt = 0;
    // The old output belongs to an earlier run: it goes, so nothing looks like this run's.
    this.output.classList.remove("lw-stale");
    for (const pre of /** @type {NodeListOf<HTMLElement>} */ (this.output.querySelectorAll(":scope > pre"))) {
      pre.textContent = "";
      pre.hidden = true;
    }
    this.drawFigures([]);
    this.messageAfterRestart =
      `Stopped${after} at ${new Date().toLocaleTimeString([], { hour12: false })}. Python was restarted, so its namespace was reset: names defined by earlier cells are gone until those cells run again (Run does that for you).`;
    this.status.textContent = this.messageAfterRestart;
    this.runtime.restart();
  }

  reset() {
    this.setCode(this.initial.code);
    storage.remove(this.storageKey);
    this.notice.hidden = true;
    this.status.textContent = "The lesson's original code is back.";
  }
}
