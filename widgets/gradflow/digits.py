"""The 1,797 handwritten digits (8x8 pixels, 0-16) that scikit-learn ships, read the same
way in both runtimes.

They are a copy of the test set of the UCI "Optical Recognition of Handwritten Digits"
data (Alpaydin and Kaynak, 1998; licence CC BY 4.0). scikit-learn is a build-time
dependency only: the build writes the digits into one small file
(``_static/data/digits-8x8.bin``), the browser's worker fetches it and writes it to
:data:`DIGITS_PATH` inside Pyodide, and :func:`load_digits` reads it there. In CPython,
where that path does not exist, the loader reads ``$GRADFLOW_DIGITS`` or a copy it
generates once from scikit-learn into a cache folder.

File format (all little-endian)::

    8 bytes   magic b"GFDIGITS"
    uint32    format version (1)
    uint32    count n (1797)
    uint32    pixels per image (64)
    n * 64    uint8 pixels, image by image, row by row, each 0..16
    n         uint8 labels, each 0..9

A file that is missing, cut short or changed raises :class:`DigitsUnavailable` with one
line a reader can act on; nothing else in gradflow depends on the file.
"""

from __future__ import annotations

import hashlib
import os
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"GFDIGITS"
VERSION = 1
COUNT = 1797
PIXELS = 64
PIXEL_MAX = 16
CLASSES = 10
_HEADER = struct.Struct("<8sIII")
FILE_BYTES = _HEADER.size + COUNT * PIXELS + COUNT

#: sha256 of the file as the build writes it from scikit-learn 1.9.1; a file that differs
#: is refused, so both runtimes always train on exactly the same digits
DIGITS_SHA256 = "a5d0cf7078e8b89d0229b85347b1274a89f5e979fbb1b3c2cec558a197c0c77d"

#: where the browser's worker writes the fetched file inside Pyodide
DIGITS_PATH = "/home/pyodide/data/digits-8x8.bin"
#: the worker writes why the fetch failed here instead, so the widget can say it
DIGITS_ERROR_PATH = DIGITS_PATH + ".error"
#: the file's name under the site's _static/data/
DIGITS_FILE_NAME = "digits-8x8.bin"
#: environment variable naming a copy of the file for CPython (tests, the CLI)
DIGITS_ENV = "GRADFLOW_DIGITS"


class DigitsUnavailable(ValueError):
    """The digits file is missing or damaged; the message is one line for the reader."""


@dataclass(frozen=True)
class Digits:
    """images: uint8 (1797, 64), pixels 0..16 row by row; labels: uint8 (1797,), 0..9."""

    images: np.ndarray
    labels: np.ndarray

    def inputs(self) -> np.ndarray:
        """The pixels as float64 scaled to [0, 1] (a new array each call)."""
        return self.images.astype(np.float64) / PIXEL_MAX

    def one_hot(self) -> np.ndarray:
        """float64 (1797, 10): 1 at each image's label, 0 elsewhere."""
        out = np.zeros((len(self.labels), CLASSES))
        out[np.arange(len(self.labels)), self.labels] = 1.0
        return out

    def __len__(self) -> int:
        return len(self.labels)


def digits_bytes(images: np.ndarray, labels: np.ndarray) -> bytes:
    """The file's bytes for these images and labels (checked like a file being read)."""
    images = np.asarray(images)
    labels = np.asarray(labels)
    if images.shape != (COUNT, PIXELS) or labels.shape != (COUNT,):
        raise ValueError(f"digits must be {COUNT} images of {PIXELS} pixels with one label "
                         f"each, got images {images.shape} and labels {labels.shape}")
    if images.min() < 0 or images.max() > PIXEL_MAX or np.any(images != np.round(images)):
        raise ValueError(f"pixels must be whole numbers from 0 to {PIXEL_MAX}")
    if labels.min() < 0 or labels.max() >= CLASSES:
        raise ValueError(f"labels must be from 0 to {CLASSES - 1}")
    return (_HEADER.pack(MAGIC, VERSION, COUNT, PIXELS)
            + images.astype(np.uint8).tobytes() + labels.astype(np.uint8).tobytes())


