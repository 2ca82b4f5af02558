"""The start-up snapshot in the browser (issue 13, item 3): a first visit starts Python the
normal way and the service worker then caches the snapshot; a later visit restores it and
computes exactly what the normal start computes; a damaged snapshot, or one whose restore
fails, falls back to the normal start with one console line; Stop still works after a
snapshot start.

Each test uses its own on-disk profile (the service worker's Cache Storage must survive a
reload, as it does for a returning reader).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from chromium_launch import CHROMIUM, CHROMIUM_ARGS
from conftest import DESKTOP
from live_page import (RUNTIME_TIMEOUT_MS, action, commit_prediction, initial_data,
                       output_text, run_cell, set_control, another_value, set_editor_code,
                       top_level_cells, wait_renders_above, wait_runtime, wait_state, renders)
from page_guard import PageGuard
from site_server import SITE_DIR, SiteServer

LESSON = "lessons/02-vanishing-gradients.html"  # a depth chart and a code cell
SNAPSHOT_FILES = ("meta.json", "heap.bin.gz", "files.bin.gz")
FALLBACK_LINE = "started without the start-up snapshot"
# numpy and gradflow both: a restore that broke either changes this output
CELL_CODE = """import numpy as np
from gradflow import simulate
r = simulate(depth=25, activation="tanh", seed=4)
g = np.asarray(r.weight_grad_norms, dtype=float)
print(len(g), f"{g[0]:.6e}", f"{g[-1]:.6e}", f"{float(np.std(np.random.default_rng(11).standard_normal(1000))):.9f}")"""

# Where the page finds the snapshot and what this deployment's manifest says about it.
_SNAPSHOT_STATE = """async () => {
    const script = document.querySelector('script[src*="live-widgets.js"]');
    const dir = new URL('pyodide-snapshot/', script.src).href;
    const manifest = await (await fetch(new URL('asset-manifest.json', script.src).href,
                                        {cache: 'no-cache'})).json();
    const files = {};
    for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const file of %s) {
            const cached = await cache.match(dir + file);
            if (cached) files[file] = {cache: name, bytes: (await cached.arrayBuffer()).byteLength};
        }
    }
    const listed = {};
    for (const file of %s) listed[file] = manifest.files['pyodide-snapshot/' + file] || null;
    return {dir, files, listed};
}""" % (json.dumps(SNAPSHOT_FILES), json.dumps(SNAPSHOT_FILES))


def _manifest_lists_snapshot() -> bool:
    manifest = SITE_DIR / "_static" / "asset-manifest.json"
    if not manifest.is_file():
        return True  # unbuilt: the server fixture says "run make book"
    files = json.loads(manifest.read_text("utf-8")).get("files", {})
    return all(f"pyodide-snapshot/{file}" in files for file in SNAPSHOT_FILES)


pytestmark = pytest.mark.skipif(
    not _manifest_lists_snapshot(),
    reason="this build has no start-up snapshot (asset-manifest.json lists no pyodide-snapshot/)")


@pytest.fixture
def profile(browser: Browser, guard: PageGuard, tmp_path: Path):
    """A Chromium on its own on-disk profile, watched by the guard."""
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
        viewport=DESKTOP)
    guard.watch(context)
    yield context
    context.close()


def open_page(context: BrowserContext) -> Page:
    return context.pages[0] if context.pages else context.new_page()


def start_path(page: Page) -> str | None:
    return page.evaluate("() => document.documentElement.dataset.lwStart ?? null")


def snapshot_state(page: Page) -> dict:
    return page.evaluate(_SNAPSHOT_STATE)


def wait_snapshot_cached(page: Page) -> dict:
    """Wait until Cache Storage holds this deployment's three snapshot files, whole (the
    service worker caches them in the background once live Python has started)."""
    cached = page.evaluate("""async ({files, timeout}) => {
        const script = document.querySelector('script[src*="live-widgets.js"]');
        const dir = new URL('pyodide-snapshot/', script.src).href;
        const manifest = await (await fetch(new URL('asset-manifest.json', script.src).href,
                                            {cache: 'no-cache'})).json();
        const whole = async () => {
            for (const file of files) {
                const cached = await caches.match(dir + file);
                const listed = manifest.files['pyodide-snapshot/' + file];
                if (!cached || !listed || (await cached.arrayBuffer()).byteLength !== listed.bytes)
                    return false;
            }
            return true;
        };
        for (const end = performance.now() + timeout; performance.now() < end;) {
            if (await whole()) return true;
            await new Promise(resolve => setTimeout(resolve, 250));
        }
        return false;
    }""", {"files": list(SNAPSHOT_FILES), "timeout": RUNTIME_TIMEOUT_MS})
    assert cached, f"the service worker did not cache the snapshot within {RUNTIME_TIMEOUT_MS / 1000:.0f} s"
    return snapshot_state(page)


def fallback_lines(guard: PageGuard) -> list[str]:
    return [line for line in guard.console if FALLBACK_LINE in line]


def live_results(page: Page) -> dict:
    """What live Python computes on the lesson: the first depth chart's readout and table
    after a depth change, and a code cell's output (numpy and gradflow)."""
    view = next(widget for widget in page.locator('.lw-widget[data-lw-kind="view"]').all()
                if any(c["name"] == "depth" for c in initial_data(widget)["controls"]))
    wait_state(view, "ready")
    commit_prediction(view)
    spec = next(c for c in initial_data(view)["controls"] if c["name"] == "depth")
    before = renders(view)
    set_control(view.locator("form.lw-controls"), spec,
                another_value(spec, initial_data(view)["settings"]["depth"]))
    wait_renders_above(view, before)
    cell = top_level_cells(page).first
    wait_state(cell, "ready")
    run_cell(cell, CELL_CODE)
    return {"readout": view.locator(".lw-readout").inner_text(),
            "table": view.locator(".lw-table").inner_text(),
            "cell": output_text(cell, "stdout"), "error": output_text(cell, "error")}


