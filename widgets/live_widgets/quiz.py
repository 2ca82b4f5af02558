"""The ``quiz`` directive (ARCHITECTURE §4, §5): multiple-choice and numeric questions
answered in the page; answers and explanations travel in a base64 payload so they are
not readable beside the questions."""

from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

from .markup import b64_json, element, start_tag
from .quiz_hints import spoiler
from .widget_base import WidgetDirective, WidgetError, convert_options, html_only, widget_start
from .yaml_body import load_body, reject_unknown, require_text

# "hint": shown after a wrong answer (must not give the answer away, quiz_hints.py);
# "explain": shown after a right answer or when the reader gives up
CHOICE_KEYS = {"question", "choices", "answer", "explain", "hint"}
NUMBER_KEYS = {"question", "number", "tolerance", "explain", "hint"}


class quiz_node(nodes.General, nodes.Element):
    """Attributes: ``payload``. Children: :class:`quiz_question` nodes."""


class quiz_question(nodes.General, nodes.Element):
    """Attributes: ``number`` (0-based), ``numeric`` (bool). Children: a
    :class:`quiz_prompt`, then one :class:`quiz_choice` per choice."""


class quiz_prompt(nodes.General, nodes.TextElement):
    """The question text (inline Markdown)."""


class quiz_choice(nodes.General, nodes.TextElement):
    """One choice (inline Markdown); attribute ``number``."""


def _number(value: Any, where: str, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise WidgetError(f'{where}: "{key}" must be a finite number, got {value!r}')
    return float(value)


def parse_question(item: Any, number: int) -> dict[str, Any]:
    """Check one question; return its text, choices and its payload entry."""
    where = f"question {number}"
    if not isinstance(item, dict):
        raise WidgetError(f"{where}: must be a mapping with question, explain and "
                          "either choices + answer or number + tolerance")
    text = require_text(item, "question", where)
    explain = require_text(item, "explain", where)
    if "choices" in item:
        reject_unknown(item, CHOICE_KEYS, where)
        choices = item["choices"]
        if not isinstance(choices, list) or len(choices) < 2:
            raise WidgetError(f'{where}: "choices" must list at least two answers')
        answer = item.get("answer")
        if isinstance(answer, bool) or not isinstance(answer, int) \
                or not 0 <= answer < len(choices):
            raise WidgetError(f'{where}: "answer" must be the index (0 to {len(choices) - 1}) '
                              f"of the right choice, got {answer!r}")
        return _checked(text, [str(c) for c in choices],
                        {"answer": answer, "explain": explain}, item, where)
    if "number" in item:
        reject_unknown(item, NUMBER_KEYS, where)
        tolerance = _number(item.get("tolerance", 0.0), where, "tolerance")
        if tolerance < 0:
            raise WidgetError(f'{where}: "tolerance" (relative) must not be negative')
        return _checked(text, [], {"number": _number(item["number"], where, "number"),
                                   "tolerance": tolerance, "explain": explain}, item, where)
    raise WidgetError(f'{where}: give either "choices" and "answer" or "number" '
                      '(with an optional relative "tolerance")')


def _checked(text: str, choices: list[str], payload: dict[str, Any], item: dict[str, Any],
             where: str) -> dict[str, Any]:
    """Add the optional hint to the payload; refuse a question or hint that tells."""
    hint = require_text(item, "hint", where, required=False)
    problem = spoiler(text, hint, payload, choices)
    if problem:
        raise WidgetError(f"{where}: {problem}")
    if hint:
        payload["hint"] = hint
    return {"text": text, "choices": choices, "payload": payload}


class QuizDirective(WidgetDirective):
    directive_name = "quiz"
    has_content = True

    @classmethod
    def parse(cls, arguments: Sequence[str], options: Mapping[str, str],
              content: Sequence[str]) -> dict[str, Any]:
        convert_options(cls.converters(), options)
        body = load_body(content, "quiz")
        if not isinstance(body, list) or not body:
            raise WidgetError("the body must be a YAML list of questions (- question: ...)")
        questions = []
        for number, item in enumerate(body, 1):
            try:
                questions.append(parse_question(item, number))
            except WidgetError as error:
                raise WidgetError(str(error), question=number) from None
        return {"questions": questions}

    def _inline(self, text: str) -> list[nodes.Node]:
        parsed, messages = self.state.inline_text(text, self.lineno)
        return [*parsed, *messages]

    def build(self) -> list[nodes.Node]:
        questions = self.parsed()["questions"]
        node = quiz_node()
        self.set_source_info(node)
        self.register_name(node, self.widget_name())
        node["payload"] = [q["payload"] for q in questions]
        for number, question in enumerate(questions):
            item = quiz_question(number=number, numeric=not question["choices"])
            item += quiz_prompt("", "", *self._inline(question["text"]))
            for index, choice in enumerate(question["choices"]):
                item += quiz_choice("", "", *self._inline(choice), number=index)
            node += item
        return [node]


def _question_id(question: quiz_question) -> str:
    return f"{question.parent['ids'][0]}-q{question['number']}"


def visit_quiz_html(self: HTML5Translator, node: quiz_node) -> None:
    self.body.append(widget_start("quiz", node, {"data-lw-payload": b64_json(node["payload"])}))


def depart_quiz_html(self: HTML5Translator, node: quiz_node) -> None:
    self.body.append("</div>\n")


def visit_question_html(self: HTML5Translator, node: quiz_question) -> None:
    self.body.append(start_tag("fieldset", {"class": "lw-question",
                                            "data-lw-question": node["number"]}))


def depart_question_html(self: HTML5Translator, node: quiz_question) -> None:
    question_id = _question_id(node)
    if node["numeric"]:
        answer_id = f"{question_id}-answer"
        self.body.append(
            start_tag("div", {"class": "lw-number"})
            + element("label", {"for": answer_id}, "Your answer")
            + start_tag("input", {"type": "number", "step": "any", "id": answer_id,
                                  "name": answer_id, "inputmode": "decimal"})
            + "</div>"
        )
    self.body.append(
        element("button", {"type": "button", "class": "lw-check", "data-lw-action": "check"},
                "Check")
        + element("p", {"class": "lw-quiz-feedback", "aria-live": "polite"})
        + "</fieldset>\n"
    )


def visit_prompt_html(self: HTML5Translator, node: quiz_prompt) -> None:
    self.body.append("<legend>")


def depart_prompt_html(self: HTML5Translator, node: quiz_prompt) -> None:
    self.body.append("</legend>")


def visit_choice_html(self: HTML5Translator, node: quiz_choice) -> None:
    question_id = _question_id(node.parent)
    choice_id = f"{question_id}-c{node['number']}"
    self.body.append(
        start_tag("div", {"class": "lw-choice"})
        + start_tag("input", {"type": "radio", "name": question_id, "id": choice_id,
                              "value": node["number"]})
        + start_tag("label", {"for": choice_id})
    )


def depart_choice_html(self: HTML5Translator, node: quiz_choice) -> None:
    self.body.append("</label></div>")


def setup_quiz(app: Sphinx) -> None:
    app.add_node(quiz_node, **html_only(visit_quiz_html, depart_quiz_html))
    app.add_node(quiz_question, **html_only(visit_question_html, depart_question_html))
    app.add_node(quiz_prompt, **html_only(visit_prompt_html, depart_prompt_html))
    app.add_node(quiz_choice, **html_only(visit_choice_html, depart_choice_html))
