"""Twitch's chat commands typed as messages, parsed into Castline's moderation."""

from __future__ import annotations

import pytest

from gateways.irc.legacy import (
    Announcement,
    ModeChange,
    Moderation,
    ModeratorChange,
    Unusable,
    parse_duration,
    parse_legacy,
    success,
)


@pytest.mark.parametrize(("text", "seconds"), [
    ("600", 600), ("10m", 600), ("1h", 3600), ("2 weeks", 1209600), ("1d", 86400),
    ("x", None), ("-5", None), ("", None)])
def test_durations(text: str, seconds: int | None) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(("text", "command"), [
    ("/ban Troll spamming links", Moderation("ban", "troll", reason="spamming links")),
    (".ban @troll", Moderation("ban", "troll")),
    ("/timeout troll", Moderation("timeout", "troll", 600)),
    ("/timeout troll 10m calm down", Moderation("timeout", "troll", 600, "calm down")),
    ("/unban troll", Moderation("unban", "troll")),
    ("/untimeout troll", Moderation("unban", "troll")),
    ("/slow", ModeChange("slow_mode_s", 30)), ("/slow 5", ModeChange("slow_mode_s", 5)),
    ("/slowoff", ModeChange("slow_mode_s", 0)),
    ("/followers", ModeChange("followers_only_s", 0)),
    ("/followers 10", ModeChange("followers_only_s", 600)),
    ("/followers 1 week", ModeChange("followers_only_s", 604800)),
    ("/followersoff", ModeChange("followers_only_s", None)),
    ("/subscribers", ModeChange("subscriber_only", True)),
    ("/emoteonlyoff", ModeChange("emote_only", False)),
    ("/clear", Moderation("clear")),
    ("/delete 0b1c-22", Moderation("delete", message_id="0b1c-22")),
    ("/mod helper", ModeratorChange("helper", True)),
    ("/unmod helper", ModeratorChange("helper", False)),
    ("/announce Stream starts soon", Announcement("Stream starts soon", "primary")),
    ("/announceorange raid at 9", Announcement("raid at 9", "orange")),
])
def test_commands(text: str, command: object) -> None:
    assert parse_legacy(text) == command


@pytest.mark.parametrize("text", ["hello", "// not a command", "/ spaced", "/", "..."])
def test_messages_are_not_commands(text: str) -> None:
    assert parse_legacy(text) is None


@pytest.mark.parametrize(("text", "msg_id"), [
    ("/ban", "usage_ban"), ("/ban no", "usage_ban"), ("/timeout troll forever", "usage_timeout"),
    ("/timeout troll 3w", "usage_timeout"), ("/slow 500", "usage_slow"),
    ("/delete <id>", "usage_delete"), ("/host someone", "unrecognized_cmd"),
    ("/announce", "usage_announce"), ("/announcered hi", "unrecognized_cmd")])
def test_wrong_commands_are_answered_with_usage(text: str, msg_id: str) -> None:
    answer = parse_legacy(text)
    assert isinstance(answer, Unusable)
    assert answer.msg_id == msg_id


def test_successes_are_answered_with_twitchs_ids() -> None:
    assert success(Moderation("ban", "troll")) == (
        "ban_success", "troll is now banned from this channel.")
    assert success(ModeChange("slow_mode_s", 0)) == (
        "slow_off", "This room is no longer in slow mode.")
    assert success(ModeChange("followers_only_s", 600)) == (
        "followers_on", "This room is now in 10 minutes followers-only mode.")
    assert success(ModeChange("emote_only", True)) == (
        "emote_only_on", "This room is now in emote-only mode.")
    assert success(Moderation("clear")) is None
