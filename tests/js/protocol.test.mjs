// The page <-> worker messages (widgets/live_widgets/js/protocol.mjs): what the worker
// builds is what the page reads.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  CANCELLED, STAGES, STAGE_TEXT, cancelRequest, readWorkerMessage, stageStep, workerMessage,
} from "../../widgets/live_widgets/js/protocol.mjs";

test("start-up messages become events for every widget", () => {
  assert.deepEqual(readWorkerMessage(workerMessage.stage("packages", "Loading numpy")), {
    kind: "startup", event: { type: "progress", stage: "packages", message: "Loading numpy" },
  });
  assert.deepEqual(readWorkerMessage(workerMessage.ready()), { kind: "startup", event: { type: "ready" } });
  assert.deepEqual(readWorkerMessage(workerMessage.fatal("no wasm")), {
    kind: "startup", event: { type: "fatal", message: "no wasm" },
  });
});

test("replies carry their request's id", () => {
  const state = { step: 10, steps: 100, done: false };
  assert.deepEqual(readWorkerMessage(workerMessage.progress(7, state)), { kind: "progress", id: 7, value: state });
  assert.deepEqual(readWorkerMessage(workerMessage.result(7, { readout: "x" })), { kind: "result", id: 7, value: { readout: "x" } });
  const error = { name: CANCELLED, message: "Training was cancelled.", traceback: "" };
  assert.deepEqual(readWorkerMessage(workerMessage.error(7, error)), { kind: "error", id: 7, error });
});

test("messages survive structured cloning (postMessage) unchanged", () => {
  const messages = [
    workerMessage.stage("runtime", "Loading"), workerMessage.ready(), workerMessage.fatal("x"),
    workerMessage.result(1, { figure: { data: [] } }), workerMessage.progress(2, { step: 1 }),
    workerMessage.error(3, { name: "ValueError", message: "depth", traceback: "..." }), cancelRequest(4),
  ];
  for (const message of messages) assert.deepEqual(structuredClone(message), message);
});

test("id 0 is a reply, not a start-up message", () => {
  assert.equal(readWorkerMessage(workerMessage.result(0, 1)).kind, "result");
});

test("an unknown reply fails its request with a clear message; unknown broadcasts are ignored", () => {
  const news = readWorkerMessage({ id: 5, type: "surprise" });
  assert.equal(news.kind, "error");
  assert.equal(news.kind === "error" && news.error.name, "ProtocolError");
  assert.match(news.kind === "error" ? news.error.message : "", /unknown reply type "surprise"/);
  for (const message of [{ type: "surprise" }, null, "ready", 42]) {
    assert.deepEqual(readWorkerMessage(message), { kind: "ignored" });
  }
});

test("the page can say 'step n of 3' for every stage the worker reports", () => {
  assert.deepEqual(STAGES.map(stageStep), [1, 2, 3]);
  assert.equal(stageStep("unheard-of"), 0);
  for (const stage of STAGES) assert.ok(STAGE_TEXT[stage], stage);
});

test("cancel names the race to stop", () => {
  assert.deepEqual(cancelRequest(12), { type: "cancel", id: 12 });
});
