"""Small files that cost a reader far more than their size (issue 19, items 5 and 6)."""

from __future__ import annotations

import zlib


def pdf(pages: int, content: bytes, *, stream: bytes | None = None) -> bytes:
    """A PDF of `pages` pages that all draw one shared, Flate-compressed content stream
    (`content`, or `stream` already compressed)."""
    stream = stream if stream is not None else zlib.compress(content, 9)
    kids = " ".join(f"{5 + i} 0 R" for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
    ] * pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def text_line(words: str, y: int = 720) -> bytes:
    return b"BT /F1 12 Tf 72 %d Td (" % y + words.encode() + b") Tj ET\n"


def shared_stream_pdf() -> bytes:
    """500 pages sharing one 2 MB content stream (about 90 KB): 8 GB in pdfminer."""
    return pdf(500, text_line("We oppose encryption backdoors.") * 40_000)


def zeros_pdf() -> bytes:
    """One page whose content inflates to 256 MB of zeros (about 250 KB compressed)."""
    packer = zlib.compressobj(9)
    chunk = b"\0" * 2**20
    stream = b"".join(packer.compress(chunk) for _ in range(256)) + packer.flush()
    return pdf(1, b"", stream=stream)


def small_pdf() -> bytes:
    """A readable two-line letter, through the same writer (the writer itself is sound)."""
    return pdf(1, text_line("Dear Minister, we oppose backdoors.") + text_line("Access Now", 700))
