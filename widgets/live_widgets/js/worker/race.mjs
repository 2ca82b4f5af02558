// @ts-check
/* A streamed trainer (the training race, ...) runs as one dispatch call per chunk of
 * training steps ({type: "race", id, trainer, stream, settings, resume, chunk}); between
 * chunks the worker returns to its event loop, so a "cancel" message (or another widget's
 * request) is seen and honoured. A cancelled run with a stream key stays in cell_runner,
 * so the widget can resume it (Pause); the stream's next run replaces it. */

import { CANCELLED, workerMessage } from "../protocol.mjs";
import { callDispatch } from "./dispatch.mjs";

/** @import { RaceRequest, WorkerMessage } from "../protocol.mjs" */
/** @import { PythonRuntime } from "./dispatch.mjs" */

// A race chunk aims at this many milliseconds: long enough to keep Python busy, short
// enough that a Cancel or a control change is answered without a visible wait.
const RACE_CHUNK_TARGET_MS = 80;
/** Steps in a chunk at most; a chunk grows at most fourfold from one to the next. */
const MAX_CHUNK = 200;

/** Race ids whose cancel arrived; checked between chunks. */
export const cancelledRaces = new Set();

/**
 * Train in chunks, posting the race state after each and yielding to the event loop so a
 * "cancel" message (or another widget's request) is handled between chunks.
 * @param {PythonRuntime} runtime
 * @param {RaceRequest} request
 * @param {(message: WorkerMessage) => void} post
 */
export async function runRace(runtime, request, post) {
  const { id, settings } = request;
  let chunk = 1;
  try {
    for (;;) {
      if (cancelledRaces.has(id)) {
        // Without a stream key nothing can resume it: free it in cell_runner.
        if (request.stream === undefined) callDispatch(runtime, { type: "cancel", id });
        post(workerMessage.error(id, { name: CANCELLED, message: "Training was cancelled.", traceback: "" }));
        return;
      }
      const started = performance.now();
      const state = callDispatch(runtime, { ...request, settings, chunk });
      chunk = nextChunkSize(chunk, performance.now() - started);
      if (state.done) {
        post(workerMessage.result(id, state));
        return;
      }
      post(workerMessage.progress(id, state));
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
export function nextChunkSize(chunk, elapsedMs) {
  const perStep = Math.max(elapsedMs, 0.1) / chunk;
  const ideal = Math.round(RACE_CHUNK_TARGET_MS / perStep);
  return Math.min(Math.max(ideal, 1), chunk * 4, MAX_CHUNK);
}

function yieldToEventLoop() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
