// @ts-check
/* The start-up memory snapshot: Python's memory after numpy and gradflow were imported,
 * made once at build time (build/make_snapshot.mjs, in Node) and restored in the worker
 * instead of starting CPython and loading the wheels (ARCHITECTURE §2, "the start-up
 * snapshot").
 *
 * This is the ONE module that uses Pyodide 0.27.7's private internals; PRIVATE_API names
 * each of them and why, and checkPrivateApi (tests/pyodide/test_snapshot.py) fails loudly
 * when a Pyodide upgrade removes or renames one. Pyodide's own snapshot API
 * (`_makeSnapshot`, `_loadSnapshot`) saves the heap but neither the wasm function table nor
 * the side modules (numpy's 19 shared libraries): after a plain restore numpy dies with
 * "table index is out of bounds". So at make time every library gets a dso handle in the
 * heap, where Emscripten records its memory and table bases; at restore, before Pyodide
 * copies the heap back, each library is loaded again at those same bases.
 *
 * Nothing here imports node: modules, so the worker bundle can include it. */

export const SNAPSHOT_DIR = "pyodide-snapshot/";
export const SNAPSHOT_FORMAT = 1;
/** What the snapshot holds imported; the worker's warm-up (worker/main.mjs) does the same. */
export const SNAPSHOT_PACKAGES = Object.freeze(["numpy", "gradflow"]);
export const WARM_UP_CODE =
  "import numpy, gradflow, gradflow.views\nnumpy.random.default_rng(0).standard_normal(8)";

/** Any reason the snapshot cannot be used; its message is one line. */
export class SnapshotError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = "SnapshotError";
  }
}

/**
 * Every private Pyodide 0.27.7 / Emscripten 3.1.58 internal this module relies on, with
 * why. `where` says where checkPrivateApi looks for `text` (each string must occur):
 * "loader" (pyodide.js and pyodide.mjs, the loaders the worker and Node use),
 * "pyodide.asm.js" (the Emscripten module, which also holds Pyodide's own JS API), or
 * "live" (a property of a started pyodide object, checked by checkLiveApi).
 */
