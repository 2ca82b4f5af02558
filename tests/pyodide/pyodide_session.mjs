// @ts-check
/**
 * A long-lived Pyodide session for the tests, in Node.js, loaded from the very files the
 * site ships (_build/site-assets/pyodide/).
 *
 * Usage: node pyodide_session.mjs <pyodide dir> [<host dir> <mount point>]...
 *
 * Protocol (one JSON object per line):
 *   stdout, first line: {"type": "ready", "pyodide": version, "loaded": {name: channel}}
 *                       or {"type": "fatal", "message"} (then exit 1)
 *   stdin:  {"id", "code"}       Python source; its last expression must be a str
 *   stdout: {"id", "ok": true, "value": str, "stdout": str, "stderr": str}
 *           {"id", "ok": false, "error": traceback, "stdout", "stderr"}
 * Everything Pyodide prints by itself goes to stderr, so stdout stays the protocol.
 */
import { createInterface } from "node:readline";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, ...mountArgs] = process.argv.slice(2);
const send = (/** @type {object} */ message) => process.stdout.write(JSON.stringify(message) + "\n");

async function start() {
  const indexURL = path.resolve(pyodideDir) + path.sep;
  const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
  const pyodide = await loadPyodide({ indexURL, stdout: (s) => console.error(s), stderr: (s) => console.error(s) });
  // Exactly what the site's worker loads: names resolved through the shipped lock file.
  await pyodide.loadPackage(["numpy", "gradflow"], {
    messageCallback: (m) => console.error(m),
    errorCallback: (m) => console.error(m),
  });
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
  send({ type: "ready", pyodide: pyodide.version, loaded: pyodide.loadedPackages });
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
