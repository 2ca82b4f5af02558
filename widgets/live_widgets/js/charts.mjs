// @ts-check
/* Charts: plotly.js figures adapted to the theme's light or dark mode (and to paper when
 * printing), redrawn when the theme changes, and the tables beside them. */

import { recolourTraceForDark } from "./chart-colours.mjs";
import { el } from "./dom.mjs";
import { formatTableValue } from "./format.mjs";
import { loadPlotly } from "./schedule.mjs";

const PLOT_CONFIG = Object.freeze({
  responsive: true,
  displaylogo: false,
  // The mode bar's icon buttons are not keyboard-friendly and crowd a phone screen;
  // the table under each chart is the accessible way to read exact values.
  displayModeBar: false,
});

/** Figures currently drawn, so a theme switch can redraw them. @type {Map<HTMLElement, any>} */
const drawnFigures = new Map();

/** True between beforeprint and afterprint: paper gets the light colours. */
let printing = false;

function isDarkTheme() {
  return document.documentElement.dataset.theme === "dark" && !printing;
}

/**
 * A copy of the figure with the theme's text colour and transparent backgrounds, so it
 * sits on the page's own background in both light and dark mode.
 * @param {{data: any[], layout: any}} figure
 */
function themedFigure(figure) {
  const dark = isDarkTheme();
  const text = printing ? "#000000" : getComputedStyle(document.body).color || (dark ? "#e6e6e6" : "#1a1a1a");
  const grid = dark ? "rgba(255,255,255,0.15)" : "rgba(0,0,0,0.1)";
  const data = deepCopy(figure.data || []);
  const layout = deepCopy(figure.layout || {});
  if (dark) {
    for (const trace of data) recolourTraceForDark(trace);
    for (const note of layout.annotations || []) {
      if (note.bgcolor) note.bgcolor = "rgba(20,20,20,0.85)";
    }
  }
  layout.paper_bgcolor = "rgba(0,0,0,0)";
  layout.plot_bgcolor = "rgba(0,0,0,0)";
  layout.font = { ...(layout.font || {}), color: text };
  for (const axis of ["xaxis", "yaxis"]) {
    // automargin: room for tick labels and the axis title even when no legend below
    // the plot happens to push the bottom margin open.
    layout[axis] = { automargin: true, ...(layout[axis] || {}), gridcolor: grid, linecolor: grid, zerolinecolor: grid };
  }
  layout.autosize = true;
  delete layout.width;
  if (!layout.height) layout.height = window.matchMedia("(max-width: 480px)").matches ? 340 : 400;
  return { data, layout };
}

/** @param {any} value */
function deepCopy(value) {
  return typeof structuredClone === "function" ? structuredClone(value) : JSON.parse(JSON.stringify(value));
}

/**
 * Draw (or redraw in place) a figure spec in `container`.
 * @param {HTMLElement} container
 * @param {{data: any[], layout: any}} figure
 */
export async function drawFigure(container, figure) {
  // Synchronous when plotly is already loaded, so a beforeprint redraw is done before
  // the browser lays out the printed page.
  const Plotly = /** @type {any} */ (window).Plotly || (await loadPlotly());
  const themed = themedFigure(figure);
  drawnFigures.set(container, figure);
  await Plotly.react(container, themed.data, themed.layout, PLOT_CONFIG);
}

/** A chart that was removed from the page is not redrawn on a theme switch. @param {HTMLElement} container */
export function forgetFigure(container) {
  drawnFigures.delete(container);
}

function redrawAllForTheme() {
  for (const [container, figure] of drawnFigures) {
    if (container.isConnected) drawFigure(container, figure);
    else drawnFigures.delete(container);
  }
}

/** Redraw every chart when the theme switches between light and dark. */
export function watchTheme() {
  new MutationObserver(redrawAllForTheme).observe(document.documentElement, {
    attributes: true,
    attributeFilter: ["data-theme"],
  });
}

/**
 * Print the numbers and readable charts: open every table and redraw charts in light
 * colours before printing; restore both afterwards.
 */
export function preparePrinting() {
  /** @type {HTMLDetailsElement[]} */
  let opened = [];
  window.addEventListener("beforeprint", () => {
    opened = /** @type {HTMLDetailsElement[]} */ ([...document.querySelectorAll("details.lw-table:not([open])")]);
    for (const details of opened) details.open = true;
    printing = true;
    if (document.documentElement.dataset.theme === "dark") redrawAllForTheme();
  });
  window.addEventListener("afterprint", () => {
    for (const details of opened) details.open = false;
    opened = [];
    printing = false;
    if (document.documentElement.dataset.theme === "dark") redrawAllForTheme();
  });
}

/**
 * Replace a `<table class="lw-data">`'s caption, header and rows with a view result's
 * table (same shape as the build-time fallback table).
 * @param {HTMLTableElement} table
 * @param {{caption: string, columns: string[], rows: unknown[][]}} data
 */
export function fillTable(table, data) {
  table.replaceChildren();
  table.append(el("caption", {}, data.caption || ""));
  const headRow = el("tr");
  for (const column of data.columns) headRow.append(el("th", { scope: "col" }, String(column)));
  const head = el("thead");
  head.append(headRow);
  const body = el("tbody");
  for (const row of data.rows) {
    const tr = el("tr");
    for (const value of row) tr.append(el("td", {}, formatTableValue(value)));
    body.append(tr);
  }
  table.append(head, body);
}
