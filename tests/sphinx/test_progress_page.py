"""The progress page (issue 15): what each lesson contains, as the build lists it for the
page script, the page's markup, each lesson's progress line, and :predict-answer:."""

from __future__ import annotations

import base64
import json
import re
from html import unescape

import pytest

from live_widgets.extension import DIRECTIVES
from live_widgets.view_widget import GradientFlowDirective
from live_widgets.widget_base import WidgetError

LESSON_ONE = """\
# Counting regions

```{gradient-flow}
:name: flow
:depth: 4
:controls: depth
:predict: Which?
:predict-choices: Small | Large
:predict-answer: 1
```

```{gradient-flow}
:name: no-prompt
:depth: 4
```

:::{quiz}
:name: quiz-one
- question: What is the largest slope of the sigmoid?
  choices: ["1", "1/2", "1/4"]
  answer: 2
  explain: At zero.
- question: What is 0.25 squared?
  number: 0.0625
  explain: A sixteenth.
:::

:::{exercise} Compose two layers
:name: ex-one
task: |
  Return two.
starter: |
  def two():
      ...
checks:
  - name: It returns 2
    code: assert two() == 2
solution: |
  def two():
      return 2
:::
"""

LESSON_TWO = """\
# Text only

No widgets here.
"""

BOOK = {
    "index": "# Level\n\n```{toctree}\nlessons/b-regions\nlessons/a-text\nbook/progress\n```\n",
    "lessons/b-regions": LESSON_ONE,
    "lessons/a-text": LESSON_TWO,
    "book/progress": "# Your progress\n\n```{progress-page}\n```\n",
}


def manifest_of(html: str) -> dict:
    match = re.search(r'<script type="application/json" class="lw-progress-manifest">(.*?)</script>',
                      html, re.S)
    assert match, "the progress page carries its manifest"
    return json.loads(match.group(1))


@pytest.fixture(scope="module")
def book(module_book):
    return module_book(BOOK)


def test_the_manifest_lists_every_lesson_in_order_with_its_items(book):
    data = manifest_of(book.html("book/progress"))
    assert data == {"lessons": [
        {"page": "lessons/b-regions", "number": 1, "title": "Counting regions",
         "href": "../lessons/b-regions.html", "prompts": ["flow"],
         "questions": ["quiz-one-q0", "quiz-one-q1"], "exercises": ["ex-one"]},
        {"page": "lessons/a-text", "number": 2, "title": "Text only",
         "href": "../lessons/a-text.html", "prompts": [], "questions": [], "exercises": []},
    ]}


def test_manifest_ids_are_the_ids_the_widgets_carry(book):
    lesson = book.html("lessons/b-regions")
    data = manifest_of(book.html("book/progress"))
    items = data["lessons"][0]
    for widget in items["prompts"] + items["exercises"]:
        assert f'id="{widget}"' in lesson
    # a question's id is its quiz's id and its number, as its radio group is named
    assert 'name="quiz-one-q0"' in lesson and 'id="quiz-one-q1-answer"' in lesson


def test_the_progress_page_says_it_needs_javascript_and_loads_the_page_script(book):
    html = book.html("book/progress")
    assert re.search(r'<div class="lw-progress-page" id="progress"[^>]*>\s*'
                     r'<p class="lw-progress-needs-js">This page needs JavaScript', html)
    assert "Your progress stays in this browser only" in html
    assert "live-widgets.js" in html and "live-widgets.css" in html
    # no generic "the charts on this page are live" notice: this page has no charts
    assert "lw-noscript-notice" not in html


def test_each_lesson_has_a_progress_line_with_its_items_and_a_link(book):
    html = book.html("lessons/b-regions")
    match = re.search(r'<p class="lw-progress-line" data-lw-page="lessons/b-regions" '
                      r'data-lw-items="([^"]*)">(.*?)</p>', html, re.S)
    assert match
    assert json.loads(unescape(match.group(1))) == {
        "prompts": ["flow"], "questions": ["quiz-one-q0", "quiz-one-q1"],
        "exercises": ["ex-one"]}
    assert '<a href="../book/progress.html">Progress page</a>' in match.group(2)
    # inside the lesson strip, so every lesson has one and other pages none
    assert 'class="lw-progress-line"' in book.html("lessons/a-text")
    assert "lw-progress-line" not in book.html("book/progress")


def test_predict_answer_is_encoded_on_the_prompt_only_when_given(book):
    html = book.html("lessons/b-regions")
    match = re.search(r'<fieldset class="lw-predict" data-lw-payload="([^"]+)">', html)
    assert match
    assert json.loads(base64.b64decode(match.group(1))) == {"answer": 1}
    assert html.count('class="lw-predict"') == 1


@pytest.mark.parametrize("options, message", [
    ({"predict": "Which?", "predict-choices": "A | B", "predict-answer": "2"},
     "not the index of one of the 2"),
    ({"predict": "Which?", "predict-choices": "A | B", "predict-answer": "B"},
     "give the index of the right choice"),
    ({"predict": "Which?", "predict-choices": "A | B", "predict-answer": "-1"},
     "cannot be negative"),
    ({"predict-answer": "0"}, "not the index of one of the 0"),
])
def test_a_bad_predict_answer_is_refused_with_its_option(options, message):
    with pytest.raises(WidgetError, match=message):
        GradientFlowDirective.parse([], options, [])


def test_the_checker_knows_the_progress_page_directive():
    assert "progress-page" in DIRECTIVES
    assert DIRECTIVES["progress-page"].parse([], {}, []) == {}
    with pytest.raises(WidgetError, match="no argument and no body"):
        DIRECTIVES["progress-page"].parse([], {}, ["lessons: 3"])


def test_a_book_without_a_progress_page_has_lines_without_a_link(build_book):
    built = build_book({
        "index": "# Level\n\n```{toctree}\nlessons/one\n```\n",
        "lessons/one": "# One\n\nText.\n",
    })
    html = built.html("lessons/one")
    assert 'class="lw-progress-line"' in html
    line = re.search(r'<p class="lw-progress-line".*?</p>', html, re.S).group(0)
    assert "<a " not in line
