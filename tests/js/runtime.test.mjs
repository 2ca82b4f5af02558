// The page's side of the worker protocol (widgets/live_widgets/js/runtime.mjs), with a
// stand-in Worker: ids, streamed progress, failures, and Stop (restart).
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { ArticleClosed, PythonFailure, RuntimeRestarted } from "../../widgets/live_widgets/js/errors.mjs";
import { workerMessage } from "../../widgets/live_widgets/js/protocol.mjs";
import { Runtime } from "../../widgets/live_widgets/js/runtime.mjs";

/** Each test file runs in its own process, so these globals stay here. */
class FakeWorker {
  /** @param {string} url */
  constructor(url) {
    this.url = url;
    this.posted = [];
    this.terminated = false;
    this.onmessage = null;
    this.onerror = null;
    FakeWorker.created.push(this);
  }
  postMessage(message) {
    this.posted.push(message);
  }
  terminate() {
    this.terminated = true;
  }
  /** The worker sends `message` to the page. */
  reply(message) {
    this.onmessage({ data: structuredClone(message) });
  }
}
FakeWorker.created = [];
globalThis.Worker = FakeWorker;
globalThis.document = { documentElement: { dataset: {} } };

const flush = () => new Promise((resolve) => setImmediate(resolve));

beforeEach(() => {
  FakeWorker.created = [];
  globalThis.document.documentElement.dataset = {};
});

test("a request waits for start-up, then goes out with an id and gets its own reply", async () => {
  const runtime = new Runtime("_static/live-widgets-worker.js");
  const first = runtime.send({ type: "view", view: "flow", settings: { depth: 3 } });
  const second = runtime.send({ type: "run", code: "1 + 1", cellId: "cell-1" });
  const [worker] = FakeWorker.created;
  assert.equal(worker.url, "_static/live-widgets-worker.js");
  assert.equal(runtime.state, "loading");
  await flush();
  assert.deepEqual(worker.posted, []); // nothing is sent before "ready"
  worker.reply(workerMessage.ready());
  await flush();
  assert.equal(document.documentElement.dataset.lwRuntime, "ready");
  assert.deepEqual(worker.posted, [
    { type: "view", view: "flow", settings: { depth: 3 }, id: first.id },
    { type: "run", code: "1 + 1", cellId: "cell-1", id: second.id },
  ]);
  worker.reply(workerMessage.result(second.id, { stdout: "2" }));
  worker.reply(workerMessage.result(first.id, { readout: "flow" }));
  assert.deepEqual(await first.result, { readout: "flow" });
  assert.deepEqual(await second.result, { stdout: "2" });
  assert.equal(FakeWorker.created.length, 1); // one worker per page
});

test("streamed progress reaches the request's callback; Python's error rejects it", async () => {
  const runtime = new Runtime("w.js");
  const seen = [];
  const race = runtime.send({ type: "race", settings: {} }, (state) => seen.push(state));
  const [worker] = FakeWorker.created;
  worker.reply(workerMessage.ready());
  await flush();
  worker.reply(workerMessage.progress(race.id, { step: 5 }));
  worker.reply(workerMessage.progress(race.id, { step: 9 }));
  worker.reply(workerMessage.error(race.id, { name: "Cancelled", message: "Training was cancelled.", traceback: "" }));
  await assert.rejects(race.result, (error) => error instanceof PythonFailure && error.name === "Cancelled");
  assert.deepEqual(seen, [{ step: 5 }, { step: 9 }]);
  runtime.cancel(race.id);
  assert.deepEqual(worker.posted.at(-1), { type: "cancel", id: race.id });
});

test("start-up events reach every listener, and a late listener hears the outcome", async () => {
  const runtime = new Runtime("w.js");
  const events = [];
  runtime.subscribe((event) => events.push(event.type));
  runtime.start();
  const [worker] = FakeWorker.created;
  worker.reply(workerMessage.stage("runtime", "Loading"));
  worker.reply(workerMessage.ready());
  assert.deepEqual(events, ["progress", "ready"]);
  const late = [];
  runtime.subscribe((event) => late.push(event.type));
  assert.deepEqual(late, ["ready"]);
});

