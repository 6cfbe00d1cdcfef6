"""The channel decider's ad rules: who starts a break and when, the schedule, and impressions
counted once with exact integer revenue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from events.ads import (
    AdBreakStarted,
    AdImpressionRecorded,
    RecordAdImpression,
    SetAdSchedule,
    StartAdBreak,
    TickAdSchedule,
)
from events.base import Event
from events.streams import StreamEnded, StreamStarted
from processors.deciders.channels import ChannelCommand, ChannelState, decide, evolve
from processors.deciders.decisions import Rejected
from processors.state_codec import dump_state, load_state

OWNER = "owner-1"
T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
RATES: dict[str, Any] = {"cpm_minor": 2500, "currency": "USD", "creator_share_bps": 5500,
                         "cooldown_s": 480}


def live_state(at: datetime = T0) -> ChannelState:
    state = ChannelState(exists=True, owner_id=OWNER)
    return evolve(state, StreamStarted(channel="abcd", session_id="s1", client_id="c1",
                                       address="127.0.0.1", occurred_at=at))


def start_at(at: datetime, duration_s: int = 60, actor: str = OWNER) -> StartAdBreak:
    return StartAdBreak(channel="abcd", duration_s=duration_s, actor_id=actor, issued_at=at,
                        **RATES)


def error_of(decision: object) -> str | None:
    return decision.error if isinstance(decision, Rejected) else None


def applied(state: ChannelState, command: ChannelCommand) -> tuple[ChannelState, list[Event]]:
    events = decide(state, command)
    assert isinstance(events, list), events
    for event in events:
        state = evolve(state, event)
    return state, events


def test_the_broadcaster_starts_a_break_with_its_rates() -> None:
    _, [started] = applied(live_state(), start_at(T0 + timedelta(minutes=1), 90))
    assert isinstance(started, AdBreakStarted)
    assert (started.duration_s, started.scheduled, started.cpm_minor, started.cooldown_s) == (
        90, False, 2500, 480)


@pytest.mark.parametrize(("state", "command", "error"), [
    (ChannelState(exists=True, owner_id=OWNER), start_at(T0), "channel_not_live"),
    (live_state(), start_at(T0, 29), "invalid_duration"),
    (live_state(), start_at(T0, 181), "invalid_duration"),
    (live_state(), start_at(T0, actor="someone-else"), "forbidden"),
])
def test_a_break_is_refused(state: ChannelState, command: StartAdBreak, error: str) -> None:
    refused = decide(state, command)
    assert error_of(refused) == error


def test_a_running_break_then_the_cooldown_refuse_with_how_long_to_wait() -> None:
    state, _ = applied(live_state(), start_at(T0, 60))
    running = decide(state, start_at(T0 + timedelta(seconds=10)))
    assert error_of(running) == "ad_break_running"
    assert isinstance(running, Rejected)
    assert running.retry_after_s == 50 + 480
    cooling = decide(state, start_at(T0 + timedelta(seconds=100)))
    assert error_of(cooling) == "ad_cooldown"
    assert isinstance(cooling, Rejected)
    assert cooling.retry_after_s == 440
    assert isinstance(decide(state, start_at(T0 + timedelta(seconds=540))), list)


def test_the_schedule_starts_one_break_every_n_minutes_live() -> None:
    state, _ = applied(live_state(), SetAdSchedule(channel="abcd", every_min=10, duration_s=30,
                                                   actor_id=OWNER))

    def tick(minutes: float) -> TickAdSchedule:
        return TickAdSchedule(channel="abcd", now=T0 + timedelta(minutes=minutes), **RATES)

    assert decide(state, tick(9.9)) == []
    state, [first] = applied(state, tick(10))
    assert isinstance(first, AdBreakStarted)
    assert (first.scheduled, first.duration_s) == (True, 30)
    assert decide(state, tick(15)) == []
    _, [second] = applied(state, tick(20))
    assert isinstance(second, AdBreakStarted)
    ended = evolve(state, StreamEnded(channel="abcd", session_id="s1", reason="done"))
    assert decide(ended, tick(30)) == []


def impression(break_id: str, viewer: str, at: datetime,
               heard_at: datetime | None = None) -> RecordAdImpression:
    """Heard at the impression's time unless said otherwise."""
    return RecordAdImpression(channel="abcd", break_id=break_id, viewer=viewer, grace_s=60,
                              issued_at=at, heard_at=at if heard_at is None else heard_at)


def test_impressions_add_up_to_the_cpm_exactly_and_the_state_keeps_only_their_count() -> None:
    state, [started] = applied(live_state(), start_at(T0, 60))
    assert isinstance(started, AdBreakStarted)
    recorded: list[AdImpressionRecorded] = []
    for n in range(7):
        state, events = applied(state, impression(started.break_id, f"v{n}", T0))
        recorded += [e for e in events if isinstance(e, AdImpressionRecorded)]
    revenue = sum(r.revenue_minor for r in recorded)
    creator = sum(r.creator_share_minor for r in recorded)
    assert revenue == 7 * 2500 // 1000 == 17
    assert creator == 17 * 5500 // 10_000 == 9
    assert all(r.revenue_minor == r.creator_share_minor + r.platform_share_minor
               for r in recorded)
    assert [r.impression for r in recorded] == list(range(1, 8))
    assert state.ads.breaks[-1].impressions == 7
    assert "v3" not in str(dump_state(state))
    assert load_state(dump_state(state)) == state


def test_an_impression_counts_only_from_a_player_heard_during_the_break() -> None:
    state, [started] = applied(live_state(), start_at(T0, 60))
    assert isinstance(started, AdBreakStarted)
    later = T0 + timedelta(seconds=10)
    never = RecordAdImpression(channel="abcd", break_id=started.break_id, viewer="v",
                               grace_s=60, issued_at=later)
    assert error_of(decide(state, never)) == "not_watching"
    before = impression(started.break_id, "v", later, T0 - timedelta(seconds=1))
    assert error_of(decide(state, before)) == "not_watching"
    assert isinstance(decide(state, impression(started.break_id, "v", later, T0)), list)


def test_a_state_stored_with_viewer_lists_loads_as_their_count() -> None:
    state, [started] = applied(live_state(), start_at(T0, 60))
    assert isinstance(started, AdBreakStarted)
    stored = dump_state(state)
    [kept] = stored["ads"]["breaks"]
    stored["ads"]["breaks"] = [{k: v for k, v in kept.items()
                                if k not in ("impressions", "opened")} | {"viewers": ["a", "b"]}]
    [loaded] = load_state(stored).ads.breaks
    assert (loaded.impressions, loaded.opened) == (2, None)


def test_impressions_of_unknown_or_long_ended_breaks_are_refused() -> None:
    state, [started] = applied(live_state(), start_at(T0, 60))
    assert isinstance(started, AdBreakStarted)
    unknown = decide(state, impression("no-such-break", "v", T0))
    assert error_of(unknown) == "ad_break_not_found"
    late = decide(state, impression(started.break_id, "v", T0 + timedelta(seconds=121)))
    assert error_of(late) == "ad_break_ended"
    assert isinstance(decide(state, impression(started.break_id, "v",
                                               T0 + timedelta(seconds=119))), list)
