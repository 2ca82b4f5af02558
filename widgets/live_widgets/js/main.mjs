// @ts-check
/* Deep Revolution: the page side of the live widgets (the entry point esbuild bundles into
 * _static/live-widgets.js).
 *
 * The extension writes each widget as static HTML that is complete without JavaScript
 * (build-time chart data, a table of the numbers, the code and its output); see
 * widgets/ARCHITECTURE.md §5. This script upgrades those widgets in place:
 *   - draws each build-time figure with plotly.js (loaded when a chart nears the viewport),
 *   - adopts the ONE Web Worker running Pyodide that the page's head started
 *     (early_start.py), or starts it (after first paint, or sooner when a widget nears
 *     the viewport), and routes every computation through it (§6),
 *   - makes controls, code cells, exercises, quizzes and the training race live,
 *   - swaps the article for links to other pages of the book (navigation.mjs), so the
 *     worker and its loaded Python serve the next lesson too.
 * If live Python cannot start, every widget keeps its build-time result and its status
 * line says, in one line, what failed.
 */

import { CellWidget } from "./cell-widget.mjs";
import { preparePrinting, watchTheme } from "./charts.mjs";
import { CONFIG } from "./config.mjs";
import { messageOf, readInitial, setState, statusLine } from "./dom.mjs";
import { ExerciseWidget } from "./exercise.mjs";
import { installNavigation } from "./navigation.mjs";
import { Notebook } from "./notebook.mjs";
import { setUpProgress } from "./progress-page.mjs";
import { QuizWidget } from "./quiz.mjs";
import { RaceWidget } from "./race-widget.mjs";
import { Runtime } from "./runtime.mjs";
import { afterFirstPaint, forgetArticle, whenIdle, whenNear } from "./schedule.mjs";
import { registerServiceWorker } from "./service-worker.mjs";
import { ViewWidget } from "./view-widget.mjs";

/** Kinds that need Python; a page with only quizzes never starts the worker. */
const PYTHON_KINDS = new Set(["view", "race", "cell", "setup", "exercise"]);

/** @param {HTMLElement} root @param {unknown} error */
function reportBrokenWidget(root, error) {
  setState(root, "error");
  statusLine(root).textContent = `This widget could not start: ${messageOf(error)}`;
  console.error(error);
}

function setUpPage() {
  preparePrinting();
  const runtime = new Runtime(CONFIG.workerUrl);
  // Register the service worker once live Python has loaded (or failed): its precache
  // then finds the runtime files in the HTTP cache instead of downloading them twice.
  let registered = false;
  runtime.subscribe(
    (event) => {
      if ((event.type === "ready" || event.type === "fatal") && !registered) {
        registered = true;
        registerServiceWorker({ pythonStarted: event.type === "ready" });
      }
    },
    { page: true },
  );
  const article = /** @type {HTMLElement} */ (document.querySelector("article.bd-article") || document.body);
  let teardown = setUpArticle(article, runtime);
  installNavigation(new URL("../", CONFIG.workerUrl).href, {
    teardown: () => teardown(),
    setUp: (next) => {
      teardown = setUpArticle(next, runtime);
    },
  });
}

/**
 * Make the widgets of one article live. Returns its teardown: the article's listeners,
 * requests and queued work end, and the next article gets a fresh Python namespace in
 * the same worker (Runtime.closeArticle). Widgets need nothing else to survive a swap:
 * they listen on their own elements (dropped with the article) and through
 * runtime.subscribe (ended by closeArticle).
 * @param {HTMLElement} article
 * @param {Runtime} runtime
 * @returns {() => void}
 */
function setUpArticle(article, runtime) {
  setUpProgress(); // the lesson's progress line and the progress page (which has no widgets)
  runtime = runtime.forArticle(); // what this article's widgets ask for ends with it
  const listening = new AbortController();
  const teardown = () => {
    listening.abort();
    runtime.closeArticle();
    forgetArticle();
  };
  const roots = /** @type {HTMLElement[]} */ ([...article.querySelectorAll(".lw-widget[data-lw-kind]")]);
  if (roots.length === 0) return teardown;
  document.documentElement.classList.add("lw-js");
  if (!document.documentElement.dataset.lwRuntime) document.documentElement.dataset.lwRuntime = "idle";
  const notebook = new Notebook(runtime);
  /** @type {Map<HTMLElement, CellWidget>} */
  const cells = new Map();
  /** @type {ViewWidget[]} */
  const views = [];

  for (const root of roots.filter((r) => r.dataset.lwKind === "setup")) {
    try {
      const initial = readInitial(root);
      notebook.setupCells.push({ code: initial.code, key: root.id || `setup-${notebook.setupCells.length}` });
    } catch (error) {
      reportBrokenWidget(root, error);
    }
  }
  for (const root of roots) {
    try {
      const kind = root.dataset.lwKind;
      if (kind === "view") views.push(new ViewWidget(root, runtime));
      else if (kind === "race") new RaceWidget(root, runtime);
      else if (kind === "cell") cells.set(root, new CellWidget(root, runtime, notebook));
      else if (kind === "quiz") new QuizWidget(root);
    } catch (error) {
      reportBrokenWidget(root, error);
    }
  }
  notebook.cells = [...cells.values()].sort((a, b) => a.index - b.index);
  for (const root of roots.filter((r) => r.dataset.lwKind === "exercise")) {
    try {
      const nested = root.querySelector('.lw-widget[data-lw-kind="cell"]');
      new ExerciseWidget(root, runtime, notebook, nested ? cells.get(/** @type {HTMLElement} */ (nested)) : undefined);
    } catch (error) {
      reportBrokenWidget(root, error);
    }
  }

  const needsPython = roots.filter((r) => PYTHON_KINDS.has(r.dataset.lwKind || ""));
  if (needsPython.length > 0) scheduleRuntimeStart(runtime, needsPython);
  requestAnimationFrame(() => setTimeout(() => whenIdle(afterFirstPaint), 0));
  window.addEventListener(
    "hashchange",
    () => {
      for (const view of views) view.applyLink();
    },
    { signal: listening.signal },
  );
  return teardown;
}

/**
 * Start the worker now when it is running already (the page's head started it, or an
 * earlier article did) or the page has loaded (an article swapped in); otherwise after
 * first paint when the browser is idle, or as soon as a widget that needs Python nears
 * the viewport, whichever comes first.
 * @param {Runtime} runtime
 * @param {HTMLElement[]} roots
 */
function scheduleRuntimeStart(runtime, roots) {
  const start = () => runtime.start();
  if ("lwEarlyWorker" in window || document.readyState === "complete") {
    start();
    return;
  }
  for (const root of roots) whenNear(root, start);
  // requestAnimationFrame then setTimeout: after the first frame has been painted.
  requestAnimationFrame(() => setTimeout(() => whenIdle(start), 0));
}

watchTheme();
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpPage, { once: true });
else setUpPage();
