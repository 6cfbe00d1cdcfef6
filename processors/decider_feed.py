"""A decider fed a batch of commands at a time by a projection consumer (see
projections.runner.Feed): the account, wallet and subscription deciders run on it.

Ownership does not depend on the broker expiring a dead consumer-group member: the workers
share the feed's partitions by PostgreSQL locks (feeds.leases), and each reads its own from the
checkpoints stored with the states; every state is keyed as its commands are, so it belongs to
one partition. A batch is decided in one transaction holding its checkpoint rows: every command
against its aggregate's latest state, the resulting events and commands sent and acknowledged,
the changed states and the offsets written, committed; only then are the gateways answered. A
crash before the commit decides the batch again from the stored states: events keep the ids
their commands derive, the payment provider answers a repeated charge key with its first
answer, so nothing is charged or counted twice and nothing is lost. Every outcome is kept
(decider_outcomes) in the same transaction: a command sent again, however late, is answered
as before and never decided again.

A command that cannot be decided for a reason retrying will not mend (text no store can hold,
a fault in a rule) is rolled back alone, answered `unprocessable` and parked; the batch goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

import psycopg
from cachetools import LRUCache
from confluent_kafka import KafkaException

from events.base import Command, Message
from events.errors import UnprocessableMessage
from events.producer import DeliveryFailed, EventProducer
from events.storable import unstorable_field
from feeds import checkpoints
from feeds.checkpoints import unapplied
from feeds.parking import DeadLetterSink, decode_or_park, park
from feeds.records import Envelope, LogRecord
from processors.decider_states import (
    StateKind,
    load_outcomes,
    load_states,
    store_outcomes,
    store_states,
)
from processors.deciders.decisions import Rejected, RememberedOutcome
from processors.decision_batch import DecisionBatch, StateKey

log = logging.getLogger(__name__)

CACHED_STATES = 100_000  # kept in memory between batches; the rest are read again
# Failures that say nothing about the command: the batch is rolled back and read again.
TRANSIENT = (psycopg.OperationalError, DeliveryFailed, KafkaException)


class Handler(Protocol):
    """A decider's rules around its batch: which states a message needs, and its decision."""

    @property
    def name(self) -> str: ...

    @property
    def topics(self) -> tuple[str, ...]: ...

    @property
    def kinds(self) -> tuple[StateKind[Any], ...]: ...

    def keys(self, message: Message) -> Iterable[tuple[StateKind[Any], str]]: ...

    def handle(self, batch: DecisionBatch, message: Message) -> None: ...


class DeciderFeed:
    def __init__(self, conn: psycopg.Connection, handler: Handler, producer: EventProducer,
                 decode: Callable[[bytes], Message], dead_letters: DeadLetterSink) -> None:
        self.conn, self.handler, self.producer = conn, handler, producer
        self.decode, self.dead_letters = decode, dead_letters
        self.kinds = {kind.name: kind for kind in handler.kinds}
        self.cache: LRUCache[StateKey, Any] = LRUCache(CACHED_STATES)

    @property
    def name(self) -> str:
        return self.handler.name

    @property
    def topics(self) -> tuple[str, ...]:
        return self.handler.topics

    def checkpoints(self) -> dict[checkpoints.Partition, int]:
        # Reading starts again from here: another worker may have decided for these partitions
        # meanwhile, so what is cached of their states is read again.
        self.cache.clear()
        return checkpoints.load(self.conn, self.name)

    def tick(self) -> bool:
        return False

    def flush(self) -> None:
        """Each batch is committed before apply_batch returns; its answers, sent soon after,
        are delivered here: before the feed stops or lets partitions go."""
        self.producer.drain()

    def apply_batch(self, records: Sequence[LogRecord]) -> int:
        with self.conn.transaction():
            fresh = unapplied(self.conn, self.name, records)
            envelopes, _ = decode_or_park(fresh, self.decode, self.dead_letters, self.name)
            # Text no store can hold is refused before any state or outcome is read by it.
            unfit = {id(e): f for e in envelopes if (f := unstorable_field(e.message)) is not None}
            fit = [e for e in envelopes if id(e) not in unfit]
            batch = DecisionBatch(self.kinds, self._states(fit), load_outcomes(
                self.conn, [str(e.message.command_id) for e in fit
                            if isinstance(e.message, Command)]))
            for envelope in envelopes:
                if id(envelope) in unfit:
                    self._refuse(batch, envelope, fresh, UnprocessableMessage(
                        f"{unfit[id(envelope)]}: text with a NUL character cannot be stored"),
                        unfit[id(envelope)])
                else:
                    self._decide(batch, envelope, fresh)
            answers, decided = batch.settled(self.producer.send(batch.outgoing))
            store_outcomes(self.conn, self.name, decided)
            for kind, documents in batch.documents().items():
                store_states(self.conn, kind, documents)
            checkpoints.advance(self.conn, self.name, {(r.topic, r.partition): r.offset
                                                       for r in fresh})
        self.cache.update(batch.states)
        self.producer.send_soon([outcome.decided() for outcome in answers])
        return len(envelopes)

    def _states(self, envelopes: Sequence[Envelope]) -> dict[StateKey, Any]:
        wanted: dict[str, set[str]] = {}
        for envelope in envelopes:
            for kind, key in self.handler.keys(envelope.message):
                wanted.setdefault(kind.name, set()).add(key)
        states: dict[StateKey, Any] = {}
        for kind_name, keys in wanted.items():
            kind = self.kinds[kind_name]
            missing = [k for k in keys if (kind_name, k) not in self.cache]
            stored = load_states(self.conn, kind_name, missing) if missing else {}
            for key in keys:
                at = (kind_name, key)
                states[at] = self.cache[at] if at in self.cache else kind.load(stored.get(key))
        return states

    def _decide(self, batch: DecisionBatch, envelope: Envelope,
                records: Sequence[LogRecord]) -> None:
        message = envelope.message
        mark = batch.mark()
        try:
            self.handler.handle(batch, message)
        except TRANSIENT:
            raise
        except Exception as error:  # one command's fault must not stop the feed
            log.exception("decider %s could not decide %s at %s/%d/%d", self.name,
                          type(message).__name__, envelope.topic, envelope.partition,
                          envelope.offset)
            batch.roll_back(mark)
            self._refuse(batch, envelope, records, UnprocessableMessage(repr(error)), None)

    def _refuse(self, batch: DecisionBatch, envelope: Envelope, records: Sequence[LogRecord],
                error: UnprocessableMessage, field: str | None) -> None:
        """Park the record with its reason; a command is also answered, so nobody waits."""
        record = next(r for r in records if (r.topic, r.partition, r.offset) ==
                      (envelope.topic, envelope.partition, envelope.offset))
        park([(record, error)], self.dead_letters, self.name)
        if isinstance(envelope.message, Command):
            rejection = Rejected("unprocessable", f"the command could not be decided: {error}",
                                 field)
            batch.answer(RememberedOutcome.rejected(str(envelope.message.command_id),
                                                    rejection))
