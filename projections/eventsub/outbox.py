"""The webhook outbox: each event an enabled webhook subscription is to be told of, queued as
the body to post, in the same transaction as the feed's checkpoint. A message id is queued
once however often its event is read; an event from before the subscription is never queued.
Not a projection to rebuild: a replay would post old events again."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

from feeds.records import Envelope
from projections.eventsub.lookups import lookups
from projections.eventsub.messages import message_id, timestamp
from projections.eventsub.payloads import (
    TOPICS,
    Lookups,
    Notice,
    notices,
    notification_payload,
)

NAME = "eventsub-webhooks"
WAKE = "eventsub_webhooks"  # the deliverer's channel, NOTIFYed as messages are queued
SUBSCRIPTION_COLUMNS = (
    "id, type, version, condition, channel, broadcaster_id, broadcaster_login, "
    "broadcaster_name, status, method, session_id, callback, cost, created_at, connected_at"
)


def webhook_body(row: dict[str, Any], notice: Notice, found: Lookups) -> str:
    return json.dumps(notification_payload(row, notice, found), separators=(",", ":"))


class EventSubOutbox:
    name: str = NAME
    topics: tuple[str, ...] = tuple(sorted(TOPICS))
    tables: tuple[str, ...] = ()
    derived_columns: tuple[str, ...] = ()

    def apply(self, conn: psycopg.Connection, envelopes: Sequence[Envelope]) -> None:
        found = [n for e in envelopes for n in notices(e.message)]
        if not found:
            return
        subscriptions = _enabled(conn, sorted({n.channel for n in found}))
        told = [(notice, row) for notice in found
                for row in subscriptions[(notice.channel, notice.type)]
                if notice.occurred_at >= row["created_at"]]
        known = lookups(conn, [notice for notice, _ in told])
        now = timestamp(datetime.now(UTC))
        rows = [(row["id"], message_id(notice.event_id, str(row["id"])), now,
                 webhook_body(row, notice, known)) for notice, row in told]
        if rows:
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO eventsub_deliveries (subscription_id, message_id, "
                    "message_type, sent_at, body) VALUES (%s, %s, 'notification', %s, %s) "
                    "ON CONFLICT DO NOTHING", rows)
                cur.execute("SELECT pg_notify(%s, '')", (WAKE,))


def _enabled(conn: psycopg.Connection, channels: list[str]
             ) -> dict[tuple[str, str], list[dict[str, Any]]]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(f"SELECT {SUBSCRIPTION_COLUMNS} FROM eventsub_subscriptions "
                    "WHERE method = 'webhook' AND status = 'enabled' AND channel = ANY(%s)",
                    (channels,))
        found: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for row in cur.fetchall():
            found[(row["channel"], row["type"])].append(row)
    return found
