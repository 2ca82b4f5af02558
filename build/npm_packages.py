"""The browser runtime files that come from npm: installed by `npm ci` (package-lock.json
pins each tarball's integrity hash) and copied into the site assets."""

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import runtime_pins as pins
from verified_files import AssetError, copy_verified


def _lock_entries_match(root: Path) -> str | None:
    """Return why node_modules does not match package-lock.json, or None if it does.

    npm writes node_modules/.package-lock.json (the "hidden lock file") after each install;
    it lists every installed package with the version and integrity hash it came from.
    """
    hidden = root / "node_modules" / ".package-lock.json"
    if not hidden.is_file():
        return "node_modules is missing or was not installed by npm"
    wanted = json.loads((root / "package-lock.json").read_text())["packages"]
    installed = json.loads(hidden.read_text())["packages"]
    for name, entry in wanted.items():
        if not name:  # the root project itself
            continue
        got = installed.get(name)
        if got is None:
            # esbuild lists a binary package for every platform; npm installs only ours.
            if entry.get("optional"):
                continue
            return f"{name} is not installed"
        if (got.get("version"), got.get("integrity")) != (entry.get("version"),
                                                          entry.get("integrity")):
            return f"{name} is {got.get('version')}, the lock file wants {entry.get('version')}"
        if not (root / name).is_dir():
            return f"{name} is listed as installed but its folder is missing"
    return None


def ensure_node_modules(root: Path) -> None:
    """Run `npm ci` when node_modules is missing or differs from package-lock.json."""
    reason = _lock_entries_match(root)
    if reason is None:
        return
    print(f"  npm ci ({reason})")
    if shutil.which("npm") is None:
        raise AssetError("npm not found on PATH: install Node.js 20 (it brings npm)")
    completed = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=root)
    if completed.returncode != 0:
        raise AssetError("npm ci failed (see its output above); it checks every tarball "
                         "against the integrity hash in package-lock.json")
    reason = _lock_entries_match(root)
    if reason is not None:
        raise AssetError(f"after npm ci, node_modules still differs from the lock: {reason}")


def copy_pyodide_core(root: Path, pyodide_dir: Path) -> Path:
    """Copy the verified Pyodide runtime files; return the path of the copied lock file."""
    package = root / "node_modules" / "pyodide"
    version = json.loads((package / "package.json").read_text())["version"]
    if version != pins.PYODIDE_VERSION:
        raise AssetError(f"node_modules/pyodide is {version}, expected {pins.PYODIDE_VERSION}")
    for name, sha256 in pins.PYODIDE_CORE_FILES.items():
        copy_verified(package / name, pyodide_dir / name, sha256, f"Pyodide {name}")
    return pyodide_dir / "pyodide-lock.json"


def copy_plotly(root: Path, assets: Path) -> None:
    # The "basic" bundle (scatter, bar, pie) is the smallest official one that draws
    # line charts of gradient magnitude and loss curves.
    source = root / "node_modules" / "plotly.js-basic-dist-min" / "plotly-basic.min.js"
    if not source.is_file():
        raise AssetError(f"plotly.js basic bundle not found: {source}")
    (assets / "plotly").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, assets / "plotly" / "plotly.min.js")


def copy_katex(root: Path, assets: Path) -> None:
    """KaTeX's stylesheet and fonts (the maths itself is rendered at build time)."""
    dist = root / "node_modules" / "katex" / "dist"
    if not (dist / "katex.min.css").is_file():
        raise AssetError(f"KaTeX stylesheet not found: {dist / 'katex.min.css'}")
    target = assets / "katex"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(dist / "katex.min.css", target / "katex.min.css")
    shutil.copytree(dist / "fonts", target / "fonts", dirs_exist_ok=True)


EDITOR_ENTRY = Path("widgets/live_widgets/editor/codemirror-entry.mjs")
#: replaces the theme's 1.5 MB all-icons fontawesome.js (see the entry's comment)
ICONS_ENTRY = Path("widgets/live_widgets/theme/fontawesome-subset.mjs")


