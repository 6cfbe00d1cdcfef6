"""Reading a topic with rests and a pace: what arrives while the reader is paused is read
afterwards, each message once and in order."""

from __future__ import annotations

from uuid import uuid4

from confluent_kafka import Consumer, TopicPartition

from bench.topics import scratch_topic
from config.settings import Settings
from events.consuming import RestingReader
from events.producer import make_producer
from tests.waiting import until


def produce(bootstrap: str, topic: str, values: list[bytes]) -> None:
    producer = make_producer(bootstrap)
    for value in values:
        producer.produce(topic, value=value, partition=0)
    assert producer.flush(30) == 0


def read_more(reader: RestingReader, read: list[bytes]) -> int:
    read.extend(m.value() or b"" for m in reader.available(100, 1.0))
    return len(read)


def test_a_paced_reader_reads_what_came_during_its_rest_once_in_order(stack: Settings) -> None:
    with scratch_topic(stack.kafka, 1) as topic:
        consumer = Consumer({"bootstrap.servers": stack.kafka, "group.id": f"t-{uuid4()}",
                             "enable.auto.commit": False})
        reader = RestingReader(consumer)
        read: list[bytes] = []
        try:
            reader.assign([TopicPartition(topic, 0, 0)])
            produce(stack.kafka, topic, [b"0"])
            until(lambda: read_more(reader, read), lambda n: n >= 1, 30, "the first message")
            assert reader.unsaturated_at is not None, "a read that was not full"
            produce(stack.kafka, topic, [str(n).encode() for n in range(1, 6)])
            reader.keep_pace(0.2)  # paused, then resumed where reading stood
            until(lambda: read_more(reader, read), lambda n: n >= 6, 30,
                  "the messages sent during the rest")
            assert reader.available(100, 0.3) == []
        finally:
            consumer.close()
    assert read == [str(n).encode() for n in range(6)]
