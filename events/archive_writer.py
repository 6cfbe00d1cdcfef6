"""Writing one topic's archive: a container file per writer schema id, and undecodable.avro.

Events are decoded with their writer schema only (no resolution to the code's reader schema),
so the archive keeps each event exactly as it was written, whatever version that was. Named
types inside unions are kept as (name, value) pairs, so a union branch cannot change.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from types import TracebackType
from typing import IO, Any, TextIO

from confluent_kafka import TIMESTAMP_NOT_AVAILABLE, Message
from fastavro import schemaless_reader
from fastavro.write import Writer

from events.archive_format import (
    CODEC,
    EVENTS,
    KIND,
    SCHEMA_ID,
    TOPIC,
    UNDECODABLE,
    UNDECODABLE_ENVELOPE,
    UNDECODABLE_FILE,
    event_envelope,
    file_name,
    plain_schema,
    schema_identity,
    subject_of,
)
from events.codec import BODY_ERRORS, HEADER, MAGIC
from events.errors import BadMagicByte, CorruptBody, TruncatedMessage, UndecodableMessage
from events.registry import ManifestEntry

WriterSchema = Callable[[int], Any]  # schema id -> parsed writer schema, or UnknownSchemaId


class EmptyValue(UndecodableMessage):
    """The message has no value at all (a tombstone)."""

    reason = "empty_value"


def decode_with_writer(value: bytes | None, writer_schema: WriterSchema) -> tuple[int, Any]:
    """(schema id, the record as its writer schema reads it); UndecodableMessage when not."""
    if value is None:
        raise EmptyValue("the message has no value (a tombstone)")
    if value[:1] not in (b"", bytes([MAGIC])):
        raise BadMagicByte(f"not Confluent wire format: starts with {bytes(value[:5])!r}")
    if len(value) < HEADER.size:
        raise TruncatedMessage(f"{len(value)} bytes: shorter than the 5-byte header")
    schema_id = HEADER.unpack_from(value)[1]
    schema = writer_schema(schema_id)
    buffer = BytesIO(value)
    buffer.seek(HEADER.size)
    try:
        record = schemaless_reader(buffer, schema, None, return_named_type=True)
    except BODY_ERRORS as error:
        raise CorruptBody(f"schema id {schema_id}: the body does not decode: "
                          f"{type(error).__name__}: {error}") from error
    if buffer.tell() != len(value):
        raise CorruptBody(f"schema id {schema_id}: {len(value) - buffer.tell()} bytes left "
                          "over after the record")
    return schema_id, record


def position_fields(message: Message) -> dict[str, Any]:
    """The envelope's log position of a consumed message."""
    kind, stamp = message.timestamp()
    return {
        "topic": message.topic(), "partition": message.partition(), "offset": message.offset(),
        "timestamp": None if kind == TIMESTAMP_NOT_AVAILABLE else stamp,
        "key": message.key(),
        "headers": _headers(message),
    }


def _headers(message: Message) -> list[dict[str, Any]]:
    headers = message.headers() or []
    pairs = headers.items() if isinstance(headers, dict) else headers
    return [{"key": k, "value": v.encode() if isinstance(v, str) else v} for k, v in pairs]


def where(message: Message) -> str:
    return f"{message.topic()}/{message.partition()}/{message.offset()}"


@dataclasses.dataclass
class TopicSummary:
    topic: str
    events: int = 0
    undecodable: int = 0
    files: list[str] = dataclasses.field(default_factory=list)  # event files, not undecodable

    def line(self) -> str:
        """The one-line summary: events written, files, undecodable messages."""
        bad = f", {self.undecodable} undecodable in {UNDECODABLE_FILE}" if self.undecodable else ""
        return f"{self.topic}: {self.events} events in {len(self.files)} files{bad}"


class _File:
    def __init__(self, path: Path, schema: Any, metadata: dict[str, str]) -> None:
        self.handle: IO[bytes] = path.open("xb")
        self.writer = Writer(self.handle, schema, codec=CODEC, metadata=metadata)

    def close(self) -> None:
        try:
            self.writer.flush()
        finally:
            self.handle.close()


class TopicArchive:
    """One topic's files in `directory`; use as a context manager (files closed on exit)."""

    def __init__(self, directory: Path, topic: str, writer_schema: WriterSchema,
                 versions: dict[str, ManifestEntry], errors: TextIO) -> None:
        self.directory, self.writer_schema, self.versions = directory, writer_schema, versions
        self.errors = errors
        self.summary = TopicSummary(topic)
        self._files: dict[int | None, _File] = {}  # None: the undecodable file

    def add(self, message: Message) -> None:
        position = position_fields(message)
        try:
            schema_id, event = decode_with_writer(message.value(), self.writer_schema)
        except UndecodableMessage as error:
            self._undecodable(message, position, error)
            return
        (self._files.get(schema_id) or self._open(schema_id)).writer.write(
            {**position, "event": event})
        self.summary.events += 1

    def _undecodable(self, message: Message, position: dict[str, Any],
                     error: UndecodableMessage) -> None:
        self.errors.write(f"undecodable message at {where(message)}: {error.reason}: {error}\n")
        if None not in self._files:
            self._files[None] = self._new_file(UNDECODABLE_FILE, UNDECODABLE_ENVELOPE,
                                               {KIND: UNDECODABLE})
        record = {**position, "value": message.value(), "reason": error.reason,
                  "error": str(error)}
        self._files[None].writer.write(record)
        self.summary.undecodable += 1

    def _open(self, schema_id: int) -> _File:
        schema = plain_schema(self.writer_schema(schema_id))
        entry = self.versions.get(schema_identity(schema))
        name = file_name(subject_of(schema), entry.version if entry else None, schema_id)
        if name in self.summary.files:  # the same schema under two ids: keep them apart
            name = file_name(subject_of(schema), None, schema_id)
        opened = self._files[schema_id] = self._new_file(
            name, event_envelope(schema), {KIND: EVENTS, SCHEMA_ID: str(schema_id)})
        self.summary.files.append(name)
        return opened

    def _new_file(self, name: str, schema: Any, metadata: dict[str, str]) -> _File:
        return _File(self.directory / name, schema, {**metadata, TOPIC: self.summary.topic})

    def __enter__(self) -> TopicArchive:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        files, self._files = list(self._files.values()), {}
        for opened in files:
            opened.close()
