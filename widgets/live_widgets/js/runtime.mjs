// @ts-check
/* The runtime: one worker per page, its start-up stages and request bookkeeping. */

import { messageOf } from "./dom.mjs";
import { ArticleClosed, PythonFailure, RuntimeRestarted } from "./errors.mjs";
import { cancelRequest, readWorkerMessage } from "./protocol.mjs";

/** @import { RequestBody, RuntimeEvent } from "./protocol.mjs" */

/**
 * How long the reader's own code (a cell's run, an exercise's check) of an article swapped
 * away may keep the worker busy before the worker is replaced, as Stop would: it may be
 * an endless loop, and the next lesson's requests wait behind it. A view or a race
 * chunk ends within about 100 ms, so those are left to finish.
 */
export const ABANDONED_RUN_MS = 1000;
/** @typedef {"idle" | "loading" | "ready" | "failed"} RuntimeState */

/**
 * The worker the page's head started before layout (assets.py writes that inline
 * script on pages that need Python), with the events it sent before this script ran.
 * Taken once; a worker for another URL is not ours to use and is ended.
 * @param {string} workerUrl
 * @returns {{worker: Worker, events: Event[]} | null}
 */
function takeEarlyWorker(workerUrl) {
  const scope = /** @type {any} */ (globalThis);
  const early = scope.lwEarlyWorker;
  if (!early) return null;
  delete scope.lwEarlyWorker;
  if (early.url === workerUrl && early.worker && Array.isArray(early.events)) return early;
  if (early.worker) early.worker.terminate();
  return null;
}

export class Runtime {
  /** @param {string} workerUrl */
  constructor(workerUrl) {
    this.workerUrl = workerUrl;
    /** @type {Worker | null} */
    this.worker = null;
    /** @type {RuntimeState} */
    this.state = "idle";
    this.failure = "";
    /** Increases on every (re)start, so cells know whether the namespace they filled still exists. */
    this.generation = 0;
    this.nextId = 1;
    /** @type {Map<number, {resolve: (v: any) => void, reject: (e: any) => void, onProgress?: (v: any) => void, article: number, readersCode: boolean}>} */
    this.pending = new Map();
    /** Ids of closed articles' runs and checks the worker has not answered yet. */
    this.abandoned = new Set();
    this.abandonedRunMs = ABANDONED_RUN_MS;
    /** @type {Set<(event: RuntimeEvent) => void>} */
    this.listeners = new Set();
    /**
     * The page's article (lesson) now on show: increases when navigation.mjs swaps in
     * another, and ends what the old one's widgets asked for and listened to.
     */
    this.article = 0;
    /** @type {Set<(event: RuntimeEvent) => void>} listeners of the article on show */
    this.articleListeners = new Set();
    /** @type {Promise<void>} */
    this.ready = new Promise(() => {});
    /** @type {() => void} */
    this.resolveReady = () => {};
    /** @type {(e: Error) => void} */
    this.rejectReady = () => {};
  }

  /**
   * Listen to start-up events; a listener that arrives after the runtime settled
   * hears the outcome at once. Widgets listen for as long as their article is on show
   * (until closeArticle); `{page: true}` listens for the page's whole life.
   * @param {(event: RuntimeEvent) => void} listener
   * @param {{page?: boolean}} [options]
   */
  subscribe(listener, options = {}) {
    this.listeners.add(listener);
    if (!options.page) this.articleListeners.add(listener);
    if (this.state === "failed") listener({ type: "fatal", message: this.failure });
    else if (this.state === "ready") listener({ type: "ready" });
  }

  /**
   * The article on show is being replaced (navigation.mjs): stop hearing its widgets'
   * listeners, cancel its running races, drop its requests (those still waiting for
   * start-up never reach the worker) and give the next article a fresh Python
   * namespace. The worker and its loaded runtime stay.
   */
  closeArticle() {
    for (const listener of this.articleListeners) this.listeners.delete(listener);
    this.articleListeners.clear();
    const closed = this.article;
    this.article += 1;
    /** @type {number[]} */
    const running = [];
    for (const [id, request] of this.pending) {
      if (request.article !== closed) continue;
      if (request.onProgress) this.cancel(id); // a streamed race: stop it between chunks
      if (request.readersCode) running.push(id);
      this.pending.delete(id);
      request.reject(new RuntimeRestarted());
    }
    if (running.length > 0) {
      for (const id of running) this.abandoned.add(id);
      const worker = this.worker;
      setTimeout(() => {
        if (this.worker === worker && running.some((id) => this.abandoned.has(id))) this.restart();
      }, this.abandonedRunMs);
    }
    // Queued behind whatever the worker is still finishing, before the next article's
    // first request. A worker not started yet will have a fresh namespace anyway.
    if (this.worker && this.state !== "failed") this.send({ type: "reset" }).result.catch(() => {});
  }

