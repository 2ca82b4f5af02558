"""The after-guess block (after_guess.py): text about a predict prompt's result, written
as ordinary HTML the page script holds back until the guess; a block that names no
prompt of its page fails the build with file and line."""

from __future__ import annotations

PROMPT = """
```{gradient-flow}
:name: flow
:depth: 8
:controls: depth
:predict: How much of the gradient reaches layer 1 of {depth} layers?
:predict-choices: Most | Little
```
"""


def test_the_block_is_plain_html_marked_with_its_widget(build_book):
    built = build_book({"index": "# Page\n" + PROMPT + """
:::{after-guess} flow
The gradient at layer 1 is **small**.

- and a list
:::
"""})
    html = built.html()
    start = html.index('<div class="lw-after-guess" data-lw-after="flow">')
    block = html[start:html.index("</div>", start)]
    assert "<strong>small</strong>" in block and "<li>" in block
    assert html.index('id="flow"') < start  # it stays where the author put it


def test_a_block_may_come_before_its_widget(build_book):
    built = build_book({"index": "# Page\n\n:::{after-guess} flow\nEarly text.\n:::\n"
                        + PROMPT})
    assert 'data-lw-after="flow"' in built.html()


def test_a_block_for_a_widget_without_a_prompt_fails_with_file_and_line(build_with_problems):
    built = build_with_problems({"index": """
# Page

```{gradient-flow}
:name: quiet
:depth: 8
```

:::{after-guess} quiet
Text.
:::
"""})
    assert built.statuscode != 0
    assert "index.md:9:" in built.warnings
    assert "after-guess} quiet: no chart widget with a :predict: prompt" in built.warnings


def test_a_misspelt_name_and_an_empty_block_fail(build_with_problems):
    built = build_with_problems({"index": "# Page\n" + PROMPT
                                 + "\n:::{after-guess} Flow!\nText.\n:::\n"
                                 + "\n:::{after-guess} flow\n:::\n"})
    assert built.statuscode != 0
    assert "'Flow!' is not a widget name" in built.warnings
    assert "after-guess} flow: the block is empty" in built.warnings
