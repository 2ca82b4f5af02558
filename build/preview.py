"""Preview the book with live reload while editing: sphinx-autobuild rebuilds the pages
you change and refreshes the browser.

Run as a file:  python build/preview.py [--port 8000]
"""

import argparse
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = Path("_build") / "preview"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    if not (ROOT / "_build" / "site-assets" / "asset-manifest.json").is_file():
        print("preview: _build/site-assets is missing: run `make assets` first",
              file=sys.stderr)
        return 1
    autobuild = Path(sys.executable).parent / "sphinx-autobuild"
    command = [
        str(autobuild), ".", str(OUTPUT / "html"),
        "-c", "build/preview_conf", "-d", str(OUTPUT / "doctrees"),
        "--host", args.host, "--port", str(args.port),
        # The extension's own code and the simulator change what pages show.
        "--watch", "widgets",
        # The browser scripts are bundled from widgets/live_widgets/js/ (quick when unchanged).
        "--pre-build", shlex.join([sys.executable, "build/assemble_assets.py", "--scripts-only"]),
        # Everything that is not a source of the book.
        "--ignore", "*/_build/*", "--ignore", "*/.venv/*", "--ignore", "*/node_modules/*",
        "--ignore", "*/.cache/*", "--ignore", "*/.git/*", "--ignore", "*/tests/*",
        "--ignore", "*/__pycache__/*",
    ]
    print(f"Preview with live reload at http://{args.host}:{args.port}/  (Ctrl+C stops)",
          flush=True)
    try:
        return subprocess.run(command, cwd=ROOT).returncode
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
