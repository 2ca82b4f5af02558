"""What every widget directive shares: its name (element id), error reporting with
file and line, option conversion, and the outer ``<div class="lw-widget">``."""

from __future__ import annotations

import re
from typing import Any, Callable, Mapping, Sequence

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from .build_errors import report_error
from .result_cache import ResultCache
from .markup import start_tag

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9-]*$")
CACHE_DIRNAME = "live-widgets-cache"
#: builders of other formats than HTML: they leave every interactive widget out
NON_HTML_BUILDERS = ("latex", "text", "man", "texinfo")


def skip_node(self: Any, node: nodes.Node) -> None:
    """Non-HTML builders (text, LaTeX, man…) leave the interactive widgets out."""
    raise nodes.SkipNode


def html_only(visit: Callable[..., None], depart: Callable[..., None] | None = None
              ) -> dict[str, tuple[Callable[..., None], Callable[..., None] | None]]:
    """``app.add_node``'s visitors for a widget node: drawn by HTML, skipped by every
    other builder. ``app.add_node(node, **html_only(visit_html, depart_html))``."""
    skipped = {builder: (skip_node, None) for builder in NON_HTML_BUILDERS}
    return {"html": (visit, depart), **skipped}


class WidgetError(Exception):
    """Bad directive input; the message is shown with the directive's file and line.

    ``question`` (1-based) names the item of a quiz's body at fault, so the lesson
    checker can point at that item's line."""

    def __init__(self, message: str, *, question: int | None = None) -> None:
        super().__init__(message)
        self.question = question


def check_name(name: str) -> str:
    """A ``:name:`` as written, checked: it becomes an element id and a share-link name."""
    name = name.strip()
    if not NAME_PATTERN.match(name):
        raise WidgetError(
            f':name: "{name}" must start with a lower-case letter and contain only '
            "lower-case letters, digits and hyphens (it becomes the element id and "
            "the share-link name)"
        )
    return name


def convert_options(converters: Mapping[str, Callable[[str], Any]],
                    options: Mapping[str, str]) -> dict[str, Any]:
    """Run each given option through its converter; errors name the option."""
    values: dict[str, Any] = {}
    for option, converter in converters.items():
        if option in options:
            try:
                values[option] = converter(options[option])
            except ValueError as error:
                raise WidgetError(f":{option}: {error}") from None
    if "name" in options:
        values["name"] = check_name(options["name"])
    return values


class WidgetDirective(SphinxDirective):
    """Base class: subclasses implement :meth:`parse` (all validation, no Sphinx needed)
    and :meth:`build` (the nodes), and raise :class:`WidgetError` for bad input."""

    #: the directive's name as written by authors (for messages)
    directive_name = ""
    #: option → converter (the option's text in; its value out, or ValueError)
    option_converters: dict[str, Callable[[str], Any]] = {"name": directives.unchanged_required}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Every option reaches parse() as text, so a bad value is reported the same way
        # (file, line, a build failure) by the build and the lesson checker; set when the
        # class is defined, so tools that never run setup() see it too.
        cls.option_spec = {name: directives.unchanged for name in cls.converters()}

    @classmethod
    def converters(cls) -> dict[str, Callable[[str], Any]]:
        """Every option the directive takes and its converter."""
        return dict(cls.option_converters)

    def run(self) -> list[nodes.Node]:
        try:
            return self.build()
        except WidgetError as error:
            report_error(self.env, f"{self.directive_name}: {error}",
                         (self.env.docname, self.lineno))
            return []

    @classmethod
    def parse(cls, arguments: Sequence[str], options: Mapping[str, str],
              content: Sequence[str]) -> dict[str, Any]:
        """Check what the author wrote and return it parsed; raises :class:`WidgetError`.

        This is the directive's whole validation, and it needs no Sphinx: ``build`` calls
        it with what MyST parsed, and ``build/check_lessons.py`` calls it the same way,
        so the checker rejects exactly what the build rejects."""
        raise NotImplementedError

    def parsed(self) -> dict[str, Any]:
        return self.parse(self.arguments, self.options, self.content)

    def build(self) -> list[nodes.Node]:
        raise NotImplementedError

    @property
    def results(self) -> ResultCache:
        return ResultCache(f"{self.env.doctreedir}/{CACHE_DIRNAME}")

    def widget_name(self) -> str:
        """The ``:name:`` (checked), or a page-unique default such as ``gradient-flow-3``."""
        name = self.options.get("name")
        if name is None:
            return f"{self.directive_name}-{self.env.new_serialno('live-widgets') + 1}"
        return check_name(name)

    def register_name(self, node: nodes.Element, name: str) -> None:
        """Make ``name`` the element id and a cross-reference target (duplicates warn)."""
        node["names"].append(name)
        self.state.document.note_explicit_target(node, node)
        if not node["ids"]:
            node["ids"].append(name)


def widget_start(kind: str, node: nodes.Element, extra: Mapping[str, Any] | None = None,
                 css_class: str = "") -> str:
    """The outer element of every widget, with the state markers of ARCHITECTURE §5."""
    attrs: dict[str, Any] = {
        "class": " ".join(filter(None, ["lw-widget", f"lw-{kind}", css_class])),
        "data-lw-kind": kind,
        "id": node["ids"][0] if node["ids"] else None,
        "data-lw-state": "static",
        "data-lw-renders": "0",
    }
    attrs.update(extra or {})
    return start_tag("div", attrs)
