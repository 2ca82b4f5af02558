"""How the browser tests and the benchmark start Debian's Chromium (one place)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Playwright

CHROMIUM = Path("/usr/bin/chromium")
# Root in a container needs --no-sandbox; the networking flags stop Chromium calling
# home, which on this closed network would only produce noise and delays.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def launch_chromium(playwright: Playwright) -> Browser:
    """Headless Chromium with a fresh temporary profile (Playwright makes one per launch)."""
    if not CHROMIUM.exists():
        raise FileNotFoundError(f"{CHROMIUM} is missing: apt-get install chromium "
                                "(make test does it when run as root)")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
