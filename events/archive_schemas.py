"""The current registry's id for an archived writer schema, so imported events carry it.

With the committed manifest, the id of the manifest version that is exactly this schema; with
a Confluent Schema Registry, the id it answers when the schema is registered under its subject
(RecordNameStrategy), which is the existing id when the schema is already there. Either way the
registry's schema for that id is checked to be exactly the archived one, and an event written
with it is checked to be readable by the platform's codec.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from io import BytesIO
from typing import Any

from fastavro import parse_schema, schemaless_writer

from events.archive_format import ArchiveError, schema_identity, subject_of
from events.codec import BODY_ERRORS, HEADER, MAGIC
from events.confluent_registry import ConfluentRegistry, RegistryError
from events.errors import UndecodableMessage
from events.registry import ManifestRegistry, SchemaRegistry

# What fastavro raises on a datum its schema cannot carry.
ENCODE_ERRORS = (*BODY_ERRORS, TypeError, KeyError, AttributeError)


class Encoder:
    """Encodes archived events of one writer schema in the wire format under a given id."""

    def __init__(self, schema_id: int, schema: Any) -> None:
        self.schema_id = schema_id
        self.header = HEADER.pack(MAGIC, schema_id)
        self.schema = parse_schema(schema)

    def encode(self, event: Any) -> bytes:
        """The wire-format bytes; ValueError when the event does not fit its schema."""
        buffer = BytesIO()
        buffer.write(self.header)
        try:
            schemaless_writer(buffer, self.schema, event)
        except ENCODE_ERRORS as error:
            raise ValueError(f"{type(error).__name__}: {error}") from error
        return buffer.getvalue()


class SchemaIds:
    """Ids of archived schemas in the current registry (`decode` is the platform's codec)."""

    def __init__(self, registry: SchemaRegistry, decode: Callable[[bytes], object]) -> None:
        self.registry = registry
        self.decode = decode
        self._manifest: dict[str, int] | None = None

    def encoder(self, schema: Any, sample: Any, where: str) -> Encoder:
        """An encoder for `schema`, checked with one of its events (`where` names it)."""
        encoder = Encoder(self.id_for(schema), schema)
        try:
            self.decode(encoder.encode(sample))
        except (UndecodableMessage, ValueError) as error:
            raise ArchiveError(f"{where}: the platform's codec cannot read {subject_of(schema)} "
                               f"written with schema id {encoder.schema_id}: {error}") from error
        return encoder

    def id_for(self, schema: Any) -> int:
        identity = schema_identity(schema)
        schema_id = self._registered(schema, identity)
        if schema_identity(self.registry.writer_schema(schema_id)) != identity:
            raise ArchiveError(f"schema id {schema_id} of {subject_of(schema)} in the registry "
                               "is not exactly the archived schema")
        return schema_id

    def _registered(self, schema: Any, identity: str) -> int:
        if isinstance(self.registry, ManifestRegistry):
            found = self._manifest_ids(self.registry).get(identity)
            if found is None:
                raise ArchiveError(f"the archived schema of {subject_of(schema)} is none of the "
                                   "committed versions in schemas/manifest.json")
            return found
        if isinstance(self.registry, ConfluentRegistry):
            try:
                return self.registry.client.register(subject_of(schema), json.dumps(schema))
            except RegistryError as error:
                raise ArchiveError(f"{self.registry.url} did not register the archived schema "
                                   f"of {subject_of(schema)}: {error}") from error
        raise ArchiveError(f"cannot look schemas up in a {type(self.registry).__name__}")

    def _manifest_ids(self, registry: ManifestRegistry) -> dict[str, int]:
        if self._manifest is None:
            self._manifest = {schema_identity(registry.writer_schema(entry.id)): entry.id
                              for entry in registry.entries}
        return self._manifest
