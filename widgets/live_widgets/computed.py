"""The ``computed`` role: a number in the text computed by gradflow at build time.

``{computed}`simulate(depth=20).first_to_last_ratio | .1e``` → ``3.2 × 10⁻⁹``
(ARCHITECTURE §4). The part after the last ``|`` is a Python format spec.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from gradflow.text import format_number
from sphinx.util.docutils import SphinxRole

from .build_errors import report_error
from .result_cache import ResultCache
from .widget_base import CACHE_DIRNAME


def split_expression(text: str) -> tuple[str, str]:
    """``"expr | spec"`` → ``("expr", "spec")``; without ``|`` the spec is empty."""
    expression, bar, spec = text.rpartition("|")
    if not bar:
        return text.strip(), ""
    return expression.strip(), spec.strip()


class ComputedRole(SphinxRole):
    def _line_of_role(self) -> int:
        """MyST gives a role the line where its paragraph starts; find its own line."""
        try:
            lines = Path(self.env.doc2path(self.env.docname)).read_text("utf-8").splitlines()
        except OSError:
            return self.lineno
        # MyST's rawtext is ":computed:`…`", so look for the text between the backticks
        needle = f"`{self.text.splitlines()[0]}"
        for number in range(max(self.lineno - 1, 0), len(lines)):
            if needle in lines[number]:
                return number + 1
        return self.lineno

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        expression, spec = split_expression(self.text)
        try:
            value = ResultCache(f"{self.env.doctreedir}/{CACHE_DIRNAME}").computed_value(expression)
            text = format_number(value, spec=spec)
        except Exception as error:  # any failure of the author's expression fails the build
            report_error(self.env,
                         f"computed: `{self.text}` failed: {type(error).__name__}: {error}",
                         (self.env.docname, self._line_of_role()))
            return [nodes.problematic(self.rawtext, self.rawtext)], []
        return [nodes.inline(self.rawtext, text, classes=["lw-computed"])], []
