"""The permission matrix's rows for Helix, as Twitch answers them: a token without the
endpoint's scope is 401 naming the scope, and so is a token whose user is not the one a
parameter must name (broadcaster_id, moderator_id, user_id); a user the channel refuses is 403.

Moderator endpoints name the caller as moderator_id, so the channel's decider judges the call:
another user is 403 there. Where the owner's expected answer is a refusal past the permission
check (a raid or a commercial needs the channel live), the platform admin gets the same.
"""

from __future__ import annotations

import httpx

from tests.integration.money import key
from tests.integration.oauth_helpers import WEB_CLIENT
from tests.integration.permission_cases import (
    Case,
    Codes,
    Scene,
    actor_subscribed,
    candidate_added,
    candidate_removed,
    channel,
    fresh_video,
)
from tests.waiting import until


def helix(scene: Scene) -> dict[str, str]:
    """Helix wants the token's app named too."""
    return {**scene.headers, "Client-Id": WEB_CLIENT}


def own_id(scene: Scene) -> str:
    """The caller's user id (the owner's for an anonymous caller)."""
    cast = scene.cast
    accounts = (cast.owner, cast.moderator, cast.other, cast.admin, cast.viewer, cast.candidate)
    return cast.user_ids[accounts.index(scene.actor) if scene.actor else 0]


def owner_id(scene: Scene) -> str:
    return scene.cast.user_ids[0]


def viewer_id(scene: Scene) -> str:
    return scene.cast.user_ids[4]


def candidate_id(scene: Scene) -> str:
    return scene.cast.user_ids[5]


def staff(ok: int) -> Codes:
    """The channel's broadcaster, moderators and admins; the channel refuses anyone else."""
    return (401, 403, ok, ok, ok, 401)


def named_broadcaster(ok: int) -> Codes:
    """broadcaster_id must be the token's user (or the caller a platform admin)."""
    return (401, 401, ok, 401, ok, 401)


def own_user(ok: int) -> Codes:
    return (401, ok, ok, ok, ok, 401)


def moderating(scene: Scene, **params: str) -> dict[str, str]:
    return {"broadcaster_id": owner_id(scene), "moderator_id": own_id(scene), **params}


def viewer_banned(s: Scene) -> dict[str, str]:
    banned = s.api.post(channel(s, "/chat/bans"), headers=s.cast.owner.auth, json={
        "username": s.cast.viewer.username, "duration_s": 60})
    assert banned.status_code == 200, banned.text
    return {}


def subscription_shown(s: Scene) -> dict[str, str]:
    """The caller's subscription to the channel, once their own list shows it."""
    actor_subscribed(s)
    until(lambda: s.api.get("/api/v1/users/me/subscriptions", headers=s.headers).json(),
          lambda shown: s.cast.channel in str(shown), 30, "the subscription listed")
    return {}


def chat_message(s: Scene) -> httpx.Response:
    return s.api.post("/helix/chat/messages", headers=helix(s), json={
        "broadcaster_id": owner_id(s), "sender_id": own_id(s), "message": f"matrix {key()}"})


def announcement(s: Scene) -> httpx.Response:
    return s.api.post("/helix/chat/announcements", params=moderating(s), headers=helix(s),
                      json={"message": f"matrix {key()[:8]}", "color": "blue"})


def ban(s: Scene) -> httpx.Response:
    return s.api.post("/helix/moderation/bans", params=moderating(s), headers=helix(s),
                      json={"data": {"user_id": viewer_id(s), "duration": 60}})


def raid(s: Scene) -> httpx.Response:
    return s.api.post("/helix/raids", headers=helix(s), params={
        "from_broadcaster_id": owner_id(s), "to_broadcaster_id": s.cast.user_ids[2]})


def shoutout(s: Scene) -> httpx.Response:
    return s.api.post("/helix/chat/shoutouts", headers=helix(s), params={
        "from_broadcaster_id": owner_id(s), "to_broadcaster_id": s.cast.user_ids[2],
        "moderator_id": own_id(s)})


def commercial(s: Scene) -> httpx.Response:
    return s.api.post("/helix/channels/commercial", headers=helix(s),
                      json={"broadcaster_id": owner_id(s), "length": 60})


def get(path: str, params: dict[str, str] | None = None) -> Case:
    return Case(lambda s: s.api.get(path, params=params or {"broadcaster_id": owner_id(s)},
                                    headers=helix(s)), named_broadcaster(200))


