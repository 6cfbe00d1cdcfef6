"""Schemas evolve, never break: every version ever written still decodes with today's reader.

The old-version check is generic: it writes a sample datum with each manifest entry's own schema
(whatever types that schema uses) and decodes it with the codec, so a new version is covered the
moment it is in the manifest.
"""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
import struct
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastavro import parse_schema, schemaless_reader, schemaless_writer

from config.settings import Settings
from events.avro_schema import derive, write_version
from events.base import Message
from events.channels import ChannelInfoUpdated
from events.codec import Codec
from events.confluent_registry import ConfluentClient, ConfluentRegistry, RegistryError
from events.errors import SchemaMismatch, UnknownSchemaId
from events.registry import (
    SCHEMAS,
    ManifestEntry,
    ManifestRegistry,
    latest_versions,
    load_manifest,
)
from events.registry_choice import registry_from_settings
from events.types import ALL_MESSAGES, BY_SCHEMA_NAME

MANIFEST = load_manifest()
LATEST = latest_versions(MANIFEST)
PRIMITIVE_SAMPLES: dict[str, Any] = {
    "null": None, "boolean": True, "int": 7, "long": 7, "float": 1.5, "double": 1.5,
    "bytes": b"\x01", "string": "s",
}
LOGICAL_SAMPLES: dict[str, Any] = {
    "uuid": "6f1c1e2a-0000-4000-8000-000000000001",
    "timestamp-micros": 1_700_000_000_000_000, "timestamp-millis": 1_700_000_000_000,
    "local-timestamp-micros": 1_700_000_000_000_000,
    "local-timestamp-millis": 1_700_000_000_000,
    "date": 19_000, "time-millis": 1_000, "time-micros": 1_000,
}


def sample_value(avro_type: Any, names: dict[str, Any]) -> Any:
    """A valid datum for any Avro type: unions take their first non-null branch."""
    if isinstance(avro_type, str):
        if avro_type in PRIMITIVE_SAMPLES:
            return PRIMITIVE_SAMPLES[avro_type]
        return sample_value(names[avro_type], names)
    if isinstance(avro_type, list):
        branches = [t for t in avro_type if t != "null"] or ["null"]
        return sample_value(branches[0], names)
    if "name" in avro_type:
        names[avro_type["name"]] = avro_type
        names[f"{avro_type.get('namespace', '')}.{avro_type['name']}".lstrip(".")] = avro_type
    return _complex_sample(avro_type, names)


def _complex_sample(avro_type: dict[str, Any], names: dict[str, Any]) -> Any:
    logical, kind = avro_type.get("logicalType"), avro_type["type"]
    if logical in LOGICAL_SAMPLES:
        return LOGICAL_SAMPLES[logical]
    if logical == "decimal":
        return Decimal(1).scaleb(-avro_type.get("scale", 0))
    if kind == "record":
        return {f["name"]: sample_value(f["type"], names) for f in avro_type["fields"]}
    if kind == "enum":
        return avro_type["symbols"][0]
    if kind == "array":
        return [sample_value(avro_type["items"], names)]
    if kind == "map":
        return {"k": sample_value(avro_type["values"], names)}
    if kind == "fixed":
        return b"\x01" * avro_type["size"]
    return sample_value(kind, names)


def written_with(entry: ManifestEntry) -> tuple[bytes, dict[str, Any]]:
    """A record written with this version's schema (wire format) and the datum as read back."""
    schema = parse_schema(entry.raw(SCHEMAS))
    buffer = io.BytesIO()
    schemaless_writer(buffer, schema, sample_value(entry.raw(SCHEMAS), {}))
    written = buffer.getvalue()
    read_back: dict[str, Any] = schemaless_reader(io.BytesIO(written), schema)  # type: ignore[assignment]
    return struct.pack(">bI", 0, entry.id) + written, read_back


def default_of(field: dataclasses.Field[Any]) -> Any:
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return field.default