export const PRIVATE_API = Object.freeze([
  { name: "loadPyodide({_makeSnapshot})", where: "pyodide.asm.js", text: ["API.config._makeSnapshot"],
    why: "enables makeMemorySnapshot and records which JS objects Python holds as paths from globalThis" },
  { name: "loadPyodide({_loadSnapshot})", where: "loader", text: ["_loadSnapshot", "noInitialRun=!0"],
    why: "starts the Emscripten module without running CPython's main, and Pyodide copies the snapshot into its memory" },
  { name: "Pyodide's snapshot header (magic, heap offset, build id at bytes 16-47)", where: "pyodide.asm.js",
    text: ["1886286592", "4+4+4+4+32", "Snapshot build id mismatch"],
    why: "read before starting, to refuse a heap made by another build without instantiating anything" },
  { name: "globalThis._createPyodideModule", where: "pyodide.asm.js", text: ["globalThis._createPyodideModule = _createPyodideModule"],
    why: "wrapped during a restore to add a preRun hook: the libraries must be loaded again before Pyodide restores the heap" },
  { name: "the loader calls the global _createPyodideModule with Emscripten settings holding preRun", where: "loader",
    text: ["await _createPyodideModule(", "preRun:"],
    why: "the hook that writes site-packages into MEMFS and reloads the libraries is added to those settings" },
  { name: "Module.loadDynamicLibrary(name, flags, localScope, handle)", where: "pyodide.asm.js",
    text: ["function loadDynamicLibrary(libName,flags={global:true,nodelete:true},localScope,handle)", "Module[\"loadDynamicLibrary\"]=loadDynamicLibrary"],
    why: "wrapped at make time to give each library a dso handle; called with that handle at restore" },
  { name: "dso handle layout (+8 loaded, +12 memoryBase, +16 memorySize, +20 tableBase, +24 tableSize)", where: "pyodide.asm.js",
    text: ["var firstLoad=!handle||!HEAP8[handle+8>>>0];if(firstLoad){var memAlign=Math.pow(2,metadata.memoryAlign);var memoryBase=metadata.memorySize?alignMemory(getMemory(metadata.memorySize+memAlign),memAlign):0;var tableBase=metadata.tableSize?wasmTable.length:0;if(handle){HEAP8[handle+8>>>0]=1;HEAPU32[handle+12>>>2>>>0]=memoryBase;HEAP32[handle+16>>>2>>>0]=metadata.memorySize;HEAPU32[handle+20>>>2>>>0]=tableBase;HEAP32[handle+24>>>2>>>0]=metadata.tableSize}}else{memoryBase=HEAPU32[handle+12>>>2>>>0];tableBase=HEAPU32[handle+20>>>2>>>0]}"],
    why: "a handle with the loaded byte set makes Emscripten reuse the recorded memory and table bases, so the restored heap's pointers stay valid" },
  { name: "Module.LDSO.loadedLibsByName / loadedLibsByHandle", where: "pyodide.asm.js", text: ["var LDSO={loadedLibsByName:{},loadedLibsByHandle:{}", "Module[\"LDSO\"]=LDSO"],
    why: "which libraries are loaded; Pyodide also lists each under its base name, and C's dlopen handles map to them" },
  { name: "Module.reportUndefinedSymbols", where: "pyodide.asm.js", text: ["Module[\"reportUndefinedSymbols\"]=reportUndefinedSymbols"],
    why: "fills the GOT after the libraries are loaded, in the same order as Pyodide's loadPackage" },
  { name: "Module._calloc", where: "pyodide.asm.js", text: ["Module[\"_calloc\"]"],
    why: "allocates the zeroed 64-byte dso handles inside the heap, so they are part of the snapshot" },
  { name: "Module.wasmTable", where: "pyodide.asm.js", text: ["Module[\"wasmTable\"]=wasmTable"],
    why: "its length and contents are compared between make and restore" },
  { name: "pyodide.makeMemorySnapshot()", where: "live", text: ["makeMemorySnapshot"],
    why: "the heap with a header (magic, build id, the JS references Python holds)" },
  { name: "pyodide._module", where: "live", text: ["_module"], why: "the Emscripten Module at make time" },
  { name: "pyodide._api.config.BUILD_ID", where: "live", text: ["_api.config.BUILD_ID"],
    why: "a snapshot only fits the very pyodide.asm.js/.wasm it was made with" },
  { name: "pyodide._api.sitepackages", where: "live", text: ["_api.sitepackages"], why: "where the wheels were unpacked" },
  { name: "pyodide._api.lockfile_packages", where: "live", text: ["_api.lockfile_packages"],
    why: "the shipped wheels' sha256, compared with the ones the snapshot was made from" },
]);

// The dso handle Emscripten fills in (see PRIVATE_API): 64 bytes is more than its fields
// (the file name at +36 is only used by C's dlopen, which never sees these handles).
const DSO_HANDLE_BYTES = 64;
const HANDLE_LOADED = 8;
const HANDLE_MEMORY_BASE = 12;
const HANDLE_TABLE_BASE = 20;
// Pyodide's snapshot header (src/js/snapshot.ts): magic, offset of the heap, JSON length,
// padding, then the 256-bit build id.
const PYODIDE_SNAPSHOT_MAGIC = 0x706e7300;
const FILES_MAGIC = "LWFILES1";

/**
 * The private internals that are missing from the sources of a Pyodide release.
 * @param {Record<string, string>} sources file name ("pyodide.js", "pyodide.mjs",
 *   "pyodide.asm.js") -> its text; a loader missing from `sources` is not checked
 * @returns {string[]} one line per missing internal (empty: all present)
 */
export function checkPrivateApi(sources) {
  /** @type {string[]} */
  const problems = [];
  for (const entry of PRIVATE_API) {
    if (entry.where === "live") continue;
    const files = entry.where === "loader" ? ["pyodide.js", "pyodide.mjs"].filter((file) => file in sources) : [entry.where];
    if (files.length === 0) problems.push(`no loader (pyodide.js or pyodide.mjs) was given to check ${entry.name}`);
    for (const file of files) {
      const text = sources[file];
      if (typeof text !== "string") {
        problems.push(`${file} was not given to check ${entry.name}`);
      } else if (!entry.text.every((piece) => text.includes(piece))) {
        problems.push(`${entry.name} is no longer in ${file} (needed because it ${entry.why})`);
      }
    }
  }
  return problems;
}

