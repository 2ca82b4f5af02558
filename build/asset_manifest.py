"""Content-hash manifest of the assembled assets.

The service worker uses `version` as its cache name, so a deployment with any changed
runtime file replaces the readers' cached copies, and an unchanged one keeps them.
"""

import hashlib
import json
from pathlib import Path

from verified_files import sha256_of

MANIFEST_NAME = "asset-manifest.json"


def write_manifest(assets: Path, sources: dict[str, str]) -> dict:
    """`sources`: digests of the sources the assets were built from (not part of the
    version: the files' own hashes already are)."""
    files = {}
    for path in sorted(assets.rglob("*")):
        if path.is_file() and path.name != MANIFEST_NAME:
            files[path.relative_to(assets).as_posix()] = {
                "sha256": sha256_of(path), "bytes": path.stat().st_size}
    combined = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()
    manifest = {"version": combined[:16], "files": files, "sources": sources}
    (assets / MANIFEST_NAME).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return manifest