def bundle_editor(root: Path, assets: Path, work_dir: Path) -> list[Path]:
    """Bundle CodeMirror 6 with esbuild into codemirror/editor.js.

    Returns the package folders that ended up in the bundle (for their licence notices),
    or an empty list when the entry point does not exist yet.
    """
    entry = root / EDITOR_ENTRY
    if not entry.is_file():
        print(f"  SKIPPED codemirror/editor.js: {EDITOR_ENTRY} does not exist yet "
              "(cells will show plain code until it does)")
        return []
    return _bundle(root, EDITOR_ENTRY, assets / "codemirror" / "editor.js", work_dir)


def bundle_icons(root: Path, assets: Path, work_dir: Path) -> list[Path]:
    """Bundle the theme's icon subset into scripts/fontawesome.js, the theme's own path,
    so Sphinx copies it over the theme's file. Returns the bundled package folders."""
    return _bundle(root, ICONS_ENTRY, assets / "scripts" / "fontawesome.js", work_dir)


#: our own browser scripts: ES modules in widgets/live_widgets/js/, each bundled into the
#: one classic script the page (or its worker) loads (ARCHITECTURE §2); both import
#: js/protocol.mjs, so page and worker speak from one definition of the messages.
LIVE_WIDGETS_BUNDLES = {
    "live-widgets.js": Path("widgets/live_widgets/js/main.mjs"),
    "live-widgets-worker.js": Path("widgets/live_widgets/js/worker/main.mjs"),
}


LIVE_WIDGETS_SOURCES = Path("widgets/live_widgets/js")


def live_widgets_source_digest(root: Path) -> str:
    """sha256 over the browser scripts' module sources (paths and contents), recorded in
    the asset manifest so tests can tell bundles built from older sources."""
    digest = hashlib.sha256()
    folder = root / LIVE_WIDGETS_SOURCES
    for path in sorted(folder.rglob("*.mjs")):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def bundle_live_widgets(root: Path, assets: Path, work_dir: Path) -> None:
    """Bundle the page script and the worker script into the top of the assets, so they
    are served as _static/live-widgets.js and _static/live-widgets-worker.js, listed and
    hashed in the asset manifest like every other runtime file."""
    for name, entry in LIVE_WIDGETS_BUNDLES.items():
        if not (root / entry).is_file():
            raise AssetError(f"{entry} is missing: it is the entry point of _static/{name}")
        packages = _bundle(root, entry, assets / name, work_dir)
        if packages:
            # Our scripts use no npm package; one that did would need its licence notice.
            raise AssetError(f"{entry} pulls npm packages into _static/{name}: "
                             f"{', '.join(p.name for p in packages)}")


def _bundle(root: Path, entry: Path, outfile: Path, work_dir: Path) -> list[Path]:
    esbuild = root / "node_modules" / ".bin" / "esbuild"
    metafile = work_dir / f"esbuild-meta-{outfile.stem}.json"
    command = [str(esbuild), str(entry), "--bundle", "--minify", "--format=iife",
               "--log-level=warning", f"--metafile={metafile}", f"--outfile={outfile}"]
    completed = subprocess.run(command, cwd=root)
    if completed.returncode != 0:
        raise AssetError(f"esbuild could not bundle {entry} (see its errors above)")
    inputs = json.loads(metafile.read_text())["inputs"]
    return sorted({_package_folder(root / name) for name in inputs if "node_modules" in name})


def _package_folder(path: Path) -> Path:
    """The folder of the npm package that contains `path` (nearest package.json with a
    name, since some packages ship nested package.json files that only set "type")."""
    for folder in path.parents:
        manifest = folder / "package.json"
        if manifest.is_file() and "name" in json.loads(manifest.read_text()):
            return folder
    raise AssetError(f"no npm package contains {path}")
