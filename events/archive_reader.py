"""Reading an archive (events/archive_format): its topics, their files, their records.

Every failure to read is an ArchiveError naming the file: a missing or unreadable directory, a
file that is not an Avro container or not one of an archive, a damaged block, records out of
(partition, offset) order, or one position in two files.
"""

from __future__ import annotations

import dataclasses
import heapq
import json
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import fastavro
from fastavro.schema import SchemaParseException, UnknownType

from events.archive_format import EVENTS, KIND, SUFFIX, UNDECODABLE, ArchiveError

# What fastavro and the file system raise on bytes that are not a (whole) container file.
READ_ERRORS = (ValueError, EOFError, OSError, zlib.error, IndexError, OverflowError, KeyError,
               TypeError, SchemaParseException, UnknownType)


@dataclasses.dataclass(frozen=True)
class ArchivedRecord:
    """One archived message: `body` is the decoded event, or the raw value if undecodable."""

    path: Path
    partition: int
    offset: int
    timestamp: int | None
    key: bytes | None
    headers: list[tuple[str, bytes | None]]
    body: Any
    reason: str | None = None  # undecodable records: why, then the error
    error: str | None = None

    @property
    def position(self) -> tuple[int, int]:
        return self.partition, self.offset

    def where(self, topic: str) -> str:
        return f"{topic}/{self.partition}/{self.offset}"


@dataclasses.dataclass(frozen=True)
class ArchiveFile:
    path: Path
    kind: str  # EVENTS or UNDECODABLE
    event_schema: Any  # the events' writer schema (plain Avro JSON); None if undecodable

    @classmethod
    def open(cls, path: Path) -> ArchiveFile:
        """The file's header, checked: an Avro container written by an export."""
        try:
            with path.open("rb") as handle:
                metadata = fastavro.reader(handle).metadata
            kind = metadata.get(KIND)
            envelope = json.loads(metadata["avro.schema"])
        except OSError as error:
            raise ArchiveError(f"cannot read {path}: {error.strerror}") from error
        except READ_ERRORS as error:
            raise ArchiveError(f"{path}: not an Avro container file ({error})") from error
        if kind not in (EVENTS, UNDECODABLE):
            raise ArchiveError(f"{path}: an Avro container file, but not one of an archive "
                               f"(no {KIND} metadata)")
        if kind == UNDECODABLE:
            return cls(path, kind, None)
        listed = envelope.get("fields", []) if isinstance(envelope, dict) else []
        fields = {f.get("name"): f.get("type") for f in listed}
        if fields.get("event") is None:
            raise ArchiveError(f"{path}: an events file without an event field")
        return cls(path, kind, fields["event"])

    def records(self) -> Iterator[ArchivedRecord]:
        """The records, checked to be in (partition, offset) order."""
        previous = (-1, -1)
        try:
            with self.path.open("rb") as handle:
                for raw in fastavro.reader(handle, return_named_type=True):
                    record = self._record(raw)
                    if record.position <= previous:
                        raise ArchiveError(f"{self.path}: {record.position} after {previous}: "
                                           "not in (partition, offset) order")
                    previous = record.position
                    yield record
        except READ_ERRORS as error:
            raise ArchiveError(f"{self.path}: unreadable after (partition, offset) {previous}: "
                               f"{type(error).__name__}: {error}") from error

    def _record(self, raw: Any) -> ArchivedRecord:
        headers = [(h["key"], h["value"]) for h in raw["headers"]]
        position = (self.path, raw["partition"], raw["offset"], raw["timestamp"], raw["key"],
                    headers)
        if self.kind == EVENTS:
            return ArchivedRecord(*position, raw["event"])
        return ArchivedRecord(*position, raw["value"], raw["reason"], raw["error"])


def archive_topics(root: Path) -> dict[str, list[ArchiveFile]]:
    """Each archived topic's files, by topic name (the directory's)."""
    topics = {d.name: d for d in _entries(root) if d.is_dir()}
    if not topics:
        raise ArchiveError(f"{root} holds no archive (no topic directories of .avro files)")
    return {name: [ArchiveFile.open(p) for p in _topic_files(d)] for name, d in topics.items()}


def _entries(directory: Path) -> list[Path]:
    """The directory's entries, hidden ones (an export's staging) left out."""
    if not directory.exists():
        raise ArchiveError(f"no archive at {directory}: no such directory")
    if not directory.is_dir():
        raise ArchiveError(f"{directory} is not a directory")
    try:
        return sorted(p for p in directory.iterdir() if not p.name.startswith("."))
    except OSError as error:
        raise ArchiveError(f"cannot read {directory}: {error.strerror}") from error


def _topic_files(directory: Path) -> list[Path]:
    files = _entries(directory)
    stray = [p for p in files if p.suffix != SUFFIX or not p.is_file()]
    if stray:
        raise ArchiveError(f"{stray[0]}: not part of an archive (a topic directory holds only "
                           f"{SUFFIX} files)")
    return files


def merged(topic: str, files: Iterable[ArchiveFile]) -> Iterator[ArchivedRecord]:
    """The records of several files in (partition, offset) order; one position only once."""
    previous: ArchivedRecord | None = None
    for record in heapq.merge(*(f.records() for f in files), key=lambda r: r.position):
        if previous is not None and previous.position == record.position:
            raise ArchiveError(f"{record.where(topic)} is in two files: {previous.path.name} "
                               f"and {record.path.name}")
        previous = record
        yield record
