"""Measure the built site the way a reader feels it, against issue 6's budgets.

Run as a file (builds nothing; needs `make book` first):
    python build/bench_site.py [--runs 5] [--startup-runs 3] [--only-startup]
                               [--only-digits] [--build-timing] [--json results.json]

It starts with what a reader waits for before live Python answers (issue 13), side by
side in one run, each on a fresh on-disk profile (an incognito context has no wasm code
cache): the bare runtime's floor, lesson 3 cold, lesson 5 after an article swap from
lesson 3 (same page, same worker), lesson 5 by a full navigation from lesson 3 (same
profile), lesson 3 again by a full load in that profile, then once more with the start-up
snapshot cached (and the worker's own restore time), with their ratios to the floor, first
contentful paint, and the link speed above which the snapshot would pay on a first visit.

It ends with the two widgets that train on the handwritten digits (issue 14): from
pressing Start, live Python ready, to the finished run at the lesson's defaults, the
first run on a freshly opened page apart from the later runs on the same page.

It serves _build/html locally, drives headless Chromium through Playwright and prints
median, min and max over the runs of every figure, with the budget and how it was
measured. Times come from the browser's own clock (Performance API: paint and element
timing, performance.now() in the page, time.perf_counter() inside Pyodide); only the
build times are outside wall clocks, because a build has no browser.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import subprocess
import sys
import tempfile
import time
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
# The server, the Chromium launch and the DOM helpers are the browser tests' own, so
# the benchmark measures exactly the site the tests check.
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT / "widgets"))

from asset_manifest import MANIFEST_NAME  # noqa: E402  (build/, this file's folder)
from playwright.sync_api import (BrowserContext, Locator, Page, Playwright, Request,  # noqa: E402
                                 sync_playwright)

from chromium_launch import CHROMIUM, CHROMIUM_ARGS, launch_chromium  # noqa: E402
from live_page import (WORKER_KINDS, commit_prediction, initial_data, output_text,  # noqa: E402
                       run_cell, top_level_cells, wait_chart_drawn, wait_runtime,
                       wait_state)
from site_server import SiteServer, site_pages  # noqa: E402

MB = 1_000_000
PYODIDE_PATH = "/_static/pyodide/"
LATENCY_CHANGES = 20  # control changes per run and configuration
# Types a static host such as GitHub Pages sends gzip-compressed.
COMPRESSIBLE = {".html", ".js", ".mjs", ".css", ".json", ".svg", ".py", ".txt", ".map"}

# Runs before any page script: records when the lesson text is painted (Element Timing
# on the first heading and paragraph, tagged as the parser inserts them) and when the
# first widget and the runtime become ready (performance.now(), the page's own clock).
INSTRUMENT = r"""
(() => {
  const bench = window.__bench = {text: {}, firstWidgetReady: null, runtimeReady: null};
  const workerKinds = new Set(%s);
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) bench.text[e.identifier] = e.renderTime || e.loadTime;
  }).observe({type: 'element', buffered: true});
  const tag = () => {
    const h1 = document.querySelector('main h1, article h1');
    const p = [...document.querySelectorAll('article p, main p')]
                .find(el => el.textContent.trim().length > 40 && !el.closest('.lw-widget'));
    if (h1 && !h1.hasAttribute('elementtiming')) h1.setAttribute('elementtiming', 'heading');
    if (p && !p.hasAttribute('elementtiming')) p.setAttribute('elementtiming', 'paragraph');
  };
  new MutationObserver(records => {
    tag();
    const now = performance.now();
    for (const r of records) {
      if (r.type !== 'attributes') continue;
      const el = r.target;
      if (r.attributeName === 'data-lw-runtime' && el.dataset.lwRuntime === 'ready'
          && bench.runtimeReady === null) bench.runtimeReady = now;
      if (r.attributeName === 'data-lw-state' && el.dataset.lwState === 'ready'
          && workerKinds.has(el.dataset.lwKind) && bench.firstWidgetReady === null)
        bench.firstWidgetReady = now;
    }
  }).observe(document, {subtree: true, childList: true, attributes: true,
                        attributeFilter: ['data-lw-state', 'data-lw-runtime']});
})();
""" % json.dumps(list(WORKER_KINDS))

# One timed control change: from dispatching the change to the frame after the widget
# counts a redraw (the chart's DOM is updated by then; that frame paints it).
CHANGE_AND_TIME = """([el, name, value]) => new Promise((resolve, reject) => {
    const field = el.querySelector(`form.lw-controls [name="${name}"]`);
    const before = Number(el.dataset.lwRenders || 0);
    const timer = setTimeout(() => reject(new Error('no redraw within 60 s; status: '
        + (el.querySelector('.lw-status')?.textContent || ''))), 60000);
    const observer = new MutationObserver(() => {
        if (Number(el.dataset.lwRenders || 0) <= before) return;
        observer.disconnect();
        requestAnimationFrame(() => { clearTimeout(timer); resolve(performance.now() - start); });
    });
    observer.observe(el, {attributes: true, attributeFilter: ['data-lw-renders']});
    const start = performance.now();
    field.value = String(value);
    field.dispatchEvent(new Event('input', {bubbles: true}));
    field.dispatchEvent(new Event('change', {bubbles: true}));
})"""

# Timed inside Pyodide by Python's own clock, in the site's worker, through a code cell.
PYODIDE_TIMING = """import json, time
from gradflow import simulate, figures
simulate()  # the first call pays for imports; the figure is about steady state
def timed(fn, repeats):
    out = []
    for _ in range(repeats):
        start = time.perf_counter(); fn(); out.append(time.perf_counter() - start)
    return out
