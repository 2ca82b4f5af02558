// @ts-check
/* Settings forms (gradient-flow, path-lengths, training-race): read and write the
 * controls, typed like the settings the directive passed at build time. */

/**
 * Convert a form or link value to the type of the setting's build-time value, so the
 * worker receives what the directive would have passed.
 * @param {unknown} typeSample the initial value of the setting
 * @param {string} text
 * @returns {{ok: true, value: any} | {ok: false}}
 */
export function parseSetting(typeSample, text) {
  if (typeof typeSample === "boolean") {
    const lowered = text.trim().toLowerCase();
    if (["true", "1", "yes", "on"].includes(lowered)) return { ok: true, value: true };
    if (["false", "0", "no", "off"].includes(lowered)) return { ok: true, value: false };
    return { ok: false };
  }
  if (typeof typeSample === "number") {
    const value = Number(text);
    return text.trim() !== "" && Number.isFinite(value) ? { ok: true, value } : { ok: false };
  }
  return { ok: true, value: text };
}

/**
 * Read the settings from the visible controls, on top of the widget's other settings.
 * A control holding a value the simulator cannot take keeps its setting from `base`
 * (the last good value), so the other controls still work; `invalid` says, for each
 * such control, what it accepts (see invalidMessage).
 * @param {HTMLFormElement | null} form
 * @param {Record<string, any>} base
 * @returns {{settings: Record<string, any>, invalid: string[]}}
 */
export function readForm(form, base) {
  const settings = { ...base };
  /** @type {string[]} */
  const invalid = [];
  if (!form) return { settings, invalid };
  for (const input of form.querySelectorAll("input[name], select[name]")) {
    const field = /** @type {HTMLInputElement | HTMLSelectElement} */ (input);
    if (!(field.name in base)) continue;
    if (field instanceof HTMLInputElement && field.type === "checkbox") {
      settings[field.name] = field.checked;
      continue;
    }
    const parsed = parseSetting(base[field.name], field.value);
    if (!parsed.ok || !withinLimits(field)) {
      invalid.push(allowedText(field, base[field.name]));
      continue;
    }
    settings[field.name] = parsed.value;
  }
  return { settings, invalid };
}

/**
 * "Branch strength takes a number from 0 to 2": the control and what it accepts.
 * @param {HTMLInputElement | HTMLSelectElement} field
 * @param {unknown} kept the setting's last good value (its type says "whole number")
 */
export function allowedText(field, kept) {
  const label = (field.labels?.[0]?.textContent || field.name).trim();
  // "2.0" in the markup reads as "2" (Python writes floats with a decimal point)
  const number = (/** @type {string | null} */ text) => (text === null || text === "" ? null : String(Number(text)));
  const min = number(field.getAttribute("min"));
  const max = number(field.getAttribute("max"));
  const whole = field.getAttribute("step") !== null && Number.isInteger(Number(field.getAttribute("step"))) && typeof kept === "number" && Number.isInteger(kept);
  const kind = whole ? "a whole number" : "a number";
  let range = "";
  if (min !== null && max !== null) range = ` from ${min} to ${max}`;
  else if (min !== null) range = ` of at least ${min}`;
  else if (max !== null) range = ` of at most ${max}`;
  return `${label} takes ${kind}${range}`;
}

/**
 * The message for controls holding values the simulator cannot take.
 * @param {string[]} invalid from readForm
 * @param {string} [consequence] what happens meanwhile
 */
export function invalidMessage(invalid, consequence = "") {
  return `${invalid.join("; ")}.${consequence ? ` ${consequence}` : ""}`;
}

/**
 * A typed value the simulator can take: readable and within min/max. A value "off
 * the step grid" is fine (the step only shapes the spinner and slider), and the
 * worker still checks every setting.
 * @param {HTMLInputElement | HTMLSelectElement} field
 */
function withinLimits(field) {
  const { validity } = field;
  return !(validity.badInput || validity.valueMissing || validity.rangeUnderflow || validity.rangeOverflow);
}

/**
 * Put settings into the form's inputs (used when a share link is opened).
 * @param {HTMLFormElement | null} form
 * @param {Record<string, any>} settings
 */
export function writeForm(form, settings) {
  if (!form) return;
  for (const input of form.querySelectorAll("input[name], select[name]")) {
    const field = /** @type {HTMLInputElement | HTMLSelectElement} */ (input);
    if (!(field.name in settings)) continue;
    if (field instanceof HTMLInputElement && field.type === "checkbox") field.checked = Boolean(settings[field.name]);
    else field.value = String(settings[field.name]);
    updateValueDisplay(field);
  }
}

/** A range slider's `<output>` shows its value. @param {Element} field */
export function updateValueDisplay(field) {
  if (!(field instanceof HTMLInputElement) || field.type !== "range" || !field.form) return;
  for (const output of field.form.querySelectorAll("output")) {
    if (output.htmlFor.contains(field.id)) output.textContent = field.value;
  }
}

/** @param {HTMLFormElement | null} form @param {boolean} enabled */
export function enableForm(form, enabled) {
  if (!form) return;
  for (const field of form.elements) /** @type {HTMLInputElement} */ (field).disabled = !enabled;
}

/**
 * How a setting reads in a sentence, as setting_text.py writes it at build time
 * (`1.0` -> "1", `true` -> "on").
 * @param {unknown} value
 */
export function settingText(value) {
  if (typeof value === "boolean") return value ? "on" : "off";
  return String(value);
}

/**
 * Refill the words that follow the settings (`data-lw-template`, setting_text.py):
 * "In this {depth}-layer network" says the depth the chart shows.
 * @param {HTMLElement} root
 * @param {Record<string, any>} settings
 */
export function fillTemplates(root, settings) {
  for (const node of root.querySelectorAll("[data-lw-template]")) {
    const template = node.getAttribute("data-lw-template") || "";
    node.textContent = template.replace(/\{([a-z][a-z0-9_]*)\}/g, (whole, name) => (name in settings ? settingText(settings[name]) : whole));
  }
}
