"""Avro in the Confluent wire format: magic byte 0, 4-byte big-endian schema id, Avro body."""

from __future__ import annotations

import dataclasses
import io
import struct
from typing import Any

from fastavro import schemaless_reader, schemaless_writer

from castline.settings import Settings
from events.base import Message
from events.errors import BadMagicByte, CorruptBody, UnknownRecordType
from events.registry import ManifestRegistry, SchemaRegistry
from events.types import BY_SCHEMA_NAME

HEADER = struct.Struct(">bI")
MAGIC = 0


class Codec:
    def __init__(self, registry: SchemaRegistry) -> None:
        self.registry = registry
        self._writers: dict[type[Message], tuple[bytes, Any, tuple[str, ...]]] = {}
        self._readers: dict[int, tuple[Any, Any, type[Message]]] = {}

    @classmethod
    def from_settings(cls, settings: Settings) -> Codec:
        if settings.schema_registry_url:
            from events.confluent_registry import ConfluentRegistry

            return cls(ConfluentRegistry(settings.schema_registry_url))
        return cls(ManifestRegistry())

    def encode(self, message: Message) -> bytes:
        header, schema, names = self._writer(type(message))
        buffer = io.BytesIO()
        buffer.write(header)
        schemaless_writer(buffer, schema, {name: getattr(message, name) for name in names})
        return buffer.getvalue()

    def decode(self, data: bytes) -> Message:
        if len(data) < HEADER.size or data[0] != MAGIC:
            raise BadMagicByte(
                f"not Confluent wire format: expected magic byte 0 and a 4-byte schema id, "
                f"got {data[:5]!r}"
            )
        _, schema_id = HEADER.unpack_from(data)
        writer, reader, cls = self._reader(schema_id)
        try:
            record = schemaless_reader(io.BytesIO(data[HEADER.size:]), writer, reader)
        except (EOFError, ValueError, IndexError, UnicodeDecodeError) as error:
            raise CorruptBody(f"schema id {schema_id}: body does not decode: {error}") from error
        return cls(**record)  # type: ignore[arg-type]

    def _writer(self, cls: type[Message]) -> tuple[bytes, Any, tuple[str, ...]]:
        cached = self._writers.get(cls)
        if cached is None:
            schema_id = self.registry.writer_id(cls.schema_name)
            names = tuple(f.name for f in dataclasses.fields(cls))
            cached = (HEADER.pack(MAGIC, schema_id), self.registry.writer_schema(schema_id), names)
            self._writers[cls] = cached
        return cached

    def _reader(self, schema_id: int) -> tuple[Any, Any, type[Message]]:
        cached = self._readers.get(schema_id)
        if cached is None:
            writer = self.registry.writer_schema(schema_id)
            cls = BY_SCHEMA_NAME.get(writer["name"])
            if cls is None:
                raise UnknownRecordType(f"schema id {schema_id} names {writer['name']!r}, "
                                        "a record this code does not know")
            reader = self.registry.reader_schema(cls.schema_name)
            # Resolution costs time; skip it when the writer already is the reader.
            same = self.registry.writer_id(cls.schema_name) == schema_id
            cached = (writer, None if same else reader, cls)
            self._readers[schema_id] = cached
        return cached
