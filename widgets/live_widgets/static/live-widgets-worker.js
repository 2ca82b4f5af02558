// @ts-check
/* Deep Revolution: the page's one Web Worker, running Pyodide 0.27.7 + numpy + gradflow.
 *
 * Message vocabulary (widgets/ARCHITECTURE.md §6):
 *
 *   page -> worker
 *     {id, type: "view",  view, settings}   compute a gradient-flow view
 *     {id, type: "run",   code, cellId}     run a live code cell in the page namespace
 *     {id, type: "check", code, checks}     run an exercise's checks against the reader's code
 *     {id, type: "race",  settings}         train the race's stacks, streaming progress
 *     {type: "cancel", id}                  stop race `id` between two chunks
 *
 *   worker -> page
 *     {id, type: "result", value}                          the request's answer (plain data)
 *     {id, type: "error", error: {name, message, traceback}}  Python raised; shown to the reader
 *     {id, type: "progress", value}                        a race's state between chunks
 *     {type: "progress", stage, message}                   start-up: runtime | packages | simulator
 *     {type: "ready"}                                      every request is served from now on
 *     {type: "fatal", message}                             start-up failed: one line saying what
 *
 * A cancelled race ends with an error whose name is "Cancelled". Every request goes through
 * cell_runner.dispatch (the same code the build runs in CPython). A race is one dispatch
 * call per chunk of training steps ({type: "race", id, settings, chunk}); between chunks
 * the worker returns to its event loop, so a "cancel" message is seen and honoured.
 */

/** @typedef {{id: number, type: "view", view: string, settings: object}} ViewRequest */
/** @typedef {{id: number, type: "run", code: string, cellId: string}} RunRequest */
/** @typedef {{id: number, type: "check", code: string, checks: object[]}} CheckRequest */
/** @typedef {{id: number, type: "race", settings: object}} RaceRequest */
/** @typedef {{type: "cancel", id: number}} CancelRequest */
/** @typedef {ViewRequest | RunRequest | CheckRequest | RaceRequest | CancelRequest} Request */
/** @typedef {{name: string, message: string, traceback: string}} ErrorInfo */
/**
 * @typedef {object} Runtime
 * @property {any} pyodide the Pyodide API object
 * @property {any} dispatch PyProxy of cell_runner.dispatch
 */

const PYODIDE_DIR = new URL("pyodide/", self.location.href).href;
const CELL_RUNNER_URL = new URL("live-widgets/cell_runner.py", self.location.href).href;
// Where cell_runner.py is written inside Pyodide's in-memory file system.
const SIMULATOR_DIR = "/home/pyodide/live_widgets_runtime";
// A race chunk aims at this many milliseconds: long enough to keep Python busy, short
// enough that a Cancel or a control change is answered without a visible wait.
const RACE_CHUNK_TARGET_MS = 80;

/** Race ids whose cancel arrived; checked between chunks. */
const cancelledRaces = new Set();

/** cell_runner.py is small: fetch it while Pyodide downloads and compiles. */
const cellRunnerSource = fetchCellRunner();
cellRunnerSource.catch(() => {}); // reported by the simulator stage, not as unhandled

/** The one start-up promise; every handler awaits it. */
const runtimePromise = startRuntime();
runtimePromise.then(
  () => post({ type: "ready" }),
  (error) => post({ type: "fatal", message: oneLine(error) }),
);

self.onmessage = (event) => {
  /** @type {Request} */
  const request = event.data;
  if (request.type === "cancel") {
    cancelledRaces.add(request.id);
    return;
  }
  handleRequest(request);
};

/** @param {object} message */
function post(message) {
  self.postMessage(message);
}

/**
 * @param {"runtime" | "packages" | "simulator"} stage
 * @param {string} message
 */
function progress(stage, message) {
  post({ type: "progress", stage, message });
}

/**
 * Load Pyodide, numpy and gradflow, then cell_runner. Each stage throws an Error whose
 * message is the one line the reader sees if it fails.
 * @returns {Promise<Runtime>}
 */
async function startRuntime() {
  if (typeof WebAssembly !== "object") {
    throw new Error("this browser cannot run WebAssembly, which live Python needs");
  }

  progress("runtime", "Loading the Python runtime");
  try {
    // @ts-ignore -- importScripts exists in classic workers
    importScripts(PYODIDE_DIR + "pyodide.js");
  } catch (error) {
    // The browser's message repeats the whole URL; the file name says enough.
    throw new Error("could not load pyodide/pyodide.js (missing or unreachable)");
  }
  let pyodide;
  try {
    // @ts-ignore -- defined by pyodide.js
    pyodide = await Promise.race([loadPyodide({ indexURL: PYODIDE_DIR }), wasmFailure()]);
  } catch (error) {
    if (error instanceof WasmFailure) throw error;
    throw new Error(`the Python runtime did not start (${oneLine(error)})`);
  }

  progress("packages", "Loading numpy and gradflow");
  await loadPackages(pyodide, ["numpy", "gradflow"]);

  progress("simulator", "Loading the simulator");
  const dispatch = await importCellRunner(pyodide);
  return { pyodide, dispatch };
}

class WasmFailure extends Error {}

