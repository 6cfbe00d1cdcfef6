"""Chat over IRC driven by client libraries nobody here wrote, against the running platform."""

from __future__ import annotations

import asyncio
import json
import queue
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import irc.client
from twitchAPI.chat import Chat, ChatMessage, EventData, RoomStateChangeEvent
from twitchAPI.twitch import Twitch
from twitchAPI.type import AuthScope, ChatEvent

from tests.integration.node_clients import NodeClient, event
from tests.integration.oauth_helpers import WEB_CLIENT, Account
from tests.integration.test_bench_smoke import free_port
from tests.integration.test_chat import frames, join
from tests.integration.test_chat_history import owner_and_fan
from tests.running import RunningPlatform

TIMEOUT_S = 20.0
TWURPLE_PORT = 6667  # IRC's: @twurple/chat dials no other without TLS


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


def twitchapi_chat(base_url: str, account: Account, channel: str,
                   heard: queue.Queue[tuple[str, Any]]) -> Chat:
    """twitchAPI's Chat pointed at Castline: its token validated by /oauth2/validate, its login
    looked up by /helix/users, its chat over IRC on WebSocket. Events go to `heard`; as a bot
    would, it answers a greeting, and speaks once slow mode is on."""

    async def report(event: Any) -> None:
        heard.put((type(event).__name__, event))
        if isinstance(event, ChatMessage) and event.text == "hello twitchAPI":
            await event.reply("hi from twitchAPI")
        if isinstance(event, RoomStateChangeEvent) and event.new and event.new.slow:
            await event.chat.send_message(channel, "too soon")

    async def ready(event: EventData) -> None:
        await event.chat.join_room(channel)

    async def started() -> Chat:
        twitch = Twitch(WEB_CLIENT, authenticate_app=False, base_url=f"{base_url}/helix/",
                        auth_base_url=f"{base_url}/oauth2/")
        await twitch.set_user_authentication(
            account.access_token, [AuthScope.CHAT_READ, AuthScope.CHAT_EDIT],
            account.refresh_token)
        chat: Chat = await Chat(twitch, connection_url=base_url.replace("http", "ws") + "/irc")
        chat.register_event(ChatEvent.READY, ready)
        for kind in (ChatEvent.JOINED, ChatEvent.MESSAGE, ChatEvent.NOTICE,
                     ChatEvent.CHAT_CLEARED, ChatEvent.ROOM_STATE_CHANGE):
            chat.register_event(kind, report)
        return chat

    chat = asyncio.run(started())
    chat.start()
    return chat


def stop_chat(chat: Chat) -> None:
    """Chat.stop leaves its thread's event loop open, and with it the loop's self-pipe sockets:
    wait for the thread, end the loop's remaining tasks, close it."""
    chat.stop()
    thread: threading.Thread = chat._Chat__socket_thread  # type: ignore[attr-defined]
    thread.join(TIMEOUT_S)
    assert not thread.is_alive(), "twitchAPI's chat thread did not end"
    loop: asyncio.AbstractEventLoop = chat._Chat__socket_loop  # type: ignore[attr-defined]
    pending = asyncio.all_tasks(loop)
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.wait(pending))
    loop.close()


def next_heard(heard: queue.Queue[tuple[str, Any]], wanted: Callable[[str, Any], bool],
               what: str) -> Any:
    deadline = time.monotonic() + TIMEOUT_S
    while True:
        try:
            kind, found = heard.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise AssertionError(f"no {what} within {TIMEOUT_S} s") from None
        if wanted(kind, found):
            return found


def test_twitchapis_chat_reads_talks_and_sees_slow_mode_and_a_ban(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    streamer, fan = owner_and_fan(api)
    channel = streamer.username
    heard: queue.Queue[tuple[str, Any]] = queue.Queue()
    chat = twitchapi_chat(platform.base_url, fan, channel, heard)
    try:
        next_heard(heard, lambda kind, _: kind == "JoinedEvent", "the join")
        with join(platform.base_url, channel, streamer) as ws:
            ws.send(json.dumps({"type": "message", "text": "hello twitchAPI"}))
            message = next_heard(heard, lambda kind, e: kind == "ChatMessage", "the message")
            assert (message.text, message.user.name, message.room.name) == (
                "hello twitchAPI", channel, channel)
            assert frames(ws, "message", 2)[-1]["text"] == "hi from twitchAPI"
        modes = api.put(f"/api/v1/channels/{channel}/chat/settings", headers=streamer.auth,
                        json={"slow_mode_s": 30})
        assert modes.status_code == 200, modes.text
        next_heard(heard, lambda kind, e: kind == "RoomStateChangeEvent" and e.new.slow == 30,
                   "slow mode on")
        refused = next_heard(heard, lambda kind, _: kind == "NoticeEvent", "the refusal")
        assert refused.msg_id == "msg_slowmode"
        banned = api.post(f"/api/v1/channels/{channel}/chat/bans", headers=streamer.auth,
                          json={"username": fan.username})
        assert banned.status_code == 200, banned.text
        cleared = next_heard(heard, lambda kind, _: kind == "ClearChatEvent", "the ban")
        assert (cleared.user_name, cleared.duration) == (fan.username, None)
    finally:
        stop_chat(chat)


def test_twurple_reads_anonymously_over_tcp_on_6667(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    """@twurple/chat dials 6667 (or 80, 443, 6697) and nothing else: a gateway of its own
    listens there for this test."""
    streamer, fan = owner_and_fan(api)
    channel, host = streamer.username, platform.settings.gateway_host
    with socket.socket() as probe:
        assert probe.connect_ex((host, TWURPLE_PORT)) != 0, f"port {TWURPLE_PORT} is taken"
    port = free_port(host)
    with platform.extra_gateway(port, {"CASTLINE_IRC_PORT": str(TWURPLE_PORT)}) as base_url:
        reader = NodeClient("twurple_session.mjs", {"host": host, "channel": channel})
        try:
            reader.until(event("join"), "its join")
            with join(base_url, channel, streamer) as ws:
                ws.send(json.dumps({"type": "message", "text": "hello twurple"}))
                heard = reader.until(event("message", text="hello twurple"), "the message")
                assert (heard["user"], heard["badges"]) == (channel, {"broadcaster": "1"})
            modes = api.put(f"/api/v1/channels/{channel}/chat/settings", headers=streamer.auth,
                            json={"slow_mode_s": 20})
            assert modes.status_code == 200, modes.text
            reader.until(event("slowmode", enabled=True, delay=20), "slow mode on")
            banned = api.post(f"/api/v1/channels/{channel}/chat/bans", headers=streamer.auth,
                              json={"username": fan.username, "duration_s": 60})
            assert banned.status_code == 200, banned.text
            reader.until(event("timeout", user=fan.username, duration=60), "the timeout")
        finally:
            reader.close()
