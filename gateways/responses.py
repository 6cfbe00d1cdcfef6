"""The shape of a write's answer: what was written, its event id and its log position."""

from __future__ import annotations

from typing import Any

from events.outcomes import CommandDecided
from events.positions import Position


def written(outcome: CommandDecided, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "data": data,
        "event_id": outcome.event_ids[0] if outcome.event_ids else None,
        "position": outcome.positions[-1] if outcome.positions else None,
    }


def appended(event_id: str, position: Position, data: dict[str, Any]) -> dict[str, Any]:
    """A fact the gateway wrote itself (no decider): accepted once the broker has it."""
    return {"data": data, "event_id": event_id, "position": position.token}