/**
 * Pyodide 0.27.7 does not reject when pyodide.asm.wasm is missing or corrupt: it logs
 * "wasm instantiation failed!" and the error with console.warn, then waits forever.
 * Watch for that warning so the page can say what failed instead of loading forever.
 * @returns {Promise<never>}
 */
function wasmFailure() {
  return new Promise((_, reject) => {
    const warn = console.warn.bind(console);
    let failed = false;
    console.warn = (...args) => {
      warn(...args);
      if (failed) {
        console.warn = warn;
        reject(new WasmFailure(`pyodide/pyodide.asm.wasm is missing or damaged (${oneLine(args[0])})`));
      } else if (String(args[0]).includes("wasm instantiation failed")) {
        failed = true; // the reason is the next warning
      }
    };
  });
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
 * @returns {Promise<any>} PyProxy of cell_runner.dispatch
 */
async function importCellRunner(pyodide) {
  const source = await cellRunnerSource;
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

/** @param {Exclude<Request, CancelRequest>} request */
async function handleRequest(request) {
  let runtime;
  try {
    runtime = await runtimePromise;
  } catch (error) {
    post({ id: request.id, type: "error", error: { name: "RuntimeUnavailable", message: oneLine(error), traceback: "" } });
    return;
  }
  try {
    if (request.type === "race") {
      await runRace(runtime, request);
    } else {
      post({ id: request.id, type: "result", value: callDispatch(runtime, request) });
    }
  } catch (error) {
    post({ id: request.id, type: "error", error: describeError(error) });
  }
}

/**
 * Send one request through cell_runner.dispatch and return its answer as plain data.
 * @param {Runtime} runtime
 * @param {object} request
 */
function callDispatch(runtime, request) {
  let pyRequest;
  let pyResult;
  try {
    pyRequest = runtime.pyodide.toPy(request);
    pyResult = runtime.dispatch(pyRequest);
    return toPlain(pyResult);
  } finally {
    destroyProxy(pyRequest);
    destroyProxy(pyResult);
  }
}

/**
 * Train in chunks, posting the race state after each and yielding to the event loop so a
 * "cancel" message (or another widget's request) is handled between chunks.
 * @param {Runtime} runtime
 * @param {RaceRequest} request
 */
async function runRace(runtime, request) {
  const { id, settings } = request;
  let chunk = 1;
  try {
    for (;;) {
      if (cancelledRaces.has(id)) {
        callDispatch(runtime, { type: "cancel", id }); // frees the race in cell_runner
        post({ id, type: "error", error: { name: "Cancelled", message: "Training was cancelled.", traceback: "" } });
        return;
      }
      const started = performance.now();
      const state = callDispatch(runtime, { type: "race", id, settings, chunk });
      chunk = nextChunkSize(chunk, performance.now() - started);
      if (state.done) {
        post({ id, type: "result", value: state });
        return;
      }
      post({ id, type: "progress", value: state });
      await yieldToEventLoop();
    }
  } finally {
    cancelledRaces.delete(id);
  }
}

/**
 * Grow or shrink the chunk so one chunk takes about RACE_CHUNK_TARGET_MS.
 * @param {number} chunk steps in the chunk just run
 * @param {number} elapsedMs how long it took
 */
function nextChunkSize(chunk, elapsedMs) {
  const perStep = Math.max(elapsedMs, 0.1) / chunk;
  const ideal = Math.round(RACE_CHUNK_TARGET_MS / perStep);
  return Math.min(Math.max(ideal, 1), chunk * 4, 200);
}

function yieldToEventLoop() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Convert dispatch's answer (a Python dict, or a JSON string) into plain JS data that
 * postMessage can clone. Non-finite floats survive as NaN / ±Infinity numbers.
 * @param {any} value
 */
function toPlain(value) {
  if (typeof value === "string") return JSON.parse(value);
  if (value && typeof value.toJs === "function") {
    return value.toJs({ dict_converter: Object.fromEntries, create_pyproxies: false });
  }
  return value;
}

/** @param {any} proxy */
function destroyProxy(proxy) {
  if (proxy && typeof proxy.destroy === "function") proxy.destroy();
}

/**
 * Python exceptions arrive as PythonError (name in .type, full traceback in .message).
 * @param {any} error
 * @returns {ErrorInfo}
 */
function describeError(error) {
  if (error && typeof error.type === "string" && (error.name === "PythonError" || error.constructor.name === "PythonError")) {
    const traceback = String(error.message).trimEnd();
    const last = lastLine(traceback);
    const prefix = `${error.type}: `;
    return { name: error.type, message: last.startsWith(prefix) ? last.slice(prefix.length) : last, traceback };
  }
  return { name: (error && error.name) || "Error", message: oneLine(error), traceback: (error && error.stack) || "" };
}

/** @param {any} error */
function lastLine(error) {
  const text = String(error && error.message !== undefined ? error.message : error).trimEnd();
  const lines = text.split("\n");
  return lines[lines.length - 1].trim();
}

/**
 * The first line of an error, short enough for a status line.
 * @param {any} error
 */
function oneLine(error) {
  const text = String(error && error.message !== undefined ? error.message : error);
  const first = text.split("\n").find((line) => line.trim() !== "") || "unknown error";
  return first.trim().slice(0, 200);
}
