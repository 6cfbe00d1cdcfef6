"""Apply a batch of log records to a projection: rows and checkpoint in one transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import psycopg

from events.base import Message
from events.dead_letters import PARKED, DeadLetter, dead_letter
from events.errors import UndecodableMessage
from projections import checkpoints

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Record:
    """A message as read from Kafka, not yet decoded."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None


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

    def tick(self) -> None:
        """Periodic work between polls (or nothing)."""


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

    def tick(self) -> None:
        """A PostgreSQL projection has nothing to do between batches."""

    def apply_batch(self, records: Sequence[Record]) -> int:
        """Apply records not yet covered by the checkpoint; return how many were applied.

        A redelivered record is at or below the checkpoint and changes nothing.
        """
        name = self.projection.name
        with self.conn.transaction():
            reached = checkpoints.lock(self.conn, name, {(r.topic, r.partition) for r in records})
            fresh = [r for r in records if r.offset > reached[(r.topic, r.partition)]]
            envelopes, rejected = self._decode(fresh)
            if rejected:
                self._park(rejected)
            if envelopes:
                self.projection.apply(self.conn, envelopes)
            checkpoints.advance(self.conn, name, {(r.topic, r.partition): r.offset for r in fresh})
        return len(envelopes)

    def _decode(
        self, records: Sequence[Record]
    ) -> tuple[list[Envelope], list[tuple[Record, UndecodableMessage]]]:
        envelopes: list[Envelope] = []
        rejected: list[tuple[Record, UndecodableMessage]] = []
        for r in records:
            try:
                message = self.decode(r.value or b"")
            except UndecodableMessage as error:
                rejected.append((r, error))
                continue
            envelopes.append(Envelope(r.topic, r.partition, r.offset, message))
        return envelopes, rejected

    def _park(self, rejected: Sequence[tuple[Record, UndecodableMessage]]) -> None:
        """Write to the dead-letter topic before the checkpoint moves past these records."""
        letters = [
            dead_letter(r.topic, r.partition, r.offset, r.value, r.key, error)
            for r, error in rejected
        ]
        self.dead_letters.park(letters)
        for letter in letters:
            PARKED.add(letter)
        with self.conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO projection_dead_letters "
                '(projection, topic, partition, "offset", reason, message) '
                "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                [
                    (self.projection.name, r.topic, r.partition, r.offset, e.reason, str(e))
                    for r, e in rejected
                ],
            )
        for r, error in rejected:
            log.error(
                "parked undecodable message projection=%s topic=%s partition=%d offset=%d: %s",
                self.projection.name, r.topic, r.partition, r.offset, error,
            )
