"""The scale bench, run small: one worker process and then two apply a partitioned load with
every row right, and the survivor of a SIGKILL holds every partition again (its figures are
for the bench's full runs, never asserted here)."""

from __future__ import annotations

import pytest

from bench.scale import run_scale_bench
from config.settings import Settings


def test_small_run_checks_rows_and_takeover(stack: Settings,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    run_scale_bench(stack, 600)
    lines = [line.strip() for line in capsys.readouterr().out.splitlines()]
    assert "PASS completeness of rows with 1 worker(s)" in lines
    assert "PASS completeness of rows with 2 worker(s)" in lines
    assert any(line.startswith(("PASS takeover", "FAIL takeover")) for line in lines), lines
