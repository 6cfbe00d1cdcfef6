"""EventSub over WebSocket: twitchAPI's EventSubWebsocket pointed at Castline by its URLs
alone, and the protocol's edges (welcome, keepalive, close codes) over a plain socket."""

from __future__ import annotations

import asyncio
import json
import signal
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from twitchAPI.eventsub.websocket import EventSubWebsocket
from twitchAPI.helper import first
from twitchAPI.object.eventsub import ChannelChatMessageEvent, StreamOnlineEvent
from twitchAPI.twitch import Twitch
from twitchAPI.type import AuthScope
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from castline.processes import stop
from gateways.eventsub import close_codes
from tests.integration.oauth_helpers import WEB_CLIENT, Account
from tests.integration.test_bench_smoke import free_port
from tests.integration.test_chat import join
from tests.integration.test_chat_history import owner_and_fan
from tests.integration.test_chat_moderation import say
from tests.integration.test_helix_clients import TIMEOUT_S, twitch_as
from tests.integration.watching import live_by_event
from tests.running import RunningPlatform
from tests.waiting import until


def eventsub_url(base: str, query: str = "") -> str:
    return base.replace("http://", "ws://") + "/eventsub/ws" + query


class Received:
    """What twitchAPI's callbacks were handed (on its own thread)."""

    def __init__(self) -> None:
        self.events: list[Any] = []
        self.changed = threading.Condition()

    async def callback(self, event: Any) -> None:
        with self.changed:
            self.events.append(event)
            self.changed.notify_all()

    async def wait_for(self, count: int) -> list[Any]:
        def waiting() -> list[Any]:
            with self.changed:
                if not self.changed.wait_for(lambda: len(self.events) >= count, TIMEOUT_S):
                    raise AssertionError(f"{len(self.events)} of {count} notifications")
                return list(self.events)

        return await asyncio.to_thread(waiting)


@asynccontextmanager
async def eventsub_of(base: str, twitch: Twitch) -> AsyncIterator[EventSubWebsocket]:
    eventsub = EventSubWebsocket(twitch, connection_url=eventsub_url(base))
    await asyncio.to_thread(eventsub.start)
    try:
        yield eventsub
    finally:
        await eventsub.stop()  # type: ignore[no-untyped-call]
        # twitchAPI leaves the event loop of its socket's thread open.
        thread, loop = eventsub._socket_thread, eventsub._socket_loop
        assert thread is not None
        assert loop is not None
        await asyncio.to_thread(thread.join)
        loop.close()


async def receive_online_and_chat(base: str, streamer: Account, fan: Account,
                                  go_live: Any) -> tuple[StreamOnlineEvent,
                                                         ChannelChatMessageEvent]:
    """twitchAPI subscribes to stream.online and channel.chat.message; the channel goes live
    (go_live) and the fan says hello."""
    received = Received()
    async with twitch_as(base, streamer, [AuthScope.USER_READ_CHAT]) as twitch:
        me = await first(twitch.get_users())
        assert me is not None
        async with eventsub_of(base, twitch) as eventsub:
            await eventsub.listen_stream_online(me.id, received.callback)
            await eventsub.listen_channel_chat_message(me.id, me.id, received.callback)
            with go_live():
                await received.wait_for(1)
                with join(base, streamer.username, fan) as ws:
                    assert say(ws, "hello eventsub")["type"] == "ack"
                events = await received.wait_for(2)
    [online] = [e for e in events if isinstance(e, StreamOnlineEvent)]
    [chat] = [e for e in events if isinstance(e, ChannelChatMessageEvent)]
    return online, chat


