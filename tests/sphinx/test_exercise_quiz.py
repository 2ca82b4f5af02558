"""exercise and quiz: hidden payloads, rendered task, and build-time validation."""

from __future__ import annotations

import base64
import json
import re

import pytest

from conftest import initial_json, widget

PAGE = '''
# Practice

:::{exercise} Square a number
:name: ex-square
task: |
  Write **square**(x).
starter: |
  def square(x):
      ...
checks:
  - name: squares 3
    code: assert square(3) == 9, "square(3) should be 9"
hints:
  - Multiply x by itself.
solution: |
  def square(x):
      return x * x
:::

:::{quiz}
:name: quiz-one
- question: Which is *largest*?
  choices: ["1", "2", "3"]
  answer: 2
  explain: Three is the largest.
- question: What is 2 to the power 10?
  number: 1024
  tolerance: 0.01
  explain: 2¹⁰ = 1024.
:::
'''


def payload(html: str):
    match = re.search(r'data-lw-payload="([^"]+)"', html)
    return json.loads(base64.b64decode(match.group(1)))


@pytest.fixture(scope="module")
def page(module_book):
    return module_book({"index": PAGE}).html()


def test_exercise_payload_and_dom(page):
    html = widget(page, "ex-square") + page[page.index('id="ex-square"'):][:4000]
    assert payload(html) == {
        "checks": [{"name": "squares 3", "code": 'assert square(3) == 9, "square(3) should be 9"'}],
        "hints": ["Multiply x by itself."],
        "solution": "def square(x):\n    return x * x",
    }
    # checks, hints and solution are not readable as plain text in the page
    for secret in ("square(3) == 9", "Multiply x by itself", "return x * x"):
        assert secret not in page
    assert "<strong>square</strong>" in html  # the task is rendered Markdown
    start = page.index('id="ex-square"')
    nested = page[page.index('<div class="lw-widget lw-cell"', start):]
    assert initial_json(nested)["code"] == "def square(x):\n    ...\n"
    assert initial_json(nested)["outputs"]["value"] is None  # starters are not run


def test_quiz_payload_and_dom(page):
    html = page[page.index('id="quiz-one"') - 100:]
    assert payload(html) == [
        {"answer": 2, "explain": "Three is the largest."},
        {"number": 1024.0, "tolerance": 0.01, "explain": "2¹⁰ = 1024."},
    ]
    assert "Three is the largest" not in page
    assert "<legend>Which is <em>largest</em>?</legend>" in html  # inline Markdown rendered


def test_solution_must_pass_its_checks(build_with_problems):
    built = build_with_problems({"index": """
        # Page

        :::{exercise} Broken
        task: Do it.
        checks:
          - name: is four
            code: assert answer == 4, "answer should be 4"
        solution: answer = 5
        :::
        """})
    assert built.statuscode != 0
    assert "index.md:4: ERROR: exercise: the solution does not pass its own checks" in built.warnings
    assert "is four: answer should be 4" in built.warnings


@pytest.mark.parametrize("body, message", [
    ("task: x\nsolution: y = 1\n", '"checks" must be a non-empty list'),
    ("task: x\nchecks: [{name: a, code: 'assert 1'}]\nsolution: y = 1\nextra: 1\n",
     "unknown key(s) extra"),
    ("task: [unclosed\n", "the body is not valid YAML (line 2 of the exercise body)"),
    ("checks: [{name: a, code: 'assert 1'}]\nsolution: y = 1\n", '"task" must be non-empty text'),
])
def test_bad_exercise_fails_with_file_and_line(build_with_problems, body, message):
    indented = body.replace("\n", "\n        ")
    built = build_with_problems({"index": f"""
        # Page

        :::{{exercise}} Title
        {indented}
        :::
        """})
    assert built.statuscode != 0
    assert "index.md:4: ERROR: exercise:" in built.warnings and message in built.warnings


@pytest.mark.parametrize("body, message", [
    ('- question: Q\n  choices: ["a", "b"]\n  answer: 5\n  explain: E\n',
     'question 1: "answer" must be the index (0 to 1)'),
    ('- question: Q\n  number: 1\n  tolerance: -1\n  explain: E\n', '"tolerance" (relative) must not be negative'),
    ('- question: Q\n  explain: E\n', 'give either "choices" and "answer" or "number"'),
    ('- question: Q\n  choices: ["a", "b"]\n  answer: 0\n', 'question 1: "explain" must be non-empty text'),
    ("question: not a list\n", "the body must be a YAML list of questions"),
])
def test_bad_quiz_fails_with_file_and_line(build_with_problems, body, message):
    indented = body.replace("\n", "\n        ")
    built = build_with_problems({"index": f"""
        # Page

        :::{{quiz}}
        {indented}
        :::
        """})
    assert built.statuscode != 0
    assert "index.md:4: ERROR: quiz:" in built.warnings and message in built.warnings
