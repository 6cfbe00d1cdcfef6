"""Commands for the channel decider; the actor is who asks, checked by the decider."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from events.base import Command

CHANNEL_COMMANDS_TOPIC = "channel-commands"


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
    owner_id: str | None = None  # v2


@dataclass(frozen=True, kw_only=True)
class UpdateChannelInfo(Command):
    """Ask the channel decider to change an existing channel's title and/or category."""

    schema_name: ClassVar[str] = "castline.channels.UpdateChannelInfo"
    topic: ClassVar[str] = CHANNEL_COMMANDS_TOPIC
    key_field: ClassVar[str] = "channel"

    channel: str
    title: str | None = None
    category: str | None = None
    actor_id: str | None = None  # v2
    actor_admin: bool = False  # v2
    tags: list[str] | None = None  # v3
    language: str | None = None  # v3


@dataclass(frozen=True, kw_only=True)
class AddModerator(Command):
    """Ask to make a user a moderator of the channel."""

    schema_name: ClassVar[str] = "castline.channels.AddModerator"
    topic: ClassVar[str] = CHANNEL_COMMANDS_TOPIC
    key_field: ClassVar[str] = "channel"

    channel: str
    user_id: str
    username: str
    actor_id: str
    actor_admin: bool = False


@dataclass(frozen=True, kw_only=True)
class RemoveModerator(Command):
    """Ask to take a user's moderator role in the channel away."""

    schema_name: ClassVar[str] = "castline.channels.RemoveModerator"
    topic: ClassVar[str] = CHANNEL_COMMANDS_TOPIC
    key_field: ClassVar[str] = "channel"

    channel: str
    user_id: str
    username: str
    actor_id: str
    actor_admin: bool = False
