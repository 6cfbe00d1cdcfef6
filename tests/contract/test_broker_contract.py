"""Kafka features Castline relies on, checked against the configured broker."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from aiokafka.partitioner import DefaultPartitioner
from confluent_kafka import OFFSET_BEGINNING, KafkaError, KafkaException, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic  # type: ignore[attr-defined]

from tests.contract.kafka_helpers import consume_n, consumer, produce_all, producer
from tests.waiting import until

NewTopicFactory = Callable[[int], str]


def test_topics_are_created_with_their_partitions(
    bootstrap: str, new_topic: NewTopicFactory
) -> None:
    name = new_topic(6)
    admin = AdminClient({"bootstrap.servers": bootstrap})
    assert len(admin.list_topics(name, timeout=10).topics[name].partitions) == 6
    [future] = admin.create_topics([NewTopic(name, 6, 1)]).values()
    with pytest.raises(KafkaException) as again:
        future.result(30)
    assert again.value.args[0].code() == KafkaError.TOPIC_ALREADY_EXISTS


def test_keys_land_where_faust_would_put_them(bootstrap: str, new_topic: NewTopicFactory) -> None:
    """confluent-kafka (murmur2_random) and aiokafka (Faust) must agree on key -> partition."""
    name = new_topic(12)
    keys = [f"channel-{n}".encode() for n in range(200)]
    reports = produce_all(bootstrap, name, [(k, b"v") for k in keys])
    aiokafka_partition = DefaultPartitioner()
    partitions = list(range(12))
    for report in reports:
        key = report.key()
        assert key is not None
        assert report.partition() == aiokafka_partition(key, partitions, partitions)


def test_idempotent_acks_all_produce_gives_increasing_offsets(
    bootstrap: str, new_topic: NewTopicFactory
) -> None:
    name = new_topic(1)
    reports = produce_all(bootstrap, name, [(b"k", str(n).encode()) for n in range(500)])
    offsets = [r.offset() for r in reports]
    assert offsets == list(range(500))
    assert [r.value() for r in reports] == [str(n).encode() for n in range(500)]


def test_group_resumes_after_its_committed_offset(
    bootstrap: str, new_topic: NewTopicFactory
) -> None:
    name = new_topic(1)
    produce_all(bootstrap, name, [(b"k", str(n).encode()) for n in range(100)])
    group = f"resume-{name}"
    first = consumer(bootstrap, group)
    first.subscribe([name])
    got = consume_n(first, 40)
    first.commit(message=got[39], asynchronous=False)
    first.close()
    second = consumer(bootstrap, group)
    second.subscribe([name])
    resumed = consume_n(second, 1)
    second.close()
    assert resumed[0].offset() == 40


class Membership:
    """Tracks the partitions a group member holds, through assign and revoke callbacks."""

    def __init__(self) -> None:
        self.held: set[int] = set()

    def assign(self, _consumer: object, partitions: list[TopicPartition]) -> None:
        self.held |= {p.partition for p in partitions}

    def revoke(self, _consumer: object, partitions: list[TopicPartition]) -> None:
        self.held -= {p.partition for p in partitions}


def test_two_members_split_the_partitions(bootstrap: str, new_topic: NewTopicFactory) -> None:
    name = new_topic(6)
    group = f"split-{name}"
    members = [(consumer(bootstrap, group), Membership()) for _ in range(2)]
    for member, membership in members:
        member.subscribe([name], on_assign=membership.assign, on_revoke=membership.revoke)

    def held() -> tuple[set[int], set[int]]:
        for member, _ in members:
            member.poll(0.1)
        return set(members[0][1].held), set(members[1][1].held)

    a, b = until(held, lambda h: bool(h[0]) and bool(h[1]) and not h[0] & h[1], 30,
                 "both members to hold disjoint partitions")
    for member, _ in members:
        member.close()
    assert a | b == set(range(6))


def test_end_offsets_count_the_messages(bootstrap: str, new_topic: NewTopicFactory) -> None:
    name = new_topic(2)
    produce_all(bootstrap, name, [(b"k", b"v")] * 7, partition=0)
    produce_all(bootstrap, name, [(b"k", b"v")] * 3, partition=1)
    c = consumer(bootstrap)
    assert c.get_watermark_offsets(TopicPartition(name, 0), timeout=10) == (0, 7)
    assert c.get_watermark_offsets(TopicPartition(name, 1), timeout=10) == (0, 3)
    c.close()


def test_offsets_for_times_finds_the_first_at_or_after(
    bootstrap: str, new_topic: NewTopicFactory
) -> None:
    name = new_topic(1)
    base = 1_700_000_000_000
    stamps = [base + 1000 * n for n in range(10)]
    produce_all(bootstrap, name, [(b"k", b"v")] * 10, partition=0, timestamps=stamps)
    c = consumer(bootstrap)
    [found] = c.offsets_for_times([TopicPartition(name, 0, base + 4500)], timeout=10)
    c.close()
    assert found.offset == 5


def test_seek_to_beginning_reads_everything(bootstrap: str, new_topic: NewTopicFactory) -> None:
    name = new_topic(1)
    produce_all(bootstrap, name, [(b"k", str(n).encode()) for n in range(25)])
    c = consumer(bootstrap)
    c.assign([TopicPartition(name, 0, OFFSET_BEGINNING)])
    got = consume_n(c, 25)
    c.close()
    assert [m.offset() for m in got] == list(range(25))


def test_read_committed_hides_aborted_transactions(
    bootstrap: str, new_topic: NewTopicFactory
) -> None:
    name = new_topic(1)
    tx = producer(bootstrap, **{"transactional.id": f"tx-{name}"})
    tx.init_transactions(15)
    tx.begin_transaction()
    tx.produce(name, key=b"k", value=b"aborted")
    tx.abort_transaction(15)
    tx.begin_transaction()
    tx.produce(name, key=b"k", value=b"committed")
    tx.commit_transaction(15)
    c = consumer(bootstrap, **{"isolation.level": "read_committed"})
    c.assign([TopicPartition(name, 0, OFFSET_BEGINNING)])
    got = consume_n(c, 1)
    extra = c.consume(10, timeout=1)
    c.close()
    assert [m.value() for m in got + [m for m in extra if m.error() is None]] == [b"committed"]
