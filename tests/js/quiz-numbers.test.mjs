// Numeric quiz answers (widgets/live_widgets/js/quiz.mjs).
import assert from "node:assert/strict";
import { test } from "node:test";

import { parseNumberAnswer, withinTolerance } from "../../widgets/live_widgets/js/quiz.mjs";

test("plain and scientific notation", () => {
  assert.equal(parseNumberAnswer("0.002"), 0.002);
  assert.equal(parseNumberAnswer(" 2e-3 "), 0.002);
  assert.equal(parseNumberAnswer("+.5"), 0.5);
  assert.equal(parseNumberAnswer("5."), 5);
  assert.equal(parseNumberAnswer("-12"), -12);
  assert.equal(parseNumberAnswer("1E6"), 1e6);
});

test("the way people write powers of ten, and a typographic minus", () => {
  for (const text of ["9.09 × 10^-13", "9.09x10^-13", "9.09*10^(-13)", "9.09 × 10-13", "9.09 X 10^−13"]) {
    assert.equal(parseNumberAnswer(text), 9.09e-13, text);
  }
  assert.equal(parseNumberAnswer("−0.5"), -0.5);
  assert.equal(parseNumberAnswer("–3"), -3);
});

test("spaces inside a number are read as digit grouping", () => {
  assert.equal(parseNumberAnswer("1 000 000"), 1e6);
});

test("anything that is not one number is refused", () => {
  for (const text of ["", " ", "abc", "0,5", "1.2.3", "1e", "e5", "10^3", "Infinity", "NaN"]) {
    assert.equal(parseNumberAnswer(text), null, JSON.stringify(text));
  }
});

test("the tolerance is relative to the expected answer", () => {
  assert.equal(withinTolerance(104, 100, 0.05), true);
  assert.equal(withinTolerance(-96, -100, 0.05), true);
  assert.equal(withinTolerance(106, 100, 0.05), false);
  assert.equal(withinTolerance(100, 100, 0), true);
  assert.equal(withinTolerance(100.0001, 100, 0), false);
});

test("an answer exactly on the tolerance's edge counts, despite binary rounding", () => {
  // 1.05 - 1 is 0.050000000000000044 in binary floating point, just over 0.05.
  assert.equal(withinTolerance(1.05, 1, 0.05), true);
  assert.equal(withinTolerance(0.95, 1, 0.05), true);
});

test("for an expected 0 the tolerance is absolute", () => {
  assert.equal(withinTolerance(0.001, 0, 0.01), true);
  assert.equal(withinTolerance(-0.02, 0, 0.01), false);
  assert.equal(withinTolerance(0, 0, 0), true);
});
