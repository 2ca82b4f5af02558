// The latest-only queue behind every control (widgets/live_widgets/js/latest-only.mjs).
import assert from "node:assert/strict";
import { test } from "node:test";

import { RuntimeRestarted } from "../../widgets/live_widgets/js/errors.mjs";
import { LatestOnly } from "../../widgets/live_widgets/js/latest-only.mjs";

/** A compute function whose calls finish only when the test says so. */
function controlledCompute() {
  /** @type {Array<{settings: any, resolve: (v: any) => void, reject: (e: any) => void}>} */
  const calls = [];
  const compute = (settings) => new Promise((resolve, reject) => calls.push({ settings, resolve, reject }));
  return { calls, compute };
}

/** Let every settled promise's callbacks run. */
const flush = () => new Promise((resolve) => setImmediate(resolve));

function queue() {
  const { calls, compute } = controlledCompute();
  const applied = [];
  const reported = [];
  const latest = new LatestOnly(compute, (result) => applied.push(result), (error) => reported.push(error));
  return { calls, applied, reported, latest };
}

test("one request at a time; newer settings replace waiting ones", async () => {
  const { calls, applied, latest } = queue();
  latest.submit("a");
  latest.submit("b");
  latest.submit("c");
  assert.deepEqual(calls.map((c) => c.settings), ["a"]);
  calls[0].resolve("result a");
  await flush();
  // "a" is out of date ("c" is waiting), so it is dropped; "b" is never computed.
  assert.deepEqual(applied, []);
  assert.deepEqual(calls.map((c) => c.settings), ["a", "c"]);
  calls[1].resolve("result c");
  await flush();
  assert.deepEqual(applied, ["result c"]);
  assert.equal(latest.running, false);
});

test("a result with nothing newer waiting is applied at once", async () => {
  const { calls, applied, latest } = queue();
  latest.submit({ depth: 3 });
  calls[0].resolve("three");
  await flush();
  assert.deepEqual(applied, ["three"]);
  latest.submit({ depth: 4 });
  calls[1].resolve("four");
  await flush();
  assert.deepEqual(applied, ["three", "four"]);
});

test("an error is reported only if no newer settings are waiting", async () => {
  const { calls, applied, reported, latest } = queue();
  latest.submit("bad");
  latest.submit("good");
  calls[0].reject(new Error("stale failure"));
  await flush();
  assert.deepEqual(reported, []);
  calls[1].reject(new Error("current failure"));
  await flush();
  assert.deepEqual(reported.map((e) => e.message), ["current failure"]);
  assert.deepEqual(applied, []);
});

test("a request lost to a restart is computed again on the new worker", async () => {
  const { calls, applied, reported, latest } = queue();
  latest.submit("x");
  calls[0].reject(new RuntimeRestarted());
  await flush();
  assert.deepEqual(calls.map((c) => c.settings), ["x", "x"]);
  calls[1].resolve("x again");
  await flush();
  assert.deepEqual(applied, ["x again"]);
  assert.deepEqual(reported, []);
});

test("after a restart, newer waiting settings win over recomputing the lost ones", async () => {
  const { calls, applied, latest } = queue();
  latest.submit("old");
  latest.submit("new");
  calls[0].reject(new RuntimeRestarted());
  await flush();
  assert.deepEqual(calls.map((c) => c.settings), ["old", "new"]);
  calls[1].resolve("new result");
  await flush();
  assert.deepEqual(applied, ["new result"]);
});
