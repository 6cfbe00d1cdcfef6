"""Commands about a channel's stream, for the channel decider (one live session per channel)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from events.base import Command
from events.channel_commands import CHANNEL_COMMANDS_TOPIC


@dataclass(frozen=True, kw_only=True)
class RotateStreamKey(Command):
    """Replace the stream key; the gateway made the key and sends only its digest."""

    schema_name: ClassVar[str] = "castline.streams.RotateStreamKey"
    topic: ClassVar[str] = CHANNEL_COMMANDS_TOPIC
    key_field: ClassVar[str] = "channel"

    channel: str
    key_hash: str
    actor_id: str
    actor_admin: bool = False


@dataclass(frozen=True, kw_only=True)
class StartStream(Command):
    """nginx-rtmp asks whether a publisher presenting this key may go live."""

    schema_name: ClassVar[str] = "castline.streams.StartStream"
    topic: ClassVar[str] = CHANNEL_COMMANDS_TOPIC
    key_field: ClassVar[str] = "channel"

    channel: str
    key_hash: str
    client_id: str
    address: str


@dataclass(frozen=True, kw_only=True)
class BeatStream(Command):
    """nginx-rtmp's periodic update for a publisher: is its session still the live one?"""

    schema_name: ClassVar[str] = "castline.streams.BeatStream"
    topic: ClassVar[str] = CHANNEL_COMMANDS_TOPIC
    key_field: ClassVar[str] = "channel"

    channel: str
    client_id: str


@dataclass(frozen=True, kw_only=True)
class EndStream(Command):
    """A publisher left (or was found gone); ends the session only if it is that publisher's."""

    schema_name: ClassVar[str] = "castline.streams.EndStream"
    topic: ClassVar[str] = CHANNEL_COMMANDS_TOPIC
    key_field: ClassVar[str] = "channel"

    channel: str
    client_id: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class SuspendChannel(Command):
    """An admin bans the channel from streaming (and ends a live session)."""

    schema_name: ClassVar[str] = "castline.streams.SuspendChannel"
    topic: ClassVar[str] = CHANNEL_COMMANDS_TOPIC
    key_field: ClassVar[str] = "channel"

    channel: str
    reason: str
    actor_id: str
    actor_admin: bool = False


@dataclass(frozen=True, kw_only=True)
class ReinstateChannel(Command):
    """An admin lifts the channel's suspension."""

    schema_name: ClassVar[str] = "castline.streams.ReinstateChannel"
    topic: ClassVar[str] = CHANNEL_COMMANDS_TOPIC
    key_field: ClassVar[str] = "channel"

    channel: str
    actor_id: str
    actor_admin: bool = False
