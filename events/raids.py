"""Raids: a live broadcaster sends their viewers to another live channel.

The raiding channel's decider decides (it must be live, not already raiding); what it needs of
the target (live, its raid setting, whether it follows the raider, its names) the gateway reads
and puts in the command, as chat posting carries follow times. The raid counts down before it
goes, so the broadcaster may cancel it; a scheduler's nudge makes it go when due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from events.base import Command, Event
from events.channel_commands import CHANNEL_COMMANDS_TOPIC
from events.channels import CHANNELS_TOPIC

RAIDS_FROM = ("everyone", "followed", "nobody")  # whom a channel accepts raids from


@dataclass(frozen=True, kw_only=True)
class RaidCommand(
    Command, namespace="castline.raids", topic=CHANNEL_COMMANDS_TOPIC, key_field="channel"
):
    """Asks the channel decider about its raids and its raid setting."""


@dataclass(frozen=True, kw_only=True)
class RaidEvent(Event, namespace="castline.raids", topic=CHANNELS_TOPIC, key_field="channel"):
    """A fact of the channel's raids, in order with its streams."""


@dataclass(frozen=True, kw_only=True)
class RaidParties:
    """Who raids whom, as Twitch's channel.raid names them."""

    from_broadcaster_user_id: str
    from_broadcaster_user_login: str
    from_broadcaster_user_name: str
    to_broadcaster_user_id: str
    to_broadcaster_user_login: str
    to_broadcaster_user_name: str
    viewers: int


@dataclass(frozen=True, kw_only=True)
class StartRaid(RaidParties, RaidCommand):
    """The broadcaster raids the target channel; target_live, target_raids_from and
    target_follows are the target's as the gateway read them."""

    channel: str
    target_live: bool
    target_raids_from: str
    target_follows: bool
    countdown_s: int
    actor_id: str
    actor_admin: bool = False


@dataclass(frozen=True, kw_only=True)
class CancelRaid(RaidCommand):
    """The broadcaster calls off the raid still counting down."""

    channel: str
    actor_id: str
    actor_admin: bool = False


@dataclass(frozen=True, kw_only=True)
class GoRaid(RaidCommand):
    """The scheduler's nudge: the raid goes if its countdown has ended by `now`."""

    channel: str
    now: datetime


@dataclass(frozen=True, kw_only=True)
class SetRaidSetting(RaidCommand):
    """Whom the channel accepts raids from: everyone, channels it follows, or nobody."""

    channel: str
    raids_from: str
    actor_id: str
    actor_admin: bool = False


@dataclass(frozen=True, kw_only=True)
class RaidStarted(RaidParties, RaidEvent):
    """The raid counts down until goes_at; channel is the raiding one."""

    channel: str
    raid_id: str
    goes_at: datetime
    by_user_id: str


@dataclass(frozen=True, kw_only=True)
class RaidCanceled(RaidEvent):
    """The raid was called off before it went."""

    channel: str
    raid_id: str
    to_broadcaster_user_login: str
    by_user_id: str


@dataclass(frozen=True, kw_only=True)
class RaidWent(RaidParties, RaidEvent):
    """The countdown ended: the raiding channel's viewers are sent to the target (Twitch's
    channel.raid)."""

    channel: str
    raid_id: str


@dataclass(frozen=True, kw_only=True)
class RaidSettingChanged(RaidEvent):
    channel: str
    raids_from: str
    by_user_id: str
