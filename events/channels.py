"""Channel events. A channel is keyed by its name (lower case), which is its owner's username."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from events.base import Event

CHANNELS_TOPIC = "channels"


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
    owner_id: str | None = None  # v2; channels created before accounts have none


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
    tags: list[str] | None = None  # v2: the whole new list
    language: str | None = None  # v2: ISO 639-1, or "other"


@dataclass(frozen=True, kw_only=True)
class ModeratorAdded(Event):
    """The broadcaster (or an admin) made a user a moderator of the channel."""

    schema_name: ClassVar[str] = "castline.channels.ModeratorAdded"
    topic: ClassVar[str] = CHANNELS_TOPIC
    key_field: ClassVar[str] = "channel"

    channel: str
    user_id: str
    username: str
    by_user_id: str


@dataclass(frozen=True, kw_only=True)
class ModeratorRemoved(Event):
    """The user is no longer a moderator of the channel."""

    schema_name: ClassVar[str] = "castline.channels.ModeratorRemoved"
    topic: ClassVar[str] = CHANNELS_TOPIC
    key_field: ClassVar[str] = "channel"

    channel: str
    user_id: str
    username: str
    by_user_id: str
