"""Apply a batch of log records to a projection: rows and checkpoint in one transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Protocol

import psycopg

from events.base import Message
from events.errors import UndecodableMessage
from feeds import checkpoints
from feeds.checkpoints import unapplied
from feeds.parking import DeadLetterSink, decode_or_park
from feeds.records import Envelope, LogRecord

log = logging.getLogger(__name__)


class Projection(Protocol):
    name: str
    topics: tuple[str, ...]
    tables: tuple[str, ...]  # what it writes, and what a replay rebuilds
    derived_columns: tuple[str, ...]  # "table.column"s written from outside its events

    def apply(self, conn: psycopg.Connection, envelopes: Sequence[Envelope]) -> None: ...


class ProjectionRunner:
    def __init__(
        self,
        projection: Projection,
        conn: psycopg.Connection,
        decode: Callable[[bytes], Message],
        dead_letters: DeadLetterSink,
    ) -> None:
        self.projection = projection
        self.conn = conn
        self.decode = decode
        self.dead_letters = dead_letters

    @property
    def name(self) -> str:
        return self.projection.name

    @property
    def topics(self) -> tuple[str, ...]:
        return self.projection.topics

    def checkpoints(self) -> dict[checkpoints.Partition, int]:
        return checkpoints.load(self.conn, self.projection.name)

    def tick(self) -> bool:
        """A PostgreSQL projection has nothing to do between batches."""
        return False

    def flush(self) -> None:
        """Each batch commits before apply_batch returns."""

    def apply_batch(self, records: Sequence[LogRecord]) -> int:
        """Apply records not yet covered by the checkpoint; return how many were applied.

        A redelivered record is at or below the checkpoint and changes nothing.
        """
        name = self.projection.name
        with self.conn.transaction():
            fresh = unapplied(self.conn, name, records)
            envelopes, parked = decode_or_park(fresh, self.decode, self.dead_letters, name)
            if parked:
                self._record_parked(parked)
            if envelopes:
                self.projection.apply(self.conn, envelopes)
            checkpoints.advance(self.conn, name, {(r.topic, r.partition): r.offset for r in fresh})
        return len(envelopes)

    def _record_parked(self, parked: Sequence[tuple[LogRecord, UndecodableMessage]]) -> None:
        """Parked records are also listed in PostgreSQL, in the checkpoint's transaction."""
        with self.conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO projection_dead_letters "
                '(projection, topic, partition, "offset", reason, message) '
                "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                [
                    (self.projection.name, r.topic, r.partition, r.offset, e.reason, str(e))
                    for r, e in parked
                ],
            )
