// @ts-check
/* The handwritten digits (_static/data/digits-8x8.bin, written by the build from
 * scikit-learn's copy): fetched while Pyodide loads, then written into Pyodide's file
 * system where gradflow.digits.load_digits() reads them. A failed fetch never stops live
 * Python: its reason is written beside the file instead, and only the widgets that train
 * on the digits show it (gradflow checks size and checksum of whatever arrives). */

import { oneLine } from "./errors.mjs";

const DIGITS_URL = new URL("data/digits-8x8.bin", self.location.href).href;
/** Must match gradflow.digits.DIGITS_PATH and DIGITS_ERROR_PATH. */
export const DIGITS_PATH = "/home/pyodide/data/digits-8x8.bin";
export const DIGITS_ERROR_PATH = DIGITS_PATH + ".error";

/** @typedef {{bytes: Uint8Array} | {error: string}} FetchedDigits */

/**
 * Fetch the digits file; never rejects (a failure becomes the reader-facing reason).
 * @returns {Promise<FetchedDigits>}
 */
export async function fetchDigits() {
  try {
    const response = await fetch(DIGITS_URL);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return { bytes: new Uint8Array(await response.arrayBuffer()) };
  } catch (error) {
    return { error: `could not load the handwritten digits, data/digits-8x8.bin (${oneLine(error)})` };
  }
}

/**
 * Write the fetched file (or why it is missing) where gradflow looks for it.
 * @param {any} pyodide
 * @param {FetchedDigits} fetched
 */
export function installDigits(pyodide, fetched) {
  pyodide.FS.mkdirTree(DIGITS_PATH.slice(0, DIGITS_PATH.lastIndexOf("/")));
  if ("bytes" in fetched) pyodide.FS.writeFile(DIGITS_PATH, fetched.bytes);
  else pyodide.FS.writeFile(DIGITS_ERROR_PATH, fetched.error);
}
