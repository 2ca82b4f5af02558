"""The HTML each directive writes, compared with a stored snapshot (sphinx-design style).

Each ``snapshots/NAME.md`` is a small page using one directive; the main part of its built
page, normalised for reading (one tag per line, embedded JSON indented), must equal
``snapshots/NAME.html``. These snapshots are the DOM contract between the extension and
``live-widgets.js`` (ARCHITECTURE §5): a change to the markup shows up here as a diff.

After an intended change of markup, regenerate and review the diff:

    LW_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/sphinx/test_snapshots.py

gradflow's results are replaced by a fixed stand-in during the build: the snapshots pin
markup, not numbers (which differ in their last bits between CPUs, and which
test_view_widgets.py checks against gradflow itself).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from live_widgets.build_results import RACE
from live_widgets.result_cache import ResultCache

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
PAGES = sorted(path.stem for path in SNAPSHOTS.glob("*.md"))
UPDATE = os.environ.get("LW_UPDATE_SNAPSHOTS") == "1"


def stand_in_result(self: ResultCache, view: str, settings: dict) -> dict:
    """A view result of the right shape (ARCHITECTURE §3) that names its settings."""
    shown = ", ".join(f"{key}={settings[key]}" for key in sorted(settings))
    result = {
        "figure": {"data": [{"type": "scatter", "x": [1, 2], "y": [0.5, 0.25]}],
                   "layout": {"title": {"text": view}}},
        "readout": f"Readout of the {view} view <for> {shown}.",
        "summary": f"Summary of the {view} view & its chart.",
        "table": {"caption": f"Table of the {view} view.", "columns": ["Layer", "Size"],
                  "rows": [[1, "0.5"], [2, "0.25"]]},
    }
    if view == RACE:
        result.update(step=settings["steps"], steps=settings["steps"], done=True)
    return result


@pytest.fixture(scope="module")
def built(module_book):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ResultCache, "view_result", stand_in_result)
        pages = {name: (SNAPSHOTS / f"{name}.md").read_text("utf-8") for name in PAGES}
        return module_book(pages)


MAIN = re.compile(r'<div class="body" role="main">(.*?)<div class="sphinxsidebar"', re.S)
JSON_SCRIPT = re.compile(r'(<script type="application/json" class="lw-initial">)(.*?)(</script>)', re.S)


def normalised(html: str) -> str:
    """The page's main part (its section), one tag per line and its embedded JSON
    indented, so that a snapshot's diff reads well: only line breaks between tags and
    the JSON's layout differ from the page."""
    match = MAIN.search(html)
    assert match, "no main part in the page (did the theme change?)"
    main = re.sub(r"(\s*</div>)+\s*$", "", match[1])    # the theme's closing wrappers
    main = JSON_SCRIPT.sub(lambda m: m[1] + "\n" + _indented(m[2]) + "\n" + m[3], main)
    return re.sub(r">\s*<", ">\n<", main.strip()) + "\n"


def _indented(text: str) -> str:
    """The JSON laid out one value per line, with the page's escapes of <, > and & kept
    (they are part of the contract: no value can close the script element)."""
    laid_out = json.dumps(json.loads(text), indent=1, ensure_ascii=False)
    return laid_out.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@pytest.mark.parametrize("name", PAGES)
def test_directive_html_matches_its_snapshot(built, name):
    actual = normalised(built.html(name))
    stored = SNAPSHOTS / f"{name}.html"
    if UPDATE or not stored.exists():
        stored.write_text(actual, "utf-8")
        if not UPDATE:
            pytest.fail(f"wrote a new snapshot {stored.name}: review it, then rerun")
    assert actual == stored.read_text("utf-8"), (
        f"{name}: the HTML differs from snapshots/{name}.html; if the change is intended, "
        "regenerate with LW_UPDATE_SNAPSHOTS=1 and review the diff")


def test_every_live_directive_and_role_has_a_snapshot():
    from live_widgets.extension import DIRECTIVES, ROLES

    assert set(DIRECTIVES) | set(ROLES) <= set(PAGES)
