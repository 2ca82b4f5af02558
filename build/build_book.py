"""Build the book into _build/html with Jupyter Book 1; any Sphinx warning fails the build.

Run as a file:  python build/build_book.py [--incremental]
Needs the runtime assets first (python build/assemble_assets.py, or `make assets`).
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSET_MANIFEST = ROOT / "_build" / "site-assets" / "asset-manifest.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incremental", action="store_true",
                        help="rebuild only changed pages (faster, but warnings of "
                             "unchanged pages are not repeated; CI always builds fresh)")
    args = parser.parse_args(argv)
    if not ASSET_MANIFEST.is_file():
        print(f"build_book: {ASSET_MANIFEST.relative_to(ROOT)} is missing: run "
              "`make assets` (python build/assemble_assets.py) first", file=sys.stderr)
        return 1
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    # -W turns every warning into an error; --keep-going reports all of them (each with
    # file and line) before failing, instead of only the first.
    command = [str(jupyter_book), "build", ".", "--builder", "html", "-W", "--keep-going"]
    if not args.incremental:
        command.append("--all")
    started = time.monotonic()
    completed = subprocess.run(command, cwd=ROOT)
    seconds = time.monotonic() - started
    if completed.returncode != 0:
        print(f"build_book: FAILED after {seconds:.0f} s (warnings are errors; each names "
              "its file and line above)", file=sys.stderr)
        return completed.returncode
    print(f"build_book: built _build/html in {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