test("a failed start-up fails every waiting request with its one-line reason", async () => {
  const runtime = new Runtime("w.js");
  const request = runtime.send({ type: "view", view: "flow", settings: {} });
  FakeWorker.created[0].reply(workerMessage.fatal("could not load pyodide/pyodide.js"));
  await assert.rejects(request.result, { message: "could not load pyodide/pyodide.js" });
  assert.equal(runtime.state, "failed");
  assert.equal(document.documentElement.dataset.lwRuntime, "failed");
  assert.equal(FakeWorker.created[0].terminated, true);
  // A failed runtime stays failed: no new worker, and later requests fail the same way.
  await assert.rejects(runtime.send({ type: "run", code: "", cellId: "c" }).result, { message: "could not load pyodide/pyodide.js" });
  assert.equal(FakeWorker.created.length, 1);
});

test("Stop replaces the worker: pending requests are abandoned and late replies ignored", async () => {
  const runtime = new Runtime("w.js");
  const events = [];
  runtime.subscribe((event) => events.push(event.type));
  const looping = runtime.send({ type: "run", code: "while True: pass", cellId: "c" });
  const old = FakeWorker.created[0];
  old.reply(workerMessage.ready());
  await flush();
  assert.equal(runtime.generation, 1);
  runtime.restart();
  await assert.rejects(looping.result, (error) => error instanceof RuntimeRestarted);
  assert.equal(old.terminated, true);
  assert.equal(FakeWorker.created.length, 2);
  assert.equal(runtime.generation, 2);
  assert.deepEqual(events, ["ready", "restarted"]);
  old.onmessage({ data: workerMessage.result(looping.id, "too late") }); // must not throw or resolve anything
  const fresh = FakeWorker.created[1];
  const next = runtime.send({ type: "run", code: "x = 1", cellId: "c" });
  fresh.reply(workerMessage.ready());
  await flush();
  fresh.reply(workerMessage.result(next.id, { stdout: "" }));
  assert.deepEqual(await next.result, { stdout: "" });
});

test("closing an article ends its listeners and requests, cancels its race and resets the namespace", async () => {
  const runtime = new Runtime("_static/live-widgets-worker.js");
  const heard = [];
  runtime.subscribe((event) => heard.push(`page ${event.type}`), { page: true });
  runtime.subscribe((event) => heard.push(`article ${event.type}`));
  runtime.start();
  const [worker] = FakeWorker.created;
  worker.reply(workerMessage.ready());
  await flush();
  const race = runtime.send({ type: "race", settings: {} }, () => {});
  const view = runtime.send({ type: "view", view: "gradient", settings: {} });
  await flush();
  runtime.closeArticle();
  await assert.rejects(race.result, RuntimeRestarted);
  await assert.rejects(view.result, RuntimeRestarted);
  await flush();
  const sent = worker.posted.map((m) => m.type);
  assert.deepEqual(sent, ["race", "view", "cancel", "reset"]); // the reset goes out after the cancel
  assert.equal(worker.posted[2].id, race.id);
  // the new article's requests are served by the same worker, and late replies to the
  // old article's are ignored
  const next = runtime.send({ type: "run", code: "x", cellId: "c" });
  await flush();
  worker.reply(workerMessage.result(view.id, { readout: "old" }));
  worker.reply(workerMessage.result(next.id, { stdout: "new" }));
  assert.deepEqual(await next.result, { stdout: "new" });
  assert.equal(FakeWorker.created.length, 1);
  runtime.restart();
  assert.deepEqual(heard, ["page ready", "article ready", "page restarted"]);
});

test("what a closed article's widgets ask for later never reaches the worker", async () => {
  const runtime = new Runtime("_static/live-widgets-worker.js");
  const old = runtime.forArticle();
  const heard = [];
  runtime.start();
  const [worker] = FakeWorker.created;
  worker.reply(workerMessage.ready());
  await flush();
  old.closeArticle(); // as main.mjs's teardown does, through the closing article's view
  const current = runtime.forArticle();
  // a control's newer value, or a cell queued behind another, after the swap
  const late = old.send({ type: "run", code: "leaked = 1", cellId: "c" });
  await assert.rejects(late.result, ArticleClosed); // not RuntimeRestarted: LatestOnly must not retry it
  old.subscribe((event) => heard.push(event.type));
  const fresh = current.send({ type: "run", code: "x = 1", cellId: "c" });
  await flush();
  assert.deepEqual(worker.posted.map((m) => m.type), ["reset", "run"]);
  assert.equal(worker.posted[1].code, "x = 1");
  worker.reply(workerMessage.result(fresh.id, { stdout: "" }));
  assert.deepEqual(await fresh.result, { stdout: "" });
  assert.equal(old.state, "ready"); // everything else reads through
  runtime.restart();
  assert.deepEqual(heard, []);
});

