"""The benchmark corpus generator and `make bench`, run on the smallest size so they cannot rot.

These tests assert what the benchmark reports (counts, keys, the README section), never how
fast anything was.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from benchmarks import generator, report, run

from tests.support import require_system

SIZE = 100


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generator.generate(SIZE, tmp_path_factory.mktemp("corpus") / str(SIZE))


@pytest.fixture(scope="module")
def manifest(corpus: Path) -> dict[str, Any]:
    return generator.load_manifest(corpus)


def _letters(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    return [d for d in manifest["documents"] if d["kind"] in ("open_letter", "government_letter")]


# ---------------------------------------------------------------------------------- generator
def test_same_seed_gives_the_same_corpus(tmp_path: Path, corpus: Path) -> None:
    again = generator.generate(SIZE, tmp_path / "again")
    files = sorted(p.name for p in (corpus / "documents").iterdir())
    assert files == sorted(p.name for p in (again / "documents").iterdir())
    for name in files:
        assert (corpus / "documents" / name).read_bytes() == (
            again / "documents" / name
        ).read_bytes()
    other = generator.generate(SIZE, tmp_path / "other", seed=generator.DEFAULT_SEED + 1)
    assert sorted(p.name for p in (other / "documents").iterdir()) != files


def test_corpus_has_every_kind_in_its_share(manifest: dict[str, Any]) -> None:
    kinds = [d["kind"] for d in manifest["documents"]]
    assert len(kinds) == SIZE
    for kind, share in generator.MIX:
        assert abs(kinds.count(kind) - share * SIZE) <= 1, kind


def test_letters_list_their_signatories_one_per_line(
    corpus: Path, manifest: dict[str, Any]
) -> None:
    for d in _letters(manifest):
        text = (corpus / "documents" / d["file"]).read_text(encoding="utf-8")
        assert text.startswith("---\n")
        tail = text.rstrip("\n").split("Sincerely,", 1)[1]
        lines = [ln for ln in tail.splitlines() if ln.strip() and ln.strip("_")]
        assert lines == d["signatories"]
        assert d["signatory_count"] == len(d["signatories"])
        if d["kind"] == "open_letter":
            assert MIN <= len(lines) <= MAX
            assert f"The {len(lines)} organizations below" in text


MIN, MAX = generator.MIN_SIGNERS, generator.MAX_SIGNERS


def test_signatory_counts_follow_a_power_law() -> None:
    rng = random.Random(1)
    counts = sorted(generator.power_law_count(rng) for _ in range(20000))
    assert counts[0] == MIN and counts[-1] <= MAX
    assert counts[len(counts) // 2] < 15  # most letters are short ...
    assert sum(c >= 250 for c in counts) >= 10  # ... and a few are very long


def test_signatory_lines_carry_acronyms_countries_and_parents(manifest: dict[str, Any]) -> None:
    lines = [s for d in manifest["documents"] for s in d["signatories"]]
    assert any(re.search(r" \([A-Z]{3,}\)$", s) for s in lines)
    assert any(re.search(r", Argentina$|, Brazil$|, Colombia$|, Peru$", s) for s in lines)
    assert any(re.search(r"\([A-Z]{3,}\), Universi(dad|dade|ty) ", s) for s in lines)
    assert any("Fundación" in s or "Instituto" in s or "Asociación" in s for s in lines)


def test_news_articles_quote_people_with_role_at_organisation(
    corpus: Path, manifest: dict[str, Any]
) -> None:
    news = [d for d in manifest["documents"] if d["kind"] == "news_article"]
    assert news
    for d in news:
        text = (corpus / "documents" / d["file"]).read_text(encoding="utf-8")
        assert not text.startswith("---")
        for q in d["quotes"]:
            assert f"{q['speaker']}, {q['role']} at {q['org']}" in text


def test_stance_sentences_carry_the_cues_of_the_topic_scheme() -> None:
    from policygraph.topics import load_topics

    scheme = load_topics()
    pools = generator.load_pools()
    for key in ("stance_sentences", "government_sentences"):
        for s in pools[key]:
            text = s["text"].replace("{company}", "Cobalt")
            for st in [s, *s.get("also", ())]:
                topic = scheme.get(st["topic"])
                assert topic is not None, st["topic"]
                assert topic.mentions_topic(text), (st["topic"], text)
                assert any(
                    c.position == st["position"] and c.pattern.search(text) for c in topic.cues
                ), (st, text)
    for filler in pools["filler_sentences"]:
        assert not any(c.pattern.search(filler) for t in scheme.topics for c in t.cues), filler


# ---------------------------------------------------------------------------------- loaders
def test_loaders_read_every_generated_document(corpus: Path, manifest: dict[str, Any]) -> None:
    from policygraph.errors import DocumentError
    from policygraph.loading import iter_documents

    docs = list(iter_documents([corpus / "documents"]))
    assert not [d for d in docs if isinstance(d, DocumentError)]
    assert len(docs) == SIZE
    titles = {Path(d.path).name: d.meta.title for d in docs if not isinstance(d, DocumentError)}
    for d in manifest["documents"]:
        if d["kind"] != "news_article":
            assert titles[d["file"]] == d["title"]


def test_letter_extraction_finds_every_signatory_written(
    corpus: Path, manifest: dict[str, Any]
) -> None:
    from policygraph.extraction.letters import extract_letter
    from policygraph.loading import load_document

    wrong = []
    for d in _letters(manifest):
        letter = extract_letter(load_document(corpus / "documents" / d["file"]))
        got = [s.as_written for s in letter.signatories] if letter else []
        if got != d["signatories"]:
            wrong.append((d["file"], len(d["signatories"]), len(got)))
    assert not wrong, f"{len(wrong)} letters extracted wrongly (file, written, found): {wrong[:5]}"


# ---------------------------------------------------------------------------------- make bench
# The whole benchmark on a corpus small enough that rdflib answers every query in seconds.
BENCH_SIZE = 30


@pytest.fixture(scope="module")
def bench_manifest(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    root = tmp_path_factory.mktemp("bench-corpus")
    corpus = generator.generate(BENCH_SIZE, root / str(BENCH_SIZE))
    return root, generator.load_manifest(corpus)


@pytest.fixture(scope="module")
def results(bench_manifest: tuple[Path, dict[str, Any]]) -> dict[str, Any]:
    root, _ = bench_manifest
    chromium = shutil.which("chromium") is not None
    return run.run(
        [BENCH_SIZE],
        viz_nodes=[300] if chromium else [],
        corpus_root=root,
        query_runs=1,
        query_timeout=20,
        profile=True,
    )


JSON_KEYS = {
    "date", "machine", "seed", "sizes", "corpus", "build", "bulk_load", "reingest", "queries",
    "query_comparison", "viz", "profile", "goals", "notes", "errors",
}  # fmt: skip


@pytest.mark.slow
def test_bench_results_have_every_section(results: dict[str, Any]) -> None:
    assert set(results) == JSON_KEYS
    assert results["errors"] == []
    assert {"cores", "memory_gib"} <= set(results["machine"])
    b = results["build"][str(BENCH_SIZE)]
    assert {"read_extract", "resolve", "build", "write"} <= set(b["phases_s"])
    assert {"read", "extract", "build", "validate"} <= set(b["work_s"])
    for key in ("seconds", "docs_per_s", "triples_per_s", "write_triples_per_s", "peak_rss_mib"):
        assert b[key] is not None and b[key] > 0, key
    bulk = results["bulk_load"][str(BENCH_SIZE)]
    assert bulk["triples"] == b["triples"]
    assert results["profile"]["by_own_time"]
    assert results["profile"]["policygraph_by_cumulative_time"]
    assert len(results["goals"]) == 8
    assert all(set(g) == {"goal", "target", "measured", "met", "note"} for g in results["goals"])


@pytest.mark.slow
def test_bench_built_store_has_the_documents_and_signatories_written(
    results: dict[str, Any], bench_manifest: tuple[Path, dict[str, Any]]
) -> None:
    _, manifest = bench_manifest
    b = results["build"][str(BENCH_SIZE)]
    assert b["documents"] == BENCH_SIZE and b["failures"] == 0
    f = b["fidelity"]
    letters = _letters(manifest)
    assert f["letters_written"] == len(letters)
    assert f["signatures_written"] == sum(len(d["signatories"]) for d in letters)
    assert f["mismatches"] == []
    assert f["signatures_stored"] == f["signatures_written"]
    assert f["letters_with_exact_signatory_count"] == len(letters)


@pytest.mark.slow
def test_bench_reingests_one_changed_document(results: dict[str, Any]) -> None:
    r = results["reingest"]
    assert r["changed_status"] == ["replaced"]
    assert r["graphs_after"] == r["graphs_before"]
    assert r["triples_after"] > r["triples_before"]  # one more signature
    assert r["unchanged_status"] == ["unchanged"]


@pytest.mark.slow
def test_bench_runs_every_library_query_on_both_stores(results: dict[str, Any]) -> None:
    from policygraph.sparql import querying

    names = {info.name for info in querying.load_library()}
    q = results["queries"]
    assert set(q["queries"]) == names
    for name, v in q["queries"].items():
        assert "error" not in v and "timeout_s" not in v, (name, v)
    c = results["query_comparison"]
    assert c["size"] == BENCH_SIZE and set(c["queries"]) == names
    answered = {k: v for k, v in c["queries"].items() if "rdflib_timeout_s" not in v}
    assert len(answered) >= len(names) - 2  # rdflib may be stopped on a pathological query
    for name, v in answered.items():
        assert v.get("rdflib_rows") == v["rows"], (name, v)  # both stores agree


@pytest.mark.slow
def test_bench_viz_draws_the_page(results: dict[str, Any]) -> None:
    require_system("chromium")
    v = results["viz"]["300"]
    assert v["nodes"] == 300 and v["drawn"] is True and v["page_errors"] == []


@pytest.mark.slow
def test_bench_writes_json_and_readme_section(tmp_path: Path, results: dict[str, Any]) -> None:
    path = run.write_results(results, tmp_path)
    assert set(json.loads(path.read_text(encoding="utf-8"))) == JSON_KEYS
    readme = tmp_path / "README.md"
    readme.write_text("# policygraph\n\nIntro.\n", encoding="utf-8")
    report.update_readme(readme, report.render_readme(results, path))
    report.update_readme(readme, report.render_readme(results, path))  # rewritten, not added
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# policygraph\n\nIntro.\n")
    assert text.count(report.START) == 1 and text.count(report.END) == 1
    assert f"| {BENCH_SIZE:,} | {results['build'][str(BENCH_SIZE)]['triples']:,} |" in text
    assert f"{results['machine']['cores']} cores" in text
