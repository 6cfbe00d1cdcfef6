"""Schema ids: from the committed manifest (default) or a Confluent Schema Registry.

Subjects follow the RecordNameStrategy: a subject is the record's Avro full name. Every schema
is parsed once (fastavro.parse_schema) and kept; the decode path only does dict lookups.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from fastavro import parse_schema

from events.errors import SchemaMismatch, UnknownSchemaId

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
MANIFEST = "manifest.json"


class SchemaRegistry(Protocol):
    def writer_id(self, subject: str) -> int:
        """The id to write a subject's records with: its latest version."""

    def writer_schema(self, schema_id: int) -> Any:
        """The parsed schema a record with this id was written with (or UnknownSchemaId)."""

    def reader_schema(self, subject: str) -> Any:
        """The parsed latest local schema: the code's view of the record."""


@dataclass(frozen=True)
class ManifestEntry:
    """One schema version: ids are stable forever, a new version gets a new id."""

    id: int
    subject: str
    version: int
    file: str

    def raw(self, root: Path = SCHEMAS) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads((root / self.file).read_text())
        return loaded


def load_manifest(root: Path = SCHEMAS) -> list[ManifestEntry]:
    data = json.loads((root / MANIFEST).read_text())
    return [ManifestEntry(**entry) for entry in data["schemas"]]


def latest_versions(entries: list[ManifestEntry]) -> dict[str, ManifestEntry]:
    """The highest version of each subject."""
    latest: dict[str, ManifestEntry] = {}
    for entry in sorted(entries, key=lambda e: e.version):
        latest[entry.subject] = entry
    return latest


class LocalSchemas:
    """Latest version of each subject, from the committed .avsc files: the reader schemas."""

    def __init__(self, root: Path = SCHEMAS) -> None:
        self.root = root
        self.entries = load_manifest(root)
        self.latest = latest_versions(self.entries)
        self.readers = {s: parse_schema(e.raw(root)) for s, e in self.latest.items()}

    def latest_entry(self, subject: str) -> ManifestEntry:
        entry = self.latest.get(subject)
        if entry is None:
            raise SchemaMismatch(
                f"no schema for {subject} in {self.root / MANIFEST}; "
                "write one with `python -m events.avro_schema --add-new`"
            )
        return entry

    def reader_schema(self, subject: str) -> Any:
        reader = self.readers.get(subject)
        if reader is None:
            self.latest_entry(subject)  # raises the explanation
        return reader


class ManifestRegistry(LocalSchemas):
    """Ids from the committed manifest: no server needed."""

    def __init__(self, root: Path = SCHEMAS) -> None:
        super().__init__(root)
        self.writers = {e.id: parse_schema(e.raw(root)) for e in self.entries}

    def writer_id(self, subject: str) -> int:
        return self.latest_entry(subject).id

    def writer_schema(self, schema_id: int) -> Any:
        writer = self.writers.get(schema_id)
        if writer is None:
            raise UnknownSchemaId(
                f"schema id {schema_id} is not in the manifest {self.root / MANIFEST} "
                f"({len(self.writers)} ids known, the highest {max(self.writers, default=0)})"
            )
        return writer
