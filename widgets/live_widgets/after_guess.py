"""The ``after-guess`` directive: lesson text that discusses a predict prompt's result.

A predict prompt is spoiled if the paragraph under it already states the answer ("the
gradient at layer 1 is 2.0 × 10⁻⁵ times…"). So an author wraps that discussion::

    :::{after-guess} vanishing-sigmoid
    With these settings the gradient at layer 1 is …
    :::

The build writes the content as ordinary HTML inside
``<div class="lw-after-guess" data-lw-after="vanishing-sigmoid">``: without JavaScript,
and in search, it reads as plain text. The page script (``predict.mjs``) hides it while
the widget's prompt waits for a guess, with one line saying where it went, and shows it
when the guess is in; on paper it prints at the end of the page, for teachers.

The argument must name a chart widget on the same page that has a ``:predict:``
prompt; anything else fails the build with file and line.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator

from .build_errors import report_error
from .markup import start_tag
from .view_widget import view_widget
from .widget_base import NAME_PATTERN

DIRECTIVE_NAME = "after-guess"


class after_guess(nodes.General, nodes.Element):
    """Attribute ``widget``: the ``:name:`` of the predict widget. Children: the text."""


class AfterGuessDirective(SphinxDirective):
    """``{after-guess} WIDGET-NAME``, with Markdown content."""

    required_arguments = 1
    optional_arguments = 0
    has_content = True
    option_spec: dict[str, Any] = {}

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0].strip()
        node = after_guess()
        self.set_source_info(node)
        node["widget"] = name
        if not NAME_PATTERN.match(name):
            report_error(self.env, f"{{{DIRECTIVE_NAME}}}: {name!r} is not a widget name "
                         "(give the :name: of the chart widget whose prompt this text "
                         "answers)", node)
        if not self.content:
            report_error(self.env, f"{{{DIRECTIVE_NAME}}} {name}: the block is empty", node)
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


def check_targets(app: Sphinx, doctree: nodes.document) -> None:
    """Every ``after-guess`` names a predict widget of its own page (checked once the
    whole page is read, so the widget may come before or after the text)."""
    prompts = {node["ids"][0] for node in doctree.findall(view_widget)
               if node["ids"] and node.get("predict")}
    for node in doctree.findall(after_guess):
        if node["widget"] not in prompts:
            known = ", ".join(sorted(prompts)) or "none on this page"
            report_error(app.env, f"{{{DIRECTIVE_NAME}}} {node['widget']}: no chart widget "
                         f"with a :predict: prompt has that :name: (prompts: {known})", node)


def visit_after_guess_html(self: HTML5Translator, node: after_guess) -> None:
    self.body.append(start_tag("div", {"class": "lw-after-guess",
                                       "data-lw-after": node["widget"]}))


def depart_after_guess_html(self: HTML5Translator, node: after_guess) -> None:
    self.body.append("</div>\n")


def _pass(self: Any, node: nodes.Node) -> None:
    """Other builders (text, LaTeX…) write the content as ordinary text."""


def setup_after_guess(app: Sphinx) -> None:
    others = {builder: (_pass, _pass) for builder in ("latex", "text", "man", "texinfo")}
    app.add_node(after_guess, html=(visit_after_guess_html, depart_after_guess_html),
                 **others)
    app.add_directive(DIRECTIVE_NAME, AfterGuessDirective)
    app.connect("doctree-read", check_targets)
