"""{digit-features}: the page embeds the trained network's state and writes its pictures as
SVG figures (no JavaScript needed); bad options fail the build with file and line; a
picture that is not clean SVG stops the build."""

from __future__ import annotations

import re

import pytest
from gradflow import views

from conftest import initial_json, widget
from live_widgets.picture_widgets import pictures_html

PAGE = '''
# Digits

```{digit-features}
:name: digits-net
:steps: 50
:seed: 3
:controls: steps seed
:caption: Seed {seed}, {steps} steps.
```
'''


@pytest.fixture(scope="module")
def page(module_book):
    return module_book({"index": PAGE}).html()


def test_build_time_state_is_the_trained_network(page):
    html = widget(page, "digits-net")
    assert 'data-lw-kind="race"' in html and 'data-lw-view="digit-features"' in html
    data = initial_json(html)
    expected = views.DigitFeatures({"steps": 50, "seed": 3}).run_to_end()
    for key in ("figure", "readout", "summary", "table", "step", "steps", "done"):
        assert data[key] == expected[key]
    assert data["running_text"] == views.DigitFeatures.running_text
    # the pictures are in the page itself, not a second time in its JSON
    assert "images" not in data
    for picture in expected["images"]:
        figure = re.search(rf'<figure class="lw-image-grid" data-lw-image="{picture["name"]}">'
                           r'(.*?)</figure>', html, re.S)
        assert figure, picture["name"]
        assert picture["svg"] in figure.group(1)
        assert f"<figcaption>{picture['label']}</figcaption>" in figure.group(1)
    # the text alternative of the pictures: one row per unit in the fallback table
    table = html[html.index('<details class="lw-table"'):]
    assert table.count("Layer 1, unit ") == 16


def test_bad_option_fails_with_file_and_line(build_with_problems):
    built = build_with_problems({"index": "# Page\n\n```{digit-features}\n:seed: 10\n```\n"})
    assert built.statuscode != 0
    assert "index.md:3: ERROR: digit-features:" in built.warnings
    assert "seed" in built.warnings


@pytest.mark.parametrize("svg, message", [
    ("<div>no</div>", "is not SVG markup"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect', "not well-formed SVG"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "active content"),
    ('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>', "active content"),
])
def test_pictures_that_are_not_clean_svg_are_refused(svg, message):
    with pytest.raises(ValueError, match=message):
        pictures_html({"images": [{"name": "weights", "svg": svg, "label": ""}]})