/**
 * The same for a started pyodide object (made with `_makeSnapshot: true` for
 * makeMemorySnapshot to be present).
 * @param {any} pyodide
 * @returns {string[]}
 */
export function checkLiveApi(pyodide) {
  const Module = pyodide._module;
  /** @type {string[]} */
  const problems = [];
  const need = (/** @type {boolean} */ ok, /** @type {string} */ name) => {
    if (!ok) problems.push(`${name} is missing from the started runtime`);
  };
  need(typeof pyodide.makeMemorySnapshot === "function", "pyodide.makeMemorySnapshot()");
  need(Boolean(Module), "pyodide._module");
  need(typeof pyodide._api?.config?.BUILD_ID === "string", "pyodide._api.config.BUILD_ID");
  need(typeof pyodide._api?.sitepackages === "string", "pyodide._api.sitepackages");
  need(typeof pyodide._api?.lockfile_packages === "object", "pyodide._api.lockfile_packages");
  if (Module) {
    need(typeof Module.loadDynamicLibrary === "function", "Module.loadDynamicLibrary");
    need(typeof Module.reportUndefinedSymbols === "function", "Module.reportUndefinedSymbols");
    need(typeof Module._calloc === "function", "Module._calloc");
    need(Module.wasmTable instanceof WebAssembly.Table, "Module.wasmTable");
    need(typeof Module.LDSO?.loadedLibsByName === "object", "Module.LDSO.loadedLibsByName");
    need(typeof Module.LDSO?.loadedLibsByHandle === "object", "Module.LDSO.loadedLibsByHandle");
  }
  return problems;
}

/**
 * A fingerprint of the wasm function table's first `length` slots: each slot's function
 * index (`name`, as the JS API defines it) and arity, or empty. Two runtimes whose
 * fingerprints agree hold the same functions at the same table indices.
 * @param {WebAssembly.Table} table
 * @param {number} length
 * @returns {string} 8 hex digits
 */
export function tableFingerprint(table, length) {
  let hash = 0x811c9dc5;
  for (let index = 0; index < length; index++) {
    const entry = table.get(index);
    const token = entry ? `${entry.name}/${entry.length};` : "-;";
    for (let i = 0; i < token.length; i++) {
      hash = Math.imul(hash ^ token.charCodeAt(i), 0x01000193) >>> 0;
    }
  }
  return hash.toString(16).padStart(8, "0");
}

/**
 * @typedef {object} SnapshotLibrary
 * @property {string} path where Pyodide loaded it from (absolute, in site-packages)
 * @property {boolean} global whether its symbols were made global
 * @property {number} handle address of its dso handle in the heap
 * @property {number} memoryBase
 * @property {number} tableBase
 */

/**
 * Make a snapshot (Node, at build time). Starts Pyodide with `loadPyodide`, loads and
 * imports SNAPSHOT_PACKAGES as the worker would, and returns the snapshot's parts; the
 * caller compresses and writes them and adds the file entries to `meta`.
 * @param {{loadPyodide: any, indexURL: string, stdout?: (line: string) => void, stderr?: (line: string) => void}} options
 * @returns {Promise<{meta: any, heap: Uint8Array, files: Uint8Array, timings: Record<string, number>}>}
 */
