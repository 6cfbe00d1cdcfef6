"""Shoutouts: a broadcaster or one of their moderators points the channel's chat at another
broadcaster (Helix's Send a Shoutout).

The channel's decider decides (it must be live, its staff must ask, Twitch's cooldowns must
have passed); what it needs of the target (its names) and of the channel (its viewers) the
gateway reads and puts in the command.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from events.base import Command, Event
from events.channel_commands import CHANNEL_COMMANDS_TOPIC
from events.channels import CHANNELS_TOPIC


@dataclass(frozen=True, kw_only=True)
class ShoutoutTarget:
    """Whom the shoutout points at, as Twitch's channel.shoutout.create names them."""

    to_broadcaster_user_id: str
    to_broadcaster_user_login: str
    to_broadcaster_user_name: str
    viewer_count: int


@dataclass(frozen=True, kw_only=True)
class ShoutoutCommand(
    Command, namespace="castline.shoutouts", topic=CHANNEL_COMMANDS_TOPIC, key_field="channel"
):
    """Asks the channel decider for a shoutout."""


@dataclass(frozen=True, kw_only=True)
class ShoutoutEvent(
    Event, namespace="castline.shoutouts", topic=CHANNELS_TOPIC, key_field="channel"
):
    """A fact of the channel's shoutouts, in order with its streams."""


@dataclass(frozen=True, kw_only=True)
class SendShoutout(ShoutoutTarget, ShoutoutCommand):
    """The channel's broadcaster or a moderator shouts out the target."""

    channel: str
    actor_id: str
    actor_admin: bool = False


@dataclass(frozen=True, kw_only=True)
class ShoutoutSent(ShoutoutTarget, ShoutoutEvent):
    """The channel shouted out the target; the next shoutout may come at cooldown_ends_at, the
    next to this target at target_cooldown_ends_at (Twitch's channel.shoutout.create)."""

    channel: str
    moderator_user_id: str
    cooldown_ends_at: datetime
    target_cooldown_ends_at: datetime
