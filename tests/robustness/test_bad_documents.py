"""Bad documents: every one gives a DocumentError naming the file and the problem.

Nothing here may crash, hang or be skipped silently; odd but legitimate files (UTF-16,
cp1252, broken YAML quoting) must load.
"""

from __future__ import annotations

import codecs
import io
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policygraph.errors import DocumentError
from policygraph.loading import iter_documents, load_document
from policygraph.models import Document

BODY = "Dear Minister,\n\nWe oppose encryption backdoors.\n\nSincerely,\nAccess Now\n"


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def problem(path: Path, **kwargs: object) -> str:
    with pytest.raises(DocumentError) as info:
        load_document(path, **kwargs)  # type: ignore[arg-type]
    assert info.value.path == str(path)
    assert str(info.value).startswith(f"{path}: ")
    return info.value.problem


# --- front matter ---


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    path = write(tmp_path, "bomb.md", "---\n" + "\n".join(levels) + "\ntitle: *i\n---\n" + BODY)
    assert "anchors and aliases" in problem(path)


def test_python_tag_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "tag.md",
        "---\ntitle: !!python/object/apply:os.system ['touch /tmp/pwned']\n---\n" + BODY,
    )
    assert "tag that is not allowed" in problem(path)
    assert not os.path.exists("/tmp/pwned")


def test_tab_indented_front_matter(tmp_path: Path) -> None:
    path = write(tmp_path, "tabs.md", "---\ntitle: A letter\ncategories:\n\t- News\n---\n" + BODY)
    assert "not valid YAML" in problem(path)


def test_unclosed_front_matter(tmp_path: Path) -> None:
    path = write(tmp_path, "open.md", "---\ntitle: A letter\ndate: 2020-01-01\n" + BODY)
    assert "never closed" in problem(path)


def test_title_that_is_a_list_is_dropped_and_noted(tmp_path: Path) -> None:
    path = write(tmp_path, "list.md", "---\ntitle: [one, two]\n---\n" + BODY)
    doc = load_document(path)
    assert doc.meta.title is None
    (note,) = doc.notes
    assert "'title' must be a string" in note and "list" in note


def test_date_that_is_not_a_date_is_dropped_and_noted(tmp_path: Path) -> None:
    path = write(tmp_path, "when.md", "---\ntitle: A letter\ndate: yesterday\n---\n" + BODY)
    doc = load_document(path)
    assert (doc.meta.title, doc.meta.date) == ("A letter", None)
    (note,) = doc.notes
    assert "'date' is not a date" in note and "yesterday" in note


def test_front_matter_that_is_not_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "seq.md", "---\n- a\n- b\n---\n" + BODY)
    assert "mapping" in problem(path)


def test_broken_quoting_on_a_simple_line_is_read_literally(tmp_path: Path) -> None:
    # What the seed letter does: an apostrophe inside a single-quoted title is invalid YAML.
    path = write(
        tmp_path,
        "quote.txt",
        "---\ntitle: 'Open Letter: Facebook's Plans'\nauthor: Some Group\n"
        "date: 2019-10-04T13:08:06+00:00\ncategories:\n  - News\n---\n_Dear Mr. Zuckerberg,_\n",
    )
    doc = load_document(path)
    assert doc.meta.title == "Open Letter: Facebook's Plans"
    assert doc.meta.date == "2019-10-04"
    assert doc.meta.categories == ("News",)
    assert doc.text == "Dear Mr. Zuckerberg,"


def test_text_file_with_yaml_header(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "pasted.txt",
        "---\ntitle: Pasted statement\ndate: 2021-05-01\npublisher: Some Site\n---\n"
        "Plain words, no markup at all.\nSecond line.\n",
    )
    doc = load_document(path)
    assert doc.format == "text"
    assert doc.meta.title == "Pasted statement"
    assert doc.meta.date == "2021-05-01"
    assert doc.meta.publisher == "Some Site"
    assert doc.text == "Plain words, no markup at all.\nSecond line."


