"""Announcements: the broadcaster and moderators post them from JSON or IRC (/announce), every
client is told them with their colour, and a viewer's is refused."""

from __future__ import annotations

import json

import httpx

from tests.integration.irc_lines import RawIrc, notice_id
from tests.integration.test_chat import frames, join
from tests.integration.test_chat_history import owner_and_fan
from tests.running import RunningPlatform


def test_announcements_reach_json_and_irc_clients_and_viewers_cannot_make_them(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    streamer, fan = owner_and_fan(api)
    channel = streamer.username
    with RawIrc(platform.settings.irc_port) as host_irc, \
            RawIrc(platform.settings.irc_port) as fan_irc, \
            join(platform.base_url, channel) as reader, \
            join(platform.base_url, channel, fan) as fan_ws:
        host_irc.sign_in(channel, f"oauth:{streamer.access_token}")
        host_irc.join(channel)
        fan_irc.sign_in(fan.username, f"oauth:{fan.access_token}")
        fan_irc.join(channel)
        host_irc.send(f"PRIVMSG #{channel} :/announcepurple giveaway at nine")
        [from_irc] = frames(reader, "message", 1)
        told = fan_irc.until(lambda line: line.command == "USERNOTICE")[-1]
        fan_ws.send(json.dumps({"type": "message", "text": "me too", "announcement": "blue",
                                "nonce": "n"}))
        [refused] = frames(fan_ws, "error", 1)
        fan_irc.send(f"PRIVMSG #{channel} :/announce me too")
        fan_irc.until(notice_id("no_permission"))
        fan_ws.send(json.dumps({"type": "message", "text": "x", "announcement": "red"}))
        [mistyped] = frames(fan_ws, "error", 1)
    assert (from_irc["text"], from_irc["announcement"]) == ("giveaway at nine", "purple")
    assert (told.params, told.tags["msg-id"], told.tags["msg-param-color"]) == (
        (f"#{channel}", "giveaway at nine"), "announcement", "PURPLE")
    assert told.tags["login"] == channel
    assert (refused["reason"], refused["nonce"]) == ("forbidden", "n")
    assert (mistyped["reason"], mistyped["field"]) == ("invalid_message", "announcement")
