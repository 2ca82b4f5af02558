"""The settings schema of the views: one spec per setting, and the one parser of settings.

A control spec is a plain dict, shipped unchanged in every widget's page so the browser
reads the same types, ranges and choices it validates against here:

    {"name": "depth", "label": "Depth (layers)", "kind": "range", "type": "int",
     "min": 1, "max": 200, "step": 1, "help": "..."}

``kind`` is the form control (range, number, select, checkbox); ``type`` is the value's
type (int, float, str, bool), written out so that no reader of a spec has to guess it
from the bounds or from a default. ``choices`` (select only) is ``[[value, label], ...]``.

:func:`parse_setting` is the only place a setting written as text (a directive option,
a share link) becomes a value; :func:`validate_controls` checks a whole settings dict.
"""

from __future__ import annotations

from .config import check_bool, check_choice, check_float, check_int

# Words a checkbox setting accepts as text. The empty text is true so that a bare flag
# (":batch-norm:" in a directive, "?batch_norm" in a link) switches the setting on.
TRUE_WORDS = ("", "true", "yes", "on", "1")
FALSE_WORDS = ("false", "no", "off", "0")


def _numeric_type(*numbers) -> str:
    """int when every bound and the step are whole (the value is then a count or a seed)."""
    return "int" if all(isinstance(n, int) and not isinstance(n, bool) for n in numbers) else "float"


def range_control(name, label, low, high, step, help_):
    return {"name": name, "label": label, "kind": "range", "type": _numeric_type(low, high, step),
            "min": low, "max": high, "step": step, "help": help_}


def number_control(name, label, low, high, step, help_):
    return {"name": name, "label": label, "kind": "number", "type": _numeric_type(low, high, step),
            "min": low, "max": high, "step": step, "help": help_}


#: the seeds a reader may type where no claim rests on the seed: any draw is as good
FREE_SEEDS = (0, 10_000)


def seed_control(seeds: tuple[int, int] | None = None,
                 help_: str = "Change it to draw other random weights.") -> dict:
    """The "Random seed" setting, declared once for every view. Without ``seeds``: a
    number box over FREE_SEEDS. With ``seeds``, the seeds a claim of the lesson was
    measured over: a slider over exactly those, so the reader cannot leave them."""
    if seeds is None:
        return number_control("seed", "Random seed", *FREE_SEEDS, 1, help_)
    return range_control("seed", "Random seed", *seeds, 1, help_)


def select_control(name, label, choices, help_):
    values = [value for value, _ in choices]
    kind = "int" if all(isinstance(v, int) and not isinstance(v, bool) for v in values) else "str"
    if kind == "str" and not all(isinstance(v, str) for v in values):
        raise TypeError(f"the choices of {name} mix types: {values!r}")
    return {"name": name, "label": label, "kind": "select", "type": kind,
            "choices": [[value, text] for value, text in choices], "help": help_}


def checkbox_control(name, label, help_):
    return {"name": name, "label": label, "kind": "checkbox", "type": "bool", "help": help_}


def _from_text(control: dict, text: str):
    """The typed value of a setting written as text, or the text itself if it is not of the
    control's type (the range or choice check that follows then names what is allowed)."""
    name, kind = control["name"], control["type"]
    text = text.strip()
    if kind == "bool":
        if text.lower() in TRUE_WORDS:
            return True
        if text.lower() in FALSE_WORDS:
            return False
        raise ValueError(f"{name} must be true or false, got {text!r}")
    if kind == "str":
        return text
    try:
        return int(text) if kind == "int" else float(text)
    except ValueError:
        if control["kind"] == "select":
            return text
        word = "a whole number" if kind == "int" else "a number"
        raise ValueError(f"{name} must be {word} from {control['min']:g} to "
                         f"{control['max']:g}, got {text!r}") from None


def parse_setting(control: dict, value):
    """Check one setting against its spec and return it with the spec's type.

    Text (from Markdown or a URL) is parsed first; any other value must already have the
    right type. Raises ValueError naming the setting, the value and what is allowed.
    """
    if isinstance(value, str):
        value = _from_text(control, value)
    kind = control["kind"]
    name = control["name"]
    if kind == "checkbox":
        return check_bool(name, value)
    if kind == "select":
        return check_choice(name, value, tuple(v for v, _ in control["choices"]))
    low, high = control["min"], control["max"]
    if control["type"] == "int":
        return check_int(name, value, low, high)
    return check_float(name, value, low, high)


def validate_controls(controls: list[dict], defaults: dict, settings: dict, what: str) -> dict:
    """Defaults overlaid with settings, every value checked; unknown names are an error."""
    if not isinstance(settings, dict):
        raise ValueError(f"settings for {what} must be a dict, got {type(settings).__name__}")
    by_name = {c["name"]: c for c in controls}
    unknown = sorted(set(settings) - set(by_name))
    if unknown:
        raise ValueError(f"unknown setting {', '.join(map(repr, unknown))} for {what}; "
                         f"allowed: {', '.join(by_name)}")
    merged = dict(defaults)
    merged.update(settings)
    return {name: parse_setting(by_name[name], merged[name]) for name in by_name}
