"""Numbers written for readers: 3.2 × 10⁻⁹ rather than 3.2e-09.

The one number formatter of the Python side: the views' readouts, summaries and tables,
the command line and the ``{computed}`` role of the book all write numbers with
:func:`format_number`, so a number reads the same wherever it appears. The browser's
formatter follows the examples in ``tests/fixtures/number_format.json``.

And the one number reader: :func:`read_number` takes back what :func:`format_number`
writes (and what a reader types), and :func:`numbers_in` finds every number a text
writes, for the checks that a quiz or a page does not state an answer too early.
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


# ----------------------------------------------------------------------------- reading

_DIGITS_OF = str.maketrans("⁻⁺⁰¹²³⁴⁵⁶⁷⁸⁹−", "-+0123456789-")
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SUP = "[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+"
#: 0.25, −3.5, 1,234,567, 2e-05, 3.2 × 10⁻⁹, 9.09 x 10^-13, 10⁻⁵, 2⁵⁴, 6.9 thousand, 50 %.
#: A sign counts only where it cannot be a hyphen or a range's dash ("0-9", "2-layer");
#: a number never starts inside another one ("0.27.7" is 0.27, "(1,5)" is 1).
_WRITTEN = re.compile(
    r"(?P<sign>(?<![\w)])[-+−])?"
    r"(?<![\d.,⁰¹²³⁴⁵⁶⁷⁸⁹])(?P<mantissa>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s*[×x*·]\s*10(?:\^\(?(?P<caret>[-+−]?\d+)\)?|(?P<times>" + _SUP + r"))"
    r"|[eE](?P<e>[-+−]?\d+)(?!\w|\.\d)"
    r"|(?P<power>" + _SUP + r")"
    r"|\s+(?P<scale>" + "|".join(_SCALES) + r")\b)?"
    r"(?P<percent>\s?%)?"
)
_NON_FINITE = {"∞": math.inf, "+∞": math.inf, "−∞": -math.inf, "-∞": -math.inf,
               "not a number": math.nan}


class WrittenNumber(float):
    """A number found in a text. It is the float it stands for, and it remembers how it
    was written: ``text`` as written, ``digits`` (significant digits of its mantissa:
    "0.0250" has 3), ``whole`` (written as a whole number, without a power or a scale
    word), ``percent`` (followed by %), and ``span`` (where it is in the text)."""

    text: str
    digits: int
    whole: bool
    percent: bool
    span: tuple[int, int]

    def __new__(cls, value: float, text: str, digits: int, whole: bool, percent: bool,
                span: tuple[int, int]) -> "WrittenNumber":
        number = super().__new__(cls, value)
        number.text, number.digits, number.whole = text, digits, whole
        number.percent, number.span = percent, span
        return number

    def __repr__(self) -> str:
        return f"WrittenNumber({float(self)!r}, {self.text!r})"


def numbers_in(text: str) -> list[WrittenNumber]:
    """Every number written in ``text``, in any form :func:`format_number` writes or a
    reader types (see ``_WRITTEN``), in order."""
    found = []
    for match in _WRITTEN.finditer(text):
        mantissa = match["mantissa"].replace(",", "")
        exponent = match["caret"] or match["times"] or match["e"]
        try:
            if exponent is not None:
                # through the text, so 1 × 10⁻³²⁰ is the float nearest to it and
                # 1 × 10⁴⁰⁰ is ∞, rather than an OverflowError
                value = float(f"{mantissa}e{int(exponent.translate(_DIGITS_OF))}")
            elif match["power"]:
                value = float(mantissa) ** int(match["power"].translate(_DIGITS_OF))
            else:
                value = float(mantissa) * _SCALES.get(match["scale"], 1.0)
        except OverflowError:
            value = math.inf
        if match["sign"] in ("-", "−"):
            value = -value
        digits = max(1, len(mantissa.replace(".", "").lstrip("0")))
        whole = "." not in mantissa and not (exponent or match["power"] or match["scale"])
        found.append(WrittenNumber(value, match[0], digits, whole, bool(match["percent"]),
                                   match.span()))
    return found


def read_number(text: str) -> float:
    """The number ``text`` is, written as :func:`format_number` writes it or as a reader
    types it: ``read_number("3.2 × 10⁻⁹") == 3.2e-9``, "−0.5", "1,234,567", "2e-05",
    "6.9 thousand", "∞", "not a number". A percentage reads as its number ("50 %" is 50).
    Raises ``ValueError`` for text that is not exactly one number."""
    if not isinstance(text, str):
        raise TypeError(f"read_number needs text, got {type(text).__name__} {text!r}")
    stripped = text.strip()
    if stripped in _NON_FINITE:
        return _NON_FINITE[stripped]
    found = numbers_in(stripped)
    if len(found) != 1 or found[0].span != (0, len(stripped)):
        raise ValueError(f"{text!r} is not one number "
                         f"(it holds {len(found)}: {[n.text for n in found]})")
    return float(found[0])
