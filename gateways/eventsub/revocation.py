"""A withdrawn authorization ends the subscriptions that rested on it, as on Twitch: once no live
token of the user for the app authorizes a subscription (its last one revoked at /oauth2/revoke),
the subscription is revoked with status authorization_revoked. The gateway holding a WebSocket
session sends it a `revocation` message; the webhook deliverer posts one to a callback."""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection

from gateways.eventsub import store
from gateways.eventsub.catalog import find
from gateways.oauth.models import digest
from projections.eventsub.messages import Json
from projections.eventsub.outbox import WAKE

REVOKED = "authorization_revoked"
LIVE = ["enabled", "webhook_callback_verification_pending"]


def resting_on(row: Json) -> tuple[str, frozenset[str]] | None:
    """The user whose grant the subscription rests on, and the scopes of which any one
    authorizes it (none: any token of theirs does); None when it rests on no user's grant."""
    kind = find(row["type"], row["version"])
    if kind is None:
        return None
    if row["method"] == "websocket":
        return str(row["user_id"]), kind.scope
    if kind.authorized:
        return str(row["condition"][kind.authorizer]), kind.scope
    return None


async def token_holder(conn: AsyncConnection[Any], token: str) -> tuple[str, str] | None:
    """The app and the user of an access or refresh token; None for an app's token or none."""
    found = await store.rows(
        conn, "SELECT client_id, user_id::text AS user_id FROM oauth_tokens "
        "WHERE (access_token_hash = %(d)s OR refresh_token_hash = %(d)s) "
        "AND user_id IS NOT NULL", {"d": digest(token)})
    return (found[0]["client_id"], found[0]["user_id"]) if found else None


async def _unauthorized(conn: AsyncConnection[Any], client_id: str, user_id: str) -> list[str]:
    candidates = await store.rows(
        conn, "SELECT id, type, version, method, user_id, condition FROM eventsub_subscriptions "
        "WHERE client_id = %(c)s AND status = ANY(%(live)s) AND (user_id = %(u)s::uuid OR "
        "EXISTS (SELECT 1 FROM jsonb_each_text(condition) WHERE value = %(u)s::text))",
        {"c": client_id, "u": user_id, "live": LIVE})
    still: dict[frozenset[str], bool] = {}
    ended = []
    for row in candidates:
        rests_on = resting_on(row)
        if rests_on is None or rests_on[0] != user_id:
            continue
        scopes = rests_on[1]
        if scopes not in still:
            still[scopes] = await store.granted(conn, client_id, user_id, scopes)
        if not still[scopes]:
            ended.append(str(row["id"]))
    return ended


async def withdrawn(conn: AsyncConnection[Any], client_id: str, user_id: str) -> list[Json]:
    """Revoke the app's subscriptions that the user's grant no longer carries: the revoked rows.
    Their undelivered notifications are dropped; each callback is owed a revocation message."""
    ended = await _unauthorized(conn, client_id, user_id)
    if not ended:
        return []
    revoked = await store.rows(
        conn, f"UPDATE eventsub_subscriptions SET status = %(s)s, revocation_due = "
        f"(method = 'webhook' AND status = 'enabled') "  # a callback never verified: not told
        f"WHERE id = ANY(%(ids)s::uuid[]) AND status = ANY(%(live)s) "
        f"RETURNING {store.COLUMNS}", {"s": REVOKED, "ids": ended, "live": LIVE})
    await conn.execute("DELETE FROM eventsub_deliveries WHERE subscription_id = ANY(%s::uuid[])",
                       (ended,))
    if any(row["method"] == "webhook" for row in revoked):
        await conn.execute("SELECT pg_notify(%s, '')", (WAKE,))
    return revoked
