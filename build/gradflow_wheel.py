"""Build the gradflow wheel, register it in Pyodide's lock file and precompile it.

Order matters: `pyodide lockfile add-wheels` accepts only the pure-Python wheel
(`py3-none-any`), while `pyodide py-compile` renames the wheel it compiles to
`cp312-none-any` (the .pyc files are only valid for CPython 3.12) and changes its bytes,
so the lock entry's file name and sha256 are rewritten after compiling.
"""

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

import runtime_pins as pins
from verified_files import AssetError, sha256_of

WIDGETS = Path("widgets")

# Reproducible wheel bytes: the same sources give the same sha256, so the asset manifest's
# version (the service worker's cache name) changes only when something really changed.
# setuptools stamps zip entries with this time, and py_compile then writes hash-based .pyc
# files instead of ones holding the source's modification time.
REPRODUCIBLE_EPOCH = "315532800"  # 1980-01-01, the earliest time a zip entry can hold
_REPRODUCIBLE_ENV = {**os.environ, "SOURCE_DATE_EPOCH": REPRODUCIBLE_EPOCH}


def _pyodide_cli() -> str:
    # Installed with pyodide-build into the same environment as this interpreter.
    cli = Path(sys.executable).parent / "pyodide"
    if not cli.is_file():
        raise AssetError(f"{cli} not found: run `make setup` (pyodide-build is in "
                         "requirements.txt)")
    return str(cli)


def _backend_importable(root: Path) -> bool:
    """True if the wheel's build backend is installed here, so the build needs no
    download and works offline (`--no-build-isolation`)."""
    build_system = tomllib.loads((root / WIDGETS / "pyproject.toml").read_text()).get(
        "build-system", {})
    backend = build_system.get("build-backend", "setuptools.build_meta")
    module = backend.split(":")[0].split(".")[0]
    probe = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True)
    return probe.returncode == 0


def source_digest(root: Path) -> str:
    """sha256 over gradflow's source files (paths and contents), recorded in the asset
    manifest so tests can tell a wheel built from older sources ("run make assets")."""
    digest = hashlib.sha256()
    package = root / WIDGETS / "gradflow"
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def build_pure_wheel(root: Path, out_dir: Path) -> Path:
    if not (root / WIDGETS / "pyproject.toml").is_file():
        raise AssetError(f"{WIDGETS / 'pyproject.toml'} is missing: it builds the gradflow "
                         "wheel")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
               "--disable-pip-version-check", "--wheel-dir", str(out_dir)]
    if _backend_importable(root):
        command.append("--no-build-isolation")
    # "./widgets", not "widgets": a bare name would be looked up on the package index.
    command.append(f"./{WIDGETS}")
    completed = subprocess.run(command, cwd=root, capture_output=True, text=True,
                               env=_REPRODUCIBLE_ENV)
    if completed.returncode != 0:
        raise AssetError(f"pip wheel {WIDGETS}/ failed:\n{completed.stderr.strip()}")
    wheels = list(out_dir.glob("gradflow-*-py3-none-any.whl"))
    if len(wheels) != 1:
        found = sorted(path.name for path in out_dir.iterdir())
        raise AssetError(f"expected one gradflow-*-py3-none-any.whl from {WIDGETS}/, got "
                         f"{found}")
    with zipfile.ZipFile(wheels[0]) as archive:
        stray = {name.split("/")[0] for name in archive.namelist()
                 if not name.startswith(("gradflow/", "gradflow-"))}
    if stray:
        raise AssetError(f"{wheels[0].name} must hold only the gradflow package, also has "
                         f"{sorted(stray)}: restrict packages in {WIDGETS}/pyproject.toml")
    return wheels[0]


def _fix_zip_times(wheel: Path) -> None:
    """Rewrite `wheel` with every entry dated REPRODUCIBLE_EPOCH (py-compile dates the
    entries it writes with the current time)."""
    with zipfile.ZipFile(wheel) as archive:
        entries = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(wheel, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.external_attr = info.external_attr
            archive.writestr(fixed, data, compress_type=zipfile.ZIP_DEFLATED)


def _prune(lock: dict) -> dict:
    """Keep only the packages the site ships and what they depend on."""
    packages = lock["packages"]
    keep, todo = set(), list(pins.SHIPPED_PYTHON_PACKAGES)
    while todo:
        name = todo.pop()
        if name in keep:
            continue
        if name not in packages:
            raise AssetError(f"pyodide-lock.json has no package {name!r}")
        keep.add(name)
        todo.extend(packages[name].get("depends", []))
    return {**lock, "packages": {name: packages[name] for name in sorted(keep)}}


def add_gradflow(root: Path, pyodide_dir: Path) -> Path:
    """Build, register and precompile gradflow in `pyodide_dir`, whose pyodide-lock.json is
    rewritten in place. Returns the compiled wheel's path."""
    lock_path = pyodide_dir / "pyodide-lock.json"
    with tempfile.TemporaryDirectory(prefix="gradflow-wheel-") as tmp:
        pure = build_pure_wheel(root, Path(tmp))
        staged = pyodide_dir / pure.name
        staged.write_bytes(pure.read_bytes())
    new_lock = pyodide_dir / "pyodide-lock-new.json"
    command = [_pyodide_cli(), "lockfile", "add-wheels", "--input", str(lock_path),
               "--output", str(new_lock), "--base-path", str(pyodide_dir), str(staged)]
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        raise AssetError(f"pyodide lockfile add-wheels failed:\n{completed.stderr.strip()}")
    lock = json.loads(new_lock.read_text())
    new_lock.unlink()
    # add-wheels drops info.version; Pyodide then refuses the lock file
    # ("Lock file version doesn't match").
    lock["info"]["version"] = pins.PYODIDE_VERSION

    completed = subprocess.run([_pyodide_cli(), "py-compile", "--silent", "--no-keep",
                                str(staged)], capture_output=True, text=True,
                               env=_REPRODUCIBLE_ENV)
    if completed.returncode != 0:
        raise AssetError(f"pyodide py-compile {staged.name} failed:\n"
                         f"{completed.stderr.strip()}")
    compiled = list(pyodide_dir.glob("gradflow-*-cp312-none-any.whl"))
    if len(compiled) != 1 or staged.exists():
        left = sorted(path.name for path in pyodide_dir.glob("gradflow-*"))
        raise AssetError(f"pyodide py-compile left {left}, expected exactly one "
                         "gradflow-*-cp312-none-any.whl")
    _fix_zip_times(compiled[0])
    entry = lock["packages"]["gradflow"]
    entry["file_name"] = compiled[0].name
    entry["sha256"] = sha256_of(compiled[0])

    lock_path.write_text(json.dumps(_prune(lock), indent=1, sort_keys=True) + "\n")
    return compiled[0]
