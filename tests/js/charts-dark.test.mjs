// Dark-mode chart colours (js/chart-colours.mjs): the race's band over seeds must stay
// visible on the dark background, and its hue must still match its line.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  DARK_FILL_ALPHA, colourForDark, fillForDark, recolourTraceForDark,
} from "../../widgets/live_widgets/js/chart-colours.mjs";

// gradflow.figures: SERIES_STYLES colours, and the band's fill at 18 % (figures._rgba)
const SERIES = [[0, 114, 178], [213, 94, 0], [0, 158, 115], [204, 121, 167], [230, 159, 0]];
const LIGHT_FILL_ALPHA = 0.18;
const WHITE = [255, 255, 255];
const DARK_BACKGROUND = [18, 18, 18]; // the theme's dark background, #121212

/** @param {number[]} rgb */
function luminance(rgb) {
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** @param {number[]} a @param {number[]} b */
function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** @param {string} rgba @param {number[]} background */
function composite(rgba, background) {
  const m = /rgba\((\d+),(\d+),(\d+),([\d.]+)\)/.exec(rgba.replace(/\s/g, ""));
  assert.ok(m, `not an rgba colour: ${rgba}`);
  const alpha = Number(m[4]);
  return [1, 2, 3].map((i, k) => alpha * Number(m[i]) + (1 - alpha) * background[k]);
}

for (const rgb of SERIES) {
  const band = `rgba(${rgb.join(",")},${LIGHT_FILL_ALPHA})`;
  test(`the band ${band} stands off the dark background at least as well as off white`, () => {
    const dark = /** @type {string} */ (fillForDark(band));
    const onDark = contrast(composite(dark, DARK_BACKGROUND), DARK_BACKGROUND);
    const onWhite = contrast(composite(band, WHITE), WHITE);
    assert.ok(onDark >= onWhite, `dark ${onDark.toFixed(3)} < light ${onWhite.toFixed(3)}`);
    // same hue as its line: only the opacity changes
    assert.equal(dark, `rgba(${rgb.join(",")},${DARK_FILL_ALPHA})`);
  });
}

test("a fill already strong enough, or opaque, is left alone", () => {
  assert.equal(fillForDark("rgba(0,114,178,0.5)"), "rgba(0,114,178,0.5)");
  assert.equal(fillForDark("#0072B2"), "#0072B2");
  assert.equal(fillForDark("#000000"), "#e6e6e6"); // a black fill would vanish: recoloured
  assert.equal(fillForDark(undefined), undefined);
});

test("black and dark grey lines become light; series colours stay", () => {
  assert.equal(colourForDark("#000000"), "#e6e6e6");
  assert.equal(colourForDark("black"), "#e6e6e6");
  assert.equal(colourForDark("#666666"), "#b3b3b3");
  assert.equal(colourForDark("#0072B2"), "#0072B2");
  assert.deepEqual(colourForDark(["#000000"]), ["#000000"]); // per-point arrays: not ours
});

test("a race band trace is recoloured whole: line, fill", () => {
  const trace = {
    type: "scatter", fill: "tonexty", line: { color: "#0072B2", width: 0 },
    fillcolor: "rgba(0,114,178,0.18)",
  };
  recolourTraceForDark(trace);
  assert.equal(trace.fillcolor, `rgba(0,114,178,${DARK_FILL_ALPHA})`);
  assert.equal(trace.line.color, "#0072B2");
});

test("markers and their outlines are recoloured; a trace without fill gets none", () => {
  const trace = { marker: { color: "#000000", line: { color: "#666666" } } };
  recolourTraceForDark(trace);
  assert.deepEqual(trace, { marker: { color: "#e6e6e6", line: { color: "#b3b3b3" } } });
});
