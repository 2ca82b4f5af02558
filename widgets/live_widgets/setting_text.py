"""Words beside a chart that follow its settings: ``{depth}`` in a ``:predict:``,
``:predict-choices:`` or ``:caption:`` option is the current value of that setting.

A prompt that says "In this 30-layer network" is wrong as soon as the reader, or a
teacher's share link, sets 50 layers. So an author writes "In this {depth}-layer
network": the build writes the value the widget opens with, and keeps the template in
``data-lw-template`` for the page script to refill after every change of settings. A
prompt or caption that writes, as a plain number, the value of a control the reader can
change fails the build with a message that says which placeholder to use.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

from gradflow.text import numbers_in

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
#: controls whose value a sentence names as a count ("30 layers", "54 blocks"); number
#: boxes (std, gain, seed) are left out, or "layer 1" would count as a gain of 1
NUMERIC_KINDS = ("range",)


def setting_text(value: Any) -> str:
    """How a setting reads in a sentence (``1.0`` → ``1``, as the page script writes it)."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float):
        return format(value, "g")
    return str(value)


def fill(template: str, settings: Mapping[str, Any]) -> str:
    """The template with each ``{name}`` replaced; ``ValueError`` names an unknown one."""
    unknown = sorted({name for name in PLACEHOLDER.findall(template) if name not in settings})
    if unknown:
        raise ValueError(f"unknown setting(s) in braces: {', '.join(unknown)}; "
                         f"known: {', '.join(sorted(settings))}")
    return PLACEHOLDER.sub(lambda m: setting_text(settings[m.group(1)]), template)


def fixed_numbers(template: str, controls: Iterable[Mapping[str, Any]],
                  settings: Mapping[str, Any]) -> list[str]:
    """Messages for numbers written out that a visible control can change."""
    written = numbers_in(PLACEHOLDER.sub(" ", template))
    problems = []
    for control in controls:
        name, value = control["name"], settings.get(control["name"])
        if control.get("kind") not in NUMERIC_KINDS or isinstance(value, bool) \
                or not isinstance(value, (int, float)):
            continue
        if any(number == value for number in written):
            problems.append(f"it writes {setting_text(value)}, which the reader can change "
                            f"with the {control.get('label', name)!r} control: write "
                            f"{{{name}}} instead")
    return problems
