"""A feed's partitions shared among the workers that run it, by PostgreSQL advisory locks.

A worker joins a feed by holding the feed's member lock in shared mode, and applies a
partition only while it holds that partition's lock, on the session it also writes with. A
lock ends with its session: a SIGKILLed worker's partitions are free as soon as PostgreSQL
sees its connection close, and a worker that lost its session cannot commit what it was
applying. Every member computes the same fair share from the members it sees (ordered by
their sessions' pids), lets go of what is no longer its own and takes what is free of it;
the shares settle within a few rounds of BALANCE_EVERY_S.
"""

from __future__ import annotations

import logging
import time
import zlib
from collections.abc import Sequence

import psycopg

from feeds.checkpoints import Partition

log = logging.getLogger(__name__)

BALANCE_EVERY_S = 1.0
MEMBER = -1  # the second key of a feed's member lock; a partition's is topic_index * SPAN + p
SPAN = 100_000
# pg_locks shows the two int4 keys of an advisory lock as oids, objsubid 2, and lists every
# database's: another Castline database on the same server has members of its own.
MEMBERS = ("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted "
           "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
           "AND classid = %s::int4::oid AND objid = %s::int4::oid AND objsubid = 2 ORDER BY pid")


def feed_key(feed: str) -> int:
    """The feed's first lock key: a stable signed 32-bit hash of its name."""
    unsigned = zlib.crc32(f"feed:{feed}".encode())
    return unsigned - (1 << 32) if unsigned >= 1 << 31 else unsigned


def fair_share(partitions: Sequence[Partition], members: Sequence[int], me: int
               ) -> set[Partition]:
    """Every member's share differs from another's by at most one partition."""
    if me not in members:
        return set()
    rank, count = sorted(members).index(me), len(members)
    return {p for i, p in enumerate(sorted(partitions)) if i % count == rank}


class PartitionLeases:
    def __init__(self, conn: psycopg.Connection, feed: str, topics: Sequence[str]) -> None:
        self.conn, self.feed, self.topics = conn, feed, tuple(topics)
        self.key = feed_key(feed)
        self.held: set[Partition] = set()
        self.balanced_at = float("-inf")

    def join(self) -> None:
        self.conn.execute("SELECT pg_advisory_lock_shared(%s, %s)", (self.key, MEMBER))

    def members(self) -> list[int]:
        return [pid for (pid,) in self.conn.execute(MEMBERS, (self.key, MEMBER))]

    def due(self) -> bool:
        return time.monotonic() - self.balanced_at >= BALANCE_EVERY_S

    def share(self, partitions: Sequence[Partition]) -> set[Partition]:
        """This worker's fair share of the partitions, as the members stand now."""
        self.balanced_at = time.monotonic()
        return fair_share(partitions, self.members(), self.conn.info.backend_pid)

    def settle(self, share: set[Partition]) -> bool:
        """Let go of what is not in the share (whatever was applied of it must be durable by
        now), take what is free of it; True when what this worker holds changed."""
        before = set(self.held)
        for partition in sorted(self.held - share):
            self._call("pg_advisory_unlock", partition)
            self.held.discard(partition)
        for partition in sorted(share - self.held):
            if self._call("pg_try_advisory_lock", partition):
                self.held.add(partition)
        if self.held != before:
            log.info("feed %s: this worker holds %d partitions: %s", self.feed, len(self.held),
                     sorted(self.held))
        return self.held != before

    def _call(self, function: str, partition: Partition) -> bool:
        topic, number = partition
        key = self.topics.index(topic) * SPAN + number
        row = self.conn.execute(f"SELECT {function}(%s, %s)", (self.key, key)).fetchone()
        return row is not None and bool(row[0])


def try_exclusive(conn: psycopg.Connection, name: str) -> bool:
    """Whether this session now holds `name`'s lock alone (one replay of a projection at a
    time): it ends with the session."""
    row = conn.execute("SELECT pg_try_advisory_lock(%s, %s)", (feed_key(name), MEMBER)
                       ).fetchone()
    return row is not None and bool(row[0])
