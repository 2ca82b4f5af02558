// Settings typed like the directive's build-time values (widgets/live_widgets/js/settings.mjs).
import assert from "node:assert/strict";
import { test } from "node:test";

import { parseSetting } from "../../widgets/live_widgets/js/settings.mjs";

test("booleans accept the usual spellings, in any case and with spaces", () => {
  for (const text of ["true", "1", "yes", "on", " TRUE ", "On"]) {
    assert.deepEqual(parseSetting(false, text), { ok: true, value: true }, text);
  }
  for (const text of ["false", "0", "no", "off", "No "]) {
    assert.deepEqual(parseSetting(true, text), { ok: true, value: false }, text);
  }
});

test("a boolean setting refuses anything else rather than guessing", () => {
  for (const text of ["", "maybe", "2", "truthy"]) {
    assert.deepEqual(parseSetting(true, text), { ok: false }, text);
  }
});

test("numbers: what Number reads, finite and not blank", () => {
  assert.deepEqual(parseSetting(20, "30"), { ok: true, value: 30 });
  assert.deepEqual(parseSetting(0.5, " 0.25 "), { ok: true, value: 0.25 });
  assert.deepEqual(parseSetting(1, "1e-3"), { ok: true, value: 0.001 });
  for (const text of ["", "   ", "abc", "Infinity", "-Infinity", "NaN", "3 4"]) {
    assert.deepEqual(parseSetting(1, text), { ok: false }, JSON.stringify(text));
  }
});

test("a text setting keeps the text as it is", () => {
  assert.deepEqual(parseSetting("sigmoid", "relu"), { ok: true, value: "relu" });
  assert.deepEqual(parseSetting("sigmoid", " he "), { ok: true, value: " he " });
});
