// @ts-check
/* Deep Revolution: the page side of the live widgets.
 *
 * The extension writes each widget as static HTML that is complete without JavaScript
 * (build-time chart data, a table of the numbers, the code and its output); see
 * widgets/ARCHITECTURE.md §5. This script upgrades those widgets in place:
 *   - draws each build-time figure with plotly.js (loaded when a chart nears the viewport),
 *   - starts ONE Web Worker running Pyodide (after first paint, or sooner when a widget
 *     nears the viewport) and routes every computation through it (§6),
 *   - makes controls, code cells, exercises, quizzes and the training race live.
 * If live Python cannot start, every widget keeps its build-time result and its status
 * line says, in one line, what failed.
 */
(() => {
  "use strict";

  // ---------------------------------------------------------------------------------
  // Configuration (read once from our own <script> tag) and small helpers
  // ---------------------------------------------------------------------------------

  /**
   * @typedef {object} Config
   * @property {string} workerUrl
   * @property {string} plotlyUrl
   * @property {string} editorUrl
   * @property {string} serviceWorkerUrl
   * @property {boolean} registerServiceWorker
   */

  const CONFIG = readConfig(document.currentScript);

  /**
   * Every URL is relative to this script, so the site works under any sub-path.
   * `data-lw-service-worker="off"` on the script tag skips the service worker.
   * @param {Element | null} script
   * @returns {Config}
   */
  function readConfig(script) {
    const tag =
      script instanceof HTMLScriptElement && script.src
        ? script
        : /** @type {HTMLScriptElement | null} */ (document.querySelector('script[src*="live-widgets.js"]'));
    if (!tag) throw new Error("live-widgets.js: cannot find its own <script> tag to locate _static/");
    const staticDir = new URL(".", tag.src);
    return {
      workerUrl: new URL("live-widgets-worker.js", staticDir).href,
      plotlyUrl: new URL("plotly/plotly.min.js", staticDir).href,
      editorUrl: new URL("codemirror/editor.js", staticDir).href,
      serviceWorkerUrl: new URL("../live-widgets-sw.js", staticDir).href,
      registerServiceWorker: tag.dataset.lwServiceWorker !== "off",
    };
  }

  /**
   * Create an element; text always goes in as textContent (never parsed as HTML).
   * @param {string} tag
   * @param {Record<string, string | boolean | undefined>} [attrs]
   * @param {string} [text]
   * @returns {HTMLElement}
   */
  function el(tag, attrs = {}, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === false) continue;
      node.setAttribute(name, value === true ? "" : value);
    }
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /**
   * A button as the tests find it (`data-lw-action`).
   * @param {string} action
   * @param {string} label
   * @param {() => void} onClick
   */
  function actionButton(action, label, onClick) {
    const button = /** @type {HTMLButtonElement} */ (el("button", { type: "button", class: `lw-button lw-${action}`, "data-lw-action": action }, label));
    button.addEventListener("click", onClick);
    return button;
  }

  /** @param {HTMLElement} root */
  function readInitial(root) {
    const script = root.querySelector(":scope > script.lw-initial");
    if (!script) throw new Error(`widget #${root.id || "?"} has no <script class="lw-initial"> (ARCHITECTURE §5)`);
    return JSON.parse(script.textContent || "null");
  }

  /**
   * data-lw-payload is base64 of UTF-8 JSON; atob alone would mangle non-ASCII text.
   * @param {string | undefined} encoded
   */
  function decodePayload(encoded) {
    if (!encoded) return null;
    const bytes = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  }

  /**
   * @param {HTMLElement} root
   * @param {"static" | "waiting" | "ready" | "busy" | "error"} state
   */
  function setState(root, state) {
    root.dataset.lwState = state;
  }

  /** Tests wait for "renders > n" instead of sleeping (ARCHITECTURE §5). @param {HTMLElement} root */
  function bumpRenders(root) {
    root.dataset.lwRenders = String(Number(root.dataset.lwRenders || "0") + 1);
  }

  /**
   * The widget's status line; cells and exercises get one if the HTML has none.
   * @param {HTMLElement} root
   * @returns {HTMLElement}
   */
  function statusLine(root) {
    const existing = root.querySelector(":scope > .lw-status");
    if (existing instanceof HTMLElement) return existing;
    const status = el("p", { class: "lw-status", role: "status", "aria-live": "polite" });
    root.append(status);
    return status;
  }

  /**
   * One status line: whitespace collapsed and cut at `limit` characters.
   * @param {string} text
   * @param {number} limit
   */
  function shorten(text, limit) {
    const line = String(text).replace(/\s+/g, " ").trim();
    return line.length > limit ? `${line.slice(0, limit - 1)}…` : line;
  }

  /** @param {unknown} error */
  function messageOf(error) {
    if (error && typeof error === "object" && "message" in error) return String(/** @type {any} */ (error).message);
    return String(error);
  }

  const SUPERSCRIPT = /** @type {Record<string, string>} */ ({ "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻", "+": "⁺" });

  /**
   * A table number exactly as the build writes it (live_widgets/number_format.py with
   * ".3g"): 3 significant digits, "m × 10ⁿ" when Python's g format would use an exponent.
   * @param {unknown} value
   */
  function formatTableValue(value) {
    // Python ints are written with str(); Pyodide hands the worker's big ones over as BigInt.
    if (typeof value === "bigint") return String(value);
    if (typeof value !== "number") return String(value);
    if (Number.isNaN(value)) return "not a number";
    if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
    // JSON does not tell 3 from 3.0; whole numbers in the safe range were ints in Python.
    if (Number.isSafeInteger(value)) return String(value);
    const [mantissa, exponentText] = value.toExponential(2).split("e");
    const exponent = Number(exponentText);
    let text;
    if (exponent < -4 || exponent >= 3) {
      const trimmed = mantissa.replace(/\.?0+$/, "");
      text = `${trimmed} × 10${String(exponent).split("").map((c) => SUPERSCRIPT[c] || c).join("")}`;
    } else {
      text = value.toFixed(Math.max(0, 2 - exponent)).replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
    }
    return text.replace(/-/g, "−");
  }

  // ---------------------------------------------------------------------------------
  // Loading scripts lazily, and noticing when an element nears the viewport
  // ---------------------------------------------------------------------------------

  /** @type {Map<string, Promise<void>>} */
  const scriptLoads = new Map();

  /** @param {string} url */
  function loadScript(url) {
    let loading = scriptLoads.get(url);
    if (!loading) {
      loading = new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = url;
        script.async = true;
        script.onload = () => resolve();
        script.onerror = () => reject(new Error(`could not load ${new URL(url).pathname.split("/_static/").pop()}`));
        document.head.append(script);
      });
      scriptLoads.set(url, loading);
    }
    return loading;
  }

  /** @returns {Promise<any>} the Plotly global */
  function loadPlotly() {
    return loadScript(CONFIG.plotlyUrl).then(() => /** @type {any} */ (window).Plotly);
  }

  /** @returns {Promise<any>} the LiveEditor global from codemirror-entry.mjs */
  function loadEditor() {
    return loadScript(CONFIG.editorUrl).then(() => /** @type {any} */ (window).LiveEditor);
  }

  // Start work a little before the reader scrolls to it: 600 px is about one phone screen.
  const NEAR_VIEWPORT = "600px 0px 600px 0px";
  /** @type {WeakMap<Element, Array<() => void>>} */
  const nearCallbacks = new WeakMap();
  const nearObserver =
    "IntersectionObserver" in window
      ? new IntersectionObserver(
          (entries) => {
            for (const entry of entries) {
              if (!entry.isIntersecting) continue;
              nearObserver?.unobserve(entry.target);
              for (const callback of nearCallbacks.get(entry.target) || []) callback();
              nearCallbacks.delete(entry.target);
            }
          },
          { rootMargin: NEAR_VIEWPORT },
        )
      : null;

  /**
   * Call `callback` once, when `element` is within NEAR_VIEWPORT of the screen.
   * @param {Element} element
   * @param {() => void} callback
   */
  function whenNear(element, callback) {
    if (!nearObserver) {
      callback();
      return;
    }
    const callbacks = nearCallbacks.get(element);
    if (callbacks) {
      callbacks.push(callback);
    } else {
      nearCallbacks.set(element, [callback]);
      nearObserver.observe(element);
    }
  }

  /** Run `callback` when the browser is idle (soon, at the latest). @param {() => void} callback */
  function whenIdle(callback) {
    if ("requestIdleCallback" in window) window.requestIdleCallback(callback, { timeout: 500 });
    else setTimeout(callback, 50);
  }

  /**
   * Build-time charts not drawn yet, in page order. plotly.js (about 1 MB) is fetched
   * only when the first chart nears the viewport; from then on the chart in view is
   * drawn at once and every other one follows in idle time, one per idle period.
   * @type {Array<{done: boolean, run: () => Promise<void>}>}
   */
  const initialDraws = [];
  let drawingTheRest = false;

  /**
   * @param {Element} container
   * @param {() => Promise<void>} draw
   */
  function drawBuildTimeChart(container, draw) {
    const task = {
      done: false,
      run() {
        if (task.done) return Promise.resolve();
        task.done = true;
        return draw();
      },
    };
    initialDraws.push(task);
    whenNear(container, () => {
      task.run();
      drawTheRestWhenIdle();
    });
  }

  /** Editors waiting to be created, in page order. @type {Array<() => void>} */
  const pendingEditors = [];

  /**
   * Create a cell's editor when it nears the viewport, or earlier, once the page is idle
   * after its first paint (see afterFirstPaint): every cell is editable soon after load.
   * @param {Element} root
   * @param {() => void} mount
   */
  function mountWhenNearOrIdle(root, mount) {
    let done = false;
    const once = () => {
      if (!done) {
        done = true;
        mount();
      }
    };
    pendingEditors.push(once);
    whenNear(root, once);
  }

  /**
   * After the first paint, when the browser is idle: fetch plotly.js and the editor if
   * the page needs them, then draw every build-time chart and create every editor, one
   * per idle period so scrolling stays smooth.
   */
  function afterFirstPaint() {
    drawTheRestWhenIdle();
    const next = () => {
      const mount = pendingEditors.shift();
      if (mount) {
        mount();
        whenIdle(next);
      }
    };
    whenIdle(next);
  }

  function drawTheRestWhenIdle() {
    if (drawingTheRest || initialDraws.length === 0) return;
    drawingTheRest = true;
    const next = () => {
      const task = initialDraws.find((t) => !t.done);
      if (task) task.run().finally(() => whenIdle(next));
    };
    loadPlotly().then(() => whenIdle(next), () => {});
  }

  // ---------------------------------------------------------------------------------
  // Charts: plotly.js, adapted to the theme's light or dark mode
  // ---------------------------------------------------------------------------------

  const PLOT_CONFIG = Object.freeze({
    responsive: true,
    displaylogo: false,
    // The mode bar's icon buttons are not keyboard-friendly and crowd a phone screen;
    // the table under each chart is the accessible way to read exact values.
    displayModeBar: false,
  });

  /** Figures currently drawn, so a theme switch can redraw them. @type {Map<HTMLElement, any>} */
  const drawnFigures = new Map();

  /** True between beforeprint and afterprint: paper gets the light colours. */
  let printing = false;

  function isDarkTheme() {
    return document.documentElement.dataset.theme === "dark" && !printing;
  }

  /**
   * gradflow writes colours for a white page; in dark mode black and dark grey lines
   * would vanish, so they are swapped for light equivalents.
   * @param {unknown} colour
   */
  function colourForDark(colour) {
    if (typeof colour !== "string") return colour;
    const key = colour.toLowerCase();
    if (key === "#000000" || key === "black") return "#e6e6e6";
    if (key === "#666666") return "#b3b3b3";
    return colour;
  }

  /**
   * A copy of the figure with the theme's text colour and transparent backgrounds, so it
   * sits on the page's own background in both light and dark mode.
   * @param {{data: any[], layout: any}} figure
   */
  function themedFigure(figure) {
    const dark = isDarkTheme();
    const text = printing ? "#000000" : getComputedStyle(document.body).color || (dark ? "#e6e6e6" : "#1a1a1a");
    const grid = dark ? "rgba(255,255,255,0.15)" : "rgba(0,0,0,0.1)";
    const data = deepCopy(figure.data || []);
    const layout = deepCopy(figure.layout || {});
    if (dark) {
      for (const trace of data) {
        if (trace.line) trace.line.color = colourForDark(trace.line.color);
        if (trace.marker) trace.marker.color = colourForDark(trace.marker.color);
      }
      for (const note of layout.annotations || []) {
        if (note.bgcolor) note.bgcolor = "rgba(20,20,20,0.85)";
      }
    }
    layout.paper_bgcolor = "rgba(0,0,0,0)";
    layout.plot_bgcolor = "rgba(0,0,0,0)";
    layout.font = { ...(layout.font || {}), color: text };
    for (const axis of ["xaxis", "yaxis"]) {
      // automargin: room for tick labels and the axis title even when no legend below
      // the plot happens to push the bottom margin open.
      layout[axis] = { automargin: true, ...(layout[axis] || {}), gridcolor: grid, linecolor: grid, zerolinecolor: grid };
    }
    layout.autosize = true;
    delete layout.width;
    if (!layout.height) layout.height = window.matchMedia("(max-width: 480px)").matches ? 340 : 400;
    return { data, layout };
  }

  /** @param {any} value */
  function deepCopy(value) {
    return typeof structuredClone === "function" ? structuredClone(value) : JSON.parse(JSON.stringify(value));
  }

  /**
   * Draw (or redraw in place) a figure spec in `container`.
   * @param {HTMLElement} container
   * @param {{data: any[], layout: any}} figure
   */
  async function drawFigure(container, figure) {
    // Synchronous when plotly is already loaded, so a beforeprint redraw is done before
    // the browser lays out the printed page.
    const Plotly = /** @type {any} */ (window).Plotly || (await loadPlotly());
    const themed = themedFigure(figure);
    drawnFigures.set(container, figure);
    await Plotly.react(container, themed.data, themed.layout, PLOT_CONFIG);
  }

  function redrawAllForTheme() {
    for (const [container, figure] of drawnFigures) {
      if (container.isConnected) drawFigure(container, figure);
      else drawnFigures.delete(container);
    }
  }

  new MutationObserver(redrawAllForTheme).observe(document.documentElement, {
    attributes: true,
    attributeFilter: ["data-theme"],
  });

  /**
   * Replace a `<table class="lw-data">`'s caption, header and rows with a view result's
   * table (same shape as the build-time fallback table).
   * @param {HTMLTableElement} table
   * @param {{caption: string, columns: string[], rows: unknown[][]}} data
   */
  function fillTable(table, data) {
    table.replaceChildren();
    table.append(el("caption", {}, data.caption || ""));
    const headRow = el("tr");
    for (const column of data.columns) headRow.append(el("th", { scope: "col" }, String(column)));
    const head = el("thead");
    head.append(headRow);
    const body = el("tbody");
    for (const row of data.rows) {
      const tr = el("tr");
      for (const value of row) tr.append(el("td", {}, formatTableValue(value)));
      body.append(tr);
    }
    table.append(head, body);
  }

  // ---------------------------------------------------------------------------------
  // The runtime: one worker per page, its start-up stages and request bookkeeping
  // ---------------------------------------------------------------------------------

  const STAGES = /** @type {const} */ (["runtime", "packages", "simulator"]);
  const STAGE_TEXT = {
    runtime: "loading the Python runtime",
    packages: "loading numpy and the simulator package",
    simulator: "preparing the simulator",
  };

  /** Rejection reason for requests lost when the worker is replaced (Stop). */
  class RuntimeRestarted extends Error {
    constructor() {
      super("Python was restarted");
      this.name = "RuntimeRestarted";
    }
  }

  /** A Python exception sent back as data by the worker. */
  class PythonFailure extends Error {
    /** @param {{name: string, message: string, traceback: string}} info */
    constructor(info) {
      super(info.message);
      this.name = info.name;
      this.traceback = info.traceback;
    }
  }

  /**
   * @typedef {{type: "progress", stage: string, message: string}
   *   | {type: "ready"} | {type: "fatal", message: string} | {type: "restarted"}} RuntimeEvent
   */

  class Runtime {
    /** @param {string} workerUrl */
    constructor(workerUrl) {
      this.workerUrl = workerUrl;
      /** @type {Worker | null} */
      this.worker = null;
      /** @type {"idle" | "loading" | "ready" | "failed"} */
      this.state = "idle";
      this.failure = "";
      /** Increases on every (re)start, so cells know whether the namespace they filled still exists. */
      this.generation = 0;
      this.nextId = 1;
      /** @type {Map<number, {resolve: (v: any) => void, reject: (e: any) => void, onProgress?: (v: any) => void}>} */
      this.pending = new Map();
      /** @type {Set<(event: RuntimeEvent) => void>} */
      this.listeners = new Set();
      /** @type {Promise<void>} */
      this.ready = new Promise(() => {});
      this.resolveReady = () => {};
      /** @type {(e: Error) => void} */
      this.rejectReady = () => {};
    }

    /**
     * Listen to start-up events; a listener that arrives after the runtime settled
     * hears the outcome at once.
     * @param {(event: RuntimeEvent) => void} listener
     */
    subscribe(listener) {
      this.listeners.add(listener);
      if (this.state === "failed") listener({ type: "fatal", message: this.failure });
      else if (this.state === "ready") listener({ type: "ready" });
    }

    /** @param {RuntimeEvent} event */
    emit(event) {
      for (const listener of this.listeners) listener(event);
    }

    /** Create the worker unless it exists or failed; safe to call many times. */
    start() {
      if (this.worker || this.state === "failed") return;
      this.ready = new Promise((resolve, reject) => {
        this.resolveReady = resolve;
        this.rejectReady = reject;
      });
      this.ready.catch(() => {}); // failures are reported through "fatal" events
      this.setState("loading");
      this.generation += 1;
      if (typeof WebAssembly !== "object") {
        this.fail("this browser cannot run WebAssembly, which live Python needs");
        return;
      }
      try {
        this.worker = new Worker(this.workerUrl);
      } catch (error) {
        this.fail(`could not start the Python worker (${messageOf(error)})`);
        return;
      }
      this.worker.onmessage = (event) => this.receive(event.data);
      // Fires when the worker script itself is missing or broken (not for Python errors,
      // which come back as messages).
      this.worker.onerror = (event) => {
        event.preventDefault();
        if (this.state !== "ready") this.fail(`could not start the Python worker (${event.message || "live-widgets-worker.js failed to load"})`);
      };
    }

    /** @param {"idle" | "loading" | "ready" | "failed"} state */
    setState(state) {
      this.state = state;
      document.documentElement.dataset.lwRuntime = state;
    }

    /** @param {string} reason */
    fail(reason) {
      this.failure = reason;
      this.setState("failed");
      if (this.worker) this.worker.terminate();
      this.worker = null;
      const error = new Error(reason);
      this.rejectReady(error);
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
      this.emit({ type: "fatal", message: reason });
    }

    /** @param {any} message */
    receive(message) {
      if (message.id === undefined) {
        if (message.type === "progress") {
          this.emit({ type: "progress", stage: message.stage, message: message.message });
        } else if (message.type === "ready") {
          this.setState("ready");
          this.resolveReady();
          this.emit({ type: "ready" });
        } else if (message.type === "fatal") {
          this.fail(message.message);
        }
        return;
      }
      const request = this.pending.get(message.id);
      if (!request) return; // a reply to a request abandoned by a restart
      if (message.type === "progress") {
        if (request.onProgress) request.onProgress(message.value);
        return;
      }
      this.pending.delete(message.id);
      if (message.type === "result") request.resolve(message.value);
      else request.reject(new PythonFailure(message.error));
    }

    /**
     * Send a request (§6) once the runtime is ready. Returns its id (for cancel) and a
     * promise of the result.
     * @param {object} message
     * @param {(value: any) => void} [onProgress]
     * @returns {{id: number, result: Promise<any>}}
     */
    send(message, onProgress) {
      const id = this.nextId++;
      this.start();
      const generation = this.generation;
      const result = this.ready.then(
        () =>
          new Promise((resolve, reject) => {
            if (generation !== this.generation || !this.worker) {
              reject(new RuntimeRestarted());
              return;
            }
            this.pending.set(id, { resolve, reject, onProgress });
            this.worker.postMessage({ ...message, id });
          }),
        (error) => Promise.reject(error instanceof RuntimeRestarted ? error : new Error(this.failure || messageOf(error))),
      );
      return { id, result };
    }

    /** @param {number} id */
    cancel(id) {
      if (this.worker) this.worker.postMessage({ type: "cancel", id });
    }

    /**
     * Stop: terminate the worker (the only way to interrupt running Python without
     * SharedArrayBuffer) and start a fresh one with an empty namespace.
     */
    restart() {
      if (this.worker) this.worker.terminate();
      this.worker = null;
      this.rejectReady(new RuntimeRestarted());
      for (const { reject } of this.pending.values()) reject(new RuntimeRestarted());
      this.pending.clear();
      if (this.state === "failed") return;
      this.setState("idle");
      this.emit({ type: "restarted" });
      this.start();
    }
  }

  // ---------------------------------------------------------------------------------
  // Shared widget behaviour: reacting to the runtime's start-up
  // ---------------------------------------------------------------------------------

  /**
   * Show start-up progress, readiness and failure in a widget's status line, and keep
   * its state marker in step.
   * @param {HTMLElement} root
   * @param {RuntimeEvent} event
   * @param {{onReady?: () => void, onFail?: () => void}} [hooks]
   */
  function followRuntime(root, event, hooks = {}) {
    const status = statusLine(root);
    if (event.type === "progress") {
      const step = STAGES.indexOf(/** @type {any} */ (event.stage)) + 1;
      const text = STAGE_TEXT[/** @type {keyof typeof STAGE_TEXT} */ (event.stage)] || event.message;
      if (root.dataset.lwState !== "busy") setState(root, "waiting");
      status.textContent = `Starting live Python (step ${step} of ${STAGES.length}): ${text}…`;
      showProgress(root, step);
    } else if (event.type === "ready") {
      hideProgress(root);
      if (root.dataset.lwState !== "busy") setState(root, "ready");
      status.textContent = "";
      if (hooks.onReady) hooks.onReady();
    } else if (event.type === "fatal") {
      hideProgress(root);
      setState(root, "error");
      status.textContent = `Live Python is unavailable: ${shorten(event.message, 140)}. Results shown are from the book's build.`;
      if (hooks.onFail) hooks.onFail();
    }
  }

  /**
   * A visual progress bar beside the status text (hidden from screen readers, which
   * hear the status line instead).
   * @param {HTMLElement} root
   * @param {number} step
   */
  function showProgress(root, step) {
    let bar = root.querySelector(":scope > progress.lw-progress");
    if (!(bar instanceof HTMLProgressElement)) {
      bar = el("progress", { class: "lw-progress", max: String(STAGES.length + 1), "aria-hidden": "true" });
      statusLine(root).after(bar);
    }
    /** @type {HTMLProgressElement} */ (bar).value = step;
  }

  /** @param {HTMLElement} root */
  function hideProgress(root) {
    root.querySelector(":scope > progress.lw-progress")?.remove();
  }

  /**
   * Controls send their latest value only: while one request is computing, newer
   * settings replace any waiting ones, and a result that is already out of date when it
   * arrives is dropped rather than drawn.
   */
  class LatestOnly {
    /**
     * @param {(settings: any) => Promise<any>} compute
     * @param {(result: any) => void} apply
     * @param {(error: unknown) => void} report
     */
    constructor(compute, apply, report) {
      this.compute = compute;
      this.apply = apply;
      this.report = report;
      /** @type {any} */
      this.waiting = null;
      this.running = false;
    }

    /** @param {any} settings */
    submit(settings) {
      this.waiting = settings;
      if (!this.running) this.drain();
    }

    async drain() {
      this.running = true;
      while (this.waiting !== null) {
        const settings = this.waiting;
        this.waiting = null;
        try {
          const result = await this.compute(settings);
          if (this.waiting === null) this.apply(result);
        } catch (error) {
          if (error instanceof RuntimeRestarted) {
            if (this.waiting === null) this.waiting = settings; // recompute on the new worker
          } else if (this.waiting === null) {
            this.report(error);
          }
        }
      }
      this.running = false;
    }
  }

  // ---------------------------------------------------------------------------------
  // Settings forms (gradient-flow, path-lengths, training-race) and share links
  // ---------------------------------------------------------------------------------

  /**
   * Convert a form or link value to the type of the setting's build-time value, so the
   * worker receives what the directive would have passed.
   * @param {unknown} typeSample the initial value of the setting
   * @param {string} text
   * @returns {{ok: true, value: any} | {ok: false}}
   */
  function parseSetting(typeSample, text) {
    if (typeof typeSample === "boolean") {
      const lowered = text.trim().toLowerCase();
      if (["true", "1", "yes", "on"].includes(lowered)) return { ok: true, value: true };
      if (["false", "0", "no", "off"].includes(lowered)) return { ok: true, value: false };
      return { ok: false };
    }
    if (typeof typeSample === "number") {
      const value = Number(text);
      return text.trim() !== "" && Number.isFinite(value) ? { ok: true, value } : { ok: false };
    }
    return { ok: true, value: text };
  }

  /**
   * Read the settings from the visible controls, on top of the widget's other settings.
   * @param {HTMLFormElement | null} form
   * @param {Record<string, any>} base
   * @returns {{settings: Record<string, any>, invalid: string[]}}
   */
  function readForm(form, base) {
    const settings = { ...base };
    /** @type {string[]} */
    const invalid = [];
    if (!form) return { settings, invalid };
    for (const input of form.querySelectorAll("input[name], select[name]")) {
      const field = /** @type {HTMLInputElement | HTMLSelectElement} */ (input);
      if (!(field.name in base)) continue;
      if (field instanceof HTMLInputElement && field.type === "checkbox") {
        settings[field.name] = field.checked;
        continue;
      }
      const parsed = parseSetting(base[field.name], field.value);
      if (!parsed.ok || !withinLimits(field)) {
        invalid.push(field.labels?.[0]?.textContent || field.name);
        continue;
      }
      settings[field.name] = parsed.value;
    }
    return { settings, invalid };
  }

  /**
   * A typed value the simulator can take: readable and within min/max. A value "off
   * the step grid" is fine (the step only shapes the spinner and slider), and the
   * worker still checks every setting.
   * @param {HTMLInputElement | HTMLSelectElement} field
   */
  function withinLimits(field) {
    const { validity } = field;
    return !(validity.badInput || validity.valueMissing || validity.rangeUnderflow || validity.rangeOverflow);
  }

  /**
   * Put settings into the form's inputs (used when a share link is opened).
   * @param {HTMLFormElement | null} form
   * @param {Record<string, any>} settings
   */
  function writeForm(form, settings) {
    if (!form) return;
    for (const input of form.querySelectorAll("input[name], select[name]")) {
      const field = /** @type {HTMLInputElement | HTMLSelectElement} */ (input);
      if (!(field.name in settings)) continue;
      if (field instanceof HTMLInputElement && field.type === "checkbox") field.checked = Boolean(settings[field.name]);
      else field.value = String(settings[field.name]);
      updateValueDisplay(field);
    }
  }

  /** A range slider's `<output>` shows its value. @param {Element} field */
  function updateValueDisplay(field) {
    if (!(field instanceof HTMLInputElement) || field.type !== "range" || !field.form) return;
    for (const output of field.form.querySelectorAll("output")) {
      if (/** @type {HTMLOutputElement} */ (output).htmlFor.contains(field.id)) output.textContent = field.value;
    }
  }

  /** @param {HTMLFormElement | null} form @param {boolean} enabled */
  function enableForm(form, enabled) {
    if (!form) return;
    for (const field of form.elements) /** @type {HTMLInputElement} */ (field).disabled = !enabled;
  }

  /**
   * Settings from a share link `#NAME?depth=30&activation=sigmoid` aimed at `name`.
   * Unknown names and unreadable values are reported, never silently applied.
   * @param {string} name
   * @param {Record<string, any>} base
   * @returns {{settings: Record<string, any>, problems: string[]} | null}
   */
  function settingsFromLink(name, base) {
    let hash;
    try {
      hash = decodeURIComponent(window.location.hash.slice(1));
    } catch {
      return null; // a mangled fragment is not a share link
    }
    const question = hash.indexOf("?");
    if (question < 0 || hash.slice(0, question) !== name) return null;
    const params = new URLSearchParams(hash.slice(question + 1));
    const settings = { ...base };
    /** @type {string[]} */
    const problems = [];
    for (const [key, text] of params) {
      if (!(key in base)) {
        problems.push(`unknown setting "${key}"`);
        continue;
      }
      const parsed = parseSetting(base[key], text);
      if (parsed.ok) settings[key] = parsed.value;
      else problems.push(`${key}=${text} is not a valid value`);
    }
    return { settings, problems };
  }

  /**
   * The link that restores `settings`: only values that differ from the directive's.
   * @param {string} name
   * @param {Record<string, any>} settings
   * @param {Record<string, any>} initial
   */
  function shareLink(name, settings, initial) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(settings)) {
      if (value !== initial[key]) params.set(key, String(value));
    }
    const query = params.toString();
    const url = new URL(window.location.href);
    url.hash = query ? `${name}?${query}` : name;
    return url.href;
  }

  /**
   * Copy to the clipboard, or (where that is not allowed) show the link selected in a
   * text box so the reader can copy it by hand.
   * @param {string} text
   * @param {HTMLElement} status
   * @param {HTMLElement} after
   */
  async function copyText(text, status, after) {
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = "Link copied. Opening it restores these settings.";
    } catch {
      let box = after.nextElementSibling;
      if (!(box instanceof HTMLInputElement && box.classList.contains("lw-link-box"))) {
        box = el("input", { class: "lw-link-box", type: "text", readonly: true, "aria-label": "Link to these settings" });
        after.after(box);
      }
      const input = /** @type {HTMLInputElement} */ (box);
      input.value = text;
      input.focus();
      input.select();
      status.textContent = "Copy this link (it is selected) to share these settings.";
    }
  }

  // ---------------------------------------------------------------------------------
  // View widgets (gradient-flow, path-lengths) and the training race
  // ---------------------------------------------------------------------------------

  /**
   * The parts of a chart widget that show a result (§5), and how to fill them.
   */
  class ResultDisplay {
    /** @param {HTMLElement} root */
    constructor(root) {
      this.root = root;
      this.readout = /** @type {HTMLElement | null} */ (root.querySelector(":scope > .lw-readout"));
      this.chart = /** @type {HTMLElement | null} */ (root.querySelector(":scope > .lw-chart"));
      this.details = /** @type {HTMLDetailsElement | null} */ (root.querySelector(":scope > details.lw-table"));
      this.tableFolded = false;
      /** While a predict prompt hides the chart, results are kept here, drawn on reveal. */
      this.chartDeferred = false;
      /** @type {any} */
      this.deferredFigure = null;
    }

    /**
     * Draw the chart. After the first drawing the table folds away (one click away);
     * later redraws leave it as the reader set it.
     * @param {any} figure
     */
    async drawChart(figure) {
      if (!this.chart || !figure) return;
      await drawFigure(this.chart, figure);
      if (this.details && !this.tableFolded) {
        this.tableFolded = true;
        this.details.open = false;
      }
    }

    /**
     * @param {{figure?: any, readout?: string, summary?: string, table?: any}} result
     * @param {{table?: boolean, readout?: boolean}} [parts] which parts to refresh
     */
    async show(result, parts = { table: true, readout: true }) {
      if (parts.readout && this.readout && result.readout !== undefined) this.readout.textContent = result.readout;
      if (result.summary !== undefined) {
        this.chart?.setAttribute("aria-label", result.summary);
        const summary = this.details?.querySelector(".lw-summary");
        if (parts.table && summary) summary.textContent = result.summary;
      }
      if (parts.table && result.table && this.details) {
        let table = this.details.querySelector("table");
        if (!table) {
          table = /** @type {HTMLTableElement} */ (el("table", { class: "lw-data" }));
          this.details.append(table);
        }
        fillTable(/** @type {HTMLTableElement} */ (table), result.table);
      }
      if (result.figure && this.chartDeferred) {
        this.deferredFigure = result.figure;
        loadPlotly().catch(() => {}); // ready by the time the reader commits a guess
      } else if (result.figure) {
        await this.drawChart(result.figure);
      }
    }
  }

  class ViewWidget {
    /**
     * @param {HTMLElement} root
     * @param {Runtime} runtime
     */
    constructor(root, runtime) {
      this.root = root;
      this.runtime = runtime;
      this.initial = readInitial(root);
      this.view = root.dataset.lwView || this.initial.view;
      this.name = root.id;
      this.form = /** @type {HTMLFormElement | null} */ (root.querySelector(":scope > form.lw-controls"));
      this.display = new ResultDisplay(root);
      this.status = statusLine(root);
      /** @type {Record<string, any>} */
      this.settings = { ...this.initial.settings };
      this.needsCompute = false;
      /** What the status says about a share link's ignored settings, if anything. */
      this.linkNote = "";
      this.coalescer = new LatestOnly(
        (settings) => this.compute(settings),
        (result) => this.showResult(result),
        (error) => this.showError(error),
      );
      this.predict = new PredictPrompt(root, () => this.reveal());
      this.display.chartDeferred = this.predict.pending;

      this.form?.addEventListener("submit", (event) => event.preventDefault());
      this.form?.addEventListener("input", (event) => this.onInput(event));
      this.form?.addEventListener("change", (event) => this.onInput(event));
      if (this.form) this.addCopyLink();
      this.applyLink();
      if (!this.predict.pending) this.drawWhenNear();
      runtime.subscribe((event) =>
        followRuntime(root, event, {
          onReady: () => {
            enableForm(this.form, true);
            // followRuntime cleared the status; a note about the link still applies.
            if (this.linkNote) this.status.textContent = this.linkNote;
            if (this.needsCompute) this.submit();
          },
          onFail: () => enableForm(this.form, false),
        }),
      );
    }

    drawWhenNear() {
      if (!this.display.chart) return;
      drawBuildTimeChart(this.display.chart, () =>
        this.display.drawChart(this.initial.figure).catch((error) => {
          this.status.textContent = `The chart could not be drawn (${messageOf(error)}); the table shows its numbers.`;
        }),
      );
    }

    /** The guess is in: draw the latest result (the build-time one, or a shared link's). */
    reveal() {
      this.display.chartDeferred = false;
      this.display.drawChart(this.display.deferredFigure || this.initial.figure).catch((error) => {
        this.status.textContent = `The chart could not be drawn (${messageOf(error)}); the table shows its numbers.`;
      });
      // Re-setting the text makes screen readers announce the now-visible readout.
      if (this.display.readout) this.display.readout.textContent = this.display.readout.textContent;
    }

    addCopyLink() {
      const actions = el("div", { class: "lw-actions" });
      const button = actionButton("copy-link", "Copy link to these settings", () => {
        copyText(shareLink(this.name, this.settings, this.initial.settings), this.status, button);
      });
      actions.append(button);
      /** @type {HTMLFormElement} */ (this.form).after(actions);
    }

    applyLink() {
      const linked = settingsFromLink(this.name, this.initial.settings);
      if (!linked) return;
      this.settings = linked.settings;
      writeForm(this.form, this.settings);
      this.needsCompute = true;
      this.linkNote = linked.problems.length > 0 ? shorten(`The link's settings were partly ignored: ${linked.problems.join("; ")}.`, 200) : "";
      this.status.textContent = this.linkNote;
      this.root.scrollIntoView({ block: "start" });
      this.runtime.start();
      if (this.runtime.state === "ready") this.submit();
    }

    /** @param {Event} event */
    onInput(event) {
      this.linkNote = ""; // the reader has moved on from the link's settings
      if (event.target instanceof Element) updateValueDisplay(event.target);
      const { settings, invalid } = readForm(this.form, this.settings);
      if (invalid.length > 0) {
        this.status.textContent = `Check the value of: ${invalid.join(", ")}.`;
        return;
      }
      if (JSON.stringify(settings) === JSON.stringify(this.settings)) return;
      this.settings = settings;
      this.submit();
    }

    submit() {
      this.needsCompute = false;
      setState(this.root, "busy");
      this.coalescer.submit({ ...this.settings });
    }

    /** @param {Record<string, any>} settings */
    compute(settings) {
      return this.runtime.send({ type: "view", view: this.view, settings }).result;
    }

    /** @param {any} result */
    async showResult(result) {
      this.status.textContent = this.linkNote;
      await this.display.show(result);
      setState(this.root, "ready");
      bumpRenders(this.root);
    }

    /** @param {unknown} error */
    showError(error) {
      setState(this.root, this.runtime.state === "failed" ? "error" : "ready");
      this.status.textContent = error instanceof PythonFailure ? `Could not compute this: ${error.message}` : `Live Python is unavailable: ${messageOf(error)}.`;
    }
  }

  /**
   * "Predict, then run": the chart, readout and table stay hidden until the reader
   * commits a guess. Works with the build-time result, so it needs no runtime.
   */
  class PredictPrompt {
    /**
     * @param {HTMLElement} root
     * @param {() => void} onReveal
     */
    constructor(root, onReveal) {
      this.root = root;
      this.onReveal = onReveal;
      this.fieldset = root.querySelector(":scope > fieldset.lw-predict");
      this.pending = Boolean(this.fieldset);
      if (!this.fieldset) return;
      root.dataset.lwPredict = "pending";
      let button = this.fieldset.querySelector('[data-lw-action="show-result"]');
      if (!button) {
        button = actionButton("show-result", "Show the result", () => {});
        this.fieldset.append(button);
      }
      this.note = el("p", { class: "lw-predict-note", "aria-live": "polite" });
      this.fieldset.append(this.note);
      button.addEventListener("click", () => this.commit());
    }

    commit() {
      const fieldset = /** @type {HTMLFieldSetElement} */ (this.fieldset);
      const radios = [...fieldset.querySelectorAll('input[type="radio"]')];
      const chosen = /** @type {HTMLInputElement | undefined} */ (radios.find((r) => /** @type {HTMLInputElement} */ (r).checked));
      const note = /** @type {HTMLElement} */ (this.note);
      if (!chosen) {
        note.textContent = "Choose one guess first: committing to it is the point.";
        return;
      }
      const label = chosen.labels?.[0]?.textContent || chosen.value;
      for (const radio of radios) /** @type {HTMLInputElement} */ (radio).disabled = true;
      fieldset.querySelector('[data-lw-action="show-result"]')?.setAttribute("disabled", "");
      note.textContent = `Your guess: ${label}. Compare it with the result below.`;
      this.root.dataset.lwPredict = "done";
      this.pending = false;
      this.onReveal();
    }
  }

  class RaceWidget {
    /**
     * @param {HTMLElement} root
     * @param {Runtime} runtime
     */
    constructor(root, runtime) {
      this.root = root;
      this.runtime = runtime;
      this.initial = readInitial(root);
      this.form = /** @type {HTMLFormElement | null} */ (root.querySelector(":scope > form.lw-controls"));
      this.display = new ResultDisplay(root);
      this.status = statusLine(root);
      /** @type {{id: number, result: Promise<any>} | null} */
      this.running = null;
      /** Latest streamed state not drawn yet, and whether a progress redraw is under way. */
      this.pendingProgress = null;
      this.drawingProgress = false;
      /** @type {any} */
      this.lastState = null;
      this.mirrorSteps(this.initial);

      this.form?.addEventListener("submit", (event) => event.preventDefault());
      this.form?.addEventListener("input", (event) => {
        if (event.target instanceof Element) updateValueDisplay(event.target);
      });
      const actions = el("div", { class: "lw-actions" });
      this.startButton = actionButton("start", "Start training", () => this.start());
      this.cancelButton = actionButton("cancel", "Cancel", () => this.cancel());
      this.startButton.disabled = true;
      this.cancelButton.disabled = true;
      actions.append(this.startButton, this.cancelButton);
      (this.form || this.status).after(actions);
      // Visual progress of a run; screen readers hear start and finish on the status line.
      this.bar = /** @type {HTMLProgressElement} */ (el("progress", { class: "lw-progress lw-race-progress", "aria-hidden": "true", hidden: true }));
      actions.after(this.bar);

      if (this.display.chart) {
        drawBuildTimeChart(this.display.chart, () =>
          this.display.drawChart(this.initial.figure).catch((error) => {
            this.status.textContent = `The chart could not be drawn (${messageOf(error)}); the table shows its numbers.`;
          }),
        );
      }
      runtime.subscribe((event) => {
        if (event.type === "restarted" && this.running) this.stopped("Python was restarted, so training stopped.");
        followRuntime(root, event, {
          onReady: () => {
            enableForm(this.form, true);
            this.startButton.disabled = false;
          },
          onFail: () => {
            enableForm(this.form, false);
            this.startButton.disabled = true;
          },
        });
      });
    }

    /** @param {any} state a race dict (§3) */
    mirrorSteps(state) {
      if (state && state.steps !== undefined) {
        this.root.dataset.lwStep = String(state.step);
        this.root.dataset.lwSteps = String(state.steps);
        if (this.bar) {
          this.bar.max = Number(state.steps) || 1;
          this.bar.value = Number(state.step) || 0;
        }
      }
    }

    async start() {
      if (this.running) {
        this.runtime.cancel(this.running.id);
        await this.running.result.catch(() => {});
      }
      const { settings, invalid } = readForm(this.form, this.initial.settings);
      if (invalid.length > 0) {
        this.status.textContent = `Check the value of: ${invalid.join(", ")}.`;
        return;
      }
      setState(this.root, "busy");
      this.startButton.textContent = "Restart training";
      this.cancelButton.disabled = false;
      this.status.textContent = "Training the three stacks…";
      this.bar.value = 0;
      this.bar.hidden = false;
      // The readout changes with every chunk: silence it while streaming, announce the end.
      this.display.readout?.setAttribute("aria-live", "off");
      const request = this.runtime.send({ type: "race", settings }, (state) => this.progress(state));
      this.running = request;
      try {
        const final = await request.result;
        if (this.running !== request) return;
        await this.finish(final, `Finished: ${final.step} of ${final.steps} steps.`);
      } catch (error) {
        if (this.running !== request) return;
        if (error instanceof PythonFailure && error.name === "Cancelled") {
          this.stopped(`Cancelled at step ${this.root.dataset.lwStep} of ${this.root.dataset.lwSteps}.`);
        } else if (error instanceof RuntimeRestarted) {
          this.stopped("Python was restarted, so training stopped.");
        } else {
          this.stopped(error instanceof PythonFailure ? `Training failed: ${error.message}` : `Live Python is unavailable: ${messageOf(error)}.`);
        }
      }
    }

    /**
     * Draw streamed progress, latest state only: if plotly takes longer than a chunk,
     * intermediate states are skipped rather than queued, and a frame passes between
     * redraws so clicks (Cancel) are never starved.
     * @param {any} state
     */
    progress(state) {
      this.lastState = state;
      this.mirrorSteps(state);
      this.pendingProgress = state;
      if (this.drawingProgress) return;
      this.drawingProgress = true;
      const drawLatest = () => {
        const latest = this.pendingProgress;
        this.pendingProgress = null;
        if (!latest || !this.running) {
          this.drawingProgress = false;
          return;
        }
        this.display
          .show(latest, { table: false, readout: true })
          .then(() => bumpRenders(this.root))
          .finally(() => requestAnimationFrame(drawLatest));
      };
      drawLatest();
    }

    /**
     * @param {any} state
     * @param {string} message
     */
    async finish(state, message) {
      this.running = null;
      this.mirrorSteps(state);
      this.display.readout?.setAttribute("aria-live", "polite");
      await this.display.show(state);
      this.cancelButton.disabled = true;
      this.bar.hidden = true;
      setState(this.root, this.runtime.state === "failed" ? "error" : "ready");
      this.status.textContent = message;
      bumpRenders(this.root);
    }

    /** @param {string} message */
    stopped(message) {
      this.running = null;
      this.display.readout?.setAttribute("aria-live", "polite");
      if (this.lastState) this.display.show(this.lastState, { table: true, readout: true });
      this.cancelButton.disabled = true;
      this.bar.hidden = true;
      setState(this.root, this.runtime.state === "failed" ? "error" : "ready");
      this.status.textContent = message;
    }

    cancel() {
      if (this.running) this.runtime.cancel(this.running.id);
    }
  }

  // ---------------------------------------------------------------------------------
  // Live code cells: one namespace per page, run in order like a notebook
  // ---------------------------------------------------------------------------------

  const STORAGE_PREFIX = "deep-revolution:cell:";

  /** localStorage can be missing or throw (private mode, disabled storage). */
  const storage = {
    /** @param {string} key */
    get(key) {
      try {
        const text = window.localStorage.getItem(key);
        return text ? JSON.parse(text) : null;
      } catch {
        return null;
      }
    },
    /** @param {string} key @param {any} value */
    set(key, value) {
      try {
        window.localStorage.setItem(key, JSON.stringify(value));
      } catch {
        // Full or disabled storage: edits simply do not survive a reload.
      }
    },
    /** @param {string} key */
    remove(key) {
      try {
        window.localStorage.removeItem(key);
      } catch {
        // as above
      }
    },
  };

  /**
   * Runs cells and exercise checks one after another, after the page's hidden set-up
   * cells, and makes sure earlier cells have run in the current namespace first.
   */
  class Notebook {
    /** @param {Runtime} runtime */
    constructor(runtime) {
      this.runtime = runtime;
      /** @type {CellWidget[]} */
      this.cells = [];
      /** @type {Array<{code: string, key: string}>} */
      this.setupCells = [];
      /** Generation whose set-up cells have run. */
      this.setupGeneration = 0;
      /** @type {Promise<unknown>} */
      this.queue = Promise.resolve();
      /** Counts Stops (restarts); a request queued before one is abandoned, not run in the new worker. */
      this.restarts = 0;
      // Set-up cells run as soon as Python is ready (again after every Stop), so the
      // namespace is prepared before the reader's first Run.
      runtime.subscribe((event) => {
        if (event.type === "restarted") this.restarts += 1;
        if (event.type === "ready" && this.setupCells.length > 0) {
          // A failure is reported where it matters: the next Run retries the set-up and
          // shows the error in that cell's status line.
          this.enqueue(() => this.runSetup()).catch(() => {});
        }
      });
    }

    /**
     * Queue `task` after everything already queued (cells share one namespace, so their
     * order matters).
     * @template T
     * @param {() => Promise<T>} task
     * @returns {Promise<T>}
     */
    enqueue(task) {
      const next = this.queue.then(task, task);
      this.queue = next.catch(() => {});
      return next;
    }

    /**
     * Queue a reader's request. Stop abandons everything queued before it: a Run still
     * waiting behind the set-up (or behind another cell) when the reader pressed Stop
     * must not run later in the new worker (it may be the very endless loop that was
     * stopped). `guard()` throws RuntimeRestarted once a restart happened since queuing.
     * @template T
     * @param {(guard: () => void) => Promise<T>} task
     * @returns {Promise<T>}
     */
    enqueueRequest(task) {
      const restarts = this.restarts;
      const guard = () => {
        if (this.restarts !== restarts) throw new RuntimeRestarted();
      };
      return this.enqueue(async () => {
        guard();
        return task(guard);
      });
    }

    /** Run the hidden set-up cells once per worker. */
    async runSetup() {
      const generation = this.runtime.generation;
      if (this.setupGeneration === generation) return;
      for (const setup of this.setupCells) {
        const output = await this.runtime.send({ type: "run", code: setup.code, cellId: setup.key }).result;
        if (output.error) throw new Error(`the page's set-up code failed: ${lastLine(output.error)}`);
      }
      this.setupGeneration = generation;
    }

    /**
     * Run `cell`, first running (and showing the output of) earlier cells that have not
     * run in this namespace, so names they define exist. Only cells still holding the
     * lesson's own code run by themselves (that code ran when the book was built); a
     * cell the reader edited, perhaps into an endless loop, runs only when asked.
     * @param {CellWidget} cell
     */
    run(cell) {
      return this.enqueueRequest(async (guard) => {
        await this.runSetup();
        guard();
        const earlier = this.cells.filter(
          (c) => c.index < cell.index && c.ranIn !== this.runtime.generation && !c.insideExercise && c.getCode() === c.initial.code,
        );
        for (const previous of earlier) {
          await previous.execute();
          guard();
        }
        await cell.execute();
        return earlier.length;
      });
    }

    /**
     * @param {string} code
     * @param {any[]} checks
     */
    check(code, checks) {
      return this.enqueueRequest(async (guard) => {
        await this.runSetup();
        guard();
        return this.runtime.send({ type: "check", code, checks }).result;
      });
    }
  }

  /** @param {string} text */
  function lastLine(text) {
    const lines = String(text).trimEnd().split("\n");
    return lines[lines.length - 1];
  }

  class CellWidget {
    /**
     * @param {HTMLElement} root
     * @param {Runtime} runtime
     * @param {Notebook} notebook
     */
    constructor(root, runtime, notebook) {
      this.root = root;
      this.runtime = runtime;
      this.notebook = notebook;
      this.initial = readInitial(root);
      this.index = Number(root.dataset.lwIndex || "0");
      this.key = root.id || `cell-${this.index}`;
      this.storageKey = `${STORAGE_PREFIX}${window.location.pathname}#${this.key}`;
      this.insideExercise = Boolean(root.parentElement?.closest('.lw-widget[data-lw-kind="exercise"]'));
      this.code = this.initial.code;
      /** Runtime generation in which this cell last ran (0 = not in this namespace). */
      this.ranIn = 0;
      /** Counts drawFigures calls, so an older, slower call stops drawing. */
      this.figureDrawing = 0;
      /** @type {any} */
      this.editor = null;
      this.source = /** @type {HTMLElement | null} */ (root.querySelector(":scope > pre.lw-source"));
      this.output = /** @type {HTMLElement} */ (root.querySelector(":scope > .lw-output") || el("div", { class: "lw-output", "aria-live": "polite" }));
      if (!this.output.isConnected) root.append(this.output);

      this.toolbar = el("div", { class: "lw-actions lw-cell-actions" });
      this.runButton = actionButton("run", "Run", () => this.requestRun());
      this.stopButton = actionButton("stop", "Stop", () => this.stop());
      this.resetButton = actionButton("reset", "Reset code", () => this.reset());
      this.runButton.title = "Run this cell (Shift+Enter in the editor)";
      this.stopButton.disabled = true;
      this.toolbar.append(this.runButton, this.stopButton, this.resetButton);
      this.notice = el("p", { class: "lw-notice", hidden: true });
      // Order: code (editor), buttons, notices, status, output, as in a notebook.
      this.output.before(this.toolbar);
      this.toolbar.after(this.notice);
      this.status = statusLine(root);
      this.output.before(this.status);

      this.restoreEdits();
      mountWhenNearOrIdle(root, () => this.mountEditor());
      const buildTimeFigures = this.initial.outputs?.figures || [];
      if (buildTimeFigures.length > 0) drawBuildTimeChart(root, () => this.drawFigures(buildTimeFigures));
      /** Said again once the new worker is ready (start-up progress replaces it meanwhile). */
      this.messageAfterRestart = "";
      runtime.subscribe((event) => {
        if (event.type === "restarted") this.ranIn = 0;
        followRuntime(root, event, {
          onReady: () => {
            this.status.textContent = this.messageAfterRestart;
            this.messageAfterRestart = "";
          },
          onFail: () => (this.runButton.disabled = true),
        });
      });
    }

    /** The code to run: the editor's text, or the saved/original code before it mounts. */
    getCode() {
      return this.editor ? this.editor.getValue() : this.code;
    }

    /** Saved edits come back only for the same original code (same hash). */
    restoreEdits() {
      const saved = storage.get(this.storageKey);
      if (!saved || typeof saved.code !== "string" || saved.code === this.initial.code) return;
      if (saved.hash === this.initial.hash) {
        this.setCode(saved.code);
        this.showNotice("Your edited version from last time is shown. Reset code brings back the lesson's original.");
      } else {
        // The lesson changed since the reader edited it: show the new code, keep the old
        // edit one click away rather than hiding the update behind it.
        const restore = actionButton("restore-edit", "Use my earlier edit instead", () => {
          this.setCode(saved.code);
          this.save(saved.code);
          this.showNotice("Your earlier edit is shown. Reset code brings back the lesson's updated original.");
        });
        this.showNotice("This example was updated since you last edited it, so the new version is shown.", restore);
      }
    }

    /**
     * @param {string} text
     * @param {HTMLElement} [extra]
     */
    showNotice(text, extra) {
      this.notice.replaceChildren(document.createTextNode(text));
      if (extra) this.notice.append(" ", extra);
      this.notice.hidden = false;
    }

    /** @param {string} code */
    setCode(code) {
      this.code = code;
      if (this.editor) this.editor.setValue(code);
      else if (this.source) this.source.textContent = code;
    }

    /** @param {string} code */
    save(code) {
      if (code === this.initial.code) storage.remove(this.storageKey);
      else storage.set(this.storageKey, { hash: this.initial.hash, code });
    }

    async mountEditor() {
      if (this.editor || !this.source) return;
      try {
        const LiveEditor = await loadEditor();
        const host = el("div", { class: "lw-editor" });
        this.source.after(host);
        this.editor = LiveEditor.create(host, this.code, {
          onRun: () => this.requestRun(),
          onChange: (/** @type {string} */ code) => {
            this.code = code;
            this.save(code);
          },
          label: `Python code of cell ${this.index + 1}. Shift+Enter runs it; Escape then Tab leaves the editor.`,
        });
        this.source.hidden = true;
      } catch (error) {
        this.status.textContent = `The code editor could not load (${messageOf(error)}); Run uses the code shown.`;
      }
    }

    requestRun() {
      if (this.root.dataset.lwState === "busy") return;
      setState(this.root, "busy");
      this.stopButton.disabled = false;
      this.status.textContent = this.runtime.state === "ready" ? "Running…" : "Waiting for Python to start…";
      this.notebook
        .run(this)
        .then((earlierCount) => {
          this.status.textContent =
            earlierCount > 0 ? `Ran ${earlierCount} earlier cell${earlierCount > 1 ? "s" : ""} first, so this cell can use what they define.` : "";
        })
        .catch((error) => {
          if (error instanceof RuntimeRestarted) return; // stop() explains
          this.status.textContent = `Could not run: ${messageOf(error)}`;
        })
        .finally(() => {
          this.stopButton.disabled = true;
          setState(this.root, this.runtime.state === "failed" ? "error" : "ready");
        });
    }

    /** Run this cell's current code now (the notebook decides when). */
    async execute() {
      setState(this.root, "busy");
      this.stopButton.disabled = false;
      try {
        const output = await this.runtime.send({ type: "run", code: this.getCode(), cellId: this.key }).result;
        this.ranIn = this.runtime.generation;
        await this.showOutput(output);
        bumpRenders(this.root);
      } finally {
        if (this.root.dataset.lwState === "busy") setState(this.root, "ready");
        this.stopButton.disabled = true;
      }
    }

    /**
     * Outputs as TEXT only: stdout, stderr, the last expression's value, the error
     * (traceback trimmed to the reader's code by cell_runner), then figures.
     * @param {{stdout?: string, stderr?: string, value?: string | null, error?: string | null, figures?: any[]}} output
     */
    async showOutput(output) {
      for (const part of /** @type {const} */ (["stdout", "stderr", "value", "error"])) {
        let pre = this.output.querySelector(`:scope > pre.lw-${part}`);
        if (!pre) {
          pre = el("pre", { class: `lw-${part}` });
          this.output.append(pre);
        }
        const text = output[part] || "";
        pre.textContent = text;
        /** @type {HTMLElement} */ (pre).hidden = text === "";
      }
      await this.drawFigures(output.figures || []);
    }

    /** @param {any[]} figures plotly specs from show(fig) */
    async drawFigures(figures) {
      // The build-time figures may still be drawing when a run's figures arrive: only
      // the latest call may touch the holder.
      const drawing = ++this.figureDrawing;
      let holder = /** @type {HTMLElement | null} */ (this.output.querySelector(":scope > .lw-figure"));
      if (!holder) {
        holder = el("div", { class: "lw-figure" });
        this.output.append(holder);
      }
      for (const old of holder.children) drawnFigures.delete(/** @type {HTMLElement} */ (old));
      holder.replaceChildren();
      holder.hidden = figures.length === 0;
      for (const figure of figures) {
        const title = figure?.layout?.title;
        const label = (typeof title === "string" ? title : title?.text) || "Chart drawn by this cell";
        if (drawing !== this.figureDrawing) return;
        const chart = el("div", { class: "lw-chart", role: "img", "aria-label": label });
        holder.append(chart);
        try {
          await drawFigure(chart, figure);
        } catch (error) {
          chart.replaceWith(el("p", { class: "lw-stderr" }, `This figure could not be drawn: ${messageOf(error)}`));
        }
      }
    }

    stop() {
      this.messageAfterRestart =
        "Stopped. Python was restarted, so its namespace was reset: names defined by earlier cells are gone until those cells run again (Run does that for you).";
      this.status.textContent = this.messageAfterRestart;
      this.runtime.restart();
    }

    reset() {
      this.setCode(this.initial.code);
      storage.remove(this.storageKey);
      this.notice.hidden = true;
      this.status.textContent = "The lesson's original code is back.";
    }
  }

  // ---------------------------------------------------------------------------------
  // Exercises: checks run in the worker against the reader's code
  // ---------------------------------------------------------------------------------

  class ExerciseWidget {
    /**
     * @param {HTMLElement} root
     * @param {Runtime} runtime
     * @param {Notebook} notebook
     * @param {CellWidget | undefined} cell the nested cell with the starter code
     */
    constructor(root, runtime, notebook, cell) {
      this.root = root;
      this.runtime = runtime;
      this.notebook = notebook;
      this.cell = cell;
      const payload = decodePayload(root.dataset.lwPayload);
      if (!payload) throw new Error(`exercise #${root.id} has no data-lw-payload (ARCHITECTURE §5)`);
      /** @type {{checks: Array<{name: string, code: string}>, hints: string[], solution: string}} */
      this.payload = payload;
      this.hintsShown = 0;

      const actions = el("div", { class: "lw-actions lw-exercise-actions" });
      this.checkButton = actionButton("check", "Check my code", () => this.check());
      this.hintButton = actionButton("hint", "Show a hint", () => this.showHint());
      this.solutionButton = actionButton("solution", "Show the solution", () => this.showSolution("on request"));
      this.checkButton.disabled = true;
      this.hintButton.hidden = payload.hints.length === 0;
      actions.append(this.checkButton, this.hintButton, this.solutionButton);
      this.status = statusLine(root);
      this.feedback = el("ul", { class: "lw-feedback", "aria-live": "polite" });
      this.hints = el("ol", { class: "lw-hints", "aria-live": "polite" });
      this.solution = el("div", { class: "lw-solution", hidden: true });
      root.append(actions, this.status, this.feedback, this.hints, this.solution);

      runtime.subscribe((event) =>
        followRuntime(root, event, {
          onReady: () => (this.checkButton.disabled = false),
          onFail: () => (this.checkButton.disabled = true),
        }),
      );
    }

    async check() {
      if (!this.cell) return;
      setState(this.root, "busy");
      this.checkButton.disabled = true;
      this.status.textContent = "Checking…";
      try {
        const report = await this.notebook.check(this.cell.getCode(), this.payload.checks);
        this.showReport(report);
        bumpRenders(this.root);
      } catch (error) {
        this.status.textContent = error instanceof RuntimeRestarted ? "Python was restarted; press Check again." : `Could not check: ${messageOf(error)}`;
      } finally {
        this.checkButton.disabled = this.runtime.state !== "ready";
        setState(this.root, this.runtime.state === "failed" ? "error" : "ready");
      }
    }

    /** @param {{passed: boolean, checks: Array<{name: string, passed: boolean, message: string}>, stdout?: string, error?: string | null}} report */
    showReport(report) {
      this.root.dataset.lwResult = report.passed ? "passed" : "failed";
      this.feedback.replaceChildren();
      for (const check of report.checks) {
        const item = el("li", { "data-lw-passed": String(Boolean(check.passed)) });
        item.append(el("span", { class: "lw-mark", "aria-hidden": "true" }, check.passed ? "✓" : "✗"));
        item.append(el("span", { class: "lw-sr-only" }, check.passed ? "Passed: " : "Not yet: "));
        item.append(document.createTextNode(check.name));
        if (check.message && !check.passed) item.append(el("span", { class: "lw-check-message" }, ` — ${check.message}`));
        this.feedback.append(item);
      }
      if (report.error) this.feedback.append(el("li", { "data-lw-passed": "false" }, `Your code raised an error: ${lastLine(report.error)}`));
      const passedCount = report.checks.filter((c) => c.passed).length;
      this.status.textContent = report.passed
        ? "All checks passed. Well done!"
        : `${passedCount} of ${report.checks.length} checks passed. Read the feedback, change your code and check again.`;
      if (report.passed) this.showSolution("after success");
    }

    showHint() {
      const hints = this.payload.hints;
      if (this.hintsShown >= hints.length) return;
      this.hints.append(el("li", {}, hints[this.hintsShown]));
      this.hintsShown += 1;
      this.hintButton.textContent = this.hintsShown < hints.length ? `Another hint (${this.hintsShown} of ${hints.length} shown)` : "All hints shown";
      this.hintButton.disabled = this.hintsShown >= hints.length;
    }

    /** @param {"on request" | "after success"} when */
    showSolution(when) {
      if (!this.solution.hidden) return;
      const heading = when === "after success" ? "A model solution to compare with yours:" : "A model solution:";
      const code = el("pre", { class: "lw-solution-code" });
      code.append(el("code", {}, this.payload.solution));
      const load = actionButton("load-solution", "Put the solution in the editor", () => {
        this.cell?.setCode(this.payload.solution);
        this.cell?.save(this.payload.solution);
      });
      this.solution.replaceChildren(el("p", {}, heading), code, load);
      this.solution.hidden = false;
      this.solutionButton.disabled = true;
    }
  }

  // ---------------------------------------------------------------------------------
  // Quizzes: checked in the page, no runtime needed
  // ---------------------------------------------------------------------------------

  /**
   * Read a number the way students type it: "9.09e-13", "9.09 × 10^-13", "0,5" is not
   * accepted (ambiguous), a typographic minus is.
   * @param {string} text
   */
  function parseNumberAnswer(text) {
    const cleaned = text
      .trim()
      .replace(/[−–]/g, "-")
      .replace(/\s+/g, "")
      .replace(/^(-?[\d.]+)[x×*]10\^?\(?(-?\d+)\)?$/i, "$1e$2");
    if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(cleaned)) return null;
    return Number(cleaned);
  }

  /**
   * @param {number} given
   * @param {number} expected
   * @param {number} tolerance relative (absolute when the answer is 0)
   */
  function withinTolerance(given, expected, tolerance) {
    if (expected === 0) return Math.abs(given) <= tolerance;
    return Math.abs(given - expected) <= tolerance * Math.abs(expected) * (1 + 1e-12);
  }

  class QuizWidget {
    /** @param {HTMLElement} root */
    constructor(root) {
      const answers = decodePayload(root.dataset.lwPayload);
      if (!Array.isArray(answers)) throw new Error(`quiz #${root.id} has no data-lw-payload list (ARCHITECTURE §5)`);
      const questions = [...root.querySelectorAll("fieldset.lw-question")];
      questions.forEach((question, i) => this.setUpQuestion(/** @type {HTMLFieldSetElement} */ (question), answers[i]));
      setState(root, "ready");
    }

    /**
     * @param {HTMLFieldSetElement} question
     * @param {{answer?: number, number?: number, tolerance?: number, explain?: string}} answer
     */
    setUpQuestion(question, answer) {
      let button = question.querySelector("button");
      if (!button) {
        button = el("button", { type: "button", class: "lw-button" }, "Check");
        question.append(button);
      }
      button.setAttribute("data-lw-action", "check");
      button.setAttribute("type", "button");
      const feedback = question.querySelector(".lw-quiz-feedback") || el("p", { class: "lw-quiz-feedback", "aria-live": "polite" });
      question.append(feedback);
      button.addEventListener("click", () => this.check(question, answer, /** @type {HTMLElement} */ (feedback)));
      const numberInput = question.querySelector('input:not([type="radio"])');
      numberInput?.addEventListener("keydown", (event) => {
        if (/** @type {KeyboardEvent} */ (event).key === "Enter") {
          event.preventDefault();
          this.check(question, answer, /** @type {HTMLElement} */ (feedback));
        }
      });
    }

    /**
     * @param {HTMLFieldSetElement} question
     * @param {{answer?: number, number?: number, tolerance?: number, explain?: string}} answer
     * @param {HTMLElement} feedback
     */
    check(question, answer, feedback) {
      let correct;
      if (typeof answer.number === "number") {
        const input = /** @type {HTMLInputElement | null} */ (question.querySelector('input:not([type="radio"])'));
        const given = input ? parseNumberAnswer(input.value) : null;
        if (given === null) {
          feedback.textContent = "Type a number, for example 0.002 or 2e-3.";
          delete question.dataset.lwResult;
          return;
        }
        correct = withinTolerance(given, answer.number, answer.tolerance ?? 0);
      } else {
        const radios = [...question.querySelectorAll('input[type="radio"]')];
        const chosen = radios.findIndex((radio) => /** @type {HTMLInputElement} */ (radio).checked);
        if (chosen < 0) {
          feedback.textContent = "Choose an answer first.";
          delete question.dataset.lwResult;
          return;
        }
        correct = chosen === answer.answer;
      }
      question.dataset.lwResult = correct ? "correct" : "incorrect";
      const verdict = correct ? "Correct." : "Not quite. Have another go.";
      feedback.textContent = answer.explain ? `${verdict} ${answer.explain}` : verdict;
    }
  }

  // ---------------------------------------------------------------------------------
  // Page set-up
  // ---------------------------------------------------------------------------------

  /** Kinds that need Python; a page with only quizzes never starts the worker. */
  const PYTHON_KINDS = new Set(["view", "race", "cell", "setup", "exercise"]);

  /** @param {HTMLElement} root @param {unknown} error */
  function reportBrokenWidget(root, error) {
    setState(root, "error");
    statusLine(root).textContent = `This widget could not start: ${messageOf(error)}`;
    console.error(error);
  }

  function setUpPage() {
    const roots = /** @type {HTMLElement[]} */ ([...document.querySelectorAll(".lw-widget[data-lw-kind]")]);
    if (roots.length === 0) return;
    document.documentElement.classList.add("lw-js");
    document.documentElement.dataset.lwRuntime = "idle";
    const runtime = new Runtime(CONFIG.workerUrl);
    const notebook = new Notebook(runtime);
    /** @type {Map<HTMLElement, CellWidget>} */
    const cells = new Map();
    /** @type {ViewWidget[]} */
    const views = [];

    for (const root of roots.filter((r) => r.dataset.lwKind === "setup")) {
      try {
        const initial = readInitial(root);
        notebook.setupCells.push({ code: initial.code, key: root.id || `setup-${notebook.setupCells.length}` });
      } catch (error) {
        reportBrokenWidget(root, error);
      }
    }
    for (const root of roots) {
      try {
        const kind = root.dataset.lwKind;
        if (kind === "view") views.push(new ViewWidget(root, runtime));
        else if (kind === "race") new RaceWidget(root, runtime);
        else if (kind === "cell") cells.set(root, new CellWidget(root, runtime, notebook));
        else if (kind === "quiz") new QuizWidget(root);
      } catch (error) {
        reportBrokenWidget(root, error);
      }
    }
    notebook.cells = [...cells.values()].sort((a, b) => a.index - b.index);
    for (const root of roots.filter((r) => r.dataset.lwKind === "exercise")) {
      try {
        const nested = root.querySelector('.lw-widget[data-lw-kind="cell"]');
        new ExerciseWidget(root, runtime, notebook, nested ? cells.get(/** @type {HTMLElement} */ (nested)) : undefined);
      } catch (error) {
        reportBrokenWidget(root, error);
      }
    }

    const needsPython = roots.filter((r) => PYTHON_KINDS.has(r.dataset.lwKind || ""));
    if (needsPython.length > 0) scheduleRuntimeStart(runtime, needsPython);
    requestAnimationFrame(() => setTimeout(() => whenIdle(afterFirstPaint), 0));
    window.addEventListener("hashchange", () => {
      for (const view of views) view.applyLink();
    });
    preparePrinting();
    // Register the service worker once live Python has loaded (or failed): its precache
    // then finds the runtime files in the HTTP cache instead of downloading them twice.
    let registered = false;
    runtime.subscribe((event) => {
      if ((event.type === "ready" || event.type === "fatal") && !registered) {
        registered = true;
        registerServiceWorker();
      }
    });
  }

  /**
   * Start the worker after first paint when the browser is idle, or as soon as a
   * widget that needs Python nears the viewport, whichever comes first.
   * @param {Runtime} runtime
   * @param {HTMLElement[]} roots
   */
  function scheduleRuntimeStart(runtime, roots) {
    const start = () => runtime.start();
    for (const root of roots) whenNear(root, start);
    // requestAnimationFrame then setTimeout: after the first frame has been painted.
    requestAnimationFrame(() => setTimeout(() => whenIdle(start), 0));
  }

  /**
   * Print the numbers and readable charts: open every table and redraw charts in light
   * colours before printing; restore both afterwards.
   */
  function preparePrinting() {
    /** @type {HTMLDetailsElement[]} */
    let opened = [];
    window.addEventListener("beforeprint", () => {
      opened = /** @type {HTMLDetailsElement[]} */ ([...document.querySelectorAll("details.lw-table:not([open])")]);
      for (const details of opened) details.open = true;
      printing = true;
      if (document.documentElement.dataset.theme === "dark") redrawAllForTheme();
    });
    window.addEventListener("afterprint", () => {
      for (const details of opened) details.open = false;
      opened = [];
      printing = false;
      if (document.documentElement.dataset.theme === "dark") redrawAllForTheme();
    });
  }

  /**
   * The service worker lives at the site root (so its scope covers every page) and
   * caches the runtime files; failures only mean no offline cache.
   */
  function registerServiceWorker() {
    if (!CONFIG.registerServiceWorker || !("serviceWorker" in navigator)) return;
    if (window.location.protocol !== "https:" && window.location.hostname !== "localhost" && window.location.hostname !== "127.0.0.1") return;
    navigator.serviceWorker.register(CONFIG.serviceWorkerUrl).catch((error) => {
      console.info("live-widgets: no service worker, so no offline cache:", messageOf(error));
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpPage, { once: true });
  else setUpPage();
})();
