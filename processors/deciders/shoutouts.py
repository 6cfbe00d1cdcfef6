"""Shoutouts, decided by the shouting channel: its staff asks, it is live, the target is
another broadcaster, and Twitch's cooldowns have passed (two minutes between any two of the
channel's shoutouts, an hour between two to the same broadcaster)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta

from events.base import Event
from events.shoutouts import SendShoutout, ShoutoutSent, ShoutoutTarget
from processors.deciders.chat_moderation import Staff
from processors.deciders.decisions import Rejected
from processors.deciders.streams import LiveSession

COOLDOWN = timedelta(minutes=2)
TARGET_COOLDOWN = timedelta(minutes=60)


@dataclass(frozen=True)
class Shoutouts:
    """When the channel's last shoutout went, and its last to each target still cooling."""

    last_at: datetime | None = None
    targets: dict[str, datetime] = field(default_factory=dict)  # target's user id: when


def send(shoutouts: Shoutouts, staff: Staff, live: LiveSession | None,
         command: SendShoutout) -> list[Event] | Rejected:
    refusal = _refusal(shoutouts, staff, live, command)
    if refusal is not None:
        return refusal
    now = command.issued_at
    return [ShoutoutSent(
        channel=command.channel, moderator_user_id=command.actor_id,
        cooldown_ends_at=now + COOLDOWN, target_cooldown_ends_at=now + TARGET_COOLDOWN,
        **{f.name: getattr(command, f.name) for f in fields(ShoutoutTarget)})]


def _refusal(shoutouts: Shoutouts, staff: Staff, live: LiveSession | None,
             command: SendShoutout) -> Rejected | None:
    now, target = command.issued_at, command.to_broadcaster_user_id
    if not staff.may_moderate(command.actor_id, command.actor_admin):
        return Rejected("forbidden", "only the broadcaster or a moderator may shout out")
    if target == staff.owner_id:
        return Rejected("cannot_shoutout_self", "a broadcaster cannot shout themselves out",
                        "to_broadcaster_id")
    if live is None:
        return Rejected("not_live", "the channel must be live to shout out")
    if shoutouts.last_at is not None and now < shoutouts.last_at + COOLDOWN:
        return Rejected("shoutout_cooldown", "the channel shouted out less than two minutes ago")
    last_to_target = shoutouts.targets.get(target)
    if last_to_target is not None and now < last_to_target + TARGET_COOLDOWN:
        return Rejected("shoutout_target_cooldown",
                        f"{command.to_broadcaster_user_login} was shouted out less than an hour "
                        "ago")
    return None


def evolve(shoutouts: Shoutouts, event: ShoutoutSent) -> Shoutouts:
    """Targets whose hour has passed are forgotten."""
    at = event.occurred_at
    cooling = {t: when for t, when in shoutouts.targets.items() if at < when + TARGET_COOLDOWN}
    return Shoutouts(at, {**cooling, event.to_broadcaster_user_id: at})
