"""Ads: breaks started by the broadcaster or by the channel's schedule, and the impressions
players report.

Every ad command goes to the channel's decider (one writer per channel). Breaks and the
schedule are facts of the channel (`channels` topic, in order with its streams); an impression
is money (`monetization` topic, keyed by channel) carrying its own revenue split, decided when
it was counted, so the ledger is a pure function of the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from events.base import Command, Event
from events.channel_commands import CHANNEL_COMMANDS_TOPIC
from events.channels import CHANNELS_TOPIC
from events.monetization import MONETIZATION_TOPIC

MIN_BREAK_S, MAX_BREAK_S = 30, 180  # how long a break may last


@dataclass(frozen=True, kw_only=True)
class AdCommand(
    Command, namespace="castline.ads", topic=CHANNEL_COMMANDS_TOPIC, key_field="channel"
):
    """Asks the channel decider about its ad breaks."""


@dataclass(frozen=True, kw_only=True)
class AdEvent(Event, namespace="castline.ads", topic=CHANNELS_TOPIC, key_field="channel"):
    """A fact of the channel's ad breaks, in order with its streams."""


@dataclass(frozen=True, kw_only=True)
class AdMoneyEvent(Event, namespace="castline.ads", topic=MONETIZATION_TOPIC, key_field="channel"):
    """Money an ad break earned."""


@dataclass(frozen=True, kw_only=True)
class AdRates:
    """What a break's impressions earn, fixed when the break starts."""

    cpm_minor: int  # revenue per 1000 impressions, in minor units of the currency
    currency: str
    creator_share_bps: int
    cooldown_s: int  # after a break ends, how long before the broadcaster may start another


@dataclass(frozen=True, kw_only=True)
class StartAdBreak(AdRates, AdCommand):
    """The broadcaster (or an admin) starts an ad break now."""

    channel: str
    duration_s: int
    actor_id: str
    actor_admin: bool = False


@dataclass(frozen=True, kw_only=True)
class TickAdSchedule(AdRates, AdCommand):
    """The scheduler's nudge to a live channel: start a scheduled break if one is due `now`."""

    channel: str
    now: datetime


@dataclass(frozen=True, kw_only=True)
class SetAdSchedule(AdCommand):
    """One break of duration_s every every_min minutes live; every_min 0 turns it off."""

    channel: str
    every_min: int
    duration_s: int
    actor_id: str
    actor_admin: bool = False


@dataclass(frozen=True, kw_only=True)
class RecordAdImpression(AdCommand):
    """A player showed a break's ad; viewer is a user id, or `anon:<player session>`.
    heard_at is the viewer's last heartbeat in the channel as the gateway admitted it: the
    impression counts only if it came during the break (none known: never)."""

    channel: str
    break_id: str
    viewer: str
    grace_s: int  # how long after the break's end an impression still counts
    heard_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class AdBreakStarted(AdEvent):
    """An ad break began; its impressions earn cpm_minor per 1000, split by creator_share_bps."""

    channel: str
    break_id: str
    duration_s: int
    started_at: datetime
    scheduled: bool
    cpm_minor: int
    currency: str
    creator_share_bps: int
    cooldown_s: int


@dataclass(frozen=True, kw_only=True)
class AdScheduleChanged(AdEvent):
    """The channel's break schedule; every_min 0 means no scheduled breaks."""

    channel: str
    every_min: int
    duration_s: int
    by_user_id: str


@dataclass(frozen=True, kw_only=True)
class AdImpressionRecorded(AdMoneyEvent):
    """The break's `impression`-th counted impression and what it earned. Amounts are the
    growth of the break's running totals (floor(n * cpm / 1000), and the creator's floor of
    that), so a break's impressions add up exactly to its revenue with no fraction lost."""

    channel: str
    break_id: str
    viewer: str
    impression: int
    currency: str
    revenue_minor: int
    creator_share_minor: int
    platform_share_minor: int
