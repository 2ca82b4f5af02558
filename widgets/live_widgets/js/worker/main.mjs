// @ts-check
/* Deep Revolution: the page's one Web Worker, running Pyodide 0.27.7 + numpy + gradflow
 * (the entry point esbuild bundles into _static/live-widgets-worker.js, a classic worker,
 * because pyodide.js is loaded with importScripts).
 *
 * The messages it answers and sends are those of ../protocol.mjs (ARCHITECTURE §6).
 */

import { workerMessage } from "../protocol.mjs";
import { callDispatch } from "./dispatch.mjs";
import { describeError, oneLine } from "./errors.mjs";
import { cancelledRaces, runRace } from "./race.mjs";
import { startRuntime } from "./startup.mjs";

/** @import { ComputeRequest, WorkerMessage, WorkerRequest } from "../protocol.mjs" */

/** @param {WorkerMessage} message */
function post(message) {
  self.postMessage(message);
}

/** The one start-up promise; every handler awaits it. */
const runtimePromise = startRuntime((stage, message) => post(workerMessage.stage(stage, message)));
runtimePromise.then(
  (runtime) => {
    post(workerMessage.ready(runtime.start));
    setTimeout(() => warmUp(runtime), 0);
  },
  (error) => post(workerMessage.fatal(oneLine(error))),
);

/**
 * Import the simulator and make numpy's first random draw while the reader is still
 * reading, not when they first press a button. Measured in Pyodide (make bench): the
 * first race chunk of a fresh page took 1.0-1.2 s, later ones 17-86 ms, because it paid
 * for importing gradflow.views (177 ms) and numpy's first random generator (324 ms).
 * A request that arrives meanwhile simply waits for this to finish. A failure here is
 * ignored: the first real request meets it again and reports it where it was made.
 * @param {import("./dispatch.mjs").PythonRuntime} runtime
 */
function warmUp(runtime) {
  try {
    runtime.pyodide.runPython(
      "import numpy, gradflow.views\nnumpy.random.default_rng(0).standard_normal(8)",
    );
  } catch (error) {
    console.debug("warm-up skipped:", oneLine(error));
  }
}

self.onmessage = (event) => {
  /** @type {WorkerRequest} */
  const request = event.data;
  if (request.type === "cancel") {
    cancelledRaces.add(request.id);
    return;
  }
  handleRequest(request);
};

/** @param {ComputeRequest} request */
async function handleRequest(request) {
  let runtime;
  try {
    runtime = await runtimePromise;
  } catch (error) {
    post(workerMessage.error(request.id, { name: "RuntimeUnavailable", message: oneLine(error), traceback: "" }));
    return;
  }
  try {
    if (request.type === "race") {
      await runRace(runtime, request, post);
    } else {
      post(workerMessage.result(request.id, callDispatch(runtime, request)));
    }
  } catch (error) {
    post(workerMessage.error(request.id, describeError(error)));
  }
}
