from __future__ import annotations

import pytest

from events.channel_commands import (
    AddModerator,
    CreateChannel,
    RemoveModerator,
    UpdateChannelInfo,
)
from events.channels import ChannelCreated, ChannelInfoUpdated, ModeratorAdded, ModeratorRemoved
from processors.deciders.channels import ChannelCommand, ChannelState, decide, evolve, remember
from processors.deciders.decisions import RECENT_COMMANDS_KEPT, Rejected, RememberedOutcome

OWNER = "owner-1"


def created_state() -> ChannelState:
    return ChannelState(exists=True, title="old title", category="Chess", owner_id=OWNER)


def test_create_on_fresh_channel_emits_created_with_its_owner() -> None:
    command = CreateChannel(channel="abcd", display_name="ABCD", title="t", category="c",
                            owner_id=OWNER)
    events = decide(ChannelState(), command)
    assert isinstance(events, list)
    [event] = events
    assert isinstance(event, ChannelCreated)
    assert (event.channel, event.owner_id, event.command_id) == (
        "abcd", OWNER, str(command.command_id))


def test_create_twice_is_rejected_as_exists() -> None:
    command = CreateChannel(channel="abcd", display_name="abcd", title="t", category="c")
    result = decide(created_state(), command)
    assert result == Rejected("channel_exists", "channel 'abcd' already exists", "name")


def test_update_of_unknown_channel_is_rejected_as_not_found() -> None:
    result = decide(ChannelState(), UpdateChannelInfo(channel="nope", title="x", actor_id=OWNER))
    assert isinstance(result, Rejected)
    assert result.error == "channel_not_found"


@pytest.mark.parametrize(
    "command",
    [
        UpdateChannelInfo(channel="abcd", title="x", actor_id="someone-else"),
        UpdateChannelInfo(channel="abcd", title="x"),
        AddModerator(channel="abcd", user_id="m", username="mod1", actor_id="someone-else"),
        RemoveModerator(channel="abcd", user_id="m", username="mod1", actor_id="mod-user"),
    ],
)
def test_only_the_owner_or_an_admin_manages_the_channel(command: ChannelCommand) -> None:
    state = evolve(created_state(), ModeratorAdded(channel="abcd", user_id="mod-user",
                                                   username="mod1", by_user_id=OWNER))
    assert decide(state, command) == Rejected(
        "forbidden", "only the broadcaster or an admin may do this")


def test_admin_may_manage_any_channel() -> None:
    command = UpdateChannelInfo(channel="abcd", title="new", actor_id="admin", actor_admin=True)
    assert isinstance(decide(created_state(), command), list)


def test_update_carries_only_changed_fields() -> None:
    command = UpdateChannelInfo(channel="abcd", title="new", category="Chess", actor_id=OWNER)
    events = decide(created_state(), command)
    assert isinstance(events, list)
    [event] = events
    assert isinstance(event, ChannelInfoUpdated)
    assert (event.title, event.category) == ("new", None)


def test_update_to_same_values_emits_nothing() -> None:
    unchanged = UpdateChannelInfo(channel="abcd", title="old title", category="Chess",
                                  actor_id=OWNER)
    assert decide(created_state(), unchanged) == []


def test_moderators_are_added_once_and_removed_once() -> None:
    add = AddModerator(channel="abcd", user_id="m", username="mod1", actor_id=OWNER)
    [added] = decide(created_state(), add)  # type: ignore[misc]
    state = evolve(created_state(), added)
    again = decide(state, add)
    assert isinstance(again, Rejected)
    assert again.error == "moderator_exists"
    remove = RemoveModerator(channel="abcd", user_id="m", username="mod1", actor_id=OWNER)
    [removed] = decide(state, remove)  # type: ignore[misc]
    assert isinstance(removed, ModeratorRemoved)
    state = evolve(state, removed)
    assert state.moderators == ()
    gone = decide(state, remove)
    assert isinstance(gone, Rejected)
    assert gone.error == "moderator_not_found"


def test_the_broadcaster_cannot_be_made_a_moderator() -> None:
    add = AddModerator(channel="abcd", user_id=OWNER, username="abcd", actor_id=OWNER)
    result = decide(created_state(), add)
    assert isinstance(result, Rejected)
    assert result.field == "username"


def test_evolve_folds_created_then_updated() -> None:
    state = evolve(ChannelState(), ChannelCreated(
        channel="abcd", display_name="abcd", title="a", category="b", owner_id=OWNER))
    state = evolve(state, ChannelInfoUpdated(channel="abcd", category="z"))
    assert (state.exists, state.title, state.category, state.owner_id) == (True, "a", "z", OWNER)


def test_remember_keeps_a_bounded_window_of_outcomes() -> None:
    state = ChannelState()
    for n in range(RECENT_COMMANDS_KEPT + 5):
        state = remember(state, RememberedOutcome(command_id=str(n)))
    assert len(state.recent) == RECENT_COMMANDS_KEPT
    assert state.outcome_of("0") is None
    assert state.outcome_of(str(RECENT_COMMANDS_KEPT + 4)) is not None
