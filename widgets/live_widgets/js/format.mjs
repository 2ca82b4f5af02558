// @ts-check
/* Numbers written for readers, exactly as gradflow.text.format_number writes them in Python
 * (the shared examples in tests/fixtures/number_format.json test both). Views already send
 * their table cells as text; this formats any number that still arrives as a float. */

const SUPERSCRIPT = /** @type {Record<string, string>} */ ({ "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻", "+": "⁺" });
const MINUS = "\u2212";

/**
 * The exact decimal digits of a positive finite double, as far as 100 significant digits:
 * value = 0.d1d2d3… × 10^(exponent + 1), so digits[0] sits at 10^exponent. toExponential
 * rounds the exact binary value, so a tie in Python's sense (…5 followed by nothing) shows
 * here as …5 followed by zeros.
 * @param {number} x
 */
function exactDigits(x) {
  const [mantissa, exponent] = x.toExponential(99).split("e");
  return { digits: mantissa.replace(".", ""), exponent: Number(exponent) };
}

/**
 * Round the decimal expansion to the place 10^place, half to even on exact ties, as
 * Python's float formatting does (JavaScript's toFixed rounds ties up: 0.125 → "0.13").
 * Returns the integer R (as a digit string) with value ≈ R × 10^place.
 * @param {{digits: string, exponent: number}} exact
 * @param {number} place
 */
function roundAt(exact, place) {
  const keep = exact.exponent - place + 1; // digits at or above 10^place
  // past the 100 known digits the expansion is zeros; with nothing kept the integer is 0
  const kept = keep > 0 ? exact.digits.slice(0, keep).padEnd(keep, "0") : "0";
  const rest = keep >= 0 ? exact.digits.slice(keep) : "0";
  const first = rest[0] || "0";
  const odd = Number(kept[kept.length - 1]) % 2 === 1;
  const roundUp = first > "5" || (first === "5" && (/[1-9]/.test(rest.slice(1)) || odd));
  const result = roundUp ? (BigInt(kept) + 1n).toString() : kept;
  return result.replace(/^0+(?=\d)/, "");
}

/**
 * A number as a reader should see it: `digits` significant digits; plain decimals from 0.01
 * to 9999, otherwise "m × 10ⁿ"; trailing zeros dropped; typographic minus.
 * @param {number} value
 * @param {number} [digits]
 */
export function formatNumber(value, digits = 2) {
  if (Number.isNaN(value)) return "not a number";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : `${MINUS}∞`;
  if (value === 0) return "0";
  const sign = value < 0 ? MINUS : "";
  const exact = exactDigits(Math.abs(value));
  // the exponent after rounding, so 9999.7 at 2 digits is 1 × 10⁴, not 10000
  let exponent = exact.exponent;
  let significant = roundAt(exact, exponent - (digits - 1));
  if (significant.length > digits) {
    exponent += 1;
    significant = significant.slice(0, digits);
  }
  if (exponent >= -2 && exponent <= 3) {
    const decimals = Math.max(digits - 1 - exponent, 0);
    const whole = roundAt(exact, -decimals).padStart(decimals + 1, "0");
    let text = decimals ? `${whole.slice(0, -decimals)}.${whole.slice(-decimals)}` : whole;
    if (decimals) text = text.replace(/0+$/, "").replace(/\.$/, "");
    return sign + text;
  }
  const mantissa = `${significant[0]}.${significant.slice(1)}`.replace(/0+$/, "").replace(/\.$/, "");
  const power = String(exponent).split("").map((c) => SUPERSCRIPT[c] || c).join("");
  return `${sign}${mantissa} × 10${power}`;
}

/**
 * A table cell: views send measured numbers as text already (gradflow.text.format_number);
 * whole numbers stay as Python's str() writes them; any other number gets 3 digits.
 * @param {unknown} value
 */
export function formatTableValue(value) {
  // Python ints are written with str(); Pyodide hands the worker's big ones over as BigInt.
  if (typeof value === "bigint") return String(value);
  if (typeof value !== "number") return String(value);
  // JSON does not tell 3 from 3.0; whole numbers in the safe range were ints in Python.
  if (Number.isSafeInteger(value)) return String(value);
  return formatNumber(value, 3);
}
