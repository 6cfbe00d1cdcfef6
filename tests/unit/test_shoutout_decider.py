"""Shoutouts decided by the channel: its staff, live, another broadcaster, and Twitch's
cooldowns (two minutes between any two, an hour between two to the same broadcaster)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from events.shoutouts import SendShoutout, ShoutoutSent
from processors.deciders import shoutouts
from processors.deciders.chat_moderation import Staff
from processors.deciders.decisions import Rejected
from processors.deciders.shoutouts import Shoutouts
from processors.deciders.streams import LiveSession

STAFF = Staff("owner", ("mod",))
LIVE = LiveSession("session", "client")
START = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def command(target: str, at: datetime, actor: str = "owner") -> SendShoutout:
    return SendShoutout(channel="chan", to_broadcaster_user_id=target,
                        to_broadcaster_user_login=target, to_broadcaster_user_name=target,
                        viewer_count=3, actor_id=actor, issued_at=at)


def sent(state: Shoutouts, target: str, at: datetime, actor: str = "owner") -> Shoutouts:
    decided = shoutouts.send(state, STAFF, LIVE, command(target, at, actor))
    assert isinstance(decided, list), decided
    [event] = decided
    assert isinstance(event, ShoutoutSent)
    return shoutouts.evolve(state, replace(event, occurred_at=at))


def refusal(state: Shoutouts, target: str, at: datetime, actor: str = "owner",
            live: LiveSession | None = LIVE) -> str:
    decided = shoutouts.send(state, STAFF, live, command(target, at, actor))
    assert isinstance(decided, Rejected), decided
    return decided.error


def test_the_cooldowns_hold_between_shoutouts_and_per_target() -> None:
    state = sent(Shoutouts(), "a", START, actor="mod")
    assert refusal(state, "b", START + timedelta(seconds=119)) == "shoutout_cooldown"
    state = sent(state, "b", START + timedelta(minutes=2))
    assert refusal(state, "a", START + timedelta(minutes=59)) == "shoutout_target_cooldown"
    state = sent(state, "a", START + timedelta(minutes=60))
    assert set(state.targets) == {"a", "b"}
    state = sent(state, "c", START + timedelta(minutes=100))
    assert set(state.targets) == {"a", "c"}


def test_only_the_live_channels_staff_shouts_out_another() -> None:
    assert refusal(Shoutouts(), "a", START, actor="viewer") == "forbidden"
    assert refusal(Shoutouts(), "owner", START) == "cannot_shoutout_self"
    assert refusal(Shoutouts(), "a", START, live=None) == "not_live"
