"""`castline schemas check`: refuse a schema change that would break reading the log.

Every event ever written stays readable: for each subject, its latest schema must read data
written with each of its versions (Avro schema resolution: added fields need defaults, renamed
ones aliases, types may only be promoted). And each message dataclass must be what its latest
schema says, so that a changed dataclass comes with a new schema version.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from fastavro import parse_schema, schemaless_reader, schemaless_writer
from fastavro.read import SchemaResolutionError
from fastavro.utils import generate_one

from events.avro_schema import derive
from events.registry import SCHEMAS, ManifestEntry, latest_versions, load_manifest
from events.types import BY_SCHEMA_NAME

SAMPLES = 20  # random records written with each older version


def check(root: Path = SCHEMAS) -> list[str]:
    """Every problem found, as a sentence; none means the schemas are safe to ship."""
    entries = load_manifest(root)
    latest = latest_versions(entries)
    problems = [p for e in entries if (p := _unreadable(e, latest[e.subject], root))]
    for subject, entry in sorted(latest.items()):
        cls = BY_SCHEMA_NAME.get(subject)
        if cls is None:
            problems.append(f"{subject}: no message type has this schema name")
        elif _fields(derive(cls)) != _fields(entry.raw(root)):
            problems.append(
                f"{cls.__name__} no longer matches {subject} v{entry.version}: write its next "
                f"version with `python -m events.avro_schema --new-version {subject}`")
    return problems


def _unreadable(written: ManifestEntry, reading: ManifestEntry, root: Path) -> str | None:
    writer = parse_schema(written.raw(root))
    reader = parse_schema(reading.raw(root))
    for _ in range(SAMPLES):
        buffer = io.BytesIO()
        schemaless_writer(buffer, writer, generate_one(writer))
        buffer.seek(0)
        try:
            schemaless_reader(buffer, writer, reader)
        except SchemaResolutionError as error:
            return (f"{written.subject}: v{reading.version} cannot read events written with "
                    f"v{written.version}: {error}")
    return None


def _fields(schema: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(f["name"], repr(f["type"]), repr(f.get("default", "<none>")))
            for f in schema["fields"]]
