// @ts-check
/* Starting from the start-up snapshot on a returning visit (ARCHITECTURE §2, "the
 * start-up snapshot").
 *
 * The snapshot (_static/pyodide-snapshot/: meta.json, heap.bin.gz, files.bin.gz, made at
 * build time by build/make_snapshot.mjs) is Python's memory with numpy and gradflow
 * already imported: restoring it skips about two seconds of CPU. It adds ~14 MB (gzip)
 * to download, so it pays on a first visit only on a fast link; the service worker
 * (static/live-widgets-sw.js) caches it in the background after a visit whose live Python
 * started, and a later visit uses it. This worker never downloads it: it uses the
 * snapshot only when Cache Storage already holds all three files, their sha256 agree
 * with this deployment's asset-manifest.json and with meta.json, they decompress to the
 * sizes meta.json states, the restore succeeds and numpy answers. Any other outcome is a
 * SnapshotUnavailable with a one-line reason, and startup.mjs starts the normal way. */

import { lastLine, oneLine } from "./errors.mjs";
import { SNAPSHOT_DIR, restorePyodide } from "./snapshot.mjs";

/** The service worker's cache names start with this (static/live-widgets-sw.js). */
export const RUNTIME_CACHE_PREFIX = "deep-revolution-runtime-";
const FILES = /** @type {const} */ (["meta.json", "heap.bin.gz", "files.bin.gz"]);
const MANIFEST = "asset-manifest.json";

/**
 * Why the snapshot was not used; its message is the one line startup.mjs logs. `discard`
 * says what discardSnapshot removes from the cache: "all" when the cached bytes are
 * damaged or another deployment's (the service worker fetches them again after this
 * visit), "none" when nothing is wrong with them (offline, an older browser). Any other
 * failure (the restore itself) discards heap and files but keeps meta.json, so the
 * service worker does not download a snapshot this browser cannot use on every visit.
 */
export class SnapshotUnavailable extends Error {
  /** @param {string} message @param {"all" | "none"} [discard] */
  constructor(message, discard) {
    super(message);
    this.discard = discard;
  }
}

/**
 * @typedef {object} CachedSnapshot
 * @property {string} dir absolute URL of _static/pyodide-snapshot/
 * @property {string} cacheName the Cache Storage cache that holds them
 * @property {Record<string, Response>} responses file name -> cached response (unread)
 */

/**
 * The snapshot files in Cache Storage, if one cache holds all three; only cache lookups,
 * so a first visit (no cache) decides in a few milliseconds. Never rejects.
 * @param {string} staticUrl absolute URL of _static/
 * @returns {Promise<CachedSnapshot | {reason: string}>}
 */
export async function findCachedSnapshot(staticUrl) {
  const dir = new URL(SNAPSHOT_DIR, staticUrl).href;
  try {
    if (typeof caches === "undefined") return { reason: "this page has no Cache Storage" };
    const names = (await caches.keys()).filter((name) => name.startsWith(RUNTIME_CACHE_PREFIX));
    let partial = false;
    // newest cache first: an older deployment's cache lingers until the new service
    // worker activates
    for (const name of names.reverse()) {
      const cache = await caches.open(name);
      const found = await Promise.all(FILES.map((file) => cache.match(dir + file)));
      if (found.every(Boolean)) {
        /** @type {Record<string, Response>} */
        const responses = {};
        FILES.forEach((file, index) => (responses[file] = /** @type {Response} */ (found[index])));
        return { dir, cacheName: name, responses };
      }
      partial ||= found.some(Boolean);
    }
    return {
      reason: partial
        ? "the cache holds only some of its files"
        : "it is not cached yet (the service worker caches it after a visit whose live Python started)",
    };
  } catch (error) {
    return { reason: `Cache Storage could not be read (${oneLine(error)})` };
  }
}

/**
 * Check the cached files, decompress them and restore Pyodide from them.
 * @param {CachedSnapshot} cached
 * @param {{loadPyodide: any, indexURL: string, staticUrl: string}} options
 * @returns {Promise<any>} the pyodide object, numpy and gradflow imported
 */
