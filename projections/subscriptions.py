"""Who subscribes to which channel, in PostgreSQL, from the monetization topic's events.

Subscription events are keyed by channel, so a subscription's start, renewals, cancellation
and end arrive in order; each write names the subscription, so an event of an older
subscription never touches a newer one of the same (channel, user).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg

from events.base import Event
from events.subscriptions import (
    SubscriptionCancelled,
    SubscriptionEnded,
    SubscriptionRenewed,
    SubscriptionStarted,
)

STARTED = (
    "INSERT INTO subscriptions (channel, user_id, subscription_id, tier, gift_id, gifted_by, "
    "started_at, period, period_end) VALUES (%s, %s, %s, %s, %s, %s, %s, 0, %s) "
    "ON CONFLICT (channel, user_id) DO UPDATE SET subscription_id = excluded.subscription_id, "
    "tier = excluded.tier, gift_id = excluded.gift_id, gifted_by = excluded.gifted_by, "
    "started_at = excluded.started_at, period = 0, period_end = excluded.period_end, "
    "cancelled_at = NULL, ended_at = NULL, end_reason = NULL "
    "WHERE subscriptions.subscription_id <> excluded.subscription_id")
RENEWED = ("UPDATE subscriptions SET period = %s, period_end = %s WHERE channel = %s "
           "AND user_id = %s AND subscription_id = %s AND period < %s")
CANCELLED = ("UPDATE subscriptions SET cancelled_at = %s WHERE channel = %s AND user_id = %s "
             "AND subscription_id = %s")
ENDED = ("UPDATE subscriptions SET ended_at = %s, end_reason = %s WHERE channel = %s "
         "AND user_id = %s AND subscription_id = %s")


def apply_subscriptions(cur: psycopg.Cursor[Any], events: Sequence[Event]) -> None:
    """Part of the ledger projection, in its transaction: one projection per topic keeps
    read-your-writes on the monetization topic's positions simple."""
    for event in events:
        statement = _statement(event)
        if statement is not None:
            cur.execute(*statement)


def _statement(event: Event) -> tuple[str, tuple[object, ...]] | None:
    if isinstance(event, SubscriptionStarted):
        return STARTED, (event.channel, event.user_id, event.subscription_id, event.tier,
                         event.gift_id, event.gifted_by, event.period_start, event.period_end)
    if isinstance(event, SubscriptionRenewed):
        return RENEWED, (event.period, event.period_end, event.channel, event.user_id,
                         event.subscription_id, event.period)
    if isinstance(event, SubscriptionCancelled):
        return CANCELLED, (event.occurred_at, event.channel, event.user_id,
                           event.subscription_id)
    if isinstance(event, SubscriptionEnded):
        return ENDED, (event.ended_at, event.reason, event.channel, event.user_id,
                       event.subscription_id)
    return None
