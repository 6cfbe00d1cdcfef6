"""Follow and unfollow through HTTP; counts and lists read back."""

from __future__ import annotations

from typing import Any

import httpx

from tests.integration.oauth_helpers import Account, signed_in
from tests.waiting import until


def channel_after(api: httpx.Client, name: str, position: str) -> dict[str, Any]:
    response = api.get(f"/api/v1/channels/{name}", params={"min_position": position})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def own_channel(api: httpx.Client, account: Account) -> None:
    until(lambda: api.get(f"/api/v1/channels/{account.username}").status_code,
          lambda status: status == 200,
          20, "the channel")


def test_follow_counts_once_and_unfollow_removes(api: httpx.Client) -> None:
    streamer, fan = signed_in(api, "str"), signed_in(api, "fan")
    own_channel(api, streamer)
    url = f"/api/v1/channels/{streamer.username}/follow"
    first = api.post(url, headers=fan.auth)
    assert first.status_code == 202, first.text
    again = api.post(url, headers=fan.auth)
    assert channel_after(api, streamer.username, again.json()["position"])["followers"] == 1
    listed = api.get("/api/v1/users/me/following", headers=fan.auth).json()["data"]
    assert [c["name"] for c in listed] == [streamer.username]
    gone = api.delete(url, headers=fan.auth)
    assert gone.status_code == 202
    assert channel_after(api, streamer.username, gone.json()["position"])["followers"] == 0
    assert api.get("/api/v1/users/me/following", headers=fan.auth).json()["data"] == []


def test_follow_rules(api: httpx.Client) -> None:
    streamer = signed_in(api, "str")
    own_channel(api, streamer)
    url = f"/api/v1/channels/{streamer.username}/follow"
    assert api.post(url).status_code == 401
    myself = api.post(url, headers=streamer.auth)
    assert myself.status_code == 422
    assert myself.json()["error"] == "invalid_follow"
    unknown = api.post("/api/v1/channels/nobody_here_at_all/follow", headers=streamer.auth)
    assert unknown.status_code == 404


def test_min_position_from_a_topic_no_read_model_uses_is_400(api: httpx.Client) -> None:
    response = api.get("/api/v1/channels/whatever", params={"min_position": "command-outcomes/0/1"})
    assert response.status_code == 400
    assert response.json()["field"] == "min_position"
