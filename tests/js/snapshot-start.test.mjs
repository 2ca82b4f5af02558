// The worker's choice of start-up path (widgets/live_widgets/js/worker/snapshot-start.mjs):
// it uses the snapshot only when Cache Storage holds all of it for this deployment, says
// in one line why not otherwise, and drops from the cache what should not be tried again.
// Cache Storage and the manifest's fetch are fakes; the restore itself is tested in
// tests/pyodide and tests/browser.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { afterEach, test } from "node:test";
import { gzipSync } from "node:zlib";

import { readWorkerMessage, workerMessage } from "../../widgets/live_widgets/js/protocol.mjs";
import {
  RUNTIME_CACHE_PREFIX, SnapshotUnavailable, discardSnapshot, findCachedSnapshot, startFromSnapshot,
} from "../../widgets/live_widgets/js/worker/snapshot-start.mjs";
import { SnapshotError } from "../../widgets/live_widgets/js/worker/snapshot.mjs";

const STATIC = "https://example.test/book/_static/";
const DIR = STATIC + "pyodide-snapshot/";
const sha256 = (/** @type {Uint8Array} */ bytes) => createHash("sha256").update(bytes).digest("hex");

/** A snapshot's three files whose sizes and checksums agree (the heap is not a real one). */
function snapshotFiles({ heapBytes = 4096 } = {}) {
  const heap = new Uint8Array(heapBytes).fill(7);
  const files = new Uint8Array(100).fill(3);
  const heapGz = gzipSync(heap);
  const filesGz = gzipSync(files);
  const meta = new TextEncoder().encode(JSON.stringify({
    format: 1, buildId: "x", libraries: [], table: {},
    heap: { file: "heap.bin.gz", sha256: sha256(heapGz), bytes: heap.length },
    files: { file: "files.bin.gz", sha256: sha256(filesGz), bytes: files.length },
  }));
  return { "meta.json": meta, "heap.bin.gz": heapGz, "files.bin.gz": filesGz };
}

/** @param {Record<string, Uint8Array>} files */
function manifestOf(files) {
  /** @type {Record<string, {sha256: string, bytes: number}>} */
  const listed = {};
  for (const [name, bytes] of Object.entries(files)) listed[`pyodide-snapshot/${name}`] = { sha256: sha256(bytes), bytes: bytes.length };
  return { version: "v", files: listed };
}

/** Fake Cache Storage: cache name -> url -> bytes. */
function fakeCaches(/** @type {Record<string, Record<string, Uint8Array>>} */ stores) {
  globalThis.caches = /** @type {any} */ ({
    keys: async () => Object.keys(stores),
    open: async (/** @type {string} */ name) => ({
      match: async (/** @type {string} */ url) => (stores[name][url] ? new Response(stores[name][url]) : undefined),
      delete: async (/** @type {string} */ url) => delete stores[name][url],
    }),
  });
  return stores;
}

/** @param {any} manifest an object, or an Error to throw */
function fakeManifest(manifest) {
  globalThis.fetch = /** @type {any} */ (async (/** @type {string} */ url) => {
    assert.equal(url, STATIC + "asset-manifest.json");
    if (manifest instanceof Error) throw manifest;
    return new Response(JSON.stringify(manifest));
  });
}

/** @param {Record<string, Uint8Array>} files */
function inCache(files, name = RUNTIME_CACHE_PREFIX + "new") {
  /** @type {Record<string, Uint8Array>} */
  const store = {};
  for (const [file, bytes] of Object.entries(files)) store[DIR + file] = bytes;
  return fakeCaches({ [name]: store });
}

const realFetch = globalThis.fetch;
afterEach(() => {
  delete (/** @type {any} */ (globalThis)).caches;
  globalThis.fetch = realFetch;
});

/** @param {() => Promise<unknown>} start @param {RegExp} reason */
async function refused(start, reason, discard = /** @type {string | undefined} */ (undefined)) {
  await assert.rejects(start, (error) => {
    assert.ok(error instanceof SnapshotUnavailable, `${error}`);
    assert.match(error.message, reason);
    assert.equal(error.discard, discard);
    return true;
  });
}

async function found() {
  const cached = await findCachedSnapshot(STATIC);
  assert.ok("responses" in cached, JSON.stringify(cached));
  return cached;
}

const options = { loadPyodide: () => assert.fail("no restore"), indexURL: STATIC + "pyodide/", staticUrl: STATIC };

