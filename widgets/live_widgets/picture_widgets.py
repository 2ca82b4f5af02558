"""Pictures that a streamed trainer draws, and the ``{digit-features}`` directive.

A trainer's state may carry ``"images"``: ``[{"name", "svg", "label"}]``, SVG markup drawn
by gradflow (gradflow.digit_features draws the first layer's weights and the digits that
excite a unit; plotly's basic bundle has no heatmap). The page writes the build-time
pictures into the widget as ``<figure class="lw-image-grid" data-lw-image="NAME">`` with
the label as caption, so they show without JavaScript, in dark mode and on paper;
js/image-grid.mjs replaces them with each streamed state's.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any, Mapping

from .markup import element
from .view_widget import TrainerDirective

SVG_NS = "{http://www.w3.org/2000/svg}"


def _checked_svg(picture: Mapping[str, Any]) -> str:
    """The picture's markup, if it is one well-formed <svg> with nothing active in it.

    gradflow draws it from numbers, so this cannot fail unless gradflow is broken; the
    build then stops here rather than writing broken markup into the page."""
    svg = picture.get("svg")
    name = picture.get("name")
    try:
        root = ET.fromstring(svg) if isinstance(svg, str) else None
    except ET.ParseError as error:
        raise ValueError(f"picture {name!r} is not well-formed SVG: {error}") from None
    if root is None or root.tag != SVG_NS + "svg":
        raise ValueError(f"picture {name!r} is not SVG markup")
    for node in root.iter():
        if node.tag in (SVG_NS + "script", SVG_NS + "foreignObject") or any(
                attribute.lower().startswith("on") for attribute in node.attrib):
            raise ValueError(f"picture {name!r} holds active content ({node.tag})")
    return svg


def pictures_html(initial: Mapping[str, Any]) -> str:
    """The build-time pictures of a state (empty if it has none)."""
    parts = []
    for picture in initial.get("images") or []:
        svg = _checked_svg(picture)
        parts.append(f'<figure class="lw-image-grid" data-lw-image="{picture["name"]}">' + svg
                     + element("figcaption", None, picture.get("label", "")) + "</figure>")
    return "".join(parts)


def without_pictures(initial: Mapping[str, Any]) -> dict[str, Any]:
    """The state for the widget's JSON: the pictures are in the page already."""
    return {key: value for key, value in initial.items() if key != "images"}


class DigitFeaturesDirective(TrainerDirective):
    """``{digit-features}``: lesson 1's network learning the handwritten digits
    (gradflow.digit_features), streamed in the browser with Pause/Resume."""
    directive_name = "digit-features"
    view = "digit-features"
