"""Network views: the graphs read from the store, analysis, layout, exports, HTML, CLI."""

from __future__ import annotations

import csv
import json
import re
from html import unescape
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from policygraph.cli import main
from policygraph.viz import VIEWS, ViewError, analysed_view, view_graph, write_all_views, write_view
from policygraph.viz.export import export_graph, write_csv, write_gexf, write_graphml
from policygraph.viz.html import render_html
from policygraph.viz.layout import layout
from policygraph.viz.network import annotate, format_summary, summary
from policygraph.viz.profile import write_profile
from policygraph.viz.views import BIG_LETTER
from tests.viz_graph import EXPECTED, XSS, build_store, drw_like_store

ACTOR = "https://w3id.org/policygraph/id/actor/"
AN, EFF, ORG = ACTOR + "access-now", ACTOR + "eff", ACTOR + "open-rights-group"
UK, PATEL = ACTOR + "government-of-the-united-kingdom", ACTOR + "priti-patel"
BACKDOORS = "https://w3id.org/policygraph/topic/backdoors"


@pytest.fixture(scope="module")
def store() -> Any:
    with build_store() as s:
        yield s


@pytest.mark.parametrize("view", VIEWS)
def test_each_view_has_the_expected_nodes_and_edges(store: Any, view: str) -> None:
    g = view_graph(store, view)
    assert (g.number_of_nodes(), g.number_of_edges()) == EXPECTED[view]
    for _, d in g.nodes(data=True):
        assert d["label"] and d["kind"] in {
            "organisation",
            "government",
            "company",
            "person",
            "letter",
            "topic",
        }
    # Every edge says where it comes from.
    for *_, d in g.edges(data=True):
        assert d["doc"].startswith("https://w3id.org/policygraph/id/doc/")
        assert d["evidence_count"] == len(d["evidence"]) >= 1


def test_signatures_edges_carry_type_document_date_and_quote(store: Any) -> None:
    g = view_graph(store, "signatures")
    signed = g.get_edge_data(EFF, "https://w3id.org/policygraph/id/letter/a1", "signed")
    assert signed["date"] == "2019-10-04"
    assert signed["quote"] == "Electronic Frontier Foundation"
    assert signed["doc_title"] == "Open Letter: Facebook's End-to-End Encryption Plans"
    relations = {k for *_, k in g.edges(keys=True)}
    assert relations == {"signed", "authored", "addressed to", "responds to"}
    responds = g.get_edge_data(
        "https://w3id.org/policygraph/id/letter/a1",
        "https://w3id.org/policygraph/id/letter/a0",
        "responds to",
    )
    assert responds["quote"] == "the letter of the governments of the United States"
    assert g.nodes[EFF]["wikidata"] == "http://www.wikidata.org/entity/Q624023"
    assert g.nodes[EFF]["aliases"] == "EFF"
    assert g.nodes[UK]["kind"] == "government"
    assert g.nodes[ACTOR + "mark-zuckerberg"]["kind"] == "person"
    assert g.nodes[ACTOR + "facebook"]["kind"] == "company"


def test_coalition_weight_counts_letters_shared(store: Any) -> None:
    g = view_graph(store, "coalitions")
    assert g[AN][EFF]["weight"] == 2
    assert g[AN][ORG]["weight"] == 1
    assert g[AN][EFF]["evidence_count"] == 2


def test_stances_edges_have_position_and_evidence(store: Any) -> None:
    g = view_graph(store, "stances")
    assert set(g[UK][BACKDOORS]) == {"support"}
    assert set(g[AN][BACKDOORS]) == {"oppose"}
    edge = g[UK][BACKDOORS]["support"]
    assert edge["quote"] == "backs exceptional access to encrypted messages"
    assert edge["date"] == "2019-10-05"
    assert edge["evidence"][0]["attribution"] == "stated"


