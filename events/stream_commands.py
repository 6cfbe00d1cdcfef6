"""Commands about a channel's stream, for the channel decider (one live session per channel)."""

from __future__ import annotations

from dataclasses import dataclass

from events.base import Command
from events.channel_commands import CHANNEL_COMMANDS_TOPIC


@dataclass(frozen=True, kw_only=True)
class StreamControlCommand(
    Command, namespace="castline.streams", topic=CHANNEL_COMMANDS_TOPIC, key_field="channel"
):
    """Asks about the channel's stream: its key, its live session, its suspension."""


@dataclass(frozen=True, kw_only=True)
class RotateStreamKey(StreamControlCommand):
    """Replace the stream key; the gateway made the key and sends only its digest."""

    channel: str
    key_hash: str
    actor_id: str
    actor_admin: bool = False


@dataclass(frozen=True, kw_only=True)
class StartStream(StreamControlCommand):
    """nginx-rtmp asks whether a publisher presenting this key may go live."""

    channel: str
    key_hash: str
    client_id: str
    address: str


@dataclass(frozen=True, kw_only=True)
class BeatStream(StreamControlCommand):
    """nginx-rtmp's periodic update for a publisher: is its session still the live one?"""

    channel: str
    client_id: str


@dataclass(frozen=True, kw_only=True)
class EndStream(StreamControlCommand):
    """A publisher left (or was found gone); ends the session only if it is that publisher's."""

    channel: str
    client_id: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class SuspendChannel(StreamControlCommand):
    """An admin bans the channel from streaming (and ends a live session)."""

    channel: str
    reason: str
    actor_id: str
    actor_admin: bool = False


@dataclass(frozen=True, kw_only=True)
class ReinstateChannel(StreamControlCommand):
    """An admin lifts the channel's suspension."""

    channel: str
    actor_id: str
    actor_admin: bool = False
