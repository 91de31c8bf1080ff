"""The attack experiment on `policygraph serve`, shared by the tests and the README report.

One client address (127.0.0.2) attacks: endless queries (Cartesian products), a huge
CONSTRUCT, or 120 connections that send one byte and stall. Meanwhile a well-behaved client
(127.0.0.1) asks a small query, one at a time, a bounded number of times. `under_attack`
returns what each side got and how long the well-behaved client waited; nothing here
asserts about time.
"""

from __future__ import annotations

import http.client
import os
import socket
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

ATTACKER = "127.0.0.2"
SMALL = "SELECT ?s WHERE { ?s a ?type } LIMIT 5"
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
HUGE = "CONSTRUCT { ?a ?b ?c . ?d ?e ?f } WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SLOW_CONNECTIONS = 120
KINDS = ("endless", "huge", "slow")


@dataclass(frozen=True)
class AttackFigures:
    kind: str
    good_statuses: Counter[int]
    good_p95_s: float
    good_max_s: float
    attacker_statuses: Counter[int]  # for slow connections: 0 = closed by the server
    slow_left_open: int  # slow connections still open 15 s after the good client finished
    server_alive: bool


def ask(base: str, query: str, *, source: str = "127.0.0.1", timeout: float = 60) -> int:
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


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, int(0.95 * len(ordered)) - 1)]


def _good_client(base: str, requests: int) -> tuple[Counter[int], list[float]]:
    statuses: Counter[int] = Counter()
    times = []
    for _ in range(requests):
        t = time.monotonic()
        statuses[ask(base, SMALL)] += 1
        times.append(time.monotonic() - t)
        time.sleep(0.05)
    return statuses, times


def _querying(base: str, query: str, threads: int) -> tuple[Callable[[], None], Counter[int]]:
    """Start `threads` attackers sending `query` in a loop; (stop, their statuses)."""
    stop = threading.Event()
    seen: Counter[int] = Counter()

    def attack() -> None:
        while not stop.is_set():
            seen[ask(base, query, source=ATTACKER)] += 1

    workers = [threading.Thread(target=attack, daemon=True) for _ in range(threads)]
    for w in workers:
        w.start()

    def halt() -> None:
        stop.set()
        for w in workers:
            w.join(60)

    return halt, seen


def _slow(base: str) -> list[socket.socket]:
    url = urllib.parse.urlsplit(base)
    out = []
    for _ in range(SLOW_CONNECTIONS):
        s = socket.create_connection(
            (url.hostname, url.port), timeout=5, source_address=(ATTACKER, 0)
        )
        s.sendall(b"P")
        out.append(s)
    return out


def _still_open(conns: list[socket.socket], wait: float = 15) -> int:
    open_ = 0
    for s in conns:
        s.settimeout(wait)
        try:
            open_ += s.recv(1) != b""
        except ConnectionResetError:
            pass
        except TimeoutError:
            open_ += 1
        finally:
            s.close()
    return open_


def under_attack(base: str, pid: int, kind: str, *, requests: int = 40) -> AttackFigures:
    """The well-behaved client's `requests` while the `kind` of attack runs."""
    seen: Counter[int] = Counter()
    left_open = 0
    if kind == "slow":
        conns = _slow(base)
        statuses, times = _good_client(base, requests)
        left_open = _still_open(conns)
    else:
        halt, seen = _querying(base, ENDLESS if kind == "endless" else HUGE, 2)
        time.sleep(0.5)  # the attack is under way before the good client starts
        try:
            statuses, times = _good_client(base, requests)
        finally:
            halt()
    return AttackFigures(
        kind,
        statuses,
        p95(times),
        max(times),
        seen,
        left_open,
        os.path.exists(f"/proc/{pid}"),
    )