test("the reader's code still running when its article closes gets a short while, then Stop", async () => {
  const runtime = new Runtime("_static/live-widgets-worker.js");
  runtime.abandonedRunMs = 20;
  runtime.start();
  const [worker] = FakeWorker.created;
  worker.reply(workerMessage.ready());
  await flush();
  // a run that ends soon after the swap keeps the worker
  const quick = runtime.send({ type: "run", code: "sum(range(10**6))", cellId: "c" });
  await flush();
  runtime.closeArticle();
  await assert.rejects(quick.result, RuntimeRestarted);
  worker.reply(workerMessage.result(quick.id, { stdout: "" }));
  await new Promise((resolve) => setTimeout(resolve, 40));
  assert.equal(FakeWorker.created.length, 1);
  // a check that never ends (an endless loop) would hold up the next lesson: replaced
  const endless = runtime.send({ type: "check", code: "while True: pass", checks: [] });
  const view = runtime.send({ type: "view", view: "gradient", settings: {} });
  await flush();
  runtime.closeArticle();
  await assert.rejects(endless.result, RuntimeRestarted);
  await assert.rejects(view.result, RuntimeRestarted);
  const next = runtime.send({ type: "view", view: "gradient", settings: {} });
  const nextLost = assert.rejects(next.result, RuntimeRestarted); // its widget asks again (LatestOnly)
  await new Promise((resolve) => setTimeout(resolve, 40));
  assert.equal(worker.terminated, true);
  assert.equal(FakeWorker.created.length, 2);
  await nextLost;
  // a view left running is bounded (about 100 ms): it keeps the worker
  const fresh = FakeWorker.created[1];
  fresh.reply(workerMessage.ready());
  await flush();
  const slowView = runtime.send({ type: "view", view: "gradient", settings: {} });
  await flush();
  runtime.closeArticle();
  await assert.rejects(slowView.result, RuntimeRestarted);
  await new Promise((resolve) => setTimeout(resolve, 40));
  assert.equal(FakeWorker.created.length, 2);
});

test("a request of a closed article that still waits for start-up never reaches the worker", async () => {
  const runtime = new Runtime("_static/live-widgets-worker.js");
  const early = runtime.send({ type: "view", view: "gradient", settings: {} });
  runtime.closeArticle();
  const [worker] = FakeWorker.created;
  worker.reply(workerMessage.ready());
  await assert.rejects(early.result, RuntimeRestarted);
  await flush();
  assert.deepEqual(worker.posted.map((m) => m.type), ["reset"]);
});

test("the worker the page's head started is adopted with what it said before", async () => {
  const url = "https://site/_static/live-widgets-worker.js";
  const worker = new FakeWorker(url);
  const events = [{ type: "message", data: workerMessage.stage("runtime", "Loading") }, { type: "message", data: workerMessage.ready() }];
  globalThis.lwEarlyWorker = { url, worker, events };
  const runtime = new Runtime(url);
  const heard = [];
  runtime.subscribe((event) => heard.push(event.type));
  runtime.start();
  assert.equal(FakeWorker.created.length, 1); // no second worker
  assert.equal(runtime.state, "ready");
  assert.deepEqual(heard, ["progress", "ready"]); // in the order the worker sent them
  assert.equal("lwEarlyWorker" in globalThis, false);
  // a worker started for another URL is ended, not used
  const stray = new FakeWorker("https://elsewhere/worker.js");
  globalThis.lwEarlyWorker = { url: stray.url, worker: stray, events: [] };
  new Runtime(url).start();
  assert.equal(stray.terminated, true);
  assert.equal(FakeWorker.created.length, 3);
});

test("an early worker that failed to load fails the runtime with the usual message", async () => {
  const url = "https://site/_static/live-widgets-worker.js";
  const worker = new FakeWorker(url);
  globalThis.lwEarlyWorker = { url, worker, events: [{ type: "error", message: "", preventDefault() {} }] };
  const runtime = new Runtime(url);
  runtime.start();
  assert.equal(runtime.state, "failed");
  assert.match(runtime.failure, /could not start the Python worker \(live-widgets-worker.js failed to load\)/);
});
