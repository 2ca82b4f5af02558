// @ts-check
/* Trace colours for dark mode (pure: no DOM, so `node --test` checks them).
 *
 * gradflow writes colours for a white page. On the dark theme's background (#121212)
 * black and dark grey lines would vanish, and a light translucent fill (the race's band
 * over seeds, 18 % opaque) nearly does: composited on near-black it is barely distinct
 * from the background, while on white it reads clearly. */

/** Fill opacity in dark mode: the band then stands off #121212 at least as far as the
 * light-mode band (18 %) stands off white, for every Okabe-Ito series colour. */
export const DARK_FILL_ALPHA = 0.35;

const RGBA = /^rgba\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*([\d.]+)\s*\)$/i;

/**
 * A line or marker colour readable on the dark background.
 * @param {unknown} colour
 * @returns {unknown}
 */
export function colourForDark(colour) {
  if (typeof colour !== "string") return colour;
  const key = colour.toLowerCase();
  if (key === "#000000" || key === "black") return "#e6e6e6";
  if (key === "#666666") return "#b3b3b3";
  return colour;
}

/**
 * A translucent fill made strong enough to see on the dark background; the hue stays,
 * so the band still matches its line. Opaque and non-rgba fills pass through.
 * @param {unknown} colour
 * @returns {unknown}
 */
export function fillForDark(colour) {
  if (typeof colour !== "string") return colour;
  const match = RGBA.exec(colour.trim());
  if (!match) return colourForDark(colour);
  const alpha = Number(match[4]);
  if (!(alpha < DARK_FILL_ALPHA)) return colour;
  return `rgba(${match[1]},${match[2]},${match[3]},${DARK_FILL_ALPHA})`;
}

/**
 * Recolour one plotly trace in place for dark mode: its line, its markers (and their
 * outline) and its fill.
 * @param {any} trace
 */
export function recolourTraceForDark(trace) {
  if (trace.line) trace.line.color = colourForDark(trace.line.color);
  if (trace.marker) {
    trace.marker.color = colourForDark(trace.marker.color);
    if (trace.marker.line) trace.marker.line.color = colourForDark(trace.marker.line.color);
  }
  if (trace.fillcolor !== undefined) trace.fillcolor = fillForDark(trace.fillcolor);
}