@pytest.mark.parametrize("entry", MANIFEST, ids=lambda e: f"{e.subject}.v{e.version}")
def test_every_version_decodes_with_the_current_reader(entry: ManifestEntry) -> None:
    """A field renamed since is read from the name (an alias) it was written under."""
    data, datum = written_with(entry)
    message = Codec(ManifestRegistry()).decode(data)
    assert type(message) is BY_SCHEMA_NAME[entry.subject]
    names = {f["name"]: [f["name"], *f.get("aliases", [])]
             for f in LATEST[entry.subject].raw(SCHEMAS)["fields"]}
    for field in dataclasses.fields(message):
        written = [datum[name] for name in names[field.name] if name in datum]
        expected = written[0] if written else default_of(field)
        assert getattr(message, field.name) == expected, field.name


def comparable(field: dict[str, Any]) -> dict[str, Any]:
    return {k: field[k] for k in ("name", "type", "default") if k in field}


@pytest.mark.parametrize("cls", ALL_MESSAGES, ids=lambda c: c.__name__)
def test_each_dataclass_matches_its_latest_schema(cls: type[Message]) -> None:
    """Field names, order, types, optionality and defaults: the dataclass is the schema."""
    committed = LATEST[cls.schema_name].raw(SCHEMAS)
    derived = derive(cls)
    assert list(map(comparable, committed["fields"])) == list(map(comparable, derived["fields"]))
    assert (committed["name"], committed["namespace"]) == (derived["name"], derived["namespace"])


def test_every_message_type_has_a_schema_and_every_schema_a_type() -> None:
    assert len(BY_SCHEMA_NAME) == len(ALL_MESSAGES)
    assert set(BY_SCHEMA_NAME) == {e.subject for e in MANIFEST}


def test_manifest_ids_are_unique_and_files_exist() -> None:
    assert len({e.id for e in MANIFEST}) == len(MANIFEST)
    assert len({(e.subject, e.version) for e in MANIFEST}) == len(MANIFEST)
    for entry in MANIFEST:
        raw = entry.raw(SCHEMAS)
        assert f"{raw['namespace']}.{raw['name']}" == entry.subject
        namespace = raw["namespace"].rpartition(".")[2]
        assert entry.file == f"{namespace}/{raw['name']}.v{entry.version}.avsc"
        assert raw["doc"].strip(), f"{entry.file} has no doc"


def test_versions_count_up_from_one_and_new_versions_get_new_ids() -> None:
    """Ids are appended: a later version of a subject always has a higher id."""
    for subject in LATEST:
        entries = sorted((e for e in MANIFEST if e.subject == subject), key=lambda e: e.version)
        assert [e.version for e in entries] == list(range(1, len(entries) + 1)), subject
        assert [e.id for e in entries] == sorted(e.id for e in entries), subject
    assert [e.id for e in MANIFEST] == sorted(e.id for e in MANIFEST)


def test_no_schema_file_is_left_out_of_the_manifest() -> None:
    on_disk = {str(p.relative_to(SCHEMAS)) for p in SCHEMAS.rglob("*.avsc")}
    assert on_disk == {e.file for e in MANIFEST}


def test_a_new_version_is_appended_with_the_next_id(tmp_path: Path) -> None:
    root = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, root)
    cls = BY_SCHEMA_NAME["castline.channels.ChannelInfoUpdated"]
    before = load_manifest(root)
    version = write_version(root, cls)
    added = load_manifest(root)[-1]
    assert load_manifest(root)[:-1] == before
    assert (added.subject, added.version) == (cls.schema_name, version)
    assert added.id == max(e.id for e in before) + 1
    assert json.loads((root / added.file).read_text()) == derive(cls)


