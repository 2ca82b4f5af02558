// @ts-check
/* The service worker lives at the site root (so its scope covers every page) and caches
 * the runtime files (static/live-widgets-sw.js); failures only mean no offline cache. */

import { CONFIG } from "./config.mjs";
import { messageOf } from "./dom.mjs";

export function registerServiceWorker() {
  if (!CONFIG.registerServiceWorker || !("serviceWorker" in navigator)) return;
  if (window.location.protocol !== "https:" && window.location.hostname !== "localhost" && window.location.hostname !== "127.0.0.1") return;
  navigator.serviceWorker.register(CONFIG.serviceWorkerUrl).catch((error) => {
    console.info("live-widgets: no service worker, so no offline cache:", messageOf(error));
  });
}
