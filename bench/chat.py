"""`castline bench chat`: chat messages/s accepted and post -> deliver latency p50/p99 with many
sockets over many channels, through the real path (WebSocket in, the channel decider on Kafka,
every gateway's fan-out, WebSocket out), against a baseline in the same run that skips Kafka:
bare Redis pub/sub and websockets (see bench.chat_baseline).

Each channel's broadcaster posts (their rate limit raised for the run, so that a few accounts
can carry the load); everything listens on loopback and the run is bounded in time.
"""

from __future__ import annotations

import signal
import statistics
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import tenacity
import uvloop
from websockets.sync.client import connect

from bench.chat_load import Load, Tally, run_load
from bench.harness import platform, streamer
from castline.processes import spawn, stop
from config.settings import Settings

BASELINE_PORT = 18099


@contextmanager
def baseline(settings: Settings, logs: Path) -> Iterator[str]:
    command = [sys.executable, "-m", "bench.chat_baseline", str(BASELINE_PORT), settings.redis]
    process = spawn(command, logs / "bench-chat-baseline.log")
    url = f"ws://127.0.0.1:{BASELINE_PORT}"
    try:
        _until_listening(f"{url}/ws/channels/probe")
        yield url
    finally:
        stop(process, signal.SIGINT)


@tenacity.retry(stop=tenacity.stop_after_delay(30), wait=tenacity.wait_fixed(0.2), reraise=True,
                retry=tenacity.retry_if_exception_type(OSError))
def _until_listening(url: str) -> None:
    with connect(url, open_timeout=5):
        pass


def channel_tokens(api: httpx.Client, channels: int) -> dict[str, str]:
    with ThreadPoolExecutor(8) as pool:
        made = list(pool.map(lambda _: streamer(api), range(channels)))
    return {name: auth["Authorization"].removeprefix("Bearer ") for name, _, _, auth in made}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def summary(label: str, tally: Tally) -> tuple[float, str]:
    p99 = percentile(tally.latencies, 0.99) * 1000
    accepted = sum(tally.accepted.values())
    return p99, (
        f"{label}: {accepted / tally.sending_s:,.0f} msgs/s accepted ({accepted:,} of "
        f"{tally.sent:,} sent, rejected: {dict(tally.rejected) or 'none'}); delivered "
        f"{tally.delivered:,} of {tally.expected:,} ({tally.out_of_order} out of order); "
        f"post -> deliver p50 {statistics.median(tally.latencies or [0]) * 1000:.1f} ms, "
        f"p99 {p99:.1f} ms")


def run_chat_bench(settings: Settings, sockets: int, channels: int, rate: float,
                   seconds: float) -> None:
    logs = settings.state_dir / "logs"
    room = str(int(rate * 30) + 100)  # the broadcasters' messages per 30 s, for this run
    with platform(settings, logs, {"CASTLINE_CHAT_MESSAGES_PER_30S_PRIVILEGED": room}) as base, \
            httpx.Client(base_url=base, timeout=30) as api:
        load = Load(sorted(tokens := channel_tokens(api, channels)), tokens, sockets, rate,
                    seconds)
        websocket_base = base.replace("http://", "ws://")
        platform_tally = uvloop.run(run_load(
            lambda c: f"{websocket_base}/ws/channels/{c}?batch=1", load))
    with baseline(settings, logs) as url:
        baseline_tally = uvloop.run(run_load(lambda c: f"{url}/ws/channels/{c}?batch=1", load))
    print(f"{sockets:,} reader sockets over {channels} channels, {rate:,.0f} msgs/s offered "
          f"for {seconds:.0f} s")
    platform_p99, platform_line = summary("castline (Kafka, decider, fan-out)", platform_tally)
    baseline_p99, baseline_line = summary("baseline (Redis pub/sub, websockets)", baseline_tally)
    print(platform_line)
    print(baseline_line)
    print(f"p99 ratio to baseline: {platform_p99 / max(baseline_p99, 1e-9):.2f}x "
          f"(targets: p99 <= 150 ms and <= 2x)")
