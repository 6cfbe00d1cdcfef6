"""Schema ids from a Confluent Schema Registry (RecordNameStrategy: subject = record full name).

Writer ids come from registering the local latest schema of a subject (the registry answers the
existing id when that schema is already there). Writer schemas are fetched by id once and kept
parsed. Reader schemas stay local: the code's view of a record is the committed .avsc.
Only "not found" becomes UnknownSchemaId; an unreachable or failing registry raises as it is,
so a registry outage stops a consumer instead of parking good messages as dead letters.

confluent_kafka.schema_registry is imported only when a registry is used: it needs the
`schemaregistry` extra of confluent-kafka (httpx, cachetools, attrs, authlib).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from fastavro import parse_schema

from events.errors import SchemaMismatch, UnknownSchemaId
from events.registry import SCHEMAS, LocalSchemas

NOT_FOUND = 404
CONFLICT = 409


class RegistryError(Exception):
    """The registry answered an error (status is the HTTP status, -1 when there was none)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class RegistryClient(Protocol):
    def register(self, subject: str, schema_str: str) -> int:
        """Register an Avro schema under a subject (or find it there); its global id."""

    def fetch(self, schema_id: int) -> tuple[str | None, str]:
        """(schema type, schema text) of a global id; None as the type means Avro."""


class ConfluentClient:
    """RegistryClient over confluent_kafka's SchemaRegistryClient."""

    def __init__(self, url: str) -> None:
        try:
            from confluent_kafka.schema_registry import SchemaRegistryClient
        except ImportError as error:
            raise RuntimeError(
                "a schema registry URL is set but confluent_kafka.schema_registry does not "
                f"import ({error}); install confluent-kafka[schemaregistry]"
            ) from error
        self.client = SchemaRegistryClient({"url": url})

    def register(self, subject: str, schema_str: str) -> int:
        from confluent_kafka.schema_registry import Schema

        with _translated_errors():
            return int(self.client.register_schema(subject, Schema(schema_str, "AVRO")))

    def fetch(self, schema_id: int) -> tuple[str | None, str]:
        with _translated_errors():
            schema = self.client.get_schema(schema_id)
        return schema.schema_type, schema.schema_str or ""


@contextmanager
def _translated_errors() -> Iterator[None]:
    from confluent_kafka.schema_registry.error import SchemaRegistryError

    try:
        yield
    except SchemaRegistryError as error:
        raise RegistryError(error.http_status_code, str(error)) from error


class ConfluentRegistry(LocalSchemas):
    """Registers the local latest schema of a subject to learn its id; reads writers by id."""

    def __init__(
        self, url: str, root: Path = SCHEMAS, client: RegistryClient | None = None
    ) -> None:
        super().__init__(root)
        self.url = url
        self.client: RegistryClient = client if client is not None else ConfluentClient(url)
        self.ids: dict[str, int] = {}
        self.writers: dict[int, Any] = {}

    def writer_id(self, subject: str) -> int:
        schema_id = self.ids.get(subject)
        if schema_id is None:
            raw = json.dumps(self.latest_entry(subject).raw(self.root))
            try:
                schema_id = self.client.register(subject, raw)
            except RegistryError as error:
                if error.status != CONFLICT:
                    raise
                raise SchemaMismatch(
                    f"{self.url} refuses the local latest schema of {subject}: {error}"
                ) from error
            self.ids[subject] = schema_id
        return schema_id

    def writer_schema(self, schema_id: int) -> Any:
        writer = self.writers.get(schema_id)
        if writer is None:
            writer = self.writers[schema_id] = parse_schema(self._fetch(schema_id))
        return writer

    def _fetch(self, schema_id: int) -> Any:
        try:
            schema_type, text = self.client.fetch(schema_id)
        except RegistryError as error:
            if error.status != NOT_FOUND:
                raise
            raise UnknownSchemaId(f"schema id {schema_id} is not in {self.url}: {error}") from error
        if schema_type not in (None, "AVRO") or not text:
            raise UnknownSchemaId(
                f"schema id {schema_id} in {self.url} is not an Avro schema (type {schema_type})"
            )
        return json.loads(text)
