"""What a decider answers to a command, keyed by command id, for the gateway that waits."""

from __future__ import annotations

from dataclasses import dataclass, field

from events.base import Event

OUTCOMES_TOPIC = "command-outcomes"


@dataclass(frozen=True, kw_only=True)
class OutcomeEvent(
    Event, namespace="castline.outcomes", topic=OUTCOMES_TOPIC, key_field="command_id"
):
    """A decider's answer to one command."""


@dataclass(frozen=True, kw_only=True)
class CommandDecided(OutcomeEvent):
    """A decider answered a command: accepted (with event ids and log positions) or rejected.

    A rejection carries a machine error code; positions are "topic/partition/offset".
    """

    command_id: str
    accepted: bool
    error: str | None = None
    message: str | None = None
    error_field: str | None = None
    event_ids: list[str] = field(default_factory=list)
    positions: list[str] = field(default_factory=list)
    retry_after_s: float | None = None  # v2: when the refusal is "not yet" (rate limits)
