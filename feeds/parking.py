"""Parking: a record a feed cannot decode or apply goes to the dead-letter topic with why,
before the feed's checkpoint passes it, so that no record can stop a feed."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Protocol

from confluent_kafka import Message as KafkaMessage

from events.base import Message
from events.dead_letters import DEAD_LETTERS_TOPIC, PARKED, DeadLetter, dead_letter
from events.errors import UndecodableMessage
from events.producer import DeliveryFailed, make_producer
from feeds.records import Envelope, LogRecord

log = logging.getLogger(__name__)


class DeadLetterSink(Protocol):
    def park(self, letters: Sequence[DeadLetter]) -> None:
        """Return only once every letter is durably written."""


class KafkaDeadLetterSink:
    def __init__(self, bootstrap: str) -> None:
        self.producer = make_producer(bootstrap)

    def park(self, letters: Sequence[DeadLetter]) -> None:
        failures: list[str] = []

        def delivered(error: object, _message: KafkaMessage) -> None:
            if error is not None:
                failures.append(str(error))

        for letter in letters:
            headers: list[tuple[str, str | bytes | None]] = list(letter.headers)
            self.producer.produce(
                DEAD_LETTERS_TOPIC, key=letter.key, value=letter.value,
                headers=headers, on_delivery=delivered,
            )
        if self.producer.flush(30) > 0 or failures:
            raise DeliveryFailed(f"dead letters not acknowledged: {failures}")


def decode_or_park(
    records: Sequence[LogRecord], decode: Callable[[bytes], Message], sink: DeadLetterSink,
    projection: str,
) -> tuple[list[Envelope], list[tuple[LogRecord, UndecodableMessage]]]:
    """Decoded records, and those parked on the dead-letter topic (before the caller's
    checkpoint passes them) because they could not be decoded or were refused."""
    envelopes: list[Envelope] = []
    parked: list[tuple[LogRecord, UndecodableMessage]] = []
    for r in records:
        try:
            if r.refusal is not None:
                raise r.refusal
            envelopes.append(Envelope(r.topic, r.partition, r.offset, decode(r.value or b"")))
        except UndecodableMessage as error:
            parked.append((r, error))
    park(parked, sink, projection)
    return envelopes, parked


def park(refused: Sequence[tuple[LogRecord, UndecodableMessage]], sink: DeadLetterSink,
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
