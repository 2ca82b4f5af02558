""""Lesson N of M": a progress strip at the top of every lesson page.

The theme already gives previous/next links at the bottom of a page; students also asked
"how far through the level am I?", which this answers at the top. The order of lessons is
the book's own table of contents (the root document's toctrees, depth first), so adding a
lesson to ``_toc.yml`` is all an author does.
"""

from __future__ import annotations

from html import escape

from docutils import nodes
from sphinx.application import Sphinx

#: documents under this folder are the level's lessons
LESSON_FOLDER = "lessons/"


def lesson_order(env) -> list[str]:
    """Lessons in reading order, following the toctrees from the root document."""
    order: list[str] = []
    seen: set[str] = set()

    def visit(docname: str) -> None:
        for child in env.toctree_includes.get(docname, []):
            if child in seen:
                continue
            seen.add(child)
            if child.startswith(LESSON_FOLDER):
                order.append(child)
            visit(child)

    visit(env.config.root_doc)
    return order


def progress_html(app: Sphinx, docname: str, lessons: list[str]) -> str:
    """The strip's HTML: a label and one link per lesson, the current one marked."""
    position = lessons.index(docname) + 1
    items = []
    for number, lesson in enumerate(lessons, start=1):
        title = app.env.titles[lesson].astext() if lesson in app.env.titles else lesson
        state = "done" if number < position else "current" if number == position else "todo"
        where = {"done": "before this one", "current": "this lesson", "todo": "still to come"}[state]
        label = f"Lesson {number}: {title} ({where})"
        if state == "current":
            # names in aria-label, not in hidden text: the search page builds its
            # snippets from the page's text, which then read "(still to come)"
            items.append(f'<li class="lesson-progress-step is-current" aria-current="step">'
                         f'<span class="lesson-progress-dot" role="img" '
                         f'aria-label="{escape(label)}" title="{escape(label)}"></span></li>')
        else:
            href = app.builder.get_relative_uri(docname, lesson)
            items.append(f'<li class="lesson-progress-step is-{state}">'
                         f'<a class="lesson-progress-dot" href="{escape(href)}" '
                         f'aria-label="{escape(label)}" title="{escape(label)}"></a></li>')
    return (f'<nav class="lesson-progress" aria-label="Progress through this level">'
            f'<p class="lesson-progress-label">Lesson {position} of {len(lessons)}</p>'
            f'<ol class="lesson-progress-steps">{"".join(items)}</ol>'
            f'{your_progress_html(app, docname)}</nav>')


def your_progress_html(app: Sphinx, docname: str) -> str:
    """"Your progress: ..." for this lesson, filled in by the page script from what the
    student answered (js/progress-page.mjs), with a link to the progress page. It carries
    the ids the lesson's widgets record under, so it counts only what the lesson has."""
    from .markup import element, start_tag, to_json
    from .progress_page import lesson_items, progress_page_docname

    target = progress_page_docname(app.env)
    link = (element("a", {"href": app.builder.get_relative_uri(docname, target)},
                    "Progress page") if target else "")
    return (start_tag("p", {"class": "lw-progress-line", "data-lw-page": docname,
                            "data-lw-items": to_json(lesson_items(app.env, docname))})
            + element("span", {"class": "lw-progress-text"},
                      "Your progress in this lesson is kept in this browser.")
            + (f" {link}" if link else "") + "</p>")


def _insert_progress(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html":
        return
    lessons = lesson_order(app.env)
    if docname not in lessons:
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    title_index = next((i for i, child in enumerate(section.children)
                        if isinstance(child, nodes.title)), -1)
    section.insert(title_index + 1,
                   nodes.raw("", progress_html(app, docname, lessons), format="html"))


def _add_page_css(app: Sphinx, pagename: str, templatename: str, context: dict,
                  doctree: nodes.document | None) -> None:
    # only lesson pages carry the strip, so only they load its style sheet
    if pagename in lesson_order(app.env):
        app.add_css_file("lesson-progress.css")


def setup_lesson_progress(app: Sphinx) -> None:
    app.connect("doctree-resolved", _insert_progress)
    app.connect("html-page-context", _add_page_css)
