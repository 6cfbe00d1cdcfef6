"""What each protected endpoint answers each caller: one row per endpoint of the gateway.

Callers, in order: anonymous, another user, the channel's owner, one of its moderators, a
platform admin, and a token without the endpoint's scope (the owner's; the admin's on
admin-only endpoints). Where an endpoint acts on the caller's own account ("me", following,
paying), every signed-in user is allowed on their own and "owner" is the channel's
broadcaster doing it in their own channel.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from tests.integration.money import GOOD_CARD, key
from tests.integration.oauth_helpers import Account
from tests.integration.permission_cast import (
    REDIRECT_URI,
    Cast,
    asked_clip,
    bought_purchase,
    posted_message,
    recorded_video,
    sign_up_recipient,
)
from tests.integration.test_oauth import pkce_pair

Codes = tuple[int, int, int, int, int, int]
# A one-pixel PNG.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082")


@dataclass(frozen=True)
class Scene:
    api: httpx.Client
    base_url: str
    cast: Cast
    actor: Account | None  # None: anonymous
    headers: dict[str, str]
    params: dict[str, str] = field(default_factory=dict)


Act = Callable[[Scene], httpx.Response]
# Run before an allowed call only, outside the watched window: what the call consumes.
Prepare = Callable[[Scene], dict[str, str]]


@dataclass(frozen=True)
class Case:
    act: Act
    codes: Codes
    prepare: Prepare | None = None

    def expected(self, caller_index: int) -> int:
        return self.codes[caller_index]


def signed_in_user(ok: int) -> Codes:
    """Any user's bearer token: the endpoint's scope is "user", which every token carries."""
    return (401, ok, ok, ok, ok, ok)


def own_account(ok: int) -> Codes:
    return (401, ok, ok, ok, ok, 403)


def broadcaster(ok: int) -> Codes:
    return (401, 403, ok, 403, ok, 403)


def moderation(ok: int) -> Codes:
    return (401, 403, ok, ok, ok, 403)


def admin_only(ok: int) -> Codes:
    return (401, 403, 403, 403, ok, 403)


def channel(scene: Scene, tail: str = "") -> str:
    return f"/api/v1/channels/{scene.cast.channel}{tail}"


def paying(scene: Scene) -> dict[str, str]:
    return {**scene.headers, "Idempotency-Key": key()}


def authorize(s: Scene) -> httpx.Response:
    _, challenge = pkce_pair()
    return s.api.post("/oauth2/authorize", headers=s.headers, params={
        "response_type": "code", "client_id": s.cast.app_client_id, "redirect_uri": REDIRECT_URI,
        "scope": "chat:read", "state": "matrix", "code_challenge": challenge,
        "code_challenge_method": "S256"})


def waiting_device(s: Scene) -> dict[str, str]:
    """A device's code, still waiting, of an app of the viewer's."""
    app = s.api.post("/api/v1/oauth2/clients", headers=s.cast.viewer.auth, json={
        "name": "matrix device", "confidential": False,
        "grant_types": ["urn:ietf:params:oauth:grant-type:device_code"]})
    asked = s.api.post("/oauth2/device", data={"client_id": app.json()["data"]["client_id"]})
    return {"user_code": str(asked.json()["user_code"])}


def device_path(s: Scene) -> str:
    return f"/api/v1/oauth2/device/{s.params.get('user_code', 'BCDFGHJK')}"


def fresh_message(s: Scene) -> dict[str, str]:
    return {"message_id": posted_message(s.base_url, s.cast)}


def fresh_purchase(s: Scene) -> dict[str, str]:
    return {"purchase_id": bought_purchase(s.api, s.cast.viewer)}


def fresh_video(s: Scene) -> dict[str, str]:
    return {"video_id": recorded_video(s.api, s.cast)}


def fresh_clip(s: Scene) -> dict[str, str]:
    return {"clip_id": asked_clip(s.api, s.cast)}


def fresh_recipient(s: Scene) -> dict[str, str]:
    return {"recipient": sign_up_recipient(s.api)}


def candidate_removed(s: Scene) -> dict[str, str]:
    gone = s.api.delete(channel(s, f"/moderators/{s.cast.candidate.username}"),
                        headers=s.cast.owner.auth)
    assert gone.status_code in (200, 404), gone.text
    return {}


def candidate_added(s: Scene) -> dict[str, str]:
    added = s.api.post(channel(s, "/moderators"), json={"username": s.cast.candidate.username},
                       headers=s.cast.owner.auth)
    assert added.status_code in (201, 409), added.text
    return {}


def actor_subscribed(s: Scene) -> dict[str, str]:
    subscribed = s.api.post(channel(s, "/subscriptions"), headers=paying(s),
                            json={"tier": 1000, "card_number": GOOD_CARD})
    assert subscribed.status_code in (201, 409), subscribed.text
    return {}


CARD = {"card_number": GOOD_CARD}
API_CASES: dict[tuple[str, str], Case] = {
    ("GET", "/api/v1/users/me"): Case(
        lambda s: s.api.get("/api/v1/users/me", headers=s.headers), signed_in_user(200)),
    ("PATCH", "/api/v1/users/me"): Case(
        lambda s: s.api.patch("/api/v1/users/me", json={"bio": "matrix"}, headers=s.headers),
        own_account(202)),
    ("PUT", "/api/v1/users/me/image"): Case(
        lambda s: s.api.put("/api/v1/users/me/image", content=PNG,
                            headers={**s.headers, "Content-Type": "image/png"}),
        own_account(202)),
    ("POST", "/api/v1/users/{username}/roles"): Case(
        lambda s: s.api.post(f"/api/v1/users/{s.cast.viewer.username}/roles",
                             json={"role": "admin"}, headers=s.headers), admin_only(202)),
    ("POST", "/oauth2/authorize"): Case(authorize, signed_in_user(302)),
    ("POST", "/api/v1/oauth2/clients"): Case(
        lambda s: s.api.post("/api/v1/oauth2/clients", headers=s.headers, json={
            "name": "matrix app", "grant_types": ["client_credentials"]}),
        signed_in_user(201)),
    ("GET", "/api/v1/oauth2/device/{user_code}"): Case(
        lambda s: s.api.get(device_path(s), headers=s.headers), signed_in_user(200),
        waiting_device),
    ("POST", "/api/v1/oauth2/device/{user_code}"): Case(
        lambda s: s.api.post(device_path(s), headers=s.headers, json={"approve": True}),
        signed_in_user(200), waiting_device),
    ("PATCH", "/api/v1/channels/{name}"): Case(
        lambda s: s.api.patch(channel(s), json={"title": f"matrix {key()[:8]}"},
                              headers=s.headers), broadcaster(200)),
    ("POST", "/api/v1/channels/{name}/stream-key"): Case(
        lambda s: s.api.post(channel(s, "/stream-key"), headers=s.headers), broadcaster(201)),
    ("POST", "/api/v1/channels/{name}/suspension"): Case(
        lambda s: s.api.post(channel(s, "/suspension"), json={"reason": "matrix"},
                             headers=s.headers), admin_only(200)),
    ("DELETE", "/api/v1/channels/{name}/suspension"): Case(
        lambda s: s.api.delete(channel(s, "/suspension"), headers=s.headers), admin_only(200)),
    ("POST", "/api/v1/channels/{name}/chat/bans"): Case(
        lambda s: s.api.post(channel(s, "/chat/bans"), headers=s.headers, json={
            "username": s.cast.viewer.username, "duration_s": 60}), moderation(200)),
    ("DELETE", "/api/v1/channels/{name}/chat/bans/{username}"): Case(
        lambda s: s.api.delete(channel(s, f"/chat/bans/{s.cast.viewer.username}"),
                               headers=s.headers), moderation(200)),
    ("DELETE", "/api/v1/channels/{name}/chat/messages/{message_id}"): Case(
        lambda s: s.api.delete(channel(s, f"/chat/messages/{s.params['message_id']}"),
                               headers=s.headers), moderation(200), fresh_message),
    ("DELETE", "/api/v1/videos/{video_id}"): Case(
        lambda s: s.api.delete(f"/api/v1/videos/{s.params['video_id']}", headers=s.headers),
        broadcaster(202), fresh_video),
    # The viewer's clip: its creator is none of the callers.
    ("DELETE", "/api/v1/clips/{clip_id}"): Case(
        lambda s: s.api.delete(f"/api/v1/clips/{s.params['clip_id']}", headers=s.headers),
        broadcaster(202), fresh_clip),
    # Any signed-in viewer clips; the channel is offline, so past the permission check: 422.
    ("POST", "/api/v1/channels/{name}/clips"): Case(
        lambda s: s.api.post(channel(s, "/clips"), json={"duration_s": 10}, headers=s.headers),
        own_account(422)),
    ("POST", "/api/v1/videos/{video_id}/clips"): Case(
        lambda s: s.api.post(f"/api/v1/videos/{s.params['video_id']}/clips",
                             json={"start_s": 0, "duration_s": 5}, headers=s.headers),
        own_account(202), fresh_video),
    ("DELETE", "/api/v1/channels/{name}/chat/messages"): Case(
        lambda s: s.api.delete(channel(s, "/chat/messages"), headers=s.headers),
        moderation(200)),
    ("PUT", "/api/v1/channels/{name}/chat/settings"): Case(
        lambda s: s.api.put(channel(s, "/chat/settings"), json={"slow_mode_s": 3},
                            headers=s.headers), moderation(200)),
    ("PUT", "/api/v1/channels/{name}/chat/blocked-terms"): Case(
        lambda s: s.api.put(channel(s, "/chat/blocked-terms"), json={"terms": ["matrix"]},
                            headers=s.headers), moderation(200)),
    # A channel cannot follow itself.
    ("POST", "/api/v1/channels/{name}/follow"): Case(
        lambda s: s.api.post(channel(s, "/follow"), headers=s.headers),
        (401, 202, 422, 202, 202, 403)),
    ("DELETE", "/api/v1/channels/{name}/follow"): Case(
        lambda s: s.api.delete(channel(s, "/follow"), headers=s.headers), own_account(202)),
    ("GET", "/api/v1/users/me/following"): Case(
        lambda s: s.api.get("/api/v1/users/me/following", headers=s.headers),
        signed_in_user(200)),
    ("POST", "/api/v1/channels/{name}/moderators"): Case(
        lambda s: s.api.post(channel(s, "/moderators"), headers=s.headers,
                             json={"username": s.cast.candidate.username}),
        broadcaster(201), candidate_removed),
    ("DELETE", "/api/v1/channels/{name}/moderators/{username}"): Case(
        lambda s: s.api.delete(channel(s, f"/moderators/{s.cast.candidate.username}"),
                               headers=s.headers), broadcaster(200), candidate_added),
    ("POST", "/api/v1/bits/purchases"): Case(
        lambda s: s.api.post("/api/v1/bits/purchases", headers=paying(s),
                             json={"pack": 100, **CARD}), own_account(201)),
    ("POST", "/api/v1/bits/purchases/{purchase_id}/refund"): Case(
        lambda s: s.api.post(f"/api/v1/bits/purchases/{s.params['purchase_id']}/refund",
                             headers=paying(s)), admin_only(201), fresh_purchase),
    ("GET", "/api/v1/users/me/bits"): Case(
        lambda s: s.api.get("/api/v1/users/me/bits", headers=s.headers), own_account(200)),
    # The broadcaster cannot donate to their own channel.
    ("POST", "/api/v1/channels/{name}/donations"): Case(
        lambda s: s.api.post(channel(s, "/donations"), headers=paying(s), json={
            "amount": 300, "currency": "USD", "message": "gg", **CARD}),
        (401, 201, 422, 201, 201, 403)),
    ("GET", "/api/v1/channels/{name}/earnings"): Case(
        lambda s: s.api.get(channel(s, "/earnings"), headers=s.headers), broadcaster(200)),
    ("GET", "/api/v1/channels/{name}/payout-balance"): Case(
        lambda s: s.api.get(channel(s, "/payout-balance"), headers=s.headers),
        broadcaster(200)),
    # Nor subscribe to it, so has no subscription to change or cancel (but may gift).
    ("POST", "/api/v1/channels/{name}/subscriptions"): Case(
        lambda s: s.api.post(channel(s, "/subscriptions"), headers=paying(s),
                             json={"tier": 1000, **CARD}), (401, 201, 422, 201, 201, 403)),
    ("POST", "/api/v1/channels/{name}/subscriptions/gifts"): Case(
        lambda s: s.api.post(channel(s, "/subscriptions/gifts"), headers=paying(s), json={
            "tier": 1000, "recipient": s.params["recipient"], **CARD}),
        own_account(201), fresh_recipient),
    ("PUT", "/api/v1/channels/{name}/subscriptions/card"): Case(
        lambda s: s.api.put(channel(s, "/subscriptions/card"), json=CARD, headers=s.headers),
        (401, 200, 404, 200, 200, 403), actor_subscribed),
    ("DELETE", "/api/v1/channels/{name}/subscriptions"): Case(
        lambda s: s.api.delete(channel(s, "/subscriptions"), headers=s.headers),
        (401, 200, 404, 200, 200, 403), actor_subscribed),
    ("GET", "/api/v1/users/me/subscriptions"): Case(
        lambda s: s.api.get("/api/v1/users/me/subscriptions", headers=s.headers),
        own_account(200)),
    ("GET", "/api/v1/channels/{name}/subscribers"): Case(
        lambda s: s.api.get(channel(s, "/subscribers"), headers=s.headers), broadcaster(200)),
    # Past the permission check, a break needs the channel live: 409 channel_not_live.
    ("POST", "/api/v1/channels/{name}/ads"): Case(
        lambda s: s.api.post(channel(s, "/ads"), json={"duration_s": 60}, headers=s.headers),
        broadcaster(409)),
    ("PUT", "/api/v1/channels/{name}/ads/schedule"): Case(
        lambda s: s.api.put(channel(s, "/ads/schedule"), json={"every_min": 0},
                            headers=s.headers), broadcaster(200)),
    ("GET", "/api/v1/channels/{name}/analytics/streams"): Case(
        lambda s: s.api.get(channel(s, "/analytics/streams"), headers=s.headers),
        broadcaster(200)),
    # Raiding needs the channel live (409); nothing counts down to call off (404).
    ("POST", "/api/v1/channels/{name}/raids"): Case(
        lambda s: s.api.post(channel(s, "/raids"), json={"target": s.cast.other.username},
                             headers=s.headers), broadcaster(409)),
    ("DELETE", "/api/v1/channels/{name}/raids"): Case(
        lambda s: s.api.delete(channel(s, "/raids"), headers=s.headers), broadcaster(404)),
}
