"""Rows written to Cassandra a partition at a time.

A batch whose rows share a partition is applied as one mutation; measured on the local 1.2 node,
3,000 rows cost the server about a fifth of the CPU in batches of 10 per partition than written
one by one, while a batch across partitions costs as much as its rows alone. Rows are grouped by
their partition key (the leading `key_columns` values) and each group is written as unlogged
batches of at most MAX_ROWS (larger ones cost more per row again).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from cassandra.concurrent import execute_concurrent

MAX_ROWS = 10
CONCURRENCY = 32  # requests in flight: more only queues up in Cassandra (measured on 1.2)
Row = tuple[Any, ...]


class PartitionWriter:
    """One INSERT, prepared as batches of 1 to MAX_ROWS copies of itself."""

    def __init__(self, session: Any, insert: str, key_columns: int) -> None:
        self.session, self.insert, self.key_columns = session, insert, key_columns
        self.prepared: dict[int, Any] = {}

    def statements(self, rows: Sequence[Row]) -> list[tuple[Any, Row]]:
        return [(self._batch_of(len(chunk)), tuple(v for row in chunk for v in row))
                for chunk in partition_chunks(rows, self.key_columns)]

    def _batch_of(self, size: int) -> Any:
        if size not in self.prepared:
            cql = self.insert if size == 1 else (
                "BEGIN UNLOGGED BATCH " + "; ".join([self.insert] * size) + "; APPLY BATCH")
            self.prepared[size] = self.session.prepare(cql)
        return self.prepared[size]


def partition_chunks(rows: Sequence[Row], key_columns: int) -> list[list[Row]]:
    """The rows grouped by partition (in order within each), in chunks of at most MAX_ROWS."""
    by_partition: dict[Row, list[Row]] = defaultdict(list)
    for row in rows:
        by_partition[row[:key_columns]].append(row)
    return [group[i:i + MAX_ROWS] for group in by_partition.values()
            for i in range(0, len(group), MAX_ROWS)]


def write(session: Any, statements: Sequence[tuple[Any, Row]]) -> None:
    """Every statement applied, or the first error raised."""
    if statements:
        execute_concurrent(session, statements, concurrency=CONCURRENCY,
                           raise_on_first_error=True)
