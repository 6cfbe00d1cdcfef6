"""Whether each feed (decider, projection, scheduler) is running and keeping up: every worker
running it reports for itself, and readiness reads the reports.

A feed runs while a worker reports for it; it keeps up while every worker reporting is at the
end of its partitions, or has applied something lately. A lagging feed that still moves is no
fault: a burst takes time.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass

import psycopg

# Every feed a complete deployment runs, whichever worker (or role) runs it: readiness
# reports one that never reported as not running. A test holds this list to the worker's.
EXPECTED = ("account_decider", "wallet_decider", "subscription_decider", "channel_decider",
            "scheduler", "channels", "users", "follows", "ledger", "video_views", "viewers",
            "chat_history", "analytics", "eventsub-webhooks")
REPORT_EVERY_S = 2.0
GONE_AFTER = "10 minutes"  # a member silent this long is forgotten (its worker is gone)
REPORT = (
    "WITH gone AS (DELETE FROM feeds WHERE name = %(name)s AND member <> %(member)s "
    f"AND reported_at < now() - interval '{GONE_AFTER}') "
    "INSERT INTO feeds (name, member, reported_at, lag, moved_at, partitions) "
    "VALUES (%(name)s, %(member)s, now(), %(lag)s, to_timestamp(%(moved_at)s), %(partitions)s) "
    "ON CONFLICT (name, member) DO UPDATE SET reported_at = now(), lag = EXCLUDED.lag, "
    "moved_at = EXCLUDED.moved_at, partitions = EXCLUDED.partitions")


def this_member() -> str:
    """Who reports: this worker process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def report(name: str, lag: int, moved_at: float, partitions: int) -> dict[str, object]:
    """REPORT's parameters."""
    return {"name": name, "member": this_member(), "lag": lag, "moved_at": moved_at,
            "partitions": partitions}


class Reporter:
    """A worker's reports on a feed, at most every REPORT_EVERY_S, on its (autocommit) session."""

    def __init__(self, conn: psycopg.Connection, name: str) -> None:
        self.conn, self.name = conn, name
        self.reported_at = 0.0
        self.moved_at = time.time()

    def moved(self) -> None:
        self.moved_at = time.time()

    def report(self, lag: int, partitions: int) -> None:
        if time.monotonic() - self.reported_at < REPORT_EVERY_S:
            return
        if lag == 0:
            self.moved_at = time.time()
        self.conn.execute(REPORT, report(self.name, lag, self.moved_at, partitions))
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


def merged(name: str, members: Sequence[FeedState], fresh_s: float) -> FeedState:
    """One feed's state from its members' reports: the ones reported within `fresh_s` (or the
    latest, when none is), their lags added, the longest still of those behind."""
    fresh = [m for m in members if m.silent_s <= fresh_s] or [
        min(members, key=lambda m: m.silent_s)]
    return FeedState(name, min(m.silent_s for m in fresh), sum(m.lag for m in fresh),
                     max((m.still_s for m in fresh if m.lag > 0), default=0.0))


async def feed_states(conn: psycopg.AsyncConnection, fresh_s: float) -> list[FeedState]:
    """Every expected feed (one that never reported as silent for ever) and any other that
    has reported, its members' reports merged."""
    cur = await conn.execute(
        "SELECT name, extract(epoch FROM now() - reported_at)::float8, lag, "
        "extract(epoch FROM now() - moved_at)::float8 FROM feeds ORDER BY name")
    members: dict[str, list[FeedState]] = {}
    for row in await cur.fetchall():
        members.setdefault(row[0], []).append(FeedState(*row))
    names = sorted(members.keys() | set(EXPECTED))
    return [merged(name, members[name], fresh_s) if name in members
            else FeedState(name, float("inf"), 0, 0.0) for name in names]
