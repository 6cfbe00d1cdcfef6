"""Rebuild a PostgreSQL projection from the log beside the live one, verify it, switch reads.

The replay keeps its own checkpoints (under `<name>@replay`) with its rows, batch by batch, so
an interrupted replay resumes where it stopped. It replays up to the live projection's
checkpoints, never past them, so both versions can be compared at the same offsets. The last
stretch runs with the live checkpoint rows locked: the live projector waits, the replay
reaches exactly its offsets, both are compared, and the tables are swapped in that transaction.
The live projector then goes on from the same offsets, writing into the replayed tables.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime

import psycopg
from confluent_kafka import TopicPartition
from psycopg import sql

from castline.settings import Settings
from events.base import Message
from projections import checkpoints, versions
from projections.consumer import KafkaDeadLetterSink, ProjectionConsumer, connect
from projections.runner import Envelope, Projection, ProjectionRunner

Progress = Callable[[int], object]
LOCK_TIMEOUT = "10s"  # how long the switch waits for readers and writers of the live tables


class ReplayError(Exception):
    """A replay that cannot start or finish, with what to do about it."""


@dataclass(frozen=True)
class ReplayOptions:
    since: datetime | None = None  # start the new version at this time, not the beginning
    restart: bool = False  # throw away an unfinished replay instead of resuming it
    batch_size: int = 5000
    stop_after: int | None = None  # apply about this many events, then stop as if interrupted
    switch: bool = True
    accept_difference: bool = False  # switch even when the versions differ


@dataclass(frozen=True)
class Verification:
    live: list[versions.Digest]
    replayed: list[versions.Digest]
    switched: bool = False

    @property
    def matches(self) -> bool:
        return self.live == self.replayed


@dataclass
class Backlog:
    targets: dict[tuple[str, int], int]  # the last offset to apply, per partition
    remaining: int
    resumed: bool
    applied: int = 0


class ReplayedProjection:
    """The same projection under the replay's name: its checkpoints and lock are the replay's."""

    def __init__(self, projection: Projection) -> None:
        self.projection = projection
        self.name = f"{projection.name}@replay"
        self.topics = projection.topics
        self.tables = projection.tables
        self.derived_columns = projection.derived_columns

    def apply(self, conn: psycopg.Connection, envelopes: Sequence[Envelope]) -> None:
        self.projection.apply(conn, envelopes)


class Replay:
    def __init__(self, settings: Settings, projection: Projection,
                 decode: Callable[[bytes], Message], options: ReplayOptions) -> None:
        self.projection = projection
        self.options = options
        self.conn = connect(settings.postgres)
        runner = ProjectionRunner(ReplayedProjection(projection), self.conn, decode,
                                  KafkaDeadLetterSink(settings.kafka))
        self.feed = ProjectionConsumer(settings.kafka, runner, options.batch_size)
        self.replay_name = runner.name

    def close(self) -> None:
        self.feed.consumer.close()
        self.conn.close()

    def prepare(self) -> Backlog:
        """Lead the replay, create (or resume) the new version; what is left to apply."""
        if versions.schema_exists(self.conn, versions.retired_schema(self.projection)):
            raise ReplayError(
                f"a retired version of {self.projection.name} is still kept; drop it first "
                f"(castline replay {self.projection.name} --drop-retired)")
        if not self.feed.try_lead():
            raise ReplayError(f"another replay of {self.projection.name} is running")
        schema = versions.replay_schema(self.projection)
        resumed = versions.schema_exists(self.conn, schema) and not self.options.restart
        if not resumed:
            self._create()
        self.conn.execute(sql.SQL("SET search_path TO {}, {}").format(
            sql.Identifier(schema), sql.Identifier(versions.LIVE)))
        targets = checkpoints.load(self.conn, self.projection.name)
        return Backlog(targets, self._remaining(targets), resumed)

    def rebuild(self, backlog: Backlog, progress: Progress) -> bool:
        """Apply the backlog; False when `stop_after` stopped it first."""
        stop = threading.Event()

        def applied(count: int) -> None:
            backlog.applied += count
            progress(count)
            limit = self.options.stop_after
            if limit is not None and backlog.applied >= limit:
                stop.set()

        self.feed.catch_up(backlog.targets, applied, stop)
        return not stop.is_set()

    def converge(self, progress: Progress) -> None:
        """Follow a running live projector until what is left fits in one batch."""
        while True:
            targets = checkpoints.load(self.conn, self.projection.name)
            if self._remaining(targets) <= self.options.batch_size:
                return
            self.feed.catch_up(targets, progress, threading.Event())

    def finish(self) -> Verification:
        """Catch up under the live checkpoints' lock, compare, and switch when allowed."""
        verification = Verification([], [])
        with self.conn.transaction() as tx:
            self.conn.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
            partitions = checkpoints.load(self.conn, self.projection.name)
            targets = checkpoints.lock(self.conn, self.projection.name, partitions)
            self.feed.catch_up(targets, lambda _: None, threading.Event())
            verification = Verification(
                versions.digests(self.conn, versions.LIVE, self.projection),
                versions.digests(self.conn, versions.replay_schema(self.projection),
                                 self.projection))
            if not self.options.switch or not (
                    verification.matches or self.options.accept_difference):
                raise psycopg.Rollback(tx)
            versions.switch(self.conn, self.projection)
            self.conn.execute("DELETE FROM projection_checkpoints WHERE projection = %s",
                              (self.replay_name,))
            verification = replace(verification, switched=True)
        return verification

    def _create(self) -> None:
        versions.drop_schema(self.conn, versions.replay_schema(self.projection))
        self.conn.execute("DELETE FROM projection_checkpoints WHERE projection = %s",
                          (self.replay_name,))
        versions.create_replay(self.conn, self.projection)
        if self.options.since is not None:
            checkpoints.advance(self.conn, self.replay_name, self._before(self.options.since))

    def _before(self, since: datetime) -> dict[tuple[str, int], int]:
        """Per partition, the offset just before the first event at or after `since`."""
        millis = int(since.timestamp() * 1000)
        consumer = self.feed.consumer
        wanted = [TopicPartition(t, p, millis)
                  for t, p in checkpoints.load(self.conn, self.projection.name)]
        found = consumer.offsets_for_times(wanted, timeout=15)
        starts = {}
        for tp in found:
            offset = tp.offset if tp.offset >= 0 else consumer.get_watermark_offsets(
                TopicPartition(tp.topic, tp.partition), timeout=10)[1]
            starts[(tp.topic, tp.partition)] = offset - 1
        return starts

    def _remaining(self, targets: dict[tuple[str, int], int]) -> int:
        reached = self.feed.runner.checkpoints()
        return sum(max(0, target - reached.get(tp, -1)) for tp, target in targets.items())


@contextmanager
def open_replay(settings: Settings, projection: Projection,
                decode: Callable[[bytes], Message], options: ReplayOptions) -> Iterator[Replay]:
    replay = Replay(settings, projection, decode, options)
    try:
        yield replay
    finally:
        replay.close()


def drop_retired(settings: Settings, projection: Projection) -> bool:
    """Drop the tables a switch retired; False when there were none."""
    with connect(settings.postgres) as conn:
        schema = versions.retired_schema(projection)
        if not versions.schema_exists(conn, schema):
            return False
        versions.drop_schema(conn, schema)
        return True
