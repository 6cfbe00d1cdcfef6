"""`castline events export` / `import` through the real CLI against the real broker."""

from __future__ import annotations

import dataclasses
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any
from uuid import uuid4

import fastavro
from confluent_kafka import Consumer, KafkaError, Message, Producer, TopicPartition

from bench.topics import scratch_topic
from castline.processes import castline_command
from config.settings import Settings
from events.base import Event
from events.channels import ChannelCreated, ChannelInfoUpdated, ModeratorAdded
from events.codec import HEADER, MAGIC, Codec
from events.registry import ManifestRegistry, load_manifest
from tests.waiting import until

CORRUPT = b"not avro at all"
PARTITIONS = 3
V1 = next(e for e in load_manifest() if (e.subject, e.version) == (ChannelCreated.schema_name, 1))


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(castline_command("events", *args), capture_output=True, text=True,
                          timeout=120, check=False)


def encode_v1(event: ChannelCreated) -> bytes:
    """ChannelCreated as version 1 of its schema wrote it (before owner_id)."""
    schema = ManifestRegistry().writer_schema(V1.id)
    buffer = BytesIO(HEADER.pack(MAGIC, V1.id))
    buffer.seek(HEADER.size)
    fastavro.schemaless_writer(buffer, schema,
                               {f["name"]: getattr(event, f["name"]) for f in schema["fields"]})
    return buffer.getvalue()


def sample(n: int) -> Event:
    channel = f"chan{n % 7}"
    kinds: list[Event] = [
        ChannelCreated(channel=channel, display_name=channel, title=f"t{n}", category="Chess",
                       owner_id=f"u{n}"),
        ChannelInfoUpdated(channel=channel, title=f"title {n}", tags=["a", "ü"], language="en"),
        ModeratorAdded(channel=channel, user_id=f"u{n}", username=f"mod{n}", by_user_id="b"),
    ]
    return kinds[n % 3]


def produce_source(settings: Settings, topic: str, codec: Codec) -> tuple[int, int]:
    """60 events of 3 types (ChannelCreated in 2 versions) over 3 partitions, and one corrupt
    message at the returned (partition, offset)."""
    producer = Producer({"bootstrap.servers": settings.kafka})
    corrupt: list[tuple[int, int]] = []

    def delivered(error: KafkaError | None, message: Message) -> None:
        assert error is None, error
        corrupt.append((message.partition() or 0, message.offset() or 0))

    for n in range(60):
        event = sample(n)
        value = encode_v1(event) if n % 6 == 0 and isinstance(event, ChannelCreated) \
            else codec.encode(event)
        producer.produce(topic, key=event.key().encode(), value=value, partition=n % PARTITIONS,
                         headers=[("trace", str(n).encode())] if n == 5 else None)
        if n == 30:
            producer.produce(topic, key=b"chan2", value=CORRUPT, partition=1,
                             on_delivery=delivered)
    assert producer.flush(30) == 0
    return corrupt[0]


def read_topic(settings: Settings, topic: str) -> dict[int, list[Message]]:
    consumer = Consumer({"bootstrap.servers": settings.kafka, "group.id": f"test-{uuid4()}",
                         "enable.auto.commit": False})
    try:
        ends = end_offsets(consumer, topic)
        consumer.assign([TopicPartition(topic, p, 0) for p in range(PARTITIONS)])
        got: dict[int, list[Message]] = {p: [] for p in range(PARTITIONS)}

        def more() -> int:
            for m in consumer.consume(500, timeout=0.2):
                if m.error() is None and m.partition() is not None:
                    got[m.partition()].append(m)  # type: ignore[index]
            return sum(len(messages) for messages in got.values())

        until(more, lambda n: n >= sum(ends), 30, f"every message of {topic}")
        return got
    finally:
        consumer.close()


def end_offsets(consumer: Consumer, topic: str) -> list[int]:
    return [int(consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1])
            for p in range(PARTITIONS)]


