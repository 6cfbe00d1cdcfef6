"""Raids, decided by the raiding channel: it must be live and not already raiding; the target
(as the gateway read it) must be another channel, live, and accept raids from this one."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from events.base import Event
from events.raids import (
    RAIDS_FROM,
    CancelRaid,
    GoRaid,
    RaidCanceled,
    RaidParties,
    RaidSettingChanged,
    RaidStarted,
    RaidWent,
    SetRaidSetting,
    StartRaid,
)
from processors.deciders.decisions import Rejected
from processors.deciders.derived import derived_id
from processors.deciders.streams import LiveSession

RaidDecision = list[Event] | Rejected
RAID_EVENTS = (RaidStarted, RaidCanceled, RaidWent)
STREAM_ENDED = ""  # by_user_id of a raid called off because the raiding stream ended


@dataclass(frozen=True)
class PendingRaid:
    """The raid counting down, with what RaidWent will say."""

    raid_id: str
    goes_at: datetime
    parties: RaidParties


def start(raid: PendingRaid | None, live: LiveSession | None, command: StartRaid
          ) -> RaidDecision:
    refusal = _refusal(raid, live, command)
    if refusal is not None:
        return refusal
    return [RaidStarted(
        channel=command.channel, raid_id=str(derived_id("raid", command.command_id)),
        goes_at=command.issued_at + timedelta(seconds=command.countdown_s),
        by_user_id=command.actor_id, **_parties(command))]


def _refusal(raid: PendingRaid | None, live: LiveSession | None, command: StartRaid
             ) -> Rejected | None:
    target = command.to_broadcaster_user_login
    if target == command.channel:
        return Rejected("cannot_raid_self", "a channel cannot raid itself", "to_broadcaster_id")
    if live is None:
        return Rejected("not_live", "the channel must be live to raid")
    if raid is not None:
        return Rejected("already_raiding", f"the channel is already raiding "
                                           f"{raid.parties.to_broadcaster_user_login}")
    if not command.target_live:
        return Rejected("target_offline", f"{target} is not live")
    if command.target_raids_from == "nobody" or (
            command.target_raids_from == "followed" and not command.target_follows):
        return Rejected("raids_refused", f"{target} does not accept raids from this channel")
    return None


def cancel(raid: PendingRaid | None, command: CancelRaid) -> RaidDecision:
    if raid is None:
        return Rejected("raid_not_found", "the channel has no raid counting down")
    return [RaidCanceled(channel=command.channel, raid_id=raid.raid_id, by_user_id=command.actor_id,
                         to_broadcaster_user_login=raid.parties.to_broadcaster_user_login)]


def go(raid: PendingRaid | None, live: LiveSession | None, command: GoRaid) -> RaidDecision:
    """A due raid goes; one whose channel went offline meanwhile is called off."""
    if raid is None or command.now < raid.goes_at:
        return []
    if live is None:
        return [RaidCanceled(channel=command.channel, raid_id=raid.raid_id,
                             by_user_id=STREAM_ENDED,
                             to_broadcaster_user_login=raid.parties.to_broadcaster_user_login)]
    return [RaidWent(channel=command.channel, raid_id=raid.raid_id, **_parties(raid.parties))]


def set_setting(command: SetRaidSetting) -> RaidDecision:
    if command.raids_from not in RAIDS_FROM:
        return Rejected("invalid_raid_setting", f"raids_from is one of {', '.join(RAIDS_FROM)}",
                        "raids_from")
    return [RaidSettingChanged(channel=command.channel, raids_from=command.raids_from,
                               by_user_id=command.actor_id)]


def evolve(raid: PendingRaid | None, event: Event) -> PendingRaid | None:
    if isinstance(event, RaidStarted):
        return PendingRaid(event.raid_id, event.goes_at, RaidParties(**_parties(event)))
    return None


def _parties(source: RaidParties) -> dict[str, Any]:
    names = [f.name for f in fields(RaidParties)]
    return {name: getattr(source, name) for name in names}
