// @ts-check
/* The ways a request to the runtime can fail besides "live Python is unavailable". */

/** @import { ErrorInfo } from "./protocol.mjs" */

/** Rejection reason for requests lost when the worker is replaced (Stop). */
export class RuntimeRestarted extends Error {
  constructor() {
    super("Python was restarted");
    this.name = "RuntimeRestarted";
  }
}

/**
 * Rejection reason for a request made by a widget of an article swapped away
 * (Runtime.forArticle): not retried, unlike RuntimeRestarted, since that widget is gone.
 */
export class ArticleClosed extends Error {
  constructor() {
    super("this page was left");
    this.name = "ArticleClosed";
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