def ends_of(settings: Settings, topic: str) -> list[int]:
    consumer = Consumer({"bootstrap.servers": settings.kafka, "group.id": f"test-{uuid4()}"})
    try:
        return end_offsets(consumer, topic)
    finally:
        consumer.close()


def as_log(messages: dict[int, list[Message]], codec: Codec) -> dict[int, list[Any]]:
    """Per partition, in order: key, value bytes, decoded event, timestamp, headers."""
    return {p: [(m.key(), m.value(), codec.decode(m.value() or b""), m.timestamp()[1],
                 m.headers()) for m in ms if m.value() != CORRUPT]
            for p, ms in messages.items()}


def archive_records(path: Path) -> list[dict[str, Any]]:
    """An archive file read with plain fastavro: no registry, no project code."""
    with path.open("rb") as handle:
        return [record for record in fastavro.reader(handle) if isinstance(record, dict)]


@contextmanager
def topics(settings: Settings, *partitions: int) -> Iterator[list[str]]:
    with ExitStack() as stack:
        yield [stack.enter_context(scratch_topic(settings.kafka, n)) for n in partitions]


@dataclasses.dataclass(frozen=True)
class RoundTrip:
    """Everything one export / import session did, to be checked afterwards."""

    source: str
    target: str
    narrow: str
    corrupt_at: str  # topic/partition/offset
    cli: dict[str, subprocess.CompletedProcess[str]]
    original: dict[int, list[Message]]
    copy: dict[int, list[Message]]
    ends: dict[str, list[int]]


def round_trip(settings: Settings, archive: Path, codec: Codec) -> RoundTrip:
    with topics(settings, PARTITIONS, PARTITIONS, 1) as (source, target, narrow):
        partition, offset = produce_source(settings, source, codec)
        into = ("import", str(archive), "--topic-map")
        cli = {"export": run_cli("export", source, "--out", str(archive)),
               "import": run_cli(*into, f"{source}={target}")}
        original, copy = read_topic(settings, source), read_topic(settings, target)
        ends = {"before": ends_of(settings, target)}
        cli["again"] = run_cli(*into, f"{source}={target}")
        ends["refused"] = ends_of(settings, target)
        cli["narrow"] = run_cli(*into, f"{source}={narrow}")
        cli["append"] = run_cli(*into, f"{source}={target}", "--append")
        ends["appended"] = ends_of(settings, target)
    cli["missing"] = run_cli(*into, f"{source}={source}-gone")
    return RoundTrip(source, target, narrow, f"{source}/{partition}/{offset}", cli, original,
                     copy, ends)


def test_export_then_import_gives_the_same_log_partition_for_partition(
    stack: Settings, tmp_path: Path
) -> None:
    codec = Codec.from_settings(stack)
    run = round_trip(stack, tmp_path, codec)
    check_export(run, tmp_path / run.source)
    check_import(run, codec)
    check_refusals(run)


def check_export(run: RoundTrip, directory: Path) -> None:
    exported = run.cli["export"]
    assert exported.returncode == 0, exported.stderr
    assert f"undecodable message at {run.corrupt_at}: bad_magic_byte" in exported.stderr
    assert exported.stdout.strip() == (f"{run.source}: 60 events in 4 files, 1 undecodable in "
                                       "undecodable.avro")
    files = {p.name: archive_records(p) for p in directory.iterdir()}
    assert set(files) == {"castline.channels.ChannelCreated.v1.avro",
                          "castline.channels.ChannelCreated.v2.avro",
                          "castline.channels.ChannelInfoUpdated.v2.avro",
                          "castline.channels.ModeratorAdded.v1.avro", "undecodable.avro"}
    [bad] = files.pop("undecodable.avro")
    assert "/".join(str(bad[k]) for k in ("topic", "partition", "offset")) == run.corrupt_at
    assert (bad["key"], bad["value"], bad["reason"]) == (b"chan2", CORRUPT, "bad_magic_byte")
    assert sum(len(records) for records in files.values()) == 60
    assert all("owner_id" not in r["event"]
               for r in files["castline.channels.ChannelCreated.v1.avro"])


