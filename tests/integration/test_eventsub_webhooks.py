"""EventSub's webhook transport against a receiver of the test's own on loopback: it checks
each message's signature, answers the challenge, and fails a notification's first delivery so
that it comes again, with the same message id; a callback that always fails is revoked."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from tests.integration.money import bought
from tests.integration.oauth_helpers import Account
from tests.integration.test_chat import join
from tests.integration.test_chat_history import owner_and_fan
from tests.integration.test_chat_moderation import say
from tests.integration.test_eventsub_refusals import user_id
from tests.integration.test_oauth import pkce_pair, register_app
from tests.running import RunningPlatform
from tests.waiting import until

SECRET = "a secret of the receiver's"
REDIRECT = "http://127.0.0.1:9/callback"


@dataclass
class Receiver:
    """Every message that came, and the notifications handled once each by message id."""

    fail_first: bool = True
    fail_always: bool = False
    hold: threading.Event | None = None  # notifications are answered once it is set
    seen: list[dict[str, Any]] = field(default_factory=list)
    handled: dict[str, dict[str, Any]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def hook(self, request: Request) -> Response:
        body = (await request.body()).decode()
        headers = request.headers
        message_id = headers["twitch-eventsub-message-id"]
        signed = hmac.new(SECRET.encode(), (message_id + headers[
            "twitch-eventsub-message-timestamp"] + body).encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(f"sha256={signed}",
                                   headers["twitch-eventsub-message-signature"]):
            return Response(status_code=403)
        kind, payload = headers["twitch-eventsub-message-type"], json.loads(body)
        with self.lock:
            first = all(seen["id"] != message_id for seen in self.seen)
            self.seen.append({"id": message_id, "type": kind, "body": payload,
                              "retry": headers["twitch-eventsub-message-retry"]})
        if kind == "webhook_callback_verification":
            return PlainTextResponse(payload["challenge"])
        if self.fail_always or (first and self.fail_first and kind == "notification"):
            return Response(status_code=500)
        if self.hold is not None and kind == "notification":
            await asyncio.to_thread(self.hold.wait, 60)
        with self.lock:
            self.handled.setdefault(message_id, payload)
        return Response(status_code=204)

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        with self.lock:
            return [seen for seen in self.seen if seen["type"] == kind]


@contextmanager
def receiving(receiver: Receiver) -> Iterator[str]:
    """The receiver served on a loopback port of its own: its callback URL."""
    app = Starlette(routes=[Route("/hook", receiver.hook, methods=["POST"])])
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]})
    thread.start()
    try:
        until(lambda: server.started, bool, 20, "the receiver to listen")
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/hook"
    finally:
        server.should_exit = True
        thread.join()
        sock.close()


def app_granted_by(api: httpx.Client, broadcaster: Account, scope: str) -> dict[str, str]:
    """An app the broadcaster granted `scope` (by code): its own app token's headers."""
    return app_and_grant(api, broadcaster, scope)[0]


