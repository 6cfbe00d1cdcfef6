"""Helix's chat, moderation, ads and subscription endpoints refuse as Twitch does: a token
without the scope 401 naming it, a user acting for another 401, one not on the channel's staff
403, a bad parameter or body 400, never a 500."""

from __future__ import annotations

from typing import Any, NamedTuple
from uuid import uuid4

import httpx
import pytest

from tests.integration.oauth_helpers import WEB_CLIENT, Account, password_grant
from tests.integration.test_chat_history import owner_and_fan
from tests.integration.test_helix_refusals import helix, twitch_error
from tests.running import CLIENT_TIMEOUT_S, RunningPlatform


class Cast(NamedTuple):
    owner: Account
    fan: Account
    owner_id: str
    fan_id: str


@pytest.fixture(scope="module")
def cast(platform: RunningPlatform) -> Cast:
    """A broadcaster and a fan, shared by the refusals (which change nothing)."""
    with httpx.Client(base_url=platform.base_url, timeout=CLIENT_TIMEOUT_S) as api:
        owner, fan = owner_and_fan(api)
        ids = [api.get("/helix/users", headers=helix(a)).json()["data"][0]["id"]
               for a in (owner, fan)]
    return Cast(owner, fan, *ids)


def call(api: httpx.Client, account: Account | dict[str, str], method: str, path: str,
         params: dict[str, Any], body: Any = None) -> httpx.Response:
    headers = account if isinstance(account, dict) else helix(account)
    return api.request(method, path, params=params, json=body, headers=headers)


# (method, path, params with {o} the owner's id and {f} the fan's, JSON body, scope)
SCOPED = [
    ("POST", "/helix/chat/messages", {"broadcaster_id": "{o}", "sender_id": "{o}",
                                      "message": "hi"}, None, "user:write:chat"),
    ("POST", "/helix/moderation/bans", {"broadcaster_id": "{o}", "moderator_id": "{o}"},
     {"data": {"user_id": "{f}"}}, "moderator:manage:banned_users"),
    ("DELETE", "/helix/moderation/bans", {"broadcaster_id": "{o}", "moderator_id": "{o}",
                                          "user_id": "{f}"}, None,
     "moderator:manage:banned_users"),
    ("DELETE", "/helix/moderation/chat", {"broadcaster_id": "{o}", "moderator_id": "{o}"},
     None, "moderator:manage:chat_messages"),
    ("PATCH", "/helix/chat/settings", {"broadcaster_id": "{o}", "moderator_id": "{o}"},
     {"emote_mode": True}, "moderator:manage:chat_settings"),
    ("GET", "/helix/chat/settings", {"broadcaster_id": "{o}", "moderator_id": "{o}"}, None,
     "moderator:read:chat_settings"),
    ("GET", "/helix/chat/chatters", {"broadcaster_id": "{o}", "moderator_id": "{o}"}, None,
     "moderator:read:chatters"),
    ("GET", "/helix/moderation/moderators", {"broadcaster_id": "{o}"}, None,
     "moderation:read"),
    ("POST", "/helix/moderation/moderators", {"broadcaster_id": "{o}", "user_id": "{f}"},
     None, "channel:manage:moderators"),
    ("DELETE", "/helix/moderation/moderators", {"broadcaster_id": "{o}", "user_id": "{f}"},
     None, "channel:manage:moderators"),
    ("POST", "/helix/channels/commercial", {"broadcaster_id": "{o}", "length": "30"}, None,
     "channel:edit:commercial"),
    ("GET", "/helix/channels/ads", {"broadcaster_id": "{o}"}, None, "channel:read:ads"),
    ("GET", "/helix/subscriptions", {"broadcaster_id": "{o}"}, None,
     "channel:read:subscriptions"),
    ("GET", "/helix/subscriptions/user", {"broadcaster_id": "{o}", "user_id": "{o}"}, None,
     "user:read:subscriptions"),
    ("GET", "/helix/bits/leaderboard", {}, None, "bits:read"),
]


