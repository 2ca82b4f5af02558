// @ts-check
/* The service worker lives at the site root (so its scope covers every page) and caches
 * the runtime files (static/live-widgets-sw.js); failures only mean no offline cache. */

import { CONFIG } from "./config.mjs";
import { messageOf } from "./dom.mjs";

// The snapshot (~13 MB) waits this long after Python is ready, so it does not compete
// with what the reader's first minutes load (plotly.js, the editor, fonts, the digits).
const SNAPSHOT_DELAY_MS = 10_000;

/**
 * Register the service worker; once live Python has started on this page, ask it (a
 * little later) to cache the start-up snapshot in the background for the next visit,
 * unless the reader's browser asks to save data (ARCHITECTURE §2).
 * @param {{pythonStarted?: boolean}} [options]
 */
export function registerServiceWorker(options = {}) {
  if (!CONFIG.registerServiceWorker || !("serviceWorker" in navigator)) return;
  if (window.location.protocol !== "https:" && window.location.hostname !== "localhost" && window.location.hostname !== "127.0.0.1") return;
  navigator.serviceWorker.register(CONFIG.serviceWorkerUrl).catch((error) => {
    console.info("live-widgets: no service worker, so no offline cache:", messageOf(error));
  });
  if (options.pythonStarted && !savingData()) {
    setTimeout(() => {
      navigator.serviceWorker.ready.then(
        (registration) => registration.active && registration.active.postMessage({ type: "cache-snapshot" }),
        () => {},
      );
    }, SNAPSHOT_DELAY_MS);
  }
}

/** The reader's browser asks pages to use less data (Save-Data). */
function savingData() {
  const connection = /** @type {any} */ (navigator).connection;
  return Boolean(connection && connection.saveData);
}
