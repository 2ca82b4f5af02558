// @ts-check
/* A streamed trainer (gradflow.views.TRAINERS: the training race, Nielsen's layer speeds,
 * ...): trains in the worker, streaming its state between chunks of steps. Pause stops it
 * between two chunks and keeps it in the worker, Resume continues it; Cancel ends it. */

import { actionButton, bumpRenders, el, messageOf, readInitial, setState, settle, statusLine } from "./dom.mjs";
import { PythonFailure, RuntimeRestarted } from "./errors.mjs";
import { PredictPrompt } from "./predict.mjs";
import { CANCELLED } from "./protocol.mjs";
import { ResultDisplay } from "./result-display.mjs";
import { enableForm, invalidMessage, readForm, updateValueDisplay } from "./settings.mjs";
import { followRuntime } from "./status.mjs";

/** @import { Runtime } from "./runtime.mjs" */

/** Fallback stream keys for widgets without an id (every built widget has one). */
let anonymousStreams = 0;

export class RaceWidget {
  /**
   * @param {HTMLElement} root
   * @param {Runtime} runtime
   */
  constructor(root, runtime) {
    this.root = root;
    this.runtime = runtime;
    this.initial = readInitial(root);
    this.form = /** @type {HTMLFormElement | null} */ (root.querySelector(":scope > form.lw-controls"));
    this.status = statusLine(root);
    this.display = new ResultDisplay(root, this.status);
    /** @type {{id: number, result: Promise<any>} | null} */
    this.running = null;
    /** Latest streamed state not drawn yet, and whether a progress redraw is under way. */
    /** @type {any} */
    this.pendingProgress = null;
    this.drawingProgress = false;
    /** @type {any} */
    this.lastState = null;
    /** Which gradflow trainer this widget streams (its view name), and its key in the worker. */
    this.trainer = String(this.initial.view || "race");
    this.stream = root.id || `lw-stream-${++anonymousStreams}`;
    /** Pause pressed: the next "cancelled" ends in a pause, not a stop. */
    this.pausing = false;
    /** A paused run waits in the worker for Resume. */
    this.paused = false;

    this.form?.addEventListener("submit", (event) => event.preventDefault());
    /** The settings of the race on show (the build's, then the last one started). */
    /** @type {Record<string, any>} */
    this.shownSettings = { ...this.initial.settings };
    this.form?.addEventListener("input", (event) => {
      if (event.target instanceof Element) updateValueDisplay(event.target);
      this.hintRestart();
    });
    this.form?.addEventListener("change", () => this.hintRestart());
    const actions = el("div", { class: "lw-actions" });
    this.startButton = actionButton("start", "Start training", () => this.start());
    this.pauseButton = actionButton("pause", "Pause", () => this.togglePause());
    this.cancelButton = actionButton("cancel", "Cancel", () => this.cancel());
    this.startButton.disabled = true;
    this.pauseButton.disabled = true;
    this.cancelButton.disabled = true;
    actions.append(this.startButton, this.pauseButton, this.cancelButton);
    (this.form || this.status).after(actions);
    // Visual progress of a run; screen readers hear start and finish on the status line.
    this.bar = /** @type {HTMLProgressElement} */ (el("progress", { class: "lw-progress lw-race-progress", "aria-hidden": "true", hidden: true }));
    actions.after(this.bar);
    this.mirrorSteps(this.initial);

    // The finished build-time race would answer the prompt: it waits for the guess.
    this.predict = new PredictPrompt(root, () => this.reveal());
    this.display.chartDeferred = this.predict.pending;
    if (!this.predict.pending) this.display.drawWhenNear(this.initial.figure);
    runtime.subscribe((event) => {
      if (event.type === "restarted" && (this.running || this.paused)) this.stopped("Python was restarted, so training stopped.");
      followRuntime(root, event, {
        onReady: () => {
          enableForm(this.form, true);
          this.startButton.disabled = false;
        },
        onFail: () => {
          enableForm(this.form, false);
          this.startButton.disabled = true;
        },
      });
    });
  }

  /** The guess is in: draw the build-time race (a live one, if started meanwhile, replaces it). */
  reveal() {
    this.display.chartDeferred = false;
    this.display.drawOrReport(this.display.deferredFigure || this.initial.figure);
    if (this.display.readout) this.display.readout.textContent = this.display.readout.textContent;
  }

  /**
   * Changed settings do not touch the race on show: say so, and how to race them.
   * A training race is seconds of work, so it starts only on request.
   */
  hintRestart() {
    if (this.running) return;
    const { settings, invalid } = readForm(this.form, this.initial.settings);
    if (invalid.length > 0) {
      this.status.textContent = invalidMessage(invalid);
      return;
    }
    const changed = JSON.stringify(settings) !== JSON.stringify(this.shownSettings);
    const verb = this.startButton.textContent || "Start training";
    this.status.textContent = changed ? `The chart still shows the race with the earlier settings: press “${verb}” to race with the new ones.` : "";
    this.root.dataset.lwStale = changed ? "true" : "false";
  }

