// @ts-check
/* Where the page finds everything else: every URL is relative to this script's own URL,
 * so the site works under any sub-path (GitHub Pages). Read once, while the bundle runs,
 * because document.currentScript is only set during that first run. */

/**
 * @typedef {object} Config
 * @property {string} workerUrl
 * @property {string} plotlyUrl
 * @property {string} editorUrl
 * @property {string} serviceWorkerUrl
 * @property {boolean} registerServiceWorker
 */

/**
 * `data-lw-service-worker="off"` on the script tag skips the service worker.
 * @param {Element | null} script
 * @returns {Config}
 */
export function readConfig(script) {
  const tag =
    script instanceof HTMLScriptElement && script.src
      ? script
      : /** @type {HTMLScriptElement | null} */ (document.querySelector('script[src*="live-widgets.js"]'));
  if (!tag) throw new Error("live-widgets.js: cannot find its own <script> tag to locate _static/");
  const staticDir = new URL(".", tag.src);
  return {
    workerUrl: new URL("live-widgets-worker.js", staticDir).href,
    plotlyUrl: new URL("plotly/plotly.min.js", staticDir).href,
    editorUrl: new URL("codemirror/editor.js", staticDir).href,
    serviceWorkerUrl: new URL("../live-widgets-sw.js", staticDir).href,
    registerServiceWorker: tag.dataset.lwServiceWorker !== "off",
  };
}

export const CONFIG = readConfig(document.currentScript);
