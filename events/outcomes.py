"""What a decider answers to a command, keyed by command id, for the gateway that waits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from events.base import Event

OUTCOMES_TOPIC = "command-outcomes"


@dataclass(frozen=True, kw_only=True)
class CommandDecided(Event):
    """A decider answered a command: accepted (with event ids and log positions) or rejected.

    A rejection carries a machine error code; positions are "topic/partition/offset".
    """

    schema_name: ClassVar[str] = "castline.outcomes.CommandDecided"
    topic: ClassVar[str] = OUTCOMES_TOPIC
    key_field: ClassVar[str] = "command_id"

    command_id: str
    accepted: bool
    error: str | None = None
    message: str | None = None
    error_field: str | None = None
    event_ids: list[str] = field(default_factory=list)
    positions: list[str] = field(default_factory=list)
    retry_after_s: float | None = None  # v2: when the refusal is "not yet" (rate limits)
