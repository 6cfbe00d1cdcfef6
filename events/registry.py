"""Schema ids: from the committed manifest (default) or a Confluent Schema Registry."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from fastavro import parse_schema

from events.errors import UnknownSchemaId

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"


class SchemaRegistry(Protocol):
    def writer_id(self, subject: str) -> int:
        """The id to write a subject's records with: its latest version."""

    def writer_schema(self, schema_id: int) -> Any:
        """The parsed schema a record with this id was written with."""

    def reader_schema(self, subject: str) -> Any:
        """The parsed latest local schema: the code's view of the record."""


@dataclass(frozen=True)
class ManifestEntry:
    id: int
    subject: str
    version: int
    file: str

    def raw(self, root: Path) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads((root / self.file).read_text())
        return loaded


def load_manifest(root: Path = SCHEMAS) -> list[ManifestEntry]:
    data = json.loads((root / "manifest.json").read_text())
    return [ManifestEntry(**entry) for entry in data["schemas"]]


class LocalSchemas:
    """Latest version of each subject, from the committed .avsc files."""

    def __init__(self, root: Path = SCHEMAS) -> None:
        self.root = root
        self.entries = load_manifest(root)
        self.latest: dict[str, ManifestEntry] = {}
        for entry in sorted(self.entries, key=lambda e: e.version):
            self.latest[entry.subject] = entry
        self.readers = {s: parse_schema(e.raw(root)) for s, e in self.latest.items()}

    def reader_schema(self, subject: str) -> Any:
        return self.readers[subject]


class ManifestRegistry(LocalSchemas):
    def __init__(self, root: Path = SCHEMAS) -> None:
        super().__init__(root)
        self.writers = {e.id: parse_schema(e.raw(root)) for e in self.entries}

    def writer_id(self, subject: str) -> int:
        return self.latest[subject].id

    def writer_schema(self, schema_id: int) -> Any:
        writer = self.writers.get(schema_id)
        if writer is None:
            raise UnknownSchemaId(f"schema id {schema_id} is not in the manifest")
        return writer
