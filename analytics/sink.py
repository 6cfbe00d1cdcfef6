"""The analytics sink: every event of the analytics families into its raw ClickHouse table.

ClickHouse has no transactions. The sink writes a batch's rows, then its checkpoint; rows carry
their log position, so after a crash between the two the sink finds which records past its
checkpoint already have rows and does not insert them again (materialized views over the raw
tables see every event exactly once).

A batch is written behind: while ClickHouse takes its rows, the next batch is decoded. Batches
are still written one at a time and in order, each with its checkpoint after its rows.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

import psycopg
from clickhouse_driver import Client

from analytics.raw_tables import FAMILIES, RawTable, families_tables
from analytics.rollups import ensure_rollups
from analytics.write_behind import WriteBehind
from events.base import Event, Message
from projections.checkpoints import TopicPartition
from projections.locations import Follower
from projections.runner import DeadLetterSink, Envelope, Record, decode_or_park

log = logging.getLogger(__name__)

CHECKPOINTS_DDL = (
    "CREATE TABLE IF NOT EXISTS sink_checkpoints (sink String, topic String, "
    "log_partition UInt32, log_offset Int64) "
    "ENGINE = ReplacingMergeTree(log_offset) ORDER BY (sink, topic, log_partition)"
)
Position = tuple[str, int, int]


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


def read_checkpoints(client: Client, sink: str) -> dict[TopicPartition, int]:
    rows = client.execute(
        "SELECT topic, log_partition, max(log_offset) FROM sink_checkpoints "
        "WHERE sink = %(sink)s GROUP BY topic, log_partition", {"sink": sink})
    return {(topic, partition): offset for topic, partition, offset in rows}


def write_checkpoints(client: Client, sink: str, positions: dict[TopicPartition, int]) -> None:
    client.execute(
        "INSERT INTO sink_checkpoints (sink, topic, log_partition, log_offset) VALUES",
        [(sink, t, p, o) for (t, p), o in positions.items()])


class ClickHouseSink:
    topics: tuple[str, ...] = FAMILIES

    def __init__(self, conn: psycopg.Connection, client: Client,
                 decode: Callable[[bytes], Message], dead_letters: DeadLetterSink,
                 name: str = "analytics", follower: Follower | None = None,
                 relocate: Callable[[str], Client] | None = None) -> None:
        self.conn = conn  # PostgreSQL: only for the leadership lock
        self.client = client
        self.follower = follower  # the database analytics lives in, which a replay switches
        self.relocate = relocate
        self.decode = decode
        self.dead_letters = dead_letters
        self.name = name
        self.tables = families_tables()
        self.reached: dict[TopicPartition, int] | None = None
        self.present: set[Position] = set()  # past the checkpoint, already written
        self.writes = WriteBehind(name)

    def ensure_tables(self) -> None:
        ensure_tables(self.client)

    def checkpoints(self) -> dict[TopicPartition, int]:
        self.flush()
        self.reached = read_checkpoints(self.client, self.name)
        self.present = self._written_past(self.reached)
        return dict(self.reached)

    def _written_past(self, reached: dict[TopicPartition, int]) -> set[Position]:
        present: set[Position] = set()
        for table in self.tables.values():
            lowest = min((o for (t, _), o in reached.items() if t == table.event.topic),
                         default=-1)
            rows = self.client.execute(
                f"SELECT topic, log_partition, log_offset FROM {table.name} "
                "WHERE log_offset > %(lowest)s", {"lowest": lowest})
            present.update((t, p, o) for t, p, o in rows if o > reached.get((t, p), -1))
        return present

    def apply_batch(self, records: Sequence[Record]) -> int:
        reached = self.reached if self.reached is not None else self.checkpoints()
        past = [r for r in records if r.offset > reached.get((r.topic, r.partition), -1)]
        fresh = [r for r in past if (r.topic, r.partition, r.offset) not in self.present]
        envelopes, _ = decode_or_park(fresh, self.decode, self.dead_letters, self.name)
        if not past:
            return 0
        rows = self._rows(envelopes)
        positions = {(r.topic, r.partition): r.offset for r in past}  # records come in order
        self.writes.start(lambda: self._write(rows, positions))
        reached.update(positions)
        self.present = {p for p in self.present if p[2] > reached.get((p[0], p[1]), -1)}
        return len(envelopes)

    def flush(self) -> None:
        """Return once every batch applied is written with its checkpoint."""
        self.writes.wait()

    def _write(self, rows: dict[RawTable, list[tuple[Any, ...]]],
               positions: dict[TopicPartition, int]) -> None:
        for table, values in rows.items():
            self.client.execute(table.insert_sql, values)
        write_checkpoints(self.client, self.name, positions)

    def _rows(self, envelopes: Sequence[Envelope]) -> dict[RawTable, list[tuple[Any, ...]]]:
        rows: dict[RawTable, list[tuple[Any, ...]]] = defaultdict(list)
        for e in envelopes:
            message = e.message
            table = self.tables.get(type(message)) if isinstance(message, Event) else None
            if table is None or not isinstance(message, Event):
                log.error("no analytics table for %s topic=%s partition=%d offset=%d",
                          type(e.message).__name__, e.topic, e.partition, e.offset)
                continue
            rows[table].append(table.row(message, e.topic, e.partition, e.offset))
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
        self.reached, self.present = None, set()
        return True
