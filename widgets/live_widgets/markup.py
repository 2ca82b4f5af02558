"""Small, escaping HTML writers shared by the widget visitors.

Every attribute value and text node goes through :func:`html.escape`, so no visitor
assembles markup from raw strings. Attribute names are fixed by the callers (never
reader input).
"""

from __future__ import annotations

import base64
import json
from html import escape
from typing import Any, Mapping


def start_tag(tag: str, attrs: Mapping[str, Any] | None = None) -> str:
    """``<tag a="v">``; ``True`` writes a bare boolean attribute, ``None``/``False`` omits it."""
    parts = [tag]
    for name, value in (attrs or {}).items():
        if value is None or value is False:
            continue
        if value is True:
            parts.append(name)
        else:
            parts.append(f'{name}="{escape(str(value), quote=True)}"')
    return "<" + " ".join(parts) + ">"


def element(tag: str, attrs: Mapping[str, Any] | None = None, text: str = "") -> str:
    """A whole element whose content is plain text (escaped)."""
    return start_tag(tag, attrs) + escape(text, quote=False) + f"</{tag}>"


def to_json(data: Any) -> str:
    """Strict JSON: NaN/Infinity must already be encoded as strings (ARCHITECTURE §3)."""
    return json.dumps(data, allow_nan=False, ensure_ascii=False, separators=(",", ":"))


def json_script(data: Any, css_class: str = "lw-initial") -> str:
    """Embed data as a non-executed JSON block.

    ``<``, ``>`` and ``&`` are written as JSON unicode escapes so no value can close the
    script element or open a comment; JSON.parse restores them unchanged.
    """
    text = (
        to_json(data).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    )
    return start_tag("script", {"type": "application/json", "class": css_class}) + text + "</script>"


def b64_json(data: Any) -> str:
    """Payload for ``data-lw-payload``: hides answers from a reader skimming the source."""
    return base64.b64encode(to_json(data).encode("utf-8")).decode("ascii")


def table_cell_text(value: Any) -> str:
    """A table cell: text, or a whole number. A view writes its measured numbers as text
    with ``gradflow.text.format_number``, so the page never has to format a float."""
    if isinstance(value, float):
        raise TypeError(f"a table cell got the float {value!r}: write it as text with "
                        "gradflow.text.format_number in the view")
    return str(value)


def fallback_table(table: Mapping[str, Any]) -> str:
    """The numbers behind a chart as an HTML table (``{"caption", "columns", "rows"}``)."""
    head = "".join(element("th", {"scope": "col"}, str(c)) for c in table["columns"])
    body_rows: list[str] = []
    for row in table["rows"]:
        body_rows.append(
            "<tr>" + "".join(element("td", None, table_cell_text(v)) for v in row) + "</tr>"
        )
    return (
        start_tag("table", {"class": "lw-data"})
        + element("caption", None, str(table.get("caption", "")))
        + "<thead><tr>" + head + "</tr></thead>"
        + "<tbody>" + "".join(body_rows) + "</tbody></table>"
    )
