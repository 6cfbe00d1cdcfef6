"""Channel events. A channel is keyed by its name (lower case), which is its owner's username."""

from __future__ import annotations

from dataclasses import dataclass

from events.base import Event

CHANNELS_TOPIC = "channels"


@dataclass(frozen=True, kw_only=True)
class ChannelEvent(Event, namespace="castline.channels", topic=CHANNELS_TOPIC, key_field="channel"):
    """A channel's own facts: its creation, its info and its moderators."""


@dataclass(frozen=True, kw_only=True)
class ChannelCreated(ChannelEvent):
    """A channel came into being with its first title and category."""

    channel: str
    display_name: str
    title: str
    category: str
    command_id: str | None = None
    owner_id: str | None = None  # v2; channels created before accounts have none


@dataclass(frozen=True, kw_only=True)
class ChannelInfoUpdated(ChannelEvent):
    """Only the fields that changed are set; None means unchanged."""

    channel: str
    title: str | None = None
    category: str | None = None
    command_id: str | None = None
    tags: list[str] | None = None  # v2: the whole new list
    language: str | None = None  # v2: ISO 639-1, or "other"


@dataclass(frozen=True, kw_only=True)
class ModeratorAdded(ChannelEvent):
    """The broadcaster (or an admin) made a user a moderator of the channel."""

    channel: str
    user_id: str
    username: str
    by_user_id: str


@dataclass(frozen=True, kw_only=True)
class ModeratorRemoved(ChannelEvent):
    """The user is no longer a moderator of the channel."""

    channel: str
    user_id: str
    username: str
    by_user_id: str
