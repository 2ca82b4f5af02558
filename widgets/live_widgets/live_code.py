"""The ``live-code`` directive: an editable Python cell whose build-time output is
embedded (ARCHITECTURE §4, §5 ``cell``/``setup``). The code runs later, page by page,
in :mod:`live_widgets.page_execution`."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any, Mapping, Sequence

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

from .markup import element, json_script, start_tag
from .static_figure import cell_figures_html
from .widget_base import WidgetDirective, WidgetError, convert_options, html_only, widget_start

_EXCEPTION_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


class live_code_cell(nodes.General, nodes.Element):
    """Attributes: ``code``, ``code_line`` (file line of the code's first line),
    ``hidden`` (set-up cell), ``raises`` (expected exception name or ""), ``starter``
    (an exercise's starter code: embedded, not run),
    ``index`` and ``outputs`` (set when the page's cells have run)."""


def code_hash(code: str) -> str:
    """Key for the reader's saved edits: changes whenever the lesson's code changes."""
    return hashlib.sha256(code.encode("utf-8")).hexdigest()[:16]


def empty_outputs() -> dict[str, Any]:
    return {"stdout": "", "stderr": "", "value": None, "error": None, "figures": []}


def make_cell(code: str, *, hidden: bool = False, raises: str = "",
              starter: bool = False) -> live_code_cell:
    node = live_code_cell()
    node["code"] = code
    node["hidden"] = hidden
    node["raises"] = raises
    node["starter"] = starter
    node["index"] = 0
    node["code_line"] = 0
    node["outputs"] = empty_outputs()
    return node


def _exception_name(argument: str) -> str:
    name = (argument or "").strip()
    if not _EXCEPTION_NAME.match(name):
        raise ValueError(f'expected an exception name such as ValueError, got "{argument}"')
    return name


class LiveCodeDirective(WidgetDirective):
    directive_name = "live-code"
    has_content = True
    option_converters = {
        "name": directives.unchanged_required,
        "hidden": directives.flag,
        "raises": _exception_name,
    }

    @classmethod
    def parse(cls, arguments: Sequence[str], options: Mapping[str, str],
              content: Sequence[str]) -> dict[str, Any]:
        values = convert_options(cls.converters(), options)
        code = "\n".join(content)
        if not code.strip():
            raise WidgetError("the cell has no code")
        return {"code": code, "hidden": "hidden" in values, "raises": values.get("raises", ""),
                "named": "name" in values}

    def first_code_line(self) -> int:
        """The file line of the code's first line, so a build-time error can name the
        exact line (MyST's content_offset does not count the option lines)."""
        source, _ = self.get_source_info()
        first = next((line.strip() for line in self.content if line.strip()), "")
        try:
            lines = Path(source).read_text("utf-8").splitlines()
        except OSError:
            return self.lineno
        for number in range(self.lineno, len(lines)):
            if lines[number].strip() == first:
                return number + 1 - next(i for i, line in enumerate(self.content) if line.strip())
        return self.lineno

    def build(self) -> list[nodes.Node]:
        parsed = self.parsed()
        node = make_cell(parsed["code"], hidden=parsed["hidden"], raises=parsed["raises"])
        self.set_source_info(node)
        node["code_line"] = self.first_code_line()
        if parsed["named"] or not node["hidden"]:
            self.register_name(node, self.widget_name())
        return [node]


def cell_html(node: live_code_cell) -> str:
    """The ``cell``/``setup`` widget; an exercise nests the same markup."""
    kind = "setup" if node["hidden"] else "cell"
    outputs = node["outputs"]
    initial = {"code": node["code"], "hash": code_hash(node["code"]), "outputs": outputs}
    extra = {"data-lw-index": node["index"], "hidden": node["hidden"]}
    parts = [widget_start(kind, node, extra), json_script(initial)]
    if not node["hidden"]:
        parts.append(start_tag("pre", {"class": "lw-source"})
                     + element("code", {"class": "language-python"}, node["code"]) + "</pre>")
        parts.append(start_tag("div", {"class": "lw-output", "aria-live": "polite"}))
        for key in ("stdout", "stderr", "value", "error"):
            text = outputs[key] or ""
            parts.append(element("pre", {"class": f"lw-{key}", "hidden": not text}, text))
        if outputs["figures"]:
            # plotly draws the build-time figures here, from the JSON above
            parts.append(element("div", {"class": "lw-figure"}))
        parts.append("</div>")
    parts.append("</div>\n")
    return "".join(parts)


def visit_live_code_cell_html(self: HTML5Translator, node: live_code_cell) -> None:
    html = cell_html(node)
    figures = [] if node["hidden"] else node["outputs"]["figures"]
    if figures:
        # the build-time figures as pictures, for readers without JavaScript and for
        # print while plotly has not drawn them (static_figure.py)
        holder = '<div class="lw-figure"></div>'
        html = html.replace(holder, holder + cell_figures_html(self, figures), 1)
    self.body.append(html)
    raise nodes.SkipNode


def setup_live_code(app: Sphinx) -> None:
    app.add_node(live_code_cell, **html_only(visit_live_code_cell_html))
