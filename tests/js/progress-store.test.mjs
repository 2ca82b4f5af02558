// The student's progress store and summary code (widgets/live_widgets/js/progress-store.mjs).
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  ProgressStore,
  STORAGE_KEY,
  VERSION,
  applyEvent,
  decodeSummary,
  emptyProgress,
  encodeSummary,
  lessonCounts,
  pageKey,
  parseProgress,
} from "../../widgets/live_widgets/js/progress-store.mjs";

/** A Map-backed stand-in for localStorage. */
function memoryStorage() {
  const map = new Map();
  return {
    map,
    getItem: (key) => (map.has(key) ? map.get(key) : null),
    setItem: (key, value) => void map.set(key, String(value)),
    removeItem: (key) => void map.delete(key),
  };
}

const PAGE = "lessons/02-vanishing-gradients";
const ITEMS = { prompts: ["flow", "flow-b"], questions: ["quiz-q0", "quiz-q1", "quiz-q2"], exercises: ["ex"] };

test("events are stored under one versioned key and read back", () => {
  const storage = memoryStorage();
  const store = new ProgressStore(() => storage);
  store.record(PAGE, { kind: "predict", id: "flow", right: true });
  store.record(PAGE, { kind: "quiz", id: "quiz-q0", correct: true });
  store.record(PAGE, { kind: "exercise", id: "ex", passed: true });
  assert.deepEqual([...storage.map.keys()], [STORAGE_KEY]);
  const saved = JSON.parse(storage.map.get(STORAGE_KEY));
  assert.equal(saved.version, VERSION);
  const again = new ProgressStore(() => storage).load();
  assert.deepEqual(lessonCounts(again, PAGE, ITEMS), {
    answered: 1, scored: 1, right: 1, prompts: 2,
    firstTry: 1, solved: 1, questions: 3,
    passed: 1, exercises: 1,
  });
});

test("the first guess and the first check count; later ones do not change them", () => {
  let progress = emptyProgress();
  progress = applyEvent(progress, PAGE, { kind: "predict", id: "flow", right: false });
  progress = applyEvent(progress, PAGE, { kind: "predict", id: "flow", right: true });
  progress = applyEvent(progress, PAGE, { kind: "quiz", id: "quiz-q1", correct: false });
  progress = applyEvent(progress, PAGE, { kind: "quiz", id: "quiz-q1", correct: true });
  progress = applyEvent(progress, PAGE, { kind: "quiz", id: "quiz-q2", correct: true });
  progress = applyEvent(progress, PAGE, { kind: "quiz", id: "quiz-q2", correct: false });
  progress = applyEvent(progress, PAGE, { kind: "exercise", id: "ex", passed: true });
  progress = applyEvent(progress, PAGE, { kind: "exercise", id: "ex", passed: false });
  const counts = lessonCounts(progress, PAGE, ITEMS);
  assert.equal(counts.answered, 1);
  assert.equal(counts.right, 0, "the first guess was wrong");
  assert.equal(counts.firstTry, 1, "q2 right first, q1 only later");
  assert.equal(counts.solved, 2);
  assert.equal(counts.passed, 1, "a later failed check does not undo a pass");
});

test("applyEvent leaves its argument unchanged", () => {
  const before = emptyProgress();
  applyEvent(before, PAGE, { kind: "exercise", id: "ex", passed: true });
  assert.deepEqual(before, emptyProgress());
});

test("a guess that could not be scored counts as answered, not as right or wrong", () => {
  const progress = applyEvent(emptyProgress(), PAGE, { kind: "predict", id: "flow", right: null });
  const counts = lessonCounts(progress, PAGE, ITEMS);
  assert.deepEqual([counts.answered, counts.scored, counts.right], [1, 0, 0]);
});

test("items the lesson no longer has are not counted", () => {
  let progress = applyEvent(emptyProgress(), PAGE, { kind: "exercise", id: "old-exercise", passed: true });
  progress = applyEvent(progress, PAGE, { kind: "quiz", id: "quiz-q9", correct: true });
  const counts = lessonCounts(progress, PAGE, ITEMS);
  assert.equal(counts.passed, 0);
  assert.equal(counts.firstTry, 0);
});

test("missing, corrupt or other-version storage reads as empty progress", () => {
  for (const text of [null, "", "{", "[]", "null", '"text"', JSON.stringify({ version: VERSION + 1, pages: {} })]) {
    assert.deepEqual(parseProgress(text), emptyProgress(), String(text));
  }
});

test("damaged entries are dropped and the rest is kept", () => {
  const text = JSON.stringify({
    version: VERSION,
    name: 42,
    pages: {
      [PAGE]: {
        prompts: { flow: { right: true }, bad: { right: "yes" }, worse: 3 },
        questions: { "quiz-q0": { firstTry: false, solved: true }, "quiz-q1": {} },
        exercises: { ex: { passed: true }, other: { passed: "true" } },
      },
      broken: "x",
    },
  });
  const progress = parseProgress(text);
  assert.equal(progress.name, "");
  assert.deepEqual(Object.keys(progress.pages), [PAGE]);
  assert.deepEqual(progress.pages[PAGE], {
    prompts: { flow: { right: true } },
    questions: { "quiz-q0": { firstTry: false, solved: true } },
    exercises: { ex: { passed: true } },
  });
});