def test_discourse_projections_follow_leifeld(store: Any) -> None:
    congruence = view_graph(store, "discourse-congruence")
    conflict = view_graph(store, "discourse-conflict")
    difference = view_graph(store, "discourse")
    assert congruence[AN][EFF]["weight"] == 2  # both oppose backdoors and support E2EE
    assert congruence[UK][PATEL]["weight"] == 1
    assert conflict[AN][PATEL]["weight"] == 2  # opposite on both topics
    assert conflict[AN][UK]["weight"] == 1
    assert not conflict.has_edge(AN, EFF)
    assert difference[AN][PATEL]["weight"] == -2
    assert difference[AN][EFF]["weight"] == 2
    for u, v, d in difference.edges(data=True):
        agree = congruence[u][v]["weight"] if congruence.has_edge(u, v) else 0
        clash = conflict[u][v]["weight"] if conflict.has_edge(u, v) else 0
        assert d["weight"] == agree - clash


def test_time_window_and_topic(store: Any) -> None:
    later = view_graph(store, "signatures", since="2020")
    assert [d["label"] for _, d in later.nodes(data=True) if d["kind"] == "letter"] == [
        "A second letter on encryption"
    ]
    early = view_graph(store, "coalitions", until="2019-12-31")
    assert ORG not in early
    news_only = view_graph(store, "discourse-conflict", since="2019-10-05", until="2019-10-05")
    assert news_only.number_of_edges() == 0  # only the government side speaks that day
    assert set(news_only) == {UK, PATEL}
    e2ee = view_graph(store, "stances", topic="e2ee")
    assert BACKDOORS not in e2ee
    assert UK not in e2ee


def test_bad_options_are_clear_errors(store: Any) -> None:
    with pytest.raises(ViewError, match="unknown view 'maps'"):
        view_graph(store, "maps")
    with pytest.raises(ViewError, match=r"unknown topic 'tax'.*backdoors"):
        view_graph(store, "stances", topic="tax")
    with pytest.raises(ViewError, match="--since '2019-13'"):
        view_graph(store, "stances", since="2019-13")


def test_annotate_adds_centralities_and_stable_communities(store: Any) -> None:
    g = annotate(view_graph(store, "signatures"))
    for _, d in g.nodes(data=True):
        for key in ("degree", "degree_centrality", "betweenness", "eigenvector", "community"):
            assert key in d
    letter = "https://w3id.org/policygraph/id/letter/a1"
    # The answering letter links the civil-society side to the governments' letter.
    assert g.nodes[letter]["betweenness"] == max(d["betweenness"] for _, d in g.nodes(data=True))
    again = annotate(view_graph(store, "signatures"))
    assert {v: d["community"] for v, d in g.nodes(data=True)} == {
        v: d["community"] for v, d in again.nodes(data=True)
    }


