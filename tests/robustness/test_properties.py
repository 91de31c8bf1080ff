"""Property tests of the whole pipeline on generated documents (hypothesis).

The loaders and the signatory-line parser have their own property tests
(tests/robustness/test_bad_documents.py, tests/test_signatories.py, tests/test_letters.py);
here generated letters, articles and junk go through `pipeline.build` into a real store:
- nothing crashes: a document is built or reported as one failure naming it;
- every span in the store (read back with SPARQL) reproduces its quoted text in the
  document's text snapshot, at its offsets;
- building is idempotent: rebuilding changes no quad, and a fresh store gets the same graph.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset
from rdflib.compare import isomorphic

from policygraph.errors import DocumentError
from policygraph.loading import load_document
from policygraph.pipeline import build
from policygraph.store import Store

SPANS = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX schema: <http://schema.org/>
SELECT ?doc ?text ?start ?end ?exact WHERE {
  ?span oa:hasSource ?doc ; oa:hasSelector ?pos, ?quote .
  ?pos a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
  ?quote a oa:TextQuoteSelector ; oa:exact ?exact .
  ?doc schema:text ?text .
}
"""

NAMES = [
    "Access Now",
    "Electronic Frontier Foundation (EFF)",
    "Open Rights Group, UK",
    "Fundación Karisma (Colombia)",
    "Državljan D / Citizen D",
    "Jane Doe, Director, Privacy International",
    "Dr. Raman Jit Singh Chima, Asia Policy Director at Access Now",
    "the UK Home Office",
    "Apple Inc.",
    "ACLU",
    "Ассоциация «Интернет»",
    "株式会社テスト",
    "Café <b>Libre</b> & Co.",
    "O'Brien & Partners",
    "   ",
    "*",
    "Internet Society – ISOC",
]
SENTENCES = [
    "We oppose encryption backdoors.",
    "The governments of the US, the UK and Australia support exceptional access.",
    "“Backdoors weaken everyone’s security,” said {name}.",
    "{name} said that end-to-end encryption must be the default.",
    "In a letter, {name} urged Facebook to continue.",
    "See https://example.org/a?b=c&d=e for the text.",
    "Advertisement. Scroll to continue reading.",
    "«Nous soutenons le chiffrement», a déclaré {name}.",
]
OPENERS = ["Dear Mr. Zuckerberg,", "Dear Minister,", "To whom it may concern:", ""]
CLOSINGS = ["Sincerely,", "Signed,", "The undersigned:", "Yours faithfully,", ""]


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, str]:
    """(file suffix, content) of a letter-, article- or junk-shaped document."""
    names = st.sampled_from(NAMES) | st.text(min_size=1, max_size=30)
    parts: list[str] = []
    if draw(st.booleans()):
        title = draw(st.sampled_from(["Open letter", "News: groups write", "Statement"]))
        date = draw(st.sampled_from(["2019-10-04", "2021-02-30", "2020", "2019-10-04T13:08:06Z"]))
        parts.append(f"---\ntitle: '{title}'\ndate: {date}\n---")
    parts.append(draw(st.sampled_from(OPENERS)))
    for _ in range(draw(st.integers(0, 4))):
        parts.append(draw(st.sampled_from(SENTENCES)).format(name=draw(names)))
    if draw(st.booleans()):
        parts.append(draw(st.text(max_size=80)))
    parts.append(draw(st.sampled_from(CLOSINGS)))
    signers = draw(st.lists(names, max_size=8))
    parts.append("\n".join(signers))
    sep = draw(st.sampled_from(["\n\n", "\n", "\r\n\r\n"]))
    suffix = draw(st.sampled_from([".md", ".txt"]))
    return suffix, sep.join(parts) + "\n"


def _dataset(store: Store) -> Dataset:
    ds = Dataset()
    ds.parse(data=store.export("nquads", None) or b"", format="nquads")
    return ds


def _check_spans(store: Store) -> int:
    rows = store.select(SPANS).rows
    for _doc, text, start, end, exact in rows:
        s, e = int(str(start)), int(str(end))
        assert 0 <= s <= e <= len(str(text))
        assert str(text)[s:e] == str(exact), (s, e, str(exact))
    return len(rows)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(documents())
def test_build_never_crashes_spans_reproduce_their_text_and_rebuilding_is_idempotent(
    document: tuple[str, str],
) -> None:
    suffix, content = document
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"generated{suffix}"
        path.write_text(content, encoding="utf-8")
        try:
            load_document(path)
            loadable = True
        except DocumentError:
            loadable = False
        with Store(Path(tmp) / "a") as store:
            report = build([path], store)
            # one outcome for the one file: built, or reported as a failure naming it
            assert len(report.documents) + len(report.failures) == 1
            assert all(f.path == str(path) and f.problem for f in report.failures)
            if loadable:
                assert report.documents, report.failures
            _check_spans(store)
            before = sorted((store.export("nquads", None) or b"").splitlines())
            again = build([path], store)
            assert {d.status for d in again.documents} <= {"unchanged"}
            assert sorted((store.export("nquads", None) or b"").splitlines()) == before
            first = _dataset(store)
        with Store(None) as fresh:
            build([path], fresh)
            second = _dataset(fresh)
        assert {g.identifier for g in first.graphs()} == {g.identifier for g in second.graphs()}
        for g in first.graphs():
            assert isomorphic(g, second.graph(g.identifier)), g.identifier


def test_the_seed_spans_reproduce_their_text(seed_store: Store) -> None:
    """The same check on the seed graph, where hundreds of spans exist."""
    assert _check_spans(seed_store) > 100