export async function makeSnapshot({ loadPyodide, indexURL, stdout, stderr }) {
  const started = Date.now();
  const pyodide = await loadPyodide({ indexURL, _makeSnapshot: true, stdout, stderr });
  const live = checkLiveApi(pyodide);
  if (live.length) throw new SnapshotError(live.join("; "));
  const Module = pyodide._module;
  /** @type {Record<string, number>} */
  const timings = {};
  let stageStarted = started;
  const timed = (/** @type {string} */ stage) => {
    timings[stage] = Date.now() - stageStarted;
    stageStarted = Date.now();
  };
  timed("loadPyodide");

  /** @type {SnapshotLibrary[]} */
  const libraries = [];
  const tableBeforeLibraries = Module.wasmTable.length;
  const original = Module.loadDynamicLibrary;
  Module.loadDynamicLibrary = function (/** @type {string} */ name, /** @type {any} */ flags, /** @type {any} */ localScope, /** @type {number | undefined} */ handle) {
    if (handle === undefined && !Module.LDSO.loadedLibsByName[name]) {
      handle = /** @type {number} */ (Module._calloc(1, DSO_HANDLE_BYTES));
      libraries.push({ path: name, global: Boolean(flags && flags.global), handle, memoryBase: 0, tableBase: 0 });
    }
    return original.call(this, name, flags, localScope, handle);
  };
  /** @type {string[]} */
  const problems = [];
  try {
    await pyodide.loadPackage([...SNAPSHOT_PACKAGES], {
      messageCallback: () => {},
      errorCallback: (/** @type {string} */ message) => problems.push(message),
    });
  } finally {
    Module.loadDynamicLibrary = original;
  }
  const missing = SNAPSHOT_PACKAGES.filter((name) => !(name in pyodide.loadedPackages));
  if (missing.length) {
    throw new SnapshotError(`could not load ${missing.join(" and ")}: ${problems.join(" ").replace(/\s+/g, " ")}`);
  }
  const tableAfterLibraries = Module.wasmTable.length;
  const fingerprint = tableFingerprint(Module.wasmTable, tableAfterLibraries);
  timed("loadPackage");

  for (const library of libraries) {
    if (!Module.HEAPU8[library.handle + HANDLE_LOADED]) {
      throw new SnapshotError(`Emscripten did not fill the dso handle of ${library.path}`);
    }
    library.memoryBase = Module.HEAPU32[(library.handle + HANDLE_MEMORY_BASE) >>> 2];
    library.tableBase = Module.HEAPU32[(library.handle + HANDLE_TABLE_BASE) >>> 2];
  }
  // Every library Emscripten knows must be one of ours (a library loaded as another's
  // dependency would bypass the wrapper and get no handle).
  const ours = new Set(libraries.map((library) => library.path));
  for (const [name, dso] of Object.entries(Module.LDSO.loadedLibsByName)) {
    if (name !== "__main__" && !ours.has(/** @type {any} */ (dso).name)) {
      throw new SnapshotError(`library ${name} was loaded without a dso handle`);
    }
  }

  pyodide.runPython(`${WARM_UP_CODE}\nimport gc\ngc.collect()`);
  timed("warmUp");

  // C's dlopen made its own handles for the extension modules Python imported.
  /** @type {Record<string, string>} */
  const handles = {};
  for (const [handle, dso] of Object.entries(Module.LDSO.loadedLibsByHandle)) {
    if (Number(handle) !== 0) handles[handle] = /** @type {any} */ (dso).name;
  }
  const openFiles = Module.FS.streams.map((/** @type {any} */ stream, /** @type {number} */ fd) => (stream && fd > 2 ? stream.path : null))
    .filter(Boolean);
  if (openFiles.length) {
    throw new SnapshotError(`Python holds files open (${openFiles.join(", ")}): a snapshot cannot keep them`);
  }

  // makeMemorySnapshot insists that the JS object behind pyodide.loadedPackages is empty
  // ("Unexpected hiwire entry at index 6"); restorePyodide marks the packages again.
  const loaded = { ...pyodide.loadedPackages };
  for (const name of Object.keys(pyodide.loadedPackages)) delete pyodide.loadedPackages[name];
  const heap = pyodide.makeMemorySnapshot();
  Object.assign(pyodide.loadedPackages, loaded);
  timed("snapshot");

  const sitePackages = pyodide._api.sitepackages;
  const files = packFiles(listFiles(Module.FS, sitePackages));
  /** @type {Record<string, string>} */
  const packages = {};
  for (const name of SNAPSHOT_PACKAGES) packages[name] = pyodide._api.lockfile_packages[name].sha256;

  const meta = {
    format: SNAPSHOT_FORMAT,
    pyodideVersion: pyodide.version,
    buildId: pyodide._api.config.BUILD_ID,
    packages,
    loaded,
    sitePackages,
    libraries,
    handles,
    table: { beforeLibraries: tableBeforeLibraries, afterLibraries: tableAfterLibraries, fingerprint },
  };
  return { meta, heap, files, timings };
}