export async function startFromSnapshot(cached, { loadPyodide, indexURL, staticUrl }) {
  if (typeof DecompressionStream === "undefined") {
    throw new SnapshotUnavailable("this browser has no DecompressionStream", "none");
  }
  performance.mark("lw-snapshot-read-start");
  const [listed, metaBytes, heapGz, filesGz] = await Promise.all([
    manifestEntries(staticUrl),
    ...FILES.map((file) => readCached(cached.responses[file], file)),
  ]);
  const read = { "meta.json": metaBytes, "heap.bin.gz": heapGz, "files.bin.gz": filesGz };
  for (const file of FILES) {
    const bytes = read[file];
    const entry = listed[file];
    if (!entry) throw new SnapshotUnavailable(`${MANIFEST} does not list pyodide-snapshot/${file}`, "all");
    if (bytes.length !== entry.bytes || (await sha256Hex(bytes)) !== entry.sha256) {
      throw new SnapshotUnavailable(`the cached ${file} is damaged or another deployment's (its size or sha256 differs from ${MANIFEST})`, "all");
    }
  }
  /** @type {any} */
  let meta;
  try {
    meta = JSON.parse(new TextDecoder().decode(metaBytes));
  } catch (error) {
    throw new SnapshotUnavailable(`meta.json is not JSON (${oneLine(error)})`);
  }
  const [heap, files] = await Promise.all([
    unpack(heapGz, meta && meta.heap, "heap.bin.gz"),
    unpack(filesGz, meta && meta.files, "files.bin.gz"),
  ]);
  performance.mark("lw-snapshot-read-end");
  performance.measure("lw-snapshot-read", "lw-snapshot-read-start", "lw-snapshot-read-end");
  const pyodide = await restorePyodide({ loadPyodide, indexURL, meta, heap, files });
  smokeCheck(pyodide);
  performance.mark("lw-snapshot-restored");
  performance.measure("lw-snapshot-restore", "lw-snapshot-read-end", "lw-snapshot-restored");
  return pyodide;
}

/**
 * What this deployment's asset-manifest.json says about the snapshot's files. Asked of
 * the server each time (a small file; revalidated, not downloaded, when unchanged), so a
 * snapshot cached by an earlier deployment is never used with this one's runtime.
 * @param {string} staticUrl
 * @returns {Promise<Record<string, {sha256: string, bytes: number}>>}
 */
async function manifestEntries(staticUrl) {
  /** @type {any} */
  let manifest;
  try {
    const response = await fetch(new URL(MANIFEST, staticUrl).href, { cache: "no-cache" });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    manifest = await response.json();
  } catch (error) {
    throw new SnapshotUnavailable(`could not read ${MANIFEST} (${oneLine(error)})`, "none");
  }
  /** @type {Record<string, {sha256: string, bytes: number}>} */
  const entries = {};
  for (const file of FILES) {
    const entry = manifest && manifest.files && manifest.files[SNAPSHOT_DIR + file];
    if (entry) entries[file] = entry;
  }
  return entries;
}

/**
 * @param {Response} response
 * @param {string} file
 */
async function readCached(response, file) {
  try {
    return new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    throw new SnapshotUnavailable(`the cached ${file} could not be read (${oneLine(error)})`, "all");
  }
}

/**
 * Gunzip `gz`, checking it against meta.json's entry {sha256 (of the .gz), bytes}.
 * @param {Uint8Array<ArrayBuffer>} gz
 * @param {any} entry
 * @param {string} file
 */
async function unpack(gz, entry, file) {
  if (!entry || typeof entry.sha256 !== "string" || typeof entry.bytes !== "number") {
    throw new SnapshotUnavailable(`meta.json does not describe ${file}`);
  }
  if ((await sha256Hex(gz)) !== entry.sha256) {
    throw new SnapshotUnavailable(`${file}'s sha256 differs from meta.json`);
  }
  let bytes;
  try {
    const stream = new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip"));
    bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    throw new SnapshotUnavailable(`${file} did not decompress (${oneLine(error)})`);
  }
  if (bytes.length !== entry.bytes) {
    throw new SnapshotUnavailable(`${file} decompressed to ${bytes.length} bytes, meta.json says ${entry.bytes}`);
  }
  return bytes;
}

/**
 * A tiny numpy and gradflow call on the restored interpreter: a restore that "worked"
 * but left a broken numpy fails here, before the page is told Python is ready.
 * @param {any} pyodide
 */
function smokeCheck(pyodide) {
  let answer;
  try {
    answer = pyodide.runPython("import numpy, gradflow\nint(numpy.arange(10, dtype=numpy.float64).sum())");
  } catch (error) {
    throw new SnapshotUnavailable(`numpy failed after the restore (${lastLine(error)})`);
  }
  if (answer !== 45) throw new SnapshotUnavailable(`numpy answered ${answer} for 0 + 1 + ... + 9 after the restore`);
}

/** @param {Uint8Array<ArrayBuffer>} bytes */
async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * After a failed start from `cached`, remove what should not be tried again (see
 * SnapshotUnavailable). Never rejects.
 * @param {CachedSnapshot} cached
 * @param {unknown} error what startFromSnapshot threw
 */
export async function discardSnapshot(cached, error) {
  const discard = error instanceof SnapshotUnavailable && error.discard ? error.discard : "data";
  if (discard === "none") return;
  const files = discard === "all" ? FILES : FILES.filter((file) => file !== "meta.json");
  try {
    const cache = await caches.open(cached.cacheName);
    await Promise.all(files.map((file) => cache.delete(cached.dir + file)));
  } catch {
    // the next visit meets the same failure and falls back again
  }
}
