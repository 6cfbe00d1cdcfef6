"""The channel decider: pure decide/evolve for one channel's commands."""

from __future__ import annotations

from dataclasses import dataclass, replace

from events.base import Event
from events.channels import ChannelCreated, ChannelInfoUpdated, CreateChannel, UpdateChannelInfo
from processors.decisions import Rejected, RememberedOutcome, recent_window

ChannelCommand = CreateChannel | UpdateChannelInfo


@dataclass(frozen=True)
class ChannelState:
    exists: bool = False
    title: str = ""
    category: str = ""
    recent: tuple[RememberedOutcome, ...] = ()

    def outcome_of(self, command_id: str) -> RememberedOutcome | None:
        return next((o for o in self.recent if o.command_id == command_id), None)


def decide(state: ChannelState, command: ChannelCommand) -> list[Event] | Rejected:
    if isinstance(command, CreateChannel):
        return _create(state, command)
    return _update(state, command)


def _create(state: ChannelState, command: CreateChannel) -> list[Event] | Rejected:
    if state.exists:
        return Rejected("channel_exists", f"channel {command.channel!r} already exists", "name")
    return [
        ChannelCreated(
            channel=command.channel, display_name=command.display_name, title=command.title,
            category=command.category, command_id=str(command.command_id),
        )
    ]


def _update(state: ChannelState, command: UpdateChannelInfo) -> list[Event] | Rejected:
    if not state.exists:
        return Rejected("channel_not_found", f"no channel named {command.channel!r}")
    title = command.title if command.title not in (None, state.title) else None
    category = command.category if command.category not in (None, state.category) else None
    if title is None and category is None:
        return []
    return [
        ChannelInfoUpdated(
            channel=command.channel, title=title, category=category,
            command_id=str(command.command_id),
        )
    ]


def evolve(state: ChannelState, event: Event) -> ChannelState:
    if isinstance(event, ChannelCreated):
        return replace(state, exists=True, title=event.title, category=event.category)
    if isinstance(event, ChannelInfoUpdated):
        return replace(
            state,
            title=event.title if event.title is not None else state.title,
            category=event.category if event.category is not None else state.category,
        )
    return state


def remember(state: ChannelState, outcome: RememberedOutcome) -> ChannelState:
    """Keep the last few outcomes so a redelivered or retried command is answered the same
    way, not applied twice."""
    return replace(state, recent=recent_window(state.recent, outcome))
