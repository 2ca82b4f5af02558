// @ts-check
/* Fetch the package wheels while the interpreter starts.
 *
 * Pyodide 0.27.7 reads pyodide-lock.json and fetches the wheels only after loadPyodide
 * has resolved, about two seconds after the worker starts (most of which is CPython
 * starting, not downloading). Here the lock file and the wheels are requested at once,
 * with the same sha256 integrity Pyodide asks for, and the worker's `fetch` hands each
 * response to Pyodide when it asks for that URL. A prefetch that fails is forgotten, so
 * Pyodide's own fetch runs and reports the failure as before. */

/**
 * A fetch that answers the given URLs once from `prefetched` and everything else (and
 * any URL whose prefetch failed) from `realFetch`.
 * @param {typeof fetch} realFetch
 * @param {Map<string, Promise<Response>>} prefetched absolute URL -> response
 * @returns {typeof fetch}
 */
export function fetchWithPrefetched(realFetch, prefetched) {
  return (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const early = prefetched.get(url);
    if (!early) return realFetch(input, init);
    prefetched.delete(url); // a response body can be read once
    return early.then(
      (response) => (response.ok ? response : realFetch(input, init)),
      () => realFetch(input, init),
    );
  };
}

/**
 * `sha256-<base64>` from a hex digest, as Pyodide puts it in `fetch(url, {integrity})`.
 * @param {string} hex
 */
export function integrityOf(hex) {
  const bytes = hex.match(/../g) || [];
  return `sha256-${btoa(String.fromCharCode(...bytes.map((pair) => parseInt(pair, 16))))}`;
}

/**
 * The files of `names` and the packages they depend on, from a pyodide-lock.json.
 * @param {any} lock
 * @param {string[]} names
 * @returns {Array<{fileName: string, sha256: string}>}
 */
export function wheelsOf(lock, names) {
  /** @type {Array<{fileName: string, sha256: string}>} */
  const files = [];
  const seen = new Set();
  const visit = (/** @type {string} */ name) => {
    const entry = lock && lock.packages && lock.packages[name];
    if (!entry || seen.has(name)) return;
    seen.add(name);
    for (const dependency of entry.depends || []) visit(dependency);
    files.push({ fileName: entry.file_name, sha256: entry.sha256 });
  };
  for (const name of names) visit(name);
  return files;
}

/**
 * Start fetching the lock file and the wheels of `names` now, and make the worker's
 * `fetch` serve them to Pyodide later. Never throws: on any failure Pyodide fetches
 * the files itself.
 * @param {string} pyodideDir absolute URL of the directory with pyodide-lock.json
 * @param {string[]} names
 */
export function prefetchPackages(pyodideDir, names) {
  const realFetch = self.fetch.bind(self);
  /** @type {Map<string, Promise<Response>>} */
  const prefetched = new Map();
  self.fetch = fetchWithPrefetched(realFetch, prefetched);
  const lockUrl = new URL("pyodide-lock.json", pyodideDir).href;
  const lockResponse = realFetch(lockUrl);
  // cloned before the .json() below reads the body (then-callbacks run in order)
  const lockCopy = lockResponse.then((response) => response.clone());
  lockCopy.catch(() => {}); // Pyodide's own fetch reports it
  prefetched.set(lockUrl, lockCopy);
  lockResponse
    .then((response) => (response.ok ? response.json() : null))
    .then((lock) => {
      for (const { fileName, sha256 } of wheelsOf(lock, names)) {
        const url = new URL(fileName, pyodideDir).href;
        if (prefetched.has(url)) continue;
        const response = realFetch(url, sha256 ? { integrity: integrityOf(sha256) } : {});
        response.catch(() => {}); // Pyodide's own fetch reports it
        prefetched.set(url, response);
      }
    })
    .catch(() => {});
}
