// @ts-check
/* The student's progress: what they answered, kept in this browser only (localStorage,
 * one versioned JSON value under one key), and the short summary code a printed summary
 * carries. Pure: the storage is passed in, so `node --test` checks it without a browser
 * (tests/js/progress-store.test.mjs). */

/** The one localStorage key; every page of the book shares it. */
export const STORAGE_KEY = "deep-revolution:progress";
/** Bump when the shape below changes; older values are then read as empty, not misread. */
export const VERSION = 1;

/**
 * Per page (its path from the site root without ".html", e.g. "lessons/02-vanishing-gradients"):
 * predict prompts answered (`right` is null when the guess could not be scored), quiz
 * questions (the first check decides `firstTry`), exercises passed.
 * @typedef {{right: boolean | null}} PromptRecord
 * @typedef {{firstTry: boolean, solved: boolean}} QuestionRecord
 * @typedef {{passed: boolean}} ExerciseRecord
 * @typedef {{prompts: Record<string, PromptRecord>, questions: Record<string, QuestionRecord>, exercises: Record<string, ExerciseRecord>}} PageRecord
 * @typedef {{version: number, name: string, pages: Record<string, PageRecord>}} Progress
 * @typedef {{kind: "predict", id: string, right: boolean | null}
 *   | {kind: "quiz", id: string, correct: boolean}
 *   | {kind: "exercise", id: string, passed: boolean}} ProgressEvent
 * @typedef {{getItem(key: string): string | null, setItem(key: string, value: string): void, removeItem(key: string): void}} StorageLike
 */

/** @returns {Progress} */
export function emptyProgress() {
  return { version: VERSION, name: "", pages: {} };
}

/** @returns {PageRecord} */
function emptyPage() {
  return { prompts: {}, questions: {}, exercises: {} };
}

/** @param {unknown} value @returns {value is Record<string, unknown>} */
function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The entries of `value` that `check` accepts; anything else is dropped, so one damaged
 * entry (an edit by hand, an old version's leftover) never loses the rest.
 * @template T
 * @param {unknown} value
 * @param {(entry: Record<string, unknown>) => T | null} check
 * @returns {Record<string, T>}
 */
function entries(value, check) {
  /** @type {Record<string, T>} */
  const kept = {};
  if (!isObject(value)) return kept;
  for (const [id, entry] of Object.entries(value)) {
    const checked = isObject(entry) ? check(entry) : null;
    if (checked !== null) kept[id] = checked;
  }
  return kept;
}

/**
 * Read the stored text. Missing, corrupt or another version's value gives empty progress.
 * @param {string | null | undefined} text
 * @returns {Progress}
 */
export function parseProgress(text) {
  if (!text) return emptyProgress();
  /** @type {unknown} */
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    return emptyProgress();
  }
  if (!isObject(data) || data.version !== VERSION) return emptyProgress();
  const progress = emptyProgress();
  progress.name = typeof data.name === "string" ? data.name.slice(0, 200) : "";
  if (!isObject(data.pages)) return progress;
  for (const [page, record] of Object.entries(data.pages)) {
    if (!isObject(record)) continue;
    progress.pages[page] = {
      prompts: entries(record.prompts, (e) => (e.right === true || e.right === false || e.right === null ? { right: e.right } : null)),
      questions: entries(record.questions, (e) =>
        typeof e.firstTry === "boolean" ? { firstTry: e.firstTry, solved: e.solved === true || e.firstTry } : null,
      ),
      exercises: entries(record.exercises, (e) => (e.passed === true ? { passed: true } : null)),
    };
  }
  return progress;
}

/**
 * Progress after one event. First answers count: a prompt keeps its first guess (the
 * page asks again after a reload, and a second guess has seen the result); a quiz
 * question keeps whether its first check was right, and notes when it is solved later;
 * an exercise, once passed, stays passed.
 * @param {Progress} progress
 * @param {string} page
 * @param {ProgressEvent} event
 * @returns {Progress} a new value (the argument is not changed)
 */
export function applyEvent(progress, page, event) {
  const next = /** @type {Progress} */ (structuredClone(progress));
  const record = next.pages[page] || (next.pages[page] = emptyPage());
  if (event.kind === "predict") {
    if (!(event.id in record.prompts)) record.prompts[event.id] = { right: event.right };
  } else if (event.kind === "quiz") {
    const old = record.questions[event.id];
    record.questions[event.id] = old
      ? { firstTry: old.firstTry, solved: old.solved || event.correct }
      : { firstTry: event.correct, solved: event.correct };
  } else if (event.kind === "exercise") {
    if (event.passed) record.exercises[event.id] = { passed: true };
  }
  return next;
}

