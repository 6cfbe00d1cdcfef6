"""What chat sockets and IRC clients are told of a raid (pure)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec

from events.raids import RaidCanceled, RaidStarted, RaidWent
from gateways.irc.lines import format_line, parse_line
from gateways.irc.relay import irc_line
from gateways.raid_frames import raid_frames

AT = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
PARTIES: dict[str, Any] = {"from_broadcaster_user_id": "u1", "from_broadcaster_user_login": "abcd",
           "from_broadcaster_user_name": "AbCd", "to_broadcaster_user_id": "u2",
           "to_broadcaster_user_login": "efgh", "to_broadcaster_user_name": "EfGh",
           "viewers": 12}


def test_the_raiding_channel_sees_the_countdown_and_its_cancellation() -> None:
    [countdown] = raid_frames(RaidStarted(channel="abcd", raid_id="r1", goes_at=AT,
                                          by_user_id="u1", **PARTIES))
    assert countdown == {"type": "raid_countdown", "channel": "abcd", "raid_id": "r1",
                         "target": "efgh", "target_display_name": "EfGh", "viewers": 12,
                         "goes_at": AT.isoformat()}
    [canceled] = raid_frames(RaidCanceled(channel="abcd", raid_id="r1", by_user_id="u1",
                                          to_broadcaster_user_login="efgh"))
    assert (canceled["type"], canceled["channel"]) == ("raid_canceled", "abcd")
    assert irc_line(countdown, "u1") is None


def test_a_raid_that_goes_tells_players_to_go_and_the_target_who_came() -> None:
    go, notice = raid_frames(RaidWent(channel="abcd", raid_id="r1", occurred_at=AT, **PARTIES))
    assert (go["type"], go["channel"], go["target"]) == ("raid_go", "abcd", "efgh")
    assert (notice["type"], notice["channel"], notice["username"], notice["viewers"]) == (
        "raid", "efgh", "abcd", 12)
    line = irc_line(msgspec.json.decode(msgspec.json.encode(notice)), "u2")
    assert line is not None
    parsed = parse_line(format_line(line).encode())
    assert (parsed.command, parsed.params) == ("USERNOTICE", ("#efgh",))
    assert {k: parsed.tags[k] for k in ("msg-id", "login", "msg-param-login",
                                        "msg-param-displayName", "msg-param-viewerCount",
                                        "room-id", "user-id", "system-msg")} == {
        "msg-id": "raid", "login": "abcd", "msg-param-login": "abcd",
        "msg-param-displayName": "AbCd", "msg-param-viewerCount": "12", "room-id": "u2",
        "user-id": "u1", "system-msg": "12 raiders from AbCd have joined!"}