print(json.dumps({"simulate": timed(simulate, %d),
                  "depth1000": timed(lambda: figures.gradient_figure(
                      [simulate(depth=1000, activation="sigmoid")]), 3)}))"""

BUDGETS = {
    "lesson text readable": (0.5, "s"),
    "first widget interactive, cold cache": (3.0, "s"),
    "first widget interactive, warm cache": (1.5, "s"),
    "control change to chart, defaults, p95": (100, "ms"),
    "transfer before interaction, per lesson": (1.5, "MB"),
    "Pyodide / CPython, default simulate": (4.0, "x"),
    "digits training": (3.0, "s"),
    "full build": (180, "s"),
    "rebuild with nothing changed": (30, "s"),
}


@dataclass
class Figure:
    name: str
    unit: str
    how: str
    samples: list[float] = field(default_factory=list)
    note: str = ""
    failures: int = 0

    def add(self, value: float | None) -> None:
        if value is not None:
            self.samples.append(value)


class Results:
    def __init__(self) -> None:
        self.figures: dict[str, Figure] = {}
        # Per lesson, the biggest files fetched before any interaction (what to shrink).
        self.largest: dict[str, list[tuple[int, str]]] = {}
        # Per digits widget, the states each run streamed to the page (its chunks).
        self.streamed: dict[str, list[int]] = {}
        self.digits_settings: dict[str, dict] = {}
        # The start-up snapshot's download and that of the wheels it replaces (bytes).
        self.snapshot_bytes = 0
        self.wheel_bytes = 0

    def figure(self, name: str, unit: str, how: str) -> Figure:
        if name not in self.figures:
            self.figures[name] = Figure(name, unit, how)
        return self.figures[name]

    def rows(self) -> list[dict]:
        rows = []
        for f in self.figures.values():
            row = {"figure": f.name, "unit": f.unit, "n": len(f.samples), "how": f.how,
                   "note": f.note}
            if f.samples:
                row.update(median=statistics.median(f.samples), min=min(f.samples),
                           max=max(f.samples))
            budget = next((b for key, b in BUDGETS.items() if f.name.startswith(key)), None)
            if budget and f.samples:
                limit, unit = budget
                row["budget"] = f"{limit:g} {unit}"
                row["met"] = row["median"] <= limit
            rows.append(row)
        return rows


def first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:160]


def note_failure(error: BaseException, *figures: Figure,
                 what: str = "without a redraw") -> None:
    """Count runs in which the widget never redrew (or never finished), and keep the
    first reason."""
    for figure in figures:
        figure.failures += 1
        figure.note = f"{figure.failures} run(s) {what}: {first_line(error)}"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


# --- one visit ------------------------------------------------------------------------

@dataclass
class Visit:
    fcp: float | None
    text: float | None
    first_widget: float | None
    runtime: float | None


def visit(context: BrowserContext, url: str) -> tuple[Page, Visit]:
    page = context.new_page()
    page.goto(url, wait_until="load")
    has_live = page.locator(", ".join(
        f'.lw-widget[data-lw-kind="{k}"]' for k in WORKER_KINDS)).count() > 0
    if has_live:
        wait_runtime(page)
        page.wait_for_function("() => window.__bench.firstWidgetReady !== null",
                               timeout=120_000)
    page.wait_for_function("() => 'paragraph' in window.__bench.text "
                           "|| !document.querySelector('[elementtiming=paragraph]')")
    data = page.evaluate("""() => ({
        fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
        text: window.__bench.text, first: window.__bench.firstWidgetReady,
        runtime: window.__bench.runtimeReady})""")
    painted = [t for t in data["text"].values() if t]
    return page, Visit(
        fcp=_seconds(data["fcp"]), text=_seconds(max(painted)) if painted else None,
        first_widget=_seconds(data["first"]), runtime=_seconds(data["runtime"]))


def _seconds(milliseconds: float | None) -> float | None:
    return None if milliseconds is None else milliseconds / 1000


def wait_for_service_worker(page: Page) -> None:
    """Let the service worker finish installing so the warm visit can use its cache."""
    page.evaluate("""() => !navigator.serviceWorker ? null : Promise.race([
        navigator.serviceWorker.ready, new Promise(r => setTimeout(r, 15000))])""")


def transferred_bytes(requests: list[Request], site_dir: Path) -> dict[str, float]:
    raw = {"page": 0, "pyodide": 0}
    gzipped = {"page": 0, "pyodide": 0}
    files: list[tuple[int, str]] = []
    for request in requests:
        response = request.response()
        if response is None:
            continue
        sizes = request.sizes()
        part = "pyodide" if PYODIDE_PATH in request.url else "page"
        raw[part] += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        if part == "page":
            files.append((sizes["responseBodySize"], urlsplit(request.url).path))
        gzipped[part] += _gzip_size(request.url, site_dir, sizes["responseBodySize"]) \
            + sizes["responseHeadersSize"]
    return {"page": raw["page"], "total": raw["page"] + raw["pyodide"],
            "page_gzip": gzipped["page"], "total_gzip": gzipped["page"] + gzipped["pyodide"],
            "largest": sorted(files, reverse=True)[:6]}


def _gzip_size(url: str, site_dir: Path, body: int) -> int:
    """What a gzip-compressing static host would send for this file's body."""
    path = urlsplit(url).path
    local = site_dir / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))
    if local.suffix not in COMPRESSIBLE or not local.is_file():
        return body
    return len(gzip.compress(local.read_bytes(), compresslevel=6))