/**
 * The progress kept in a Storage (localStorage in the page). Every storage access may
 * throw (private mode, storage switched off, quota): the store then keeps this visit's
 * progress in memory and says so through `persistent`, and never throws itself.
 */
export class ProgressStore {
  /** @param {() => StorageLike | null} getStorage called on every access: reading `window.localStorage` itself can throw */
  constructor(getStorage) {
    this.getStorage = getStorage;
    /** False once reading or writing the storage failed: progress lasts only this visit. */
    this.persistent = true;
    /** @type {Progress | null} what this visit recorded when the storage cannot hold it */
    this.memory = null;
  }

  /** @returns {Progress} */
  load() {
    if (this.memory) return this.memory;
    try {
      const storage = this.getStorage();
      if (!storage) throw new Error("no storage");
      return parseProgress(storage.getItem(STORAGE_KEY));
    } catch {
      this.persistent = false;
      return emptyProgress();
    }
  }

  /** @param {Progress} progress */
  save(progress) {
    try {
      const storage = this.getStorage();
      if (!storage) throw new Error("no storage");
      storage.setItem(STORAGE_KEY, JSON.stringify(progress));
      this.memory = null;
    } catch {
      this.persistent = false;
      this.memory = progress;
    }
  }

  /**
   * @param {string} page
   * @param {ProgressEvent} event
   */
  record(page, event) {
    this.save(applyEvent(this.load(), page, event));
  }

  /**
   * Find out, without changing the progress, whether this browser lets the page write:
   * some refuse only writes (a private window, a full storage), which reading alone
   * does not reveal. Sets `persistent`.
   */
  probe() {
    try {
      const storage = this.getStorage();
      if (!storage) throw new Error("no storage");
      storage.setItem(`${STORAGE_KEY}:probe`, "1");
      storage.removeItem(`${STORAGE_KEY}:probe`);
    } catch {
      this.persistent = false;
    }
    return this.persistent;
  }

  /** @param {string} name the student's name as typed for the printed summary */
  setName(name) {
    this.save({ ...this.load(), name: name.slice(0, 200) });
  }

  /** Forget everything, the name too. */
  forget() {
    this.memory = null;
    try {
      this.getStorage()?.removeItem(STORAGE_KEY);
    } catch {
      this.persistent = false;
    }
  }
}

/**
 * The key a page's progress is kept under: its path from the site root without ".html",
 * the same as the book's document name ("lessons/02-vanishing-gradients"), so the
 * progress page finds it in the build's list of lessons. Works under any sub-path.
 * @param {string} pageUrl
 * @param {string} rootUrl the site root (ends with "/")
 */
export function pageKey(pageUrl, rootUrl) {
  const page = new URL(pageUrl);
  const root = new URL(rootUrl);
  let path = page.pathname;
  if (page.origin === root.origin && path.startsWith(root.pathname)) path = path.slice(root.pathname.length);
  else path = path.replace(/^\/+/, "");
  path = decodeURIComponent(path);
  if (path === "" || path.endsWith("/")) path += "index";
  return path.replace(/\.html$/, "");
}

/**
 * @typedef {{prompts: string[], questions: string[], exercises: string[]}} LessonItems the ids a lesson contains (the build's manifest)
 * @typedef {{answered: number, right: number, scored: number, prompts: number, firstTry: number, solved: number, questions: number, passed: number, exercises: number}} LessonCounts
 */

/**
 * What the student did in one lesson, counting only items the lesson still has.
 * @param {Progress} progress
 * @param {string} page
 * @param {LessonItems} items
 * @returns {LessonCounts}
 */
export function lessonCounts(progress, page, items) {
  const record = progress.pages[page] || emptyPage();
  const prompts = items.prompts.map((id) => record.prompts[id]).filter(Boolean);
  const questions = items.questions.map((id) => record.questions[id]).filter(Boolean);
  return {
    answered: prompts.length,
    scored: prompts.filter((p) => p.right !== null).length,
    right: prompts.filter((p) => p.right === true).length,
    prompts: items.prompts.length,
    firstTry: questions.filter((q) => q.firstTry).length,
    solved: questions.filter((q) => q.solved).length,
    questions: items.questions.length,
    passed: items.exercises.filter((id) => record.exercises[id]?.passed).length,
    exercises: items.exercises.length,
  };
}

/* ---- The summary code: a short line on the printed summary. ----
 * It spells out the summary's numbers and date, plus a check over them and the student's
 * name, so a teacher can type it into the progress page and compare what it decodes to
 * with the sheet. It catches a changed number or a typo; it is NOT a security measure:
 * anyone who reads this file can make a matching code for any numbers. */

