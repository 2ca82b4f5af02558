"""Runs the reader's Python for the live widgets, at build time (CPython) and in the
browser (Pyodide, loaded by ``live-widgets-worker.js`` from
``_static/live-widgets/cell_runner.py``).

Standard library and gradflow only: this file is copied into the site unchanged.

Requests and results follow ARCHITECTURE §6. The worker calls :func:`dispatch` with the
request as a dict and builds the reply message itself; one :class:`Kernel` holds the page's
namespace, so cells share variables in the order they run, like a notebook.
"""

from __future__ import annotations

import ast
import builtins
import io
import linecache
import math
import traceback
from contextlib import redirect_stderr, redirect_stdout
from typing import Any, Callable

#: file names given to the reader's code (cell_filename); tracebacks keep only frames from these
EXERCISE_FILENAME = "<exercise>"
_READER_PREFIXES = ("<cell ", EXERCISE_FILENAME)


def cell_filename(cell_id: str) -> str:
    """The one name of a reader's cell in tracebacks, ``<cell ID>``: ID is the cell's
    element id (its ``:name:``, else the id the build gave it), which the browser sends as
    ``cellId``. The build (page_execution.cell_id) and the lesson checker (page_runner,
    with the ``:name:`` or ``cell-INDEX``) name cells the same way."""
    return f"<cell {cell_id}>"


def plain_data(value: Any) -> Any:
    """Lists, dicts, numbers and strings only (numpy arrays and scalars converted), with
    non-finite floats as the strings ``"NaN"``, ``"Infinity"``, ``"-Infinity"`` (§3)."""
    if isinstance(value, dict):
        return {str(key): plain_data(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_data(item) for item in value]
    if hasattr(value, "tolist"):  # numpy array or scalar
        return plain_data(value.tolist())
    if isinstance(value, float) and not math.isfinite(value):
        from gradflow.serialize import encode_float  # the one spelling of non-finite floats

        return encode_float(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"cannot send a {type(value).__name__} to the page")


def figure_spec(figure: Any) -> dict[str, Any]:
    """A plotly figure spec as plain data, from a dict or a plotly ``Figure``."""
    if hasattr(figure, "to_dict") and not isinstance(figure, dict):
        figure = figure.to_dict()
    if not isinstance(figure, dict) or not isinstance(figure.get("data"), (list, tuple)):
        raise TypeError(
            'show() needs a figure: a dict with a "data" list and an optional "layout", '
            "for example gradflow.figures.gradient_figure([simulate(depth=20)])"
        )
    return plain_data({"data": figure["data"], "layout": figure.get("layout", {})})


def _remember_source(filename: str, code: str) -> None:
    # so tracebacks can quote the reader's lines
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)


def _keep_reader_frames(error: traceback.TracebackException) -> None:
    error.stack = traceback.StackSummary.from_list(
        [frame for frame in error.stack if frame.filename.startswith(_READER_PREFIXES)]
    )
    for linked in (error.__cause__, error.__context__):
        if linked is not None:
            _keep_reader_frames(linked)


def format_error(error: BaseException) -> str:
    """The traceback as text, trimmed to the frames of the reader's own code."""
    summary = traceback.TracebackException.from_exception(error)
    _keep_reader_frames(summary)
    return "".join(summary.format())