# --- control latency --------------------------------------------------------------------

def latency_widget(page: Page) -> tuple[Locator, dict] | None:
    """The page's first chart widget with a depth control (what lessons vary most)."""
    views = page.locator('.lw-widget[data-lw-kind="view"]')
    for index in range(views.count()):
        widget = views.nth(index)
        initial = initial_data(widget)
        spec = next((c for c in initial["controls"] if c["name"] == "depth"), None)
        if spec:
            return widget, spec
    return None


def control_latencies(widget: Locator, spec: dict, depth: int) -> list[float]:
    """Alternate depth between `depth` and its neighbour; milliseconds per redraw."""
    wait_state(widget, "ready")
    commit_prediction(widget)
    neighbour = depth - 1 if depth - 1 >= spec["min"] else depth + 1
    handle = widget.element_handle()
    if int(widget.locator('[name="depth"]').first.input_value()) != depth:
        widget.page.evaluate(CHANGE_AND_TIME, [handle, "depth", depth])
    times = []
    for index in range(LATENCY_CHANGES):
        value = neighbour if index % 2 == 0 else depth
        times.append(widget.page.evaluate(CHANGE_AND_TIME, [handle, "depth", value]))
    return times


# --- start-up: what a reader waits for (issue 13) -------------------------------------

COLD_LESSON = "lessons/03-crisis-before-2015.html"
NEXT_LESSON = "lessons/05-residual-idea.html"  # the next lesson with a gradient chart
FLOOR_PAGE = "_bench/floor.html"  # served by a route, never written into the site

# From `start` (ms on the page's clock) to the frame after the first gradient chart with a
# depth control redraws for a depth change made the moment its controls are enabled,
# with its predict prompt answered first, as a reader would.
FIRST_REDRAW = r"""
(() => {
  const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
  const bench = window.__lwBench = {
    async redraw(start) {
      for (;;) {
        const widget = [...document.querySelectorAll('.lw-widget[data-lw-kind="view"]')]
          .find(el => el.querySelector('form.lw-controls [name="depth"]'));
        if (widget && widget.dataset.lwPredict === 'pending') {
          const choice = widget.querySelector('fieldset.lw-predict input[type="radio"]');
          if (choice) choice.checked = true;
          widget.querySelector('[data-lw-action="show-result"]')?.click();
        }
        if (widget && widget.dataset.lwState === 'ready' && widget.dataset.lwPredict !== 'pending') {
          const field = widget.querySelector('form.lw-controls [name="depth"]');
          const value = Number(field.value);
          const before = Number(widget.dataset.lwRenders || 0);
          field.value = String(value > Number(field.min || 1) ? value - 1 : value + 1);
          field.dispatchEvent(new Event('input', {bubbles: true}));
          field.dispatchEvent(new Event('change', {bubbles: true}));
          while (Number(widget.dataset.lwRenders || 0) <= before) {
            if (widget.dataset.lwState === 'error') throw new Error(
              widget.querySelector('.lw-status')?.textContent || 'widget error');
            await frame();
          }
          await frame();
          return performance.now() - start;
        }
        await frame();
      }
    },
  };
  document.addEventListener('DOMContentLoaded', () => { bench.cold = bench.redraw(0); });
})();
"""

# Pyodide and numpy in a worker and one numpy sum, nothing else: the runtime's own floor.
FLOOR_HTML = """<!doctype html><meta charset="utf-8"><title>floor</title><script>
const dir = new URL("../_static/pyodide/", location.href).href;
const source = `importScripts(${JSON.stringify(dir)} + "pyodide.js");
loadPyodide({indexURL: ${JSON.stringify(dir)}})
  .then(py => py.loadPackage("numpy").then(() => py.runPython("import numpy; int(numpy.arange(10).sum())")))
  .then(sum => postMessage({sum}), error => postMessage({error: String(error)}));`;
const worker = new Worker(URL.createObjectURL(new Blob([source], {type: "text/javascript"})));
window.__floor = new Promise((resolve, reject) => { worker.onmessage = event =>
  event.data.error ? reject(new Error(event.data.error)) : resolve(performance.now()); });
</script>"""

