// @ts-check
/* When work happens: scripts loaded lazily, work started when an element nears the
 * viewport or the browser is idle, and the queues of build-time charts and editors that
 * are drawn one per idle period after the first paint. */

import { CONFIG } from "./config.mjs";

/** @type {Map<string, Promise<void>>} */
const scriptLoads = new Map();

/** @param {string} url */
function loadScript(url) {
  let loading = scriptLoads.get(url);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.async = true;
      script.onload = () => resolve();
      script.onerror = () => reject(new Error(`could not load ${new URL(url).pathname.split("/_static/").pop()}`));
      document.head.append(script);
    });
    scriptLoads.set(url, loading);
  }
  return loading;
}

/** @returns {Promise<any>} the Plotly global */
export function loadPlotly() {
  return loadScript(CONFIG.plotlyUrl).then(() => /** @type {any} */ (window).Plotly);
}

/** @returns {Promise<any>} the LiveEditor global from codemirror-entry.mjs */
export function loadEditor() {
  return loadScript(CONFIG.editorUrl).then(() => /** @type {any} */ (window).LiveEditor);
}

// Start work a little before the reader scrolls to it: 600 px is about one phone screen.
const NEAR_VIEWPORT = "600px 0px 600px 0px";
/** @type {WeakMap<Element, Array<() => void>>} */
const nearCallbacks = new WeakMap();
/** @type {IntersectionObserver | null} */
const nearObserver =
  "IntersectionObserver" in window
    ? new IntersectionObserver(
        (entries) => {
          for (const entry of entries) {
            if (!entry.isIntersecting) continue;
            nearObserver?.unobserve(entry.target);
            for (const callback of nearCallbacks.get(entry.target) || []) callback();
            nearCallbacks.delete(entry.target);
          }
        },
        { rootMargin: NEAR_VIEWPORT },
      )
    : null;

/**
 * Call `callback` once, when `element` is within NEAR_VIEWPORT of the screen.
 * @param {Element} element
 * @param {() => void} callback
 */
export function whenNear(element, callback) {
  if (!nearObserver) {
    callback();
    return;
  }
  const callbacks = nearCallbacks.get(element);
  if (callbacks) {
    callbacks.push(callback);
  } else {
    nearCallbacks.set(element, [callback]);
    nearObserver.observe(element);
  }
}

/** Run `callback` when the browser is idle (soon, at the latest). @param {() => void} callback */
export function whenIdle(callback) {
  if ("requestIdleCallback" in window) window.requestIdleCallback(callback, { timeout: 500 });
  else setTimeout(callback, 50);
}

/**
 * Build-time charts not drawn yet, in page order. plotly.js (about 1 MB) is fetched
 * only when the first chart nears the viewport; from then on the chart in view is
 * drawn at once and every other one follows in idle time, one per idle period.
 * @type {Array<{done: boolean, run: () => Promise<void>}>}
 */
const initialDraws = [];
let drawingTheRest = false;

/**
 * @param {Element} container
 * @param {() => Promise<void>} draw
 */
export function drawBuildTimeChart(container, draw) {
  const task = {
    done: false,
    run() {
      if (task.done) return Promise.resolve();
      task.done = true;
      return draw();
    },
  };
  initialDraws.push(task);
  whenNear(container, () => {
    task.run();
    drawTheRestWhenIdle();
  });
}

/** Editors waiting to be created, in page order. @type {Array<() => void>} */
const pendingEditors = [];

/**
 * Create a cell's editor when it nears the viewport, or earlier, once the page is idle
 * after its first paint (see afterFirstPaint): every cell is editable soon after load.
 * @param {Element} root
 * @param {() => void} mount
 */
export function mountWhenNearOrIdle(root, mount) {
  let done = false;
  const once = () => {
    if (!done) {
      done = true;
      mount();
    }
  };
  pendingEditors.push(once);
  whenNear(root, once);
}

/**
 * After the first paint, when the browser is idle: fetch plotly.js and the editor if
 * the page needs them, then draw every build-time chart and create every editor, one
 * per idle period so scrolling stays smooth.
 */
export function afterFirstPaint() {
  drawTheRestWhenIdle();
  const next = () => {
    const mount = pendingEditors.shift();
    if (mount) {
      mount();
      whenIdle(next);
    }
  };
  whenIdle(next);
}

function drawTheRestWhenIdle() {
  if (drawingTheRest || initialDraws.length === 0) return;
  drawingTheRest = true;
  const next = () => {
    const task = initialDraws.find((t) => !t.done);
    if (task) task.run().finally(() => whenIdle(next));
  };
  loadPlotly().then(() => whenIdle(next), () => {});
}

/**
 * The article was swapped out (navigation.mjs): forget its charts and editors still
 * waiting, and stop watching its elements, so the next article's queue starts empty.
 */
export function forgetArticle() {
  initialDraws.length = 0;
  pendingEditors.length = 0;
  drawingTheRest = false;
  nearObserver?.disconnect();
}
