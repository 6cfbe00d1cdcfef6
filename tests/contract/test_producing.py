"""Producing: keyed partitioning, idempotent acks=all delivery, end offsets, time lookup, txns."""

from __future__ import annotations

import time
from collections import Counter

import pytest
from aiokafka.partitioner import DefaultPartitioner
from confluent_kafka import OFFSET_END, TIMESTAMP_CREATE_TIME, Producer, TopicPartition

from tests.contract.conftest import Topics
from tests.contract.kafka_helpers import (
    as_java_int,
    consumer,
    end_offsets,
    java_partition,
    murmur2,
    offsets_by_partition,
    produce_all,
    producer,
    read_topic,
)

# Apache Kafka's UtilsTest.testMurmur2 vectors (Java signed ints).
JAVA_MURMUR2 = {
    b"21": -973932308,
    b"foobar": -790332482,
    b"a-little-bit-long-string": -985981536,
    b"a-little-bit-longer-string": -1486304829,
    b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8": -58897971,
    b"abc": 479470107,
}
READ_COMMITTED = {"isolation.level": "read_committed"}


@pytest.mark.parametrize(("data", "expected"), list(JAVA_MURMUR2.items()))
def test_murmur2_here_is_javas(data: bytes, expected: int) -> None:
    assert as_java_int(murmur2(data)) == expected


def test_same_key_same_partition_as_java_and_faust(
    reliable: Producer, topics: Topics
) -> None:
    """librdkafka's murmur2_random, Java's default partitioner and aiokafka (Faust) agree."""
    partitions = 12
    name = topics.create(partitions)
    keys = [*JAVA_MURMUR2, b"", b"x", *(f"channel-{n}".encode() for n in range(60))]
    # Each key three times, interleaved with the other keys, in different orders.
    reports = [
        *produce_all(reliable, name, [(k, b"1") for k in keys]),
        *produce_all(reliable, name, [(k, b"2") for k in reversed(keys)]),
        *produce_all(reliable, name, [(k, b"3") for k in keys[1::2] + keys[::2]]),
    ]
    landed: dict[bytes, set[int]] = {}
    for report in reports:
        key, partition = report.key(), report.partition()
        assert key is not None
        assert partition is not None
        landed.setdefault(key, set()).add(partition)
    assert all(len(where) == 1 for where in landed.values()), landed
    aiokafka = DefaultPartitioner()
    everywhere = list(range(partitions))
    for key, [partition] in landed.items():
        assert partition == java_partition(key, partitions), key
        assert partition == aiokafka(key, everywhere, everywhere), key
    assert len(set().union(*landed.values())) > 1  # the keys really were spread
    assert java_partition(b"foobar", 50) == 16


def test_idempotent_acks_all_offsets_increase_without_duplicates(
    bootstrap: str, reliable: Producer, topics: Topics
) -> None:
    partitions, count = 3, 900
    name = topics.create(partitions)
    items = [(f"key-{n % 40}".encode(), str(n).encode()) for n in range(count)]
    reports = produce_all(reliable, name, items)

    per_partition = offsets_by_partition(reports)
    assert all((report.offset() or 0) >= 0 for report in reports)
    for partition, offsets in per_partition.items():
        # Strictly increasing in delivery order, with no gap and no offset twice.
        assert offsets == list(range(len(offsets))), partition
    assert sum(len(offsets) for offsets in per_partition.values()) == count
    # The log holds every record exactly once.
    stored = read_topic(bootstrap, name, partitions)
    assert Counter(m.value() for m in stored) == Counter(value for _key, value in items)
    assert end_offsets(bootstrap, name, partitions) == [
        len(per_partition.get(p, [])) for p in range(partitions)
    ]


def test_end_offsets_count_the_messages(
    bootstrap: str, reliable: Producer, topics: Topics
) -> None:
    name = topics.create(3)
    produce_all(reliable, name, [(b"k", b"v")] * 7, partition=0)
    produce_all(reliable, name, [(b"k", b"v")] * 3, partition=1)
    c = consumer(bootstrap)
    try:
        marks = [c.get_watermark_offsets(TopicPartition(name, p), timeout=10) for p in range(3)]
    finally:
        c.close()
    assert marks == [(0, 7), (0, 3), (0, 0)]


def test_offsets_for_times_gives_first_offset_at_or_after(
    bootstrap: str, reliable: Producer, topics: Topics
) -> None:
    # Recent stamps in a keep-forever topic: records stamped older than a topic's retention
    # may be deleted at once (noida-db does so within a second, Kafka once a segment rolls).
    base = (int(time.time()) - 60) * 1000
    stamps = [base + 1000 * n for n in range(10)]
    # One lookup per partition: librdkafka merges lookups of the same partition.
    lookups = {0: base + 4500, 1: base + 4000, 2: base - 1, 3: base + 9001}
    expected = {0: 5, 1: 4, 2: 0, 3: OFFSET_END}  # OFFSET_END (-1): nothing that late
    name = topics.create(len(lookups), config={"retention.ms": "-1"})
    for partition in lookups:
        produce_all(reliable, name, [(b"k", b"v")] * 10, partition=partition, timestamps=stamps)
    c = consumer(bootstrap)
    try:
        found = c.offsets_for_times(
            [TopicPartition(name, p, stamp) for p, stamp in lookups.items()], timeout=10
        )
    finally:
        c.close()
    assert all(tp.error is None for tp in found)
    assert {tp.partition: tp.offset for tp in found} == expected
    stored = read_topic(bootstrap, name, 1)
    assert [m.timestamp() for m in stored] == [(TIMESTAMP_CREATE_TIME, t) for t in stamps]


def test_read_committed_sees_only_committed_transactions(bootstrap: str, topics: Topics) -> None:
    name = topics.create(1)
    tx = producer(bootstrap, {"transactional.id": f"{name}-tx"})
    tx.init_transactions(20)
    tx.begin_transaction()
    produce_all(tx, name, [(b"k", b"aborted-1"), (b"k", b"aborted-2")])
    tx.abort_transaction(20)

    tx.begin_transaction()
    produce_all(tx, name, [(b"k", b"committed-1"), (b"k", b"committed-2")])
    # Sent and acknowledged but not committed yet: invisible to read_committed.
    assert read_topic(bootstrap, name, 1, READ_COMMITTED) == []
    tx.commit_transaction(20)

    stored = read_topic(bootstrap, name, 1, READ_COMMITTED)
    assert [m.value() for m in stored] == [b"committed-1", b"committed-2"]
