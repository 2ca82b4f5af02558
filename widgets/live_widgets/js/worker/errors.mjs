// @ts-check
/* Errors as the reader sees them: one line for a status, Python's name and message for a
 * failed request. */

/** @import { ErrorInfo } from "../protocol.mjs" */

/**
 * Python exceptions arrive as PythonError (name in .type, full traceback in .message).
 * @param {any} error
 * @returns {ErrorInfo}
 */
export function describeError(error) {
  if (error && typeof error.type === "string" && (error.name === "PythonError" || error.constructor.name === "PythonError")) {
    const traceback = String(error.message).trimEnd();
    const last = lastLine(traceback);
    const prefix = `${error.type}: `;
    return { name: error.type, message: last.startsWith(prefix) ? last.slice(prefix.length) : last, traceback };
  }
  return { name: (error && error.name) || "Error", message: oneLine(error), traceback: (error && error.stack) || "" };
}

/** @param {any} error */
export function lastLine(error) {
  const text = String(error && error.message !== undefined ? error.message : error).trimEnd();
  const lines = text.split("\n");
  return lines[lines.length - 1].trim();
}

/**
 * The first line of an error, short enough for a status line.
 * @param {any} error
 */
export function oneLine(error) {
  const text = String(error && error.message !== undefined ? error.message : error);
  const first = text.split("\n").find((line) => line.trim() !== "") || "unknown error";
  return first.trim().slice(0, 200);
}
