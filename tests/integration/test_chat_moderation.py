"""Moderation through HTTP, felt over the WebSocket: timeouts, bans, deletions, clears, modes."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from websockets.sync.client import ClientConnection

from tests.integration.oauth_helpers import Account, signed_in
from tests.integration.test_chat import collect, frames, join
from tests.running import RunningPlatform
from tests.waiting import until


@pytest.fixture
def cast(api: httpx.Client) -> tuple[Account, Account, Account]:
    return broadcaster_moderator_viewer(api)


def broadcaster_moderator_viewer(api: httpx.Client) -> tuple[Account, Account, Account]:
    """A broadcaster, a moderator of their channel and a viewer."""
    owner, mod, fan = signed_in(api, "own"), signed_in(api, "mod"), signed_in(api, "fan")
    until(lambda: api.get(f"/api/v1/channels/{owner.username}").status_code,
          lambda status: status == 200, 20, "the channel")
    added = api.post(f"/api/v1/channels/{owner.username}/moderators",
                     json={"username": mod.username}, headers=owner.auth)
    assert added.status_code == 201, added.text
    return owner, mod, fan


def say(ws: ClientConnection, text: str) -> dict[str, Any]:
    """Send a message and return the server's verdict: its ack or its error."""
    ws.send(json.dumps({"type": "message", "text": text, "nonce": text}))
    while True:
        frame: dict[str, Any] = json.loads(ws.recv(timeout=20))
        if frame["type"] in ("ack", "error") and frame.get("nonce") == text:
            return frame


def test_timeout_ban_and_unban(platform: RunningPlatform, api: httpx.Client,
                               cast: tuple[Account, Account, Account]) -> None:
    owner, mod, fan = cast
    channel = owner.username
    bans = f"/api/v1/channels/{channel}/chat/bans"
    with join(platform.base_url, channel, fan) as ws, join(platform.base_url, channel) as viewer:
        assert say(ws, "before")["type"] == "ack"
        timed = api.post(bans, json={"username": fan.username, "duration_s": 600}, headers=mod.auth)
        assert timed.status_code == 200, timed.text
        [notice] = frames(viewer, "moderation", 1)
        assert (notice["action"], notice["target_username"], notice["duration_s"]) == (
            "timeout", fan.username, 600)
        refused = say(ws, "during")
        assert (refused["reason"], 0 < refused["retry_after_s"] <= 600) == ("timed_out", True)
        assert api.post(bans, json={"username": fan.username}, headers=mod.auth).status_code == 200
        assert say(ws, "banned now")["reason"] == "banned"
        lifted = api.delete(f"{bans}/{fan.username}", headers=owner.auth)
        assert lifted.status_code == 200
        assert say(ws, "after")["type"] == "ack"


def test_delete_and_clear_reach_every_client(platform: RunningPlatform, api: httpx.Client,
                                             cast: tuple[Account, Account, Account]) -> None:
    owner, mod, fan = cast
    channel = owner.username
    with join(platform.base_url, channel, fan) as ws, join(platform.base_url, channel) as viewer:
        message_id = say(ws, "regrettable")["id"]
        deleted = api.delete(f"/api/v1/channels/{channel}/chat/messages/{message_id}",
                             headers=mod.auth)
        assert deleted.status_code == 200, deleted.text
        cleared = api.delete(f"/api/v1/channels/{channel}/chat/messages", headers=owner.auth)
        assert cleared.status_code == 200
        got = collect(viewer, {"message": 1, "moderation": 2})
    assert got["message"][0]["id"] == message_id
    actions = [(m["action"], m["message_id"]) for m in got["moderation"]]
    assert actions == [("delete", message_id), ("clear", None)]