STARTUP_FIGURES = {
    "floor": "bare runtime floor: Pyodide + numpy in a worker, one numpy sum",
    "cold": "lesson 3 cold: first live redraw",
    "swap": "lesson 5 after an article swap from lesson 3",
    "full": "lesson 5 by a full navigation from lesson 3",
    "repeat": "lesson 3 repeat visit, full load, same profile, no snapshot",
    "snapshot": "lesson 3 repeat visit with the snapshot cached (full load, same profile)",
    "fcp": "first contentful paint, lesson 3 cold",
}
# Inside the worker (worker/snapshot-start.mjs): reading, checking and gunzipping the
# cached files, then the restore itself (with its numpy smoke check), in seconds.
SNAPSHOT_MEASURES = {"lw-snapshot-read": "snapshot read from the cache, checked, gunzipped",
                     "lw-snapshot-restore": "snapshot restore in the worker"}
SNAPSHOT_URLS = "**/_static/pyodide-snapshot/**"
# Waits until the service worker has cached this deployment's snapshot, whole.
WAIT_SNAPSHOT_CACHED = """async (timeout) => {
    const script = document.querySelector('script[src*="live-widgets.js"]');
    const manifest = await (await fetch(new URL('asset-manifest.json', script.src).href,
                                        {cache: 'no-cache'})).json();
    const files = Object.entries(manifest.files)
        .filter(([path]) => path.startsWith('pyodide-snapshot/'));
    navigator.serviceWorker.controller?.postMessage({type: 'cache-snapshot'});
    for (const end = performance.now() + timeout; performance.now() < end;) {
        let whole = files.length > 0;
        for (const [path, info] of files) {
            const cached = await caches.match(new URL(path, script.src).href);
            if (!cached || (await cached.arrayBuffer()).byteLength !== info.bytes) whole = false;
        }
        if (whole) return true;
        await new Promise(resolve => setTimeout(resolve, 250));
    }
    return false;
}"""


def _profile_context(playwright: Playwright, profile: Path) -> BrowserContext:
    """A browser on a fresh on-disk profile: disk HTTP cache and wasm code cache work as
    for a returning reader (an incognito context keeps neither)."""
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
        viewport={"width": 1280, "height": 900})
    context.add_init_script(FIRST_REDRAW)
    return context


def snapshot_bytes(site_dir: Path) -> tuple[int, int]:
    """The start-up snapshot's download (gzip files and meta.json; 0 when this build has
    none) and that of the wheels it replaces, from the manifest."""
    manifest = json.loads((site_dir / "_static" / MANIFEST_NAME).read_text("utf-8"))
    files = manifest.get("files", {})
    return (sum(entry["bytes"] for path, entry in files.items()
                if path.startswith("pyodide-snapshot/")),
            sum(entry["bytes"] for path, entry in files.items()
                if path.startswith("pyodide/") and path.endswith(".whl")))


def _worker_measures(page: Page) -> dict[str, float]:
    """The snapshot's performance measures inside the page's Python worker, in seconds."""
    for worker in page.workers:
        if worker.url.endswith("live-widgets-worker.js"):
            found = worker.evaluate("""(names) => Object.fromEntries(names.map(name =>
                [name, performance.getEntriesByName(name)[0]?.duration ?? null]))""",
                                    list(SNAPSHOT_MEASURES))
            return {name: ms / 1000 for name, ms in found.items() if ms is not None}
    return {}


def startup_run(playwright: Playwright, server: SiteServer, scratch: Path) -> dict[str, Any]:
    """One run of every start-up figure, in seconds, each on its own fresh profile."""
    found: dict[str, Any] = {}
    floor_profile, swap_profile, full_profile = (scratch / name for name in ("f", "s", "n"))
    context = _profile_context(playwright, floor_profile)
    context.route(f"**/{FLOOR_PAGE}", lambda route: route.fulfill(
        content_type="text/html", body=FLOOR_HTML))
    page = context.new_page()
    page.goto(server.url(FLOOR_PAGE))
    found["floor"] = page.evaluate("() => window.__floor") / 1000
    context.close()

    context = _profile_context(playwright, swap_profile)
    page = context.new_page()
    page.goto(server.url(COLD_LESSON))
    found["cold"] = page.evaluate("() => window.__lwBench.cold") / 1000
    found["fcp"] = page.evaluate("""() => performance.getEntriesByName(
        'first-contentful-paint')[0]?.startTime ?? NaN""") / 1000
    found["swap"] = page.evaluate("""(href) => new Promise((resolve, reject) => {
        const start = performance.now();
        document.addEventListener('lw:navigated',
            () => window.__lwBench.redraw(start).then(resolve, reject), {once: true});
        document.querySelector(`nav.bd-docs-nav a[href$="${href}"]`).click();
    })""", NEXT_LESSON.rsplit("/", 1)[-1]) / 1000
    context.close()

    context = _profile_context(playwright, full_profile)
    has_snapshot = snapshot_bytes(server.site_dir)[0] > 0
    # No snapshot until the figures without one are taken (their meaning stays that of
    # issue 13's table); the service worker's download of it fails meanwhile.
    context.route(SNAPSHOT_URLS, lambda route: route.abort())
    page = context.new_page()
    page.goto(server.url(COLD_LESSON))
    page.evaluate("() => window.__lwBench.cold")
    wait_for_service_worker(page)
    page.goto(server.url(NEXT_LESSON))
    found["full"] = page.evaluate("() => window.__lwBench.cold") / 1000
    page.goto(server.url(COLD_LESSON))
    found["repeat"] = page.evaluate("() => window.__lwBench.cold") / 1000
    found["repeat path"] = page.evaluate("() => document.documentElement.dataset.lwStart")
    if has_snapshot:
        context.unroute(SNAPSHOT_URLS)
        if not page.evaluate(WAIT_SNAPSHOT_CACHED, 120_000):
            raise RuntimeError("the service worker did not cache the snapshot in 120 s")
        page.goto(server.url(COLD_LESSON))
        found["snapshot"] = page.evaluate("() => window.__lwBench.cold") / 1000
        found["snapshot path"] = page.evaluate("() => document.documentElement.dataset.lwStart")
        found.update(_worker_measures(page))
    context.close()
    return found


