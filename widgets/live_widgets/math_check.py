"""Every formula renders: display maths inside a paragraph, and a build failure on TeX
source that would reach the reader as text.

Why the deep dives of lessons 2 and 3 once showed raw ``$``, ``\\mathcal{L}`` and
run-together italics: a ``$$ … $$`` formula written on the line after a sentence (no blank
line) does not start a display block in MyST, so its ``$$`` were read as two single
dollars, and every ``$`` after it paired with the wrong partner. Text became maths and
maths became text. Two fixes, at the root:

* ``myst_dmath_double_inline`` (``_config.yml``) reads ``$$ … $$`` inside a paragraph as
  display maths, and :class:`SplitDisplayMath` lifts it out of the paragraph (a ``<div>``
  inside a ``<p>`` is invalid HTML, which browsers repair by breaking the paragraph);
* :func:`check_doctree` fails the build, with file and line, on any text outside code and
  maths that still looks like TeX (a ``$``, a ``\\command``, ``_{`` or ``^{``), folded
  sections included, and on any formula that KaTeX cannot parse (the prerenderer would
  otherwise print its source in red, silently).
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from .build_errors import report_error

#: signs of TeX source in reader-visible text. A literal dollar in prose is rare in this
#: book and far more often an unpaired maths delimiter, so any ``$`` counts: write money
#: as "dollars", or put the sign in code.
TEX_PATTERN = re.compile(r"\$|\\[A-Za-z]+|[_^]\{")

#: nodes whose text is code or maths source, shown as such on purpose
_VERBATIM = (nodes.literal, nodes.literal_block, nodes.doctest_block, nodes.math,
             nodes.math_block, nodes.raw, nodes.comment, nodes.substitution_definition,
             nodes.target)

#: string attributes of widget nodes that the HTML writer prints as text
_TEXT_ATTRIBUTES = ("caption", "predict")


class SplitDisplayMath(SphinxTransform):
    """Move every display formula out of its paragraph: ``p(text, math, text)`` becomes
    ``p(text)``, ``math``, ``p(text)`` (empty paragraphs are dropped)."""

    default_priority = 200  # early: before anything that numbers or resolves paragraphs

    def apply(self, **kwargs: Any) -> None:
        for paragraph in list(self.document.findall(nodes.paragraph)):
            if not any(isinstance(child, nodes.math_block) for child in paragraph.children):
                continue
            pieces: list[nodes.Node] = []
            current = paragraph.copy()  # keeps source, line and classes, no children
            for child in list(paragraph.children):
                if isinstance(child, nodes.math_block):
                    pieces.append(current)
                    pieces.append(child.deepcopy())
                    current = paragraph.copy()
                    current["ids"] = []  # an id belongs to the first piece only
                    current["names"] = []
                else:
                    current.append(child.deepcopy())
            pieces.append(current)
            kept = [p for p in pieces
                    if not isinstance(p, nodes.paragraph) or p.astext().strip() or p["ids"]]
            for piece in kept:
                if isinstance(piece, nodes.paragraph):
                    _strip_edges(piece)
            paragraph.replace_self(kept)


def _strip_edges(paragraph: nodes.paragraph) -> None:
    """Drop the line break left where the formula was cut out."""
    texts = list(paragraph.findall(nodes.Text))
    if texts:
        first = texts[0]
        if first.astext() != first.astext().lstrip():
            _replace_text(first, first.astext().lstrip())
        last = list(paragraph.findall(nodes.Text))[-1]
        if last.astext() != last.astext().rstrip():
            _replace_text(last, last.astext().rstrip())


def _replace_text(old: nodes.Text, text: str) -> None:
    """Replace this very Text node. ``Element.replace`` finds its child with ``==``, and a
    Text node is a string: it took the paragraph's first line break ("\\n") for the last
    one, so the first two lines of the sentence ran together ("plainnumbers")."""
    parent = old.parent
    index = next(i for i, child in enumerate(parent.children) if child is old)
    parent[index] = nodes.Text(text)


def _verbatim(node: nodes.Node) -> bool:
    parent: Any = node
    while parent is not None:
        if isinstance(parent, _VERBATIM):
            return True
        parent = parent.parent
    return False


def _location(node: nodes.Node) -> nodes.Node:
    """The nearest node that knows its source line (Text nodes do not)."""
    current: Any = node
    while current is not None and (current.line is None or current.source is None):
        current = current.parent
    return current if current is not None else node


def tex_leftovers(doctree: nodes.Node) -> Iterator[tuple[nodes.Node, str]]:
    """``(node, excerpt)`` for each piece of reader-visible text that holds TeX source."""
    for text in doctree.findall(nodes.Text):
        if _verbatim(text):
            continue
        value = text.astext()
        match = TEX_PATTERN.search(value)
        if match:
            yield _location(text), _excerpt(value, match)
    for element in doctree.findall(nodes.Element):
        for key in _TEXT_ATTRIBUTES:
            value = element.get(key)
            if isinstance(value, str) and (match := TEX_PATTERN.search(value)):
                yield element, _excerpt(value, match)


def _excerpt(value: str, match: re.Match[str]) -> str:
    start = max(0, match.start() - 30)
    return value[start:match.end() + 30].replace("\n", " ")


def katex_errors(doctree: nodes.Node) -> Iterator[tuple[nodes.Node, str]]:
    """``(node, KaTeX's message)`` for each formula KaTeX cannot parse."""
    from sphinxcontrib.katex import KaTeXError, render_latex

    for node in doctree.findall(lambda n: isinstance(n, (nodes.math, nodes.math_block))):
        options = {"throwOnError": True, "displayMode": isinstance(node, nodes.math_block)}
        try:
            render_latex(node.astext(), options)
        except KaTeXError as error:
            yield node, str(error)


def check_doctree(app: Sphinx, doctree: nodes.document) -> None:
    for node, excerpt in tex_leftovers(doctree):
        report_error(app.env, "TeX source would show as text (unpaired $ or a $$ formula "
                     f"that is not on lines of its own?): {excerpt!r}", node)
    if getattr(app.config, "katex_prerender", False):
        for node, message in katex_errors(doctree):
            report_error(app.env, f"KaTeX cannot render this formula: {message}", node)


def setup_math_check(app: Sphinx) -> None:
    app.add_transform(SplitDisplayMath)
    app.connect("doctree-read", check_doctree)
