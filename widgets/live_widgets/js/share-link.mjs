// @ts-check
/* Share links: `#NAME?depth=30&activation=sigmoid` restores a widget's settings. */

import { el } from "./dom.mjs";
import { parseSetting } from "./settings.mjs";

/**
 * Settings from a share link aimed at the widget `name`, read from a location hash
 * (with its "#"). Unknown names and unreadable values are reported, never silently
 * applied. Null when the hash is not a link to this widget's settings.
 *
 * A link is for showing a result, so it opens past a predict prompt; `predict=ask`
 * (PREDICT_PARAM) keeps the prompt, for a teacher who wants the class to guess first.
 * `applied` lists the settings the link set, in the link's order.
 * @param {string} name
 * @param {Record<string, any>} base
 * @param {string} hash
 * @returns {{settings: Record<string, any>, problems: string[], applied: string[], keepPrompt: boolean} | null}
 */
export function settingsFromLink(name, base, hash) {
  // Split before decoding: the query's own escapes (a value holding "&", "=" or "%") are
  // URLSearchParams' to undo, once. Only a link whose "?" itself was escaped (some apps
  // re-encode links) is decoded whole first.
  let raw = hash.slice(1);
  let target;
  try {
    if (!raw.includes("?")) raw = decodeURIComponent(raw);
    const question = raw.indexOf("?");
    if (question < 0) return null;
    target = decodeURIComponent(raw.slice(0, question));
    raw = raw.slice(question + 1);
    decodeURIComponent(raw); // throws on escapes that are not UTF-8 (URLSearchParams would not)
  } catch {
    return null; // a mangled fragment is not a share link
  }
  if (target !== name) return null;
  const params = new URLSearchParams(raw);
  const settings = { ...base };
  /** @type {string[]} */
  const problems = [];
  /** @type {string[]} */
  const applied = [];
  let keepPrompt = false;
  for (const [key, text] of params) {
    if (key === PREDICT_PARAM && !(key in base)) {
      if (text === PREDICT_KEEP) keepPrompt = true;
      else problems.push(`${key}=${text} is not a valid value (only ${key}=${PREDICT_KEEP})`);
      continue;
    }
    if (!(key in base)) {
      problems.push(`unknown setting "${key}"`);
      continue;
    }
    const parsed = parseSetting(base[key], text);
    if (parsed.ok) {
      settings[key] = parsed.value;
      if (!applied.includes(key)) applied.push(key);
    } else problems.push(`${key}=${text} is not a valid value`);
  }
  return { settings, problems, applied, keepPrompt };
}

/** The link option that keeps a predict prompt (`#NAME?depth=10&predict=ask`). */
export const PREDICT_PARAM = "predict";
export const PREDICT_KEEP = "ask";

/**
 * The link that restores `settings` from the page at `href`: only values that differ
 * from the directive's.
 * @param {string} name
 * @param {Record<string, any>} settings
 * @param {Record<string, any>} initial
 * @param {string} href the page's address
 */
export function shareLink(name, settings, initial, href) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(settings)) {
    if (value !== initial[key]) params.set(key, String(value));
  }
  const query = params.toString();
  const url = new URL(href);
  url.hash = query ? `${name}?${query}` : name;
  return url.href;
}

/**
 * Copy to the clipboard, or (where that is not allowed) show the link selected in a
 * text box so the reader can copy it by hand.
 * @param {string} text
 * @param {HTMLElement} status
 * @param {HTMLElement} after
 */
export async function copyText(text, status, after) {
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = "Link copied. Opening it restores these settings.";
  } catch {
    let box = after.nextElementSibling;
    if (!(box instanceof HTMLInputElement && box.classList.contains("lw-link-box"))) {
      box = el("input", { class: "lw-link-box", type: "text", readonly: true, "aria-label": "Link to these settings" });
      after.after(box);
    }
    const input = /** @type {HTMLInputElement} */ (box);
    input.value = text;
    input.focus();
    input.select();
    status.textContent = "Copy this link (it is selected) to share these settings.";
  }
}