  /**
   * The runtime as the widgets of the article on show see it. Once closeArticle has
   * closed that article, what its widgets still ask for (a control's newer value, a
   * cell queued behind another, LatestOnly's retry) fails at once instead of reaching
   * the worker, where it would delay the next lesson or run in its namespace; and what
   * they subscribe is not heard.
   * @returns {Runtime}
   */
  forArticle() {
    const article = this.article;
    return new Proxy(this, {
      get(runtime, key) {
        if (runtime.article !== article) {
          if (key === "send") return () => ({ id: 0, result: Promise.reject(new ArticleClosed()) });
          if (key === "subscribe") return () => {};
        }
        const value = Reflect.get(runtime, key);
        // methods run on the runtime itself: closeArticle's own `reset` must get through
        return typeof value === "function" ? value.bind(runtime) : value;
      },
    });
  }

  /** @param {RuntimeEvent} event */
  emit(event) {
    for (const listener of this.listeners) listener(event);
  }

  /** Create the worker unless it exists or failed; safe to call many times. */
  start() {
    if (this.worker || this.state === "failed") return;
    this.ready = new Promise((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    this.ready.catch(() => {}); // failures are reported through "fatal" events
    this.setState("loading");
    this.generation += 1;
    if (typeof WebAssembly !== "object") {
      this.fail("this browser cannot run WebAssembly, which live Python needs");
      return;
    }
    const early = takeEarlyWorker(this.workerUrl);
    try {
      this.worker = early ? early.worker : new Worker(this.workerUrl);
    } catch (error) {
      this.fail(`could not start the Python worker (${messageOf(error)})`);
      return;
    }
    const worker = this.worker;
    worker.onmessage = (event) => this.receive(event.data);
    // Fires when the worker script itself is missing or broken (not for Python errors,
    // which come back as messages).
    worker.onerror = (event) => {
      event.preventDefault();
      if (this.state !== "ready") this.fail(`could not start the Python worker (${event.message || "live-widgets-worker.js failed to load"})`);
    };
    // What the early worker said before this page script ran, in order.
    for (const event of early ? early.events : []) {
      if (this.worker !== worker) break; // it failed meanwhile
      if (event.type === "error") worker.onerror(/** @type {ErrorEvent} */ (event));
      else worker.onmessage(/** @type {MessageEvent} */ (event));
    }
  }

  /** @param {RuntimeState} state */
  setState(state) {
    this.state = state;
    document.documentElement.dataset.lwRuntime = state;
  }

  /** @param {string} reason */
  fail(reason) {
    this.failure = reason;
    this.setState("failed");
    if (this.worker) this.worker.terminate();
    this.worker = null;
    const error = new Error(reason);
    this.rejectReady(error);
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
    this.emit({ type: "fatal", message: reason });
  }

  /** @param {unknown} message */
  receive(message) {
    const news = readWorkerMessage(message);
    if (news.kind === "ignored") return;
    if (news.kind === "startup") {
      const { event } = news;
      if (event.type === "progress") {
        this.emit(event);
      } else if (event.type === "ready") {
        // how the worker started Python (protocol.mjs StartPath), for tests and the bench
        if (event.start) document.documentElement.dataset.lwStart = event.start;
        this.setState("ready");
        this.resolveReady();
        this.emit(event);
      } else if (event.type === "fatal") {
        this.fail(event.message);
      }
      return;
    }
    if (news.kind !== "progress") this.abandoned.delete(news.id);
    const request = this.pending.get(news.id);
    if (!request) return; // a reply to a request abandoned by a restart
    if (news.kind === "progress") {
      if (request.onProgress) request.onProgress(news.value);
      return;
    }
    this.pending.delete(news.id);
    if (news.kind === "result") request.resolve(news.value);
    else request.reject(new PythonFailure(news.error));
  }

  /**
   * Send a request (§6) once the runtime is ready. Returns its id (for cancel) and a
   * promise of the result.
   * @param {RequestBody} message
   * @param {(value: any) => void} [onProgress]
   * @returns {{id: number, result: Promise<any>}}
   */
  send(message, onProgress) {
    const id = this.nextId++;
    this.start();
    const generation = this.generation;
    const article = this.article;
    const result = this.ready.then(
      () =>
        new Promise((resolve, reject) => {
          if (generation !== this.generation || article !== this.article || !this.worker) {
            reject(new RuntimeRestarted());
            return;
          }
          this.pending.set(id, { resolve, reject, onProgress, article, readersCode: message.type === "run" || message.type === "check" });
          this.worker.postMessage({ ...message, id });
        }),
      (error) => Promise.reject(error instanceof RuntimeRestarted ? error : new Error(this.failure || messageOf(error))),
    );
    return { id, result };
  }

  /** @param {number} id */
  cancel(id) {
    if (this.worker) this.worker.postMessage(cancelRequest(id));
  }

  /**
   * Stop: terminate the worker (the only way to interrupt running Python without
   * SharedArrayBuffer) and start a fresh one with an empty namespace.
   */
  restart() {
    if (this.worker) this.worker.terminate();
    this.worker = null;
    this.rejectReady(new RuntimeRestarted());
    for (const { reject } of this.pending.values()) reject(new RuntimeRestarted());
    this.pending.clear();
    this.abandoned.clear();
    if (this.state === "failed") return;
    delete document.documentElement.dataset.lwStart; // the next worker says how it started
    this.setState("idle");
    this.emit({ type: "restarted" });
    this.start();
  }
}
