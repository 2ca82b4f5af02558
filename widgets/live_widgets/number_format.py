"""Numbers as readers expect to see them: ``3.2 × 10⁻⁹`` rather than ``3.2e-09``.

Used by the ``computed`` role and the fallback tables, so text and tables agree.
"""

from __future__ import annotations

import math
import re

_SUPERSCRIPT = str.maketrans("0123456789-+", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺")
_EXPONENT = re.compile(r"^(?P<mantissa>-?[0-9.]+)[eE](?P<exponent>[+-]?\d+)$")


def format_number(value: object, spec: str = "") -> str:
    """``format(value, spec)`` with scientific notation rewritten as ``m × 10ⁿ``.

    ``.1e`` gives ``3.2 × 10⁻⁹``; ``.3f`` a plain decimal; a mantissa of exactly 1 is
    kept (``1.0 × 10⁻³``) because the spec asked for those digits. Minus signs become
    the typographic minus. Raises ``ValueError``/``TypeError`` for a spec that does not
    fit the value, as ``format`` does.
    """
    if isinstance(value, float) and not math.isfinite(value):
        return {"inf": "∞", "-inf": "−∞"}.get(str(value), "not a number")
    text = format(value, spec)
    match = _EXPONENT.match(text.strip())
    if match:
        exponent = int(match["exponent"])
        mantissa = match["mantissa"]
        if exponent == 0:
            text = mantissa
        else:
            text = f"{mantissa} × 10{str(exponent).translate(_SUPERSCRIPT)}"
    return text.replace("-", "−")
