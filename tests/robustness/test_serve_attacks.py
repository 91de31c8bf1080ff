"""`serve` under the attacks of issue 19, item 3, on 127.0.0.1 with bounded loops: endless
queries, a huge CONSTRUCT and slow connections come from one client address (127.0.0.2),
while a well-behaved client (127.0.0.1) keeps asking a small query. The server never dies,
the attacker's queries are stopped, and the well-behaved client is answered every time,
within a generous bound at the 95th percentile (the issue asks for 1 s)."""

from __future__ import annotations

import http.client
import os
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.robustness.reliability import rss_kb, served

ATTACKER = "127.0.0.2"
SMALL = "SELECT ?s WHERE { ?s a ?type } LIMIT 5"
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
HUGE = "CONSTRUCT { ?a ?b ?c . ?d ?e ?f } WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
GOOD_REQUESTS = 40
P95_BOUND = 2.0  # seconds: generous beside the 1 s, for a shared 2-core machine


def _ask(base: str, query: str, *, source: str = "127.0.0.1", timeout: float = 60) -> int:
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(
        url.hostname, url.port, timeout=timeout, source_address=(source, 0)
    )
    try:
        conn.request(
            "POST",
            "/sparql",
            body=query.encode(),
            headers={"Content-Type": "application/sparql-query", "Accept": "*/*"},
        )
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, int(0.95 * len(ordered)) - 1)]


def _good_client(base: str) -> tuple[list[int], list[float]]:
    statuses, times = [], []
    for _ in range(GOOD_REQUESTS):
        t = time.monotonic()
        statuses.append(_ask(base, SMALL))
        times.append(time.monotonic() - t)
        time.sleep(0.05)
    return statuses, times


@contextmanager
def _attack(fn: Callable[[threading.Event], None], n: int) -> Iterator[None]:
    stop = threading.Event()
    threads = [threading.Thread(target=fn, args=(stop,), daemon=True) for _ in range(n)]
    for t in threads:
        t.start()
    time.sleep(0.5)  # the attack is under way before the good client starts
    try:
        yield
    finally:
        stop.set()
        for t in threads:
            t.join(60)


def _under_attack(base: str, pid: int, attack: Callable[[threading.Event], None], n: int) -> None:
    with _attack(attack, n):
        statuses, times = _good_client(base)
    assert statuses == [200] * GOOD_REQUESTS
    print(f"good client under attack: p95 {_p95(times):.3f} s, max {max(times):.3f} s")
    assert _p95(times) < P95_BOUND, f"p95 {_p95(times):.2f} s"
    assert os.path.exists(f"/proc/{pid}")  # no server death
    assert _ask(base, SMALL) == 200


@pytest.fixture(scope="module")
def server(seed_store_dir: Path) -> Iterator[tuple[int, str]]:
    with served(seed_store_dir, "--timeout", "3", "--request-timeout", "3") as (pid, base):
        yield pid, base


def test_endless_queries_are_stopped_and_others_answered(server: tuple[int, str]) -> None:
    pid, base = server
    seen: list[int] = []

    def endless(stop: threading.Event) -> None:
        while not stop.is_set():
            seen.append(_ask(base, ENDLESS, source=ATTACKER))

    _under_attack(base, pid, endless, 2)
    assert seen and set(seen) <= {503, 429}, seen
    # After the attack the endpoint is whole again: no worker left busy.
    assert [_ask(base, SMALL) for _ in range(4)] == [200] * 4


def test_a_huge_construct_is_stopped_and_memory_stays_bounded(server: tuple[int, str]) -> None:
    pid, base = server
    before = rss_kb(pid)
    seen: list[int] = []

    def huge(stop: threading.Event) -> None:
        while not stop.is_set():
            seen.append(_ask(base, HUGE, source=ATTACKER))

    _under_attack(base, pid, huge, 1)
    assert seen and set(seen) <= {503, 413}, seen
    assert rss_kb(pid) - before < 200 * 1024  # the server never held the answer


def test_slow_connections_do_not_lock_others_out(server: tuple[int, str]) -> None:
    pid, base = server
    url = urllib.parse.urlsplit(base)
    slow: list[socket.socket] = []
    for _ in range(120):
        s = socket.create_connection(
            (url.hostname, url.port), timeout=5, source_address=(ATTACKER, 0)
        )
        s.sendall(b"P")
        slow.append(s)
    try:
        statuses, times = _good_client(base)
        assert statuses == [200] * GOOD_REQUESTS
        print(f"good client beside 120 slow connections: p95 {_p95(times):.3f} s")
        assert _p95(times) < P95_BOUND, f"p95 {_p95(times):.2f} s"
        # Each slow connection is closed: at once beyond the per-client cap, or when its
        # request has not arrived whole within the request timeout (3 s here).
        closed = 0
        for s in slow:
            s.settimeout(15)
            try:
                closed += s.recv(1) == b""
            except ConnectionResetError:
                closed += 1
            except TimeoutError:
                pass  # still open after 15 s: counted as not closed
        assert closed == len(slow)
    finally:
        for s in slow:
            s.close()
    assert os.path.exists(f"/proc/{pid}")
