// @ts-check
/* View widgets (gradient-flow, path-lengths): controls recompute a gradflow view in the
 * worker; a share link restores the settings. */

import { actionButton, bumpRenders, el, messageOf, readInitial, setState, settle, shorten, statusLine } from "./dom.mjs";
import { PythonFailure } from "./errors.mjs";
import { LatestOnly } from "./latest-only.mjs";
import { PredictPrompt } from "./predict.mjs";
import { ResultDisplay } from "./result-display.mjs";
import { enableForm, fillTemplates, invalidMessage, readForm, settingText, updateValueDisplay, writeForm } from "./settings.mjs";
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
    /** What the status says about a share link's settings, if anything. */
    this.linkNote = "";
    /** What the status says about a control holding a value out of range, if anything. */
    this.invalidNote = "";
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
    fillTemplates(this.root, this.settings);
    this.needsCompute = true;
    this.linkNote = this.linkDescription(linked.applied, linked.problems);
    this.status.textContent = this.linkNote;
    // A link is for showing: it opens on the result, unless it asks for the prompt.
    if (!linked.keepPrompt) this.predict.skip("This link opens on the result; the question is left for discussion.");
    this.root.scrollIntoView({ block: "start" });
    this.runtime.start();
    if (this.runtime.state === "ready") this.submit();
  }

  /**
   * "This link set Depth (layers): 10; Activation: tanh.", so a class sees what changed.
   * @param {string[]} applied
   * @param {string[]} problems
   */
  linkDescription(applied, problems) {
    /** @type {Record<string, string>} */
    const labels = {};
    for (const spec of this.initial.schema || this.initial.controls || []) labels[spec.name] = spec.label || spec.name;
    const set = applied.map((key) => `${labels[key] || key}: ${settingText(this.settings[key])}`);
    const parts = [set.length > 0 ? `This link set ${set.join("; ")}.` : "This link opens the chart as the lesson sets it."];
    if (problems.length > 0) parts.push(`It was partly ignored: ${problems.join("; ")}.`);
    return shorten(parts.join(" "), 300);
  }

  /** @param {Event} event */
  onInput(event) {
    this.linkNote = ""; // the reader has moved on from the link's settings
    if (event.target instanceof Element) updateValueDisplay(event.target);
    // A value out of range is named with its range; the chart keeps the last good
    // value for that control, and every other control keeps working.
    const { settings, invalid } = readForm(this.form, this.settings);
    this.invalidNote = invalid.length > 0 ? invalidMessage(invalid, "The chart keeps the last value that worked.") : "";
    this.status.textContent = this.invalidNote;
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
    this.status.textContent = [this.linkNote, this.invalidNote].filter(Boolean).join(" ");
    await this.display.show(result);
    fillTemplates(this.root, this.settings);
    setState(this.root, "ready");
    bumpRenders(this.root);
  }

  /** @param {unknown} error */
  showError(error) {
    settle(this.root, this.runtime.state);
    this.status.textContent = error instanceof PythonFailure ? `Could not compute this: ${error.message}` : `Live Python is unavailable: ${messageOf(error)}.`;
  }
}
