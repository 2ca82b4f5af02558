"""Build-time results cached on disk, so a rebuild after a text edit does not simulate again.

A widget's first chart, its fallback table and every ``{computed}`` number are computed
once (by build_results, the extension's one door to gradflow) and kept as strict JSON in
the doctree directory, keyed by (what, settings) and by a fingerprint of gradflow's
source: any change to the simulator recomputes everything.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from pathlib import Path
from typing import Any, Callable, Mapping

from .build_results import compute_view, evaluate_expression, gradflow_fingerprint
from .markup import to_json


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

    def get_or_compute(self, kind: str, key: Any, compute: Callable[[], Any]) -> Any:
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