class FakeRegistryClient:
    """A Confluent registry in memory: ids from 1001, errors on demand."""

    def __init__(self, fail_with: int | None = None) -> None:
        self.by_id: dict[int, str] = {}
        self.registered: list[str] = []
        self.fetched: list[int] = []
        self.fail_with = fail_with

    def register(self, subject: str, schema_str: str) -> int:
        self.registered.append(subject)
        if self.fail_with is not None:
            raise RegistryError(self.fail_with, "refused")
        known = {text: schema_id for schema_id, text in self.by_id.items()}
        schema_id = known.get(schema_str, 1001 + len(self.by_id))
        self.by_id[schema_id] = schema_str
        return schema_id

    def fetch(self, schema_id: int) -> tuple[str | None, str]:
        self.fetched.append(schema_id)
        if self.fail_with is not None or schema_id not in self.by_id:
            raise RegistryError(self.fail_with or 404, "Schema 40403 not found")
        return None, self.by_id[schema_id]


def test_the_manifest_registry_writes_the_latest_version_and_reads_any() -> None:
    registry = ManifestRegistry()
    for subject, entry in LATEST.items():
        assert registry.writer_id(subject) == entry.id
        assert registry.reader_schema(subject) is registry.reader_schema(subject)
    assert registry.writer_schema(1) is registry.writer_schema(1)
    with pytest.raises(UnknownSchemaId, match="schema id 424242 is not in the manifest"):
        registry.writer_schema(424242)
    with pytest.raises(SchemaMismatch, match=r"no schema for castline\.nope\.Nothing"):
        registry.writer_id("castline.nope.Nothing")


def test_the_hot_path_parses_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    codec = Codec(ManifestRegistry())
    data = [written_with(entry)[0] for entry in MANIFEST]
    for item in data:
        codec.decode(item)

    def no_parsing(*args: object) -> None:
        raise AssertionError("parsed a schema on the hot path")

    monkeypatch.setattr("events.registry.parse_schema", no_parsing)
    monkeypatch.setattr("events.confluent_registry.parse_schema", no_parsing)
    for item in data:
        codec.encode(codec.decode(item))


def test_settings_pick_the_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(registry_from_settings(Settings(schema_registry_url=None)), ManifestRegistry)
    monkeypatch.setattr("events.confluent_registry.ConfluentClient", lambda url: None)
    chosen = registry_from_settings(Settings(schema_registry_url="http://registry.test"))
    assert isinstance(chosen, ConfluentRegistry)
    assert chosen.url == "http://registry.test"


def test_a_registry_without_its_client_library_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "confluent_kafka.schema_registry", None)
    with pytest.raises(RuntimeError, match=r"install confluent-kafka\[schemaregistry\]"):
        ConfluentClient("http://registry.test")


def test_the_confluent_registry_registers_the_local_latest_and_caches() -> None:
    client = FakeRegistryClient()
    codec = Codec(ConfluentRegistry("http://registry.test", client=client))
    message = ChannelInfoUpdated(channel="abc")
    encoded = [codec.encode(message) for _ in range(3)]
    assert struct.unpack(">bI", encoded[0][:5]) == (0, 1001)
    assert [codec.decode(data) for data in encoded] == [message] * 3
    assert client.registered == [message.schema_name]
    assert client.fetched == [1001]
    assert json.loads(client.by_id[1001]) == LATEST[message.schema_name].raw(SCHEMAS)


def test_the_confluent_registry_maps_not_found_and_only_not_found() -> None:
    with pytest.raises(UnknownSchemaId, match=r"schema id 77 is not in http://registry\.test"):
        ConfluentRegistry("http://registry.test", client=FakeRegistryClient()).writer_schema(77)
    failing = ConfluentRegistry("http://registry.test", client=FakeRegistryClient(503))
    with pytest.raises(RegistryError):
        failing.writer_schema(77)
    with pytest.raises(RegistryError):
        failing.writer_id("castline.channels.ChannelCreated")


def test_a_schema_the_registry_refuses_is_a_mismatch() -> None:
    registry = ConfluentRegistry("http://registry.test", client=FakeRegistryClient(409))
    with pytest.raises(SchemaMismatch, match="refuses the local latest schema"):
        registry.writer_id("castline.channels.ChannelCreated")
