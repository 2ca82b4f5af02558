// @ts-check
/* Controls send their latest value only. */

import { RuntimeRestarted } from "./errors.mjs";

/**
 * While one request is computing, newer settings replace any waiting ones, and a result
 * that is already out of date when it arrives is dropped rather than drawn. A request
 * lost to a restart (Stop) is computed again on the new worker unless newer settings
 * are waiting.
 * @template S, R
 */
export class LatestOnly {
  /**
   * @param {(settings: S) => Promise<R>} compute
   * @param {(result: R) => void} apply
   * @param {(error: unknown) => void} report
   */
  constructor(compute, apply, report) {
    this.compute = compute;
    this.apply = apply;
    this.report = report;
    /** @type {S | null} */
    this.waiting = null;
    this.running = false;
  }

  /** @param {S} settings */
  submit(settings) {
    this.waiting = settings;
    if (!this.running) this.drain();
  }

  async drain() {
    this.running = true;
    while (this.waiting !== null) {
      const settings = this.waiting;
      this.waiting = null;
      try {
        const result = await this.compute(settings);
        if (this.waiting === null) this.apply(result);
      } catch (error) {
        if (error instanceof RuntimeRestarted) {
          if (this.waiting === null) this.waiting = settings; // recompute on the new worker
        } else if (this.waiting === null) {
          this.report(error);
        }
      }
    }
    this.running = false;
  }
}
