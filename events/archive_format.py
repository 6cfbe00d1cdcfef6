"""The archive format of `castline events export` / `import`: Avro object container files.

An archive is a directory with one sub-directory per topic. In it, one container file per
writer schema id, `<subject>.v<version>.avro` (`<subject>.id<id>.avro` when the schema is not a
committed version), whose records are envelopes: the log position (topic, partition, offset,
timestamp in ms, key, headers) and `event`, the event decoded with its own writer schema, which
the file's header embeds, so the archive is readable without any registry. Messages that could
not be decoded go to `undecodable.avro`: the envelope, the raw value and the reason.

Every file is written in (partition, offset) order; file metadata says what the file is.
"""

from __future__ import annotations

import json
from typing import Any

from fastavro import parse_schema

from events.registry import ManifestEntry


class ArchiveError(Exception):
    """Why an export or import cannot go on, in one line with its context."""


KIND = "castline.archive"  # metadata: "events" or "undecodable"
EVENTS, UNDECODABLE = "events", "undecodable"
TOPIC = "castline.topic"
SCHEMA_ID = "castline.schema_id"  # the writer schema id the events had on the source topic
CODEC = "deflate"
SUFFIX = ".avro"
UNDECODABLE_FILE = UNDECODABLE + SUFFIX

_POSITION: list[dict[str, Any]] = [
    {"name": "topic", "type": "string"},
    {"name": "partition", "type": "int"},
    {"name": "offset", "type": "long"},
    {"name": "timestamp", "type": ["null", "long"], "doc": "ms since the epoch"},
    {"name": "key", "type": ["null", "bytes"]},
    {"name": "headers", "type": {"type": "array", "items": {
        "type": "record", "name": "Header",
        "fields": [{"name": "key", "type": "string"},
                   {"name": "value", "type": ["null", "bytes"]}]}}},
]

UNDECODABLE_ENVELOPE: dict[str, Any] = {
    "type": "record", "name": "UndecodableMessage", "namespace": "castline.archive",
    "doc": "A message that could not be decoded, as it was on the topic.",
    "fields": [*_POSITION,
               {"name": "value", "type": ["null", "bytes"]},
               {"name": "reason", "type": "string", "doc": "a machine code"},
               {"name": "error", "type": "string"}],
}


def event_envelope(writer_schema: Any) -> dict[str, Any]:
    """The envelope of the events of one writer schema (a plain, unparsed schema)."""
    return {
        "type": "record", "name": "ArchivedEvent", "namespace": "castline.archive",
        "doc": "An event and where it was in the log.",
        "fields": [*_POSITION, {"name": "event", "type": writer_schema}],
    }


def plain_schema(schema: Any) -> Any:
    """A schema without fastavro's bookkeeping (keys starting with "__"): valid Avro JSON."""
    if isinstance(schema, dict):
        return {k: plain_schema(v) for k, v in schema.items() if not k.startswith("__")}
    if isinstance(schema, list):
        return [plain_schema(item) for item in schema]
    return schema


def schema_identity(schema: Any) -> str:
    """Equal for exactly the same schema however it is written (names qualified, key order,
    parsed or not); docs, defaults and logical types count."""
    return json.dumps(plain_schema(parse_schema(schema)), sort_keys=True)


def subject_of(schema: Any) -> str:
    """The schema's subject (RecordNameStrategy): the record's full name."""
    parsed = parse_schema(schema)
    name = parsed.get("name") if isinstance(parsed, dict) else None
    return name if isinstance(name, str) else "unnamed"


def versions_by_identity(entries: list[ManifestEntry]) -> dict[str, ManifestEntry]:
    """The committed schema versions, found by schema identity."""
    return {schema_identity(entry.raw()): entry for entry in entries}


def file_name(subject: str, version: int | None, schema_id: int) -> str:
    """`<subject>.v<version>.avro` for a committed version, else `<subject>.id<id>.avro`."""
    if version is None:
        return f"{subject}.id{schema_id}{SUFFIX}"
    return f"{subject}.v{version}{SUFFIX}"


def parse_topic_map(pairs: tuple[str, ...]) -> dict[str, str]:
    """OLD=NEW pairs as a mapping; ArchiveError names a malformed or repeated one."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        old, sep, new = pair.partition("=")
        if not sep or not old or not new or "=" in new:
            raise ArchiveError(f"--topic-map {pair!r}: expected OLD=NEW")
        if old in mapping:
            raise ArchiveError(f"--topic-map names {old!r} twice")
        mapping[old] = new
    return mapping
