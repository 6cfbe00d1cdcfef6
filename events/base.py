"""Base classes for everything Castline writes to a topic, and the register of message types.

A family base declares once what its messages share: their Avro namespace, their topic and
which field is their key. A class derived directly from a family base is a message type: its
Avro full name (its schema subject) is the namespace and the class name, and it registers
itself. A class derived from a message type is a variant under the same name, unregistered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar
from uuid import UUID, uuid4

# Filled as the message modules are imported: read it through events.types, which imports them.
REGISTERED: dict[str, type[Message]] = {}


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, kw_only=True)
class Message:
    """A record on a topic: its Avro name, its topic and which field is its key."""

    namespace: ClassVar[str]
    schema_name: ClassVar[str]
    topic: ClassVar[str]
    key_field: ClassVar[str]

    def __init_subclass__(
        cls,
        *,
        namespace: str | None = None,
        topic: str | None = None,
        key_field: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init_subclass__(**kwargs)
        if namespace is not None and topic is not None and key_field is not None:
            cls.namespace, cls.topic, cls.key_field = namespace, topic, key_field
        elif namespace is not None or topic is not None or key_field is not None:
            raise TypeError(f"{cls.__name__}: a family declares namespace, topic and key_field")
        elif any("namespace" in vars(base) for base in cls.__bases__):
            cls.schema_name = f"{cls.namespace}.{cls.__name__}"
            _register(cls)

    def key(self) -> str:
        return str(getattr(self, self.key_field))


def _register(cls: type[Message]) -> None:
    if cls.schema_name in REGISTERED:
        raise TypeError(f"two message types are named {cls.schema_name}")
    REGISTERED[cls.schema_name] = cls


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
