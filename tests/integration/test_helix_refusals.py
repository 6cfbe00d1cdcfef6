"""Helix refuses as Twitch does: its error JSON and statuses, never a 500, and the rate limit's
headers on every answer."""

from __future__ import annotations

import time
from typing import Any
from uuid import uuid4

import httpx
import pytest

from gateways.pagination import encode_cursor
from tests.integration.oauth_helpers import WEB_CLIENT, Account, password_grant, signed_in
from tests.integration.test_bench_smoke import free_port
from tests.integration.test_chat_history import owner_and_fan
from tests.integration.watching import new_address
from tests.running import CLIENT_TIMEOUT_S, RunningPlatform


@pytest.fixture(scope="module")
def pair(platform: RunningPlatform) -> tuple[Account, Account]:
    """A broadcaster with a channel, and a fan, shared by the refusals (which change nothing)."""
    with httpx.Client(base_url=platform.base_url, timeout=CLIENT_TIMEOUT_S) as api:
        return owner_and_fan(api)


def helix(account: Account, client_id: str = WEB_CLIENT) -> dict[str, str]:
    return {**account.auth, "Client-Id": client_id}


def twitch_error(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"error", "status", "message"}, body
    assert (body["status"], body["error"]) == (status, response.reason_phrase)
    message: str = body["message"]
    return message


def test_the_caller_needs_a_token_of_the_app_it_names(
    api: httpx.Client, pair: tuple[Account, Account],
) -> None:
    account = pair[1]
    assert twitch_error(api.get("/helix/users", headers={"Client-Id": WEB_CLIENT}),
                        401) == "OAuth token is missing"
    assert twitch_error(api.get("/helix/users", headers=account.auth),
                        401) == "Client-Id header is missing"
    assert twitch_error(api.get("/helix/users", headers=helix(account, "another-app")),
                        401) == "Client ID and OAuth token do not match"
    unknown = {"Authorization": "Bearer nope", "Client-Id": WEB_CLIENT}
    assert twitch_error(api.get("/helix/streams", headers=unknown), 401) == "Invalid OAuth token"
    basic = {"Authorization": "Basic abc", "Client-Id": WEB_CLIENT}
    twitch_error(api.get("/helix/streams", headers=basic), 401)


def test_every_answer_tells_the_callers_bucket(api: httpx.Client) -> None:
    account = signed_in(api, "hlx")
    first = api.get("/helix/users", headers=helix(account))
    second = api.get("/helix/streams", headers=helix(account))
    refused = api.get("/helix/streams", params={"first": "0"}, headers=helix(account))
    assert [r.status_code for r in (first, second, refused)] == [200, 200, 400]
    assert first.headers["Ratelimit-Limit"] == "800"
    remaining = [int(r.headers["Ratelimit-Remaining"]) for r in (first, second, refused)]
    assert remaining == [799, 798, 797]
    assert int(refused.headers["Ratelimit-Reset"]) > time.time()


def test_past_the_limit_is_429_until_the_reset(platform: RunningPlatform,
                                                api: httpx.Client) -> None:
    """A gateway of its own with a bucket of two points a minute; the bucket is the account's
    (in Redis), so no other test's calls count in it. The calls come from an address of their
    own: another test's bad tokens from loopback count against loopback's two points."""
    account = signed_in(api, "lim")
    address = {**helix(account), "X-Forwarded-For": new_address()}
    port = free_port(platform.settings.gateway_host)
    limited = {"CASTLINE_HELIX_POINTS_PER_MINUTE": "2", "CASTLINE_IRC_PORT": "0"}
    with platform.extra_gateway(port, limited) as base_url, \
            httpx.Client(base_url=base_url, timeout=CLIENT_TIMEOUT_S) as gateway:
        answers = [gateway.get("/helix/users", headers=address) for _ in range(3)]
    assert [a.status_code for a in answers[:2]] == [200, 200]
    twitch_error(answers[2], 429)
    assert [a.headers["Ratelimit-Remaining"] for a in answers] == ["1", "0", "0"]
    assert answers[2].headers["Ratelimit-Limit"] == "2"
    assert int(answers[2].headers["Ratelimit-Reset"]) > time.time()


@pytest.mark.parametrize(("path", "params"), [
    ("/helix/users", {"id": "not-an-id"}),
    ("/helix/users", {"login": "not a login"}),
    ("/helix/users", [("id", str(uuid4())) for _ in range(60)]
     + [("login", f"user{n}") for n in range(60)]),
    ("/helix/streams", {"first": "0"}),
    ("/helix/streams", {"first": "101"}),
    ("/helix/streams", {"after": "not a cursor"}),
    ("/helix/streams", {"after": encode_cursor(["many", "x"])}),
    ("/helix/streams", {"game_id": "chess"}),
    ("/helix/streams", {"game_id": "99999999999"}),
    ("/helix/streams", {"type": "upcoming"}),
    ("/helix/streams", {"language": "english"}),
    ("/helix/streams", [("user_login", f"user{n}") for n in range(101)]),
    ("/helix/channels", {}),
    ("/helix/channels", {"broadcaster_id": "42"}),
    ("/helix/games", {}),
    ("/helix/games", {"id": "-1"}),
    ("/helix/games/top", {"after": encode_cursor([2**40, "x"])}),
    ("/helix/search/categories", {}),
    ("/helix/search/categories", {"query": "   "}),
    ("/helix/search/channels", {"query": "a", "live_only": "maybe"}),
])
def test_a_bad_parameter_is_400(api: httpx.Client, pair: tuple[Account, Account], path: str,
                                params: Any) -> None:
    twitch_error(api.get(path, params=params, headers=helix(pair[1])), 400)


@pytest.mark.parametrize(("body", "status"), [
    ({}, 400),
    ({"title": ""}, 400),
    ({"game_id": "0"}, 400),
    ({"game_id": "123"}, 400),
    ({"game_id": "chess"}, 400),
    ({"delay": 30}, 400),
    ({"tags": ["not a tag"]}, 400),
    ({"broadcaster_language": "english"}, 400),
])
def test_a_bad_channel_change_is_refused(api: httpx.Client, pair: tuple[Account, Account],
                                         body: dict[str, Any], status: int) -> None:
    owner = pair[0]
    me = api.get("/helix/users", headers=helix(owner)).json()["data"][0]["id"]
    twitch_error(api.patch("/helix/channels", params={"broadcaster_id": me}, json=body,
                           headers=helix(owner)), status)


def test_a_channel_change_needs_the_scope_and_a_channel(
    api: httpx.Client, pair: tuple[Account, Account],
) -> None:
    owner, fan = pair
    me = api.get("/helix/users", headers=helix(owner)).json()["data"][0]["id"]
    narrowed = password_grant(api, owner.username, scope="chat:read").json()["access_token"]
    no_scope = {"Authorization": f"Bearer {narrowed}", "Client-Id": WEB_CLIENT}
    change = {"title": "nope"}
    assert twitch_error(api.patch("/helix/channels", params={"broadcaster_id": me},
                                  json=change, headers=no_scope),
                        401) == "Missing scope: channel:manage:broadcast"
    twitch_error(api.patch("/helix/channels", params={"broadcaster_id": me}, json=change,
                           headers=helix(fan)), 403)
    twitch_error(api.patch("/helix/channels", params={"broadcaster_id": str(uuid4())},
                           json=change, headers=helix(owner)), 400)
    twitch_error(api.patch("/helix/channels", json=change, headers=helix(owner)), 400)
    twitch_error(api.patch("/helix/channels", params={"broadcaster_id": me},
                           content=b"title=nope", headers=helix(owner)), 415)
