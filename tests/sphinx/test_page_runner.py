"""live_widgets.page_runner: the lesson checker's run of one page's code, with the build's
Kernel (one namespace, jobs in order, every failure reported and the rest still run)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from live_widgets.page_runner import run_jobs

WIDGETS = Path(__file__).resolve().parents[2] / "widgets"


def test_jobs_share_one_namespace_and_failures_do_not_stop_the_rest():
    replies = run_jobs([
        {"type": "cell", "code": "base = 0.25", "cellId": "cell-1"},
        {"type": "cell", "code": "1 / 0", "cellId": "divide"},
        {"type": "cell", "code": "power = base ** 2", "cellId": "cell-0"},
        {"type": "check", "code": "def f():\n    return power",
         "checks": [{"name": "sees the cells", "code": "assert f() == 0.0625"}]},
        {"type": "computed", "code": "StackConfig(depth=3).depth | .1e"},
        {"type": "computed", "code": "'text' | .1e"},
    ])
    assert replies[0] == {"error": None, "raised": None}
    assert replies[1]["raised"] == "ZeroDivisionError"
    assert 'File "<cell divide>", line 1' in replies[1]["error"]
    assert replies[2] == {"error": None, "raised": None}
    assert replies[3]["passed"] is True
    assert replies[4] == {"error": None, "raised": None}
    assert replies[5]["raised"] == "ValueError" and "Unknown format code 'e'" in replies[5]["error"]


def test_runs_as_a_module_reading_jobs_from_stdin():
    completed = subprocess.run(
        [sys.executable, "-m", "live_widgets.page_runner"],
        input=json.dumps([{"type": "cell", "code": "print('hi')", "cellId": "cell-0"}]),
        capture_output=True, text=True, timeout=120, env={"PYTHONPATH": str(WIDGETS)})
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout) == [{"error": None, "raised": None}]
