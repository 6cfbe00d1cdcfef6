"""What every decider shares: rejections and remembered outcomes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from events.base import Event
from events.outcomes import CommandDecided

RECENT_COMMANDS_KEPT = 32


@dataclass(frozen=True)
class Rejected:
    """A refusal; `events` record the attempt where the refusal itself is a fact worth keeping."""

    error: str
    message: str
    field: str | None = None
    events: tuple[Event, ...] = ()
    retry_after_s: float | None = None


@dataclass(frozen=True)
class RememberedOutcome:
    command_id: str
    error: str | None = None
    message: str | None = None
    field: str | None = None
    event_ids: tuple[str, ...] = ()
    positions: tuple[str, ...] = ()
    retry_after_s: float | None = None

    @classmethod
    def rejected(cls, command_id: str, rejection: Rejected) -> RememberedOutcome:
        return cls(command_id, rejection.error, rejection.message, rejection.field,
                   retry_after_s=rejection.retry_after_s)

    @classmethod
    def load(cls, stored: dict[str, Any]) -> RememberedOutcome:
        return cls(**{**stored, "event_ids": tuple(stored["event_ids"]),
                      "positions": tuple(stored["positions"])})

    def decided(self) -> CommandDecided:
        return CommandDecided(
            command_id=self.command_id, accepted=self.error is None, error=self.error,
            message=self.message, error_field=self.field, event_ids=list(self.event_ids),
            positions=list(self.positions), retry_after_s=self.retry_after_s,
        )


def recent_window(
    recent: tuple[RememberedOutcome, ...], outcome: RememberedOutcome
) -> tuple[RememberedOutcome, ...]:
    """Keep the last few outcomes so a redelivered or retried command is answered the same
    way, not applied twice."""
    return (*recent, outcome)[-RECENT_COMMANDS_KEPT:]
