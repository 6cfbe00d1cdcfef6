"""The people around one channel, for the permission matrix, and what they see of it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import httpx
import psycopg
from psycopg import sql
from websockets.sync.client import ClientConnection

from config.settings import Settings
from events.codec import Codec
from events.producer import EventProducer
from events.vods import VodRecorded
from tests.integration.money import buy, key
from tests.integration.oauth_helpers import (
    Account,
    admin_signed_in,
    password_grant,
    sign_up,
    signed_in,
)
from tests.integration.test_chat import join
from tests.waiting import until

CALLERS = ("anonymous", "other", "owner", "moderator", "admin", "no_scope")
NARROW_SCOPE = "chat:read"
REDIRECT_URI = "https://matrix.example.com/callback"
# The read models a protected endpoint writes through its events, in PostgreSQL.
READ_MODELS = ("users", "user_roles", "channels", "channel_moderators", "follows",
               "subscriptions", "bits_movements", "ledger_entries", "oauth_clients",
               "oauth_codes", "streams", "clips")


@dataclass(frozen=True)
class Cast:
    """A channel's owner, one of its moderators, another user and an admin; a viewer and a
    candidate are acted upon (banned, granted a role, made moderator). `standing` holds what
    an action needs to exist (a message to delete, a purchase to refund)."""

    owner: Account
    moderator: Account
    other: Account
    admin: Account
    viewer: Account
    candidate: Account
    narrowed: dict[str, dict[str, str]]
    app_client_id: str
    user_ids: tuple[str, ...]
    standing: dict[str, str] = field(default_factory=dict)

    @property
    def channel(self) -> str:
        return self.owner.username

    def actor(self, caller: str, admin_only: bool) -> Account | None:
        """Who calls; a token without the scope is the admin's on admin-only endpoints."""
        if caller == "anonymous":
            return None
        if caller == "no_scope":
            return self.admin if admin_only else self.owner
        account: Account = getattr(self, caller)
        return account

    def headers(self, caller: str, admin_only: bool) -> dict[str, str]:
        if caller == "no_scope":
            return self.narrowed["admin" if admin_only else "owner"]
        actor = self.actor(caller, admin_only)
        return actor.auth if actor else {}

    def names(self) -> frozenset[bytes]:
        accounts = (self.owner, self.moderator, self.other, self.admin, self.viewer,
                    self.candidate)
        return frozenset(n.encode() for n in (*(a.username for a in accounts), *self.user_ids))


def gather(api: httpx.Client, settings: Settings, prefix: str) -> Cast:
    owner, moderator, other, viewer, candidate = (
        signed_in(api, f"{prefix}{role}") for role in ("own", "mod", "oth", "vwr", "cnd"))
    admin = admin_signed_in(api, settings, f"{prefix}adm")
    for account in (owner, moderator, other, viewer, candidate, admin):
        channel_made(api, account.username)
    added = api.post(f"/api/v1/channels/{owner.username}/moderators",
                     json={"username": moderator.username}, headers=owner.auth)
    assert added.status_code == 201, added.text
    app = api.post("/api/v1/oauth2/clients", headers=owner.auth, json={
        "name": "matrix app", "confidential": False, "redirect_uris": [REDIRECT_URI],
        "grant_types": ["authorization_code"]})
    assert app.status_code == 201, app.text
    accounts = (owner, moderator, other, admin, viewer, candidate)
    return Cast(owner, moderator, other, admin, viewer, candidate,
                {"owner": narrowed(api, owner), "admin": narrowed(api, admin)},
                app.json()["data"]["client_id"], tuple(user_id(api, a) for a in accounts))


def channel_made(api: httpx.Client, name: str) -> None:
    """Each account's channel is made after its registration: waited for, so that its
    creation is not mistaken for the effect of a refused call."""
    until(lambda: api.get(f"/api/v1/channels/{name}").status_code,
          lambda status: status == 200, 30, f"{name}'s channel")


