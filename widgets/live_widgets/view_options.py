"""Directive options derived from gradflow's view definitions (one source of truth).

Each setting of a view (``views.VIEWS[name].defaults`` and ``.controls``, or
``views.TrainingRace``) becomes a directive option whose name is the setting name with
hyphens (``zero_init_branch`` → ``:zero-init-branch:``). The converter parses the text
into the type of the default; ranges and cross-field rules are left to
``gradflow.views.validate_settings`` so the browser and the build agree.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

from docutils.parsers.rst import directives

_TRUE = {"", "true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def option_name(setting: str) -> str:
    return setting.replace("_", "-")


def setting_name(option: str) -> str:
    return option.replace("-", "_")


def boolean(argument: str | None) -> bool:
    """A flag (``:batch-norm:``) or an explicit ``true``/``false``."""
    text = (argument or "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f'expected "true" or "false", got "{argument}"')


def _typed(default: Any) -> Callable[[str], Any]:
    if isinstance(default, bool):
        return boolean
    if isinstance(default, int):
        def to_int(argument: str) -> int:
            try:
                return int((argument or "").strip())
            except ValueError:
                raise ValueError(f'expected a whole number, got "{argument}"') from None
        return to_int
    if isinstance(default, float):
        def to_float(argument: str) -> float:
            try:
                return float((argument or "").strip())
            except ValueError:
                raise ValueError(f'expected a number, got "{argument}"') from None
        return to_float
    return directives.unchanged_required


def _choice(values: Sequence[Any], default: Any) -> Callable[[str], Any]:
    allowed = [str(v) for v in values]
    convert = _typed(default)

    def choose(argument: str) -> Any:
        text = (argument or "").strip()
        if text not in allowed:
            raise ValueError(f'"{text}" is not one of: {", ".join(allowed)}')
        return convert(text)
    return choose


def setting_converters(controls: Sequence[Mapping[str, Any]],
                       defaults: Mapping[str, Any]) -> dict[str, Callable[[str], Any]]:
    """Option name → converter for every setting of a view."""
    by_name = {c["name"]: c for c in controls}
    converters: dict[str, Callable[[str], Any]] = {}
    for name, default in defaults.items():
        control = by_name.get(name)
        if control is not None and control.get("kind") == "select" and control.get("choices"):
            converters[option_name(name)] = _choice([v for v, _ in control["choices"]], default)
        else:
            converters[option_name(name)] = _typed(default)
    return converters


def control_list(controls: Sequence[Mapping[str, Any]]) -> Callable[[str], list[str]]:
    """Converter for ``:controls:``: space-separated setting names, or ``none``."""
    known = [c["name"] for c in controls]

    def parse(argument: str) -> list[str]:
        words = (argument or "").split()
        if words == ["none"]:
            return []
        names = [setting_name(w.strip(",")) for w in words]
        unknown = [n for n in names if n not in known]
        if unknown or not names:
            raise ValueError(
                f'unknown control(s) {", ".join(map(option_name, unknown)) or "(empty)"}; '
                f'choose from: {", ".join(map(option_name, known))} (or "none")'
            )
        return names
    return parse
