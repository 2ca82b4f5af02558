"""Numbers written for readers: 3.2 × 10⁻⁹ rather than 3.2e-09.

The one number formatter of the Python side: the views' readouts, summaries and tables,
the command line and the ``{computed}`` role of the book all write numbers with
:func:`format_number`, so a number reads the same wherever it appears. The browser's
formatter follows the examples in ``tests/fixtures/number_format.json``.
"""

from __future__ import annotations

import math
import re

_SUPERSCRIPT = str.maketrans("-+0123456789", "⁻⁺⁰¹²³⁴⁵⁶⁷⁸⁹")
_EXPONENT = re.compile(r"^(?P<mantissa>[-+]?[0-9.]+)[eE](?P<exponent>[+-]?\d+)$")
# the typographic minus: a hyphen reads as a dash and breaks lines
MINUS = "\N{MINUS SIGN}"


def superscript(n: int) -> str:
    """``-9`` → ``⁻⁹`` (for 10⁻⁹ or 2⁵⁴)."""
    return str(int(n)).translate(_SUPERSCRIPT)


def _non_finite(x: float) -> str:
    if math.isnan(x):
        return "not a number"
    return "∞" if x > 0 else MINUS + "∞"


def format_number(value, digits: int = 2, *, spec: str | None = None) -> str:
    """A number as a reader should see it.

    With ``digits`` (the default): that many significant digits; plain decimals from
    0.01 to 9999 (0.012, 0.25, 1, 150, 3200), otherwise ``m × 10ⁿ`` (3.2 × 10⁻⁹,
    1 × 10⁵); trailing zeros dropped; 0 is "0"; non-finite values are "∞", "−∞" and
    "not a number".

    With ``spec``, an author's Python format spec (``.1e``, ``.3f``, ``,``): ``format``
    does the rounding and the digits it asked for are kept (``1.0 × 10⁻³``); only the
    exponent and the signs are typeset. Raises ``ValueError``/``TypeError`` for a spec
    that does not fit the value, as ``format`` does.

    Either way, minus signs are the typographic minus (−).
    """
    if spec is not None:
        if isinstance(value, float) and not math.isfinite(value):
            return _non_finite(value)
        return _typeset(format(value, spec))
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"format_number needs a number, got {type(value).__name__} {value!r}")
    if digits < 1:
        raise ValueError(f"digits must be at least 1, got {digits}")
    x = float(value)
    if not math.isfinite(x):
        return _non_finite(x)
    if x == 0:
        return "0"
    # the exponent after rounding, so 9999.7 at 2 digits is 1 × 10⁴, not 10000
    mantissa, exponent = f"{x:.{digits - 1}e}".split("e")
    if -2 <= int(exponent) <= 3:
        text = f"{x:.{max(digits - 1 - int(exponent), 0)}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    else:
        if "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        text = f"{mantissa} × 10{superscript(int(exponent))}"
    return text.replace("-", MINUS)


def _typeset(text: str) -> str:
    """``3.2e-09`` → ``3.2 × 10⁻⁹``; other text keeps its digits; minus signs typeset."""
    match = _EXPONENT.match(text.strip())
    if match:
        exponent = int(match["exponent"])
        mantissa = match["mantissa"]
        text = mantissa if exponent == 0 else f"{mantissa} × 10{superscript(exponent)}"
    return text.replace("-", MINUS)
