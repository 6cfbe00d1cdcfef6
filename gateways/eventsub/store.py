"""EventSub subscriptions in PostgreSQL: created, listed, deleted, and what authorizes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection
from psycopg.errors import UniqueViolation
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from gateways.oauth.grants import REFRESH_TTL_S
from projections.eventsub.outbox import WAKE

COLUMNS = (
    "id, client_id, user_id, type, version, condition, channel, broadcaster_id, "
    "broadcaster_login, broadcaster_name, status, method, session_id, callback, secret, cost, "
    "created_at, connected_at"
)


@dataclass(frozen=True)
class Broadcaster:
    user_id: str
    login: str  # also the channel's name, by which Castline's events are keyed
    name: str


class Conflict(Exception):
    """The app already has a subscription of this type, condition and transport."""


async def rows(conn: AsyncConnection[Any], sql: str, params: dict[str, Any]
               ) -> list[dict[str, Any]]:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(sql.encode(), params)
        return await cur.fetchall() if cur.description else []


async def broadcaster(conn: AsyncConnection[Any], user_id: str) -> Broadcaster | None:
    found = await rows(conn, "SELECT channel, display_name FROM channels "
                       "WHERE owner_id = %(id)s::uuid", {"id": user_id})
    if not found:
        return None
    return Broadcaster(user_id, found[0]["channel"], found[0]["display_name"])


async def moderates(conn: AsyncConnection[Any], channel: str, user_id: str) -> bool:
    return bool(await rows(conn, "SELECT 1 FROM channel_moderators WHERE channel = %(c)s "
                           "AND user_id = %(u)s::uuid", {"c": channel, "u": user_id}))


async def granted(conn: AsyncConnection[Any], client_id: str, user_id: str,
                  scopes: frozenset[str]) -> bool:
    """Whether the user has granted the app one of the scopes (a live token of theirs carries
    it: not revoked, and unexpired or refreshable; no scopes: any such token): what lets an app
    token subscribe a webhook to the user's events, and what keeps a subscription resting on
    their grant."""
    return bool(await rows(
        conn, "SELECT 1 FROM oauth_tokens WHERE client_id = %(c)s AND user_id = %(u)s::uuid "
        "AND NOT revoked AND issued_at + make_interval(secs => CASE WHEN refresh_token_hash "
        "IS NULL THEN expires_in ELSE %(refresh_s)s END) > now() "
        "AND (cardinality(%(s)s::text[]) = 0 OR string_to_array(scope, ' ') && %(s)s::text[]) "
        "LIMIT 1",
        {"c": client_id, "u": user_id, "s": sorted(scopes), "refresh_s": REFRESH_TTL_S}))


async def insert(conn: AsyncConnection[Any], row: dict[str, Any]) -> dict[str, Any]:
    try:
        [created] = await rows(
            conn, f"INSERT INTO eventsub_subscriptions ({COLUMNS}) VALUES (%(id)s, "
            "%(client_id)s, %(user_id)s, %(type)s, %(version)s, %(condition)s, %(channel)s, "
            "%(broadcaster_id)s, %(broadcaster_login)s, %(broadcaster_name)s, %(status)s, "
            "%(method)s, %(session_id)s, %(callback)s, %(secret)s, %(cost)s, now(), "
            f"%(connected_at)s) RETURNING {COLUMNS}",
            {**row, "condition": Jsonb(row["condition"])})
        if row["method"] == "webhook":  # its callback is to be verified now
            await conn.execute("SELECT pg_notify(%s, '')", (WAKE,))
    except UniqueViolation as duplicate:
        raise Conflict from duplicate
    return created


def _owned(client_id: str, user_id: str | None) -> dict[str, Any]:
    return {"client_id": client_id, "user_id": user_id}


# A webhook subscription belongs to the app; a WebSocket one to the app and the user.
OWNED = ("client_id = %(client_id)s AND (method = 'webhook' OR "
         "user_id IS NOT DISTINCT FROM %(user_id)s::uuid)")


async def listing(conn: AsyncConnection[Any], client_id: str, user_id: str | None,
                  filters: dict[str, Any], after: tuple[datetime, str] | None, first: int
                  ) -> list[dict[str, Any]]:
    return await rows(
        conn, f"SELECT {COLUMNS} FROM eventsub_subscriptions WHERE {OWNED} "
        "AND (%(status)s::text IS NULL OR status = %(status)s) "
        "AND (%(type)s::text IS NULL OR type = %(type)s) "
        "AND (%(user)s::text IS NULL OR condition @> jsonb_build_object('broadcaster_user_id', "
        "%(user)s::text) OR condition @> jsonb_build_object('user_id', %(user)s::text)) "
        "AND (%(sid)s::uuid IS NULL OR id = %(sid)s::uuid) "
        "AND (%(at)s::timestamptz IS NULL OR (created_at, id::text) > (%(at)s, %(after)s)) "
        "ORDER BY created_at, id LIMIT %(first)s",
        {**_owned(client_id, user_id), **filters, "first": first,
         "at": after[0] if after else None, "after": after[1] if after else None})


async def totals(conn: AsyncConnection[Any], client_id: str, user_id: str | None
                 ) -> tuple[int, int]:
    [row] = await rows(conn, "SELECT count(*) AS total, coalesce(sum(cost), 0) AS cost FROM "
                       f"eventsub_subscriptions WHERE {OWNED} AND status IN ('enabled', "
                       "'webhook_callback_verification_pending')", _owned(client_id, user_id))
    return int(row["total"]), int(row["cost"])


async def delete(conn: AsyncConnection[Any], subscription_id: UUID, client_id: str,
                 user_id: str | None) -> dict[str, Any] | None:
    found = await rows(conn, f"DELETE FROM eventsub_subscriptions WHERE id = %(id)s AND {OWNED} "
                       f"RETURNING {COLUMNS}", {"id": subscription_id,
                                                 **_owned(client_id, user_id)})
    return found[0] if found else None


async def of_session(conn: AsyncConnection[Any], session_id: str) -> list[dict[str, Any]]:
    return await rows(conn, f"SELECT {COLUMNS} FROM eventsub_subscriptions "
                      "WHERE session_id = %(s)s", {"s": session_id})


async def by_id(conn: AsyncConnection[Any], subscription_id: str) -> dict[str, Any] | None:
    found = await rows(conn, f"SELECT {COLUMNS} FROM eventsub_subscriptions WHERE id = %(id)s",
                       {"id": subscription_id})
    return found[0] if found else None


async def end_session(conn: AsyncConnection[Any], session_id: str) -> None:
    """A closed session's subscriptions are gone, as Twitch drops them."""
    await conn.execute("DELETE FROM eventsub_subscriptions WHERE session_id = %s",
                       (session_id,))
