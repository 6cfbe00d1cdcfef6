"""Ids and times of what a command leads to, derived from the command itself.

A decider that crashes after sending a decision's events and before saving its state decides
the command again: the events it sends then must be the same events, ids and times included,
so that every store counts each event id once (and the analytics sink, which finds a repeat by
its time and id, finds it).
"""

from __future__ import annotations

from dataclasses import replace
from uuid import NAMESPACE_URL, UUID, uuid5

from events.base import Command, Event
from processors.deciders.decisions import Rejected


def derived_id(kind: str, source: UUID | str) -> UUID:
    """The id of what `source` (a command id, a charge key…) leads to as `kind`."""
    return uuid5(NAMESPACE_URL, f"castline:{kind}:{source}")


def stamped(command: Command, decision: list[Event] | Rejected) -> list[Event] | Rejected:
    """The decision with each event's id derived from the command, the event's place in the
    decision and its type, and the command's issue time as the event's time."""
    if isinstance(decision, Rejected):
        return replace(decision, events=tuple(_stamped(command, decision.events)))
    return _stamped(command, decision)


def _stamped(command: Command, events: tuple[Event, ...] | list[Event]) -> list[Event]:
    return [replace(event, occurred_at=command.issued_at,
                    event_id=derived_id(f"{type(event).__name__}:{place}", command.command_id))
            for place, event in enumerate(events)]
