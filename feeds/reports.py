"""Whether each feed (decider, projection, scheduler) is running and keeping up: its leader
reports, and readiness reads the reports.

A feed runs while its leader reports; it keeps up while it is at the end of its topics, or
has applied something lately. A lagging feed that still moves is no fault: a burst takes time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import psycopg

# Every feed a complete deployment runs, whichever worker (or role) runs it: readiness
# reports one that never reported as not running. A test holds this list to the worker's.
EXPECTED = ("account_decider", "wallet_decider", "subscription_decider", "channel_decider",
            "scheduler", "channels", "users", "follows", "ledger", "viewers", "chat_history",
            "analytics")
REPORT_EVERY_S = 2.0
REPORT = ("INSERT INTO feeds (name, reported_at, lag, moved_at) "
          "VALUES (%s, now(), %s, to_timestamp(%s)) ON CONFLICT (name) DO UPDATE SET "
          "reported_at = now(), lag = EXCLUDED.lag, moved_at = EXCLUDED.moved_at")


class Reporter:
    """A leader's reports, at most every REPORT_EVERY_S, on its own (autocommit) session."""

    def __init__(self, conn: psycopg.Connection, name: str) -> None:
        self.conn, self.name = conn, name
        self.reported_at = 0.0
        self.moved_at = time.time()

    def moved(self) -> None:
        self.moved_at = time.time()

    def report(self, lag: int) -> None:
        if time.monotonic() - self.reported_at < REPORT_EVERY_S:
            return
        if lag == 0:
            self.moved_at = time.time()
        self.conn.execute(REPORT, (self.name, lag, self.moved_at))
        self.reported_at = time.monotonic()


@dataclass(frozen=True)
class FeedState:
    name: str
    silent_s: float  # since the last report
    lag: int
    still_s: float  # since it last applied something or was at the end

    def fault(self, silent_after_s: float, stalled_after_s: float) -> str | None:
        if self.silent_s == float("inf"):
            return "not running: it has never reported"
        if self.silent_s > silent_after_s:
            return f"not running: no report for {self.silent_s:.0f} s"
        if self.lag > 0 and self.still_s > stalled_after_s:
            return f"stalled: {self.lag} records behind, nothing applied for {self.still_s:.0f} s"
        return None


async def feed_states(conn: psycopg.AsyncConnection) -> list[FeedState]:
    """Every expected feed (one that never reported as silent for ever) and any other that
    has reported."""
    cur = await conn.execute(
        "SELECT name, extract(epoch FROM now() - reported_at)::float8, lag, "
        "extract(epoch FROM now() - moved_at)::float8 FROM feeds ORDER BY name")
    reported = {row[0]: FeedState(*row) for row in await cur.fetchall()}
    never = {name: FeedState(name, float("inf"), 0, 0.0) for name in EXPECTED
             if name not in reported}
    states = reported | never
    return [states[name] for name in sorted(states)]
