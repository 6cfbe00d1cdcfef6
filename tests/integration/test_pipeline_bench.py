"""The pipeline bench, run small: it completes, checks the projected rows, says where the CPU
went and gives a verdict for every mix (its figures are for the bench's full runs, never
asserted here)."""

from __future__ import annotations

import pytest

from bench.pipeline import MIXES, run_pipeline_bench
from config.settings import Settings


def test_small_run_prints_a_verdict_per_mix(stack: Settings,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    run_pipeline_bench(stack, 300)
    lines = capsys.readouterr().out.splitlines()
    verdicts = [line.strip() for line in lines if line.strip().startswith(("PASS:", "FAIL:"))]
    assert [v.split(": ")[1] for v in verdicts] == [label for label, _ in MIXES]
    checked = [line for line in lines if line.strip().startswith("rows:")]
    assert checked == ["  rows: every channel projected with the title and version of the log"
                       ] * len(MIXES)
    ceilings = [line for line in lines if "CPU per 1,000 events, all of them" in line]
    assert len(ceilings) == len(MIXES), lines
    for process in ("projector (this process)", "kafka", "postgres"):
        assert sum(f"CPU per 1,000 events: {process} " in line for line in lines) == len(MIXES)
