"""The per-document budget (workers.budget): a document past its time or memory budget is
stopped and named, and the build goes on (issue 19, items 5 and 6)."""

from __future__ import annotations

import re
import signal

import pytest

from policygraph.workers import Budget, OverBudget, budget


def test_a_runaway_regex_is_stopped_by_the_time_budget() -> None:
    with pytest.raises(OverBudget) as info, budget(Budget(seconds=0.5)):
        re.match(r"(a*)*b", "a" * 40)  # exponential: would run for ages
    assert "time budget (0.5 s)" in info.value.reason


def test_growing_memory_is_stopped_by_the_memory_budget() -> None:
    held: list[bytearray] = []
    with pytest.raises(OverBudget) as info, budget(Budget(seconds=60, memory_mib=64)):
        for _ in range(4096):  # up to 4 GiB, 1 MiB at a time, each page touched
            held.append(bytearray(b"x" * 2**20))
            sum(range(1000))  # bytecode between allocations, so the handler runs
    assert "memory budget (64 MiB)" in info.value.reason
    assert len(held) < 4096
    held.clear()


def test_a_block_inside_its_budget_leaves_no_alarm_behind() -> None:
    before = signal.getsignal(signal.SIGALRM)
    with budget(Budget(seconds=5)):
        pass
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