def check_import(run: RoundTrip, codec: Codec) -> None:
    imported = run.cli["import"]
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == (f"{run.source} -> {run.target}: 60 events imported, "
                                       "1 undecodable not imported")
    assert f"undecodable message at {run.corrupt_at}" in imported.stderr
    # Same events, same partitions, same order, same keys, timestamps and headers; the values
    # are even byte for byte the same (the registry here is the manifest: the same ids).
    assert as_log(run.copy, codec) == as_log(run.original, codec)
    assert all(len(run.copy[p]) > 0 for p in range(PARTITIONS))


def check_refusals(run: RoundTrip) -> None:
    again, narrow, missing = run.cli["again"], run.cli["narrow"], run.cli["missing"]
    assert again.returncode == 1
    assert f"topic {run.target} already holds 60 events; pass --append" in again.stderr
    assert run.ends["refused"] == run.ends["before"]  # nothing was produced
    assert narrow.returncode == 1
    assert (f"topic {run.narrow} has 1 partition(s); the archive of {run.source} uses "
            "partitions 0 to 2") in narrow.stderr
    assert missing.returncode == 1
    assert f"target topic '{run.source}-gone' does not exist" in missing.stderr
    for result in (again, narrow, missing):
        assert "Traceback" not in result.stderr
    assert run.cli["append"].returncode == 0, run.cli["append"].stderr
    assert run.ends["appended"] == [2 * end for end in run.ends["before"]]


def test_export_from_to_takes_the_events_stamped_in_between(
    stack: Settings, tmp_path: Path
) -> None:
    codec = Codec.from_settings(stack)
    base_s = int(datetime.now(UTC).timestamp()) - 60  # recent: kept by the topic's retention

    def stamp(seconds: int) -> str:
        return datetime.fromtimestamp(base_s + seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S")

    with scratch_topic(stack.kafka, 1) as source:
        producer = Producer({"bootstrap.servers": stack.kafka})
        for n in range(10):
            producer.produce(source, value=codec.encode(sample(2)), timestamp=(base_s + n) * 1000)
        assert producer.flush(30) == 0
        result = run_cli("export", source, "--out", str(tmp_path), "--from", stamp(3),
                         "--to", stamp(7))
    assert result.returncode == 0, result.stderr
    [records] = [archive_records(p) for p in (tmp_path / source).iterdir()]
    assert [(r["offset"], r["timestamp"]) for r in records] == [
        (n, (base_s + n) * 1000) for n in range(3, 7)]


def test_what_is_not_an_archive_is_a_clear_error(stack: Settings, tmp_path: Path) -> None:
    (tmp_path / "some-topic").mkdir()
    garbage = tmp_path / "some-topic" / "events.avro"
    garbage.write_bytes(b"certainly not an Avro container")
    not_avro = run_cli("import", str(tmp_path))
    garbage.unlink()
    with (tmp_path / "some-topic" / "other.avro").open("wb") as handle:
        fastavro.writer(handle, {"type": "record", "name": "R", "fields": []}, [{}])
    foreign = run_cli("import", str(tmp_path))
    nothing = run_cli("import", str(tmp_path / "nowhere"))
    unknown_topic = run_cli("export", "no-such-topic-anywhere", "--out", str(tmp_path / "x"))

    assert f"{garbage}: not an Avro container file" in not_avro.stderr
    assert "not one of an archive" in foreign.stderr
    assert f"no archive at {tmp_path / 'nowhere'}: no such directory" in nothing.stderr
    assert "no topic named 'no-such-topic-anywhere'" in unknown_topic.stderr
    for result in (not_avro, foreign, nothing, unknown_topic):
        assert result.returncode == 1
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "x").exists()

