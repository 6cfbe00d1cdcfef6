"""Wake-ups across processes and for producers that say nothing: a reader resting for as long
as it may still reads what arrives."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from uuid import uuid4

from confluent_kafka import Consumer, TopicPartition

from bench.topics import scratch_topic
from config.settings import Settings
from events.consuming import RestingReader
from events.relay import Relay
from events.wakeup import Wakeups
from tests.integration.test_resting_reader import produce
from tests.waiting import until

LONGEST_REST_S = 600.0  # longer than any wait below: only a wake-up can end the rest


@contextmanager
def relayed(settings: Settings) -> Iterator[Wakeups]:
    """A process's wake-ups, with its relay running."""
    wakeups = Wakeups()
    relay = Relay(settings.kafka, settings.redis, LONGEST_REST_S, wakeups)
    relay.start()
    try:
        yield wakeups
    finally:
        relay.close()


def test_a_record_from_a_producer_that_says_nothing_wakes_a_long_rest(stack: Settings) -> None:
    with scratch_topic(stack.kafka, 1) as topic, relayed(stack) as wakeups:
        consumer = Consumer({"bootstrap.servers": stack.kafka, "group.id": f"t-{uuid4()}",
                             "enable.auto.commit": False})
        reader = RestingReader(consumer, wakeups=wakeups)
        read: list[bytes] = []
        try:
            reader.assign([TopicPartition(topic, 0, 0)])
            wakeups.longest_rest_s = reader.rest_s = LONGEST_REST_S
            assert reader.available(10, 0.5) == []
            assert reader.resting, "an idle reader rests, paused"
            produce(stack.kafka, topic, [b"unannounced"])
            def read_more() -> int:
                read.extend(m.value() or b"" for m in reader.available(10, 0.5))
                return len(read)

            until(read_more, bool, 30, "the record, found by the watch")
        finally:
            reader.close()
    assert read == [b"unannounced"]


def test_what_one_process_produces_wakes_the_readers_of_another(stack: Settings) -> None:
    topic = f"wakeup-{uuid4().hex[:8]}"  # only named: the wake-up says nothing of records
    with relayed(stack) as producing, relayed(stack) as reading:
        seen = reading.seen([topic])

        def told() -> bool:
            producing.produced([topic])
            return reading.wait([topic], seen, 0.5)

        until(told, bool, 30, "the other process to hear of the topic")
