"""The log as it is: every event on some topics, read from their beginning to their current
end, and the same log counted once per event id (what every store must hold)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from uuid import UUID, uuid4

from confluent_kafka import Consumer, TopicPartition

from config.settings import Settings
from events.base import Event
from events.codec import Codec
from events.errors import UndecodableMessage

READ_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class Logged:
    topic: str
    partition: int
    offset: int
    event: Event


@dataclass(frozen=True)
class Log:
    entries: tuple[Logged, ...]

    def distinct(self, keep: Callable[[Event], bool] = lambda _: True) -> list[Event]:
        """Each kept event once, at its first position."""
        seen: dict[UUID, Event] = {}
        for entry in self.entries:
            if keep(entry.event):
                seen.setdefault(entry.event.event_id, entry.event)
        return list(seen.values())

    def repeated(self, keep: Callable[[Event], bool] = lambda _: True) -> set[UUID]:
        """The ids of kept events found at more than one position."""
        seen: set[UUID] = set()
        repeats: set[UUID] = set()
        for entry in self.entries:
            if keep(entry.event):
                (repeats if entry.event.event_id in seen else seen).add(entry.event.event_id)
        return repeats


def read_log(settings: Settings, topics: Sequence[str]) -> Log:
    """Every event on the topics up to their current ends. Records no feed can decode (the
    poison records other tests put on topics) are parked by the feeds, so they are left out."""
    codec = Codec.from_settings(settings)
    consumer = Consumer({"bootstrap.servers": settings.kafka, "group.id": f"log-{uuid4().hex}",
                         "enable.auto.commit": False, "auto.offset.reset": "earliest"})
    try:
        ends = _ends(consumer, topics)
        consumer.assign([TopicPartition(t, p, low) for (t, p), (low, high) in ends.items()
                         if high > low])
        return Log(tuple(_decoded(codec, _records(consumer, ends))))
    finally:
        consumer.close()


def _ends(consumer: Consumer, topics: Sequence[str]) -> dict[tuple[str, int], tuple[int, int]]:
    ends = {}
    for topic in topics:
        metadata = consumer.list_topics(topic, timeout=READ_TIMEOUT_S).topics[topic]
        assert metadata.error is None, metadata.error
        for partition in metadata.partitions:
            ends[(topic, partition)] = consumer.get_watermark_offsets(
                TopicPartition(topic, partition), timeout=READ_TIMEOUT_S)
    return ends


def _records(consumer: Consumer, ends: dict[tuple[str, int], tuple[int, int]]
             ) -> Iterable[tuple[str, int, int, bytes]]:
    pending = {tp: high for tp, (low, high) in ends.items() if high > low}
    deadline = time.monotonic() + READ_TIMEOUT_S
    while pending:
        # A batch returns once full or after its timeout: short, not to wait at the end.
        messages = consumer.consume(10_000, timeout=0.2)
        assert time.monotonic() < deadline, f"the log stopped short of its end: {pending}"
        for message in messages:
            assert message.error() is None, message.error()
            topic, partition, offset = message.topic(), message.partition(), message.offset()
            assert topic is not None
            assert partition is not None
            assert offset is not None
            end = pending.get((topic, partition))
            if end is None or offset >= end:
                continue
            value = message.value()
            if value is not None:
                yield topic, partition, offset, value
            if offset + 1 >= end:
                del pending[(topic, partition)]


def _decoded(codec: Codec, records: Iterable[tuple[str, int, int, bytes]]
             ) -> Iterable[Logged]:
    for topic, partition, offset, value in records:
        try:
            message = codec.decode(value)
        except UndecodableMessage:
            continue
        if isinstance(message, Event):
            yield Logged(topic, partition, offset, message)
