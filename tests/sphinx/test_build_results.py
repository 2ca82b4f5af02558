"""The build-time result cache and the no-other-origin scan."""

from __future__ import annotations

from pathlib import Path

from live_widgets import csp
from live_widgets.result_cache import ResultCache


def test_cache_computes_each_key_once_and_survives_a_new_process(tmp_path: Path):
    calls = []

    def compute():
        calls.append(1)
        return {"value": 0.5, "rows": [[1, "NaN"]]}

    first = ResultCache(tmp_path)
    assert first.get_or_compute("view", ["gradient", {"depth": 3}], compute) == compute()
    calls.clear()
    again = ResultCache(tmp_path)  # as a later build would
    assert again.get_or_compute("view", ["gradient", {"depth": 3}], compute)["value"] == 0.5
    assert calls == []
    again.get_or_compute("view", ["gradient", {"depth": 4}], compute)
    assert calls == [1]


def test_view_result_is_gradflows_and_is_cached(tmp_path: Path):
    from gradflow import views

    cache = ResultCache(tmp_path)
    settings = views.validate_settings("gradient", {"depth": 4})
    result = cache.view_result("gradient", settings)
    assert result["table"] == views.VIEWS["gradient"].compute(settings)["table"]
    assert len(list(tmp_path.glob("view-*.json"))) == 1


def test_external_loads_are_found_but_links_are_not():
    html = """
      <link rel="stylesheet" href="//cdn.example.org/x.css">
      <link rel="icon" href="_static/favicon.svg">
      <script src="https://cdn.example.org/a.js"></script>
      <img src="http://example.org/p.png">
      <a href="https://arxiv.org/abs/1512.03385">paper</a>
      <link rel="canonical" href="https://example.org/page.html">
    """
    assert csp.external_loads(html) == ["//cdn.example.org/x.css", "https://cdn.example.org/a.js",
                                        "http://example.org/p.png"]
