// @ts-check
/* Deep Revolution service worker (template).
 *
 * The extension copies this file to the site root at build-finished, replacing the
 * cache-version placeholder below with a hash of the built _static files (ARCHITECTURE §2),
 * so every deployment gets a new cache and this worker deletes the old ones.
 *
 * What it does: keeps the big runtime files (Pyodide, numpy and gradflow wheels, plotly,
 * the editor bundle, KaTeX) in Cache Storage after the first visit, so a repeat visit
 * does not download ~15 MB again and a flaky school network still gets live Python.
 *   - runtime files (_static/pyodide|plotly|codemirror|katex|data/): cache first;
 *   - our own small files (live-widgets.*, cell_runner.py): network first, cache if offline;
 *   - everything else (the pages themselves): not touched, so text is always current.
 *
 * And the start-up snapshot (_static/pyodide-snapshot/, ~14 MB gzip: Python's memory with
 * numpy and gradflow imported), in the background, when a page whose live Python has
 * started asks for it ("cache-snapshot" message, service-worker.mjs) and the reader has
 * not asked to save data. A first visit starts Python the normal way; the worker of a
 * later visit finds the snapshot here and restores it, about two seconds sooner
 * (worker/snapshot-start.mjs). Fetched only after a visit, because on a slow link its
 * download costs more than the CPU time it saves.
 */

const CACHE_VERSION = "__LW_CACHE_VERSION__";
const CACHE_PREFIX = "deep-revolution-runtime-";
const CACHE_NAME = CACHE_PREFIX + CACHE_VERSION;

/** _static/ of the site this worker serves (it sits at the site root). */
const STATIC_URL = new URL("_static/", self.location.href).href;
const RUNTIME_DIRS = ["pyodide/", "plotly/", "codemirror/", "katex/", "data/"];
// Precached at install: what every page with live Python needs. KaTeX's many fonts and
// the digits (data/, two lessons use them) are cached as pages use them instead, and the
// ES-module build of Pyodide is never loaded.
const PRECACHE_DIRS = ["pyodide/", "plotly/", "codemirror/"];
const NEVER_PRECACHE = /\.mjs$/;
const OWN_FILES = ["live-widgets.js", "live-widgets-worker.js", "live-widgets.css", "live-widgets/cell_runner.py"];
// The start-up snapshot's folder (worker/snapshot.mjs SNAPSHOT_DIR); meta.json is cached
// last, so a cache holding it holds the others too (the worker checks all three anyway).
const SNAPSHOT_DIR = "pyodide-snapshot/";
const SNAPSHOT_LAST = SNAPSHOT_DIR + "meta.json";

/** @param {string} url */
function isRuntimeFile(url) {
  return url.startsWith(STATIC_URL) && RUNTIME_DIRS.some((dir) => url.startsWith(STATIC_URL + dir));
}

