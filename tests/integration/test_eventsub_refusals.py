"""Create EventSub Subscription refused as Twitch refuses it: 400 for a type, version,
condition or transport it does not take, 401 for the wrong kind of token, 403 without the
scope or the standing the type needs, 409 for one that exists; Delete answers 404 for an id
it does not know."""

from __future__ import annotations

import json
from collections.abc import Iterator
from http import HTTPStatus
from typing import Any
from uuid import uuid4

import httpx
import pytest
from websockets.sync.client import connect

from tests.integration.oauth_helpers import WEB_CLIENT, Account
from tests.integration.test_chat_moderation import broadcaster_moderator_viewer
from tests.integration.test_eventsub_ws import eventsub_url
from tests.running import RunningPlatform


def helix(account: Account) -> dict[str, str]:
    return {**account.auth, "Client-Id": WEB_CLIENT}


def user_id(api: httpx.Client, account: Account) -> str:
    return str(api.get("/helix/users", headers=helix(account)).json()["data"][0]["id"])


@pytest.fixture
def cast(api: httpx.Client) -> tuple[Account, Account, Account]:
    return broadcaster_moderator_viewer(api)


@pytest.fixture
def session(platform: RunningPlatform, cast: tuple[Account, Account, Account]
            ) -> Iterator[str]:
    """Opened once the accounts exist: a session unused for 10 s is closed."""
    with connect(eventsub_url(platform.base_url), open_timeout=10) as ws:
        welcome = json.loads(ws.recv(timeout=20))
        yield str(welcome["payload"]["session"]["id"])


def create(api: httpx.Client, account: Account, kind: str, version: str,
           condition: dict[str, str], transport: dict[str, str]) -> httpx.Response:
    return api.post("/helix/eventsub/subscriptions", headers=helix(account), json={
        "type": kind, "version": version, "condition": condition, "transport": transport})


def refused(response: httpx.Response, status: int, words: str) -> None:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert (body["status"], body["error"]) == (status, HTTPStatus(status).phrase)
    assert words in body["message"], body


def test_refusals(api: httpx.Client, cast: tuple[Account, Account, Account],
                  session: str) -> None:
    owner, mod, fan = cast
    ws = {"method": "websocket", "session_id": session}
    online = {"broadcaster_user_id": user_id(api, owner)}
    assert create(api, owner, "stream.online", "1", online, ws).status_code == 202
    owner_id, mod_id, fan_id = (user_id(api, a) for a in (owner, mod, fan))
    refused(create(api, owner, "stream.sideways", "1", online, ws), 400, "unsupported")
    refused(create(api, owner, "stream.online", "7", online, ws), 400, "version")
    refused(create(api, owner, "stream.online", "1", {}, ws), 400, "condition")
    refused(create(api, owner, "stream.online", "1", {"broadcaster_user_id": "x"}, ws), 400,
            "not a user id")
    refused(create(api, owner, "stream.online", "1", {"broadcaster_user_id": str(uuid4())},
                   ws), 400, "names no channel")
    refused(create(api, owner, "stream.online", "1", online,
                   {"method": "websocket", "session_id": "gone"}), 400, "session")
    refused(create(api, owner, "stream.online", "1", online, {
        "method": "webhook", "callback": "http://example.com/", "secret": "s" * 12}), 401,
        "app access token")
    follow = {"broadcaster_user_id": owner_id, "moderator_user_id": fan_id}
    refused(create(api, fan, "channel.follow", "2", follow, ws), 403, "may not read")
    refused(create(api, owner, "channel.follow", "2", follow, ws), 403, "token's user")
    as_mod = {"broadcaster_user_id": owner_id, "moderator_user_id": mod_id}
    assert create(api, mod, "channel.follow", "2", as_mod, ws).status_code == 202
    refused(create(api, mod, "channel.follow", "2", as_mod, ws), 409, "already exists")
    refused(create(api, fan, "channel.cheer", "1", online, ws), 403, "token's user")
    refused(create(api, owner, "stream.online", "1", online, ws), 409, "already exists")
    reader = {"broadcaster_user_id": owner_id, "user_id": fan_id}
    assert create(api, fan, "channel.chat.message", "1", reader, ws).status_code == 202
    refused(create(api, owner, "channel.chat.message", "1", reader, ws), 403, "token's user")
    refused(api.delete("/helix/eventsub/subscriptions", params={"id": str(uuid4())},
                       headers=helix(owner)), 404, "not found")
    refused(api.delete("/helix/eventsub/subscriptions", params={"id": "x"},
                       headers=helix(owner)), 400, "id")


def test_a_token_without_the_scope_is_refused_403(
    api: httpx.Client, cast: tuple[Account, Account, Account], session: str,
) -> None:
    owner, _, _ = cast
    narrow = api.post("/oauth2/token", data={
        "grant_type": "refresh_token", "refresh_token": owner.refresh_token,
        "client_id": WEB_CLIENT, "scope": "user:read:email"})
    assert narrow.status_code == 200, narrow.text
    token = Account(owner.username, owner.email, narrow.json()["access_token"],
                    narrow.json()["refresh_token"])
    owner_id = user_id(api, token)
    refused(create(api, token, "channel.chat.message", "1", {
        "broadcaster_user_id": owner_id, "user_id": owner_id},
        {"method": "websocket", "session_id": session}), 403, "user:read:chat")
