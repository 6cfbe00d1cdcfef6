"""Events the raw tables already hold, found by event id before a batch is inserted.

The same event can reach the sink again at another log position: a decider that decides a
command again after a crash sends the same events (same ids and times) at new offsets, and so
does a producer that retries. Such a repeat may be in the same batch, a later one, or come
after the sink restarted. ClickHouse cannot refuse a duplicate row, and a materialized view
counts whatever is inserted, so the sink drops repeats before inserting: then the raw tables
and every rollup count an event id once.

A batch's events are looked up by `(occurred_at, event_id)`, the raw tables' sorting key: one
query per batch, which reads only the granules where those keys would be (a few for a batch of
recent events, whatever the table's size). It relies on an event id always coming with the
same time, which the deciders keep (a re-decided event is the same event).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from clickhouse_driver import Client

EventKey = tuple[datetime, UUID]  # (occurred_at, event_id)
KEY_STRUCTURE = [("occurred_at", "DateTime('UTC')"), ("event_id", "UUID")]


def stored_ids(client: Client, keys: Mapping[str, Sequence[EventKey]]) -> set[UUID]:
    """The event ids among `keys` (per raw table name) that their table already holds."""
    wanted = [(table, table_keys) for table, table_keys in keys.items() if table_keys]
    if not wanted:
        return set()
    query = " UNION ALL ".join(
        f"SELECT event_id FROM {table} WHERE (occurred_at, event_id) IN _keys{n}"
        for n, (table, _) in enumerate(wanted))
    external: list[dict[str, Any]] = [
        {"name": f"_keys{n}", "structure": KEY_STRUCTURE,
         "data": [{"occurred_at": at, "event_id": event_id} for at, event_id in table_keys]}
        for n, (_, table_keys) in enumerate(wanted)]
    rows = client.execute(query, external_tables=external)
    return {event_id for (event_id,) in rows}
