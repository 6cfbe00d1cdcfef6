"""Rows grouped for Cassandra: one partition per batch, never more than MAX_ROWS rows."""

from __future__ import annotations

from projections.cassandra_batches import MAX_ROWS, partition_chunks


def test_rows_are_grouped_by_their_partition_key_in_order() -> None:
    rows = [("a", "d1", 1), ("b", "d1", 2), ("a", "d1", 3), ("a", "d2", 4)]
    assert partition_chunks(rows, key_columns=2) == [
        [("a", "d1", 1), ("a", "d1", 3)], [("b", "d1", 2)], [("a", "d2", 4)]]


def test_a_large_partition_is_split_into_chunks_of_at_most_max_rows() -> None:
    rows = [("a", n) for n in range(2 * MAX_ROWS + 1)]
    chunks = partition_chunks(rows, key_columns=1)
    assert [len(c) for c in chunks] == [MAX_ROWS, MAX_ROWS, 1]
    assert [row for chunk in chunks for row in chunk] == rows


def test_no_rows_no_chunks() -> None:
    assert partition_chunks([], key_columns=1) == []
