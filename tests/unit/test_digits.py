"""The digits loader: the file format, its checks, and the one loader both runtimes use."""

import hashlib

import numpy as np
import pytest

from gradflow import digits as gd
from gradflow.digits import (DIGITS_SHA256, DigitsUnavailable, digits_bytes, load_digits,
                             parse_digits, read_digits_file)


@pytest.fixture(scope="module")
def good_bytes():
    d = load_digits()
    return digits_bytes(d.images, d.labels)


def test_shape_dtype_and_range():
    d = load_digits()
    assert d.images.shape == (1797, 64) and d.images.dtype == np.uint8
    assert d.labels.shape == (1797,) and d.labels.dtype == np.uint8
    assert d.images.max() == 16 and d.images.min() == 0
    x = d.inputs()
    assert x.dtype == np.float64 and x.shape == (1797, 64)
    assert x.min() == 0.0 and x.max() == 1.0
    onehot = d.one_hot()
    assert onehot.shape == (1797, 10) and np.array_equal(onehot.argmax(axis=1), d.labels)


def test_label_counts_are_the_published_ones():
    # scikit-learn's description of the data: 10 classes of about 180 each
    counts = np.bincount(load_digits().labels, minlength=10)
    assert counts.tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def test_file_is_small_and_checksummed(good_bytes):
    assert len(good_bytes) == gd.FILE_BYTES < 1_500_000
    assert hashlib.sha256(good_bytes).hexdigest() == DIGITS_SHA256


def test_loaded_arrays_are_cached_and_read_only():
    assert load_digits() is load_digits()
    with pytest.raises(ValueError):
        load_digits().images[0, 0] = 3


def test_write_then_read_roundtrip(tmp_path):
    path = gd.write_digits_file(tmp_path / "sub" / "digits-8x8.bin")
    d = read_digits_file(path)
    assert np.array_equal(d.images, load_digits().images)
    assert np.array_equal(d.labels, load_digits().labels)


def test_missing_file_says_so(tmp_path):
    with pytest.raises(DigitsUnavailable, match="digits-8x8.bin.*missing"):
        read_digits_file(tmp_path / "digits-8x8.bin")


@pytest.mark.parametrize("cut", [0, 10, 20, 5000, gd.FILE_BYTES - 1])
def test_truncated_file_is_refused(tmp_path, good_bytes, cut):
    path = tmp_path / "digits-8x8.bin"
    path.write_bytes(good_bytes[:cut])
    with pytest.raises(DigitsUnavailable, match="cut short|damaged"):
        read_digits_file(path)


def test_changed_pixel_fails_the_checksum(tmp_path, good_bytes):
    data = bytearray(good_bytes)
    data[gd.FILE_BYTES // 2] ^= 1
    path = tmp_path / "digits-8x8.bin"
    path.write_bytes(bytes(data))
    with pytest.raises(DigitsUnavailable, match="checksum"):
        read_digits_file(path)


def test_wrong_header_and_version(good_bytes):
    with pytest.raises(DigitsUnavailable, match="not a digits file"):
        parse_digits(b"PNG\x00\x00\x00\x00\x00" + good_bytes[8:])
    other = gd._HEADER.pack(gd.MAGIC, 2, gd.COUNT, gd.PIXELS) + good_bytes[gd._HEADER.size:]
    with pytest.raises(DigitsUnavailable, match="format 2"):
        parse_digits(other)


def test_message_is_one_line(tmp_path):
    with pytest.raises(DigitsUnavailable) as caught:
        read_digits_file(tmp_path / "nope.bin")
    assert "\n" not in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_bad_arrays_are_refused_when_written():
    d = load_digits()
    with pytest.raises(ValueError, match="pixels"):
        digits_bytes(d.images.astype(int) * 2, d.labels)
    with pytest.raises(ValueError, match="labels"):
        digits_bytes(d.images, d.labels.astype(int) + 1)
    with pytest.raises(ValueError, match="1797 images"):
        digits_bytes(d.images[:10], d.labels[:10])


def test_env_variable_names_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr(gd, "_loaded", {})
    monkeypatch.setenv(gd.DIGITS_ENV, str(tmp_path / "absent.bin"))
    with pytest.raises(DigitsUnavailable, match="absent.bin.*missing"):
        load_digits()


def test_worker_error_file_is_reported(tmp_path, monkeypatch):
    # in Pyodide the worker writes why its fetch failed next to DIGITS_PATH
    monkeypatch.setattr(gd, "_loaded", {})
    monkeypatch.setattr(gd, "DIGITS_PATH", str(tmp_path / "digits-8x8.bin"))
    monkeypatch.setattr(gd, "DIGITS_ERROR_PATH", str(tmp_path / "digits-8x8.bin.error"))
    (tmp_path / "digits-8x8.bin.error").write_text("could not load data/digits-8x8.bin (HTTP 404)")
    with pytest.raises(DigitsUnavailable, match="HTTP 404"):
        load_digits()
