// @ts-check
/* The two ways a request to the runtime can fail besides "live Python is unavailable". */

/** @import { ErrorInfo } from "./protocol.mjs" */

/** Rejection reason for requests lost when the worker is replaced (Stop). */
export class RuntimeRestarted extends Error {
  constructor() {
    super("Python was restarted");
    this.name = "RuntimeRestarted";
  }
}

/** A Python exception sent back as data by the worker. */
export class PythonFailure extends Error {
  /** @param {ErrorInfo} info */
  constructor(info) {
    super(info.message);
    this.name = info.name;
    this.traceback = info.traceback;
  }
}
