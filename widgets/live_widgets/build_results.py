"""The extension's one door to gradflow: what a view or trainer offers, its settings
checked, its result computed as the build computes it, ``{computed}`` expressions, and
the fingerprint of gradflow's source that keys the disk cache (result_cache.py).

gradflow is a hard dependency of the extension, so it is imported here, once, at the top.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import gradflow
from gradflow import views

RACE = "race"


@lru_cache(maxsize=1)
def gradflow_fingerprint() -> str:
    root = Path(gradflow.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def is_trainer(view: str) -> bool:
    """Whether ``view`` names a streamed trainer (gradflow.views.TRAINERS: the race, ...)
    rather than a view computed in one go."""
    return view in views.TRAINERS


def view_definition(view: str) -> Any:
    """The gradflow object that lists ``controls`` and ``defaults`` for ``view``."""
    if view in views.TRAINERS:
        return views.TRAINERS[view]
    return views.VIEWS[view]


def validate(view: str, settings: Mapping[str, Any]) -> dict[str, Any]:
    """Complete and check ``settings``; ``ValueError`` names the bad parameter."""
    return views.validate_settings(view, dict(settings))


def compute_view(view: str, settings: Mapping[str, Any]) -> dict[str, Any]:
    """What a chart widget shows first, computed as the build computes it (also run by
    the lesson checker, so a view gradflow cannot compute is reported before a build)."""
    if view in views.TRAINERS:
        return run_trainer(view, settings)
    return views.VIEWS[view].compute(dict(settings))


def run_trainer(view: str, settings: Mapping[str, Any]) -> dict[str, Any]:
    """Train a streamed trainer to the end, as the reader sees it before pressing Start."""
    return views.TRAINERS[view](dict(settings)).run_to_end()


def evaluate_expression(expression: str) -> Any:
    """Evaluate with ``from gradflow import *`` in scope (the ``computed`` role)."""
    namespace: dict[str, Any] = {}
    exec("from gradflow import *", namespace)
    return eval(compile(expression, "<computed>", "eval"), namespace)