class Kernel:
    """One page's namespace and the requests that use it."""

    def __init__(self) -> None:
        self._figures: list[dict[str, Any]] = []
        self.namespace: dict[str, Any] = {
            "__name__": "__main__",
            "__builtins__": builtins,
            "show": self._make_show(),
        }
        self._races: dict[Any, Any] = {}

    def _make_show(self) -> Callable[[Any], None]:
        def show(figure: Any) -> None:
            """Draw a plotly figure spec (a dict with "data" and "layout") under this cell."""
            self._figures.append(figure_spec(figure))
        return show

    def execute(self, code: str, filename: str,
                namespace: dict[str, Any]) -> tuple[dict[str, Any], BaseException | None]:
        """Run ``code`` like a notebook cell; return its outputs and the exception, if any."""
        _remember_source(filename, code)
        stdout, stderr = io.StringIO(), io.StringIO()
        self._figures = []
        value, failure = None, None
        with redirect_stdout(stdout), redirect_stderr(stderr):
            try:
                tree = ast.parse(code, filename, "exec")
                last = None
                # like Jupyter: a final expression is shown unless the line ends with ";"
                if tree.body and isinstance(tree.body[-1], ast.Expr) \
                        and not code.rstrip().endswith(";"):
                    last = ast.Expression(tree.body.pop().value)
                exec(compile(tree, filename, "exec"), namespace)
                if last is not None:
                    result = eval(compile(last, filename, "eval"), namespace)
                    if result is not None:
                        namespace["_"] = result
                        value = repr(result)
            except (Exception, SystemExit) as error:  # KeyboardInterrupt still stops us
                failure = error
        outputs = {
            "stdout": stdout.getvalue(),
            "stderr": stderr.getvalue(),
            "value": value,
            "error": format_error(failure) if failure is not None else None,
            "figures": self._figures,
        }
        return outputs, failure

    def run(self, request: dict[str, Any]) -> dict[str, Any]:
        cell_id = request.get("cellId", "")
        outputs, _ = self.execute(_text(request, "code"), cell_filename(cell_id),
                                  self.namespace)
        return outputs

    def check(self, request: dict[str, Any]) -> dict[str, Any]:
        """The reader's code, then each check, in copies of the page's namespace."""
        checks = request.get("checks")
        if not isinstance(checks, list) or not all(
            isinstance(c, dict) and "name" in c and "code" in c for c in checks
        ):
            raise ValueError('"checks" must be a list of {"name", "code"}')
        namespace = dict(self.namespace)  # an attempt never changes the page's variables
        outputs, failure = self.execute(_text(request, "code"), EXERCISE_FILENAME, namespace)
        results = []
        for check in checks:
            if failure is not None:
                passed, message = False, "Not checked: your code stopped with an error."
            else:
                passed, message = _run_check(check["code"], dict(namespace))
            results.append({"name": check["name"], "passed": passed, "message": message})
        return {
            "passed": failure is None and all(r["passed"] for r in results),
            "checks": results,
            "stdout": outputs["stdout"],
            "error": outputs["error"],
        }

    def view(self, request: dict[str, Any]) -> dict[str, Any]:
        from gradflow import views

        name = _text(request, "view")
        if name not in views.VIEWS:
            raise ValueError(f"unknown view {name!r}; expected one of {sorted(views.VIEWS)}")
        settings = views.validate_settings(name, dict(request.get("settings") or {}))
        return plain_data(views.VIEWS[name].compute(settings))

    def race(self, request: dict[str, Any]) -> dict[str, Any]:
        """Advance a streamed trainer by one chunk (creating it on the first call).

        ``trainer`` names it in gradflow.views.TRAINERS (default ``"race"``, the training
        race). The worker calls this repeatedly with the same ``stream`` key (default: the
        request's ``id``), posting each result as progress, until ``"done"``; between calls
        it can take a ``cancel``. A request with ``"resume": true`` continues the paused
        trainer of its stream; any other request starts afresh (one trainer per stream).
        """
        from gradflow import views

        key = request.get("stream", request.get("id"))
        chunk = request.get("chunk")
        if isinstance(chunk, bool) or not isinstance(chunk, int) or chunk < 1:
            # the worker sizes chunks by their measured time (js/worker/race.mjs)
            raise ValueError(f'request "race" needs "chunk", a whole number of steps >= 1, '
                             f"got {chunk!r}")
        name = request.get("trainer", "race")
        if name not in views.TRAINERS:
            raise ValueError(f"unknown trainer {name!r}; expected one of {sorted(views.TRAINERS)}")
        run_id = request.get("id")
        held = self._races.get(key)  # (id of the request that runs it, trainer)
        if held is not None and (held[0] == run_id or (
                request.get("resume") and isinstance(held[1], views.TRAINERS[name]))):
            trainer = held[1]  # the next chunk of this run, or a paused run resumed
        else:
            trainer = views.TRAINERS[name](request.get("settings") or {})
        self._races[key] = (run_id, trainer)
        result = plain_data(trainer.advance(chunk))
        if result.get("done"):
            self._races.pop(key, None)
        return result

    def cancel(self, request: dict[str, Any]) -> dict[str, Any]:
        return {"cancelled": self._races.pop(request.get("stream", request.get("id")), None) is not None}

    def reset(self, request: dict[str, Any]) -> dict[str, Any]:
        """A fresh namespace and no trainers: the page swapped in another lesson, whose
        cells must not see the previous lesson's variables (js/navigation.mjs)."""
        forgotten = len(self.namespace)
        self.__init__()
        return {"forgotten": forgotten}

    def dispatch(self, request: dict[str, Any]) -> dict[str, Any]:
        """The result value for one request (ARCHITECTURE §6); errors are raised."""
        handlers = {"run": self.run, "check": self.check, "view": self.view,
                    "race": self.race, "cancel": self.cancel, "reset": self.reset}
        kind = request.get("type") if isinstance(request, dict) else None
        if kind not in handlers:
            raise ValueError(f"unknown request type {kind!r}; expected one of {sorted(handlers)}")
        return handlers[kind](request)


def _text(request: dict[str, Any], key: str) -> str:
    value = request.get(key)
    if not isinstance(value, str):
        raise ValueError(f'request "{request.get("type")}" needs "{key}" as a string')
    return value


def _run_check(code: str, namespace: dict[str, Any]) -> tuple[bool, str]:
    """Run one check; a failed ``assert`` shows its own message (friendly by design)."""
    try:
        with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
            exec(compile(code, "<check>", "exec"), namespace)
    except AssertionError as error:
        return False, str(error) or "This check failed."
    except Exception as error:
        return False, f"This check stopped with {type(error).__name__}: {error}"
    return True, "Passed."


#: the worker's kernel: one per page, since each page has its own worker
_kernel = Kernel()


def dispatch(request: dict[str, Any]) -> dict[str, Any]:
    return _kernel.dispatch(request)
