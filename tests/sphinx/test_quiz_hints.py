"""Quizzes that teach without telling (live_widgets.quiz_hints): a question may not state
its own answer, a hint may not hold it, and a good hint travels in the payload."""

from __future__ import annotations

import base64
import json
import re

import pytest

from live_widgets.quiz_hints import gives_choice_away, numbers_in, states_number


@pytest.mark.parametrize("text, expected", [
    ("in the form 9.09e-13", [9.09e-13]),
    ("about 9.09 × 10⁻¹³ or 2 x 10^-5", [9.09e-13, 2e-5]),
    ("−3.5 and 1,000 layers", [-3.5, 1000.0]),
])
def test_numbers_are_read_in_every_written_form(text, expected):
    assert numbers_in(text) == pytest.approx(expected, rel=1e-9)


def test_a_number_within_the_tolerance_counts_as_the_answer():
    assert states_number("Give your answer in the form 9.09e-13.", 9.09e-13, 0.02)
    assert states_number("roughly 9.1 × 10⁻¹³", 9.09e-13, 0.02)
    assert not states_number("Type e-notation such as 3e-8.", 9.09e-13, 0.02)
    assert not states_number("20 layers, each at most 1/4", 9.09e-13, 0.02)


def test_quoting_the_right_choice_gives_it_away_but_short_choices_are_not_judged():
    assert gives_choice_away("Think: the answer is Overfitting here", "Overfitting")
    assert not gives_choice_away("Which problem overfits?", "Overfitting")
    assert not gives_choice_away("Multiply by 1/4 twice", "1/4")


QUIZ = """\
# Page

:::{{quiz}}
{body}
:::
"""


@pytest.mark.parametrize("body, message", [
    ('- question: What is 0.25 ** 20? Give it in the form 9.09e-13.\n  number: 9.09e-13\n'
     '  tolerance: 0.02\n  explain: E',
     "question 1: the question states its own answer"),
    ('- question: What is 0.25 ** 20?\n  number: 9.09e-13\n  tolerance: 0.02\n'
     '  hint: It is about 9.1e-13.\n  explain: E',
     'question 1: "hint" gives the answer'),
    ('- question: Which problem?\n  choices: ["Vanishing gradients", "Overfitting"]\n'
     '  answer: 1\n  hint: It is overfitting.\n  explain: E',
     'question 1: "hint" quotes the right choice'),
])
def test_a_quiz_that_tells_fails_the_build_with_file_and_line(build_with_problems, body,
                                                              message):
    built = build_with_problems({"index": QUIZ.format(body=body)})
    assert built.statuscode != 0
    assert "index.md:3: ERROR: quiz:" in built.warnings and message in built.warnings


def test_the_hint_travels_in_the_payload_apart_from_the_explanation(build_book):
    body = ('- question: Which problem lowers the training error but raises the test error?\n'
            '  choices: ["Vanishing gradients", "Overfitting"]\n  answer: 1\n'
            '  hint: Compare the error on seen and unseen data.\n'
            '  explain: Overfitting memorises the training set.')
    html = build_book({"index": QUIZ.format(body=body)}).html()
    encoded = re.search(r'data-lw-payload="([^"]+)"', html).group(1)
    assert json.loads(base64.b64decode(encoded)) == [{
        "answer": 1, "hint": "Compare the error on seen and unseen data.",
        "explain": "Overfitting memorises the training set."}]
    assert "Compare the error" not in html  # only in the payload, never beside the question
