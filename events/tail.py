"""`castline events tail`: a topic's events, decoded, as JSON lines (for people and tools).

Reads without joining a consumer group. Without --follow it stops at the end the topic had when
it started. An undecodable message is reported on stderr with its position, never skipped
silently; the tail goes on.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable
from datetime import datetime
from typing import Any, TextIO
from uuid import uuid4

from confluent_kafka import OFFSET_BEGINNING, Consumer, Message, TopicPartition

from events.consuming import RestingReader
from events.errors import UndecodableMessage

BATCH = 1000


class UnknownTopic(Exception):
    """The broker has no such topic."""


@dataclasses.dataclass(frozen=True)
class TailRequest:
    topic: str
    start: str = "end"  # "end", "beginning" or "time"
    since: datetime | None = None
    follow: bool = False
    key: str | None = None


def start_offsets(consumer: Consumer, request: TailRequest) -> list[TopicPartition]:
    metadata = consumer.list_topics(request.topic, timeout=10).topics.get(request.topic)
    if metadata is None or metadata.error is not None or not metadata.partitions:
        raise UnknownTopic(f"no topic named {request.topic!r}")
    partitions = sorted(metadata.partitions)
    if request.start == "time" and request.since is not None:
        wanted = [TopicPartition(request.topic, p, int(request.since.timestamp() * 1000))
                  for p in partitions]
        found = consumer.offsets_for_times(wanted, timeout=10)
        # A partition with nothing since then starts at its end.
        return [tp if tp.offset >= 0 else TopicPartition(
            request.topic, tp.partition, _end(consumer, request.topic, tp.partition))
            for tp in found]
    if request.start == "beginning":
        return [TopicPartition(request.topic, p, OFFSET_BEGINNING) for p in partitions]
    return [TopicPartition(request.topic, p, _end(consumer, request.topic, p))
            for p in partitions]


def _end(consumer: Consumer, topic: str, partition: int) -> int:
    return int(consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=10)[1])


def line(message: Message, event: Any) -> str:
    body = {field.name: getattr(event, field.name) for field in dataclasses.fields(event)}
    key = message.key()
    return json.dumps({
        "topic": message.topic(), "partition": message.partition(), "offset": message.offset(),
        "key": key.decode(errors="replace") if key else None,
        "type": event.schema_name, "event": body,
    }, default=str)


def tail(bootstrap: str, decode: Callable[[bytes], Any], request: TailRequest,
         out: TextIO = sys.stdout, errors: TextIO = sys.stderr) -> int:
    """Print the events; return how many were printed."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"castline-tail-{uuid4()}",
                         "enable.auto.commit": False, "auto.offset.reset": "earliest"})
    try:
        starts = start_offsets(consumer, request)
        ends = {tp.partition: _end(consumer, request.topic, tp.partition) for tp in starts}
        consumer.assign(starts)
        reader = RestingReader(consumer)
        reader.assigned(starts)
        return _print_until_done(reader, ends, request, out, errors, decode)
    finally:
        consumer.close()


def _print_until_done(reader: RestingReader, ends: dict[int, int], request: TailRequest,
                      out: TextIO, errors: TextIO, decode: Callable[[bytes], Any]) -> int:
    printed = 0
    while request.follow or _behind(reader, ends):
        for message in reader.available(BATCH, timeout_s=0.5):
            if message.error() is not None or message.value() is None:
                continue
            if request.key is not None and message.key() != request.key.encode():
                continue
            try:
                event = decode(message.value() or b"")
            except UndecodableMessage as error:
                errors.write(f"undecodable message at {message.topic()}/{message.partition()}/"
                             f"{message.offset()}: {error}\n")
                continue
            out.write(line(message, event) + "\n")
            printed += 1
        out.flush()
    return printed


def _behind(reader: RestingReader, ends: dict[int, int]) -> bool:
    topic_offsets = {p: o for (_, p), o in reader.next_offsets.items()}
    return any(topic_offsets.get(p, 0) < end for p, end in ends.items() if end > 0)
