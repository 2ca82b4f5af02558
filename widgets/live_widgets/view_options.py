"""Directive options of the chart widgets, derived from gradflow's settings schema.

Each setting of a view (its control specs in ``gradflow.controls`` form) becomes a
directive option whose name is the setting name with hyphens (``zero_init_branch`` →
``:zero-init-branch:``). Parsing the option's text is gradflow's job
(``gradflow.controls.parse_setting``), the same parser that reads share links, so the
build, the lesson checker and the browser accept the same words.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Callable, Mapping, Sequence


def option_name(setting: str) -> str:
    return setting.replace("_", "-")


def setting_name(option: str) -> str:
    return option.replace("-", "_")


def setting_converters(controls: Sequence[Mapping[str, Any]]) -> dict[str, Callable[[str], Any]]:
    """Option name → converter for every setting of a view."""
    from gradflow.controls import parse_setting

    return {option_name(c["name"]): partial(parse_setting, c) for c in controls}


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