HELIX_CASES: dict[tuple[str, str], Case] = {
    ("PATCH", "/helix/channels"): Case(
        lambda s: s.api.patch("/helix/channels", params={"broadcaster_id": owner_id(s)},
                              json={"title": f"matrix {key()[:8]}"}, headers=helix(s)),
        (401, 403, 204, 403, 204, 401)),
    ("GET", "/helix/channels/followed"): Case(
        lambda s: s.api.get("/helix/channels/followed", params={"user_id": own_id(s)},
                            headers=helix(s)), own_user(200)),
    ("POST", "/helix/chat/messages"): Case(chat_message, own_user(200)),
    # An announcement is a message in the sender's name, with their badges: only the
    # broadcaster and the channel's moderators make one, as on Twitch; an admin is no exception.
    ("POST", "/helix/chat/announcements"): Case(announcement, (401, 403, 204, 204, 403, 401)),
    # The channel is not live: its staff is refused 400 past the permission check.
    ("POST", "/helix/chat/shoutouts"): Case(shoutout, staff(400)),
    ("PATCH", "/helix/chat/settings"): Case(
        lambda s: s.api.patch("/helix/chat/settings", params=moderating(s), headers=helix(s),
                              json={"subscriber_mode": False}), staff(200)),
    ("POST", "/helix/moderation/bans"): Case(ban, staff(200)),
    ("DELETE", "/helix/moderation/bans"): Case(
        lambda s: s.api.delete("/helix/moderation/bans", headers=helix(s),
                               params=moderating(s, user_id=viewer_id(s))),
        staff(204), viewer_banned),
    ("DELETE", "/helix/moderation/chat"): Case(
        lambda s: s.api.delete("/helix/moderation/chat", params=moderating(s),
                               headers=helix(s)), staff(204)),
    ("GET", "/helix/chat/chatters"): Case(
        lambda s: s.api.get("/helix/chat/chatters", params=moderating(s), headers=helix(s)),
        staff(200)),
    ("GET", "/helix/moderation/moderators"): get("/helix/moderation/moderators"),
    ("POST", "/helix/moderation/moderators"): Case(
        lambda s: s.api.post("/helix/moderation/moderators", headers=helix(s), params={
            "broadcaster_id": owner_id(s), "user_id": candidate_id(s)}),
        (401, 403, 204, 403, 204, 401), candidate_removed),
    ("DELETE", "/helix/moderation/moderators"): Case(
        lambda s: s.api.delete("/helix/moderation/moderators", headers=helix(s), params={
            "broadcaster_id": owner_id(s), "user_id": candidate_id(s)}),
        (401, 403, 204, 403, 204, 401), candidate_added),
    # Past the permission check, a commercial or a raid needs the channel live: 400.
    ("POST", "/helix/channels/commercial"): Case(commercial, named_broadcaster(400)),
    ("GET", "/helix/channels/ads"): get("/helix/channels/ads"),
    ("GET", "/helix/subscriptions"): get("/helix/subscriptions"),
    # The broadcaster has no subscription to their own channel: 404, as on Twitch.
    ("GET", "/helix/subscriptions/user"): Case(
        lambda s: s.api.get("/helix/subscriptions/user", headers=helix(s), params={
            "broadcaster_id": owner_id(s), "user_id": own_id(s)}),
        (401, 200, 404, 200, 200, 401), subscription_shown),
    ("GET", "/helix/bits/leaderboard"): Case(
        lambda s: s.api.get("/helix/bits/leaderboard", headers=helix(s)), own_user(200)),
    ("DELETE", "/helix/videos"): Case(
        lambda s: s.api.delete("/helix/videos", params={"id": s.params["video_id"]},
                               headers=helix(s)), named_broadcaster(200), fresh_video),
    ("POST", "/helix/raids"): Case(raid, named_broadcaster(400)),
    # Any user clips any live broadcaster; this one is offline: 404, as on Twitch.
    ("POST", "/helix/clips"): Case(
        lambda s: s.api.post("/helix/clips", params={"broadcaster_id": owner_id(s)},
                             headers=helix(s)), own_user(404)),
    # Nothing counts down to cancel: 404.
    ("DELETE", "/helix/raids"): Case(
        lambda s: s.api.delete("/helix/raids", params={"broadcaster_id": owner_id(s)},
                               headers=helix(s)), named_broadcaster(404)),
}
