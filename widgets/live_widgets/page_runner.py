"""Runs one page's code for the lesson checker (``build/check_lessons.py``), in a fresh
CPython per page so nothing leaks between pages, with the build's own :class:`Kernel`:

    python -m live_widgets.page_runner < jobs.json > replies.json

Jobs, in the order the checker wants them run (``page_execution.run_order`` for cells):
``{"type": "cell", "code", "cellId"}`` (cellId as the build's page_execution.cell_id), ``{"type": "check", "code", "checks"}`` (an
exercise's solution or starter against its checks, in the namespace the cells left) and
``{"type": "computed", "code"}`` (a ``{computed}`` role's text) and ``{"type": "view",
"view", "settings"}`` (a chart widget's first result, as the build computes it). One
reply per job:
``{"error": text or None, "raised": exception name or None}`` for cells, views and
computed numbers, :meth:`Kernel.check`'s result for checks.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from gradflow.text import format_number

from .build_results import compute_view, evaluate_expression
from .cell_runner import Kernel, cell_filename
from .computed import split_expression


def run_jobs(jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    kernel = Kernel()
    replies: list[dict[str, Any]] = []
    for job in jobs:
        try:
            if job["type"] == "cell":
                outputs, failure = kernel.execute(job["code"], cell_filename(job["cellId"]),
                                                  kernel.namespace)
                replies.append({"error": outputs["error"],
                                "raised": type(failure).__name__ if failure else None})
            elif job["type"] == "check":
                replies.append(kernel.check(job))
            elif job["type"] == "view":
                compute_view(job["view"], job["settings"])
                replies.append({"error": None, "raised": None})
            elif job["type"] == "computed":
                expression, spec = split_expression(job["code"])
                format_number(evaluate_expression(expression), spec=spec)
                replies.append({"error": None, "raised": None})
            else:
                raise ValueError(f"unknown job type {job['type']!r}")
        except Exception as error:      # the author's code failed: report it, run the rest
            replies.append({"error": f"{type(error).__name__}: {error}", "passed": False,
                            "raised": type(error).__name__})
    return replies


def main() -> None:
    json.dump(run_jobs(json.load(sys.stdin)), sys.stdout)


if __name__ == "__main__":
    main()
