"""An idle platform's CPU: the platform as `castline run` starts it, with its demo data and no
traffic, measured per process once it has settled. Castline's own processes and the broker
share one budget; the other servers are reported for information."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

from bench.harness import CpuMeter, stack_pids
from castline.platform import wait_ready
from castline.processes import castline_command, spawn, stop
from castline.seed import seed
from config.settings import Settings

TARGET_PERCENT = 10.0  # of one core, for Castline's processes and the broker together
BUDGETED_SERVERS = ("kafka",)
CAUGHT_UP_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class Measured:
    name: str
    pid: int
    budgeted: bool  # counts against the target (Castline's processes and the broker)


@dataclass(frozen=True)
class Usage:
    measured: Measured
    percent: float  # of one core, over the window


@contextmanager
def idle_platform(settings: Settings, logs: Path) -> Iterator[list[Measured]]:
    """One worker and one gateway, as `castline run` starts them, with the demo data seeded."""
    logs.mkdir(parents=True, exist_ok=True)
    children = [spawn(castline_command(role), logs / f"bench-idle-{role}.log")
                for role in ("worker", "gateway")]
    try:
        base_url = f"http://{settings.gateway_host}:{settings.gateway_port}"
        wait_ready(base_url)
        seed(base_url)
        yield [Measured(f"{role} (castline)", child.pid, budgeted=True)
               for role, child in zip(("worker", "gateway"), children, strict=True)]
    finally:
        for child in children:
            stop(child, signal.SIGINT)


def servers(settings: Settings) -> list[Measured]:
    return [Measured(name, pid, budgeted=name in BUDGETED_SERVERS)
            for name, pid in stack_pids(settings, names=None).items()]


def wait_caught_up(settings: Settings, timeout_s: float = CAUGHT_UP_TIMEOUT_S) -> None:
    """Until every feed has reported since the seed and no worker that has reported since is
    behind its share of the feed's topics (a gone worker's last report is not waited for)."""
    since = time.time()
    deadline = time.monotonic() + timeout_s
    with psycopg.connect(settings.postgres, autocommit=True) as conn:
        while time.monotonic() < deadline:
            row = conn.execute(
                "SELECT count(*) FILTER (WHERE NOT reported OR behind), count(*) FROM ("
                "SELECT bool_or(reported_at >= to_timestamp(%(since)s)) AS reported, "
                "bool_or(reported_at >= to_timestamp(%(since)s) AND lag > 0) AS behind "
                "FROM feeds GROUP BY name) AS f", {"since": since}).fetchone()
            if row is not None and row[1] > 0 and row[0] == 0:
                return
            time.sleep(0.5)
    raise TimeoutError(f"the feeds did not catch up within {timeout_s:.0f} s")


def measure(processes: Sequence[Measured], seconds: float) -> list[Usage]:
    """Each process's CPU (with its descendants) over `seconds`, in % of one core."""
    meter = CpuMeter({m.name: m.pid for m in processes})
    meter.start()
    started = time.monotonic()
    time.sleep(seconds)
    elapsed = time.monotonic() - started
    meter.stop()
    return [Usage(m, 100 * meter.spent[m.name] / elapsed) for m in processes]


def report(usages: Sequence[Usage], seconds: float) -> bool:
    """Print each process and the budgeted total; whether the total is within the target."""
    print(f"idle CPU over {seconds:.0f} s, % of one core:")
    for usage in sorted(usages, key=lambda u: (not u.measured.budgeted, u.measured.name)):
        kind = "" if usage.measured.budgeted else "  (not budgeted)"
        print(f"  {usage.measured.name:<20} pid {usage.measured.pid:<8} "
              f"{usage.percent:6.1f} %{kind}")
    total = sum(u.percent for u in usages if u.measured.budgeted)
    others = sum(u.percent for u in usages if not u.measured.budgeted)
    passed = total <= TARGET_PERCENT
    print(f"  castline + broker    {total:6.1f} %   (other servers {others:.1f} %)")
    print(f"{'PASS' if passed else 'FAIL'}: castline + broker {total:.1f} % "
          f"{'<=' if passed else '>'} {TARGET_PERCENT:.0f} % of one core")
    return passed


def run_idle_bench(settings: Settings, seconds: float, settle_s: float) -> bool:
    logs = settings.state_dir / "logs"
    with idle_platform(settings, logs) as castline:
        wait_caught_up(settings)
        print(f"caught up; settling {settle_s:.0f} s before measuring", flush=True)
        time.sleep(settle_s)
        return report(measure([*castline, *servers(settings)], seconds), seconds)