/**
 * Every file under `dir` in Emscripten's FS, with its mode.
 * @param {any} FS
 * @param {string} dir
 * @returns {{path: string, mode: number, data: Uint8Array}[]}
 */
function listFiles(FS, dir) {
  /** @type {{path: string, mode: number, data: Uint8Array}[]} */
  const found = [];
  for (const name of FS.readdir(dir).sort()) {
    if (name === "." || name === "..") continue;
    const path = `${dir}/${name}`;
    const { mode } = FS.lstat(path);
    if (FS.isDir(mode)) found.push(...listFiles(FS, path));
    else if (FS.isFile(mode)) found.push({ path, mode, data: FS.readFile(path) });
    else throw new SnapshotError(`${path} is neither a file nor a folder: a snapshot cannot keep it`);
  }
  return found;
}

/**
 * files.bin: "LWFILES1", a uint32 count, then per file uint32 path length, the path
 * (UTF-8), uint32 mode, uint32 size and the bytes (all little-endian).
 * @param {{path: string, mode: number, data: Uint8Array}[]} entries
 */
function packFiles(entries) {
  const encoder = new TextEncoder();
  const paths = entries.map((entry) => encoder.encode(entry.path));
  const total = 12 + entries.reduce((sum, entry, i) => sum + 12 + paths[i].length + entry.data.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(encoder.encode(FILES_MAGIC), 0);
  view.setUint32(8, entries.length, true);
  let at = 12;
  entries.forEach((entry, i) => {
    view.setUint32(at, paths[i].length, true);
    out.set(paths[i], at + 4);
    at += 4 + paths[i].length;
    view.setUint32(at, entry.mode, true);
    view.setUint32(at + 4, entry.data.length, true);
    out.set(entry.data, at + 8);
    at += 8 + entry.data.length;
  });
  return out;
}

/**
 * @param {Uint8Array} bytes files.bin
 * @returns {{path: string, mode: number, data: Uint8Array}[]}
 */
export function unpackFiles(bytes) {
  const decoder = new TextDecoder();
  const truncated = () => new SnapshotError("files.bin is truncated or damaged");
  if (bytes.length < 12 || decoder.decode(bytes.subarray(0, 8)) !== FILES_MAGIC) throw truncated();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(8, true);
  const entries = [];
  let at = 12;
  for (let i = 0; i < count; i++) {
    if (at + 4 > bytes.length) throw truncated();
    const pathLength = view.getUint32(at, true);
    if (at + 12 + pathLength > bytes.length) throw truncated();
    const path = decoder.decode(bytes.subarray(at + 4, at + 4 + pathLength));
    at += 4 + pathLength;
    const mode = view.getUint32(at, true);
    const size = view.getUint32(at + 4, true);
    if (at + 8 + size > bytes.length || !path.startsWith("/")) throw truncated();
    entries.push({ path, mode, data: bytes.subarray(at + 8, at + 8 + size) });
    at += 8 + size;
  }
  if (at !== bytes.length) throw truncated();
  return entries;
}

/**
 * Check what can be checked before starting: the format, the sizes, and that the heap's
 * header carries the build id meta.json names.
 * @param {any} meta
 * @param {Uint8Array} heap
 * @param {Uint8Array} files
 */
function checkParts(meta, heap, files) {
  if (!meta || typeof meta !== "object") throw new SnapshotError("meta.json is not an object");
  if (meta.format !== SNAPSHOT_FORMAT) {
    throw new SnapshotError(`snapshot format ${meta.format} is not ${SNAPSHOT_FORMAT}, the one this script reads`);
  }
  for (const [part, bytes] of /** @type {[string, Uint8Array][]} */ ([["heap", heap], ["files", files]])) {
    if (!(bytes instanceof Uint8Array)) throw new SnapshotError(`the snapshot's ${part} is not a Uint8Array`);
    if (bytes.length !== meta[part]?.bytes) {
      throw new SnapshotError(`the snapshot's ${part} has ${bytes.length} bytes, meta.json says ${meta[part]?.bytes}`);
    }
  }
  if (!Array.isArray(meta.libraries) || !meta.table || typeof meta.buildId !== "string") {
    throw new SnapshotError("meta.json lacks libraries, table or buildId");
  }
  const header = new DataView(heap.buffer, heap.byteOffset, Math.min(heap.byteLength, 48));
  if (heap.length < 48 || header.getUint32(0, true) !== PYODIDE_SNAPSHOT_MAGIC) {
    throw new SnapshotError("the snapshot's heap has no Pyodide snapshot header");
  }
  let buildId = "";
  for (let i = 0; i < 8; i++) buildId += header.getUint32(16 + 4 * i, true).toString(16).padStart(8, "0");
  if (buildId !== meta.buildId) throw new SnapshotError("the snapshot's heap was made by another Pyodide build than meta.json says");
  return header.getUint32(4, true); // where the heap starts
}

/**
 * Start Pyodide from a snapshot. `heap` and `files` are the decompressed bytes; `meta` is
 * the parsed meta.json. Resolves to a pyodide object with SNAPSHOT_PACKAGES loaded and
 * imported. Rejects with a SnapshotError (one line) on any mismatch or failure, leaving
 * globalThis as it was (apart from pyodide.asm.js having been loaded), so the caller can
 * start with a plain loadPyodide in the same worker or process.
 * @param {{loadPyodide: any, indexURL: string, meta: any, heap: Uint8Array, files: Uint8Array,
 *   stdout?: (line: string) => void, stderr?: (line: string) => void}} options
 * @returns {Promise<any>}
 */
export async function restorePyodide({ loadPyodide, indexURL, meta, heap, files, stdout, stderr }) {
  const heapStart = checkParts(meta, heap, files);
  const entries = unpackFiles(files);
  const global = /** @type {any} */ (globalThis);
  const hadFactory = Object.prototype.hasOwnProperty.call(global, "_createPyodideModule");
  /** @type {any} */
  let factory = global._createPyodideModule;
  /** @type {(error: unknown) => void} */
  let fail = () => {};
  const failed = new Promise((_, reject) => (fail = reject));
  failed.catch(() => {});
  const wrapped = (/** @type {any} */ settings) => {
    settings.preRun = [(/** @type {any} */ Module) => reloadLibraries(Module, { meta, heap, heapStart, entries, fail }), ...settings.preRun];
    return Promise.race([factory(settings), failed]);
  };
  // pyodide.asm.js may not be loaded yet: catch its assignment to the global.
  Object.defineProperty(global, "_createPyodideModule", {
    configurable: true,
    get: () => (factory ? wrapped : undefined),
    // pyodide.asm.js ends with `globalThis._createPyodideModule = _createPyodideModule`,
    // which reads this getter (wrapped) and writes it back: keep the real factory, or
    // wrapped would call itself (Chromium's classic worker: "Maximum call stack size").
    set: (value) => {
      if (value !== wrapped) factory = value;
    },
  });
  let pyodide;
  try {
    pyodide = await Promise.race([loadPyodide({ indexURL, _loadSnapshot: heap, stdout, stderr }), failed]);
  } catch (error) {
    if (error instanceof SnapshotError) throw error;
    throw new SnapshotError(`the snapshot did not restore (${firstLine(error)})`);
  } finally {
    delete global._createPyodideModule;
    if (hadFactory || factory) global._createPyodideModule = factory;
  }
  try {
    checkRestored(pyodide, meta);
    // JS-side state the heap does not hold: mark the packages loaded (as loadPackage did),
    // and reseed Python's random module, which was seeded when the snapshot was made.
    Object.assign(pyodide.loadedPackages, meta.loaded);
    pyodide.runPython("import sys\nif 'random' in sys.modules: sys.modules['random'].seed()");
  } catch (error) {
    if (error instanceof SnapshotError) throw error;
    throw new SnapshotError(`the restored runtime failed a check (${firstLine(error)})`);
  }
  return pyodide;
}

/**
 * The preRun hook: runs after the Emscripten module is instantiated and before Pyodide
 * copies the snapshot into its memory. Writes site-packages into MEMFS, then loads every
 * library again at the memory and table bases its handle recorded.
 * @param {any} Module
 * @param {{meta: any, heap: Uint8Array, heapStart: number, entries: {path: string, mode: number, data: Uint8Array}[], fail: (error: unknown) => void}} parts
 */
function reloadLibraries(Module, { meta, heap, heapStart, entries, fail }) {
  Module.addRunDependency("lw-snapshot-libraries");
  (async () => {
    const FS = Module.FS;
    for (const entry of entries) {
      FS.mkdirTree(entry.path.slice(0, entry.path.lastIndexOf("/")));
      FS.writeFile(entry.path, entry.data);
      FS.chmod(entry.path, entry.mode);
    }
    if (Module.wasmTable.length !== meta.table.beforeLibraries) {
      throw new SnapshotError(`the function table has ${Module.wasmTable.length} slots before the libraries, the snapshot expects ${meta.table.beforeLibraries}`);
    }
    const fs = { findObject: (/** @type {string} */ path) => FS.findObject(path), readFile: (/** @type {string} */ path) => FS.readFile(path) };
    for (const library of /** @type {SnapshotLibrary[]} */ (meta.libraries)) {
      // The handle as the snapshot holds it (loaded byte set, bases recorded), copied
      // into this fresh memory for Emscripten to read; Pyodide then overwrites it all.
      const at = heapStart + library.handle;
      Module.HEAPU8.set(heap.subarray(at, at + DSO_HANDLE_BYTES), library.handle);
      if (!Module.HEAPU8[library.handle + HANDLE_LOADED]
          || Module.HEAPU32[(library.handle + HANDLE_MEMORY_BASE) >>> 2] !== library.memoryBase
          || Module.HEAPU32[(library.handle + HANDLE_TABLE_BASE) >>> 2] !== library.tableBase) {
        throw new SnapshotError(`the snapshot's heap does not hold the dso handle of ${library.path}`);
      }
      await Module.loadDynamicLibrary(library.path,
        { loadAsync: true, nodelete: true, allowUndefined: true, global: library.global, fs },
        library.global ? null : {}, library.handle);
      // as Pyodide's loadDynlib does: the library is also known by its base name
      const base = library.path.slice(library.path.lastIndexOf("/") + 1);
      Module.LDSO.loadedLibsByName[base] ??= Module.LDSO.loadedLibsByName[library.path];
    }
    Module.reportUndefinedSymbols();
    for (const [handle, name] of Object.entries(meta.handles || {})) {
      const dso = Module.LDSO.loadedLibsByName[name];
      if (!dso) throw new SnapshotError(`the snapshot's dlopen handle ${handle} names ${name}, which is not loaded`);
      Module.LDSO.loadedLibsByHandle[handle] = dso;
    }
    if (Module.wasmTable.length < meta.table.afterLibraries
        || tableFingerprint(Module.wasmTable, meta.table.afterLibraries) !== meta.table.fingerprint) {
      throw new SnapshotError("the reloaded libraries' function table differs from the snapshot's");
    }
    Module.removeRunDependency("lw-snapshot-libraries");
  })().catch((error) => fail(error instanceof SnapshotError ? error
    : new SnapshotError(`the snapshot's libraries did not load again (${firstLine(error)})`)));
}

/**
 * After the restore: the runtime is the one the snapshot was made for.
 * @param {any} pyodide
 * @param {any} meta
 */
function checkRestored(pyodide, meta) {
  if (pyodide.version !== meta.pyodideVersion) {
    throw new SnapshotError(`the snapshot is for Pyodide ${meta.pyodideVersion}, this is ${pyodide.version}`);
  }
  const lock = pyodide._api.lockfile_packages || {};
  for (const [name, sha256] of Object.entries(meta.packages || {})) {
    if (lock[name]?.sha256 !== sha256) {
      throw new SnapshotError(`the snapshot was made with another ${name} wheel than pyodide-lock.json lists`);
    }
  }
}

/** @param {unknown} error */
function firstLine(error) {
  const text = String((error && /** @type {any} */ (error).message) || error);
  return text.split("\n").find((line) => line.trim())?.trim().slice(0, 200) || "no message";
}
