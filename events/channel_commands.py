"""Commands for the channel decider; the actor is who asks, checked by the decider."""

from __future__ import annotations

from dataclasses import dataclass

from events.base import Command

CHANNEL_COMMANDS_TOPIC = "channel-commands"


@dataclass(frozen=True, kw_only=True)
class ChannelSetupCommand(
    Command, namespace="castline.channels", topic=CHANNEL_COMMANDS_TOPIC, key_field="channel"
):
    """Asks to create a channel, change its info or its moderators."""


@dataclass(frozen=True, kw_only=True)
class CreateChannel(ChannelSetupCommand):
    """Ask the channel decider to create a channel under a name not yet taken."""

    channel: str
    display_name: str
    title: str
    category: str
    owner_id: str | None = None  # v2


@dataclass(frozen=True, kw_only=True)
class UpdateChannelInfo(ChannelSetupCommand):
    """Ask the channel decider to change an existing channel's title and/or category."""

    channel: str
    title: str | None = None
    category: str | None = None
    actor_id: str | None = None  # v2
    actor_admin: bool = False  # v2
    tags: list[str] | None = None  # v3
    language: str | None = None  # v3


@dataclass(frozen=True, kw_only=True)
class AddModerator(ChannelSetupCommand):
    """Ask to make a user a moderator of the channel."""

    channel: str
    user_id: str
    username: str
    actor_id: str
    actor_admin: bool = False


@dataclass(frozen=True, kw_only=True)
class RemoveModerator(ChannelSetupCommand):
    """Ask to take a user's moderator role in the channel away."""

    channel: str
    user_id: str
    username: str
    actor_id: str
    actor_admin: bool = False
