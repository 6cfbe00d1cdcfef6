"""Schema ids from a Confluent Schema Registry (subjects by record name)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError
from fastavro import parse_schema

from events.errors import UnknownSchemaId
from events.registry import SCHEMAS, LocalSchemas


class ConfluentRegistry(LocalSchemas):
    """Registers the local latest schema of a subject to learn its id; reads writers by id."""

    def __init__(self, url: str, root: Path = SCHEMAS) -> None:
        super().__init__(root)
        self.client = SchemaRegistryClient({"url": url})
        self.ids: dict[str, int] = {}
        self.writers: dict[int, Any] = {}

    def writer_id(self, subject: str) -> int:
        if subject not in self.ids:
            raw = json.dumps(self.latest[subject].raw(self.root))
            self.ids[subject] = self.client.register_schema(subject, Schema(raw, "AVRO"))
        return self.ids[subject]

    def writer_schema(self, schema_id: int) -> Any:
        if schema_id not in self.writers:
            try:
                schema = self.client.get_schema(schema_id)
            except SchemaRegistryError as error:
                raise UnknownSchemaId(f"schema id {schema_id}: {error}") from error
            if schema.schema_str is None:
                raise UnknownSchemaId(f"schema id {schema_id} has no schema text")
            self.writers[schema_id] = parse_schema(json.loads(schema.schema_str))
        return self.writers[schema_id]
