"""Ad breaks and impressions of one channel (pure); part of the channel's decider.

A break needs the channel live and none running; the broadcaster's breaks also wait out the
cooldown after the last one (429 with how long). A schedule starts a break once every N minutes
live. An impression counts only from a player whose last heartbeat in the channel came during
the break, and only until the break's end plus a grace. Revenue is exact integers: the n-th
impression earns floor(n * cpm / 1000) minus floor((n - 1) * cpm / 1000), and the creator's part
the same way of the running total.

A break keeps only its count of impressions, not who made them: the state stays a few numbers a
break however large the audience (it is stored with every batch of the channel's commands,
chat included). Once per (break, viewer) is the gateways' to ensure, with a key in Redis that
expires with the break (gateways/watching.py): exact, and bounded by the break's audience for
the break's lifetime only. The cost: it is not rebuilt from the log, so if Redis loses it
during a break a viewer may be counted once more in that break, and a command that is lost
after its key was taken counts that viewer not at all. A dedupe inside this state could only
be bounded by being lossy (a Bloom filter refuses real viewers once a break grows large).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import NAMESPACE_URL, uuid5

from events.ads import (
    MAX_BREAK_S,
    MIN_BREAK_S,
    AdBreakStarted,
    AdImpressionRecorded,
    AdScheduleChanged,
    RecordAdImpression,
    SetAdSchedule,
    StartAdBreak,
    TickAdSchedule,
)
from events.base import Event
from events.streams import StreamEnded, StreamStarted
from processors.deciders.decisions import Rejected
from processors.deciders.streams import LiveSession

KEPT_BREAKS = 8  # the latest breaks whose impressions may still arrive
AD_EVENTS = (AdBreakStarted, AdImpressionRecorded, AdScheduleChanged, StreamStarted,
             StreamEnded)
AdDecision = list[Event] | Rejected


@dataclass(frozen=True)
class AdBreak:
    break_id: str
    started: float  # epoch seconds
    ends: float
    cpm_minor: int
    currency: str
    creator_share_bps: int
    cooldown_s: int
    impressions: int = 0
    opened: float | None = None  # wall-clock epoch s of the decision; started is the schedule's


@dataclass(frozen=True)
class AdState:
    live_since: float | None = None
    every_min: int = 0  # 0: no scheduled breaks
    schedule_duration_s: int = 60
    breaks: tuple[AdBreak, ...] = ()

    @property
    def last(self) -> AdBreak | None:
        return self.breaks[-1] if self.breaks else None


def start(ads: AdState, live: LiveSession | None, command: StartAdBreak) -> AdDecision:
    if not MIN_BREAK_S <= command.duration_s <= MAX_BREAK_S:
        return Rejected("invalid_duration", f"a break lasts {MIN_BREAK_S} to {MAX_BREAK_S} s",
                        "duration_s")
    if live is None:
        return Rejected("channel_not_live", "ad breaks run only while the channel is live")
    now, last = command.issued_at.timestamp(), ads.last
    if last is not None and now < last.ends + last.cooldown_s:
        running = now < last.ends
        return Rejected("ad_break_running" if running else "ad_cooldown",
                        "an ad break is running" if running else
                        "the cooldown after the last ad break has not passed",
                        retry_after_s=last.ends + last.cooldown_s - now)
    return [_started(command, command.channel, command.duration_s, command.issued_at, False)]


def tick(ads: AdState, live: LiveSession | None, command: TickAdSchedule) -> AdDecision:
    """A scheduled break when due; a tick that finds none due changes nothing."""
    if live is None or ads.every_min == 0 or ads.live_since is None:
        return []
    now, last = command.now.timestamp(), ads.last
    since = max(ads.live_since, last.started if last else ads.live_since)
    if now < since + ads.every_min * 60 or (last is not None and now < last.ends):
        return []
    return [_started(command, command.channel, ads.schedule_duration_s, command.now, True)]


def _started(command: StartAdBreak | TickAdSchedule, channel: str, duration_s: int,
             at: datetime, scheduled: bool) -> AdBreakStarted:
    return AdBreakStarted(
        channel=channel, break_id=str(uuid5(NAMESPACE_URL, f"ad-break:{command.command_id}")),
        duration_s=duration_s, started_at=at, scheduled=scheduled, cpm_minor=command.cpm_minor,
        currency=command.currency, creator_share_bps=command.creator_share_bps,
        cooldown_s=command.cooldown_s)


def set_schedule(command: SetAdSchedule) -> AdDecision:
    if command.every_min < 0 or not MIN_BREAK_S <= command.duration_s <= MAX_BREAK_S:
        return Rejected("invalid_schedule", "every_min >= 0 and a duration of 30 to 180 s",
                        "duration_s")
    return [AdScheduleChanged(channel=command.channel, every_min=command.every_min,
                              duration_s=command.duration_s, by_user_id=command.actor_id)]


def impression(ads: AdState, command: RecordAdImpression) -> AdDecision:
    """Counted when its player was watching during the break (the gateways send each viewer's
    first impression of a break only)."""
    found = next((b for b in ads.breaks if b.break_id == command.break_id), None)
    if found is None:
        return Rejected("ad_break_not_found", f"no ad break {command.break_id!r} here")
    if command.issued_at.timestamp() > found.ends + command.grace_s:
        return Rejected("ad_break_ended", "that ad break ended too long ago")
    opened = found.started if found.opened is None else found.opened
    if command.heard_at is None or command.heard_at.timestamp() < opened:
        return Rejected("not_watching",
                        "this player sent no heartbeat in this channel during the break")
    n, rate, share = found.impressions + 1, found.cpm_minor, found.creator_share_bps
    total, before = n * rate // 1000, (n - 1) * rate // 1000
    creator = total * share // 10_000 - before * share // 10_000
    return [AdImpressionRecorded(
        channel=command.channel, break_id=found.break_id, viewer=command.viewer, impression=n,
        currency=found.currency, revenue_minor=total - before, creator_share_minor=creator,
        platform_share_minor=total - before - creator)]


def evolve(ads: AdState, event: Event) -> AdState:
    if isinstance(event, StreamStarted):
        return replace(ads, live_since=event.occurred_at.timestamp())
    if isinstance(event, StreamEnded):
        return replace(ads, live_since=None)
    if isinstance(event, AdScheduleChanged):
        return replace(ads, every_min=event.every_min, schedule_duration_s=event.duration_s)
    if isinstance(event, AdBreakStarted):
        started = event.started_at.timestamp()
        new = AdBreak(event.break_id, started, started + event.duration_s, event.cpm_minor,
                      event.currency, event.creator_share_bps, event.cooldown_s,
                      opened=event.occurred_at.timestamp())
        return replace(ads, breaks=(*ads.breaks, new)[-KEPT_BREAKS:])
    if isinstance(event, AdImpressionRecorded):
        return replace(ads, breaks=tuple(
            replace(b, impressions=max(b.impressions, event.impression))
            if b.break_id == event.break_id else b for b in ads.breaks))
    return ads
