// @ts-check
/* Live code cells share one namespace per page and run in order, like a notebook. */

import { lastLine } from "./dom.mjs";
import { RuntimeRestarted } from "./errors.mjs";

/** @import { Runtime } from "./runtime.mjs" */
/** @import { CellWidget } from "./cell-widget.mjs" */

/**
 * Runs cells and exercise checks one after another, after the page's hidden set-up
 * cells, and makes sure earlier cells have run in the current namespace first.
 */
export class Notebook {
  /** @param {Runtime} runtime */
  constructor(runtime) {
    this.runtime = runtime;
    /** @type {CellWidget[]} */
    this.cells = [];
    /** @type {Array<{code: string, key: string}>} */
    this.setupCells = [];
    /** Generation whose set-up cells have run. */
    this.setupGeneration = 0;
    /** @type {Promise<unknown>} */
    this.queue = Promise.resolve();
    /** Counts Stops (restarts); a request queued before one is abandoned, not run in the new worker. */
    this.restarts = 0;
    // Set-up cells run as soon as Python is ready (again after every Stop), so the
    // namespace is prepared before the reader's first Run.
    runtime.subscribe((event) => {
      if (event.type === "restarted") this.restarts += 1;
      if (event.type === "ready" && this.setupCells.length > 0) {
        // A failure is reported where it matters: the next Run retries the set-up and
        // shows the error in that cell's status line.
        this.enqueue(() => this.runSetup()).catch(() => {});
      }
    });
  }

  /**
   * Queue `task` after everything already queued (cells share one namespace, so their
   * order matters).
   * @template T
   * @param {() => Promise<T>} task
   * @returns {Promise<T>}
   */
  enqueue(task) {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => {});
    return next;
  }

  /**
   * Queue a reader's request. Stop abandons everything queued before it: a Run still
   * waiting behind the set-up (or behind another cell) when the reader pressed Stop
   * must not run later in the new worker (it may be the very endless loop that was
   * stopped). `guard()` throws RuntimeRestarted once a restart happened since queuing.
   * @template T
   * @param {(guard: () => void) => Promise<T>} task
   * @returns {Promise<T>}
   */
  enqueueRequest(task) {
    const restarts = this.restarts;
    const guard = () => {
      if (this.restarts !== restarts) throw new RuntimeRestarted();
    };
    return this.enqueue(async () => {
      guard();
      return task(guard);
    });
  }

  /** Run the hidden set-up cells once per worker. */
  async runSetup() {
    const generation = this.runtime.generation;
    if (this.setupGeneration === generation) return;
    for (const setup of this.setupCells) {
      const output = await this.runtime.send({ type: "run", code: setup.code, cellId: setup.key }).result;
      if (output.error) throw new Error(`the page's set-up code failed: ${lastLine(output.error)}`);
    }
    this.setupGeneration = generation;
  }

  /**
   * Run `cell`, first running (and showing the output of) earlier cells that have not
   * run in this namespace, so names they define exist. Only cells still holding the
   * lesson's own code run by themselves (that code ran when the book was built); a
   * cell the reader edited, perhaps into an endless loop, runs only when asked.
   * @param {CellWidget} cell
   * @returns {Promise<number>} how many earlier cells ran first
   */
  run(cell) {
    return this.enqueueRequest(async (guard) => {
      await this.runSetup();
      guard();
      const earlier = this.cells.filter(
        (c) => c.index < cell.index && c.ranIn !== this.runtime.generation && !c.insideExercise && c.getCode() === c.initial.code,
      );
      for (const previous of earlier) {
        await previous.execute();
        guard();
      }
      await cell.execute();
      return earlier.length;
    });
  }

  /**
   * @param {string} code
   * @param {Array<{name: string, code: string}>} checks
   */
  check(code, checks) {
    return this.enqueueRequest(async (guard) => {
      await this.runSetup();
      guard();
      return this.runtime.send({ type: "check", code, checks }).result;
    });
  }
}
