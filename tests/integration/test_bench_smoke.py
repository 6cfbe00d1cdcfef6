"""Each bench runs end to end on a tiny load and prints PASS or FAIL on each of its targets, so
none rots. Whether it passed is never asserted: benches measure speed, tests do not.

Benches that need no worker run in this process on the session's stack. Recovery and streaming
run their own worker and gateway, as `castline bench` in a subprocess: their gateway on a port
of its own, and the session's worker (if one runs) stopped meanwhile, because a worker that
another one leads every feed for never decides anything.
"""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Iterator

import pytest

from bench.analytics import run_analytics_bench
from bench.recommendations import run_recommendations_bench
from bench.replay import run_replay_bench
from bench.search import run_search_bench
from castline.processes import castline_command
from config.settings import Settings
from recommendations.synthetic import WorldShape
from tests.running import RunningPlatform

# Longer than each subprocess bench's own waits (60 s for a worker to serve, 120 s to decide).
BENCH_TIMEOUT_S = 300


def free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def taken(host: str, port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex((host, port)) == 0


def verdicts(printed: str) -> list[str]:
    return [line for line in printed.splitlines() if line.startswith(("PASS ", "FAIL "))]


def assert_judged(printed: str, passed: bool, *targets: str) -> None:
    """A verdict line on each target, and FAIL among them exactly when the bench failed."""
    judged = verdicts(printed)
    for target in targets:
        assert any(target in line for line in judged), f"no verdict on {target!r}:\n{printed}"
    assert passed == all(line.startswith("PASS ") for line in judged), printed


@pytest.fixture(scope="module")
def own_platform_env(request: pytest.FixtureRequest, stack: Settings) -> Iterator[dict[str, str]]:
    """The environment for a bench with a worker and gateway of its own.

    With the session's platform running, its gateway stays (nginx-rtmp calls it back on
    publish) and the bench's takes a free port; the session's worker stops until the module
    is done. Without it, the bench's gateway takes the configured port nginx-rtmp calls."""
    if not taken(stack.gateway_host, stack.gateway_port):
        yield {}
        return
    session: RunningPlatform = request.getfixturevalue("platform")
    had_worker = session.worker is not None
    session.stop_worker()
    try:
        yield {"CASTLINE_GATEWAY_PORT": str(free_port(stack.gateway_host))}
    finally:
        if had_worker:
            session.start_worker()
            session.wait_serving()


def castline_bench(env: dict[str, str], *args: str) -> tuple[str, bool]:
    """What `castline bench ...` printed, and whether it exited 0 (1 is a FAIL, nothing else)."""
    done = subprocess.run(castline_command("bench", *args), capture_output=True, text=True,
                          timeout=BENCH_TIMEOUT_S, env={**os.environ, **env}, check=False)
    print(done.stdout)  # the bench's report, shown with the test's output
    assert done.returncode in (0, 1), done.stdout + done.stderr[-5000:]
    assert "Traceback" not in done.stderr, done.stdout + done.stderr[-5000:]
    return done.stdout, done.returncode == 0


def test_recommendations_bench(capsys: pytest.CaptureFixture[str]) -> None:
    passed = run_recommendations_bench([WorldShape(300, 60, seed=1)])

    assert_judged(capsys.readouterr().out, passed, "hit-rate model/most-popular",
                  "CPU p99 per viewer")


def test_analytics_bench(stack: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    passed = run_analytics_bench(stack, count=300, rounds=1)

    assert_judged(capsys.readouterr().out, passed, "ratio sink/raw",
                  "completeness of the raw tables")


def test_replay_bench(stack: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    passed = run_replay_bench(stack, count=300)

    printed = capsys.readouterr().out
    for store in ("PostgreSQL", "Cassandra", "ClickHouse"):
        assert_judged(printed, passed, f"{store} (")
    assert len([line for line in verdicts(printed) if "completeness of" in line]) == 3, printed


def test_search_bench(stack: Settings, monkeypatch: pytest.MonkeyPatch,
                      capsys: pytest.CaptureFixture[str]) -> None:
    port = free_port(stack.gateway_host)
    monkeypatch.setenv("CASTLINE_GATEWAY_PORT", str(port))  # the bench's gateway process
    passed = run_search_bench(stack.model_copy(update={"gateway_port": port}), count=300,
                              per_kind=5)

    assert_judged(capsys.readouterr().out, passed, "p99 through SQL", "p99 through HTTP",
                  "completeness of the channels")


def test_recovery_bench(own_platform_env: dict[str, str]) -> None:
    printed, passed = castline_bench(own_platform_env, "recovery", "--rounds", "1")

    for decider in ("account", "wallet", "subscription", "channel"):
        assert_judged(printed, passed, f"{decider}: slowest after a SIGKILL",
                      f"{decider}: median after a SIGKILL", f"{decider}'s rounds")


def test_streaming_bench(own_platform_env: dict[str, str]) -> None:
    printed, passed = castline_bench(
        own_platform_env, "streaming", "--clients", "2", "--seconds", "1", "--publishes", "1",
        "--addresses", "1")

    assert_judged(printed, passed, "publish -> live in directory",
                  "publish -> first playable playlist", "publish -> every rendition playable",
                  "player latency behind the live edge", "completeness of player latency",
                  "heartbeats/s / GET /health/s", "completeness of heartbeats")
