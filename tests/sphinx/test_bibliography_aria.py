"""Bibliography entries are list items inside their role="list" wrapper (axe-core:
aria-required-children)."""

from __future__ import annotations

import re


def test_citations_are_list_items(build_book):
    built = build_book({"refs": """
        # References

        ```{eval-rst}
        See [First]_ and [Second]_.

        .. [First] A first source.
        .. [Second] A second source.
        ```
        """})
    html = built.html("refs")
    wrapper = html[html.index('<div role="list" class="citation-list">'):]
    entries = re.findall(r'<div class="citation" id="[^"]+" role="([^"]+)"', wrapper)
    assert entries == ["listitem", "listitem"]
    assert "doc-biblioentry" not in html
    assert html.count('role="list"') == 1
