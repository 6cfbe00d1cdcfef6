"""A chat socket's token is checked while the socket lives: revoked or expired, it stops posting
within seconds (an error frame), and the socket reads on."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import psycopg
from websockets.sync.client import ClientConnection

from gateways.oauth.models import digest
from tests.integration.money import with_channel
from tests.integration.oauth_helpers import WEB_CLIENT, Account, signed_in
from tests.integration.test_chat import join
from tests.running import RunningPlatform
from tests.waiting import until


def answer(ws: ClientConnection, text: str) -> dict[str, Any]:
    """Post a message; the sender's ack or error for it."""
    ws.send(json.dumps({"type": "message", "text": text, "nonce": text}))
    while True:
        frame: dict[str, Any] = json.loads(ws.recv(timeout=20))
        if frame["type"] in ("ack", "error") and frame.get("nonce") == text:
            return frame


def refused_within(ws: ClientConnection, seconds: float) -> dict[str, Any]:
    count = iter(range(10_000))
    # Paced below the chat's rate limit, so the only refusal can be the token's.
    return until(lambda: answer(ws, f"still here {next(count)}"),
                 lambda frame: frame["type"] == "error", seconds, "a refusal", interval_s=0.3)


def lapse_then_check(platform: RunningPlatform, api: httpx.Client,
                     lapse: Callable[[Account], None]) -> None:
    channel, fan = with_channel(api, "tokens").username, signed_in(api, "chatty")
    with join(platform.base_url, channel, fan) as ws:
        assert answer(ws, "before")["type"] == "ack"
        lapse(fan)
        refused = refused_within(ws, 5)
        assert refused["reason"] == "invalid_token", refused
        assert answer(ws, "after")["reason"] == "unauthorized"
        other = signed_in(api, "other")
        with join(platform.base_url, channel, other) as speaker:
            assert answer(speaker, "still readable")["type"] == "ack"
        seen = until(lambda: json.loads(ws.recv(timeout=20)),
                     lambda f: f.get("type") == "message" and f["text"] == "still readable",
                     20, "the revoked socket to read on")
        assert seen["text"] == "still readable"


def test_a_revoked_token_stops_posting_on_an_open_socket(platform: RunningPlatform,
                                                         api: httpx.Client) -> None:
    def revoke(account: Account) -> None:
        revoked = api.post("/oauth2/revoke", data={"token": account.access_token,
                                                   "client_id": WEB_CLIENT})
        assert revoked.status_code == 200, revoked.text

    lapse_then_check(platform, api, revoke)


def test_an_expired_token_stops_posting_on_an_open_socket(platform: RunningPlatform,
                                                          api: httpx.Client) -> None:
    def expire(account: Account) -> None:
        with psycopg.connect(platform.settings.postgres, autocommit=True) as conn:
            conn.execute("UPDATE oauth_tokens SET issued_at = now() - interval '1 day' "
                         "WHERE access_token_hash = %s", (digest(account.access_token),))

    lapse_then_check(platform, api, expire)
