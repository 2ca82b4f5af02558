// @ts-check
/* The message vocabulary between the page (runtime.mjs) and its one Web Worker
 * (worker/main.mjs); widgets/ARCHITECTURE.md §6. Both bundles import this module, so each
 * message shape is written once, and node --test can check that what one side sends is
 * what the other side reads.
 *
 *   page -> worker
 *     {id, type: "view",  view, settings}   compute a gradient-flow view
 *     {id, type: "run",   code, cellId}     run a live code cell in the page namespace
 *     {id, type: "check", code, checks}     run an exercise's checks against the reader's code
 *     {id, type: "race",  settings, trainer?, stream?, resume?}
 *                                           train gradflow.views.TRAINERS[trainer] (default
 *                                           "race"), streaming progress; resume: continue
 *                                           the stream's paused run
 *     {type: "cancel", id}                  stop race `id` between two chunks
 *     {id, type: "reset"}                   a fresh namespace (the page swapped its article)
 *
 *   worker -> page
 *     {id, type: "result", value}                          the request's answer (plain data)
 *     {id, type: "error", error: {name, message, traceback}}  Python raised; shown to the reader
 *     {id, type: "progress", value}                        a race's state between chunks
 *     {type: "progress", stage, message}                   start-up: runtime | packages | simulator
 *     {type: "ready", start?}                              every request is served from now on;
 *                                                          start: "snapshot" | "normal", how Python started
 *     {type: "fatal", message}                             start-up failed: one line saying what
 *
 * A cancelled race ends with an error whose name is CANCELLED.
 */

/** @typedef {{id: number, type: "view", view: string, settings: Record<string, unknown>}} ViewRequest */
/** @typedef {{id: number, type: "run", code: string, cellId: string}} RunRequest */
/** @typedef {{id: number, type: "check", code: string, checks: object[]}} CheckRequest */
/** @typedef {{id: number, type: "race", settings: Record<string, unknown>, trainer?: string, stream?: string, resume?: boolean}} RaceRequest */
/** @typedef {{type: "cancel", id: number}} CancelRequest */
/** @typedef {{id: number, type: "reset"}} ResetRequest */
/**
 * Named WorkerRequest, not Request: a typedef called Request would shadow the DOM's and
 * the worker's global `Request` (fetch) type in every file that sees it.
 * @typedef {ViewRequest | RunRequest | CheckRequest | RaceRequest | ResetRequest | CancelRequest} WorkerRequest
 */
/** @typedef {Exclude<WorkerRequest, CancelRequest>} ComputeRequest */
/** A request before the runtime numbers it. @typedef {Omit<ViewRequest, "id"> | Omit<RunRequest, "id"> | Omit<CheckRequest, "id"> | Omit<RaceRequest, "id"> | Omit<ResetRequest, "id">} RequestBody */
/** @typedef {{name: string, message: string, traceback: string}} ErrorInfo */

/** The worker's start-up stages, in order. */
export const STAGES = /** @type {const} */ (["runtime", "packages", "simulator"]);
/** @typedef {typeof STAGES[number]} Stage */

/** What the page says during each stage. @type {Record<Stage, string>} */
export const STAGE_TEXT = {
  runtime: "loading the Python runtime",
  packages: "loading numpy and the simulator package",
  simulator: "preparing the simulator",
};

/**
 * How the worker started Python: from the start-up snapshot the service worker cached, or
 * the normal way (worker/startup.mjs). The page shows it as `data-lw-start` on <html>.
 * @typedef {"snapshot" | "normal"} StartPath
 */

/** The error name that ends a cancelled race (a reply, not a failure). */
export const CANCELLED = "Cancelled";

/**
 * Start-up events as the page's widgets hear them (the worker's start-up messages, plus
 * "restarted", which the page itself emits on Stop).
 * @typedef {{type: "progress", stage: string, message: string}
 *   | {type: "ready", start?: StartPath} | {type: "fatal", message: string} | {type: "restarted"}} RuntimeEvent
 */

/**
 * @typedef {{type: "progress", stage: Stage, message: string} | {type: "ready", start?: StartPath}
 *   | {type: "fatal", message: string}} StartupMessage
 * @typedef {{id: number, type: "result", value: unknown} | {id: number, type: "error", error: ErrorInfo}
 *   | {id: number, type: "progress", value: unknown}} ReplyMessage
 * @typedef {StartupMessage | ReplyMessage} WorkerMessage
 */

/** The worker's messages, built in one place. */
export const workerMessage = {
  /** @param {Stage} stage @param {string} message @returns {StartupMessage} */
  stage: (stage, message) => ({ type: "progress", stage, message }),
  /** @param {StartPath} [start] @returns {StartupMessage} */
  ready: (start) => (start ? { type: "ready", start } : { type: "ready" }),
  /** @param {string} message @returns {StartupMessage} */
  fatal: (message) => ({ type: "fatal", message }),
  /** @param {number} id @param {unknown} value @returns {ReplyMessage} */
  result: (id, value) => ({ id, type: "result", value }),
  /** @param {number} id @param {ErrorInfo} error @returns {ReplyMessage} */
  error: (id, error) => ({ id, type: "error", error }),
  /** @param {number} id @param {unknown} value @returns {ReplyMessage} */
  progress: (id, value) => ({ id, type: "progress", value }),
};

/** @param {number} id @returns {CancelRequest} */
export function cancelRequest(id) {
  return { type: "cancel", id };
}

/**
 * What a message from the worker means to the page: a start-up event for every widget,
 * or news about one request (its streamed progress, its result, or its error).
 * Messages the page does not know are "ignored" rather than guessed at.
 * @param {any} message
 * @returns {{kind: "startup", event: RuntimeEvent} | {kind: "progress", id: number, value: unknown}
 *   | {kind: "result", id: number, value: unknown} | {kind: "error", id: number, error: ErrorInfo}
 *   | {kind: "ignored"}}
 */
export function readWorkerMessage(message) {
  if (!message || typeof message !== "object") return { kind: "ignored" };
  if (message.id === undefined) {
    if (message.type === "progress") return { kind: "startup", event: { type: "progress", stage: String(message.stage), message: String(message.message) } };
    if (message.type === "ready") {
      const start = message.start === "snapshot" || message.start === "normal" ? { start: /** @type {StartPath} */ (message.start) } : {};
      return { kind: "startup", event: { type: "ready", ...start } };
    }
    if (message.type === "fatal") return { kind: "startup", event: { type: "fatal", message: String(message.message) } };
    return { kind: "ignored" };
  }
  const id = Number(message.id);
  if (message.type === "progress") return { kind: "progress", id, value: message.value };
  if (message.type === "result") return { kind: "result", id, value: message.value };
  if (message.type === "error") return { kind: "error", id, error: message.error };
  return { kind: "error", id, error: { name: "ProtocolError", message: `the worker sent an unknown reply type "${message.type}"`, traceback: "" } };
}

/**
 * Step number (1-based) of a start-up stage, for "step 2 of 3"; 0 for an unknown stage.
 * @param {string} stage
 */
export function stageStep(stage) {
  return STAGES.indexOf(/** @type {Stage} */ (stage)) + 1;
}
