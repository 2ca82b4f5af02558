// @ts-check
/* The parts of a chart widget that show a result (ARCHITECTURE §5), and how to fill them. */

import { drawFigure, fillTable } from "./charts.mjs";
import { el, messageOf } from "./dom.mjs";
import { showPictures } from "./image-grid.mjs";
import { drawBuildTimeChart, loadPlotly } from "./schedule.mjs";

/**
 * @typedef {{figure?: any, readout?: string, summary?: string, table?: any, images?: unknown}} Result
 */

export class ResultDisplay {
  /**
   * @param {HTMLElement} root
   * @param {HTMLElement} status the widget's status line, which reports a chart that cannot be drawn
   */
  constructor(root, status) {
    this.root = root;
    this.status = status;
    this.readout = /** @type {HTMLElement | null} */ (root.querySelector(":scope > .lw-readout"));
    this.chart = /** @type {HTMLElement | null} */ (root.querySelector(":scope > .lw-chart"));
    this.details = /** @type {HTMLDetailsElement | null} */ (root.querySelector(":scope > details.lw-table"));
    this.tableFolded = false;
    /** While a predict prompt hides the chart, results are kept here, drawn on reveal. */
    this.chartDeferred = false;
    /** @type {any} */
    this.deferredFigure = null;
  }

  /**
   * Draw the build-time figure when the chart nears the viewport (see schedule.mjs).
   * @param {any} figure
   */
  drawWhenNear(figure) {
    if (!this.chart) return;
    drawBuildTimeChart(this.chart, () => this.drawOrReport(figure));
  }

  /**
   * Draw now; a failure is said on the status line (the table still has the numbers).
   * @param {any} figure
   */
  drawOrReport(figure) {
    return this.drawChart(figure).catch((error) => {
      this.status.textContent = `The chart could not be drawn (${messageOf(error)}); the table shows its numbers.`;
    });
  }

  /**
   * Draw the chart. After the first drawing the table folds away (one click away);
   * later redraws leave it as the reader set it.
   * @param {any} figure
   */
  async drawChart(figure) {
    if (!this.chart || !figure) return;
    await drawFigure(this.chart, figure);
    if (this.details && !this.tableFolded) {
      this.tableFolded = true;
      this.details.open = false;
    }
  }

  /**
   * @param {Result} result
   * @param {{table?: boolean, readout?: boolean}} [parts] which parts to refresh
   */
  async show(result, parts = { table: true, readout: true }) {
    if (parts.readout && this.readout && result.readout !== undefined) this.readout.textContent = result.readout;
    // pictures a trainer drew in Python (gradflow.digit_features); the old ones stay if not
    const problems = showPictures(this.root, result.images);
    if (problems.length > 0) this.status.textContent = `Some pictures could not be updated: ${problems.join("; ")}.`;
    if (result.summary !== undefined) {
      this.chart?.setAttribute("aria-label", result.summary);
      const summary = this.details?.querySelector(".lw-summary");
      if (parts.table && summary) summary.textContent = result.summary;
    }
    if (parts.table && result.table && this.details) {
      let table = this.details.querySelector("table");
      if (!table) {
        table = /** @type {HTMLTableElement} */ (el("table", { class: "lw-data" }));
        this.details.append(table);
      }
      fillTable(table, result.table);
    }
    if (result.figure && this.chartDeferred) {
      this.deferredFigure = result.figure;
      loadPlotly().catch(() => {}); // ready by the time the reader commits a guess
    } else if (result.figure) {
      await this.drawChart(result.figure);
    }
  }
}