def app_and_grant(api: httpx.Client, broadcaster: Account, scope: str
                  ) -> tuple[dict[str, str], str]:
    """An app the broadcaster granted `scope` (by code): its own app token's headers, and the
    access token the broadcaster's grant gave it."""
    developer = owner_and_fan(api)[1]
    app = register_app(api, developer, redirect_uris=[REDIRECT],
                       grant_types=["authorization_code", "client_credentials"])
    client_id, secret = str(app["client_id"]), str(app["client_secret"])
    verifier, challenge = pkce_pair()
    granted = api.post("/oauth2/authorize", headers=broadcaster.auth, params={
        "response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT,
        "scope": scope, "state": "s", "code_challenge": challenge,
        "code_challenge_method": "S256"})
    assert granted.status_code == 302, granted.text
    code = parse_qs(urlsplit(granted.headers["location"]).query)["code"][0]
    exchanged = api.post("/oauth2/token", data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
        "client_id": client_id, "client_secret": secret, "code_verifier": verifier})
    assert exchanged.status_code == 200, exchanged.text
    token = api.post("/oauth2/token", data={
        "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})
    assert token.status_code == 200, token.text
    return ({"Authorization": f"Bearer {token.json()['access_token']}", "Client-Id": client_id},
            str(exchanged.json()["access_token"]))


def subscribe_webhook(api: httpx.Client, app: dict[str, str], broadcaster_id: str,
                      callback: str, kind: str = "channel.follow") -> dict[str, Any]:
    """A follow (v2, the broadcaster as moderator) or cheer subscription to the callback."""
    condition = {"broadcaster_user_id": broadcaster_id}
    if kind == "channel.follow":
        condition["moderator_user_id"] = broadcaster_id
    created = api.post("/helix/eventsub/subscriptions", headers=app, json={
        "type": kind, "version": "2" if kind == "channel.follow" else "1",
        "condition": condition,
        "transport": {"method": "webhook", "callback": callback, "secret": SECRET}})
    assert created.status_code == 202, created.text
    [subscription] = created.json()["data"]
    assert subscription["status"] == "webhook_callback_verification_pending"
    assert subscription["transport"] == {"method": "webhook", "callback": callback}
    return dict(subscription)


def verified(api: httpx.Client, app: dict[str, str], broadcaster_id: str, callback: str,
             kind: str = "channel.follow") -> dict[str, Any]:
    subscription = subscribe_webhook(api, app, broadcaster_id, callback, kind)
    until(lambda: status_of(api, app, subscription["id"]), lambda s: s == "enabled", 20,
          "the callback to be verified")
    return subscription


def status_of(api: httpx.Client, app: dict[str, str], subscription_id: str) -> str:
    found = api.get("/helix/eventsub/subscriptions", headers=app,
                    params={"subscription_id": subscription_id}).json()["data"]
    return str(found[0]["status"]) if found else "gone"


@dataclass(frozen=True)
class Scene:
    owner: Account
    fan: Account
    owner_id: str
    app: dict[str, str]
    receiver: Receiver
    callback: str
    subscription: dict[str, Any]

    def follow(self, api: httpx.Client) -> None:
        followed = api.post(f"/api/v1/channels/{self.owner.username}/follow",
                            headers=self.fan.auth)
        assert followed.status_code == 202, followed.text


@contextmanager
def following(api: httpx.Client) -> Iterator[Scene]:
    """A broadcaster's follows, subscribed to by an app they granted, to a verified receiver."""
    owner, fan = owner_and_fan(api)
    owner_id = user_id(api, owner)
    app = app_granted_by(api, owner, "moderator:read:followers bits:read")
    receiver = Receiver()
    with receiving(receiver) as callback:
        yield Scene(owner, fan, owner_id, app, receiver, callback,
                    verified(api, app, owner_id, callback))


def test_a_webhook_is_verified_and_gets_a_follow_and_a_cheer_once_after_redeliveries(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    with following(api) as scene:
        [challenge] = scene.receiver.of_type("webhook_callback_verification")
        assert challenge["body"]["subscription"]["id"] == scene.subscription["id"]
        verified(api, scene.app, scene.owner_id, scene.callback, "channel.cheer")
        assert bought(api, scene.fan, 100) == 100
        scene.follow(api)
        with join(platform.base_url, scene.owner.username, scene.fan) as chat:
            assert say(chat, "cheer60 for the stream")["type"] == "ack"
        until(lambda: len(scene.receiver.handled), lambda n: n == 2, 30,
              "the follow and the cheer, each redelivered")
    sent = scene.receiver.of_type("notification")
    assert sorted(s["retry"] for s in sent) == ["0", "0", "1", "1"]
    assert len({s["id"] for s in sent}) == 2
    told = {m["subscription"]["type"]: m["event"] for m in scene.receiver.handled.values()}
    assert (told["channel.follow"]["user_login"],
            told["channel.follow"]["broadcaster_user_id"]) == (scene.fan.username,
                                                                scene.owner_id)
    assert (told["channel.cheer"]["user_login"], told["channel.cheer"]["bits"],
            told["channel.cheer"]["message"]) == (scene.fan.username, 60,
                                                   "cheer60 for the stream")


def test_a_slow_webhook_delays_no_other(api: httpx.Client) -> None:
    slow = Receiver(fail_first=False, hold=threading.Event())
    with following(api) as scene, receiving(slow) as slow_callback:
        scene.receiver.fail_first = False
        verified(api, scene.app, scene.owner_id, slow_callback)
        scene.follow(api)
        until(lambda: len(scene.receiver.handled), lambda n: n == 1, 20,
              "the follow, at the fast receiver")
        until(lambda: slow.of_type("notification"), bool, 20, "the slow one to be posted to")
        assert not slow.handled
        assert slow.hold is not None
        slow.hold.set()
        until(lambda: len(slow.handled), lambda n: n == 1, 20, "the follow, at the slow one")


def test_a_callback_that_keeps_failing_is_revoked_and_a_bad_one_refused(
    api: httpx.Client,
) -> None:
    with following(api) as scene:
        scene.receiver.fail_always = True
        scene.follow(api)
        until(lambda: status_of(api, scene.app, scene.subscription["id"]),
              lambda s: s == "notification_failures_exceeded", 30, "the revocation")
        until(lambda: scene.receiver.of_type("revocation"), bool, 20, "the revocation message")
    for url in ("http://example.com/hook", "https://10.0.0.1/hook", "ftp://127.0.0.1/",
                "https://user:pw@example.com/"):
        refused = api.post("/helix/eventsub/subscriptions", headers=scene.app, json={
            "type": "stream.online", "version": "1",
            "condition": {"broadcaster_user_id": scene.owner_id},
            "transport": {"method": "webhook", "callback": url, "secret": SECRET}})
        assert refused.status_code == 400, (url, refused.text)
        assert "callback" in refused.json()["message"]
