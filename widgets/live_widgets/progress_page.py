"""The student's progress: what each lesson contains, the ``{progress-page}`` directive,
and the manifest the page script counts against.

The browser records answers per page (``js/progress-store.mjs``); to say "2 of 3 prompts
answered" it needs to know what each lesson contains. That list is collected here while
Sphinx reads the documents (the ids of the predict prompts, quiz questions and exercises,
exactly as the widgets' markup writes them) and written into the progress page as a JSON
block, and into each lesson's progress line (``lesson_progress.py``) for that lesson.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.writers.html5 import HTML5Translator

from .build_errors import report_error
from .exercise import exercise_node
from .lesson_progress import lesson_order
from .markup import element, json_script, start_tag
from .quiz import quiz_node, quiz_question
from .view_widget import view_widget
from .widget_base import WidgetDirective, WidgetError, check_name, convert_options, html_only

#: the summary code holds each count in one character (js/progress-store.mjs CODE_MAX)
CODE_MAX = 31

NEEDS_JAVASCRIPT = (
    "This page needs JavaScript: it reads your progress from this browser's storage. "
    "Your progress stays in this browser only; it is never sent anywhere."
)


class progress_page_node(nodes.General, nodes.Element):
    """The progress page's widget; its manifest is written when the page is written, once
    every lesson has been read."""


Items = dict[str, list[str]]


def _items(env: BuildEnvironment) -> dict[str, Items]:
    if not hasattr(env, "lw_progress_items"):
        env.lw_progress_items = {}
    return env.lw_progress_items


def _pages(env: BuildEnvironment) -> dict[str, int]:
    """Documents holding a ``{progress-page}`` (docname → line)."""
    if not hasattr(env, "lw_progress_pages"):
        env.lw_progress_pages = {}
    return env.lw_progress_pages


def page_items(doctree: nodes.document) -> Items:
    """The ids a page's widgets record progress under, in page order: predict prompts
    (the chart widget's id), quiz questions (``QUIZ-qN``, as quiz.py numbers them) and
    exercises."""
    items: Items = {"prompts": [], "questions": [], "exercises": []}
    for node in doctree.findall(lambda n: isinstance(n, (view_widget, quiz_node, exercise_node))):
        if not node["ids"]:
            continue
        widget_id = node["ids"][0]
        if isinstance(node, view_widget):
            if node.get("predict"):
                items["prompts"].append(widget_id)
        elif isinstance(node, quiz_node):
            items["questions"] += [f"{widget_id}-q{q['number']}"
                                   for q in node.findall(quiz_question)]
        else:
            items["exercises"].append(widget_id)
    return items


def _collect(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    items = page_items(doctree)
    if any(items.values()):
        _items(env)[env.docname] = items
    for node in doctree.findall(progress_page_node):
        _pages(env)[env.docname] = node.line or 0


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _items(env).pop(docname, None)
    _pages(env).pop(docname, None)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str],
           other: BuildEnvironment) -> None:
    for docname in docnames:
        if docname in _items(other):
            _items(env)[docname] = _items(other)[docname]
        if docname in _pages(other):
            _pages(env)[docname] = _pages(other)[docname]


def _outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
              removed: set[str]) -> list[str]:
    # the progress page lists every lesson: rewrite it whenever any document changes
    if added or changed or removed:
        return [d for d in _pages(env) if d not in removed]
    return []


def lesson_items(env: BuildEnvironment, docname: str) -> Items:
    return _items(env).get(docname, {"prompts": [], "questions": [], "exercises": []})


def progress_page_docname(env: BuildEnvironment) -> str | None:
    """The page a lesson's progress line links to (the first, if an author made two)."""
    pages = sorted(_pages(env))
    return pages[0] if pages else None


def manifest(app: Sphinx, from_docname: str) -> dict[str, Any]:
    """Every lesson in reading order with what it contains; links relative to
    ``from_docname``."""
    env = app.env
    lessons = []
    for number, docname in enumerate(lesson_order(env), start=1):
        items = lesson_items(env, docname)
        title = env.titles[docname].astext() if docname in env.titles else docname
        lessons.append({
            "page": docname,
            "number": number,
            "title": title,
            "href": app.builder.get_relative_uri(from_docname, docname),
            **items,
        })
    return {"lessons": lessons}


def check_code_limits(data: Mapping[str, Any]) -> list[str]:
    """What the printed summary's code cannot hold (each count is one character)."""
    problems = []
    if len(data["lessons"]) > CODE_MAX:
        problems.append(f"the summary code holds at most {CODE_MAX} lessons, the book has "
                        f"{len(data['lessons'])}")
    for lesson in data["lessons"]:
        for kind in ("prompts", "questions", "exercises"):
            if len(lesson[kind]) > CODE_MAX:
                problems.append(f"{lesson['page']} has {len(lesson[kind])} {kind}; the "
                                f"summary code holds at most {CODE_MAX} per lesson")
    return problems


class ProgressPageDirective(WidgetDirective):
    """``{progress-page}``: the student's progress page (no options but ``:name:``)."""

    directive_name = "progress-page"
    has_content = False

    @classmethod
    def parse(cls, arguments: Sequence[str], options: Mapping[str, str],
              content: Sequence[str]) -> dict[str, Any]:
        if arguments or any(line.strip() for line in content):
            raise WidgetError("takes no argument and no body; the page lists the lessons "
                              "of the table of contents by itself")
        convert_options(cls.converters(), options)
        return {}

    def build(self) -> list[nodes.Node]:
        self.parsed()
        node = progress_page_node()
        self.set_source_info(node)
        self.register_name(node, check_name(self.options.get("name", "progress")))
        return [node]


def visit_progress_page_html(self: HTML5Translator, node: progress_page_node) -> None:
    app = self.builder.app
    data = manifest(app, self.builder.current_docname)
    for problem in check_code_limits(data):
        report_error(app.env, f"progress-page: {problem}", node)
    self.body.append(
        start_tag("div", {"class": "lw-progress-page", "id": node["ids"][0],
                          "data-lw-state": "static"})
        + element("p", {"class": "lw-progress-needs-js"}, NEEDS_JAVASCRIPT)
        + json_script(data, "lw-progress-manifest")
        + "</div>\n"
    )
    raise nodes.SkipNode


def setup_progress_page(app: Sphinx) -> None:
    app.add_node(progress_page_node, **html_only(visit_progress_page_html))
    app.connect("doctree-read", _collect)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _outdated)