def test_rank_holds_for_deletions(platform: RunningPlatform, api: httpx.Client,
                                  cast: tuple[Account, Account, Account]) -> None:
    """A moderator deletes a viewer's message and their own, never the broadcaster's nor a
    fellow moderator's; the broadcaster deletes a moderator's."""
    owner, mod, fan = cast
    channel, peer = owner.username, signed_in(api, "peer")
    added = api.post(f"/api/v1/channels/{channel}/moderators",
                     json={"username": peer.username}, headers=owner.auth)
    assert added.status_code == 201, added.text

    def delete(message_id: str, by: Account) -> httpx.Response:
        return api.delete(f"/api/v1/channels/{channel}/chat/messages/{message_id}",
                          headers=by.auth)

    with join(platform.base_url, channel, owner) as by_owner, \
            join(platform.base_url, channel, peer) as by_peer, \
            join(platform.base_url, channel, mod) as by_mod, \
            join(platform.base_url, channel, fan) as by_fan:
        owners, peers = say(by_owner, "from the owner")["id"], say(by_peer, "from a peer")["id"]
        mods, fans = say(by_mod, "from the mod")["id"], say(by_fan, "from a fan")["id"]
        for refused in (delete(owners, mod), delete(peers, mod)):
            assert refused.status_code == 403, refused.text
            assert refused.json()["error"] == "forbidden"
        for allowed in (delete(fans, mod), delete(mods, mod), delete(peers, owner)):
            assert allowed.status_code == 200, allowed.text
        unknown = delete("no-such-message", owner)
        assert (unknown.status_code, unknown.json()["error"]) == (404, "message_not_found")
        notices = frames(by_fan, "moderation", 3)
    assert sorted(n["message_id"] for n in notices) == sorted([fans, mods, peers])


def test_modes_hold_viewers_not_staff(platform: RunningPlatform, api: httpx.Client,
                                      cast: tuple[Account, Account, Account]) -> None:
    owner, mod, fan = cast
    channel = owner.username
    settings = f"/api/v1/channels/{channel}/chat/settings"
    with join(platform.base_url, channel, fan) as ws, join(platform.base_url, channel, mod) as m:
        assert api.put(settings, json={"emote_only": True}, headers=mod.auth).status_code == 200
        assert frames(ws, "modes", 1)[0]["emote_only"] is True
        assert say(ws, "words words")["reason"] == "emote_only"
        assert say(ws, "Kappa PogChamp")["type"] == "ack"
        assert say(m, "staff may type words")["type"] == "ack"
        assert api.put(settings, json={"slow_mode_s": 30}, headers=mod.auth).status_code == 200
        frames(ws, "modes", 1)
        slowed = say(ws, "too soon after the emotes")
        assert slowed["reason"] == "slow_mode"
        assert 0 < slowed["retry_after_s"] <= 30
        assert api.put(settings, json={"followers_only_s": 0}, headers=mod.auth).status_code == 200
        frames(ws, "modes", 1)
        assert say(ws, "not following")["reason"] == "followers_only"
    follow = api.post(f"/api/v1/channels/{channel}/follow", headers=fan.auth)
    assert follow.status_code == 202, follow.text
    followed = api.get(f"/api/v1/channels/{channel}",
                       params={"min_position": follow.json()["position"]})
    assert followed.status_code == 200, followed.text
    with join(platform.base_url, channel, fan) as ws:
        assert say(ws, "following now")["type"] == "ack"


def test_who_may_moderate_whom(api: httpx.Client,
                               cast: tuple[Account, Account, Account]) -> None:
    owner, mod, fan = cast
    bans = f"/api/v1/channels/{owner.username}/chat/bans"
    by_fan = api.post(bans, json={"username": mod.username}, headers=fan.auth)
    assert by_fan.status_code == 403
    on_owner = api.post(bans, json={"username": owner.username}, headers=mod.auth)
    assert on_owner.status_code == 403
    assert api.post(bans, json={"username": fan.username, "duration_s": 0},
                    headers=mod.auth).status_code == 422
    assert api.post(bans, json={"username": fan.username}).status_code == 401


def test_blocked_terms_are_refused_for_viewers(platform: RunningPlatform, api: httpx.Client,
                                               cast: tuple[Account, Account, Account]) -> None:
    owner, mod, fan = cast
    channel = owner.username
    response = api.put(f"/api/v1/channels/{channel}/chat/blocked-terms",
                       json={"terms": ["Spoiler", "badword"]}, headers=mod.auth)
    assert response.status_code == 200, response.text
    with join(platform.base_url, channel, fan) as ws, join(platform.base_url, channel, mod) as m:
        assert say(ws, "no SPOILERS please")["reason"] == "blocked_term"
        assert say(ws, "all good here")["type"] == "ack"
        assert say(m, "staff may say spoiler")["type"] == "ack"
    by_fan = api.put(f"/api/v1/channels/{channel}/chat/blocked-terms", json={"terms": []},
                     headers=fan.auth)
    assert by_fan.status_code == 403
