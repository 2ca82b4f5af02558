"""The maths check (live_widgets.math_check): TeX source that would reach the reader as
text fails the build with file and line; display maths written inside a paragraph renders
as display maths."""

from __future__ import annotations

import re

# The markup that broke lesson 2's deep dive: a display formula on the line after a
# sentence, then more inline maths.
DISPLAY_IN_PARAGRAPH = """\
# Page

Write layer $\\ell$ of a plain network as
$$z_\\ell = W_\\ell\\, h_{\\ell-1},$$
where $h_0 = x$ is the input and the loss $\\mathcal{L}$ depends on $h_L$.
"""

# as the book: display maths in a paragraph allowed, KaTeX prerendered by node (Sphinx's
# default MathJax would load from another origin, which the extension refuses)
KATEX = (
    'extensions.append("sphinxcontrib.katex")\n'
    "katex_prerender = True\n"
    'katex_css_path = "katex/katex.min.css"\n'
)
DOUBLE_INLINE = KATEX + "myst_dmath_double_inline = True\n"


def test_display_formula_inside_a_paragraph_without_the_fix_fails_with_file_and_line(
        build_with_problems):
    built = build_with_problems({"index": DISPLAY_IN_PARAGRAPH}, KATEX)
    assert built.statuscode != 0
    assert re.search(r"index\.md:3: ERROR: TeX source would show as text", built.warnings), \
        built.warnings


def test_display_formula_inside_a_paragraph_is_lifted_out_as_display_maths(build_book):
    html = build_book({"index": DISPLAY_IN_PARAGRAPH}, DOUBLE_INLINE).html()
    body = html[html.index("<h1"):]
    # one display block, not inside a <p> (browsers would break the paragraph there)
    assert body.count('<div class="math') == 1
    before, _, after = body.partition('<div class="math')
    assert before.rfind("<p>") < before.rfind("</p>")
    assert "where" in after and "\\mathcal{L}" in after  # the inline maths after it stays maths
    text_outside_maths = re.sub(r'<(span|div) class="math[^"]*">.*?</\1>', "", body, flags=re.S)
    assert "$" not in text_outside_maths


def test_line_breaks_around_a_lifted_formula_still_separate_words(build_book):
    # Lifting the formula out once joined the paragraph's first two lines: its first line
    # break was taken for the last one ("the product becomes plainnumbers", lesson 2).
    page = """\
    # Page

    The product becomes plain
    numbers, one per layer:
    $$a = b.$$
    where a is a
    number.
    """
    html = build_book({"index": page}, DOUBLE_INLINE).html()
    body = html[html.index("<h1"):]
    text = re.sub(r"<[^>]+>", "", re.sub(r'<(span|div) class="math[^"]*">.*?</\1>', "", body,
                                          flags=re.S))
    assert re.search(r"plain\s+numbers, one per layer:", text), text
    assert re.search(r"where a is a\s+number\.", text), text


def test_stray_dollar_in_a_folded_section_fails(build_with_problems):
    page = """\
    # Page

    ```{admonition} Deep dive
    :class: dropdown

    The loss is $\\mathcal{L}.
    ```
    """
    built = build_with_problems({"index": page}, DOUBLE_INLINE)
    assert built.statuscode != 0
    assert re.search(r"index\.md:\d+: ERROR: TeX source would show as text.*mathcal",
                     built.warnings), built.warnings


def test_tex_in_code_is_allowed(build_book):
    page = """\
    # Page

    Type `$x^{2}$` or `\\frac{1}{2}` in code; maths $x_{1} = \\sqrt{2}$ renders.

    ```text
    $$ \\mathcal{L} $$
    ```
    """
    build_book({"index": page}, DOUBLE_INLINE)


def test_caption_of_a_chart_is_checked_too(build_with_problems):
    page = """\
    # Page

    ```{gradient-flow}
    :depth: 3
    :caption: The gradient $\\partial L$ at each layer.
    ```
    """
    built = build_with_problems({"index": page}, DOUBLE_INLINE)
    assert built.statuscode != 0
    assert "TeX source would show as text" in built.warnings and "partial" in built.warnings


def test_formula_katex_cannot_parse_fails_with_file_and_line(build_with_problems):
    page = """\
    # Page

    A good one, $x^2$, and a broken one:

    $$\\frac{1}{2$$
    """
    built = build_with_problems({"index": page}, DOUBLE_INLINE)
    assert built.statuscode != 0
    assert re.search(r"index\.md:5: ERROR: KaTeX cannot render this formula", built.warnings), \
        built.warnings
