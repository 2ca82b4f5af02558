"""Sphinx configuration for `make preview` (sphinx-autobuild).

sphinx-autobuild needs a conf.py; this one reads _config.yml through Jupyter Book's own
translation, exactly as `jupyter-book build` does, so the preview cannot drift from the
real build. Jupyter Book resolves relative paths against the repository root, but
Sphinx resolves some of them against this folder, so those are made absolute.
"""

from pathlib import Path

from jupyter_book.config import get_final_config

ROOT = Path(__file__).resolve().parents[2]

# get_final_config also puts local_extensions (widgets/) on sys.path.
_config, _ = get_final_config(
    user_yaml=ROOT / "_config.yml",
    cli_config={"external_toc_path": "_toc.yml", "latex_individualpages": False},
    sourcedir=ROOT,
)
for _key in ("html_static_path", "templates_path", "html_extra_path"):
    if _key in _config:
        _config[_key] = [str(ROOT / path) for path in _config[_key]]
for _key in ("html_logo", "html_favicon", "live_widgets_assets_dir"):
    if _config.get(_key) and "://" not in str(_config[_key]):
        _config[_key] = str(ROOT / _config[_key])
globals().update(_config)
