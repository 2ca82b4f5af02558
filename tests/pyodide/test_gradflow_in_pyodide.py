"""gradflow's own checks, the ones marked `@pytest.mark.pyodide` in tests/unit/, run by
pytest inside the real Pyodide 0.27.7 with numpy 2.0.2 and the shipped gradflow wheel."""

import json
import subprocess
import sys

from pyodide_node import REPO, TEST_ENV_MOUNT, UNIT_TESTS_MOUNT

MARKER = "pyodide"

RUN_MARKED_TESTS = f"""
import json, sys
sys.dont_write_bytecode = True   # the tests folder is the host's, mounted: leave it clean
sys.path.append({TEST_ENV_MOUNT!r})
import pytest

class Outcomes:
    def __init__(self):
        self.passed, self.problems = [], []
    def pytest_runtest_logreport(self, report):
        if report.when == "call" and report.passed:
            self.passed.append(report.nodeid)
        elif not report.passed:
            self.problems.append([report.nodeid, report.when, report.outcome,
                                  str(report.longrepr)])

outcomes = Outcomes()
# --capture=sys: pytest's default fd-level capture needs real file descriptors, which
# Pyodide's virtual file system does not provide. No ini file is mounted, so the marker is
# declared here.
exit_code = pytest.main(["-p", "no:cacheprovider", "-q", "--capture=sys", "-m", {MARKER!r},
                         "-o", "markers={MARKER}: also runs inside Pyodide",
                         "--rootdir", {UNIT_TESTS_MOUNT!r}, {UNIT_TESTS_MOUNT!r}],
                        plugins=[outcomes])
json.dumps({{"exit_code": int(exit_code), "passed": outcomes.passed,
            "problems": outcomes.problems}})
"""


def _marked_test_ids_in_cpython() -> set[str]:
    """Node ids of the marked tests as CPython's pytest collects them, relative to
    tests/unit (as inside Pyodide, where that folder is the root)."""
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         "-m", MARKER, "tests/unit"], cwd=REPO, capture_output=True, text=True)
    assert completed.returncode in (0, 5), completed.stdout + completed.stderr
    return {line.removeprefix("tests/unit/") for line in completed.stdout.splitlines()
            if "::" in line}


def test_the_marked_gradflow_tests_pass_inside_pyodide(pyodide):
    expected = _marked_test_ids_in_cpython()
    assert expected, (f"no test in tests/unit is marked @pytest.mark.{MARKER}: mark the "
                      "gradflow checks that must also hold in the browser")
    outcome = pyodide.run_json(RUN_MARKED_TESTS)
    problems = "\n\n".join(" ".join(problem) for problem in outcome["problems"])
    assert outcome["exit_code"] == 0, f"pytest inside Pyodide failed:\n{problems}"
    assert not outcome["problems"], f"skipped or failed inside Pyodide:\n{problems}"
    # Every marked test ran (none skipped, none missing because of a collection quirk).
    assert set(outcome["passed"]) == expected


def test_pyodide_imports_gradflow_from_the_shipped_precompiled_wheel(pyodide):
    found = pyodide.run_json("""
import json, sys, gradflow, numpy
json.dumps({"gradflow_file": gradflow.__file__, "numpy": numpy.__version__,
            "python": list(sys.version_info[:3])})
""")
    # Installed from the wheel into site-packages, not from a mounted source folder, and
    # precompiled to .pyc by `pyodide py-compile`.
    assert found["gradflow_file"] == "/lib/python3.12/site-packages/gradflow/__init__.pyc"
    assert found["numpy"] == "2.0.2"
    assert found["python"] == [3, 12, 7]
    assert pyodide.ready["pyodide"] == "0.27.7"
    assert set(pyodide.ready["loaded"]) == {"numpy", "gradflow"}
    gradflow_version = json.loads(
        (REPO / "_build/site-assets/pyodide/pyodide-lock.json").read_text()
    )["packages"]["gradflow"]["version"]
    assert pyodide.run("import gradflow; gradflow.__version__") == gradflow_version
