"""Records as a feed reads them from the log, before and after decoding."""

from __future__ import annotations

from dataclasses import dataclass

from events.base import Message
from events.dead_letters import Header
from events.errors import UnprocessableMessage


@dataclass(frozen=True, slots=True)
class LogRecord:
    """A message as read from Kafka, not yet decoded; `refusal` is why it is to be parked
    instead of applied (found when applying it failed)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: tuple[Header, ...] = ()
    timestamp_ms: int | None = None
    refusal: UnprocessableMessage | None = None


@dataclass(frozen=True, slots=True)
class Envelope:
    """A decoded message with its position in the log."""

    topic: str
    partition: int
    offset: int
    message: Message
