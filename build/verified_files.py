"""Checksums and atomic writes shared by the asset pipeline."""

import hashlib
import os
import shutil
import tempfile
from pathlib import Path


class AssetError(RuntimeError):
    """A build input is missing, corrupt or cannot be fetched; the message says which."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def require_sha256(path: Path, expected: str, what: str) -> None:
    """Raise AssetError naming `what` unless `path` exists and hashes to `expected`."""
    if not path.is_file():
        raise AssetError(f"{what}: file not found: {path}")
    actual = sha256_of(path)
    if actual != expected:
        raise AssetError(
            f"{what}: sha256 mismatch for {path}\n  expected {expected}\n  got      {actual}"
        )


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder, so a crash never leaves half a file
    that a later (offline) build would trust."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def copy_verified(source: Path, target: Path, expected: str, what: str) -> None:
    require_sha256(source, expected, what)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
