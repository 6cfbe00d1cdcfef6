"""A raid end to end: two channels live from ffmpeg, a raid started, cancelled and started
again over Castline's API and Helix (twitchAPI), counting down until the raiding channel's
clock passes its end; then the raiding channel's players are told to go, the target's chat
gets the notice over JSON and IRC, and an EventSub session subscribed to raids into the target
gets channel.raid. And each way a raid is refused."""

from __future__ import annotations

import asyncio
import json
import subprocess
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import httpx
import pytest
import redis
from twitchAPI.twitch import Twitch
from twitchAPI.type import AuthScope, TwitchAPIException, TwitchResourceNotFound
from websockets.sync.client import ClientConnection, connect

from processors.subscription_clock import TEST_CLOCK_KEY
from tests.e2e.conftest import Streamer, is_live, new_streamer
from tests.e2e.publisher import publish
from tests.integration.irc_lines import RawIrc
from tests.integration.money import with_channel
from tests.integration.oauth_helpers import WEB_CLIENT, Account
from tests.integration.subscribing import set_clock
from tests.integration.test_chat import frames, join
from tests.integration.test_helix_clients import twitch_as
from tests.running import RunningPlatform
from tests.waiting import until

RAIDS = [AuthScope.CHANNEL_MANAGE_RAIDS]
T = TypeVar("T")


def raid(api: httpx.Client, raider: Account, target: str) -> httpx.Response:
    return api.post(f"/api/v1/channels/{raider.username}/raids", json={"target": target},
                    headers=raider.auth)


def helix_as(base: str, account: Account, call: Callable[[Twitch], Awaitable[T]]) -> T:
    async def called() -> T:
        async with twitch_as(base, account, RAIDS) as twitch:
            return await call(twitch)

    return asyncio.run(called())


@contextmanager
def raids_into(base: str, api: httpx.Client, account: Account, target_id: str
               ) -> Iterator[ClientConnection]:
    """An EventSub WebSocket session subscribed to channel.raid into the target."""
    with connect(base.replace("http://", "ws://") + "/eventsub/ws", open_timeout=20) as ws:
        welcome = json.loads(ws.recv(timeout=20))
        session = welcome["payload"]["session"]["id"]
        created = api.post("/helix/eventsub/subscriptions",
                           headers={**account.auth, "Client-Id": WEB_CLIENT}, json={
                               "type": "channel.raid", "version": "1",
                               "condition": {"to_broadcaster_user_id": target_id},
                               "transport": {"method": "websocket", "session_id": session}})
        assert created.status_code == 202, created.text
        yield ws


def notification(ws: ClientConnection) -> dict[str, object]:
    """The next notification, keepalives skipped."""
    while True:
        message = json.loads(ws.recv(timeout=30))
        if message["metadata"]["message_type"] == "notification":
            event: dict[str, object] = message["payload"]["event"]
            return event


def user_id(api: httpx.Client, account: Account) -> str:
    return str(api.get("/api/v1/users/me", headers=account.auth).json()["data"]["id"])


def set_raids_from(api: httpx.Client, account: Account, raids_from: str, **info: str) -> None:
    """The raid setting changed, with any channel info given, read back."""
    changed = api.patch(f"/api/v1/channels/{account.username}",
                        json={"raids_from": raids_from, **info}, headers=account.auth)
    assert changed.status_code == 200, changed.text
    read = api.get(f"/api/v1/channels/{account.username}",
                   params={"min_position": changed.json()["position"]})
    assert read.json()["data"] | {"raids_from": raids_from, **info} == read.json()["data"]


def refused(response: httpx.Response, status: int, error: str) -> None:
    assert (response.status_code, response.json()["error"]) == (status, error), response.text


@pytest.fixture
def clock(platform: RunningPlatform) -> Iterator[Callable[[str, datetime], None]]:
    """Moves channels' time for the raid scheduler; their own time again after the test."""
    moved: list[str] = []

    def move(channel: str, at: datetime) -> None:
        moved.append(channel)
        set_clock(platform.settings, channel, at)

    yield move
    client = redis.Redis.from_url(platform.settings.redis)
    if moved:
        client.hdel(TEST_CLOCK_KEY, *moved)
    client.close()


@pytest.fixture
def live_pair(api: httpx.Client, logs: Path, publishers: list[subprocess.Popen[bytes]]
              ) -> tuple[Streamer, Streamer]:
    pair = new_streamer(api), new_streamer(api)
    for n, streamer in enumerate(pair):
        publishers.append(publish(streamer.server, streamer.key, logs / f"obs{n}.log",
                                  seconds=900))
    until(lambda: all(is_live(api, s.account.username) for s in pair), bool, 30,
          "both channels to go live")
    return pair


