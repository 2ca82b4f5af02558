"""Directive bodies written as YAML (``exercise``, ``quiz``), with errors at the right line."""

from __future__ import annotations

from typing import Any

import yaml

from .widget_base import WidgetError


def load_body(content: list[str] | Any, what: str) -> Any:
    """Parse the directive's content; YAML errors report the line inside the body."""
    text = "\n".join(content)
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1} of the {what} body)" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise WidgetError(f"the body is not valid YAML{where}: {problem}") from None


def require_text(item: dict[str, Any], key: str, where: str, required: bool = True) -> str:
    value = item.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise WidgetError(f'{where}: "{key}" must be non-empty text')
    return value


def reject_unknown(item: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(item) - allowed)
    if unknown:
        raise WidgetError(
            f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}"
        )
