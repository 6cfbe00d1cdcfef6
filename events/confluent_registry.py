"""Schema ids from a Confluent Schema Registry (subjects by record name)."""

from __future__ import annotations

import json
from functools import cache
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

    @cache  # noqa: B019 - one instance per process, kept for its lifetime
    def writer_id(self, subject: str) -> int:
        raw = json.dumps(self.latest[subject].raw(self.root))
        schema_id: int = self.client.register_schema(subject, Schema(raw, "AVRO"))
        return schema_id

    @cache  # noqa: B019 - one instance per process, kept for its lifetime
    def writer_schema(self, schema_id: int) -> Any:
        try:
            schema = self.client.get_schema(schema_id)
        except SchemaRegistryError as error:
            raise UnknownSchemaId(f"schema id {schema_id}: {error}") from error
        if schema.schema_str is None:
            raise UnknownSchemaId(f"schema id {schema_id} has no schema text")
        return parse_schema(json.loads(schema.schema_str))
