// @ts-check
/* Shared widget behaviour: a widget's status line and progress bar follow the runtime's
 * start-up, and its state marker stays in step. */

import { el, setState, shorten, statusLine } from "./dom.mjs";
import { STAGES, STAGE_TEXT, stageStep } from "./protocol.mjs";

/** @import { RuntimeEvent, Stage } from "./protocol.mjs" */

/**
 * Show start-up progress, readiness and failure in a widget's status line, and keep
 * its state marker in step. A `quiet` widget leaves start-up progress to another status
 * line (an exercise, to the code cell inside it, so the reader reads it once, under the
 * editor and its Run button) and on failure says only what `quiet` says.
 * @param {HTMLElement} root
 * @param {RuntimeEvent} event
 * @param {{onReady?: () => void, onFail?: () => void, quiet?: string}} [hooks]
 */
export function followRuntime(root, event, hooks = {}) {
  const status = statusLine(root);
  if (hooks.quiet !== undefined) {
    if (event.type === "progress") {
      if (root.dataset.lwState !== "busy") setState(root, "waiting");
    } else if (event.type === "ready") {
      if (root.dataset.lwState !== "busy") setState(root, "ready");
      if (hooks.onReady) hooks.onReady();
    } else if (event.type === "fatal") {
      setState(root, "error");
      status.textContent = hooks.quiet;
      if (hooks.onFail) hooks.onFail();
    }
    return;
  }
  if (event.type === "progress") {
    const step = stageStep(event.stage);
    const text = STAGE_TEXT[/** @type {Stage} */ (event.stage)] || event.message;
    if (root.dataset.lwState !== "busy") setState(root, "waiting");
    status.textContent = `Starting live Python (step ${step} of ${STAGES.length}): ${text}…`;
    showProgress(root, step);
  } else if (event.type === "ready") {
    hideProgress(root);
    if (root.dataset.lwState !== "busy") setState(root, "ready");
    status.textContent = "";
    if (hooks.onReady) hooks.onReady();
  } else if (event.type === "fatal") {
    hideProgress(root);
    setState(root, "error");
    status.textContent = `Live Python is unavailable: ${shorten(event.message, 140)}. Results shown are from the book's build.`;
    if (hooks.onFail) hooks.onFail();
  }
}

/**
 * A visual progress bar beside the status text (hidden from screen readers, which
 * hear the status line instead).
 * @param {HTMLElement} root
 * @param {number} step
 */
function showProgress(root, step) {
  let bar = root.querySelector(":scope > progress.lw-progress");
  if (!(bar instanceof HTMLProgressElement)) {
    bar = el("progress", { class: "lw-progress", max: String(STAGES.length + 1), "aria-hidden": "true" });
    statusLine(root).after(bar);
  }
  /** @type {HTMLProgressElement} */ (bar).value = step;
}

/** @param {HTMLElement} root */
function hideProgress(root) {
  root.querySelector(":scope > progress.lw-progress")?.remove();
}

/** @typedef {{stdout?: string, stderr?: string, value?: string | null, error?: string | null, figures?: any[]}} CellOutput */

/**
 * What a finished run says on the status line, so a run that prints nothing is not
 * mistaken for one that never happened: "Finished in 0.4 s at 14:02:07; nothing
 * printed." or "Stopped by an error (ZeroDivisionError) after 0.1 s at …".
 * @param {CellOutput} output
 * @param {number} seconds
 * @param {Date} when
 */
export function runSummary(output, seconds, when) {
  const time = `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s at ${when.toLocaleTimeString([], { hour12: false })}`;
  if (output.error) {
    const last = String(output.error).trimEnd().split("\n").pop() || "";
    const name = /^([A-Za-z_][\w.]*)(:|$)/.exec(last)?.[1];
    return `Stopped by an error${name ? ` (${name})` : ""} after ${time}; see below.`;
  }
  const shown = Boolean(output.stdout || output.stderr || output.value || (output.figures && output.figures.length));
  return shown ? `Finished in ${time}.` : `Finished in ${time}; nothing printed.`;
}
