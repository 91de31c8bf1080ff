"""Bytes → normalised text: encoding detection, size limit, NFC, newlines.

Users hand us whatever their browser or word processor saved: UTF-8 (with or without a
BOM), UTF-16 from Windows tools, cp1252 from old exports. We decode all of these rather
than skip them, and refuse only what is not text at all.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
import unicodedata

from policygraph.errors import DocumentError

__all__ = ["DEFAULT_MAX_BYTES", "decode_bytes", "normalise_text", "read_bytes"]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

# Longest BOMs first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# C0 controls other than tab, newline, carriage return and form feed never occur in text.
_CONTROL = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D}


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def read_bytes(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES, name: str | None = None) -> bytes:
    """The file's bytes, or DocumentError (naming `name`, default `path`) when unreadable."""
    shown = path if name is None else name
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise DocumentError(shown, "is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            # Opening a FIFO or a device would block or never end.
            raise DocumentError(shown, "not a regular file (a pipe, socket or device)")
        size = info.st_size
        if size > max_bytes:
            raise DocumentError(
                shown,
                f"file is too large: {size} bytes ({_megabytes(size)}), "
                f"the limit is {max_bytes} bytes ({_megabytes(max_bytes)})",
            )
        with open(path, "rb") as handle:
            # Read one byte past the limit: a file can grow between stat and read.
            data = handle.read(max_bytes + 1)
    except DocumentError:
        raise
    except IsADirectoryError as exc:
        raise DocumentError(shown, "is a directory, not a file") from exc
    except PermissionError as exc:
        raise DocumentError(shown, "cannot be read: permission denied") from exc
    except FileNotFoundError as exc:
        raise DocumentError(shown, "file not found") from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise DocumentError(shown, "symbolic link loop: the link never reaches a file") from exc
        raise DocumentError(shown, f"cannot be read: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise DocumentError(shown, f"file is too large: over the {max_bytes}-byte limit")
    return data


def _looks_like_utf16(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' for BOM-less UTF-16 of mostly Latin text, else None."""
    if len(data) < 2 or len(data) % 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    half = len(data) // 2
    # Latin text in UTF-16 has a NUL in (nearly) every high byte and (nearly) none in the low.
    if odd_nuls >= 0.9 * half and even_nuls <= 0.05 * half:
        return "utf-16-le"
    if even_nuls >= 0.9 * half and odd_nuls <= 0.05 * half:
        return "utf-16-be"
    return None


def _not_utf8(data: bytes, notes: list[str]) -> str:
    """Text of bytes that are not valid UTF-8: UTF-8 with U+FFFD for the bad bytes when the
    rest is UTF-8 (a stray byte in a UTF-8 file: cp1252 would turn every "é" of it into
    "Ã©"), else cp1252 (Windows software), else Latin-1 (which decodes every byte). Either
    way with a note, so the choice is never silent."""
    replaced = data.decode("utf-8", "replace")
    bad = replaced.count("\ufffd") - data.count("\ufffd".encode())
    multibyte = sum(1 for ch in replaced if ord(ch) > 0x7F and ch != "\ufffd")
    if multibyte >= bad:
        notes.append(f"not valid UTF-8 at {bad} byte(s): read as UTF-8, each replaced by U+FFFD")
        return replaced
    try:
        text, encoding = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:  # bytes cp1252 leaves undefined (0x81, 0x8D, ...)
        text, encoding = data.decode("latin-1"), "Latin-1"
    notes.append(f"not UTF-8: read as {encoding}")
    return text


def decode_bytes(data: bytes, path: str, notes: list[str] | None = None) -> str:
    """Decode a text file's bytes; DocumentError for binary data. How bytes that are not
    UTF-8 were read is added to `notes`."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise DocumentError(
                    path, f"starts with a {encoding} byte-order mark but is not {encoding}"
                ) from exc
    if b"\x00" in data:
        encoding16 = _looks_like_utf16(data)
        if encoding16 is None:
            raise DocumentError(path, "binary file (contains NUL bytes), not a text document")
        try:
            return data.decode(encoding16)
        except UnicodeDecodeError as exc:
            raise DocumentError(path, "binary file (contains NUL bytes)") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _not_utf8(data, notes if notes is not None else [])
    controls = sum(1 for ch in text[:4096] if ord(ch) in _CONTROL)
    if controls > max(2, len(text[:4096]) // 100):
        raise DocumentError(path, "binary file (control characters), not a text document")
    return text


def normalise_text(text: str) -> str:
    """NFC, '\\n' newlines, no BOM: the form every offset in the pipeline refers to."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.lstrip("\ufeff")
    return unicodedata.normalize("NFC", text)
