// @ts-check
/* Starting live Python in the worker: Pyodide, then numpy and gradflow, then
 * cell_runner.py. Each stage throws an Error whose message is the one line the reader
 * sees if it fails.
 *
 * Pyodide with numpy and gradflow comes from the start-up snapshot when the service
 * worker has cached it for this deployment (snapshot-start.mjs), and otherwise the
 * normal way (loadPyodide, then loadPackage). A snapshot that fails in any way is logged
 * (console.info, one line) and the normal way follows, in the same worker. */

import { fetchDigits, installDigits } from "./digits.mjs";
import { lastLine, oneLine } from "./errors.mjs";
import { prefetchPackages } from "./prefetch.mjs";
import { discardSnapshot, findCachedSnapshot, startFromSnapshot } from "./snapshot-start.mjs";

/** @import { StartPath, Stage } from "../protocol.mjs" */
/** @import { PythonRuntime } from "./dispatch.mjs" */

const STATIC_URL = new URL("./", self.location.href).href;
const PYODIDE_DIR = new URL("pyodide/", self.location.href).href;
const CELL_RUNNER_URL = new URL("live-widgets/cell_runner.py", self.location.href).href;
// Where cell_runner.py is written inside Pyodide's in-memory file system.
const SIMULATOR_DIR = "/home/pyodide/live_widgets_runtime";
const PACKAGES = ["numpy", "gradflow"];

/**
 * Load Pyodide, numpy and gradflow (from the snapshot if it is cached), then cell_runner.
 * @param {(stage: Stage, message: string) => void} progress
 * @returns {Promise<PythonRuntime & {start: StartPath}>}
 */
export async function startRuntime(progress) {
  // cell_runner.py is small: fetch it while Pyodide downloads and compiles.
  const cellRunnerSource = fetchCellRunner();
  cellRunnerSource.catch(() => {}); // reported by the simulator stage, not as unhandled
  // The digits (117 kB) too; a failure only reaches the widgets that use them.
  const digits = fetchDigits();

  if (typeof WebAssembly !== "object") {
    throw new Error("this browser cannot run WebAssembly, which live Python needs");
  }
  // Cache lookups only: a first visit knows in milliseconds that it starts the normal way.
  const cached = await findCachedSnapshot(STATIC_URL);
  // The wheels now, not after loadPyodide (see prefetch.mjs); the snapshot carries them.
  if (!("responses" in cached)) prefetchPackages(PYODIDE_DIR, PACKAGES);

  progress("runtime", "Loading the Python runtime");
  try {
    importScripts(PYODIDE_DIR + "pyodide.js");
  } catch (error) {
    // The browser's message repeats the whole URL; the file name says enough.
    throw new Error("could not load pyodide/pyodide.js (missing or unreachable)");
  }
  const loadPyodide = /** @type {any} */ (self).loadPyodide; // defined by pyodide.js

  /** @type {any} */
  let pyodide = null;
  /** @type {StartPath} */
  let start = "normal";
  if ("responses" in cached) {
    const watch = wasmFailure();
    try {
      pyodide = await Promise.race([startFromSnapshot(cached, { loadPyodide, indexURL: PYODIDE_DIR, staticUrl: STATIC_URL }), watch.failed]);
      start = "snapshot";
    } catch (error) {
      console.info(`live-widgets: started without the start-up snapshot: ${oneLine(error)}`);
      pyodide = null;
      // Whatever a failed restore left of pyodide.asm.js's module factory, the normal
      // start loads pyodide.asm.js afresh (loadPyodide does when the factory is missing).
      delete (/** @type {any} */ (self))._createPyodideModule;
      prefetchPackages(PYODIDE_DIR, PACKAGES);
      discardSnapshot(cached, error);
    } finally {
      watch.stop();
    }
  } else {
    console.info(`live-widgets: started without the start-up snapshot: ${cached.reason}`);
  }

  if (!pyodide) {
    const watch = wasmFailure();
    try {
      pyodide = await Promise.race([loadPyodide({ indexURL: PYODIDE_DIR }), watch.failed]);
    } catch (error) {
      if (error instanceof WasmFailure) throw error;
      throw new Error(`the Python runtime did not start (${oneLine(error)})`);
    } finally {
      watch.stop();
    }
    progress("packages", "Loading numpy and gradflow");
    await loadPackages(pyodide, PACKAGES);
  }

  progress("simulator", "Loading the simulator");
  const dispatch = await importCellRunner(pyodide, await cellRunnerSource);
  installDigits(pyodide, await digits);
  return { pyodide, dispatch, start };
}

