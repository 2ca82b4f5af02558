"""The README's commands do what it says (the full `make serve` / `make test` chains run in
CI through `.ci/run`; here each step is exercised on the built site)."""

import http.client
import os
import re
import socket
import subprocess
import sys
import time

import pytest

from build_test_paths import BUILD_SCRIPTS, REPO, SITE

README = (REPO / "README.md").read_text()


def make_targets() -> set[str]:
    return set(re.findall(r"^([a-z][a-z0-9-]*):", (REPO / "Makefile").read_text(),
                          flags=re.MULTILINE))


def test_the_two_newcomer_commands_are_the_first_section():
    # what the section offers, not how it is laid out: its blocks may move or gain text
    sections = re.split(r"^## ", README, flags=re.MULTILINE)
    assert sections[1].startswith("Two commands\n"), "the first section is not 'Two commands'"
    commands = re.findall(r"```console\n(.+?)\n```", sections[1], flags=re.DOTALL)
    assert sorted(commands) == ["make serve", "make test"]


def test_every_make_command_in_the_readme_is_a_target():
    mentioned = set(re.findall(r"`make ([a-z-]+)", README))
    assert {"serve", "test", "setup", "assets", "book", "preview", "bench"} <= mentioned
    assert mentioned <= make_targets()


def test_make_test_sets_up_installs_chromium_builds_and_runs_every_test():
    # Dry run: the recipe lines make would execute, in order (nothing is run).
    plan = subprocess.run(["make", "-n", "-W", "requirements.txt", "-W", "package-lock.json", "test"], cwd=REPO,
                          capture_output=True, text=True, check=True).stdout
    steps = ["pip install", "npm ci", "apt-get install -y chromium",
             "build/assemble_assets.py", "build/build_book.py", "-m pytest tests/"]
    positions = [plan.find(step) for step in steps]
    assert -1 not in positions, plan
    assert positions == sorted(positions), plan


def test_make_test_checks_the_browser_scripts_before_building_the_book():
    plan = subprocess.run(["make", "-n", "test"], cwd=REPO,
                          capture_output=True, text=True, check=True).stdout
    steps = ["tsc -p tsconfig.json", "tsc -p tsconfig.worker.json", "node --test",
             "build/build_book.py", "-m pytest tests/"]
    positions = [plan.find(step) for step in steps]
    assert -1 not in positions, plan
    assert positions == sorted(positions), plan


def test_make_test_fast_runs_the_quick_layers_without_building_anything():
    plan = subprocess.run(["make", "-n", "test-fast"], cwd=REPO,
                          capture_output=True, text=True, check=True).stdout
    for step in ("tsc -p tsconfig.json", "node --test", "tests/js/",
                 "-m pytest tests/unit tests/sphinx",
                 "-m pytest tests/authoring/test_check_lessons.py"):
        assert step in plan, plan
    for slow in ("assemble_assets.py", "build_book.py", "chromium", "tests/browser"):
        assert slow not in plan, plan
    # the tests marked slow are left out here, and only here: make test runs them
    assert plan.count('-m "not slow"') == 2, plan
    full = subprocess.run(["make", "-n", "-W", "requirements.txt", "test"], cwd=REPO,
                          capture_output=True, text=True, check=True).stdout
    assert "not slow" not in full, full


def test_ci_runs_exactly_make_test():
    script = REPO / ".ci" / "run"
    assert os.access(script, os.X_OK)
    commands = [line for line in script.read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    assert commands[-1] == "exec make test"


def test_the_cli_command_in_the_readme_runs():
    (command,) = re.findall(r"^\.venv/bin/python (-m gradflow .+)$", README, re.MULTILINE)
    completed = subprocess.run([sys.executable, *command.split()], cwd=REPO,
                               capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    assert "depth=30" in completed.stdout and "sigmoid" in completed.stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_http(port: int, path: str, process: subprocess.Popen, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path)
            response = connection.getresponse()
            return response, response.read()
        except OSError:
            time.sleep(0.2)  # polling the port until it listens, not a fixed wait
    pytest.fail(f"nothing answered on port {port} within {timeout} s")


def test_serve_prints_the_url_and_serves_the_site_with_wasm_as_application_wasm():
    if not (SITE / "index.html").is_file():
        pytest.fail(f"{SITE} is not built: run `make book`")
    port = _free_port()
    server = subprocess.Popen([sys.executable, str(BUILD_SCRIPTS / "serve_site.py"),
                               "--port", str(port), "--quiet"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert f"http://127.0.0.1:{port}/" in server.stdout.readline()
        page, body = _wait_for_http(port, "/", server, 30)
        assert page.status == 200 and b"url=book/index.html" in body  # the front page
        page, body = _wait_for_http(port, "/book/index.html", server, 30)
        assert page.status == 200 and b"Deep Revolution" in body
        wasm, _ = _wait_for_http(port, "/_static/pyodide/pyodide.asm.wasm", server, 30)
        assert wasm.status == 200
        assert wasm.getheader("Content-Type") == "application/wasm"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_preview_builds_the_book_and_serves_it_with_live_reload():
    port = _free_port()
    preview = subprocess.Popen([sys.executable, str(BUILD_SCRIPTS / "preview.py"),
                                "--port", str(port)], cwd=REPO, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        assert f"http://127.0.0.1:{port}/" in preview.stdout.readline()
        # sphinx-autobuild serves only after its first full build.
        page, body = _wait_for_http(port, "/lessons/01-promise-of-depth.html", preview, 600)
        assert page.status == 200
        assert b"Deep Revolution" in body
        # sphinx-autobuild's reload script, injected into every page it serves
        assert b"/websocket-reload" in body
    finally:
        preview.terminate()
        try:
            preview.wait(timeout=30)
        except subprocess.TimeoutExpired:
            preview.kill()
            preview.wait()


def test_the_gradflow_benchmark_target_runs_the_benchmark():
    plan = subprocess.run(["make", "-n", "-W", "requirements.txt", "bench-gradflow"], cwd=REPO,
                          capture_output=True, text=True, check=True).stdout
    assert "tests/benchmarks/bench_gradflow.py" in plan
    # the quick grid: a real run of every section, a few seconds
    completed = subprocess.run(
        [sys.executable, str(REPO / "tests" / "benchmarks" / "bench_gradflow.py"), "--quick"],
        cwd=REPO, capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    for heading in ("train (lesson recipe", "lesson defaults", "default training race"):
        assert heading in completed.stdout
