// @ts-check
/* Numbers in the live tables, written as the build writes them. */

const SUPERSCRIPT = /** @type {Record<string, string>} */ ({ "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻", "+": "⁺" });

/**
 * A table number exactly as the build writes it (live_widgets/number_format.py with
 * ".3g"): 3 significant digits, "m × 10ⁿ" when Python's g format would use an exponent.
 * @param {unknown} value
 */
export function formatTableValue(value) {
  // Python ints are written with str(); Pyodide hands the worker's big ones over as BigInt.
  if (typeof value === "bigint") return String(value);
  if (typeof value !== "number") return String(value);
  if (Number.isNaN(value)) return "not a number";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  // JSON does not tell 3 from 3.0; whole numbers in the safe range were ints in Python.
  if (Number.isSafeInteger(value)) return String(value);
  const [mantissa, exponentText] = value.toExponential(2).split("e");
  const exponent = Number(exponentText);
  let text;
  if (exponent < -4 || exponent >= 3) {
    const trimmed = mantissa.replace(/\.?0+$/, "");
    text = `${trimmed} × 10${String(exponent).split("").map((c) => SUPERSCRIPT[c] || c).join("")}`;
  } else {
    text = value.toFixed(Math.max(0, 2 - exponent)).replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
  }
  return text.replace(/-/g, "−");
}
