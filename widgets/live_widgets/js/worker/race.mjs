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
/** How many of the latest chunks the cost model is fitted to: about a whole run. */
export const RECENT_CHUNKS = 32;
/** Two chunks' times give a step's cost only if their sizes differ at least this much:
 * between chunks of nearly one size the slope is mostly noise. */
const SPREAD = 1.5;

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
  /** @type {ChunkTime[]} the latest chunks run, oldest first */
  const recent = [];
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
      recent.push({ steps: chunk, ms: performance.now() - started });
      if (recent.length > RECENT_CHUNKS) recent.shift();
      chunk = nextChunkSize(recent);
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

/** @typedef {{steps: number, ms: number}} ChunkTime a chunk run: its steps, its time */

/**
 * The cost of a chunk as a fixed part (the state the trainer builds and sends after every
 * chunk, whatever its size) plus a part per step, fitted to the latest chunks by
 * Theil-Sen: the cost per step is the median of the slopes between every two chunks whose
 * sizes differ at least SPREAD-fold, the fixed part the median of what each chunk leaves
 * once its steps are paid for. Medians ignore an odd slow chunk (a garbage collection,
 * another tab busy, a page's first chunk). Null without two such chunks.
 * @param {ChunkTime[]} recent
 * @returns {{fixedMs: number, perStepMs: number} | null}
 */
export function fitChunkCost(recent) {
  const slopes = [];
  for (let i = 0; i < recent.length; i++) {
    for (let j = i + 1; j < recent.length; j++) {
      const [a, b] = [recent[i], recent[j]];
      if (spread([a.steps, b.steps])) slopes.push((b.ms - a.ms) / (b.steps - a.steps));
    }
  }
  if (slopes.length === 0) return null;
  // A step costs something: a fit that says otherwise only says steps are cheap.
  const perStepMs = Math.max(median(slopes), 0);
  const fixedMs = Math.max(median(recent.map(({ steps, ms }) => ms - perStepMs * steps)), 0);
  return { fixedMs, perStepMs };
}

/**
 * The next chunk's steps, from the latest chunks (oldest first, at least one): the chunk
 * whose fitted cost (fitChunkCost) is RACE_CHUNK_TARGET_MS, or, when the fixed part alone
 * is over half of that, twice the fixed part, so a trainer whose state is costly still
 * spends at least half of each chunk training. At least 1 step, at most MAX_CHUNK and four
 * times the last chunk. Without a fit, or when it finds no cost per step, time is taken as
 * proportional to steps, as in the last chunk. A chunk that would leave the next fit
 * without two sizes SPREAD-fold apart is half the smallest size instead (two steps after
 * one-step chunks), which costs one chunk's fixed part and no wait.
 * @param {ChunkTime[]} recent
 */
export function nextChunkSize(recent) {
  const { steps: last, ms } = recent[recent.length - 1];
  const fit = fitChunkCost(recent);
  const aimMs = fit ? Math.max(RACE_CHUNK_TARGET_MS, 2 * fit.fixedMs) : RACE_CHUNK_TARGET_MS;
  const ideal = fit && fit.perStepMs > 0
    ? Math.round((aimMs - fit.fixedMs) / fit.perStepMs)
    : Math.round((last * aimMs) / Math.max(ms, 0.1));
  const next = Math.max(Math.min(ideal, last * 4, MAX_CHUNK), 1);
  const sizes = recent.slice(1 - RECENT_CHUNKS).map((chunk) => chunk.steps);
  if (spread([...sizes, next])) return next;
  const smallest = Math.min(...sizes, next);
  return smallest >= 2 ? Math.floor(smallest / 2) : 2;
}

/**
 * Whether the largest of these chunk sizes is at least SPREAD times the smallest.
 * @param {number[]} sizes
 */
function spread(sizes) {
  return Math.max(...sizes) >= SPREAD * Math.min(...sizes);
}

/** @param {number[]} values (not empty) */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function yieldToEventLoop() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