def bench_startup(playwright: Playwright, server: SiteServer, runs: int,
                  results: Results) -> None:
    """Every start-up figure, `runs` times, with each run's ratio to that run's floor."""
    how = ("navigation (or the click, for the swap) to the frame after the first gradient "
           "chart redraws for a depth change, prompt answered first; fresh on-disk profile")
    results.snapshot_bytes, results.wheel_bytes = snapshot_bytes(server.site_dir)
    for run in range(runs):
        scratch = Path(tempfile.mkdtemp(prefix="bench-startup-"))
        try:
            found = startup_run(playwright, server, scratch)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        for key, name in STARTUP_FIGURES.items():
            if key not in found:
                continue
            figure = results.figure(f"start-up: {name}", "s",
                                    "PerformanceObserver 'paint'" if key == "fcp" else how)
            figure.add(found[key])
            wanted = {"repeat": "normal", "snapshot": "snapshot"}.get(key)
            if wanted and found.get(f"{key} path") != wanted:
                figure.failures += 1
                figure.note = (f"{figure.failures} run(s) started Python the wrong way "
                               f"(data-lw-start {found.get(f'{key} path')!r}, not {wanted!r})")
            if key not in ("floor", "fcp"):
                results.figure(f"start-up ratio to the floor: {name}", "x",
                               "each run over the same run's floor").add(
                    found[key] / found["floor"])
        for name, label in SNAPSHOT_MEASURES.items():
            if name in found:
                results.figure(f"start-up: {label}", "s",
                               f"performance.measure '{name}' in the worker").add(found[name])
        print(f"bench_site: start-up run {run + 1}/{runs} done", file=sys.stderr)


def print_startup(results: Results) -> None:
    runs = 0
    print(f"{'start-up (issue 13)':<62} {'median':>8} {'min':>8} {'max':>8}   {'x floor':>17}")
    for key, name in STARTUP_FIGURES.items():
        figure = results.figures.get(f"start-up: {name}")
        if not figure or not figure.samples:
            continue
        samples = figure.samples
        runs = max(runs, len(samples))
        line = (f"{name[:62]:<62} {statistics.median(samples):>7.2f}s {min(samples):>7.2f}s "
                f"{max(samples):>7.2f}s")
        ratio = results.figures.get(f"start-up ratio to the floor: {name}")
        if ratio and ratio.samples:
            line += (f"   {statistics.median(ratio.samples):.2f} "
                     f"({min(ratio.samples):.2f}-{max(ratio.samples):.2f})")
        print(line)
        if figure.note:
            print(f"    {figure.note}")
    for label in SNAPSHOT_MEASURES.values():
        figure = results.figures.get(f"start-up: {label}")
        if figure and figure.samples:
            print(f"{'  of which ' + label:<62} {statistics.median(figure.samples):>7.2f}s "
                  f"{min(figure.samples):>7.2f}s {max(figure.samples):>7.2f}s")
    print(f"({runs} runs; ratios are each run over the same run's floor)")
    print_snapshot_payoff(results)
    print()


def print_snapshot_payoff(results: Results) -> None:
    """The snapshot's download against the time it saves: above what link speed fetching
    it on a first visit would pay (today it is fetched only for later visits)."""
    size = results.snapshot_bytes
    if not size:
        print("start-up snapshot: none in this build")
        return
    repeat = results.figures.get(f"start-up: {STARTUP_FIGURES['repeat']}")
    snapshot = results.figures.get(f"start-up: {STARTUP_FIGURES['snapshot']}")
    print(f"start-up snapshot download: {size / MB:.1f} MB (meta.json and the two .gz files)")
    if not (repeat and snapshot and repeat.samples and snapshot.samples):
        return
    saved = statistics.median(repeat.samples) - statistics.median(snapshot.samples)
    if saved <= 0:
        print(f"  it saved no time here ({saved:+.2f} s, repeat visit without it minus with it)")
        return
    extra = size - results.wheel_bytes
    print(f"  saves {saved:.2f} s (medians: lesson 3 repeat visit without it minus with it); "
          f"on a first visit it would replace the wheels ({results.wheel_bytes / MB:.1f} MB), "
          f"so it adds {extra / MB:.1f} MB and fetching it then pays only above "
          f"{extra * 8 / saved / 1e6:.0f} Mbit/s (the extra bytes over the time saved)")


# --- the digits widgets: a training run as the reader waits for it (issue 14) ---------

