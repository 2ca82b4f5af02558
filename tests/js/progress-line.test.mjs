// The words of each lesson's "Your progress" line (widgets/live_widgets/js/progress-page.mjs).
import assert from "node:assert/strict";
import { test } from "node:test";

import { progressLineText } from "../../widgets/live_widgets/js/progress-page.mjs";

const NOTHING = { answered: 0, right: 0, scored: 0, prompts: 0, firstTry: 0, solved: 0, questions: 0, passed: 0, exercises: 0 };

test("a lesson with a prompt, a quiz and an exercise names all three", () => {
  const text = progressLineText({ ...NOTHING, answered: 1, scored: 1, right: 1, prompts: 2, firstTry: 3, questions: 5, passed: 1, exercises: 1 });
  assert.equal(text, "Your progress: 1 of 2 prompts answered (1 guess right); 3 of 5 quiz questions right first time; exercise passed.");
});

test("unscored guesses say nothing about right; singulars read as such", () => {
  const text = progressLineText({ ...NOTHING, answered: 1, prompts: 1, questions: 1, exercises: 1 });
  assert.equal(text, "Your progress: 1 of 1 prompt answered; 0 of 1 quiz question right first time; exercise not passed yet.");
});

test("two exercises are counted; a lesson with nothing to record says so", () => {
  assert.match(progressLineText({ ...NOTHING, passed: 1, exercises: 2 }), /1 of 2 exercises passed/);
  assert.equal(progressLineText(NOTHING), "Your progress: this lesson has no prompts, quiz or exercise.");
});
