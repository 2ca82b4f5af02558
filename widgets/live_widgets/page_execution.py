"""Run each page's live code at build time, in CPython, through :mod:`cell_runner`.

One namespace per page; hidden set-up cells first, then the other cells in page order,
exactly as the browser's worker will. An unexpected exception fails the build with the
cell's file and line and the trimmed traceback; a cell with ``:raises: Name`` must raise
exactly that. Each exercise's solution must pass its own checks.
"""

from __future__ import annotations

import signal
import threading
import traceback
from contextlib import contextmanager
from typing import Callable, Iterator, Sequence, TypeVar

from docutils import nodes
from sphinx.application import Sphinx

from .build_errors import report_error
from .cell_runner import Kernel, cell_filename
from .exercise import exercise_node
from .live_code import live_code_cell

T = TypeVar("T")

#: a cell still running after this long at build time is almost certainly a loop bug
CELL_TIME_LIMIT_SECONDS = 120


@contextmanager
def _time_limit(seconds: int) -> Iterator[None]:
    # SIGALRM only exists on Unix and in the main thread; elsewhere run without a limit
    if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise TimeoutError(f"the cell ran longer than {seconds} s at build time")
    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run_order(cells: Sequence[T], hidden: Callable[[T], bool]) -> list[T]:
    """Cells in the order a page runs them: set-up (hidden) cells first, then the rest
    as written. The build, the lesson checker and the browser's notebook all use it."""
    return [c for c in cells if hidden(c)] + [c for c in cells if not hidden(c)]


def raises_problem(expected: str, raised: str | None) -> str | None:
    """What is wrong when a cell declared ``:raises: expected`` (or nothing, "") and
    raised the exception named ``raised`` (or none); None when they match. A dotted
    name (``numpy.linalg.LinAlgError``) matches by its last part."""
    if raised is None:
        return f"the cell should raise {expected} (:raises:) but ran without an error" \
            if expected else None
    if raised == expected.rsplit(".", 1)[-1]:
        return None
    return f"the cell raised {raised}" + (f" (expected {expected})" if expected else "")


def page_cells(doctree: nodes.document) -> list[live_code_cell]:
    """The page's cells in run order."""
    return run_order(list(doctree.findall(live_code_cell)), lambda c: c["hidden"])


def cell_id(cell: live_code_cell) -> str:
    """The id the browser sends as ``cellId`` (the element id, else ``cell-INDEX``), so
    build-time and in-browser tracebacks name the cell alike."""
    return cell["ids"][0] if cell["ids"] else f"cell-{cell['index']}"


def _run_cell(app: Sphinx, kernel: Kernel, cell: live_code_cell) -> None:
    with _time_limit(CELL_TIME_LIMIT_SECONDS):
        outputs, failure = kernel.execute(cell["code"], cell_filename(cell_id(cell)),
                                          kernel.namespace)
    cell["outputs"] = outputs
    problem = raises_problem(cell["raises"], type(failure).__name__ if failure else None)
    if problem and failure is None:
        report_error(app.env, f"live-code: {problem}", cell)
    elif problem:
        report_error(app.env, f"live-code: {problem} at build time:\n" + outputs["error"],
                     _error_location(app, cell, failure))


def _error_location(app: Sphinx, cell: live_code_cell,
                    failure: BaseException) -> tuple[str, int] | live_code_cell:
    """The file line of the cell's line where the error happened (else the directive)."""
    filename = cell_filename(cell_id(cell))
    line = None
    if isinstance(failure, SyntaxError) and failure.filename == filename:
        line = failure.lineno
    else:
        frames = [f for f in traceback.extract_tb(failure.__traceback__) if f.filename == filename]
        line = frames[-1].lineno if frames else None
    if not line or not cell["code_line"]:
        return cell
    return (app.env.docname, cell["code_line"] + line - 1)


def _check_solution(app: Sphinx, kernel: Kernel, exercise: exercise_node) -> None:
    payload = exercise["payload"]
    with _time_limit(CELL_TIME_LIMIT_SECONDS):
        result = kernel.check({"code": payload["solution"], "checks": payload["checks"]})
    if not result["passed"]:
        failed = [f"  - {c['name']}: {c['message']}" for c in result["checks"] if not c["passed"]]
        report_error(app.env, "exercise: the solution does not pass its own checks:\n"
                              + "\n".join(failed) + ("\n" + result["error"] if result["error"] else ""),
                     exercise)


def run_page(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: execute the page's cells and check its exercises."""
    widgets = list(doctree.findall(lambda n: isinstance(n, (live_code_cell, exercise_node))))
    if not widgets:
        return
    for index, cell in enumerate(doctree.findall(live_code_cell)):
        cell["index"] = index
    kernel = Kernel()
    for cell in page_cells(doctree):
        if not cell["starter"]:
            _run_cell(app, kernel, cell)
    # exercises see the namespace after all of the page's cells, as a reader would
    # after running them; their attempts run in a copy, so order between them is moot
    for exercise in doctree.findall(exercise_node):
        _check_solution(app, kernel, exercise)


def setup_page_execution(app: Sphinx) -> None:
    app.connect("doctree-read", run_page)