def narrowed(api: httpx.Client, account: Account) -> dict[str, str]:
    granted = password_grant(api, account.username, scope=NARROW_SCOPE)
    assert granted.status_code == 200, granted.text
    assert granted.json()["scope"] == [NARROW_SCOPE]
    return {"Authorization": f"Bearer {granted.json()['access_token']}"}


def user_id(api: httpx.Client, account: Account) -> str:
    found = api.get(f"/api/v1/users/{account.username}")
    assert found.status_code == 200, found.text
    return str(found.json()["data"]["id"])


def posted_message(base_url: str, cast: Cast) -> str:
    """The id of a message the viewer posted in the channel."""
    with join(base_url, cast.channel, cast.viewer) as ws:
        return said(ws, f"matrix {key()}")


def said(ws: ClientConnection, text: str) -> str:
    ws.send(json.dumps({"type": "message", "text": text, "nonce": text}))
    while True:
        frame = json.loads(ws.recv(timeout=30))
        if frame.get("nonce") == text and frame["type"] in ("ack", "error"):
            assert frame["type"] == "ack", frame
            return str(frame["id"])


def bought_purchase(api: httpx.Client, buyer: Account) -> str:
    """The id of a purchase of 100 bits, once the wallet shows it (so it can be refunded)."""
    response = buy(api, buyer, 100, key())
    assert response.status_code == 201, response.text
    shown = api.get("/api/v1/users/me/bits", headers=buyer.auth,
                    params={"min_position": response.json()["position"]})
    assert shown.status_code == 200, shown.text
    return str(response.json()["event_id"])


def recorded_video(api: httpx.Client, cast: Cast) -> str:
    """The id of a VOD of the channel, as the VOD recorder appends one (its files aside)."""
    settings = Settings()
    now = datetime.now(UTC)
    video = VodRecorded(channel=cast.channel, video_id=str(uuid4()), session_id=str(uuid4()),
                        started_at=now, ended_at=now, duration_ms=60_000, renditions=["src"])
    producer = EventProducer(settings.kafka, Codec.from_settings(settings).encode)
    try:
        [position] = producer.send([video])
    finally:
        producer.close()
    shown = api.get(f"/api/v1/videos/{video.video_id}", params={"min_position": position.token})
    assert shown.status_code == 200, shown.text
    return video.video_id


def asked_clip(api: httpx.Client, cast: Cast) -> str:
    """The id of a clip the viewer asked of a VOD of the channel, once its cut has failed (the
    VOD has no files): no event of the worker's comes later. A failed clip is deleted as any."""
    video_id = recorded_video(api, cast)
    asked = api.post(f"/api/v1/videos/{video_id}/clips", json={"start_s": 0, "duration_s": 5},
                     headers=cast.viewer.auth)
    assert asked.status_code == 202, asked.text
    clip_id = str(asked.json()["data"]["id"])
    shown = api.get(f"/api/v1/clips/{clip_id}", params={"min_position": asked.json()["position"]})
    assert shown.status_code == 200, shown.text
    until(lambda: api.get(f"/api/v1/clips/{clip_id}").json()["data"]["status"],
          lambda status: status == "failed", 60, "the clip's cut to fail")
    return clip_id


def read_model_rows(conn: psycopg.Connection[Any], cast: Cast) -> list[tuple[str, str]]:
    """Every PostgreSQL read-model row that names one of the cast, as (table, row text)."""
    query = sql.SQL(" UNION ALL ").join(
        sql.SQL("SELECT {}, t::text FROM {} t WHERE t::text ~ %(names)s").format(
            sql.Literal(table), sql.Identifier(table)) for table in READ_MODELS)
    names = "|".join(re.escape(name.decode()) for name in cast.names())
    return conn.execute(query + sql.SQL(" ORDER BY 1, 2"), {"names": names}).fetchall()


def sign_up_recipient(api: httpx.Client) -> str:
    username, _ = sign_up(api, "gft")
    return username
