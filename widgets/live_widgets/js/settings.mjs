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
      invalid.push(field.labels?.[0]?.textContent || field.name);
      continue;
    }
    settings[field.name] = parsed.value;
  }
  return { settings, invalid };
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
