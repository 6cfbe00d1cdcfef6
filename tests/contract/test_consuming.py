"""Consuming: committed-offset resume, group partition split, reading from chosen positions."""

from __future__ import annotations

from confluent_kafka import OFFSET_BEGINNING, Consumer, Producer, TopicPartition

from tests.contract.conftest import Topics
from tests.contract.kafka_helpers import (
    DEADLINE_S,
    consumer,
    offsets_by_partition,
    produce_all,
    read_to_end,
    unique,
)
from tests.waiting import until

PER_PARTITION = 30


def fill(producer: Producer, topic: str, partitions: int, count: int = PER_PARTITION) -> None:
    for p in range(partitions):
        produce_all(producer, topic, [(b"k", f"{p}-{n}".encode()) for n in range(count)],
                    partition=p)


def test_group_resumes_right_after_its_committed_offsets(
    bootstrap: str, reliable: Producer, topics: Topics
) -> None:
    partitions = 3
    name = topics.create(partitions)
    fill(reliable, name, partitions)
    group = unique("resume")
    # Next offset to read, per partition: part-way, from the start, and past the last record.
    commit_at = {0: 12, 1: 0, 2: PER_PARTITION}

    first = consumer(bootstrap, group)
    try:
        first.subscribe([name])
        assert len(read_to_end(first, partitions)) == partitions * PER_PARTITION
        first.commit(offsets=[TopicPartition(name, p, o) for p, o in commit_at.items()],
                     asynchronous=False)
    finally:
        first.close()

    second = consumer(bootstrap, group)
    try:
        committed = second.committed(
            [TopicPartition(name, p) for p in range(partitions)], timeout=10
        )
        assert {tp.partition: tp.offset for tp in committed} == commit_at
        second.subscribe([name])
        resumed = read_to_end(second, partitions)
    finally:
        second.close()
    assert offsets_by_partition(resumed) == {
        p: list(range(o, PER_PARTITION)) for p, o in commit_at.items() if o < PER_PARTITION
    }
    assert [m.value() for m in resumed if m.partition() == 0] == [
        f"0-{n}".encode() for n in range(12, PER_PARTITION)
    ]


class Member:
    """A group member and the partitions it holds, kept up to date by its rebalance callbacks."""

    def __init__(self, c: Consumer) -> None:
        self.consumer = c
        self.held: set[int] = set()

    def assigned(self, _consumer: Consumer, partitions: list[TopicPartition]) -> None:
        self.held |= {tp.partition for tp in partitions}

    def revoked(self, _consumer: Consumer, partitions: list[TopicPartition]) -> None:
        self.held -= {tp.partition for tp in partitions}


def test_a_second_member_takes_over_part_of_the_partitions(
    bootstrap: str, topics: Topics
) -> None:
    """Scaling out: the first member holds everything, a second joins, the group rebalances."""
    partitions = 6
    name = topics.create(partitions)
    group = unique("split")
    first, second = Member(consumer(bootstrap, group)), Member(consumer(bootstrap, group))
    everything = frozenset(range(partitions))

    def holdings(*members: Member) -> tuple[frozenset[int], ...]:
        for member in members:
            member.consumer.poll(0.05)  # serves the rebalance callbacks
        return tuple(frozenset(member.held) for member in members)

    try:
        first.consumer.subscribe([name], on_assign=first.assigned, on_revoke=first.revoked)
        until(lambda: holdings(first), lambda held: held == (everything,), DEADLINE_S,
              "the only member to hold every partition", interval_s=0)

        second.consumer.subscribe([name], on_assign=second.assigned, on_revoke=second.revoked)
        a, b = until(
            lambda: holdings(first, second),
            lambda held: all(held) and not held[0] & held[1] and held[0] | held[1] == everything,
            DEADLINE_S, "two members holding disjoint partitions that cover the topic",
            interval_s=0,
        )
        assert {tp.partition for tp in first.consumer.assignment()} == a
        assert {tp.partition for tp in second.consumer.assignment()} == b
    finally:
        first.consumer.close()
        second.consumer.close()


def test_assigned_positions_read_from_there(
    bootstrap: str, reliable: Producer, topics: Topics
) -> None:
    """How projections start: assign each partition from the beginning or from a checkpoint."""
    partitions = 2
    name = topics.create(partitions)
    fill(reliable, name, partitions)
    group = unique("seek")
    c = consumer(bootstrap, group)
    try:
        # The group has committed the end; an explicit position must win over that.
        c.commit(offsets=[TopicPartition(name, p, PER_PARTITION) for p in range(partitions)],
                 asynchronous=False)
        c.assign([TopicPartition(name, p, OFFSET_BEGINNING) for p in range(partitions)])
        everything = read_to_end(c, partitions)
        c.unassign()
        c.assign([TopicPartition(name, 0, OFFSET_BEGINNING), TopicPartition(name, 1, 17)])
        again = read_to_end(c, partitions)
    finally:
        c.close()
    assert offsets_by_partition(everything) == {p: list(range(PER_PARTITION))
                                                for p in range(partitions)}
    assert [m.value() for m in everything if m.partition() == 1] == [
        f"1-{n}".encode() for n in range(PER_PARTITION)
    ]
    assert offsets_by_partition(again) == {0: list(range(PER_PARTITION)),
                                           1: list(range(17, PER_PARTITION))}
