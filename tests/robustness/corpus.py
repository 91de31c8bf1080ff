"""One folder holding every kind of bad document the issue lists, beside the two seeds.

`make_bad_corpus(folder)` writes it and returns what a build must do with each file:
`SKIPPED` names the files that must be reported (with a word of the problem), `NOTED` the
files read with a field left out (with a word of the note), `LOADED` the odd files that must
load, and `DUPLICATE` the copy of a seed under a second name.
"""

from __future__ import annotations

import codecs
import io
import os
import shutil
from pathlib import Path

from tests.support import SEEDS

BODY = (
    "Dear Minister,\n\nWe write to urge you to protect end-to-end encryption and to reject "
    "any backdoor.\n\nSincerely,\n\nAccess Now\nOpen Rights Group\n"
)
SIGNATORIES = 10_000
BIG_BYTES = 50 * 1024 * 1024

# file name → a word the skip line must carry about the problem
SKIPPED: dict[str, str] = {
    "empty.md": "empty document",
    "binary.txt": "binary file",
    "fm-unclosed.md": "never closed",
    "fm-tabs.md": "not valid YAML",
    "fm-alias-bomb.md": "anchors and aliases",
    "fm-python-tag.md": "tag that is not allowed",
    "big.txt": "too large",
    "corrupt.pdf": "PDF",
    "locked.pdf": "password-protected",
    os.path.join("loop", "self.md"): "symbolic link loop",
    os.path.join("loop", "again"): "symbolic link loop",
}
# file name → a word of the note the build prints about a field it left out: a front-matter
# field that is not what it should be is dropped, the document is still read
NOTED: dict[str, str] = {
    "fm-yesterday.md": "not a date",
    "fm-title-list.md": "must be a string",
    "fm-impossible-date.md": "not a date",
    # not UTF-8: how the bytes were read is said, never silently switched
    "latin1.txt": "not UTF-8: read as cp1252",
    "cp1252.txt": "not UTF-8: read as cp1252",
}
# file name → text the loaded document must contain (decoded correctly, not skipped)
LOADED: dict[str, str] = {
    "fm-yesterday.md": "reject any backdoor",
    "fm-title-list.md": "reject any backdoor",
    "fm-impossible-date.md": "reject any backdoor",
    "latin1.txt": "Asociación por los Derechos Civiles",
    "cp1252.txt": "“Fundación Karisma”",
    "utf16-bom.txt": "Državljan D",
    "utf16be-bom.txt": "Državljan D",
    "scripts.html": "Digital rights groups urge the government",
    "signatories.md": "Organisation 09999",
}
DUPLICATE = "copy-of-the-letter.txt"
SEED_LETTER = "004_de020599fd118b6a.txt"
HOSTILE_MARKERS = ("alert(", "<iframe", "evil.example", "document.cookie")


def _locked_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    from tests.test_loading import letter_pdf

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(letter_pdf())))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _many_signatories() -> str:
    names = "\n".join(f"Organisation {i:05d}" for i in range(SIGNATORIES))
    return (
        "---\ntitle: An open letter with ten thousand signatories\ndate: 2021-03-01\n---\n"
        "Dear Prime Minister,\n\nWe, the undersigned, urge you to protect end-to-end "
        "encryption and to reject any backdoor.\n\nSincerely,\n\n" + names + "\n"
    )


def _scripts_page() -> str:
    hostile = (
        "<script>alert(document.cookie)</script>"
        '<iframe src="https://evil.example/frame"></iframe>'
        '<script src="https://evil.example/x.js"></script>'
    )
    paragraphs = "".join(
        f"<p>Digital rights groups urge the government to keep end-to-end encryption, "
        f"paragraph {i}. Access Now said backdoors weaken everyone's security.</p>{hostile}"
        for i in range(12)
    )
    return (
        "<!doctype html><html><head><title>Groups urge encryption</title>"
        f"{hostile}<style>body {{ color: red }}</style></head><body>"
        f"<nav>{hostile}<a href='javascript:alert(1)'>Home</a></nav>"
        f"<article><h1>Digital rights groups urge the government</h1>{paragraphs}</article>"
        f"<footer>{hostile}</footer></body></html>"
    )


def make_bad_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for seed in sorted(Path(SEEDS).iterdir()):
        shutil.copy(seed, folder / seed.name)
    shutil.copy(Path(SEEDS) / SEED_LETTER, folder / DUPLICATE)

    def put(name: str, content: str | bytes) -> None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)

    put("empty.md", "")
    put("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 64)
    put("fm-unclosed.md", "---\ntitle: A letter\ndate: 2020-01-01\n" + BODY)
    put("fm-tabs.md", "---\ntitle: A letter\ncategories:\n\t- News\n---\n" + BODY)
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i, name in enumerate("bcdefghi"):
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{'abcdefghi'[i]}"] * 9) + "]")
    put("fm-alias-bomb.md", "---\n" + "\n".join(levels) + "\ntitle: *i\n---\n" + BODY)
    put(
        "fm-python-tag.md",
        "---\ntitle: !!python/object/apply:os.system ['touch pwned']\n---\n" + BODY,
    )
    put("fm-yesterday.md", "---\ntitle: A letter\ndate: yesterday\n---\n" + BODY + "\nP.S. 1\n")
    put("fm-title-list.md", "---\ntitle: [one, two]\n---\n" + BODY)
    put(
        "fm-impossible-date.md",
        "---\ntitle: A letter\ndate: 2021-02-30\n---\n" + BODY + "\nP.S. 3\n",
    )
    # 50 MB without writing 50 MB: a short text head, then a hole.
    with open(folder / "big.txt", "wb") as handle:
        handle.write(BODY.encode())
        handle.truncate(BIG_BYTES)
    put("corrupt.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage\n%%EOF")
    put("locked.pdf", _locked_pdf())
    (folder / "loop").mkdir()
    (folder / "loop" / "again").symlink_to(folder / "loop", target_is_directory=True)
    (folder / "loop" / "self.md").symlink_to(folder / "loop" / "self.md")

    odd = "Asociación por los Derechos Civiles – Državljan D\n"
    put("latin1.txt", ("Asociación por los Derechos Civiles said no.\n" + BODY).encode("latin-1"))
    put("cp1252.txt", ("“Fundación Karisma” – a statement.\n" + BODY).encode("cp1252"))
    put("utf16-bom.txt", codecs.BOM_UTF16_LE + (odd + BODY).encode("utf-16-le"))
    put("utf16be-bom.txt", codecs.BOM_UTF16_BE + (odd + "Big-endian.\n" + BODY).encode("utf-16-be"))
    put("scripts.html", _scripts_page())
    put("signatories.md", _many_signatories())
    return folder
