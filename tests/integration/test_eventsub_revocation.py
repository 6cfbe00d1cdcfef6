"""A revoked authorization ends the EventSub subscriptions that rested on it, as on Twitch: the
WebSocket session is sent a `revocation` message, the webhook's callback is posted one, and
the subscription is listed as authorization_revoked. What another live token still carries,
or what needs no one's grant, goes on."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
from websockets.sync.client import ClientConnection, connect

from tests.integration.oauth_helpers import WEB_CLIENT, Account, password_grant
from tests.integration.test_chat_history import owner_and_fan
from tests.integration.test_eventsub_refusals import user_id
from tests.integration.test_eventsub_webhooks import (
    Receiver,
    app_and_grant,
    receiving,
    status_of,
    verified,
)
from tests.integration.test_eventsub_ws import eventsub_url, subscribe, welcome
from tests.integration.test_helix_clients import TIMEOUT_S
from tests.running import RunningPlatform
from tests.waiting import until


def revoke(api: httpx.Client, client_id: str, token: str) -> None:
    revoked = api.post("/oauth2/revoke", params={"client_id": client_id, "token": token})
    assert revoked.status_code == 200, revoked.text


def another_token(api: httpx.Client, account: Account) -> dict[str, str]:
    """Helix headers of a second sign-in of the account's."""
    tokens = password_grant(api, account.username)
    assert tokens.status_code == 200, tokens.text
    return {"Authorization": f"Bearer {tokens.json()['access_token']}", "Client-Id": WEB_CLIENT}


def next_message(ws: ClientConnection) -> dict[str, Any]:
    """The next message that is not a keepalive."""
    deadline = time.monotonic() + TIMEOUT_S
    while True:
        message: dict[str, Any] = json.loads(ws.recv(timeout=deadline - time.monotonic()))
        if message["metadata"]["message_type"] != "session_keepalive":
            return message


def retitle(api: httpx.Client, helix: dict[str, str], broadcaster: str, title: str) -> None:
    changed = api.patch("/helix/channels", headers=helix, params={"broadcaster_id": broadcaster},
                        json={"title": title})
    assert changed.status_code == 204, changed.text


def test_a_session_is_told_when_the_last_token_its_subscription_rested_on_is_revoked(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    streamer, _ = owner_and_fan(api)
    first = {**streamer.auth, "Client-Id": WEB_CLIENT}
    second = another_token(api, streamer)
    me = str(api.get("/helix/users", headers=first).json()["data"][0]["id"])
    with connect(eventsub_url(platform.base_url), open_timeout=10) as ws:
        [created] = subscribe(api, first, "channel.update", "2", me, welcome(ws)["id"])["data"]
        revoke(api, WEB_CLIENT, streamer.access_token)
        retitle(api, second, me, "still told")  # the second token still carries it
        told = next_message(ws)
        assert (told["metadata"]["message_type"], told["payload"]["event"]["title"]) == (
            "notification", "still told")
        revoke(api, WEB_CLIENT, second["Authorization"].removeprefix("Bearer "))
        revocation = next_message(ws)
    assert revocation["metadata"]["message_type"] == "revocation"
    assert revocation["metadata"]["subscription_type"] == "channel.update"
    subscription = revocation["payload"]["subscription"]
    assert (subscription["id"], subscription["status"]) == (created["id"],
                                                             "authorization_revoked")


def test_a_webhook_is_revoked_with_its_grant_and_one_needing_none_goes_on(
    api: httpx.Client,
) -> None:
    owner, _ = owner_and_fan(api)
    owner_id = user_id(api, owner)
    app, grant = app_and_grant(api, owner, "moderator:read:followers")
    receiver = Receiver(fail_first=False)
    with receiving(receiver) as callback:
        follows = verified(api, app, owner_id, callback)
        online = verified(api, app, owner_id, callback, "stream.online")
        revoke(api, app["Client-Id"], grant)
        assert status_of(api, app, follows["id"]) == "authorization_revoked"
        until(lambda: receiver.of_type("revocation"), bool, 20, "the revocation message")
    [told] = receiver.of_type("revocation")
    assert (told["body"]["subscription"]["id"], told["body"]["subscription"]["status"]) == (
        follows["id"], "authorization_revoked")
    assert status_of(api, app, online["id"]) == "enabled"
    page = api.get("/helix/eventsub/subscriptions", headers=app).json()
    assert (page["total"], page["total_cost"]) == (1, 1)