def test_refused_raids_say_why(api: httpx.Client, platform: RunningPlatform,
                               live_pair: tuple[Streamer, Streamer]) -> None:
    raider, target = live_pair[0].account, live_pair[1].account
    offline = with_channel(api, "off")
    refused(raid(api, raider, raider.username), 422, "cannot_raid_self")
    refused(raid(api, raider, "nosuchchannel"), 404, "channel_not_found")
    refused(raid(api, raider, offline.username), 409, "target_offline")
    refused(raid(api, offline, target.username), 409, "not_live")
    refused(raid(api, target, "x"), 422, "invalid_field")
    refused(api.patch(f"/api/v1/channels/{target.username}", json={"raids_from": "some"},
                      headers=target.auth), 422, "invalid_field")
    set_raids_from(api, target, "nobody")
    refused(raid(api, raider, target.username), 409, "raids_refused")
    set_raids_from(api, target, "followed", title="raids from friends only")
    refused(raid(api, raider, target.username), 409, "raids_refused")
    ids = user_id(api, raider), user_id(api, target)

    async def helix_refusal() -> str:
        async with twitch_as(platform.base_url, raider, RAIDS) as twitch:
            with pytest.raises(TwitchAPIException) as raised:
                await twitch.start_raid(*ids)
            with pytest.raises(TwitchResourceNotFound):
                await twitch.cancel_raid(ids[0])
            return str(raised.value)

    assert "doesn't accept raids" in asyncio.run(helix_refusal())
    followed = api.post(f"/api/v1/channels/{raider.username}/follow", headers=target.auth)
    assert followed.is_success, followed.text
    until(lambda: raid(api, raider, target.username), lambda r: r.status_code == 201, 20,
          "the target's follow to let the raid in")


def test_a_raid_counts_down_is_cancelled_then_goes(
    api: httpx.Client, platform: RunningPlatform, live_pair: tuple[Streamer, Streamer],
    clock: Callable[[str, datetime], None],
) -> None:
    raider, target = live_pair[0].account, live_pair[1].account
    ids = user_id(api, raider), user_id(api, target)
    base = platform.base_url
    clock(raider.username, datetime.now(UTC))  # stands still: the raid waits for the test
    with join(base, raider.username) as players, join(base, target.username) as chat, \
            RawIrc(platform.settings.irc_port) as irc, \
            raids_into(base, api, target, ids[1]) as eventsub:
        irc.sign_in("justinfan4242")
        irc.join(target.username)

        created = helix_as(base, raider, lambda twitch: twitch.start_raid(*ids)).created_at
        assert created.tzinfo is not None
        [countdown] = frames(players, "raid_countdown", 1)
        assert (countdown["target"], countdown["target_display_name"]) == (
            target.username, target.username)
        again = api.post("/helix/raids", headers={**raider.auth, "Client-Id": WEB_CLIENT},
                         params={"from_broadcaster_id": ids[0], "to_broadcaster_id": ids[1]})
        assert (again.status_code, again.json()["error"]) == (409, "Conflict")
        helix_as(base, raider, lambda twitch: twitch.cancel_raid(ids[0]))
        [canceled] = frames(players, "raid_canceled", 1)
        assert canceled["raid_id"] == countdown["raid_id"]
        started = raid(api, raider, target.username)
        assert started.status_code == 201, started.text
        refused(raid(api, raider, target.username), 409, "already_raiding")
        goes_at = datetime.fromisoformat(started.json()["data"]["goes_at"])
        assert goes_at - datetime.now(goes_at.tzinfo) > timedelta(seconds=30)
        [countdown] = frames(players, "raid_countdown", 1)
        clock(raider.username, goes_at + timedelta(seconds=1))
        [go] = frames(players, "raid_go", 1)
        assert (go["target"], go["raid_id"]) == (target.username, countdown["raid_id"])
        [notice] = frames(chat, "raid", 1)
        assert (notice["username"], notice["user_id"], notice["viewers"]) == (
            raider.username, ids[0], started.json()["data"]["viewers"])
        [line] = irc.until(lambda ln: ln.command == "USERNOTICE")[-1:]
        told = notification(eventsub)
    assert {k: told[k] for k in ("from_broadcaster_user_id", "from_broadcaster_user_login",
                                 "to_broadcaster_user_id", "viewers")} == {
        "from_broadcaster_user_id": ids[0], "from_broadcaster_user_login": raider.username,
        "to_broadcaster_user_id": ids[1], "viewers": started.json()["data"]["viewers"]}
    assert line.params == (f"#{target.username}",)
    assert {k: line.tags[k] for k in ("msg-id", "msg-param-login", "msg-param-displayName",
                                      "login", "user-id", "room-id")} == {
        "msg-id": "raid", "msg-param-login": raider.username,
        "msg-param-displayName": raider.username, "login": raider.username,
        "user-id": ids[0], "room-id": ids[1]}
    viewers = str(started.json()["data"]["viewers"])
    assert line.tags["msg-param-viewerCount"] == viewers
    assert line.tags["system-msg"] == f"{viewers} raiders from {raider.username} have joined!"
    cancel = api.delete(f"/api/v1/channels/{raider.username}/raids", headers=raider.auth)
    refused(cancel, 404, "raid_not_found")
