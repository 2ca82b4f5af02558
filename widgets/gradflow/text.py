"""Numbers written for readers: 3.2 × 10⁻⁹ rather than 3.2e-09."""

from __future__ import annotations

import math

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def format_number(x: float, digits: int = 2) -> str:
    """Scientific notation with a real times sign and superscript exponent.

    Numbers from 0.01 to 10 000 are written plainly (0.25, 1.0, 3200); 0 is "0";
    non-finite values are written "infinite" / "not a number" so a sentence stays true.
    """
    if math.isnan(x):
        return "not a number"
    if math.isinf(x):
        return "infinite" if x > 0 else "minus infinite"
    if x == 0:
        return "0"
    if 0.01 <= abs(x) < 10_000:
        return f"{x:.{digits}g}" if abs(x) < 1000 else f"{x:.0f}"
    mantissa, exponent = f"{x:.{digits - 1}e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"
