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
from collections.abc import Callable, Sequence
from dataclasses import replace

import psycopg
from psycopg import sql

from config.settings import Settings
from events.base import Message
from feeds import checkpoints
from feeds.consumer import FeedConsumer
from feeds.leases import try_exclusive
from feeds.parking import KafkaDeadLetterSink
from feeds.records import Envelope
from projections import versions
from projections.log_replay import (
    Backlog,
    LogReplay,
    Positions,
    ReplayError,
    ReplayOptions,
    Verification,
)
from projections.runner import Projection, ProjectionRunner
from stores.postgres import connect

LOCK_TIMEOUT = "10s"  # how long the switch waits for readers and writers of the live tables


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


class PostgresReplay(LogReplay):
    def __init__(self, settings: Settings, projection: Projection,
                 decode: Callable[[bytes], Message], options: ReplayOptions) -> None:
        self.projection = projection
        self.options = options
        self.conn = connect(settings.postgres)
        runner = ProjectionRunner(ReplayedProjection(projection), self.conn, decode,
                                  KafkaDeadLetterSink(settings.kafka))
        self.consumer = FeedConsumer(settings.kafka, runner, options.batch_size)
        self.replay_name = runner.name

    def close(self) -> None:
        self.consumer.consumer.close()
        self.conn.close()

    def prepare(self) -> Backlog:
        if versions.schema_exists(self.conn, versions.retired_schema(self.projection)):
            raise ReplayError(
                f"a retired version of {self.projection.name} is still kept; drop it first "
                f"(castline replay {self.projection.name} --drop-retired)")
        if not try_exclusive(self.conn, self.replay_name):
            raise ReplayError(f"another replay of {self.projection.name} is running")
        schema = versions.replay_schema(self.projection)
        resumed = versions.schema_exists(self.conn, schema) and not self.options.restart
        if not resumed:
            self._create()
        self.conn.execute(sql.SQL("SET search_path TO {}, {}").format(
            sql.Identifier(schema), sql.Identifier(versions.LIVE)))
        targets = self.live_checkpoints()
        return Backlog(targets, self.remaining(targets), resumed)

    def live_checkpoints(self) -> Positions:
        return checkpoints.load(self.conn, self.projection.name)

    def finish(self) -> Verification:
        """Catch up under the live checkpoints' lock, compare, and switch when allowed."""
        verification = Verification([], [])
        with self.conn.transaction() as tx:
            self.conn.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
            partitions = checkpoints.load(self.conn, self.projection.name)
            targets = checkpoints.lock(self.conn, self.projection.name, partitions)
            self.consumer.catch_up(targets, lambda _: None, threading.Event())
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
            starts = self.offsets_before(self.options.since)
            checkpoints.advance(self.conn, self.replay_name, starts)


def drop_retired(settings: Settings, projection: Projection) -> bool:
    """Drop the tables a switch retired; False when there were none."""
    with connect(settings.postgres) as conn:
        schema = versions.retired_schema(projection)
        if not versions.schema_exists(conn, schema):
            return False
        versions.drop_schema(conn, schema)
        return True
