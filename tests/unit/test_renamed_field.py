"""A field renamed with an Avro alias: ViewHeartbeat v2 calls v1's `viewer` `viewer_id`.

v1 events stay in the log; the codec reads them into the new field and writes only the latest
version (tests/integration/test_renamed_field.py: the viewer counter reads both alike).
"""

from __future__ import annotations

import io
import json
import shutil
import struct
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import pytest
from fastavro import parse_schema, schemaless_reader, schemaless_writer

from events.avro_schema import write_version
from events.codec import Codec
from events.registry import SCHEMAS, ManifestEntry, ManifestRegistry, latest_versions, load_manifest
from events.schema_check import check
from events.views import ViewHeartbeat

SUBJECT = ViewHeartbeat.schema_name
V1_ID = 30  # schema ids never change: v1 events in the log carry this one
AT = datetime(2026, 3, 1, 20, 15, 30, 123_456, tzinfo=UTC)
EVENT_ID = UUID("0b8f5a52-6f7e-4c8e-9d0a-3f1e2d4c5b6a")


def entry(version: int) -> ManifestEntry:
    [found] = [e for e in load_manifest() if e.subject == SUBJECT and e.version == version]
    return found


def v1_bytes(viewer: str, user_id: str | None, channel: str = "abcd") -> bytes:
    """What a v1 producer wrote: the v1 schema's id, then the record in the v1 schema."""
    body = io.BytesIO()
    schemaless_writer(body, parse_schema(entry(1).raw()), {
        "event_id": EVENT_ID, "occurred_at": AT, "channel": channel, "viewer": viewer,
        "player_session": "player-0001", "user_id": user_id, "quality": "720p",
    })
    return struct.pack(">BI", 0, V1_ID) + body.getvalue()


@pytest.fixture(scope="module")
def codec() -> Codec:
    return Codec(ManifestRegistry())


@pytest.mark.parametrize(("viewer", "user_id"), [("anon:player-0001", None), ("u1", "u1")])
def test_v1_bytes_decode_into_the_renamed_field(codec: Codec, viewer: str,
                                               user_id: str | None) -> None:
    assert entry(1).id == V1_ID
    assert codec.decode(v1_bytes(viewer, user_id)) == ViewHeartbeat(
        event_id=EVENT_ID, occurred_at=AT, channel="abcd", viewer_id=viewer,
        player_session="player-0001", user_id=user_id, quality="720p")


def test_the_codec_writes_the_new_version_with_the_new_name(codec: Codec) -> None:
    latest = latest_versions(load_manifest())[SUBJECT]
    data = codec.encode(ViewHeartbeat(channel="abcd", viewer_id="u1", player_session="p" * 8))
    assert latest.version >= 2
    assert struct.unpack(">BI", data[:5]) == (0, latest.id)
    record = schemaless_reader(io.BytesIO(data[5:]), parse_schema(latest.raw()), None)
    assert isinstance(record, dict)
    assert record["viewer_id"] == "u1"
    assert "viewer" not in record


def test_a_later_version_keeps_the_alias(tmp_path: Path) -> None:
    root = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, root)
    version = write_version(root, ViewHeartbeat)
    written = json.loads((root / "views" / f"ViewHeartbeat.v{version}.avsc").read_text())
    [field] = [f for f in written["fields"] if f["name"] == "viewer_id"]
    assert field["aliases"] == ["viewer"]
    assert check(root) == []