# (lesson, widget id): the streamed trainers that train on the handwritten digits
DIGITS_WIDGETS = (("lessons/01-promise-of-depth.html", "digits-what-layers-learn"),
                  ("lessons/02-vanishing-gradients.html", "nielsen-speeds"))
# Starts after the first, on the same page. The first can be slower: whatever the worker
# has not yet imported or warmed up when Start is pressed is paid in its first chunk (the
# worker warms gradflow.views and numpy's random module up once live Python is ready), and
# the chunk sizes are fitted to the chunks timed so far (js/worker/race.mjs nextChunkSize).
DIGITS_LATER_RUNS = 2

# From clicking Start to the frame after the widget settles back to ready with its step
# at the total (race-widget.mjs sets data-lw-state=ready once the final state is drawn).
# Also counts the states streamed before it (data-lw-step changes: one per chunk drawn).
START_TO_FINISH = """(el) => new Promise((resolve, reject) => {
    let streamed = 0;
    const timer = setTimeout(() => { observer.disconnect();
        reject(new Error('not finished within 120 s; status: '
                         + (el.querySelector('.lw-status')?.textContent || ''))); }, 120000);
    const observer = new MutationObserver(records => {
        streamed += records.filter(r => r.attributeName === 'data-lw-step').length;
        if (el.dataset.lwState === 'error') {
            observer.disconnect(); clearTimeout(timer);
            reject(new Error(el.querySelector('.lw-status')?.textContent || 'widget error'));
        } else if (el.dataset.lwState === 'ready'
                   && records.some(r => r.attributeName === 'data-lw-state')) {
            observer.disconnect();
            if (el.dataset.lwStep !== el.dataset.lwSteps) { clearTimeout(timer); reject(new Error(
                `stopped at step ${el.dataset.lwStep} of ${el.dataset.lwSteps}`)); return; }
            requestAnimationFrame(() => { clearTimeout(timer);
                resolve({ms: performance.now() - start, streamed}); });
        }
    });
    observer.observe(el, {attributes: true, attributeFilter: ['data-lw-state', 'data-lw-step']});
    const start = performance.now();
    el.querySelector('[data-lw-action="start"]').click();
})"""


def training_run(widget: Locator) -> tuple[float, int]:
    """Seconds from Start to the finished run drawn, and the states streamed meanwhile."""
    wait_state(widget, "ready")
    found = widget.page.evaluate(START_TO_FINISH, widget.element_handle())
    return found["ms"] / 1000, found["streamed"]


def bench_digits(context_factory, server: SiteServer, runs: int, results: Results) -> None:
    """Each digits widget at its lesson's defaults: per run a freshly opened page, its
    prompt answered and its chart drawn, then Start 1 + DIGITS_LATER_RUNS times."""
    how = ("click on Start (live Python ready, prompt answered, chart drawn) to the frame "
           "after the finished run is drawn, at the lesson's defaults")
    for run in range(runs):
        for lesson, widget_id in DIGITS_WIDGETS:
            context = context_factory()
            page = context.new_page()
            page.goto(server.url(lesson))
            widget = page.locator(f"#{widget_id}")
            key = f"#{widget_id}"
            first = results.figure(f"digits training, page's first run: {key}", "s",
                                   f"{how}; the first Start on a freshly opened page")
            later = results.figure(f"digits training, later runs: {key}", "s",
                                   f"{how}; the {DIGITS_LATER_RUNS} Starts after the "
                                   "first, same page")
            streamed = results.streamed.setdefault(key, [])
            try:
                wait_runtime(page)
                commit_prediction(widget)
                wait_chart_drawn(widget)
                results.digits_settings[key] = initial_data(widget)["settings"]
                seconds, states = training_run(widget)
                first.add(seconds)
                streamed.append(states)
                for _ in range(DIGITS_LATER_RUNS):
                    seconds, states = training_run(widget)
                    later.add(seconds)
                    streamed.append(states)
            except Exception as error:  # a broken widget is a finding, not a crash
                note_failure(error, first, later, what="not finished")
            context.close()
        print(f"bench_site: digits run {run + 1}/{runs} done", file=sys.stderr)


def print_digits(results: Results) -> None:
    goal, _unit = BUDGETS["digits training"]
    print(f"{'digits widgets, Start to finished (issue 14)':<62} {'median':>8} {'min':>8} "
          f"{'max':>8}  {'n':>3}   goal")
    for figure in results.figures.values():
        if not figure.name.startswith("digits training, "):
            continue
        name = figure.name.removeprefix("digits training, ")
        samples = figure.samples
        if samples:
            print(f"{name[:62]:<62} {statistics.median(samples):>7.2f}s {min(samples):>7.2f}s "
                  f"{max(samples):>7.2f}s  {len(samples):>3}   {goal:g} s"
                  + ("" if statistics.median(samples) <= goal else "  (over)"))
        else:
            print(f"{name[:62]:<62} {'-':>8} {'-':>8} {'-':>8}  {0:>3}   {goal:g} s")
        if figure.note:
            print(f"    {figure.note}")
    for key, counts in results.streamed.items():
        if counts:
            print(f"  {key} at {results.digits_settings.get(key)}: states streamed per run, "
                  f"each page's first run then its later ones: {counts}")
    print()