/** Crockford's base 32: no I, L, O or U, so a code read aloud or copied by hand survives. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** The code's format; a change of layout gets a new first character. */
const CODE_FORMAT = "1";
/** Dates are counted in days from this one (three characters last until 2113). */
const EPOCH = Date.UTC(2024, 0, 1);
const DAY = 24 * 60 * 60 * 1000;
/** The four numbers per lesson in the code, in this order. */
export const CODE_FIELDS = /** @type {const} */ (["answered", "right", "firstTry", "passed"]);
/** The largest number one character holds; the build refuses a lesson with more items. */
export const CODE_MAX = 31;

/**
 * 32-bit FNV-1a over the UTF-16 code units: tiny, and enough to notice an edit.
 * @param {string} text
 */
export function fnv1a(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** A name as a teacher might retype it: spaces and case do not matter. @param {string} name */
export function normalizeName(name) {
  return name.trim().replace(/\s+/g, " ").toLowerCase();
}

/** @param {number} value @param {number} width */
function toBase32(value, width) {
  let text = "";
  for (let i = 0; i < width; i += 1) {
    text = ALPHABET[value % 32] + text;
    value = Math.floor(value / 32);
  }
  return text;
}

/** @param {string} text */
function fromBase32(text) {
  let value = 0;
  for (const char of text) value = value * 32 + ALPHABET.indexOf(char);
  return value;
}

/** "2026-11-29" → days since 2024-01-01, or null. @param {string} date */
function dayNumber(date) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return null;
  const time = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  const days = Math.round((time - EPOCH) / DAY);
  return days >= 0 && days < 32 ** 3 ? days : null;
}

/** @param {number} days */
function dateOfDay(days) {
  return new Date(EPOCH + days * DAY).toISOString().slice(0, 10);
}

/** @param {string} body @param {string} name */
function check(body, name) {
  return toBase32(fnv1a(`${body}|${normalizeName(name)}`) % 32 ** 4, 4);
}

/**
 * The code for a summary: format, number of lessons, date, four numbers per lesson, and
 * four characters of check over all that and the name; in groups of four for reading.
 * @param {{name: string, date: string, lessons: number[][]}} summary date as YYYY-MM-DD;
 *   one [answered, right, firstTry, passed] per lesson
 */
export function encodeSummary(summary) {
  const days = dayNumber(summary.date);
  if (days === null) throw new Error(`summary date must be YYYY-MM-DD from 2024 on, got ${JSON.stringify(summary.date)}`);
  if (summary.lessons.length > CODE_MAX) throw new Error(`a summary code holds at most ${CODE_MAX} lessons`);
  let body = CODE_FORMAT + toBase32(summary.lessons.length, 1) + toBase32(days, 3);
  for (const numbers of summary.lessons) {
    if (numbers.length !== CODE_FIELDS.length) throw new Error(`each lesson needs ${CODE_FIELDS.length} numbers`);
    for (const n of numbers) {
      if (!Number.isInteger(n) || n < 0 || n > CODE_MAX) throw new Error(`a summary number must be a whole number from 0 to ${CODE_MAX}, got ${n}`);
      body += toBase32(n, 1);
    }
  }
  const code = body + check(body, summary.name);
  return code.match(/.{1,4}/g)?.join("-") || code;
}

/** @typedef {{ok: true, date: string, lessons: number[][]} | {ok: false, reason: string}} DecodedSummary */

/**
 * Read a code back, as typed by a teacher (case, spaces and hyphens do not matter; O is
 * read as 0 and I or L as 1). `ok` is false when the check does not match the name given.
 * @param {string} code
 * @param {string} name
 * @returns {DecodedSummary}
 */
export function decodeSummary(code, name) {
  const text = code.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  if (!/^[0-9A-HJKMNP-TV-Z]+$/.test(text)) return { ok: false, reason: "The code has a character that a summary code never holds." };
  if (text[0] !== CODE_FORMAT) return { ok: false, reason: "This is not a summary code of this book (it should start with 1)." };
  const lessons = fromBase32(text.slice(1, 2));
  const length = 1 + 1 + 3 + lessons * CODE_FIELDS.length + 4;
  if (text.length !== length) return { ok: false, reason: `The code should have ${length} characters; it has ${text.length}. Check for a missing or extra character.` };
  const body = text.slice(0, -4);
  if (check(body, name) !== text.slice(-4)) {
    return { ok: false, reason: "The code does not match this name: the code, the name or the numbers were changed, or a character was mistyped." };
  }
  /** @type {number[][]} */
  const numbers = [];
  for (let i = 0; i < lessons; i += 1) {
    const start = 5 + i * CODE_FIELDS.length;
    numbers.push([...text.slice(start, start + CODE_FIELDS.length)].map((char) => fromBase32(char)));
  }
  return { ok: true, date: dateOfDay(fromBase32(text.slice(2, 5))), lessons: numbers };
}
