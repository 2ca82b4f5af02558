// data-lw-payload: base64 of UTF-8 JSON, written by the extension (ARCHITECTURE §5).
import assert from "node:assert/strict";
import { test } from "node:test";

import { decodePayload } from "../../widgets/live_widgets/js/dom.mjs";

test("non-ASCII text survives the base64 round trip", () => {
  const answers = [{ number: 9.09e-13, tolerance: 0.05, explain: "σ′(x) ≤ ¼, so 0.25³⁰ — tiny." }];
  const encoded = Buffer.from(JSON.stringify(answers), "utf-8").toString("base64");
  assert.deepEqual(decodePayload(encoded), answers);
});

test("a missing payload is null", () => {
  assert.equal(decodePayload(undefined), null);
  assert.equal(decodePayload(""), null);
});