def write_digits_file(path) -> Path:
    """Write the digits scikit-learn ships to ``path`` (build time only) and return it.

    Refuses (ValueError) if scikit-learn's copy no longer matches DIGITS_SHA256, so a
    changed upstream copy is noticed at build time rather than in a reader's browser.
    """
    from sklearn.datasets import load_digits as sklearn_digits  # build-time only

    bunch = sklearn_digits()
    data = digits_bytes(bunch.data, bunch.target)
    digest = hashlib.sha256(data).hexdigest()
    if digest != DIGITS_SHA256:
        raise ValueError(f"scikit-learn's digits have sha256 {digest}, not the pinned "
                         f"DIGITS_SHA256 {DIGITS_SHA256}; check the copy and update the constant")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)  # atomic: a parallel reader never sees half a file
    return path


def parse_digits(data: bytes, source: str = "the digits file") -> Digits:
    """Check and decode the file's bytes; DigitsUnavailable says what is wrong."""
    if len(data) < _HEADER.size:
        raise DigitsUnavailable(f"{source} is cut short ({len(data)} bytes); the handwritten "
                                f"digits cannot be loaded")
    magic, version, count, pixels = _HEADER.unpack_from(data)
    if magic != MAGIC:
        raise DigitsUnavailable(f"{source} is not a digits file (wrong header)")
    if version != VERSION or count != COUNT or pixels != PIXELS:
        raise DigitsUnavailable(f"{source} has format {version} with {count} images of "
                                f"{pixels} pixels; expected format {VERSION}, {COUNT} of {PIXELS}")
    if len(data) != FILE_BYTES:
        raise DigitsUnavailable(f"{source} has {len(data)} bytes instead of {FILE_BYTES} "
                                f"(cut short or damaged)")
    if hashlib.sha256(data).hexdigest() != DIGITS_SHA256:
        raise DigitsUnavailable(f"{source} is damaged (its checksum does not match)")
    body = np.frombuffer(data, dtype=np.uint8, offset=_HEADER.size)
    images = body[:COUNT * PIXELS].reshape(COUNT, PIXELS).copy()
    labels = body[COUNT * PIXELS:].copy()
    # with the checksum these cannot fail, but they state what the rest of gradflow assumes
    if images.max() > PIXEL_MAX or labels.max() >= CLASSES:
        raise DigitsUnavailable(f"{source} has pixels above {PIXEL_MAX} or labels above 9")
    images.setflags(write=False)
    labels.setflags(write=False)
    return Digits(images, labels)


def read_digits_file(path) -> Digits:
    """Read and check one digits file; DigitsUnavailable if missing or damaged."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DigitsUnavailable(f"the handwritten digits file ({path.name}) is missing") from None
    except OSError as error:
        raise DigitsUnavailable(f"the handwritten digits file ({path.name}) could not be read "
                                f"({error.strerror or error})") from None
    return parse_digits(data, f"the handwritten digits file ({path.name})")


def _cache_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "gradflow" / f"digits-8x8-{DIGITS_SHA256[:12]}.bin"


def _local_path() -> Path:
    """The file CPython reads: $GRADFLOW_DIGITS, else a cached copy made from scikit-learn."""
    named = os.environ.get(DIGITS_ENV)
    if named:
        return Path(named)
    cached = _cache_path()
    if not cached.is_file():
        try:
            write_digits_file(cached)
        except ImportError:
            raise DigitsUnavailable(
                f"the handwritten digits need scikit-learn (pip install -r requirements.txt) "
                f"or ${DIGITS_ENV} naming a {DIGITS_FILE_NAME} file") from None
        except OSError:
            # a read-only home: write into the temporary folder instead
            cached = Path(tempfile.gettempdir()) / cached.name
            if not cached.is_file():
                write_digits_file(cached)
    return cached


_loaded: dict[str, Digits] = {}


def load_digits() -> Digits:
    """The digits, read once per process: from DIGITS_PATH where the browser's worker put
    them (Pyodide), else from $GRADFLOW_DIGITS or a cached copy (CPython)."""
    if "digits" in _loaded:
        return _loaded["digits"]
    if os.path.exists(DIGITS_PATH):
        path = Path(DIGITS_PATH)
    elif os.path.exists(DIGITS_ERROR_PATH):
        # the worker could not fetch the file: say why, in its words
        with open(DIGITS_ERROR_PATH, encoding="utf-8") as f:
            raise DigitsUnavailable(f.read().strip() or "the handwritten digits could not be loaded")
    else:
        path = _local_path()
    digits = read_digits_file(path)
    _loaded["digits"] = digits
    return digits
