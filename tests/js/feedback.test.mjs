// What quizzes and code cells say after the reader acts (quiz.mjs, cell-widget.mjs).
import assert from "node:assert/strict";
import { test } from "node:test";

import { runSummary } from "../../widgets/live_widgets/js/status.mjs";
import { feedbackText } from "../../widgets/live_widgets/js/quiz.mjs";

const ANSWER = { answer: 2, explain: "The slope peaks at 1/4, at z = 0.", hint: "Where is the sigmoid steepest?" };

test("a wrong answer gets the hint, never the explanation that holds the answer", () => {
  const text = feedbackText(false, ANSWER);
  assert.match(text, /Where is the sigmoid steepest\?/);
  assert.doesNotMatch(text, /1\/4/);
});

test("a wrong answer without a hint only asks for another go", () => {
  assert.equal(feedbackText(false, { answer: 1, explain: "Because 3." }), "Not quite. Have another go.");
});

test("a right answer gets the explanation", () => {
  assert.equal(feedbackText(true, ANSWER), "Correct. The slope peaks at 1/4, at z = 0.");
});

const WHEN = new Date(2026, 0, 1, 14, 2, 7);

test("a run that prints nothing says it finished, with its time", () => {
  const text = runSummary({ stdout: "", stderr: "", value: null, error: null, figures: [] }, 0.42, WHEN);
  assert.match(text, /^Finished in 0\.4 s at 14:02:07; nothing printed\.$/);
});

test("a run with output says it finished, and nothing about an empty output", () => {
  const text = runSummary({ stdout: "1\n" }, 1.26, WHEN);
  assert.equal(text, "Finished in 1.3 s at 14:02:07.");
  assert.equal(runSummary({ figures: [{}] }, 12.4, WHEN), "Finished in 12 s at 14:02:07.");
});

test("a run that raised names the error", () => {
  const error = 'Traceback (most recent call last):\n  File "<cell>", line 1\nZeroDivisionError: division by zero';
  assert.equal(runSummary({ stdout: "partial", error }, 0.1, WHEN), "Stopped by an error (ZeroDivisionError) after 0.1 s at 14:02:07; see below.");
});
