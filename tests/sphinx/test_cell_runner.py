"""cell_runner: the worker protocol (§6), in CPython."""

from __future__ import annotations

import pytest
from gradflow import views

from live_widgets.cell_runner import Kernel


@pytest.fixture
def kernel() -> Kernel:
    return Kernel()


def run(kernel: Kernel, code: str, cell_id: str = "c1") -> dict:
    return kernel.dispatch({"type": "run", "code": code, "cellId": cell_id})


def test_stdout_stderr_and_last_value(kernel):
    out = run(kernel, "import sys\nprint('a')\nprint('b', file=sys.stderr)\n[1, 2][0] + 1")
    assert out == {"stdout": "a\n", "stderr": "b\n", "value": "2", "error": None, "figures": []}


def test_value_is_repr_text_and_none_or_semicolon_shows_nothing(kernel):
    assert run(kernel, "'<b>x</b>'")["value"] == "'<b>x</b>'"
    assert run(kernel, "None")["value"] is None
    assert run(kernel, "x = 5\nx;")["value"] is None
    assert run(kernel, "x = 5")["value"] is None


def test_namespace_is_shared_in_order(kernel):
    run(kernel, "def double(v):\n    return 2 * v")
    assert run(kernel, "double(21)")["value"] == "42"
    assert run(kernel, "_")["value"] == "42"  # like a notebook's last result


def test_traceback_is_trimmed_to_the_readers_frames(kernel):
    run(kernel, "def inner(v):\n    return 1 / v", cell_id="first")
    error = run(kernel, "import json\ninner(0)", cell_id="second")["error"]
    lines = error.splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert '  File "<cell second>", line 2, in <module>' in lines
    assert '  File "<cell first>", line 2, in inner' in lines
    assert "    return 1 / v" in lines  # the reader's source line is quoted
    assert lines[-1] == "ZeroDivisionError: division by zero"
    # library frames (json, gradflow, cell_runner itself) never appear
    error = run(kernel, "json.loads('{')")["error"]
    assert "json/decoder.py" not in error and "cell_runner" not in error
    assert error.splitlines()[-1].startswith("json.decoder.JSONDecodeError:")


def test_gradflow_errors_show_only_the_readers_line(kernel):
    error = run(kernel, "from gradflow import simulate\nsimulate(depth=3, activation='nope')")["error"]
    assert [line for line in error.splitlines() if line.startswith("  File")] == [
        '  File "<cell c1>", line 2, in <module>']
    assert error.splitlines()[-1].startswith("ValueError: activation")


def test_syntax_error_is_text(kernel):
    error = run(kernel, "print(")["error"]
    assert '"<cell c1>", line 1' in error and "SyntaxError" in error


def test_show_collects_plain_figure_specs(kernel):
    out = run(kernel, "import numpy as np\nshow({'data': [{'y': np.array([1.0, np.inf])}]})")
    assert out["figures"] == [{"data": [{"y": [1.0, "Infinity"]}], "layout": {}}]
    bad = run(kernel, "show(42)")
    assert "show() needs a figure" in bad["error"]


def test_check_reports_each_check(kernel):
    run(kernel, "offset = 10")
    result = kernel.dispatch({"type": "check", "code": "def f(x):\n    print('hi')\n    return x + offset",
                              "checks": [
                                  {"name": "adds", "code": "assert f(1) == 11"},
                                  {"name": "custom", "code": "assert f(1) == 0, 'f(1) should be 0'"},
                                  {"name": "generic", "code": "assert f(2) == 0"},
                                  {"name": "crash", "code": "g()"},
                              ]})
    assert result["passed"] is False
    assert result["checks"] == [
        {"name": "adds", "passed": True, "message": "Passed."},
        {"name": "custom", "passed": False, "message": "f(1) should be 0"},
        {"name": "generic", "passed": False, "message": "This check failed."},
        {"name": "crash", "passed": False,
         "message": "This check stopped with NameError: name 'g' is not defined"},
    ]
    assert result["error"] is None
    assert "f" not in kernel.namespace  # attempts run in a copy of the page's namespace


def test_check_passes_and_reports_a_crashing_attempt(kernel):
    checks = [{"name": "one", "code": "assert one == 1"}]
    assert kernel.dispatch({"type": "check", "code": "one = 1", "checks": checks})["passed"] is True
    crashed = kernel.dispatch({"type": "check", "code": "one = 1 / 0", "checks": checks})
    assert crashed["passed"] is False
    assert "ZeroDivisionError" in crashed["error"]
    assert crashed["checks"][0]["message"].startswith("Not checked")


def test_view_matches_gradflow(kernel):
    settings = {"depth": 8, "activation": "tanh"}
    result = kernel.dispatch({"type": "view", "view": "gradient", "settings": settings})
    expected = views.VIEWS["gradient"].compute(views.validate_settings("gradient", settings))
    assert result["table"] == expected["table"] and result["readout"] == expected["readout"]
    with pytest.raises(ValueError, match="depth"):
        kernel.dispatch({"type": "view", "view": "gradient", "settings": {"depth": 0}})


def test_race_advances_in_chunks_and_can_be_cancelled(kernel):
    request = {"id": 7, "type": "race", "settings": {"steps": 50, "deep_depth": 4,
                                                       "shallow_depth": 2}, "chunk": 20}
    first = kernel.dispatch(request)
    assert (first["step"], first["steps"], first["done"]) == (20, 50, False)
    assert kernel.dispatch(request)["step"] == 40
    assert kernel.dispatch({"type": "cancel", "id": 7}) == {"cancelled": True}
    assert kernel.dispatch(request)["step"] == 20  # a new race after the cancel


@pytest.mark.parametrize("chunk", [None, 0, 2.5, True])
def test_a_race_request_must_say_how_many_steps(kernel, chunk):
    with pytest.raises(ValueError, match='request "race" needs "chunk", a whole number'):
        kernel.dispatch({"id": 8, "type": "race", "settings": {}, "chunk": chunk})


def test_unknown_request_types_are_refused(kernel):
    with pytest.raises(ValueError, match="unknown request type 'teleport'"):
        kernel.dispatch({"id": 4, "type": "teleport"})


def test_a_paused_stream_resumes_where_it_stopped(kernel):
    # Pause: the worker stops asking for chunks but keeps the trainer; a later request of
    # the same stream with "resume" continues it, one without starts afresh.
    settings = {"steps": 50, "deep_depth": 4, "shallow_depth": 2}
    base = {"type": "race", "trainer": "race", "stream": "w1", "settings": settings, "chunk": 10}
    assert kernel.dispatch({**base, "id": 1})["step"] == 10
    assert kernel.dispatch({**base, "id": 1})["step"] == 20
    assert kernel.dispatch({**base, "id": 2, "resume": True})["step"] == 30
    assert kernel.dispatch({**base, "id": 3})["step"] == 10  # a restart
    assert kernel.dispatch({"type": "cancel", "id": 3, "stream": "w1"}) == {"cancelled": True}
    assert kernel.dispatch({**base, "id": 4, "resume": True})["step"] == 10  # nothing to resume


def test_streamed_trainers_are_named(kernel):
    with pytest.raises(ValueError, match="unknown trainer 'nope'"):
        kernel.dispatch({"id": 9, "type": "race", "trainer": "nope", "settings": {}, "chunk": 1})
