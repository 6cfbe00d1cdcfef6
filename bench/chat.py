"""`castline bench chat`: chat messages/s sustained and post -> deliver latency p50/p99 with many
sockets over many channels, through the real path (WebSocket in, the channel decider on Kafka,
every gateway's fan-out, WebSocket out) with two gateway processes, against a baseline in the
same run that skips Kafka: bare Redis pub/sub and websockets (see bench.chat_baseline).

It counts only acks that arrive within the sending window as sustained, checks that every
accepted message reached every reader that stayed connected once and in order, reports CPU per
1,000 messages by process, and prints PASS/FAIL against each target.

Each channel's broadcaster posts (their rate limit raised for the run, so that a few accounts
can carry the load); everything listens on loopback and the run is bounded in time.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import tenacity
import uvloop
from websockets.sync.client import connect

from bench.chat_irc import irc_readers
from bench.chat_load import Load, ReaderOpener, Tally, run_load
from bench.chat_report import figures, verdicts
from bench.harness import CpuMeter, Platform, free_port, platform_processes, stack_pids, streamer
from castline.processes import spawn, stop
from config.settings import Settings


@contextmanager
def baseline(settings: Settings, logs: Path, processes: int) -> Iterator[Platform]:
    """The baseline's processes (as many as the platform's gateways), sharing Redis."""
    with ExitStack() as stack:
        bases, pids = [], {}
        for number in range(1, processes + 1):
            port = free_port()
            process = spawn([sys.executable, "-m", "bench.chat_baseline", str(port),
                             settings.redis], logs / f"bench-chat-baseline-{number}.log")
            stack.callback(stop, process, signal.SIGINT)
            bases.append(f"http://127.0.0.1:{port}")
            pids[f"baseline {number}"] = process.pid
        for base in bases:
            _until_listening(f"{ws_base(base)}/ws/channels/probe")
        yield Platform(bases, pids)


@tenacity.retry(stop=tenacity.stop_after_delay(30), wait=tenacity.wait_fixed(0.2), reraise=True,
                retry=tenacity.retry_if_exception_type(OSError))
def _until_listening(url: str) -> None:
    with connect(url, open_timeout=5):
        pass


def ws_base(base: str) -> str:
    return base.replace("http://", "ws://")


def channel_tokens(api: httpx.Client, channels: int) -> dict[str, str]:
    with ThreadPoolExecutor(8) as pool:
        made = list(pool.map(lambda _: streamer(api), range(channels)))
    return {name: auth["Authorization"].removeprefix("Bearer ") for name, _, _, auth in made}


def measured(running: Platform, load: Load, servers: dict[str, int],
             open_reader: ReaderOpener | None = None) -> tuple[Tally, dict[str, float]]:
    """The load's tally against these processes, and each one's CPU seconds while sending;
    readers on JSON WebSockets unless `open_reader` opens them otherwise."""
    meter = CpuMeter({**running.pids, **servers, "bench client": os.getpid()},
                     alone=frozenset({"bench client"}))
    bases = [ws_base(base) for base in running.bases]
    tally = uvloop.run(run_load(
        lambda channel, gateway: f"{bases[gateway]}/ws/channels/{channel}?batch=1", load, meter,
        open_reader))
    return tally, meter.spent


def platform_runs(running: Platform, load: Load, servers: dict[str, int], irc_port: int | None
                  ) -> dict[str, tuple[Tally, dict[str, float]]]:
    """The load with JSON readers, then (when asked) with IRC readers on the same processes."""
    runs = {"JSON readers": measured(running, load, servers)}
    if irc_port is not None:
        runs["IRC readers"] = measured(running, load, servers,
                                       irc_readers("127.0.0.1", irc_port))
    return runs


def run_chat_bench(settings: Settings, sockets: int, channels: int, rate: float,
                   seconds: float, gateways: int = 2, protocol: str = "json") -> bool:
    """Print the figures and verdicts; True when every delivery was complete (speed targets
    are reported, not enforced). With protocol "irc" the platform is also measured with its
    readers on IRC over TCP, after the JSON run, in the same run."""
    logs = settings.state_dir / "logs"
    irc_port = free_port() if protocol == "irc" else None
    env = {  # each broadcaster's messages per 30 s
        "CASTLINE_CHAT_MESSAGES_PER_30S_PRIVILEGED": str(int(rate * 30) + 100),
        "CASTLINE_IRC_PORT": str(irc_port or 0)}
    servers = stack_pids(settings)
    ports = [free_port() for _ in range(gateways)]
    with platform_processes(settings, logs, env, ports) as running, \
            httpx.Client(base_url=running.bases[0], timeout=30) as api:
        load = Load(sorted(tokens := channel_tokens(api, channels)), tokens, sockets, rate,
                    seconds, gateways)
        runs = platform_runs(running, load, servers, irc_port)
    with baseline(settings, logs, gateways) as running:
        baseline_tally, baseline_cpu = measured(
            running, load, {k: pid for k, pid in servers.items() if k == "redis"})
    print(f"{sockets:,} reader sockets over {channels} channels and {gateways} gateway "
          f"processes, {rate:,.0f} msgs/s offered for {seconds:.0f} s")
    for readers, (tally, cpu) in runs.items():
        print("\n".join(figures(f"castline (Kafka, decider, fan-out), {readers}", tally, cpu)))
    print("\n".join(figures("baseline (Redis pub/sub, websockets)", baseline_tally,
                            baseline_cpu)))
    complete = True
    for readers, (tally, _) in runs.items():
        lines, done = verdicts(load, tally)
        print("\n".join(f"{line} [{readers}]" for line in lines))
        complete = complete and done
    return complete
