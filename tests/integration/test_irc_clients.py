"""Chat over IRC driven by client libraries nobody here wrote, against the running platform."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import httpx
import irc.client

from tests.integration.node_clients import NodeClient, event
from tests.integration.test_chat import frames, join
from tests.integration.test_chat_history import owner_and_fan
from tests.running import RunningPlatform

TIMEOUT_S = 20.0


class JaracoClient:
    """jaraco's `irc` package: its reactor turned by hand until what a test waits for came."""

    def __init__(self, port: int, nick: str, password: str | None) -> None:
        self.reactor = irc.client.Reactor()
        self.events: list[Any] = []
        self.reactor.add_global_handler("all_events", lambda _, event: self.events.append(event))
        self.connection = self.reactor.server().connect("127.0.0.1", port, nick,
                                                        password=password)

    def until(self, wanted: Callable[[Any], bool], what: str) -> Any:
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline:
            found = next((event for event in self.events if wanted(event)), None)
            if found is not None:
                self.events.remove(found)
                return found
            self.reactor.process_once(0.05)
        raise AssertionError(f"no {what} within {TIMEOUT_S} s; saw "
                             f"{[(e.type, e.arguments) for e in self.events]}")

    def close(self) -> None:
        self.connection.close()


def of_type(kind: str, text: str | None = None) -> Callable[[Any], bool]:
    return lambda event: event.type == kind and (text is None or event.arguments[0] == text)


def test_jaracos_irc_client_joins_and_talks(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    streamer, fan = owner_and_fan(api)
    channel, port = streamer.username, platform.settings.irc_port
    talker = JaracoClient(port, fan.username, f"oauth:{fan.access_token}")
    listener = JaracoClient(port, "justinfan31337", None)
    try:
        for client in (talker, listener):
            client.connection.cap("REQ", "twitch.tv/tags", "twitch.tv/commands")
            client.until(of_type("welcome"), "welcome")
            client.connection.join(f"#{channel}")
            client.until(of_type("join"), "its join")
        with join(platform.base_url, channel, streamer) as ws:
            ws.send(json.dumps({"type": "message", "text": "hello from JSON"}))
            heard = talker.until(of_type("pubmsg", "hello from JSON"), "the JSON message")
            assert heard.source.nick == channel
            assert {tag["key"]: tag["value"] for tag in heard.tags}["badges"] == "broadcaster/1"
            talker.connection.privmsg(f"#{channel}", "hello from IRC")
            assert [f["text"] for f in frames(ws, "message", 2)] == [
                "hello from JSON", "hello from IRC"]
            listener.until(of_type("pubmsg", "hello from JSON"), "the JSON message")
            relayed = listener.until(of_type("pubmsg", "hello from IRC"), "the IRC message")
            assert relayed.source.nick == fan.username
    finally:
        talker.close()
        listener.close()


def test_tmi_js_reads_talks_and_sees_slow_mode_and_a_ban(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    streamer, fan = owner_and_fan(api)
    channel = streamer.username
    where = {"host": platform.settings.gateway_host,
             "port": int(platform.base_url.rsplit(":", 1)[1]), "channel": channel}
    anonymous = NodeClient("tmi_session.js", where)
    talker = NodeClient("tmi_session.js", {**where, "username": fan.username,
                                           "token": fan.access_token})
    try:
        for client in (anonymous, talker):
            client.until(event("join", self=True), "its join")
            client.until(event("roomstate"), "the room's state")
        with join(platform.base_url, channel, streamer) as ws:
            ws.send(json.dumps({"type": "message", "text": "hello tmi Kappa"}))
            for client in (anonymous, talker):
                heard = client.until(event("message", text="hello tmi Kappa"), "the message")
                assert (heard["self"], heard["tags"]["username"]) == (False, channel)
                assert heard["tags"]["badges"] == {"broadcaster": "1"}
                assert heard["tags"]["emotes"] == {"Kappa": ["10-14"]}
            talker.send(say="hi from tmi.js")
            talker.until(event("done", action="say"), "the message sent")
            assert frames(ws, "message", 2)[-1]["text"] == "hi from tmi.js"
            assert anonymous.until(event("message", text="hi from tmi.js"),
                                   "the fan's message")["tags"]["username"] == fan.username
        modes = api.put(f"/api/v1/channels/{channel}/chat/settings", headers=streamer.auth,
                        json={"slow_mode_s": 30})
        assert modes.status_code == 200, modes.text
        talker.until(event("slowmode", enabled=True, length=30), "slow mode on")
        talker.send(say="too soon")
        talker.until(event("notice", msgid="msg_slowmode"), "the slow mode refusal")
        banned = api.post(f"/api/v1/channels/{channel}/chat/bans", headers=streamer.auth,
                          json={"username": fan.username})
        assert banned.status_code == 200, banned.text
        for client in (anonymous, talker):
            client.until(event("ban", username=fan.username), "the ban")
    finally:
        anonymous.close()
        talker.close()
