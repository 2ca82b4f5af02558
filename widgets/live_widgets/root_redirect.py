"""The site's front door: Jupyter Book writes ``index.html`` at the root as a bare
``<meta http-equiv="Refresh">`` line when the book's first page sits in a folder. Browsers
then treat it as a page without an icon and ask the server for ``/favicon.ico`` (a 404
and a console error), and it has no title or language. This rewrites it as a small,
complete page that still redirects at once, with a link for anyone whose browser does
not follow the redirect."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from sphinx.application import Sphinx

_REFRESH = re.compile(r'<meta http-equiv="Refresh" content="0; url=([^"]+)"\s*/?>', re.I)


def front_door_html(target: str, title: str, icon: str | None) -> str:
    icon_link = f'<link rel="icon" href="{escape(icon)}">\n' if icon else ""
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{escape(title)}</title>\n{icon_link}"
            f'<meta http-equiv="Refresh" content="0; url={escape(target)}">\n'
            "</head>\n<body>\n"
            f'<p><a href="{escape(target)}">Open {escape(title)}</a></p>\n'
            "</body>\n</html>\n")


def _rewrite_front_door(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    page = Path(app.outdir) / "index.html"
    if not page.is_file():
        return
    text = page.read_text("utf-8")
    found = _REFRESH.search(text)
    if found is None or "<html" in text.lower():
        return  # a real page, not the bare redirect
    favicon = app.config.html_favicon
    icon = f"_static/{Path(favicon).name}" if favicon and "://" not in favicon else None
    title = app.config.html_title or app.config.project
    page.write_text(front_door_html(found.group(1), title, icon), "utf-8")


def setup_root_redirect(app: Sphinx) -> None:
    # before csp.py (priority 600), which adds the policy to every page, this one included
    app.connect("build-finished", _rewrite_front_door, priority=500)