def test_twitchapi_gets_stream_online_and_chat_messages_over_the_websocket(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    streamer, fan = owner_and_fan(api)
    online, chat = asyncio.run(receive_online_and_chat(
        platform.base_url, streamer, fan,
        lambda: live_by_event(api, platform.settings, [streamer.username])))
    assert (online.event.broadcaster_user_login, online.event.type) == (
        streamer.username, "live")
    assert online.metadata.subscription_type == "stream.online"
    assert (chat.event.chatter_user_login, chat.event.message.text) == (
        fan.username, "hello eventsub")
    assert chat.event.broadcaster_user_id == online.event.broadcaster_user_id
    assert chat.subscription.type == "channel.chat.message"


def welcome(ws: ClientConnection) -> dict[str, Any]:
    message = json.loads(ws.recv(timeout=TIMEOUT_S))
    assert message["metadata"]["message_type"] == "session_welcome", message
    return dict(message["payload"]["session"])


def closed_with(ws: ClientConnection, timeout_s: float = TIMEOUT_S) -> int | None:
    def drained() -> None:
        while True:
            ws.recv(timeout=timeout_s)

    with pytest.raises(ConnectionClosed) as closed:
        drained()
    return closed.value.rcvd.code if closed.value.rcvd else None


def test_a_session_is_welcomed_kept_alive_and_closed_when_unused(
    platform: RunningPlatform,
) -> None:
    url = eventsub_url(platform.base_url, "?keepalive_timeout_seconds=10")
    with connect(url, open_timeout=10) as ws:
        session = welcome(ws)
        assert (session["status"], session["keepalive_timeout_seconds"]) == ("connected", 10)
        keepalive = json.loads(ws.recv(timeout=TIMEOUT_S))
        assert keepalive["metadata"]["message_type"] == "session_keepalive"
        assert keepalive["payload"] == {}
        # Nothing subscribed within eventsub_unused_session_s (10 s): 4003.
        assert closed_with(ws) == close_codes.CONNECTION_UNUSED


def test_a_client_that_talks_is_closed_and_a_bad_reconnect_refused(
    platform: RunningPlatform,
) -> None:
    with connect(eventsub_url(platform.base_url), open_timeout=10) as ws:
        welcome(ws)
        ws.send("hello?")
        assert closed_with(ws) == close_codes.CLIENT_SENT_INBOUND_TRAFFIC
    with connect(eventsub_url(platform.base_url, "?reconnect=nosuchsession"),
                 open_timeout=10) as ws:
        assert closed_with(ws) == close_codes.INVALID_RECONNECT
    with connect(eventsub_url(platform.base_url, "?keepalive_timeout_seconds=5"),
                 open_timeout=10) as ws:
        assert closed_with(ws) == 1008


def streamer_helix(api: httpx.Client) -> tuple[dict[str, str], str]:
    """A new streamer's Helix headers and user id."""
    streamer, _ = owner_and_fan(api)
    helix = {**streamer.auth, "Client-Id": WEB_CLIENT}
    return helix, str(api.get("/helix/users", headers=helix).json()["data"][0]["id"])


def subscribe(api: httpx.Client, helix: dict[str, str], kind: str, version: str,
              broadcaster: str, session_id: str) -> dict[str, Any]:
    created = api.post("/helix/eventsub/subscriptions", headers=helix, json={
        "type": kind, "version": version, "condition": {"broadcaster_user_id": broadcaster},
        "transport": {"method": "websocket", "session_id": session_id}})
    assert created.status_code == 202, created.text
    return dict(created.json())


def test_a_channel_update_says_what_changed_and_what_did_not(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    helix, me = streamer_helix(api)
    before = api.get("/helix/channels", headers=helix,
                     params={"broadcaster_id": me}).json()["data"][0]
    with connect(eventsub_url(platform.base_url), open_timeout=10) as ws:
        subscribe(api, helix, "channel.update", "2", me, welcome(ws)["id"])
        changed = api.patch("/helix/channels", headers=helix, params={"broadcaster_id": me},
                            json={"title": "a new title"})
        assert changed.status_code == 204, changed.text
        message = json.loads(ws.recv(timeout=TIMEOUT_S))
    assert message["metadata"]["subscription_type"] == "channel.update"
    event = message["payload"]["event"]
    assert (event["broadcaster_user_id"], event["title"], event["category_name"],
            event["category_id"]) == (me, "a new title", before["game_name"],
                                      before["game_id"])


def test_a_closed_session_takes_its_subscriptions_with_it(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    helix, me = streamer_helix(api)
    with connect(eventsub_url(platform.base_url), open_timeout=10) as ws:
        session = welcome(ws)
        body = subscribe(api, helix, "stream.online", "1", me, session["id"])
        assert (body["total"], body["total_cost"], body["max_total_cost"]) == (1, 1, 10)
        [sub] = body["data"]
        assert (sub["status"], sub["type"], sub["version"], sub["cost"]) == (
            "enabled", "stream.online", "1", 1)
        assert sub["transport"]["session_id"] == session["id"]
        listed = api.get("/helix/eventsub/subscriptions", headers=helix).json()
        assert [s["id"] for s in listed["data"]] == [sub["id"]]
    until(lambda: api.get("/helix/eventsub/subscriptions", headers=helix).json(),
          lambda page: (page["data"], page["total"]) == ([], 0), 20,
          "the session's subscriptions to end with it")


def test_a_gateway_going_away_asks_its_sessions_to_reconnect_and_their_subscriptions_follow(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    helix, me = streamer_helix(api)
    login = api.get("/helix/users", headers=helix).json()["data"][0]["login"]
    leaving = platform.start_gateway(free_port(platform.settings.gateway_host))
    process = platform.gateways.pop()
    stopping = threading.Thread(target=stop, args=(process, signal.SIGINT))
    try:
        with connect(eventsub_url(leaving), open_timeout=10) as old:
            # Created through another gateway than the one holding the session.
            subscribe(api, helix, "stream.online", "1", me, welcome(old)["id"])
            stopping.start()
            reconnect = json.loads(old.recv(timeout=TIMEOUT_S))
            assert reconnect["metadata"]["message_type"] == "session_reconnect"
            session = reconnect["payload"]["session"]
            assert (session["status"], session["keepalive_timeout_seconds"]) == (
                "reconnecting", None)
            # Behind a balancer the URL reaches a gateway that stays; here, the first one.
            query = urlsplit(session["reconnect_url"]).query
            with connect(eventsub_url(platform.base_url, f"?{query}"), open_timeout=10) as new:
                moved = welcome(new)
                listed = api.get("/helix/eventsub/subscriptions", headers=helix).json()["data"]
                assert [s["transport"]["session_id"] for s in listed] == [moved["id"]]
                with live_by_event(api, platform.settings, [login]):
                    told = json.loads(new.recv(timeout=TIMEOUT_S))
                assert told["metadata"]["subscription_type"] == "stream.online"
    finally:
        if stopping.is_alive():
            stopping.join()
        stop(process, signal.SIGINT)
