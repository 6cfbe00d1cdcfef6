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

from events.consuming import RestingReader, end_offsets
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


def start_offsets(consumer: Consumer, request: TailRequest,
                  ends: list[TopicPartition]) -> list[TopicPartition]:
    if request.start == "time" and request.since is not None:
        moment = int(request.since.timestamp() * 1000)
        found = consumer.offsets_for_times(
            [TopicPartition(request.topic, end.partition, moment) for end in ends], timeout=10)
        # A partition with nothing since then starts at its end.
        return [tp if tp.offset >= 0 else end for tp, end in zip(found, ends, strict=True)]
    if request.start == "beginning":
        return [TopicPartition(request.topic, end.partition, OFFSET_BEGINNING) for end in ends]
    return ends


def partitions_of(consumer: Consumer, topic: str) -> list[int]:
    metadata = consumer.list_topics(topic, timeout=10).topics.get(topic)
    if metadata is None or metadata.error is not None or not metadata.partitions:
        raise UnknownTopic(f"no topic named {topic!r}")
    return sorted(metadata.partitions)


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
        ends = end_offsets(consumer, request.topic, partitions_of(consumer, request.topic))
        starts = start_offsets(consumer, request, ends)
        reader = RestingReader(consumer)
        reader.assign(starts)
        return _print_until_done(reader, {tp.partition: tp.offset for tp in ends}, request,
                                 out, errors, decode)
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