/** @param {string} url */
function isOwnFile(url) {
  const path = url.split(/[?#]/)[0];
  return OWN_FILES.some((file) => path === STATIC_URL + file);
}

/**
 * Hex sha256 (as in asset-manifest.json) to a Subresource Integrity value, so a
 * corrupt download is refused instead of cached.
 * @param {string} hex
 */
function integrityOf(hex) {
  const bytes = hex.match(/../g) || [];
  return "sha256-" + btoa(String.fromCharCode(...bytes.map((pair) => parseInt(pair, 16))));
}

/**
 * Fill the cache from the build's asset manifest. The page registers this worker only
 * after live Python has loaded, so "force-cache" finds those files in the HTTP cache
 * rather than downloading them a second time. A failure here is not fatal: the fetch
 * handler caches files as they are used.
 */
async function precacheRuntime() {
  const manifest = await readManifest();
  if (!manifest) return;
  const cache = await caches.open(CACHE_NAME);
  const entries = Object.entries(manifest.files || {}).filter(
    ([path]) => PRECACHE_DIRS.some((dir) => path.startsWith(dir)) && !NEVER_PRECACHE.test(path),
  );
  await Promise.all(
    entries.map(async ([path, info]) => {
      const url = STATIC_URL + path;
      try {
        const fetched = await fetch(url, { cache: "force-cache", integrity: integrityOf(info.sha256) });
        if (fetched.ok) await cache.put(url, fetched);
      } catch {
        // A missing or corrupt file is left out; the page reports what failed.
      }
    }),
  );
}

/** @returns {Promise<{files: Record<string, {sha256: string}>} | null>} */
async function readManifest() {
  const response = await fetch(STATIC_URL + "asset-manifest.json", { cache: "no-cache" });
  return response.ok ? response.json() : null;
}

/** The reader's browser asks pages to use less data (Save-Data, Chromium's Lite mode). */
function savingData() {
  const connection = /** @type {any} */ (self.navigator).connection;
  return Boolean(connection && connection.saveData);
}

/** @type {Promise<void> | null} the snapshot download under way, if any */
let cachingSnapshot = null;

/**
 * Put this deployment's start-up snapshot into the cache, unless it is there already;
 * SRI-checked against the manifest. All or nothing: a failed file leaves the cache
 * without the snapshot, and the next page that asks tries again.
 */
async function cacheSnapshot() {
  if (savingData()) return;
  const manifest = await readManifest();
  if (!manifest) return;
  const entries = Object.entries(manifest.files || {})
    .filter(([path]) => path.startsWith(SNAPSHOT_DIR))
    .sort(([a], [b]) => Number(a === SNAPSHOT_LAST) - Number(b === SNAPSHOT_LAST));
  if (entries.length === 0) return; // a build without a snapshot
  const cache = await caches.open(CACHE_NAME);
  if (await cache.match(STATIC_URL + SNAPSHOT_LAST)) return;
  const fetched = await Promise.all(
    entries.map(async ([path, info]) => {
      const response = await fetch(STATIC_URL + path, { cache: "no-cache", integrity: integrityOf(info.sha256) });
      if (!response.ok) throw new Error(`HTTP ${response.status} for ${path}`);
      return /** @type {[string, Response]} */ ([STATIC_URL + path, response]);
    }),
  );
  for (const [url, response] of fetched) await cache.put(url, response);
}

self.addEventListener("message", (event) => {
  const messageEvent = /** @type {any} */ (event);
  if (!messageEvent.data || messageEvent.data.type !== "cache-snapshot") return;
  if (!cachingSnapshot) {
    cachingSnapshot = cacheSnapshot()
      .catch((error) => console.info("live-widgets-sw: start-up snapshot not cached:", String((error && error.message) || error)))
      .finally(() => {
        cachingSnapshot = null;
      });
  }
  // keeps this worker alive until the download ends (its own fetches do not)
  messageEvent.waitUntil(cachingSnapshot);
});

self.addEventListener("install", (event) => {
  const installEvent = /** @type {any} */ (event);
  installEvent.waitUntil(precacheRuntime().catch(() => {}));
  // A new deployment takes over at once: its pages expect its runtime files.
  /** @type {any} */ (self).skipWaiting();
});

self.addEventListener("activate", (event) => {
  const activateEvent = /** @type {any} */ (event);
  activateEvent.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE_NAME).map((name) => caches.delete(name)));
      await /** @type {any} */ (self).clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const fetchEvent = /** @type {any} */ (event);
  const request = /** @type {Request} */ (fetchEvent.request);
  if (request.method !== "GET" || request.headers.has("range")) return;
  if (isRuntimeFile(request.url)) fetchEvent.respondWith(cacheFirst(request));
  else if (isOwnFile(request.url)) fetchEvent.respondWith(networkFirst(request));
});

/** @param {Request} request */
async function cacheFirst(request) {
  const cache = await caches.open(CACHE_NAME);
  const cached = await cache.match(request, { ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") await cache.put(request, response.clone());
  return response;
}

/** @param {Request} request */
async function networkFirst(request) {
  const cache = await caches.open(CACHE_NAME);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(request, { ignoreSearch: true });
    if (cached) return cached;
    throw error;
  }
}
