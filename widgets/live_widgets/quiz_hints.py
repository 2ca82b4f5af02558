"""Quizzes teach without telling: build-time checks that a question does not state its
own answer and that its hint (shown after a wrong answer) does not hold it either.

The explanation may give the answer away: the page shows it only after a right answer
or when the reader gives up. A hint is what a wrong answer gets instead.
"""

from __future__ import annotations

import math
import re

from gradflow.text import numbers_in


def states_number(text: str, answer: float, tolerance: float) -> bool:
    """True when ``text`` writes a number the quiz would accept as ``answer``."""
    margin = max(tolerance, 1e-9) * abs(answer) if answer else max(tolerance, 1e-12)
    return any(math.isclose(value, answer, rel_tol=0, abs_tol=margin)
               for value in numbers_in(text))


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def gives_choice_away(text: str, choice: str) -> bool:
    """True when ``text`` quotes the right choice (choices with fewer than five letters,
    such as "1/4" or "None", are too common to judge this way)."""
    words = _words(choice)
    if sum(ch.isalpha() for ch in choice) < 5:
        return False
    return f" {words} " in f" {_words(text)} "


def spoiler(question: str, hint: str, payload: dict, choices: list[str]) -> str | None:
    """What gives the answer away, as a message for the author, or None."""
    if "number" in payload:
        answer, tolerance = payload["number"], payload.get("tolerance", 0.0)
        if states_number(question, answer, tolerance):
            return (f'the question states its own answer ({answer:g}); ask for the number '
                    "without writing it (give the form as words, e.g. \"in the form 1e-5\")")
        if hint and states_number(hint, answer, tolerance):
            return f'"hint" gives the answer ({answer:g}) away; hint at the method instead'
        return None
    right = choices[payload["answer"]]
    if hint and gives_choice_away(hint, right):
        return f'"hint" quotes the right choice ({right!r}); hint at the idea instead'
    return None
