"""Base classes for everything Castline writes to a topic."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import ClassVar
from uuid import UUID, uuid4


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, kw_only=True)
class Message:
    """A record on a topic: its Avro name, its topic and which field is its key."""

    schema_name: ClassVar[str]
    topic: ClassVar[str]
    key_field: ClassVar[str]

    def key(self) -> str:
        return str(getattr(self, self.key_field))


@dataclass(frozen=True, kw_only=True)
class Event(Message):
    """A fact, named in the past tense."""

    event_id: UUID = field(default_factory=uuid4)
    occurred_at: datetime = field(default_factory=utc_now)


@dataclass(frozen=True, kw_only=True)
class Command(Message):
    """A request for a decider; it becomes events or a rejection."""

    command_id: UUID = field(default_factory=uuid4)
    issued_at: datetime = field(default_factory=utc_now)