# --- the benchmark ----------------------------------------------------------------------

def bench_lessons(context_factory, server: SiteServer, lessons: list[str], runs: int,
                  results: Results) -> None:
    fcp = results.figure("first contentful paint (all lessons)", "s",
                         "PerformanceObserver 'paint', cold cache")
    for run in range(runs):
        for lesson in lessons:
            context = context_factory()
            requests: list[Request] = []
            context.on("requestfinished", lambda request: requests.append(request))
            page, cold = visit(context, server.url(lesson))
            fcp.add(cold.fcp)
            results.figure(f"lesson text readable: {lesson}", "s",
                           "Element Timing of the first heading and paragraph").add(cold.text)
            sizes = transferred_bytes(requests, server.site_dir)
            if run == 0:
                results.largest[lesson] = sizes["largest"]
            results.figure(f"transfer before interaction, per lesson: {lesson}", "MB",
                           "requests before any input, Pyodide files excluded, as served "
                           "(no compression)").add(sizes["page"] / MB)
            results.figure(f"  same, gzip as GitHub Pages sends it: {lesson}", "MB",
                           "estimated: text files gzip -6").add(sizes["page_gzip"] / MB)
            if cold.first_widget is None:
                results.figure(f"first widget interactive: {lesson}", "s",
                               "").note = "no live widget on this page"
                context.close()
                continue
            results.figure(f"total transfer once Pyodide loaded: {lesson}", "MB",
                           "all requests until the runtime is ready, as served").add(
                sizes["total"] / MB)
            results.figure(f"first widget interactive, cold cache: {lesson}", "s",
                           "navigation start to first widget data-lw-state=ready, "
                           "fresh context").add(cold.first_widget)
            wait_for_service_worker(page)
            page.close()
            page, warm = visit(context, server.url(lesson))
            results.figure(f"first widget interactive, warm cache: {lesson}", "s",
                           "same, second visit (HTTP cache + service worker)").add(
                warm.first_widget)
            found = latency_widget(page)
            if found:
                widget, spec = found
                default_depth = initial_data(widget)["settings"]["depth"]
                how = (f"{LATENCY_CHANGES} depth changes per run around the default "
                       f"({default_depth}) of #{widget.get_attribute('id')}, dispatch to "
                       "the frame after the redraw")
                p50 = results.figure(f"control change to chart, defaults, p50: {lesson}",
                                     "ms", how)
                p95 = results.figure(f"control change to chart, defaults, p95: {lesson}",
                                     "ms", how)
                try:
                    times = control_latencies(widget, spec, default_depth)
                except Exception as error:  # a broken widget is a finding, not a crash
                    note_failure(error, p50, p95)
                else:
                    p50.add(percentile(times, 0.5))
                    p95.add(percentile(times, 0.95))
            context.close()
        print(f"bench_site: lesson run {run + 1}/{runs} done", file=sys.stderr)


def bench_demo(context_factory, server: SiteServer, runs: int, results: Results) -> None:
    """Depth 200 latency and the Pyodide/CPython ratio, on the demonstration page."""
    for _ in range(runs):
        context = context_factory()
        page, _visit = visit(context, server.url("book/demo.html"))
        found = latency_widget(page)
        if found:
            widget, spec = found
            how = (f"{LATENCY_CHANGES} changes per run between depth 200 and 199 on "
                   f"#{widget.get_attribute('id')}")
            p50 = results.figure("control change to chart at depth 200, p50", "ms", how)
            p95 = results.figure("control change to chart at depth 200, p95", "ms", how)
            try:
                times = control_latencies(widget, spec, min(200, spec["max"]))
            except Exception as error:  # a broken widget is a finding, not a crash
                note_failure(error, p50, p95)
            else:
                p50.add(percentile(times, 0.5))
                p95.add(percentile(times, 0.95))
        cell = top_level_cells(page).first
        wait_state(cell, "ready")
        run_cell(cell, PYODIDE_TIMING % 1)
        timings = json.loads(output_text(cell, "stdout").strip().splitlines()[-1])
        results.figure("gradflow simulate() defaults in Pyodide", "ms",
                       "time.perf_counter() inside the site's worker (a code cell)").add(
            timings["simulate"][0] * 1000)
        for seconds in timings["depth1000"]:
            results.figure("depth 1000 compute in Pyodide (simulate + figure)", "ms",
                           "in the worker via a code cell: the widget's depth control "
                           "stops at 200, so no redraw at 1000 exists").add(seconds * 1000)
        context.close()


def bench_cpython(runs: int, results: Results) -> None:
    from gradflow import figures, simulate

    simulate()
    for _ in range(max(runs, 5)):
        start = time.perf_counter()
        simulate()
        results.figure("gradflow simulate() defaults in CPython", "ms",
                       "time.perf_counter(), this process").add(
            (time.perf_counter() - start) * 1000)
    for _ in range(3):
        start = time.perf_counter()
        figures.gradient_figure([simulate(depth=1000, activation="sigmoid")])
        results.figure("depth 1000 compute in CPython (simulate + figure)", "ms",
                       "time.perf_counter(), this process").add(
            (time.perf_counter() - start) * 1000)


