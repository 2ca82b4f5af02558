"""Build-time results of gradflow, computed in CPython and cached on disk.

A widget's first chart, its fallback table and every ``{computed}`` number come from
here. Results are cached in the doctree directory, keyed by (what, settings) and by a
fingerprint of gradflow's source, so a rebuild after a text edit does not re-simulate,
while any change to the simulator recomputes everything.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from .markup import to_json

RACE = "race"


@lru_cache(maxsize=1)
def gradflow_fingerprint() -> str:
    import gradflow

    root = Path(gradflow.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def is_trainer(view: str) -> bool:
    """Whether ``view`` names a streamed trainer (gradflow.views.TRAINERS: the race, ...)
    rather than a view computed in one go."""
    from gradflow import views

    return view in views.TRAINERS


def view_definition(view: str) -> Any:
    """The gradflow object that lists ``controls`` and ``defaults`` for ``view``."""
    from gradflow import views

    if view in views.TRAINERS:
        return views.TRAINERS[view]
    return views.VIEWS[view]


def validate(view: str, settings: Mapping[str, Any]) -> dict[str, Any]:
    """Complete and check ``settings``; ``ValueError`` names the bad parameter."""
    from gradflow import views

    return views.validate_settings(view, dict(settings))


class ResultCache:
    """JSON files under ``directory``, one per key."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    def _path(self, kind: str, key: Any) -> Path:
        text = json.dumps([kind, key, gradflow_fingerprint()], sort_keys=True)
        return self.directory / f"{kind}-{hashlib.sha256(text.encode()).hexdigest()[:24]}.json"

    def _load(self, path: Path) -> Any:
        try:
            return json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return None

    def _store(self, path: Path, value: Any) -> Any:
        text = to_json(value)  # enforces the JSON contract before anything is cached
        self.directory.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, "utf-8")
        os.replace(tmp, path)  # atomic: parallel readers never see half a file
        return json.loads(text)

    def get_or_compute(self, kind: str, key: Any, compute: Any) -> Any:
        path = self._path(kind, key)
        cached = self._load(path)
        if cached is not None:
            return cached
        return self._store(path, compute())

    def view_result(self, view: str, settings: Mapping[str, Any]) -> dict[str, Any]:
        """The view result dict (ARCHITECTURE §3) for already validated settings."""
        return self.get_or_compute("view", [view, dict(settings)],
                                   lambda: compute_view(view, settings))

    def computed_value(self, expression: str) -> Any:
        """Value of a ``{computed}`` expression; only numbers and text are cached."""
        path = self._path("computed", expression)
        cached = self._load(path)
        if cached is not None:
            return cached["value"]
        value = evaluate_expression(expression)
        if isinstance(value, (int, float, str)) and not (
            isinstance(value, float) and not math.isfinite(value)
        ):
            self._store(path, {"value": value})
        return value


def compute_view(view: str, settings: Mapping[str, Any]) -> dict[str, Any]:
    """What a chart widget shows first, computed as the build computes it (also run by
    the lesson checker, so a view gradflow cannot compute is reported before a build)."""
    from gradflow import views

    if view in views.TRAINERS:
        return run_trainer(view, settings)
    return views.VIEWS[view].compute(dict(settings))


def run_trainer(view: str, settings: Mapping[str, Any]) -> dict[str, Any]:
    """Train a streamed trainer to the end, as the reader sees it before pressing Start."""
    from gradflow import views

    return views.TRAINERS[view](dict(settings)).run_to_end()


def evaluate_expression(expression: str) -> Any:
    """Evaluate with ``from gradflow import *`` in scope (the ``computed`` role)."""
    namespace: dict[str, Any] = {}
    exec("from gradflow import *", namespace)
    return eval(compile(expression, "<computed>", "eval"), namespace)
