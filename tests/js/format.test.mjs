// The browser's number formatter against the examples the Python one is tested with
// (tests/fixtures/number_format.json, read by tests/unit/test_text.py too).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { formatNumber, formatTableValue } from "../../widgets/live_widgets/js/format.mjs";

const FIXTURE = new URL("../fixtures/number_format.json", import.meta.url);
const { cases } = JSON.parse(readFileSync(FIXTURE, "utf-8"));
const NON_FINITE = { Infinity: Infinity, "-Infinity": -Infinity, NaN: NaN };

test("the shared examples are there", () => {
  assert.ok(cases.length >= 10);
});

for (const { value, digits, text } of cases) {
  test(`${value} at ${digits} digits is written ${text}`, () => {
    const number = typeof value === "string" ? NON_FINITE[value] : value;
    assert.equal(formatNumber(number, digits), text);
  });
}

test("exact ties round half to even, as Python does, and near-ties by their exact value", () => {
  assert.equal(formatNumber(0.375, 2), "0.38");   // 0.375 is exact: 7 is odd, round up
  assert.equal(formatNumber(0.125, 2), "0.12");   // 2 is even: stays
  assert.equal(formatNumber(2.675, 3), "2.67");   // 2.675 is stored just below the tie
  assert.equal(formatNumber(1.005e-7, 3), "1.01 × 10⁻⁷"); // stored just above the tie
});

test("table cells: text and whole numbers pass through, other numbers get 3 digits", () => {
  assert.equal(formatTableValue("1.2 × 10⁻⁵"), "1.2 × 10⁻⁵");
  assert.equal(formatTableValue(30), "30");
  assert.equal(formatTableValue(12345678901234567890n), "12345678901234567890");
  assert.equal(formatTableValue(0.000123456), "1.23 × 10⁻⁴");
});