@pytest.mark.parametrize("nodes", [300, 1500])
def test_betweenness_is_networkx_estimate(nodes: int) -> None:
    """Exact up to EXACT_BETWEENNESS nodes, above it networkx's sampled estimate with the same
    seeded sources: igraph counts the paths, the numbers are networkx's."""
    from policygraph.viz import network

    g = nx.barabasi_albert_graph(nodes, 2, seed=11)
    g.add_edge(nodes, nodes + 1)  # a second component
    annotate(g)
    if nodes <= network.EXACT_BETWEENNESS:
        expected = nx.betweenness_centrality(g)
        assert "betweenness_sources" not in g.graph
    else:
        k = max(20, min(300, network.BETWEENNESS_WORK // (len(g) + g.number_of_edges())))
        expected = nx.betweenness_centrality(g, k=k, seed=network.SEED)
        assert g.graph["betweenness_sources"] == k  # the page says it is an estimate
    assert {v: g.nodes[v]["betweenness"] for v in g} == pytest.approx(
        {v: round(b, 6) for v, b in expected.items()}, abs=2e-6
    )


def test_communities_of_a_big_graph_are_connected_and_stable() -> None:
    g = nx.barabasi_albert_graph(3000, 2, seed=5)
    first = {v: d["community"] for v, d in annotate(g.copy()).nodes(data=True)}
    assert first == {v: d["community"] for v, d in annotate(g.copy()).nodes(data=True)}
    members: dict[int, list[int]] = {}
    for v, c in first.items():
        members.setdefault(c, []).append(v)
    assert len(members) > 5
    assert all(nx.is_connected(g.subgraph(m)) for m in members.values())
    sizes = [len(members[c]) for c in sorted(members)]
    assert sizes == sorted(sizes, reverse=True)  # numbered largest first


def test_network_summary_lists_top_actors_and_coalitions(store: Any) -> None:
    s = summary(store, top=3)
    assert s.top[0].label in {"Access Now", "Electronic Frontier Foundation"}
    assert s.top[0].letters_signed == 2
    assert sum(c.size for c in s.coalitions) == s.actors
    text = format_summary(s)
    assert "Access Now" in text and "coalitions" in text


def test_layout_is_deterministic_and_spreads_a_big_graph() -> None:
    g = nx.Graph()
    for letter in range(150):
        for k in range(3 + letter % 50):
            g.add_edge(f"letter{letter}", f"actor{(letter * 37 + k * 101) % 4000}")
    g.add_nodes_from(f"loner{i}" for i in range(30))
    pos = layout(g)
    assert set(pos) == set(g)
    assert len(set(pos.values())) == len(pos)  # nobody on top of anybody
    assert layout(g) == pos


def _edges(g: nx.Graph) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Edges keyed by (source, target, key), whatever shape the reader returned."""
    out = {}
    if g.is_multigraph():
        items = [(u, v, k, dict(d)) for u, v, k, d in g.edges(keys=True, data=True)]
    else:
        items = [(u, v, None, dict(d)) for u, v, d in g.edges(data=True)]
    for u, v, k, d in items:
        ident = d.pop("id", None)
        d.pop("key", None)
        key = ident if ident is not None else k
        if not g.is_directed():
            u, v = sorted((u, v))
        out[(u, v, str(key) if key is not None else "")] = d
    return out


@pytest.mark.parametrize("view", VIEWS)
def test_graphml_and_gexf_read_back_the_same(store: Any, tmp_path: Path, view: str) -> None:
    g = analysed_view(store, view)
    expected = export_graph(g)
    for path, reader in (
        (write_graphml(g, tmp_path / "v.graphml"), nx.read_graphml),
        (write_gexf(g, tmp_path / "v.gexf"), nx.read_gexf),
    ):
        back = reader(path)
        assert set(back) == set(expected)
        for v in expected:
            got = dict(back.nodes[v])
            got.pop("viz", None)
            assert got == expected.nodes[v], (path.suffix, v)
        want = _edges(expected)
        if not expected.is_multigraph():
            want = {(u, v, ""): d for (u, v, _), d in want.items()}
        got_edges = _edges(back)
        if not expected.is_multigraph():
            got_edges = {(u, v, ""): d for (u, v, _), d in got_edges.items()}
        assert got_edges == want, path.suffix
    # The evidence survives as JSON.
    evidence = json.loads(next(iter(expected.edges(data=True)))[2]["evidence"])
    assert evidence[0]["doc"].startswith("https://w3id.org/policygraph/id/doc/")


def test_csv_lists(store: Any, tmp_path: Path) -> None:
    g = analysed_view(store, "coalitions")
    nodes_path, edges_path = write_csv(g, tmp_path / "coalitions.csv")
    with nodes_path.open(encoding="utf-8") as fh:
        nodes = list(csv.DictReader(fh))
    with edges_path.open(encoding="utf-8") as fh:
        edges = list(csv.DictReader(fh))
    assert len(nodes) == g.number_of_nodes() and len(edges) == g.number_of_edges()
    assert {"id", "label", "kind", "community", "betweenness", "x", "y"} <= set(nodes[0])
    assert {"source", "target", "weight", "doc", "date", "quote"} <= set(edges[0])


def test_html_is_self_contained_and_escapes_names(tmp_path: Path) -> None:
    with build_store(evil_name=True) as evil:
        html = render_html(analysed_view(evil, "signatures"))
    assert XSS not in html
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", html, re.I)
    data = re.search(r'<script type="application/json" id="pg-data">(.*?)</script>', html, re.S)
    assert data is not None
    assert "<" not in data.group(1)
    labels = [n["label"] for n in json.loads(data.group(1))["nodes"]]
    assert XSS in labels
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    assert csp is not None and "default-src 'none'" in unescape(csp.group(1))


def test_cli_viz_and_network(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build_store(str(tmp_path / "store")).close()
    out = tmp_path / "stances.gexf"
    code = main(
        [
            "viz",
            "stances",
            "--format",
            "gexf",
            "--out",
            str(out),
            "--store",
            str(tmp_path / "store"),
        ]
    )
    assert code == 0
    assert nx.read_gexf(out).number_of_nodes() == EXPECTED["stances"][0]
    assert main(["network", "--store", str(tmp_path / "store")]) == 0
    printed = capsys.readouterr().out
    assert "Access Now" in printed and "coalitions" in printed
    assert main(["viz", "nope", "--store", str(tmp_path / "store")]) == 1
    assert "unknown view 'nope'" in capsys.readouterr().err


def test_write_view_html(store: Any, tmp_path: Path) -> None:
    path = write_view(store, "coalitions", tmp_path / "c.html", size_by="betweenness")
    text = path.read_text(encoding="utf-8")
    assert '"sizeBy":"betweenness"' in text
    assert not (tmp_path / "c.html.part").exists()


def test_dense_networks_open_with_only_their_strongest_ties() -> None:
    from policygraph.viz.html import _min_weight

    assert _min_weight([1] * 10, shown=20) == 1
    # 30 ties of strength 1 and 5 of strength 3: showing at most 20 means "at least 3".
    assert _min_weight([1] * 30 + [3] * 5, shown=20) == 3
    assert _min_weight([1] * 30 + [2] * 20, shown=20) == 2


def test_a_big_letter_is_drawn_through_its_node_not_as_every_pair(tmp_path: Path) -> None:
    """A DRW-sized co-signing network with a letter of 500 signatories: the letter is a node
    its signers link to, so the page and the GraphML stay small; the summary still counts
    every co-signer."""
    with drw_like_store() as store:
        g = view_graph(store, "coalitions")
        letters = [v for v, d in g.nodes(data=True) if d["kind"] == "letter"]
        assert g.degree("https://w3id.org/policygraph/id/letter/gen0") == 500
        # Only letters of more than BIG_LETTER signers are nodes; the others are pairs.
        assert all(g.degree(v) > BIG_LETTER for v in letters)
        assert g.graph["letters_through_node"] == len(letters)
        assert any(d["relation"] == "co-signed" for *_, d in g.edges(data=True))
        # Without the letter node, its 500 signers alone would be 124,750 pairs.
        assert g.number_of_edges() < 30_000
        page = write_view(store, "coalitions", tmp_path / "c.html")
        graphml = write_view(store, "coalitions", tmp_path / "c.graphml", fmt="graphml")
        s = summary(store)
    assert page.stat().st_size <= 3_000_000
    assert graphml.stat().st_size <= 20_000_000
    assert "drawn as a node its signatories link to" in page.read_text(encoding="utf-8")
    loaded = nx.read_graphml(graphml)
    assert loaded.number_of_nodes() == g.number_of_nodes()
    # Every signer of the big letter co-signed with the 499 others at least.
    assert s.letters == 41
    assert min(a.co_signers for a in s.top) >= 499
    assert all(a.kind != "letter" for a in s.top)
    assert s.actors == sum(c.size for c in s.coalitions) == g.number_of_nodes() - len(letters)


# What the store holds for an actor, asked independently of the views' queries: the letters
# whose signatory or author it is, and its stances' (topic, position, quote).
ACTOR_LETTERS = """
PREFIX pg: <https://w3id.org/policygraph/ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <http://schema.org/>
SELECT DISTINCT ?letter ?role ?actor WHERE {
  { { ?letter pg:signatory ?actor } UNION { ?letter prov:qualifiedAttribution/prov:agent ?actor }
    BIND("signed" AS ?role) }
  UNION { ?letter schema:author ?actor BIND("wrote" AS ?role) }
}"""
ACTOR_STANCES = """
PREFIX pg: <https://w3id.org/policygraph/ns#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?notation ?position ?quote ?actor WHERE {
  ?s a pg:Stance ; pg:holder ?actor ; pg:topic/skos:notation ?notation ; pg:position ?p .
  BIND(IF(?p = pg:Support, "support", "oppose") AS ?position)
  OPTIONAL { ?s pg:evidence/oa:hasSelector/oa:exact ?quote }
}"""


def _held(store: Any, actor: str) -> tuple[set[tuple[str, str]], set[tuple[str, str, str]]]:
    from rdflib import URIRef

    bind = {"actor": URIRef(actor)}
    letters = {(str(r[0]), str(r[1])) for r in store.select(ACTOR_LETTERS, bind).rows}
    stances = {
        (str(r[0]), str(r[1]), str(r[2] or "")) for r in store.select(ACTOR_STANCES, bind).rows
    }
    return letters, stances


def _listed(html: str) -> tuple[set[tuple[str, str]], set[tuple[str, str, str]]]:
    letters = set(re.findall(r'<tr class="letter" data-letter="([^"]+)" data-role="(\w+)">', html))
    stances = {
        (t, p, unescape(q))
        for t, p, q in re.findall(
            r'<tr class="stance" data-topic="([^"]+)" data-position="(\w+)">.*?'
            r"<blockquote>(.*?)</blockquote>",
            html,
            re.S,
        )
    }
    return {(unescape(a), b) for a, b in letters}, stances


@pytest.mark.parametrize("actor", [AN, UK, PATEL, ORG, ACTOR + "mark-zuckerberg"])
def test_profile_page_lists_exactly_what_the_store_holds(
    store: Any, actor: str, tmp_path: Path
) -> None:
    path = write_profile(store, actor, tmp_path / "p.html")
    html = path.read_text(encoding="utf-8")
    assert _listed(html) == _held(store, actor)
    assert "<script" not in html


def test_profile_of_the_seed_actors_matches_the_store(seed_store: Any, tmp_path: Path) -> None:
    s = summary(seed_store, top=5)
    for a in s.top:
        html = write_profile(seed_store, a.iri, tmp_path / "p.html").read_text(encoding="utf-8")
        listed, held = _listed(html), _held(seed_store, a.iri)
        assert listed == held
        assert len(listed[0]) == a.letters_signed


def test_profile_by_name_with_its_wikidata_link_and_an_unknown_name(
    store: Any, tmp_path: Path
) -> None:
    html = write_profile(store, "EFF", tmp_path / "eff.html").read_text(encoding="utf-8")
    assert '<h1 id="name">Electronic Frontier Foundation</h1>' in html
    assert 'href="https://www.wikidata.org/entity/Q624023"' in html
    with pytest.raises(ViewError, match="Nobody"):
        write_profile(store, "Nobody At All", tmp_path / "x.html")


def test_profile_escapes_a_script_in_a_name(tmp_path: Path) -> None:
    with build_store(evil_name=True) as evil:
        html = write_profile(evil, ACTOR + "digital-rights-watch", tmp_path / "p.html")
        text = html.read_text(encoding="utf-8")
    assert "<script>window" not in text and "&lt;script&gt;window.pwned=1" in text


def test_topics_are_named_in_english_when_labelled_in_several_languages(
    seed_store: Any,
) -> None:
    g = view_graph(seed_store, "stances")
    labels = {d["notation"]: d["label"] for _, d in g.nodes(data=True) if d["kind"] == "topic"}
    assert labels["backdoors"] == "encryption backdoors"
    assert all("_rank" not in d for _, d in g.nodes(data=True))


def test_all_views_write_a_profile_per_actor_and_link_it(store: Any, tmp_path: Path) -> None:
    write_all_views(store, tmp_path)
    pages = sorted(p.name for p in (tmp_path / "profiles").iterdir())
    # 4 signers, Zuckerberg, Facebook, 3 governments, Patel: every actor of a view.
    assert len(pages) == 10
    page = (tmp_path / "stances.html").read_text(encoding="utf-8")
    data = json.loads(unescape(re.search(r'id="pg-data">(.*?)</script>', page, re.S).group(1)))
    an = next(n for n in data["nodes"] if n["label"] == "Access Now")
    html = (tmp_path / an["profile"]).read_text(encoding="utf-8")
    assert '<h1 id="name">Access Now</h1>' in html
    assert _listed(html) == _held(store, AN)
    assert all("profile" not in n for n in data["nodes"] if n["kind"] == "topic")
