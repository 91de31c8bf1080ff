"""Bounded load on `policygraph serve` (loopback only): concurrent clients run the query
library through remote.select; no request fails, every answer equals the embedded store's,
and the server's memory stays steady. The README's figures come from the same code with
more requests (`python -m tests.robustness.report`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.robustness.reliability import expected_answers, load, rss_kb, served

CLIENTS = 6
REQUESTS_PER_CLIENT = 25
# Growth allowed in resident memory across the run: caches and allocator slack, not a leak
# (a leak of one result per request would pass this many times over).
RSS_SLACK_KB = 48 * 1024


@pytest.mark.slow
def test_concurrent_clients_get_the_embedded_answers_with_steady_memory(
    seed_store_dir: Path,
) -> None:
    answers = expected_answers(seed_store_dir)
    assert len(answers) >= 10
    with served(seed_store_dir) as (pid, base):
        assert base.startswith("http://127.0.0.1:")
        first = load(base, pid, answers, clients=CLIENTS, requests_per_client=REQUESTS_PER_CLIENT)
        assert first.errors == 0, first.first_error
        assert first.mismatches == 0, first.first_error
        # A second, identical run: memory must level off, not climb with the requests.
        second = load(base, pid, answers, clients=CLIENTS, requests_per_client=REQUESTS_PER_CLIENT)
        assert second.errors == 0 and second.mismatches == 0, second.first_error
        assert rss_kb(pid) - first.rss_before_kb < RSS_SLACK_KB
        assert second.rss_growth_kb < RSS_SLACK_KB