class WasmFailure extends Error {}

/**
 * Pyodide 0.27.7 does not reject when pyodide.asm.wasm is missing or corrupt: it logs
 * "wasm instantiation failed!" and the error with console.warn, then waits forever.
 * Watch for that warning so the page can say what failed instead of loading forever;
 * `stop` ends the watch (console.warn is the browser's again).
 * @returns {{failed: Promise<never>, stop: () => void}}
 */
function wasmFailure() {
  const warn = console.warn;
  const stop = () => {
    console.warn = warn;
  };
  /** @type {Promise<never>} */
  const failed = new Promise((_, reject) => {
    let seen = false;
    console.warn = (...args) => {
      warn.apply(console, args);
      if (seen) {
        stop();
        reject(new WasmFailure(`pyodide/pyodide.asm.wasm is missing or damaged (${oneLine(args[0])})`));
      } else if (String(args[0]).includes("wasm instantiation failed")) {
        seen = true; // the reason is the next warning
      }
    };
  });
  failed.catch(() => {}); // a watch that ends unneeded is not an unhandled rejection
  return { failed, stop };
}

/**
 * loadPackage reports failures through errorCallback rather than rejecting, so collect
 * them and check that every package really arrived.
 * @param {any} pyodide
 * @param {string[]} names
 */
async function loadPackages(pyodide, names) {
  /** @type {string[]} */
  const problems = [];
  try {
    await pyodide.loadPackage(names, {
      messageCallback: () => {},
      errorCallback: (/** @type {string} */ message) => problems.push(message),
    });
  } catch (error) {
    problems.push(oneLine(error));
  }
  const missing = names.filter((name) => !(name in pyodide.loadedPackages));
  if (missing.length > 0) {
    // Pyodide's messages span lines ("The following error occurred while loading numpy:"
    // then the cause); keep them as one line for the status.
    const reason = problems
      .join(" ")
      .replace(/The following error occurred while loading \S+:/g, "")
      .replace(/\s+/g, " ")
      .trim();
    throw new Error(`could not load ${missing.join(" and ")}: missing or damaged file (${reason.slice(0, 200) || "no error reported"})`);
  }
}

/** @returns {Promise<string>} the text of cell_runner.py */
async function fetchCellRunner() {
  try {
    const response = await fetch(CELL_RUNNER_URL);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return await response.text();
  } catch (error) {
    throw new Error(`could not load live-widgets/cell_runner.py (${oneLine(error)})`);
  }
}

/**
 * Write the fetched cell_runner.py into Pyodide's file system and import it.
 * @param {any} pyodide
 * @param {string} source the text of cell_runner.py
 * @returns {Promise<any>} PyProxy of cell_runner.dispatch
 */
async function importCellRunner(pyodide, source) {
  pyodide.FS.mkdirTree(SIMULATOR_DIR);
  pyodide.FS.writeFile(`${SIMULATOR_DIR}/cell_runner.py`, source);
  const sys = pyodide.pyimport("sys");
  try {
    sys.path.insert(0, SIMULATOR_DIR);
  } finally {
    sys.destroy();
  }
  try {
    const cellRunner = pyodide.pyimport("cell_runner");
    // An attribute proxy is borrowed from its module: copy it before freeing the module.
    const dispatch = cellRunner.dispatch.copy();
    cellRunner.destroy();
    return dispatch;
  } catch (error) {
    throw new Error(`the simulator did not import (${lastLine(error)})`);
  }
}
