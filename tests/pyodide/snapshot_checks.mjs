// @ts-check
/**
 * Checks of the start-up snapshot (worker/snapshot.mjs) in one Node.js process, for
 * tests/pyodide/test_snapshot.py.
 *
 * node snapshot_checks.mjs api <pyodide dir>
 *   prints {"sources": [problems], "renamed": [problems], "live": [problems]}: what
 *   checkPrivateApi finds missing in the shipped files, in the same files with one internal
 *   renamed (so the guard is seen to fail), and what checkLiveApi finds missing in a runtime
 *   started normally.
 *
 * node snapshot_checks.mjs classic <pyodide dir> <snapshot dir>
 *   restores with pyodide.asm.js run as a classic script (its `var` then lives on
 *   globalThis), as importScripts runs it in the site's worker, instead of Node's import;
 *   prints {"ok", "sum"} or {"ok": false, "message"}.
 *
 * node snapshot_checks.mjs fallback <pyodide dir> <snapshot dir>...
 *   tries to start from each snapshot folder in turn (sha256 of each .gz checked against
 *   meta.json, then decompressed and restored, as the worker does), then starts normally,
 *   all in this one process, and prints {"attempts": [{dir, ok, name, message, global}],
 *   "normal": {sum, loaded}}.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";
import { pathToFileURL } from "node:url";

import { checkLiveApi, checkPrivateApi, restorePyodide } from "../../widgets/live_widgets/js/worker/snapshot.mjs";
import { readSnapshot } from "./snapshot_files.mjs";

const [command, pyodideDir, ...snapshotDirs] = process.argv.slice(2);
const indexURL = path.resolve(pyodideDir) + path.sep;
const log = (/** @type {string} */ line) => console.error(line);
const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);

async function normalStart() {
  const pyodide = await loadPyodide({ indexURL, stdout: log, stderr: log });
  await pyodide.loadPackage(["numpy", "gradflow"], { messageCallback: () => {}, errorCallback: log });
  return pyodide;
}

if (command === "api") {
  /** @type {Record<string, string>} */
  const sources = {};
  for (const file of ["pyodide.js", "pyodide.mjs", "pyodide.asm.js"]) {
    sources[file] = readFileSync(path.join(indexURL, file), "utf8");
  }
  const renamed = { ...sources, "pyodide.asm.js": sources["pyodide.asm.js"].replaceAll("loadedLibsByHandle", "libsByHandle") };
  const pyodide = await normalStart();
  console.log(JSON.stringify({
    sources: checkPrivateApi(sources),
    renamed: checkPrivateApi(renamed),
    live: checkLiveApi(pyodide),
  }));
} else if (command === "classic") {
  const asmSource = readFileSync(path.join(indexURL, "pyodide.asm.js"), "utf8");
  const classicLoad = async (/** @type {any} */ options) => {
    if (typeof (/** @type {any} */ (globalThis))._createPyodideModule !== "function") {
      // what a CommonJS script has and Emscripten's Node code reads
      /** @type {any} */ (globalThis).require ??= createRequire(import.meta.url);
      /** @type {any} */ (globalThis).__dirname ??= indexURL;
      vm.runInThisContext(asmSource, { filename: path.join(indexURL, "pyodide.asm.js"),
        importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
    }
    return loadPyodide(options);
  };
  try {
    const pyodide = await restorePyodide({ loadPyodide: classicLoad, indexURL, ...readSnapshot(snapshotDirs[0]), stdout: log, stderr: log });
    console.log(JSON.stringify({ ok: true, sum: pyodide.runPython("import numpy; str(numpy.arange(10).sum())") }));
  } catch (error) {
    console.log(JSON.stringify({ ok: false, message: String(/** @type {any} */ (error).message) }));
  }
} else if (command === "fallback") {
  const attempts = [];
  for (const dir of snapshotDirs) {
    /** @type {Record<string, any>} */
    const attempt = { dir: path.basename(dir) };
    try {
      const pyodide = await restorePyodide({ loadPyodide, indexURL, ...readSnapshot(dir), stdout: log, stderr: log });
      attempt.ok = true;
      attempt.sum = pyodide.runPython("import numpy; str(numpy.arange(10).sum())");
    } catch (error) {
      attempt.ok = false;
      attempt.name = /** @type {any} */ (error).name;
      attempt.message = String(/** @type {any} */ (error).message);
    }
    // what the worker's fallback depends on: the global is Pyodide's own factory again
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, "_createPyodideModule");
    attempt.global = descriptor === undefined ? "absent" : "value" in descriptor ? typeof descriptor.value : "accessor";
    attempts.push(attempt);
  }
  const pyodide = await normalStart();
  console.log(JSON.stringify({
    attempts,
    normal: { sum: pyodide.runPython("import numpy; str(numpy.arange(10).sum())"), loaded: pyodide.loadedPackages },
  }));
} else {
  throw new Error(`unknown command ${command}`);
}
process.exit(0);
