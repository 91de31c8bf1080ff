"""Issue 17: `serve` speaks the W3C Reconciliation Service API (0.2) over the graph's actors,
and the linker can take candidates from any reconciliation service.

The answers are validated against the specification's own JSON schemas (vendored in
tests/data/reconciliation-schemas/, see SOURCE.md), offline, with `jsonschema`.
"""

from __future__ import annotations

import csv
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from policygraph.serve import ServeConfig, create_server
from policygraph.store import Store
from tests.support import ROOT
from tests.test_linking import DOC_GRAPH, actors_graph

SCHEMAS = Path(ROOT) / "tests" / "data" / "reconciliation-schemas" / "0.2"


def _schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


# The schemas refer to each other by their $id ("type.json"): resolved here, never fetched.
_REGISTRY: Registry[Any] = Registry().with_resources(
    (_schema(n)["$id"], Resource.from_contents(_schema(n), default_specification=DRAFT7))
    for n in ("manifest", "reconciliation-query-batch", "reconciliation-result-batch", "type")
)


def validate(value: object, name: str) -> None:
    """Raise unless `value` is valid under the specification's schema `name`."""
    jsonschema.Draft7Validator(_schema(name), registry=_REGISTRY).validate(value)


@pytest.fixture(scope="module")
def service() -> Iterator[str]:
    store = Store(None)
    store.replace_graphs({DOC_GRAPH: actors_graph()})
    server = create_server(store, ServeConfig(port=0, views_dir=None))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}/reconcile"
    finally:
        server.close()
        store.close()


def get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def post(url: str, body: bytes, ctype: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": ctype})
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_manifest_validates_and_points_to_the_preview(service: str) -> None:
    status, ctype, body = get(service)
    assert status == 200 and ctype.startswith("application/json")
    manifest = json.loads(body)
    validate(manifest, "manifest")
    assert manifest["identifierSpace"] == "https://w3id.org/policygraph/id/"
    assert manifest["preview"]["url"].startswith(service + "/preview?id=")


BATCH = {
    "q0": {"query": "Electronic Frontier Foundation"},
    "q1": {"query": "EFF", "limit": 3},
    "q2": {"query": "human rights watch", "type": "http://schema.org/NGO"},
    "q3": {"query": "Mark Zuckerberg", "type": "http://schema.org/NGO"},
    "q4": {"query": "Nobody Of That Name At All"},
}


def _check_batch(results: dict[str, Any]) -> None:
    validate(results, "reconciliation-result-batch")
    assert set(results) == set(BATCH)
    eff = results["q0"]["result"][0]
    assert eff["id"] == "actor/electronic-frontier-foundation" and eff["match"] is True
    assert eff["score"] == 100
    assert results["q1"]["result"][0]["id"] == "actor/electronic-frontier-foundation"
    assert len(results["q1"]["result"]) <= 3
    assert results["q2"]["result"][0]["id"] == "actor/human-rights-watch"
    assert results["q3"]["result"] == []  # a person is not of the type asked for
    assert results["q4"]["result"] == []


def test_queries_in_every_form_validate_and_find_the_actor(service: str) -> None:
    validate(BATCH, "reconciliation-query-batch")
    text = json.dumps(BATCH)
    status, _, body = get(service + "?" + urllib.parse.urlencode({"queries": text}))
    assert status == 200
    _check_batch(json.loads(body))
    form = urllib.parse.urlencode({"queries": text}).encode()
    status, body = post(service, form, "application/x-www-form-urlencoded")
    assert status == 200
    _check_batch(json.loads(body))
    status, body = post(service, text.encode(), "application/json")
    assert status == 200
    _check_batch(json.loads(body))


def test_bad_queries_are_a_clear_400(service: str) -> None:
    status, body = post(service, b"{not json", "application/json")
    assert status == 400 and b"not JSON" in body
    status, body = post(service, json.dumps({"q0": {"limit": 2}}).encode(), "application/json")
    assert status == 400 and b"query" in body


def test_preview_escapes_the_names(service: str) -> None:
    status, ctype, body = get(service + "/preview?id=actor/quote-injection")
    assert status == 200 and ctype.startswith("text/html")
    assert b"Evil&quot; } }" in body and b'Evil" }' not in body
    assert get(service + "/preview?id=actor/nobody")[0] == 404


def test_a_client_round_trips_a_csv(service: str, tmp_path: Path) -> None:
    """What OpenRefine does with a column: reconcile each row's name, write the ids."""
    rows = [
        {"name": "Electronic Frontier Foundation"},
        {"name": "American Civil Liberties Union"},
        {"name": "Asociacion por los Derechos Civiles"},  # accents aside: the same actor
        {"name": "An Unknown Society"},
    ]
    source = tmp_path / "in.csv"
    with source.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, ["name"])
        writer.writeheader()
        writer.writerows(rows)
    with source.open(newline="", encoding="utf-8") as inp:
        names = [r["name"] for r in csv.DictReader(inp)]
    queries = {f"q{i}": {"query": n, "limit": 3} for i, n in enumerate(names)}
    form = urllib.parse.urlencode({"queries": json.dumps(queries)}).encode()
    status, body = post(service, form, "application/x-www-form-urlencoded")
    assert status == 200
    answers = json.loads(body)
    validate(answers, "reconciliation-result-batch")
    target = tmp_path / "out.csv"
    with target.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, ["name", "id"])
        writer.writeheader()
        for i, name in enumerate(names):
            matched = [r for r in answers[f"q{i}"]["result"] if r["match"]]
            writer.writerow({"name": name, "id": matched[0]["id"] if matched else ""})
    with target.open(newline="", encoding="utf-8") as inp:
        ids = {r["name"]: r["id"] for r in csv.DictReader(inp)}
    assert ids == {
        "Electronic Frontier Foundation": "actor/electronic-frontier-foundation",
        "American Civil Liberties Union": "actor/american-civil-liberties-union",
        "Asociacion por los Derechos Civiles": "actor/asociacion-por-los-derechos-civiles",
        "An Unknown Society": "",
    }


def test_the_schemas_do_reject_what_breaks_the_specification() -> None:
    """The validation above can fail: an answer the specification forbids is refused."""
    with pytest.raises(jsonschema.ValidationError):
        validate(
            {"q0": {"result": [{"id": 7, "name": "x", "score": 1, "match": True}]}},
            "reconciliation-result-batch",
        )
    with pytest.raises(jsonschema.ValidationError):
        validate(
            {"versions": ["0.1"], "name": "x", "identifierSpace": "a", "schemaSpace": "b"},
            "manifest",
        )
