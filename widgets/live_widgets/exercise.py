"""The ``exercise`` directive (ARCHITECTURE §4, §5): a task, starter code in a nested
cell, and checks/hints/solution hidden in a base64 payload. At build time the solution
must pass every check (see :mod:`live_widgets.page_execution`)."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

from .live_code import make_cell
from .markup import b64_json, element
from .widget_base import WidgetDirective, WidgetError, convert_options, html_only, widget_start
from .yaml_body import load_body, reject_unknown, require_text

KEYS = {"task", "starter", "checks", "hints", "solution"}


class exercise_node(nodes.General, nodes.Element):
    """Attributes: ``title``, ``payload`` (checks, hints, solution). Children: the task
    (a container of parsed Markdown) and the starter :class:`live_code_cell`."""


def parse_exercise(body: Any) -> dict[str, Any]:
    """Check the YAML body's shape; return task, starter and the payload."""
    if not isinstance(body, dict):
        raise WidgetError(f"the body must be a mapping with keys {', '.join(sorted(KEYS))}")
    reject_unknown(body, KEYS, "exercise")
    checks = body.get("checks")
    if not isinstance(checks, list) or not checks:
        raise WidgetError('"checks" must be a non-empty list of {name, code}')
    for number, check in enumerate(checks, 1):
        where = f"check {number}"
        if not isinstance(check, dict):
            raise WidgetError(f"{where}: must be a mapping with name and code")
        reject_unknown(check, {"name", "code"}, where)
        require_text(check, "name", where)
        require_text(check, "code", where)
    hints = body.get("hints") or []
    if not isinstance(hints, list) or not all(isinstance(h, str) and h.strip() for h in hints):
        raise WidgetError('"hints" must be a list of non-empty texts')
    if any("`" in h for h in hints):
        # the page shows hints as plain text, so Markdown backticks would show as such
        raise WidgetError('"hints" are shown as plain text: write code in them without '
                          "backticks")
    return {
        "task": require_text(body, "task", "exercise"),
        "starter": require_text(body, "starter", "exercise", required=False),
        "payload": {
            "checks": [{"name": c["name"], "code": c["code"]} for c in checks],
            "hints": hints,
            "solution": require_text(body, "solution", "exercise"),
        },
    }


class ExerciseDirective(WidgetDirective):
    directive_name = "exercise"
    has_content = True
    required_arguments = 1
    final_argument_whitespace = True

    @classmethod
    def parse(cls, arguments: Sequence[str], options: Mapping[str, str],
              content: Sequence[str]) -> dict[str, Any]:
        convert_options(cls.converters(), options)
        return {"title": arguments[0], **parse_exercise(load_body(content, "exercise"))}

    def build(self) -> list[nodes.Node]:
        parsed = self.parsed()
        node = exercise_node()
        self.set_source_info(node)
        self.register_name(node, self.widget_name())
        node["title"] = parsed["title"]
        node["payload"] = parsed["payload"]
        task = nodes.container(classes=["lw-task"])
        self.state.nested_parse(StringList(parsed["task"].splitlines(), self.get_source_info()[0]),
                                self.content_offset, task)
        starter = make_cell(parsed["starter"], starter=True)
        self.set_source_info(starter)
        node += [task, starter]
        return [node]


def visit_exercise_html(self: HTML5Translator, node: exercise_node) -> None:
    self.body.append(
        widget_start("exercise", node, {"data-lw-payload": b64_json(node["payload"])})
        + element("p", {"class": "lw-title"}, node["title"])
    )


def depart_exercise_html(self: HTML5Translator, node: exercise_node) -> None:
    self.body.append(
        element("p", {"class": "lw-status", "role": "status", "aria-live": "polite"})
        + "</div>\n"
    )


def setup_exercise(app: Sphinx) -> None:
    app.add_node(exercise_node, **html_only(visit_exercise_html, depart_exercise_html))
