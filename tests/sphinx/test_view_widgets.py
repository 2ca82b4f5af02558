"""gradient-flow / path-lengths / training-race: build-time results equal gradflow's, and
bad options fail the build with file and line. (The markup is pinned by
snapshots/gradient-flow.html and its siblings, test_snapshots.py.)"""

from __future__ import annotations

import pytest
from gradflow import views

from conftest import initial_json, widget

PAGE = '''
# Charts

```{gradient-flow}
:name: vanishing
:depth: 12
:activation: sigmoid
:mode: both
:zero-init-branch:
:controls: depth activation log-y
:predict: How much of the gradient reaches layer 1?
:predict-choices: About half | Less than a thousandth
:caption: Caption with <angle> & ampersand.
```

```{gradient-flow}
:depth: 5
:controls: none
```
'''


@pytest.fixture(scope="module")
def page(module_book):
    return module_book({"index": PAGE}).html()


def test_initial_result_is_gradflows_result_for_the_settings(page):
    data = initial_json(widget(page, "vanishing"))
    settings = views.validate_settings(
        "gradient", {"depth": 12, "activation": "sigmoid", "mode": "both",
                     "zero_init_branch": True})
    assert data["settings"] == settings
    expected = views.VIEWS["gradient"].compute(settings)
    for key in ("figure", "readout", "summary", "table"):
        assert data[key] == expected[key]
    assert data["view"] == "gradient"
    assert [c["name"] for c in data["controls"]] == ["depth", "activation", "log_y"]
    # every setting's spec ships, so the page parses a link to a hidden setting by its type
    assert data["schema"] == views.VIEWS["gradient"].controls
    assert all(c["type"] in ("int", "float", "str", "bool") for c in data["schema"])


def test_no_controls_and_default_name(page):
    html = widget(page, "gradient-flow-1")
    assert "lw-controls" not in html
    assert initial_json(html)["settings"]["depth"] == 5


def _bad(build_with_problems, options: str):
    return build_with_problems({"index": f"""
        # Page

        Some text.

        ```{{gradient-flow}}
        {options}
        ```
        """})


@pytest.mark.parametrize("options, message", [
    (":depth: 0", "depth"),
    (":depth: many", ":depth: depth must be a whole number from 1 to 200, got 'many'"),
    (":activation: softsign", ":activation: activation must be one of 'sigmoid', 'tanh', 'relu', 'linear', got 'softsign'"),
    (":mode: sideways", ":mode:"),
    (":batch-norm: maybe", ":batch-norm: batch_norm must be true or false, got 'maybe'"),
    (":controls: depth colour", "unknown control(s) colour"),
    (":predict: Guess?", ":predict: and :predict-choices: must be given together"),
    (":predict: Guess?\n:predict-choices: only one", ":predict-choices: give at least two choices"),
])
def test_bad_options_fail_with_file_and_line(build_with_problems, options, message):
    built = _bad(build_with_problems, options.replace("\n", "\n        "))
    assert built.statuscode != 0
    assert "index.md:6: ERROR: gradient-flow:" in built.warnings
    assert message in built.warnings


def test_unknown_option_is_reported_with_location(build_with_problems):
    built = _bad(build_with_problems, ":colour: red")
    assert "index.md:6:" in built.warnings and "colour" in built.warnings


def test_paths_and_race_widgets(build_book):
    built = build_book({"index": """
        # Other views

        ```{path-lengths}
        :name: paths
        :blocks: 10
        :controls: blocks
        ```

        ```{training-race}
        :name: race
        :steps: 50
        ```
        """})
    html = built.html()
    paths = initial_json(widget(html, "paths"))
    assert paths["view"] == "paths" and paths["settings"]["blocks"] == 10
    assert paths["table"] == views.VIEWS["paths"].compute(paths["settings"])["table"]
    race_html = widget(html, "race")
    assert 'data-lw-kind="race"' in race_html and 'data-lw-view="race"' in race_html
    race = initial_json(race_html)
    assert race["done"] is True and race["step"] == race["steps"] == 50


def test_layer_speeds_widget_embeds_the_finished_run(build_book):
    # {layer-speeds} is a TrainerDirective: a streamed trainer built by running it to the end
    built = build_book({"index": """
        # Nielsen

        ```{layer-speeds}
        :name: speeds
        :hidden-layers: 2
        :steps: 50
        :controls: hidden-layers seed
        ```
        """})
    html = widget(built.html(), "speeds")
    assert 'data-lw-kind="race"' in html and 'data-lw-view="nielsen"' in html
    initial = initial_json(html)
    assert initial["done"] is True and initial["step"] == initial["steps"] == 50
    assert initial["running_text"] == views.NielsenSpeeds.running_text
    assert [c["name"] for c in initial["controls"]] == ["hidden_layers", "seed"]
    expected = views.NielsenSpeeds({"hidden_layers": 2, "steps": 50}).run_to_end()
    assert initial["table"] == expected["table"] and initial["readout"] == expected["readout"]


def test_layer_speeds_refuses_an_unmeasured_depth(build_with_problems):
    built = build_with_problems({"index": """
        # Nielsen

        ```{layer-speeds}
        :hidden-layers: 8
        ```
        """})
    assert built.statuscode != 0
    assert "layer-speeds:" in built.warnings and "hidden_layers must be from 2 to 5" in built.warnings
