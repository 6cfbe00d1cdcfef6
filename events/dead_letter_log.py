"""The dead-letter topic read back for operators: what is parked, and parked records put back
onto their original topics (`castline dead-letters list|retry`).

A record parked more than once (by several feeds, or again after a retry failed) is listed
once per original position, with its latest letter. A retried record lands at a new offset of
its original partition; every store counts an event id once, so a feed that had applied it
changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import uuid4

from confluent_kafka import TIMESTAMP_NOT_AVAILABLE, Consumer, KafkaError, TopicPartition
from confluent_kafka import Message as KafkaMessage

from events.consuming import end_offsets
from events.dead_letters import DEAD_LETTERS_TOPIC, Header, headers_of, split_headers
from events.positions import Position
from events.producer import DeliveryFailed, make_producer
from events.tail import partitions_of

BATCH = 1000


class NotParked(Exception):
    """No dead letter holds a record of that position."""


@dataclass(frozen=True)
class Parked:
    original: Position
    reason: str
    error: str
    parked_by: str | None
    parked_at: datetime | None
    key: bytes | None
    value: bytes | None
    headers: list[Header]  # the original's


@dataclass(frozen=True)
class Filter:
    topic: str | None = None
    reason: str | None = None
    since: datetime | None = None
    parked_by: str | None = None

    def accepts(self, parked: Parked) -> bool:
        return ((self.topic is None or parked.original.topic == self.topic)
                and (self.reason is None or parked.reason == self.reason)
                and (self.parked_by is None or parked.parked_by == self.parked_by)
                and (self.since is None or (parked.parked_at is not None
                                            and parked.parked_at >= self.since)))


def read_parked(bootstrap: str) -> list[Parked]:
    """Every parked record up to the topic's end when reading started, the latest letter for
    each original position, in the order they were (last) parked."""
    latest: dict[Position, Parked] = {}
    for message in _letters(bootstrap):
        parked = _parked(message)
        if parked is not None:
            latest.pop(parked.original, None)
            latest[parked.original] = parked
    return list(latest.values())


def find(parked: Iterable[Parked], positions: Sequence[Position]) -> list[Parked]:
    """The parked records of these original positions, in that order; NotParked names any
    position without one."""
    by_position = {p.original: p for p in parked}
    missing = [p.token for p in positions if p not in by_position]
    if missing:
        raise NotParked(f"no parked record at {', '.join(missing)}")
    return [by_position[p] for p in positions]


def retry(bootstrap: str, records: Sequence[Parked]) -> list[Position]:
    """Produce each record as it was (key, value, headers) onto its original partition; return
    where each landed, once all are acknowledged."""
    producer = make_producer(bootstrap)
    landed: dict[int, Position] = {}
    failures: list[str] = []

    def delivered(index: int) -> Callable[[KafkaError | None, KafkaMessage], None]:
        def callback(error: KafkaError | None, message: KafkaMessage) -> None:
            partition, offset = message.partition(), message.offset()
            if error is not None or partition is None or offset is None:
                failures.append(f"{records[index].original.token}: {error}")
            else:
                landed[index] = Position(records[index].original.topic, partition, offset)

        return callback

    for index, record in enumerate(records):
        headers: list[tuple[str, str | bytes | None]] = list(record.headers)
        producer.produce(record.original.topic, key=record.key, value=record.value,
                         partition=record.original.partition, headers=headers or None,
                         on_delivery=delivered(index))
    if producer.flush(30) > 0 or failures:
        raise DeliveryFailed(f"not put back: {'; '.join(failures) or 'no acknowledgement'}")
    return [landed[i] for i in range(len(records))]


def _letters(bootstrap: str) -> Iterable[KafkaMessage]:
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"castline-dl-{uuid4()}",
                         "enable.auto.commit": False, "auto.offset.reset": "earliest"})
    try:
        ends = {tp.partition: tp.offset for tp in end_offsets(
            consumer, DEAD_LETTERS_TOPIC, partitions_of(consumer, DEAD_LETTERS_TOPIC))}
        pending = {p for p, end in ends.items() if end > 0}
        consumer.assign([TopicPartition(DEAD_LETTERS_TOPIC, p, 0) for p in sorted(pending)])
        while pending:
            for message in consumer.consume(BATCH, timeout=1.0):
                partition, offset = message.partition(), message.offset()
                if message.error() is not None or partition is None or offset is None:
                    continue
                if offset < ends[partition]:
                    yield message
                if offset + 1 >= ends[partition]:
                    pending.discard(partition)
    finally:
        consumer.close()


def _parked(message: KafkaMessage) -> Parked | None:
    """The parked record a letter holds; None for a record that is no dead letter."""
    own, original = split_headers(headers_of(message))
    topic, partition, offset = (own.get(name) for name in ("topic", "partition", "offset"))
    if not topic or not partition or not offset:
        return None
    kind, timestamp_ms = message.timestamp()
    parked_at = (None if kind == TIMESTAMP_NOT_AVAILABLE
                 else datetime.fromtimestamp(timestamp_ms / 1000, UTC))
    parked_by = own.get("parked_by")
    return Parked(
        Position(topic.decode(), int(partition), int(offset)),
        (own.get("reason") or b"").decode(errors="replace"),
        (own.get("error") or b"").decode(errors="replace"),
        None if parked_by is None else parked_by.decode(errors="replace"),
        parked_at, own.get("key"), message.value(), original)