def visit_until_cached(page: Page, site_server: SiteServer) -> dict:
    page.goto(site_server.url(LESSON))
    wait_runtime(page)
    assert start_path(page) == "normal"
    return wait_snapshot_cached(page)


def test_a_repeat_visit_starts_from_the_cached_snapshot_and_computes_the_same(
        profile: BrowserContext, site_server: SiteServer, guard: PageGuard):
    page = open_page(profile)
    page.goto(site_server.url(LESSON))
    wait_runtime(page)
    # a first visit never waits for the snapshot: nothing is cached yet
    assert start_path(page) == "normal"
    assert any("not cached yet" in line for line in fallback_lines(guard)), guard.console
    normal = live_results(page)
    assert normal["error"] == "" and normal["cell"].strip(), normal
    state = wait_snapshot_cached(page)
    assert len({entry["cache"] for entry in state["files"].values()}) == 1, state

    guard.console.clear()
    page.reload()
    wait_runtime(page)
    assert start_path(page) == "snapshot", guard.console
    assert fallback_lines(guard) == []
    assert live_results(page) == normal
    # the snapshot carries numpy and gradflow: the worker asked for no wheel
    wheels = [url for url in guard.requests if url.endswith(".whl")]
    assert wheels, "the first visit fetched the wheels"  # the guard saw both visits
    guard.requests.clear()
    page.reload()
    wait_runtime(page)
    assert start_path(page) == "snapshot"
    assert [url for url in guard.requests if url.endswith(".whl")] == []

    # Stop ends the worker; the new one starts from the snapshot again and works
    cell = top_level_cells(page).first
    wait_state(cell, "ready")
    set_editor_code(cell, "while True:\n    pass")
    action(cell, "run").click()
    wait_state(cell, "busy")
    action(cell, "stop").click()
    # Stop forgets how the old worker started (runtime.mjs), so this is the new worker's
    wait_runtime(page)
    assert start_path(page) == "snapshot"
    wait_state(cell, "ready")
    assert live_results(page) == normal


def test_a_damaged_cached_snapshot_falls_back_and_is_fetched_again(
        profile: BrowserContext, site_server: SiteServer, guard: PageGuard):
    page = open_page(profile)
    state = visit_until_cached(page, site_server)
    normal = live_results(page)
    # a heap cut short, as a full disk or an interrupted write might leave it
    page.evaluate("""async ({dir, cache}) => {
        const store = await caches.open(cache);
        const heap = await (await store.match(dir + 'heap.bin.gz')).arrayBuffer();
        await store.put(dir + 'heap.bin.gz', new Response(heap.slice(0, heap.byteLength >> 1)));
    }""", {"dir": state["dir"], "cache": state["files"]["heap.bin.gz"]["cache"]})

    guard.console.clear()
    page.reload()
    wait_runtime(page)
    assert start_path(page) == "normal"
    lines = fallback_lines(guard)
    assert len(lines) == 1 and "heap.bin.gz is damaged" in lines[0], guard.console
    assert live_results(page) == normal
    # the worker dropped the damaged files; the service worker fetched them again
    wait_snapshot_cached(page)
    page.reload()
    wait_runtime(page)
    assert start_path(page) == "snapshot"


def test_a_snapshot_whose_restore_fails_falls_back_in_the_same_worker(
        profile: BrowserContext, site_server: SiteServer, guard: PageGuard):
    """Files that pass every checksum, but whose restore fails half-way (the wasm module is
    instantiated and numpy's libraries reloaded when the function table turns out not to
    match): the same worker then starts the normal way."""
    page = open_page(profile)
    state = visit_until_cached(page, site_server)
    normal = live_results(page)
    dir_url, cache = state["dir"], state["files"]["meta.json"]["cache"]
    meta = page.evaluate("""async ({dir, cache}) =>
        (await (await caches.open(cache)).match(dir + 'meta.json')).text()""",
                         {"dir": dir_url, "cache": cache})
    wrong = json.loads(meta)
    wrong["table"]["fingerprint"] = "00000000"
    wrong_text = json.dumps(wrong)
    digest = page.evaluate("""async ({dir, cache, text}) => {
        await (await caches.open(cache)).put(dir + 'meta.json', new Response(text));
        const bytes = new TextEncoder().encode(text);
        const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
        return {sha256: Array.from(hash, b => b.toString(16).padStart(2, '0')).join(''),
                bytes: bytes.length};
    }""", {"dir": dir_url, "cache": cache, "text": wrong_text})
    manifest = json.loads((SITE_DIR / "_static" / "asset-manifest.json").read_text("utf-8"))
    manifest["files"]["pyodide-snapshot/meta.json"] = digest
    profile.route("**/_static/asset-manifest.json", lambda route: route.fulfill(
        status=200, content_type="application/json", body=json.dumps(manifest)))

    guard.console.clear()
    page.reload()
    wait_runtime(page)
    assert start_path(page) == "normal"
    lines = fallback_lines(guard)
    assert len(lines) == 1 and "damaged" not in lines[0], guard.console
    assert live_results(page) == normal
    # heap and files are dropped, meta.json kept: the next visit does not try again, and
    # the service worker does not download a snapshot this browser cannot use
    guard.console.clear()
    page.reload()
    wait_runtime(page)
    assert start_path(page) == "normal"
    assert any("only some of its files" in line for line in fallback_lines(guard)), guard.console
    files = snapshot_state(page)["files"]
    assert sorted(files) == ["meta.json"], files
