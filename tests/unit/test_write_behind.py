"""Writes behind: one at a time, in order, and a failure raised to the caller once."""

from __future__ import annotations

import threading

import pytest

from analytics.write_behind import WriteBehind


def test_writes_run_one_at_a_time_in_the_order_started() -> None:
    writes, done, release = WriteBehind("test"), [], threading.Event()

    def first() -> None:
        release.wait(10)
        done.append(1)

    writes.start(first)
    assert done == [], "start returns while the write runs"
    release.set()
    writes.start(lambda: done.append(2))
    writes.wait()
    assert done == [1, 2]


def test_a_failed_write_is_raised_by_the_next_start_once() -> None:
    writes, done = WriteBehind("test"), []

    def refused() -> None:
        raise OSError("refused")

    writes.start(refused)
    with pytest.raises(OSError, match="refused"):
        writes.start(lambda: done.append("after"))
    assert done == [], "nothing is written after a failed write"
    writes.wait()