def add_ratio(results: Results) -> None:
    pyodide = results.figures.get("gradflow simulate() defaults in Pyodide")
    cpython = results.figures.get("gradflow simulate() defaults in CPython")
    if pyodide and cpython and pyodide.samples and cpython.samples:
        base = statistics.median(cpython.samples)
        ratio = results.figure("Pyodide / CPython, default simulate", "x",
                               "each Pyodide run over the CPython median")
        for sample in pyodide.samples:
            ratio.add(sample / base)


def bench_build(runs: int, results: Results) -> None:
    """Full build and no-change rebuild, into a scratch folder (the site stays as is)."""
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    with tempfile.TemporaryDirectory(prefix="bench-build-") as scratch:
        base = [str(jupyter_book), "build", ".", "--builder", "html", "-W", "--keep-going",
                "--path-output", scratch]
        how = ("wall clock around `jupyter-book build . -W --keep-going` (the flags of "
               "build/build_book.py) into a scratch --path-output")
        for _ in range(runs):
            for name, extra in (("full build", ["--all"]),
                                ("rebuild with nothing changed", [])):
                start = time.monotonic()
                done = subprocess.run(base + extra, cwd=ROOT, capture_output=True, text=True)
                seconds = time.monotonic() - start
                figure = results.figure(name, "s", how)
                if done.returncode != 0:
                    figure.note = f"build failed: {done.stderr.strip().splitlines()[-1:]}"
                    return
                figure.add(seconds)


def print_table(rows: list[dict]) -> None:
    header = f"{'figure':<70} {'median':>9} {'min':>9} {'max':>9} {'n':>3}  {'budget':<9} met"
    print(header)
    print("-" * len(header))
    for row in rows:
        if "median" in row:
            numbers = f"{row['median']:>9.3f} {row['min']:>9.3f} {row['max']:>9.3f}"
        else:
            numbers = f"{'-':>9} {'-':>9} {'-':>9}"
        met = "" if "met" not in row else ("yes" if row["met"] else "NO")
        label = f"{row['figure']} [{row['unit']}]"
        print(f"{label[:70]:<70} {numbers} {row['n']:>3}  {row.get('budget', ''):<9} {met}")
    print("\nHow each figure was measured:")
    for how in dict.fromkeys(f"{r['figure'].split(':')[0].strip()}: {r['how']}"
                             + (f" ({r['note']})" if r["note"] else "") for r in rows):
        print(f"  - {how}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5,
                        help="runs of each figure (>= 5; >= 1 with --only-digits)")
    parser.add_argument("--build-timing", action="store_true",
                        help="also time a full build and a no-change rebuild (slow)")
    parser.add_argument("--build-runs", type=int, default=1,
                        help="builds to time with --build-timing (each takes minutes)")
    parser.add_argument("--lessons", nargs="*", help="lesson pages (default: all)")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    parser.add_argument("--startup-runs", type=int, default=3,
                        help="runs of the start-up figures (each launches three browsers)")
    parser.add_argument("--only-startup", action="store_true",
                        help="measure only the start-up figures (issue 13)")
    parser.add_argument("--only-digits", action="store_true",
                        help="measure only the digits widgets' training runs (issue 14)")
    args = parser.parse_args(argv)
    if args.only_startup and args.only_digits:
        parser.error("--only-startup and --only-digits exclude each other")
    if args.startup_runs < 1:
        parser.error("--startup-runs must be at least 1")
    if args.only_digits and args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.runs < 5 and not args.only_digits:
        parser.error("--runs must be at least 5 (issue 6 asks for five runs of each)")
    results = Results()
    try:
        server = SiteServer()
    except FileNotFoundError as error:
        print(f"bench_site: {error}", file=sys.stderr)
        return 1
    lessons = args.lessons or [p for p in site_pages(server.site_dir)
                               if p.startswith("lessons/")]
    with server, sync_playwright() as playwright:
        if not args.only_digits:
            bench_startup(playwright, server, args.startup_runs, results)
        if args.only_startup:
            print_startup(results)
            if args.json:
                args.json.write_text(json.dumps(results.rows(), indent=2))
            return 0
        browser = launch_chromium(playwright)

        def context_factory() -> BrowserContext:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.add_init_script(INSTRUMENT)
            return context

        if not args.only_digits:
            bench_lessons(context_factory, server, lessons, args.runs, results)
            bench_demo(context_factory, server, args.runs, results)
        bench_digits(context_factory, server, args.runs, results)
        browser.close()
    if args.only_digits:
        print_digits(results)
        print_table(results.rows())
        if args.json:
            args.json.write_text(json.dumps(results.rows(), indent=2))
        return 0
    bench_cpython(args.runs, results)
    add_ratio(results)
    if args.build_timing:
        bench_build(args.build_runs, results)
    else:
        for name in ("full build", "rebuild with nothing changed"):
            results.figure(name, "s", "not measured").note = "run with --build-timing"
    rows = results.rows()
    print_startup(results)
    print_digits(results)
    print_table(rows)
    for lesson, files in results.largest.items():
        print(f"\nLargest files before interaction on {lesson} (bytes as served):")
        for size, path in files:
            print(f"  {size:>10,}  {path}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
