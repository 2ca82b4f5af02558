// @ts-check
/* Reading a start-up snapshot folder in Node.js the way the site's worker reads the cached
 * files: each .gz checked against meta.json's sha256, then decompressed. Shared by the test
 * session (pyodide_session.mjs --snapshot) and the snapshot checks (snapshot_checks.mjs). */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";

/**
 * The snapshot's parts, as restorePyodide takes them.
 * @param {string} dir a folder with meta.json, heap.bin.gz and files.bin.gz
 * @returns {{meta: any, heap: Uint8Array, files: Uint8Array}}
 */
export function readSnapshot(dir) {
  const meta = JSON.parse(readFileSync(path.join(dir, "meta.json"), "utf8"));
  /** @type {Record<string, Uint8Array>} */
  const parts = {};
  for (const part of ["heap", "files"]) {
    const gz = readFileSync(path.join(dir, meta[part].file));
    if (createHash("sha256").update(gz).digest("hex") !== meta[part].sha256) {
      throw new Error(`${meta[part].file}: sha256 differs from meta.json`);
    }
    const bytes = gunzipSync(gz);
    parts[part] = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  return { meta, heap: parts.heap, files: parts.files };
}
