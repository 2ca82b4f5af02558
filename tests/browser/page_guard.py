"""Records what a browser context does and reports what a clean page must never do.

A page is clean when it logs no console error, throws no uncaught exception, asks no
origin but the local server for anything (and, under a sub-path, nothing outside the
sub-path), and gets no HTTP error back. Tests that provoke a failure on purpose (an
unreachable runtime) declare exactly which requests may fail and which errors they
expect, so everything else still counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, ConsoleMessage, Request, Response

# Schemes that never leave the browser.
_LOCAL_SCHEMES = {"data", "blob", "about"}


@dataclass
class PageGuard:
    origin: str
    # Under a sub-path every request path must start with it (GitHub Pages project site).
    path_prefix: str = "/"
    requests: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    _expected_failures: list[Callable[[str], bool]] = field(default_factory=list)
    _expected_errors: list[re.Pattern] = field(default_factory=list)

    def watch(self, context: BrowserContext) -> None:
        context.on("request", self._on_request)
        context.on("response", self._on_response)
        context.on("requestfailed", self._on_request_failed)
        context.on("console", self._on_console)
        context.on("weberror", lambda web_error: self._problem(
            f"uncaught exception: {web_error.error}"))

    def expect_failed_requests(self, url_matches: Callable[[str], bool]) -> None:
        """Requests this test blocks on purpose, and the console noise they cause."""
        self._expected_failures.append(url_matches)

    def expect_console_error(self, pattern: str) -> None:
        self._expected_errors.append(re.compile(pattern))

    def assert_clean(self) -> None:
        assert not self.problems, "the page was not clean:\n  " + "\n  ".join(self.problems)

    def _problem(self, text: str) -> None:
        self.problems.append(text)

    def _expected_failure(self, url: str) -> bool:
        return any(matches(url) for matches in self._expected_failures)

    def _on_request(self, request: Request) -> None:
        url = request.url
        self.requests.append(url)
        parts = urlsplit(url)
        if parts.scheme in _LOCAL_SCHEMES:
            return
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self._problem(f"request to another origin: {url}")
        elif not parts.path.startswith(self.path_prefix):
            self._problem(f"request outside the sub-path {self.path_prefix}: {url}")

    def _on_response(self, response: Response) -> None:
        if response.status >= 400 and not self._expected_failure(response.url):
            self._problem(f"HTTP {response.status} for {response.url}")

    def _on_request_failed(self, request: Request) -> None:
        reason = request.failure or ""
        # A navigation, reload or Stop (worker terminated) cancels requests still in
        # flight; that is the browser tidying up, not a missing file (which is a 404).
        if "ERR_ABORTED" in reason or self._expected_failure(request.url):
            return
        self._problem(f"request failed ({reason}): {request.url}")

    def _on_console(self, message: ConsoleMessage) -> None:
        where = message.location.get("url", "") if message.location else ""
        self.console.append(f"{message.type}: {message.text} ({where})")
        if message.type != "error":
            return
        if any(pattern.search(message.text) for pattern in self._expected_errors):
            return
        # "Failed to load resource" names the URL only in its location.
        if where and self._expected_failure(where):
            return
        self._problem(f"console error: {message.text} ({where})")
