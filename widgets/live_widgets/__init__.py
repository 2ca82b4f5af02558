"""live_widgets: Sphinx directives for Deep Revolution's live Python cells, exercises,
quizzes and gradflow charts (ARCHITECTURE.md §4-§6)."""

from __future__ import annotations

from typing import Any

__version__ = "1.0.0"


def setup(app: Any) -> dict[str, Any]:
    from .extension import setup_extension

    setup_extension(app)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": 1}