  /** @param {any} state a race dict (ARCHITECTURE §3) */
  mirrorSteps(state) {
    if (state && state.steps !== undefined) {
      this.root.dataset.lwStep = String(state.step);
      this.root.dataset.lwSteps = String(state.steps);
      this.bar.max = Number(state.steps) || 1;
      this.bar.value = Number(state.step) || 0;
    }
  }

  async start() {
    if (this.running) {
      this.pausing = false;
      this.runtime.cancel(this.running.id);
      await this.running.result.catch(() => {});
    }
    const { settings, invalid } = readForm(this.form, this.initial.settings);
    if (invalid.length > 0) {
      // A race is started on purpose: say what to fix rather than race other settings.
      this.status.textContent = invalidMessage(invalid, "The race did not start.");
      return;
    }
    this.shownSettings = settings;
    this.root.dataset.lwStale = "false";
    this.startButton.textContent = "Restart training";
    this.bar.value = 0;
    await this.train(false);
  }

  /** Pause a running trainer (it waits in the worker), or resume a paused one. */
  togglePause() {
    if (this.running) {
      this.pausing = true;
      this.runtime.cancel(this.running.id);
    } else if (this.paused) {
      this.train(true);
    }
  }

  /**
   * Stream the trainer until it is done, paused or cancelled.
   * @param {boolean} resume continue the paused run (its settings are the worker's)
   */
  async train(resume) {
    setState(this.root, "busy");
    this.paused = false;
    this.pausing = false;
    this.root.dataset.lwPaused = "false";
    this.pauseButton.textContent = "Pause";
    this.pauseButton.disabled = false;
    this.cancelButton.disabled = false;
    this.status.textContent = String(this.initial.running_text || "Training…");
    this.bar.hidden = false;
    // The readout changes with every chunk: silence it while streaming, announce the end.
    this.display.readout?.setAttribute("aria-live", "off");
    const message = { type: /** @type {const} */ ("race"), trainer: this.trainer, stream: this.stream, settings: this.shownSettings, resume };
    const request = this.runtime.send(message, (state) => this.progress(state));
    this.running = request;
    try {
      const final = await request.result;
      if (this.running !== request) return;
      await this.finish(final, `Finished: ${final.step} of ${final.steps} steps.`);
    } catch (error) {
      if (this.running !== request) return;
      if (error instanceof PythonFailure && error.name === CANCELLED && this.pausing) {
        this.stopped(`Paused at step ${this.root.dataset.lwStep} of ${this.root.dataset.lwSteps}: press Resume to go on.`);
        this.paused = true;
        this.root.dataset.lwPaused = "true";
        this.pauseButton.textContent = "Resume";
        this.pauseButton.disabled = false;
        this.cancelButton.disabled = false;
      } else if (error instanceof PythonFailure && error.name === CANCELLED) {
        this.stopped(`Cancelled at step ${this.root.dataset.lwStep} of ${this.root.dataset.lwSteps}.`);
      } else if (error instanceof RuntimeRestarted) {
        this.stopped("Python was restarted, so training stopped.");
      } else {
        this.stopped(error instanceof PythonFailure ? `Training failed: ${error.message}` : `Live Python is unavailable: ${messageOf(error)}.`);
      }
    }
  }

  /**
   * Draw streamed progress, latest state only: if plotly takes longer than a chunk,
   * intermediate states are skipped rather than queued, and a frame passes between
   * redraws so clicks (Cancel) are never starved.
   * @param {any} state
   */
  progress(state) {
    this.lastState = state;
    this.mirrorSteps(state);
    this.pendingProgress = state;
    if (this.drawingProgress) return;
    this.drawingProgress = true;
    const drawLatest = () => {
      const latest = this.pendingProgress;
      this.pendingProgress = null;
      if (!latest || !this.running) {
        this.drawingProgress = false;
        return;
      }
      this.display
        .show(latest, { table: false, readout: true })
        .then(() => bumpRenders(this.root))
        .finally(() => requestAnimationFrame(drawLatest));
    };
    drawLatest();
  }

  /**
   * @param {any} state
   * @param {string} message
   */
  async finish(state, message) {
    this.running = null;
    this.mirrorSteps(state);
    this.display.readout?.setAttribute("aria-live", "polite");
    await this.display.show(state);
    this.cancelButton.disabled = true;
    this.pauseButton.disabled = true;
    this.bar.hidden = true;
    settle(this.root, this.runtime.state);
    this.status.textContent = message;
    bumpRenders(this.root);
  }

  /** @param {string} message */
  stopped(message) {
    this.running = null;
    this.paused = false;
    this.pausing = false;
    this.root.dataset.lwPaused = "false";
    this.display.readout?.setAttribute("aria-live", "polite");
    if (this.lastState) this.display.show(this.lastState, { table: true, readout: true });
    this.cancelButton.disabled = true;
    this.pauseButton.textContent = "Pause";
    this.pauseButton.disabled = true;
    this.bar.hidden = true;
    settle(this.root, this.runtime.state);
    this.status.textContent = message;
  }

  cancel() {
    this.pausing = false;
    if (this.running) this.runtime.cancel(this.running.id);
    else if (this.paused) this.stopped(`Cancelled at step ${this.root.dataset.lwStep} of ${this.root.dataset.lwSteps}.`);
  }
}
