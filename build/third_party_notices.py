"""Copy the licence texts of everything the site ships into third-party/ in the assets,
with an index (NOTICES.txt) saying which component each text covers."""

import json
import sysconfig
import zipfile
from pathlib import Path

import runtime_pins as pins
from verified_files import AssetError

# The npm tarball of Pyodide carries no licence file; Pyodide is MPL-2.0 (its
# package.json says so), and this is the verbatim MPL-2.0 text.
PYODIDE_LICENCE = Path(__file__).parent / "licences" / "MPL-2.0.txt"
# The handwritten digits (data/digits-8x8.bin) are data, not software: CC BY 4.0 asks for
# credit, a link to the licence and a note of changes, which this file gives.
DIGITS_NOTICE = Path(__file__).parent / "licences" / "digits-NOTICE.txt"


def _npm_package(folder: Path) -> tuple[str, str, str, bytes]:
    manifest = json.loads((folder / "package.json").read_text())
    for name in ("LICENSE", "LICENSE.md", "LICENSE.txt", "license"):
        if (folder / name).is_file():
            return manifest["name"], manifest["version"], manifest.get("license", "?"), \
                (folder / name).read_bytes()
    raise AssetError(f"npm package {manifest['name']} ships no LICENSE file in {folder}")


def write_notices(root: Path, assets: Path, numpy_wheel: Path,
                  bundles: dict[str, list[Path]]) -> None:
    """bundles: for each esbuild bundle ("the code editor", ...), the npm package folders
    it contains."""
    target = assets / "third-party"
    target.mkdir(parents=True, exist_ok=True)
    node_modules = root / "node_modules"
    entries = []  # (component, version, licence, file name, text)

    manifest = json.loads((node_modules / "pyodide" / "package.json").read_text())
    entries.append(("Pyodide", manifest["version"], manifest["license"],
                    "pyodide-LICENSE.txt", PYODIDE_LICENCE.read_bytes()))

    cpython = Path(sysconfig.get_path("stdlib")) / "LICENSE.txt"
    if not cpython.is_file():
        raise AssetError(f"CPython's licence text not found at {cpython}")
    entries.append(("CPython (inside Pyodide)", "3.12", "PSF-2.0",
                    "cpython-LICENSE.txt", cpython.read_bytes()))

    with zipfile.ZipFile(numpy_wheel) as archive:
        numpy_licence = archive.read(f"numpy-{pins.NUMPY_VERSION}.dist-info/LICENSE.txt")
    entries.append(("numpy", pins.NUMPY_VERSION, "BSD-3-Clause", "numpy-LICENSE.txt", numpy_licence))

    for folder, component in ((node_modules / "plotly.js-basic-dist-min", "plotly.js"),
                              (node_modules / "katex", "KaTeX")):
        name, version, licence, text = _npm_package(folder)
        entries.append((component, version, licence, f"{name}-LICENSE.txt", text))

    for bundle, folders in bundles.items():
        for folder in folders:
            name, version, licence, text = _npm_package(folder)
            file_name = name.replace("@", "").replace("/", "-") + "-LICENSE.txt"
            entries.append((f"{name} (in {bundle})", version, licence, file_name, text))

    entries.append(("Optical Recognition of Handwritten Digits, test set (data/digits-8x8.bin, "
                    "from scikit-learn's copy)", "1998", "CC-BY-4.0", "digits-NOTICE.txt",
                    DIGITS_NOTICE.read_bytes()))

    lines = ["Third-party software and data shipped with Deep Revolution",
             "=" * 58, "",
             f"The site serves these components from its own origin (Pyodide "
             f"{pins.PYODIDE_VERSION} runtime, numpy, plotly.js, KaTeX, CodeMirror, Font Awesome icons).",
             "Each licence text is in the file named beside the component.", ""]
    for component, version, licence, file_name, text in entries:
        (target / file_name).write_bytes(text)
        lines.append(f"{component} {version} -- {licence} -- {file_name}")
    (target / "NOTICES.txt").write_text("\n".join(lines) + "\n")
