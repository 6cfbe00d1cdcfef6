"""The analytics sink: every event of the analytics families into its raw ClickHouse table.

ClickHouse has no transactions. The sink writes a batch's rows, then its checkpoint. Before
inserting, it drops the events the raw tables already hold, by event id (analytics/repeats.py):
those written before a crash lost their checkpoint, and the same events sent again at other
positions (a decider that decided a command again). Repeats within a batch are dropped too, so
the raw tables, and the materialized views over them, count every event id once.

A batch is written behind: while ClickHouse takes its rows, the next batch is decoded. Batches
are still written one at a time and in order, each looked up, then inserted, then checkpointed,
so the lookup of a batch sees every row of the batches before it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

from clickhouse_driver import Client

from analytics.raw_tables import FAMILIES, RawTable, families_tables
from analytics.repeats import EventKey, stored_ids
from analytics.rollups import ensure_rollups
from analytics.write_behind import WriteBehind
from events.base import Event, Message
from feeds.checkpoints import Partition
from feeds.locations import Follower
from feeds.parking import DeadLetterSink, decode_or_park
from feeds.records import Envelope, LogRecord

log = logging.getLogger(__name__)

CHECKPOINTS_DDL = (
    "CREATE TABLE IF NOT EXISTS sink_checkpoints (sink String, topic String, "
    "log_partition UInt32, log_offset Int64) "
    "ENGINE = ReplacingMergeTree(log_offset) ORDER BY (sink, topic, log_partition)"
)
Rows = dict[RawTable, list[tuple[EventKey, tuple[Any, ...]]]]  # each row with its event's key


def ensure_tables(client: Client) -> None:
    """Create missing tables and rollups, and add the columns a newer event version brought."""
    client.execute(CHECKPOINTS_DDL)
    for table in families_tables().values():
        client.execute(table.ddl())
        existing = {row[0] for row in client.execute(f"DESCRIBE TABLE {table.name}")}
        for column, kind in table.columns:
            if column not in existing:
                client.execute(f"ALTER TABLE {table.name} ADD COLUMN {column} {kind}")
    ensure_rollups(client)


def read_checkpoints(client: Client, sink: str) -> dict[Partition, int]:
    rows = client.execute(
        "SELECT topic, log_partition, max(log_offset) FROM sink_checkpoints "
        "WHERE sink = %(sink)s GROUP BY topic, log_partition", {"sink": sink})
    return {(topic, partition): offset for topic, partition, offset in rows}


def write_checkpoints(client: Client, sink: str, positions: dict[Partition, int]) -> None:
    client.execute(
        "INSERT INTO sink_checkpoints (sink, topic, log_partition, log_offset) VALUES",
        [(sink, t, p, o) for (t, p), o in positions.items()])


class ClickHouseSink:
    topics: tuple[str, ...] = FAMILIES

    def __init__(self, client: Client,
                 decode: Callable[[bytes], Message], dead_letters: DeadLetterSink,
                 name: str = "analytics", follower: Follower | None = None,
                 relocate: Callable[[str], Client] | None = None) -> None:
        self.client = client
        self.follower = follower  # the database analytics lives in, which a replay switches
        self.relocate = relocate
        self.decode = decode
        self.dead_letters = dead_letters
        self.name = name
        self.tables = families_tables()
        self.reached: dict[Partition, int] | None = None
        self.writes = WriteBehind(name)

    def ensure_tables(self) -> None:
        ensure_tables(self.client)

    def checkpoints(self) -> dict[Partition, int]:
        self.flush()
        self.reached = read_checkpoints(self.client, self.name)
        return dict(self.reached)

    def apply_batch(self, records: Sequence[LogRecord]) -> int:
        reached = self.reached if self.reached is not None else self.checkpoints()
        past = [r for r in records if r.offset > reached.get((r.topic, r.partition), -1)]
        envelopes, _ = decode_or_park(past, self.decode, self.dead_letters, self.name)
        if not past:
            return 0
        rows = self._rows(envelopes)
        positions = {(r.topic, r.partition): r.offset for r in past}  # records come in order
        self.flush()
        self.writes.start(lambda: self._write(rows, positions))
        reached.update(positions)
        return len(envelopes)

    def flush(self) -> None:
        """Return once every batch applied is written with its checkpoint."""
        try:
            self.writes.wait()
        except Exception:
            # The failed batch was counted as reached when it started: read the checkpoints
            # again, so that its records are applied (or parked) when they come again.
            self.reached = None
            raise

    def _write(self, rows: Rows, positions: dict[Partition, int]) -> None:
        stored = stored_ids(self.client, {table.name: [key for key, _ in keyed]
                                          for table, keyed in rows.items()})
        if stored:
            log.info("sink %s: %d events already stored, not inserted again", self.name,
                     len(stored))
        for table, keyed in rows.items():
            values = [row for (_, event_id), row in keyed if event_id not in stored]
            if values:
                self.client.execute(table.insert_sql, values)
        write_checkpoints(self.client, self.name, positions)

    def _rows(self, envelopes: Sequence[Envelope]) -> Rows:
        """Each event's row in its table; an event id seen earlier in the batch is left out."""
        rows: Rows = defaultdict(list)
        seen: set[UUID] = set()
        for e in envelopes:
            message = e.message
            table = self.tables.get(type(message)) if isinstance(message, Event) else None
            if table is None or not isinstance(message, Event):
                log.error("no analytics table for %s topic=%s partition=%d offset=%d",
                          type(e.message).__name__, e.topic, e.partition, e.offset)
                continue
            if message.event_id in seen:
                continue
            seen.add(message.event_id)
            rows[table].append(((message.occurred_at, message.event_id),
                                table.row(message, e.topic, e.partition, e.offset)))
        return rows

    def tick(self) -> bool:
        """Follow a replay's switch to another database; the consumer then reads on from the
        checkpoints there."""
        database = self.follower.moved() if self.follower is not None else None
        if database is None or self.relocate is None:
            return False
        log.info("sink %s moves to database %s", self.name, database)
        self.flush()
        self.client.disconnect()
        self.client = self.relocate(database)
        self.reached = None
        return True