test("a storage that throws (private mode) keeps this visit's progress in memory", () => {
  const throwing = {
    getItem() { throw new Error("SecurityError"); },
    setItem() { throw new Error("QuotaExceededError"); },
    removeItem() { throw new Error("SecurityError"); },
  };
  const store = new ProgressStore(() => throwing);
  assert.doesNotThrow(() => store.record(PAGE, { kind: "exercise", id: "ex", passed: true }));
  assert.equal(store.persistent, false);
  assert.equal(lessonCounts(store.load(), PAGE, ITEMS).passed, 1);
  assert.doesNotThrow(() => store.forget());
  assert.equal(lessonCounts(store.load(), PAGE, ITEMS).passed, 0);

  const noStorage = new ProgressStore(() => { throw new Error("localStorage is not available"); });
  assert.deepEqual(noStorage.load(), emptyProgress());
  assert.equal(noStorage.persistent, false);
});

test("probe finds a storage that refuses only writes, and leaves nothing behind", () => {
  const storage = memoryStorage();
  assert.equal(new ProgressStore(() => storage).probe(), true);
  assert.equal(storage.map.size, 0);
  const readOnly = { ...storage, setItem() { throw new Error("QuotaExceededError"); } };
  const store = new ProgressStore(() => readOnly);
  assert.deepEqual(store.load(), emptyProgress());
  assert.equal(store.persistent, true, "reading alone does not tell");
  assert.equal(store.probe(), false);
});

test("forget clears progress and the name", () => {
  const storage = memoryStorage();
  const store = new ProgressStore(() => storage);
  store.setName("Ada Lovelace");
  store.record(PAGE, { kind: "exercise", id: "ex", passed: true });
  assert.equal(store.load().name, "Ada Lovelace");
  store.forget();
  assert.deepEqual(store.load(), emptyProgress());
  assert.equal(storage.map.size, 0);
});

test("a page's key is its path from the site root without .html, under any sub-path", () => {
  const root = "https://user.github.io/deep-revolution/";
  assert.equal(pageKey(`${root}lessons/02-vanishing-gradients.html#flow?depth=3`, root), PAGE);
  assert.equal(pageKey(`${root}lessons/02-vanishing-gradients?x=1`, root), PAGE);
  assert.equal(pageKey(root, root), "index");
  assert.equal(pageKey("http://127.0.0.1:8000/book/progress.html", "http://127.0.0.1:8000/"), "book/progress");
});

const SUMMARY = {
  name: "Ada Lovelace",
  date: "2026-11-29",
  lessons: [[1, 1, 4, 1], [2, 1, 3, 0], [0, 0, 0, 0], [1, 0, 5, 1], [2, 2, 4, 1], [1, 1, 6, 1], [0, 0, 2, 0]],
};

test("a summary code reads back to its date and numbers", () => {
  const code = encodeSummary(SUMMARY);
  assert.match(code, /^[0-9A-Z]{4}(-[0-9A-Z]{1,4})+$/);
  assert.equal(code.replace(/-/g, "").length, 1 + 1 + 3 + 7 * 4 + 4);
  const decoded = decodeSummary(code, SUMMARY.name);
  assert.deepEqual(decoded, { ok: true, date: SUMMARY.date, lessons: SUMMARY.lessons });
});

test("the code forgives case, spacing and look-alike letters in code and name", () => {
  const code = encodeSummary(SUMMARY);
  const retyped = code.toLowerCase().replace(/-/g, " ").replace(/0/g, "o").replace(/1/g, "l");
  assert.equal(decodeSummary(retyped, "  ada   LOVELACE ").ok, true);
});

test("an edited number, another name or a mistyped character is noticed", () => {
  const code = encodeSummary(SUMMARY);
  const edited = encodeSummary({ ...SUMMARY, lessons: SUMMARY.lessons.map((l, i) => (i === 1 ? [2, 2, 3, 0] : l)) });
  assert.notEqual(edited, code);
  assert.equal(decodeSummary(code, "Charles Babbage").ok, false);
  // change each character of the numbers part in turn: every single edit is caught
  const plain = code.replace(/-/g, "");
  for (let i = 0; i < plain.length; i += 1) {
    const swapped = plain.slice(0, i) + (plain[i] === "2" ? "3" : "2") + plain.slice(i + 1);
    const result = decodeSummary(swapped, SUMMARY.name);
    assert.equal(result.ok, false, `character ${i} changed`);
  }
  const short = decodeSummary(plain.slice(0, -1), SUMMARY.name);
  assert.equal(short.ok, false);
  assert.match(short.ok ? "" : short.reason, /characters/);
  assert.equal(decodeSummary("U" + plain.slice(1), SUMMARY.name).ok, false);
});

test("numbers a code cannot hold are refused where the summary is made", () => {
  assert.throws(() => encodeSummary({ ...SUMMARY, lessons: [[32, 0, 0, 0]] }), /0 to 31/);
  assert.throws(() => encodeSummary({ ...SUMMARY, lessons: [[1, 0, 0]] }), /4 numbers/);
  assert.throws(() => encodeSummary({ ...SUMMARY, date: "29/11/2026" }), /YYYY-MM-DD/);
});
