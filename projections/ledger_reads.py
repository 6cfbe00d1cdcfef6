"""Reads of the ledger and the bits wallets, for the gateway."""

from __future__ import annotations

from datetime import date
from typing import Any

from psycopg import AsyncConnection

from projections.ledger_entries import creator


async def bits_balance(conn: AsyncConnection[Any], user_id: str) -> int:
    cur = await conn.execute(
        "SELECT coalesce(sum(bits), 0) FROM bits_movements WHERE user_id = %s", (user_id,))
    row = await cur.fetchone()
    return int(row[0]) if row else 0


async def purchase_of(conn: AsyncConnection[Any], purchase_id: str) -> tuple[str, int] | None:
    """The buyer and bits of a bits purchase, by its event id."""
    cur = await conn.execute(
        "SELECT user_id, bits FROM bits_movements WHERE event_id = %s AND bits > 0",
        (purchase_id,))
    row = await cur.fetchone()
    return (str(row[0]), int(row[1])) if row else None


async def daily_earnings(conn: AsyncConnection[Any], channel: str, since: date,
                         until: date) -> list[tuple[date, str, str, int]]:
    """(UTC day, source, currency, amount) of what the channel earned, days since..until."""
    cur = await conn.execute(
        "SELECT (occurred_at AT TIME ZONE 'UTC')::date AS day, source, currency, "
        "sum(amount_minor) FROM ledger_entries WHERE account = %s "
        "AND occurred_at >= %s::date AND occurred_at < %s::date + 1 "
        "GROUP BY day, source, currency ORDER BY day DESC, source, currency",
        (creator(channel), since, until))
    return [(day, source, currency, int(total)) for day, source, currency, total
            in await cur.fetchall()]


async def payout_balance(conn: AsyncConnection[Any], channel: str) -> dict[str, int]:
    """What the platform owes the channel, per currency (no payouts exist yet)."""
    cur = await conn.execute(
        "SELECT currency, sum(amount_minor) FROM ledger_entries WHERE account = %s "
        "GROUP BY currency ORDER BY currency", (creator(channel),))
    return {currency: int(total) for currency, total in await cur.fetchall()}
