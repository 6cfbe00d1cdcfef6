"""`castline events export`: topics to an archive of Avro container files (events/archive_format).

Reads without joining a consumer group: each partition is assigned with an explicit offset and
read in batches from its start (the oldest event kept, or the first at or after --from) up to
its stop (the end it had when the export started, or the first offset at or after --to), one
partition after the other, so every file is in (partition, offset) order. The ends of every
topic are taken before anything is read. A topic's files are written in a hidden staging
directory that becomes DIR/<topic> only once the topic is complete.
"""

from __future__ import annotations

import dataclasses
import shutil
import time
from datetime import datetime
from pathlib import Path
from typing import TextIO
from uuid import uuid4

from confluent_kafka import Consumer, Message, TopicPartition

from events.archive_format import ArchiveError
from events.archive_writer import TopicArchive, TopicSummary, WriterSchema
from events.consuming import RestingReader
from events.registry import ManifestEntry
from events.tail import partitions_of

BATCH = 1000
STALL_S = 30.0  # no message for this long while behind a partition's stop: give up
TIMEOUT_S = 10.0


@dataclasses.dataclass(frozen=True)
class ExportRequest:
    topics: tuple[str, ...]
    out: Path
    since: datetime | None = None  # from the first event at or after this time
    until: datetime | None = None  # up to the last event before this time


@dataclasses.dataclass(frozen=True)
class Span:
    """The offsets of one partition to export: start included, stop excluded."""

    partition: int
    start: int
    stop: int


def export(bootstrap: str, writer_schema: WriterSchema, versions: dict[str, ManifestEntry],
           request: ExportRequest, errors: TextIO) -> list[TopicSummary]:
    """Write the archive; UnknownTopic or ArchiveError before anything is written."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"castline-export-{uuid4()}",
                         "enable.auto.commit": False, "auto.offset.reset": "earliest"})
    try:
        spans = {topic: topic_spans(consumer, topic, request) for topic in request.topics}
        for topic in request.topics:
            _refuse_existing(request.out, topic)
        return [_export_topic(consumer, topic, spans[topic], request.out,
                              TopicArchiveFactory(writer_schema, versions, errors))
                for topic in request.topics]
    finally:
        consumer.close()


@dataclasses.dataclass(frozen=True)
class TopicArchiveFactory:
    writer_schema: WriterSchema
    versions: dict[str, ManifestEntry]
    errors: TextIO

    def __call__(self, directory: Path, topic: str) -> TopicArchive:
        return TopicArchive(directory, topic, self.writer_schema, self.versions, self.errors)


def topic_spans(consumer: Consumer, topic: str, request: ExportRequest) -> list[Span]:
    partitions = partitions_of(consumer, topic)
    marks = [consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=TIMEOUT_S)
             for p in partitions]
    lows, highs = [int(low) for low, _ in marks], [int(high) for _, high in marks]
    starts = _at_or_after(consumer, topic, partitions, request.since, highs) \
        if request.since else lows
    stops = _at_or_after(consumer, topic, partitions, request.until, highs) \
        if request.until else highs
    return [Span(p, max(start, low), min(stop, high))
            for p, start, stop, low, high in zip(partitions, starts, stops, lows, highs,
                                                 strict=True)]


def _at_or_after(consumer: Consumer, topic: str, partitions: list[int], moment: datetime,
                 otherwise: list[int]) -> list[int]:
    """Per partition, the first offset stamped at or after `moment` (`otherwise` if none)."""
    stamp = int(moment.timestamp() * 1000)
    found = consumer.offsets_for_times([TopicPartition(topic, p, stamp) for p in partitions],
                                       timeout=TIMEOUT_S)
    for tp in found:
        if tp.error is not None:
            raise ArchiveError(f"looking up {topic}/{tp.partition} at {moment}: {tp.error}")
    return [tp.offset if tp.offset >= 0 else end
            for tp, end in zip(found, otherwise, strict=True)]


def _refuse_existing(out: Path, topic: str) -> None:
    if out.exists() and not out.is_dir():
        raise ArchiveError(f"--out {out} is not a directory")
    if (out / topic).exists():
        raise ArchiveError(f"{out / topic} already exists; export into another directory")


def _export_topic(consumer: Consumer, topic: str, spans: list[Span], out: Path,
                  archive_in: TopicArchiveFactory) -> TopicSummary:
    staging = out / f".{topic}.partial"
    done = False
    try:
        shutil.rmtree(staging, ignore_errors=True)  # left by an export that was killed
        staging.mkdir(parents=True)
        with archive_in(staging, topic) as archive:
            for span in spans:
                if span.start < span.stop:
                    _read_span(consumer, topic, span, archive)
        staging.rename(out / topic)
        done = True
        return archive.summary
    except OSError as error:
        raise ArchiveError(f"writing the archive of {topic} in {out}: {error}") from error
    finally:
        if not done:
            shutil.rmtree(staging, ignore_errors=True)


def _read_span(consumer: Consumer, topic: str, span: Span, archive: TopicArchive) -> None:
    start = TopicPartition(topic, span.partition, span.start)
    reader = RestingReader(consumer)
    reader.assign([start])
    progress = time.monotonic()
    while (at := reader.next_offsets.get((topic, span.partition), span.start)) < span.stop:
        batch = reader.available(BATCH, timeout_s=0.5)
        for message in batch:
            _take(message, span, archive)
        if batch:
            progress = time.monotonic()
        elif time.monotonic() - progress > STALL_S:
            raise ArchiveError(f"no message for {STALL_S:.0f} s at {topic}/{span.partition}/"
                               f"{at} (exporting up to offset {span.stop})")


def _take(message: Message, span: Span, archive: TopicArchive) -> None:
    error = message.error()
    if error is not None:
        if error.fatal():
            raise ArchiveError(f"reading {message.topic()}/{message.partition()}: {error}")
        archive.errors.write(f"while reading {message.topic()}/{message.partition()}: "
                             f"{error} (retrying)\n")
        return
    offset = message.offset()
    if offset is not None and offset < span.stop:  # later ones arrived after the export began
        archive.add(message)