def filled(value: Any, cast: Cast) -> Any:
    if isinstance(value, dict):
        return {k: filled(v, cast) for k, v in value.items()}
    if isinstance(value, str):
        return value.replace("{o}", cast.owner_id).replace("{f}", cast.fan_id)
    return value


@pytest.mark.parametrize(("method", "path", "params", "body", "scope"), SCOPED)
def test_a_token_without_the_scope_is_401(api: httpx.Client, cast: Cast, method: str,
                                          path: str, params: dict[str, Any], body: Any,
                                          scope: str) -> None:
    narrowed = password_grant(api, cast.owner.username, scope="chat:read").json()
    headers = {"Authorization": f"Bearer {narrowed['access_token']}", "Client-Id": WEB_CLIENT}
    answer = call(api, headers, method, path, filled(params, cast), filled(body, cast))
    assert twitch_error(answer, 401) == f"Missing scope: {scope}"


# A fan acting in the owner's channel as themself: not on its staff.
NOT_STAFF = [
    ("POST", "/helix/moderation/bans", {"broadcaster_id": "{o}", "moderator_id": "{f}"},
     {"data": {"user_id": "{o}"}}),
    ("DELETE", "/helix/moderation/chat", {"broadcaster_id": "{o}", "moderator_id": "{f}"},
     None),
    ("PATCH", "/helix/chat/settings", {"broadcaster_id": "{o}", "moderator_id": "{f}"},
     {"slow_mode": True}),
    ("GET", "/helix/chat/settings", {"broadcaster_id": "{o}", "moderator_id": "{f}"}, None),
    ("GET", "/helix/chat/chatters", {"broadcaster_id": "{o}", "moderator_id": "{f}"}, None),
    ("POST", "/helix/moderation/moderators", {"broadcaster_id": "{o}", "user_id": "{f}"},
     None),
]


@pytest.mark.parametrize(("method", "path", "params", "body"), NOT_STAFF)
def test_one_not_on_the_channels_staff_is_403(api: httpx.Client, cast: Cast, method: str,
                                              path: str, params: dict[str, Any],
                                              body: Any) -> None:
    twitch_error(call(api, cast.fan, method, path, filled(params, cast), filled(body, cast)),
                 403)


# The fan naming the owner where the token's user must be named.
SOMEONE_ELSE = [
    ("POST", "/helix/chat/messages", {"broadcaster_id": "{o}", "sender_id": "{o}",
                                      "message": "as you"}, None),
    ("POST", "/helix/moderation/bans", {"broadcaster_id": "{o}", "moderator_id": "{o}"},
     {"data": {"user_id": "{f}"}}),
    ("GET", "/helix/moderation/moderators", {"broadcaster_id": "{o}"}, None),
    ("POST", "/helix/channels/commercial", {"broadcaster_id": "{o}", "length": "30"}, None),
    ("GET", "/helix/channels/ads", {"broadcaster_id": "{o}"}, None),
    ("GET", "/helix/subscriptions", {"broadcaster_id": "{o}"}, None),
    ("GET", "/helix/subscriptions/user", {"broadcaster_id": "{o}", "user_id": "{o}"}, None),
]


@pytest.mark.parametrize(("method", "path", "params", "body"), SOMEONE_ELSE)
def test_acting_as_another_user_is_401(api: httpx.Client, cast: Cast, method: str, path: str,
                                       params: dict[str, Any], body: Any) -> None:
    answer = call(api, cast.fan, method, path, filled(params, cast), filled(body, cast))
    assert "must match the user ID" in twitch_error(answer, 401)


