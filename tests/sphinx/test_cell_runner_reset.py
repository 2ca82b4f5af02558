"""cell_runner's "reset" request: a swapped-in lesson starts with a fresh namespace in the
same worker (js/navigation.mjs, Runtime.closeArticle)."""

from __future__ import annotations

from live_widgets.cell_runner import Kernel


def run(kernel: Kernel, code: str) -> dict:
    return kernel.dispatch({"type": "run", "code": code, "cellId": "c"})


def test_reset_forgets_the_previous_lessons_variables_and_keeps_show():
    kernel = Kernel()
    run(kernel, "secret = 42\nimport math")
    assert run(kernel, "secret")["value"] == "42"
    kernel.dispatch({"type": "race", "id": 1, "chunk": 1, "settings": {"steps": 50}})
    answer = kernel.dispatch({"type": "reset"})
    assert answer["forgotten"] >= 5  # __name__, __builtins__, show, secret, math, ...
    out = run(kernel, "secret")
    assert out["error"] is not None and "NameError" in out["error"]
    assert run(kernel, "'math' in globals(), callable(show)")["value"] == "(False, True)"
    # the race was dropped: cancelling it finds nothing to cancel
    assert kernel.dispatch({"type": "cancel", "id": 1}) == {"cancelled": False}
