// @ts-check
/* View widgets (gradient-flow, path-lengths): controls recompute a gradflow view in the
 * worker; a share link restores the settings. */

import { actionButton, bumpRenders, el, messageOf, readInitial, setState, settle, shorten, statusLine } from "./dom.mjs";
import { PythonFailure } from "./errors.mjs";
import { LatestOnly } from "./latest-only.mjs";
import { PredictPrompt } from "./predict.mjs";
import { ResultDisplay } from "./result-display.mjs";
import { enableForm, readForm, updateValueDisplay, writeForm } from "./settings.mjs";
import { copyText, settingsFromLink, shareLink } from "./share-link.mjs";
import { followRuntime } from "./status.mjs";

/** @import { Runtime } from "./runtime.mjs" */
/** @import { Result } from "./result-display.mjs" */

export class ViewWidget {
  /**
   * @param {HTMLElement} root
   * @param {Runtime} runtime
   */
  constructor(root, runtime) {
    this.root = root;
    this.runtime = runtime;
    this.initial = readInitial(root);
    /** @type {string} */
    this.view = root.dataset.lwView || this.initial.view;
    this.name = root.id;
    this.form = /** @type {HTMLFormElement | null} */ (root.querySelector(":scope > form.lw-controls"));
    this.status = statusLine(root);
    this.display = new ResultDisplay(root, this.status);
    /** @type {Record<string, any>} */
    this.settings = { ...this.initial.settings };
    this.needsCompute = false;
    /** What the status says about a share link's ignored settings, if anything. */
    this.linkNote = "";
    /** @type {LatestOnly<Record<string, any>, Result>} */
    this.coalescer = new LatestOnly(
      (settings) => this.compute(settings),
      (result) => this.showResult(result),
      (error) => this.showError(error),
    );
    this.predict = new PredictPrompt(root, () => this.reveal());
    this.display.chartDeferred = this.predict.pending;

    this.form?.addEventListener("submit", (event) => event.preventDefault());
    this.form?.addEventListener("input", (event) => this.onInput(event));
    this.form?.addEventListener("change", (event) => this.onInput(event));
    if (this.form) this.addCopyLink(this.form);
    this.applyLink();
    if (!this.predict.pending) this.display.drawWhenNear(this.initial.figure);
    runtime.subscribe((event) =>
      followRuntime(root, event, {
        onReady: () => {
          enableForm(this.form, true);
          // followRuntime cleared the status; a note about the link still applies.
          if (this.linkNote) this.status.textContent = this.linkNote;
          if (this.needsCompute) this.submit();
        },
        onFail: () => enableForm(this.form, false),
      }),
    );
  }

  /** The guess is in: draw the latest result (the build-time one, or a shared link's). */
  reveal() {
    this.display.chartDeferred = false;
    this.display.drawOrReport(this.display.deferredFigure || this.initial.figure);
    // Re-setting the text makes screen readers announce the now-visible readout.
    if (this.display.readout) this.display.readout.textContent = this.display.readout.textContent;
  }

  /** @param {HTMLFormElement} form */
  addCopyLink(form) {
    const actions = el("div", { class: "lw-actions" });
    const button = actionButton("copy-link", "Copy link to these settings", () => {
      copyText(shareLink(this.name, this.settings, this.initial.settings, window.location.href), this.status, button);
    });
    actions.append(button);
    form.after(actions);
  }

  applyLink() {
    const linked = settingsFromLink(this.name, this.initial.settings, window.location.hash);
    if (!linked) return;
    this.settings = linked.settings;
    writeForm(this.form, this.settings);
    this.needsCompute = true;
    this.linkNote = linked.problems.length > 0 ? shorten(`The link's settings were partly ignored: ${linked.problems.join("; ")}.`, 200) : "";
    this.status.textContent = this.linkNote;
    this.root.scrollIntoView({ block: "start" });
    this.runtime.start();
    if (this.runtime.state === "ready") this.submit();
  }

  /** @param {Event} event */
  onInput(event) {
    this.linkNote = ""; // the reader has moved on from the link's settings
    if (event.target instanceof Element) updateValueDisplay(event.target);
    const { settings, invalid } = readForm(this.form, this.settings);
    if (invalid.length > 0) {
      this.status.textContent = `Check the value of: ${invalid.join(", ")}.`;
      return;
    }
    if (JSON.stringify(settings) === JSON.stringify(this.settings)) return;
    this.settings = settings;
    this.submit();
  }

  submit() {
    this.needsCompute = false;
    setState(this.root, "busy");
    this.coalescer.submit({ ...this.settings });
  }

  /**
   * @param {Record<string, any>} settings
   * @returns {Promise<Result>}
   */
  compute(settings) {
    return this.runtime.send({ type: "view", view: this.view, settings }).result;
  }

  /** @param {Result} result */
  async showResult(result) {
    this.status.textContent = this.linkNote;
    await this.display.show(result);
    setState(this.root, "ready");
    bumpRenders(this.root);
  }

  /** @param {unknown} error */
  showError(error) {
    settle(this.root, this.runtime.state);
    this.status.textContent = error instanceof PythonFailure ? `Could not compute this: ${error.message}` : `Live Python is unavailable: ${messageOf(error)}.`;
  }
}
