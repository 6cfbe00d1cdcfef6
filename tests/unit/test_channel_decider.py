from __future__ import annotations

from events.channels import ChannelCreated, ChannelInfoUpdated, CreateChannel, UpdateChannelInfo
from processors.channel_decider import ChannelState, decide, evolve, remember
from processors.decisions import RECENT_COMMANDS_KEPT, Rejected, RememberedOutcome


def created_state() -> ChannelState:
    return ChannelState(exists=True, title="old title", category="Chess")


def test_create_on_fresh_channel_emits_created() -> None:
    command = CreateChannel(channel="abcd", display_name="ABCD", title="t", category="c")
    events = decide(ChannelState(), command)
    assert isinstance(events, list)
    [event] = events
    assert isinstance(event, ChannelCreated)
    assert (event.channel, event.title, event.command_id) == ("abcd", "t", str(command.command_id))


def test_create_twice_is_rejected_as_exists() -> None:
    command = CreateChannel(channel="abcd", display_name="abcd", title="t", category="c")
    result = decide(created_state(), command)
    assert result == Rejected("channel_exists", "channel 'abcd' already exists", "name")


def test_update_of_unknown_channel_is_rejected_as_not_found() -> None:
    result = decide(ChannelState(), UpdateChannelInfo(channel="nope", title="x"))
    assert isinstance(result, Rejected)
    assert result.error == "channel_not_found"


def test_update_carries_only_changed_fields() -> None:
    command = UpdateChannelInfo(channel="abcd", title="new", category="Chess")
    events = decide(created_state(), command)
    assert isinstance(events, list)
    [event] = events
    assert isinstance(event, ChannelInfoUpdated)
    assert (event.title, event.category) == ("new", None)


def test_update_to_same_values_emits_nothing() -> None:
    unchanged = UpdateChannelInfo(channel="abcd", title="old title", category="Chess")
    assert decide(created_state(), unchanged) == []


def test_evolve_folds_created_then_updated() -> None:
    state = evolve(ChannelState(), ChannelCreated(
        channel="abcd", display_name="abcd", title="a", category="b"))
    state = evolve(state, ChannelInfoUpdated(channel="abcd", category="z"))
    assert (state.exists, state.title, state.category) == (True, "a", "z")


def test_remember_keeps_a_bounded_window_of_outcomes() -> None:
    state = ChannelState()
    for n in range(RECENT_COMMANDS_KEPT + 5):
        state = remember(state, RememberedOutcome(command_id=str(n)))
    assert len(state.recent) == RECENT_COMMANDS_KEPT
    assert state.outcome_of("0") is None
    assert state.outcome_of(str(RECENT_COMMANDS_KEPT + 4)) is not None
