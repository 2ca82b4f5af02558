"""The theme's icons come from our subset bundle, not the 1.5 MB all-icons file, and the
subset holds every icon a built page asks for."""

import re

import pytest

from build_test_paths import REPO, SITE

ENTRY = REPO / "widgets" / "live_widgets" / "theme" / "fontawesome-subset.mjs"
# classes that style an icon rather than name one
STYLE_CLASSES = {"fa-solid", "fa-regular", "fa-brands", "fa-lg", "fa-sm", "fa-xs", "fa-fw",
                 "fa-2x", "fa-spin"}


def _subset_icons() -> set[str]:
    """faMagnifyingGlass -> fa-magnifying-glass, for each icon the entry imports."""
    imported = re.search(r"import \{([^}]*)\} from \"@fortawesome/free-solid-svg-icons\"",
                         ENTRY.read_text()).group(1)
    names = [name.strip() for name in imported.split(",") if name.strip()]
    return {"fa-" + re.sub(r"(?<!^)([A-Z0-9])", r"-\1", name[2:]).lower() for name in names}


def test_subset_names_convert_as_expected():
    assert {"fa-magnifying-glass", "fa-circle-half-stroke", "fa-file-pdf"} <= _subset_icons()


def test_every_icon_used_by_the_site_is_in_the_subset():
    if not (SITE / "index.html").is_file():
        pytest.fail(f"{SITE} is not built: run `make book`")
    used = set()
    for page in SITE.rglob("*.html"):
        if "_static" in page.parts:
            continue
        for classes in re.findall(r'class="([^"]*\bfa-(?:solid|regular|brands)\b[^"]*)"',
                                  page.read_text("utf-8")):
            used |= {c for c in classes.split() if c.startswith("fa-")} - STYLE_CLASSES
    missing = used - _subset_icons()
    assert not missing, f"add these icons to {ENTRY.name}: {sorted(missing)}"
    assert used, "no Font Awesome icon found: has the theme changed how it draws icons?"


def test_the_site_serves_the_subset_in_place_of_the_theme_file():
    served = SITE / "_static" / "scripts" / "fontawesome.js"
    assert served.is_file(), "run `make book`"
    # the theme's own file (every icon) is about 1.5 MB; the subset is under 100 kB
    assert served.stat().st_size < 100_000
