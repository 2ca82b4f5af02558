"""The conf.py every small test book starts from (shared by conftest.py and tests)."""

BASE_CONF = """
extensions = ["myst_parser", "live_widgets"]
myst_enable_extensions = ["colon_fence", "dollarmath"]
live_widgets_assets_dir = ""
root_doc = "index"
"""
