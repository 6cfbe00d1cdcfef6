"""The revenue ledger, the bits wallets and the subscriptions, in PostgreSQL, from the
monetization topic.

Rows are keyed by event id (a decider replaying a command writes its events again with the
same ids), and written with the checkpoint in the runner's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

import psycopg

from events.base import Event
from events.monetization import MONETIZATION_TOPIC, BitsCheered, BitsPurchased, BitsRefunded
from feeds.records import Envelope
from projections.ledger_entries import transaction_of
from projections.subscriptions import apply_subscriptions

EntryRow = tuple[object, ...]


class LedgerProjection:
    name: str = "ledger"
    topics: tuple[str, ...] = (MONETIZATION_TOPIC,)
    tables: tuple[str, ...] = ("ledger_entries", "bits_movements", "subscriptions")
    derived_columns: tuple[str, ...] = ()

    def apply(self, conn: psycopg.Connection, envelopes: Sequence[Envelope]) -> None:
        events = [e.message for e in envelopes if isinstance(e.message, Event)]
        entries = [row for event in events for row in entry_rows(event)]
        movements = [(e.event_id, e.user_id, bits_moved(e), e.occurred_at) for e in events
                     if isinstance(e, BitsPurchased | BitsCheered | BitsRefunded)]
        with conn.cursor() as cur:
            if entries:
                cur.executemany(
                    "INSERT INTO ledger_entries (event_id, line, source, account, amount_minor, "
                    "currency, channel, occurred_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
                    "ON CONFLICT DO NOTHING", entries)
            if movements:
                cur.executemany(
                    "INSERT INTO bits_movements (event_id, user_id, bits, occurred_at) "
                    "VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING", movements)
            apply_subscriptions(cur, events)


def entry_rows(event: Event) -> list[EntryRow]:
    transaction = transaction_of(event)
    if transaction is None:
        return []
    return [(event.event_id, line, transaction.source, account, amount, transaction.currency,
             transaction.channel, event.occurred_at)
            for line, (account, amount) in enumerate(transaction.entries)]


def bits_moved(event: BitsPurchased | BitsCheered | BitsRefunded) -> int:
    return event.bits if isinstance(event, BitsPurchased) else -event.bits
