"""Serve the built site on http://127.0.0.1:8000 (or under a sub-path, as GitHub Pages
does), with the MIME types Pyodide needs.

Run as a file:  python build/serve_site.py [--port 8000] [--base-path /deep-revolution/]
"""

import argparse
import functools
import http.server
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"

# WebAssembly.instantiateStreaming refuses any other type for .wasm; Python's table
# varies between versions, so the types the site depends on are stated here.
MIME_TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".svg": "image/svg+xml",
}


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}
    base_path = "/"

    def translate_path(self, path: str) -> str:
        # Under a sub-path only /base/... exists, as on GitHub Pages; anything else 404s
        # so a URL that forgot to be relative shows up as an error.
        if not path.startswith(self.base_path):
            return str(Path(self.directory) / "__outside_base_path__")
        return super().translate_path("/" + path[len(self.base_path):])

    def do_GET(self) -> None:
        if self.base_path != "/" and self.path in ("/", self.base_path.rstrip("/")):
            self.send_response(302)
            self.send_header("Location", self.base_path)
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, format: str, *args) -> None:
        if not self.server.quiet:
            super().log_message(format, *args)


def make_server(site: Path, host: str, port: int, base_path: str = "/",
                quiet: bool = False) -> http.server.ThreadingHTTPServer:
    if not (site / "index.html").is_file():
        raise SystemExit(f"serve_site: {site}/index.html not found: build the book first "
                         "(`make book`)")
    if not (base_path.startswith("/") and base_path.endswith("/")):
        raise SystemExit(f"serve_site: --base-path must start and end with '/', got "
                         f"{base_path!r}")
    handler = type("BoundSiteHandler", (SiteHandler,), {"base_path": base_path})
    server = http.server.ThreadingHTTPServer(
        (host, port), functools.partial(handler, directory=str(site)))
    server.quiet = quiet
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--base-path", default="/", help="e.g. /deep-revolution/")
    parser.add_argument("--site", type=Path, default=SITE)
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    args = parser.parse_args(argv)
    try:
        server = make_server(args.site, args.host, args.port, args.base_path, args.quiet)
    except OSError as error:
        print(f"serve_site: cannot listen on {args.host}:{args.port}: {error} (another "
              "port: `make serve PORT=8080`)", file=sys.stderr)
        return 1
    print(f"Serving {args.site} at http://{args.host}:{server.server_port}{args.base_path}"
          "  (Ctrl+C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
