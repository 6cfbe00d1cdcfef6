"""Channel events and commands. A channel is keyed by its name (lower case)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from events.base import Command, Event

CHANNELS_TOPIC = "channels"
CHANNEL_COMMANDS_TOPIC = "channel-commands"


@dataclass(frozen=True, kw_only=True)
class ChannelCreated(Event):
    """A channel came into being with its first title and category."""

    schema_name: ClassVar[str] = "castline.channels.ChannelCreated"
    topic: ClassVar[str] = CHANNELS_TOPIC
    key_field: ClassVar[str] = "channel"

    channel: str
    display_name: str
    title: str
    category: str
    command_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class ChannelInfoUpdated(Event):
    """Only the fields that changed are set; None means unchanged."""

    schema_name: ClassVar[str] = "castline.channels.ChannelInfoUpdated"
    topic: ClassVar[str] = CHANNELS_TOPIC
    key_field: ClassVar[str] = "channel"

    channel: str
    title: str | None = None
    category: str | None = None
    command_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class CreateChannel(Command):
    """Ask the channel decider to create a channel under a name not yet taken."""

    schema_name: ClassVar[str] = "castline.channels.CreateChannel"
    topic: ClassVar[str] = CHANNEL_COMMANDS_TOPIC
    key_field: ClassVar[str] = "channel"

    channel: str
    display_name: str
    title: str
    category: str


@dataclass(frozen=True, kw_only=True)
class UpdateChannelInfo(Command):
    """Ask the channel decider to change an existing channel's title and/or category."""

    schema_name: ClassVar[str] = "castline.channels.UpdateChannelInfo"
    topic: ClassVar[str] = CHANNEL_COMMANDS_TOPIC
    key_field: ClassVar[str] = "channel"

    channel: str
    title: str | None = None
    category: str | None = None