# --- encodings ---


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("utf8.txt", lambda s: s.encode("utf-8")),
        ("utf8-bom.txt", lambda s: codecs.BOM_UTF8 + s.encode("utf-8")),
        ("utf16le.txt", lambda s: codecs.BOM_UTF16_LE + s.encode("utf-16-le")),
        ("utf16be.txt", lambda s: codecs.BOM_UTF16_BE + s.encode("utf-16-be")),
        ("crlf.txt", lambda s: s.replace("\n", "\r\n").encode("utf-8")),
    ],
)
def test_encodings_decode_to_the_same_text(tmp_path: Path, name: str, encode: object) -> None:
    text = "Asociación por los Derechos Civiles – Državljan D\n“quoted” text\n"
    path = write(tmp_path, name, encode(text))  # type: ignore[operator]
    doc = load_document(path)
    assert doc.text == text.strip("\n")
    assert "\ufeff" not in doc.text and "\r" not in doc.text


def test_invalid_utf8_falls_back_to_cp1252(tmp_path: Path) -> None:
    path = write(tmp_path, "windows.txt", "Fundación Karisma – “quoted”\n".encode("cp1252"))
    assert load_document(path).text == "Fundación Karisma – “quoted”"


def test_text_is_nfc(tmp_path: Path) -> None:
    path = write(tmp_path, "nfd.txt", "Fundacio\u0301n Karisma\n")
    assert load_document(path).text == "Fundaci\u00f3n Karisma"


