// @ts-check
/**
 * A long-lived Pyodide session for the tests, in Node.js, loaded from the very files the
 * site ships (_build/site-assets/pyodide/).
 *
 * Usage: node pyodide_session.mjs [--snapshot <dir> [--fallback]] <pyodide dir>
 *                                  [<host dir> <mount point>]...
 *
 * --snapshot starts from the start-up snapshot in <dir> (meta.json, heap.bin.gz,
 * files.bin.gz, as _build/site-assets/pyodide-snapshot/ holds it) through
 * worker/snapshot.mjs's restorePyodide, as the site's worker does: each file checked
 * against meta.json's sha256 and size, then decompressed. A snapshot that fails is fatal,
 * unless --fallback is given: then the session starts the normal way in the same process
 * (as the worker falls back) and "ready" carries the reason as "snapshotError".
 *
 * Protocol (one JSON object per line):
 *   stdout, first line: {"type": "ready", "pyodide": version, "loaded": {name: channel},
 *                        "start": "normal" | "snapshot", "startMs", "snapshotError"?}
 *                       or {"type": "fatal", "message"} (then exit 1)
 *   stdin:  {"id", "code"}       Python source; its last expression must be a str
 *   stdout: {"id", "ok": true, "value": str, "stdout": str, "stderr": str}
 *           {"id", "ok": false, "error": traceback, "stdout", "stderr"}
 * Everything Pyodide prints by itself goes to stderr, so stdout stays the protocol.
 */
import { createInterface } from "node:readline";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { readSnapshot } from "./snapshot_files.mjs";

const SNAPSHOT_MODULE = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..",
  "widgets", "live_widgets", "js", "worker", "snapshot.mjs");

const args = process.argv.slice(2);
let snapshotDir = null;
let fallback = false;
while (args[0] && args[0].startsWith("--")) {
  const option = args.shift();
  if (option === "--snapshot") snapshotDir = args.shift();
  else if (option === "--fallback") fallback = true;
  else throw new Error(`unknown option ${option}`);
}
const [pyodideDir, ...mountArgs] = args;
const send = (/** @type {object} */ message) => process.stdout.write(JSON.stringify(message) + "\n");
const log = (/** @type {string} */ s) => console.error(s);
/** @type {Record<string, any>} */
const startInfo = { start: "normal" };

/** @param {any} loadPyodide @param {string} indexURL */
async function startNormally(loadPyodide, indexURL) {
  const pyodide = await loadPyodide({ indexURL, stdout: log, stderr: log });
  // Exactly what the site's worker loads: names resolved through the shipped lock file.
  await pyodide.loadPackage(["numpy", "gradflow"], {
    messageCallback: (m) => console.error(m),
    errorCallback: (m) => console.error(m),
  });
  return pyodide;
}

async function start() {
  const started = Date.now();
  const indexURL = path.resolve(pyodideDir) + path.sep;
  const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
  let pyodide;
  if (snapshotDir) {
    const { restorePyodide } = await import(pathToFileURL(SNAPSHOT_MODULE).href);
    try {
      pyodide = await restorePyodide({ loadPyodide, indexURL, ...readSnapshot(snapshotDir), stdout: log, stderr: log });
      startInfo.start = "snapshot";
    } catch (error) {
      if (!fallback) throw error;
      startInfo.snapshotError = String(error && error.message || error);
    }
  }
  pyodide ??= await startNormally(loadPyodide, indexURL);
  startInfo.startMs = Date.now() - started;
  for (let i = 0; i + 1 < mountArgs.length; i += 2) {
    pyodide.FS.mkdirTree(mountArgs[i + 1]);
    pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: path.resolve(mountArgs[i]) }, mountArgs[i + 1]);
  }
  return pyodide;
}

/** @param {any} pyodide @param {{id: any, code: string}} request */
async function run(pyodide, request) {
  let stdout = "";
  let stderr = "";
  pyodide.setStdout({ batched: (/** @type {string} */ s) => { stdout += s + "\n"; } });
  pyodide.setStderr({ batched: (/** @type {string} */ s) => { stderr += s + "\n"; } });
  try {
    const value = await pyodide.runPythonAsync(request.code);
    if (typeof value !== "string") {
      throw new Error(`the code's last expression must be a str, got ${typeof value}`);
    }
    send({ id: request.id, ok: true, value, stdout, stderr });
  } catch (error) {
    send({ id: request.id, ok: false, error: String(error && error.message || error), stdout, stderr });
  }
}

start().then((pyodide) => {
  send({ type: "ready", pyodide: pyodide.version, loaded: pyodide.loadedPackages, ...startInfo });
  const lines = createInterface({ input: process.stdin });
  let queue = Promise.resolve();
  lines.on("line", (line) => {
    if (!line.trim()) return;
    const request = JSON.parse(line);
    queue = queue.then(() => run(pyodide, request));
  });
  lines.on("close", () => queue.then(() => process.exit(0)));
}, (error) => {
  send({ type: "fatal", message: String(error && error.stack || error) });
  process.exit(1);
});
