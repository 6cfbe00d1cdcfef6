"""Apply a batch of log records to a projection: rows and checkpoint in one transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import psycopg

from events.base import Message
from events.dead_letters import PARKED, DeadLetter, Header, dead_letter
from events.errors import UndecodableMessage, UnprocessableMessage
from projections import checkpoints

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Record:
    """A message as read from Kafka, not yet decoded; `refusal` is why it is to be parked
    instead of applied (found when applying it failed)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: tuple[Header, ...] = ()
    timestamp_ms: int | None = None
    refusal: UnprocessableMessage | None = None


@dataclass(frozen=True, slots=True)
class Envelope:
    """A decoded message with its position in the log."""

    topic: str
    partition: int
    offset: int
    message: Message


class Projection(Protocol):
    name: str
    topics: tuple[str, ...]
    tables: tuple[str, ...]  # what it writes, and what a replay rebuilds
    derived_columns: tuple[str, ...]  # "table.column"s written from outside its events

    def apply(self, conn: psycopg.Connection, envelopes: Sequence[Envelope]) -> None: ...


class Feed(Protocol):
    """What a projection consumer drives: a named reader of topics that owns its positions."""

    conn: psycopg.Connection  # a PostgreSQL session: the leadership lock is held on it

    @property
    def name(self) -> str: ...

    @property
    def topics(self) -> tuple[str, ...]: ...

    def checkpoints(self) -> dict[checkpoints.TopicPartition, int]: ...

    def apply_batch(self, records: Sequence[Record]) -> int: ...

    def flush(self) -> None:
        """Return once every batch applied is durable (a feed may write behind)."""

    def tick(self) -> bool:
        """Periodic work between polls (or nothing); True when the feed moved to another store
        and reading must start again from its checkpoints there."""


class DeadLetterSink(Protocol):
    def park(self, letters: Sequence[DeadLetter]) -> None:
        """Return only once every letter is durably written."""


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

    def checkpoints(self) -> dict[checkpoints.TopicPartition, int]:
        return checkpoints.load(self.conn, self.projection.name)

    def tick(self) -> bool:
        """A PostgreSQL projection has nothing to do between batches."""
        return False

    def flush(self) -> None:
        """Each batch commits before apply_batch returns."""

    def apply_batch(self, records: Sequence[Record]) -> int:
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

    def _record_parked(self, parked: Sequence[tuple[Record, UndecodableMessage]]) -> None:
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


def unapplied(conn: psycopg.Connection, feed: str, records: Sequence[Record]) -> list[Record]:
    """Lock the checkpoint rows of the records' partitions for this transaction and keep the
    records past them: a redelivered record is at or below its checkpoint."""
    reached = checkpoints.lock(conn, feed, {(r.topic, r.partition) for r in records})
    return [r for r in records if r.offset > reached[(r.topic, r.partition)]]


def decode_or_park(
    records: Sequence[Record], decode: Callable[[bytes], Message], sink: DeadLetterSink,
    projection: str,
) -> tuple[list[Envelope], list[tuple[Record, UndecodableMessage]]]:
    """Decoded records, and those parked on the dead-letter topic (before the caller's
    checkpoint passes them) because they could not be decoded or were refused."""
    envelopes: list[Envelope] = []
    parked: list[tuple[Record, UndecodableMessage]] = []
    for r in records:
        try:
            if r.refusal is not None:
                raise r.refusal
            envelopes.append(Envelope(r.topic, r.partition, r.offset, decode(r.value or b"")))
        except UndecodableMessage as error:
            parked.append((r, error))
    park(parked, sink, projection)
    return envelopes, parked


def park(refused: Sequence[tuple[Record, UndecodableMessage]], sink: DeadLetterSink,
         feed: str) -> None:
    """Put the records on the dead-letter topic with why; return once they are written."""
    if not refused:
        return
    letters = [dead_letter(r.topic, r.partition, r.offset, r.value, r.key, error,
                           timestamp_ms=r.timestamp_ms, parked_by=feed, headers=r.headers)
               for r, error in refused]
    sink.park(letters)
    for (r, error), letter in zip(refused, letters, strict=True):
        PARKED.add(letter)
        log.error("parked the message at %s/%d/%d (%s, feed %s): %s", r.topic, r.partition,
                  r.offset, error.reason, feed, error)
