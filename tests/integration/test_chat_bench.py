"""`castline bench chat` runs end to end on a tiny load and says its verdicts (never its speed:
benches measure speed, tests do not assert it)."""

from __future__ import annotations

import pytest

from bench.chat import run_chat_bench
from config.settings import Settings


def test_a_tiny_chat_bench_completes_and_prints_its_verdicts(
        stack: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    complete = run_chat_bench(stack, sockets=4, channels=2, rate=10, seconds=1, gateways=2)

    printed = capsys.readouterr().out
    assert complete, printed
    assert "2 gateway processes" in printed
    for verdict in ("sustained:", "p99 post -> deliver", "completeness:"):
        assert any(line.startswith(("PASS ", "FAIL ")) and verdict in line
                   for line in printed.splitlines()), printed
    assert "PASS completeness" in printed
    for process in ("deciders worker", "projectors worker", "gateway 1", "gateway 2", "kafka"):
        assert f"{process} " in printed, printed


def test_a_tiny_chat_bench_with_irc_readers_checks_them_as_the_json_ones(
        stack: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    complete = run_chat_bench(stack, sockets=4, channels=2, rate=10, seconds=1, gateways=2,
                              protocol="irc")

    printed = capsys.readouterr().out
    assert complete, printed
    for readers in ("JSON readers", "IRC readers"):
        assert f"castline (Kafka, decider, fan-out), {readers}: sustained" in printed, printed
        assert any(line.startswith("PASS completeness") and line.endswith(f"[{readers}]")
                   for line in printed.splitlines()), printed