MOD = {"broadcaster_id": "{o}", "moderator_id": "{o}"}
BAD = [
    ("POST", "/helix/chat/messages", {"broadcaster_id": "{o}", "sender_id": "{o}",
                                      "message": ""}, None),
    ("POST", "/helix/chat/messages", {"broadcaster_id": "{o}", "sender_id": "{o}",
                                      "message": "x" * 501}, None),
    ("POST", "/helix/chat/messages", {"broadcaster_id": "{o}", "sender_id": "{o}",
                                      "message": "hi", "reply_parent_message_id": "m1"}, None),
    ("POST", "/helix/chat/messages", {"broadcaster_id": str(uuid4()), "sender_id": "{o}",
                                      "message": "hi"}, None),
    ("POST", "/helix/chat/messages", {"sender_id": "{o}", "message": "hi"}, None),
    ("POST", "/helix/moderation/bans", MOD, {"user_id": "{f}"}),
    ("POST", "/helix/moderation/bans", MOD, {"data": {"user_id": "{f}", "duration": 0}}),
    ("POST", "/helix/moderation/bans", MOD, {"data": {"user_id": "nobody"}}),
    ("POST", "/helix/moderation/bans", MOD, {"data": {"user_id": str(uuid4())}}),
    ("POST", "/helix/moderation/bans", {"broadcaster_id": "{o}"}, {"data": {"user_id": "{f}"}}),
    ("DELETE", "/helix/moderation/bans", MOD, None),
    ("PATCH", "/helix/chat/settings", MOD, {"slow_mode_wait_time": 1}),
    ("PATCH", "/helix/chat/settings", MOD, {"follower_mode_duration": -1}),
    ("PATCH", "/helix/chat/settings", MOD, {"unique_chat_mode": True}),
    ("PATCH", "/helix/chat/settings", MOD, {"emote_mode": "yes please"}),
    ("GET", "/helix/chat/chatters", {**MOD, "first": "0"}, None),
    ("GET", "/helix/chat/chatters", {**MOD, "first": "1001"}, None),
    ("GET", "/helix/moderation/moderators", {"broadcaster_id": "{o}", "after": "nope"}, None),
    ("POST", "/helix/moderation/moderators", {"broadcaster_id": "{o}", "user_id": "{o}"},
     None),
    ("DELETE", "/helix/moderation/moderators", {"broadcaster_id": "{o}", "user_id": "{f}"},
     None),
    ("POST", "/helix/channels/commercial", {"broadcaster_id": "{o}", "length": "10"}, None),
    ("POST", "/helix/channels/commercial", {"broadcaster_id": "{o}", "length": "30"}, None),
    ("GET", "/helix/subscriptions", {"broadcaster_id": "{o}", "first": "101"}, None),
    ("GET", "/helix/bits/leaderboard", {"count": "0"}, None),
    ("GET", "/helix/bits/leaderboard", {"period": "decade"}, None),
    ("GET", "/helix/bits/leaderboard", {"started_at": "yesterday"}, None),
]


@pytest.mark.parametrize(("method", "path", "params", "body"), BAD)
def test_a_bad_parameter_or_body_is_400(api: httpx.Client, cast: Cast, method: str, path: str,
                                        params: dict[str, Any], body: Any) -> None:
    """Among them the channel's own broadcaster made its moderator, a moderator removed who is
    not one, and a commercial on a channel that is not live."""
    twitch_error(call(api, cast.owner, method, path, filled(params, cast), filled(body, cast)),
                 400)


def test_what_is_not_there_is_404(api: httpx.Client, cast: Cast) -> None:
    gone = call(api, cast.owner, "DELETE", "/helix/moderation/chat",
                filled({**MOD, "message_id": str(uuid4())}, cast))
    twitch_error(gone, 404)
    none = call(api, cast.fan, "GET", "/helix/subscriptions/user",
                {"broadcaster_id": cast.owner_id, "user_id": cast.fan_id})
    twitch_error(none, 404)


def test_a_body_that_is_not_an_object_is_400(api: httpx.Client, cast: Cast) -> None:
    answer = call(api, cast.owner, "POST", "/helix/chat/messages", {
        "broadcaster_id": cast.owner_id, "sender_id": cast.owner_id, "message": "hi"},
        body=[1, 2])
    twitch_error(answer, 400)
