"""Records put straight onto a topic, and the dead letters that park them."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import uuid4

from confluent_kafka import Consumer, TopicPartition
from confluent_kafka import Message as KafkaMessage

from config.settings import Settings
from events.dead_letters import DEAD_LETTERS_TOPIC, headers_of, split_headers
from events.positions import Position
from events.producer import DeliveryFailed, make_producer
from tests.waiting import until


def produce(stack: Settings, topic: str, key: bytes, values: Sequence[bytes]) -> list[Position]:
    """Each value under the same key (so on one partition, in this order), acknowledged."""
    producer = make_producer(stack.kafka)
    positions: list[Position] = []

    def delivered(error: object, message: KafkaMessage) -> None:
        if error is not None:
            raise DeliveryFailed(str(error))
        partition, offset = message.partition(), message.offset()
        assert partition is not None
        assert offset is not None
        positions.append(Position(topic, partition, offset))

    for value in values:
        producer.produce(topic, key=key, value=value, on_delivery=delivered)
    assert producer.flush(30) == 0
    return sorted(positions, key=lambda p: p.offset)


def garbage() -> bytes:
    """Bytes that are no Avro message (bad magic byte), unique to the caller."""
    return b"\x07not avro " + uuid4().hex.encode()


def dead_letters(stack: Settings, value: bytes, parked_by: str | None = None,
                 timeout_s: float = 60) -> list[dict[str, bytes | None]]:
    """The headers of the dead letters holding `value` (parked by that feed), once one is
    there."""
    consumer = Consumer({"bootstrap.servers": stack.kafka, "group.id": f"dl-{uuid4()}",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    metadata = consumer.list_topics(DEAD_LETTERS_TOPIC, timeout=10)
    consumer.assign([TopicPartition(DEAD_LETTERS_TOPIC, p, 0)
                     for p in metadata.topics[DEAD_LETTERS_TOPIC].partitions])
    found: list[dict[str, bytes | None]] = []

    def poll() -> list[dict[str, bytes | None]]:
        for message in consumer.consume(500, timeout=0.2):
            if message.error() is None and message.value() == value:
                own, _ = split_headers(headers_of(message))
                if parked_by is None or own.get("parked_by") == parked_by.encode():
                    found.append(own)
        return found

    try:
        return until(poll, bool, timeout_s, f"a dead letter parked by {parked_by}")
    finally:
        consumer.close()