test("a first visit (no cache, or a cache without the snapshot) says so at once", async () => {
  assert.match(/** @type {any} */ (await findCachedSnapshot(STATIC)).reason, /no Cache Storage/);
  fakeCaches({});
  assert.match(/** @type {any} */ (await findCachedSnapshot(STATIC)).reason, /not cached yet/);
  const files = snapshotFiles();
  inCache({ "meta.json": files["meta.json"] });
  assert.match(/** @type {any} */ (await findCachedSnapshot(STATIC)).reason, /only some of its files/);
});

test("the newest cache holding all three files is the one used", async () => {
  const files = snapshotFiles();
  const stores = inCache(files, RUNTIME_CACHE_PREFIX + "old");
  stores[RUNTIME_CACHE_PREFIX + "new"] = { ...stores[RUNTIME_CACHE_PREFIX + "old"] };
  stores["someone-else"] = {};
  assert.equal((await found()).cacheName, RUNTIME_CACHE_PREFIX + "new");
});

test("files that differ from this deployment's manifest are refused and dropped", async () => {
  const files = snapshotFiles();
  const manifest = manifestOf(files);
  inCache({ ...files, "heap.bin.gz": files["heap.bin.gz"].subarray(0, files["heap.bin.gz"].length >> 1) });
  fakeManifest(manifest);
  await refused(async () => startFromSnapshot(await found(), options), /heap\.bin\.gz is damaged or another deployment's/, "all");
  inCache(snapshotFiles({ heapBytes: 5000 })); // whole, but an earlier deployment's
  await refused(async () => startFromSnapshot(await found(), options), /is damaged or another deployment's/, "all");
  inCache(files);
  fakeManifest({ version: "v", files: {} }); // a build without a snapshot
  await refused(async () => startFromSnapshot(await found(), options), /does not list pyodide-snapshot\/meta\.json/, "all");
});

test("an unreadable manifest (offline) keeps the cached snapshot", async () => {
  inCache(snapshotFiles());
  fakeManifest(new TypeError("Failed to fetch"));
  await refused(async () => startFromSnapshot(await found(), options), /could not read asset-manifest\.json \(Failed to fetch\)/, "none");
});

test("meta.json must describe the .gz files it sits beside", async () => {
  const files = snapshotFiles();
  const meta = JSON.parse(new TextDecoder().decode(files["meta.json"]));
  meta.heap.bytes += 1;
  const wrongSize = { ...files, "meta.json": new TextEncoder().encode(JSON.stringify(meta)) };
  inCache(wrongSize);
  fakeManifest(manifestOf(wrongSize));
  await refused(async () => startFromSnapshot(await found(), options), /heap\.bin\.gz decompressed to 4096 bytes, meta\.json says 4097/);
  meta.heap.bytes -= 1;
  meta.files.sha256 = "0".repeat(64);
  const wrongSum = { ...files, "meta.json": new TextEncoder().encode(JSON.stringify(meta)) };
  inCache(wrongSum);
  fakeManifest(manifestOf(wrongSum));
  await refused(async () => startFromSnapshot(await found(), options), /files\.bin\.gz's sha256 differs from meta\.json/);
});

test("checked files reach restorePyodide, whose refusal is a SnapshotError", async () => {
  const files = snapshotFiles();
  inCache(files);
  fakeManifest(manifestOf(files));
  await assert.rejects(async () => startFromSnapshot(await found(), options), SnapshotError);
});

test("what is dropped after a failure: damaged files all, a failed restore all but meta.json", async () => {
  const files = snapshotFiles();
  for (const [error, left] of /** @type {[unknown, string[]][]} */ ([
    [new SnapshotUnavailable("damaged", "all"), []],
    [new SnapshotUnavailable("offline", "none"), ["meta.json", "heap.bin.gz", "files.bin.gz"]],
    [new SnapshotError("the function table differs"), ["meta.json"]],
    [new Error("anything else"), ["meta.json"]],
  ])) {
    const stores = inCache(files);
    await discardSnapshot(await found(), error);
    assert.deepEqual(Object.keys(stores[RUNTIME_CACHE_PREFIX + "new"]).map((url) => url.slice(DIR.length)), left, String(error));
  }
});

test("the ready message says how the worker started; the page reads only known paths", () => {
  assert.deepEqual(readWorkerMessage(workerMessage.ready("snapshot")), { kind: "startup", event: { type: "ready", start: "snapshot" } });
  assert.deepEqual(readWorkerMessage(workerMessage.ready("normal")), { kind: "startup", event: { type: "ready", start: "normal" } });
  assert.deepEqual(readWorkerMessage({ type: "ready", start: "<b>" }), { kind: "startup", event: { type: "ready" } });
});
