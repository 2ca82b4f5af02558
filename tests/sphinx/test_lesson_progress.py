"""The "Lesson N of M" strip: order from the table of contents, links relative."""

from __future__ import annotations

import re


def test_each_lesson_shows_its_place_in_the_toc_order(build_book):
    built = build_book({
        "index": "# Level\n\n```{toctree}\nlessons/b-second\nlessons/a-first\nabout\n```\n",
        "lessons/a-first": "# The first lesson\n\nText.\n",
        "lessons/b-second": "# The second lesson\n\nText.\n",
        "about": "# About\n\nNot a lesson.\n",
    })
    # the toctree lists b-second first, so it is lesson 1 although its file sorts later
    second = built.html("lessons/b-second")
    assert "Lesson 1 of 2" in second
    assert re.search(r'aria-current="step"[^>]*>.*?Lesson 1: The second lesson \(this lesson\)',
                     second, re.S)
    assert 'href="a-first.html"' in second and "Lesson 2: The first lesson (still to come)" in second

    first = built.html("lessons/a-first")
    assert "Lesson 2 of 2" in first
    assert 'href="b-second.html"' in first and "(before this one)" in first

    assert "lesson-progress" not in built.html("about")  # neither strip nor its CSS
    assert "lesson-progress" not in built.html("index")
