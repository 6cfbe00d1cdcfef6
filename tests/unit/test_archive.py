"""The archive of `castline events export`/`import`, without a broker: format, files, ids.

The round trip is generic: a message written with every committed schema version is archived
and re-encoded, and must come back byte for byte, so a new version is covered at once.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import fastavro
import pytest
from confluent_kafka import TIMESTAMP_CREATE_TIME, Message

from events.archive_format import (
    EVENTS,
    KIND,
    ArchiveError,
    event_envelope,
    file_name,
    parse_topic_map,
    plain_schema,
    schema_identity,
    versions_by_identity,
)
from events.archive_reader import ArchiveFile, archive_topics, merged
from events.archive_schemas import SchemaIds
from events.archive_writer import EmptyValue, TopicArchive, decode_with_writer
from events.codec import HEADER, MAGIC, Codec
from events.confluent_registry import ConfluentRegistry
from events.errors import BadMagicByte, CorruptBody, TruncatedMessage, UnknownSchemaId
from events.registry import ManifestRegistry, load_manifest
from tests.unit.test_schemas import FakeRegistryClient, written_with

MANIFEST = load_manifest()
REGISTRY = ManifestRegistry()
RECORD = {"type": "record", "name": "Thing", "namespace": "castline.test",
          "fields": [{"name": "a", "type": "long"}]}


def message(offset: int, value: bytes | None, partition: int = 0) -> Message:
    return Message(topic="t", partition=partition, offset=offset, key=b"k%d" % offset,
                   value=value, headers=[("h", b"v")], timestamp=(TIMESTAMP_CREATE_TIME, offset))


def write_archive(root: Path, messages: list[Message]) -> tuple[TopicArchive, io.StringIO]:
    (root / "t").mkdir(parents=True)
    errors = io.StringIO()
    with TopicArchive(root / "t", "t", REGISTRY.writer_schema, versions_by_identity(MANIFEST),
                      errors) as archive:
        for m in messages:
            archive.add(m)
    return archive, errors


def test_identity_ignores_spelling_not_content() -> None:
    qualified = {**RECORD, "name": "castline.test.Thing"}
    del qualified["namespace"]
    parsed = fastavro.parse_schema(RECORD)
    assert "__fastavro_parsed" not in json.dumps(plain_schema(parsed))
    assert schema_identity(RECORD) == schema_identity(qualified) == schema_identity(parsed)
    assert schema_identity(RECORD) != schema_identity({**RECORD, "doc": "other"})
    with_timestamp = {**RECORD, "fields": [
        {"name": "a", "type": {"type": "long", "logicalType": "timestamp-millis"}}]}
    assert schema_identity(RECORD) != schema_identity(with_timestamp)


def test_file_names_and_topic_maps() -> None:
    assert file_name("castline.x.Y", 2, 17) == "castline.x.Y.v2.avro"
    assert file_name("castline.x.Y", None, 17) == "castline.x.Y.id17.avro"
    assert parse_topic_map(("a=b", "c=d.e")) == {"a": "b", "c": "d.e"}
    for bad in (("a",), ("=b",), ("a=",), ("a=b=c",), ("a=b", "a=c")):
        with pytest.raises(ArchiveError, match="--topic-map"):
            parse_topic_map(bad)


def test_undecodable_bytes_are_typed() -> None:
    good, _ = written_with(MANIFEST[0])
    cases: list[tuple[bytes | None, type[Exception]]] = [
        (None, EmptyValue), (b"\x00\x00", TruncatedMessage), (b"\x01" + good[1:], BadMagicByte),
        (HEADER.pack(MAGIC, 424242) + good[5:], UnknownSchemaId),
        (good[:-1], CorruptBody), (good + b"\x00", CorruptBody),
    ]
    for value, error in cases:
        with pytest.raises(error):
            decode_with_writer(value, REGISTRY.writer_schema)
    assert decode_with_writer(good, REGISTRY.writer_schema)[0] == MANIFEST[0].id


def test_every_committed_version_round_trips_byte_for_byte(tmp_path: Path) -> None:
    wire = [written_with(entry)[0] for entry in MANIFEST]
    messages = [message(n, value) for n, value in enumerate(wire)]
    messages += [message(len(wire), b"junk"), message(len(wire) + 1, None)]
    archive, errors = write_archive(tmp_path, messages)
    assert archive.summary.events == len(MANIFEST)
    assert archive.summary.undecodable == 2
    assert sorted(archive.summary.files) == sorted(file_name(e.subject, e.version, e.id)
                                                   for e in MANIFEST)
    assert f"undecodable message at t/0/{len(wire)}: bad_magic_byte" in errors.getvalue()
    assert f"undecodable message at t/0/{len(wire) + 1}: empty_value" in errors.getvalue()

    files = archive_topics(tmp_path)["t"]
    ids = SchemaIds(REGISTRY, Codec(REGISTRY).decode)
    events = [f for f in files if f.kind == EVENTS]
    encoders = {f.path: ids.encoder(f.event_schema, next(f.records()).body, str(f.path))
                for f in events}
    back = [(r.offset, r.key, r.timestamp, r.headers, encoders[r.path].encode(r.body))
            for r in merged("t", events)]
    assert back == [(n, b"k%d" % n, n, [("h", b"v")], value) for n, value in enumerate(wire)]


def test_a_schema_not_committed_has_no_manifest_id() -> None:
    with pytest.raises(ArchiveError, match="none of the committed versions"):
        SchemaIds(REGISTRY, Codec(REGISTRY).decode).id_for(RECORD)


def test_a_confluent_registry_gives_the_id_of_the_exact_schema() -> None:
    client = FakeRegistryClient()
    registry = ConfluentRegistry("http://registry.test", client=client)
    schema = plain_schema(REGISTRY.writer_schema(MANIFEST[0].id))
    ids = SchemaIds(registry, Codec(registry).decode)
    assert ids.id_for(schema) == ids.id_for(schema) == 1001
    assert client.registered == [MANIFEST[0].subject] * 2
    failing = SchemaIds(ConfluentRegistry("http://r.test", client=FakeRegistryClient(409)),
                        Codec(registry).decode)
    with pytest.raises(ArchiveError, match="did not register"):
        failing.id_for(schema)


def container(path: Path, records: list[dict[str, Any]], metadata: dict[str, str]) -> None:
    with path.open("wb") as handle:
        fastavro.writer(handle, event_envelope(RECORD), records, metadata=metadata)


def envelope(partition: int, offset: int) -> dict[str, Any]:
    return {"topic": "t", "partition": partition, "offset": offset, "timestamp": None,
            "key": None, "headers": [], "event": {"a": offset}}


def test_files_that_are_not_an_archive_are_refused(tmp_path: Path) -> None:
    (tmp_path / "t").mkdir()
    garbage = tmp_path / "t" / "x.avro"
    garbage.write_bytes(b"nope")
    with pytest.raises(ArchiveError, match="not an Avro container file"):
        archive_topics(tmp_path)
    container(garbage, [], {})
    with pytest.raises(ArchiveError, match="not one of an archive"):
        archive_topics(tmp_path)
    (tmp_path / "t" / "notes.txt").write_text("hi")
    with pytest.raises(ArchiveError, match=r"notes\.txt: not part of an archive"):
        archive_topics(tmp_path)
    with pytest.raises(ArchiveError, match="no such directory"):
        archive_topics(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ArchiveError, match="holds no archive"):
        archive_topics(tmp_path / "empty")


def test_records_out_of_order_or_twice_are_refused(tmp_path: Path) -> None:
    path, other = tmp_path / "a.avro", tmp_path / "b.avro"
    container(path, [envelope(0, 5), envelope(0, 4)], {KIND: EVENTS})
    with pytest.raises(ArchiveError, match=r"not in \(partition, offset\) order"):
        list(ArchiveFile.open(path).records())
    container(path, [envelope(0, 1), envelope(1, 0)], {KIND: EVENTS})
    container(other, [envelope(0, 0), envelope(1, 0)], {KIND: EVENTS})
    files = [ArchiveFile.open(path), ArchiveFile.open(other)]
    with pytest.raises(ArchiveError, match="t/1/0 is in two files"):
        list(merged("t", files))
    path.write_bytes(path.read_bytes()[:-20])  # a damaged last block
    with pytest.raises(ArchiveError, match="unreadable after"):
        list(ArchiveFile.open(path).records())