def test_binary_file(tmp_path: Path) -> None:
    path = write(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    assert "binary file" in problem(path)


@pytest.mark.parametrize("content", ["", "   \n\t\n  ", "\ufeff"])
def test_empty_or_whitespace_document(tmp_path: Path, content: str) -> None:
    assert "empty document" in problem(write(tmp_path, "empty.txt", content))


def test_front_matter_only_is_empty(tmp_path: Path) -> None:
    path = write(tmp_path, "stub.md", "---\ntitle: Stickers\n---\n<div></div>\n")
    assert "empty document" in problem(path)


def test_file_over_the_size_limit_names_the_size(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", "word " * 1000)
    p = problem(path, max_bytes=1000)
    assert "5000 bytes" in p and "limit" in p
    assert load_document(path, max_bytes=10_000).text.startswith("word word")


# --- PDF ---


def test_corrupt_pdf(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage\n%%EOF")
    assert "PDF" in problem(path)


def test_truncated_pdf(tmp_path: Path) -> None:
    from tests.test_loading import letter_pdf

    data = letter_pdf()
    path = write(tmp_path, "truncated.pdf", data[: len(data) // 3])
    assert "PDF" in problem(path)


def test_password_protected_pdf(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    from tests.test_loading import letter_pdf

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(letter_pdf())))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    path = write(tmp_path, "locked.pdf", out.getvalue())
    assert "password-protected" in problem(path)


def test_pdf_suffix_without_pdf_content(tmp_path: Path) -> None:
    path = write(tmp_path, "fake.pdf", "<html><body>Not found</body></html>")
    assert "not a PDF" in problem(path)


# --- files and folders ---


def test_missing_file(tmp_path: Path) -> None:
    assert "not found" in problem(tmp_path / "nope.md")


def test_directory_is_not_a_document(tmp_path: Path) -> None:
    (tmp_path / "folder.md").mkdir()
    assert "directory" in problem(tmp_path / "folder.md")


def test_fifo_does_not_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    assert "not a regular file" in problem(tmp_path / "pipe.txt")
    items = list(iter_documents([tmp_path]))
    assert len(items) == 1 and isinstance(items[0], DocumentError)


def test_walk_skips_hidden_and_authors_and_reports_bad_files(tmp_path: Path) -> None:
    write(tmp_path, "b.md", "---\ntitle: B\n---\n" + BODY)
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "c.md", "---\ntitle: !!python/name:os.system\n---\n" + BODY)
    write(tmp_path, "notes.yaml", "not: a document\n")
    write(tmp_path, ".hidden.md", BODY)
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".git", "x.md", BODY)
    (tmp_path / "authors").mkdir()
    write(tmp_path / "authors", "sam.md", "---\nname: Sam\n---\nA bio.\n")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "d.md", BODY)
    (tmp_path / "broken.md").symlink_to(tmp_path / "gone.md")

    items = list(iter_documents([tmp_path]))
    names = [os.path.relpath(i.path, tmp_path) for i in items]
    assert names == ["a.txt", "b.md", "broken.md", "c.md", os.path.join("sub", "d.md")]
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["Document", "Document", "DocumentError", "DocumentError", "Document"]
    assert "broken symbolic link" in str(items[2])
    assert "tag that is not allowed" in str(items[3])


def test_symlink_loop_is_reported_not_followed(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    write(tmp_path / "docs", "a.md", BODY)
    (tmp_path / "docs" / "again").symlink_to(tmp_path / "docs", target_is_directory=True)
    (tmp_path / "docs" / "self.md").symlink_to(tmp_path / "docs" / "self.md")
    items = list(iter_documents([tmp_path / "docs"]))
    docs = [i for i in items if isinstance(i, Document)]
    errors = [i for i in items if isinstance(i, DocumentError)]
    assert len(docs) == 1
    assert len(errors) == 2 and all("symbolic link loop" in e.problem for e in errors)


def test_same_file_named_twice_loads_once(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", BODY)
    items = list(iter_documents([tmp_path, path]))
    assert len(items) == 1


# --- anything at all ---


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    data=st.one_of(
        st.binary(max_size=2000),
        st.text(max_size=2000).map(lambda s: s.encode("utf-8")),
        st.text(max_size=500).map(lambda s: ("---\n" + s + "\n---\n" + s).encode("utf-8")),
        st.text(max_size=500).map(lambda s: ("<html><body>" + s).encode("utf-8")),
        st.binary(max_size=500).map(lambda b: b"%PDF-1.4\n" + b),
        # Markup soup: brackets, tags, entities, emphasis, front matter fences.
        st.text(alphabet="[]()<>{}%a_*#&;!:/'\"=- \n\t\u200b", max_size=400).map(
            lambda s: s.encode("utf-8")
        ),
        st.lists(
            st.sampled_from(
                [
                    "<a href='u'>",
                    "</a>",
                    "[x](http://y)",
                    "[r]",
                    "[r]: http://z",
                    "**",
                    "_",
                    "&amp;",
                    "&#57344;",
                    "{{< x >}}",
                    "<!--",
                    "-->",
                    "<script>",
                    "</script>",
                    "  * ",
                    "# ",
                    "\n",
                    "---\n",
                    "text",
                    "\u200b",
                    "<br>",
                    "</p>",
                ]
            ),
            max_size=60,
        ).map(lambda parts: "".join(parts).encode("utf-8")),
    ),
    suffix=st.sampled_from([".txt", ".md", ".html", ".pdf", ""]),
)
def test_any_bytes_give_a_document_or_a_document_error(
    tmp_path: Path, data: bytes, suffix: str
) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        doc = load_document(path)
    except DocumentError as exc:
        assert exc.path == str(path) and exc.problem
        return
    assert doc.text.strip()
    for span, _url in doc.links:
        assert doc.text[span.start : span.end] == span.text
    for span in doc.boilerplate:
        assert doc.text[span.start : span.end] == span.text


def test_utf16_without_bom_is_recognised(tmp_path: Path) -> None:
    path = write(tmp_path, "notepad.txt", "Access Now\nARTICLE 19\n".encode("utf-16-le"))
    assert load_document(path).text == "Access Now\nARTICLE 19"


def test_bytes_undefined_in_cp1252_fall_back_to_latin1(tmp_path: Path) -> None:
    path = write(tmp_path, "latin.txt", b"Caf\xe9 \x81 society\n")
    assert load_document(path).text == "Café \x81 society"


def test_control_characters_mean_binary(tmp_path: Path) -> None:
    path = write(tmp_path, "blob.txt", bytes(range(1, 9)) * 50)
    assert "binary file" in problem(path)


def test_toml_front_matter(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "hugo.md",
        '+++\ntitle = "A TOML post"\ndate = 2020-05-06\ncategories = ["News"]\n+++\n' + BODY,
    )
    doc = load_document(path)
    assert (doc.meta.title, doc.meta.date, doc.meta.categories) == (
        "A TOML post",
        "2020-05-06",
        ("News",),
    )
    bad = write(tmp_path, "bad.md", "+++\ntitle = \n+++\n" + BODY)
    assert "not valid TOML" in problem(bad)


def test_iter_documents_takes_a_single_path(tmp_path: Path) -> None:
    write(tmp_path, "a.md", BODY)
    assert [type(i) for i in iter_documents(tmp_path)] == [Document]


def test_pdf_without_a_text_layer(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")  # a drawing, as a scanned page is an image
    path = write(tmp_path, "scan.pdf", bytes(pdf.output()))
    assert "no text layer" in problem(path)
