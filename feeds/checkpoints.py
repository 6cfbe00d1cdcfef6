"""A feed's (topic, partition) -> last applied offset, kept in PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import psycopg

from feeds.records import LogRecord

Partition = tuple[str, int]  # (topic, partition number)


def load(conn: psycopg.Connection, projection: str) -> dict[Partition, int]:
    rows = conn.execute(
        'SELECT topic, partition, "offset" FROM projection_checkpoints WHERE projection = %s',
        (projection,),
    ).fetchall()
    return {(topic, partition): offset for topic, partition, offset in rows}


def lock(
    conn: psycopg.Connection, projection: str, partitions: Iterable[Partition]
) -> dict[Partition, int]:
    """Lock the checkpoint rows of these partitions for this transaction.

    Another worker holding the same partitions (during a rebalance) waits here, then sees
    the advanced offsets and skips what was already applied.
    """
    wanted = sorted(set(partitions))
    topics, numbers = [t for t, _ in wanted], [p for _, p in wanted]
    # Inserting missing rows first makes two new readers of a partition serialize on it.
    conn.execute(
        'INSERT INTO projection_checkpoints (projection, topic, partition, "offset") '
        "SELECT %s, t, p, -1 FROM unnest(%s::text[], %s::int[]) AS u(t, p) "
        "ON CONFLICT DO NOTHING",
        (projection, topics, numbers),
    )
    rows = conn.execute(
        'SELECT topic, partition, "offset" FROM projection_checkpoints '
        "WHERE projection = %s AND (topic, partition) IN "
        "(SELECT * FROM unnest(%s::text[], %s::int[])) "
        "ORDER BY topic, partition FOR UPDATE",
        (projection, topics, numbers),
    ).fetchall()
    return {(topic, partition): offset for topic, partition, offset in rows}


def advance(
    conn: psycopg.Connection, projection: str, offsets: Mapping[Partition, int]
) -> None:
    items = sorted(offsets.items())
    conn.execute(
        'INSERT INTO projection_checkpoints (projection, topic, partition, "offset") '
        "SELECT %s, * FROM unnest(%s::text[], %s::int[], %s::bigint[]) "
        'ON CONFLICT (projection, topic, partition) DO UPDATE SET "offset" = EXCLUDED."offset", '
        "updated_at = now() WHERE projection_checkpoints.\"offset\" < EXCLUDED.\"offset\"",
        (projection, [t for (t, _), _ in items], [p for (_, p), _ in items], [o for _, o in items]),
    )


def unapplied(conn: psycopg.Connection, feed: str, records: Sequence[LogRecord]) -> list[LogRecord]:
    """Lock the checkpoint rows of the records' partitions for this transaction and keep the
    records past them: a redelivered record is at or below its checkpoint."""
    reached = lock(conn, feed, {(r.topic, r.partition) for r in records})
    return [r for r in records if r.offset > reached[(r.topic, r.partition)]]
