"""The channel decider's raid rules: who may raid whom, the countdown, cancelling, and the
target's raid setting."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from events.base import Event
from events.raids import (
    CancelRaid,
    GoRaid,
    RaidCanceled,
    RaidSettingChanged,
    RaidStarted,
    RaidWent,
    SetRaidSetting,
    StartRaid,
)
from events.streams import StreamEnded, StreamStarted
from processors.deciders.channels import ChannelCommand, ChannelState, decide, evolve
from processors.deciders.decisions import Rejected
from processors.state_codec import dump_state, load_state

OWNER = "owner-1"
T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def live_state() -> ChannelState:
    state = ChannelState(exists=True, owner_id=OWNER)
    return evolve(state, StreamStarted(channel="abcd", session_id="s1", client_id="c1",
                                       address="127.0.0.1", occurred_at=T0))


def raid(**changed: Any) -> StartRaid:
    fields: dict[str, Any] = {
        "channel": "abcd", "from_broadcaster_user_id": OWNER,
        "from_broadcaster_user_login": "abcd", "from_broadcaster_user_name": "Abcd",
        "to_broadcaster_user_id": "owner-2", "to_broadcaster_user_login": "efgh",
        "to_broadcaster_user_name": "Efgh", "viewers": 7, "target_live": True,
        "target_raids_from": "everyone", "target_follows": False, "countdown_s": 90,
        "actor_id": OWNER, "issued_at": T0}
    return StartRaid(**(fields | changed))


def applied(state: ChannelState, command: ChannelCommand) -> tuple[ChannelState, list[Event]]:
    events = decide(state, command)
    assert isinstance(events, list), events
    for event in events:
        state = evolve(state, event)
    return state, events


def error_of(decision: object) -> str | None:
    return decision.error if isinstance(decision, Rejected) else None


def test_a_live_broadcaster_starts_a_raid_that_counts_down() -> None:
    _, [started] = applied(live_state(), raid())
    assert isinstance(started, RaidStarted)
    assert started.goes_at == T0 + timedelta(seconds=90)
    assert (started.to_broadcaster_user_login, started.viewers) == ("efgh", 7)


def test_the_raid_goes_when_its_countdown_ends_and_only_then() -> None:
    state, [started] = applied(live_state(), raid())
    assert decide(state, GoRaid(channel="abcd", now=T0 + timedelta(seconds=89))) == []
    state, [went] = applied(state, GoRaid(channel="abcd", now=T0 + timedelta(seconds=90)))
    assert isinstance(went, RaidWent)
    assert isinstance(started, RaidStarted)
    assert (went.raid_id, went.to_broadcaster_user_id, went.from_broadcaster_user_name,
            went.viewers) == (started.raid_id, "owner-2", "Abcd", 7)
    assert state.raid is None
    assert decide(state, GoRaid(channel="abcd", now=T0 + timedelta(seconds=95))) == []


def test_a_raid_whose_stream_ended_is_called_off_when_due() -> None:
    state, _ = applied(live_state(), raid())
    state = evolve(state, StreamEnded(channel="abcd", session_id="s1", reason="done"))
    _, [called_off] = applied(state, GoRaid(channel="abcd", now=T0 + timedelta(seconds=91)))
    assert isinstance(called_off, RaidCanceled)
    assert called_off.by_user_id == ""


def test_the_broadcaster_cancels_within_the_countdown() -> None:
    state, _ = applied(live_state(), raid())
    state, [canceled] = applied(state, CancelRaid(channel="abcd", actor_id=OWNER))
    assert isinstance(canceled, RaidCanceled)
    assert canceled.to_broadcaster_user_login == "efgh"
    assert decide(state, GoRaid(channel="abcd", now=T0 + timedelta(seconds=91))) == []
    assert error_of(decide(state, CancelRaid(channel="abcd", actor_id=OWNER))) == "raid_not_found"


@pytest.mark.parametrize(("changed", "error"), [
    ({"to_broadcaster_user_login": "abcd"}, "cannot_raid_self"),
    ({"target_live": False}, "target_offline"),
    ({"target_raids_from": "nobody", "target_follows": True}, "raids_refused"),
    ({"target_raids_from": "followed"}, "raids_refused"),
    ({"actor_id": "someone-else"}, "forbidden"),
])
def test_refusals(changed: dict[str, Any], error: str) -> None:
    assert error_of(decide(live_state(), raid(**changed))) == error


def test_a_target_raids_from_channels_it_follows_when_it_follows_the_raider() -> None:
    _, [started] = applied(live_state(), raid(target_raids_from="followed", target_follows=True))
    assert isinstance(started, RaidStarted)


def test_an_offline_channel_cannot_raid_nor_raid_twice() -> None:
    offline = ChannelState(exists=True, owner_id=OWNER)
    assert error_of(decide(offline, raid())) == "not_live"
    state, _ = applied(live_state(), raid())
    assert error_of(decide(state, raid(to_broadcaster_user_login="ijkl"))) == "already_raiding"


def test_the_pending_raid_survives_the_state_store() -> None:
    state, _ = applied(live_state(), raid())
    assert load_state(json.loads(json.dumps(dump_state(state), default=str))) == state


def test_the_raid_setting_is_validated() -> None:
    state = live_state()
    _, [changed] = applied(state, SetRaidSetting(channel="abcd", raids_from="followed",
                                                 actor_id=OWNER))
    assert isinstance(changed, RaidSettingChanged)
    assert changed.raids_from == "followed"
    assert error_of(decide(state, SetRaidSetting(channel="abcd", raids_from="some",
                                                 actor_id=OWNER))) == "invalid_raid_setting"
