"""Bibliography entries that assistive technology reads as a list.

Docutils wraps citations in ``<div role="list">`` but gives each entry
``role="doc-biblioentry"``; axe-core (critical: aria-required-children) and some screen
readers then see a list without items. Each entry becomes a plain ``listitem``, which is
what a reader of the references page needs.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator


def visit_citation_html(self: HTML5Translator, node: nodes.citation) -> None:
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def setup_bibliography_aria(app: Sphinx) -> None:
    app.add_node(nodes.citation, override=True,
                 html=(visit_citation_html, HTML5Translator.depart_citation))
