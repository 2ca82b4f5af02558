"""Words beside a chart follow its settings (live_widgets.setting_text): ``{depth}`` in a
prompt, its choices or the caption is filled in at build time and kept as a template;
a number written out that a visible control can change fails the build."""

from __future__ import annotations

import re

import pytest

from live_widgets.setting_text import fill, fixed_numbers

DEPTH = {"name": "depth", "label": "Depth (layers)", "kind": "range"}
STD = {"name": "std", "label": "Std of normal weights", "kind": "number"}


def test_fill_writes_settings_as_a_sentence_reads_them():
    assert fill("In this {depth}-layer {activation} stack (std {std})",
                {"depth": 30, "activation": "sigmoid", "std": 1.0}) \
        == "In this 30-layer sigmoid stack (std 1)"
    with pytest.raises(ValueError, match="unknown setting.*dept"):
        fill("{dept} layers", {"depth": 3})


def test_a_count_that_a_slider_changes_must_be_a_placeholder():
    settings = {"depth": 30, "std": 1.0}
    assert fixed_numbers("In this 30-layer network", [DEPTH], settings)
    assert fixed_numbers("In this {depth}-layer network", [DEPTH], settings) == []
    # a number box (std, gain, seed) is not a count the sentence names: "layer 1" stays
    assert fixed_numbers("How much reaches layer 1?", [DEPTH, STD], settings) == []
    # a hidden control cannot change, so its value may be written out
    assert fixed_numbers("In this 30-layer network", [], settings) == []


PAGE = """\
# Page

```{{gradient-flow}}
:name: demo
:depth: 12
:controls: depth
{options}
```
"""


def test_prompt_choices_and_caption_are_filled_and_keep_their_templates(build_book):
    options = (":predict: In this {depth}-layer network, how much reaches layer 1?\n"
               ":predict-choices: Half | Less than a {depth}th\n"
               ":caption: A {depth}-layer {activation} stack.")
    html = build_book({"index": PAGE.format(options=options)}).html()
    assert re.search(r'<legend data-lw-template="In this \{depth\}-layer network, how much '
                     r'reaches layer 1\?">In this 12-layer network, how much reaches layer 1\?'
                     r"</legend>", html)
    assert 'data-lw-template="Less than a {depth}th">Less than a 12th</label>' in html
    assert ('<p class="lw-caption" data-lw-template="A {depth}-layer {activation} stack.">'
            "A 12-layer sigmoid stack.</p>") in html
    assert "<label" in html and 'data-lw-template="Half"' not in html  # plain text: no template


@pytest.mark.parametrize("options, message", [
    (":caption: A 12-layer stack.", ":caption: it writes 12, which the reader can change "
                                    "with the 'Depth (layers)' control: write {depth} instead"),
    (":predict: In {layers} layers?\n:predict-choices: A | B", ":predict: unknown setting(s) "
                                                               "in braces: layers"),
])
def test_a_fixed_count_or_an_unknown_placeholder_fails_with_file_and_line(
        build_with_problems, options, message):
    built = build_with_problems({"index": PAGE.format(options=options)})
    assert built.statuscode != 0
    assert "index.md:3: ERROR: gradient-flow:" in built.warnings and message in built.warnings
