"""`castline events import`: replay an archive (events/archive_format) into topics.

First the whole archive is read and checked, and so are the target topics (they exist, have the
partitions the archive uses, and hold no events unless appending): any refusal comes before a
single event is produced. Then each topic's files are merged and every event is produced, in
its original (partition, offset) order, to the partition number it came from, with its key,
headers and timestamp, re-encoded with the current registry's id of its exact writer schema.
Produces go in batches, each flushed once and its delivery reports checked.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import TextIO
from uuid import uuid4

from confluent_kafka import Consumer, KafkaError, Message, Producer, TopicPartition

from events.archive_format import EVENTS, ArchiveError
from events.archive_reader import ArchivedRecord, ArchiveFile, archive_topics, merged
from events.archive_schemas import Encoder, SchemaIds
from events.producer import make_producer
from events.tail import UnknownTopic, partitions_of

BATCH = 5000
FLUSH_TIMEOUT_S = 60.0
TIMEOUT_S = 10.0


@dataclasses.dataclass(frozen=True)
class ImportRequest:
    root: Path
    topic_map: dict[str, str] = dataclasses.field(default_factory=dict)  # archive -> target
    append: bool = False


@dataclasses.dataclass
class TopicPlan:
    source: str
    target: str
    files: list[ArchiveFile]  # the event files
    encoders: dict[Path, Encoder]
    partitions: int = 0  # the partitions the archive uses: 0 .. partitions - 1
    undecodable: int = 0
    imported: int = 0

    def line(self) -> str:
        bad = f", {self.undecodable} undecodable not imported" if self.undecodable else ""
        return f"{self.source} -> {self.target}: {self.imported} events imported{bad}"


def import_archive(bootstrap: str, ids: SchemaIds, request: ImportRequest,
                   errors: TextIO) -> list[TopicPlan]:
    """Check everything, then produce; ArchiveError (nothing produced) on any refusal."""
    archive = archive_topics(request.root)
    unknown = sorted(set(request.topic_map) - set(archive))
    if unknown:
        raise ArchiveError(f"--topic-map names {', '.join(unknown)}, not in the archive "
                           f"(it holds {', '.join(sorted(archive))})")
    plans = [plan_topic(source, request.topic_map.get(source, source), files, ids, errors)
             for source, files in archive.items()]
    check_targets(bootstrap, plans, request.append)
    producer = make_producer(bootstrap)
    for plan in plans:
        produce_topic(producer, plan)
    return plans


def plan_topic(source: str, target: str, files: list[ArchiveFile], ids: SchemaIds,
               errors: TextIO) -> TopicPlan:
    """Read the topic's archive through: order, encoders, partitions used; report undecodable."""
    plan = TopicPlan(source, target, [f for f in files if f.kind == EVENTS], {})
    for file in plan.files:
        first = next(file.records(), None)
        if first is not None:
            plan.encoders[file.path] = ids.encoder(file.event_schema, first.body,
                                                   f"{file.path} ({first.where(source)})")
    for record in merged(source, plan.files):
        plan.partitions = max(plan.partitions, record.partition + 1)
    for file in files:
        if file.kind != EVENTS:
            for record in file.records():
                errors.write(f"undecodable message at {record.where(source)} (archived in "
                             f"{file.path}), not imported: {record.reason}: {record.error}\n")
                plan.undecodable += 1
    return plan


def check_targets(bootstrap: str, plans: list[TopicPlan], append: bool) -> None:
    targets = [plan.target for plan in plans]
    twice = sorted({t for t in targets if targets.count(t) > 1})
    if twice:
        raise ArchiveError(f"several archived topics would go to {', '.join(twice)}")
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"castline-import-{uuid4()}",
                         "enable.auto.commit": False})
    try:
        for plan in plans:
            _check_target(consumer, plan, append)
    finally:
        consumer.close()


def _check_target(consumer: Consumer, plan: TopicPlan, append: bool) -> None:
    try:
        partitions = partitions_of(consumer, plan.target)
    except UnknownTopic as error:
        raise ArchiveError(f"target topic {plan.target!r} does not exist; create it first "
                           f"(with as many partitions as {plan.source!r} had)") from error
    if len(partitions) < plan.partitions:
        raise ArchiveError(f"topic {plan.target} has {len(partitions)} partition(s); the archive "
                           f"of {plan.source} uses partitions 0 to {plan.partitions - 1}")
    marks = [consumer.get_watermark_offsets(TopicPartition(plan.target, p), timeout=TIMEOUT_S)
             for p in partitions]
    held = sum(int(high) - int(low) for low, high in marks)
    if held and not append:
        raise ArchiveError(f"topic {plan.target} already holds {held} events; pass --append to "
                           "add the archive after them")


def produce_topic(producer: Producer, plan: TopicPlan) -> None:
    records = merged(plan.source, plan.files)
    while batch := list(itertools.islice(records, BATCH)):
        failures: list[str] = []
        for record in batch:
            _produce(producer, plan, record, _on_delivery(record, plan, failures))
        left = producer.flush(FLUSH_TIMEOUT_S)
        if failures or left:
            why = failures[0] if failures else f"{left} unacknowledged after {FLUSH_TIMEOUT_S} s"
            raise ArchiveError(f"importing into {plan.target}: {len(failures) + left} of "
                               f"{len(batch)} events not delivered ({why}); {plan.imported} "
                               "were imported before this batch")
        plan.imported += len(batch)


def _on_delivery(record: ArchivedRecord, plan: TopicPlan,
                 failures: list[str]) -> Callable[[KafkaError | None, Message], None]:
    def delivered(error: KafkaError | None, message: Message) -> None:
        if error is not None:
            failures.append(f"first: {record.where(plan.source)} -> {plan.target}/"
                            f"{record.partition}: {error.str()}")
        elif message.partition() != record.partition:
            failures.append(f"first: {record.where(plan.source)} landed on {plan.target}/"
                            f"{message.partition()}")

    return delivered


def _produce(producer: Producer, plan: TopicPlan, record: ArchivedRecord,
             callback: Callable[[KafkaError | None, Message], None]) -> None:
    try:
        value = plan.encoders[record.path].encode(record.body)
    except ValueError as error:
        raise ArchiveError(f"{record.where(plan.source)} in {record.path} does not encode: "
                           f"{error}") from error
    headers: list[tuple[str, str | bytes | None]] = list(record.headers)
    while True:
        try:
            producer.produce(plan.target, value=value, key=record.key, partition=record.partition,
                             timestamp=record.timestamp or 0, headers=headers or None,
                             on_delivery=callback)
            return
        except BufferError:
            producer.poll(0.05)  # the local queue is full: let deliveries drain it
