// @ts-check
/**
 * Make the start-up memory snapshot (widgets/live_widgets/js/worker/snapshot.mjs) from the
 * assembled runtime, exactly the files the site ships.
 *
 * Usage: node build/make_snapshot.mjs <pyodide dir> <out dir>
 *
 * Writes <out dir>/meta.json, heap.bin.gz and files.bin.gz; prints sizes and times. Run by
 * build/pyodide_snapshot.py (make assets), which caches the result. Exit code 1 with one
 * line on stderr if the snapshot cannot be made.
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

import { SnapshotError, makeSnapshot } from "../widgets/live_widgets/js/worker/snapshot.mjs";

// gzip level 6, measured on this snapshot (36.3 MB heap, 12.7 MB files; 2 busy cores):
// heap 11.07 / 10.32 / 10.00 / 9.93 MB at levels 1 / 4 / 6 / 9, level 9 taking about 3x
// level 6's time for 0.7 % fewer bytes; decompressing takes 0.25-0.47 s at every level.
const GZIP_LEVEL = 6;

/** @param {Uint8Array} bytes */
function sha256Hex(bytes) {
  return createHash("sha256").update(bytes).digest("hex");
}

async function main() {
  const [pyodideDir, outDir] = process.argv.slice(2);
  if (!pyodideDir || !outDir) {
    throw new Error("usage: node build/make_snapshot.mjs <pyodide dir> <out dir>");
  }
  const indexURL = path.resolve(pyodideDir) + path.sep;
  const started = Date.now();
  const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
  const output = (/** @type {string} */ line) => console.error(line);
  const { meta, heap, files, timings } = await makeSnapshot({ loadPyodide, indexURL, stdout: output, stderr: output });

  const compressStarted = Date.now();
  mkdirSync(outDir, { recursive: true });
  for (const [part, bytes] of /** @type {[string, Uint8Array][]} */ ([["heap", heap], ["files", files]])) {
    const gz = gzipSync(bytes, { level: GZIP_LEVEL });
    const file = `${part}.bin.gz`;
    writeFileSync(path.join(outDir, file), gz);
    meta[part] = { file, sha256: sha256Hex(gz), bytes: bytes.length };
    console.log(`  ${file}: ${(bytes.length / 1e6).toFixed(1)} MB, gzip -${GZIP_LEVEL} ${(gz.length / 1e6).toFixed(2)} MB`);
  }
  timings.compress = Date.now() - compressStarted;
  writeFileSync(path.join(outDir, "meta.json"), JSON.stringify(meta, null, 1) + "\n");
  const nonZero = heap.reduce((count, byte) => count + (byte !== 0 ? 1 : 0), 0);
  console.log(`  heap: ${(nonZero / 1e6).toFixed(1)} MB not zero; ${meta.libraries.length} libraries`);
  console.log(`  made in ${((Date.now() - started) / 1000).toFixed(1)} s (` +
    Object.entries(timings).map(([stage, ms]) => `${stage} ${ms} ms`).join(", ") + ")");
}

main().then(() => process.exit(0), (error) => {
  const message = error instanceof SnapshotError ? error.message : String((error && error.stack) || error);
  console.error(`make_snapshot: ${message.split("\n")[0]}`);
  if (!(error instanceof SnapshotError)) console.error(message);
  process.exit(1);
});
