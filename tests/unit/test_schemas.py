"""Schemas evolve, never break: every version ever written still decodes with today's reader."""

from __future__ import annotations

import io
import struct
from typing import Any

import pytest
from fastavro import parse_schema, schemaless_writer

from events.avro_schema import derive
from events.base import Message
from events.codec import Codec
from events.registry import SCHEMAS, ManifestEntry, ManifestRegistry, load_manifest
from events.types import ALL_MESSAGES, BY_SCHEMA_NAME

MANIFEST = load_manifest()


def sample_value(avro_type: Any) -> Any:
    """A valid datum for an Avro type (logical types included), for writing old versions."""
    if isinstance(avro_type, list):
        return sample_value(next(t for t in avro_type if t != "null"))
    if isinstance(avro_type, dict):
        logical = avro_type.get("logicalType")
        if logical == "uuid":
            return "6f1c1e2a-0000-4000-8000-000000000001"
        if logical == "timestamp-micros":
            return 1_700_000_000_000_000
        if avro_type["type"] == "array":
            return [sample_value(avro_type["items"])]
        return sample_value(avro_type["type"])
    return {"string": "s", "long": 7, "int": 7, "boolean": True, "double": 1.5}[avro_type]


def written_with(entry: ManifestEntry) -> bytes:
    raw = entry.raw(SCHEMAS)
    datum = {f["name"]: sample_value(f["type"]) for f in raw["fields"]}
    buffer = io.BytesIO()
    buffer.write(struct.pack(">bI", 0, entry.id))
    schemaless_writer(buffer, parse_schema(raw), datum)
    return buffer.getvalue()


@pytest.mark.parametrize("entry", MANIFEST, ids=lambda e: f"{e.subject}.v{e.version}")
def test_every_version_decodes_with_the_current_reader(entry: ManifestEntry) -> None:
    message = Codec(ManifestRegistry()).decode(written_with(entry))
    assert type(message) is BY_SCHEMA_NAME[entry.subject]


@pytest.mark.parametrize("cls", ALL_MESSAGES, ids=lambda c: c.__name__)
def test_each_dataclass_matches_its_latest_schema(cls: type[Message]) -> None:
    latest = max((e for e in MANIFEST if e.subject == cls.schema_name), key=lambda e: e.version)
    committed = latest.raw(SCHEMAS)
    derived = derive(cls)
    assert [f["name"] for f in committed["fields"]] == [f["name"] for f in derived["fields"]]
    assert [f["type"] for f in committed["fields"]] == [f["type"] for f in derived["fields"]]
    assert committed["name"] == derived["name"]
    assert committed["namespace"] == derived["namespace"]


def test_manifest_ids_are_unique_and_files_exist() -> None:
    ids = [e.id for e in MANIFEST]
    assert len(ids) == len(set(ids))
    assert len({(e.subject, e.version) for e in MANIFEST}) == len(MANIFEST)
    for entry in MANIFEST:
        assert (SCHEMAS / entry.file).is_file()
        assert entry.raw(SCHEMAS)["namespace"] + "." + entry.raw(SCHEMAS)["name"] == entry.subject


def test_every_message_type_has_a_schema() -> None:
    assert {cls.schema_name for cls in ALL_MESSAGES} == {e.subject for e in MANIFEST}
