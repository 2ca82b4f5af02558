// @ts-check
/* Small DOM helpers shared by every widget, and the data-* markers the browser tests
 * wait on (ARCHITECTURE §5). Nothing here runs at import time. */

/**
 * Create an element; text always goes in as textContent (never parsed as HTML).
 * @param {string} tag
 * @param {Record<string, string | boolean | undefined>} [attrs]
 * @param {string} [text]
 * @returns {HTMLElement}
 */
export function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? "" : value);
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * A button as the tests find it (`data-lw-action`).
 * @param {string} action
 * @param {string} label
 * @param {() => void} onClick
 */
export function actionButton(action, label, onClick) {
  const button = /** @type {HTMLButtonElement} */ (el("button", { type: "button", class: `lw-button lw-${action}`, "data-lw-action": action }, label));
  button.addEventListener("click", onClick);
  return button;
}

/** @param {HTMLElement} root */
export function readInitial(root) {
  const script = root.querySelector(":scope > script.lw-initial");
  if (!script) throw new Error(`widget #${root.id || "?"} has no <script class="lw-initial"> (ARCHITECTURE §5)`);
  return JSON.parse(script.textContent || "null");
}

/**
 * data-lw-payload is base64 of UTF-8 JSON; atob alone would mangle non-ASCII text.
 * @param {string | undefined} encoded
 */
export function decodePayload(encoded) {
  if (!encoded) return null;
  const bytes = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** @typedef {"static" | "waiting" | "ready" | "busy" | "error"} WidgetState */

/**
 * @param {HTMLElement} root
 * @param {WidgetState} state
 */
export function setState(root, state) {
  root.dataset.lwState = state;
}

/**
 * After a widget's work ends: "ready", unless live Python has failed meanwhile.
 * @param {HTMLElement} root
 * @param {string} runtimeState the Runtime's state
 */
export function settle(root, runtimeState) {
  setState(root, runtimeState === "failed" ? "error" : "ready");
}

/** Tests wait for "renders > n" instead of sleeping (ARCHITECTURE §5). @param {HTMLElement} root */
export function bumpRenders(root) {
  root.dataset.lwRenders = String(Number(root.dataset.lwRenders || "0") + 1);
}

/**
 * The widget's status line; cells and exercises get one if the HTML has none.
 * @param {HTMLElement} root
 * @returns {HTMLElement}
 */
export function statusLine(root) {
  const existing = root.querySelector(":scope > .lw-status");
  if (existing instanceof HTMLElement) return existing;
  const status = el("p", { class: "lw-status", role: "status", "aria-live": "polite" });
  root.append(status);
  return status;
}

/**
 * One status line: whitespace collapsed and cut at `limit` characters.
 * @param {string} text
 * @param {number} limit
 */
export function shorten(text, limit) {
  const line = String(text).replace(/\s+/g, " ").trim();
  return line.length > limit ? `${line.slice(0, limit - 1)}…` : line;
}

/** @param {unknown} error */
export function messageOf(error) {
  if (error && typeof error === "object" && "message" in error) return String(error.message);
  return String(error);
}

/** The last line of a traceback or error text. @param {string} text */
export function lastLine(text) {
  const lines = String(text).trimEnd().split("\n");
  return lines[lines.length - 1];
}
