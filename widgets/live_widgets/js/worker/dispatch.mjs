// @ts-check
/* Every request goes through cell_runner.dispatch, the same Python the build runs in
 * CPython; this module converts between JS and Python on the way in and out. */

/**
 * @typedef {object} PythonRuntime
 * @property {any} pyodide the Pyodide API object
 * @property {any} dispatch PyProxy of cell_runner.dispatch
 */

/**
 * Send one request through cell_runner.dispatch and return its answer as plain data.
 * @param {PythonRuntime} runtime
 * @param {object} request
 */
export function callDispatch(runtime, request) {
  let pyRequest;
  let pyResult;
  try {
    pyRequest = runtime.pyodide.toPy(request);
    pyResult = runtime.dispatch(pyRequest);
    return toPlain(pyResult);
  } finally {
    destroyProxy(pyRequest);
    destroyProxy(pyResult);
  }
}

/**
 * Convert dispatch's answer (a Python dict, or a JSON string) into plain JS data that
 * postMessage can clone. Non-finite floats survive as NaN / ±Infinity numbers.
 * @param {any} value
 */
function toPlain(value) {
  if (typeof value === "string") return JSON.parse(value);
  if (value && typeof value.toJs === "function") {
    return value.toJs({ dict_converter: Object.fromEntries, create_pyproxies: false });
  }
  return value;
}

/** @param {any} proxy */
function destroyProxy(proxy) {
  if (proxy && typeof proxy.destroy === "function") proxy.destroy();
}
